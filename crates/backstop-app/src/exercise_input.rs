//! A person's own exercise as the front ends collect it (CLI flags, a web form): the few things a person knows,
//! with the rest filled in the same way everywhere.

use backstop_core::Exercise;
use backstop_core::catalog::{LoadType, Measured, SpinalDemand};
use backstop_core::vocab::{Equipment, Muscle, Pattern};

use crate::AppError;

/// What a person says about an exercise of their own. [`ExerciseInput::into_exercise`] fills the rest; the catalog
/// then validates the whole (`App::add_exercises`).
#[derive(Debug, Clone, Default)]
pub struct ExerciseInput {
    /// Kebab-case id.
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// Movement pattern.
    pub pattern: Option<Pattern>,
    /// Equipment needed; bodyweight when none.
    pub equipment: Vec<Equipment>,
    /// How it is dosed; from the equipment and the range given when `None`.
    pub load_type: Option<LoadType>,
    /// Rep range; 8–12 for loaded and bodyweight work when none is given.
    pub reps: Option<[u32; 2]>,
    /// Hold range in seconds (timed work).
    pub seconds: Option<[u32; 2]>,
    /// Distance range in metres (carries).
    pub metres: Option<[u32; 2]>,
    /// Whose load step applies; the first loaded equipment when `None`.
    pub increment: Option<Equipment>,
    /// Demand on each direction, 0–3.
    pub compression: u8,
    /// Shear, 0–3.
    pub shear: u8,
    /// Flexion, 0–3.
    pub flexion: u8,
    /// Extension, 0–3.
    pub extension: u8,
    /// Rotation or side bending, 0–3.
    pub rotation: u8,
    /// Technical skill, 0–3.
    pub skill: u8,
    /// Muscles trained.
    pub muscles: Vec<Muscle>,
    /// Usable during a flare-up.
    pub flare_safe: bool,
    /// Other names.
    pub aliases: Vec<String>,
    /// Easier options, by id.
    pub regressions: Vec<String>,
    /// Harder options, by id.
    pub progressions: Vec<String>,
    /// Coaching cues.
    pub cues: Vec<String>,
    /// Common faults.
    pub faults: Vec<String>,
}

/// Equipment that carries a load of its own (a bench, a band or a bar to hang from does not).
fn carries_load(e: Equipment) -> bool {
    !matches!(
        e,
        Equipment::Bodyweight | Equipment::Bench | Equipment::Band | Equipment::PullUpBar
    )
}

impl ExerciseInput {
    /// The exercise, with the defaults filled in: bodyweight when no equipment is named; external load when the
    /// equipment carries a load, timed or distance work when a seconds or metres range is given, bodyweight
    /// otherwise; 8–12 reps for loaded and bodyweight work without a range; the load step of the first loaded
    /// equipment. Nothing is measured (the demands are the person's estimate). Fails when no pattern is given.
    pub fn into_exercise(self) -> Result<Exercise, AppError> {
        let pattern = self
            .pattern
            .ok_or_else(|| AppError::Input("choose the movement pattern".into()))?;
        let mut equipment = self.equipment;
        if equipment.is_empty() {
            equipment.push(Equipment::Bodyweight);
        }
        let loaded = equipment.iter().copied().find(|e| carries_load(*e));
        let load_type = self.load_type.unwrap_or(if self.seconds.is_some() {
            LoadType::Timed
        } else if self.metres.is_some() {
            LoadType::Distance
        } else if loaded.is_some() {
            LoadType::External
        } else {
            LoadType::Bodyweight
        });
        let reps = self
            .reps
            .or_else(|| matches!(load_type, LoadType::External | LoadType::Bodyweight).then_some([8, 12]));
        let increment = self
            .increment
            .or_else(|| (load_type == LoadType::External).then_some(loaded).flatten());
        Ok(Exercise {
            id: self.id,
            name: self.name,
            aliases: self.aliases,
            pattern,
            muscles: self.muscles,
            equipment,
            load_type,
            skill: self.skill,
            reps,
            seconds: self.seconds,
            metres: self.metres,
            increment,
            flare_safe: self.flare_safe,
            spinal: SpinalDemand {
                compression: self.compression,
                shear: self.shear,
                flexion: self.flexion,
                extension: self.extension,
                rotation: self.rotation,
                measured: Measured::NONE,
            },
            regressions: self.regressions,
            progressions: self.progressions,
            cues: self.cues,
            faults: self.faults,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(equipment: Vec<Equipment>) -> ExerciseInput {
        ExerciseInput {
            id: "my-row".into(),
            name: "My row".into(),
            pattern: Some(Pattern::HorizontalPull),
            equipment,
            ..Default::default()
        }
    }

    #[test]
    fn a_pattern_is_required() {
        let e = ExerciseInput {
            pattern: None,
            ..input(vec![])
        };
        assert!(matches!(e.into_exercise(), Err(AppError::Input(m)) if m.contains("pattern")));
    }

    #[test]
    fn defaults_follow_the_equipment_and_the_range_given() {
        let e = input(vec![]).into_exercise().unwrap();
        assert_eq!(e.equipment, vec![Equipment::Bodyweight]);
        assert_eq!(
            (e.load_type, e.reps, e.increment),
            (LoadType::Bodyweight, Some([8, 12]), None)
        );
        let e = input(vec![Equipment::Bench, Equipment::Dumbbell])
            .into_exercise()
            .unwrap();
        assert_eq!(
            (e.load_type, e.increment),
            (LoadType::External, Some(Equipment::Dumbbell)),
            "the first loaded equipment sets the load step"
        );
        let e = ExerciseInput {
            seconds: Some([20, 40]),
            ..input(vec![Equipment::Band])
        }
        .into_exercise()
        .unwrap();
        assert_eq!((e.load_type, e.reps), (LoadType::Timed, None));
        let e = ExerciseInput {
            metres: Some([20, 40]),
            ..input(vec![Equipment::Dumbbell])
        }
        .into_exercise()
        .unwrap();
        assert_eq!((e.load_type, e.increment), (LoadType::Distance, None));
        let e = ExerciseInput {
            reps: Some([5, 8]),
            load_type: Some(LoadType::Bodyweight),
            ..input(vec![Equipment::Dumbbell])
        }
        .into_exercise()
        .unwrap();
        assert_eq!(
            (e.load_type, e.reps, e.increment),
            (LoadType::Bodyweight, Some([5, 8]), None)
        );
    }
}
