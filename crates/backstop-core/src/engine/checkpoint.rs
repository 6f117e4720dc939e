//! Fold checkpoints (`docs/decisions/0004-fold-checkpoints.md`): the engine's fold state kept between runs, so that
//! an assessment folds only the sessions after it instead of every session since the first.
//!
//! A session's verdict depends on its own sets, the check-ins of the days after it (the latest that can count is the
//! late soreness check-in of DS-3, `doms_window` + 24 h after it), the next session's start when that comes before
//! then, and `now` only until `unconfirmed_after`. So once `now` is past a session by [`settled_window`], nothing
//! written later for a later instant can change it, and the fold state after it is final. A checkpoint holds that
//! state for the sessions before its `cut` (just after the last of them), and says from which instant on facts no
//! longer touch it (`settled_from`, the end of that last session's window): the store discards it when a fact before
//! that instant is written, changed or deleted (a back-dated session, an import, a correction), and its fingerprint
//! ties it to the profile, settings, catalog and engine code it was made with. Resumed, it gives the same assessment
//! as folding every session, which a property test checks.

use std::collections::BTreeMap;
use std::hash::Hasher;

use jiff::{SignedDuration, Timestamp};
use serde::de::{DeserializeSeed, Error as _, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::session::{
    AmountUnit, Amounts, Blame, CheckKind, ExerciseVerdict, Exposure, FoldState, Folded, Novelty,
    NoveltyKind, SessionVerdict, VerdictStatus,
};
use super::{Settings, Sums, Text, Verdict};
use crate::catalog::Catalog;
use crate::facts::Profile;
use crate::rules::{RULES, RuleId};
use crate::units::{Load, Rpe};

/// A digest of this crate's sources, made by its build script: a checkpoint written by other engine code is not used.
const ENGINE_DIGEST: &str = env!("BACKSTOP_ENGINE_DIGEST");

/// The version of the stored layout below (2: rules by number instead of by id; 3: with the causes' sums).
const FORMAT: u32 = 3;

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
    /// The checkpoint of `state`, which covers at least one session: its cut just after the last one, and settled
    /// from the end of that session's window, the last instant at which a fact could still change any session it
    /// covers.
    pub(super) fn new(settings: &Settings, fingerprint: u64, state: FoldState) -> Checkpoint {
        // A checkpoint is only made after `every` (at least one) sessions were folded.
        let last = state
            .folded
            .verdicts
            .last()
            .map_or(Timestamp::MIN, |v| v.session_at);
        Checkpoint {
            cut: last + SignedDuration::from_nanos(1),
            settled_from: last
                .saturating_add(settled_window(settings))
                .unwrap_or(Timestamp::MAX),
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

// Stored through serde in every field, for a compact binary format (the store uses postcard): instants as
// nanoseconds, rules by their number, and each text (reasons, exercise ids) once in a table that the verdicts point
// into, since most sessions repeat the same few sentences; read back, the verdicts share the table's texts.
impl Serialize for Checkpoint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The text table is written before the records that point into it, so it is gathered first; then each
        // record is made and written one at a time. No copy of the whole state is built: it would be as large as
        // the state, and the first command after an import keeps a checkpoint at its peak of memory.
        let f = &self.state.folded;
        let mut texts = Texts::default();
        for v in &f.verdicts {
            StoredVerdict::note_texts(v, &mut texts);
        }
        for k in f.exposures.keys().chain(f.history.keys()) {
            texts.id(k);
        }
        let texts = &texts;
        StoredOut {
            format: FORMAT,
            cut: nanos(self.cut),
            settled_from: nanos(self.settled_from),
            fingerprint: self.fingerprint,
            texts: &texts.list,
            verdicts: Lazy(|| {
                f.verdicts
                    .iter()
                    .map(|v| StoredVerdict::new(v, &mut |t| texts.known(t)))
            }),
            exposures: Lazy(|| exposures_out(&f.exposures, texts)),
            history: Lazy(|| exposures_out(&f.history, texts)),
            totals: f.totals,
            recent_loads: &self.state.recent_loads,
            causes: &f.causes,
        }
        .serialize(s)
    }
}

/// A sequence written from an iterator made on demand, as serde writes a `Vec` (its length first, which the
/// iterators here know exactly).
struct Lazy<F>(F);

impl<F, I> Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

// Read back straight into the engine's types: the text table comes first in the layout, and the records after it
// are decoded with it at hand (`DeserializeSeed`), so that no stored copy of the verdicts and exposures is built
// and then converted. The reading mirrors `StoredOut` field by field.
impl<'de> Deserialize<'de> for Checkpoint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Checkpoint, D::Error> {
        d.deserialize_struct("Stored", &STORED_FIELDS, CheckpointVisitor)
    }
}

