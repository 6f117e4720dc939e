//! Integration tests of backstop-import: one synthetic file per known layout (`tests/data/`), real exports kept beside
//! the repository when they are there (see `real.rs`), and fuzzing.

#![allow(clippy::unwrap_used, missing_docs)]

mod fitnotes;
mod fuzz;
mod hevy;
mod real;
mod strong;

use std::sync::OnceLock;

use backstop_core::{Catalog, Dose, Metres, Reps, Seconds, WeightUnit};
use backstop_import::{ImportError, ImportOptions, Imported, SetKind, import};
use jiff::tz::{self, TimeZone};

/// The built-in catalog, loaded once.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().unwrap())
}

/// A synthetic fixture's text.
pub fn data(name: &str) -> String {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Options with a unit (or none) and a fixed UTC offset in hours.
pub fn opts(unit: Option<WeightUnit>, hours: i8) -> ImportOptions {
    ImportOptions {
        unit,
        tz: TimeZone::fixed(tz::offset(hours)),
        ..ImportOptions::default()
    }
}

/// Imports text.
pub fn run(text: &str, opts: &ImportOptions) -> Result<Imported, ImportError> {
    import(text.as_bytes(), catalog(), opts, &mut |_| {})
}

/// Imports a synthetic fixture, which must succeed.
pub fn fixture(name: &str, opts: &ImportOptions) -> Imported {
    run(&data(name), opts).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The exercise ids of a session's sets.
pub fn ids(i: &Imported, session: usize) -> Vec<&str> {
    i.sessions[session]
        .session
        .sets
        .iter()
        .map(|s| s.exercise.as_str())
        .collect()
}

/// The loads of a session's sets in grams.
pub fn loads(i: &Imported, session: usize) -> Vec<Option<u32>> {
    i.sessions[session]
        .session
        .sets
        .iter()
        .map(|s| s.load.map(|l| l.grams()))
        .collect()
}

/// The RPEs of a session's sets in half points.
pub fn rpes(i: &Imported, session: usize) -> Vec<Option<u8>> {
    i.sessions[session]
        .session
        .sets
        .iter()
        .map(|s| s.rpe.map(|r| r.halves()))
        .collect()
}

/// A session's set kinds.
pub fn kinds(i: &Imported, session: usize) -> Vec<SetKind> {
    i.sessions[session].set_kinds()
}

/// A session's start in UTC, as RFC 3339.
pub fn utc(i: &Imported, session: usize) -> String {
    i.sessions[session].session.at.to_string()
}

/// A session's length in minutes.
pub fn minutes(i: &Imported, session: usize) -> Option<u16> {
    i.sessions[session].session.minutes.map(|m| m.get())
}

/// The lines of the skipped rows.
pub fn skipped_lines(i: &Imported) -> Vec<u64> {
    i.report.skipped.iter().map(|s| s.line).collect()
}

pub fn reps(n: u32) -> Dose {
    Dose::Reps(Reps::new(n).unwrap())
}

pub fn secs(n: u32) -> Dose {
    Dose::Seconds(Seconds::new(n).unwrap())
}

pub fn metres(n: u32) -> Dose {
    Dose::Metres(Metres::new(n).unwrap())
}

/// Checks what must hold for every import: counts add up, kinds match sets, sessions are in order, every set's
/// exercise exists, and the new exercises are accepted by the catalog.
pub fn check_invariants(i: &Imported) {
    let r = &i.report;
    assert_eq!(r.sessions, i.sessions.len());
    assert_eq!(
        r.sets,
        i.sessions.iter().map(|s| s.session.sets.len()).sum::<usize>()
    );
    assert!(r.sets as u64 + r.skipped.len() as u64 + r.rest_timer_rows <= r.rows);
    assert_eq!(r.format, i.format.as_str());
    assert_eq!(r.unmapped_exercises.len(), i.new_exercises.len());
    for s in &i.sessions {
        assert!(!s.source_key().is_empty());
        assert!(!s.session.sets.is_empty());
        assert!(s.first_line >= 1);
        for set in &s.session.sets {
            let known = catalog().get(&set.exercise).is_some()
                || i.new_exercises.iter().any(|e| e.id == set.exercise);
            assert!(known, "{} is neither in the catalog nor new", set.exercise);
        }
    }
    for w in i.sessions.windows(2) {
        assert!(w[0].session.at <= w[1].session.at);
    }
    assert_eq!(r.first, i.sessions.first().map(|s| s.session.at));
    assert_eq!(r.last, i.sessions.last().map(|s| s.session.at));
    if let Err(e) = catalog().with_custom(&i.new_exercises, "imported") {
        panic!("new exercises rejected: {e}");
    }
    for s in &r.skipped {
        assert!(s.line >= 1);
    }
}
