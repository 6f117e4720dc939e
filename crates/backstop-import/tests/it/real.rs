//! Real exports published by other people, read from a folder beside the repository when it is there (CI has
//! it; a fresh clone does not, and these tests then skip with a message). Their files may not be copied in. Each test prints
//! "skipping" and passes when the folder is absent, as it is in a fresh clone.
//!
//! The expected numbers were computed independently of this crate, with a Python script reading each CSV with
//! Python's `csv` module and applying the same rules (see the crate's report for the method).

use std::path::PathBuf;

use backstop_core::WeightUnit;
use backstop_import::{Format, ImportError, Imported, SetKind};

use crate::{check_invariants, ids, loads, minutes, opts, reps, run, utc};

fn export(name: &str) -> Option<String> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/exports"
    ));
    if !dir.is_dir() {
        eprintln!(
            "skipping: {} is absent (the real exports live outside the repository)",
            dir.display()
        );
        return None;
    }
    let path = dir.join(name);
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

fn count_kind(i: &Imported, kind: SetKind) -> usize {
    i.sessions
        .iter()
        .flat_map(|s| s.set_kinds())
        .filter(|k| *k == kind)
        .count()
}

#[test]
fn strong_v4_ys_math() {
    let Some(text) = export("strong_v4_nonotes_ys-math.csv") else {
        return;
    };
    // The file does not say kg or lb and has non-zero weights.
    let e = run(&text, &opts(None, 0)).unwrap_err();
    assert!(matches!(e, ImportError::UnitNeeded { line: 2 }), "{e:?}");

    let i = run(&text, &opts(Some(WeightUnit::Kg), 0)).unwrap();
    check_invariants(&i);
    assert_eq!(i.format, Format::Strong);
    assert_eq!(i.report.rows, 666);
    assert_eq!(i.sessions.len(), 37);
    assert_eq!(i.report.sets, 666);
    assert!(i.report.skipped.is_empty(), "{:?}", i.report.skipped);
    assert_eq!(i.report.rest_timer_rows, 0);
    assert_eq!(count_kind(&i, SetKind::Warmup), 162);
    assert_eq!(count_kind(&i, SetKind::Normal), 504);
    assert_eq!(
        sorted(&i.report.unmapped_exercises),
        vec!["Hammer Curl (Dumbbell)", "Preacher Curl (Barbell)"]
    );
    assert_eq!(utc(&i, 0), "2026-04-24T09:40:00Z");
    assert_eq!(
        i.sessions[0].source_key(),
        "strong:2026-04-24T09:40:00:Upper Body"
    );
    assert_eq!(minutes(&i, 0), Some(51));
    assert_eq!(ids(&i, 0)[0], "bench-press");
    assert_eq!(loads(&i, 0)[0], Some(40_000));
    assert_eq!(i.sessions[0].session.sets[0].dose, reps(10));
    assert_eq!(
        i.report.last.map(|t| t.to_string()).as_deref(),
        Some("2026-07-22T14:14:23Z")
    );
    assert_eq!(minutes(&i, 36), Some(67));
    assert!(i.sessions.iter().all(|s| s.session.minutes.is_some()));
}

#[test]
fn strong6_dravenbc() {
    let Some(text) = export("strong6_semicolon_dravenbc.csv") else {
        return;
    };
    let i = run(&text, &opts(None, 0)).unwrap();
    check_invariants(&i);
    assert_eq!(i.format, Format::Strong6);
    assert_eq!(i.report.rows, 266);
    assert_eq!(i.sessions.len(), 20);
    assert_eq!(i.report.sets, 266);
    assert!(i.report.skipped.is_empty(), "{:?}", i.report.skipped);
    assert_eq!(i.report.rest_timer_rows, 0);
    assert_eq!(i.report.unmapped_exercises.len(), 12);
    assert_eq!(
        sorted(&i.report.unmapped_exercises),
        vec![
            "Barbell Wrist Curl",
            "Bicep Curl (Barbell)",
            "Bicep Curl (Dumbbell)",
            "Cable Crossover",
            "Chest Fly (Dumbbell)",
            "Concentration Curl (Dumbbell)",
            "Dumbell Kickback",
            "Hammer Curl (Dumbbell)",
            "Ohio State",
            "Pec Deck (Machine)",
            "Reverse Curl (Dumbbell)",
            "Triceps Pushdown (Cable - Straight Bar)",
        ]
    );
    assert_eq!(i.sessions[0].source_key(), "strong6:1:2025-03-09T14:08:49");
    assert_eq!(utc(&i, 0), "2025-03-09T14:08:49Z");
    assert_eq!(minutes(&i, 0), Some(76));
    // "61.23492" kg is 135 lb.
    assert_eq!(ids(&i, 0)[0], "bench-press");
    assert_eq!(loads(&i, 0)[0], Some(61_235));
    assert_eq!(i.sessions[0].session.sets[0].dose, reps(5));
    assert_eq!(utc(&i, 19), "2025-04-17T18:59:45Z");
    assert_eq!(minutes(&i, 19), Some(96));
}

#[test]
fn fitnotes_lukaszebedin() {
    let Some(text) = export("fitnotes_weightunit_lukaszebedin.csv") else {
        return;
    };
    let i = run(&text, &opts(None, 0)).unwrap();
    check_invariants(&i);
    assert_eq!(i.format, Format::FitNotes);
    assert_eq!(i.report.rows, 2495);
    assert_eq!(i.sessions.len(), 124);
    assert_eq!(i.report.sets, 2492);
    let skipped: Vec<u64> = i.report.skipped.iter().map(|s| s.line).collect();
    assert_eq!(skipped, vec![38, 39, 40]);
    assert!(i.report.skipped.iter().all(|s| s.reason.contains("0 reps")));
    assert_eq!(i.report.unmapped_exercises.len(), 26);
    assert!(
        i.report
            .unmapped_exercises
            .iter()
            .any(|n| n == "EZ-Bar Preacher Curl")
    );
    assert!(i.report.unmapped_exercises.iter().any(|n| n == "Rope Push Down"));
    assert_eq!(utc(&i, 0), "2023-11-21T12:00:00Z");
    assert_eq!(i.sessions[0].source_key(), "fitnotes:2023-11-21");
    assert_eq!(ids(&i, 0)[0], "pull-up");
    assert_eq!(loads(&i, 0)[0], Some(64_000));
    assert_eq!(utc(&i, 123), "2025-06-22T12:00:00Z");
    assert!(i.sessions.iter().all(|s| s.session.minutes.is_none()));
}