/// The fields of the stored layout, in order (`StoredOut`).
const STORED_FIELDS: [&str; 11] = [
    "format",
    "cut",
    "settled_from",
    "fingerprint",
    "texts",
    "verdicts",
    "exposures",
    "history",
    "totals",
    "recent_loads",
    "causes",
];

/// The next field of a record read as a sequence, or an error naming it.
fn field<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(seq: &mut A, name: &str) -> Result<T, A::Error> {
    seq.next_element()?
        .ok_or_else(|| A::Error::custom(format!("checkpoint ends before {name}")))
}

/// [`field`] read with a seed.
fn field_seed<'de, A: SeqAccess<'de>, S: DeserializeSeed<'de>>(
    seq: &mut A,
    seed: S,
    name: &str,
) -> Result<S::Value, A::Error> {
    seq.next_element_seed(seed)?
        .ok_or_else(|| A::Error::custom(format!("checkpoint ends before {name}")))
}

struct CheckpointVisitor;

impl<'de> Visitor<'de> for CheckpointVisitor {
    type Value = Checkpoint;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a fold checkpoint")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checkpoint, A::Error> {
        let format: u32 = field(&mut seq, "format")?;
        if format != FORMAT {
            return Err(A::Error::custom(format!(
                "checkpoint layout {format} is not {FORMAT}"
            )));
        }
        let cut: i128 = field(&mut seq, "cut")?;
        let settled_from: i128 = field(&mut seq, "settled_from")?;
        let fingerprint: u64 = field(&mut seq, "fingerprint")?;
        let texts: Vec<Text> = field(&mut seq, "texts")?;
        let t = TextTable(&texts);
        let verdicts = field_seed(&mut seq, SeqOf(t, VerdictSeed, ROOM), "verdicts")?;
        let exposures = field_seed(&mut seq, ExposureMap(t), "exposures")?;
        let history = field_seed(&mut seq, ExposureMap(t), "history")?;
        let totals: [(usize, usize); 4] = field(&mut seq, "totals")?;
        let recent_loads: Vec<[f64; 5]> = field(&mut seq, "recent_loads")?;
        let causes: Sums = field(&mut seq, "causes")?;
        if causes.covered() != verdicts.len() {
            return Err(A::Error::custom("cause sums out of step with the verdicts"));
        }
        Ok(Checkpoint {
            cut: instant(cut).map_err(A::Error::custom)?,
            settled_from: instant(settled_from).map_err(A::Error::custom)?,
            fingerprint,
            state: FoldState {
                folded: Folded {
                    verdicts,
                    exposures,
                    history,
                    totals,
                    causes,
                },
                recent_loads,
            },
        })
    }
}

/// The checkpoint's text table, which the records point into by number.
#[derive(Clone, Copy)]
struct TextTable<'a>(&'a [Text]);

impl TextTable<'_> {
    fn get<E: serde::de::Error>(self, i: u32) -> Result<Text, E> {
        self.0
            .get(i as usize)
            .cloned()
            .ok_or_else(|| E::custom("text out of range"))
    }
}

/// Reads one record of a stored sequence with the text table at hand.
trait RecordSeed: Copy {
    type Value;
    fn read<'de, D: serde::Deserializer<'de>>(self, t: TextTable<'_>, d: D) -> Result<Self::Value, D::Error>;
}

/// A stored sequence of records, each read by `R`, with room for `room` more: the verdicts and exposures of the
/// sessions an assessment folds after the checkpoint are pushed onto these, and a vector read back exactly full
/// would be copied whole to grow by one.
#[derive(Clone, Copy)]
struct SeqOf<'a, R>(TextTable<'a>, R, usize);

/// The room left in the verdicts and exposures read back: the sessions of a few weeks.
const ROOM: usize = 32;

