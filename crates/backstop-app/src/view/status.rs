//! Where a person stands, as `backstop status --json` and `GET /api/v1/status` give it: the tolerance ledger, the
//! causes and suspects, the check-ins owed, flares, red flags, alerts and the goal ladders.

use backstop_core::WeightUnit;
use backstop_core::engine::{Assessment, Cause, ExerciseLedger, FlareState, ProgressStep, Suspect};
use jiff::tz::TimeZone;
use serde::Serialize;

use super::{DoseView, LocalTime};

/// An enum's JSON name (its serde name: "tolerated", "red_flag"), for the views that carry it as text; "" for
/// anything that is not a plain name.
pub fn name_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The flare state (FL-1 … FL-3).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlareView {
    /// A flare-up is going on.
    pub active: bool,
    /// When it started.
    pub since: Option<LocalTime>,
    /// The person declared it (rather than it being read from their pain reports).
    pub declared: bool,
    /// The re-entry step after a flare (1 is the most cautious), while re-entering.
    pub reentry_step: Option<usize>,
    /// When re-entry began.
    pub reentry_since: Option<LocalTime>,
    /// Calm sessions each re-entry step needs (2 after a flare longer than 28 days, FL-3).
    pub reentry_calm_per_step: usize,
}

impl FlareView {
    /// The view of a flare state, times in `tz`.
    pub fn new(f: &FlareState, tz: &TimeZone) -> FlareView {
        FlareView {
            active: f.active,
            since: f.since.map(|t| LocalTime::new(t, tz)),
            declared: f.declared,
            reentry_step: f.reentry_step,
            reentry_since: f.reentry_since.map(|t| LocalTime::new(t, tz)),
            reentry_calm_per_step: f.reentry_calm_per_step,
        }
    }
}

/// One exercise in the tolerance ledger: its status, its next step and dose, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerView {
    /// Catalog id.
    pub exercise: String,
    /// `testing`, `tolerated`, `parked` or `provocative`.
    pub status: String,
    /// `green`, `amber`, `red`, or `null` before any verdict.
    pub last_verdict: Option<String>,
    /// `avoid`, `retest`, `regress`, `hold` or `progress`.
    pub next: String,
    /// The next dose; `null` when the next step is `avoid`.
    pub dose: Option<DoseView>,
    /// An easier exercise (after a red, while parked, for a retest) or the harder one it has earned.
    pub swap_to: Option<String>,
    /// When the next step is `progress`, which rung of the progression ladder: `set`, `amount`, `effort`, `load`
    /// or `harder` (PG-1 … PG-8).
    pub step: Option<String>,
    /// The effort ceiling (RPE) in force for it now (PG-3).
    pub effort_cap: f64,
    /// The harder option it has moved on to, which the planner uses instead.
    pub superseded_by: Option<String>,
    /// What parking and retests showed: `suspected`, `confirmed` or `cleared`.
    pub provocation: Option<String>,
    /// After a red on a rung of a goal ladder, the rung below to use for now.
    pub step_back: Option<String>,
    /// The rule behind the next step.
    pub rule: String,
    /// Why, with the numbers.
    pub reason: String,
    /// For a parked or provocative exercise, when its parking time ends.
    pub retest_from: Option<LocalTime>,
    /// Green, confirmed sessions counted towards tolerance.
    pub green_exposures: usize,
}

impl LedgerView {
    /// The view of a ledger entry, its dose worded in `unit` and times in `tz`.
    pub fn new(l: &ExerciseLedger, tz: &TimeZone, unit: WeightUnit) -> LedgerView {
        LedgerView {
            exercise: l.exercise.clone(),
            status: name_of(&l.status),
            last_verdict: l.last_verdict.map(|v| v.as_str().to_owned()),
            next: l.next.as_str().to_owned(),
            dose: l.dose.as_ref().map(|d| DoseView::new(d, unit)),
            swap_to: l.swap_to.clone(),
            step: l.step.map(|s| s.as_str().to_owned()),
            effort_cap: l.effort_cap,
            superseded_by: l.superseded_by.clone(),
            provocation: l.provocation.map(|p| name_of(&p)),
            step_back: l.step_back.clone(),
            rule: l.rule.to_string(),
            reason: l.reason.clone(),
            retest_from: l.retest_from.map(|t| LocalTime::new(t, tz)),
            green_exposures: l.green_exposures,
        }
    }
}

