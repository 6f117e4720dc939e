//! Reading posted forms: every field is read by name with its own error message, so a page can show the error
//! next to the field and keep what the person typed.

use std::collections::BTreeMap;

use backstop_core::units::Stiffness;
use backstop_core::{Minutes, Pain, Rpe};

/// A posted form as its name/value pairs (repeated names, as checkboxes send, are kept).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(transparent)]
pub struct FormData(pub Vec<(String, String)>);

/// Errors by field name.
pub type FieldErrors = BTreeMap<String, String>;

impl FormData {
    /// The first value of `name`, trimmed; `None` when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Every non-empty value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Whether a checkbox `name` was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v != "0" && v != "false" && v != "no")
    }

    /// The value as a string (empty when absent), to refill a field.
    pub fn value(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_owned()
    }

    /// A 0–10 pain score; `required` reports a missing one.
    pub fn pain(&self, name: &str, required: bool, errors: &mut FieldErrors) -> Option<Pain> {
        match self.get(name) {
            None if required => {
                errors.insert(name.into(), "choose a pain score from 0 to 10".into());
                None
            }
            None => None,
            Some(v) => match v.parse::<u8>().ok().and_then(|n| Pain::new(n).ok()) {
                Some(p) => Some(p),
                None => {
                    errors.insert(
                        name.into(),
                        format!("pain must be a whole number from 0 to 10, not {v:?}"),
                    );
                    None
                }
            },
        }
    }

    /// A 0–10 stiffness score.
    pub fn stiffness(&self, name: &str, errors: &mut FieldErrors) -> Option<Stiffness> {
        let v = self.get(name)?;
        match v.parse::<u32>().ok().and_then(|n| Stiffness::new(n).ok()) {
            Some(s) => Some(s),
            None => {
                errors.insert(
                    name.into(),
                    format!("stiffness must be a whole number from 0 to 10, not {v:?}"),
                );
                None
            }
        }
    }

    /// How far down the leg (buttock, thigh, below-knee); empty or missing is none.
    pub fn leg_reach(&self, name: &str, errors: &mut FieldErrors) -> Option<backstop_core::LegReach> {
        let v = self.get(name).filter(|v| !v.is_empty())?;
        match v.parse() {
            Ok(r) => Some(r),
            Err(e) => {
                errors.insert(name.into(), format!("{e}"));
                None
            }
        }
    }

    /// An RPE of 1–10 in halves.
    pub fn rpe(&self, name: &str, required: bool, errors: &mut FieldErrors) -> Option<Rpe> {
        match self.get(name) {
            None if required => {
                errors.insert(name.into(), "choose how hard it was, 1 to 10".into());
                None
            }
            None => None,
            Some(v) => match v
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .and_then(|n| Rpe::new(n).ok())
            {
                Some(r) => Some(r),
                None => {
                    errors.insert(
                        name.into(),
                        format!("RPE must be 1 to 10 in halves (e.g. 7.5), not {v:?}"),
                    );
                    None
                }
            },
        }
    }

    /// Minutes, 1–600.
    pub fn minutes(&self, name: &str, required: bool, errors: &mut FieldErrors) -> Option<Minutes> {
        match self.get(name) {
            None if required => {
                errors.insert(name.into(), "give the minutes, 1 to 600".into());
                None
            }
            None => None,
            Some(v) => match v.parse::<u32>().ok().and_then(|n| Minutes::new(n).ok()) {
                Some(m) => Some(m),
                None => {
                    errors.insert(
                        name.into(),
                        format!("minutes must be a whole number from 1 to 600, not {v:?}"),
                    );
                    None
                }
            },
        }
    }

    /// A positive whole number up to `max`.
    pub fn count(&self, name: &str, max: u32, what: &str, errors: &mut FieldErrors) -> Option<u32> {
        let v = self.get(name)?;
        match v.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => Some(n),
            _ => {
                errors.insert(
                    name.into(),
                    format!("{what} must be a whole number from 1 to {max}, not {v:?}"),
                );
                None
            }
        }
    }

    /// A load in the person's unit (0 or more, decimals allowed).
    pub fn load(&self, name: &str, errors: &mut FieldErrors) -> Option<f64> {
        let v = self.get(name)?;
        match v.replace(',', ".").parse::<f64>() {
            Ok(n) if n.is_finite() && n >= 0.0 => Some(n),
            _ => {
                errors.insert(
                    name.into(),
                    format!("load must be a number of 0 or more, not {v:?}"),
                );
                None
            }
        }
    }
}

/// How far down the leg, in words ("the thigh").
pub fn leg_reach_words(r: backstop_core::LegReach) -> &'static str {
    match r {
        backstop_core::LegReach::Buttock => "the buttock",
        backstop_core::LegReach::Thigh => "the thigh",
        backstop_core::LegReach::BelowKnee => "below the knee",
    }
}

/// The leg-reach radio buttons (value, label, chosen), with `none` first as the empty value.
pub fn leg_reach_choices(chosen: &str, none: &'static str) -> Vec<(&'static str, &'static str, bool)> {
    std::iter::once(("", none))
        .chain(
            backstop_core::LegReach::ALL
                .iter()
                .map(|r| (r.as_str(), leg_reach_words(*r))),
        )
        .map(|(v, l)| (v, l, v == chosen))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData(pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect())
    }

    #[test]
    fn fields_are_read_with_errors_named_by_field() {
        let f = form(&[
            ("pain", "11"),
            ("rpe", "7,5"),
            ("minutes", "0"),
            ("load", "-2"),
            ("reps", "x"),
        ]);
        let mut e = FieldErrors::new();
        assert_eq!(f.pain("pain", true, &mut e), None);
        assert_eq!(f.rpe("rpe", true, &mut e).map(|r| r.value()), Some(7.5));
        assert_eq!(f.minutes("minutes", true, &mut e), None);
        assert_eq!(f.load("load", &mut e), None);
        assert_eq!(f.count("reps", 100, "reps", &mut e), None);
        assert_eq!(f.pain("missing", true, &mut e), None);
        assert_eq!(f.pain("missing2", false, &mut e), None);
        let keys: Vec<&str> = e.keys().map(String::as_str).collect();
        assert_eq!(keys, ["load", "minutes", "missing", "pain", "reps"]);
        assert!(e["pain"].contains("0 to 10") && e["pain"].contains("11"));
    }

    #[test]
    fn repeated_names_and_blanks() {
        let f = form(&[
            ("equipment", "cable"),
            ("equipment", " "),
            ("equipment", "bench"),
            ("leg", "on"),
        ]);
        assert_eq!(f.all("equipment"), ["cable", "bench"]);
        assert!(f.checked("leg"));
        assert!(!f.checked("back"));
        assert_eq!(f.get("equipment"), Some("cable"));
    }
}