impl<'de, R: RecordSeed> DeserializeSeed<'de> for SeqOf<'_, R> {
    type Value = Vec<R::Value>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, R: RecordSeed> Visitor<'de> for SeqOf<'_, R> {
    type Value = Vec<R::Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a sequence of checkpoint records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // The length comes from the data: a damaged one must not reserve a huge block before the reading fails.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096) + self.2);
        while let Some(v) = seq.next_element_seed(One(self.0, self.1))? {
            out.push(v);
        }
        Ok(out)
    }
}

/// One record of a [`SeqOf`].
#[derive(Clone, Copy)]
struct One<'a, R>(TextTable<'a>, R);

impl<'de, R: RecordSeed> DeserializeSeed<'de> for One<'_, R> {
    type Value = R::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<R::Value, D::Error> {
        self.1.read(self.0, d)
    }
}

/// A [`SessionVerdict`] as `StoredVerdict` wrote it.
#[derive(Clone, Copy)]
struct VerdictSeed;

/// The fields of `StoredVerdict`, in order.
const VERDICT_FIELDS: [&str; 16] = [
    "at",
    "verdict",
    "status",
    "rule",
    "reason",
    "pain_before",
    "ceiling",
    "morning_baseline",
    "morning_pain",
    "second_pain",
    "awaiting",
    "novelties",
    "exercises",
    "soreness",
    "rescreen",
    "rescreen_at",
];

impl RecordSeed for VerdictSeed {
    type Value = SessionVerdict;

    fn read<'de, D: serde::Deserializer<'de>>(
        self,
        t: TextTable<'_>,
        d: D,
    ) -> Result<SessionVerdict, D::Error> {
        struct V<'a>(TextTable<'a>);
        impl<'de> Visitor<'de> for V<'_> {
            type Value = SessionVerdict;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a session verdict")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SessionVerdict, A::Error> {
                let t = self.0;
                let at: i128 = field(&mut seq, "at")?;
                Ok(SessionVerdict {
                    session_at: instant(at).map_err(A::Error::custom)?,
                    verdict: field(&mut seq, "verdict")?,
                    status: field(&mut seq, "status")?,
                    rule: field::<_, RuleNumber>(&mut seq, "rule")?.0,
                    reason: t.get(field(&mut seq, "reason")?)?,
                    pain_before: field(&mut seq, "pain_before")?,
                    ceiling: field(&mut seq, "ceiling")?,
                    morning_baseline: field(&mut seq, "morning_baseline")?,
                    morning_pain: field(&mut seq, "morning_pain")?,
                    second_pain: field(&mut seq, "second_pain")?,
                    awaiting: field(&mut seq, "awaiting")?,
                    novelties: field_seed(&mut seq, SeqOf(t, NoveltySeed, 0), "novelties")?,
                    exercises: field_seed(&mut seq, SeqOf(t, ExerciseVerdictSeed, 0), "exercises")?,
                    soreness: field(&mut seq, "soreness")?,
                    rescreen: field(&mut seq, "rescreen")?,
                    rescreen_at: field::<_, Option<i128>>(&mut seq, "rescreen_at")?
                        .map(instant)
                        .transpose()
                        .map_err(A::Error::custom)?,
                })
            }
        }
        d.deserialize_struct("StoredVerdict", &VERDICT_FIELDS, V(t))
    }
}

/// A [`Novelty`], stored as (exercise, kind, detail).
#[derive(Clone, Copy)]
struct NoveltySeed;

impl RecordSeed for NoveltySeed {
    type Value = Novelty;

    fn read<'de, D: serde::Deserializer<'de>>(self, t: TextTable<'_>, d: D) -> Result<Novelty, D::Error> {
        let (exercise, kind, detail) = <(u32, NoveltyKind, u32)>::deserialize(d)?;
        Ok(Novelty {
            exercise: t.get(exercise)?,
            kind,
            detail: t.get(detail)?,
        })
    }
}

/// An [`ExerciseVerdict`] as `StoredExerciseVerdict` wrote it.
#[derive(Clone, Copy)]
struct ExerciseVerdictSeed;

impl RecordSeed for ExerciseVerdictSeed {
    type Value = ExerciseVerdict;

    fn read<'de, D: serde::Deserializer<'de>>(
        self,
        t: TextTable<'_>,
        d: D,
    ) -> Result<ExerciseVerdict, D::Error> {
        let e = StoredExerciseVerdict::deserialize(d)?;
        Ok(ExerciseVerdict {
            exercise: t.get(e.exercise)?,
            verdict: e.verdict,
            rule: e.rule,
            reason: t.get(e.reason)?,
            blame: e.blame,
            max_pain: e.max_pain,
            sets: e.sets,
            pain_rise: e.pain_rise,
            weighted_sets: e.weighted_sets,
        })
    }
}