impl LedgerView {
    /// The next step in words, as a person reads it: "progress [one more working set] 3×10 @ 40 kg", "avoid (or
    /// bird-dog)", "progress 2×8 (move on to seated-cable-row)".
    pub fn next_in_words(&self) -> String {
        let dose = self
            .dose
            .as_ref()
            .map(|d| format!(" {}", d.text))
            .unwrap_or_default();
        let harder = self.moves_on();
        let swap = self
            .swap_to
            .as_ref()
            .map(|s| {
                if harder {
                    format!(" (move on to {s})")
                } else {
                    format!(" (or {s})")
                }
            })
            .unwrap_or_default();
        let step = self
            .step_in_words()
            .map(|w| format!(" [{w}]"))
            .unwrap_or_default();
        format!("{}{step}{dose}{swap}", self.next)
    }
}

impl LedgerView {
    /// The progression step in words ("one more working set"), unless it is the move to a harder exercise (which
    /// the swap says).
    pub fn step_in_words(&self) -> Option<&'static str> {
        self.step
            .as_deref()
            .filter(|s| *s != ProgressStep::Harder.as_str())
            .and_then(step_words)
    }

    /// It moves on to the harder option it has earned (`swap_to` names it), rather than to an easier one.
    pub fn moves_on(&self) -> bool {
        self.step.as_deref() == Some(ProgressStep::Harder.as_str())
    }
}

/// The words of a progression step, from its id.
fn step_words(id: &str) -> Option<&'static str> {
    [
        ProgressStep::Amount,
        ProgressStep::Set,
        ProgressStep::Effort,
        ProgressStep::Load,
        ProgressStep::Harder,
    ]
    .into_iter()
    .find(|s| s.as_str() == id)
    .map(ProgressStep::describe)
}

/// An exercise done only in sessions without any pain recorded (BK-9).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnratedView {
    /// Catalog id.
    pub exercise: String,
    /// Sessions it was in.
    pub sessions: usize,
    /// The last of them.
    pub last_at: LocalTime,
    /// What was done then, in words.
    pub last_dose: String,
}

/// An exercise named as a cause of pain, or parked for a red it carried (C6).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuspectView {
    /// Catalog id.
    pub exercise: String,
    /// 0 (no association) to 1 (strong).
    pub strength: f64,
    /// `weak`, `moderate` or `strong`.
    pub confidence: String,
    /// Red sessions that included it.
    pub red_with: usize,
    /// Settled sessions that included it.
    pub sessions_with: usize,
    /// Red sessions without it.
    pub red_without: usize,
    /// Settled sessions without it.
    pub sessions_without: usize,
    /// Red sessions in which it was the only change.
    pub lone_novelty_reds: usize,
    /// The numbers in words, and what they do and do not mean.
    pub evidence: String,
}

impl SuspectView {
    /// The view of a suspect.
    pub fn new(s: &Suspect) -> SuspectView {
        SuspectView {
            exercise: s.exercise.clone(),
            strength: s.strength,
            confidence: s.confidence.as_str().to_owned(),
            red_with: s.red_with,
            sessions_with: s.sessions_with,
            red_without: s.red_without,
            sessions_without: s.sessions_without,
            lone_novelty_reds: s.lone_novelty_reds,
            evidence: s.evidence.clone(),
        }
    }
}

