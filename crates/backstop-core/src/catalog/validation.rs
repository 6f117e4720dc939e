//! Checking a catalog before it is used: every field in range, every reference known, no regression cycles, and
//! every problem reported at once with the exercise it concerns.

use super::*;

/// One problem found while validating a catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogIssue {
    /// The exercise concerned, when there is one.
    pub exercise: Option<String>,
    /// What is wrong, and how to fix it.
    pub message: String,
}

impl fmt::Display for CatalogIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.exercise {
            Some(id) => write!(f, "exercise {id:?}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Why a catalog could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The TOML could not be read; the message carries the line and column.
    #[error("{origin}: {message}")]
    Syntax {
        /// Where the text came from (a file name or "built-in catalog").
        origin: String,
        /// The parser's message with line and column.
        message: String,
    },
    /// The catalog was read but breaks validation rules.
    #[error("{origin} is not valid:\n{}", .issues.iter().map(|i| format!("  - {i}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// Where the text came from.
        origin: String,
        /// Every problem found.
        issues: Vec<CatalogIssue>,
    },
}

pub(crate) fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .split('-')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

impl Catalog {
    pub(crate) fn build(
        exercises: Vec<Exercise>,
        increments: BTreeMap<Equipment, Increment>,
        custom_from: usize,
        origin: &str,
    ) -> Result<Catalog, CatalogError> {
        let mut issues = Vec::new();
        let mut issue = |ex: Option<&str>, message: String| {
            issues.push(CatalogIssue {
                exercise: ex.map(str::to_owned),
                message,
            })
        };
        for (eq, inc) in &increments {
            let ok = |v: f64| v.is_finite() && v > 0.0 && v <= 50.0;
            if !ok(inc.kg) || !ok(inc.lb) {
                issue(
                    None,
                    format!("increment for {eq} must be above 0 and at most 50 in both kg and lb"),
                );
            }
        }
        let mut by_id = HashMap::new();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (i, ex) in exercises.iter().enumerate() {
            let id = ex.id.as_str();
            if !is_kebab(id) {
                issue(
                    Some(id),
                    "id must be kebab-case (lower-case letters and digits joined by '-')".into(),
                );
            }
            if by_id.insert(ex.id.clone(), i).is_some() {
                issue(Some(id), "duplicate id".into());
            }
            if ex.name.trim().is_empty() {
                issue(Some(id), "name is empty".into());
            }
            for n in std::iter::once(&ex.name).chain(ex.aliases.iter()) {
                let key = normalize_name(n);
                if key.is_empty() {
                    issue(Some(id), "an alias is empty".into());
                    continue;
                }
                if let Some(&other) = by_name.get(&key)
                    && other != i
                {
                    issue(
                        Some(id),
                        format!("name or alias {n:?} is already used by {:?}", exercises[other].id),
                    );
                } else {
                    by_name.insert(key, i);
                }
            }
            if ex.skill > 3 {
                issue(Some(id), format!("skill {} is out of range 0–3", ex.skill));
            }
            for (axis, v) in ex.spinal.axes() {
                if v > 3 {
                    issue(Some(id), format!("spinal {axis} {v} is out of range 0–3"));
                }
            }
            if ex.equipment.is_empty() {
                issue(Some(id), "equipment is empty (use [\"bodyweight\"])".into());
            }
            let ranges = [("reps", ex.reps), ("seconds", ex.seconds), ("metres", ex.metres)];
            let wanted = match ex.load_type {
                LoadType::External | LoadType::Bodyweight => "reps",
                LoadType::Timed => "seconds",
                LoadType::Distance => "metres",
            };
            for (name, r) in ranges {
                match (name == wanted, r) {
                    (true, None) => issue(
                        Some(id),
                        format!("a {} exercise needs a `{wanted}` range", ex.load_type.as_str()),
                    ),
                    (false, Some(_)) => issue(
                        Some(id),
                        format!(
                            "a {} exercise takes `{wanted}`, not `{name}`",
                            ex.load_type.as_str()
                        ),
                    ),
                    (true, Some([lo, hi])) if lo == 0 || lo > hi => issue(
                        Some(id),
                        format!("{name} range [{lo}, {hi}] must start above 0 and not run backwards"),
                    ),
                    _ => {}
                }
            }
            match (ex.load_type, ex.increment) {
                (LoadType::External, None) => issue(
                    Some(id),
                    "an external-load exercise needs an `increment` (the equipment whose load step applies)"
                        .into(),
                ),
                (LoadType::External, Some(eq)) if !increments.contains_key(&eq) => {
                    issue(Some(id), format!("increment {eq} has no entry in [increments]"))
                }
                (lt, Some(_)) if lt != LoadType::External => issue(
                    Some(id),
                    "only external-load exercises take an `increment`".into(),
                ),
                _ => {}
            }
        }
        for ex in &exercises {
            for (field, list) in [
                ("regressions", &ex.regressions),
                ("progressions", &ex.progressions),
            ] {
                for r in list {
                    if r == &ex.id {
                        issue(Some(&ex.id), format!("lists itself in {field}"));
                    } else if !by_id.contains_key(r) {
                        let s = suggest(r, by_id.keys().map(String::as_str));
                        issue(
                            Some(&ex.id),
                            format!("{field} names unknown exercise {r:?}{}", did_you_mean(&s, 0)),
                        );
                    }
                }
            }
        }
        if let Some(cycle) = find_regression_cycle(&exercises, &by_id) {
            issue(None, format!("regressions form a cycle: {}", cycle.join(" -> ")));
        }
        if !issues.is_empty() {
            return Err(CatalogError::Invalid {
                origin: origin.to_owned(),
                issues,
            });
        }
        Ok(Catalog {
            exercises,
            increments,
            by_id,
            by_name,
            custom_from,
            builtin_digest: None,
            digest: std::sync::OnceLock::new(),
        })
    }
}

/// Finds a cycle in the "is a regression of" graph, returned as the ids along it.
pub(crate) fn find_regression_cycle(
    exercises: &[Exercise],
    by_id: &HashMap<String, usize>,
) -> Option<Vec<String>> {
    // Iterative depth-first search with colours: 0 unvisited, 1 on the stack, 2 done.
    let n = exercises.len();
    let mut colour = vec![0u8; n];
    for start in 0..n {
        if colour[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let edges: Vec<usize> = exercises[node]
                .regressions
                .iter()
                .filter_map(|r| by_id.get(r).copied())
                .collect();
            if *next < edges.len() {
                let to = edges[*next];
                *next += 1;
                match colour[to] {
                    0 => {
                        colour[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => {
                        let pos = stack.iter().position(|(v, _)| *v == to).unwrap_or(0);
                        let mut cycle: Vec<String> = stack[pos..]
                            .iter()
                            .map(|(v, _)| exercises[*v].id.clone())
                            .collect();
                        cycle.push(exercises[to].id.clone());
                        return Some(cycle);
                    }
                    _ => {}
                }
            } else {
                colour[node] = 2;
                stack.pop();
            }
        }
    }
    None
}
