//! The session document (`backstop log --file`) and the set shape shared by `history --json`.
//!
//! Syntax and field errors (with line and column) come from the JSON reader at the edge; this module checks
//! what JSON cannot: that each exercise exists, that a set's dose fits the exercise, and that the time reads.

use jiff::Timestamp;
use jiff::civil::Time;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, LoadType};
use crate::facts::{Dose, Felt, Session, SetEntry, SetKind};
use crate::units::{Load, Metres, Minutes, Pain, Reps, Rpe, Seconds, WeightUnit};

/// One set in a session document or in `history --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetDoc {
    /// Catalog id, name or alias.
    pub exercise: String,
    /// Repetitions (for rep-based exercises).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    /// Seconds (for timed exercises).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<u32>,
    /// Metres (for carries and walks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metres: Option<u32>,
    /// Load in kilograms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_kg: Option<f64>,
    /// Load in pounds (instead of `load_kg`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_lb: Option<f64>,
    /// Effort of the set, 1–10 in halves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpe: Option<Rpe>,
    /// Pain during the set, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain: Option<Pain>,
    /// Where it was felt: target, back or leg.
    #[serde(default)]
    pub felt: Felt,
    /// Form broke down.
    #[serde(default)]
    pub form_breakdown: bool,
    /// normal (default), warmup, drop or failure.
    #[serde(default, skip_serializing_if = "SetKind::is_normal")]
    pub kind: SetKind,
}

/// A whole session as a JSON document.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionDoc {
    /// Start time; `YYYY-MM-DD HH:MM` in the profile's zone or RFC 3339. Missing means now.
    #[serde(default)]
    pub at: Option<String>,
    /// Pain before the session.
    #[serde(default)]
    pub pain_before: Option<Pain>,
    /// Length in minutes.
    #[serde(default)]
    pub minutes: Option<Minutes>,
    /// Session RPE.
    #[serde(default)]
    pub session_rpe: Option<Rpe>,
    /// The sets.
    pub sets: Vec<SetDoc>,
}

/// A document that read as JSON but does not make a valid session.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {message}")]
pub struct DocError {
    /// Where in the document ("sets[2].exercise", "at").
    pub place: String,
    /// What is wrong.
    pub message: String,
}

fn doc_err(place: impl Into<String>, message: impl ToString) -> DocError {
    DocError {
        place: place.into(),
        message: message.to_string(),
    }
}

impl SetDoc {
    /// Validates one set against the catalog; `place` names it in errors.
    pub fn to_entry(&self, catalog: &Catalog, place: &str) -> Result<SetEntry, DocError> {
        let ex = catalog
            .resolve(&self.exercise)
            .map_err(|e| doc_err(format!("{place}.exercise"), e))?;
        let given: Vec<&str> = [
            ("reps", self.reps),
            ("seconds", self.seconds),
            ("metres", self.metres),
        ]
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(n, _)| *n)
        .collect();
        let wanted = match ex.load_type {
            LoadType::External | LoadType::Bodyweight => "reps",
            LoadType::Timed => "seconds",
            LoadType::Distance => "metres",
        };
        if given != [wanted] {
            return Err(doc_err(
                place,
                format!(
                    "{} needs exactly one of reps/seconds/metres: `{wanted}` (got: {})",
                    ex.id,
                    if given.is_empty() {
                        "none".to_owned()
                    } else {
                        given.join(", ")
                    }
                ),
            ));
        }
        let dose = match wanted {
            "reps" => Reps::new(self.reps.unwrap_or(0)).map(Dose::Reps),
            "seconds" => Seconds::new(self.seconds.unwrap_or(0)).map(Dose::Seconds),
            _ => Metres::new(self.metres.unwrap_or(0)).map(Dose::Metres),
        }
        .map_err(|e| doc_err(format!("{place}.{wanted}"), e))?;
        let load = match (self.load_kg, self.load_lb) {
            (Some(_), Some(_)) => return Err(doc_err(place, "give load_kg or load_lb, not both")),
            (Some(v), None) => {
                Some(Load::from_unit(v, WeightUnit::Kg).map_err(|e| doc_err(format!("{place}.load_kg"), e))?)
            }
            (None, Some(v)) => {
                Some(Load::from_unit(v, WeightUnit::Lb).map_err(|e| doc_err(format!("{place}.load_lb"), e))?)
            }
            (None, None) => None,
        };
        Ok(SetEntry {
            exercise: ex.id.clone(),
            dose,
            load,
            rpe: self.rpe,
            pain: self.pain,
            felt: self.felt,
            form_breakdown: self.form_breakdown,
            kind: self.kind,
        })
    }

    /// The document form of a stored set, with the load in the person's unit.
    pub fn from_entry(s: &SetEntry, unit: WeightUnit) -> SetDoc {
        let (reps, seconds, metres) = match s.dose {
            Dose::Reps(r) => (Some(u32::from(r.get())), None, None),
            Dose::Seconds(x) => (None, Some(x.get()), None),
            Dose::Metres(m) => (None, None, Some(m.get())),
        };
        let load = s.load.map(|l| l.in_unit(unit));
        SetDoc {
            exercise: s.exercise.clone(),
            reps,
            seconds,
            metres,
            load_kg: if unit == WeightUnit::Kg { load } else { None },
            load_lb: if unit == WeightUnit::Lb { load } else { None },
            rpe: s.rpe,
            pain: s.pain,
            felt: s.felt,
            form_breakdown: s.form_breakdown,
            kind: s.kind,
        }
    }
}

