//! The tolerance ledger (C6) and the next dose (PM-7, LM-5, FL-2, FL-3, PM-6).
//!
//! Per exercise: untested → testing → tolerated after enough green, confirmed exposures; a red pinned on it (its
//! session's only change, ES-4's second red, or pain felt in it twice) makes it provocative and parks it until a
//! retest date; the retest comes at a lower dose or as its regression.

use crate::rules::RuleId;
use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use serde::Serialize;

use super::causes::{Cause, CauseLevel, Confidence};
use super::flare::FlareState;
use super::session::{AmountUnit, Blame, Exposure, Folded, NoveltyKind, VerdictStatus};
use super::trend::Trend;
use super::{Settings, Verdict, round_load};
use crate::catalog::{Catalog, DoseRange, Exercise};
use crate::facts::Profile;
use crate::units::{Load, WeightUnit, epley};

/// Where an exercise stands for this person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LedgerStatus {
    /// Never done.
    Untested,
    /// Done, but not yet enough calm, confirmed sessions.
    Testing,
    /// Enough green, confirmed sessions (counted since its last retest).
    Tolerated,
    /// A red was pinned on it and its parking time is over: due for a retest.
    Provocative,
    /// A red was pinned on it: left out until the retest date.
    Parked,
}

/// What to do with an exercise next time, from the most cautious to the most aggressive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NextStep {
    /// Leave it out for now.
    Avoid,
    /// Bring it back carefully after parking: fewer sets, a lower load, or its regression.
    Retest,
    /// Easier: less load, fewer sets, or its regression.
    Regress,
    /// Same dose.
    Hold,
    /// A little more: one more rep, a few more seconds, or a load step.
    Progress,
}

impl NextStep {
    /// The word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            NextStep::Avoid => "avoid",
            NextStep::Regress => "regress",
            NextStep::Retest => "retest",
            NextStep::Hold => "hold",
            NextStep::Progress => "progress",
        }
    }
}

/// Which rung of the progression ladder a "progress" step takes (PG-1 … PG-5), one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProgressStep {
    /// One more rep, a few more seconds or metres, within the range (PG-1).
    Amount,
    /// One more working set, up to the goal (PG-2).
    Set,
    /// A higher effort ceiling, one RPE point at a time (PG-3).
    Effort,
    /// A load step, back to the bottom of the rep range (PG-4, LM-5).
    Load,
    /// The harder option from the catalog, started at a first dose (PG-5).
    Harder,
}

impl ProgressStep {
    /// The word used in JSON and text.
    pub fn as_str(self) -> &'static str {
        match self {
            ProgressStep::Amount => "amount",
            ProgressStep::Set => "set",
            ProgressStep::Effort => "effort",
            ProgressStep::Load => "load",
            ProgressStep::Harder => "harder",
        }
    }

    /// In words, for people.
    pub fn describe(self) -> &'static str {
        match self {
            ProgressStep::Amount => "a little more within the range",
            ProgressStep::Set => "one more working set",
            ProgressStep::Effort => "a higher effort ceiling",
            ProgressStep::Load => "a load step",
            ProgressStep::Harder => "the harder option",
        }
    }
}

/// What parking and retests have shown about an exercise (C6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provocation {
    /// Parked after a red pinned on it; not yet retested.
    Suspected,
    /// Red again at its retest: confirmed for this person, parked twice as long before the next retest.
    Confirmed,
    /// Two calm retests in a row: cleared.
    Cleared,
}

/// A dose for one exercise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prescription {
    /// Sets.
    pub sets: u32,
    /// Reps per set (rep-based exercises).
    pub reps: Option<u32>,
    /// Seconds per set (timed exercises).
    pub seconds: Option<u32>,
    /// Metres per set (carries and walks).
    pub metres: Option<u32>,
    /// Load, in grams; shown in the person's unit.
    pub load: Option<Load>,
    /// The RPE not to go above.
    pub target_rpe: Option<f64>,
}

impl Prescription {
    /// A short text: "3×10 @ 42.5 kg (RPE ≤ 7)".
    pub fn describe(&self, unit: WeightUnit) -> String {
        self.text(unit, false)
    }

    /// A short text for what was done, the RPE as recorded: "3×10 @ 42.5 kg at RPE 7".
    pub fn describe_done(&self, unit: WeightUnit) -> String {
        self.text(unit, true)
    }

    fn text(&self, unit: WeightUnit, done: bool) -> String {
        let amount = match (self.reps, self.seconds, self.metres) {
            (Some(r), _, _) => r.to_string(),
            (_, Some(s), _) if s >= 120 && s % 60 == 0 => format!("{} min", s / 60),
            (_, Some(s), _) => format!("{s} s"),
            (_, _, Some(m)) => format!("{m} m"),
            _ => "?".into(),
        };
        let mut s = format!("{}×{}", self.sets, amount);
        if let Some(l) = self.load {
            s.push_str(&format!(" @ {}", l.display(unit)));
        }
        match self.target_rpe {
            Some(r) if done => s.push_str(&format!(" at RPE {}", crate::units::format_number(r))),
            Some(r) => s.push_str(&format!(" (RPE ≤ {})", crate::units::format_number(r))),
            None => {}
        }
        s
    }
}

/// One exposure as evidence for the ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Session start.
    pub session_at: Timestamp,
    /// What was done.
    pub dose: Prescription,
    /// Highest pain during the sets.
    pub max_pain: Option<u8>,
    /// The exercise's verdict in that session.
    pub verdict: Option<Verdict>,
    /// Pending, confirmed or unconfirmed.
    pub status: VerdictStatus,
    /// Its share of the blame.
    pub blame: Blame,
    /// Whether it was new or changed.
    pub novelty: Option<NoveltyKind>,
    /// Felt in the back, or form broke down (BK-2).
    pub form_flag: bool,
}

