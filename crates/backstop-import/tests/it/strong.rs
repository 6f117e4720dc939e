//! Strong: every layout, one synthetic file each.

use std::collections::HashMap;

use backstop_core::WeightUnit;
use backstop_core::catalog::LoadType;
use backstop_import::{Format, ImportError, ImportOptions, SetKind};

use crate::{
    check_invariants, data, fixture, ids, kinds, loads, metres, minutes, opts, reps, rpes, run, secs,
    skipped_lines, utc,
};

#[test]
fn v0_units_in_the_header_and_zero_based_set_order() {
    // `kg` and `km` in the header: no unit option needed.
    let i = fixture("strong_v0.csv", &opts(None, 1));
    check_invariants(&i);
    assert_eq!(i.format, Format::Strong);
    assert_eq!((i.report.rows, i.sessions.len(), i.report.sets), (4, 2, 4));
    assert!(i.report.skipped.is_empty());
    assert_eq!(utc(&i, 0), "2016-03-01T17:30:00Z");
    assert_eq!(i.sessions[0].source_key(), "strong:2016-03-01T18:30:00:Evening");
    assert_eq!(i.sessions[0].title.as_deref(), Some("Evening"));
    assert_eq!(minutes(&i, 0), None);
    assert_eq!(ids(&i, 0), vec!["bench-press", "bench-press", "front-plank"]);
    assert_eq!(loads(&i, 0), vec![Some(60_000), Some(62_500), None]);
    assert_eq!(i.sessions[0].session.sets[2].dose, secs(60));
    assert_eq!(i.sessions[0].notes(), Some("Plank: Hold it, breathe"));
    assert_eq!(kinds(&i, 0), vec![SetKind::Normal; 3]);
    assert_eq!(ids(&i, 1), vec!["imported-running"]);
    assert_eq!(i.sessions[1].session.sets[0].dose, metres(5200));
    assert_eq!(i.report.unmapped_exercises, vec!["Running"]);
    assert_eq!(i.new_exercises[0].load_type, LoadType::Distance);
    assert_eq!(i.new_exercises[0].metres, Some([20, 100]));
}

