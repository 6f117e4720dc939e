//! The planner: golden plans for six archetypes (read and judged by a person before acceptance) and properties
//! over random profiles and histories.

use crate::rules::RuleId;
use jiff::Timestamp;
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use proptest::prelude::*;

use super::*;
use crate::engine::{History, assess};
use crate::facts::{CheckIn, Clearance, FlareEvent, Screening, ScreeningContext};
use crate::redflags::RedFlag;
use crate::testkit::*;
use crate::units::WeightUnit;
use crate::vocab::{Aggravator, Equipment};

fn with(equipment: &[Equipment], aggravators: Vec<Aggravator>, minutes: u32) -> Profile {
    let mut p = profile(2, aggravators);
    p.equipment = equipment.to_vec();
    p.minutes = Minutes::new(minutes).unwrap();
    p
}

fn day_of(t: Timestamp) -> Date {
    t.to_zoned_datetime(TimeZone::UTC).date()
}

fn plan_for(f: &Facts, p: &Profile, now: Timestamp, r: Readiness) -> Plan {
    let a = f.assess_with(p, now);
    plan(&a, p, &catalog(), r, day_of(now))
}

const FULL_GYM: &[Equipment] = &[
    Equipment::Barbell,
    Equipment::Dumbbell,
    Equipment::Kettlebell,
    Equipment::Cable,
    Equipment::Machine,
    Equipment::Bench,
    Equipment::PullUpBar,
    Equipment::Band,
    Equipment::TrapBar,
    Equipment::Landmine,
];

/// Four calm weeks of a steady routine, three sessions a week.
fn steady(groups: &[&str], weeks: i64) -> Facts {
    let mut f = Facts::default();
    for w in 0..weeks {
        for d in [0, 2, 4] {
            let day = w * 7 + d;
            f = f.s(at(day, 18), Some(2), groups).c(at(day + 1, 8), 2);
        }
    }
    f
}

const ROUTINE: &[&str] = &[
    "chest-supported-row 3x10@30 p1",
    "lat-pulldown 3x10@45 p1",
    "trap-bar-deadlift 3x6@80 p1",
    "dead-bug 3x8 p0",
    "side-plank 3x30s p1",
    "face-pull 2x15@15 p0",
];

#[test]
fn golden_flexion_sensitive_beginner_with_dumbbells_and_a_bench() {
    let p = with(
        &[Equipment::Dumbbell, Equipment::Bench],
        vec![Aggravator::Sitting, Aggravator::Bending],
        45,
    );
    let plan = plan_for(&Facts::default(), &p, at(0, 17), Readiness::default());
    insta::assert_snapshot!(render(&plan, WeightUnit::Kg));
}

#[test]
fn golden_extension_sensitive_lifter_in_a_full_gym() {
    let p = with(FULL_GYM, vec![Aggravator::Standing, Aggravator::Arching], 60);
    let f = steady(ROUTINE, 3);
    let plan = plan_for(&f, &p, at(21, 17), Readiness::default());
    insta::assert_snapshot!(render(&plan, WeightUnit::Kg));
}

#[test]
fn an_exercise_a_clinician_asked_to_leave_out_is_never_planned() {
    // In training and in a flare alike, and the session is still filled from the rest.
    for (f, now) in [
        (steady(ROUTINE, 3), at(21, 17)),
        (steady(ROUTINE, 2).c(at(14, 8), 6).c(at(15, 8), 6), at(15, 17)),
    ] {
        let mut p = with(FULL_GYM, vec![], 60);
        let before = plan_for(&f, &p, now, Readiness::default());
        let out: Vec<String> = before.items.iter().take(3).map(|i| i.exercise.clone()).collect();
        assert!(!out.is_empty());
        p.not_planned = out.clone();
        let after = plan_for(&f, &p, now, Readiness::default());
        assert!(!after.items.is_empty());
        for it in &after.items {
            assert!(!out.contains(&it.exercise), "{} was left out", it.exercise);
        }
    }
}

#[test]
fn golden_load_sensitive() {
    let p = with(FULL_GYM, vec![Aggravator::Carrying, Aggravator::Lifting], 50);
    let plan = plan_for(&Facts::default(), &p, at(0, 17), Readiness::default());
    insta::assert_snapshot!(render(&plan, WeightUnit::Kg));
}

#[test]
fn golden_in_a_flare() {
    let p = with(FULL_GYM, vec![], 45);
    let f = steady(ROUTINE, 2).c(at(14, 8), 6).c(at(15, 8), 6);
    let plan = plan_for(&f, &p, at(15, 17), Readiness::default());
    assert_eq!(plan.mode, Mode::Flare);
    insta::assert_snapshot!(render(&plan, WeightUnit::Kg));
}

#[test]
fn golden_returning_from_a_short_flare() {
    let p = with(FULL_GYM, vec![], 50);
    let f = steady(ROUTINE, 2)
        .c(at(14, 8), 6)
        .c(at(15, 8), 6)
        .c(at(16, 8), 3)
        .c(at(17, 8), 2)
        .s(
            at(17, 18),
            Some(2),
            &["chest-supported-row 3x10@15 rpe6 p1", "dead-bug 3x8 p0"],
        )
        .c(at(18, 8), 2);
    let a = f.assess_with(&p, at(18, 17));
    // A two-day flare re-enters at step 2, and one calm session moves it to step 3.
    assert_eq!(a.flare.reentry_step, Some(3));
    let plan = plan(&a, &p, &catalog(), Readiness::default(), day_of(at(18, 17)));
    insta::assert_snapshot!(render(&plan, WeightUnit::Kg));
}

#[test]
fn golden_no_sensitivity_experienced() {
    let mut p = with(FULL_GYM, vec![], 60);
    p.training_years = Some(8);
    let f = steady(ROUTINE, 4);
    let plan = plan_for(&f, &p, at(28, 17), Readiness::default());
    insta::assert_snapshot!(render(&plan, WeightUnit::Kg));
}

