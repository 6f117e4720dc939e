//! Finding exercises by id, name, alias or words, and suggesting the closest names for one that matches nothing.

use super::*;

/// The most characters an exercise name or id may have. Longer input is refused before any fuzzy matching, so that
/// the suggestion search stays bounded, and only its start is echoed back.
pub const MAX_NAME_CHARS: usize = 100;

/// An exercise name that matched nothing, with the closest known names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown exercise {given:?}{}", did_you_mean(.suggestions, *.length))]
pub struct UnknownExercise {
    /// What was given (its first 40 characters and "…" when it is longer than `MAX_NAME_CHARS`).
    pub given: String,
    /// Ids of the closest exercises, best first.
    pub suggestions: Vec<String>,
    /// The length of what was given, in characters.
    pub length: usize,
}

/// What an unknown name with no close match is told, in words every front end can use; a front end may put its own
/// way to search in place of it (the CLI names `backstop catalog search`).
pub const NO_SIMILAR_NAME: &str = "no exercise has a name like it: search the catalog by a word of its name";

pub(crate) fn did_you_mean(s: &[String], length: usize) -> String {
    if length > MAX_NAME_CHARS {
        format!(" ({length} characters: a name has at most {MAX_NAME_CHARS})")
    } else if s.is_empty() {
        format!("; {NO_SIMILAR_NAME}")
    } else {
        format!("; did you mean {}?", s.join(", "))
    }
}

/// Normalises a name for lookup: lower case, single spaces, trimmed.
pub fn normalize_name(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl Catalog {
    /// Finds an exercise by id, name or alias (case and spacing ignored); otherwise an error with the closest
    /// names.
    pub fn resolve(&self, name: &str) -> Result<&Exercise, UnknownExercise> {
        let trimmed = name.trim();
        let length = trimmed.chars().count();
        if length > MAX_NAME_CHARS {
            return Err(UnknownExercise {
                given: format!("{}…", trimmed.chars().take(40).collect::<String>()),
                suggestions: Vec::new(),
                length,
            });
        }
        if let Some(ex) = self.get(trimmed) {
            return Ok(ex);
        }
        let key = normalize_name(trimmed);
        if let Some(&i) = self.by_name.get(&key) {
            return Ok(&self.exercises[i]);
        }
        // An id typed with spaces or capitals ("Chest Supported Row").
        let as_id = key.replace(' ', "-");
        if let Some(ex) = self.get(&as_id) {
            return Ok(ex);
        }
        let candidates = self.exercises.iter().map(|e| e.id.as_str());
        let mut suggestions = suggest(trimmed, candidates);
        if suggestions.is_empty() {
            // Try names and aliases too, and report the id they belong to.
            let mut scored: Vec<(f64, &str)> = self
                .by_name
                .iter()
                .map(|(n, &i)| (strsim::jaro_winkler(&key, n), self.exercises[i].id.as_str()))
                .filter(|(s, _)| *s >= 0.85)
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
            for (_, id) in scored {
                if !suggestions.iter().any(|s| s == id) && suggestions.len() < 3 {
                    suggestions.push(id.to_owned());
                }
            }
        }
        Err(UnknownExercise {
            given: trimmed.to_owned(),
            suggestions,
            length,
        })
    }

    /// Exercises whose id, name, alias, pattern, muscles or equipment contain every word of the query, best
    /// matches (id or name) first.
    pub fn search(&self, query: &str) -> Vec<&Exercise> {
        let words: Vec<String> = normalize_name(query).split(' ').map(str::to_owned).collect();
        let mut hits: Vec<(u8, &Exercise)> = Vec::new();
        for ex in &self.exercises {
            let primary = format!("{} {}", ex.id, ex.name.to_lowercase());
            let mut secondary: Vec<String> = ex.aliases.iter().map(|a| a.to_lowercase()).collect();
            secondary.push(ex.pattern.as_str().to_owned());
            secondary.extend(ex.muscles.iter().map(|m| m.as_str().to_owned()));
            secondary.extend(ex.equipment.iter().map(|m| m.as_str().to_owned()));
            let secondary = secondary.join(" ");
            let all_primary = words.iter().all(|w| primary.contains(w.as_str()));
            let all_any = words
                .iter()
                .all(|w| primary.contains(w.as_str()) || secondary.contains(w.as_str()));
            if ex.id == words.join("-") {
                hits.push((0, ex));
            } else if all_primary {
                hits.push((1, ex));
            } else if all_any {
                hits.push((2, ex));
            }
        }
        // Best band first; within a band the shortest id (the plainest variant) first.
        hits.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.id.len().cmp(&b.1.id.len()))
                .then(a.1.id.cmp(&b.1.id))
        });
        hits.into_iter().map(|(_, e)| e).collect()
    }
}

/// Up to three ids close to `given` (Jaro–Winkler ≥ 0.8 or containing it), best first.
pub(crate) fn suggest<'a>(given: &str, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let g = normalize_name(given).replace(' ', "-");
    let mut scored: Vec<(f64, &str)> = ids
        .map(|id| {
            let s = strsim::jaro_winkler(&g, id);
            let s = if g.len() >= 3 && id.contains(&g) {
                s.max(0.9)
            } else {
                s
            };
            (s, id)
        })
        .filter(|(s, _)| *s >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, id)| id.to_owned()).collect()
}
