//! What a person or a script reads, one type per idea: the CLI prints these as its `--json`, the API returns them
//! (with the `openapi` feature their schemas come from the same types), so the two give the same document for the
//! same idea. Times are [`LocalTime`]: RFC 3339 in the profile's time zone.
//!
//! Every `--json` document is one of these: plans (a day and a week), sessions (history), where a person stands
//! (status, `why`), a check-in's result, the load report, the settings table, the import report, the triage, and
//! what a command recorded or wrote. A CI step checks that no JSON is built by hand (`json!`) outside this module
//! and the tests.

mod checkin;
mod load;
mod records;
mod roster;
mod status;

pub use checkin::{
    CheckInResultView, ExerciseVerdictView, NoveltyView, RecordedCheckInView, VerdictView, settled,
};
pub use load::{AcwrView, DayLoadView, LoadReportView, WeekLoadView};
pub use records::{
    CatalogEntryView, CheckView, ClearanceView, DoctorView, ExposureView, FlareMarkView, InitView,
    LoggedView, RedFlagResultView, RestoreView, ScreenView, UntestedView, WhyView, WrittenView,
};
pub use roster::RosterEntryView;
pub use status::{
    AlertView, CareView, CauseView, DueView, FlareEpisodeView, FlareView, LadderView, LedgerView,
    OpenScreenView, RedFlagView, SensitivityView, SorenessView, StatusView, SuspectView, TrendView,
    UnratedView, name_of,
};

use backstop_core::WeightUnit;
use backstop_core::catalog::Catalog;
use backstop_core::document::SetDoc;
use backstop_core::engine::{SessionVerdict, Settings, VerdictStatus};
use backstop_core::plan::Mode;
use backstop_core::vocab::Weekday;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;
use serde_json::Value;

/// A moment as people read it: in the profile's time zone, serialised as RFC 3339 with that zone's offset at that
/// moment ("2026-11-20T18:00:00+00:00"). Front ends take the date, the clock time or the instant from it rather
/// than cutting or parsing the text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
pub struct LocalTime(jiff::ZonedDateTime);

impl LocalTime {
    /// `at` in the zone `tz`.
    pub fn new(at: Timestamp, tz: &TimeZone) -> LocalTime {
        LocalTime(at.to_zoned_datetime(tz.clone()))
    }

    /// The instant.
    pub fn timestamp(&self) -> Timestamp {
        self.0.timestamp()
    }

    /// The civil date there ("2026-11-20").
    pub fn date(&self) -> jiff::civil::Date {
        self.0.date()
    }

    /// The clock time there, to the minute ("18:00").
    pub fn clock(&self) -> String {
        self.0.strftime("%H:%M").to_string()
    }

    /// Date and clock time as people read them ("2026-11-20 18:00"), the way every page and CLI line shows a
    /// moment.
    pub fn minute(&self) -> String {
        self.0.strftime("%Y-%m-%d %H:%M").to_string()
    }
}

impl std::fmt::Display for LocalTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The one RFC 3339 layout every JSON time uses.
        f.write_str(&backstop_core::time::format_rfc3339(
            self.0.timestamp(),
            self.0.time_zone(),
        ))
    }
}

impl Serialize for LocalTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One threshold of the engine, as `backstop settings --json` and `GET /api/v1/settings` show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingView {
    /// Its name (a `Settings` field).
    pub name: String,
    /// Its value now.
    pub value: Value,
    /// Its default.
    pub default: Value,
    /// The evidence behind the default: A guideline or trial, B study, C clinical convention, D backstop's own
    /// default; combinations say which part rests on which.
    pub evidence: String,
    /// The rules it belongs to ("PM-7, LM-5"), as in `docs/rules.md`.
    pub rule: String,
    /// Whether the value is the default.
    pub is_default: bool,
}