#[test]
fn pain_today_trims_or_turns_into_recovery() {
    let p = with(FULL_GYM, vec![], 60);
    let f = steady(ROUTINE, 4);
    let now = at(28, 17);
    let calm = plan_for(
        &f,
        &p,
        now,
        Readiness {
            pain_now: Some(Pain::new(2).unwrap()),
            minutes: None,
        },
    );
    let trimmed = plan_for(
        &f,
        &p,
        now,
        Readiness {
            pain_now: Some(Pain::new(4).unwrap()),
            minutes: None,
        },
    );
    assert_eq!(trimmed.mode, Mode::Train);
    assert!(trimmed.items.iter().all(|i| !i.novelty));
    let sets = |p: &Plan| p.items.iter().map(|i| i.dose.sets).sum::<u32>();
    assert!(
        sets(&trimmed) < sets(&calm),
        "{} !< {}",
        sets(&trimmed),
        sets(&calm)
    );
    // Pain 4 is above the usual 2 + 1: trimmed; 5 reaches the absolute ceiling: recovery.
    let recovery = plan_for(
        &f,
        &p,
        now,
        Readiness {
            pain_now: Some(Pain::new(5).unwrap()),
            minutes: None,
        },
    );
    assert_eq!(recovery.mode, Mode::Recovery);
    assert!(
        recovery
            .items
            .iter()
            .all(|i| catalog().get(&i.exercise).unwrap().flare_safe)
    );
    assert!(recovery.items.iter().any(|i| i.exercise == "walking"));
}

#[test]
fn an_open_red_flag_blocks() {
    let p = with(FULL_GYM, vec![], 60);
    let sc = [Screening {
        at: at(0, 9),
        context: ScreeningContext::Onboarding,
        flags: vec![RedFlag::BothLegs],
    }];
    let h = History {
        profile: &p,
        sessions: &[],
        checkins: &[],
        flare_events: &[],
        screenings: &sc,
        clearances: &[],
    };
    let a = assess(&h, &catalog(), &p.settings, &TimeZone::UTC, at(1, 9));
    let pl = plan(&a, &p, &catalog(), Readiness::default(), day_of(at(1, 9)));
    assert_eq!(pl.mode, Mode::Blocked);
    assert!(pl.items.is_empty());
    assert!(pl.notes[0].contains("emergency"));
    let cl = [Clearance {
        at: at(1, 10),
        note: None,
    }];
    let h = History { clearances: &cl, ..h };
    let a = assess(&h, &catalog(), &p.settings, &TimeZone::UTC, at(1, 11));
    assert_eq!(
        plan(&a, &p, &catalog(), Readiness::default(), day_of(at(1, 11))).mode,
        Mode::Train
    );
}

#[test]
fn a_week_spreads_hinges_and_brings_one_change() {
    let mut p = with(FULL_GYM, vec![], 60);
    p.days = vec![
        crate::vocab::Weekday::Mon,
        crate::vocab::Weekday::Tue,
        crate::vocab::Weekday::Thu,
    ];
    let f = steady(ROUTINE, 4);
    let a = f.assess_with(&p, at(28, 7));
    let w = plan_week(&a, &p, &catalog(), &f.sessions, &TimeZone::UTC, day_of(at(28, 7)));
    assert_eq!(w.week_start, date(2026, 10, 5));
    let planned: Vec<&Plan> = w.days.iter().filter_map(|(_, p)| p.as_ref()).collect();
    assert_eq!(planned.len(), 3);
    let hinge = |p: &Plan| {
        p.items.iter().any(|i| {
            catalog()
                .get(&i.exercise)
                .is_some_and(|e| e.pattern == Pattern::Hinge)
        })
    };
    let heavy = |p: &Plan| {
        p.items
            .iter()
            .any(|i| catalog().get(&i.exercise).is_some_and(is_heavy))
    };
    assert!(hinge(planned[0]));
    assert!(
        !hinge(planned[1]) && !heavy(planned[1]),
        "no heavy hinge or axial work on the day after"
    );
    let novelties: usize = planned
        .iter()
        .map(|p| p.items.iter().filter(|i| i.novelty).count())
        .sum();
    assert!(novelties <= 1);
}

fn any_profile() -> impl Strategy<Value = Profile> {
    (
        prop::sample::subsequence(FULL_GYM.to_vec(), 0..FULL_GYM.len()),
        prop::sample::subsequence(Aggravator::ALL.to_vec(), 0..4),
        10u32..90,
        0u8..5,
    )
        .prop_map(|(eq, ag, min, base)| {
            let mut p = with(&eq, ag, min);
            p.baseline_pain = Pain::new(base).unwrap();
            p
        })
}

