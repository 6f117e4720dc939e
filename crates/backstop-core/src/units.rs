//! Exact units that can only be built valid: pain, RPE, load, reps, seconds, metres and minutes.
//!
//! Loads are kept in grams and converted to kilograms or pounds only at the edges, so that a value entered in
//! pounds and read back in pounds never drifts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A value that failed validation, with the field it was meant for and the accepted range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {value:?} is not valid: {expected}")]
pub struct UnitError {
    /// The field that was being read (for example "pain").
    pub field: &'static str,
    /// The value as it was given.
    pub value: String,
    /// What would have been accepted.
    pub expected: &'static str,
}

impl UnitError {
    fn new(field: &'static str, value: impl fmt::Display, expected: &'static str) -> Self {
        Self {
            field,
            value: value.to_string(),
            expected,
        }
    }
}

/// A pain rating on the 0–10 numeric rating scale (NPRS): 0 no pain, 10 the worst imaginable.
///
/// ```
/// use backstop_core::Pain;
/// assert_eq!("4".parse::<Pain>().unwrap().value(), 4);
/// assert!(Pain::new(11).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Pain(u8);

impl Pain {
    /// No pain at all.
    pub const ZERO: Pain = Pain(0);

    /// The highest rating: the worst pain imaginable.
    pub const MAX: u8 = 10;

    /// Builds a pain rating, refusing anything outside 0–10.
    pub fn new(value: u8) -> Result<Self, UnitError> {
        if value <= Self::MAX {
            Ok(Self(value))
        } else {
            Err(UnitError::new(
                "pain",
                value,
                "a whole number from 0 (none) to 10 (worst imaginable)",
            ))
        }
    }

    /// The rating as a number.
    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Pain {
    type Error = UnitError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Pain> for u8 {
    fn from(p: Pain) -> u8 {
        p.0
    }
}

impl FromStr for Pain {
    type Err = UnitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let v: u8 = t.parse().map_err(|_| {
            UnitError::new("pain", t, "a whole number from 0 (none) to 10 (worst imaginable)")
        })?;
        Self::new(v)
    }
}

impl fmt::Display for Pain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Rating of perceived exertion on the CR-10 scale, 1–10 in steps of 0.5; kept internally as half points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Rpe(u8);

impl Rpe {
    const EXPECTED: &'static str = "a number from 1 to 10 in steps of 0.5";

    /// Builds an RPE from a number such as 7 or 7.5.
    pub fn new(value: f64) -> Result<Self, UnitError> {
        let halves = value * 2.0;
        if value.is_finite() && (1.0..=10.0).contains(&value) && (halves - halves.round()).abs() < 1e-9 {
            Ok(Self(halves.round() as u8))
        } else {
            Err(UnitError::new("RPE", value, Self::EXPECTED))
        }
    }

    /// Builds an RPE from its half-point count (2 = RPE 1, 20 = RPE 10).
    pub fn from_halves(halves: u8) -> Result<Self, UnitError> {
        if (2..=20).contains(&halves) {
            Ok(Self(halves))
        } else {
            Err(UnitError::new("RPE", f64::from(halves) / 2.0, Self::EXPECTED))
        }
    }

    /// The value in half points (2–20), the form it is stored in.
    pub fn halves(self) -> u8 {
        self.0
    }

    /// The value as a number (7.5).
    pub fn value(self) -> f64 {
        f64::from(self.0) / 2.0
    }
}

impl TryFrom<f64> for Rpe {
    type Error = UnitError;
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Rpe> for f64 {
    fn from(r: Rpe) -> f64 {
        r.value()
    }
}

impl FromStr for Rpe {
    type Err = UnitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let v: f64 = t.parse().map_err(|_| UnitError::new("RPE", t, Self::EXPECTED))?;
        Self::new(v)
    }
}

impl fmt::Display for Rpe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(2) {
            write!(f, "{}", self.0 / 2)
        } else {
            write!(f, "{}.5", self.0 / 2)
        }
    }
}

/// The unit a person thinks in for load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum WeightUnit {
    /// Kilograms.
    #[default]
    Kg,
    /// Pounds.
    Lb,
}

impl WeightUnit {
    /// Grams in one of this unit.
    pub fn grams_per_unit(self) -> f64 {
        match self {
            WeightUnit::Kg => 1000.0,
            WeightUnit::Lb => GRAMS_PER_POUND,
        }
    }

    /// The unit's short name.
    pub fn as_str(self) -> &'static str {
        match self {
            WeightUnit::Kg => "kg",
            WeightUnit::Lb => "lb",
        }
    }
}