/// Every threshold, in the settings table's order.
pub fn settings(s: &Settings) -> Vec<SettingView> {
    crate::settings::rows(s)
        .into_iter()
        .map(|r| SettingView {
            rule: r.rule(),
            is_default: r.is_default(),
            name: r.name.to_owned(),
            value: r.value,
            default: r.default,
            evidence: r.basis.to_owned(),
        })
        .collect()
}

/// A row of an import that did not become a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkippedView {
    /// Its line in the file (the header is line 1).
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// What an import read and stored, as `backstop import --json` and `POST /api/v1/import` report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportView {
    /// The layout read: `strong`, `strong6`, `strong-android`, `hevy` or `fitnotes`.
    pub format: String,
    /// Data rows read (the header and blank lines not counted).
    pub rows: u64,
    /// Workouts in the file.
    pub sessions_in_file: usize,
    /// Sets in the file.
    pub sets_in_file: usize,
    /// Workouts stored.
    pub sessions_added: usize,
    /// Sets stored.
    pub sets_added: usize,
    /// Workouts imported before: replaced by the file's version, not added twice.
    pub duplicates_replaced: usize,
    /// Exercises of the person's own created for names that matched nothing in the catalog.
    pub exercises_added: usize,
    /// Strong's rest-timer rows, which are rests rather than sets (counted, not listed).
    pub rest_timer_rows: u64,
    /// Rows that did not become sets, with the reason.
    pub skipped: Vec<SkippedView>,
    /// Names that matched no catalog exercise.
    pub unmapped_exercises: Vec<String>,
    /// Start of the oldest workout in the file.
    pub first: Option<LocalTime>,
    /// Start of the newest workout in the file.
    pub last: Option<LocalTime>,
    /// Remarks: values left out, units assumed, mapping entries ignored.
    pub notes: Vec<String>,
}

impl ImportView {
    /// The view of an import's report and what storing it did, with times in `tz`.
    pub fn new(
        report: &backstop_import::ImportReport,
        outcome: &crate::store::ImportOutcome,
        tz: &TimeZone,
    ) -> ImportView {
        ImportView {
            format: report.format.clone(),
            rows: report.rows,
            sessions_in_file: report.sessions,
            sets_in_file: report.sets,
            sessions_added: outcome.sessions_added,
            sets_added: outcome.sets_added,
            duplicates_replaced: outcome.duplicates,
            exercises_added: outcome.exercises_added,
            rest_timer_rows: report.rest_timer_rows,
            skipped: report
                .skipped
                .iter()
                .map(|s| SkippedView {
                    line: s.line,
                    reason: s.reason.clone(),
                })
                .collect(),
            unmapped_exercises: report.unmapped_exercises.clone(),
            first: report.first.map(|t| LocalTime::new(t, tz)),
            last: report.last.map(|t| LocalTime::new(t, tz)),
            notes: report.notes.clone(),
        }
    }
}

/// A triage's outcome (DS-1 … DS-4, C10), as `backstop triage --json` and `POST /api/v1/triage` give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageView {
    /// `soreness`, `pain`, `nerve` or `red_flag`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub classification: backstop_core::triage::Classification,
    /// How soon to see a clinician (`soon`, `urgent`, `emergency`), or null.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub urgency: Option<backstop_core::redflags::Urgency>,
    /// The answers that decided it.
    pub because: Vec<String>,
    /// What to do, in plain words.
    pub advice: String,
    /// The questions left unanswered: red-flag answers act on their own, and the rest of the triage still needs
    /// these; empty when every question was answered.
    pub missing: Vec<String>,
}

impl TriageView {
    /// The view of a triage result and the questions it left unanswered.
    pub fn new(r: backstop_core::triage::TriageResult, missing: Vec<String>) -> TriageView {
        TriageView {
            classification: r.classification,
            urgency: r.urgency,
            because: r.because,
            advice: r.advice,
            missing,
        }
    }
}

