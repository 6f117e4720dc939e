//! The engine against the worked cases (`docs/rules.md`, "What the tests guarantee"), rule boundaries, long
//! scenarios and properties.

use crate::rules::RuleId;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use super::*;
use crate::facts::{Dose, FlareMark, SetEntry, SetKind};
use crate::testkit::*;
use crate::units::{Load, Rpe, Stiffness, WeightUnit};
use crate::vocab::Aggravator;

fn ex<'a>(a: &'a Assessment, id: &str) -> &'a ExerciseLedger {
    a.exercise(id).unwrap_or_else(|| panic!("{id} not in the ledger"))
}

fn sv(a: &Assessment, i: usize) -> &SessionVerdict {
    &a.sessions[i]
}

fn exv<'a>(s: &'a SessionVerdict, id: &str) -> &'a ExerciseVerdict {
    s.exercises.iter().find(|e| e.exercise == id).unwrap()
}

// ---- PM-2: the in-session ceiling -------------------------------------------------------------------------

#[test]
fn one_starting_profile_and_what_is_offered_on_top_of_it() {
    // Every front end starts a new profile from Profile::starting, and offers Profile::offered to change.
    let s = crate::facts::Profile::starting("Europe/London");
    assert_eq!(
        (
            s.units,
            s.minutes.get(),
            s.baseline_pain.value(),
            s.equipment.len(),
            s.days.len()
        ),
        (WeightUnit::Kg, 45, 0, 0, 3)
    );
    assert_eq!(s.time_zone, "Europe/London");
    let o = crate::facts::Profile::offered("Europe/London");
    assert_eq!(o.equipment, crate::facts::COMMERCIAL_GYM.to_vec());
    assert_eq!(o.minutes.get(), 60);
    let back = crate::facts::Profile {
        equipment: s.equipment.clone(),
        minutes: s.minutes,
        ..o
    };
    assert_eq!(
        back, s,
        "offered differs from starting only in equipment and minutes"
    );
}

#[test]
fn the_ceiling_the_front_ends_show_is_the_engines() {
    // Profile::session_ceiling: the pain before the session, or the usual pain when none was given.
    let mut p = crate::testkit::profile(3, vec![]);
    p.settings.ceiling_max = 4;
    assert_eq!(p.session_ceiling(None), p.settings.ceiling(3));
    assert_eq!(
        p.session_ceiling(Some(crate::units::Pain::new(1).unwrap())),
        p.settings.ceiling(1)
    );
    assert_eq!(
        p.session_ceiling(Some(crate::units::Pain::new(7).unwrap())),
        4,
        "never above the profile's ceiling_max"
    );
}

#[test]
fn ceiling_boundaries() {
    // (pre-session pain, set pain, expected in-session verdict)
    let table = [
        (2, 3, Verdict::Green), // ≤ min(3, P0+1)
        (2, 4, Verdict::Amber),
        (2, 5, Verdict::Amber), // exactly at the ceiling of 5
        (2, 6, Verdict::Red),   // one above
        (4, 5, Verdict::Amber),
        (4, 6, Verdict::Red),
        (0, 1, Verdict::Green),
        (0, 2, Verdict::Amber), // above the green limit of P0+1
        (0, 4, Verdict::Amber), // a pain-free start may still reach 5 (Silbernagel 2007)
        (0, 5, Verdict::Amber),
        (0, 6, Verdict::Red),
        (6, 5, Verdict::Amber), // pain below P0 but above 3: never green above 3
        (6, 6, Verdict::Red),   // above the absolute ceiling of 5
    ];
    for (p0, pain, want) in table {
        let f = Facts::default().s(at(0, 18), Some(p0), &[&format!("lat-pulldown 3x10@40 p{pain}")]);
        // Before any check-in the exercise verdict is the in-session one.
        let a = f.assess(at(0, 20));
        let v = exv(sv(&a, 0), "lat-pulldown");
        assert_eq!(v.verdict, Some(want), "P0 {p0}, pain {pain}: {}", v.reason);
        assert_eq!(sv(&a, 0).ceiling, 5);
    }
}

#[test]
fn without_pre_session_pain_the_usual_pain_sets_the_ceiling() {
    let f = Facts::default().s(at(0, 18), None, &["lat-pulldown 3x10@40 p5"]);
    let a = f.assess_with(&profile(3, vec![]), at(0, 20));
    assert_eq!(sv(&a, 0).ceiling, 5);
    assert_eq!(exv(sv(&a, 0), "lat-pulldown").verdict, Some(Verdict::Amber));
}

// ---- PM-5: which check-in settles what ----------------------------------------------------------------------

#[test]
fn check_in_windows() {
    // Hours after an 18:00 session → which check-in it counts as (None: ignored).
    let table: [(i64, Option<CheckKind>); 10] = [
        (7, None),
        (8, Some(CheckKind::Morning)),
        (14, Some(CheckKind::Morning)),
        (23, Some(CheckKind::Morning)),
        (25, Some(CheckKind::Morning)),
        (35, Some(CheckKind::Morning)),
        (36, Some(CheckKind::Second)),
        (47, Some(CheckKind::Second)),
        (49, Some(CheckKind::Second)),
        (60, None),
    ];
    for (h, want) in table {
        let f = Facts::default()
            .s(at(0, 18), Some(2), &["lat-pulldown 3x10@40 p1"])
            .c(at(0, 18 + h), 5);
        let a = f.assess(at(10, 0));
        let s = sv(&a, 0);
        let got = match (s.morning_pain, s.second_pain) {
            (Some(_), _) => Some(CheckKind::Morning),
            (None, Some(_)) => Some(CheckKind::Second),
            _ => None,
        };
        assert_eq!(got, want, "check-in {h} h after");
        match want {
            Some(_) => assert_eq!(s.verdict, Some(Verdict::Red), "{h} h: {}", s.reason),
            None => assert_eq!(s.status, VerdictStatus::Unconfirmed, "{h} h"),
        }
    }
}

#[test]
fn mornings_a_point_above_usual_session_after_session_let_the_dose_progress() {
    // A back whose mornings sit one point above the stated usual pain after every session: that point is inside
    // one reading's noise, so the sessions are calm and the dose climbs (it used to hold forever); the weekly trend
    // (PM-6) still holds progression when the mornings creep up week over week.
    let mut f = Facts::default();
    for k in 0..4 {
        f = f
            .s(at(k * 2, 18), Some(2), &["lat-pulldown 3x8@40 p1"])
            .c(at(k * 2 + 1, 8), 3);
    }
    let a = f.assess(at(8, 0));
    assert!(a.sessions.iter().all(|v| v.verdict == Some(Verdict::Green)));
    let l = ex(&a, "lat-pulldown");
    assert_eq!(l.next, NextStep::Progress, "{}", l.reason);
    assert!(
        sv(&a, 3).reason.contains("within what one reading moves by"),
        "{}",
        sv(&a, 3).reason
    );
    // A morning two above still holds.
    let f = f
        .s(at(8, 18), Some(2), &["lat-pulldown 3x10@40 p1"])
        .c(at(9, 8), 4);
    let a = f.assess(at(10, 0));
    assert_eq!(sv(&a, 4).verdict, Some(Verdict::Amber));
    assert_eq!(ex(&a, "lat-pulldown").next, NextStep::Hold);
}

#[test]
fn morning_grades() {
    // (usual pain 2, pre-session pain, morning pain, expected)
    for (p0, m, want) in [
        (2, 2, Verdict::Green),
        (2, 1, Verdict::Green),
        (2, 3, Verdict::Green), // 1 above: under the 2 points one reading moves by on its own, settled
        (2, 4, Verdict::Amber), // one reading 2 above the usual may be its noise: hold
        (2, 5, Verdict::Red),   // 3 above: not tolerated on its own
        (0, 2, Verdict::Green), // the pre-session pain (another time of day) is not the yardstick
        (0, 1, Verdict::Green),
        (5, 3, Verdict::Green),
        (5, 4, Verdict::Amber),
    ] {
        let f = Facts::default()
            .s(at(0, 18), Some(p0), &["lat-pulldown 3x10@40 p1"])
            .c(at(1, 8), m);
        let a = f.assess(at(1, 9));
        assert_eq!(
            sv(&a, 0).verdict,
            Some(want),
            "P0 {p0}, morning {m}: {}",
            sv(&a, 0).reason
        );
        assert_eq!(sv(&a, 0).awaiting, vec![CheckKind::Second]);
    }
}

#[test]
fn pain_not_settled_at_48_hours_makes_it_worse_never_better() {
    let f = Facts::default()
        .s(at(0, 18), Some(2), &["lat-pulldown 3x10@40 p1"])
        .c(at(1, 8), 2)
        .c(at(2, 8), 5);
    let a = f.assess(at(3, 0));
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Red));
    assert!(sv(&a, 0).reason.contains("48 h"), "{}", sv(&a, 0).reason);
    let session = || Facts::default().s(at(0, 18), Some(2), &["lat-pulldown 3x10@40 p1"]);
    // A clear rise the next morning stays red whatever the 48 h check-in says.
    let f = session().c(at(1, 8), 5).c(at(2, 8), 1);
    assert_eq!(sv(&f.assess(at(3, 0)), 0).verdict, Some(Verdict::Red));
}

/// PM-5: one check-in 2 above the usual pain holds; two in a row (it has not settled) are not tolerated.
#[test]
fn a_single_raised_morning_holds_and_two_in_a_row_are_red() {
    let session = || Facts::default().s(at(0, 18), Some(2), &["lat-pulldown 3x10@40 p1"]);
    // +2 the next morning, back to usual at 48 h: hold.
    let a = session().c(at(1, 8), 4).c(at(2, 8), 2).assess(at(3, 0));
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Amber), "{}", sv(&a, 0).reason);
    assert_ne!(ex(&a, "lat-pulldown").status, LedgerStatus::Parked);
    // +2 the next morning and no 48 h check-in: hold.
    let a = session().c(at(1, 8), 4).assess(at(3, 0));
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Amber));
    // +2 at 48 h after a calm morning: hold.
    let a = session().c(at(1, 8), 2).c(at(2, 8), 4).assess(at(3, 0));
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Amber));
    // +2 on both: it has not settled.
    let a = session().c(at(1, 8), 4).c(at(2, 8), 4).assess(at(3, 0));
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Red));
    assert!(sv(&a, 0).reason.contains("not settled"), "{}", sv(&a, 0).reason);
}

/// PM-2 with PM-9: from a pain-free start, a set at 4 that has settled by the next morning is calm.
#[test]
fn a_pain_free_start_with_a_set_at_4_that_settles_is_calm() {
    let f = Facts::default()
        .s(at(0, 18), Some(0), &["lat-pulldown 3x10@40 p4"])
        .c(at(1, 8), 2)
        .c(at(2, 8), 2);
    let a = f.assess(at(3, 0));
    let v = exv(sv(&a, 0), "lat-pulldown");
    assert_eq!(
        (v.verdict, v.rule),
        (Some(Verdict::Green), RuleId::Pm9),
        "{}",
        v.reason
    );
}

#[test]
fn missing_check_ins() {
    let f = Facts::default().s(at(0, 18), Some(2), &["lat-pulldown 3x10@40 p1"]);
    // Waiting for the morning.
    let a = f.assess(at(1, 6));
    assert_eq!(sv(&a, 0).status, VerdictStatus::Pending);
    assert_eq!(sv(&a, 0).awaiting, vec![CheckKind::Morning, CheckKind::Second]);
    assert_eq!(a.due_checkins.len(), 2);
    assert_eq!(ex(&a, "lat-pulldown").next, NextStep::Hold);
    // Morning missed, 48 h window open.
    let a = f.assess(at(2, 8));
    assert_eq!(sv(&a, 0).status, VerdictStatus::Pending);
    assert_eq!(sv(&a, 0).awaiting, vec![CheckKind::Second]);
    // Case 9: nothing after 72 h → decided on in-session data, unconfirmed, never green for tolerance.
    let a = f.assess(at(3, 19));
    assert_eq!(sv(&a, 0).status, VerdictStatus::Unconfirmed);
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Green));
    assert_eq!(sv(&a, 0).rule, RuleId::Bk1);
    assert_eq!(ex(&a, "lat-pulldown").green_exposures, 0);
    assert_eq!(ex(&a, "lat-pulldown").next, NextStep::Hold);
    assert!(a.due_checkins.is_empty());
    // Only a 48 h check-in: it settles the session.
    let a = f.clone().c(at(2, 9), 2).assess(at(4, 0));
    assert_eq!(sv(&a, 0).status, VerdictStatus::Confirmed);
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Green));
}

// ---- the worked cases 1–10 -------------------------------------------------------------------------------------

/// Row and pulldown tolerated over two calm weeks, so that case 1 and 2 start from known ground.
fn tolerated_base() -> Facts {
    let mut f = Facts::default();
    for w in 0..2 {
        let d = w * 7;
        f = f
            .s(
                at(d, 18),
                Some(2),
                &[
                    "chest-supported-row 3x10@30 p1",
                    "lat-pulldown 3x10@40 p1",
                    "conventional-deadlift 3x5@80 p1",
                ],
            )
            .c(at(d + 1, 8), 2)
            .c(at(d + 2, 8), 2);
    }
    f
}

#[test]
fn a_sessions_verdict_is_found_by_its_start() {
    let f = tolerated_base()
        .s(at(14, 18), Some(2), &["lat-pulldown 3x10@40 p1"])
        .s(at(14, 18), Some(2), &["chest-supported-row 3x10@30 p1"]);
    let a = f.assess(at(20, 12));
    assert_eq!(a.sessions.len(), 4);
    for (i, v) in a.sessions.iter().enumerate() {
        let found = a.session(v.session_at).unwrap();
        // Two sessions that started at the same instant: the first of them.
        let first = a
            .sessions
            .iter()
            .position(|w| w.session_at == v.session_at)
            .unwrap();
        assert!(std::ptr::eq(found, &a.sessions[first]), "session {i}");
    }
    assert!(a.session(at(14, 18)).unwrap().exercises.len() == 1);
    for missing in [at(-1, 18), at(0, 19), at(10, 18), at(30, 18)] {
        assert!(a.session(missing).is_none(), "{missing}");
    }
}

#[test]
fn case_1_the_lone_novelty_takes_the_blame() {
    let f = tolerated_base()
        .s(
            at(14, 18),
            Some(2),
            &[
                "chest-supported-row 3x10@30 p2",
                "lat-pulldown 3x10@40 p1",
                "back-extension-45-degree 2x10 p3",
            ],
        )
        .c(at(15, 8), 5);
    let a = f.assess(at(15, 9));
    let s = sv(&a, 2);
    assert_eq!(s.verdict, Some(Verdict::Red), "{}", s.reason);
    assert_eq!(s.novelties.len(), 1);
    assert_eq!(s.novelties[0].exercise, "back-extension-45-degree");
    let be = ex(&a, "back-extension-45-degree");
    assert_eq!(be.status, LedgerStatus::Parked);
    assert_eq!(be.next, NextStep::Avoid);
    assert_eq!(
        be.retest_from,
        Some(at(14, 18) + SignedDuration::from_hours(24 * 14))
    );
    for id in ["chest-supported-row", "lat-pulldown"] {
        let l = ex(&a, id);
        assert_eq!(l.status, LedgerStatus::Tolerated, "{id}");
        assert_eq!(l.next, NextStep::Hold, "{id}: {}", l.reason);
        assert_eq!(l.last_verdict, Some(Verdict::Amber));
    }
    assert_eq!(a.suspects[0].exercise, "back-extension-45-degree");
    assert!(a.suspects[0].evidence.contains("not a diagnosis"));
    // After the parking time: retest at a lower dose or as its regression.
    let later = f.assess(at(29, 0));
    let be = ex(&later, "back-extension-45-degree");
    assert_eq!(be.status, LedgerStatus::Provocative);
    assert_eq!(be.next, NextStep::Retest);
    assert!(be.swap_to.is_some());
    assert_eq!(be.dose.as_ref().unwrap().sets, 2);
}

/// Case 1's history, then calm sessions of the tolerated work up to day 28.
fn parked_then_calm() -> Facts {
    let mut f = tolerated_base()
        .s(
            at(14, 18),
            Some(2),
            &[
                "chest-supported-row 3x10@30 p2",
                "lat-pulldown 3x10@40 p1",
                "back-extension-45-degree 2x10 p3",
            ],
        )
        .c(at(15, 8), 5)
        .c(at(16, 8), 2);
    for d in [21, 25] {
        f = f
            .s(
                at(d, 18),
                Some(2),
                &["chest-supported-row 3x10@30 p1", "lat-pulldown 3x10@40 p1"],
            )
            .c(at(d + 1, 8), 2);
    }
    f
}

#[test]
fn a_red_retest_confirms_and_two_calm_retests_clear() {
    let f = parked_then_calm();
    let a = f.assess(at(28, 18));
    let be = ex(&a, "back-extension-45-degree");
    assert_eq!(be.provocation, Some(Provocation::Suspected));
    assert_eq!(be.next, NextStep::Retest);
    // The retest is its session's one change, and a red morning after it confirms it.
    let red = f
        .clone()
        .s(
            at(28, 18),
            Some(2),
            &[
                "chest-supported-row 3x10@30 p1",
                "back-extension-45-degree 2x8 p2",
            ],
        )
        .c(at(29, 8), 5);
    let a = red.assess(at(29, 9));
    let s = a.session(at(28, 18)).unwrap();
    assert_eq!(s.novelties.len(), 1);
    assert_eq!(s.novelties[0].kind, NoveltyKind::Retest);
    let be = ex(&a, "back-extension-45-degree");
    assert_eq!(be.provocation, Some(Provocation::Confirmed), "{}", be.reason);
    assert_eq!(be.next, NextStep::Avoid);
    assert_eq!(
        be.retest_from,
        Some(at(28, 18) + SignedDuration::from_hours(24 * 28)),
        "confirmed: twice as long"
    );
    // Two calm retests clear it.
    let calm = f
        .s(
            at(28, 18),
            Some(2),
            &[
                "chest-supported-row 3x10@30 p1",
                "back-extension-45-degree 2x8 p1",
            ],
        )
        .c(at(29, 8), 2)
        .s(
            at(30, 18),
            Some(2),
            &[
                "chest-supported-row 3x10@30 p1",
                "back-extension-45-degree 2x8 p1",
            ],
        )
        .c(at(31, 8), 2);
    let a = calm.assess(at(31, 9));
    let be = ex(&a, "back-extension-45-degree");
    assert_eq!(be.provocation, Some(Provocation::Cleared), "{}", be.reason);
    assert!(be.next >= NextStep::Hold);
}