/// An exercise's line in the tolerance ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExerciseLedger {
    /// Exercise id.
    pub exercise: String,
    /// Where it stands.
    pub status: LedgerStatus,
    /// Its most recent settled verdict.
    pub last_verdict: Option<Verdict>,
    /// What to do next time.
    pub next: NextStep,
    /// The next dose (none when it is to be avoided).
    pub dose: Option<Prescription>,
    /// An easier or harder exercise to use instead, when that is the advice.
    pub swap_to: Option<String>,
    /// When `next` is "progress": which rung of the ladder (PG-1 … PG-5).
    pub step: Option<ProgressStep>,
    /// The effort ceiling (RPE) in force for it now (PG-3).
    pub effort_cap: f64,
    /// The harder option it has moved on to (PG-5): the planner uses that one instead while it is not avoided.
    pub superseded_by: Option<String>,
    /// What its retests have shown so far (C6): suspected when parked, confirmed when red again at a retest,
    /// cleared after two calm retests.
    pub provocation: Option<Provocation>,
    /// A red on a rung of a goal ladder: the rung below to go back to for now (PG-8).
    pub step_back: Option<String>,
    /// The rule behind `next`.
    pub rule: RuleId,
    /// Why, in one sentence with the numbers.
    pub reason: String,
    /// When a parked exercise may be retested.
    pub retest_from: Option<Timestamp>,
    /// Green, confirmed exposures counted towards tolerance.
    pub green_exposures: usize,
    /// Every exposure, oldest first.
    pub evidence: Vec<Evidence>,
}

/// The dose every set reached (the smallest amount), so that repeating it is never a step up.
/// What was done in one exposure, as a dose: `done` for the rest of the engine.
pub(crate) fn done_dose(e: &Exposure) -> Prescription {
    done(e)
}

fn done(e: &Exposure) -> Prescription {
    let top = e.amounts.iter().copied().min();
    Prescription {
        sets: e.sets as u32,
        reps: (e.unit == AmountUnit::Reps).then_some(top).flatten(),
        seconds: (e.unit == AmountUnit::Seconds).then_some(top).flatten(),
        metres: (e.unit == AmountUnit::Metres).then_some(top).flatten(),
        load: e.top_load,
        target_rpe: e.rpe.map(|r| r.value()),
    }
}

fn at_top(e: &Exposure, ex: &Exercise) -> bool {
    let top = match ex.dose_range() {
        Some(DoseRange::Reps(_, hi)) | Some(DoseRange::Seconds(_, hi)) | Some(DoseRange::Metres(_, hi)) => hi,
        None => return false,
    };
    !e.amounts.is_empty() && e.amounts.iter().all(|a| *a >= top)
}

fn range(ex: Option<&Exercise>) -> Option<(u32, u32)> {
    ex.and_then(|e| e.dose_range()).map(|r| match r {
        DoseRange::Reps(a, b) | DoseRange::Seconds(a, b) | DoseRange::Metres(a, b) => (a, b),
    })
}

fn set_amount(p: &mut Prescription, unit: AmountUnit, v: u32) {
    match unit {
        AmountUnit::Reps => p.reps = Some(v),
        AmountUnit::Seconds => p.seconds = Some(v),
        AmountUnit::Metres => p.metres = Some(v),
    }
}

fn amount(p: &Prescription) -> u32 {
    p.reps.or(p.seconds).or(p.metres).unwrap_or(0)
}

/// What the rest of the assessment found that bears on each exercise's next step.
pub struct Findings<'a> {
    /// Causes named across sessions (CA-4).
    pub causes: &'a [Cause],
    /// The flare state (FL-2, FL-3).
    pub flare: &'a FlareState,
    /// The weekly trend (PM-6).
    pub trend: &'a Trend,
}