/// A dose as a plan prescribes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DoseView {
    /// Working sets.
    pub sets: u32,
    /// Reps per set, for a counted exercise.
    pub reps: Option<u32>,
    /// Seconds per set, for a hold.
    pub seconds: Option<u32>,
    /// Metres per set, for a carry.
    pub metres: Option<u32>,
    /// Load in kilograms, `null` without a load (both units are always given).
    pub load_kg: Option<f64>,
    /// Load in pounds.
    pub load_lb: Option<f64>,
    /// The effort not to go above (RPE), or `null`.
    pub target_rpe: Option<f64>,
    /// The dose in words, in the profile's unit ("3×9 @ 45 kg (RPE ≤ 8)").
    pub text: String,
}

impl DoseView {
    /// The view of a prescription, worded in `unit`.
    pub fn new(d: &backstop_core::engine::Prescription, unit: WeightUnit) -> DoseView {
        DoseView {
            sets: d.sets,
            reps: d.reps,
            seconds: d.seconds,
            metres: d.metres,
            load_kg: d.load.map(|l| l.in_unit(WeightUnit::Kg)),
            load_lb: d.load.map(|l| l.in_unit(WeightUnit::Lb)),
            target_rpe: d.target_rpe,
            text: d.describe(unit),
        }
    }

    /// The load in `unit`, if any.
    pub fn load_in(&self, unit: WeightUnit) -> Option<f64> {
        match unit {
            WeightUnit::Kg => self.load_kg,
            WeightUnit::Lb => self.load_lb,
        }
    }
}

/// One exercise of a planned session.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanItemView {
    /// Catalog id.
    pub exercise: String,
    /// Its name.
    pub name: String,
    /// The slot it fills (`warm-up`, `horizontal-pull`, …).
    pub slot: String,
    /// The dose.
    pub dose: DoseView,
    /// Rest between sets, in seconds (0 for warm-up drills and walking).
    pub rest_seconds: u32,
    /// Its estimated length in minutes, rests included.
    pub minutes: f64,
    /// The session's one change (C5); at most one item.
    pub novelty: bool,
    /// That change is the planned retest of a parked exercise (C6).
    pub retest: bool,
    /// Why it is here, at this dose.
    pub reasons: Vec<String>,
    /// The catalog's coaching cues.
    pub cues: Vec<String>,
    /// The catalog's common faults.
    pub faults: Vec<String>,
}

/// A planned session, as `backstop plan --json` and `GET /api/v1/plan` give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanView {
    /// The training day (YYYY-MM-DD).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub date: jiff::civil::Date,
    /// `train`, `recovery`, `flare` or `blocked` (then `items` is empty and the notes say why).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub mode: Mode,
    /// The sum of the items' minutes.
    pub estimated_minutes: f64,
    /// The exercises in the order to do them, the warm-up first.
    pub items: Vec<PlanItemView>,
    /// Session-level notes.
    pub notes: Vec<String>,
}

impl PlanView {
    /// The view of a plan, its doses worded in `unit`.
    pub fn new(p: &backstop_core::plan::Plan, unit: WeightUnit) -> PlanView {
        PlanView {
            date: p.date,
            mode: p.mode,
            estimated_minutes: p.estimated_minutes,
            items: p
                .items
                .iter()
                .map(|i| PlanItemView {
                    exercise: i.exercise.clone(),
                    name: i.name.clone(),
                    slot: i.slot.to_owned(),
                    dose: DoseView::new(&i.dose, unit),
                    rest_seconds: i.rest_seconds,
                    minutes: i.minutes,
                    novelty: i.novelty,
                    retest: i.retest,
                    reasons: i.reasons.clone(),
                    cues: i.cues.clone(),
                    faults: i.faults.clone(),
                })
                .collect(),
            notes: p.notes.clone(),
        }
    }
}

