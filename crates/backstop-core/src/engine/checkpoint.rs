//! Fold checkpoints (`docs/decisions/0004-fold-checkpoints.md`): the engine's fold state kept between runs, so that an assessment folds
//! only the sessions after it instead of every session since the first.
//!
//! A session's verdict depends on its own sets, the check-ins of the days after it (the latest that can count is the
//! late soreness check-in of DS-3, `doms_window` + 24 h after it), the next session's start when that comes before
//! then, and `now` only until `unconfirmed_after`. So once `now` is past a session by [`settled_window`], nothing
//! written later at a later instant can change it, and the fold state after it is final. A checkpoint holds that
//! state for the sessions before its `cut`, and says from which instant on facts no longer touch it
//! (`settled_from`): the store discards it when a fact before that instant is written, changed or deleted (a
//! back-dated session, an import, a correction), and its fingerprint ties it to the profile, settings, catalog and
//! engine code it was made with. Resumed, it gives the same assessment as folding every session, which a property
//! test checks.

use std::collections::BTreeMap;
use std::hash::Hasher;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::session::{
    AmountUnit, Blame, CheckKind, ExerciseVerdict, Exposure, FoldState, Folded, Novelty, NoveltyKind,
    SessionVerdict, VerdictStatus,
};
use super::{Settings, Verdict};
use crate::catalog::Catalog;
use crate::facts::Profile;
use crate::rules::RuleId;
use crate::units::{Load, Rpe};

/// A digest of this crate's sources, made by its build script: a checkpoint written by other engine code is not used.
const ENGINE_DIGEST: &str = env!("BACKSTOP_ENGINE_DIGEST");

/// The version of the stored layout below.
const FORMAT: u32 = 1;

/// How long after a session its verdict can still change: until its last check-in window closes (the late soreness
/// check-in of DS-3, `doms_window` + 24 h) and until it stops waiting for check-ins (`unconfirmed_after`).
pub fn settled_window(settings: &Settings) -> SignedDuration {
    settings
        .unconfirmed_after
        .max(settings.second_until)
        .max(settings.doms_window + SignedDuration::from_hours(24))
}

/// Lets `write!` feed a hasher, so that a value's `Debug` text is hashed without being built as a string.
pub(crate) struct HashWriter<'a, H: Hasher>(pub &'a mut H);

impl<H: Hasher> std::fmt::Write for HashWriter<'_, H> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// What a checkpoint is only valid with: the profile, the settings, the catalog (custom exercises included) and the
/// engine code. A change to any of them makes the stored checkpoint's fingerprint differ, and it is not used.
pub fn fingerprint(profile: &Profile, catalog: &Catalog, settings: &Settings) -> u64 {
    use std::fmt::Write as _;
    // `DefaultHasher::new()` gives the same number for the same inputs in every process of one build.
    let mut h = std::hash::DefaultHasher::new();
    h.write(ENGINE_DIGEST.as_bytes());
    h.write_u32(FORMAT);
    let _ = write!(HashWriter(&mut h), "{profile:?}{settings:?}");
    catalog.digest_into(&mut h);
    h.finish()
}

/// The fold state after every session before `cut`, final once `now` is at or after `settled_from`.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    cut: Timestamp,
    settled_from: Timestamp,
    fingerprint: u64,
    pub(super) state: FoldState,
}

impl Checkpoint {
    pub(super) fn new(cut: Timestamp, settings: &Settings, fingerprint: u64, state: FoldState) -> Checkpoint {
        Checkpoint {
            cut,
            settled_from: cut + settled_window(settings),
            fingerprint,
            state,
        }
    }

    /// The sessions it covers are those that started before this instant.
    pub fn cut(&self) -> Timestamp {
        self.cut
    }

    /// Facts at or after this instant cannot change it; one written, changed or deleted before it makes it stale.
    pub fn settled_from(&self) -> Timestamp {
        self.settled_from
    }

    /// The fingerprint it was made under (see [`fingerprint`]).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// How many sessions it covers.
    pub fn sessions(&self) -> usize {
        self.state.folded.verdicts.len()
    }