#[test]
fn case_2_two_novelties_share_the_blame() {
    let f = tolerated_base()
        .s(
            at(14, 18),
            Some(2),
            &[
                "chest-supported-row 3x10@30 p2",
                "lat-pulldown 3x10@40 p1",
                "back-extension-45-degree 2x10 p3",
                "conventional-deadlift 3x5@90 p2",
            ],
        )
        .c(at(15, 8), 5);
    let a = f.assess(at(15, 9));
    let s = sv(&a, 2);
    assert_eq!(s.verdict, Some(Verdict::Red));
    assert_eq!(s.novelties.len(), 2, "{:?}", s.novelties);
    assert!(s.reason.contains("shared"), "{}", s.reason);
    for id in ["back-extension-45-degree", "conventional-deadlift"] {
        let l = ex(&a, id);
        assert_eq!(l.next, NextStep::Regress, "{id}: {}", l.reason);
        assert_ne!(
            l.status,
            LedgerStatus::Parked,
            "{id} must not be declared provocative on one shared event"
        );
        assert_eq!(exv(s, id).blame, Blame::Shared, "{id}");
    }
    assert_eq!(
        ex(&a, "conventional-deadlift")
            .dose
            .as_ref()
            .unwrap()
            .load
            .unwrap()
            .grams(),
        75_000
    );
}

#[test]
fn case_3_pain_above_the_ceiling_during_a_set() {
    let f = tolerated_base()
        .s(
            at(14, 18),
            Some(2),
            &[
                "chest-supported-row 3x10@30 p1",
                "conventional-deadlift 3x5@80 p2,6,6",
            ],
        )
        .c(at(15, 8), 4);
    let a = f.assess(at(15, 9));
    let s = sv(&a, 2);
    assert_eq!(s.verdict, Some(Verdict::Amber), "{}", s.reason);
    let dl = exv(s, "conventional-deadlift");
    assert_eq!(dl.verdict, Some(Verdict::Red));
    assert_eq!(dl.rule, RuleId::Pm2);
    let l = ex(&a, "conventional-deadlift");
    assert_eq!(l.next, NextStep::Regress);
    assert_ne!(l.status, LedgerStatus::Parked);
    assert_eq!(
        l.dose.as_ref().unwrap().load.unwrap().grams(),
        67_500,
        "−15 % rounded down to 2.5 kg"
    );
    assert_eq!(l.swap_to.as_deref(), Some("trap-bar-deadlift"));
    assert_eq!(ex(&a, "chest-supported-row").next, NextStep::Hold);
}

#[test]
fn case_4_double_progression_then_a_load_step() {
    // Three calm sessions at the top of the range with the goal's 3 sets: the effort ceiling has risen once
    // (RPE 6 -> 7) on the third, and the next step raises it again.
    let mut f = Facts::default();
    for w in 0..3 {
        f = f
            .s(at(w * 3, 18), Some(2), &["lat-pulldown 3x12@40 p1"])
            .c(at(w * 3 + 1, 8), 2)
            .c(at(w * 3 + 2, 8), 2);
    }
    let a = f.assess(at(9, 0));
    assert!(a.sessions.iter().all(|s| s.verdict == Some(Verdict::Green)));
    let l = ex(&a, "lat-pulldown");
    assert_eq!(l.status, LedgerStatus::Tolerated);
    assert_eq!(
        (l.next, l.step),
        (NextStep::Progress, Some(ProgressStep::Effort)),
        "{}",
        l.reason
    );
    assert_eq!(l.effort_cap, 7.0);
    assert_eq!(l.dose.as_ref().unwrap().target_rpe, Some(8.0));
    // Done at that ceiling and calm again: the ceiling is at its maximum, so a load step, back to 8 reps.
    let f = f
        .s(at(9, 18), Some(2), &["lat-pulldown 3x12@40 p1"])
        .c(at(10, 8), 2);
    let l = ex(&f.assess(at(11, 0)), "lat-pulldown").clone();
    assert_eq!(
        (l.next, l.step, l.effort_cap),
        (NextStep::Progress, Some(ProgressStep::Load), 8.0)
    );
    let d = l.dose.as_ref().unwrap();
    assert_eq!(
        (d.sets, d.reps, d.load.unwrap().grams(), d.target_rpe),
        (3, Some(8), 42_500, Some(8.0)),
        "{}",
        l.reason
    );
    // After one calm session below the top: two more reps, half the range of a loaded exercise (PG-1).
    let one = Facts::default()
        .s(at(0, 18), Some(2), &["lat-pulldown 3x10@40 p1"])
        .c(at(1, 8), 2)
        .c(at(2, 8), 2);
    let a = one.assess(at(3, 0));
    let l = ex(&a, "lat-pulldown");
    assert_eq!(l.status, LedgerStatus::Testing);
    assert_eq!(
        (l.next, l.step),
        (NextStep::Progress, Some(ProgressStep::Amount)),
        "{}",
        l.reason
    );
    assert_eq!(l.dose.as_ref().unwrap().reps, Some(12));
    assert_eq!(
        l.dose.as_ref().unwrap().target_rpe,
        Some(6.0),
        "a first effort ceiling of 6"
    );
    // Amber holds the dose.
    let amber = one
        .clone()
        .s(at(3, 18), Some(2), &["lat-pulldown 3x11@40 p1"])
        .c(at(4, 8), 4);
    let l = ex(&amber.assess(at(5, 0)), "lat-pulldown").clone();
    assert_eq!(
        (l.next, l.dose.as_ref().unwrap().reps),
        (NextStep::Hold, Some(11)),
        "{}",
        l.reason
    );
    // Uneven sets repeat at the reps every set reached.
    let uneven = Facts::default()
        .s(at(0, 18), Some(2), &["lat-pulldown 3x12,10,9@40 p1"])
        .c(at(1, 8), 4);
    let l = ex(&uneven.assess(at(2, 0)), "lat-pulldown").clone();
    assert_eq!(l.dose.as_ref().unwrap().reps, Some(9));
}

#[test]
fn the_ladder_takes_one_step_at_a_time_in_order() {
    // 2 sets: one calm session adds a set before anything else (PG-2), whatever the reps.
    let f = Facts::default()
        .s(at(0, 18), Some(2), &["lat-pulldown 2x9@40 p1"])
        .c(at(1, 8), 2);
    let l = ex(&f.assess(at(2, 0)), "lat-pulldown").clone();
    assert_eq!(
        (l.step, l.rule),
        (Some(ProgressStep::Set), RuleId::Pg2),
        "{}",
        l.reason
    );
    let d = l.dose.as_ref().unwrap();
    assert_eq!(
        (d.sets, d.reps, d.load.unwrap().grams()),
        (3, Some(9), 40_000),
        "one change: reps and load stay"
    );
    // At the goal's sets, a loaded exercise's reps climb by half the range per calm session (8–12: two), an
    // unloaded one's by a quarter (PG-1).
    let f = f
        .s(at(2, 18), Some(2), &["lat-pulldown 3x9@40 p1"])
        .c(at(3, 8), 2);
    let l = ex(&f.assess(at(4, 0)), "lat-pulldown").clone();
    assert_eq!(
        (l.step, l.dose.as_ref().unwrap().reps),
        (Some(ProgressStep::Amount), Some(11)),
        "{}",
        l.reason
    );
    let bodyweight = Facts::default()
        .s(at(0, 18), Some(2), &["inverted-row 3x8 p1"])
        .c(at(1, 8), 2);
    let l = ex(&bodyweight.assess(at(2, 0)), "inverted-row").clone();
    let [lo, hi] = catalog().get("inverted-row").unwrap().reps.unwrap();
    assert_eq!(
        (l.step, l.dose.as_ref().unwrap().reps),
        (Some(ProgressStep::Amount), Some(8 + ((hi - lo) / 4).max(1))),
        "{}",
        l.reason
    );
    // The top once after an amber session holds: the step wants two calm sessions at the top.
    let f = f
        .s(at(4, 18), Some(2), &["lat-pulldown 3x12@40 p1"])
        .c(at(5, 8), 4)
        .s(at(6, 18), Some(2), &["lat-pulldown 3x12@40 p1"])
        .c(at(7, 8), 2);
    let l = ex(&f.assess(at(8, 0)), "lat-pulldown").clone();
    assert_eq!((l.next, l.rule), (NextStep::Hold, RuleId::Pg2), "{}", l.reason);
    let f = f
        .s(at(8, 18), Some(2), &["lat-pulldown 3x12@40 p1"])
        .c(at(9, 8), 2);
    // Never past the goal's sets: at 3 sets the next rung is effort.
    let l = ex(&f.assess(at(10, 0)), "lat-pulldown").clone();
    assert_eq!(l.step, Some(ProgressStep::Effort), "{}", l.reason);
    // A red sends the effort ceiling back to its start and regresses.
    let red = f
        .clone()
        .s(at(10, 18), Some(2), &["lat-pulldown 3x12@40 p6"])
        .c(at(11, 8), 2);
    let l = ex(&red.assess(at(12, 0)), "lat-pulldown").clone();
    assert_eq!((l.next, l.effort_cap), (NextStep::Regress, 6.0));
    assert_eq!(l.dose.as_ref().unwrap().target_rpe, Some(6.0));
    // A timed hold with no load moves on to its harder option once sets and effort are used up (PG-5).
    let mut g = Facts::default();
    for k in 0..5 {
        g = g
            .s(at(k * 2, 18), Some(2), &["knee-plank 3x30s p1"])
            .c(at(k * 2 + 1, 8), 2);
    }
    let l = ex(&g.assess(at(10, 0)), "knee-plank").clone();
    assert_eq!(l.effort_cap, 8.0, "{}", l.reason);
    assert_eq!(
        (l.step, l.swap_to.as_deref()),
        (Some(ProgressStep::Harder), Some("front-plank")),
        "{}",
        l.reason
    );
    assert_eq!(l.superseded_by, None);
    // Once the harder option has been done, the old exercise steps aside for it.
    let g = g
        .s(at(10, 18), Some(2), &["front-plank 2x20s p1"])
        .c(at(11, 8), 2);
    let l = ex(&g.assess(at(12, 0)), "knee-plank").clone();
    assert_eq!(l.superseded_by.as_deref(), Some("front-plank"));
}

#[test]
fn load_steps_round_to_the_equipment_in_pounds() {
    let mut f = Facts::default();
    // Four calm sessions at the top with 3 sets: two effort steps, then the load step.
    for w in 0..4 {
        f = f
            .s(at(w * 3, 18), Some(2), &["lat-pulldown 3x12@100lb p1"])
            .c(at(w * 3 + 1, 8), 2);
    }
    let mut p = profile(2, vec![]);
    p.units = WeightUnit::Lb;
    let a = f.assess_with(&p, at(14, 0));
    let d = ex(&a, "lat-pulldown").dose.clone().unwrap();
    assert_eq!(d.load.unwrap().in_unit(WeightUnit::Lb), 105.0);
}

#[test]
fn case_5_muscle_soreness_is_not_back_pain() {
    let mut soreness = checkin(at(1, 8), 4);
    soreness.muscle_soreness = true;
    let f = tolerated_base()
        .s(at(14, 18), Some(2), &["romanian-deadlift 2x8@40 p2"])
        .cw(CheckIn {
            at: at(15, 8),
            ..soreness
        });
    let a = f.assess(at(15, 9));
    let s = sv(&a, 2);
    assert_eq!(s.verdict, Some(Verdict::Green), "{}", s.reason);
    assert_eq!(s.rule, RuleId::Ds2);
    assert!(s.soreness);
    let l = ex(&a, "romanian-deadlift");
    assert_ne!(l.status, LedgerStatus::Parked);
    assert!(a.suspects.iter().all(|x| x.exercise != "romanian-deadlift"));
    let sore = a.soreness.as_ref().unwrap();
    assert!(sore.muscles.contains(&crate::vocab::Muscle::Hamstrings));
}

/// DS-2 / DS-3 over the soreness time course: it may build up to 48 h (soreness peaks 24–72 h after training),
/// and only soreness that has not begun to ease by 72 h is graded as pain.
#[test]
fn soreness_at_24_48_and_72_hours() {
    let sore = |day: i64, pain: u8| CheckIn {
        muscle_soreness: true,
        ..checkin(at(day, 8), pain)
    };
    // Session at day 14 18:00; 24 h ≈ day 15 08:00, 48 h ≈ day 16 08:00, 72 h+ ≈ day 17 20:00.
    let base = tolerated_base().s(at(14, 18), Some(2), &["romanian-deadlift 2x8@40 p2"]);
    // 24 h: sore 4 → soreness, green.
    let f = base.clone().cw(sore(15, 4));
    let a = f.assess(at(15, 9));
    assert_eq!(
        (sv(&a, 2).verdict, sv(&a, 2).rule),
        (Some(Verdict::Green), RuleId::Ds2)
    );
    // 48 h: worse (6) but still soreness → still green, not pain.
    let f = f.cw(sore(16, 6));
    let a = f.assess(at(16, 9));
    let s = sv(&a, 2);
    assert_eq!(
        (s.verdict, s.rule),
        (Some(Verdict::Green), RuleId::Ds2),
        "{}",
        s.reason
    );
    assert!(s.soreness);
    assert_ne!(ex(&a, "romanian-deadlift").status, LedgerStatus::Parked);
    // 72 h, easing (3): still soreness.
    let eased = f.clone().cw(CheckIn {
        at: at(17, 20),
        ..sore(17, 3)
    });
    let a = eased.assess(at(17, 21));
    assert_eq!(sv(&a, 2).verdict, Some(Verdict::Green));
    // 72 h, not easing (6): leaves the soreness path and is graded as pain (6 against a usual 2).
    let stuck = f.clone().cw(CheckIn {
        at: at(17, 20),
        ..sore(17, 6)
    });
    let a = stuck.assess(at(17, 21));
    let s = sv(&a, 2);
    assert_eq!(
        (s.verdict, s.rule),
        (Some(Verdict::Red), RuleId::Ds3),
        "{}",
        s.reason
    );
    assert!(!s.soreness);
    // Back pain (not soreness) at 48 h after a sore morning is graded as pain.
    let back = base.cw(sore(15, 4)).c(at(16, 8), 6);
    let s = sv(&back.assess(at(16, 9)), 2).clone();
    assert_eq!(
        (s.verdict, s.rule),
        (Some(Verdict::Red), RuleId::Pm5),
        "{}",
        s.reason
    );
    assert!(!s.soreness);
}

/// DS-2: soreness is not a flare signal; the same pain without the soreness mark is.
#[test]
fn sore_mornings_do_not_start_a_flare_or_move_the_trend() {
    let sore = |day: i64, pain: u8| CheckIn {
        muscle_soreness: true,
        ..checkin(at(day, 8), pain)
    };
    let base = tolerated_base().s(at(14, 18), Some(2), &["goblet-squat 3x10@16 p2"]);
    let f = base.clone().cw(sore(15, 6)).cw(sore(16, 6));
    let a = f.assess(at(16, 9));
    assert!(
        !a.flare.active,
        "two sore mornings after a leg day are not a flare"
    );
    assert!(
        !a.trend.hold,
        "soreness does not count in the weekly trend: {:?}",
        a.trend
    );
    let f = base.c(at(15, 8), 6).c(at(16, 8), 6);
    let a = f.assess(at(16, 9));
    assert!(a.flare.active, "the same pain as back pain is a flare");
}

#[test]
fn case_6_flare_detection_mode_and_re_entry() {
    let f = tolerated_base().c(at(15, 8), 6).c(at(16, 8), 6).c(at(17, 8), 5);
    let a = f.assess(at(17, 9));
    assert!(a.flare.active);
    assert_eq!(a.flare.since, Some(at(15, 8)), "from the first elevated morning");
    assert!(!a.flare.declared);
    // Flare mode: loaded work left out, nothing progresses.
    let c = ex(&a, "conventional-deadlift");
    assert_eq!(c.next, NextStep::Avoid, "{} {:?}", c.reason, c.evidence);
    assert_eq!(ex(&a, "conventional-deadlift").rule, RuleId::Fl2);
    assert!(a.exercises.iter().all(|e| e.next <= NextStep::Hold));
    // Two calm days end it. A three-day flare is short: re-entry starts at step 2, 70 % of the pre-flare dose at
    // RPE ≤ 7 (FL-3 scales with the flare's length).
    let f = f.c(at(18, 8), 3).c(at(19, 8), 3);
    let a = f.assess(at(19, 9));
    assert!(!a.flare.active);
    assert_eq!(a.flare.reentry_step, Some(2));
    assert_eq!(a.flare.reentry_calm_per_step, 1);
    let dl = ex(&a, "conventional-deadlift");
    assert_eq!(dl.rule, RuleId::Fl3);
    let d = dl.dose.as_ref().unwrap();
    assert_eq!(
        d.load.unwrap().grams(),
        55_000,
        "70 % of 80 kg, rounded down to the plates"
    );
    assert_eq!(d.target_rpe, Some(7.0));
    assert_eq!(a.flares.len(), 1);
    assert_eq!(a.flares[0].peak_pain, Some(6));
    // A calm session moves re-entry one step, never more.
    let f = f
        .s(at(19, 18), Some(2), &["conventional-deadlift 3x5@55 rpe7 p1"])
        .c(at(20, 8), 2);
    let a = f.assess(at(20, 9));
    assert_eq!(a.flare.reentry_step, Some(3));
    assert_eq!(
        ex(&a, "conventional-deadlift")
            .dose
            .as_ref()
            .unwrap()
            .load
            .unwrap()
            .grams(),
        67_500,
        "85 % of 80 kg"
    );
    // A lone elevated morning is a spike, not a flare.
    let spike = tolerated_base().c(at(15, 8), 6).c(at(16, 8), 2);
    let a = spike.assess(at(16, 9));
    assert!(!a.flare.active);
    assert_eq!(a.spikes, vec![at(15, 8)]);
    // Two elevated check-ins on the same day are not yet 24 h of raised pain.
    let same_day = tolerated_base().c(at(15, 8), 6).c(at(15, 20), 6);
    assert!(!same_day.assess(at(15, 21)).flare.active);
    assert!(same_day.c(at(16, 8), 6).assess(at(16, 9)).flare.active);
}