impl FromStr for WeightUnit {
    type Err = UnitError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "kg" | "kgs" | "kilo" | "kilos" | "kilograms" => Ok(WeightUnit::Kg),
            "lb" | "lbs" | "pound" | "pounds" => Ok(WeightUnit::Lb),
            other => Err(UnitError::new("unit", other, "kg or lb")),
        }
    }
}

impl fmt::Display for WeightUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The international avoirdupois pound, exactly.
pub const GRAMS_PER_POUND: f64 = 453.592_37;

/// The heaviest load accepted for one set (1,000 kg): anything above is a typing mistake, not a lift.
pub const MAX_LOAD_GRAMS: u32 = 1_000_000;

/// An external load in whole grams.
///
/// ```
/// use backstop_core::{Load, WeightUnit};
/// let l = Load::from_unit(90.0, WeightUnit::Lb).unwrap();
/// assert_eq!(l.in_unit(WeightUnit::Lb), 90.0);
/// assert_eq!(l.display(WeightUnit::Kg), "40.82 kg");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Load(u32);

impl Load {
    /// Builds a load from grams, refusing absurd values.
    pub fn from_grams(grams: u32) -> Result<Self, UnitError> {
        if grams <= MAX_LOAD_GRAMS {
            Ok(Self(grams))
        } else {
            Err(UnitError::new(
                "load",
                format!("{grams} g"),
                "at most 1000 kg (2204 lb)",
            ))
        }
    }

    /// Builds a load from a number in the given unit (40 kg, 90 lb), rounded to the nearest gram.
    pub fn from_unit(value: f64, unit: WeightUnit) -> Result<Self, UnitError> {
        if !value.is_finite() || value < 0.0 {
            return Err(UnitError::new(
                "load",
                value,
                "a number of kg or lb, zero or more",
            ));
        }
        let grams = (value * unit.grams_per_unit()).round();
        if grams > f64::from(MAX_LOAD_GRAMS) {
            return Err(UnitError::new(
                "load",
                format!("{value} {unit}"),
                "at most 1000 kg (2204 lb); check the number and its unit",
            ));
        }
        Ok(Self(grams as u32))
    }

    /// The load in grams.
    pub fn grams(self) -> u32 {
        self.0
    }

    /// The load in the given unit, rounded to two decimals (so 90 lb entered reads back as 90).
    pub fn in_unit(self, unit: WeightUnit) -> f64 {
        let v = f64::from(self.0) / unit.grams_per_unit();
        (v * 100.0).round() / 100.0
    }

    /// The load written for people: "42.5 kg".
    pub fn display(self, unit: WeightUnit) -> String {
        format!("{} {}", format_number(self.in_unit(unit)), unit)
    }
}

impl TryFrom<u32> for Load {
    type Error = UnitError;
    fn try_from(value: u32) -> Result<Self, Self::Error> {
        Self::from_grams(value)
    }
}

impl From<Load> for u32 {
    fn from(l: Load) -> u32 {
        l.0
    }
}

/// Epley's ratio of a one-rep max to a load that could be lifted `reps_to_failure` times (the reps done plus those
/// left in reserve): 1 + reps / 30. Every one-rep-max estimate in backstop goes through it: the spinal weight of a set
/// (CA-2), a load the logged effort calls light (PG-4) and a proposed first load (PG-7).
pub fn epley(reps_to_failure: f64) -> f64 {
    1.0 + reps_to_failure / 30.0
}

/// Formats a number without a useless ".0" ("40", "42.5", "61.23").
pub fn format_number(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}

