//! The planner (C7, C8): `plan(assessment, profile, catalog, readiness, date) -> Plan`.
//!
//! A session is a short spine warm-up, then slots (horizontal pull, vertical pull, hinge or hip extension,
//! scapular, and trunk: anti-extension, lateral, anti-rotation), each filled by scoring the catalog against the
//! person's tolerance ledger, sensitivity, equipment and recent training. At most one novelty per session (C5), at a
//! conservative first dose; doses come from the ledger's next step; every item says why. The same inputs give the
//! same plan.

use crate::rules::RuleId;
use jiff::civil::{Date, Weekday as JWeekday};
use serde::Serialize;

use crate::catalog::{Catalog, DoseRange, Exercise, LoadType};
use crate::engine::{
    Assessment, CauseLevel, ExerciseLedger, LedgerStatus, NextStep, Prescription, ProgressStep, Verdict,
};
use crate::facts::{Profile, Session};
use crate::units::{Minutes, Pain, epley};
use crate::vocab::{Muscle, Pattern, Sensitivity};

/// What kind of session today is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A normal training session.
    Train,
    /// Pain today is at or above the ceiling: walking and gentle work (C7).
    Recovery,
    /// A flare-up: flare mode (FL-2).
    Flare,
    /// A red flag is open: no training until a clinician clears it (RF-2, RF-3).
    Blocked,
}

impl Mode {
    /// The word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Train => "train",
            Mode::Recovery => "recovery",
            Mode::Flare => "flare",
            Mode::Blocked => "blocked",
        }
    }
}

/// Today's readiness, asked before planning.
#[derive(Debug, Clone, Copy, Default)]
pub struct Readiness {
    /// Pain right now.
    pub pain_now: Option<Pain>,
    /// Minutes available today (the profile's when `None`).
    pub minutes: Option<Minutes>,
}

/// One exercise in a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    /// Exercise id.
    pub exercise: String,
    /// Name shown to people.
    pub name: String,
    /// The slot it fills ("warm-up", "horizontal-pull", …).
    pub slot: &'static str,
    /// The dose.
    pub dose: Prescription,
    /// Rest between sets, seconds.
    pub rest_seconds: u32,
    /// Estimated minutes, rest included.
    pub minutes: f64,
    /// The session's one change (C5).
    pub novelty: bool,
    /// A planned retest of a parked exercise (C6).
    pub retest: bool,
    /// Why it is here and why at this dose.
    pub reasons: Vec<String>,
    /// Coaching cues.
    pub cues: Vec<String>,
    /// Common faults.
    pub faults: Vec<String>,
}

/// A planned session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The training day.
    pub date: Date,
    /// Train, recovery, flare or blocked.
    pub mode: Mode,
    /// Sum of the items' minutes.
    pub estimated_minutes: f64,
    /// In order.
    pub items: Vec<PlanItem>,
    /// Session-level notes.
    pub notes: Vec<String>,
}

/// A planned week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekPlan {
    /// The Monday.
    pub week_start: Date,
    /// Seven days, with a plan on training days.
    pub days: Vec<(Date, Option<Plan>)>,
}

struct Slot {
    name: &'static str,
    patterns: &'static [Pattern],
    /// Lower is kept first when minutes are short.
    priority: u8,
    /// Back-loading work that must not fall on consecutive days (LM-6).
    heavy: bool,
}

/// Slots that grow a session towards its time budget once the back has been calm (PG-6), one new exercise per
/// session. A slot whose patterns the session already covers is skipped, except the second horizontal pull, which
/// is there to add pulling volume. Priorities interleave with the main slots': when minutes are short, a second
/// hinge and a second row are kept before the third trunk drill and the scapular work.
const EXTRA_SLOTS: &[Slot] = &[
    Slot {
        name: "hinge",
        patterns: &[Pattern::Hinge],
        priority: 3,
        heavy: true,
    },
    Slot {
        name: "hip-extension",
        patterns: &[Pattern::HipExtension],
        priority: 10,
        heavy: false,
    },
    // After the first two trunk drills (5 and 6), before the third (8): a full session stays a back session.
    Slot {
        name: "second-horizontal-pull",
        patterns: &[Pattern::HorizontalPull],
        priority: 7,
        heavy: false,
    },
    Slot {
        name: "single-leg",
        patterns: &[Pattern::Lunge],
        priority: 7,
        heavy: false,
    },
    Slot {
        name: "carry",
        patterns: &[Pattern::Carry],
        priority: 11,
        heavy: false,
    },
    Slot {
        name: "squat",
        patterns: &[Pattern::Squat],
        priority: 12,
        heavy: true,
    },
];

/// The rank of a goal lift's slot (PG-8): with the main lifts, so that the way back to a goal lift is in every
/// session.
const GOAL_PRIORITY: u8 = 3;

/// The share of the time budget a grown session aims for (PG-6): slots are added until the estimate reaches it,
/// and none is added that would go over the budget.
const FILL_TARGET: f64 = 0.8;

const SLOTS: &[Slot] = &[
    Slot {
        name: "horizontal-pull",
        patterns: &[Pattern::HorizontalPull],
        priority: 0,
        heavy: false,
    },
    Slot {
        name: "hinge-or-hip-extension",
        patterns: &[Pattern::Hinge, Pattern::HipExtension],
        priority: 1,
        heavy: true,
    },
    Slot {
        name: "vertical-pull",
        patterns: &[Pattern::VerticalPull],
        priority: 2,
        heavy: false,
    },
    Slot {
        name: "trunk-anti-extension",
        patterns: &[Pattern::TrunkAntiExtension],
        priority: 5,
        heavy: false,
    },
    Slot {
        name: "trunk-lateral",
        patterns: &[Pattern::TrunkLateral],
        priority: 6,
        heavy: false,
    },
    Slot {
        name: "trunk-anti-rotation",
        patterns: &[Pattern::TrunkAntiRotation],
        priority: 8,
        heavy: false,
    },
    Slot {
        name: "scapular",
        patterns: &[Pattern::Scapular],
        priority: 9,
        heavy: false,
    },
];

/// Heavy hinge or axial work (LM-6): a loaded hinge, or high compression or shear.
pub fn is_heavy(ex: &Exercise) -> bool {
    (ex.pattern == Pattern::Hinge && ex.spinal.load() >= 2) || ex.spinal.load() >= 3
}