#[test]
fn declared_flares_and_escalation() {
    let mut f = tolerated_base();
    f.flares.push(FlareEvent {
        at: at(15, 12),
        mark: FlareMark::Start,
    });
    let a = f.assess(at(16, 0));
    assert!(a.flare.active && a.flare.declared);
    assert!(a.alerts.iter().all(|x| x.rule != RuleId::Fl4));
    let a = f.assess(at(31, 0));
    assert!(
        a.alerts
            .iter()
            .any(|x| x.rule == RuleId::Fl4 && x.message.contains("review"))
    );
    let a = f.assess(at(60, 0));
    assert!(
        a.alerts
            .iter()
            .any(|x| x.rule == RuleId::Fl4 && x.message.contains("one to two weeks"))
    );
    f.flares.push(FlareEvent {
        at: at(20, 12),
        mark: FlareMark::End,
    });
    let a = f.assess(at(21, 0));
    assert!(!a.flare.active);
    assert_eq!(
        a.flare.reentry_step,
        Some(2),
        "a five-day flare skips the first step"
    );
    assert_eq!(a.flares[0].days, 5.0);
}

/// FL-3: the re-entry ramp scales with the flare's length: a medium flare starts at step 1 with one calm session a
/// step, a long one (over 28 days) needs two calm sessions a step.
#[test]
fn re_entry_scales_with_the_flares_length() {
    let declared = |days: i64| {
        let mut f = tolerated_base();
        f.flares.push(FlareEvent {
            at: at(15, 12),
            mark: FlareMark::Start,
        });
        f.flares.push(FlareEvent {
            at: at(15 + days, 12),
            mark: FlareMark::End,
        });
        f
    };
    let a = declared(10).assess(at(26, 0));
    assert_eq!(
        (a.flare.reentry_step, a.flare.reentry_calm_per_step),
        (Some(1), 1)
    );
    let f = declared(35);
    let a = f.assess(at(51, 0));
    assert_eq!(
        (a.flare.reentry_step, a.flare.reentry_calm_per_step),
        (Some(1), 2)
    );
    assert!(ex(&a, "conventional-deadlift").reason.contains("2 calm sessions"));
    // One calm session is not enough for the next step after a long flare; two are.
    let f = f
        .s(at(51, 18), Some(2), &["conventional-deadlift 3x5@40 rpe6 p1"])
        .c(at(52, 8), 2);
    assert_eq!(f.assess(at(52, 9)).flare.reentry_step, Some(1));
    let f = f
        .s(at(53, 18), Some(2), &["conventional-deadlift 3x5@40 rpe6 p1"])
        .c(at(54, 8), 2);
    assert_eq!(f.assess(at(54, 9)).flare.reentry_step, Some(2));
}

/// FL-4: the review and referral depend on whether the flare is improving; "about a month" fires at a month.
#[test]
fn flare_escalation_follows_improvement() {
    let flare_from = |pains: &[(i64, u8)]| {
        let mut f = tolerated_base();
        for (d, p) in pains {
            f = f.c(at(*d, 8), *p);
        }
        f
    };
    // Days 15–45 at 6 every other day: not improving.
    let stuck: Vec<(i64, u8)> = (15..46).step_by(2).map(|d| (d, 6)).collect();
    let a = flare_from(&stuck).assess(at(30, 9));
    let fl4: Vec<&str> = a
        .alerts
        .iter()
        .filter(|x| x.rule == RuleId::Fl4)
        .map(|x| x.message.as_str())
        .collect();
    assert!(fl4.iter().any(|m| m.contains("without improving")), "{fl4:?}");
    let a = flare_from(&stuck).assess(at(44, 9));
    let fl4: Vec<&str> = a
        .alerts
        .iter()
        .filter(|x| x.rule == RuleId::Fl4)
        .map(|x| x.message.as_str())
        .collect();
    assert!(
        fl4.iter()
            .any(|m| m.contains("one to two weeks") && m.contains("about a month")),
        "{fl4:?}"
    );
    // Easing from 7 to 4 (still above usual + 1, so still a flare): a review note that says it is easing, and no
    // referral at 29 days.
    let easing: Vec<(i64, u8)> = (15..46)
        .step_by(2)
        .map(|d| (d, if d < 22 { 7 } else { 4 }))
        .collect();
    let a = flare_from(&easing).assess(at(44, 9));
    let fl4: Vec<&str> = a
        .alerts
        .iter()
        .filter(|x| x.rule == RuleId::Fl4)
        .map(|x| x.message.as_str())
        .collect();
    assert!(fl4.iter().any(|m| m.contains("easing")), "{fl4:?}");
    assert!(fl4.iter().all(|m| !m.contains("one to two weeks")), "{fl4:?}");
    // Past 42 days, a visit soon whatever the trend.
    let long: Vec<(i64, u8)> = (15..60)
        .step_by(2)
        .map(|d| (d, if d < 22 { 7 } else { 4 }))
        .collect();
    let a = flare_from(&long).assess(at(58, 9));
    assert!(
        a.alerts
            .iter()
            .any(|x| x.rule == RuleId::Fl4 && x.message.contains("one to two weeks"))
    );
}

/// FL-2: reduce, don't stop. Tolerated low-demand work stays at a reduced dose in a flare; demanding work waits.
#[test]
fn a_flare_keeps_tolerated_low_demand_work_at_a_reduced_dose() {
    let a = tolerated_base().c(at(15, 8), 6).c(at(16, 8), 6).assess(at(16, 9));
    assert!(a.flare.active);
    let pd = ex(&a, "lat-pulldown");
    assert_eq!((pd.next, pd.rule), (NextStep::Hold, RuleId::Fl2), "{}", pd.reason);
    let d = pd.dose.as_ref().unwrap();
    assert_eq!(d.load.unwrap().grams(), 20_000, "half of 40 kg");
    assert_eq!(d.target_rpe, Some(6.0));
    let c = ex(&a, "conventional-deadlift");
    assert_eq!(c.next, NextStep::Avoid, "{} {:?}", c.reason, c.evidence);
}

#[test]
fn case_7_leg_symptoms_stop_the_exercise_whatever_the_score() {
    let f = Facts::default().s(
        at(0, 18),
        Some(2),
        &["romanian-deadlift 3x8@40 p1 leg", "lat-pulldown 3x10@40 p1"],
    );
    let a = f.assess(at(0, 20));
    let v = exv(sv(&a, 0), "romanian-deadlift");
    assert_eq!((v.verdict, v.rule), (Some(Verdict::Red), RuleId::Pm4));
    assert!(sv(&a, 0).rescreen);
    assert!(a.alerts.iter().any(|x| x.rule == RuleId::Pm4));
    let mut numb = checkin(at(1, 8), 1);
    numb.numbness = true;
    let a = Facts::default()
        .s(at(0, 18), Some(2), &["lat-pulldown 3x10@40 p1"])
        .cw(numb)
        .assess(at(1, 9));
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Red));
    assert_eq!(sv(&a, 0).rule, RuleId::Pm4);
    assert!(a.alerts.iter().any(|x| x.rule == RuleId::Pm4));
}

#[test]
fn case_8_a_rising_week_holds_progression() {
    let mut f = Facts::default();
    // Last week mornings 1, this week mornings 2: +1.
    for d in 0..7 {
        f = f.c(at(d, 8), 1);
    }
    for d in 7..14 {
        f = f.c(at(d, 8), 2);
    }
    f = f.s(at(8, 18), Some(2), &["lat-pulldown 3x10@40 p1"]).s(
        at(10, 18),
        Some(2),
        &["lat-pulldown 3x10@40 p1"],
    );
    let a = f.assess(at(13, 9));
    assert!(a.trend.hold && !a.trend.deload, "{:?}", a.trend);
    assert!(
        a.sessions.iter().all(|s| s.verdict == Some(Verdict::Green)),
        "no red session"
    );
    let l = ex(&a, "lat-pulldown");
    assert_eq!(l.next, NextStep::Hold);
    assert_eq!(l.rule, RuleId::Pm6);
    assert!(a.alerts.iter().any(|x| x.rule == RuleId::Pm6));
    // +2: a deload week is suggested.
    let mut g = Facts::default();
    for d in 0..7 {
        g = g.c(at(d, 8), 0);
    }
    for d in 7..14 {
        g = g.c(at(d, 8), 2);
    }
    assert!(g.assess(at(13, 9)).trend.deload);
}

#[test]
fn stiffness_counts_for_the_weekly_trend() {
    let mut f = Facts::default();
    for d in 0..14 {
        let mut c = checkin(at(d, 8), 1);
        c.stiffness = Some(Stiffness::new(if d < 7 { 1 } else { 3 }).unwrap());
        f = f.cw(c);
    }
    let a = f.assess(at(13, 9));
    assert!(a.trend.deload, "{:?}", a.trend);
}

#[test]
fn case_10_storage_order_does_not_matter() {
    let f = tolerated_base()
        .s(
            at(14, 18),
            Some(2),
            &[
                "chest-supported-row 3x10@30 p2",
                "back-extension-45-degree 2x10 p3",
            ],
        )
        .c(at(15, 8), 5);
    let a = serde_json::to_string(&f.assess(at(16, 0))).unwrap();
    let mut g = f.clone();
    g.sessions.reverse();
    g.checkins.reverse();
    assert_eq!(serde_json::to_string(&g.assess(at(16, 0))).unwrap(), a);
}

#[test]
fn form_flags_hold_the_dose() {
    let f = Facts::default()
        .s(at(0, 18), Some(2), &["lat-pulldown 3x12@40 p1 form"])
        .c(at(1, 8), 2)
        .s(at(3, 18), Some(2), &["lat-pulldown 3x12@40 p1 back"])
        .c(at(4, 8), 2);
    let a = f.assess(at(5, 0));
    let l = ex(&a, "lat-pulldown");
    assert_eq!(l.next, NextStep::Hold);
    assert_eq!(exv(sv(&a, 1), "lat-pulldown").rule, RuleId::Bk2);
}

#[test]
fn a_second_red_parks_an_exercise() {
    let f = Facts::default()
        .s(at(0, 18), Some(2), &["goblet-squat 3x8@20 p6"])
        .c(at(1, 8), 2)
        .s(at(3, 18), Some(2), &["goblet-squat 3x8@17 p6"])
        .c(at(4, 8), 2);
    let a = f.assess(at(4, 9));
    let l = ex(&a, "goblet-squat");
    assert_eq!(l.status, LedgerStatus::Parked, "{}", l.reason);
    assert!(l.reason.contains("ES-4"));
}

#[test]
fn sensitivity_confirmed_and_dropped() {
    // Flexion hypothesis from sitting; sit-ups red twice → confirmed.
    let p = profile(2, vec![Aggravator::Sitting]);
    let f = Facts::default()
        .s(at(0, 18), Some(2), &["sit-up 2x10 p6"])
        .c(at(1, 8), 2)
        .s(at(3, 18), Some(2), &["crunch 2x10 p6"])
        .c(at(4, 8), 2);
    let a = f.assess_with(&p, at(5, 0));
    let flex = a
        .sensitivities
        .iter()
        .find(|s| s.category == Sensitivity::Flexion)
        .unwrap();
    assert_eq!(flex.status, SensitivityStatus::Confirmed);
    // Extension hypothesis (standing), back extensions calm three times → dropped.
    let p = profile(2, vec![Aggravator::Standing]);
    let mut f = Facts::default();
    for w in 0..3 {
        f = f
            .s(at(w * 3, 18), Some(2), &["back-extension-45-degree 2x10 p1"])
            .c(at(w * 3 + 1, 8), 2);
    }
    let a = f.assess_with(&p, at(10, 0));
    let ext = a
        .sensitivities
        .iter()
        .find(|s| s.category == Sensitivity::Extension)
        .unwrap();
    assert_eq!(ext.status, SensitivityStatus::Dropped, "{}", ext.evidence);
    assert!(!a.active_sensitivities().contains(&Sensitivity::Extension));
}

// ---- scenarios over weeks -------------------------------------------------------------------------------------

/// Ten weeks, three sessions a week, one change at a time; `culprit` reddens the next morning whenever it is done.
fn culprit_scenario(culprit: &str, weeks: i64) -> (Facts, Vec<Timestamp>) {
    let base = [
        "chest-supported-row 3x10@30 p1",
        "lat-pulldown 3x10@40 p1",
        "dead-bug 2x8 p0",
    ];
    let newcomers = [
        "goblet-squat 2x8@16 p1",
        culprit,
        "pallof-press 2x10@10 p1",
        "face-pull 2x12@10 p1",
    ];
    let mut f = Facts::default();
    let mut culprit_days = Vec::new();
    let mut introduced = 0;
    for w in 0..weeks {
        for (k, d) in [0, 2, 4].into_iter().enumerate() {
            let day = w * 7 + d;
            let mut groups: Vec<&str> = base.to_vec();
            // One newcomer introduced every other session, then kept.
            let session_no = (w * 3) as usize + k;
            if session_no % 2 == 1 && introduced < newcomers.len() {
                introduced += 1;
            }
            groups.extend(newcomers[..introduced].iter().copied());
            let has_culprit = groups.contains(&culprit);
            f = f
                .s(at(day, 18), Some(2), &groups)
                .c(at(day + 1, 8), if has_culprit { 5 } else { 2 });
            if has_culprit {
                culprit_days.push(at(day, 18));
            }
        }
    }
    (f, culprit_days)
}

#[test]
fn a_planted_culprit_becomes_the_top_suspect_within_three_exposures() {
    let culprit = "good-morning 2x8@20 p2";
    let (f, days) = culprit_scenario(culprit, 10);
    for (n, day) in days.iter().enumerate().take(3) {
        let a = f.assess(*day + SignedDuration::from_hours(15));
        if a.suspects.first().is_some_and(|s| s.exercise == "good-morning") {
            assert!(n < 3);
            let l = ex(&a, "good-morning");
            assert!(
                matches!(l.status, LedgerStatus::Parked | LedgerStatus::Provocative),
                "{:?}",
                l.status
            );
            return;
        }
    }
    panic!("good-morning was not the top suspect within three exposures");
}

#[test]
fn over_twelve_calm_weeks_things_progress_and_nothing_is_suspected() {
    let mut f = Facts::default();
    let mut reps = 8;
    let mut load = 40.0;
    for w in 0..12 {
        for d in [0, 3] {
            let day = w * 7 + d;
            f = f
                .s(
                    at(day, 18),
                    Some(2),
                    &[&format!("lat-pulldown 3x{reps}@{load} p1")],
                )
                .c(at(day + 1, 8), 2)
                .c(at(day + 2, 8), 2);
            let a = f.assess(at(day + 2, 9));
            let l = ex(&a, "lat-pulldown");
            assert!(l.next >= NextStep::Hold, "week {w}: {}", l.reason);
            if l.next == NextStep::Progress {
                let d = l.dose.as_ref().unwrap();
                reps = d.reps.unwrap();
                load = d.load.unwrap().in_unit(WeightUnit::Kg);
            }
        }
    }
    let a = f.assess(at(84, 0));
    assert!(a.suspects.is_empty());
    assert!(load > 45.0, "load only reached {load}");
    assert_eq!(ex(&a, "lat-pulldown").status, LedgerStatus::Tolerated);
}

#[test]
fn doms_after_a_new_exercise_does_not_park_it_over_weeks() {
    let mut f = tolerated_base();
    let mut sore = checkin(at(15, 8), 5);
    sore.muscle_soreness = true;
    f = f
        .s(at(14, 18), Some(2), &["romanian-deadlift 2x8@30 p1"])
        .cw(sore);
    for w in 3..6 {
        f = f
            .s(at(w * 7, 18), Some(2), &["romanian-deadlift 2x8@30 p1"])
            .c(at(w * 7 + 1, 8), 2);
    }
    let a = f.assess(at(43, 0));
    let l = ex(&a, "romanian-deadlift");
    assert_eq!(l.status, LedgerStatus::Tolerated);
    assert!(a.suspects.iter().all(|s| s.exercise != "romanian-deadlift"));
}