/// A cause of pain named in the person's own history, at the level of an exercise, a movement pattern or a spinal
/// direction (CA-1 … CA-6).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CauseView {
    /// `exercise`, `pattern` or `direction`.
    pub level: String,
    /// The exercise id, pattern or direction.
    pub name: String,
    /// `weak`, `moderate` or `strong`; moderate and strong ones are held back by the planner.
    pub confidence: String,
    /// The combined statistic (about a z score).
    pub score: f64,
    /// Mean in-session pain rise during exposed exercise blocks (for a direction: any load on it).
    pub rise_with: Option<f64>,
    /// …during the other blocks.
    pub rise_without: Option<f64>,
    /// Exposed blocks with pain recorded.
    pub blocks_with: usize,
    /// The other blocks with pain recorded.
    pub blocks_without: usize,
    /// Mean next-morning pain above the usual after exposed sessions (for a direction: the heavier half).
    pub morning_with: Option<f64>,
    /// …after the others.
    pub morning_without: Option<f64>,
    /// Exposed settled sessions.
    pub sessions_with: usize,
    /// The other settled sessions.
    pub sessions_without: usize,
    /// Red sessions among the exposed ones.
    pub red_with: usize,
    /// Red sessions among the others.
    pub red_without: usize,
    /// One plain sentence: what the back seems to react to and what the planner does about it.
    pub headline: String,
    /// The numbers in words.
    pub evidence: String,
}

impl CauseView {
    /// The view of a named cause.
    pub fn new(c: &Cause) -> CauseView {
        CauseView {
            level: c.level.as_str().to_owned(),
            name: c.name.clone(),
            confidence: c.confidence.as_str().to_owned(),
            score: c.score,
            rise_with: c.rise_with,
            rise_without: c.rise_without,
            blocks_with: c.blocks_with,
            blocks_without: c.blocks_without,
            morning_with: c.morning_with,
            morning_without: c.morning_without,
            sessions_with: c.sessions_with,
            sessions_without: c.sessions_without,
            red_with: c.red_with,
            red_without: c.red_without,
            headline: c.headline(),
            evidence: c.evidence.clone(),
        }
    }
}

/// A check-in still wanted for a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueView {
    /// The session's start.
    pub session_at: LocalTime,
    /// `24h` (the next morning) or `48h` (the morning after).
    pub kind: String,
    /// From when a check-in counts.
    pub from: LocalTime,
    /// Until when it counts.
    pub until: LocalTime,
}

/// A movement direction's sensitivity, guessed or confirmed (ES-1).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SensitivityView {
    /// `flexion`, `extension`, `load` or `rotation`.
    pub category: String,
    /// `hypothesis`, `confirmed` or `dropped`.
    pub status: String,
    /// Sessions in which an exercise loading it was red.
    pub not_tolerated: usize,
    /// Confirmed green exposures to exercises loading it.
    pub tolerated: usize,
    /// One sentence with the numbers.
    pub evidence: String,
}

/// Morning pain and stiffness week over week (PM-6).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendView {
    /// Mean check-in pain over the last 7 days.
    pub pain_this_week: Option<f64>,
    /// …over the 7 days before.
    pub pain_last_week: Option<f64>,
    /// Mean morning stiffness over the last 7 days.
    pub stiffness_this_week: Option<f64>,
    /// …over the 7 days before.
    pub stiffness_last_week: Option<f64>,
    /// The larger of the two rises.
    pub rise: Option<f64>,
    /// No load progression this week.
    pub hold: bool,
    /// A deload week is suggested.
    pub deload: bool,
}

/// Training soreness holding some muscles back (DS-2).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SorenessView {
    /// The sore muscles.
    pub muscles: Vec<String>,
    /// The pain reported with it.
    pub pain: u8,
    /// Hard loading of them waits until then, unless a later check-in says it eased.
    pub until: LocalTime,
}

