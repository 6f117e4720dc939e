//! The export format: every fact a person has stored, as one JSON document that `import --backup` restores
//! exactly (loads in grams, instants in UTC with their full precision).

use backstop_core::facts::ScreeningContext;
use backstop_core::redflags::RedFlag;
use backstop_core::{
    CheckIn, Clearance, Dose, Exercise, Felt, FlareEvent, FlareMark, Load, Metres, Minutes, Pain, Profile,
    Reps, Rpe, Screening, Seconds, Session, SetEntry, SetKind, Stiffness, UnitError,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::store::{CustomExercise, ProfileVersion, StoredCheckIn, StoredSession};

/// The value of `format` in every export.
pub const FORMAT: &str = "backstop-export";
/// The current version of the export format.
pub const VERSION: u32 = 1;

/// Everything stored for one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// Always "backstop-export".
    pub format: String,
    /// Format version (1).
    pub version: u32,
    /// When the export was made.
    pub exported_at: Timestamp,
    /// Profile versions, oldest first.
    pub profiles: Vec<BackupProfile>,
    /// Red-flag screens.
    pub screenings: Vec<BackupScreening>,
    /// The person's own exercises.
    pub custom_exercises: Vec<BackupExercise>,
    /// Sessions with their sets.
    pub sessions: Vec<BackupSession>,
    /// Check-ins.
    pub checkins: Vec<BackupCheckIn>,
    /// Declared flare starts and ends.
    pub flare_events: Vec<BackupFlareEvent>,
    /// Clinician clearances.
    pub clearances: Vec<BackupClearance>,
    /// Triage answers.
    #[serde(default)]
    pub triages: Vec<BackupTriage>,
}

/// Triage answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupTriage {
    /// When.
    pub at: Timestamp,
    /// The answers.
    pub answers: backstop_core::triage::TriageAnswers,
}

/// A profile version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupProfile {
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// The profile.
    pub profile: Profile,
}

/// A red-flag screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupScreening {
    /// When it was answered.
    pub at: Timestamp,
    /// Why it was asked.
    pub context: ScreeningContext,
    /// Flags answered yes.
    pub flags: Vec<RedFlag>,
}

/// A custom exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupExercise {
    /// When it was added.
    pub recorded_at: Timestamp,
    /// The definition.
    pub exercise: Exercise,
}

/// A set, exactly as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupSet {
    /// Catalog id.
    pub exercise: String,
    /// Repetitions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<Reps>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<Seconds>,
    /// Metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metres: Option<Metres>,
    /// Load in grams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_g: Option<Load>,
    /// RPE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpe: Option<Rpe>,
    /// Pain during the set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain: Option<Pain>,
    /// Where it was felt.
    pub felt: Felt,
    /// Form broke down.
    pub form_breakdown: bool,
    /// normal, warmup, drop or failure.
    #[serde(default, skip_serializing_if = "SetKind::is_normal")]
    pub kind: SetKind,
}

/// A session, exactly as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupSession {
    /// Start.
    pub at: Timestamp,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// Pain before.
    pub pain_before: Option<Pain>,
    /// Minutes.
    pub minutes: Option<Minutes>,
    /// Session RPE.
    pub session_rpe: Option<Rpe>,
    /// Sets in order.
    pub sets: Vec<BackupSet>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Import source key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupCheckIn {
    /// When.
    pub at: Timestamp,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// Pain now.
    pub pain: Pain,
    /// Morning stiffness.
    pub stiffness: Option<Stiffness>,
    /// Muscle soreness (DOMS).
    pub muscle_soreness: bool,
    /// Leg pain.
    pub leg_pain: bool,
    /// Numbness.
    pub numbness: bool,
    /// Weakness.
    pub weakness: bool,
    /// How far down the leg the leg pain reached (absent in exports made before it was asked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leg_reach: Option<backstop_core::LegReach>,
}

/// A flare start or end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupFlareEvent {
    /// When.
    pub at: Timestamp,
    /// Start or end.
    pub mark: FlareMark,
}

/// A clearance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupClearance {
    /// When.
    pub at: Timestamp,
    /// Note.
    pub note: Option<String>,
}

impl From<&SetEntry> for BackupSet {
    fn from(s: &SetEntry) -> Self {
        let (reps, seconds, metres) = match s.dose {
            Dose::Reps(r) => (Some(r), None, None),
            Dose::Seconds(x) => (None, Some(x), None),
            Dose::Metres(m) => (None, None, Some(m)),
        };
        BackupSet {
            exercise: s.exercise.clone(),
            reps,
            seconds,
            metres,
            load_g: s.load,
            rpe: s.rpe,
            pain: s.pain,
            felt: s.felt,
            form_breakdown: s.form_breakdown,
            kind: s.kind,
        }
    }
}