/// An [`Exposure`] as `StoredExposure` wrote it.
#[derive(Clone, Copy)]
struct ExposureSeed;

impl RecordSeed for ExposureSeed {
    type Value = Exposure;

    fn read<'de, D: serde::Deserializer<'de>>(self, _: TextTable<'_>, d: D) -> Result<Exposure, D::Error> {
        StoredExposure::deserialize(d)?
            .into_exposure()
            .map_err(D::Error::custom)
    }
}

/// The exposures per exercise, stored as (exercise, exposures) pairs.
#[derive(Clone, Copy)]
struct ExposureMap<'a>(TextTable<'a>);

impl<'de> DeserializeSeed<'de> for ExposureMap<'_> {
    type Value = BTreeMap<String, Vec<Exposure>>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let pairs = SeqOf(self.0, ExposurePair, 0).deserialize(d)?;
        Ok(pairs.into_iter().collect())
    }
}

/// One (exercise, exposures) pair of an [`ExposureMap`].
#[derive(Clone, Copy)]
struct ExposurePair;

impl RecordSeed for ExposurePair {
    type Value = (String, Vec<Exposure>);

    fn read<'de, D: serde::Deserializer<'de>>(self, t: TextTable<'_>, d: D) -> Result<Self::Value, D::Error> {
        struct V<'a>(TextTable<'a>);
        impl<'de> Visitor<'de> for V<'_> {
            type Value = (String, Vec<Exposure>);

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an exercise and its exposures")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let k: u32 = field(&mut seq, "exercise")?;
                let exposures = field_seed(&mut seq, SeqOf(self.0, ExposureSeed, ROOM), "exposures")?;
                Ok((self.0.get::<A::Error>(k)?.to_string(), exposures))
            }
        }
        d.deserialize_tuple(2, V(t))
    }
}

/// A rule read back by its number ([`rule_number`]).
struct RuleNumber(RuleId);

impl<'de> Deserialize<'de> for RuleNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RuleNumber, D::Error> {
        rule_number::deserialize(d).map(RuleNumber)
    }
}

fn nanos(t: Timestamp) -> i128 {
    t.as_nanosecond()
}

fn instant(n: i128) -> Result<Timestamp, jiff::Error> {
    Timestamp::from_nanosecond(n)
}

/// Each distinct text once, numbered in the order met.
#[derive(Default)]
struct Texts {
    list: Vec<String>,
    index: std::collections::HashMap<String, u32>,
}

impl Texts {
    /// The number of a text already gathered (one that was not gives a number out of range, which reading the
    /// checkpoint back refuses: it is then not used).
    fn known(&self, s: &str) -> u32 {
        self.index.get(s).copied().unwrap_or(u32::MAX)
    }

    fn id(&mut self, s: &str) -> u32 {
        if let Some(i) = self.index.get(s) {
            return *i;
        }
        let i = self.list.len() as u32;
        self.list.push(s.to_owned());
        self.index.insert(s.to_owned(), i);
        i
    }
}

fn exposures_out<'a>(
    m: &'a BTreeMap<String, Vec<Exposure>>,
    texts: &'a Texts,
) -> impl Iterator<Item = (u32, impl Serialize + 'a)> + 'a {
    m.iter()
        .map(|(k, v)| (texts.known(k), Lazy(move || v.iter().map(StoredExposure::from))))
}

// The stored layout. The engine's own types serialise for people (`status --json`) and leave out what only the
// engine reads; these keep every field.

/// The stored layout, as it is written: the records made one at a time. `CheckpointVisitor` reads the same fields
/// in the same order.
#[derive(Serialize)]
struct StoredOut<'a, V, X, H> {
    format: u32,
    cut: i128,
    settled_from: i128,
    fingerprint: u64,
    texts: &'a [String],
    verdicts: V,
    exposures: X,
    history: H,
    totals: [(usize, usize); 4],
    recent_loads: &'a [[f64; 5]],
    causes: &'a Sums,
}