/// Builds the ledger for every exercise that has been done: status, next step and dose, from its exposures and what
/// the rest of the assessment found.
pub fn finish(
    folded: &Folded,
    found: &Findings<'_>,
    profile: &Profile,
    catalog: &Catalog,
    settings: &Settings,
    tz: &TimeZone,
    now: Timestamp,
) -> Vec<ExerciseLedger> {
    let Findings {
        causes: named,
        flare,
        trend,
    } = *found;
    let unit = profile.units;
    let park = SignedDuration::from_hours(24 * settings.park_days);
    let goals: Vec<(String, crate::ladder::Towards)> = profile
        .goal_lifts
        .iter()
        .map(|g| (g.clone(), crate::ladder::towards(catalog, g, &profile.equipment)))
        .collect();
    let mut out = Vec::new();
    for (id, exps) in &folded.exposures {
        let ex = catalog.get(id);
        let mut parked_at: Option<Timestamp> = None;
        let mut park_reason = String::new();
        let mut greens = 0usize;
        let mut recent: Vec<Option<Verdict>> = Vec::new();
        let mut finding: Option<Provocation> = None;
        let mut in_retest = false;
        let mut retest_greens = 0usize;
        // A confirmed provocation waits twice as long before the next retest.
        let mut park_for = park;
        for e in exps {
            if let Some(p) = parked_at
                && e.at >= p + park_for
            {
                // Done again after the parking time: that was the retest; the count towards tolerance starts
                // afresh, but earlier reds stay in view (a red retest right after one parks it again, ES-4).
                parked_at = None;
                greens = 0;
                in_retest = true;
                retest_greens = 0;
            }
            // Done anyway while parked: it stays parked (a red extends the parking below). A red from pain that
            // had climbed before it (BK-6) regresses it but never parks it.
            let red = e.verdict == Some(Verdict::Red) && !e.cumulative;
            let earlier_red = recent
                .iter()
                .rev()
                .take(settings.second_red_within.saturating_sub(1))
                .any(|v| *v == Some(Verdict::Red));
            if red
                && e.lone_novelty
                && e.blame == Blame::Attributed
                && e.session_verdict == Some(Verdict::Red)
            {
                parked_at = Some(e.at);
                park_reason = if e.red_in_session {
                    "it went red during its own sets in a session where it was the only change (C5)"
                } else {
                    "the red morning after it was the session's only change (C5)"
                }
                .into();
            } else if red && earlier_red {
                parked_at = Some(e.at);
                park_reason = format!("red twice within {} exposures (ES-4)", settings.second_red_within);
            } else if calm(e) {
                greens += 1;
                if in_retest {
                    retest_greens += 1;
                    if retest_greens >= 2 {
                        // C6: two calm retests clear it.
                        in_retest = false;
                        finding = Some(Provocation::Cleared);
                        park_for = park;
                    }
                }
            }
            if parked_at == Some(e.at) {
                // C6: parked once it is suspected; red again at its retest, it is confirmed.
                if in_retest {
                    finding = Some(Provocation::Confirmed);
                    park_reason = format!("confirmed: red again at its retest ({park_reason})");
                    park_for = park * 2;
                } else if finding != Some(Provocation::Confirmed) {
                    finding = Some(Provocation::Suspected);
                }
                in_retest = false;
            }
            recent.push(if e.cumulative {
                Some(Verdict::Amber)
            } else {
                e.verdict
            });
        }
        let Some(last) = exps.last() else { continue };
        // CA-6: a return after a wait is two sessions: the retest at a reduced dose, and the next, which brings the
        // dose back. After a calm retest the dose it was reduced from (the heaviest of the three exposures before the
        // wait that were not red, in the same unit) comes back in that second session, before the finding can park it
        // again: a back that takes the reduced dose but not the full one shows it there. Only while the return is
        // current (within `park_days` of the retest; after that it is parked and retested again) and only when the
        // retest was lighter than that dose. Without it, a calm retest of a cause still named was parked again at once, and
        // the return never reached the dose the finding was about.
        let returned_to = match exps.as_slice() {
            [.., before, retest]
                if calm(retest)
                    && retest.at.duration_since(before.at) >= park
                    && now.duration_since(retest.at) < park =>
            {
                let reduced = done(retest);
                exps[..exps.len() - 1]
                    .iter()
                    .rev()
                    .take(3)
                    .filter(|e| e.verdict != Some(Verdict::Red) && e.unit == retest.unit)
                    .max_by_key(|e| (e.top_load, e.sets))
                    .map(done)
                    .filter(|d| {
                        d.load > reduced.load
                            || (d.load == reduced.load
                                && (d.sets > reduced.sets || amount(d) > amount(&reduced)))
                    })
            }
            _ => None,
        };
        let mut dose_back: Option<Prescription> = None;
        // CA-4: named as a cause with moderate confidence or more, and not parked already: parked from its last
        // exposure, so that it comes back as a retest after the parking time (a strong one waits twice as long);
        // the retest's outcome feeds the attribution again.
        if parked_at.is_none()
            && let Some(c) = named.iter().find(|c| {
                c.level == CauseLevel::Exercise && c.name == *id && c.confidence >= Confidence::Moderate
            })
        {
            if c.confidence == Confidence::Moderate
                && let Some(d) = returned_to
            {
                dose_back = Some(d);
            } else {
                parked_at = Some(last.at);
                park_reason = format!(
                    "linked with more pain in your own records ({} confidence, CA-4)",
                    c.confidence.as_str()
                );
                if c.confidence == Confidence::Strong {
                    park_for = park * 2;
                    finding = Some(Provocation::Confirmed);
                } else if finding != Some(Provocation::Confirmed) {
                    finding = Some(Provocation::Suspected);
                }
            }
        }
        let last_settled = exps.iter().rev().find_map(|e| e.verdict);
        let evidence: Vec<Evidence> = exps
            .iter()
            .map(|e| Evidence {
                session_at: e.at,
                dose: done(e),
                max_pain: e.max_pain,
                verdict: e.verdict,
                status: e.status,
                blame: e.blame,
                novelty: e.novelty,
                form_flag: e.form_flag,
            })
            .collect();
        let first_regression = ex.and_then(|e| e.regressions.first().cloned());
        let step = ex.and_then(|e| catalog.increment(e, unit));
        // PG-8: the next rung towards a goal lift, when this exercise is on the way to one.
        let climb: Option<(String, String)> = goals.iter().find_map(|(goal, m)| {
            m.get(id)
                .filter(|(_, d)| *d > 0)
                .map(|(next, _)| (next.clone(), goal.clone()))
        });
        // PG-2: the trained lifter's extra set goes to work that is not demanding on the spine and that they stay
        // with: on demanding work each set step is the session's one change (C5), and it would crowd out new rungs
        // and retests; a rung on the way to a goal lift is a stepping stone, climbed at the base goal.
        let goal_sets = if ex.is_some_and(|e| e.spinal.load() >= 2) || climb.is_some() {
            settings.goal_sets
        } else {
            settings.goal_sets_for(profile.training_years)
        };
        // PG-3: the effort ceiling in force, replayed from what was done.
        let cap = effort_cap(exps, ex, settings, goal_sets);
        let mut base = done(last);
        base.target_rpe = Some(cap);

        let mut swap_to = None;
        let mut progress_step: Option<ProgressStep> = None;
        let mut retest_from = None;
        let (status, mut next, mut dose, mut rule, mut reason) = if let Some(p) = parked_at {
            let until = p + park_for;
            retest_from = Some(until);
            if now < until {
                swap_to = first_regression.clone();
                (
                    LedgerStatus::Parked,
                    NextStep::Avoid,
                    None,
                    RuleId::C6,
                    format!(
                        "parked: {park_reason}; retest after {} days{}",
                        park_for.as_hours() / 24,
                        first_regression
                            .as_ref()
                            .map(|r| format!(", meanwhile use {r}"))
                            .unwrap_or_default()
                    ),
                )
            } else {
                let mut d = base.clone();
                d.sets = d.sets.clamp(1, 2);
                if let Some((lo, _)) = range(ex) {
                    set_amount(&mut d, last.unit, lo);
                }
                // The load a retest reduces: the last one when it was red; after a calm exposure (a calm retest
                // parked again by a cause still named: a strong one, or one whose second session never came), the
                // heaviest of its last three that were not red, so that a calm retest is not followed by a lighter
                // one still (80 % of 80 %), which tests less each time.
                let held_load = if last.verdict == Some(Verdict::Red) {
                    d.load
                } else {
                    exps.iter()
                        .rev()
                        .take(3)
                        .filter(|e| e.verdict != Some(Verdict::Red))
                        .filter_map(|e| e.top_load)
                        .max()
                        .or(d.load)
                };
                let of_what = match held_load {
                    Some(h) if held_load != d.load => {
                        format!("{} (its heaviest recent load)", h.display(unit))
                    }
                    _ => "the last load".to_owned(),
                };
                d.load = match (held_load, step) {
                    (Some(l), Some(s)) if d.load.is_some() => {
                        round_load(f64::from(l.grams()) * settings.retest_pct / 100.0, s, unit, -1)
                    }
                    _ => d.load,
                };
                d.target_rpe = Some(settings.effort_start);
                swap_to = first_regression.clone();
                (
                    LedgerStatus::Provocative,
                    NextStep::Retest,
                    Some(d),
                    RuleId::C6,
                    format!(
                        "provocative before ({park_reason}); the parking time is over: retest at {} % of {of_what}{}",
                        settings.retest_pct,
                        first_regression
                            .as_ref()
                            .map(|r| format!(" or as {r}"))
                            .unwrap_or_default()
                    ),
                )
            }
        } else {
            let status = if greens >= settings.tolerated_after {
                LedgerStatus::Tolerated
            } else {
                LedgerStatus::Testing
            };
            match (last.verdict, last.status) {
                (_, VerdictStatus::Pending) | (None, _) => (
                    status,
                    NextStep::Hold,
                    Some(base.clone()),
                    RuleId::Pm5,
                    "waiting for this session's check-ins: hold".to_owned(),
                ),
                (Some(Verdict::Red), _) => {
                    let mut d = base.clone();
                    match (d.load, step) {
                        (Some(l), Some(s)) if l.grams() > 0 => {
                            d.load = round_load(
                                f64::from(l.grams()) * (1.0 - settings.regress_pct / 100.0),
                                s,
                                unit,
                                -1,
                            );
                        }
                        _ => {
                            if d.sets > 1 {
                                d.sets -= 1;
                            } else if let Some((lo, _)) = range(ex) {
                                let v = lo.min(amount(&d));
                                set_amount(&mut d, last.unit, v);
                            }
                        }
                    }
                    d.target_rpe = Some(settings.effort_start.min(cap));
                    swap_to = first_regression.clone();
                    (
                        status,
                        NextStep::Regress,
                        Some(d),
                        RuleId::Pm7,
                        format!(
                            "red last time: about {} % less{}",
                            settings.regress_pct,
                            first_regression
                                .as_ref()
                                .map(|r| format!(", or switch to {r}"))
                                .unwrap_or_default()
                        ),
                    )
                }
                (Some(Verdict::Amber), _) => (
                    status,
                    NextStep::Hold,
                    Some(base.clone()),
                    RuleId::Pm7,
                    "amber last time: hold the dose".into(),
                ),
                (Some(Verdict::Green), VerdictStatus::Unconfirmed) => (
                    status,
                    NextStep::Hold,
                    Some(base.clone()),
                    RuleId::Bk1,
                    "last session had no check-in, so it cannot count as calm: hold".into(),
                ),
                (Some(Verdict::Green), _) => {
                    let prev = exps.len().checked_sub(2).map(|i| &exps[i]);
                    let top_now = ex.is_some_and(|e| at_top(last, e));
                    let calm_prev = prev.is_some_and(calm);
                    let mut d = base.clone();
                    let loadable = last.unit == AmountUnit::Reps && d.load.is_some() && step.is_some();
                    // PG-4: the load the effort logged last time calls for at these reps, when it is more than
                    // the usual step. At the top of the range it waits for a second calm session like every step
                    // there (PG-2); where the load step itself is due (PG-4, below), that step takes the logged effort
                    // into account, with the reps back at the bottom of the range.
                    let light_step = match (d.load, step) {
                        (Some(l), Some(s))
                            if loadable && (!top_now || (calm_prev && cap < settings.effort_max)) =>
                        {
                            felt(last, cap, amount(&d))
                                .and_then(|f| load_step(l, s, unit, settings, Some(f)))
                                .filter(|n| Some(*n) > load_step(l, s, unit, settings, None))
                        }
                        _ => None,
                    };
                    match range(ex) {
                        // PG-2: volume first: one more working set after a calm session, up to the goal.
                        Some(_) if d.sets < goal_sets => {
                            d.sets += 1;
                            progress_step = Some(ProgressStep::Set);
                            (
                                status,
                                NextStep::Progress,
                                Some(d),
                                RuleId::Pg2,
                                format!(
                                    "calm last time: one more working set (up to {goal_sets}), the rest of the dose \
                                     unchanged"
                                ),
                            )
                        }
                        // PG-8: on the way to a goal lift, once this rung has its goal sets at the highest effort
                        // and has been calm for a while, the next rung is offered (it comes in as a session's one
                        // change). Until a session has room for it, this rung keeps progressing on its own (PG-1 /
                        // PG-4) rather than staying at the same weight session after session.
                        Some((lo, hi))
                            if d.sets >= goal_sets
                                && cap >= settings.effort_max
                                && greens >= settings.climb_after_calm
                                && climb.is_some() =>
                        {
                            let (h, goal) = climb.clone().unwrap_or_default();
                            swap_to = Some(h.clone());
                            progress_step = Some(ProgressStep::Harder);
                            let meanwhile = if amount(&d) < hi {
                                let v = (amount(&d) + pg1_increment(last.unit, &d, lo, hi, settings)).min(hi);
                                set_amount(&mut d, last.unit, v);
                                format!("; until it comes in, {v} here")
                            } else if let (true, true, Some(l), Some(s)) = (top_now && calm_prev, loadable, d.load, step)
                            {
                                d.load = load_step(l, s, unit, settings, felt(last, cap, lo));
                                set_amount(&mut d, AmountUnit::Reps, lo);
                                format!(
                                    "; until it comes in, {} here, back to {lo} reps",
                                    step_words(l, d.load, load_step(l, s, unit, settings, None), last, settings)
                                )
                            } else {
                                "; until it comes in, the same dose here".to_owned()
                            };
                            (
                                status,
                                NextStep::Progress,
                                Some(d),
                                RuleId::Pg8,
                                format!(
                                    "{greens} calm sessions at {} sets and RPE {}: the next rung towards {goal} is \
                                     {h}, started at a first dose{meanwhile}",
                                    base.sets,
                                    crate::units::format_number(cap)
                                ),
                            )
                        }
                        // PG-4: a load that the effort logged calls light goes up now, at the same reps, instead of
                        // climbing the range at a weight that does little (a first load is a conservative guess).
                        Some(_) if light_step.is_some() => {
                            d.load = light_step;
                            progress_step = Some(ProgressStep::Load);
                            (
                                status,
                                NextStep::Progress,
                                Some(d),
                                RuleId::Pg4,
                                format!(
                                    "calm, and light by the RPE you logged ({}): more load at the same {} reps, for \
                                     RPE {} (at most 20 % more)",
                                    last.rpe.map_or_else(String::new, |r| r.to_string()),
                                    amount(&base),
                                    crate::units::format_number(cap)
                                ),
                            )
                        }
                        // PG-1: below the top of the range, one calm session is enough for a little more.
                        Some((lo, hi)) if amount(&d) < hi => {
                            let v = (amount(&d) + pg1_increment(last.unit, &d, lo, hi, settings)).min(hi);
                            set_amount(&mut d, last.unit, v);
                            progress_step = Some(ProgressStep::Amount);
                            (
                                status,
                                NextStep::Progress,
                                Some(d),
                                RuleId::Pg1,
                                format!("calm last time: a little more within the range (up to {hi})"),
                            )
                        }
                        None => (
                            status,
                            NextStep::Hold,
                            Some(d),
                            RuleId::Pm7,
                            "no dose range to progress within: hold".into(),
                        ),
                        // At the top once: repeat it, so the step is taken on two calm sessions in a row.
                        Some(_) if !(top_now && calm_prev) => (
                            status,
                            NextStep::Hold,
                            Some(d),
                            RuleId::Pg2,
                            "at the top of the range with a calm morning: do it once more, and after a second \
                             calm session the next step comes"
                                .into(),
                        ),
                        // PG-3: then a higher effort ceiling, one point at a time.
                        Some(_) if cap < settings.effort_max => {
                            d.target_rpe = Some((cap + 1.0).min(settings.effort_max));
                            progress_step = Some(ProgressStep::Effort);
                            let sets = d.sets;
                            (
                                status,
                                NextStep::Progress,
                                Some(d),
                                RuleId::Pg3,
                                format!(
                                    "{sets} working sets at the top of the range, calm twice: effort ceiling up from \
                                     RPE {} to {} (never above {})",
                                    crate::units::format_number(cap),
                                    crate::units::format_number((cap + 1.0).min(settings.effort_max)),
                                    crate::units::format_number(settings.effort_max)
                                ),
                            )
                        }
                        // PG-4: a loaded exercise takes a load step and starts the range again.
                        Some((lo, _)) if loadable => {
                            let (Some(l), Some(s)) = (d.load, step) else {
                                unreachable!("loadable checked both")
                            };
                            d.load = load_step(l, s, unit, settings, felt(last, cap, lo));
                            set_amount(&mut d, AmountUnit::Reps, lo);
                            progress_step = Some(ProgressStep::Load);
                            let words = step_words(l, d.load, load_step(l, s, unit, settings, None), last, settings);
                            (
                                status,
                                NextStep::Progress,
                                Some(d),
                                RuleId::Pg4,
                                format!(
                                    "top of the range twice with calm mornings at {} sets and RPE {}: {words} \
                                     (rounded to {} {unit}), back to {lo} reps",
                                    base.sets,
                                    crate::units::format_number(cap),
                                    crate::units::format_number(s)
                                ),
                            )
                        }
                        // PG-5: nothing left to add on this exercise: its harder option.
                        Some(_) => match harder_option(ex, catalog, profile) {
                            Some(h) => {
                                swap_to = Some(h.clone());
                                progress_step = Some(ProgressStep::Harder);
                                (
                                    status,
                                    NextStep::Progress,
                                    Some(d),
                                    RuleId::Pg5,
                                    format!(
                                        "top of the range at {} sets and RPE {} with calm mornings: move on to \
                                         {h}, the harder option, at a first dose",
                                        base.sets,
                                        crate::units::format_number(cap)
                                    ),
                                )
                            }
                            None => (
                                status,
                                NextStep::Hold,
                                Some(d),
                                RuleId::Pg5,
                                "at the top of its range, with no harder option in your equipment: hold".into(),
                            ),
                        },
                    }
                }
            }
        };

        // CA-6: the second session of a return after a calm retest brings the dose back (see `returned_to`).
        if let Some(mut d) = dose_back {
            let now_dose = done(last);
            d.target_rpe = Some(cap);
            // `returned_to` is heavier than the retest in one of these, the first of them that differs.
            progress_step = Some(if d.load > now_dose.load {
                ProgressStep::Load
            } else if d.sets > now_dose.sets {
                ProgressStep::Set
            } else {
                ProgressStep::Amount
            });
            next = NextStep::Progress;
            rule = RuleId::C6;
            swap_to = None;
            reason = format!(
                "calm at its retest, but your records still link it with more pain (CA-4): the second session of \
                 the retest brings back the dose it was reduced from, {}; if pain rises during it or the next \
                 morning is worse, that confirms the link (CA-6); if not and the link still stands, it is rested \
                 again for a while before the next retest",
                d.describe(unit)
            );
            dose = Some(d);
        }
        // Week-over-week rise in morning pain or stiffness: holds only (PM-6).
        if next == NextStep::Progress && trend.hold {
            next = NextStep::Hold;
            dose = Some(base.clone());
            rule = RuleId::Pm6;
            reason = "morning pain or stiffness rose week over week: hold this week".into();
        }
        // A flare: reduce, don't stop (FL-2; NICE NG59, flare-plan education). Flare-friendly work holds at a
        // comfortable level; other work the back already tolerates and that asks little of the spine in every
        // direction stays at the first re-entry step's share of its dose and effort; everything else, every retest
        // and every progression waits for the flare to settle.
        if flare.active && next > NextStep::Avoid {
            let friendly = ex.is_some_and(|e| e.flare_safe);
            let kept = ex.is_some_and(|e| {
                status == LedgerStatus::Tolerated
                    && e.spinal.max() <= 1
                    && e.pattern != crate::vocab::Pattern::Hinge
                    && !named
                        .iter()
                        .any(|c| c.confidence >= Confidence::Moderate && c.covers_exercise(e))
            });
            if next == NextStep::Retest || !(friendly || kept) {
                next = NextStep::Avoid;
                dose = None;
                rule = RuleId::Fl2;
                reason =
                    "flare-up: left out until the flare settles; walking, flare-friendly work and tolerated \
                          low-demand work at a reduced dose instead"
                        .into();
            } else if next < NextStep::Hold {
                // A regression stays a regression: a flare never makes the next step more aggressive.
            } else if friendly {
                next = NextStep::Hold;
                dose = Some(base.clone());
                rule = RuleId::Fl2;
                reason = "flare-up: flare-friendly work at a comfortable level, no progression".into();
            } else {
                // From the dose before the flare, not the last one done: that was already reduced, and halving it
                // again every session would stop the work after all.
                let (pct, rpe) = reentry_share(settings, 1);
                let mut d = pre_flare_dose(flare, id, &base);
                reduce(&mut d, pct, rpe, ex, catalog, unit);
                next = NextStep::Hold;
                dose = Some(d);
                rule = RuleId::Fl2;
                reason = format!(
                    "flare-up: tolerated and low in spinal demand, so it stays at a reduced dose ({pct} % of it, RPE \
                     ≤ {rpe}) rather than stopping; no progression until the flare settles"
                );
            }
        }
        // Re-entry after a flare: a share of the pre-flare dose, capped effort, one step per calm session (FL-3).
        if let Some(step) = flare.reentry_step
            && next >= NextStep::Hold
            && let Some(d) = dose.as_mut()
        {
            let (pct, rpe) = reentry_share(settings, step);
            *d = pre_flare_dose(flare, id, &base);
            reduce(d, pct, rpe, ex, catalog, unit);
            next = NextStep::Hold;
            rule = RuleId::Fl3;
            reason = format!(
                "re-entry step {step}: {pct} % of the pre-flare dose at RPE ≤ {rpe}, up one step after {}",
                if flare.reentry_calm_per_step > 1 {
                    format!("{} calm sessions (a long flare)", flare.reentry_calm_per_step)
                } else {
                    "each calm session".to_owned()
                }
            );
        }
        // PG-8: a red on a rung of a goal ladder steps back to the rung below, when that one is still calm.
        let on_ladder = goals.iter().any(|(_, m)| m.contains_key(id));
        let step_back = (on_ladder && last.verdict == Some(Verdict::Red) && next == NextStep::Regress)
            .then(|| {
                folded
                    .exposures
                    .iter()
                    .filter(|(pid, pe)| {
                        catalog.get(pid).is_some_and(|p| p.progressions.contains(id))
                            && pe.last().is_some_and(|e| e.verdict != Some(Verdict::Red))
                    })
                    .max_by_key(|(_, pe)| pe.last().map(|e| e.at))
                    .map(|(pid, _)| pid.clone())
            })
            .flatten();
        if let Some(p) = &step_back {
            rule = RuleId::Pg8;
            reason = format!(
                "{reason}; a red on a new rung: back to {p} for now, and up again after calm sessions"
            );
        }
        let step_taken = (next == NextStep::Progress).then_some(progress_step).flatten();
        // PG-5: once the harder option has been done since, the planner uses it instead of this one, also in a week
        // that holds (PM-6, FL-3): holding is done on the harder option, not by going back.
        let harder = swap_to
            .clone()
            .filter(|_| progress_step == Some(ProgressStep::Harder));
        let superseded_by = harder.filter(|h| {
            folded
                .exposures
                .get(h)
                .is_some_and(|v| v.iter().any(|e| e.at >= last.at))
        });
        if progress_step == Some(ProgressStep::Harder) && step_taken.is_none() {
            swap_to = None;
        }
        out.push(ExerciseLedger {
            exercise: id.clone(),
            status,
            last_verdict: last_settled,
            next,
            dose,
            swap_to,
            step: step_taken,
            effort_cap: cap,
            superseded_by,
            provocation: finding,
            step_back,
            rule,
            reason,
            retest_from,
            green_exposures: greens,
            evidence,
        });
    }
    rung_states(&mut out, unit, tz);
    out
}