/// One flare-up (FL-6).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlareEpisodeView {
    /// Start.
    pub start: LocalTime,
    /// End (when re-entry began), `null` while it lasts.
    pub end: Option<LocalTime>,
    /// Declared by the person.
    pub declared: bool,
    /// The highest pain reported during it.
    pub peak_pain: Option<u8>,
    /// Its length in days so far.
    pub days: f64,
}

/// The open red-flag result, if any.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenScreenView {
    /// `soon`, `urgent` or `emergency`.
    pub urgency: String,
    /// What to do, in a few words ("See a clinician within 48 hours").
    pub headline: String,
    /// The answers behind it.
    pub because: Vec<String>,
    /// Only a recorded clearance lifts it (an emergency, or dark urine after training).
    pub until_clearance: bool,
}

/// Red flags as they stand (RF-1 … RF-5).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedFlagView {
    /// The open result, or `null`.
    pub open: Option<OpenScreenView>,
    /// When that screen was answered.
    pub since: Option<LocalTime>,
    /// Planning is paused now.
    pub blocks_training: bool,
    /// What to do, and what training does meanwhile, as things stand now; `null` without an open result.
    pub advice: Option<String>,
}

/// Something to act on, with the rule behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertView {
    /// Rule id.
    pub rule: String,
    /// What to do, in plain words.
    pub message: String,
}

/// The way from what the person does now to a goal lift (PG-8).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LadderView {
    /// The goal lift.
    pub goal: String,
    /// The rungs, easiest first, the goal last; empty when the equipment allows no way there.
    pub rungs: Vec<String>,
    /// Index of the rung the person is on; `null` before the first rung is started.
    pub position: Option<usize>,
    /// The goal lift is in use.
    pub reached: bool,
}

/// Where a person stands, as `backstop status --json` and `GET /api/v1/status` give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusView {
    /// The moment assessed.
    pub at: LocalTime,
    /// The flare state.
    pub flare: FlareView,
    /// The tolerance ledger: one entry per exercise done, in id order.
    pub exercises: Vec<LedgerView>,
    /// Exercises done only in sessions without pain recorded.
    pub unrated: Vec<UnratedView>,
    /// Exercises named as causes, and those parked for a red they carried, most confident first.
    pub suspects: Vec<SuspectView>,
    /// Causes named at every level, strongest first.
    pub causes: Vec<CauseView>,
    /// Check-ins still wanted.
    pub due_checkins: Vec<DueView>,
    /// Movement directions guessed or confirmed sensitive.
    pub sensitivities: Vec<SensitivityView>,
    /// Morning pain and stiffness week over week.
    pub trend: TrendView,
    /// Training soreness holding muscles back, or `null`.
    pub soreness: Option<SorenessView>,
    /// Every flare-up.
    pub flares: Vec<FlareEpisodeView>,
    /// Short spikes: one raised day that settled by the next check-in (FL-1).
    pub spikes: Vec<LocalTime>,
    /// Red flags as they stand.
    pub red_flags: RedFlagView,
    /// Things to act on.
    pub alerts: Vec<AlertView>,
    /// The ladder to each goal lift and the person's place on it.
    pub ladders: Vec<LadderView>,
    /// What a coach or clinician set and is in force (a pain ceiling, exercises not to plan, a note), newest
    /// first; empty when nobody did.
    pub care: Vec<CareView>,
}

/// A setting a coach or clinician made for the athlete, in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareView {
    /// Its id (to undo it).
    pub id: i64,
    /// `ceiling`, `not-planned` or `note`.
    pub kind: String,
    /// The ceiling (1–10), the exercise's id, or the note.
    pub value: String,
    /// The setting in words.
    pub words: String,
    /// Who set it.
    pub by: String,
    /// When.
    pub at: LocalTime,
}

