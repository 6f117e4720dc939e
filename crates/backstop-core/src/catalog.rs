//! The exercise catalog: exercises with their spinal demands, doses, regressions and cues.
//!
//! The built-in catalog is the data file `data/exercises.toml` (format in `docs/catalog-format.md`), embedded in
//! the binary and validated whenever it is loaded. People add their own exercises, which are validated against
//! the built-in ones before they are accepted.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::units::WeightUnit;
use crate::vocab::{Direction, Equipment, Muscle, Pattern, Sensitivity};

/// The built-in catalog as text.
pub const BUILTIN_TOML: &str = include_str!("../data/exercises.toml");

/// How an exercise is dosed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoadType {
    /// Sets of reps with an external load (barbell, dumbbell, cable, machine…).
    External,
    /// Sets of reps with the body's own weight.
    Bodyweight,
    /// Holds or activities measured in seconds.
    Timed,
    /// Carries and walks measured in metres.
    Distance,
}

impl LoadType {
    /// The name used in the catalog and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            LoadType::External => "external",
            LoadType::Bodyweight => "bodyweight",
            LoadType::Timed => "timed",
            LoadType::Distance => "distance",
        }
    }
}

/// Whether a spinal-demand ranking was measured in a lab or estimated: the catalog's older, whole-exercise way of
/// saying it, still read (`basis = "measured"` means compression was measured, the rest estimated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Ranked from biomechanics measurements of compression (McGill and colleagues).
    Measured,
    /// Estimated from mechanics and expert opinion.
    Estimated,
}

/// The spinal directions whose demand rests on published lab measurements (the rest are estimated). Lab studies
/// of exercises report lumbar compression and sometimes shear; nobody has measured a flexion, extension or rotation
/// "demand", so in the built-in catalog only those two appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Measured(u8);

impl Measured {
    /// No direction measured.
    pub const NONE: Measured = Measured(0);

    /// Whether this direction was measured.
    pub fn contains(self, d: Direction) -> bool {
        self.0 & (1 << d.index()) != 0
    }

    /// This set with `d` added.
    pub fn with(self, d: Direction) -> Measured {
        Measured(self.0 | (1 << d.index()))
    }

    /// Nothing measured.
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The measured directions, in `Direction::ALL` order.
    pub fn iter(self) -> impl Iterator<Item = Direction> {
        Direction::ALL.iter().copied().filter(move |d| self.contains(*d))
    }
}

impl Serialize for Measured {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(Direction::as_str))
    }
}

impl<'de> Deserialize<'de> for Measured {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        let mut m = Measured::NONE;
        for n in names {
            let dir: Direction = n.parse().map_err(serde::de::Error::custom)?;
            if m.contains(dir) {
                return Err(serde::de::Error::custom(format!(
                    "{n} is listed twice in measured"
                )));
            }
            m = m.with(dir);
        }
        Ok(m)
    }
}

/// The demand an exercise puts on the lumbar spine, each axis 0 (none) to 3 (high).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "SpinalDemandDoc")]
pub struct SpinalDemand {
    /// Axial compression.
    pub compression: u8,
    /// Shear.
    pub shear: u8,
    /// Spinal flexion.
    pub flexion: u8,
    /// Spinal extension.
    pub extension: u8,
    /// Rotation or lateral bending.
    pub rotation: u8,
    /// The directions measured in a lab; the others are estimated.
    #[serde(skip_serializing_if = "Measured::is_empty")]
    pub measured: Measured,
}

/// A spinal demand as written in a catalog: `measured` per direction, or the older `basis` for the whole row.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpinalDemandDoc {
    compression: u8,
    shear: u8,
    flexion: u8,
    extension: u8,
    rotation: u8,
    #[serde(default)]
    measured: Option<Measured>,
    #[serde(default)]
    basis: Option<Basis>,
}

impl From<SpinalDemandDoc> for SpinalDemand {
    fn from(d: SpinalDemandDoc) -> Self {
        let measured = d.measured.unwrap_or(match d.basis {
            Some(Basis::Measured) => Measured::NONE.with(Direction::Compression),
            Some(Basis::Estimated) | None => Measured::NONE,
        });
        SpinalDemand {
            compression: d.compression,
            shear: d.shear,
            flexion: d.flexion,
            extension: d.extension,
            rotation: d.rotation,
            measured,
        }
    }
}