/// PG-8: what a rung's line says of the next rung, made true to where that rung stands. The next rung is offered
/// "started at a first dose"; when it is parked (C6), due for its retest, stepping back after a red, or already in
/// use, the line says so instead of promising a rung that waits.
fn rung_states(out: &mut [ExerciseLedger], unit: WeightUnit, tz: &TimeZone) {
    for k in 0..out.len() {
        let Some(h) = out[k].swap_to.as_ref().filter(|_| out[k].rule == RuleId::Pg8) else {
            continue;
        };
        let Some(next) = out.iter().find(|l| l.exercise == *h) else {
            continue;
        };
        let from = format!("{h}, started at a first dose; until it comes in");
        let to = format!("{h}, {}", rung_state(next, unit, tz));
        out[k].reason = out[k].reason.replace(&from, &to);
    }
}

/// Where a next rung stands, in the words `rung_states` puts after its name.
fn rung_state(l: &ExerciseLedger, unit: WeightUnit, tz: &TimeZone) -> String {
    match (l.next, l.retest_from) {
        (NextStep::Avoid, Some(t)) => format!(
            "parked until {} (C6), so it waits; meanwhile",
            crate::time::civil_date(t, tz)
        ),
        (NextStep::Avoid, None) => "left out for now, so it waits; meanwhile".to_owned(),
        (NextStep::Retest, _) => format!(
            "due for its retest (C6){}; until it is tolerated again",
            l.dose
                .as_ref()
                .map(|d| format!(" at {}", d.describe(unit)))
                .unwrap_or_default()
        ),
        (NextStep::Regress, _) => {
            "red last time, so it steps back for now (its own line says how); meanwhile".to_owned()
        }
        _ => "already in use (its own line gives its dose); alongside it".to_owned(),
    }
}

