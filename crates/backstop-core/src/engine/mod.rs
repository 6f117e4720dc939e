//! The Ceiling Method engine: `assess(history, catalog, settings, tz, now) -> Assessment`.
//!
//! A fold over the facts in time order. Each session gets a verdict from its in-session pain and its 24 h and 48 h
//! check-ins (PM-2…PM-5); the session's novelties are worked out against the history before it (C5); the
//! morning's verdict is passed to the exercises (BK-3 in `docs/rules.md`); each exercise's ledger moves
//! untested → testing → tolerated, or to provocative and parked (C6); flares are detected and followed through
//! re-entry (FL-1…FL-4); and suspects are ranked from the whole history. Everything is computed from the facts and
//! `now`, so the same inputs always give the same assessment, whatever order the facts were stored in.

mod causes;
mod checkins;
mod checkpoint;
mod flare;
mod ledger;
mod sensitivity;
mod session;
pub mod settings;
mod suspects;
mod text;
mod trend;

use crate::rules::RuleId;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::facts::{CheckIn, Clearance, Felt, FlareEvent, Profile, Screening, Session};
use crate::redflags::{self, RedFlagState};
use crate::units::Load;
use crate::vocab::{Muscle, Sensitivity};

pub use causes::{Cause, CauseLevel, Confidence, Sums};
pub(crate) use checkpoint::HashWriter;
pub use checkpoint::{Checkpoint, fingerprint, settled_window};
pub use flare::{FlareEpisode, FlareState};
pub use ledger::{Evidence, ExerciseLedger, LedgerStatus, NextStep, Prescription, ProgressStep, Provocation};
pub use session::{Blame, CheckKind, ExerciseVerdict, Novelty, NoveltyKind, SessionVerdict, VerdictStatus};
pub use settings::Settings;
pub use suspects::Suspect;
pub use text::Text;
pub use trend::Trend;

/// A traffic-light verdict. Ordered from best to worst, so `max` is the worse of two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Tolerated: progress.
    Green,
    /// Borderline: hold.
    Amber,
    /// Not tolerated: regress.
    Red,
}

impl Verdict {
    /// The word used in JSON and text.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Green => "green",
            Verdict::Amber => "amber",
            Verdict::Red => "red",
        }
    }
}

/// Everything the engine reads: the person's facts.
#[derive(Debug, Clone, Copy)]
pub struct History<'a> {
    /// The newest profile.
    pub profile: &'a Profile,
    /// Sessions, in any order.
    pub sessions: &'a [Session],
    /// Check-ins, in any order.
    pub checkins: &'a [CheckIn],
    /// Declared flare starts and ends.
    pub flare_events: &'a [FlareEvent],
    /// Red-flag screens.
    pub screenings: &'a [Screening],
    /// Clinician clearances.
    pub clearances: &'a [Clearance],
}

/// The state of a sensitivity category (ES-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SensitivityStatus {
    /// Suggested by what makes the back worse; not yet tested by the person's own responses.
    Hypothesis,
    /// Two or more "not tolerated" responses to exercises that load this direction.
    Confirmed,
    /// Suggested at the start, but the person's back has tolerated this direction repeatedly.
    Dropped,
}

/// One sensitivity category with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityFinding {
    /// The category.
    pub category: Sensitivity,
    /// Its status.
    pub status: SensitivityStatus,
    /// Sessions in which an exercise loading this direction was red.
    pub not_tolerated: usize,
    /// Confirmed green exposures to exercises loading this direction.
    pub tolerated: usize,
    /// One sentence with the numbers.
    pub evidence: String,
}

/// A check-in still wanted for a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueCheckIn {
    /// The session's start.
    pub session_at: Timestamp,
    /// Which check-in.
    pub kind: CheckKind,
    /// From when it counts.
    pub from: Timestamp,
    /// Until when it counts.
    pub until: Timestamp,
}

/// Muscles still sore from training (DS-2): no hard loading for them until `until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Soreness {
    /// The sore muscles.
    pub muscles: Vec<Muscle>,
    /// The check-in that reported it.
    pub reported_at: Timestamp,
    /// Pain reported.
    pub pain: u8,
    /// Hold hard loading of these muscles until then, unless a later check-in says it eased.
    pub until: Timestamp,
}

/// Something the person should act on, with the rule behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// Rule id.
    pub rule: RuleId,
    /// What to do, in plain words.
    pub message: String,
}