macro_rules! bounded_count {
    ($(#[$doc:meta])* $name:ident, $inner:ty, $field:literal, $min:expr, $max:expr, $expected:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "u32", into = "u32")]
        pub struct $name($inner);

        impl $name {
            /// The smallest accepted value.
            pub const MIN: $inner = $min;
            /// The largest accepted value (anything above is a typing mistake).
            pub const MAX: $inner = $max;

            /// Builds the value, refusing anything outside its range.
            pub fn new(value: u32) -> Result<Self, UnitError> {
                if (u32::from(Self::MIN)..=u32::from(Self::MAX)).contains(&value) {
                    Ok(Self(value as $inner))
                } else {
                    Err(UnitError::new($field, value, $expected))
                }
            }

            /// The value as a number.
            pub fn get(self) -> $inner {
                self.0
            }
        }

        impl TryFrom<u32> for $name {
            type Error = UnitError;
            fn try_from(value: u32) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl From<$name> for u32 {
            fn from(v: $name) -> u32 {
                u32::from(v.0)
            }
        }

        impl FromStr for $name {
            type Err = UnitError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim();
                let v: u32 = t.parse().map_err(|_| UnitError::new($field, t, $expected))?;
                Self::new(v)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

bounded_count!(
    /// Repetitions in one set, 1–999: calf raises of 120 and crunches of 150 are real sets.
    Reps, u16, "reps", 1, 999, "a whole number of repetitions from 1 to 999"
);
bounded_count!(
    /// The length of a timed set or activity in seconds, 1 s to 4 h.
    Seconds, u32, "seconds", 1, 14_400, "a whole number of seconds from 1 to 14400 (4 hours)"
);
bounded_count!(
    /// A distance in metres for carries and walks, 1 m to 50 km.
    Metres, u32, "metres", 1, 50_000, "a whole number of metres from 1 to 50000"
);
bounded_count!(
    /// The length of a session in minutes, 1 to 600.
    Minutes, u16, "minutes", 1, 600, "a whole number of minutes from 1 to 600"
);
bounded_count!(
    /// Morning stiffness on a 0–10 scale (0 none, 10 the worst imaginable).
    Stiffness, u8, "stiffness", 0, 10, "a whole number from 0 (none) to 10"
);
bounded_count!(
    /// Number of sets in one group of the compact notation, 1–20.
    SetCount, u8, "sets", 1, 20, "a number of sets from 1 to 20"
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pain_accepts_0_to_10_only() {
        assert!(Pain::new(0).is_ok());
        assert!(Pain::new(10).is_ok());
        let e = Pain::new(11).unwrap_err();
        assert_eq!(e.field, "pain");
        assert!(e.to_string().contains("11"));
        assert!("abc".parse::<Pain>().is_err());
        assert!("-1".parse::<Pain>().is_err());
        assert_eq!(" 4 ".parse::<Pain>().unwrap().value(), 4);
    }

    #[test]
    fn rpe_halves() {
        assert_eq!(Rpe::new(7.5).unwrap().halves(), 15);
        assert_eq!(Rpe::new(10.0).unwrap().to_string(), "10");
        assert_eq!(Rpe::new(6.5).unwrap().to_string(), "6.5");
        for bad in [0.0, 0.5, 10.5, 7.3, f64::NAN, f64::INFINITY, -3.0] {
            assert!(Rpe::new(bad).is_err(), "{bad} accepted");
        }
        assert!(Rpe::from_halves(1).is_err());
        assert!(Rpe::from_halves(21).is_err());
    }

    #[test]
    fn load_conversions_round_trip_in_the_users_unit() {
        let l = Load::from_unit(90.0, WeightUnit::Lb).unwrap();
        assert_eq!(l.grams(), 40_823);
        assert_eq!(l.in_unit(WeightUnit::Lb), 90.0);
        assert_eq!(
            Load::from_unit(42.5, WeightUnit::Kg)
                .unwrap()
                .display(WeightUnit::Kg),
            "42.5 kg"
        );
        assert!(Load::from_unit(-5.0, WeightUnit::Kg).is_err());
        assert!(Load::from_unit(f64::NAN, WeightUnit::Kg).is_err());
        assert!(Load::from_unit(1000.0, WeightUnit::Kg).is_ok());
        assert!(Load::from_unit(1000.01, WeightUnit::Kg).is_err());
        assert!(Load::from_unit(2300.0, WeightUnit::Lb).is_err());
    }

    #[test]
    fn counts_have_bounds() {
        assert!(Reps::new(0).is_err());
        assert!(Reps::new(999).is_ok() && Reps::new(1000).is_err());
        assert!(Minutes::new(601).is_err());
        assert!("12".parse::<Reps>().is_ok());
        assert!("x".parse::<Seconds>().is_err());
    }

    #[test]
    fn number_formatting() {
        assert_eq!(format_number(40.0), "40");
        assert_eq!(format_number(42.5), "42.5");
        assert_eq!(format_number(61.23), "61.23");
        assert_eq!(format_number(0.0), "0");
    }

    proptest! {
        #[test]
        fn any_load_in_range_reads_back_within_a_hundredth(v in 0.0f64..1000.0, lb in any::<bool>()) {
            let unit = if lb { WeightUnit::Lb } else { WeightUnit::Kg };
            let v = (v * 100.0).round() / 100.0;
            if let Ok(l) = Load::from_unit(v, unit) {
                prop_assert!((l.in_unit(unit) - v).abs() <= 0.01 + 1e-9);
            }
        }

        #[test]
        fn pain_parse_matches_range(n in 0u32..300) {
            let parsed = n.to_string().parse::<Pain>();
            prop_assert_eq!(parsed.is_ok(), n <= 10);
        }
    }
}