impl PlanItem {
    /// Heavy hinge or axial work (LM-6), by its exercise in `catalog`.
    pub fn is_heavy(&self, catalog: &Catalog) -> bool {
        catalog.get(&self.exercise).is_some_and(is_heavy)
    }
}

impl Plan {
    /// The session holds heavy hinge or axial work (LM-6): such days stay 48 hours apart.
    pub fn is_heavy(&self, catalog: &Catalog) -> bool {
        self.items.iter().any(|i| i.is_heavy(catalog))
    }
}

/// The person has what it needs, and nobody looking after them asked for it to be left out.
fn available(ex: &Exercise, profile: &Profile) -> bool {
    ex.available_with(&profile.equipment) && !profile.not_planned.contains(&ex.id)
}

fn rest_for(ex: &Exercise) -> u32 {
    match (ex.pattern, ex.spinal.load()) {
        (Pattern::Mobility | Pattern::Conditioning, _) => 0,
        (_, 3) => 150,
        (Pattern::Hinge | Pattern::Squat, _) => 120,
        (Pattern::VerticalPull | Pattern::HorizontalPull | Pattern::Lunge | Pattern::HipExtension, _) => 90,
        _ => 45,
    }
}

fn item_minutes(d: &Prescription, rest: u32) -> f64 {
    let work = match (d.reps, d.seconds, d.metres) {
        (Some(r), _, _) => f64::from(r) * 4.0,
        (_, Some(s), _) => f64::from(s),
        (_, _, Some(m)) => f64::from(m),
        _ => 30.0,
    };
    let sets = f64::from(d.sets);
    let secs = 45.0 + sets * work + (sets - 1.0).max(0.0) * f64::from(rest);
    (secs / 60.0 * 10.0).round() / 10.0
}

fn first_dose(ex: &Exercise, sets: u32, rpe: f64) -> Prescription {
    let (reps, seconds, metres) = match ex.dose_range() {
        Some(DoseRange::Reps(lo, _)) => (Some(lo), None, None),
        Some(DoseRange::Seconds(lo, _)) => (None, Some(lo), None),
        Some(DoseRange::Metres(lo, _)) => (None, None, Some(lo)),
        None => (Some(8), None, None),
    };
    Prescription {
        sets,
        reps,
        seconds,
        metres,
        load: None,
        target_rpe: Some(rpe),
    }
}

/// Demand on the axes the person is sensitive to (or the highest axis when none is known).
fn sensitive_demand(ex: &Exercise, sens: &[Sensitivity]) -> u8 {
    if sens.is_empty() {
        0
    } else {
        sens.iter().map(|s| ex.spinal.on(*s)).max().unwrap_or(0)
    }
}

/// How a pattern or direction named as a cause (moderate confidence or more) bears on an exercise (CA-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hold {
    /// Nothing named holds it.
    Free,
    /// Held back: of a named pattern, or loading a named direction at 2 or more.
    Held,
    /// Held, but every cause holding it has waited its parking time since it was last done: it may come back as
    /// the session's one change, at a reduced dose, after a calm session (the retest of C6, for a pattern or a
    /// direction).
    RetestDue,
}

/// A pattern or direction named as a cause with moderate confidence or more, and whether its retest is due: it has
/// not been done for `park_days` (twice that once strong) since it was last done.
struct HeldCause<'a> {
    cause: &'a crate::engine::Cause,
    due: bool,
}

fn hold_of(ex: &Exercise, held: &[HeldCause<'_>]) -> Hold {
    // Gentle, flare-safe work is never held back.
    if ex.is_low_risk() {
        return Hold::Free;
    }
    // Only patterns and directions are held here; a named exercise is parked by its ledger (C6).
    let covering: Vec<&HeldCause<'_>> = held.iter().filter(|h| h.cause.covers_exercise(ex)).collect();
    if covering.is_empty() {
        Hold::Free
    } else if covering.iter().all(|h| h.due) {
        Hold::RetestDue
    } else {
        Hold::Held
    }
}

/// Whether the ledger's next dose is a novelty for this exercise (C5): more load or more sets than last time, or
/// reps beyond the top of its range, on a high-demand exercise.
fn is_dose_step(ex: &Exercise, l: &ExerciseLedger, sens: &[Sensitivity]) -> bool {
    let (Some(next), Some(last)) = (l.dose.as_ref(), l.evidence.last().map(|e| &e.dose)) else {
        return false;
    };
    let top = ex.reps.map(|r| r[1]);
    l.next == NextStep::Progress
        && ex.is_high_demand(sens)
        && (next.load > last.load
            || next.sets > last.sets
            || l.step == Some(ProgressStep::Effort)
            || top.is_some_and(|t| next.reps.is_some_and(|r| r > t)))
}

struct Candidate<'a> {
    ex: &'a Exercise,
    score: i32,
    novelty: bool,
    reasons: Vec<String>,
    dose: Prescription,
    /// The retest of a held pattern or direction (CA-4).
    held_retest: bool,
    /// The goal ladder whose rung the person is on, when this is that rung (PG-8).
    rung_of: Option<String>,
}

impl Candidate<'_> {
    /// Whether it comes back as a retest (C6): its ledger's, or that of a held pattern or direction (CA-4).
    fn is_retest(&self, a: &Assessment) -> bool {
        self.held_retest
            || a.exercise(&self.ex.id)
                .is_some_and(|l| l.next == NextStep::Retest)
    }
}

/// Plans one session.
pub fn plan(a: &Assessment, profile: &Profile, catalog: &Catalog, readiness: Readiness, date: Date) -> Plan {
    plan_inner(a, profile, catalog, readiness, date, &[], true)
}