/// PG-1: how much more within the range after a calm session: half the range for a loaded exercise's reps (8–12:
/// two, the usual double progression), a quarter for reps without a load (at least one; the top in about four
/// sessions, keeping the cause attribution's baseline steady), `seconds_step` for holds, 10 % (at least 5 m) for
/// distances.
fn pg1_increment(unit: AmountUnit, d: &Prescription, lo: u32, hi: u32, settings: &Settings) -> u32 {
    match unit {
        AmountUnit::Reps if d.load.is_some_and(|l| l.grams() > 0) => ((hi - lo) / 2).max(1),
        AmountUnit::Reps => ((hi - lo) / 4).max(1),
        AmountUnit::Seconds => settings.seconds_step,
        AmountUnit::Metres => (amount(d) / 10).max(5),
    }
}

/// The highest RPE that says only "light" (PG-4): 4, the top of the scale's "light effort" band.
const LIGHT_EFFORT_RPE: f64 = 4.0;

/// PG-4: what the last session's logged effort says the load could be: when its highest RPE was 2 or more under
/// the effort ceiling, the load its heaviest set predicts (Epley, counting the reps left in reserve as 10 − RPE)
/// for `reps` at the ceiling, in grams.
///
/// At `LIGHT_EFFORT_RPE` or below ("light effort" on the reps-in-reserve scale) the reserve is a floor, not an
/// estimate: people judge reps in reserve well only within a few reps of failure and call anything much further off
/// light (Zourdos et al. 2016; Helms et al. 2016). The load then takes the largest step `load_step` allows.
fn felt(last: &Exposure, cap: f64, reps: u32) -> Option<f64> {
    let rpe = last.rpe?.value();
    let load = f64::from(last.top_load?.grams());
    if last.unit != AmountUnit::Reps || rpe > cap - 2.0 {
        return None;
    }
    if rpe <= LIGHT_EFFORT_RPE {
        return Some(f64::INFINITY);
    }
    let done = f64::from(last.amounts.iter().copied().min()?);
    let e1rm = load * epley(done + 10.0 - rpe);
    Some(e1rm / epley(f64::from(reps) + 10.0 - cap))
}