impl CareView {
    /// The view of a setting, its time in `tz`, an exercise named from `catalog`.
    pub fn new(d: &crate::store::CareDirective, tz: &TimeZone, catalog: &backstop_core::Catalog) -> CareView {
        CareView {
            id: d.id,
            kind: d.kind.as_str().to_owned(),
            value: d.value.clone(),
            words: crate::accounts::care_in_words(d.kind, &d.value, catalog),
            by: d.by_name.clone(),
            at: LocalTime::new(d.at, tz),
        }
    }
}

impl StatusView {
    /// With the settings a coach or clinician made that are in force (`Context::care`).
    pub fn with_care(
        mut self,
        care: &[crate::store::CareDirective],
        tz: &TimeZone,
        catalog: &backstop_core::Catalog,
    ) -> StatusView {
        self.care = care.iter().map(|d| CareView::new(d, tz, catalog)).collect();
        self
    }

    /// The view of an assessment, times in `tz` and doses in `unit`.
    pub fn new(a: &Assessment, tz: &TimeZone, unit: WeightUnit) -> StatusView {
        let at = |t| LocalTime::new(t, tz);
        StatusView {
            at: at(a.now),
            flare: FlareView::new(&a.flare, tz),
            exercises: a.exercises.iter().map(|l| LedgerView::new(l, tz, unit)).collect(),
            unrated: a
                .unrated
                .iter()
                .map(|u| UnratedView {
                    exercise: u.exercise.clone(),
                    sessions: u.sessions,
                    last_at: at(u.last_at),
                    last_dose: u.last_dose.describe_done(unit),
                })
                .collect(),
            suspects: a.suspects.iter().map(SuspectView::new).collect(),
            causes: a.causes.iter().map(CauseView::new).collect(),
            due_checkins: a
                .due_checkins
                .iter()
                .map(|d| DueView {
                    session_at: at(d.session_at),
                    kind: name_of(&d.kind),
                    from: at(d.from),
                    until: at(d.until),
                })
                .collect(),
            sensitivities: a
                .sensitivities
                .iter()
                .map(|s| SensitivityView {
                    category: name_of(&s.category),
                    status: name_of(&s.status),
                    not_tolerated: s.not_tolerated,
                    tolerated: s.tolerated,
                    evidence: s.evidence.clone(),
                })
                .collect(),
            trend: TrendView {
                pain_this_week: a.trend.pain_this_week,
                pain_last_week: a.trend.pain_last_week,
                stiffness_this_week: a.trend.stiffness_this_week,
                stiffness_last_week: a.trend.stiffness_last_week,
                rise: a.trend.rise,
                hold: a.trend.hold,
                deload: a.trend.deload,
            },
            soreness: a.soreness.as_ref().map(|s| SorenessView {
                muscles: s.muscles.iter().map(name_of).collect(),
                pain: s.pain,
                until: at(s.until),
            }),
            flares: a
                .flares
                .iter()
                .map(|f| FlareEpisodeView {
                    start: at(f.start),
                    end: f.end.map(at),
                    declared: f.declared,
                    peak_pain: f.peak_pain,
                    days: f.days,
                })
                .collect(),
            spikes: a.spikes.iter().map(|t| at(*t)).collect(),
            red_flags: RedFlagView {
                open: a.red_flags.open.as_ref().map(|r| OpenScreenView {
                    urgency: r.urgency.as_str().to_owned(),
                    headline: r.headline().to_owned(),
                    because: r.because.clone(),
                    until_clearance: r.until_clearance,
                }),
                since: a.red_flags.since.map(at),
                blocks_training: a.red_flags.blocks_training,
                advice: a.red_flags.advice(),
            },
            alerts: a
                .alerts
                .iter()
                .map(|x| AlertView {
                    rule: x.rule.to_string(),
                    message: x.message.clone(),
                })
                .collect(),
            ladders: a
                .ladders
                .iter()
                .map(|l| LadderView {
                    goal: l.goal.clone(),
                    rungs: l.rungs.clone(),
                    position: l.position,
                    reached: l.reached(),
                })
                .collect(),
            care: Vec::new(),
        }
    }
}
