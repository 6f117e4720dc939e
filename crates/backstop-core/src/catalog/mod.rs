//! The exercise catalog: exercises with their spinal demands, doses, regressions and cues.
//!
//! The built-in catalog is the data file `data/exercises.toml` (format in `docs/catalog-format.md`), embedded in
//! the binary (as JSON, which the build script writes from it and which reads several times faster) and validated
//! whenever it is loaded. People add their own exercises, which are validated against
//! the built-in ones before they are accepted.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::units::WeightUnit;
use crate::vocab::{Direction, Equipment, Muscle, Pattern, Sensitivity};

mod model;
mod search;
mod validation;

pub use model::*;
pub use search::{MAX_NAME_CHARS, NO_SIMILAR_NAME, UnknownExercise, normalize_name};
use search::{did_you_mean, suggest};
pub use validation::{CatalogError, CatalogIssue};

/// The built-in catalog as text.
pub const BUILTIN_TOML: &str = include_str!("../../data/exercises.toml");

/// The same, as JSON: written by the build script from [`BUILTIN_TOML`], and what [`Catalog::builtin`] reads.
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/exercises.json"));

/// A digest of [`BUILTIN_TOML`], made by the build script: it stands for the built-in exercises in
/// [`Catalog::digest_into`].
const BUILTIN_DIGEST: &str = env!("BACKSTOP_CATALOG_DIGEST");

/// A validated catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    exercises: Vec<Exercise>,
    increments: BTreeMap<Equipment, Increment>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    custom_from: usize,
    /// Set when the exercises before `custom_from` are the built-in catalog's: [`BUILTIN_DIGEST`].
    builtin_digest: Option<&'static str>,
    /// [`Catalog::digest_into`]'s hash, worked out once (the built-in catalog is shared by every request).
    digest: std::sync::OnceLock<u64>,
}

impl Catalog {
    /// Feeds what the engine reads of the catalog (its exercises, in order, and the load increments) to `h`, for the
    /// fingerprint a fold checkpoint is kept under. The lookup maps are left out: their order changes per process.
    pub fn digest_into(&self, h: &mut impl std::hash::Hasher) {
        let digest = *self.digest.get_or_init(|| {
            use std::fmt::Write as _;
            use std::hash::Hasher as _;
            let mut own = std::hash::DefaultHasher::new();
            match self.builtin_digest {
                // The built-in exercises and increments are those of the data file the build digested: its digest
                // stands for them, and only the person's own exercises are written out.
                Some(builtin) => {
                    own.write(builtin.as_bytes());
                    let own_exercises = &self.exercises[self.custom_from.min(self.exercises.len())..];
                    let _ = write!(
                        crate::engine::HashWriter(&mut own),
                        "{own_exercises:?}{}",
                        self.custom_from
                    );
                }
                None => {
                    let mut w = crate::engine::HashWriter(&mut own);
                    let _ = write!(w, "{:?}{:?}{}", self.exercises, self.increments, self.custom_from);
                }
            }
            own.finish()
        });
        h.write_u64(digest);
    }

    /// The built-in catalog. It is validated by a unit test, so this only fails if the binary was built from a
    /// broken data file.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        let origin = "built-in catalog";
        let file: CatalogFile = serde_json::from_str(BUILTIN_JSON).map_err(|e| CatalogError::Syntax {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        let mut catalog = Catalog::build(file.exercises, file.increments, usize::MAX, origin)?;
        catalog.builtin_digest = Some(BUILTIN_DIGEST);
        Ok(catalog)
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
        let mut catalog = Catalog::build(all, self.increments.clone(), builtin_len, origin)?;
        catalog.builtin_digest = self.builtin_digest;
        Ok(catalog)
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
    fn the_builtin_catalog_read_from_its_json_is_the_data_file() {
        let from_json = Catalog::builtin().unwrap();
        let from_toml = Catalog::from_toml_str(BUILTIN_TOML, "built-in catalog").unwrap();
        assert_eq!(
            format!("{:?}", from_json.exercises()),
            format!("{:?}", from_toml.exercises())
        );
        assert_eq!(
            format!("{:?}", from_json.increments()),
            format!("{:?}", from_toml.increments())
        );
    }

    #[test]
    fn the_catalog_digest_follows_the_persons_own_exercises() {
        use std::hash::Hasher as _;
        let digest = |c: &Catalog| {
            let mut h = std::hash::DefaultHasher::new();
            c.digest_into(&mut h);
            h.finish()
        };
        let builtin = Catalog::builtin().unwrap();
        let mut own = Catalog::parse_exercises(&ex("towel-hinge", ""), "test").unwrap();
        let with_one = builtin.with_custom(&own, "test").unwrap();
        assert_eq!(digest(&builtin), digest(&Catalog::builtin().unwrap()));
        assert_ne!(digest(&builtin), digest(&with_one));
        assert_eq!(
            digest(&with_one),
            digest(&builtin.with_custom(&own, "test").unwrap())
        );
        own[0].reps = Some([6, 10]);
        assert_ne!(
            digest(&with_one),
            digest(&builtin.with_custom(&own, "test").unwrap())
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
        // Words every front end can show: no command of one of them in the core's message.
        assert!(e.to_string().ends_with(NO_SIMILAR_NAME), "{e}");
        assert!(!e.to_string().contains("backstop"), "{e}");
    }

    #[test]
    fn custom_exercises_are_validated_against_the_builtin_ones() {
        let base = Catalog::from_toml_str(&format!("{INC}{}", ex("deadlift", "")), "t").unwrap();
        let mine =
            Catalog::parse_exercises(&ex("my-row", "regressions = [\"deadlift\"]"), "mine.toml").unwrap();
        let c = base.with_custom(&mine, "your exercises").unwrap();
        assert!(c.is_custom("my-row"));
        assert!(!c.is_custom("deadlift"));
        // The person's own exercises are part of what a fold checkpoint is kept under; the same catalog built
        // again hashes alike.
        let digest = |c: &Catalog| {
            let mut h = std::hash::DefaultHasher::new();
            c.digest_into(&mut h);
            std::hash::Hasher::finish(&h)
        };
        assert_ne!(digest(&c), digest(&base));
        assert_eq!(
            digest(&c),
            digest(&base.with_custom(&mine, "your exercises").unwrap())
        );
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