/// How a load step from `l` to `next` reads: "a load step of about 5 %", or, when the logged effort made it larger
/// than the `usual` step, its size and why.
fn step_words(
    l: Load,
    next: Option<Load>,
    usual: Option<Load>,
    last: &Exposure,
    settings: &Settings,
) -> String {
    match (next, last.rpe) {
        (Some(n), Some(r)) if next > usual => format!(
            "a load step of {:.0} %, as the RPE you logged ({r}) calls the load light",
            (f64::from(n.grams()) / f64::from(l.grams().max(1)) - 1.0) * 100.0
        ),
        _ => format!("a load step of about {} %", settings.load_step_pct),
    }
}

/// PG-4 / LM-5: the next load, about `load_step_pct` up and at least one step of the equipment; more, up to
/// 20 %, when the logged effort says the load is light (`felt`).
fn load_step(l: Load, s: f64, unit: WeightUnit, settings: &Settings, felt: Option<f64>) -> Option<Load> {
    let cur = f64::from(l.grams());
    let target = (cur * (1.0 + settings.load_step_pct / 100.0)).max(cur + s * unit.grams_per_unit());
    let target = match felt {
        Some(f) if f > target => {
            round_load(f.min(cur * 1.2), s, unit, -1).map_or(target, |x| f64::from(x.grams()).max(target))
        }
        _ => target,
    };
    round_load(target, s, unit, 0)
        .filter(|n| n.grams() > l.grams())
        .or(round_load(target, s, unit, 1))
}

