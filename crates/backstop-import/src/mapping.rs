//! Mapping the exercise names of other apps to catalog ids, and creating an exercise for each name that matches
//! nothing, so that no set is lost.
//!
//! A name is tried, in order: in the person's mapping (normalised source name → catalog id); as a catalog id,
//! name or alias ([`Catalog::resolve`], case and spacing ignored); the same two again with a trailing
//! parenthesised part such as `(Barbell)` removed. A name that still matches nothing becomes an exercise with an
//! id `imported-…`, estimated demands and the history's own dose type.

use std::collections::{HashMap, HashSet};

use backstop_core::catalog::{LoadType, Measured, SpinalDemand, normalize_name};
use backstop_core::vocab::{Equipment, Pattern};
use backstop_core::{Catalog, Dose, Exercise};

use crate::common::{DraftSession, DraftSet};

/// How one source name is used in the file: what its new exercise, if one is needed, should look like.
#[derive(Debug, Clone)]
pub(crate) struct NameUse {
    /// [`normalize_name`] of the name.
    pub key: String,
    /// The name as first written.
    pub raw_name: String,
    /// FitNotes' category, when given.
    pub category: Option<String>,
    /// Some set had an external load.
    pub load: bool,
    /// Some set was counted in reps.
    pub reps: bool,
    /// Some set was timed.
    pub seconds: bool,
    /// Some set was a distance.
    pub metres: bool,
}

impl NameUse {
    fn new(set: &DraftSet) -> Self {
        NameUse {
            key: set.key.clone(),
            raw_name: set.raw_name.clone(),
            category: None,
            load: false,
            reps: false,
            seconds: false,
            metres: false,
        }
    }

    fn record(&mut self, set: &DraftSet) {
        if self.category.is_none() {
            self.category.clone_from(&set.category);
        }
        self.load |= set.load.is_some();
        match set.dose {
            Dose::Reps(_) => self.reps = true,
            Dose::Seconds(_) => self.seconds = true,
            Dose::Metres(_) => self.metres = true,
        }
    }
}

/// Every distinct exercise name of the collected workouts, in the order first seen.
pub(crate) fn name_uses(drafts: &[DraftSession]) -> Vec<NameUse> {
    let mut uses: Vec<NameUse> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for set in drafts.iter().flat_map(|d| d.sets.iter()) {
        let i = *index.entry(set.key.as_str()).or_insert_with(|| {
            uses.push(NameUse::new(set));
            uses.len() - 1
        });
        if let Some(u) = uses.get_mut(i) {
            u.record(set);
        }
    }
    uses
}

/// The outcome of resolving every name.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resolution {
    /// Normalised source name → exercise id (catalog or new).
    pub ids: HashMap<String, String>,
    /// Exercises created for names that matched nothing.
    pub new_exercises: Vec<Exercise>,
    /// The names those exercises were created for.
    pub unmapped: Vec<String>,
    /// Remarks for the report (a mapping entry that points nowhere).
    pub notes: Vec<String>,
}

/// Resolves every name; `mapping` is the person's normalised source name → catalog id table.
pub(crate) fn resolve_all(
    uses: &[NameUse],
    catalog: &Catalog,
    mapping: &HashMap<String, String>,
) -> Resolution {
    let mapping: HashMap<String, &str> = mapping
        .iter()
        .map(|(k, v)| (normalize_name(k), v.as_str()))
        .collect();
    let mut res = Resolution::default();
    let mut taken: HashSet<String> = HashSet::new();
    for u in uses {
        if res.ids.contains_key(&u.key) {
            continue;
        }
        let id = match find(u, catalog, &mapping, &mut res.notes) {
            Some(id) => id,
            None => {
                let ex = user_exercise(u, catalog, &taken);
                taken.insert(ex.id.clone());
                res.unmapped.push(ex.name.clone());
                let id = ex.id.clone();
                res.new_exercises.push(ex);
                id
            }
        };
        res.ids.insert(u.key.clone(), id);
    }
    res
}