impl SpinalDemand {
    /// The highest of compression and shear: the "load" axis.
    pub fn load(&self) -> u8 {
        self.compression.max(self.shear)
    }

    /// The demand on the axis a sensitivity category reacts to.
    pub fn on(&self, s: Sensitivity) -> u8 {
        match s {
            Sensitivity::Flexion => self.flexion,
            Sensitivity::Extension => self.extension,
            Sensitivity::Load => self.load(),
            Sensitivity::Rotation => self.rotation,
            Sensitivity::NonDirectional => self.max(),
        }
    }

    /// The demand on every direction, in `Direction::ALL` order.
    pub fn by_direction(&self) -> [u8; 5] {
        [
            self.compression,
            self.shear,
            self.flexion,
            self.extension,
            self.rotation,
        ]
    }

    /// The demand on one direction.
    pub fn along(&self, d: crate::vocab::Direction) -> u8 {
        use crate::vocab::Direction;
        match d {
            Direction::Compression => self.compression,
            Direction::Shear => self.shear,
            Direction::Flexion => self.flexion,
            Direction::Extension => self.extension,
            Direction::Rotation => self.rotation,
        }
    }

    /// The highest value on any axis.
    pub fn max(&self) -> u8 {
        self.compression
            .max(self.shear)
            .max(self.flexion)
            .max(self.extension)
            .max(self.rotation)
    }

    fn axes(&self) -> [(&'static str, u8); 5] {
        [
            ("compression", self.compression),
            ("shear", self.shear),
            ("flexion", self.flexion),
            ("extension", self.extension),
            ("rotation", self.rotation),
        ]
    }
}

/// The smallest sensible load step for one piece of equipment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Increment {
    /// Step in kilograms.
    pub kg: f64,
    /// Step in pounds.
    pub lb: f64,
}

impl Increment {
    /// The step in the given unit.
    pub fn in_unit(&self, unit: WeightUnit) -> f64 {
        match unit {
            WeightUnit::Kg => self.kg,
            WeightUnit::Lb => self.lb,
        }
    }
}

/// One exercise of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Kebab-case id, unique.
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// Other names, including those Strong, Hevy and FitNotes use.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Movement pattern.
    pub pattern: Pattern,
    /// Muscles trained.
    #[serde(default)]
    pub muscles: Vec<Muscle>,
    /// Everything needed (bodyweight is always available).
    pub equipment: Vec<Equipment>,
    /// How the exercise is dosed.
    pub load_type: LoadType,
    /// Technical skill, 0 trivial to 3 technical.
    pub skill: u8,
    /// Rep range for external-load and bodyweight exercises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<[u32; 2]>,
    /// Hold range in seconds for timed exercises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<[u32; 2]>,
    /// Distance range in metres for distance exercises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metres: Option<[u32; 2]>,
    /// Which equipment's load step applies (external load only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<Equipment>,
    /// Usable during a flare-up (FL-2).
    pub flare_safe: bool,
    /// Demand on the lumbar spine.
    pub spinal: SpinalDemand,
    /// Easier options, by id.
    #[serde(default)]
    pub regressions: Vec<String>,
    /// Harder options, by id.
    #[serde(default)]
    pub progressions: Vec<String>,
    /// Short coaching cues.
    #[serde(default)]
    pub cues: Vec<String>,
    /// Common faults to watch for.
    #[serde(default)]
    pub faults: Vec<String>,
}

/// The range an exercise is dosed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoseRange {
    /// Repetitions per set.
    Reps(u32, u32),
    /// Seconds per set.
    Seconds(u32, u32),
    /// Metres per set.
    Metres(u32, u32),
}

impl Exercise {
    /// The dose range that fits the load type (validated to exist).
    pub fn dose_range(&self) -> Option<DoseRange> {
        match self.load_type {
            LoadType::External | LoadType::Bodyweight => self.reps.map(|[a, b]| DoseRange::Reps(a, b)),
            LoadType::Timed => self.seconds.map(|[a, b]| DoseRange::Seconds(a, b)),
            LoadType::Distance => self.metres.map(|[a, b]| DoseRange::Metres(a, b)),
        }
    }

