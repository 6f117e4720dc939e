//! Facts: what the person told us. Storage keeps these and nothing else; every status, verdict and plan is
//! derived from them by the core.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::redflags::RedFlag;
use crate::units::{Load, Metres, Minutes, Pain, Reps, Rpe, Seconds, Stiffness, WeightUnit};
use crate::vocab::{Aggravator, Equipment, Weekday};

/// A person's training profile. Each change is stored as a new version; the newest applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The unit loads are shown and entered in.
    pub units: WeightUnit,
    /// IANA time zone name; training days are civil dates in this zone.
    pub time_zone: String,
    /// Equipment available (bodyweight is always available).
    pub equipment: Vec<Equipment>,
    /// Days available for training.
    pub days: Vec<Weekday>,
    /// Minutes available per session.
    pub minutes: Minutes,
    /// Usual pain on an ordinary day (0–10).
    pub baseline_pain: Pain,
    /// What makes the back worse.
    pub aggravators: Vec<Aggravator>,
    /// Years of resistance training, if given (0–`MAX_TRAINING_YEARS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_years: Option<u8>,
    /// The engine's thresholds for this person (defaults unless a clinician or the person changed them).
    #[serde(default)]
    pub settings: crate::engine::Settings,
    /// The lifts the person wants to work back to (catalog ids), climbed to one rung at a time (PG-8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goal_lifts: Vec<String>,
    /// Leg symptoms that are usual and stable for this person, and how far down they reach. Leg pain logged within
    /// that reach is their usual and does not turn a session red; spreading further, numbness or weakness does
    /// (PM-4, May & Aina 2012).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usual_leg_symptoms: Option<LegReach>,
    /// Exercises (catalog ids) the planner leaves out because a coach or clinician asked it to: not the person's
    /// own profile answers, so never stored with a profile version; filled in from the care settings in force.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_planned: Vec<String>,
}

/// The equipment of a typical commercial gym: what a terminal or a form offers a new lifter (each can change it).
pub const COMMERCIAL_GYM: [Equipment; 7] = [
    Equipment::Barbell,
    Equipment::Dumbbell,
    Equipment::Kettlebell,
    Equipment::Cable,
    Equipment::Machine,
    Equipment::Bench,
    Equipment::PullUpBar,
];

impl Profile {
    /// The one default profile of every front end: what a new profile holds for any answer not given — kilograms,
    /// Monday, Wednesday and Friday, 45 minutes, usual pain 0, bodyweight only, no aggravators or goal lifts, the
    /// default settings — in `time_zone` (the machine's zone for the CLI, UTC for the server until one is chosen).
    pub fn starting(time_zone: impl Into<String>) -> Profile {
        Profile {
            units: WeightUnit::Kg,
            time_zone: time_zone.into(),
            equipment: Vec::new(),
            days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
            minutes: Minutes::new(45).unwrap_or_else(|_| unreachable!("45 is within 1–600")),
            baseline_pain: Pain::ZERO,
            aggravators: Vec::new(),
            training_years: None,
            settings: Default::default(),
            goal_lifts: Vec::new(),
            usual_leg_symptoms: None,
            not_planned: Vec::new(),
        }
    }

    /// What a terminal's questions and the web's first form offer a new lifter, every answer changeable: the
    /// starting profile with a commercial gym's equipment and an hour a session.
    pub fn offered(time_zone: impl Into<String>) -> Profile {
        Profile {
            equipment: COMMERCIAL_GYM.to_vec(),
            minutes: Minutes::new(60).unwrap_or_else(|_| unreachable!("60 is within 1–600")),
            ..Profile::starting(time_zone)
        }
    }

    /// A session's in-session pain ceiling (PM-2) under this profile's settings, from the pain before it; the usual
    /// pain stands in when none was given (as the engine's verdict does). The front ends take the ceiling they show
    /// from here.
    pub fn session_ceiling(&self, pain_before: Option<Pain>) -> u8 {
        self.settings
            .ceiling(pain_before.map_or(self.baseline_pain.value(), Pain::value))
    }
}

/// The most years of training a profile can state: a lifetime.
pub const MAX_TRAINING_YEARS: u8 = 80;

/// How far down the leg symptoms reach, from the buttock to below the knee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LegReach {
    /// The buttock.
    Buttock,
    /// The thigh, above the knee.
    Thigh,
    /// Below the knee.
    BelowKnee,
}

impl LegReach {
    /// Every reach, nearest the spine first.
    pub const ALL: [LegReach; 3] = [LegReach::Buttock, LegReach::Thigh, LegReach::BelowKnee];

    /// The name used in flags, JSON and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            LegReach::Buttock => "buttock",
            LegReach::Thigh => "thigh",
            LegReach::BelowKnee => "below-knee",
        }
    }
}

impl std::str::FromStr for LegReach {
    type Err = crate::vocab::UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LegReach::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| crate::vocab::UnknownName {
                kind: "leg reach",
                given: s.trim().to_owned(),
                accepted: LegReach::ALL.iter().map(|r| r.as_str()).collect(),
            })
    }
}

/// Where a set was felt when it was not only in the target muscles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Felt {
    /// In the muscles the exercise trains.
    #[default]
    Target,
    /// In the back.
    Back,
    /// Into the leg (PM-4: stops the exercise whatever the score).
    Leg,
}

impl Felt {
    /// The name used in JSON and the notation.
    pub fn as_str(self) -> &'static str {
        match self {
            Felt::Target => "target",
            Felt::Back => "back",
            Felt::Leg => "leg",
        }
    }
}