    /// Whether an assessment at `now` under `fingerprint` may start from it: the same profile, settings, catalog and
    /// code, and every session it covers settled at `now`.
    pub fn usable(&self, fingerprint: u64, now: Timestamp) -> bool {
        self.fingerprint == fingerprint && now >= self.settled_from
    }
}

// Stored through serde in every field (the store writes JSON, with serde_json's `float_roundtrip` so that floats come
// back exact), with a layout version and the fingerprint as hex text (JSON numbers are not all exact as u64).
impl Serialize for Checkpoint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Stored {
            format: FORMAT,
            cut: self.cut,
            settled_from: self.settled_from,
            fingerprint: format!("{:016x}", self.fingerprint),
            verdicts: self
                .state
                .folded
                .verdicts
                .iter()
                .map(StoredVerdict::from)
                .collect(),
            exposures: exposures_out(&self.state.folded.exposures),
            history: exposures_out(&self.state.folded.history),
            totals: self.state.totals,
            recent_loads: self.state.recent_loads.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Checkpoint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Checkpoint, D::Error> {
        use serde::de::Error as _;
        let s = Stored::deserialize(d)?;
        if s.format != FORMAT {
            return Err(D::Error::custom(format!(
                "checkpoint layout {} is not {FORMAT}",
                s.format
            )));
        }
        let fingerprint = u64::from_str_radix(&s.fingerprint, 16)
            .map_err(|e| D::Error::custom(format!("checkpoint fingerprint: {e}")))?;
        Ok(Checkpoint {
            cut: s.cut,
            settled_from: s.settled_from,
            fingerprint,
            state: FoldState {
                folded: Folded {
                    verdicts: s.verdicts.into_iter().map(SessionVerdict::from).collect(),
                    exposures: exposures_in(s.exposures),
                    history: exposures_in(s.history),
                },
                totals: s.totals,
                recent_loads: s.recent_loads,
            },
        })
    }
}

fn exposures_out(m: &BTreeMap<String, Vec<Exposure>>) -> BTreeMap<String, Vec<StoredExposure>> {
    m.iter()
        .map(|(k, v)| (k.clone(), v.iter().map(StoredExposure::from).collect()))
        .collect()
}

fn exposures_in(m: BTreeMap<String, Vec<StoredExposure>>) -> BTreeMap<String, Vec<Exposure>> {
    m.into_iter()
        .map(|(k, v)| (k, v.into_iter().map(Exposure::from).collect()))
        .collect()
}

// The stored layout. The engine's own types serialise for people (`status --json`) and leave out what only the
// engine reads; these keep every field.

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    cut: Timestamp,
    settled_from: Timestamp,
    fingerprint: String,
    verdicts: Vec<StoredVerdict>,
    exposures: BTreeMap<String, Vec<StoredExposure>>,
    history: BTreeMap<String, Vec<StoredExposure>>,
    totals: [(usize, usize); 4],
    recent_loads: Vec<[f64; 5]>,
}

#[derive(Serialize, Deserialize)]
struct StoredVerdict {
    at: Timestamp,
    verdict: Option<Verdict>,
    status: VerdictStatus,
    rule: RuleId,
    reason: String,
    pain_before: u8,
    ceiling: u8,
    morning_baseline: f64,
    morning_pain: Option<u8>,
    second_pain: Option<u8>,
    awaiting: Vec<CheckKind>,
    novelties: Vec<(String, NoveltyKind, String)>,
    exercises: Vec<StoredExerciseVerdict>,
    soreness: bool,
    rescreen: bool,
    rescreen_at: Option<Timestamp>,
}

impl From<&SessionVerdict> for StoredVerdict {
    fn from(v: &SessionVerdict) -> Self {
        StoredVerdict {
            at: v.session_at,
            verdict: v.verdict,
            status: v.status,
            rule: v.rule,
            reason: v.reason.clone(),
            pain_before: v.pain_before,
            ceiling: v.ceiling,
            morning_baseline: v.morning_baseline,
            morning_pain: v.morning_pain,
            second_pain: v.second_pain,
            awaiting: v.awaiting.clone(),
            novelties: v
                .novelties
                .iter()
                .map(|n| (n.exercise.clone(), n.kind, n.detail.clone()))
                .collect(),
            exercises: v.exercises.iter().map(StoredExerciseVerdict::from).collect(),
            soreness: v.soreness,
            rescreen: v.rescreen,
            rescreen_at: v.rescreen_at,
        }
    }
}