impl BackupSet {
    /// Back to a fact; exactly one of reps, seconds and metres must be present.
    pub fn to_entry(&self) -> Result<SetEntry, UnitError> {
        let dose = match (self.reps, self.seconds, self.metres) {
            (Some(r), None, None) => Dose::Reps(r),
            (None, Some(s), None) => Dose::Seconds(s),
            (None, None, Some(m)) => Dose::Metres(m),
            _ => {
                return Err(UnitError {
                    field: "set",
                    value: self.exercise.clone(),
                    expected: "exactly one of reps, seconds or metres",
                });
            }
        };
        Ok(SetEntry {
            exercise: self.exercise.clone(),
            dose,
            load: self.load_g,
            rpe: self.rpe,
            pain: self.pain,
            felt: self.felt,
            form_breakdown: self.form_breakdown,
            kind: self.kind,
        })
    }
}

impl From<&StoredSession> for BackupSession {
    fn from(s: &StoredSession) -> Self {
        BackupSession {
            at: s.session.at,
            recorded_at: s.recorded_at,
            pain_before: s.session.pain_before,
            minutes: s.session.minutes,
            session_rpe: s.session.session_rpe,
            sets: s.session.sets.iter().map(BackupSet::from).collect(),
            notes: s.session.notes.clone(),
            source: s.session.source.clone(),
        }
    }
}

impl BackupSession {
    /// Back to a fact.
    pub fn to_session(&self) -> Result<Session, UnitError> {
        Ok(Session {
            at: self.at,
            pain_before: self.pain_before,
            minutes: self.minutes,
            session_rpe: self.session_rpe,
            sets: self
                .sets
                .iter()
                .map(BackupSet::to_entry)
                .collect::<Result<_, _>>()?,
            notes: self.notes.clone(),
            source: self.source.clone(),
        })
    }
}

impl From<&StoredCheckIn> for BackupCheckIn {
    fn from(sc: &StoredCheckIn) -> Self {
        let c = &sc.checkin;
        BackupCheckIn {
            at: c.at,
            recorded_at: sc.recorded_at,
            pain: c.pain,
            stiffness: c.stiffness,
            muscle_soreness: c.muscle_soreness,
            leg_pain: c.leg_pain,
            numbness: c.numbness,
            weakness: c.weakness,
            leg_reach: c.leg_reach,
        }
    }
}

impl From<&BackupCheckIn> for CheckIn {
    fn from(c: &BackupCheckIn) -> Self {
        CheckIn {
            at: c.at,
            pain: c.pain,
            stiffness: c.stiffness,
            muscle_soreness: c.muscle_soreness,
            leg_pain: c.leg_pain,
            numbness: c.numbness,
            weakness: c.weakness,
            leg_reach: c.leg_reach,
        }
    }
}

/// All facts of one person, gathered for export.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Profile versions.
    pub profiles: Vec<ProfileVersion>,
    /// Screens.
    pub screenings: Vec<Screening>,
    /// Own exercises.
    pub custom_exercises: Vec<CustomExercise>,
    /// Sessions.
    pub sessions: Vec<StoredSession>,
    /// Check-ins.
    pub checkins: Vec<StoredCheckIn>,
    /// Flare events.
    pub flare_events: Vec<FlareEvent>,
    /// Clearances.
    pub clearances: Vec<Clearance>,
    /// Triage answers.
    pub triages: Vec<backstop_core::facts::TriageRecord>,
}

impl Backup {
    /// Builds the export document.
    pub fn from_facts(f: &Facts, exported_at: Timestamp) -> Backup {
        Backup {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at,
            profiles: f
                .profiles
                .iter()
                .map(|p| BackupProfile {
                    recorded_at: p.recorded_at,
                    profile: p.profile.clone(),
                })
                .collect(),
            screenings: f
                .screenings
                .iter()
                .map(|s| BackupScreening {
                    at: s.at,
                    context: s.context,
                    flags: s.flags.clone(),
                })
                .collect(),
            custom_exercises: f
                .custom_exercises
                .iter()
                .map(|c| BackupExercise {
                    recorded_at: c.recorded_at,
                    exercise: c.exercise.clone(),
                })
                .collect(),
            sessions: f.sessions.iter().map(BackupSession::from).collect(),
            checkins: f.checkins.iter().map(BackupCheckIn::from).collect(),
            flare_events: f
                .flare_events
                .iter()
                .map(|e| BackupFlareEvent {
                    at: e.at,
                    mark: e.mark,
                })
                .collect(),
            clearances: f
                .clearances
                .iter()
                .map(|c| BackupClearance {
                    at: c.at,
                    note: c.note.clone(),
                })
                .collect(),
            triages: f
                .triages
                .iter()
                .map(|t| BackupTriage {
                    at: t.at,
                    answers: t.answers.clone(),
                })
                .collect(),
        }
    }

    /// Whether the backup holds no fact at all.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
            && self.screenings.is_empty()
            && self.custom_exercises.is_empty()
            && self.sessions.is_empty()
            && self.checkins.is_empty()
            && self.flare_events.is_empty()
            && self.clearances.is_empty()
            && self.triages.is_empty()
    }
}
