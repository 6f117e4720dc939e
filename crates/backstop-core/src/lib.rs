//! backstop's pure core: units, the exercise catalog, facts, and the rules that turn a history of facts into
//! decisions.
//!
//! Nothing here does IO, reads a clock or the environment: time, time zones and the catalog text come in as
//! parameters (enforced by this crate's `clippy.toml`), so every decision can be replayed and tested.

pub mod catalog;
pub mod document;
pub mod engine;
pub mod facts;
pub mod ladder;
pub mod load;
pub mod notation;
pub mod plan;
pub mod redflags;
pub mod rules;
#[cfg(test)]
pub(crate) mod testkit;
pub mod time;
pub mod triage;
pub mod units;
pub mod vocab;

pub use catalog::{Catalog, CatalogError, Exercise, UnknownExercise};
pub use facts::{
    CheckIn, Clearance, Dose, Felt, FlareEvent, FlareMark, LegReach, Profile, Screening, ScreeningContext,
    Session, SetEntry, SetKind,
};
pub use units::{Load, Metres, Minutes, Pain, Reps, Rpe, Seconds, Stiffness, UnitError, WeightUnit};