/// An exercise done only in sessions without any pain recorded (BK-9): history of what was done.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnratedExercise {
    /// Exercise id.
    pub exercise: String,
    /// Sessions it was in.
    pub sessions: usize,
    /// The last of them.
    pub last_at: Timestamp,
    /// What was done then (the sets, the fewest reps or seconds every set reached, the heaviest load).
    pub last_dose: Prescription,
    /// The last time it carried a load, and the dose then: what a first load is proposed from (PG-7).
    pub last_loaded: Option<(Timestamp, Prescription)>,
}

/// Everything the engine decides from the facts at one moment.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// The moment assessed.
    pub now: Timestamp,
    /// Its civil date in the profile's zone.
    pub date: Date,
    /// One verdict per session, oldest first.
    pub sessions: Vec<SessionVerdict>,
    /// One ledger entry per exercise ever done, by id.
    pub exercises: Vec<ExerciseLedger>,
    /// Exercises named as causes of pain (CA-4), strongest first.
    pub suspects: Vec<Suspect>,
    /// Every cause named, at the level of an exercise, a movement pattern or a spinal direction, strongest first
    /// (CA-1…CA-4).
    pub causes: Vec<Cause>,
    /// The flare state now.
    pub flare: FlareState,
    /// Every flare episode (FL-6).
    pub flares: Vec<FlareEpisode>,
    /// Short pain spikes that were not flares (FL-1).
    pub spikes: Vec<Timestamp>,
    /// The sensitivity categories and their evidence (ES-1).
    pub sensitivities: Vec<SensitivityFinding>,
    /// Week-over-week morning pain and stiffness (PM-6).
    pub trend: Trend,
    /// Check-ins still wanted.
    pub due_checkins: Vec<DueCheckIn>,
    /// Training soreness still holding some muscles (DS-2).
    pub soreness: Option<Soreness>,
    /// Red-flag state (RF-2, RF-3).
    pub red_flags: RedFlagState,
    /// Things to act on.
    pub alerts: Vec<Alert>,
    /// The ladder to each goal lift and the person's place on it (PG-8).
    pub ladders: Vec<crate::ladder::Ladder>,
    /// Exercises done only in unrated sessions, such as an imported history (BK-9): what was done, not judged.
    pub unrated: Vec<UnratedExercise>,
}

impl Assessment {
    /// The ledger entry of one exercise.
    pub fn exercise(&self, id: &str) -> Option<&ExerciseLedger> {
        self.exercises.iter().find(|e| e.exercise == id)
    }

    /// The verdict of the session that started at `at` (the first, if two started at the same instant). Found by
    /// bisection: the verdicts are oldest first.
    pub fn session(&self, at: Timestamp) -> Option<&SessionVerdict> {
        let i = self.sessions.partition_point(|s| s.session_at < at);
        self.sessions.get(i).filter(|s| s.session_at == at)
    }

    /// Movement patterns named as a cause with moderate confidence or more: the planner holds them back (CA-4).
    pub fn held_patterns(&self) -> Vec<crate::vocab::Pattern> {
        self.causes
            .iter()
            .filter(|c| c.confidence >= Confidence::Moderate)
            .filter_map(Cause::pattern)
            .collect()
    }

    /// The sensitivity categories currently in force: confirmed ones and untested hypotheses.
    pub fn active_sensitivities(&self) -> Vec<Sensitivity> {
        self.sensitivities
            .iter()
            .filter(|s| s.status != SensitivityStatus::Dropped)
            .map(|s| s.category)
            .collect()
    }
}

/// Sorts sessions canonically so that storage order never matters.
fn canonical_sessions<'a>(sessions: impl Iterator<Item = &'a Session>) -> Vec<&'a Session> {
    let mut v: Vec<&Session> = sessions.collect();
    v.sort_by(|a, b| {
        a.at.cmp(&b.at)
            .then_with(|| format!("{a:?}").cmp(&format!("{b:?}")))
    });
    v
}

fn canonical_checkins(checkins: &[CheckIn]) -> Vec<CheckIn> {
    let mut v = checkins.to_vec();
    v.sort_by(|a, b| {
        a.at.cmp(&b.at)
            .then_with(|| format!("{a:?}").cmp(&format!("{b:?}")))
    });
    v
}