/// The catalog id for a source name, if the mapping or the catalog knows it.
fn find(
    u: &NameUse,
    catalog: &Catalog,
    mapping: &HashMap<String, &str>,
    notes: &mut Vec<String>,
) -> Option<String> {
    let name = u.raw_name.trim();
    let stripped = strip_equipment(name);
    let stripped_key = normalize_name(stripped);
    let mut keys = vec![u.key.as_str()];
    if !stripped_key.is_empty() && stripped_key != u.key {
        keys.push(stripped_key.as_str());
    }
    for key in &keys {
        if let Some(target) = mapping.get(*key) {
            match catalog.resolve(target) {
                Ok(ex) => return Some(ex.id.clone()),
                Err(_) => notes.push(format!(
                    "the mapping sends {name:?} to {target:?}, which is not in the catalog; that entry was ignored"
                )),
            }
        }
    }
    if let Ok(ex) = catalog.resolve(name) {
        return Some(ex.id.clone());
    }
    if keys.len() > 1
        && let Ok(ex) = catalog.resolve(stripped)
    {
        return Some(ex.id.clone());
    }
    None
}

/// A name without a trailing parenthesised part: `Bench Press (Barbell)` → `Bench Press`.
pub(crate) fn strip_equipment(name: &str) -> &str {
    let t = name.trim();
    if t.ends_with(')')
        && let Some(open) = t.rfind('(')
    {
        return t.get(..open).map_or(t, str::trim_end);
    }
    t
}

/// The exercise created for a name that matched nothing.
fn user_exercise(u: &NameUse, catalog: &Catalog, taken: &HashSet<String>) -> Exercise {
    let name = u.raw_name.trim().to_owned();
    let aliases = if u.raw_name == name {
        Vec::new()
    } else {
        vec![u.raw_name.clone()]
    };
    let load_type = load_type(u);
    let (reps, seconds, metres) = match load_type {
        LoadType::External | LoadType::Bodyweight => (Some([8, 12]), None, None),
        LoadType::Timed => (None, Some([20, 60]), None),
        LoadType::Distance => (None, None, Some([20, 100])),
    };
    let (equipment, increment) = equipment(&name, load_type);
    Exercise {
        id: unique_id(&name, catalog, taken),
        pattern: pattern(u.category.as_deref()),
        name,
        aliases,
        muscles: Vec::new(),
        equipment,
        load_type,
        skill: 1,
        reps,
        seconds,
        metres,
        increment,
        flare_safe: false,
        spinal: SpinalDemand {
            compression: 1,
            shear: 1,
            flexion: 1,
            extension: 1,
            rotation: 1,
            measured: Measured::NONE,
        },
        regressions: Vec::new(),
        progressions: Vec::new(),
        cues: Vec::new(),
        faults: Vec::new(),
    }
}

/// External when any set had a load; else bodyweight for reps, distance or timed when the sets only have those.
fn load_type(u: &NameUse) -> LoadType {
    if u.load {
        LoadType::External
    } else if u.reps {
        LoadType::Bodyweight
    } else if u.metres {
        LoadType::Distance
    } else if u.seconds {
        LoadType::Timed
    } else {
        LoadType::Bodyweight
    }
}

/// The movement pattern guessed from FitNotes' category; `push` otherwise.
fn pattern(category: Option<&str>) -> Pattern {
    match category.map(|c| c.trim().to_lowercase()).as_deref() {
        Some("back") => Pattern::HorizontalPull,
        Some("abs") => Pattern::TrunkFlexion,
        Some("legs") => Pattern::Squat,
        Some("cardio") => Pattern::Conditioning,
        _ => Pattern::Push,
    }
}