/// The dose of `id` before the flare began (FL-2, FL-3), or `latest` when it was first done after that.
fn pre_flare_dose(flare: &FlareState, id: &str, latest: &Prescription) -> Prescription {
    flare
        .pre_flare_doses
        .iter()
        .find(|(e, _)| e == id)
        .map_or_else(|| latest.clone(), |(_, p)| p.clone())
}

/// The share of the dose (percent) and the effort ceiling of a re-entry step (FL-3), step 1 the most cautious.
fn reentry_share(settings: &Settings, step: usize) -> (f64, f64) {
    let i = step
        .saturating_sub(1)
        .min(settings.reentry_steps_pct.len().saturating_sub(1));
    (
        f64::from(settings.reentry_steps_pct.get(i).copied().unwrap_or(100)),
        f64::from(settings.reentry_steps_rpe.get(i).copied().unwrap_or(10)),
    )
}

/// Cuts a dose to `pct` percent (of the load when there is one to step, else of the sets) and caps its effort.
fn reduce(
    d: &mut Prescription,
    pct: f64,
    rpe: f64,
    ex: Option<&Exercise>,
    catalog: &Catalog,
    unit: WeightUnit,
) {
    match (d.load, step_of(ex, catalog, unit)) {
        (Some(l), Some(s)) if l.grams() > 0 => {
            d.load = round_load(f64::from(l.grams()) * pct / 100.0, s, unit, -1)
        }
        _ => d.sets = ((f64::from(d.sets) * pct / 100.0).ceil() as u32).max(1),
    }
    d.target_rpe = Some(d.target_rpe.map_or(rpe, |r| r.min(rpe)));
}