// ---- properties ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn assess_is_deterministic_and_ignores_storage_order(h in gen_history(), seed in any::<u64>()) {
        let f = build(&h);
        let now = end_of(&h);
        let a = serde_json::to_string(&f.assess(now)).unwrap();
        prop_assert_eq!(&serde_json::to_string(&f.assess(now)).unwrap(), &a);
        let mut g = f.clone();
        // A deterministic shuffle from the seed.
        let n = g.sessions.len();
        for i in 0..n {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % n as u64) as usize;
            g.sessions.swap(i, j);
        }
        g.checkins.reverse();
        prop_assert_eq!(serde_json::to_string(&g.assess(now)).unwrap(), a);
    }

    #[test]
    fn more_pain_never_makes_a_next_step_more_aggressive(
        h in gen_history(),
        which in any::<prop::sample::Index>(),
        bump in 1u8..4,
    ) {
        let now = end_of(&h);
        let before = build(&h).assess(now);
        // Raise one pain value: a set's pain or a given check-in's. (Pre-session pain raises the ceiling by design,
        // PM-2, and adding a missing check-in is more information, not more pain.)
        let mut h2 = h.clone();
        let slots: usize = h2.iter().map(|s| s.exercises.len() + 2).sum();
        let mut k = which.index(slots);
        // The exercises that come after a bumped set's exercise in its session (BK-6 may pin their red on the
        // session's load instead: they may go from parked to regressed, never further).
        let mut later: Vec<&str> = Vec::new();
        // What the raised reading was of: a set's exercise, or a check-in's session's exercises.
        let mut bumped_in: Vec<&str> = Vec::new();
        'outer: for s in h2.iter_mut() {
            bumped_in = s.exercises.iter().map(|(i, _)| POOL[*i].split(' ').next().unwrap_or("")).collect();
            let mut order: Vec<usize> = Vec::new();
            for (i, _) in &s.exercises {
                if !order.contains(i) {
                    order.push(*i);
                }
            }
            for e in s.exercises.iter_mut() {
                if k == 0 {
                    e.1 = (e.1 + bump).min(10);
                    let from = order.iter().position(|i| *i == e.0).unwrap_or(0);
                    later = order[from + 1..].iter().map(|i| POOL[*i].split(' ').next().unwrap_or("")).collect();
                    bumped_in = vec![POOL[e.0].split(' ').next().unwrap_or("")];
                    break 'outer;
                }
                k -= 1;
            }
            if k == 0 { prop_assume!(s.morning.is_some()); s.morning = s.morning.map(|m| (m + bump).min(10)); break; }
            k -= 1;
            if k == 0 { prop_assume!(s.second.is_some()); s.second = s.second.map(|m| (m + bump).min(10)); break; }
            k -= 1;
        }
        // PM-6 compares this week with last week: raising pain in last week can only lower the rise. That one
        // reference window is the documented exception (docs/rules.md, PM-6), so keep bumps out of it.
        let after_facts = build(&h2);
        let last_week = |c: &CheckIn| c.at >= now - SignedDuration::from_hours(24 * 14) && c.at < now - SignedDuration::from_hours(24 * 7);
        let changed_last_week = build(&h).checkins.iter().zip(after_facts.checkins.iter()).any(|(a, b)| a != b && last_week(a))
            || build(&h).checkins.len() != after_facts.checkins.len() && after_facts.checkins.iter().any(last_week);
        prop_assume!(!changed_last_week);
        let after = after_facts.assess(now);
        for b in &before.exercises {
            let a = after.exercise(&b.exercise).unwrap();
            // BK-6 is the second documented exception (docs/rules.md): pain raised earlier in a session can move a
            // later exercise's red from "pinned on it" to "the session's load", after which its own history decides.
            if later.contains(&b.exercise.as_str()) {
                continue;
            }
            // BK-8 is the third (docs/rules.md, note (l)): a red elsewhere raises the back's own base rate, so a
            // later red morning is no longer pinned on the exercises in it; one parked for it may come back to a
            // hold, never further.
            let base_rate = |x: &Assessment| x.sessions.iter().flat_map(|v| &v.exercises)
                .filter(|e| e.exercise == b.exercise && e.rule == RuleId::Bk8).count();
            // CA-3 measures the same base rate across blocks and sessions (note (m)): more pain during another
            // exercise, or after a session without this one, leaves less of the back's pain for it to explain, so
            // one parked by a cause may no longer be named, after which its own history decides (as with BK-6).
            // The same holds for a red within one session (note (m)): more pain during an exercise that had been
            // red before can move a later red morning's blame onto it (C5 counts its return as the change), and the
            // exercise it was pinned on goes back to its own history.
            let own = bumped_in.contains(&b.exercise.as_str());
            let reds = |x: &Assessment| x.sessions.iter().flat_map(|v| &v.exercises)
                .filter(|e| e.exercise == b.exercise && e.verdict == Some(Verdict::Red)).count();
            let uncaused = b.reason.contains("CA-4") && !a.reason.contains("CA-4");
            // A raised reading can also make another exercise red, whose return to a later session is then a change
            // beside this one (C5): a red there is no longer this one's alone, so it is regressed, not parked.
            let lone = |x: &Assessment| x.sessions.iter()
                .filter(|v| v.verdict == Some(Verdict::Red) && v.novelties.len() == 1 && v.novelties[0].exercise == b.exercise)
                .count();
            if !own && (uncaused || reds(&after) < reds(&before) || lone(&after) < lone(&before)) {
                continue;
            }
            let limit = if base_rate(&after) > base_rate(&before) { b.next.max(NextStep::Hold) } else { b.next };
            prop_assert!(a.next <= limit, "{}: {:?} -> {:?} ({} / {})", b.exercise, b.next, a.next, b.reason, a.reason);
        }
    }

    #[test]
    fn the_session_load_rule_never_spares_a_lone_change_or_a_big_rise(h in gen_history()) {
        // BK-6 applies only when pain had climbed before the exercise and rose by less than 2 during it, and never
        // to the session's lone change.
        let f = build(&h);
        let a = f.assess(end_of(&h));
        for (s, v) in f.sessions.iter().zip(&a.sessions) {
            for e in v.exercises.iter().filter(|e| e.rule == RuleId::Bk6) {
                prop_assert!(!(v.novelties.len() == 1 && v.novelties[0].exercise == e.exercise));
                let first = s.sets.iter().position(|x| x.exercise == e.exercise).unwrap();
                let p0 = s.pain_before.map_or(2, |p| p.value());
                let entry = s.sets[..first].iter().filter_map(|x| x.pain.map(|p| p.value())).max().unwrap_or(p0).max(p0);
                prop_assert!(entry > p0 && e.max_pain.unwrap() < entry + 2, "{:?} entry {entry}", e);
                prop_assert_eq!(e.verdict, Some(Verdict::Red));
            }
        }
    }

    #[test]
    fn every_named_cause_meets_the_naming_rules(h in gen_history()) {
        // CA-4: enough exposures (for a direction, sessions with any exercise loading it at all), a score at the
        // weak threshold or more, and a difference that matters in pain points.
        let a = build(&h).assess(end_of(&h));
        let st = Settings::default();
        let cat = catalog();
        let loads = |c: &crate::engine::causes::Cause, id: &str| match c.direction() {
            Some(d) => cat.get(id).is_some_and(|e| e.spinal.along(d) >= 1),
            None => c.covers(id, &cat),
        };
        for c in &a.causes {
            let exposed = a
                .sessions
                .iter()
                .filter(|v| v.verdict.is_some())
                .filter(|v| v.exercises.iter().any(|e| loads(c, &e.exercise)))
                .count();
            prop_assert!(exposed >= st.cause_min_exposures, "{c:?}");
            prop_assert!(c.score >= st.cause_weak_score, "{c:?}");
            let morning_gap = c.morning_with.zip(c.morning_without).map_or(0.0, |(a, b)| a - b);
            let rise_gap = c.rise_with.zip(c.rise_without).map_or(0.0, |(a, b)| a - b);
            // A broader cause that took over a named exercise's evidence (CA-5) needs only both averages to point
            // the same way.
            let pooled = c.evidence.contains("so the whole group is named");
            prop_assert!(
                morning_gap >= st.cause_min_morning || rise_gap > 0.0 || (pooled && morning_gap > 0.0),
                "{c:?}"
            );
        }
        for s in &a.suspects {
            prop_assert!(
                a.causes.iter().any(|c| c.level == CauseLevel::Exercise && c.name == s.exercise)
                    || ex(&a, &s.exercise).provocation.is_some(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn a_history_whose_pain_never_moves_names_no_cause(h in gen_history()) {
        // Every set at the pre-session pain and every morning at the usual pain: nothing goes with more pain.
        let mut h = h;
        for s in &mut h {
            s.p0 = Some(2);
            for e in &mut s.exercises {
                e.1 = 2;
            }
            s.morning = s.morning.map(|_| 2);
            s.second = s.second.map(|_| 2);
        }
        let a = build(&h).assess(end_of(&h));
        prop_assert!(a.causes.is_empty(), "{:?}", a.causes);
        prop_assert!(a.suspects.is_empty(), "{:?}", a.suspects);
    }

    #[test]
    fn verdict_rules_always_give_a_reason_and_a_rule(h in gen_history()) {
        let a = build(&h).assess(end_of(&h));
        for s in &a.sessions {
            prop_assert!(!s.reason.is_empty());
            for e in &s.exercises {
                prop_assert!(!e.reason.is_empty());
            }
        }
        for l in &a.exercises {
            prop_assert!(!l.reason.is_empty());
            prop_assert_eq!(l.dose.is_none(), l.next == NextStep::Avoid);
        }
    }
}

#[test]
fn sessions_without_check_ins_make_no_session_level_causes() {
    let f = Facts::default()
        .s(
            at(0, 18),
            Some(2),
            &["chest-supported-row 3x10@30 p1", "goblet-squat 3x8@20 p6"],
        )
        .s(
            at(7, 18),
            Some(2),
            &["chest-supported-row 3x10@30 p1", "goblet-squat 3x8@20 p6"],
        );
    let a = f.assess(at(20, 0));
    assert!(a.sessions.iter().all(|s| s.status == VerdictStatus::Unconfirmed));
    // Two sessions are too few to name a cause across sessions (CA-4)…
    assert!(a.causes.is_empty(), "{:?}", a.causes);
    // …but the painful exercise is handled on its own evidence: parked, and a suspect for what it carried.
    assert_eq!(ex(&a, "goblet-squat").status, LedgerStatus::Parked);
    assert_eq!(ex(&a, "chest-supported-row").next, NextStep::Hold);
    assert_eq!(a.suspects.len(), 1, "{:?}", a.suspects);
    assert_eq!(a.suspects[0].exercise, "goblet-squat");
    assert_eq!(a.suspects[0].confidence, Confidence::Weak);
}

// ---- CA: causes above the exercise ------------------------------------------------------------------------------

/// The case that motivated CA-1…CA-4: a back that reacts to compression, spread over exercises already in the plan,
/// with three one-off novelties that each happened to land on a red day. Twelve weeks, three sessions a week, in a
/// cycle of three compression-heavy session types (two exercises that load compression at 2 each, from two of the
/// squat, hinge and carry patterns, so that no one exercise or pattern is in all of them) and one light type. Pain
/// climbs during every exercise that loads compression at 2; 8 of the heavy sessions' next mornings are red, the
/// rest a point up; light sessions are calm.
fn compression_back() -> Facts {
    let heavy = [
        ["goblet-squat 3x10@20 p2,3,3", "romanian-deadlift 3x8@50 p3,4,4"],
        ["romanian-deadlift 3x8@50 p2,3,3", "farmers-carry 3x30m@24 p3,4,4"],
        ["farmers-carry 3x30m@24 p2,3,3", "goblet-squat 3x10@20 p3,4,4"],
    ];
    let light = [
        "lat-pulldown 3x10@40 p2",
        "chest-supported-row 3x10@20 p2",
        "dead-bug 3x8 p2",
    ];
    let one_offs = [
        "band-pull-apart 2x15 p4",
        "bent-over-reverse-fly 2x12@5 p4",
        "chest-supported-reverse-fly 2x12@5 p4",
    ];
    let mut f = Facts::default();
    let mut heavy_no = 0;
    for w in 0..12 {
        for (k, d) in [0, 2, 4].into_iter().enumerate() {
            let (day, i) = (w * 7 + d, (w * 3) as usize + k);
            let (groups, morning): (Vec<&str>, u8) = if i % 4 == 3 {
                (light.to_vec(), 2)
            } else {
                heavy_no += 1;
                let mut g = heavy[i % 4].to_vec();
                g.push("lat-pulldown 3x10@40 p4");
                // Red mornings spread over the three heavy types.
                let red = [1, 5, 9, 10, 14, 18, 19, 23].contains(&heavy_no);
                // The one-offs land on red days, each once.
                if let Some(n) = [5, 10, 18].iter().position(|x| *x == heavy_no) {
                    g.push(one_offs[n]);
                }
                (g, if red { 5 } else { 3 })
            };
            f = f.s(at(day, 18), Some(2), &groups).c(at(day + 1, 8), morning);
        }
    }
    f
}

#[test]
fn golden_compression_spread_over_sessions_is_named_not_the_one_off_novelties() {
    let a = compression_back().assess(at(84, 0));
    let reds = a
        .sessions
        .iter()
        .filter(|s| s.verdict == Some(Verdict::Red))
        .count();
    assert_eq!(reds, 8, "the case has 8 red mornings");
    let top = a.causes.first().expect("a cause is named");
    assert_eq!(
        (top.level, top.name.as_str()),
        (CauseLevel::Direction, "compression"),
        "{:#?}",
        a.causes
    );
    assert!(top.confidence >= Confidence::Moderate, "{top:?}");
    assert!(top.evidence.contains("compression"), "{}", top.evidence);
    for one_off in [
        "band-pull-apart",
        "bent-over-reverse-fly",
        "chest-supported-reverse-fly",
    ] {
        assert!(
            a.suspects.iter().all(|s| s.exercise != one_off),
            "{one_off}: {:?}",
            a.suspects
        );
        assert!(a.causes.iter().all(|c| c.name != one_off), "{one_off}");
        let l = ex(&a, one_off);
        assert!(
            !matches!(l.status, LedgerStatus::Parked | LedgerStatus::Provocative),
            "{one_off} parked: {}",
            l.reason
        );
    }
    // What the back seems sensitive to says so, with the numbers (ES-1 fed by CA-4).
    let load = a
        .sensitivities
        .iter()
        .find(|f| f.category == crate::vocab::Sensitivity::Load)
        .expect("load");
    assert_eq!(load.status, SensitivityStatus::Confirmed, "{}", load.evidence);
    // The planner holds back heavy compression.
    let plan = crate::plan::plan(
        &a,
        &crate::testkit::profile(2, vec![]),
        &catalog(),
        crate::plan::Readiness {
            pain_now: None,
            minutes: None,
        },
        a.date,
    );
    for it in &plan.items {
        let e = catalog().get(&it.exercise).cloned().unwrap();
        assert!(
            e.spinal.compression < 2 || e.is_low_risk(),
            "{} planned: {:?}",
            it.exercise,
            it.reasons
        );
    }
    assert!(
        plan.notes.iter().any(|n| n.contains("compression")),
        "{:?}",
        plan.notes
    );
}

#[test]
fn one_exercise_that_hurts_is_named_at_the_exercise_level() {
    // Pain climbs during one exercise, whatever else the session holds; other exercises of its pattern and
    // direction are calm. Named: that exercise, not its pattern or direction.
    let mut f = Facts::default();
    for w in 0..8 {
        for (k, d) in [0, 2, 4].into_iter().enumerate() {
            let day = w * 7 + d;
            let mut groups = vec!["lat-pulldown 3x10@40 p2", "dead-bug 2x8 p2"];
            match k {
                0 => groups.push("goblet-squat 3x10@20 p2,3,4"),
                1 => groups.push("front-squat 3x5@40 p2"),
                _ => groups.push("romanian-deadlift 3x8@50 p2"),
            }
            f = f.s(at(day, 18), Some(2), &groups).c(at(day + 1, 8), 2);
        }
    }
    let a = f.assess(at(60, 0));
    let top = a.causes.first().expect("a cause is named");
    assert_eq!(
        (top.level, top.name.as_str()),
        (CauseLevel::Exercise, "goblet-squat"),
        "{:#?}",
        a.causes
    );
    assert_eq!(a.suspects[0].exercise, "goblet-squat");
    // CA-5: the rest of its pattern and of every direction it loads was done and stayed calm, so no broader cause
    // that only it carried is named.
    assert!(
        a.causes.iter().all(|c| c.level == CauseLevel::Exercise),
        "{:#?}",
        a.causes
    );
}

/// A back that reacts to hinging, whatever the hinge: the kettlebell deadlift is in every session and hurts most
/// (it is the heaviest), the Romanian deadlift and the dowel hinge drill come in on alternate days and raise pain
/// less; the pulls and the trunk work are calm. `rest_rise` says in which weeks the other hinges raise pain.
fn hinge_back(rest_rise: impl Fn(i64) -> bool) -> Facts {
    let mut f = Facts::default();
    for w in 0..8 {
        for (k, d) in [0, 2, 4].into_iter().enumerate() {
            let day = w * 7 + d;
            let groups: Vec<&str> = match (k, rest_rise(w)) {
                (0, _) => vec![
                    "lat-pulldown 3x10@40 p2",
                    "kettlebell-deadlift 3x8@24 p2,3,4",
                    "chest-supported-row 3x10@20 p4",
                ],
                (1, true) => vec![
                    "lat-pulldown 3x10@40 p2",
                    "romanian-deadlift 3x8@40 p2,3,3",
                    "kettlebell-deadlift 3x8@24 p3,4,5",
                ],
                (1, false) => vec![
                    "lat-pulldown 3x10@40 p2",
                    "romanian-deadlift 3x8@40 p2,2,2",
                    "kettlebell-deadlift 3x8@24 p2,3,4",
                ],
                (_, true) => vec![
                    "dead-bug 2x8 p2",
                    "hip-hinge-dowel 3x10 p2,3,3",
                    "kettlebell-deadlift 3x8@24 p3,4,5",
                ],
                (_, false) => vec![
                    "dead-bug 2x8 p2",
                    "hip-hinge-dowel 3x10 p2,2,2",
                    "kettlebell-deadlift 3x8@24 p2,3,4",
                ],
            };
            f = f.s(at(day, 18), Some(2), &groups).c(at(day + 1, 8), 2);
        }
    }
    f
}

#[test]
fn a_pattern_whose_other_exercises_hurt_too_is_named_instead_of_its_most_frequent_exercise() {
    // CA-5: the kettlebell deadlift alone scores highest (it is in every session), but the other hinges raise pain
    // too with it held fixed: the pattern is named in its place, with the exercise's evidence pooled in.
    let a = hinge_back(|_| true).assess(at(60, 0));
    let top = a.causes.first().expect("a cause is named");
    assert_eq!(
        (top.level, top.name.as_str()),
        (CauseLevel::Pattern, "hinge"),
        "{:#?}",
        a.causes
    );
    assert!(
        top.evidence
            .contains("kettlebell-deadlift goes with more pain, and so do the other hinge exercises"),
        "{}",
        top.evidence
    );
    assert!(
        a.causes
            .iter()
            .all(|c| !(c.level == CauseLevel::Exercise && c.name == "kettlebell-deadlift")),
        "{:#?}",
        a.causes
    );
    // The planner holds hinges back (CA-4 for a pattern).
    assert!(top.confidence >= Confidence::Moderate, "{top:?}");
}

#[test]
fn an_exercise_whose_pattern_mates_stay_calm_keeps_the_blame() {
    // The same sessions with the Romanian deadlift and the dowel drill calm: the kettlebell deadlift is named, and
    // the hinge pattern is not named for what it alone did.
    // And when they raise pain only now and then (a real but small effect beside the exercise's own:
    // `cause_spread_share`), the exercise keeps the top place.
    for sometimes in [false, true] {
        let a = hinge_back(|w| sometimes && w % 4 == 0).assess(at(60, 0));
        let top = a.causes.first().expect("a cause is named");
        assert_eq!(
            (top.level, top.name.as_str()),
            (CauseLevel::Exercise, "kettlebell-deadlift"),
            "{sometimes}: {:#?}",
            a.causes
        );
        // Calm pattern mates: the pattern is not named for what the exercise alone did. (A small effect of their
        // own may name it too, after the exercise.)
        assert!(
            sometimes || a.causes.iter().all(|c| c.level != CauseLevel::Pattern),
            "{:#?}",
            a.causes
        );
    }
}

#[test]
fn a_pattern_the_data_cannot_tell_from_its_exercise_is_listed_before_it() {
    // The kettlebell deadlift raises pain in every session; the only other hinge, the Romanian deadlift, came in
    // twice, calm: too rarely for CA-5 to say whether the rest of the hinges go with more pain. Both are named
    // strong, the exercise with the higher score (the calm Romanian sets dilute the pattern's); the data cannot
    // tell them apart, and the pattern holds the exercise back whole, so it is listed first, as on an exact tie.
    let mut f = Facts::default();
    for w in 0..8 {
        for (k, d) in [0, 2, 4].into_iter().enumerate() {
            let day = w * 7 + d;
            let groups: Vec<&str> = if w < 2 && k == 1 {
                vec!["lat-pulldown 3x10@40 p2", "romanian-deadlift 3x8@40 p2,2,2"]
            } else {
                vec![
                    "lat-pulldown 3x10@40 p2",
                    "kettlebell-deadlift 3x8@24 p2,3,4",
                    "chest-supported-row 3x10@20 p4",
                ]
            };
            f = f.s(at(day, 18), Some(2), &groups).c(at(day + 1, 8), 2);
        }
    }
    let a = f.assess(at(60, 0));
    let pos = |level, name: &str| a.causes.iter().position(|c| c.level == level && c.name == name);
    let (Some(hinge), Some(kb)) = (
        pos(CauseLevel::Pattern, "hinge"),
        pos(CauseLevel::Exercise, "kettlebell-deadlift"),
    ) else {
        panic!("both named: {:#?}", a.causes);
    };
    assert_eq!(
        a.causes[hinge].confidence, a.causes[kb].confidence,
        "{:#?}",
        a.causes
    );
    assert!(
        a.causes[hinge].score < a.causes[kb].score,
        "the case needs the exercise to score higher: {:#?}",
        a.causes
    );
    assert!(hinge < kb, "{:#?}", a.causes);
}

#[test]
fn a_held_direction_comes_back_as_a_retest_after_its_waiting_time() {
    let light = [
        "lat-pulldown 3x10@40 p2",
        "chest-supported-row 3x10@20 p2",
        "dead-bug 2x8 p2",
    ];
    let mut f = compression_back();
    // Light, calm sessions only, for five weeks after the compression-heavy weeks.
    for d in (86..120).step_by(2) {
        f = f.s(at(d, 18), Some(2), &light).c(at(d + 1, 8), 2);
    }
    let p = crate::testkit::profile(2, vec![]);
    let plan_at = |day: i64| {
        let a = f.assess_with(&p, at(day, 12));
        let plan = crate::plan::plan(
            &a,
            &p,
            &catalog(),
            crate::plan::Readiness {
                pain_now: None,
                minutes: None,
            },
            a.date,
        );
        (a, plan)
    };
    let heavy_items = |plan: &crate::plan::Plan| -> Vec<crate::plan::PlanItem> {
        plan.items
            .iter()
            .filter(|it| {
                catalog()
                    .get(&it.exercise)
                    .is_some_and(|e| e.spinal.compression >= 2 && !e.is_low_risk())
            })
            .cloned()
            .collect()
    };
    // A week on: still held back.
    let (a, plan) = plan_at(91);
    let c = a
        .causes
        .iter()
        .find(|c| c.name == "compression")
        .expect("still named");
    assert!(
        heavy_items(&plan).is_empty(),
        "{}",
        crate::plan::render(&plan, crate::units::WeightUnit::Kg)
    );
    // After its waiting time (twice the parking time once strong), one exercise loading it comes back as the
    // session's one change, marked as a retest, at a first dose.
    let wait = if c.confidence == Confidence::Strong {
        28
    } else {
        14
    };
    let (_, plan) = plan_at(84 + wait + 6);
    let back = heavy_items(&plan);
    assert_eq!(
        back.len(),
        1,
        "{}",
        crate::plan::render(&plan, crate::units::WeightUnit::Kg)
    );
    assert!(back[0].novelty && back[0].retest, "{:?}", back[0]);
    assert!(back[0].dose.sets <= 2, "{:?}", back[0].dose);
    assert_eq!(plan.items.iter().filter(|i| i.novelty).count(), 1);
}

// ---- BK-7 and BK-8: not pinning a red morning on whatever was new -----------------------------------------------

#[test]
fn a_red_morning_after_a_rise_in_one_directions_load_is_pinned_on_the_rise_not_the_novelty() {
    let mut f = Facts::default();
    for d in [0, 2, 4, 7, 9] {
        f = f
            .s(
                at(d, 18),
                Some(2),
                &["lat-pulldown 3x10@40 p2", "leg-press 1x10@60 p2"],
            )
            .c(at(d + 1, 8), 2);
    }
    // The leg press goes from 1 to 4 sets (not a change in the C5 sense: it loads compression and shear at 1), and
    // face pulls come in: flexion load rises from 2 to 8 demand-sets, carried by the leg press.
    f = f
        .s(
            at(11, 18),
            Some(2),
            &[
                "lat-pulldown 3x10@40 p2",
                "leg-press 4x10@60 p2",
                "face-pull 2x15@15 p2",
            ],
        )
        .c(at(12, 8), 5);
    let a = f.assess(at(12, 9));
    let s = a.session(at(11, 18)).unwrap();
    assert_eq!(s.verdict, Some(Verdict::Red));
    assert_eq!(s.novelties.len(), 1, "{:?}", s.novelties);
    let fp = exv(s, "face-pull");
    assert_eq!(
        (fp.verdict, fp.rule),
        (Some(Verdict::Amber), RuleId::Bk7),
        "{}",
        fp.reason
    );
    let lp = exv(s, "leg-press");
    assert_eq!(
        (lp.verdict, lp.rule, lp.blame),
        (Some(Verdict::Red), RuleId::Bk7, Blame::Shared),
        "{}",
        lp.reason
    );
    assert!(lp.reason.contains("flexion"), "{}", lp.reason);
    assert!(!matches!(
        ex(&a, "face-pull").status,
        LedgerStatus::Parked | LedgerStatus::Provocative
    ));
    // Without the rise (the leg press at its usual dose), the lone novelty takes the red (C5).
    let mut g = Facts::default();
    for d in [0, 2, 4, 7, 9] {
        g = g
            .s(
                at(d, 18),
                Some(2),
                &["lat-pulldown 3x10@40 p2", "leg-press 1x10@60 p2"],
            )
            .c(at(d + 1, 8), 2);
    }
    g = g
        .s(
            at(11, 18),
            Some(2),
            &[
                "lat-pulldown 3x10@40 p2",
                "leg-press 1x10@60 p2",
                "face-pull 2x15@15 p2",
            ],
        )
        .c(at(12, 8), 5);
    let a = g.assess(at(12, 9));
    assert_eq!(exv(a.session(at(11, 18)).unwrap(), "face-pull").rule, RuleId::C5);
    assert_eq!(ex(&a, "face-pull").status, LedgerStatus::Parked);
}

#[test]
fn on_a_back_that_is_often_red_one_more_red_morning_does_not_park_the_novelty() {
    let routine = ["lat-pulldown 3x10@40 p2", "chest-supported-row 3x10@20 p2"];
    let mut f = Facts::default();
    // Ten sessions of the same work, every other next morning red: the back's own rate is 50 %.
    for (i, d) in [0, 2, 4, 7, 9, 11, 14, 16, 18, 21].into_iter().enumerate() {
        f = f
            .s(at(d, 18), Some(2), &routine)
            .c(at(d + 1, 8), if i % 2 == 1 { 5 } else { 2 });
    }
    let with_new = |f: Facts, pain_in_it: &str| {
        f.s(
            at(23, 18),
            Some(2),
            &[
                "lat-pulldown 3x10@40 p2",
                "chest-supported-row 3x10@20 p2",
                pain_in_it,
            ],
        )
        .c(at(24, 8), 5)
    };
    let a = with_new(f.clone(), "face-pull 2x15@15 p2").assess(at(24, 9));
    let fp = exv(a.session(at(23, 18)).unwrap(), "face-pull");
    assert_eq!(
        (fp.verdict, fp.rule, fp.blame),
        (Some(Verdict::Amber), RuleId::Bk8, Blame::Shared),
        "{}",
        fp.reason
    );
    assert!(!matches!(
        ex(&a, "face-pull").status,
        LedgerStatus::Parked | LedgerStatus::Provocative
    ));
    // Pain that rose during its own sets still counts against it.
    let a = with_new(f, "face-pull 2x15@15 p2,4").assess(at(24, 9));
    let fp = exv(a.session(at(23, 18)).unwrap(), "face-pull");
    assert_eq!(fp.verdict, Some(Verdict::Red), "{}", fp.reason);
}

#[test]
fn a_direction_every_exercise_loads_only_lightly_is_named_from_the_exercises_that_load_it_at_all() {
    // A back that reacts to extension, on a plan where nothing loads it at 2 or more: pain rises during the four
    // exercises that load it at 1 (a pulldown, a kettlebell deadlift, a bridge, a plank), in turn, and stays put
    // during the rows, the box squat and the side plank, which do not load it at all. No single exercise explains
    // it; the direction does. Until 2026-12-05 CA-4 compared the plain averages of blocks loading a direction at 2
    // or more with the rest, found no such block, and named nothing.
    let mut f = Facts::default();
    for w in 0..8 {
        for (k, d) in [0, 2, 4].into_iter().enumerate() {
            let day = w * 7 + d;
            let light = [
                "lat-pulldown 3x10@40 p2,3,3",
                "kettlebell-deadlift 3x8@24 p2,3,3",
                "glute-bridge 3x12 p2,3,3",
                "front-plank 2x20s p2,3",
            ];
            let groups = vec![
                "chest-supported-row 3x10@30 p2",
                light[(w as usize * 3 + k) % 4],
                match k {
                    0 => "box-squat 3x8@40 p3",
                    1 => "knee-side-plank 2x20s p3",
                    _ => "chest-supported-machine-row 3x10@30 p3",
                },
            ];
            f = f.s(at(day, 18), Some(2), &groups).c(at(day + 1, 8), 2);
        }
    }
    let a = f.assess(at(60, 0));
    let top = a.causes.first().expect("a cause is named");
    assert_eq!(
        (top.level, top.name.as_str()),
        (CauseLevel::Direction, "extension"),
        "{:#?}",
        a.causes
    );
    assert!(top.confidence >= Confidence::Moderate, "{top:?}");
    assert!(
        top.evidence.contains("during exercises that load extension ("),
        "{}",
        top.evidence
    );
    // What does not load it is never blamed for it.
    for calm in [
        "chest-supported-row",
        "box-squat",
        "knee-side-plank",
        "chest-supported-machine-row",
    ] {
        assert!(
            a.causes
                .iter()
                .all(|c| !(c.level == CauseLevel::Exercise && c.name == calm)),
            "{calm}: {:#?}",
            a.causes
        );
    }
}

/// CA-7 cases: the plan of `a_direction_every_exercise_loads_only_lightly_is_named_from_the_exercises_that_load_it_at_all`
/// (pain rises during the exercises that load extension at 1, calm during the rest), for `reacting` weeks; then
/// `after` weeks of the same plan in which those exercises rise as before (`reacts_after`) or stay calm. The strong
/// threshold is out of reach, so only a confirmation can make the cause strong.
fn light_extension_case(reacting: i64, after: i64, reacts_after: bool) -> (Facts, Profile) {
    let weeks: Vec<bool> = (0..reacting + after)
        .map(|w| w < reacting || reacts_after)
        .collect();
    light_extension_weeks(&weeks)
}

/// The plan of `light_extension_case`, one week per entry: whether the exercises loading extension raise pain.
fn light_extension_weeks(weeks: &[bool]) -> (Facts, Profile) {
    let mut p = crate::testkit::profile(2, vec![]);
    p.settings.cause_strong_score = 20.0;
    let mut f = Facts::default();
    for (w, &rises) in weeks.iter().enumerate() {
        let w = w as i64;
        for (k, d) in [0, 2, 4].into_iter().enumerate() {
            let day = w * 7 + d;
            let pains = if rises { "p2,3,3" } else { "p2,2,2" };
            let light = [
                format!("lat-pulldown 3x10@40 {pains}"),
                format!("kettlebell-deadlift 3x8@24 {pains}"),
                format!("glute-bridge 3x12 {pains}"),
                format!("front-plank 3x20s {pains}"),
            ];
            let groups = vec![
                "chest-supported-row 3x10@30 p2",
                light[(w as usize * 3 + k) % 4].as_str(),
                match k {
                    0 => "box-squat 3x8@40 p3",
                    1 => "knee-side-plank 2x20s p3",
                    _ => "chest-supported-machine-row 3x10@30 p3",
                },
            ];
            f = f.s(at(day, 18), Some(2), &groups).c(at(day + 1, 8), 2);
        }
    }
    (f, p)
}

#[test]
fn a_direction_named_from_light_loading_is_confirmed_by_the_sessions_after_it_was_named() {
    // CA-7: extension is named at moderate confidence within the first weeks. Nothing loads it at 2 or more, so
    // nothing it holds back ever comes back as a retest (CA-6), but its light loading goes on, and the weeks after it
    // was named show the same rise on their own: confirmed.
    let extension = |a: &Assessment| {
        a.causes
            .iter()
            .find(|c| c.level == CauseLevel::Direction && c.name == "extension")
            .cloned()
            .expect("extension is named")
    };
    let (early, p) = light_extension_case(4, 0, true);
    let named = extension(&early.assess_with(&p, at(4 * 7, 0)));
    assert_eq!(named.confidence, Confidence::Moderate, "{}", named.evidence);

    let (f, p) = light_extension_case(4, 6, true);
    let c = extension(&f.assess_with(&p, at(10 * 7, 0)));
    assert_eq!(c.confidence, Confidence::Strong, "{}", c.evidence);
    assert!(
        c.evidence
            .contains("Borne out since: first named from the sessions up to"),
        "{}",
        c.evidence
    );

    // The same weeks, calm after it was named: the later sessions do not bear it out, so it is not confirmed.
    let (f, p) = light_extension_case(4, 6, false);
    assert_extension_not_confirmed(&f.assess_with(&p, at(10 * 7, 0)));
}

/// Extension is not named with strong confidence (not confirmed, the strong threshold being out of reach).
fn assert_extension_not_confirmed(a: &Assessment) {
    assert!(
        a.causes
            .iter()
            .all(|c| !(c.name == "extension" && c.confidence == Confidence::Strong)),
        "{:#?}",
        a.causes
    );
}

#[test]
fn a_direction_is_found_when_every_block_has_three_sets_and_nothing_loads_rotation() {
    // Covariates that never vary (sets always 3, rotation always 0) are left out of the fit instead of making it
    // singular.
    let heavy = [
        ["goblet-squat 3x10@20 p2,3,4", "lat-pulldown 3x10@40 p4"],
        [
            "romanian-deadlift 3x8@50 p2,3,4",
            "chest-supported-row 3x10@20 p4",
        ],
        ["front-squat 3x5@40 p2,3,4", "lat-pulldown 3x10@40 p4"],
    ];
    let light = ["lat-pulldown 3x10@40 p2", "chest-supported-row 3x10@20 p2"];
    let mut f = Facts::default();
    for w in 0..10 {
        for (k, d) in [0, 2, 4].into_iter().enumerate() {
            let i = (w * 3) as usize + k;
            let (groups, morning): (Vec<&str>, u8) = if i % 4 == 3 {
                (light.to_vec(), 2)
            } else {
                (heavy[i % 4].to_vec(), 3)
            };
            f = f
                .s(at(w * 7 + d, 18), Some(2), &groups)
                .c(at(w * 7 + d + 1, 8), morning);
        }
    }
    let a = f.assess(at(72, 0));
    assert!(
        a.causes
            .iter()
            .any(|c| c.level == CauseLevel::Direction && c.name == "compression"),
        "{:#?}",
        a.causes
    );
}

/// RF-4: while leg symptoms keep being logged, the red-flag questions come back once a week.
#[test]
fn leg_symptoms_bring_the_red_flag_questions_back_weekly() {
    let screen = |day: i64| crate::facts::Screening {
        at: at(day, 9),
        context: crate::facts::ScreeningContext::LegSymptoms,
        flags: vec![],
    };
    let leg = |day: i64| CheckIn {
        leg_pain: true,
        ..checkin(at(day, 8), 2)
    };
    let mut f = Facts::default().cw(leg(1));
    f.screenings.push(screen(1));
    // Answered the same day: nothing due.
    let a = f.assess(at(3, 12));
    assert!(
        a.alerts
            .iter()
            .all(|x| x.rule != RuleId::Rf4 && x.rule != RuleId::Pm4),
        "{:?}",
        a.alerts
    );
    // Still logging leg pain a week later, with the last screen 8 days old: due again.
    let f = f.cw(leg(9));
    let a = f.assess(at(9, 12));
    assert!(a.alerts.iter().any(|x| x.rule == RuleId::Rf4), "{:?}", a.alerts);
    // Answered again: not due; and no leg symptoms for a week: not due either.
    let mut g = f.clone();
    g.screenings.push(screen(9));
    assert!(g.assess(at(10, 12)).alerts.iter().all(|x| x.rule != RuleId::Rf4));
    assert!(f.assess(at(20, 12)).alerts.iter().all(|x| x.rule != RuleId::Rf4));
}

/// PM-4 with usual leg symptoms: leg pain within its usual reach does not turn a session red; spreading further,
/// numbness or weakness does, and leg pain with no reach given counts as new.
#[test]
fn usual_stable_leg_symptoms_do_not_turn_a_session_red() {
    use crate::facts::LegReach;
    let mut p = profile(2, vec![]);
    p.usual_leg_symptoms = Some(LegReach::Thigh);
    let with = |c: CheckIn| {
        Facts::default()
            .s(at(0, 18), Some(2), &["lat-pulldown 3x10@40 p1"])
            .cw(c)
            .assess_with(&p, at(1, 9))
    };
    let leg = |reach: Option<LegReach>| CheckIn {
        leg_pain: true,
        leg_reach: reach,
        ..checkin(at(1, 8), 2)
    };
    // Within the usual reach: an ordinary morning.
    let a = with(leg(Some(LegReach::Buttock)));
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Green), "{}", sv(&a, 0).reason);
    let a = with(leg(Some(LegReach::Thigh)));
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Green));
    assert!(a.alerts.iter().all(|x| x.rule != RuleId::Pm4));
    // But the weekly re-ask still sees it (RF-4).
    assert!(a.alerts.iter().any(|x| x.rule == RuleId::Rf4), "{:?}", a.alerts);
    // Spreading below the knee: new.
    let a = with(leg(Some(LegReach::BelowKnee)));
    assert_eq!(
        (sv(&a, 0).verdict, sv(&a, 0).rule),
        (Some(Verdict::Red), RuleId::Pm4)
    );
    // No reach given: backstop cannot tell it is the usual.
    let a = with(leg(None));
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Red));
    // Numbness is new whatever the reach.
    let a = with(CheckIn {
        numbness: true,
        ..leg(Some(LegReach::Buttock))
    });
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Red));
    // Without usual leg symptoms in the profile, any leg pain is new.
    let a = Facts::default()
        .s(at(0, 18), Some(2), &["lat-pulldown 3x10@40 p1"])
        .cw(leg(Some(LegReach::Buttock)))
        .assess(at(1, 9));
    assert_eq!(sv(&a, 0).verdict, Some(Verdict::Red));
}

