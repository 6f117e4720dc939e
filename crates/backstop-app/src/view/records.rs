//! What a command that records or writes something reports: a logged session, a red-flag screen, a flare mark, a
//! clearance, a profile, a restore, a file written, a health check; and the catalog and `why` documents. Only the
//! CLI prints these today, so they carry no OpenAPI schema.

use backstop_core::catalog::{Catalog, Exercise};
use backstop_core::engine::{Assessment, CauseLevel, Novelty};
use backstop_core::redflags::ScreenResult;
use backstop_core::vocab::Sensitivity;
use backstop_core::{Profile, WeightUnit};
use jiff::tz::TimeZone;
use serde::Serialize;

use super::status::name_of;
use super::{CauseView, LedgerView, LocalTime, NoveltyView, PlanView, SessionView, SetView, SuspectView};

/// A red-flag result: how soon to see a clinician, the answers behind it and what to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedFlagResultView {
    /// `soon`, `urgent` or `emergency`.
    pub urgency: String,
    /// The answers behind it.
    pub because: Vec<String>,
    /// What to do, what training does meanwhile, and that backstop does not diagnose.
    pub advice: String,
    /// Only a recorded clearance lifts it (an emergency, or dark urine after training).
    pub until_clearance: bool,
}

impl RedFlagResultView {
    /// The view of a screen's result.
    pub fn new(r: &ScreenResult) -> RedFlagResultView {
        RedFlagResultView {
            urgency: r.urgency.as_str().to_owned(),
            because: r.because.clone(),
            advice: r.advice(),
            until_clearance: r.until_clearance,
        }
    }
}

/// `backstop screen --json`: the screen's result, flat, and whether training is paused now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenView {
    /// `soon`, `urgent`, `emergency`, or `null` when nothing was found.
    pub urgency: Option<String>,
    /// The answers behind it (`[]` when nothing was found).
    pub because: Vec<String>,
    /// What to do, or `null` when nothing was found.
    pub advice: Option<String>,
    /// Training is paused now (by this screen or an earlier one still open).
    pub training_blocked: bool,
}

impl ScreenView {
    /// The view of a screen's result (`None`: nothing found) and whether training is paused.
    pub fn new(r: Option<&ScreenResult>, training_blocked: bool) -> ScreenView {
        ScreenView {
            urgency: r.map(|r| r.urgency.as_str().to_owned()),
            because: r.map(|r| r.because.clone()).unwrap_or_default(),
            advice: r.map(ScreenResult::advice),
            training_blocked,
        }
    }
}

/// `backstop clearance --json`: a clinician's clearance as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClearanceView {
    /// When.
    pub at: LocalTime,
    /// The note given with it.
    pub note: Option<String>,
}

/// `backstop flare start|end --json`: a flare mark as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlareMarkView {
    /// `start` or `end`.
    pub mark: backstop_core::FlareMark,
    /// When.
    pub at: LocalTime,
    /// What the red-flag questions asked with a flare's start found, or `null` (none asked, or nothing found).
    pub red_flags: Option<RedFlagResultView>,
    /// A flare started and the red-flag questions are still to be answered.
    pub rescreen_needed: bool,
}

/// `backstop log --json`: the session as stored and what was new in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoggedView {
    /// Storage id.
    pub id: i64,
    /// When it started.
    pub at: LocalTime,
    /// The training day (YYYY-MM-DD).
    pub date: String,
    /// Pain before, 0–10.
    pub pain_before: Option<u8>,
    /// Length in minutes.
    pub minutes: Option<u16>,
    /// Session RPE.
    pub session_rpe: Option<f64>,
    /// The sets in order, in the profile's unit.
    pub sets: Vec<SetView>,
    /// What was new in it (C5).
    pub novelties: Vec<NoveltyView>,
    /// A set was felt in the leg and the red-flag questions are still to be answered again.
    pub rescreen_needed: bool,
}

impl LoggedView {
    /// The view of a stored session, its sets in `unit` and times in `tz`.
    pub fn new(
        s: &crate::store::StoredSession,
        novelties: &[Novelty],
        rescreen_needed: bool,
        tz: &TimeZone,
        unit: WeightUnit,
    ) -> LoggedView {
        // The session as the history shows it, without the verdict a new session does not have yet.
        let v = SessionView::stored(s, tz, unit, None);
        LoggedView {
            id: v.id,
            at: v.at,
            date: v.date,
            pain_before: v.pain_before,
            minutes: v.minutes,
            session_rpe: v.session_rpe,
            sets: v.sets,
            novelties: novelties.iter().map(NoveltyView::new).collect(),
            rescreen_needed,
        }
    }
}

/// `backstop init --json`: the profile as saved, the red-flag result, and the first session.
#[derive(Debug, Clone, Serialize)]
pub struct InitView {
    /// The profile as saved.
    pub profile: Profile,
    /// The movement directions guessed sensitive from what makes the back worse (ES-1).
    pub sensitivity_hypothesis: Vec<Sensitivity>,
    /// The red-flag result, or `null` when nothing was found.
    pub red_flags: Option<RedFlagResultView>,
    /// Training is paused now.
    pub training_blocked: bool,
    /// The first session, as `plan --json` gives it, or `null` while training is paused.
    pub first_session: Option<PlanView>,
}