/// Rounds a load to the equipment's step in the person's unit: `mode` −1 down, 0 nearest, +1 up.
pub(crate) fn round_load(
    grams: f64,
    step_in_unit: f64,
    unit: crate::units::WeightUnit,
    mode: i8,
) -> Option<Load> {
    let v = grams / unit.grams_per_unit();
    let steps = v / step_in_unit;
    let steps = match mode {
        -1 => (steps + 1e-9).floor(),
        1 => (steps - 1e-9).ceil(),
        _ => steps.round(),
    };
    let v = (steps * step_in_unit).max(0.0);
    Load::from_unit(v, unit).ok()
}

/// Assesses a person's whole history at `now`.
pub fn assess(
    h: &History<'_>,
    catalog: &Catalog,
    settings: &Settings,
    tz: &TimeZone,
    now: Timestamp,
) -> Assessment {
    assess_resuming(h, catalog, settings, tz, now, None, None).0
}

/// How many settled sessions past a checkpoint's cut make it worth replacing by a newer one: a few sessions
/// cost little to fold again, and each new checkpoint is a write.
pub const CHECKPOINT_EVERY: usize = 16;

/// How long before the settled window a new checkpoint's sessions end, so that entries back-dated by up to this
/// much do not discard it.
pub const CHECKPOINT_MARGIN: SignedDuration = SignedDuration::from_hours(24 * 7);

/// When [`assess_resuming`] hands back a new checkpoint, and in what form.
#[derive(Debug, Clone, Copy)]
pub struct KeepCheckpoint {
    /// The fingerprint of the profile, settings and catalog assessed with ([`fingerprint`]).
    pub fingerprint: u64,
    /// How many settled sessions past the last cut make a new one due ([`CHECKPOINT_EVERY`]).
    pub every: usize,
    /// Its stored form (the store's encoding; `None` when it cannot be made). The checkpoint is encoded where the
    /// fold reaches its cut and the fold goes on from the same state, so the state is never copied.
    pub encode: fn(&Checkpoint) -> Option<Vec<u8>>,
}

/// A new checkpoint in its stored form, with what the store keeps beside it.
#[derive(Debug, Clone)]
pub struct KeptCheckpoint {
    /// [`Checkpoint::cut`].
    pub cut: Timestamp,
    /// [`Checkpoint::settled_from`].
    pub settled_from: Timestamp,
    /// [`Checkpoint::fingerprint`].
    pub fingerprint: u64,
    /// What [`KeepCheckpoint::encode`] made of it.
    pub bytes: Vec<u8>,
}

