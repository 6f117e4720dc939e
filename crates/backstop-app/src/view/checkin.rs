//! What a check-in did, as `backstop checkin --json` and `POST /api/v1/checkins` report it: the check-in as stored,
//! the session verdicts it settled or changed, and the flare state after it.

use backstop_core::engine::{Assessment, SessionVerdict};
use backstop_core::facts::CheckIn;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::LocalTime;
use super::status::{FlareView, name_of};

/// A check-in as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordedCheckInView {
    /// When.
    pub at: LocalTime,
    /// Pain, 0–10.
    pub pain: u8,
    /// Morning stiffness, 0–10, when given.
    pub stiffness: Option<u8>,
    /// The ache is training soreness in the muscles trained (DS-2).
    pub muscle_soreness: bool,
    /// Pain in the leg.
    pub leg_pain: bool,
    /// Numbness.
    pub numbness: bool,
    /// Weakness.
    pub weakness: bool,
}

/// A change in a session that a bad response could be pinned on (C5).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoveltyView {
    /// The exercise.
    pub exercise: String,
    /// `new`, `reintroduced`, `load-step`, `set-step` or `reps-beyond-range`.
    pub kind: String,
    /// In words, with the numbers.
    pub detail: String,
}

impl NoveltyView {
    /// The view of a session's change.
    pub fn new(n: &backstop_core::engine::Novelty) -> NoveltyView {
        NoveltyView {
            exercise: n.exercise.as_str().to_owned(),
            kind: name_of(&n.kind),
            detail: n.detail.as_str().to_owned(),
        }
    }
}

/// One exercise's verdict within a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExerciseVerdictView {
    /// Catalog id.
    pub exercise: String,
    /// `green`, `amber`, `red`, or `null` while the session waits and its sets gave no signal.
    pub verdict: Option<String>,
    /// The rule that decided it.
    pub rule: String,
    /// Why, with the numbers.
    pub reason: String,
    /// How much of a bad response it carries: `none`, `shared` or `attributed`.
    pub blame: String,
}

/// A session's verdict (the Ceiling Method: pain during the sets against the ceiling, then the next mornings).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerdictView {
    /// The session's start.
    pub session_at: LocalTime,
    /// `green`, `amber`, `red`, or `null` while the session waits for its check-ins.
    pub verdict: Option<String>,
    /// `pending`, `confirmed`, `unconfirmed` (no check-in within 72 h) or `unrated` (no pain recorded).
    pub status: String,
    /// The rule that decided it.
    pub rule: String,
    /// One sentence with the numbers.
    pub reason: String,
    /// The session's in-session pain ceiling (PM-2).
    pub ceiling: u8,
    /// Check-ins still wanted for it: `24h` and/or `48h`.
    pub awaiting: Vec<String>,
    /// What was new in it.
    pub novelties: Vec<NoveltyView>,
    /// Each exercise's part.
    pub exercises: Vec<ExerciseVerdictView>,
}

impl VerdictView {
    /// The verdict in one word: `green`, `amber`, `red`, `pending`, or `unrated` when no pain was recorded (never
    /// judged, rather than waiting for a check-in).
    pub fn word(&self) -> &str {
        if self.status == "unrated" {
            "unrated"
        } else {
            self.verdict.as_deref().unwrap_or("pending")
        }
    }

    /// The view of a session verdict, times in `tz`.
    pub fn new(v: &SessionVerdict, tz: &TimeZone) -> VerdictView {
        VerdictView {
            session_at: LocalTime::new(v.session_at, tz),
            verdict: v.verdict.map(|x| x.as_str().to_owned()),
            status: name_of(&v.status),
            rule: v.rule.to_string(),
            reason: v.reason.as_str().to_owned(),
            ceiling: v.ceiling,
            awaiting: v.awaiting.iter().map(name_of).collect(),
            novelties: v.novelties.iter().map(NoveltyView::new).collect(),
            exercises: v
                .exercises
                .iter()
                .map(|e| ExerciseVerdictView {
                    exercise: e.exercise.as_str().to_owned(),
                    verdict: e.verdict.map(|x| x.as_str().to_owned()),
                    rule: e.rule.to_string(),
                    reason: e.reason.as_str().to_owned(),
                    blame: name_of(&e.blame),
                })
                .collect(),
        }
    }
}

/// What a check-in did, as `backstop checkin --json` and `POST /api/v1/checkins` report it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInResultView {
    /// The check-in as stored.
    pub checkin: RecordedCheckInView,
    /// The session verdicts it settled or changed, oldest first (`[]` when none).
    pub verdicts: Vec<VerdictView>,
    /// The flare state after it.
    pub flare: FlareView,
    /// Leg or nerve symptoms were reported and the red-flag questions are still to be answered again (RF-4).
    pub rescreen_needed: bool,
}

impl CheckInResultView {
    /// The view of a stored check-in, with the assessments just `before` and `after` it (the verdicts that differ
    /// are the ones it settled or changed), times in `tz`.
    pub fn new(
        c: &CheckIn,
        before: &Assessment,
        after: &Assessment,
        rescreen_needed: bool,
        tz: &TimeZone,
    ) -> CheckInResultView {
        CheckInResultView {
            checkin: RecordedCheckInView {
                at: LocalTime::new(c.at, tz),
                pain: c.pain.value(),
                stiffness: c.stiffness.map(|s| s.get()),
                muscle_soreness: c.muscle_soreness,
                leg_pain: c.leg_pain,
                numbness: c.numbness,
                weakness: c.weakness,
            },
            verdicts: settled(before, after)
                .into_iter()
                .map(|v| VerdictView::new(v, tz))
                .collect(),
            flare: FlareView::new(&after.flare, tz),
            rescreen_needed,
        }
    }
}

/// The session verdicts of `after` that are new or differ from `before` (verdict, status or reason): what a fact
/// written between the two settled or changed.
pub fn settled<'a>(before: &Assessment, after: &'a Assessment) -> Vec<&'a SessionVerdict> {
    after
        .sessions
        .iter()
        .filter(|v| {
            before
                .session(v.session_at)
                .is_none_or(|b| (b.verdict, b.status, &b.reason) != (v.verdict, v.status, &v.reason))
        })
        .collect()
}