impl SessionDoc {
    /// Validates the document into a session. `at_override` (from `--at`) wins over the document's `at`;
    /// `now` applies when neither is given.
    pub fn to_session(
        &self,
        catalog: &Catalog,
        tz: &TimeZone,
        at_override: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<Session, DocError> {
        let at = match (at_override, &self.at) {
            (Some(t), _) => t,
            (None, Some(s)) => crate::time::parse_instant(s, tz, Time::constant(12, 0, 0, 0))
                .map_err(|e| doc_err("at", e))?,
            (None, None) => now,
        };
        if self.sets.is_empty() {
            return Err(doc_err("sets", "a session needs at least one set"));
        }
        let sets = self
            .sets
            .iter()
            .enumerate()
            .map(|(i, s)| s.to_entry(catalog, &format!("sets[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Session {
            at,
            pain_before: self.pain_before,
            minutes: self.minutes,
            session_rpe: self.session_rpe,
            sets,
            notes: None,
            source: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat() -> Catalog {
        Catalog::builtin().unwrap()
    }

    fn doc(json_sets: Vec<SetDoc>) -> SessionDoc {
        SessionDoc {
            at: Some("2026-11-20 18:00".into()),
            pain_before: None,
            minutes: None,
            session_rpe: None,
            sets: json_sets,
        }
    }

    fn set(ex: &str) -> SetDoc {
        SetDoc {
            exercise: ex.into(),
            reps: Some(10),
            seconds: None,
            metres: None,
            load_kg: Some(30.0),
            load_lb: None,
            rpe: None,
            pain: None,
            felt: Felt::Target,
            form_breakdown: false,
            kind: SetKind::Normal,
        }
    }

    #[test]
    fn converts_and_round_trips() {
        let tz = TimeZone::UTC;
        let now = Timestamp::UNIX_EPOCH;
        let d = doc(vec![set("Bent Over Row (Barbell)")]);
        let s = d.to_session(&cat(), &tz, None, now).unwrap();
        assert_eq!(s.at.to_string(), "2026-11-20T18:00:00Z");
        let back = SetDoc::from_entry(&s.sets[0], WeightUnit::Kg);
        assert_eq!(back.load_kg, Some(30.0));
        assert_eq!(back.to_entry(&cat(), "x").unwrap(), s.sets[0]);
        let lb = SetDoc::from_entry(&s.sets[0], WeightUnit::Lb);
        assert_eq!(lb.load_kg, None);
        assert_eq!(lb.load_lb, Some(66.14));
    }

    #[test]
    fn errors_name_the_place() {
        let tz = TimeZone::UTC;
        let now = Timestamp::UNIX_EPOCH;
        let mut bad = set("nope-row");
        let e = doc(vec![set("Bent Over Row (Barbell)"), bad.clone()])
            .to_session(&cat(), &tz, None, now)
            .unwrap_err();
        assert_eq!(e.place, "sets[1].exercise");
        bad.exercise = "Bent Over Row (Barbell)".into();
        bad.seconds = Some(30);
        let e = doc(vec![bad.clone()])
            .to_session(&cat(), &tz, None, now)
            .unwrap_err();
        assert!(e.message.contains("exactly one"), "{e}");
        bad.seconds = None;
        bad.load_lb = Some(10.0);
        assert!(
            doc(vec![bad.clone()])
                .to_session(&cat(), &tz, None, now)
                .unwrap_err()
                .message
                .contains("not both")
        );
        bad.load_lb = None;
        bad.load_kg = Some(-1.0);
        assert_eq!(
            doc(vec![bad])
                .to_session(&cat(), &tz, None, now)
                .unwrap_err()
                .place,
            "sets[0].load_kg"
        );
        let mut d = doc(vec![set("Bent Over Row (Barbell)")]);
        d.at = Some("last tuesday".into());
        assert_eq!(d.to_session(&cat(), &tz, None, now).unwrap_err().place, "at");
        assert_eq!(
            doc(vec![]).to_session(&cat(), &tz, None, now).unwrap_err().place,
            "sets"
        );
    }
}