/// A lifter with the conventional deadlift as a goal lift, and six calm trap-bar deadlift sessions at the top of the
/// range, 3 sets, RPE 8: the rung has earned the next one (PG-8).
fn calm_trap_bar_deadlifts() -> (Facts, Profile) {
    let mut p = profile(2, vec![]);
    p.goal_lifts = vec!["conventional-deadlift".into()];
    let mut f = Facts::default();
    for w in 0..6 {
        f = f
            .s(at(w * 2, 18), Some(2), &["trap-bar-deadlift 3x8@80 rpe8 p1"])
            .c(at(w * 2 + 1, 8), 2);
    }
    (f, p)
}

/// PG-8: a rung that has earned the next one keeps progressing until a session has room for the new rung (one
/// change at a time), instead of staying at the same weight session after session.
#[test]
fn a_rung_waiting_for_the_next_keeps_progressing() {
    let (f, p) = calm_trap_bar_deadlifts();
    let a = f.assess_with(&p, at(12, 9));
    let l = ex(&a, "trap-bar-deadlift");
    assert_eq!(
        (l.rule, l.step),
        (RuleId::Pg8, Some(ProgressStep::Harder)),
        "{}",
        l.reason
    );
    assert_eq!(l.swap_to.as_deref(), Some("conventional-deadlift"));
    let d = l.dose.as_ref().unwrap();
    assert!(d.load.unwrap().grams() > 80_000, "a load step meanwhile: {d:?}");
    assert_eq!(d.reps, Some(5), "back to the bottom of the range");
    assert!(l.reason.contains("until it comes in"), "{}", l.reason);
    // Below the top of the range, the reps climb meanwhile, and the next rung stays on offer.
    let g = f
        .s(at(12, 18), Some(2), &["trap-bar-deadlift 3x5@85 rpe8 p1"])
        .c(at(13, 8), 2);
    let l = ex(&g.assess_with(&p, at(14, 9)), "trap-bar-deadlift").clone();
    assert_eq!(
        (l.rule, l.swap_to.as_deref()),
        (RuleId::Pg8, Some("conventional-deadlift")),
        "{}",
        l.reason
    );
    assert_eq!(l.dose.as_ref().unwrap().reps, Some(5 + 1));
}