impl From<StoredVerdict> for SessionVerdict {
    fn from(v: StoredVerdict) -> Self {
        SessionVerdict {
            session_at: v.at,
            verdict: v.verdict,
            status: v.status,
            rule: v.rule,
            reason: v.reason,
            pain_before: v.pain_before,
            ceiling: v.ceiling,
            morning_baseline: v.morning_baseline,
            morning_pain: v.morning_pain,
            second_pain: v.second_pain,
            awaiting: v.awaiting,
            novelties: v
                .novelties
                .into_iter()
                .map(|(exercise, kind, detail)| Novelty {
                    exercise,
                    kind,
                    detail,
                })
                .collect(),
            exercises: v.exercises.into_iter().map(ExerciseVerdict::from).collect(),
            soreness: v.soreness,
            rescreen: v.rescreen,
            rescreen_at: v.rescreen_at,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct StoredExerciseVerdict {
    exercise: String,
    verdict: Option<Verdict>,
    rule: RuleId,
    reason: String,
    blame: Blame,
    max_pain: Option<u8>,
    sets: usize,
    pain_rise: Option<i16>,
    weighted_sets: f64,
}

impl From<&ExerciseVerdict> for StoredExerciseVerdict {
    fn from(e: &ExerciseVerdict) -> Self {
        StoredExerciseVerdict {
            exercise: e.exercise.clone(),
            verdict: e.verdict,
            rule: e.rule,
            reason: e.reason.clone(),
            blame: e.blame,
            max_pain: e.max_pain,
            sets: e.sets,
            pain_rise: e.pain_rise,
            weighted_sets: e.weighted_sets,
        }
    }
}

impl From<StoredExerciseVerdict> for ExerciseVerdict {
    fn from(e: StoredExerciseVerdict) -> Self {
        ExerciseVerdict {
            exercise: e.exercise,
            verdict: e.verdict,
            rule: e.rule,
            reason: e.reason,
            blame: e.blame,
            max_pain: e.max_pain,
            sets: e.sets,
            pain_rise: e.pain_rise,
            weighted_sets: e.weighted_sets,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct StoredExposure {
    at: Timestamp,
    session: usize,
    sets: usize,
    amounts: Vec<u32>,
    unit: AmountUnit,
    top_load: Option<Load>,
    rpe: Option<Rpe>,
    max_pain: Option<u8>,
    verdict: Option<Verdict>,
    status: VerdictStatus,
    session_verdict: Option<Verdict>,
    blame: Blame,
    novelty: Option<NoveltyKind>,
    lone_novelty: bool,
    red_in_session: bool,
    form_flag: bool,
    cumulative: bool,
}

impl From<&Exposure> for StoredExposure {
    fn from(e: &Exposure) -> Self {
        StoredExposure {
            at: e.at,
            session: e.session,
            sets: e.sets,
            amounts: e.amounts.clone(),
            unit: e.unit,
            top_load: e.top_load,
            rpe: e.rpe,
            max_pain: e.max_pain,
            verdict: e.verdict,
            status: e.status,
            session_verdict: e.session_verdict,
            blame: e.blame,
            novelty: e.novelty,
            lone_novelty: e.lone_novelty,
            red_in_session: e.red_in_session,
            form_flag: e.form_flag,
            cumulative: e.cumulative,
        }
    }
}

impl From<StoredExposure> for Exposure {
    fn from(e: StoredExposure) -> Self {
        Exposure {
            at: e.at,
            session: e.session,
            sets: e.sets,
            amounts: e.amounts,
            unit: e.unit,
            top_load: e.top_load,
            rpe: e.rpe,
            max_pain: e.max_pain,
            verdict: e.verdict,
            status: e.status,
            session_verdict: e.session_verdict,
            blame: e.blame,
            novelty: e.novelty,
            lone_novelty: e.lone_novelty,
            red_in_session: e.red_in_session,
            form_flag: e.form_flag,
            cumulative: e.cumulative,
        }
    }
}