/// `backstop import --backup --json`: what a restore put back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestoreView {
    /// The backup's format name.
    pub format: String,
    /// Profile versions.
    pub profiles: usize,
    /// Red-flag screens.
    pub screenings: usize,
    /// The person's own exercises.
    pub custom_exercises: usize,
    /// Sessions.
    pub sessions: usize,
    /// Sets in them.
    pub sets: usize,
    /// Check-ins.
    pub checkins: usize,
    /// Flare marks.
    pub flare_events: usize,
    /// Clearances.
    pub clearances: usize,
}

/// A file a command wrote: `calendar --out`, `report --out` and `backup` report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrittenView {
    /// The file.
    pub out: String,
    /// Its size, for a report or a backup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Planned sessions in it, for a calendar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sessions: Option<usize>,
    /// Weeks it covers, for a calendar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weeks: Option<u32>,
    /// `ok` when a backup's copy passed SQLite's integrity check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrity: Option<String>,
}

/// One check of `backstop doctor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckView {
    /// What was checked.
    pub name: String,
    /// Whether it passed.
    pub ok: bool,
    /// What was found, in words.
    pub detail: String,
}

/// `backstop doctor --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DoctorView {
    /// Every check passed.
    pub ok: bool,
    /// The checks.
    pub checks: Vec<CheckView>,
}

/// One catalog exercise as `backstop catalog … --json` gives it: the catalog entry, whether it is the person's own,
/// and whether it is high-demand work.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogEntryView<'a> {
    /// The catalog entry.
    #[serde(flatten)]
    pub exercise: &'a Exercise,
    /// One of the person's own exercises.
    pub custom: bool,
    /// High spinal demand (held back while a back is sensitive).
    pub high_demand: bool,
}

impl<'a> CatalogEntryView<'a> {
    /// The view of a catalog exercise.
    pub fn new(c: &Catalog, e: &'a Exercise) -> CatalogEntryView<'a> {
        CatalogEntryView {
            exercise: e,
            custom: c.is_custom(&e.id),
            high_demand: e.is_high_demand(&[]),
        }
    }
}

/// One session with an exercise, as `why` lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExposureView {
    /// The session's start.
    pub session_at: LocalTime,
    /// What was done, in words.
    pub dose: String,
    /// The highest pain during its sets.
    pub max_pain: Option<u8>,
    /// Its verdict in that session, or `null` while pending.
    pub verdict: Option<String>,
    /// `pending`, `confirmed`, `unconfirmed` or `unrated`.
    pub status: String,
    /// `none`, `shared` or `attributed`.
    pub blame: String,
    /// The kind of change it was, if any (`new`, `reintroduced`, `load-step`, `set-step`, `reps-beyond-range`).
    pub novelty: Option<String>,
}

/// `backstop why ID --json`: an exercise's ledger entry with its suspect, the causes that hold it and every session
/// with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhyView {
    /// The ledger entry, as in `status`.
    #[serde(flatten)]
    pub ledger: LedgerView,
    /// The exercise as a suspect, or `null`.
    pub suspect: Option<SuspectView>,
    /// Patterns and directions named as causes that hold it back.
    pub causes: Vec<CauseView>,
    /// Every session with it, oldest first.
    pub evidence: Vec<ExposureView>,
    /// What a coach or clinician set that bears on it (it left out of the plans, the pain ceiling), newest first.
    pub care: Vec<super::CareView>,
}

impl WhyView {
    /// With the settings a coach or clinician made that bear on this exercise: leaving it out, and the ceiling
    /// its sets are judged against.
    pub fn with_care(
        mut self,
        care: &[crate::store::CareDirective],
        tz: &TimeZone,
        catalog: &Catalog,
    ) -> WhyView {
        use crate::store::CareKind;
        self.care = care
            .iter()
            .filter(|d| {
                d.kind == CareKind::Ceiling
                    || (d.kind == CareKind::NotPlanned && d.value == self.ledger.exercise)
            })
            .map(|d| super::CareView::new(d, tz, catalog))
            .collect();
        self
    }

    /// The `why` document of an exercise in an assessment: its ledger entry, its suspect, and the patterns and
    /// directions named as causes that hold it (CA-4), doses in `unit`, times in `tz`; `None` when it was never
    /// logged.
    pub fn of(
        a: &Assessment,
        exercise: &str,
        catalog: &Catalog,
        tz: &TimeZone,
        unit: WeightUnit,
    ) -> Option<WhyView> {
        let l = a.exercise(exercise)?;
        Some(WhyView {
            ledger: LedgerView::new(l, tz, unit),
            suspect: a
                .suspects
                .iter()
                .find(|s| s.exercise == exercise)
                .map(SuspectView::new),
            causes: a
                .causes
                .iter()
                .filter(|c| c.level != CauseLevel::Exercise && c.covers(exercise, catalog))
                .map(CauseView::new)
                .collect(),
            evidence: l
                .evidence
                .iter()
                .map(|e| ExposureView {
                    session_at: LocalTime::new(e.session_at, tz),
                    dose: e.dose.describe_done(unit),
                    max_pain: e.max_pain,
                    verdict: e.verdict.map(|v| v.as_str().to_owned()),
                    status: name_of(&e.status),
                    blame: name_of(&e.blame),
                    novelty: e.novelty.map(|n| name_of(&n)),
                })
                .collect(),
            care: Vec::new(),
        })
    }
}

/// `backstop why ID --json` for an exercise never logged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UntestedView {
    /// Catalog id.
    pub exercise: String,
    /// Always `untested`.
    pub status: &'static str,
    /// Always empty: no session with it yet.
    pub evidence: Vec<ExposureView>,
}