/// PG-8: a rung's line says where the next rung stands: parked for a red it carried, it waits, and the line says
/// until when, not that it is "started at a first dose"; once done calmly, it is in use.
#[test]
fn a_rung_says_when_the_next_rung_waits_for_its_retest() {
    let (f, p) = calm_trap_bar_deadlifts();
    // The next rung comes in, and pain climbs past the ceiling during it twice in a row: parked (ES-4).
    let tried = |pain: &str| {
        let mut g = f.clone();
        for d in [12, 14] {
            g = g
                .s(
                    at(d, 18),
                    Some(2),
                    &[
                        "trap-bar-deadlift 3x8@80 rpe8 p1",
                        format!("conventional-deadlift 2x5@60 {pain}").as_str(),
                    ],
                )
                .c(at(d + 1, 8), 2);
        }
        // Two more calm sessions on the rung below.
        for d in [16, 18] {
            g = g
                .s(at(d, 18), Some(2), &["trap-bar-deadlift 3x8@80 rpe8 p1"])
                .c(at(d + 1, 8), 2);
        }
        g
    };
    let a = tried("p7").assess_with(&p, at(20, 9));
    let c = ex(&a, "conventional-deadlift");
    assert_eq!(c.next, NextStep::Avoid, "{} {:?}", c.reason, c.evidence);
    let l = ex(&a, "trap-bar-deadlift");
    assert_eq!(l.rule, RuleId::Pg8, "{}", l.reason);
    assert!(
        l.reason
            .contains("the next rung towards conventional-deadlift is conventional-deadlift, parked until"),
        "{}",
        l.reason
    );
    assert!(!l.reason.contains("started at a first dose"), "{}", l.reason);
    // Once its parking time is over, the next rung is due for its retest, and the line says at what dose.
    let a = tried("p7").assess_with(&p, at(30, 9));
    assert_eq!(ex(&a, "conventional-deadlift").next, NextStep::Retest);
    let l = ex(&a, "trap-bar-deadlift");
    assert!(
        l.reason
            .contains("is conventional-deadlift, due for its retest (C6) at 2×5 @ 47.5 kg"),
        "{}",
        l.reason
    );
    // Calm instead: it is in use, with its own dose.
    let a = tried("p1").assess_with(&p, at(20, 9));
    let l = ex(&a, "trap-bar-deadlift");
    assert_eq!(l.rule, RuleId::Pg8, "{}", l.reason);
    assert!(
        l.reason.contains(
            "is conventional-deadlift, already in use (its own line gives its dose); alongside it, a load step"
        ),
        "{}",
        l.reason
    );
}

/// PG-2: a lifter with years of training builds each item to `goal_sets_trained` (4) working sets, a newer lifter
/// to `goal_sets` (3) (ACSM 2009).
#[test]
fn trained_lifters_build_to_more_sets() {
    let f = Facts::default()
        .s(at(0, 18), Some(2), &["lat-pulldown 3x8@40 p1"])
        .c(at(1, 8), 2);
    let mut novice = profile(2, vec![]);
    novice.training_years = Some(1);
    let l = ex(&f.assess_with(&novice, at(2, 9)), "lat-pulldown").clone();
    assert_ne!(l.step, Some(ProgressStep::Set), "{}", l.reason);
    let mut trained = profile(2, vec![]);
    trained.training_years = Some(2);
    let l = ex(&f.assess_with(&trained, at(2, 9)), "lat-pulldown").clone();
    assert_eq!(l.step, Some(ProgressStep::Set), "{}", l.reason);
    assert_eq!(l.dose.as_ref().unwrap().sets, 4);
    assert!(l.reason.contains("up to 4"), "{}", l.reason);
    // Demanding work stays at 3: each of its set steps would be the session's one change (C5).
    let g = Facts::default()
        .s(at(0, 18), Some(2), &["trap-bar-deadlift 3x6@80 p1"])
        .c(at(1, 8), 2);
    let l = ex(&g.assess_with(&trained, at(2, 9)), "trap-bar-deadlift").clone();
    assert_ne!(l.step, Some(ProgressStep::Set), "{}", l.reason);
    // So does a rung on the way to a goal lift: a stepping stone, climbed at the base goal.
    let mut climbing = trained.clone();
    climbing.goal_lifts = vec!["barbell-bent-over-row".into()];
    let r = Facts::default()
        .s(at(0, 18), Some(2), &["chest-supported-row 3x10@30 p1"])
        .c(at(1, 8), 2);
    let a = r.assess_with(&climbing, at(2, 9));
    assert!(
        a.ladders
            .iter()
            .any(|l| l.rungs.iter().any(|x| x == "chest-supported-row")),
        "{:?}",
        a.ladders
    );
    let l = ex(&a, "chest-supported-row");
    assert_ne!(l.step, Some(ProgressStep::Set), "{}", l.reason);
    let l = ex(&r.assess_with(&trained, at(2, 9)), "chest-supported-row").clone();
    assert_eq!(
        l.step,
        Some(ProgressStep::Set),
        "without the goal it builds to 4: {}",
        l.reason
    );
}

/// FL-2: the reduced dose is taken from the dose before the flare, so it does not halve again every session.
#[test]
fn a_flare_dose_does_not_keep_halving() {
    let mut f = tolerated_base().c(at(15, 8), 6).c(at(16, 8), 6);
    for d in [16, 18, 20] {
        f = f
            .s(at(d, 18), Some(5), &["lat-pulldown 3x10@20 rpe6 p5"])
            .c(at(d + 1, 8), 6);
    }
    let a = f.assess(at(21, 9));
    assert!(a.flare.active);
    let l = ex(&a, "lat-pulldown");
    assert_eq!(l.rule, RuleId::Fl2, "{}", l.reason);
    assert_eq!(
        l.dose.as_ref().unwrap().load.unwrap().grams(),
        20_000,
        "half of the pre-flare 40 kg"
    );
}

/// DS-3 looks only until the next session: a check-in after it speaks for that session's soreness.
#[test]
fn late_soreness_after_a_newer_session_is_not_blamed_on_the_older() {
    let sore = |day: i64, h: i64, pain: u8| CheckIn {
        muscle_soreness: true,
        ..checkin(at(day, h), pain)
    };
    let f = tolerated_base()
        .s(at(14, 8), Some(2), &["romanian-deadlift 2x8@40 p2"])
        .cw(sore(15, 8, 4))
        .s(at(16, 8), Some(2), &["goblet-squat 3x8@20 p2"])
        .cw(sore(17, 8, 6));
    // 72 h after the first session, and the second session's next morning.
    let a = f.assess(at(17, 9));
    assert_eq!(sv(&a, 2).verdict, Some(Verdict::Green), "{}", sv(&a, 2).reason);
}

/// CA-6 cases: goblet squats raise pain during their sets (named at moderate confidence: the strong threshold is
/// set out of reach, so that only a retest can confirm) — twelve sessions of them, or only two when not
/// `named_first`; then three weeks without them; then one return session with `return_squat`, whose next morning
/// is `return_morning`;
/// then, when not `named_first`, the twelve squat sessions.
fn retest_case(named_first: bool, return_squat: &str, return_morning: u8) -> (Facts, Profile) {
    retest_case_with("goblet-squat 3x10@20", named_first, return_squat, return_morning)
}

/// `retest_case` with another exercise in the squats' place (`ex` is its name and dose, before the pains).
fn retest_case_with(ex: &str, named_first: bool, return_squat: &str, return_morning: u8) -> (Facts, Profile) {
    let mut p = crate::testkit::profile(2, vec![]);
    p.settings.cause_strong_score = 20.0;
    // Noisy on purpose, as backs are: the squats raise pain by 2, 1 or not at all, the pulldown now and then by 1.
    let squat: Vec<[String; 3]> = [
        ("p2", "p2,3,4", "p4"),
        ("p2,2,3", "p3,3,4", "p4"),
        ("p2", "p2,3,3", "p3"),
    ]
    .into_iter()
    .map(|(a, b, c)| {
        [
            format!("lat-pulldown 3x10@40 {a}"),
            format!("{ex} {b}"),
            format!("chest-supported-row 3x10@20 {c}"),
        ]
    })
    .collect();
    let calm = [
        ["lat-pulldown 3x10@40 p2", "chest-supported-row 3x10@20 p2"],
        ["lat-pulldown 3x10@40 p2,3,3", "chest-supported-row 3x10@20 p3"],
        ["lat-pulldown 3x10@40 p2", "chest-supported-row 3x10@20 p2"],
    ];
    let mut f = Facts::default();
    let mut day = 0;
    let squats = |f: Facts, day: &mut i64, n: usize| {
        let mut f = f;
        for k in 0..n {
            let groups: Vec<&str> = squat[k % 3].iter().map(String::as_str).collect();
            f = f.s(at(*day, 18), Some(2), &groups).c(at(*day + 1, 8), 2);
            *day += 2;
        }
        f
    };
    // Before the break: enough squat sessions to name it (or, when not `named_first`, too few).
    f = squats(f, &mut day, if named_first { 12 } else { 2 });
    // Three weeks without squats, calm.
    for k in 0..9 {
        f = f.s(at(day, 18), Some(2), &calm[k % 3]).c(at(day + 1, 8), 2);
        day += 2;
    }
    // The return.
    f = f
        .s(at(day, 18), Some(2), &["lat-pulldown 3x10@40 p2", return_squat])
        .c(at(day + 1, 8), return_morning);
    day += 2;
    if !named_first {
        f = squats(f, &mut day, 12);
    }
    (f, p)
}

#[test]
fn a_cause_named_before_its_retest_and_red_again_at_it_is_confirmed() {
    // CA-6: named at moderate confidence from the sessions before, back after three weeks away, and the response it
    // was named for comes back — a red next morning, or pain rising again during it: confirmed (strong), and the
    // ledger says so (C6).
    let confirmed = |squat: &str, morning: u8, response: &str| {
        let (f, p) = retest_case(true, squat, morning);
        let a = f.assess_with(&p, at(120, 0));
        let c = a.causes.iter().find(|c| c.name == "goblet-squat").expect("named");
        assert_eq!(c.confidence, Confidence::Strong, "{}", c.evidence);
        assert!(c.evidence.contains("Confirmed at its retest"), "{}", c.evidence);
        assert!(
            c.evidence.contains(&format!(" and {response}.")),
            "{}",
            c.evidence
        );
        assert_eq!(ex(&a, "goblet-squat").provocation, Some(Provocation::Confirmed));
    };
    confirmed("goblet-squat 2x10@20 p2,2", 5, "went red");
    confirmed("goblet-squat 2x10@20 p2,3", 2, "pain rose again during it");
    confirmed(
        "goblet-squat 2x10@20 p2,2",
        3,
        "the next morning was above your usual pain again",
    );
    // A calm return leaves it at moderate.
    let (f, p) = retest_case(true, "goblet-squat 2x10@20 p2,2", 2);
    let a = f.assess_with(&p, at(120, 0));
    let c = a.causes.iter().find(|c| c.name == "goblet-squat").expect("named");
    assert_eq!(c.confidence, Confidence::Moderate, "{}", c.evidence);
}

#[test]
fn a_retest_counts_its_first_two_sessions_back_as_the_dose_returns() {
    // CA-6: the retest comes back at a reduced dose (calm here), and the next session restores the dose; pain rising
    // again then is the response the cause was named for, so it is confirmed. A rise only at the third session back
    // is no longer part of the retest.
    let with_return = |second: &str, third: &str| {
        let (mut f, p) = retest_case(true, "goblet-squat 2x10@20 p2,2", 2);
        let day = 2 * (12 + 9 + 1);
        for (k, squat) in [second, third].into_iter().enumerate() {
            let d = day + 2 * k as i64;
            f = f
                .s(at(d, 18), Some(2), &["lat-pulldown 3x10@40 p2", squat])
                .c(at(d + 1, 8), 2);
        }
        let a = f.assess_with(&p, at(120, 0));
        a.causes
            .iter()
            .find(|c| c.name == "goblet-squat")
            .expect("named")
            .clone()
    };
    let c = with_return("goblet-squat 3x10@20 p2,3,3", "goblet-squat 3x10@20 p2,2,2");
    assert_eq!(c.confidence, Confidence::Strong, "{}", c.evidence);
    assert!(
        c.evidence
            .contains("as its dose came back, pain rose again during it"),
        "{}",
        c.evidence
    );
    let c = with_return("goblet-squat 3x10@20 p2,2,2", "goblet-squat 3x10@20 p2,3,3");
    assert_eq!(c.confidence, Confidence::Moderate, "{}", c.evidence);
}

#[test]
fn a_retest_confirms_what_was_named_when_it_was_held_back_though_the_wait_diluted_it() {
    // CA-6: named at moderate confidence from twelve squat sessions; during the four weeks without them the other
    // exercises now and then raise pain too, which widens the person's own spread and takes the squats' score under
    // moderate without any new squat session. The wait was for the finding made before it, and the return bears it
    // out: confirmed.
    let (f, p) = squats_then_a_noisy_wait(12);
    let goblet = |now| {
        f.assess_with(&p, now)
            .causes
            .into_iter()
            .find(|c| c.name == "goblet-squat")
            .expect("named")
    };
    assert_eq!(goblet(at(23, 12)).confidence, Confidence::Moderate);
    let before_return = goblet(at(2 * (12 + 12) - 1, 12));
    assert!(
        before_return.confidence < Confidence::Moderate,
        "{before_return:?}"
    );
    let c = goblet(at(120, 0));
    assert_eq!(c.confidence, Confidence::Strong, "{}", c.evidence);
    assert!(c.evidence.contains("Confirmed at its retest"), "{}", c.evidence);
}

/// Twelve sessions in which goblet squats raise pain, then `wait` sessions without them in which the other
/// exercises raise pain now and then, then one session with them again, raising pain as before. The strong
/// threshold is out of reach, so only a confirmation can make a cause strong.
fn squats_then_a_noisy_wait(wait: usize) -> (Facts, Profile) {
    let mut p = crate::testkit::profile(2, vec![]);
    p.settings.cause_strong_score = 20.0;
    let squat = [
        [
            "lat-pulldown 3x10@40 p2",
            "goblet-squat 3x10@20 p2,3,4",
            "chest-supported-row 3x10@20 p4",
        ],
        [
            "lat-pulldown 3x10@40 p2,2,3",
            "goblet-squat 3x10@20 p3,3,4",
            "chest-supported-row 3x10@20 p4",
        ],
        [
            "lat-pulldown 3x10@40 p2",
            "goblet-squat 3x10@20 p2,3,3",
            "chest-supported-row 3x10@20 p3",
        ],
    ];
    let noisy = [
        ["lat-pulldown 3x10@40 p2,3,4", "chest-supported-row 3x10@20 p2"],
        ["lat-pulldown 3x10@40 p2", "chest-supported-row 3x10@20 p2,2,3"],
        ["lat-pulldown 3x10@40 p2", "chest-supported-row 3x10@20 p2"],
    ];
    let mut f = Facts::default();
    let mut day = 0;
    for k in 0..12 {
        f = f.s(at(day, 18), Some(2), &squat[k % 3]).c(at(day + 1, 8), 2);
        day += 2;
    }
    for k in 0..wait {
        f = f.s(at(day, 18), Some(2), &noisy[k % 3]).c(at(day + 1, 8), 2);
        day += 2;
    }
    f = f.s(at(day, 18), Some(2), &squat[0]).c(at(day + 1, 8), 2);
    (f, p)
}