/// Green and settled by a check-in: a calm session.
fn calm(e: &Exposure) -> bool {
    e.verdict == Some(Verdict::Green) && e.status == VerdictStatus::Confirmed
}

/// The effort ceiling in force (PG-3), replayed over the exposures so that it follows from the facts alone: it
/// starts at `effort_start`; an exposure done at the same sets, load and amount as the one before, when that one
/// was at the top of the range at the goal sets and it and the one before it were calm, was the effort step and
/// raises it by one (up to `effort_max`); a logged RPE in a calm session raises it to that RPE (up to `effort_max`);
/// a red sets it back to the start.
fn effort_cap(exps: &[Exposure], ex: Option<&Exercise>, settings: &Settings, goal_sets: u32) -> f64 {
    let mut cap = settings.effort_start;
    for (i, e) in exps.iter().enumerate() {
        if e.verdict == Some(Verdict::Red) {
            cap = settings.effort_start;
            continue;
        }
        // The effort step needs the two exposures before this one; the first two can only raise the ceiling by
        // the effort logged (below).
        if let (Some(p2), Some(p1)) = (
            i.checked_sub(2).map(|j| &exps[j]),
            i.checked_sub(1).map(|j| &exps[j]),
        ) {
            let stepped = calm(p1)
                && calm(p2)
                && ex.is_some_and(|x| at_top(p1, x))
                && p1.sets as u32 >= goal_sets
                && e.sets == p1.sets
                && e.top_load == p1.top_load
                && e.amounts.iter().min() == p1.amounts.iter().min();
            if stepped && cap < settings.effort_max {
                cap = (cap + 1.0).min(settings.effort_max);
            }
        }
        // An effort the person logged and the back took calmly is within the ceiling from then on, from the first
        // session (until 2026-12-06 the first two sessions' RPE was skipped).
        if calm(e)
            && let Some(r) = e.rpe
        {
            cap = cap.max(r.value().min(settings.effort_max));
        }
    }
    cap
}

/// The harder option to move on to (PG-5): the first of the catalog's progressions in the same movement pattern
/// that the person's equipment allows.
fn harder_option(ex: Option<&Exercise>, catalog: &Catalog, profile: &Profile) -> Option<String> {
    let ex = ex?;
    ex.progressions
        .iter()
        .filter_map(|p| catalog.get(p))
        .find(|h| h.pattern == ex.pattern && h.available_with(&profile.equipment))
        .map(|h| h.id.clone())
}

fn step_of(ex: Option<&Exercise>, catalog: &Catalog, unit: WeightUnit) -> Option<f64> {
    ex.and_then(|e| catalog.increment(e, unit))
}

/// The dose an exercise was last done at, per exercise, before `before` (for re-entry after a flare).
pub fn doses_before(folded: &Folded, before: Timestamp) -> Vec<(String, Prescription)> {
    folded
        .exposures
        .iter()
        .filter_map(|(id, v)| {
            v.iter()
                .rev()
                .find(|e| e.at < before)
                .map(|e| (id.clone(), done(e)))
        })
        .collect()
}