    /// Flare-safe with no more than low demand on any spinal axis: gentle enough that bringing it in is not
    /// counted as the session's one change (BK-5), so a new person's first sessions can hold more than one item.
    pub fn is_low_risk(&self) -> bool {
        self.flare_safe && self.spinal.max() <= 1
    }

    /// Whether everything it needs is in `equipment` (bodyweight is always there).
    pub fn available_with(&self, equipment: &[crate::vocab::Equipment]) -> bool {
        self.equipment
            .iter()
            .all(|e| *e == crate::vocab::Equipment::Bodyweight || equipment.contains(e))
    }

    /// Whether a dose step on this exercise is a novelty (C5): compression or shear of 2 or more, or 2 or more
    /// on an axis the athlete is sensitive to.
    pub fn is_high_demand(&self, sensitive: &[Sensitivity]) -> bool {
        self.spinal.load() >= 2 || sensitive.iter().any(|s| self.spinal.on(*s) >= 2)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default)]
    increments: BTreeMap<Equipment, Increment>,
    #[serde(default, rename = "exercise")]
    exercises: Vec<Exercise>,
}

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

fn did_you_mean(s: &[String], length: usize) -> String {
    if length > MAX_NAME_CHARS {
        format!(" ({length} characters: a name has at most {MAX_NAME_CHARS})")
    } else if s.is_empty() {
        "; see `backstop catalog search`".to_owned()
    } else {
        format!("; did you mean {}?", s.join(", "))
    }
}

/// A validated catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    exercises: Vec<Exercise>,
    increments: BTreeMap<Equipment, Increment>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    custom_from: usize,
}

/// Normalises a name for lookup: lower case, single spaces, trimmed.
pub fn normalize_name(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .split('-')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

impl Catalog {
    /// The built-in catalog. It is validated by a unit test, so this only fails if the binary was built from a
    /// broken data file.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        Catalog::from_toml_str(BUILTIN_TOML, "built-in catalog")
    }

    /// Reads and validates a catalog from TOML text; `origin` names the text in error messages.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile = toml::from_str(text).map_err(|e| CatalogError::Syntax {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        Catalog::build(file.exercises, file.increments, usize::MAX, origin)
    }

    /// Reads exercises (one or more `[[exercise]]` tables) from TOML text, without validating them against a
    /// catalog yet; used for `backstop catalog add --file`.
    pub fn parse_exercises(text: &str, origin: &str) -> Result<Vec<Exercise>, CatalogError> {
        let file: CatalogFile = toml::from_str(text).map_err(|e| CatalogError::Syntax {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        if !file.increments.is_empty() {
            return Err(CatalogError::Invalid {
                origin: origin.to_owned(),
                issues: vec![CatalogIssue {
                    exercise: None,
                    message: "an exercise file may not change the load increments".into(),
                }],
            });
        }
        if file.exercises.is_empty() {
            return Err(CatalogError::Invalid {
                origin: origin.to_owned(),
                issues: vec![CatalogIssue {
                    exercise: None,
                    message: "no [[exercise]] table found".into(),
                }],
            });
        }
        Ok(file.exercises)
    }

    /// This catalog plus a person's own exercises, validated together (their ids, names and aliases must not
    /// clash with the built-in ones).
    pub fn with_custom(&self, custom: &[Exercise], origin: &str) -> Result<Catalog, CatalogError> {
        let builtin_len = self.custom_from.min(self.exercises.len());
        let mut all: Vec<Exercise> = self.exercises[..builtin_len].to_vec();
        all.extend_from_slice(custom);
        Catalog::build(all, self.increments.clone(), builtin_len, origin)
    }

    fn build(
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
        })
    }

    /// Every exercise, built-in first, then the person's own.
    pub fn exercises(&self) -> &[Exercise] {
        &self.exercises
    }

    /// Whether the exercise was added by the person rather than shipped.
    pub fn is_custom(&self, id: &str) -> bool {
        self.by_id.get(id).is_some_and(|&i| i >= self.custom_from)
    }

    /// The exercise with this exact id.
    pub fn get(&self, id: &str) -> Option<&Exercise> {
        self.by_id.get(id).map(|&i| &self.exercises[i])
    }

    /// The load step for an exercise in the given unit, if it takes external load.
    pub fn increment(&self, ex: &Exercise, unit: WeightUnit) -> Option<f64> {
        ex.increment
            .and_then(|eq| self.increments.get(&eq))
            .map(|i| i.in_unit(unit))
    }

    /// The load-step table.
    pub fn increments(&self) -> &BTreeMap<Equipment, Increment> {
        &self.increments
    }

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
fn suggest<'a>(given: &str, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
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