/// Assesses at `now` starting from a checkpoint, with the same result as [`assess`] over every session.
///
/// With `from`, which must be [`Checkpoint::usable`] at `now` under the same fingerprint, `h.sessions` needs only
/// the sessions from its cut on and the newest one before it (older ones are skipped); without it, every session.
/// With `keep`, it also hands back a newer checkpoint, encoded, when one is due: when `keep.every` or more sessions
/// settled since the last cut (since the first session, without `from`).
pub fn assess_resuming(
    h: &History<'_>,
    catalog: &Catalog,
    settings: &Settings,
    tz: &TimeZone,
    now: Timestamp,
    from: Option<Checkpoint>,
    keep: Option<KeepCheckpoint>,
) -> (Assessment, Option<KeptCheckpoint>) {
    debug_assert!(
        from.as_ref()
            .is_none_or(|c| c.usable(keep.map_or(c.fingerprint(), |k| k.fingerprint), now)),
        "a checkpoint resumed where it does not hold"
    );
    let (cut, start) = match from {
        Some(c) => (Some(c.cut()), c.state),
        None => (None, session::FoldState::default()),
    };
    // Warm-up sets are kept in the history but are not dose, novelty or load: the engine sees working sets only.
    // A session without any is used as it is (most are; copying them was about a quarter of the instructions of
    // assessing ten years imported from Strong, by callgrind).
    let is_warmup = |x: &crate::facts::SetEntry| x.kind == crate::facts::SetKind::Warmup;
    let working: Vec<std::borrow::Cow<'_, Session>> = h
        .sessions
        .iter()
        .filter(|s| s.at <= now)
        .map(|s| {
            if s.sets.iter().any(is_warmup) {
                let mut working = s.clone();
                working.sets.retain(|x| !is_warmup(x));
                std::borrow::Cow::Owned(working)
            } else {
                std::borrow::Cow::Borrowed(s)
            }
        })
        .filter(|s| !s.sets.is_empty())
        .collect();
    let sessions: Vec<&Session> = canonical_sessions(working.iter().map(|s| s.as_ref()));
    let checkins: Vec<CheckIn> = canonical_checkins(h.checkins)
        .into_iter()
        .filter(|c| c.at <= now)
        .collect();
    let flare_events: Vec<FlareEvent> = {
        let mut v: Vec<FlareEvent> = h.flare_events.iter().copied().filter(|e| e.at <= now).collect();
        v.sort_by_key(|e| (e.at, e.mark == crate::facts::FlareMark::End));
        v
    };

    // Sensitivities in force while folding: the starting hypothesis plus those confirmed so far.
    let hypothesis = crate::vocab::sensitivity_hypothesis(&h.profile.aggravators);

    // Only the sessions from the cut on are folded; the ones before it are in the checkpoint's state.
    let first = cut.map_or(0, |t| sessions.partition_point(|s| s.at < t));
    // A new checkpoint covers the sessions settled a week before `now`: an entry back-dated by up to a week (the
    // morning's session logged in the evening, a check-in typed late) then leaves it standing.
    let new_cut = now - settled_window(settings) - CHECKPOINT_MARGIN;
    let settled = sessions[first..].partition_point(|s| s.at < new_cut);
    let keep = keep.filter(|k| settled >= k.every.max(1));
    let split = if keep.is_some() {
        first + settled
    } else {
        sessions.len()
    };
    let fold = |range: std::ops::Range<usize>, start| {
        session::fold(
            &sessions,
            range,
            &checkins,
            h.profile,
            catalog,
            settings,
            &hypothesis,
            now,
            start,
        )
    };
    let mut state = fold(first..split, start);
    let mut checkpoint = None;
    if let Some(k) = keep {
        // The state at the cut is encoded as it is and then folded on: not copied.
        let cp = Checkpoint::new(settings, k.fingerprint, state);
        checkpoint = (k.encode)(&cp).map(|bytes| KeptCheckpoint {
            cut: cp.cut(),
            settled_from: cp.settled_from(),
            fingerprint: cp.fingerprint(),
            bytes,
        });
        state = cp.state;
        state = fold(split..sessions.len(), state);
    }
    let folded = state.folded;
    let flare = flare::detect(&checkins, &flare_events, &folded, h.profile, settings, now);
    let trend = trend::weekly(&checkins, settings, now);
    let causes = causes::find(&folded.verdicts, &folded.causes, catalog, settings);
    let found = ledger::Findings {
        causes: &causes,
        flare: &flare.state,
        trend: &trend,
    };
    let exercises = ledger::finish(&folded, &found, h.profile, catalog, settings, tz, now);
    let suspects = suspects::from_causes(&causes, &exercises, &folded.verdicts, settings.cause_strong_score);
    let mut sensitivities = sensitivity::sensitivities(folded.totals, &hypothesis);
    // CA-4: a direction named with moderate confidence or more confirms its category (ES-1), with the numbers.
    for c in causes.iter().filter(|c| c.confidence >= Confidence::Moderate) {
        let Some(cat) = c.category() else { continue };
        match sensitivities.iter_mut().find(|f| f.category == cat) {
            Some(f) if f.status == SensitivityStatus::Confirmed => {}
            Some(f) => {
                f.status = SensitivityStatus::Confirmed;
                f.evidence = format!("{}; {}", f.evidence, c.evidence);
            }
            None => sensitivities.push(SensitivityFinding {
                category: cat,
                status: SensitivityStatus::Confirmed,
                not_tolerated: c.red_with,
                tolerated: 0,
                evidence: c.evidence.clone(),
            }),
        }
    }
    let due_checkins = checkins::due(&folded.verdicts, settings, now);
    let soreness = checkins::soreness(&sessions, &checkins, catalog, settings, now);
    let red_flags = redflags::state(h.screenings, h.clearances, now);

    let mut alerts = Vec::new();
    let last_screen = h.screenings.iter().filter(|s| s.at <= now).map(|s| s.at).max();
    let last_leg = folded
        .verdicts
        .iter()
        .filter(|v| v.rescreen)
        .map(|v| v.rescreen_at.unwrap_or(v.session_at))
        .max();
    if let Some(leg) = last_leg
        && last_screen.is_none_or(|s| s < leg)
    {
        alerts.push(Alert {
            rule: RuleId::Pm4,
            message:
                "Leg or nerve symptoms were reported: stop the exercise that brought them on whatever the \
                      score, and answer the red-flag questions again."
                    .into(),
        });
    }
    // RF-4: while leg symptoms keep being logged (usual ones included), the cauda equina questions come back once a
    // week: patients rarely volunteer them, and a stable sciatica can change (NICE CKS).
    let week = SignedDuration::from_hours(24 * 7);
    let leg_this_week = checkins
        .iter()
        .filter(|c| c.at <= now && c.at > now - week)
        .any(|c| c.has_leg_symptoms())
        || sessions
            .iter()
            .filter(|s| s.at <= now && s.at > now - week)
            .any(|s| s.sets.iter().any(|x| x.felt == Felt::Leg));
    if leg_this_week
        && last_screen.is_none_or(|s| s <= now - week)
        && !alerts.iter().any(|a| a.rule == RuleId::Pm4)
    {
        alerts.push(Alert {
            rule: RuleId::Rf4,
            message:
                "Leg symptoms were logged this week: while they last, answer the red-flag questions once a \
                      week (numbness in the saddle area, bladder or bowel changes, both legs, weakness)."
                    .into(),
        });
    }
    alerts.extend(flare.alerts.iter().cloned());
    if trend.deload {
        alerts.push(Alert {
            rule: RuleId::Pm6,
            message: format!(
                "Morning pain or stiffness rose by {} or more points week over week: take a deload week \
                 (about half the usual back-loading volume) before building again.",
                crate::units::format_number(settings.trend_deload_rise)
            ),
        });
    } else if trend.hold {
        alerts.push(Alert {
            rule: RuleId::Pm6,
            message:
                "Morning pain or stiffness rose week over week: no load progression this week, holds only."
                    .into(),
        });
    }
    if red_flags.blocks_training {
        let emergency = red_flags
            .open
            .as_ref()
            .is_some_and(|r| r.urgency == crate::redflags::Urgency::Emergency);
        alerts.push(if emergency {
            Alert {
                rule: RuleId::Rf2,
                message: "An emergency red-flag answer is open: training is paused until you record that a \
                          clinician has cleared you."
                    .into(),
            }
        } else if red_flags.open.as_ref().is_some_and(|r| r.until_clearance) {
            // The only urgent result that waits for a clearance.
            Alert {
                rule: RuleId::Ds4,
                message: "Extreme muscle pain with dark urine after training was reported: training is paused until \
                          you record that a clinician has cleared you."
                    .into(),
            }
        } else {
            Alert {
                rule: RuleId::Rf3,
                message: "An urgent red-flag answer is open: training is paused for 72 hours, or until you record \
                          that a clinician has cleared you."
                    .into(),
            }
        });
    }

    let ladders = h
        .profile
        .goal_lifts
        .iter()
        .map(|g| {
            crate::ladder::ladder(catalog, g, &h.profile.equipment, |id| {
                exercises
                    .iter()
                    .any(|l| l.exercise == id && l.next != NextStep::Avoid && l.step_back.is_none())
            })
        })
        .collect();
    let unrated = folded
        .history
        .iter()
        .filter(|(id, _)| !folded.exposures.contains_key(*id))
        .filter_map(|(id, v)| {
            let last = v.last()?;
            // The heaviest it was done at, for a first load (PG-7): the last time it carried a load.
            let loaded = v
                .iter()
                .rev()
                .find(|e| e.top_load.is_some() && e.unit == session::AmountUnit::Reps);
            Some(UnratedExercise {
                exercise: id.clone(),
                sessions: v.len(),
                last_at: last.at,
                last_dose: ledger::done_dose(last),
                last_loaded: loaded.map(|e| (e.at, ledger::done_dose(e))),
            })
        })
        .collect();
    let assessment = Assessment {
        ladders,
        unrated,
        now,
        date: crate::time::civil_date(now, tz),
        sessions: folded.verdicts,
        exercises,
        suspects,
        causes,
        flare: flare.state,
        flares: flare.episodes,
        spikes: flare.spikes,
        sensitivities,
        trend,
        due_checkins,
        soreness,
        red_flags,
        alerts,
    };
    (assessment, checkpoint)
}

#[cfg(test)]
mod tests;