/// How much of an exercise one set held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dose {
    /// Repetitions.
    Reps(Reps),
    /// A hold or activity in seconds.
    Seconds(Seconds),
    /// A carry or walk in metres.
    Metres(Metres),
}

/// What kind of set it was (imports keep what the other app recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SetKind {
    /// A working set.
    #[default]
    Normal,
    /// A warm-up set: kept, but not counted as dose, novelty or load.
    Warmup,
    /// A drop set.
    Drop,
    /// A set taken to failure.
    Failure,
}

impl SetKind {
    /// The name used in storage and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SetKind::Normal => "normal",
            SetKind::Warmup => "warmup",
            SetKind::Drop => "drop",
            SetKind::Failure => "failure",
        }
    }

    /// Whether this is the default (for skipping it in JSON).
    pub fn is_normal(&self) -> bool {
        *self == SetKind::Normal
    }
}

/// One set as it was done.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SetEntry {
    /// Catalog id of the exercise.
    pub exercise: String,
    /// Reps, seconds or metres.
    pub dose: Dose,
    /// External load, if any.
    pub load: Option<Load>,
    /// Effort of the set.
    pub rpe: Option<Rpe>,
    /// Pain during or right after the set (PM-1).
    pub pain: Option<Pain>,
    /// Where it was felt.
    pub felt: Felt,
    /// Form broke down during the set.
    pub form_breakdown: bool,
    /// Working, warm-up, drop or failure set.
    pub kind: SetKind,
}

/// The most sets one session may hold: a long, full session is well under a hundred; a million-set document (or a
/// runaway script) would slow every later read of the history.
pub const MAX_SETS_PER_SESSION: usize = 300;

/// A training session and its sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// When it started (UTC).
    pub at: Timestamp,
    /// Pain before starting (P0).
    pub pain_before: Option<Pain>,
    /// Length in minutes.
    pub minutes: Option<Minutes>,
    /// Session RPE, asked at the end (LM-1).
    pub session_rpe: Option<Rpe>,
    /// The sets in the order they were done.
    pub sets: Vec<SetEntry>,
    /// Notes (from an imported workout).
    pub notes: Option<String>,
    /// Where an imported session came from ("strong:…"); re-importing the same source adds nothing.
    pub source: Option<String>,
}

/// A check-in: pain now, usually the morning after (about 24 h) and two days after (about 48 h) a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckIn {
    /// When it was given (UTC).
    pub at: Timestamp,
    /// Pain now.
    pub pain: Pain,
    /// Morning stiffness, 0–10.
    pub stiffness: Option<Stiffness>,
    /// The ache is in the muscles trained and eases with movement (DOMS, DS-2).
    pub muscle_soreness: bool,
    /// Pain spreading into the leg.
    pub leg_pain: bool,
    /// Numbness or pins and needles.
    pub numbness: bool,
    /// New weakness.
    pub weakness: bool,
    /// How far down the leg the leg pain reached, when given (compared with the usual reach, PM-4).
    pub leg_reach: Option<LegReach>,
}

impl CheckIn {
    /// Any leg or nerve symptom (PM-4, RF-4).
    pub fn has_leg_symptoms(&self) -> bool {
        self.leg_pain || self.numbness || self.weakness
    }

    /// Leg symptoms that are new for this person (PM-4): numbness or weakness always; leg pain unless it stayed
    /// within the reach of their usual, stable leg symptoms. Leg pain without a reach counts as new: backstop
    /// cannot tell it is the usual.
    pub fn has_new_leg_symptoms(&self, usual: Option<LegReach>) -> bool {
        self.numbness
            || self.weakness
            || (self.leg_pain && usual.zip(self.leg_reach).is_none_or(|(u, r)| r > u))
    }

    /// Marked as training soreness, with no leg symptoms (DS-2): it speaks for the trained muscles, not the back.
    pub fn is_soreness(&self) -> bool {
        self.muscle_soreness && !self.has_leg_symptoms()
    }
}

/// Why the red-flag questions were asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScreeningContext {
    /// At onboarding.
    Onboarding,
    /// At the start of a flare-up.
    Flare,
    /// Because leg symptoms were logged (RF-4).
    LegSymptoms,
    /// From the soreness-or-pain triage.
    Triage,
    /// Asked again by the person.
    Recheck,
}

impl ScreeningContext {
    /// The name used in storage and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ScreeningContext::Onboarding => "onboarding",
            ScreeningContext::Flare => "flare",
            ScreeningContext::LegSymptoms => "leg-symptoms",
            ScreeningContext::Triage => "triage",
            ScreeningContext::Recheck => "recheck",
        }
    }
}

/// The answers to one red-flag screen: the flags the person said yes to (empty means "none").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screening {
    /// When it was answered.
    pub at: Timestamp,
    /// Why it was asked.
    pub context: ScreeningContext,
    /// The flags answered yes.
    pub flags: Vec<RedFlag>,
}

/// The person declared the start or the end of a flare-up (FL-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlareMark {
    /// "I'm having a flare."
    Start,
    /// "The flare is over."
    End,
}

/// A declared flare start or end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlareEvent {
    /// When.
    pub at: Timestamp,
    /// Start or end.
    pub mark: FlareMark,
}

/// Answers to the soreness-or-pain triage (C10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageRecord {
    /// When it was answered.
    pub at: Timestamp,
    /// The answers.
    pub answers: crate::triage::TriageAnswers,
}

/// A clinician cleared the person to train after a red flag (RF-2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clearance {
    /// When the clearance was recorded.
    pub at: Timestamp,
    /// What the person wrote about it.
    pub note: Option<String>,
}
