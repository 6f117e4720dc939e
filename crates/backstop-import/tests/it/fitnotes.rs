//! FitNotes: the old layout with the unit in the header, the new one with a unit per row, unquoted commas.

use backstop_core::catalog::LoadType;
use backstop_core::vocab::Pattern;
use backstop_import::Format;

use crate::{check_invariants, fixture, ids, loads, metres, minutes, opts, secs, skipped_lines, utc};

#[test]
fn old_layout_in_pounds() {
    let i = fixture("fitnotes_old_lbs.csv", &opts(None, 0));
    check_invariants(&i);
    assert_eq!(i.format, Format::FitNotes);
    assert_eq!(i.report.format, "fitnotes");
    assert_eq!((i.report.rows, i.sessions.len(), i.report.sets), (7, 2, 6));
    assert_eq!(skipped_lines(&i), vec![8]);
    // No time of day in FitNotes: noon local time.
    assert_eq!(utc(&i, 0), "2020-02-01T12:00:00Z");
    assert_eq!(i.sessions[0].source_key(), "fitnotes:2020-02-01");
    assert_eq!(i.sessions[0].title, None);
    assert_eq!(minutes(&i, 0), None);
    assert_eq!(
        ids(&i, 0),
        vec![
            "bench-press",
            "bench-press",
            "cable-crunch",
            "imported-treadmill-run"
        ]
    );
    assert_eq!(loads(&i, 0), vec![Some(61_235), Some(61_235), Some(22_680), None]);
    // 2.0 mi (the 20 minutes are not the dose when there is a distance).
    assert_eq!(i.sessions[0].session.sets[3].dose, metres(3219));
    assert_eq!(ids(&i, 1), vec!["barbell-bent-over-row", "front-plank"]);
    assert_eq!(loads(&i, 1), vec![Some(43_091), None]);
    assert_eq!(i.sessions[1].session.sets[1].dose, secs(90));

    assert_eq!(i.report.unmapped_exercises, vec!["Treadmill Run"]);
    let run = &i.new_exercises[0];
    assert_eq!(run.id, "imported-treadmill-run");
    assert_eq!(run.pattern, Pattern::Conditioning);
    assert_eq!(run.load_type, LoadType::Distance);
}

#[test]
fn new_layout_with_a_unit_per_row_and_unquoted_commas() {
    let i = fixture("fitnotes_new.csv", &opts(None, 2));
    check_invariants(&i);
    assert_eq!((i.report.rows, i.sessions.len(), i.report.sets), (8, 2, 6));
    assert_eq!(skipped_lines(&i), vec![7, 8]);
    assert!(
        i.report.skipped[0].reason.contains("weight"),
        "{:?}",
        i.report.skipped
    );
    assert!(
        i.report.skipped[1].reason.contains("fields"),
        "{:?}",
        i.report.skipped
    );
    assert_eq!(utc(&i, 0), "2025-05-10T10:00:00Z");
    // "Overhead Press (Each Side, Dumbbells)" has 11 fields; without its parentheses it is a catalog name.
    assert_eq!(
        ids(&i, 0),
        vec![
            "standing-overhead-press",
            "standing-overhead-press",
            "pull-up",
            "imported-hammer-curl"
        ]
    );
    // 25 lbs on a row of an otherwise kg file.
    assert_eq!(loads(&i, 0), vec![Some(14_000), Some(16_000), None, Some(11_340)]);
    assert_eq!(
        i.sessions[0].notes(),
        Some("Overhead Press (Each Side, Dumbbells): Last set hard")
    );
    assert_eq!(ids(&i, 1), vec!["goblet-squat", "back-squat"]);
    assert_eq!(loads(&i, 1), vec![Some(24_000), Some(100_000)]);
    assert_eq!(i.report.unmapped_exercises, vec!["Hammer Curl"]);
    assert_eq!(i.new_exercises[0].pattern, Pattern::Push);
}
