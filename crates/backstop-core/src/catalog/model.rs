//! The catalog's data model: an exercise, its dosing, its spinal demands and how its load goes up.

use super::*;

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
pub(crate) struct SpinalDemandDoc {
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

    pub(crate) fn axes(&self) -> [(&'static str, u8); 5] {
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
pub(crate) struct CatalogFile {
    #[serde(default)]
    pub(crate) increments: BTreeMap<Equipment, Increment>,
    #[serde(default, rename = "exercise")]
    pub(crate) exercises: Vec<Exercise>,
}