#[test]
fn v1_needs_a_unit() {
    let e = run(&data("strong_v1.csv"), &opts(None, 0)).unwrap_err();
    assert!(matches!(e, ImportError::UnitNeeded { line: 2 }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "line 2 has a weight, and the file does not say whether its weights are kg or lb"
    );
}

#[test]
fn v1_in_pounds() {
    let i = fixture("strong_v1.csv", &opts(Some(WeightUnit::Lb), 0));
    check_invariants(&i);
    assert_eq!((i.report.rows, i.sessions.len(), i.report.sets), (5, 2, 4));
    assert_eq!(skipped_lines(&i), vec![4]);
    assert!(
        i.report.skipped[0].reason.contains("0 reps"),
        "{:?}",
        i.report.skipped
    );
    assert_eq!(utc(&i, 0), "2019-05-04T09:15:00Z");
    assert_eq!(ids(&i, 0), vec!["back-squat", "back-squat", "pull-up"]);
    // 135 lb and 155 lb, to the gram.
    assert_eq!(loads(&i, 0), vec![Some(61_235), Some(70_307), None]);
    assert_eq!(i.sessions[0].notes(), Some("Felt good, slept 8h"));
    assert_eq!(ids(&i, 1), vec!["conventional-deadlift"]);
    assert_eq!(loads(&i, 1), vec![Some(102_058)]);
    assert_eq!(i.sessions[1].notes(), Some("Deadlift (Barbell): Mixed grip"));
}

#[test]
fn v2_rpe_column_and_an_invalid_rpe() {
    let i = fixture("strong_v2.csv", &opts(Some(WeightUnit::Kg), 0));
    check_invariants(&i);
    assert_eq!((i.sessions.len(), i.report.sets), (1, 4));
    assert!(i.report.skipped.is_empty());
    assert_eq!(rpes(&i, 0), vec![Some(16), Some(17), None, None]);
    assert!(
        i.report
            .notes
            .iter()
            .any(|n| n.contains("line 4") && n.contains("RPE")),
        "{:?}",
        i.report.notes
    );
    assert_eq!(ids(&i, 0)[3], "seated-cable-row");
    assert_eq!(
        loads(&i, 0),
        vec![Some(80_000), Some(80_000), Some(80_000), Some(60_000)]
    );
}

#[test]
fn v3_rest_timers_float_artefacts_notes_and_an_absurd_duration() {
    let i = fixture("strong_v3.csv", &opts(Some(WeightUnit::Lb), -5));
    check_invariants(&i);
    assert_eq!((i.report.rows, i.sessions.len(), i.report.sets), (7, 2, 5));
    assert_eq!(i.report.rest_timer_rows, 1);
    assert_eq!(skipped_lines(&i), vec![8]);
    assert!(
        i.report.skipped[0].reason.contains("weight"),
        "{:?}",
        i.report.skipped
    );

    assert_eq!(utc(&i, 0), "2024-01-15T12:05:12Z");
    assert_eq!(minutes(&i, 0), Some(65));
    assert_eq!(i.sessions[0].title.as_deref(), Some("Morning Lift"));
    assert_eq!(i.sessions[0].notes(), Some("Long day,\nback felt tight"));
    assert_eq!(i.sessions[0].first_line, 2);
    assert_eq!(
        ids(&i, 0),
        vec![
            "conventional-deadlift",
            "conventional-deadlift",
            "imported-total-abdominal",
            "farmers-carry"
        ]
    );
    // 245.00000000000003 lb and 149.99999999999997 lb are 245 lb and 150 lb.
    assert_eq!(
        loads(&i, 0),
        vec![Some(111_130), Some(68_039), None, Some(22_680)]
    );
    assert_eq!(rpes(&i, 0), vec![None, Some(18), None, None]);
    assert_eq!(i.sessions[0].session.sets[2].dose, reps(15));
    // 0.03 mi.
    assert_eq!(i.sessions[0].session.sets[3].dose, metres(48));

    // "54h 3m" is a timer left running.
    assert_eq!(minutes(&i, 1), None);
    assert!(
        i.report.notes.iter().any(|n| n.contains("54h 3m")),
        "{:?}",
        i.report.notes
    );
    assert_eq!(i.sessions[1].first_line, 8);
    assert_eq!(ids(&i, 1), vec!["bench-press"]);
    assert_eq!(loads(&i, 1), vec![Some(61_235)]);

    assert_eq!(i.report.unmapped_exercises, vec!["Total Abdominal"]);
    let ta = &i.new_exercises[0];
    assert_eq!(ta.name, "Total Abdominal");
    assert_eq!(ta.aliases, vec!["Total Abdominal ".to_owned()]);
    assert_eq!(ta.load_type, LoadType::Bodyweight);
}

#[test]
fn v3_with_bom_and_crlf_reads_the_same() {
    let text = data("strong_v3.csv");
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let o = opts(Some(WeightUnit::Lb), -5);
    let a = run(&text, &o).unwrap();
    let b = run(&crlf, &o).unwrap();
    assert_eq!(a.sessions, b.sessions);
    assert_eq!(a.report, b.report);
}

#[test]
fn v3_german_headers() {
    let i = fixture("strong_v3_german.csv", &opts(Some(WeightUnit::Kg), 2));
    check_invariants(&i);
    assert_eq!(i.format, Format::Strong);
    assert_eq!((i.sessions.len(), i.report.sets), (2, 4));
    assert_eq!(utc(&i, 0), "2021-06-12T08:00:00Z");
    assert_eq!(i.sessions[0].title.as_deref(), Some("Ganzkörper"));
    assert_eq!(minutes(&i, 0), Some(38));
    assert_eq!(minutes(&i, 1), Some(62));
    assert_eq!(
        ids(&i, 0),
        vec![
            "imported-kniebeuge-langhantel",
            "imported-kniebeuge-langhantel",
            "bench-press"
        ]
    );
    assert_eq!(loads(&i, 0), vec![Some(60_000), Some(62_500), Some(50_000)]);
    assert_eq!(rpes(&i, 0), vec![None, None, Some(14)]);
    assert_eq!(ids(&i, 1), vec!["front-plank"]);
    assert_eq!(i.sessions[1].session.sets[0].dose, secs(45));
    assert_eq!(i.report.unmapped_exercises, vec!["Kniebeuge (Langhantel)"]);
}

#[test]
fn v3_french_headers_and_a_user_mapping() {
    let i = fixture("strong_v3_french.csv", &opts(Some(WeightUnit::Kg), 0));
    check_invariants(&i);
    assert_eq!((i.sessions.len(), i.report.sets), (1, 3));
    assert_eq!(minutes(&i, 0), Some(45));
    assert_eq!(utc(&i, 0), "2023-02-20T19:30:00Z");
    assert_eq!(
        ids(&i, 0),
        vec![
            "imported-souleve-de-terre-barre",
            "conventional-deadlift",
            "conventional-deadlift"
        ]
    );
    assert_eq!(loads(&i, 0), vec![Some(100_000), Some(100_000), Some(102_500)]);
    assert_eq!(i.report.unmapped_exercises, vec!["Soulevé de terre (Barre)"]);

    let mut mapping = HashMap::new();
    mapping.insert(
        "soulevé de terre (barre)".to_owned(),
        "conventional-deadlift".to_owned(),
    );
    let o = ImportOptions {
        mapping,
        ..opts(Some(WeightUnit::Kg), 0)
    };
    let mapped = fixture("strong_v3_french.csv", &o);
    check_invariants(&mapped);
    assert!(mapped.report.unmapped_exercises.is_empty());
    assert!(mapped.new_exercises.is_empty());
    assert_eq!(ids(&mapped, 0), vec!["conventional-deadlift"; 3]);
}

#[test]
fn v4_set_types_and_a_short_workout() {
    let i = fixture("strong_v4.csv", &opts(Some(WeightUnit::Kg), 0));
    check_invariants(&i);
    assert_eq!((i.report.rows, i.sessions.len(), i.report.sets), (6, 2, 6));
    assert_eq!(
        kinds(&i, 0),
        vec![
            SetKind::Warmup,
            SetKind::Normal,
            SetKind::Normal,
            SetKind::Drop,
            SetKind::Failure
        ]
    );
    assert_eq!(
        loads(&i, 0),
        vec![
            Some(20_000),
            Some(40_000),
            Some(40_000),
            Some(30_000),
            Some(30_000)
        ]
    );
    assert_eq!(rpes(&i, 0)[2], Some(16));
    assert_eq!(minutes(&i, 0), Some(51));
    // "11s" rounds up to one minute.
    assert_eq!(minutes(&i, 1), Some(1));
    assert_eq!(ids(&i, 1), vec!["pull-up"]);
    assert_eq!(loads(&i, 1), vec![None]);
}

#[test]
fn android_semicolon_file_without_a_header() {
    // Units per row: no option needed.
    let i = fixture("strong_android.csv", &opts(None, 0));
    check_invariants(&i);
    assert_eq!(i.format, Format::StrongAndroid);
    assert_eq!(i.report.format, "strong-android");
    assert_eq!((i.report.rows, i.sessions.len(), i.report.sets), (6, 2, 5));
    assert_eq!(skipped_lines(&i), vec![6]);
    assert_eq!(utc(&i, 0), "2020-12-05T15:44:36Z");
    assert_eq!(
        ids(&i, 0),
        vec!["bench-press", "bench-press", "front-plank", "walking"]
    );
    assert_eq!(loads(&i, 0), vec![Some(61_235), Some(61_235), None, None]);
    assert_eq!(rpes(&i, 0), vec![None, Some(16), None, None]);
    assert_eq!(i.sessions[0].session.sets[2].dose, secs(90));
    // 1.5 mi.
    assert_eq!(i.sessions[0].session.sets[3].dose, metres(2414));
    assert_eq!(ids(&i, 1), vec!["seated-cable-row"]);
    assert_eq!(loads(&i, 1), vec![Some(60_000)]);
    assert_eq!(i.sessions[1].notes(), Some("New gym"));
}

#[test]
fn strong6_quoted_semicolons_and_pounds_stored_as_kilograms() {
    let i = fixture("strong6.csv", &opts(None, 0));
    check_invariants(&i);
    assert_eq!(i.format, Format::Strong6);
    assert_eq!((i.report.rows, i.sessions.len(), i.report.sets), (8, 2, 7));
    assert_eq!(i.report.rest_timer_rows, 1);
    assert!(i.report.skipped.is_empty());
    assert_eq!(i.sessions[0].source_key(), "strong6:1:2025-03-09T14:08:49");
    assert_eq!(utc(&i, 0), "2025-03-09T14:08:49Z");
    // 4543 s.
    assert_eq!(minutes(&i, 0), Some(76));
    assert_eq!(
        kinds(&i, 0),
        vec![
            SetKind::Warmup,
            SetKind::Normal,
            SetKind::Normal,
            SetKind::Normal,
            SetKind::Failure
        ]
    );
    // 61.23492 kg is 135 lb and 72.5747792 kg is 160 lb: kept exact in pounds.
    assert_eq!(
        loads(&i, 0),
        vec![
            Some(20_000),
            Some(61_235),
            Some(72_575),
            Some(61_235),
            Some(61_235)
        ]
    );
    assert_eq!(rpes(&i, 0)[1], Some(18));
    assert_eq!(
        i.sessions[0].notes(),
        Some("Deload week\nBench Press (Barbell): Paused reps")
    );
    assert_eq!(minutes(&i, 1), Some(10));
    assert_eq!(ids(&i, 1), vec!["farmers-carry", "dead-hang"]);
    assert_eq!(i.sessions[1].session.sets[0].dose, metres(40));
    assert_eq!(loads(&i, 1), vec![Some(32_000), None]);
    assert_eq!(i.sessions[1].session.sets[1].dose, secs(30));
}

#[test]
fn a_unit_given_for_a_file_that_names_its_own_is_noted_and_ignored() {
    let i = fixture("strong6.csv", &opts(Some(WeightUnit::Lb), 0));
    assert_eq!(loads(&i, 0)[0], Some(20_000));
    assert!(
        i.report.notes.iter().any(|n| n.contains("in kg")),
        "{:?}",
        i.report.notes
    );
}

#[test]
fn reimporting_gives_the_same_keys() {
    let a = fixture("strong_v4.csv", &opts(Some(WeightUnit::Kg), 0));
    let b = fixture("strong_v4.csv", &opts(Some(WeightUnit::Kg), 0));
    let keys = |i: &backstop_import::Imported| {
        i.sessions
            .iter()
            .map(|s| s.source_key().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&a), keys(&b));
    assert_eq!(
        keys(&a),
        vec![
            "strong:2026-04-24T09:40:00:Upper Body".to_owned(),
            "strong:2026-04-26T08:00:00:Short".to_owned()
        ]
    );
}

#[test]
fn sets_of_more_than_100_reps_are_kept_and_listed_to_check() {
    // Issue 15, point 2: calf raises of 120 and a cable crunch of 150 are real sets; they used to be skipped. Up to
    // 999 reps are kept, and those over 100 are listed in the report; 1,000 or more is skipped with its line.
    let text = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,RPE\n\
        2026-04-24 09:40:00,\"Legs\",51m,\"Standing Calf Raise (Machine)\",1,40.0,120.0,0,0.0,\n\
        2026-04-24 09:40:00,\"Legs\",51m,\"Cable Crunch\",1,30.0,150.0,0,0.0,\n\
        2026-04-24 09:40:00,\"Legs\",51m,\"Cable Crunch\",2,30.0,1000.0,0,0.0,\n";
    let i = run(text, &opts(Some(WeightUnit::Kg), 0)).unwrap();
    check_invariants(&i);
    let doses: Vec<_> = i.sessions[0].session.sets.iter().map(|s| s.dose).collect();
    assert_eq!(doses, vec![reps(120), reps(150)]);
    assert_eq!(skipped_lines(&i), vec![4]);
    for (line, n) in [(2, 120), (3, 150)] {
        assert!(
            i.report
                .notes
                .iter()
                .any(|note| note.starts_with(&format!("line {line}: {n} reps")) && note.contains("check")),
            "{:?}",
            i.report.notes
        );
    }
}