#[test]
fn a_red_return_before_the_cause_was_named_confirms_nothing() {
    // The same red return, but after only two squat sessions (too few to name it, CA-4): later sessions name it,
    // but the early red was not a retest of anything suspected, so it stays at moderate.
    let (f, p) = retest_case(false, "goblet-squat 2x10@20 p2,3", 5);
    let a = f.assess_with(&p, at(160, 0));
    let c = a.causes.iter().find(|c| c.name == "goblet-squat").expect("named");
    assert_eq!(c.confidence, Confidence::Moderate, "{}", c.evidence);
}

#[test]
fn a_pattern_whose_pain_follows_its_load_on_a_direction_gives_way_to_the_direction() {
    // CA-5 for a pattern: squats (each loading flexion at 1) are in every session and raise pain by 1; cable
    // crunches, which are not squats, load flexion at 3 and raise pain by 1 as well, one day in three; the pulls,
    // the carries (compression without flexion) and the anti-rotation work are calm. Squats alone score highest,
    // but the flexion of the other exercises goes with more pain too: the back reacts to flexion, and the squats
    // were only its most frequent carrier.
    let mut f = Facts::default();
    for w in 0..8 {
        for (k, d) in [0, 2, 4].into_iter().enumerate() {
            let day = w * 7 + d;
            let groups: Vec<&str> = match k {
                0 => vec![
                    "lat-pulldown 3x10@40 p2",
                    "front-squat 3x5@40 p2,2,3",
                    "pallof-press 3x10@10 p3",
                ],
                1 => vec![
                    "lat-pulldown 3x10@40 p2",
                    "goblet-squat 3x10@20 p2,2,3",
                    "farmers-carry 3x30m@24 p3",
                ],
                _ => vec![
                    "chest-supported-row 3x10@20 p2",
                    "box-squat 3x8@20 p2,2,3",
                    "cable-crunch 3x10@20 p3,4,4",
                ],
            };
            f = f.s(at(day, 18), Some(2), &groups).c(at(day + 1, 8), 2);
        }
    }
    let a = f.assess(at(60, 0));
    let top = a.causes.first().expect("a cause is named");
    assert_eq!(
        (top.level, top.name.as_str()),
        (CauseLevel::Direction, "flexion"),
        "{:#?}",
        a.causes
    );
    assert!(
        top.evidence
            .contains("squat exercises go with more pain, and so do the other exercises that load flexion"),
        "{}",
        top.evidence
    );
    // Squats load flexion only at 1, which a named direction does not hold back (CA-4): the pattern stays named
    // after it, so that they are still held back.
    assert!(
        a.causes
            .iter()
            .any(|c| c.level == CauseLevel::Pattern && c.name == "squat" && c.score < top.score),
        "{:#?}",
        a.causes
    );
}

#[test]
fn a_gentle_exercise_named_as_a_cause_is_confirmed_at_its_retest_too() {
    // CA-6: flare-friendly work is never held back by a pattern or a direction, but a named exercise is parked and
    // retested whatever it is (C6), so its retest counts.
    assert!(catalog().get("dead-bug").unwrap().is_low_risk());
    let (f, p) = retest_case_with("dead-bug 3x10", true, "dead-bug 2x10 p2,3", 2);
    let a = f.assess_with(&p, at(120, 0));
    let c = a
        .causes
        .iter()
        .find(|c| c.name == "dead-bug")
        .unwrap_or_else(|| panic!("{:#?}", a.causes));
    assert_eq!(c.confidence, Confidence::Strong, "{}", c.evidence);
}

// ---- BK-9: sessions without any pain recorded ----------------------------------------------------------------

#[test]
fn a_session_without_any_pain_recorded_is_unrated_and_its_exercises_stay_new() {
    // Issue 16, point 2: imported workouts were green ("decided on in-session pain alone"), so a heavy deadlift
    // from years ago read as tolerated.
    let f = Facts::default()
        .s(
            at(0, 18),
            None,
            &["conventional-deadlift 2x5@100", "lat-pulldown 2x10@50"],
        )
        .s(at(2, 18), None, &["conventional-deadlift 3x5@105"]);
    let a = f.assess(at(10, 12));
    for i in 0..2 {
        assert_eq!(sv(&a, i).status, VerdictStatus::Unrated);
        assert_eq!(sv(&a, i).verdict, None);
        assert_eq!(sv(&a, i).rule, RuleId::Bk9);
    }
    assert!(a.exercises.is_empty(), "nothing judged: no ledger entry");
    let dl = a
        .unrated
        .iter()
        .find(|u| u.exercise == "conventional-deadlift")
        .unwrap();
    assert_eq!(dl.sessions, 2);
    assert_eq!(dl.last_at, at(2, 18));
    assert_eq!(dl.last_dose.sets, 3);
    assert_eq!(dl.last_loaded.as_ref().map(|(t, _)| *t), Some(at(2, 18)));
    assert!(a.causes.is_empty() && a.suspects.is_empty());
    // Rated later, it is new then (C5), and the unrated history no longer lists it.
    let f = f
        .s(at(11, 18), Some(2), &["conventional-deadlift 2x5@60 p2"])
        .c(at(12, 8), 2);
    let a = f.assess(at(12, 12));
    let s = sv(&a, 2);
    assert_eq!(s.status, VerdictStatus::Confirmed);
    assert!(
        s.novelties.iter().any(|n| n.exercise == "conventional-deadlift"),
        "{:?}",
        s.novelties
    );
    assert_eq!(
        ex(&a, "conventional-deadlift").evidence.len(),
        1,
        "only the rated session is evidence"
    );
    assert!(a.unrated.iter().all(|u| u.exercise != "conventional-deadlift"));
    assert!(a.unrated.iter().any(|u| u.exercise == "lat-pulldown"));
}

#[test]
fn pain_recorded_anywhere_in_a_session_keeps_it_judged() {
    // A pain before the session alone says nothing about how the back took it; a set's pain or a check-in does.
    let a = Facts::default()
        .s(at(0, 18), Some(2), &["lat-pulldown 2x10@50"])
        .assess(at(10, 12));
    assert_eq!(sv(&a, 0).status, VerdictStatus::Unrated);
    let a = Facts::default()
        .s(at(0, 18), None, &["lat-pulldown 2x10@50 p2"])
        .assess(at(10, 12));
    assert_eq!(
        (sv(&a, 0).status, sv(&a, 0).rule),
        (VerdictStatus::Unconfirmed, RuleId::Bk1)
    );
    let a = Facts::default()
        .s(at(0, 18), None, &["lat-pulldown 2x10@50"])
        .c(at(1, 8), 2)
        .assess(at(10, 12));
    assert_eq!(sv(&a, 0).status, VerdictStatus::Confirmed);
    // Within its first 72 hours it waits for a check-in like any session.
    let a = Facts::default()
        .s(at(0, 18), None, &["lat-pulldown 2x10@50"])
        .assess(at(1, 12));
    assert_eq!(sv(&a, 0).status, VerdictStatus::Pending);
}

// ---- CA-2: how hard a set was on the spine ----------------------------------------------------------------------

fn weighed(dose: Dose, load_kg: Option<f64>, rpe: Option<f64>) -> f64 {
    super::session::spinal_weight(&SetEntry {
        exercise: "x".into(),
        dose,
        load: load_kg.map(|k| Load::from_unit(k, WeightUnit::Kg).expect("a load")),
        rpe: rpe.map(|r| Rpe::new(r).expect("an RPE")),
        pain: None,
        felt: Felt::Target,
        form_breakdown: false,
        kind: SetKind::Normal,
    })
}

fn reps(n: u32) -> Dose {
    Dose::Reps(crate::units::Reps::new(n).expect("reps"))
}

#[test]
fn a_set_counts_by_its_share_of_the_one_rep_max() {
    // Without an external load (or with 0 kg): about 0.6 of a hard loaded set.
    assert_eq!(weighed(reps(15), None, None), 0.6);
    assert_eq!(weighed(reps(15), Some(0.0), Some(9.0)), 0.6);
    // 10 reps at RPE 7 (3 in reserve) is 1 / (1 + 13/30) = 70 % of the one-rep max: one unit.
    assert_eq!(weighed(reps(10), Some(40.0), Some(7.0)), 1.0);
    // No RPE: 3 in reserve is assumed, the same.
    assert_eq!(weighed(reps(10), Some(40.0), None), 1.0);
    // A single at RPE 10 is nearly maximal: 1.2.
    assert_eq!(weighed(reps(1), Some(140.0), Some(10.0)), 1.2);
    // 20 easy reps: 1 / (1 + 26/30) = 54 %: 0.9.
    assert_eq!(weighed(reps(20), Some(20.0), Some(6.0)), 0.9);
    // A loaded carry or hold counts as 10 reps.
    let carry = Dose::Metres(crate::units::Metres::new(30).expect("metres"));
    assert_eq!(weighed(carry, Some(24.0), None), 1.0);
}

proptest! {
    /// Harder is never lighter: at the same reps a higher RPE never counts less, at the same RPE more reps never
    /// count more, and every set counts between a bodyweight set and a maximal one.
    #[test]
    fn a_harder_set_never_counts_less(n in 1u32..=30, r in 2u8..=19, kg in 1.0f64..200.0) {
        let (lo, hi) = (Rpe::from_halves(r).expect("rpe").value(), Rpe::from_halves(r + 1).expect("rpe").value());
        prop_assert!(weighed(reps(n), Some(kg), Some(hi)) >= weighed(reps(n), Some(kg), Some(lo)));
        prop_assert!(weighed(reps(n + 1), Some(kg), Some(lo)) <= weighed(reps(n), Some(kg), Some(lo)));
        let w = weighed(reps(n), Some(kg), Some(lo));
        prop_assert!((0.6..=1.2).contains(&w), "{w}");
    }
}

// ---- fold checkpoints ------------------------------------------------------------------------------------

/// Assesses `f` at `now` from `from` (or from the first session), with only the sessions a checkpoint needs: those
/// from its cut on and the newest one before it. Hands back a new checkpoint whenever one settled session is new.
fn resumed(
    f: &Facts,
    p: &Profile,
    now: Timestamp,
    from: Option<Checkpoint>,
) -> (Assessment, Option<Checkpoint>) {
    let cat = catalog();
    let fp = fingerprint(p, &cat, &p.settings);
    let sessions: Vec<Session> = match &from {
        Some(c) => {
            let newest_before = f.sessions.iter().filter(|s| s.at < c.cut()).max_by_key(|s| s.at);
            f.sessions
                .iter()
                .filter(|s| s.at >= c.cut() || newest_before.is_some_and(|n| n.at == s.at))
                .cloned()
                .collect()
        }
        None => f.sessions.clone(),
    };
    let h = History {
        profile: p,
        sessions: &sessions,
        checkins: &f.checkins,
        flare_events: &f.flares,
        screenings: &f.screenings,
        clearances: &[],
    };
    let (a, kept) = assess_resuming(
        &h,
        &cat,
        &p.settings,
        &TimeZone::UTC,
        now,
        from,
        Some(KeepCheckpoint {
            fingerprint: fp,
            every: 1,
            encode: encoded,
        }),
    );
    // Handed back in its stored form: read back, it is the checkpoint described beside it.
    let cp = kept.map(|k| {
        let cp: Checkpoint = postcard::from_bytes(&k.bytes).expect("read back");
        assert_eq!(
            (cp.cut(), cp.settled_from(), cp.fingerprint()),
            (k.cut, k.settled_from, k.fingerprint)
        );
        cp
    });
    (a, cp)
}

fn encoded(c: &Checkpoint) -> Option<Vec<u8>> {
    postcard::to_stdvec(c).ok()
}

/// The facts as they were known at `then`: nothing recorded for a later instant.
fn known_at(f: &Facts, then: Timestamp) -> Facts {
    Facts {
        sessions: f.sessions.iter().filter(|s| s.at <= then).cloned().collect(),
        checkins: f.checkins.iter().filter(|c| c.at <= then).cloned().collect(),
        flares: f.flares.clone(),
        screenings: f.screenings.clone(),
    }
}

#[test]
fn a_checkpoint_covers_only_sessions_no_later_fact_can_change() {
    // Sessions on days 1, 3, 5 … 29; assessed on day 20 at midnight, a checkpoint covers the sessions more than the
    // settled window (96 h by default) and a week's margin before: those of days 1 … 7. It settles 96 h after the
    // last of them.
    let p = profile(2, vec![]);
    let mut f = Facts::default();
    for d in (1..30).step_by(2) {
        f = f
            .s(at(d, 18), Some(2), &["lat-pulldown 3x10@40 p2"])
            .c(at(d + 1, 8), 2);
    }
    assert_eq!(settled_window(&p.settings), SignedDuration::from_hours(96));
    assert_eq!(CHECKPOINT_MARGIN, SignedDuration::from_hours(24 * 7));
    let then = at(20, 0);
    let (_, cp) = resumed(&known_at(&f, then), &p, then, None);
    let cp = cp.expect("sessions settled: a checkpoint is due");
    assert_eq!(cp.sessions(), 4, "days 1, 3, 5 and 7");
    assert_eq!(cp.cut(), at(7, 18) + SignedDuration::from_nanos(1));
    assert_eq!(cp.settled_from(), at(11, 18));
    let then = at(11, 18);
    // Usable only from the instant it is settled at, and only under the same fingerprint.
    let fp = fingerprint(&p, &catalog(), &p.settings);
    assert!(cp.usable(fp, then));
    assert!(!cp.usable(fp, then - SignedDuration::from_secs(1)));
    assert!(!cp.usable(fp ^ 1, then));
    // A changed setting or profile is another fingerprint.
    let mut q = p.clone();
    q.baseline_pain = crate::units::Pain::new(3).expect("pain");
    assert_ne!(fingerprint(&q, &catalog(), &q.settings), fp);
    let mut s = p.settings.clone();
    s.unconfirmed_after = SignedDuration::from_hours(96);
    assert_ne!(fingerprint(&p, &catalog(), &s), fp);
    // Fewer settled sessions than asked for (4 of 5): none is due.
    let fp_keep = KeepCheckpoint {
        fingerprint: fp,
        every: 5,
        encode: encoded,
    };
    let then = at(20, 0);
    let known = known_at(&f, then);
    let h = History {
        profile: &p,
        sessions: &known.sessions,
        checkins: &known.checkins,
        flare_events: &[],
        screenings: &[],
        clearances: &[],
    };
    let (_, none) = assess_resuming(
        &h,
        &catalog(),
        &p.settings,
        &TimeZone::UTC,
        then,
        None,
        Some(fp_keep),
    );
    assert!(none.is_none());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// an assessment resumed from a checkpoint, stored in the store's binary form and read back, is the assessment of every
    /// session, whatever was recorded after the checkpoint was made; a checkpoint made while resuming resumes alike.
    #[test]
    fn a_resumed_fold_assesses_exactly_like_a_full_one(
        h in gen_history_of(3..40),
        made_on in any::<prop::sample::Index>(),
        hours in 0i64..120,
        later in 0i64..200,
        aggravated in prop::sample::subsequence(vec![Aggravator::Bending, Aggravator::Standing, Aggravator::Sitting, Aggravator::Lifting], 0..3),
    ) {
        // Aggravators start sensitivity hypotheses, which the responses confirm or drop (ES-1) as the fold goes.
        let p = profile(2, aggravated);
        let f = build(&h);
        let then = at(h[made_on.index(h.len())].day, 0) + SignedDuration::from_hours(hours);
        let (_, cp) = resumed(&known_at(&f, then), &p, then, None);
        prop_assume!(cp.is_some());
        let stored = postcard::to_stdvec(&cp).expect("stored");
        let cp: Option<Checkpoint> = postcard::from_bytes(&stored).expect("read back");
        let now = end_of(&h).max(then) + SignedDuration::from_hours(later);
        let full = f.assess_with(&p, now);
        let (from_cp, next) = resumed(&f, &p, now, cp);
        prop_assert_eq!(format!("{from_cp:?}"), format!("{full:?}"));
        if let Some(next) = next {
            let (again, _) = resumed(&f, &p, now, Some(next));
            prop_assert_eq!(format!("{again:?}"), format!("{full:?}"));
        }
    }

    /// A damaged checkpoint reads back as an error (the store then folds every fact), never as a panic or a runaway
    /// allocation: one cut short is always refused, and one with a byte changed is refused or reads as some state.
    #[test]
    fn a_damaged_checkpoint_reads_back_as_an_error_not_a_panic(
        h in gen_history_of(3..20),
        cut in any::<prop::sample::Index>(),
        changed_at in any::<prop::sample::Index>(),
        bits in 1u8..=255,
    ) {
        let p = profile(2, vec![]);
        let f = build(&h);
        let now = end_of(&h) + SignedDuration::from_hours(24 * 30);
        let (_, cp) = resumed(&f, &p, now, None);
        prop_assume!(cp.is_some());
        let stored = postcard::to_stdvec(&cp).expect("stored");
        prop_assert!(postcard::from_bytes::<Option<Checkpoint>>(&stored).is_ok());
        let short = &stored[..cut.index(stored.len())];
        prop_assert!(postcard::from_bytes::<Option<Checkpoint>>(short).is_err());
        let mut changed = stored.clone();
        changed[changed_at.index(stored.len())] ^= bits;
        let _ = postcard::from_bytes::<Option<Checkpoint>>(&changed);
    }
}