/// Training volume: sets of everything but the warm-up and easy walking.
fn total_sets(p: &Plan) -> u32 {
    p.items
        .iter()
        .filter(|i| i.slot != "warm-up" && i.slot != "conditioning")
        .map(|i| i.dose.sets)
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn plans_keep_their_promises(p in any_profile(), h in gen_history(), pain in prop::option::of(0u8..10), flare in any::<bool>()) {
        let mut f = build(&h);
        let now = end_of(&h);
        if flare {
            f.flares.push(FlareEvent { at: now - jiff::SignedDuration::from_hours(30), mark: crate::facts::FlareMark::Start });
        }
        let a = f.assess_with(&p, now);
        let r = Readiness { pain_now: pain.map(|x| Pain::new(x).unwrap()), minutes: None };
        let pl = plan(&a, &p, &catalog(), r, day_of(now));
        // Deterministic.
        prop_assert_eq!(&pl, &plan(&a, &p, &catalog(), r, day_of(now)));
        // At most one novelty.
        prop_assert!(pl.items.iter().filter(|i| i.novelty).count() <= 1);
        for it in &pl.items {
            let ex = catalog().get(&it.exercise).cloned().unwrap();
            // Never parked or to be avoided; never missing equipment.
            prop_assert!(a.exercise(&it.exercise).is_none_or(|l| l.next != NextStep::Avoid), "{} is to be avoided", it.exercise);
            prop_assert!(ex.equipment.iter().all(|e| *e == Equipment::Bodyweight || p.equipment.contains(e)), "{} needs missing equipment", it.exercise);
            // Flare mode uses flare-friendly work, and otherwise only tolerated work that is low in spinal demand,
            // at a dose below its last one (FL-2: reduce, don't stop).
            if pl.mode == Mode::Flare && !ex.flare_safe {
                let l = a.exercise(&it.exercise).unwrap();
                prop_assert!(l.status == LedgerStatus::Tolerated && ex.spinal.max() <= 1 && ex.pattern != Pattern::Hinge, "{} is neither flare-friendly nor tolerated low-demand work", it.exercise);
                prop_assert_eq!(l.rule, RuleId::Fl2);
                prop_assert!(it.dose.target_rpe.is_some_and(|r| r <= 6.0));
            }
        }
        prop_assert!(pl.estimated_minutes <= f64::from(p.minutes.get()) + 1e-9, "{} min over {}", pl.estimated_minutes, p.minutes);
        if a.flare.active {
            prop_assert_eq!(pl.mode, Mode::Flare);
        }
        // More pain now never gives more volume.
        if let Some(x) = pain && x < 9 {
            let more = plan(&a, &p, &catalog(), Readiness { pain_now: Some(Pain::new(x + 1).unwrap()), minutes: None }, day_of(now));
            prop_assert!(total_sets(&more) <= total_sets(&pl), "pain {} → {} sets, pain {} → {} sets", x, total_sets(&pl), x + 1, total_sets(&more));
        }
    }

    #[test]
    fn an_open_red_flag_always_blocks(p in any_profile(), h in gen_history(), flag in prop::sample::select(RedFlag::ALL.to_vec())) {
        let f = build(&h);
        let now = end_of(&h);
        let sc = [Screening { at: now - jiff::SignedDuration::from_hours(1), context: ScreeningContext::Recheck, flags: vec![flag] }];
        let cis: Vec<CheckIn> = f.checkins.clone();
        let hist = History { profile: &p, sessions: &f.sessions, checkins: &cis, flare_events: &f.flares, screenings: &sc, clearances: &[] };
        let a = assess(&hist, &catalog(), &p.settings, &TimeZone::UTC, now);
        let pl = plan(&a, &p, &catalog(), Readiness::default(), day_of(now));
        prop_assert_eq!(pl.mode == Mode::Blocked, a.red_flags.blocks_training);
        if a.red_flags.blocks_training {
            prop_assert!(pl.items.is_empty());
        }
    }
}

#[test]
fn a_form_flag_keeps_the_dose_and_shows_the_cues() {
    let p = with(FULL_GYM, vec![], 60);
    let f = steady(ROUTINE, 2)
        .s(at(14, 18), Some(2), &["chest-supported-row 3x10@30 p1 back"])
        .c(at(15, 8), 2);
    let pl = plan_for(&f, &p, at(15, 17), Readiness::default());
    let row = pl
        .items
        .iter()
        .find(|i| i.exercise == "chest-supported-row")
        .unwrap();
    assert!(
        row.reasons.iter().any(|r| r.contains("focus on the cues")),
        "{:?}",
        row.reasons
    );
    assert!(!row.cues.is_empty());
}

#[test]
fn heavy_work_in_the_last_48_hours_keeps_today_light() {
    let p = with(FULL_GYM, vec![], 60);
    let f = steady(ROUTINE, 4).s(at(28, 7), Some(2), &["trap-bar-deadlift 3x6@80 p1"]);
    let pl = plan_for(&f, &p, at(28, 17), Readiness::default());
    assert!(
        !pl.items
            .iter()
            .any(|i| catalog().get(&i.exercise).is_some_and(is_heavy)),
        "{}",
        render(&pl, WeightUnit::Kg)
    );
    assert!(pl.notes.iter().any(|n| n.contains("LM-6")));
}

#[test]
fn no_change_while_a_session_awaits_its_morning() {
    let p = with(FULL_GYM, vec![], 60);
    let f = Facts::default().s(at(0, 7), Some(2), &["dead-bug 2x8 p0"]);
    let pl = plan_for(&f, &p, at(0, 17), Readiness::default());
    assert!(
        pl.items.iter().all(|i| !i.novelty),
        "{}",
        render(&pl, WeightUnit::Kg)
    );
    assert!(
        pl.notes
            .iter()
            .any(|n| n.contains("awaits its next-morning check-in"))
    );
    let settled = f.c(at(1, 8), 2);
    let pl = plan_for(&settled, &p, at(1, 17), Readiness::default());
    assert_eq!(pl.items.iter().filter(|i| i.novelty).count(), 1);
}

#[test]
fn the_weekly_cap_holds_even_when_sets_cannot_shrink() {
    // Last week: nothing logged, so the cap is its floor of 6 back-loading sets.
    let mut p = with(FULL_GYM, vec![], 90);
    p.days = vec![
        crate::vocab::Weekday::Mon,
        crate::vocab::Weekday::Wed,
        crate::vocab::Weekday::Fri,
        crate::vocab::Weekday::Sat,
    ];
    let f = steady(ROUTINE, 3);
    let a = f.assess_with(&p, at(35, 7));
    let w = plan_week(&a, &p, &catalog(), &[], &TimeZone::UTC, day_of(at(35, 7)));
    let heavy: u32 = w
        .days
        .iter()
        .filter_map(|(_, p)| p.as_ref())
        .flat_map(|p| p.items.iter())
        .filter(|i| catalog().get(&i.exercise).is_some_and(|e| e.spinal.load() >= 2))
        .map(|i| i.dose.sets)
        .sum();
    assert!(heavy <= 6, "{heavy} back-loading sets planned");
}