/// One day of a planned week.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekDayView {
    /// The day (YYYY-MM-DD).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub date: jiff::civil::Date,
    /// `mon` … `sun`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub weekday: Weekday,
    /// The session planned for it: on a training day from today on; `null` on rest days and past days.
    pub plan: Option<PlanView>,
    /// The plan holds heavy hinge or axial work, which stays 48 hours apart (LM-6).
    pub heavy: bool,
    /// A morning check-in is due about the session of the day before.
    pub checkin_due: bool,
}

/// A planned week, Monday to Sunday, as `backstop plan --week --json` and `GET /api/v1/plan/week` give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekPlanView {
    /// The Monday (YYYY-MM-DD).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub week_start: jiff::civil::Date,
    /// Seven days.
    pub days: Vec<WeekDayView>,
}

impl WeekPlanView {
    /// The view of a week's plans, doses worded in `unit`; `catalog` tells which plans hold heavy work.
    pub fn new(w: &backstop_core::plan::WeekPlan, catalog: &Catalog, unit: WeightUnit) -> WeekPlanView {
        let mut yesterday_trained = false;
        let days = w
            .days
            .iter()
            .map(|(d, p)| {
                let day = WeekDayView {
                    date: *d,
                    weekday: Weekday::ALL[d.weekday().to_monday_zero_offset() as usize],
                    plan: p.as_ref().map(|p| PlanView::new(p, unit)),
                    heavy: p.as_ref().is_some_and(|p| p.is_heavy(catalog)),
                    checkin_due: yesterday_trained,
                };
                // A blocked day holds no session, so nothing to check in about the next morning.
                yesterday_trained = p.as_ref().is_some_and(|p| p.mode != Mode::Blocked);
                day
            })
            .collect();
        WeekPlanView {
            week_start: w.week_start,
            days,
        }
    }
}

/// One logged set, as `history --json` and the API's sessions show it (the session document's layout; the load in
/// the profile's unit).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetView {
    /// Catalog id.
    pub exercise: String,
    /// Reps, for a counted exercise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    /// Seconds, for a hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<u32>,
    /// Metres, for a carry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metres: Option<u32>,
    /// Load in kilograms, when the profile's unit is kg.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_kg: Option<f64>,
    /// Load in pounds, when the profile's unit is lb.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_lb: Option<f64>,
    /// Effort, 1–10 in halves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpe: Option<f64>,
    /// Pain during the set, 0–10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pain: Option<u8>,
    /// Where it was felt: `target`, `back` or `leg`.
    pub felt: String,
    /// Form broke down.
    pub form_breakdown: bool,
    /// `normal`, `warmup`, `drop` or `failure`.
    pub kind: String,
}

impl SetView {
    /// The view of a set in the session document's layout.
    pub fn new(d: &SetDoc) -> SetView {
        SetView {
            exercise: d.exercise.clone(),
            reps: d.reps,
            seconds: d.seconds,
            metres: d.metres,
            load_kg: d.load_kg,
            load_lb: d.load_lb,
            rpe: d.rpe.map(|r| r.value()),
            pain: d.pain.map(|p| p.value()),
            felt: d.felt.as_str().to_owned(),
            form_breakdown: d.form_breakdown,
            kind: d.kind.as_str().to_owned(),
        }
    }
}

/// A check-in given after a session (and before the next one, up to 72 hours after).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInView {
    /// When.
    pub at: LocalTime,
    /// Hours after the session started.
    pub hours_after: f64,
    /// Pain, 0–10.
    pub pain: u8,
    /// Morning stiffness, 0–10, when given.
    pub stiffness: Option<u8>,
    /// Muscle soreness from training.
    pub muscle_soreness: bool,
    /// Pain in the leg.
    pub leg_pain: bool,
    /// Numbness.
    pub numbness: bool,
    /// Weakness.
    pub weakness: bool,
}