#[derive(Serialize)]
struct StoredVerdict {
    at: i128,
    verdict: Option<Verdict>,
    status: VerdictStatus,
    #[serde(with = "rule_number")]
    rule: RuleId,
    reason: u32,
    pain_before: u8,
    ceiling: u8,
    morning_baseline: f64,
    morning_pain: Option<u8>,
    second_pain: Option<u8>,
    awaiting: Vec<CheckKind>,
    novelties: Vec<(u32, NoveltyKind, u32)>,
    exercises: Vec<StoredExerciseVerdict>,
    soreness: bool,
    rescreen: bool,
    rescreen_at: Option<i128>,
}

impl StoredVerdict {
    /// Gathers a verdict's texts in the order [`StoredVerdict::new`] meets them.
    fn note_texts(v: &SessionVerdict, texts: &mut Texts) {
        texts.id(&v.reason);
        for n in &v.novelties {
            texts.id(&n.exercise);
            texts.id(&n.detail);
        }
        for e in &v.exercises {
            texts.id(&e.exercise);
            texts.id(&e.reason);
        }
    }

    /// The stored form of a verdict, each text by the number `id` gives it.
    fn new(v: &SessionVerdict, id: &mut impl FnMut(&str) -> u32) -> Self {
        StoredVerdict {
            at: nanos(v.session_at),
            verdict: v.verdict,
            status: v.status,
            rule: v.rule,
            reason: id(&v.reason),
            pain_before: v.pain_before,
            ceiling: v.ceiling,
            morning_baseline: v.morning_baseline,
            morning_pain: v.morning_pain,
            second_pain: v.second_pain,
            awaiting: v.awaiting.clone(),
            novelties: v
                .novelties
                .iter()
                .map(|n| (id(&n.exercise), n.kind, id(&n.detail)))
                .collect(),
            exercises: v
                .exercises
                .iter()
                .map(|e| StoredExerciseVerdict {
                    exercise: id(&e.exercise),
                    verdict: e.verdict,
                    rule: e.rule,
                    reason: id(&e.reason),
                    blame: e.blame,
                    max_pain: e.max_pain,
                    sets: e.sets,
                    pain_rise: e.pain_rise,
                    weighted_sets: e.weighted_sets,
                })
                .collect(),
            soreness: v.soreness,
            rescreen: v.rescreen,
            rescreen_at: v.rescreen_at.map(nanos),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct StoredExerciseVerdict {
    exercise: u32,
    verdict: Option<Verdict>,
    #[serde(with = "rule_number")]
    rule: RuleId,
    reason: u32,
    blame: Blame,
    max_pain: Option<u8>,
    sets: usize,
    pain_rise: Option<i16>,
    weighted_sets: f64,
}

/// A rule stored by its number (its place in [`RULES`]) rather than its id: read back without matching a string.
mod rule_number {
    use super::{RULES, RuleId};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(rule: &RuleId, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(*rule as u16)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<RuleId, D::Error> {
        let n = u16::deserialize(d)?;
        RULES
            .get(usize::from(n))
            .map(|r| r.id)
            .ok_or_else(|| serde::de::Error::custom(format!("rule number {n} is not a rule")))
    }
}

/// An exposure as stored; written with its amounts borrowed (`&[u32]`), read back inline ([`Amounts`]).
#[derive(Serialize, Deserialize)]
struct StoredExposure<A = Amounts> {
    at: i128,
    session: usize,
    sets: usize,
    amounts: A,
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

impl<'a> From<&'a Exposure> for StoredExposure<&'a [u32]> {
    fn from(e: &'a Exposure) -> Self {
        StoredExposure {
            at: nanos(e.at),
            session: e.session,
            sets: e.sets,
            amounts: &e.amounts,
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

impl StoredExposure {
    fn into_exposure(self) -> Result<Exposure, jiff::Error> {
        Ok(Exposure {
            at: instant(self.at)?,
            session: self.session,
            sets: self.sets,
            amounts: self.amounts,
            unit: self.unit,
            top_load: self.top_load,
            rpe: self.rpe,
            max_pain: self.max_pain,
            verdict: self.verdict,
            status: self.status,
            session_verdict: self.session_verdict,
            blame: self.blame,
            novelty: self.novelty,
            lone_novelty: self.lone_novelty,
            red_in_session: self.red_in_session,
            form_flag: self.form_flag,
            cumulative: self.cumulative,
        })
    }
}