fn plan_inner(
    a: &Assessment,
    profile: &Profile,
    catalog: &Catalog,
    readiness: Readiness,
    date: Date,
    exclude_heavy_patterns: &[Pattern],
    allow_novelty: bool,
) -> Plan {
    let settings = &profile.settings;
    let mut notes = Vec::new();
    let baseline = profile.baseline_pain.value();
    let minutes = f64::from(readiness.minutes.unwrap_or(profile.minutes).get());

    if a.red_flags.blocks_training {
        let advice = a
            .red_flags
            .open
            .as_ref()
            .map_or_else(|| "See a clinician before training.".to_owned(), |r| r.advice());
        notes.push(format!("No training today (RF-2/RF-3): {advice}"));
        if let Some(r) = &a.red_flags.open {
            notes.push(format!("Because: {}.", r.because.join("; ")));
        }
        return Plan {
            date,
            mode: Mode::Blocked,
            estimated_minutes: 0.0,
            items: Vec::new(),
            notes,
        };
    }
    let sens = a.active_sensitivities();
    let held = held_causes(a, catalog, settings);
    for c in held.iter().map(|h| h.cause) {
        notes.push(format!(
            "Held back: {} ({} confidence that your back reacts to them, CA-4).",
            match c.level {
                CauseLevel::Direction => format!("exercises that load {} heavily", c.name),
                _ => format!("{} exercises", c.name),
            },
            c.confidence.as_str()
        ));
    }
    let pain_now = readiness.pain_now.map(|p| p.value());
    // Today's in-session ceiling can never be below today's pain, so "at or above the ceiling" means the absolute
    // ceiling of PM-2 (5 by default).
    let ceiling = settings.ceiling_max;
    let gentle_only = a.flare.active || pain_now.is_some_and(|p| p >= ceiling);
    let mode = if a.flare.active {
        notes.push(
            "Flare mode (FL-2): reduce, don't stop. Walking, flare-friendly work at a comfortable level and the \
             low-demand work your back already tolerates at a reduced dose; no new exercises, no load progression, \
             no loaded hinges. Bed rest is not advised; keep moving gently."
                .into(),
        );
        Mode::Flare
    } else if let Some(p) = pain_now.filter(|p| *p >= ceiling) {
        notes.push(format!(
            "Recovery session: pain now {p} is at or above the ceiling of {ceiling} (PM-2). Gentle movement today; \
             pain that settles is fine, and normal training resumes when it is back near your usual {baseline}."
        ));
        Mode::Recovery
    } else {
        Mode::Train
    };
    let trim = mode == Mode::Train && pain_now.is_some_and(|p| p > baseline + 1);
    if trim {
        notes.push(format!(
            "Pain now {} is above your usual {baseline} + 1: spinal-loading volume trimmed by a set and no new \
             exercise today (C7).",
            pain_now.unwrap_or(0)
        ));
    }
    if let Some(step) = a.flare.reentry_step {
        notes.push(format!(
            "Re-entry after a flare, step {step} (FL-3): reduced doses, no new exercises until the ramp is done."
        ));
    }
    let sore: Vec<Muscle> = a
        .soreness
        .as_ref()
        .filter(|s| s.pain >= settings.doms_hold_pain)
        .map(|s| s.muscles.clone())
        .unwrap_or_default();
    if !sore.is_empty() {
        notes.push(format!(
            "Training soreness: no hard loading for {} today (DS-2).",
            sore.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    // A change waits while a session still awaits its next-morning check-in: its verdict decides what is safe to
    // add, and two unsettled sessions with changes could not be told apart (C5).
    let unsettled = a
        .sessions
        .iter()
        .any(|s| s.awaiting.contains(&crate::engine::CheckKind::Morning));
    if unsettled && allow_novelty {
        notes.push(
            "No new exercise today: the last session still awaits its next-morning check-in (C5).".into(),
        );
    }
    let novelty_allowed =
        !unsettled && allow_novelty && mode == Mode::Train && !trim && a.flare.reentry_step.is_none();
    if !allow_novelty {
        notes.push(
            "Provisional: the next change comes after this week's first session has its check-ins (C5)."
                .into(),
        );
    }

    let mut items: Vec<PlanItem> = Vec::new();
    // Warm-up: two gentle mobility drills (C7).
    items.extend(warm_up(a, profile, catalog, &sens));

    if mode == Mode::Recovery {
        // Recovery: walking, then the flare-safe items today's trimmed plan would hold, one easy set each, so that
        // more pain never means more volume.
        // The trimmed plan's pain stays below the absolute ceiling, so this never recurses into recovery again.
        let below = baseline.saturating_add(2).min(ceiling.saturating_sub(1));
        let trimmed = Readiness {
            pain_now: Some(Pain::new(below).unwrap_or(Pain::ZERO)),
            minutes: readiness.minutes,
        };
        let base = plan_inner(a, profile, catalog, trimmed, date, exclude_heavy_patterns, false);
        let left = minutes - items.iter().map(|i| i.minutes).sum::<f64>();
        if let Some(w) = walking(catalog, profile, left) {
            items.push(w);
        }
        for it in base.items.into_iter().filter(|i| i.slot != "warm-up") {
            if !catalog.get(&it.exercise).is_some_and(|e| e.flare_safe) {
                continue;
            }
            let mut it = it;
            it.dose.sets = 1;
            it.dose.target_rpe = Some(it.dose.target_rpe.unwrap_or(5.0).min(5.0));
            it.novelty = false;
            it.minutes = item_minutes(&it.dose, it.rest_seconds);
            it.reasons = vec!["flare-friendly: one easy set on a sore day".into()];
            if items.iter().map(|i| i.minutes).sum::<f64>() + it.minutes <= minutes {
                items.push(it);
            }
        }
        let total = (items.iter().map(|i| i.minutes).sum::<f64>() * 10.0).round() / 10.0;
        return Plan {
            date,
            mode,
            estimated_minutes: total,
            items,
            notes,
        };
    }
    if gentle_only {
        gentle::add(a, profile, catalog, &sens, minutes, &mut items);
        let total = (items.iter().map(|i| i.minutes).sum::<f64>() * 10.0).round() / 10.0;
        return Plan {
            date,
            mode,
            estimated_minutes: total,
            items,
            notes,
        };
    }

    // LM-6: heavy hinge or axial work not within 48 h of the last: the day after one in this week's plan, or
    // when the log shows such work in the 48 hours before now (planning today).
    // Planning a later day shortens the look-back by the days in between.
    let ahead = date.since(a.date).map_or(0, |s| i64::from(s.get_days())).max(0);
    let window_hours = 48 - 24 * ahead;
    let recent_heavy = window_hours > 0
        && a.exercises.iter().any(|l| {
            catalog.get(&l.exercise).is_some_and(is_heavy)
                && l.evidence
                    .last()
                    .is_some_and(|e| a.now.duration_since(e.session_at).as_hours() < window_hours)
        });
    let no_heavy = exclude_heavy_patterns.contains(&Pattern::Hinge) || recent_heavy;
    if no_heavy {
        notes.push("No heavy hinge or axial work today: not within 48 hours of the last (LM-6).".into());
    }
    // PG-6: with a calm history the session grows towards the time budget, one new slot per session.
    let calm_streak = calm_streak(a);
    let grow = mode == Mode::Train
        && !trim
        && a.flare.reentry_step.is_none()
        && !a.trend.hold
        && calm_streak >= settings.grow_after_calm;
    // PG-5: harder options that exercises at the end of their ladder have earned, keyed by the harder option.
    let harder_for: Vec<(&str, &ExerciseLedger)> = a
        .exercises
        .iter()
        .filter(|l| l.step == Some(ProgressStep::Harder) && l.superseded_by.is_none())
        .filter_map(|l| l.swap_to.as_deref().map(|h| (h, l)))
        .collect();
    let warm_minutes: f64 = items.iter().map(|i| i.minutes).sum();
    // PG-8: the goal lifts' ladders; the slots of their movement patterns are always in the session.
    let ladders = &a.ladders;
    let goal_patterns: Vec<Pattern> = ladders
        .iter()
        .filter_map(|l| {
            let rung = l.current().or_else(|| l.rungs.first().map(String::as_str))?;
            catalog.get(rung).map(|e| e.pattern)
        })
        .collect();
    // What every candidate of every slot is weighed with.
    let shared = candidate::Shared {
        a,
        profile,
        catalog,
        held: &held,
        sens: &sens,
        sore: &sore,
        harder_for: &harder_for,
        no_heavy,
        novelty_allowed,
        calm_streak,
    };
    // Main slots, then the slots that grow the session.
    let mut chosen: Vec<(u8, bool, PlanItem)> = Vec::new();
    let mut used_novelty = false;
    let mut grow_stopped_by_minutes = false;
    // Goal lifts' slots come first among the extra ones, and rank with the main lifts when minutes are short.
    let is_goal_slot = |x: &Slot| x.patterns.iter().any(|p| goal_patterns.contains(p));
    let extras = EXTRA_SLOTS
        .iter()
        .filter(|x| is_goal_slot(x))
        .chain(EXTRA_SLOTS.iter().filter(|x| !is_goal_slot(x)));
    let slot_order: Vec<&Slot> = SLOTS.iter().chain(extras).collect();
    let is_extra = |x: &Slot| EXTRA_SLOTS.iter().any(|e| e.name == x.name);
    // C6: a retest that is due and can be planned today takes the session's one change before any dose step of an
    // earlier slot, which is held at last time's dose for one session. A retest is what turns a suspect into a
    // confirmed or cleared one; a change spent on a load step every calm session would keep it waiting, and a
    // harmless exercise parked, for weeks.
    let mut retest_slot: Option<&'static str> = None;
    if novelty_allowed && calm_streak >= 1 {
        retest_slot = slot_order
            .iter()
            // An extra slot is only visited in a growing session or for a goal lift.
            .filter(|slot| grow || is_goal_slot(slot) || !is_extra(slot))
            .find(|slot| {
                let light_only = slot.heavy && no_heavy;
                catalog
                    .exercises()
                    .iter()
                    .filter(|e| slot.patterns.contains(&e.pattern))
                    .filter(|e| {
                        hold_of(e, &held) == Hold::RetestDue
                            || a.exercise(&e.id).is_some_and(|l| l.next == NextStep::Retest)
                    })
                    .filter_map(|e| candidate::evaluate(e, &shared, &[], light_only, false))
                    .any(|c| c.novelty)
            })
            .map(|slot| slot.name);
    }
    for slot in slot_order {
        // Before the retest's slot the change is kept for it; from there on (spent or not) it is free.
        let change_kept = retest_slot.is_some_and(|r| r != slot.name);
        if !change_kept {
            retest_slot = None;
        }
        let extra = is_extra(slot);
        let priority = if extra && is_goal_slot(slot) {
            slot.priority.min(GOAL_PRIORITY)
        } else {
            slot.priority
        };
        let so_far = warm_minutes + chosen.iter().map(|(_, _, i)| i.minutes).sum::<f64>();
        // Minutes held by chosen items that rank below this slot: the fit below drops those first.
        let below: f64 = chosen
            .iter()
            .filter(|(p, nov, _)| *p > priority && !*nov)
            .map(|(_, _, i)| i.minutes)
            .sum();
        if extra {
            if !grow && !is_goal_slot(slot) {
                continue;
            }
            if so_far >= FILL_TARGET * minutes && below == 0.0 {
                continue;
            }
            let covered = chosen.iter().any(|(_, _, it)| {
                catalog
                    .get(&it.exercise)
                    .is_some_and(|e| slot.patterns.contains(&e.pattern))
            });
            if covered && slot.name != "second-horizontal-pull" {
                continue;
            }
        }
        let light_only = slot.heavy && no_heavy;
        let mut cands: Vec<Candidate> = Vec::new();
        for ex in catalog
            .exercises()
            .iter()
            .filter(|e| slot.patterns.contains(&e.pattern))
        {
            if let Some(c) = candidate::evaluate(ex, &shared, &chosen, light_only, used_novelty) {
                cands.push(c);
            }
        }
        cands.sort_by(|x, y| {
            y.score
                .cmp(&x.score)
                .then(x.novelty.cmp(&y.novelty))
                .then(x.ex.id.cmp(&y.ex.id))
        });
        // PG-8: the rung of a goal lift's ladder that the person is on keeps its slot whenever it can be planned
        // today; only a retest, the exercise its ledger moves it to (the next rung, or after a red its regression) or
        // work gentler on a sensitive direction comes before it. A lighter exercise of the pattern that filled the slot
        // on a day the rung could not (LM-6, soreness) would otherwise win it for good once tolerated, and the goal
        // lift would drop out of the plans while the ladder still showed it reached. In a slot shared by two patterns
        // (hinge or hip extension) it only displaces an exercise of its own pattern, so hip extension work stays.
        // The session's one change (C5) is still free for this slot.
        let change_free = novelty_allowed && !used_novelty && !change_kept;
        let mut keep_rung = false;
        if let Some(r) = cands.iter().position(|c| c.rung_of.is_some())
            && (slot.patterns.len() == 1 || cands[0].ex.pattern == cands[r].ex.pattern)
        {
            let top = &cands[0];
            let rung = &cands[r];
            let top_is_retest = r > 0 && top.is_retest(a);
            let top_is_next_rung = r > 0
                && a.exercise(&rung.ex.id)
                    .is_some_and(|l| l.swap_to.as_deref() == Some(top.ex.id.as_str()));
            // A stand-in gentler on a sensitive direction (ES-1) keeps its place: the rung is then "chosen only if
            // nothing gentler fits" like any other exercise.
            let gentler_top = sensitive_demand(top.ex, &sens) < sensitive_demand(rung.ex, &sens);
            // A dose step that cannot be this session's change is held at last time's dose (below), not given up.
            let held_step = rung.novelty
                && !change_free
                && a.exercise(&rung.ex.id)
                    .is_some_and(|l| is_dose_step(rung.ex, l, &sens));
            let can_take = !gentler_top && (!rung.novelty || change_free || held_step);
            if !top_is_retest && !top_is_next_rung && can_take {
                let mut c = cands.remove(r);
                if (r > 0 || held_step)
                    && let Some(goal) = &c.rung_of
                {
                    c.reasons.push(if *goal == c.ex.id {
                        format!("{goal} is your goal lift: it keeps this slot while it can be planned (PG-8)")
                    } else {
                        format!(
                            "a rung on the way to {goal}, your goal lift: it keeps this slot while it can be planned \
                             (PG-8)"
                        )
                    });
                }
                cands.insert(0, c);
                keep_rung = true;
            }
        }
        // The best candidate that keeps the session at one novelty.
        let any = !cands.is_empty();
        // A dose-step novelty that cannot be taken is held at last time's dose instead of dropped (below).
        let pick_pos = keep_rung
            .then_some(0)
            .or_else(|| cands.iter().position(|c| !c.novelty || change_free))
            .or_else(|| {
                cands
                    .iter()
                    .position(|c| a.exercise(&c.ex.id).is_some_and(|l| is_dose_step(c.ex, l, &sens)))
            });
        let Some(pos) = pick_pos else {
            if extra {
                continue;
            }
            if any {
                notes.push(format!(
                    "{}: a new exercise comes in a later session, one change at a time (C5).",
                    slot.name
                ));
            } else if !light_only {
                notes.push(format!("{}: nothing fits your equipment.", slot.name));
            }
            continue;
        };
        let mut c = cands.swap_remove(pos);
        if c.novelty && !change_free {
            c.novelty = false;
        }
        // A dose step on a high-demand exercise that cannot be this session's change is held (C5).
        if !c.novelty
            && let Some(l) = a.exercise(&c.ex.id)
            && is_dose_step(c.ex, l, &sens)
            && let Some(last) = l.evidence.last()
        {
            let mut held = last.dose.clone();
            held.target_rpe = Some(l.effort_cap);
            c.dose = held;
            c.reasons
                .push("held at last time's dose: only one change per session (C5)".into());
        }
        if c.ex.load_type == LoadType::External && c.dose.load.is_none() {
            let (load, why) = starting_load(c.ex, &c.dose, a, catalog, profile);
            c.dose.load = load;
            c.reasons.push(why);
        }
        if extra && so_far - below + item_minutes(&c.dose, rest_for(c.ex)) > minutes {
            grow_stopped_by_minutes = true;
            continue;
        }
        if extra && grow {
            c.reasons.push(format!(
                "added to fill your {} minutes: {calm_streak} calm sessions in a row (PG-6)",
                crate::units::format_number(minutes)
            ));
        } else if extra {
            c.reasons
                .push("in every session for the way back to your goal lifts (PG-8)".into());
        }
        if c.novelty {
            used_novelty = true;
            c.reasons.push(
                "this session's one change: if the next morning is worse, that is what it is linked to first (C5)"
                    .into(),
            );
        }
        if let Some(l) = a.exercise(&c.ex.id)
            && l.evidence.last().is_some_and(|e| e.form_flag)
        {
            c.reasons.push(
                "last time it was felt in the back or form broke down: same dose, focus on the cues".into(),
            );
        }
        if trim && c.ex.is_high_demand(&sens) && c.dose.sets > 1 {
            c.dose.sets -= 1;
            c.reasons
                .push("one set fewer today: pain now is above your usual (C7)".into());
        }
        let rest = rest_for(c.ex);
        let retest = c.novelty && c.is_retest(a);
        let mut item = make_item(c.ex, slot.name, c.dose, c.novelty, c.reasons, rest);
        item.retest = retest;
        chosen.push((priority, c.novelty, item));
    }

    let planned = warm_minutes + chosen.iter().map(|(_, _, i)| i.minutes).sum::<f64>();
    let why_not_grown = if a.flare.reentry_step.is_some() {
        Some("once the re-entry ramp is done".to_owned())
    } else if a.trend.hold {
        Some("once morning pain stops rising week over week".to_owned())
    } else if calm_streak < settings.grow_after_calm {
        Some(format!(
            "after {} calm sessions in a row (now {calm_streak})",
            settings.grow_after_calm
        ))
    } else {
        None
    };
    if mode == Mode::Train
        && !grow
        && !trim
        && planned < FILL_TARGET * minutes
        && let Some(when) = why_not_grown
    {
        notes.push(format!(
            "Room for more in {} minutes: the session grows by one exercise at a time {when} (PG-6).",
            crate::units::format_number(minutes)
        ));
    } else if grow_stopped_by_minutes && planned < FILL_TARGET * minutes {
        notes.push("The next exercise to add does not fit the minutes left.".into());
    }
    items.extend(fit_and_order(chosen, warm_minutes, minutes, catalog, &mut notes));
    if trim {
        // A trimmed session never holds more sets than the untrimmed one would (the slots can fill differently
        // without the day's novelty): take sets off from the end until it does not.
        let calm = plan_inner(
            a,
            profile,
            catalog,
            Readiness {
                pain_now: None,
                ..readiness
            },
            date,
            exclude_heavy_patterns,
            allow_novelty,
        );
        let sets = |v: &[PlanItem]| {
            v.iter()
                .filter(|i| i.slot != "warm-up")
                .map(|i| i.dose.sets)
                .sum::<u32>()
        };
        let cap = sets(&calm.items);
        while sets(&items) > cap {
            let Some(pos) = items.iter().rposition(|i| i.slot != "warm-up") else {
                break;
            };
            if items[pos].dose.sets > 1 {
                items[pos].dose.sets -= 1;
                items[pos].minutes = item_minutes(&items[pos].dose, items[pos].rest_seconds);
            } else {
                items.remove(pos);
            }
        }
    }
    if items.iter().all(|i| i.slot == "warm-up") {
        notes.push("Nothing fits today's equipment and minutes; check the equipment in your profile.".into());
    }
    notes.push(
        "Rate pain 0–10 during the sets: above your ceiling, stop that exercise and take the easier option. Mild pain \
         that settles is fine (PM-8). Check in tomorrow morning."
            .into(),
    );
    let total = (items.iter().map(|i| i.minutes).sum::<f64>() * 10.0).round() / 10.0;
    Plan {
        date,
        mode,
        estimated_minutes: total,
        items,
        notes,
    }
}

/// The chosen items fitted to the minutes and put in order. Fit: drop the lowest-priority slots first, never the
/// session's one change while other slots remain, each with a note. Order (C5): the novelty first after the
/// warm-up, fresh and against the pain just rated, so that its response stands apart; then the most demanding work
/// while fresh; trunk work to finish.
fn fit_and_order(
    mut chosen: Vec<(u8, bool, PlanItem)>,
    warm_minutes: f64,
    minutes: f64,
    catalog: &Catalog,
    notes: &mut Vec<String>,
) -> Vec<PlanItem> {
    // Fit the minutes: drop the lowest-priority slots first (never the novelty while other slots remain).
    let mut trunk_left_out = false;
    loop {
        let total: f64 = warm_minutes + chosen.iter().map(|(_, _, i)| i.minutes).sum::<f64>();
        if total <= minutes || chosen.is_empty() {
            break;
        }
        let drop = chosen
            .iter()
            .enumerate()
            .max_by_key(|(_, (p, nov, _))| (!*nov, *p))
            .map(|(i, _)| i);
        if let Some(i) = drop {
            let (_, _, it) = chosen.remove(i);
            trunk_left_out |= it.slot.starts_with("trunk");
            notes.push(format!("{} left out to fit {} minutes.", it.exercise, minutes));
        }
    }
    // Trunk work gave way to a goal lift's extra slot, which ranks with the main lifts (PG-8): say so, and what
    // brings it back, since the person chose both the goals and the minutes.
    let goal_extra = chosen.iter().any(|(p, _, it)| {
        *p <= GOAL_PRIORITY
            && EXTRA_SLOTS
                .iter()
                .any(|x| x.name == it.slot && x.priority > GOAL_PRIORITY)
    });
    if trunk_left_out && goal_extra {
        notes.push(format!(
            "Trunk work gave way to your goal lifts, which take the {} minutes first (PG-8): more minutes per \
             session, or fewer goal lifts at a time, bring it back.",
            crate::units::format_number(minutes)
        ));
    }
    // Order: the novelty first after the warm-up, fresh and against the pain just rated, so its response stands
    // apart; then the most demanding work while fresh; trunk work to finish.
    chosen.sort_by(|(pa, na, a_), (pb, nb, b_)| {
        let da = catalog.get(&a_.exercise).map_or(0, |e| e.spinal.load());
        let db = catalog.get(&b_.exercise).map_or(0, |e| e.spinal.load());
        let trunk_a = a_.slot.starts_with("trunk");
        let trunk_b = b_.slot.starts_with("trunk");
        nb.cmp(na)
            .then(trunk_a.cmp(&trunk_b))
            .then(db.cmp(&da))
            .then(pa.cmp(pb))
    });
    chosen.into_iter().map(|(_, _, i)| i).collect()
}

/// The patterns and directions named as causes with moderate confidence or more, which the planner holds back
/// (CA-4), each with whether it has waited its parking time since it was last done (twice that when strong), so
/// that one exercise of it may come back as a retest. Gentle work is never held back, so doing it does not restart
/// the wait.
fn held_causes<'a>(
    a: &'a Assessment,
    catalog: &Catalog,
    settings: &crate::engine::Settings,
) -> Vec<HeldCause<'a>> {
    a.causes
        .iter()
        .filter(|c| c.confidence >= crate::engine::Confidence::Moderate && c.level != CauseLevel::Exercise)
        .map(|c| {
            let last = a
                .sessions
                .iter()
                // Gentle work is never held back, so doing it does not restart the wait.
                .filter(|s| {
                    s.exercises.iter().any(|e| {
                        catalog
                            .get(&e.exercise)
                            .is_some_and(|x| !x.is_low_risk() && c.covers_exercise(x))
                    })
                })
                .map(|s| s.session_at)
                .max();
            let wait = settings.park_days
                * if c.confidence == crate::engine::Confidence::Strong {
                    2
                } else {
                    1
                };
            HeldCause {
                cause: c,
                due: last.is_none_or(|t| a.now.duration_since(t).as_hours() >= 24 * wait),
            }
        })
        .collect()
}

/// The warm-up (C7): two gentle, flare-safe mobility drills without a load, the least demanding on the sensitive
/// directions first, one easy set each.
fn warm_up(a: &Assessment, profile: &Profile, catalog: &Catalog, sens: &[Sensitivity]) -> Vec<PlanItem> {
    let mut out = Vec::new();
    let mut warm: Vec<&Exercise> = catalog
        .exercises()
        .iter()
        .filter(|e| {
            e.pattern == Pattern::Mobility
                && e.flare_safe
                && available(e, profile)
                && e.load_type == LoadType::Bodyweight
        })
        .filter(|e| a.exercise(&e.id).is_none_or(|l| l.next != NextStep::Avoid))
        .collect();
    warm.sort_by_key(|e| (sensitive_demand(e, sens), e.spinal.max(), e.id.clone()));
    for e in warm.into_iter().take(2) {
        let mut d = first_dose(e, 1, 3.0);
        d.target_rpe = None;
        out.push(make_item(
            e,
            "warm-up",
            d,
            false,
            vec!["spine warm-up: easy range of motion before loading".into()],
            0,
        ));
    }
    out
}

/// Consecutive most recent settled sessions that were calm (green and confirmed by a check-in, and no exercise red
/// during it); sessions still waiting for their check-ins are passed over.
fn calm_streak(a: &Assessment) -> usize {
    a.sessions
        .iter()
        .rev()
        .filter(|s| s.status != crate::engine::VerdictStatus::Pending)
        .take_while(|s| {
            s.verdict == Some(Verdict::Green)
                && s.status == crate::engine::VerdictStatus::Confirmed
                && s.exercises.iter().all(|e| e.verdict != Some(Verdict::Red))
        })
        .count()
}

/// The load for the first time an exercise is done with a weight (PG-7): how to choose it, and a proposal when a
/// related exercise (an easier or harder option of it) has a logged load on the same kind of equipment.
///
/// The proposal converts that set to an estimated one-rep max (Epley: load × (1 + reps / 30), with the reps its
/// logged RPE left in reserve counted) and back to the planned reps with the reps in reserve the effort ceiling
/// leaves (10 − RPE), taking 20 % off when the new exercise is the harder one. It is a starting point, not a
/// prediction: the first sets decide.
fn starting_load(
    ex: &Exercise,
    dose: &Prescription,
    a: &Assessment,
    catalog: &Catalog,
    profile: &Profile,
) -> (Option<crate::units::Load>, String) {
    let reps = dose.reps.unwrap_or(8);
    let rpe = dose.target_rpe.unwrap_or(profile.settings.effort_start);
    let reserve = (10.0 - rpe).max(1.0).round() as u32;
    let guide = format!(
        "first time with a load: pick a weight you could lift for about {} reps and do {reps}, so about {reserve} \
         stay in reserve; the next doses follow from what you log (PG-7)",
        reps + reserve
    );
    let unit = profile.units;
    let Some(step) = catalog.increment(ex, unit) else {
        return (None, guide);
    };
    let related = catalog.exercises().iter().filter(|r| {
        r.id != ex.id
            && r.increment == ex.increment
            && (ex.regressions.contains(&r.id)
                || ex.progressions.contains(&r.id)
                || r.progressions.contains(&ex.id)
                || r.regressions.contains(&ex.id))
    });
    let mut best: Option<(f64, String)> = None;
    // The exercise's own history without pain ratings (an import, BK-9) comes first: the lifter's own numbers on
    // this very lift, taken down a tenth when they are more than eight weeks old (strength fades without training).
    if let Some((at, d)) = a
        .unrated
        .iter()
        .find(|u| u.exercise == ex.id)
        .and_then(|u| u.last_loaded.as_ref())
        && let (Some(load), Some(r_reps)) = (d.load, d.reps)
    {
        let e1rm = one_rep_max(load, r_reps, d.target_rpe);
        let old = a.now.duration_since(*at) > jiff::SignedDuration::from_hours(24 * 7 * 8);
        let grams = e1rm * if old { 0.9 } else { 1.0 } / epley(f64::from(reps + reserve));
        let when = at.strftime("%Y-%m-%d");
        best = Some((
            grams,
            format!(
                "your own {} at {} × {r_reps} on {when}",
                ex.id,
                load.display(unit)
            ),
        ));
    }
    let own = best.is_some();
    for r in related.filter(|_| !own) {
        let Some(last) = a.exercise(&r.id).and_then(|l| {
            l.evidence
                .iter()
                .rev()
                .find(|e| e.dose.load.is_some() && e.dose.reps.is_some())
        }) else {
            continue;
        };
        let (Some(load), Some(r_reps)) = (last.dose.load, last.dose.reps) else {
            continue;
        };
        let e1rm = one_rep_max(load, r_reps, last.dose.target_rpe);
        let harder = r.progressions.contains(&ex.id) || ex.regressions.contains(&r.id);
        let grams = e1rm * if harder { 0.8 } else { 1.0 } / epley(f64::from(reps + reserve));
        let from = format!("your {} at {} × {r_reps}", r.id, load.display(unit));
        if best.as_ref().is_none_or(|(g, _)| grams < *g) {
            best = Some((grams, from));
        }
    }
    let proposal = best.and_then(|(grams, from)| {
        crate::engine::round_load(grams, step, unit, -1)
            .filter(|l| l.grams() > 0)
            .map(|l| (l, from))
    });
    match proposal {
        Some((l, from)) => (
            Some(l),
            format!("{guide}; {} is proposed from {from}", l.display(unit)),
        ),
        None => (None, guide),
    }
}

/// The one-rep max a logged set estimates (Epley: load × (1 + reps / 30)), counting the reps its logged RPE left in
/// reserve (10 − RPE, as PG-4 and CA-2 do); without an RPE the set is taken as a maximal one, the cautious reading.
fn one_rep_max(load: crate::units::Load, reps: u32, rpe: Option<f64>) -> f64 {
    let reserve = rpe.map_or(0.0, |r| (10.0 - r).max(0.0));
    f64::from(load.grams()) * epley(f64::from(reps) + reserve)
}

/// Easy walking for up to 15 minutes, fitted into what is left of the budget (at least 2 minutes, or none).
fn walking(catalog: &Catalog, profile: &Profile, left_minutes: f64) -> Option<PlanItem> {
    let w = catalog.get("walking").filter(|w| available(w, profile))?;
    let secs = ((left_minutes * 60.0 - 60.0).min(900.0) / 60.0).floor() * 60.0;
    if secs < 120.0 {
        return None;
    }
    let mut d = first_dose(w, 1, 4.0);
    d.seconds = Some(secs as u32);
    Some(make_item(
        w,
        "conditioning",
        d,
        false,
        vec!["easy walking: moving helps a sore back settle".into()],
        0,
    ))
}

fn make_item(
    ex: &Exercise,
    slot: &'static str,
    dose: Prescription,
    novelty: bool,
    reasons: Vec<String>,
    rest: u32,
) -> PlanItem {
    let minutes = item_minutes(&dose, rest);
    PlanItem {
        exercise: ex.id.clone(),
        name: ex.name.clone(),
        slot,
        dose,
        rest_seconds: rest,
        minutes,
        novelty,
        retest: false,
        reasons,
        cues: ex.cues.clone(),
        faults: ex.faults.clone(),
    }
}

/// Back-loading hard sets (spinal load 2 or more) in sessions of the 7 days before `date`'s start.
fn back_loading_sets(
    sessions: &[Session],
    catalog: &Catalog,
    from: jiff::Timestamp,
    to: jiff::Timestamp,
) -> u32 {
    sessions
        .iter()
        .filter(|s| s.at >= from && s.at < to)
        .flat_map(|s| s.sets.iter())
        .filter(|set| catalog.get(&set.exercise).is_some_and(|e| e.spinal.load() >= 2))
        .count() as u32
}

/// Plans the week that contains `date` (Monday to Sunday) on the profile's training days (C7, LM-4, LM-6).
pub fn plan_week(
    a: &Assessment,
    profile: &Profile,
    catalog: &Catalog,
    sessions: &[Session],
    tz: &jiff::tz::TimeZone,
    date: Date,
) -> WeekPlan {
    let offset = i64::from(date.weekday().to_monday_zero_offset());
    let week_start = date.checked_sub(jiff::Span::new().days(offset)).unwrap_or(date);
    let mut days = Vec::new();
    let mut prev_heavy: Option<Date> = None;
    let mut first = true;
    // LM-4: this week's back-loading sets stay within last week's plus 20 % [D] (at least 6, so a first week can start).
    let start_ts = crate::time::instant_on(week_start, jiff::civil::Time::midnight(), tz).ok();
    let last_week = start_ts.map_or(0, |t| {
        back_loading_sets(sessions, catalog, t - jiff::SignedDuration::from_hours(24 * 7), t)
    });
    let cap = ((f64::from(last_week) * 1.2).floor() as u32).max(6);
    let mut planned_heavy_sets = 0u32;
    for i in 0..7 {
        let Some(d) = week_start.checked_add(jiff::Span::new().days(i)).ok() else {
            continue;
        };
        let wd = to_weekday(d.weekday());
        if !profile.days.contains(&wd) || d < a.date {
            days.push((d, None));
            continue;
        }
        let consecutive = prev_heavy.is_some_and(|p| d.since(p).ok().is_some_and(|s| s.get_days() <= 1));
        let exclude: &[Pattern] = if consecutive { &[Pattern::Hinge] } else { &[] };
        let mut p = plan_inner(a, profile, catalog, Readiness::default(), d, exclude, first);
        let heavy_sets: u32 = p
            .items
            .iter()
            .filter(|it| catalog.get(&it.exercise).is_some_and(|e| e.spinal.load() >= 2))
            .map(|it| it.dose.sets)
            .sum();
        if planned_heavy_sets + heavy_sets > cap {
            // Trim sets of the back-loading items to stay within the weekly cap (LM-4).
            let mut over = planned_heavy_sets + heavy_sets - cap;
            for it in p.items.iter_mut().rev() {
                if over == 0 {
                    break;
                }
                if catalog.get(&it.exercise).is_some_and(|e| e.spinal.load() >= 2) && it.dose.sets > 1 {
                    let cut = (it.dose.sets - 1).min(over);
                    it.dose.sets -= cut;
                    over -= cut;
                    it.reasons.push(format!(
                        "sets trimmed: this week's back-loading sets stay within {cap} (LM-4)"
                    ));
                }
            }
            // Still over with one set each: leave out back-loading items, last first.
            while over > 0 {
                let Some(pos) = p
                    .items
                    .iter()
                    .rposition(|it| catalog.get(&it.exercise).is_some_and(|e| e.spinal.load() >= 2))
                else {
                    break;
                };
                let it = p.items.remove(pos);
                over = over.saturating_sub(it.dose.sets);
                p.notes.push(format!(
                    "{} left out: the week's back-loading sets stay within {cap} (LM-4).",
                    it.exercise
                ));
            }
            p.estimated_minutes = (p.items.iter().map(|i| i.minutes).sum::<f64>() * 10.0).round() / 10.0;
            p.notes.push(format!(
                "Weekly back-loading volume capped at {cap} sets: last week's {last_week} plus 20 % (LM-4)."
            ));
        }
        planned_heavy_sets += p
            .items
            .iter()
            .filter(|it| catalog.get(&it.exercise).is_some_and(|e| e.spinal.load() >= 2))
            .map(|it| it.dose.sets)
            .sum::<u32>();
        if p.items
            .iter()
            .any(|it| catalog.get(&it.exercise).is_some_and(is_heavy))
        {
            prev_heavy = Some(d);
        }
        if p.mode == Mode::Train {
            first = false;
        }
        days.push((d, Some(p)));
    }
    WeekPlan { week_start, days }
}

fn to_weekday(w: JWeekday) -> crate::vocab::Weekday {
    use crate::vocab::Weekday as W;
    match w {
        JWeekday::Monday => W::Mon,
        JWeekday::Tuesday => W::Tue,
        JWeekday::Wednesday => W::Wed,
        JWeekday::Thursday => W::Thu,
        JWeekday::Friday => W::Fri,
        JWeekday::Saturday => W::Sat,
        JWeekday::Sunday => W::Sun,
    }
}

/// A plan as plain text, as `backstop plan` prints it (used by the golden tests too).
pub fn render(p: &Plan, unit: crate::units::WeightUnit) -> String {
    let mut s = format!(
        "{} · {} · about {} min\n",
        p.date,
        p.mode.as_str(),
        crate::units::format_number(p.estimated_minutes)
    );
    for it in &p.items {
        s.push_str(&format!(
            "{:<22} {:<30} {}{}{}\n",
            it.slot,
            it.exercise,
            it.dose.describe(unit),
            if it.rest_seconds > 0 {
                format!(", rest {} s", it.rest_seconds)
            } else {
                String::new()
            },
            if it.novelty { "  [NEW: the one change]" } else { "" }
        ));
        for r in &it.reasons {
            s.push_str(&format!("{:<22}   why: {r}\n", ""));
        }
    }
    for n in &p.notes {
        s.push_str(&format!("note: {n}\n"));
    }
    s
}

mod candidate;
mod gentle;
#[cfg(test)]
mod tests;