/// A logged session with its verdict and the check-ins about it, as `backstop history --json` and the API's
/// sessions give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    /// Storage id (to correct or delete a set of it).
    pub id: i64,
    /// When it started.
    pub at: LocalTime,
    /// The training day (YYYY-MM-DD, in the profile's zone).
    pub date: String,
    /// Pain before, 0–10.
    pub pain_before: Option<u8>,
    /// Length in minutes.
    pub minutes: Option<u16>,
    /// Session RPE.
    pub session_rpe: Option<f64>,
    /// The sets in order.
    pub sets: Vec<SetView>,
    /// The session's verdict: `green`, `amber`, `red`, `pending` or `unrated` (no pain recorded).
    pub verdict: String,
    /// Why, with the rule id; empty while nothing is judged.
    pub reason: String,
    /// Check-ins about it: given after it and before the next session, up to 72 hours after (`[]` outside
    /// `history`).
    pub checkins: Vec<CheckInView>,
}

/// A session verdict in one word: `green`, `amber`, `red`, `pending`, or `unrated` when no pain was recorded.
pub fn verdict_word(v: Option<&SessionVerdict>) -> &'static str {
    match v {
        Some(v) if v.status == VerdictStatus::Unrated => "unrated",
        v => v.and_then(|v| v.verdict).map_or("pending", |x| x.as_str()),
    }
}

impl SessionView {
    /// The view of a history entry and its verdict (`None` before the engine has seen it).
    pub fn new(e: &crate::HistoryEntry, v: Option<&SessionVerdict>) -> SessionView {
        SessionView {
            id: e.id,
            at: e.at.clone(),
            date: e.date.clone(),
            pain_before: e.pain_before.map(|p| p.value()),
            minutes: e.minutes.map(|m| m.get()),
            session_rpe: e.session_rpe.map(|r| r.value()),
            sets: e.sets.iter().map(SetView::new).collect(),
            verdict: verdict_word(v).to_owned(),
            reason: v
                .map(|v| format!("{} ({})", v.reason, v.rule))
                .unwrap_or_default(),
            checkins: e
                .checkins
                .iter()
                .map(|c| CheckInView {
                    at: c.at.clone(),
                    hours_after: c.hours_after,
                    pain: c.pain.value(),
                    stiffness: c.stiffness.map(|s| s.get()),
                    muscle_soreness: c.muscle_soreness,
                    leg_pain: c.leg_pain,
                    numbness: c.numbness,
                    weakness: c.weakness,
                })
                .collect(),
        }
    }