/// A lifter who does every planned session as planned, three days a week, with in-session pain 1 and the next
/// morning's pain from `morning` (given the exercises done); returns the plans, oldest first.
fn follow(p: &Profile, weeks: i64, morning: impl Fn(&[PlanItem]) -> u8) -> (Facts, Vec<Plan>) {
    let cat = catalog();
    let mut f = Facts::default();
    let mut plans = Vec::new();
    for w in 0..weeks {
        for d in [0, 2, 4] {
            let day = w * 7 + d;
            let r = Readiness {
                pain_now: Some(Pain::new(2).unwrap()),
                minutes: None,
            };
            let plan = plan_for(&f, p, at(day, 17), r);
            let groups: Vec<String> = plan
                .items
                .iter()
                .map(|it| {
                    let ex = cat.get(&it.exercise).unwrap();
                    let (amount, unit) = match (it.dose.reps, it.dose.seconds, it.dose.metres) {
                        (Some(r), _, _) => (r, ""),
                        (_, Some(s), _) => (s, "s"),
                        (_, _, Some(m)) => (m, "m"),
                        _ => (8, ""),
                    };
                    let load = match (ex.load_type, it.dose.load) {
                        (LoadType::External, Some(l)) => {
                            format!("@{}", crate::units::format_number(l.in_unit(WeightUnit::Kg)))
                        }
                        (LoadType::External, None) => "@20".into(),
                        _ => String::new(),
                    };
                    format!("{} {}x{amount}{unit}{load} p1", it.exercise, it.dose.sets)
                })
                .collect();
            let refs: Vec<&str> = groups.iter().map(String::as_str).collect();
            let m = morning(&plan.items);
            f = f
                .s(at(day, 18), Some(2), &refs)
                .c(at(day + 1, 8), m)
                .c(at(day + 2, 8), m.min(2));
            plans.push(plan);
        }
    }
    (f, plans)
}

fn is_hinge(it: &PlanItem) -> bool {
    catalog()
        .get(&it.exercise)
        .is_some_and(|e| e.pattern == Pattern::Hinge)
}

#[test]
fn twelve_calm_weeks_grow_into_a_full_session_with_a_deadlift() {
    let p = with(FULL_GYM, vec![], 60);
    let (_, plans) = follow(&p, 12, |_| 2);
    // A hinge from the deadlift family by week 8.
    let deadlift_by_week_8 = plans[..24]
        .iter()
        .flat_map(|pl| pl.items.iter())
        .any(|it| is_hinge(it) && it.exercise.contains("deadlift"));
    assert!(deadlift_by_week_8, "{}", render(&plans[23], WeightUnit::Kg));
    let last = plans.last().unwrap();
    let shown = render(last, WeightUnit::Kg);
    // The session fills 80–100 % of the budget.
    assert!(
        (48.0..=60.0).contains(&last.estimated_minutes),
        "{} min\n{shown}",
        last.estimated_minutes
    );
    // The main items reach 3 working sets and an effort ceiling of RPE 7–8.
    for slot in ["horizontal-pull", "vertical-pull", "hinge-or-hip-extension"] {
        let it = last
            .items
            .iter()
            .find(|i| i.slot == slot)
            .unwrap_or_else(|| panic!("{slot}\n{shown}"));
        assert!(it.dose.sets >= 3, "{slot}: {}\n{shown}", it.dose.sets);
        let rpe = it.dose.target_rpe.unwrap_or(0.0);
        assert!((7.0..=8.0).contains(&rpe), "{slot}: RPE {rpe}\n{shown}");
    }
    // Never two changes in one session.
    for pl in &plans {
        assert!(pl.items.iter().filter(|i| i.novelty).count() <= 1);
    }
}

/// A grown session stays a back session: its trunk work is not all crowded out by the extra lifts.
#[test]
fn a_full_session_keeps_its_first_two_trunk_drills_before_a_second_row() {
    let mut p = with(FULL_GYM, vec![], 45);
    p.goal_lifts = vec!["conventional-deadlift".into()];
    let (_, plans) = follow(&p, 16, |_| 2);
    // Once the session has grown to a second horizontal pull, the anti-extension and lateral drills outrank it (the
    // anti-rotation drill and the scapular work may give way first).
    let grown: Vec<&Plan> = plans
        .iter()
        .filter(|pl| pl.items.iter().any(|i| i.slot == "second-horizontal-pull"))
        .collect();
    assert!(
        !grown.is_empty(),
        "{}",
        render(plans.last().unwrap(), WeightUnit::Kg)
    );
    for pl in grown {
        for slot in ["trunk-anti-extension", "trunk-lateral"] {
            assert!(
                pl.items.iter().any(|i| i.slot == slot),
                "{slot} left out for a second row\n{}",
                render(pl, WeightUnit::Kg)
            );
        }
    }
}

/// With three goal lifts and 45 minutes, the goal slots take the time and the trunk drills give way; the plan says
/// why and what brings them back. Without goal lifts, a trunk drill left out is not blamed on them.
#[test]
fn trunk_work_left_out_for_goal_lifts_is_explained() {
    let why = |pl: &Plan| {
        pl.notes
            .iter()
            .any(|n| n.starts_with("Trunk work gave way to your goal lifts"))
    };
    let trunk = |pl: &Plan| pl.items.iter().filter(|i| i.slot.starts_with("trunk")).count();
    let mut p = with(FULL_GYM, vec![], 45);
    p.goal_lifts = vec![
        "conventional-deadlift".into(),
        "back-squat".into(),
        "barbell-bent-over-row".into(),
    ];
    let (_, plans) = follow(&p, 16, |_| 2);
    let last = plans.last().unwrap();
    assert!(trunk(last) < 3 && why(last), "{}", render(last, WeightUnit::Kg));
    for pl in &plans {
        let trunk_out = pl.notes.iter().any(|n| {
            [
                "dead-bug",
                "front-plank",
                "ab-wheel",
                "side-plank",
                "suitcase",
                "bird-dog",
                "pallof",
            ]
            .iter()
            .any(|t| n.starts_with(t) && n.contains("left out"))
        });
        assert!(!why(pl) || trunk_out, "{}", render(pl, WeightUnit::Kg));
    }
    let mut none = with(FULL_GYM, vec![], 30);
    none.goal_lifts = Vec::new();
    let (_, plans) = follow(&none, 8, |_| 2);
    assert!(plans.iter().all(|pl| !why(pl)));
}

