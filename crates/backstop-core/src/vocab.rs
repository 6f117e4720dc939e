//! Closed vocabularies shared by the catalog, the CLI and the web forms (listed in `docs/cli.md`).
//!
//! Each is a kebab-case name list; parsing an unknown name is an error that lists the accepted ones.

use std::fmt;
use std::str::FromStr;

/// A name that is not part of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {given:?}; expected one of: {}", .accepted.join(", "))]
pub struct UnknownName {
    /// The vocabulary ("equipment", "pattern", …).
    pub kind: &'static str,
    /// What was given.
    pub given: String,
    /// Every accepted name.
    pub accepted: Vec<&'static str>,
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $kind:literal { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in a stable order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The kebab-case name used in files, flags and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Every accepted name.
            pub fn names() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim().to_ascii_lowercase();
                match t.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownName { kind: $kind, given: s.trim().to_owned(), accepted: Self::names() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

vocabulary!(
    /// Movement patterns: the catalog's `pattern`, the planner's slots and the hard-set keys.
    Pattern, "pattern" {
        /// Pulling down from overhead.
        VerticalPull => "vertical-pull",
        /// Rowing towards the trunk.
        HorizontalPull => "horizontal-pull",
        /// Hip hinge under load (deadlift family).
        Hinge => "hinge",
        /// Hip extension with little spinal loading (thrust, bridge, pull-through).
        HipExtension => "hip-extension",
        /// Squats.
        Squat => "squat",
        /// Lunges, split squats, step-ups.
        Lunge => "lunge",
        /// Resisting arching (planks, dead bug, rollout).
        TrunkAntiExtension => "trunk-anti-extension",
        /// Resisting twisting (Pallof press, bird dog).
        TrunkAntiRotation => "trunk-anti-rotation",
        /// Resisting side bending (side plank, suitcase work).
        TrunkLateral => "trunk-lateral",
        /// Bending the trunk forward (curl-up, crunch, sit-up).
        TrunkFlexion => "trunk-flexion",
        /// Extending the spine itself (superman, prone press-up).
        BackExtension => "back-extension",
        /// Loaded carries.
        Carry => "carry",
        /// Shoulder-blade and rear-delt work.
        Scapular => "scapular",
        /// Spine warm-up and mobility.
        Mobility => "mobility",
        /// Walking, cycling and other easy conditioning.
        Conditioning => "conditioning",
        /// Presses, for complete imported histories.
        Push => "push",
    }
);

vocabulary!(
    /// Training equipment a person has access to.
    Equipment, "equipment" {
        /// Barbell and plates.
        Barbell => "barbell",
        /// Dumbbells.
        Dumbbell => "dumbbell",
        /// Kettlebells.
        Kettlebell => "kettlebell",
        /// A cable station.
        Cable => "cable",
        /// Selectorised or plate-loaded machines.
        Machine => "machine",
        /// A bench.
        Bench => "bench",
        /// A pull-up bar.
        PullUpBar => "pull-up-bar",
        /// Resistance bands.
        Band => "band",
        /// A trap (hex) bar.
        TrapBar => "trap-bar",
        /// A landmine attachment.
        Landmine => "landmine",
        /// Nothing but the body (always available).
        Bodyweight => "bodyweight",
    }
);

vocabulary!(
    /// Muscles an exercise trains.
    Muscle, "muscle" {
        /// Latissimus dorsi.
        Lats => "lats",
        /// Upper back in general.
        UpperBack => "upper-back",
        /// Rhomboids.
        Rhomboids => "rhomboids",
        /// Middle trapezius.
        MidTraps => "mid-traps",
        /// Upper trapezius.
        UpperTraps => "upper-traps",
        /// Rear deltoids.
        RearDelts => "rear-delts",
        /// Front deltoids.
        FrontDelts => "front-delts",
        /// Side deltoids.
        SideDelts => "side-delts",
        /// Biceps.
        Biceps => "biceps",
        /// Triceps.
        Triceps => "triceps",
        /// Forearms and grip.
        Forearms => "forearms",
        /// Chest.
        Chest => "chest",
        /// Spinal erectors.
        Erectors => "erectors",
        /// Glutes.
        Glutes => "glutes",
        /// Hamstrings.
        Hamstrings => "hamstrings",
        /// Quadriceps.
        Quads => "quads",
        /// Adductors.
        Adductors => "adductors",
        /// Calves.
        Calves => "calves",
        /// Abdominals.
        Abs => "abs",
        /// Obliques.
        Obliques => "obliques",
        /// Hip flexors.
        HipFlexors => "hip-flexors",
        /// Rotator cuff.
        RotatorCuff => "rotator-cuff",
    }
);

vocabulary!(
    /// Days of the week a person can train.
    Weekday, "day" {
        /// Monday.
        Mon => "mon",
        /// Tuesday.
        Tue => "tue",
        /// Wednesday.
        Wed => "wed",
        /// Thursday.
        Thu => "thu",
        /// Friday.
        Fri => "fri",
        /// Saturday.
        Sat => "sat",
        /// Sunday.
        Sun => "sun",
    }
);

vocabulary!(
    /// What makes the back worse (the starting sensitivity hypothesis, ES-1 in `docs/rules.md`).
    Aggravator, "aggravator" {
        /// Prolonged sitting.
        Sitting => "sitting",
        /// Bending forward.
        Bending => "bending",
        /// Getting up from a chair.
        SitToStand => "sit-to-stand",
        /// Worse in the mornings.
        Mornings => "mornings",
        /// Prolonged standing.
        Standing => "standing",
        /// Walking.
        Walking => "walking",
        /// Arching backwards.
        Arching => "arching",
        /// Working overhead.
        Overhead => "overhead",
        /// Lying face down.
        LyingProne => "lying-prone",
        /// Lifting.
        Lifting => "lifting",
        /// Carrying.
        Carrying => "carrying",
        /// Jumping.
        Jumping => "jumping",
        /// Twisting.
        Twisting => "twisting",
        /// Carrying on one side.
        OneSidedCarrying => "one-sided-carrying",
        /// Coughing or sneezing.
        Coughing => "coughing",
    }
);

vocabulary!(
    /// The sensitivity categories (ES-1 … ES-5 in `docs/rules.md`).
    Sensitivity, "sensitivity" {
        /// Worse with flexion and sitting.
        Flexion => "flexion",
        /// Worse with extension, standing and overhead work.
        Extension => "extension",
        /// Worse with axial load and carrying.
        Load => "load",
        /// Worse with twisting and one-sided work.
        Rotation => "rotation",
        /// Widespread, no clear direction.
        NonDirectional => "non-directional",
    }
);

vocabulary!(
    /// The five spinal directions the catalog rates every exercise on (`spinal`), and that a cause of pain can be
    /// found at (CA-2).
    Direction, "direction" {
        /// Axial compression.
        Compression => "compression",
        /// Shear.
        Shear => "shear",
        /// Spinal flexion.
        Flexion => "flexion",
        /// Spinal extension.
        Extension => "extension",
        /// Rotation or side bending.
        Rotation => "rotation",
    }
);

impl Direction {
    /// Its position in `Direction::ALL`, for arrays indexed by direction (`SpinalDemand::by_direction`).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The sensitivity category a back that reacts to this direction falls in (compression and shear are both
    /// "load").
    pub fn category(self) -> Sensitivity {
        match self {
            Direction::Compression | Direction::Shear => Sensitivity::Load,
            Direction::Flexion => Sensitivity::Flexion,
            Direction::Extension => Sensitivity::Extension,
            Direction::Rotation => Sensitivity::Rotation,
        }
    }
}

impl Weekday {
    /// The matching jiff weekday.
    pub fn to_jiff(self) -> jiff::civil::Weekday {
        use jiff::civil::Weekday as W;
        match self {
            Weekday::Mon => W::Monday,
            Weekday::Tue => W::Tuesday,
            Weekday::Wed => W::Wednesday,
            Weekday::Thu => W::Thursday,
            Weekday::Fri => W::Friday,
            Weekday::Sat => W::Saturday,
            Weekday::Sun => W::Sunday,
        }
    }
}

impl Aggravator {
    /// The sensitivity category this aggravator points to (§5.2), as a starting hypothesis only (ES-5).
    pub fn suggests(self) -> Sensitivity {
        use Aggravator::*;
        match self {
            Sitting | Bending | SitToStand | Mornings => Sensitivity::Flexion,
            Standing | Walking | Arching | Overhead | LyingProne => Sensitivity::Extension,
            Lifting | Carrying | Jumping | Coughing => Sensitivity::Load,
            Twisting | OneSidedCarrying => Sensitivity::Rotation,
        }
    }
}

/// Parses a comma-separated list of vocabulary names ("barbell,cable"), refusing unknown ones and dropping
/// repeats. An empty string gives an empty list.
pub fn parse_list<T: FromStr<Err = UnknownName> + Ord>(s: &str) -> Result<Vec<T>, UnknownName> {
    let mut out: Vec<T> = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let v = part.parse()?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out.sort();
    Ok(out)
}

/// The starting sensitivity hypothesis from a list of aggravators (ES-1, ES-5): every category that at least
/// one aggravator points to; many categories at once (three or more) reads as non-directional.
pub fn sensitivity_hypothesis(aggravators: &[Aggravator]) -> Vec<Sensitivity> {
    let mut cats: Vec<Sensitivity> = aggravators.iter().map(|a| a.suggests()).collect();
    cats.sort();
    cats.dedup();
    if cats.len() >= 3 {
        return vec![Sensitivity::NonDirectional];
    }
    cats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directions_index_is_its_place_in_all_and_in_a_demand_array() {
        let d = crate::catalog::SpinalDemand {
            compression: 1,
            shear: 2,
            flexion: 3,
            extension: 0,
            rotation: 1,
            measured: crate::catalog::Measured::NONE,
        };
        for (k, dir) in Direction::ALL.iter().enumerate() {
            assert_eq!(dir.index(), k);
            assert_eq!(d.by_direction()[dir.index()], d.along(*dir));
        }
    }

    #[test]
    fn names_round_trip() {
        for p in Pattern::ALL {
            assert_eq!(p.as_str().parse::<Pattern>().unwrap(), *p);
        }
        for e in Equipment::ALL {
            assert_eq!(e.as_str().parse::<Equipment>().unwrap(), *e);
        }
        assert_eq!(Equipment::ALL.len(), 11);
        assert_eq!(Pattern::ALL.len(), 16);
        assert_eq!(Aggravator::ALL.len(), 15);
    }

    #[test]
    fn unknown_name_lists_the_accepted_ones() {
        let e = "pullup-bar".parse::<Equipment>().unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("pullup-bar") && msg.contains("pull-up-bar"), "{msg}");
    }

    #[test]
    fn list_parsing() {
        let l: Vec<Weekday> = parse_list("wed, mon,mon").unwrap();
        assert_eq!(l, vec![Weekday::Mon, Weekday::Wed]);
        assert!(parse_list::<Weekday>("mon,funday").is_err());
        assert!(parse_list::<Weekday>("").unwrap().is_empty());
    }

    #[test]
    fn hypothesis_from_aggravators() {
        use Aggravator::*;
        assert_eq!(
            sensitivity_hypothesis(&[Sitting, Bending]),
            vec![Sensitivity::Flexion]
        );
        assert_eq!(
            sensitivity_hypothesis(&[Sitting, Arching]),
            vec![Sensitivity::Flexion, Sensitivity::Extension]
        );
        assert_eq!(
            sensitivity_hypothesis(&[Sitting, Arching, Twisting]),
            vec![Sensitivity::NonDirectional]
        );
        assert!(sensitivity_hypothesis(&[]).is_empty());
    }
}