#[test]
fn a_cause_confirmed_at_its_retest_stays_confirmed_until_it_is_done_again() {
    // CA-6: confirmed at its return; ten more sessions without squats, in which the other exercises now and then
    // raise pain, weigh its score down to weak. Nothing new was learnt about squats: it stays confirmed, and parked.
    let a = confirmed_then_squats(10, 0, "");
    let c = a.causes.iter().find(|c| c.name == "goblet-squat").expect("named");
    assert!(c.evidence.contains("(weak confidence"), "{}", c.evidence);
    assert_eq!(c.confidence, Confidence::Strong, "{}", c.evidence);
    assert!(c.evidence.contains("Confirmed at its retest"), "{}", c.evidence);
    assert!(
        c.evidence.contains("It has not been done since"),
        "{}",
        c.evidence
    );
    assert_eq!(ex(&a, "goblet-squat").provocation, Some(Provocation::Confirmed));

    // Done again since, calmly (the next session after its return): the score, weak now, includes new evidence
    // about it and decides.
    let a = confirmed_then_squats(0, 1, "goblet-squat 2x10@20 p2,2");
    let c = a.causes.iter().find(|c| c.name == "goblet-squat").expect("named");
    assert_eq!(c.confidence, Confidence::Weak, "{}", c.evidence);
    assert_ne!(ex(&a, "goblet-squat").provocation, Some(Provocation::Confirmed));
}

/// `squats_then_a_noisy_wait(12)`, confirmed at its return (CA-6), then `noisy` of the wait's noisy sessions without
/// squats (which weigh the whole score down), then `times` sessions with `squat`.
fn confirmed_then_squats(noisy: usize, times: usize, squat: &str) -> Assessment {
    let (mut f, p) = squats_then_a_noisy_wait(12);
    let mut day = 2 * (12 + 12 + 1);
    let wait = [
        ["lat-pulldown 3x10@40 p2,3,4", "chest-supported-row 3x10@20 p2"],
        ["lat-pulldown 3x10@40 p2", "chest-supported-row 3x10@20 p2,2,3"],
        ["lat-pulldown 3x10@40 p2", "chest-supported-row 3x10@20 p2"],
    ];
    for k in 0..noisy {
        f = f.s(at(day, 18), Some(2), &wait[k % 3]).c(at(day + 1, 8), 2);
        day += 2;
    }
    for _ in 0..times {
        f = f
            .s(at(day, 18), Some(2), &["lat-pulldown 3x10@40 p2", squat])
            .c(at(day + 1, 8), 2);
        day += 2;
    }
    f.assess_with(&p, at(day + 2, 0))
}

#[test]
fn a_pattern_confirmed_at_its_retest_is_cleared_only_by_enough_calm_sessions_of_it() {
    // CA-6: the squat pattern, confirmed at its return and weighed down to weak by the noisy sessions after it, is
    // done again once. One session does not undo the test it passed: it stays confirmed, and says why.
    let squat = |a: &Assessment| {
        a.causes
            .iter()
            .find(|c| c.level == CauseLevel::Pattern && c.name == "squat")
            .cloned()
    };
    let a = confirmed_then_squats(6, 1, "goblet-squat 2x10@20 p2,3");
    let c = squat(&a).expect("named");
    assert!(c.evidence.contains("(weak confidence"), "{}", c.evidence);
    assert_eq!(c.confidence, Confidence::Strong, "{}", c.evidence);
    assert!(
        c.evidence
            .contains("It has been done in 1 session(s) since, too few to clear it"),
        "{}",
        c.evidence
    );
    // The exercise itself is the ledger's to judge (C6): done again, its whole score decides.
    let g = a.causes.iter().find(|c| c.name == "goblet-squat");
    assert!(g.is_none_or(|g| g.confidence != Confidence::Strong), "{g:?}");
    // Three calm sessions of it since (`cause_min_exposures`): still named, weakly, but cleared.
    let a = confirmed_then_squats(2, 3, "goblet-squat 2x10@20 p2,2");
    let c = squat(&a).expect("named");
    assert_eq!(c.confidence, Confidence::Weak, "{}", c.evidence);
    // Three in which pain rose again, or three without pain read during the sets: nothing shows them calm, so
    // nothing clears it.
    for squats in ["goblet-squat 2x10@20 p3,4", "goblet-squat 2x10@20"] {
        let c = squat(&confirmed_then_squats(2, 3, squats)).expect("named");
        assert_eq!(c.confidence, Confidence::Strong, "{squats}: {}", c.evidence);
        assert!(
            c.evidence.contains("their readings do not show them calm"),
            "{}",
            c.evidence
        );
    }
}

#[test]
fn a_direction_borne_out_by_later_sessions_stays_confirmed_while_it_is_still_named() {
    // CA-7: named at moderate confidence within four weeks; the next week bears it out on its own; a calm week after
    // that takes the whole later stretch under the bar, but the whole history still names it. The test it passed
    // stands: confirmed, and the evidence says up to when.
    let (f, p) = light_extension_weeks(&[true, true, true, true, true, false]);
    let a = f.assess_with(&p, at(6 * 7, 0));
    let c = a
        .causes
        .iter()
        .find(|c| c.level == CauseLevel::Direction && c.name == "extension")
        .expect("extension is named");
    assert!(c.evidence.contains("(moderate confidence"), "{}", c.evidence);
    assert_eq!(c.confidence, Confidence::Strong, "{}", c.evidence);
    assert!(
        c.evidence.contains("weighed on their own, showed it again"),
        "{}",
        c.evidence
    );

    // Two calm weeks take the whole history under moderate, to weak: the test it passed while the history up to
    // then named it at moderate still stands.
    let (f, p) = light_extension_weeks(&[true, true, true, true, true, false, false]);
    let a = f.assess_with(&p, at(7 * 7, 0));
    let c = a
        .causes
        .iter()
        .find(|c| c.level == CauseLevel::Direction && c.name == "extension")
        .expect("extension is named");
    assert!(c.evidence.contains("(weak confidence"), "{}", c.evidence);
    assert_eq!(c.confidence, Confidence::Strong, "{}", c.evidence);
    // A third calm week and the history no longer names it at all: no longer confirmed.
    let (f, p) = light_extension_weeks(&[true, true, true, true, true, false, false, false]);
    assert_extension_not_confirmed(&f.assess_with(&p, at(8 * 7, 0)));
}

/// PG-4: the RPE logged in a calm session says how much the load can go up. Two points or more under the effort
/// ceiling, the next load is the one the heaviest set predicts at the ceiling (Epley with the reps in reserve),
/// at most 20 % more; closer to the ceiling, or on a morning that was not calm, the usual steps apply.
#[test]
fn a_load_the_logged_effort_calls_light_goes_up() {
    // A calm session logged at RPE 8 raises the effort ceiling to 8 (PG-3).
    let base = Facts::default()
        .s(at(0, 18), Some(2), &["lat-pulldown 3x10@100 rpe8 p1"])
        .c(at(1, 8), 2)
        .c(at(2, 8), 2);
    let next = |rpe: &str, morning: u8| {
        let f = base
            .clone()
            .s(at(2, 18), Some(2), &[&format!("lat-pulldown 3x10@100 {rpe} p1")])
            .c(at(3, 8), morning)
            .c(at(4, 8), 2);
        ex(&f.assess(at(4, 12)), "lat-pulldown").clone()
    };
    // RPE 4.5 at 10 reps: about 152 kg for one rep, 108.3 kg for 10 at RPE 8, rounded down: 107.5 kg, reps kept.
    let l = next("rpe4.5", 2);
    assert_eq!(
        (l.next, l.step, l.rule),
        (NextStep::Progress, Some(ProgressStep::Load), RuleId::Pg4),
        "{}",
        l.reason
    );
    let d = l.dose.as_ref().unwrap();
    assert_eq!(
        (d.load.unwrap().grams(), d.reps),
        (107_500, Some(10)),
        "{}",
        l.reason
    );
    assert!(
        l.reason.contains("light by the RPE you logged (4.5)"),
        "{}",
        l.reason
    );
    // RPE 4 and under is "light effort": the reps left in reserve are more than it can say, so the load takes the
    // largest step, 20 % (120 kg), where RPE 4 read as 6 in reserve would predict 107.5 kg.
    for rpe in ["rpe4", "rpe2", "rpe1"] {
        let l = next(rpe, 2);
        let d = l.dose.as_ref().unwrap();
        assert_eq!(
            (l.rule, d.load.unwrap().grams(), d.reps),
            (RuleId::Pg4, 120_000, Some(10)),
            "{}",
            l.reason
        );
    }
    // RPE 7, a point under the ceiling: the range is climbed first, at the same load (PG-1).
    let l = next("rpe7", 2);
    assert_eq!(
        (l.step, l.rule),
        (Some(ProgressStep::Amount), RuleId::Pg1),
        "{}",
        l.reason
    );
    assert_eq!(l.dose.as_ref().unwrap().load.unwrap().grams(), 100_000);
    // RPE 6 at 100 kg predicts 104.8 kg, under the usual step: no light step.
    assert_eq!(next("rpe6", 2).rule, RuleId::Pg1);
    // No RPE logged: nothing to go on.
    assert_eq!(next("", 2).rule, RuleId::Pg1);
    // A raised morning holds the dose whatever the RPE.
    let l = next("rpe4", 4);
    assert_eq!(l.next, NextStep::Hold, "{}", l.reason);
    assert_eq!(l.dose.as_ref().unwrap().load.unwrap().grams(), 100_000);

    // At the top after a session that was not calm, the step waits for a second calm session (PG-2), light or not.
    let f = base
        .clone()
        .s(at(2, 18), Some(2), &["lat-pulldown 3x12@100 rpe8 p1"])
        .c(at(3, 8), 4)
        .c(at(4, 8), 2)
        .s(at(4, 18), Some(2), &["lat-pulldown 3x12@100 rpe4 p1"])
        .c(at(5, 8), 2)
        .c(at(6, 8), 2);
    let l = ex(&f.assess(at(6, 12)), "lat-pulldown").clone();
    assert_eq!(l.next, NextStep::Hold, "{}", l.reason);
    assert_eq!(l.dose.as_ref().unwrap().load.unwrap().grams(), 100_000);

    // At the top of the range twice, the load step goes by the logged effort too, back to the bottom (8 reps):
    // RPE 1 at 12 reps predicts 127.5 kg for 8 at RPE 8, capped at 20 % more: 120 kg.
    let top = |rpe: &str| {
        let f = base
            .clone()
            .s(at(2, 18), Some(2), &["lat-pulldown 3x12@100 rpe8 p1"])
            .c(at(3, 8), 2)
            .c(at(4, 8), 2)
            .s(at(4, 18), Some(2), &[&format!("lat-pulldown 3x12@100 {rpe} p1")])
            .c(at(5, 8), 2)
            .c(at(6, 8), 2);
        let l = ex(&f.assess(at(6, 12)), "lat-pulldown").clone();
        let d = l.dose.clone().unwrap();
        (l, d.load.unwrap().grams(), d.reps)
    };
    let (l, grams, reps) = top("rpe1");
    assert_eq!(
        (l.step, grams, reps),
        (Some(ProgressStep::Load), 120_000, Some(8)),
        "{}",
        l.reason
    );
    assert!(
        l.reason
            .contains("a load step of 20 %, as the RPE you logged (1) calls the load light"),
        "{}",
        l.reason
    );
    let (l, grams, _) = top("rpe8");
    assert_eq!(
        (l.rule, grams),
        (RuleId::Pg4, 105_000),
        "the usual 5 %: {}",
        l.reason
    );
    assert!(l.reason.contains("a load step of about 5 %"), "{}", l.reason);
}

/// CA-3: a morning raised after a big session with an exercise never lowers its score. With the volume's slope
/// fitted from the same six sessions it did (4.66 to 3.92, un-parking it); a volume slope below zero is now left out
/// of the fit. The property test `more_pain_never_makes_a_next_step_more_aggressive` found the case.
#[test]
fn a_worse_morning_after_a_big_session_with_an_exercise_never_lowers_its_score() {
    let g = |day, exercises: Vec<(usize, u8)>, morning, second| GenSession {
        day,
        p0: None,
        exercises,
        morning,
        second,
    };
    let h = vec![
        g(1, vec![(0, 0), (3, 0)], None, Some(6)),
        g(2, vec![(1, 0), (3, 0), (0, 0)], Some(0), None),
        g(3, vec![(0, 0)], Some(1), None),
        g(4, vec![(0, 0)], None, None),
        g(5, vec![(0, 0), (3, 0)], None, Some(3)),
        g(6, vec![(3, 0), (1, 0), (0, 0)], Some(1), None),
        g(7, vec![(5, 0), (5, 0), (5, 0)], Some(0), None),
        g(8, vec![(0, 0)], None, None),
    ];
    let score = |a: &Assessment| {
        a.causes
            .iter()
            .find(|c| c.name == "dead-bug")
            .map_or(0.0, |c| c.score)
    };
    let now = end_of(&h);
    let mut previous: Option<(f64, NextStep)> = None;
    // The sixth session (dead bug, a row and a pulldown: the most sets) has its morning raised step by step.
    for morning in 1..=7 {
        let mut h = h.clone();
        h[5].morning = Some(morning);
        let a = build(&h).assess(now);
        let now_score = score(&a);
        let next = a.exercise("dead-bug").unwrap().next;
        if let Some((s, n)) = previous {
            assert!(now_score >= s, "morning {morning}: score {s} -> {now_score}");
            assert!(next <= n, "morning {morning}: {n:?} -> {next:?}");
        }
        previous = Some((now_score, next));
    }
}

/// C6, CA-4 and CA-6: a retest is about the load the finding was about. An exercise named as a cause and retested
/// calm at 80 % gets that load back in the retest's second session; when pain rises again there it is confirmed and
/// retested next at 80 % of that load, not at 80 % of the retest's (which tests less each time); calm there too, it
/// is no longer held back; after a red retest the next one is lighter.
#[test]
fn a_calm_retest_is_not_followed_by_a_lighter_one_still() {
    let mut f = Facts::default();
    let mut day = 0;
    // The pulldown raises pain during its sets every time; the chin-up (same pattern, same spinal demand) and the
    // rest of the training do not, so the exercise itself is named.
    for _ in 0..5 {
        f = f
            .s(
                at(day, 18),
                Some(2),
                &["lat-pulldown 3x10@40 p5", "glute-bridge 2x12 p2"],
            )
            .c(at(day + 1, 8), 2);
        f = f
            .s(
                at(day + 2, 18),
                Some(2),
                &["chin-up 3x5 p2", "goblet-squat 3x8@20 p2"],
            )
            .c(at(day + 3, 8), 2);
        day += 4;
    }
    let retest_day = |f: &Facts, now: i64| {
        let a = f.assess(at(now, 9));
        let row = a.exercise("lat-pulldown").unwrap().clone();
        assert_eq!(row.next, NextStep::Avoid, "{}", row.reason);
        row.retest_from.unwrap().duration_since(at(0, 0)).as_hours() / 24 + 1
    };
    let load = |f: &Facts, now: i64| {
        let a = f.assess(at(now, 9));
        let row = a.exercise("lat-pulldown").unwrap();
        assert_eq!(row.next, NextStep::Retest, "{}", row.reason);
        row.dose.as_ref().and_then(|d| d.load).map_or(0, |l| l.grams())
    };
    let wait = retest_day(&f, day);
    let first = load(&f, wait);
    assert!((28_000..=32_000).contains(&first), "{first}");
    let kg = f64::from(first) / 1000.0;
    // The retest done at that load, with the pain during its sets and the next morning given.
    let retested = |pain: u8, morning: u8| {
        f.clone()
            .s(
                at(wait, 18),
                Some(2),
                &[
                    format!("lat-pulldown 2x10@{kg} p{pain}").as_str(),
                    "glute-bridge 2x12 p2",
                ],
            )
            .c(at(wait + 1, 8), morning)
            .c(at(wait + 2, 8), 2)
    };
    // A calm retest, while the earlier sessions still name it: the second session of the retest brings back the
    // dose it was reduced from (CA-6), 3×10 at 40 kg, as the session's change, instead of parking it again at once.
    let calm = retested(2, 2);
    let a = calm.assess(at(wait + 3, 9));
    let row = a.exercise("lat-pulldown").unwrap();
    assert_eq!(
        (row.next, row.step, row.rule),
        (NextStep::Progress, Some(ProgressStep::Load), RuleId::C6),
        "{}",
        row.reason
    );
    let d = row.dose.as_ref().unwrap();
    assert_eq!(
        (d.sets, d.reps, d.load.map(|l| l.grams())),
        (3, Some(10), Some(40_000))
    );
    assert!(
        row.reason.contains("second session of the retest"),
        "{}",
        row.reason
    );
    // Not done within the parking time after its retest: the return is over, so it is parked from the retest and,
    // that time being up, retested again at 80 % of the load the finding was about, not given the full dose.
    let late = wait + 1 + 15;
    assert_eq!(load(&calm, late), first);
    let why = calm
        .assess(at(late, 9))
        .exercise("lat-pulldown")
        .unwrap()
        .reason
        .clone();
    assert!(
        why.contains("retest at 80 % of 40 kg (its heaviest recent load)"),
        "{why}"
    );
    // The second session, with pain rising during it again: the response the finding was about came back as its
    // dose did (CA-6), so it is confirmed, parked for twice as long, and then retested at 80 % of that load.
    let second = |pain: &str| {
        calm.clone()
            .s(
                at(wait + 4, 18),
                Some(2),
                &[
                    format!("lat-pulldown 3x10@40 {pain}").as_str(),
                    "glute-bridge 2x12 p2",
                ],
            )
            .c(at(wait + 5, 8), 2)
            .c(at(wait + 6, 8), 2)
    };
    let rose = second("p2,4,5");
    let again = retest_day(&rose, wait + 7);
    assert!(again >= wait + 4 + 28, "retest on day {again}");
    let row = rose
        .assess(at(wait + 7, 9))
        .exercise("lat-pulldown")
        .unwrap()
        .clone();
    assert_eq!(row.provocation, Some(Provocation::Confirmed), "{}", row.reason);
    assert_eq!(load(&rose, again), first);
    let why = rose
        .assess(at(again, 9))
        .exercise("lat-pulldown")
        .unwrap()
        .reason
        .clone();
    assert!(why.contains("retest at 80 % of the last load"), "{why}");
    // Calm at the full dose too: the link no longer stands, and it progresses like any tolerated exercise.
    let settled = second("p2");
    let row = settled
        .assess(at(wait + 7, 9))
        .exercise("lat-pulldown")
        .unwrap()
        .clone();
    assert_eq!(row.next, NextStep::Progress, "{}", row.reason);
    // A red retest instead: the next one is lighter.
    let red = retested(7, 3);
    let again = retest_day(&red, wait + 3);
    assert!(load(&red, again) < first);
}