/// Words in a name that tell the equipment.
const EQUIPMENT_WORDS: &[(&str, Equipment)] = &[
    ("trap bar", Equipment::TrapBar),
    ("hex bar", Equipment::TrapBar),
    ("smith", Equipment::Machine),
    ("machine", Equipment::Machine),
    ("cable", Equipment::Cable),
    ("dumbbell", Equipment::Dumbbell),
    ("kettlebell", Equipment::Kettlebell),
    ("landmine", Equipment::Landmine),
    ("band", Equipment::Band),
    ("barbell", Equipment::Barbell),
];

/// The equipment and load step of a new exercise: for an external load, the equipment its name mentions (a
/// barbell when it mentions none) with the barbell's load step; bodyweight otherwise.
fn equipment(name: &str, load_type: LoadType) -> (Vec<Equipment>, Option<Equipment>) {
    if load_type != LoadType::External {
        return (vec![Equipment::Bodyweight], None);
    }
    let lower = name.to_lowercase();
    let eq = EQUIPMENT_WORDS
        .iter()
        .find(|(word, _)| lower.contains(*word))
        .map_or(Equipment::Barbell, |&(_, e)| e);
    (vec![eq], Some(Equipment::Barbell))
}

/// `imported-` and the name in kebab case, made unique against the catalog and the other new exercises.
fn unique_id(name: &str, catalog: &Catalog, taken: &HashSet<String>) -> String {
    let slug = slug(name);
    let base = if slug.is_empty() {
        "imported-exercise".to_owned()
    } else {
        format!("imported-{slug}")
    };
    let free = |id: &str| catalog.get(id).is_none() && !taken.contains(id);
    if free(base.as_str()) {
        return base;
    }
    for n in 2..=u32::MAX {
        let id = format!("{base}-{n}");
        if free(id.as_str()) {
            return id;
        }
    }
    base
}

/// Lower-case ASCII letters and digits joined by single dashes, at most about 48 characters.
fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in name.to_lowercase().chars() {
        let mut buf = [0u8; 4];
        let piece: &str = if c.is_ascii_alphanumeric() {
            c.encode_utf8(&mut buf)
        } else if let Some(p) = fold(c) {
            p
        } else {
            gap = true;
            continue;
        };
        if gap && !out.is_empty() {
            out.push('-');
        }
        gap = false;
        out.push_str(piece);
        if out.len() >= 48 {
            break;
        }
    }
    out
}