    /// The view of a stored session, without its check-ins, times in `tz` and loads in `unit`.
    pub fn stored(
        s: &crate::store::StoredSession,
        tz: &TimeZone,
        unit: WeightUnit,
        v: Option<&SessionVerdict>,
    ) -> SessionView {
        let at = LocalTime::new(s.session.at, tz);
        let entry = crate::HistoryEntry {
            id: s.id,
            date: at.date().to_string(),
            at,
            pain_before: s.session.pain_before,
            minutes: s.session.minutes,
            session_rpe: s.session.session_rpe,
            sets: s
                .session
                .sets
                .iter()
                .map(|x| SetDoc::from_entry(x, unit))
                .collect(),
            checkins: Vec::new(),
        };
        SessionView::new(&entry, v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use backstop_core::engine::ProgressStep;

    #[test]
    fn settings_say_their_evidence_rule_and_whether_changed() {
        let changed = Settings {
            ceiling_max: 4,
            ..Settings::default()
        };
        let rows = settings(&changed);
        let ceiling = rows.iter().find(|r| r.name == "ceiling_max").unwrap();
        assert_eq!(
            (ceiling.value.clone(), ceiling.default.clone()),
            (4.into(), 5.into())
        );
        assert!(!ceiling.is_default);
        assert_eq!((ceiling.evidence.as_str(), ceiling.rule.as_str()), ("A", "PM-2"));
        let step = rows.iter().find(|r| r.name == "load_step_pct").unwrap();
        assert_eq!(step.rule, "PM-7, LM-5");
        assert!(step.is_default);
        assert_eq!(rows.len(), backstop_core::engine::settings::FIELDS.len());
    }

    #[test]
    fn a_verdicts_word_tells_unrated_from_pending() {
        let at: Timestamp = "2026-07-01T17:00:00Z".parse().unwrap();
        let v = |verdict: Option<&str>, status: &str| VerdictView {
            session_at: LocalTime::new(at, &TimeZone::UTC),
            verdict: verdict.map(str::to_owned),
            status: status.into(),
            rule: "PM-5".into(),
            reason: String::new(),
            ceiling: 5,
            awaiting: Vec::new(),
            novelties: Vec::new(),
            exercises: Vec::new(),
        };
        assert_eq!(v(None, "pending").word(), "pending");
        assert_eq!(v(None, "unrated").word(), "unrated");
        assert_eq!(v(Some("red"), "confirmed").word(), "red");
        assert_eq!(v(Some("amber"), "unconfirmed").word(), "amber");
        // The status names are the engine's own.
        assert_eq!(name_of(&VerdictStatus::Unrated), "unrated");
        assert_eq!(name_of(&VerdictStatus::Unconfirmed), "unconfirmed");
    }

    #[test]
    fn a_ledger_step_is_worded_unless_it_is_the_move_to_a_harder_exercise() {
        let ledger = |step: Option<ProgressStep>| LedgerView {
            exercise: "chest-supported-row".into(),
            status: "tolerated".into(),
            last_verdict: Some("green".into()),
            next: "progress".into(),
            dose: None,
            swap_to: step
                .filter(|s| *s == ProgressStep::Harder)
                .map(|_| "seated-cable-row".into()),
            step: step.map(|s| s.as_str().to_owned()),
            effort_cap: 7.0,
            superseded_by: None,
            provocation: None,
            step_back: None,
            rule: "PG-1".into(),
            reason: String::new(),
            retest_from: None,
            green_exposures: 4,
        };
        let set = ledger(Some(ProgressStep::Set));
        assert_eq!(set.step_in_words(), Some(ProgressStep::Set.describe()));
        assert!(!set.moves_on());
        let harder = ledger(Some(ProgressStep::Harder));
        assert_eq!(harder.step_in_words(), None);
        assert!(harder.moves_on());
        assert_eq!(harder.next_in_words(), "progress (move on to seated-cable-row)");
        assert_eq!(ledger(None).step_in_words(), None);
    }

    #[test]
    fn a_dose_gives_its_load_in_either_unit() {
        let d = DoseView {
            sets: 3,
            reps: Some(8),
            seconds: None,
            metres: None,
            load_kg: Some(40.0),
            load_lb: Some(88.2),
            target_rpe: Some(7.0),
            text: String::new(),
        };
        assert_eq!(d.load_in(WeightUnit::Kg), Some(40.0));
        assert_eq!(d.load_in(WeightUnit::Lb), Some(88.2));
    }

    #[test]
    fn a_local_time_carries_the_zones_offset() {
        let at: Timestamp = "2026-07-01T17:00:00Z".parse().unwrap();
        let tz = TimeZone::get("Europe/London").unwrap();
        let local = LocalTime::new(at, &tz);
        assert_eq!(local.to_string(), "2026-07-01T18:00:00+01:00");
        assert_eq!(
            (local.date().to_string(), local.clock()),
            ("2026-07-01".into(), "18:00".into())
        );
        assert_eq!(local.timestamp(), at);
        assert_eq!(local.minute(), "2026-07-01 18:00");
        assert_eq!(local.minute(), backstop_core::time::format_local(at, &tz));
        // The text is the one every JSON time had before the type existed.
        assert_eq!(local.to_string(), backstop_core::time::format_rfc3339(at, &tz));
        assert_eq!(
            serde_json::to_string(&LocalTime::new(at, &TimeZone::UTC)).unwrap(),
            "\"2026-07-01T17:00:00+00:00\""
        );
    }
}