/// Finds a cycle in the "is a regression of" graph, returned as the ids along it.
fn find_regression_cycle(exercises: &[Exercise], by_id: &HashMap<String, usize>) -> Option<Vec<String>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    const INC: &str = "[increments]\nbarbell = { kg = 2.5, lb = 5.0 }\ndumbbell = { kg = 2.0, lb = 5.0 }\n";

    fn ex(id: &str, extra: &str) -> String {
        format!(
            r#"
[[exercise]]
id = "{id}"
name = "{id} name"
pattern = "hinge"
equipment = ["barbell"]
load_type = "external"
skill = 1
reps = [5, 8]
increment = "barbell"
flare_safe = false
spinal = {{ compression = 2, shear = 2, flexion = 1, extension = 1, rotation = 0 }}
{extra}
"#
        )
    }

    fn issues(text: &str) -> Vec<String> {
        match Catalog::from_toml_str(text, "test") {
            Ok(_) => vec![],
            Err(CatalogError::Invalid { issues, .. }) => issues.iter().map(|i| i.to_string()).collect(),
            Err(e) => vec![e.to_string()],
        }
    }

    fn assert_issue(text: &str, needle: &str) {
        let found = issues(text);
        assert!(
            found.iter().any(|i| i.contains(needle)),
            "expected {needle:?} in {found:#?}"
        );
    }

    #[test]
    fn builtin_catalog_is_valid_and_large_enough() {
        let c = match Catalog::builtin() {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        assert!(
            c.exercises().len() >= 80,
            "only {} exercises",
            c.exercises().len()
        );
        for p in [
            Pattern::VerticalPull,
            Pattern::HorizontalPull,
            Pattern::Hinge,
            Pattern::HipExtension,
            Pattern::Squat,
            Pattern::Lunge,
            Pattern::TrunkAntiExtension,
            Pattern::TrunkAntiRotation,
            Pattern::TrunkLateral,
            Pattern::TrunkFlexion,
            Pattern::Carry,
            Pattern::Scapular,
            Pattern::Mobility,
            Pattern::Conditioning,
        ] {
            assert!(c.exercises().iter().any(|e| e.pattern == p), "no {p} exercise");
        }
        assert!(
            c.exercises()
                .iter()
                .any(|e| e.flare_safe && e.pattern == Pattern::Conditioning)
        );
    }

    /// The clinical corrections: "measured" only where a lab measured it, and the values that study gives.
    #[test]
    fn measured_means_measured_and_the_corrected_values_hold() {
        let c = Catalog::builtin().unwrap();
        for e in c.exercises() {
            for d in e.spinal.measured.iter() {
                assert!(
                    matches!(d, Direction::Compression | Direction::Shear),
                    "{}: nobody measured a {} demand",
                    e.id,
                    d.as_str()
                );
            }
        }
        let get = |id: &str| c.get(id).unwrap().spinal;
        // Sumo differs from the conventional pull by about 8 % in shear (Cholewicki 1991): the same band.
        assert_eq!(get("sumo-deadlift").shear, get("conventional-deadlift").shear);
        // The T-bar row has the barbell row's posture.
        assert_eq!(
            (get("t-bar-row").compression, get("t-bar-row").shear),
            (
                get("barbell-bent-over-row").compression,
                get("barbell-bent-over-row").shear
            )
        );
        // The swing's shear is small and backwards (McGill & Marshall 2012); the sit-up's load is compression.
        assert_eq!(get("kettlebell-swing").shear, 1);
        assert_eq!((get("sit-up").compression, get("sit-up").shear), (2, 1));
        // The bird dog stays low (Callaghan 1998).
        assert_eq!(get("bird-dog").compression, 1);
        // The older whole-row `basis` still reads: "measured" meant compression.
        let old: SpinalDemand = toml::from_str(
            r#"compression = 1
shear = 1
flexion = 0
extension = 1
rotation = 1
basis = "measured""#,
        )
        .unwrap();
        assert!(old.measured.contains(Direction::Compression) && !old.measured.contains(Direction::Rotation));
        let twice = toml::from_str::<SpinalDemand>(
            r#"compression = 1
shear = 1
flexion = 0
extension = 1
rotation = 1
measured = ["shear", "shear"]"#,
        );
        assert!(twice.unwrap_err().to_string().contains("twice"));
    }

    #[test]
    fn builtin_catalog_uses_domain_values_where_measured() {
        let c = Catalog::builtin().unwrap();
        let row = c.resolve("Bent Over Row (Barbell)").unwrap();
        assert_eq!(row.spinal.compression, 3);
        assert!(row.spinal.measured.contains(Direction::Compression));
        assert!(!row.spinal.measured.contains(Direction::Flexion));
        let csr = c
            .resolve("chest-supported-row")
            .or_else(|_| c.resolve("chest-supported-dumbbell-row"));
        let csr = csr.unwrap();
        assert!(csr.spinal.compression <= 1 && csr.spinal.shear <= 1);
        for name in [
            "Lat Pulldown (Cable)",
            "Deadlift (Barbell)",
            "Romanian Deadlift (Barbell)",
            "Seated Row (Cable)",
        ] {
            assert!(c.resolve(name).is_ok(), "{name} does not resolve");
        }
    }

    #[test]
    fn a_minimal_catalog_loads() {
        let c = Catalog::from_toml_str(&format!("{INC}{}", ex("deadlift", "")), "t").unwrap();
        assert_eq!(c.exercises().len(), 1);
        let d = c.get("deadlift").unwrap();
        assert_eq!(c.increment(d, WeightUnit::Lb), Some(5.0));
        assert!(d.is_high_demand(&[]));
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = Catalog::from_toml_str("[[exercise]]\nid = \n", "mine.toml").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("mine.toml") && msg.contains("line 2"), "{msg}");
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let t = format!("{INC}{}", ex("a", "colour = \"red\""));
        assert!(matches!(
            Catalog::from_toml_str(&t, "t"),
            Err(CatalogError::Syntax { .. })
        ));
    }

    #[test]
    fn duplicate_ids() {
        assert_issue(&format!("{INC}{}{}", ex("a", ""), ex("a", "")), "duplicate id");
    }

    #[test]
    fn bad_ids() {
        assert_issue(&format!("{INC}{}", ex("Bad_Id", "")), "kebab-case");
        assert_issue(&format!("{INC}{}", ex("a--b", "")), "kebab-case");
    }

    #[test]
    fn duplicate_aliases_across_exercises_and_against_names() {
        let t = format!(
            "{INC}{}{}",
            ex("a", "aliases = [\"Row\"]"),
            ex("b", "aliases = [\"  row \"]")
        );
        assert_issue(&t, "already used");
        let t = format!("{INC}{}{}", ex("a", ""), ex("b", "aliases = [\"A NAME\"]"));
        assert_issue(&t, "already used");
    }

    #[test]
    fn unknown_and_self_references() {
        assert_issue(
            &format!("{INC}{}{}", ex("a", "regressions = [\"bb\"]"), ex("b", "")),
            "unknown exercise \"bb\"",
        );
        assert_issue(
            &format!("{INC}{}", ex("a", "progressions = [\"a\"]")),
            "lists itself",
        );
    }

    #[test]
    fn regression_cycles() {
        let t = format!(
            "{INC}{}{}{}",
            ex("a", "regressions = [\"b\"]"),
            ex("b", "regressions = [\"c\"]"),
            ex("c", "regressions = [\"a\"]")
        );
        assert_issue(&t, "cycle: a -> b -> c -> a");
        // A diamond is not a cycle.
        let t = format!(
            "{INC}{}{}{}{}",
            ex("a", "regressions = [\"b\", \"c\"]"),
            ex("b", "regressions = [\"d\"]"),
            ex("c", "regressions = [\"d\"]"),
            ex("d", "")
        );
        assert!(issues(&t).is_empty());
    }

    #[test]
    fn values_out_of_range() {
        let t = format!(
            "{INC}{}",
            ex("a", "").replace("compression = 2", "compression = 4")
        );
        assert_issue(&t, "compression 4");
        let t = format!("{INC}{}", ex("a", "").replace("skill = 1", "skill = 7"));
        assert_issue(&t, "skill 7");
        let t = format!("{INC}{}", ex("a", "").replace("reps = [5, 8]", "reps = [9, 8]"));
        assert_issue(&t, "must start above 0");
        let t = format!("{INC}{}", ex("a", "").replace("reps = [5, 8]", "reps = [0, 8]"));
        assert_issue(&t, "must start above 0");
        let t = format!(
            "[increments]\nbarbell = {{ kg = 0.0, lb = 5.0 }}\n{}",
            ex("a", "")
        );
        assert_issue(&t, "increment for barbell");
    }

    #[test]
    fn ranges_must_fit_the_load_type() {
        let t = format!(
            "{INC}{}",
            ex("a", "").replace("reps = [5, 8]", "seconds = [5, 8]")
        );
        assert_issue(&t, "needs a `reps` range");
        let t = format!(
            "{INC}{}",
            ex("a", "").replace("load_type = \"external\"", "load_type = \"timed\"")
        );
        assert_issue(&t, "needs a `seconds` range");
    }

    #[test]
    fn increments_must_exist_and_fit() {
        let t = format!("{INC}{}", ex("a", "").replace("increment = \"barbell\"", ""));
        assert_issue(&t, "needs an `increment`");
        let t = format!(
            "{INC}{}",
            ex("a", "").replace("increment = \"barbell\"", "increment = \"machine\"")
        );
        assert_issue(&t, "no entry in [increments]");
        let t = format!(
            "{INC}{}",
            ex("a", "").replace("load_type = \"external\"", "load_type = \"bodyweight\"")
        );
        assert_issue(&t, "only external-load");
    }

    #[test]
    fn resolve_by_id_name_alias_and_suggest() {
        let t = format!(
            "{INC}{}{}",
            ex("romanian-deadlift", "aliases = [\"RDL\"]"),
            ex("deadlift", "")
        );
        let c = Catalog::from_toml_str(&t, "t").unwrap();
        assert_eq!(c.resolve("rdl").unwrap().id, "romanian-deadlift");
        assert_eq!(c.resolve("Romanian Deadlift").unwrap().id, "romanian-deadlift");
        assert_eq!(c.resolve("  DEADLIFT name ").unwrap().id, "deadlift");
        let e = c.resolve("romanian-deadlfit").unwrap_err();
        assert_eq!(
            e.suggestions.first().map(String::as_str),
            Some("romanian-deadlift")
        );
        assert!(e.to_string().contains("did you mean romanian-deadlift"));
        let e = c.resolve("zzzz").unwrap_err();
        assert!(e.suggestions.is_empty());
    }

    #[test]
    fn custom_exercises_are_validated_against_the_builtin_ones() {
        let base = Catalog::from_toml_str(&format!("{INC}{}", ex("deadlift", "")), "t").unwrap();
        let mine =
            Catalog::parse_exercises(&ex("my-row", "regressions = [\"deadlift\"]"), "mine.toml").unwrap();
        let c = base.with_custom(&mine, "your exercises").unwrap();
        assert!(c.is_custom("my-row"));
        assert!(!c.is_custom("deadlift"));
        let clash = Catalog::parse_exercises(&ex("deadlift", ""), "mine.toml").unwrap();
        assert!(base.with_custom(&clash, "your exercises").is_err());
        assert!(Catalog::parse_exercises("", "empty.toml").is_err());
    }

    #[test]
    fn search_ranks_primary_matches_first() {
        let c = Catalog::builtin().unwrap();
        let hits = c.search("row");
        assert!(!hits.is_empty());
        assert!(hits[0].id.contains("row") || hits[0].name.to_lowercase().contains("row"));
        assert!(c.search("qqqqq").is_empty());
    }
}