/// ASCII for common accented letters.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ł' => "l",
        'ñ' | 'ń' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'œ' => "oe",
        'ß' => "ss",
        'ś' | 'š' => "s",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use backstop_core::{Reps, Seconds};

    fn catalog() -> Catalog {
        Catalog::builtin().unwrap()
    }

    fn set(name: &str, dose: Dose, load: bool, category: Option<&str>) -> DraftSet {
        DraftSet {
            raw_name: name.to_owned(),
            key: normalize_name(name),
            category: category.map(str::to_owned),
            dose,
            load: load.then(|| backstop_core::Load::from_grams(20_000).unwrap()),
            rpe: None,
            kind: crate::SetKind::Normal,
        }
    }

    fn uses(sets: Vec<DraftSet>) -> Vec<NameUse> {
        let mut d = DraftSession::new("k".into(), jiff::Timestamp::UNIX_EPOCH, 1, "");
        d.sets = sets;
        name_uses(&[d])
    }

    fn reps() -> Dose {
        Dose::Reps(Reps::new(5).unwrap())
    }

    #[test]
    fn names_resolve_through_mapping_catalog_and_stripping() {
        let c = catalog();
        let u = uses(vec![
            set("Bench Press (Barbell)", reps(), true, None),
            set("bench press (barbell)", reps(), true, None),
            set("Squat (Smith Machine)", reps(), true, None),
            set("Kniebeuge (Langhantel)", reps(), true, None),
        ]);
        assert_eq!(u.len(), 3);
        let mut mapping = HashMap::new();
        mapping.insert("Kniebeuge  (Langhantel)".to_owned(), "back-squat".to_owned());
        let r = resolve_all(&u, &c, &mapping);
        assert_eq!(r.ids["bench press (barbell)"], "bench-press");
        assert_eq!(r.ids["kniebeuge (langhantel)"], "back-squat");
        // Neither "Squat (Smith Machine)" nor "Squat" is in the catalog: it becomes an exercise of its own.
        assert_eq!(r.unmapped, vec!["Squat (Smith Machine)"]);
        assert_eq!(r.ids["squat (smith machine)"], "imported-squat-smith-machine");
        assert_eq!(r.new_exercises[0].equipment, vec![Equipment::Machine]);
        assert_eq!(r.new_exercises[0].increment, Some(Equipment::Barbell));
    }

    #[test]
    fn unknown_names_become_valid_user_exercises() {
        let c = catalog();
        let u = uses(vec![
            set("Total Abdominal ", reps(), false, Some("Abs")),
            set("Soulevé de terre (Barre)", reps(), true, None),
            set(
                "Hold Thing",
                Dose::Seconds(Seconds::new(30).unwrap()),
                false,
                Some("Back"),
            ),
            set("💪", reps(), false, None),
        ]);
        let r = resolve_all(&u, &c, &HashMap::new());
        assert_eq!(
            r.unmapped,
            vec!["Total Abdominal", "Soulevé de terre (Barre)", "Hold Thing", "💪"]
        );
        let ids: Vec<&str> = r.new_exercises.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            vec![
                "imported-total-abdominal",
                "imported-souleve-de-terre-barre",
                "imported-hold-thing",
                "imported-exercise"
            ]
        );
        let abs = &r.new_exercises[0];
        assert_eq!(abs.name, "Total Abdominal");
        assert_eq!(abs.aliases, vec!["Total Abdominal ".to_owned()]);
        assert_eq!(abs.pattern, Pattern::TrunkFlexion);
        assert_eq!(abs.load_type, LoadType::Bodyweight);
        assert_eq!(abs.reps, Some([8, 12]));
        let dl = &r.new_exercises[1];
        assert!(dl.aliases.is_empty());
        assert_eq!(dl.load_type, LoadType::External);
        assert_eq!(dl.increment, Some(Equipment::Barbell));
        assert_eq!(dl.pattern, Pattern::Push);
        let hold = &r.new_exercises[2];
        assert_eq!(hold.load_type, LoadType::Timed);
        assert_eq!(hold.seconds, Some([20, 60]));
        assert_eq!(hold.pattern, Pattern::HorizontalPull);
        assert!(c.with_custom(&r.new_exercises, "imported").is_ok());
    }

    #[test]
    fn ids_do_not_clash() {
        let c = catalog();
        let u = uses(vec![
            set("Curl (EZ)", reps(), true, None),
            set("Curl EZ", reps(), true, None),
        ]);
        let r = resolve_all(&u, &c, &HashMap::new());
        let ids: Vec<&str> = r.new_exercises.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, vec!["imported-curl-ez", "imported-curl-ez-2"]);
        assert!(c.with_custom(&r.new_exercises, "imported").is_ok());
    }

    #[test]
    fn a_mapping_to_nowhere_is_noted() {
        let c = catalog();
        let u = uses(vec![set("Bench Press (Barbell)", reps(), true, None)]);
        let mut mapping = HashMap::new();
        mapping.insert("bench press (barbell)".to_owned(), "no-such-id".to_owned());
        let r = resolve_all(&u, &c, &mapping);
        assert_eq!(r.ids["bench press (barbell)"], "bench-press");
        assert_eq!(r.notes.len(), 1);
    }

    #[test]
    fn stripping() {
        assert_eq!(strip_equipment("Bench Press (Barbell)"), "Bench Press");
        assert_eq!(
            strip_equipment("Overhead Press (Each Side, Dumbbells)"),
            "Overhead Press"
        );
        assert_eq!(strip_equipment("Plank"), "Plank");
        assert_eq!(strip_equipment("(Barbell)"), "");
    }
}
