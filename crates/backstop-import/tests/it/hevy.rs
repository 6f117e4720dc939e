//! Hevy: kg and lb accounts, both date styles, the 2023 `;` file without `superset_id`.

use backstop_core::WeightUnit;
use backstop_core::catalog::LoadType;
use backstop_import::{Format, SetKind};

use crate::{check_invariants, fixture, ids, kinds, loads, metres, minutes, opts, rpes, secs, utc};

#[test]
fn kg_account_newest_first_with_set_types_notes_and_cardio() {
    let i = fixture("hevy_kg.csv", &opts(None, 2));
    check_invariants(&i);
    assert_eq!(i.format, Format::Hevy);
    assert_eq!((i.report.rows, i.sessions.len(), i.report.sets), (7, 2, 7));
    assert!(i.report.skipped.is_empty());

    // The file lists the newest workout first; sessions come out oldest first.
    let morning = &i.sessions[0];
    assert_eq!(
        morning.source_key(),
        "hevy:2026-04-07T10:14:00:Morning workout ☀️"
    );
    assert_eq!(morning.title.as_deref(), Some("Morning workout ☀️"));
    assert_eq!(morning.first_line, 5);
    assert_eq!(utc(&i, 0), "2026-04-07T08:14:00Z");
    assert_eq!(minutes(&i, 0), Some(48));
    assert_eq!(
        ids(&i, 0),
        vec![
            "back-squat",
            "back-squat",
            "romanian-deadlift",
            "imported-treadmill"
        ]
    );
    assert_eq!(
        kinds(&i, 0),
        vec![SetKind::Normal, SetKind::Drop, SetKind::Failure, SetKind::Normal]
    );
    assert_eq!(
        loads(&i, 0),
        vec![Some(100_000), Some(80_000), Some(61_250), None]
    );
    assert_eq!(rpes(&i, 0)[0], Some(17));
    assert_eq!(morning.session.sets[3].dose, metres(1200));
    assert_eq!(
        morning.notes(),
        Some("Legs, then core\nSquat (Barbell): Belt on\ntop sets")
    );

    let evening = &i.sessions[1];
    assert_eq!(evening.first_line, 2);
    assert_eq!(utc(&i, 1), "2026-04-08T16:30:00Z");
    assert_eq!(minutes(&i, 1), Some(45));
    assert_eq!(ids(&i, 1), vec!["lat-pulldown", "lat-pulldown", "front-plank"]);
    assert_eq!(
        kinds(&i, 1),
        vec![SetKind::Warmup, SetKind::Normal, SetKind::Normal]
    );
    assert_eq!(rpes(&i, 1), vec![None, Some(16), None]);
    assert_eq!(evening.session.sets[2].dose, secs(60));
    assert_eq!(evening.notes(), None);

    assert_eq!(i.report.unmapped_exercises, vec!["Treadmill"]);
    assert_eq!(i.new_exercises[0].load_type, LoadType::Distance);
}

#[test]
fn lb_account_resaved_without_quotes() {
    let i = fixture("hevy_lb.csv", &opts(None, 0));
    check_invariants(&i);
    assert_eq!((i.report.rows, i.sessions.len(), i.report.sets), (5, 2, 5));
    assert_eq!(utc(&i, 0), "2025-03-10T18:00:00Z");
    assert_eq!(minutes(&i, 0), Some(40));
    assert_eq!(ids(&i, 0), vec!["walking"]);
    // 2 miles.
    assert_eq!(i.sessions[0].session.sets[0].dose, metres(3219));
    // "7:07" without a leading zero.
    assert_eq!(utc(&i, 1), "2025-03-12T07:07:00Z");
    assert_eq!(minutes(&i, 1), Some(53));
    assert_eq!(
        ids(&i, 1),
        vec!["bench-press", "bench-press", "bench-press", "push-up"]
    );
    // 45 lb, 135 lb and 137.5 lb.
    assert_eq!(loads(&i, 1), vec![Some(20_412), Some(61_235), Some(62_369), None]);
    assert_eq!(kinds(&i, 1)[0], SetKind::Warmup);
    assert_eq!(rpes(&i, 1)[2], Some(18));
}

#[test]
fn us_locale_twelve_hour_clock_and_supersets() {
    let i = fixture("hevy_us12h.csv", &opts(None, -4));
    check_invariants(&i);
    assert_eq!((i.report.rows, i.sessions.len(), i.report.sets), (4, 2, 4));
    // 12:30 AM is half past midnight.
    assert_eq!(utc(&i, 0), "2026-06-09T04:30:00Z");
    assert_eq!(minutes(&i, 0), Some(35));
    assert_eq!(ids(&i, 0), vec!["chin-up", "face-pull"]);
    assert_eq!(loads(&i, 0), vec![None, Some(20_000)]);
    assert_eq!(utc(&i, 1), "2026-06-11T17:01:00Z");
    assert_eq!(minutes(&i, 1), Some(69));
    assert_eq!(loads(&i, 1), vec![Some(140_000), Some(140_000)]);
}

#[test]
fn the_2023_semicolon_file_without_superset_id() {
    // A unit option is not needed (the column says kg) and does not override it.
    let i = fixture("hevy_2023_semicolon.csv", &opts(Some(WeightUnit::Lb), 0));
    check_invariants(&i);
    assert_eq!(i.format, Format::Hevy);
    assert_eq!((i.report.rows, i.sessions.len(), i.report.sets), (3, 1, 3));
    assert_eq!(utc(&i, 0), "2023-01-15T17:45:00Z");
    assert_eq!(minutes(&i, 0), Some(65));
    assert_eq!(
        ids(&i, 0),
        vec!["bench-press", "bench-press", "conventional-deadlift"]
    );
    // "62,5" has a decimal comma.
    assert_eq!(loads(&i, 0), vec![Some(60_000), Some(62_500), Some(100_000)]);
    assert_eq!(kinds(&i, 0), vec![SetKind::Normal; 3]);
}