#[test]
fn red_mornings_after_every_hinge_never_make_the_hinge_heavier() {
    let p = with(FULL_GYM, vec![], 60);
    let (f, plans) = follow(&p, 12, |items| if items.iter().any(is_hinge) { 5 } else { 2 });
    let mut heaviest: Option<(String, u32)> = None;
    for pl in &plans {
        for it in pl.items.iter().filter(|i| is_hinge(i)) {
            // `follow` does 20 kg when the plan leaves the first load to the lifter (PG-7).
            let g = it.dose.load.map_or(20_000, |l| l.grams());
            if let Some((id, prev)) = &heaviest
                && *id == it.exercise
            {
                assert!(g <= *prev, "{} went up from {prev} g to {g} g", it.exercise);
            }
            heaviest = Some((it.exercise.clone(), g));
        }
    }
    // Every hinge tried is parked or regressed: none is left progressing.
    let a = f.assess_with(&p, at(12 * 7, 12));
    for l in a.exercises.iter().filter(|l| {
        catalog()
            .get(&l.exercise)
            .is_some_and(|e| e.pattern == Pattern::Hinge)
    }) {
        assert!(l.next != NextStep::Progress, "{}: {}", l.exercise, l.reason);
    }
    // And the hinge suspect is confirmed: a hinge exercise red again at its retest (C6), or hinging named with strong
    // confidence (CA-4, CA-6).
    let hinge_confirmed = a.exercises.iter().any(|l| {
        l.provocation == Some(crate::engine::Provocation::Confirmed)
            && catalog()
                .get(&l.exercise)
                .is_some_and(|e| e.pattern == Pattern::Hinge)
    }) || a.causes.iter().any(|c| {
        c.confidence == crate::engine::Confidence::Strong
            && (c.pattern() == Some(Pattern::Hinge)
                || catalog()
                    .get(&c.name)
                    .is_some_and(|e| e.pattern == Pattern::Hinge))
    });
    assert!(
        hinge_confirmed,
        "causes: {:#?}\nledger: {:#?}",
        a.causes,
        a.exercises
            .iter()
            .map(|l| (&l.exercise, l.status, l.provocation, &l.reason))
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_parked_exercise_is_retested_alone_on_a_calm_day() {
    let p = with(FULL_GYM, vec![], 60);
    let mut f = Facts::default();
    for d in [0, 2, 4, 7, 9, 11] {
        f = f
            .s(
                at(d, 18),
                Some(2),
                &["chest-supported-row 3x10@30 p1", "glute-bridge 2x12 p1"],
            )
            .c(at(d + 1, 8), 2);
    }
    // Back extensions were new on day 14 and the morning after was red: parked for 14 days.
    f = f
        .s(
            at(14, 18),
            Some(2),
            &[
                "chest-supported-row 3x10@30 p1",
                "back-extension-45-degree 2x10 p2",
            ],
        )
        .c(at(15, 8), 5)
        .c(at(16, 8), 2);
    for d in [18, 21, 23, 25] {
        f = f
            .s(
                at(d, 18),
                Some(2),
                &["chest-supported-row 3x10@30 p1", "glute-bridge 2x12 p1"],
            )
            .c(at(d + 1, 8), 2);
    }
    let r = Readiness {
        pain_now: Some(Pain::new(2).unwrap()),
        minutes: None,
    };
    // While parked, it is not planned.
    let before = plan_for(&f, &p, at(25, 9), r);
    assert!(
        before
            .items
            .iter()
            .all(|i| i.exercise != "back-extension-45-degree")
    );
    // After the parking time, on a calm day, it is the session's one change at a reduced dose.
    let plan = plan_for(&f, &p, at(30, 9), r);
    let shown = render(&plan, WeightUnit::Kg);
    let it = plan
        .items
        .iter()
        .find(|i| i.exercise == "back-extension-45-degree")
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(it.novelty, "{shown}");
    assert_eq!(plan.items.iter().filter(|i| i.novelty).count(), 1);
    assert!(it.dose.sets <= 2 && it.dose.target_rpe == Some(6.0), "{shown}");
    // Not on a day after a red session.
    let g = f
        .s(at(30, 18), Some(2), &["chest-supported-row 3x10@30 p6"])
        .c(at(31, 8), 2);
    let plan = plan_for(&g, &p, at(32, 9), r);
    assert!(
        plan.items
            .iter()
            .all(|i| i.exercise != "back-extension-45-degree"),
        "{}",
        render(&plan, WeightUnit::Kg)
    );
}

/// A barbell row and a glute bridge, calm.
const ROW_WEEK: [&str; 2] = ["barbell-bent-over-row 3x10@40 p1", "glute-bridge 2x12 p1"];

/// Two weeks of `ROW_WEEK`, then `first` done for the first time beside the row on day 14 with a red morning after
/// (parked, C5), then `ROW_WEEK` again on the days in `after`.
fn row_weeks_with_a_red_first_time(first: &str, after: &[i64]) -> Facts {
    let mut f = Facts::default();
    for d in [0, 2, 4, 7, 9, 11] {
        f = f.s(at(d, 18), Some(2), &ROW_WEEK).c(at(d + 1, 8), 2);
    }
    f = f
        .s(at(14, 18), Some(2), &[ROW_WEEK[0], first])
        .c(at(15, 8), 5)
        .c(at(16, 8), 2);
    for d in after {
        f = f.s(at(*d, 18), Some(2), &ROW_WEEK).c(at(d + 1, 8), 2);
    }
    f
}

#[test]
fn a_due_retest_takes_the_change_before_an_earlier_slots_dose_step() {
    // A barbell row done the same way for weeks is due a dose step (high demand: a novelty, C5); the lat pulldown,
    // new on day 14 in place of the glute bridge (the same spinal demand, so no direction stands out) with a red
    // morning after, is due its retest on day 28. The row's slot comes first, but the retest is what the one change
    // is kept for (C6); the row is held at last time's dose for a session.
    // Plans are for day 31, more than 48 hours after the last session, so the heavy row may be planned (LM-6).
    let p = with(FULL_GYM, vec![], 60);
    let mut without = Facts::default();
    for d in [0, 2, 4, 7, 9, 11, 14, 18, 21, 23, 25, 28] {
        without = without.s(at(d, 18), Some(2), &ROW_WEEK).c(at(d + 1, 8), 2);
    }
    let f = row_weeks_with_a_red_first_time("lat-pulldown 2x12 p2", &[18, 21, 23, 25, 28]);
    let r = Readiness {
        pain_now: Some(Pain::new(2).unwrap()),
        minutes: None,
    };
    let a = f.assess_with(&p, at(31, 9));
    let row = a.exercise("barbell-bent-over-row").unwrap();
    assert!(
        is_dose_step(catalog().get("barbell-bent-over-row").unwrap(), row, &[]),
        "{:?}: {}",
        row.next,
        row.reason
    );
    assert_eq!(a.exercise("lat-pulldown").unwrap().next, NextStep::Retest);
    let plan = plan_for(&f, &p, at(31, 9), r);
    let shown = render(&plan, WeightUnit::Kg);
    let changes: Vec<&str> = plan
        .items
        .iter()
        .filter(|i| i.novelty)
        .map(|i| i.exercise.as_str())
        .collect();
    assert_eq!(changes, ["lat-pulldown"], "{shown}");
    let held = plan
        .items
        .iter()
        .find(|i| i.exercise == "barbell-bent-over-row")
        .unwrap_or_else(|| panic!("{shown}"));
    assert_eq!(held.dose.load, row.evidence.last().unwrap().dose.load, "{shown}");
    assert!(
        held.reasons.iter().any(|x| x.contains("one change per session")),
        "{shown}"
    );
    // Without a retest due, the row takes its step.
    assert_the_row_takes_the_change(&plan_for(&without, &p, at(31, 9), r));
}

#[test]
fn a_retest_in_a_slot_the_session_does_not_grow_into_keeps_no_change_waiting() {
    // The split squat (single-leg work, a slot only a growing session adds) is due its retest, but the last session
    // before today was the only calm one after an amber one: the session does not grow (PG-6), so the retest cannot
    // be planned, and the barbell row's dose step takes the change instead of waiting for it.
    let p = with(FULL_GYM, vec![], 60);
    let f = row_weeks_with_a_red_first_time("split-squat 2x10 p2", &[18, 21, 23])
        .s(at(25, 18), Some(2), &["glute-bridge 2x12 p1"])
        .c(at(26, 8), 4)
        .c(at(27, 8), 3)
        .s(at(28, 18), Some(2), &ROW_WEEK)
        .c(at(29, 8), 2)
        .c(at(30, 8), 2);
    let r = Readiness {
        pain_now: Some(Pain::new(2).unwrap()),
        minutes: None,
    };
    let a = f.assess_with(&p, at(31, 9));
    assert_eq!(a.exercise("split-squat").unwrap().next, NextStep::Retest);
    assert_eq!(calm_streak(&a), 1);
    let plan = plan_for(&f, &p, at(31, 9), r);
    let shown = render(&plan, WeightUnit::Kg);
    assert!(plan.items.iter().all(|i| i.exercise != "split-squat"), "{shown}");
    assert_the_row_takes_the_change(&plan);
}

/// The barbell row's dose step is the session's change (C5).
fn assert_the_row_takes_the_change(plan: &Plan) {
    assert!(
        plan.items
            .iter()
            .any(|i| i.exercise == "barbell-bent-over-row" && i.novelty),
        "{}",
        render(plan, WeightUnit::Kg)
    );
}

#[test]
fn a_calm_lifter_climbs_the_ladder_to_a_goal_lift_and_a_red_steps_back() {
    let mut p = with(FULL_GYM, vec![], 60);
    p.goal_lifts = vec!["conventional-deadlift".into()];
    let (f, plans) = follow(&p, 16, |_| 2);
    let a = f.assess_with(&p, at(16 * 7, 12));
    let l = &a.ladders[0];
    let at_rung = l.position.expect("the ladder was started");
    assert!(
        at_rung >= 2,
        "climbed at least two rungs in 16 calm weeks: {:?} at {at_rung}",
        l.rungs
    );
    // Rungs came one at a time, each as its session's one change, at a first dose.
    let mut seen: Vec<&str> = Vec::new();
    for pl in &plans {
        for it in pl.items.iter().filter(|i| l.rungs.contains(&i.exercise)) {
            if !seen.contains(&it.exercise.as_str()) {
                seen.push(&it.exercise);
                if it.exercise != l.rungs[0] || !catalog().get(&it.exercise).unwrap().is_low_risk() {
                    assert!(it.novelty, "{} came in without being the change", it.exercise);
                }
                assert!(
                    it.dose.sets <= 2 && it.dose.target_rpe == Some(6.0),
                    "{}: {:?}",
                    it.exercise,
                    it.dose
                );
            }
        }
    }
    // The same lifter with pain above the ceiling on the newest rung steps back to the one below.
    let newest = l.rungs[at_rung].clone();
    let below = l.rungs[at_rung - 1].clone();
    let last_plan = plans.last().unwrap();
    let groups: Vec<String> = last_plan
        .items
        .iter()
        .filter(|i| i.exercise == newest)
        .map(|i| {
            format!(
                "{} 2x{}@{} p6",
                i.exercise,
                i.dose.reps.unwrap_or(8),
                i.dose.load.map_or(20.0, |l| l.in_unit(WeightUnit::Kg))
            )
        })
        .collect();
    let refs: Vec<&str> = groups.iter().map(String::as_str).collect();
    let day = 16 * 7 + 2;
    let g = f
        .s(at(day, 18), Some(2), &refs)
        .c(at(day + 1, 8), 2)
        .c(at(day + 2, 8), 2);
    let a = g.assess_with(&p, at(day + 2, 12));
    let nl = a.exercise(&newest).unwrap();
    assert_eq!(nl.step_back.as_deref(), Some(below.as_str()), "{}", nl.reason);
    // Planned three days on, past the 48 hours that keep heavy hinges apart (LM-6).
    let a = g.assess_with(&p, at(day + 3, 12));
    let plan = plan(&a, &p, &catalog(), Readiness::default(), day_of(at(day + 3, 12)));
    let shown = render(&plan, WeightUnit::Kg);
    assert!(plan.items.iter().all(|i| i.exercise != newest), "{shown}");
    assert!(plan.items.iter().any(|i| i.exercise == below), "{shown}");
}

#[test]
fn goal_lift_ladders_show_where_the_lifter_is() {
    let mut p = with(FULL_GYM, vec![], 60);
    p.goal_lifts = vec!["back-squat".into()];
    let a = Facts::default().assess_with(&p, at(0, 9));
    assert_eq!(a.ladders.len(), 1);
    assert_eq!(a.ladders[0].position, None);
    // With no rung started, the first rung comes in as a session's one change within the first calm weeks.
    let first = a.ladders[0].rungs[0].clone();
    let (f, plans) = follow(&p, 4, |_| 2);
    let it = plans
        .iter()
        .flat_map(|pl| pl.items.iter())
        .find(|i| i.exercise == first)
        .unwrap_or_else(|| panic!("{}", render(plans.last().unwrap(), WeightUnit::Kg)));
    assert!(
        it.novelty && it.reasons.iter().any(|r| r.contains("PG-8")),
        "{:?}",
        it.reasons
    );
    let a = f.assess_with(&p, at(4 * 7, 12));
    assert!(a.ladders[0].position.is_some(), "{:?}", a.ladders[0]);
}

#[test]
fn a_first_load_is_proposed_from_the_lifters_own_unrated_history() {
    // Issue 16, point 2 and PG-7: an imported history informs the first load instead of counting as tolerated.
    let p = with(&[Equipment::Dumbbell, Equipment::Bench], vec![], 45);
    let now = at(200, 9);
    let f = Facts::default().s(at(0, 18), None, &["chest-supported-row 3x10@20"]);
    let plan = plan_for(&f, &p, now, Readiness::default());
    let Some(item) = plan.items.iter().find(|i| i.exercise == "chest-supported-row") else {
        panic!(
            "the dumbbell row is planned: {:?}",
            plan.items.iter().map(|i| &i.exercise).collect::<Vec<_>>()
        );
    };
    assert!(item.novelty, "new to the ledger: the session's one change");
    let why = item.reasons.join(" | ");
    assert!(
        why.contains("your own chest-supported-row at 20 kg × 10"),
        "{why}"
    );
    let load = item.dose.load.expect("a load is proposed").grams();
    // 20 kg × 10 is an estimated 26.7 kg one-rep max; months old, a tenth less; at 2 × 8 with about 4 in reserve,
    // about 17 kg, rounded down to the dumbbells' step.
    assert!((12_000..=17_500).contains(&load), "{load}");
}

#[test]
fn a_first_load_counts_the_reps_the_logged_rpe_left_in_reserve() {
    // PG-7: the chest-supported row at 20 kg × 10, logged at RPE 6, had about 4 reps in reserve: a 14-rep load, not
    // a 10-rep one. The one-arm row (its harder option) is proposed from that, 20 % down; without an RPE the set is
    // read as a maximal one, as before.
    let p = with(&[Equipment::Dumbbell, Equipment::Bench], vec![], 45);
    let cat = catalog();
    let harder = cat.get("one-arm-dumbbell-row").unwrap();
    let proposed = |set: &str| {
        let mut f = Facts::default();
        for d in [0, 2, 4] {
            f = f.s(at(d, 18), Some(2), &[set]).c(at(d + 1, 8), 2);
        }
        let a = f.assess_with(&p, at(6, 9));
        let dose = first_dose(harder, 2, 6.0);
        let (load, why) = starting_load(harder, &dose, &a, &cat, &p);
        (load.map(|l| l.grams()).unwrap_or(0), why, dose.reps.unwrap_or(0))
    };
    let (with_rpe, why, reps) = proposed("chest-supported-row 3x10@20 rpe6 p1");
    let (without, _, _) = proposed("chest-supported-row 3x10@20 p1");
    assert!(why.contains("your chest-supported-row at 20 kg × 10"), "{why}");
    assert!(with_rpe > without, "{with_rpe} vs {without}");
    // 20 × (1 + 14/30) × 0.8, for `reps` with 4 in reserve, rounded down to the dumbbells' step.
    let expected = 20_000.0 * (1.0 + 14.0 / 30.0) * 0.8 / (1.0 + f64::from(reps + 4) / 30.0);
    assert!(
        f64::from(with_rpe) <= expected && f64::from(with_rpe) > expected - 2_500.0,
        "{with_rpe} vs {expected}"
    );
}

#[test]
fn a_plan_is_heavy_when_an_item_is_heavy_hinge_or_axial_work() {
    let cat = catalog();
    let item = |id: &str| {
        let ex = cat.get(id).unwrap();
        make_item(ex, "hinge", first_dose(ex, 2, 6.0), false, vec![], 90)
    };
    let mut p = Plan {
        date: date(2026, 11, 23),
        mode: Mode::Train,
        estimated_minutes: 0.0,
        items: vec![item("dead-bug"), item("chest-supported-row")],
        notes: vec![],
    };
    assert!(!p.items[0].is_heavy(&cat) && !p.is_heavy(&cat));
    p.items.push(item("conventional-deadlift"));
    assert!(p.items[2].is_heavy(&cat) && p.is_heavy(&cat));
}

/// A goal lift, and the rung on the way to it, stays in the plans once the lifter is on it: a lighter exercise of the
/// same pattern that filled the slot on a day the rung could not be done (LM-6 keeps heavy work 48 hours apart) does
/// not take the slot for good. Until 2026-12-06 it did once tolerated, and a reached goal lift could drop out of the
/// plans for the rest of the run while the ladder still showed it reached.
#[test]
fn the_rung_a_lifter_is_on_keeps_its_slot() {
    let mut p = with(FULL_GYM, vec![], 45);
    p.goal_lifts = vec![
        "conventional-deadlift".into(),
        "back-squat".into(),
        "barbell-bent-over-row".into(),
    ];
    let (f, plans) = follow(&p, 16, |_| 2);
    let a = f.assess_with(&p, at(16 * 7, 12));
    let mut checked = 0;
    for l in &a.ladders {
        let Some(at_rung) = l.position else { continue };
        let rung = &l.rungs[at_rung];
        let first = plans
            .iter()
            .position(|pl| pl.items.iter().any(|i| &i.exercise == rung))
            .unwrap_or_else(|| panic!("{rung} was never planned"));
        // Every week after the one it came in (three sessions a week), it is planned at least once.
        let from = (first / 3 + 1) * 3;
        for (w, week) in plans[from..].chunks(3).enumerate() {
            assert!(
                week.iter().any(|pl| pl.items.iter().any(|i| &i.exercise == rung)),
                "{} (on the way to {}) missing from the week {} plans:\n{}",
                rung,
                l.goal,
                from / 3 + w + 1,
                week.iter()
                    .map(|pl| render(pl, WeightUnit::Kg))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        checked += 1;
    }
    assert!(checked >= 2, "{:?}", a.ladders);
    // Where the rung took its slot from a higher-scoring stand-in, its reasons say why.
    assert!(plans.iter().flat_map(|pl| &pl.items).any(|i| {
        i.reasons
            .iter()
            .any(|r| r.contains("it keeps this slot while it can be planned (PG-8)"))
    }));
}

/// Two calm sessions of the barbell row as `row` sets it out, then two of a chest-supported row standing in for it:
/// the stand-in is tolerated and, lighter on the spine, outscores the row.
fn row_then_stand_in(row: &str) -> Facts {
    Facts::default()
        .s(at(0, 18), Some(2), &[row])
        .c(at(1, 8), 2)
        .s(at(2, 18), Some(2), &[row])
        .c(at(3, 8), 2)
        .s(at(4, 18), Some(2), &["chest-supported-row 3x10@30 p1"])
        .c(at(5, 8), 2)
        .s(at(7, 18), Some(2), &["chest-supported-row 3x10@30 p1"])
        .c(at(8, 8), 2)
}

/// The rung keeps its slot over a stand-in, except a stand-in gentler on a direction the back is sensitive to (ES-1).
#[test]
fn a_rung_gives_way_only_to_gentler_work_on_a_sensitive_direction() {
    let history = row_then_stand_in("barbell-bent-over-row 3x8@60 p1");
    let row_of = |aggravators: Vec<Aggravator>| {
        let mut p = with(FULL_GYM, aggravators, 60);
        p.goal_lifts = vec!["barbell-bent-over-row".into()];
        let plan = plan_for(&history, &p, at(9, 17), Readiness::default());
        let it = plan
            .items
            .iter()
            .find(|i| i.slot == "horizontal-pull")
            .unwrap_or_else(|| panic!("{}", render(&plan, WeightUnit::Kg)))
            .clone();
        (it, render(&plan, WeightUnit::Kg))
    };
    // No sensitivity in force: the goal lift, reached, takes its slot back from the tolerated stand-in, and says so.
    let (it, shown) = row_of(vec![]);
    assert_eq!(it.exercise, "barbell-bent-over-row", "{shown}");
    assert!(
        it.reasons
            .iter()
            .any(|r| r.contains("is your goal lift: it keeps this slot")),
        "{:?}",
        it.reasons
    );
    // Load-sensitive (lifting and carrying aggravate): the chest-supported row, gentler on compression and shear,
    // keeps the slot.
    let (it, shown) = row_of(vec![Aggravator::Carrying, Aggravator::Lifting]);
    assert_eq!(it.exercise, "chest-supported-row", "{shown}");
}

/// A rung whose next step is a load step on demanding work, on a day that step cannot be the session's change, is
/// held at last time's dose in its slot rather than given up to a stand-in (PG-8, C5).
#[test]
fn a_rung_due_a_step_it_cannot_take_today_is_held_in_its_slot() {
    let mut p = with(FULL_GYM, vec![], 60);
    p.goal_lifts = vec!["barbell-bent-over-row".into()];
    let f = row_then_stand_in("barbell-bent-over-row 3x10@60 rpe8 p1");
    let a = f.assess_with(&p, at(9, 17));
    let l = a.exercise("barbell-bent-over-row").unwrap();
    assert_eq!(l.step, Some(ProgressStep::Load), "{}", l.reason);
    // No change allowed today (as on the later days of a week's plan, C5).
    let plan = plan_inner(
        &a,
        &p,
        &catalog(),
        Readiness::default(),
        day_of(at(9, 17)),
        &[],
        false,
    );
    let shown = render(&plan, WeightUnit::Kg);
    let it = plan
        .items
        .iter()
        .find(|i| i.slot == "horizontal-pull")
        .unwrap_or_else(|| panic!("{shown}"));
    assert_eq!(it.exercise, "barbell-bent-over-row", "{shown}");
    assert!(!it.novelty, "{shown}");
    assert_eq!(
        it.dose.load.map(|l| l.grams()),
        Some(60_000),
        "held at last time's load\n{shown}"
    );
}
