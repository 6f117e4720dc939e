//! Causes (CA-1…CA-7): what in the training goes with this person's pain, found at three levels — one exercise,
//! one spinal direction (compression, shear, flexion, extension, rotation) and one movement pattern.
//!
//! Two kinds of evidence (CA-1): how far pain rose during an exercise's own sets (in-session, against the pain it
//! started from), and how far the next mornings stood above the usual pain (a whole session's effect). Each
//! candidate cause has an exposure per exercise block and per session (CA-2): the sets of that exercise, the sets
//! weighted by each exercise's catalog demand on that direction, or the sets of that pattern's exercises. For each
//! kind of evidence a least-squares slope of pain on exposure gives a t statistic; the two are combined (Stouffer's
//! method) into one score (CA-3). Because every candidate is compared with the same person's sessions without it,
//! a back that is often sore whatever it does raises the bar for everyone: the base rate is built in, and a single
//! red on the day an exercise was new cannot name it (CA-4 also asks for a minimum number of exposures and a
//! difference that matters in pain points). A cause spread over several exercises scores highest at the level that
//! holds them all, so a direction is named when it explains the pain better than any one exercise in it.
//!
//! The approach is the single-case experimental one of n-of-1 trials (Kravitz & Duan 2014, AHRQ design guide):
//! compare a person's own outcomes with and without an exposure, many times, and name an effect only when it stands
//! clear of the person's own variation; the direction level follows directional-preference assessment (Long,
//! Donelson & Fung 2004), where the response to repeated loading in one direction is what classifies a back.

mod fit;
mod sums;

use crate::rules::RuleId;
use std::collections::BTreeSet;

use jiff::SignedDuration;

use serde::Serialize;

use super::session::{SessionVerdict, VerdictStatus};
use super::{Settings, Text, Verdict};
use crate::catalog::Catalog;
use crate::vocab::{Direction, Pattern, Sensitivity};
use fit::{COVARIATES, Fit, Gram, Row, WIDTH, Y, first_coefficient, stouffer};
pub use sums::Sums;

/// The level a cause is found at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CauseLevel {
    /// One exercise.
    Exercise,
    /// One movement pattern, whatever the exercises' demands.
    Pattern,
    /// One spinal direction, across every exercise that loads it.
    Direction,
}

impl CauseLevel {
    /// The word used in JSON and text.
    pub fn as_str(self) -> &'static str {
        match self {
            CauseLevel::Exercise => "exercise",
            CauseLevel::Pattern => "pattern",
            CauseLevel::Direction => "direction",
        }
    }
}

/// How sure the attribution is, in words (CA-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Stands out from the person's own variation, but not yet enough to act on alone.
    Weak,
    /// Enough to act on: the planner holds it back.
    Moderate,
    /// Clear and repeated: confirmed for this person.
    Strong,
}

impl Confidence {
    /// The word used in JSON and text.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Weak => "weak",
            Confidence::Moderate => "moderate",
            Confidence::Strong => "strong",
        }
    }
}

/// A cause of pain found in the person's own history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cause {
    /// Exercise, pattern or direction.
    pub level: CauseLevel,
    /// The exercise id, pattern name or direction name.
    pub name: String,
    /// How sure, in words.
    pub confidence: Confidence,
    /// The combined statistic (about a z score: 3 is unlikely by chance for one candidate).
    pub score: f64,
    /// Mean pain rise during exercise blocks exposed to it (for a direction: any demand on it).
    pub rise_with: Option<f64>,
    /// Mean pain rise during the other blocks.
    pub rise_without: Option<f64>,
    /// Blocks with pain recorded that were exposed.
    pub blocks_with: usize,
    /// Blocks with pain recorded that were not.
    pub blocks_without: usize,
    /// Mean morning pain above the usual after exposed sessions (for a direction: the heavier half).
    pub morning_with: Option<f64>,
    /// …and after the others.
    pub morning_without: Option<f64>,
    /// Settled sessions exposed to it.
    pub sessions_with: usize,
    /// Settled sessions not exposed.
    pub sessions_without: usize,
    /// Red sessions among the exposed ones.
    pub red_with: usize,
    /// Red sessions among the others.
    pub red_without: usize,
    /// The numbers in words, and what they do and do not mean.
    pub evidence: String,
}

impl Cause {
    /// Whether this cause contains an exercise: it is that exercise, its pattern, or a direction it loads at 2 or
    /// more.
    pub fn covers(&self, exercise: &str, catalog: &Catalog) -> bool {
        match self.level {
            CauseLevel::Exercise => self.name == exercise,
            _ => catalog.get(exercise).is_some_and(|e| self.covers_exercise(e)),
        }
    }

    /// `covers`, for a catalog exercise at hand.
    pub fn covers_exercise(&self, e: &crate::catalog::Exercise) -> bool {
        Candidate::of(self).is_some_and(|c| c.holds_back(e))
    }

    /// The direction, for a direction-level cause.
    pub fn direction(&self) -> Option<Direction> {
        (self.level == CauseLevel::Direction)
            .then(|| self.name.parse().ok())
            .flatten()
    }

    /// The pattern, for a pattern-level cause.
    pub fn pattern(&self) -> Option<Pattern> {
        (self.level == CauseLevel::Pattern)
            .then(|| self.name.parse().ok())
            .flatten()
    }

    /// One plain sentence for a person: what their back seems to react to and what the planner does about it.
    pub fn headline(&self) -> String {
        let held = self.confidence >= Confidence::Moderate;
        let what = match self.level {
            CauseLevel::Exercise => format!("Your back seems to react to {}", self.name),
            CauseLevel::Pattern => format!("Your back seems to react to {} exercises", self.name),
            CauseLevel::Direction => format!("Your back seems to react to {}", self.name),
        };
        let action = match (self.level, held) {
            (_, false) => "not yet clear enough to act on; it is being watched".to_owned(),
            (CauseLevel::Exercise, true) => "it is parked and comes back later as a retest".to_owned(),
            (CauseLevel::Pattern, true) => format!("{} exercises are held back", self.name),
            (CauseLevel::Direction, true) => {
                format!("exercises that load {} heavily are held back", self.name)
            }
        };
        format!("{what} ({} confidence): {action}.", self.confidence.as_str())
    }

    /// The sensitivity category a direction-level cause confirms (ES-1).
    pub fn category(&self) -> Option<Sensitivity> {
        self.direction().map(Direction::category)
    }
}

/// One exercise's sets within a session.
struct Block {
    exercise: Text,
    /// Its catalog pattern, when the catalog knows it.
    pattern: Option<Pattern>,
    /// Its catalog demand on each direction, in `Direction::ALL` order (0 when unknown).
    demand: [f64; 5],
    /// Its sets, the volume every candidate is weighed against.
    sets: f64,
    /// Its sets, each counted by how hard it was on the spine (CA-2): the candidates' exposure.
    spinal_sets: f64,
    /// Pain rise during its sets over the pain it started from; `None` when no pain was recorded.
    rise: Option<f64>,
    /// Red during its own sets: above the ceiling (PM-2) or felt in the leg (PM-4).
    red: bool,
    /// Gentle, flare-safe work (never held back, so never a retest).
    low_risk: bool,
}

/// One session with a verdict.
struct Unit {
    blocks: Vec<Block>,
    /// The worse check-in's pain above the usual; `None` without a check-in, or when the ache was training
    /// soreness (DS-2: soreness is not a pain signal).
    morning: Option<f64>,
    /// When the session started.
    at: jiff::Timestamp,
    /// Its confirmed verdict is red (the next mornings).
    red_morning: bool,
}

impl Unit {
    /// Red: a red confirmed verdict, or an exercise red during its own sets (PM-2, PM-4).
    fn red(&self) -> bool {
        self.red_morning || self.blocks.iter().any(|b| b.red)
    }
}

#[derive(Clone, Copy)]
enum Candidate<'a> {
    Exercise(&'a str),
    Pattern(Pattern),
    Direction(Direction),
}

impl<'a> Candidate<'a> {
    /// The candidate a named cause was found as.
    fn of(cause: &'a Cause) -> Option<Candidate<'a>> {
        match cause.level {
            CauseLevel::Exercise => Some(Candidate::Exercise(&cause.name)),
            CauseLevel::Pattern => cause.pattern().map(Candidate::Pattern),
            CauseLevel::Direction => cause.direction().map(Candidate::Direction),
        }
    }

    fn exposure(&self, b: &Block) -> f64 {
        match self {
            Candidate::Exercise(id) => {
                if b.exercise == *id {
                    b.spinal_sets
                } else {
                    0.0
                }
            }
            Candidate::Pattern(p) => {
                if b.pattern == Some(*p) {
                    b.spinal_sets
                } else {
                    0.0
                }
            }
            Candidate::Direction(d) => b.demand[d.index()] * b.spinal_sets,
        }
    }

    /// Whether a block is what a retest of this cause brings back (CA-6): for a direction, loading it at 2 or
    /// more, the load CA-4 holds back (lighter loading of it goes on meanwhile). Everywhere else a direction counts
    /// with any load on it (`exposure`).
    fn retested_by(&self, b: &Block) -> bool {
        match self {
            Candidate::Direction(d) => b.demand[d.index()] >= 2.0,
            _ => self.exposure(b) > 0.0,
        }
    }

    /// Whether naming this candidate holds the exercise back (CA-4): it is the exercise, its pattern, or a
    /// direction it loads at 2 or more (`Cause::covers_exercise` asks this of a named cause).
    fn holds_back(&self, e: &crate::catalog::Exercise) -> bool {
        match self {
            Candidate::Exercise(id) => e.id == *id,
            Candidate::Pattern(p) => e.pattern == *p,
            Candidate::Direction(d) => e.spinal.along(*d) >= 2,
        }
    }

    /// How many covariates its fits take (CA-3): its exposure and the volume, and for a direction the other four
    /// directions between them.
    fn covariates(&self) -> usize {
        match self {
            Candidate::Direction(_) => 6,
            _ => 2,
        }
    }

    fn level(&self) -> CauseLevel {
        match self {
            Candidate::Exercise(_) => CauseLevel::Exercise,
            Candidate::Pattern(_) => CauseLevel::Pattern,
            Candidate::Direction(_) => CauseLevel::Direction,
        }
    }

    fn name(&self) -> String {
        match self {
            Candidate::Exercise(id) => (*id).to_owned(),
            Candidate::Pattern(p) => p.as_str().to_owned(),
            Candidate::Direction(d) => d.as_str().to_owned(),
        }
    }
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Writes a block's load on the four directions other than `d` into `v`, from `from` on: the controls that tell
/// apart directions which travel together in the catalog (a squat loads compression and flexion).
fn other_directions(v: &mut [f64; COVARIATES], from: usize, d: Direction, b: &Block) {
    for (slot, i) in (0..5).filter(|i| *i != d.index()).enumerate() {
        v[from + slot] = b.demand[i] * b.spinal_sets;
    }
}

/// The sums of the two fits (CA-1) for one candidate: one row per block with pain recorded, and one per settled
/// session with a morning (its blocks' covariates summed); each also over the rows without the candidate (CA-3's
/// spread).
struct Rows {
    rises: Gram,
    rises_absent: Gram,
    mornings: Gram,
    mornings_absent: Gram,
}

fn rows(
    units: &[Unit],
    covariates: impl Fn(&Block) -> [f64; COVARIATES],
    absent: impl Fn(&Block) -> bool,
) -> Rows {
    let mut out = Rows {
        rises: Gram::default(),
        rises_absent: Gram::default(),
        mornings: Gram::default(),
        mornings_absent: Gram::default(),
    };
    for u in units {
        let mut total: Row = [0.0; WIDTH];
        for b in &u.blocks {
            let mut row: Row = [0.0; WIDTH];
            row[..COVARIATES].copy_from_slice(&covariates(b));
            for (t, x) in total.iter_mut().zip(&row) {
                *t += x;
            }
            if let Some(r) = b.rise {
                row[Y] = r;
                out.rises.push(&row);
                if absent(b) {
                    out.rises_absent.push(&row);
                }
            }
        }
        if let Some(m) = u.morning
            && !u.blocks.is_empty()
        {
            total[Y] = m;
            out.mornings.push(&total);
            if u.blocks.iter().all(&absent) {
                out.mornings_absent.push(&total);
            }
        }
    }
    out
}

fn units(verdicts: &[SessionVerdict], catalog: &Catalog) -> Vec<Unit> {
    verdicts.iter().filter_map(|v| unit(v, catalog)).collect()
}

/// A session as the fits see it; `None` without a verdict.
fn unit(v: &SessionVerdict, catalog: &Catalog) -> Option<Unit> {
    v.verdict?;
    let worse = v.morning_pain.max(v.second_pain);
    let morning = (v.status == VerdictStatus::Confirmed && !v.soreness)
        .then_some(worse)
        .flatten()
        .map(|p| f64::from(p) - v.morning_baseline);
    Some(Unit {
        blocks: v
            .exercises
            .iter()
            .map(|e| {
                let known = catalog.get(&e.exercise);
                Block {
                    exercise: e.exercise.clone(),
                    pattern: known.map(|x| x.pattern),
                    demand: known.map_or([0.0; 5], |x| x.spinal.by_direction().map(f64::from)),
                    sets: e.sets as f64,
                    spinal_sets: e.weighted_sets,
                    rise: e.pain_rise.map(f64::from),
                    red: e.verdict == Some(Verdict::Red) && matches!(e.rule, RuleId::Pm2 | RuleId::Pm4),
                    low_risk: known.is_some_and(|x| x.is_low_risk()),
                }
            })
            .collect(),
        morning,
        at: v.session_at,
        red_morning: v.status == VerdictStatus::Confirmed && v.verdict == Some(Verdict::Red),
    })
}

/// Every cause that stands out, strongest first (CA-1…CA-4), from the sessions' verdicts and the sums the fold
/// kept of them (`sums` must cover exactly `verdicts`).
pub fn find(verdicts: &[SessionVerdict], sums: &Sums, catalog: &Catalog, settings: &Settings) -> Vec<Cause> {
    debug_assert_eq!(
        sums.covered(),
        verdicts.len(),
        "cause sums out of step with the verdicts"
    );
    // Each candidate's score comes from the sums; the sessions themselves are read only when one stands out, to put
    // it into words and weigh it further (CA-5 … CA-7). Most assessments name nothing new and read none.
    let standing: Vec<(Candidate<'_>, Scored)> = sums
        .candidates()
        .filter_map(|c| sums.score(c, settings).map(|s| (c, s)))
        .filter(|(_, s)| s.score >= settings.cause_weak_score)
        .collect();
    if standing.is_empty() {
        return Vec::new();
    }
    let units = units(verdicts, catalog);
    let alone = standing
        .into_iter()
        .filter_map(|(c, s)| describe(c, &units, settings, None, s))
        .collect();
    let (mut out, beside) = nest(alone, &units, catalog, settings);
    confirm_at_retests(&mut out, &units, catalog, settings);
    confirm_by_later_sessions(&mut out, &units, settings);
    // Strongest first; on a tie (an exercise that is the only one of its pattern done so far) the broader cause,
    // since the data cannot tell them apart and the planner holds back the broader one anyway.
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.level.cmp(&a.level))
            .then(a.name.cmp(&b.name))
    });
    broader_first(&mut out, &beside);
    out
}

/// CA-5's order: a broader cause comes before a narrower one it relates to (`beside`) when it is held with at least
/// the same confidence. Either it was named in place of an exercise or pattern that stays named beside it (the
/// broader one does not hold all of it back): the rest of the group going with more pain is the evidence that the
/// back reacts to the group, the narrower cause is kept only so that the planner still holds it back, and its own
/// score, taken from the same sessions, says nothing more. Or it holds an exercise back whole and the rest could not
/// tell them apart: the exact-tie rule of `find`, wherever the data cannot separate the two.
fn broader_first(out: &mut Vec<Cause>, beside: &[Beside]) {
    let at = |out: &[Cause], (level, name): &(CauseLevel, String)| {
        out.iter().position(|c| c.level == *level && c.name == *name)
    };
    // Each move puts a cause earlier, and a cause moves only in front of one it gave way from: a bounded pass.
    for _ in 0..=beside.len() {
        let mut moved = false;
        for b in beside {
            let (Some(n), Some(w)) = (at(out, &b.narrow), at(out, &b.wider)) else {
                continue;
            };
            if w > n && out[w].confidence >= out[n].confidence {
                let wider = out.remove(w);
                out.insert(n, wider);
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
}

/// A narrower cause and a broader one that `broader_first` lists before it (CA-5): (level, name) of each.
struct Beside {
    narrow: (CauseLevel, String),
    wider: (CauseLevel, String),
}

/// The causes named from these sessions (CA-3, CA-4, CA-5), in no order.
fn named(units: &[Unit], catalog: &Catalog, settings: &Settings) -> Vec<Cause> {
    nest(named_alone(units, catalog, settings), units, catalog, settings).0
}

/// The candidates named on their own scores (CA-3, CA-4), before CA-5 weighs each against the broader causes.
fn named_alone(units: &[Unit], catalog: &Catalog, settings: &Settings) -> Vec<Cause> {
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    let mut patterns: BTreeSet<Pattern> = BTreeSet::new();
    for b in units.iter().flat_map(|u| &u.blocks) {
        ids.insert(&b.exercise);
        if let Some(e) = catalog.get(&b.exercise) {
            patterns.insert(e.pattern);
        }
    }
    let candidates = ids
        .iter()
        .map(|id| Candidate::Exercise(id))
        .chain(patterns.iter().map(|p| Candidate::Pattern(*p)))
        .chain(Direction::ALL.iter().map(|d| Candidate::Direction(*d)));
    candidates
        .filter_map(|c| weigh(c, units, settings, None))
        .collect()
}

/// The score under which the sessions since a confirmation are calm enough to clear it (CA-6): CA-5's "calm".
const CALM_SCORE: f64 = 1.0;

/// How many sessions of a return count as its retest (CA-6): the first, at the reduced dose, and the next, which
/// brings the dose back. A back that reacts to the full dose but not to the reduced one shows it in the second.
const RETEST_SESSIONS: usize = 2;

/// A cause's return after its wait (CA-6).
#[derive(Clone, Copy)]
struct Return {
    /// The unit it was last done in before the wait, and when.
    last_done: usize,
    before: jiff::Timestamp,
    /// The unit it came back in, and when.
    first: usize,
    at: jiff::Timestamp,
    /// How many more of its sessions count as the retest.
    left: usize,
}

/// CA-6: a cause is confirmed at its retest. One named with moderate confidence becomes strong when it came back
/// after at least `park_days` without it — the retest the ledger (C6) or the planner (CA-4) schedules — and the
/// response it was named for came back in the first `RETEST_SESSIONS` sessions of the return: pain rising by a point
/// or more during its sets, the next morning above the usual pain, or a red; provided it had been named (moderate or
/// more) before it came back, from the sessions up to its last time before the wait or from all of them. This is
/// C6's "red again at its retest confirms it", for causes found across sessions: a prediction made from the earlier
/// sessions, tested under the conditions C5 asks for, and borne out. A confirmed cause weighed down to weak by the
/// sessions after it stays confirmed until it is done again (an exercise, whose retests are the ledger's) or until
/// `cause_min_exposures` sessions of it since are calm (a pattern or direction).
fn confirm_at_retests(out: &mut [Cause], units: &[Unit], catalog: &Catalog, settings: &Settings) {
    let away = SignedDuration::from_hours(24 * settings.park_days);
    for cause in out
        .iter_mut()
        .filter(|c| matches!(c.confidence, Confidence::Moderate | Confidence::Weak))
    {
        let Some(c) = Candidate::of(cause) else {
            continue;
        };
        // Gentle, flare-safe work is never held back by a pattern or direction (CA-4), so doing it is neither their
        // retest nor a break in their wait; a named exercise is parked and retested whatever it is (C6).
        let exposed = |b: &Block| c.retested_by(b) && (matches!(c, Candidate::Exercise(_)) || !b.low_risk);
        // A cause now named only weakly was confirmed at a retest if it was named with moderate confidence as that
        // retest answered and has not been cleared since: the sessions after it without it say nothing new about
        // it, and a confirmed cause is not let back into the plan by them (only calm retests clear it). An exercise
        // done again since is the ledger's to judge (C6), so for it the whole score decides.
        let weak_now = cause.confidence == Confidence::Weak;
        let last_done = if weak_now {
            match units.iter().rposition(|u| u.blocks.iter().any(exposed)) {
                Some(i) => Some(i),
                None => continue,
            }
        } else {
            None
        };
        // The unit it was last done in, and when.
        let mut last: Option<(usize, jiff::Timestamp)> = None;
        let mut back: Option<Return> = None;
        for (i, u) in units.iter().enumerate() {
            let blocks: Vec<&Block> = u.blocks.iter().filter(|b| exposed(b)).collect();
            if blocks.is_empty() {
                continue;
            }
            if let Some((j, t)) = last
                && u.at.duration_since(t) >= away
            {
                back = Some(Return {
                    last_done: j,
                    before: t,
                    first: i,
                    at: u.at,
                    left: RETEST_SESSIONS,
                });
            }
            last = Some((i, u.at));
            let Some(r) = back.as_mut() else {
                continue;
            };
            if r.left == 0 {
                back = None;
                continue;
            }
            r.left -= 1;
            let r = *r;
            // The response it was named for, again: pain rising by a point or more during its sets, the next
            // morning above the usual pain (not training soreness), or a red.
            let rose = blocks.iter().any(|b| b.rise.is_some_and(|r| r >= 1.0));
            let morning_up = u.morning.is_some_and(|m| m >= 1.0);
            let response = if u.red_morning || blocks.iter().any(|b| b.red) {
                "went red"
            } else if rose {
                "pain rose again during it"
            } else if morning_up {
                "the next morning was above your usual pain again"
            } else {
                continue;
            };
            // The prediction is the one the wait was for: named from the sessions up to its last time before the
            // wait (what held it back), or from all the sessions before it came back. The calm sessions of the wait
            // can dilute a finding below moderate without any new evidence about the cause itself.
            let named_from = |prefix: &[Unit]| {
                named(prefix, catalog, settings).iter().any(|p| {
                    p.level == cause.level && p.name == cause.name && p.confidence >= Confidence::Moderate
                })
            };
            // A pattern or direction done again since stays confirmed unless the sessions since clear it: at least
            // `cause_min_exposures` of them doing what it holds back, and calm, weighed on their own (a score under
            // 1, CA-5's "calm"; or, where nothing varied enough to weigh, calm by their readings: sessions without
            // the pain readings clear nothing, as BK-1 counts no calm without a check-in). A test passed is not
            // undone by one or two easy sessions after it, nor by the wider spread that other exercises' bad days
            // give the whole history.
            // Done again since this unit (an exercise then goes by its whole score, so nothing is weighed for it).
            let done_since = last_done.is_some_and(|last| last > i);
            let exercise = matches!(c, Candidate::Exercise(_));
            let since = (done_since && !exercise).then(|| {
                let later = &units[i + 1..];
                let doing: Vec<&Unit> = later.iter().filter(|u| u.blocks.iter().any(exposed)).collect();
                if doing.len() < settings.cause_min_exposures {
                    return (doing.len(), None, false);
                }
                // Where no fit can be made (nothing varied), calm read directly: every such session has its pain
                // read during those sets and a settled next morning, none rose by a point, none was red.
                let read_calm = || {
                    doing.iter().all(|u| {
                        !u.red()
                            && u.morning.is_some_and(|m| m < 1.0)
                            && u.blocks
                                .iter()
                                .filter(|b| exposed(b))
                                .all(|b| b.rise.is_some_and(|r| r < 1.0))
                    })
                };
                let weighed = score(c, later, settings).map(|s| s.score);
                let calm = weighed.map_or_else(read_calm, |s| s < CALM_SCORE);
                (doing.len(), weighed, calm)
            });
            let held_since = match since {
                _ if last_done.is_none() => true,
                _ if done_since && exercise => false,
                Some((_, _, true)) => false,
                _ => named_from(&units[..=i]),
            };
            if held_since && (named_from(&units[..=r.last_done]) || named_from(&units[..r.first])) {
                cause.confidence = Confidence::Strong;
                let on = if u.at == r.at {
                    " and".to_owned()
                } else {
                    format!(", and on {} as its dose came back,", u.at.strftime("%Y-%m-%d"))
                };
                cause.evidence = format!(
                    "{} Confirmed at its retest: after {} days without it, it came back on {}{on} {response}.",
                    cause.evidence,
                    r.at.duration_since(r.before).as_hours() / 24,
                    r.at.strftime("%Y-%m-%d")
                );
                match since {
                    _ if !weak_now => {}
                    None => cause.evidence.push_str(
                        " It has not been done since: the sessions after it, all without it, weigh it less but say \
                         nothing new about it, so it stays confirmed until a retest clears it.",
                    ),
                    Some((times, _, _)) if times < settings.cause_min_exposures => {
                        cause.evidence.push_str(&format!(
                            " It has been done in {times} session(s) since, too few to clear it, so it stays \
                             confirmed until {} calm ones do.",
                            settings.cause_min_exposures
                        ))
                    }
                    Some((_, Some(s), _)) => cause.evidence.push_str(&format!(
                        " The sessions since, weighed on their own, still go with more pain (score {}), so it \
                         stays confirmed.",
                        crate::units::format_number(round2(s))
                    )),
                    Some((_, None, _)) => cause.evidence.push_str(
                        " The sessions since are too few to weigh, and their readings do not show them calm (pain \
                         rising a point, a red, or a reading missing), so it stays confirmed.",
                    ),
                }
                break;
            }
        }
    }
}

/// How many prefixes of the history CA-7 weighs at most to find when a cause was first named: every session's
/// prefix on a short history, evenly spaced ones on a long one, so the cost stays bounded.
const NAMING_LOOKS: usize = 48;

/// CA-7: a direction is confirmed by the sessions since it was named. One still named (weak or more) becomes strong
/// when the sessions after it was first named — on its own score, at moderate or more, from the
/// sessions up to then — bear it out on their own: weighed alone, with `cause_min_exposures` exposures of their own,
/// they score `cause_spread_score` or more (about one chance in forty for a direction the back does not react to).
/// This is the prospective half of an n-of-1 comparison: a finding made on one stretch of sessions, tested on a later
/// stretch that played no part in making it. A direction named from light loading of it, which the planner holds
/// back only at 2 or more (CA-4), never comes back as a retest (CA-6) while its light loading goes on; that loading
/// is its test. A named exercise is parked and a named pattern held back whole, so their test is the retest. Once
/// borne out, it stays confirmed while it is named at all: the sessions after the test, in which the planner holds
/// its heavier loading back, dilute the whole score without new evidence against it.
fn confirm_by_later_sessions(out: &mut [Cause], units: &[Unit], settings: &Settings) {
    let n = units.len();
    let step = n.div_ceil(NAMING_LOOKS).max(1);
    for cause in out.iter_mut().filter(|c| {
        matches!(c.confidence, Confidence::Moderate | Confidence::Weak) && c.level == CauseLevel::Direction
    }) {
        let Some(c) = Candidate::of(cause) else {
            continue;
        };
        let first_named = (settings.cause_min_exposures..n).step_by(step).find(|&end| {
            weigh(c, &units[..end], settings, None).is_some_and(|x| x.confidence >= Confidence::Moderate)
        });
        let Some(end) = first_named else {
            continue;
        };
        // The sessions after it was first named, weighed on their own as each came in: it was borne out once they
        // scored `cause_spread_score`, and stays so while the whole history still names it (this loop runs only for
        // such a cause). More sessions of its light loading go into that whole score; they do not undo a test it has
        // passed, so a confirmation does not come and go from one week to the next. All of them are tried first, as
        // the test that reads most of its evidence.
        // Named only weakly now, it stays confirmed when it passed that test while the history up to then still
        // named it at moderate or more: the check against chance that the whole history gives a moderate cause.
        let weak_now = cause.confidence == Confidence::Weak;
        let borne =
            |later: &[Unit]| score(c, later, settings).filter(|s| s.score >= settings.cause_spread_score);
        let whole = if weak_now {
            None
        } else {
            borne(&units[end..]).map(|s| (n, s))
        };
        let passed = whole.or_else(|| {
            let mut sums = Sums::default();
            units[end..].iter().enumerate().find_map(|(k, u)| {
                sums.push_unit(u);
                let upto = end + k + 1;
                sums.score(c, settings)
                    .filter(|s| s.score >= settings.cause_spread_score)
                    .filter(|_| {
                        !weak_now
                            || weigh(c, &units[..upto], settings, None)
                                .is_some_and(|x| x.confidence >= Confidence::Moderate)
                    })
                    .map(|s| (upto, s))
            })
        });
        if let Some((upto, later)) = passed {
            cause.confidence = Confidence::Strong;
            let after = if upto == n {
                format!("the {} sessions after, weighed on their own, show", n - end)
            } else {
                format!(
                    "the {} sessions after, up to {}, weighed on their own, showed",
                    upto - end,
                    units[upto - 1].at.strftime("%Y-%m-%d")
                )
            };
            cause.evidence = format!(
                "{} Borne out since: first named from the sessions up to {}, and {after} it again (score {}).",
                cause.evidence,
                units[end - 1].at.strftime("%Y-%m-%d"),
                crate::units::format_number(round2(later.score))
            );
        }
    }
}

/// CA-5: a named exercise and the broader causes that hold it (its pattern, a direction it loads at all) are told
/// apart by the rest of each broader cause — its other exercises, weighed with the named exercise held fixed. When
/// the rest also goes with more pain (a score of `cause_spread_score`, and an effect of at least
/// `cause_spread_share` of the exercise's own), the back reacts to the broader cause and the exercise was only its
/// most frequent carrier: the broader cause is named in its place, its score pooled with the exercise's (Stouffer).
/// When the rest was done often enough and stays calm (a score under 1), the exercise alone is named and a broader
/// cause it alone carried is dropped. Otherwise the data cannot tell them apart and both stand. A named pattern is
/// weighed the same way against the directions its exercises load (at 1 or more on average): every squat loads
/// flexion, so a back that reacts to flexion shows it most in squats, and the flexion of the other exercises tells
/// the two apart.
fn nest(
    mut out: Vec<Cause>,
    units: &[Unit],
    catalog: &Catalog,
    settings: &Settings,
) -> (Vec<Cause>, Vec<Beside>) {
    let mut beside = Vec::new();
    // Exercises first, then patterns (one an exercise gave way to included): a pattern is weighed in turn against
    // the directions its exercises load.
    for level in [CauseLevel::Exercise, CauseLevel::Pattern] {
        let named: Vec<(String, f64)> = out
            .iter()
            .filter(|c| c.level == level)
            .map(|c| (c.name.clone(), c.score))
            .collect();
        for (name, score) in named {
            // One an earlier step dropped stays dropped.
            if out.iter().any(|c| c.level == level && c.name == name) {
                out = nest_one(out, (level, &name, score), units, catalog, settings, &mut beside);
            }
        }
    }
    (out, beside)
}

/// CA-5 for one named exercise or pattern (its level, name and score). A broader cause kept beside it, or one the
/// rest cannot tell from it, goes into `beside` for `broader_first`.
fn nest_one(
    mut out: Vec<Cause>,
    (level, name, score): (CauseLevel, &str, f64),
    units: &[Unit],
    catalog: &Catalog,
    settings: &Settings,
    beside: &mut Vec<Beside>,
) -> Vec<Cause> {
    let (narrow, exercise) = match level {
        CauseLevel::Exercise => match catalog.get(name) {
            Some(e) => (Candidate::Exercise(name), Some(e)),
            None => return out,
        },
        _ => match name.parse::<Pattern>() {
            Ok(p) => (Candidate::Pattern(p), None),
            Err(_) => return out,
        },
    };
    // Each direction's demand per set of the named cause: the exercise's own, or the mean over the pattern's sets
    // done (weighted by sets).
    let demand: [f64; 5] = match exercise {
        Some(e) => e.spinal.by_direction().map(f64::from),
        None => {
            let (mut sum, mut sets) = ([0.0; 5], 0.0);
            for blk in units
                .iter()
                .flat_map(|u| &u.blocks)
                .filter(|b| narrow.exposure(b) > 0.0)
            {
                for (s, d) in sum.iter_mut().zip(&blk.demand) {
                    *s += d * blk.sets;
                }
                sets += blk.sets;
            }
            sum.map(|x| if sets > 0.0 { x / sets } else { 0.0 })
        }
    };
    let broader = exercise.map(|e| Candidate::Pattern(e.pattern)).into_iter().chain(
        Direction::ALL
            .iter()
            .filter(|d| demand[d.index()] >= 1.0)
            .map(|d| Candidate::Direction(*d)),
    );
    let mut spread: Option<(f64, Candidate<'_>)> = None;
    for b in broader {
        let per_set = match b {
            Candidate::Direction(d) => demand[d.index()],
            _ => 1.0,
        };
        // A broader cause that holds the exercise back whole, where the rest cannot tell them apart (too rarely
        // done, or neither clearly calm nor clearly along): it goes first, as on an exact tie.
        let untold = |beside: &mut Vec<Beside>| {
            if exercise.is_some_and(|e| b.holds_back(e)) {
                beside.push(Beside {
                    narrow: (level, name.to_owned()),
                    wider: (b.level(), b.name()),
                });
            }
        };
        let Some((t, share)) = rest_score(b, narrow, per_set, units, settings) else {
            untold(beside);
            continue;
        };
        if t >= settings.cause_spread_score && share >= settings.cause_spread_share {
            if spread.is_none_or(|(best, _)| t > best) {
                spread = Some((t, b));
            }
        } else if t < 1.0 {
            out.retain(|c| !(c.level == b.level() && c.name == b.name() && c.score <= score));
        } else if t < settings.cause_spread_score {
            untold(beside);
        }
    }
    let Some((t, b)) = spread else {
        return out;
    };
    let phrase = match level {
        CauseLevel::Exercise => format!("{name} goes"),
        _ => format!("{name} exercises go"),
    };
    let pool = Pool {
        narrow: &phrase,
        score: (score + t) / 2f64.sqrt(),
        rest: t,
    };
    if let Some(wider) = weigh(b, units, settings, Some(pool)) {
        // The named cause stays beside a direction that does not hold all of it back (CA-4 holds back demand 2 or
        // more): an exercise that loads it only lightly, or a pattern with such an exercise among those done.
        let covered = match exercise {
            Some(e) => wider.covers_exercise(e),
            None => units
                .iter()
                .flat_map(|u| &u.blocks)
                .filter(|blk| narrow.exposure(blk) > 0.0)
                .all(|blk| {
                    catalog
                        .get(&blk.exercise)
                        .is_some_and(|e| wider.covers_exercise(e))
                }),
        };
        if covered {
            out.retain(|c| !(c.level == level && c.name == name));
        } else {
            beside.push(Beside {
                narrow: (level, name.to_owned()),
                wider: (wider.level, wider.name.clone()),
            });
        }
        out.retain(|c| !(c.level == wider.level && c.name == wider.name));
        out.push(wider);
    }
    out
}

/// The rest of a broader cause beside a named exercise or pattern (CA-5): the combined t statistic of the broader
/// cause's exposure in the other blocks, with the named cause's own sets and the volume of all sets alongside, and
/// how much of the named cause's own effect per set the rest predicts for it (`per_set`: its demand on the
/// direction, or 1 for a pattern). `None` when the rest was in fewer than `cause_min_exposures` sessions or cannot
/// be fitted.
fn rest_score(
    b: Candidate<'_>,
    narrow: Candidate<'_>,
    per_set: f64,
    units: &[Unit],
    settings: &Settings,
) -> Option<(f64, f64)> {
    // The rest's exposure, the named cause's own sets, for a direction the other four directions (so that
    // directions that travel together are told apart, as in CA-3), and the volume last.
    let k = match b {
        Candidate::Direction(_) => 7,
        _ => 3,
    };
    let covariates = |blk: &Block| -> [f64; COVARIATES] {
        let own = narrow.exposure(blk) > 0.0;
        let mut v = [0.0; COVARIATES];
        v[0] = if own { 0.0 } else { b.exposure(blk) };
        v[1] = narrow.exposure(blk);
        if let Candidate::Direction(d) = b {
            other_directions(&mut v, 2, d, blk);
        }
        v[k - 1] = blk.sets;
        v
    };
    let exposed = units
        .iter()
        .filter(|u| {
            u.blocks
                .iter()
                .any(|blk| narrow.exposure(blk) == 0.0 && b.exposure(blk) > 0.0)
        })
        .count();
    if exposed < settings.cause_min_exposures {
        return None;
    }
    let r = rows(units, covariates, |blk| {
        narrow.exposure(blk) == 0.0 && b.exposure(blk) == 0.0
    });
    // The named cause's own coefficient, from the same fit with its column first.
    let kinds: Vec<(Fit, Option<Fit>)> = [(&r.rises, &r.rises_absent), (&r.mornings, &r.mornings_absent)]
        .into_iter()
        .filter_map(|(all, absent)| {
            first_coefficient(all, absent, k, 2).map(|rest| {
                (
                    rest,
                    first_coefficient(&all.swapped(0, 1), &absent.swapped(0, 1), k, 2),
                )
            })
        })
        .collect();
    let first = kinds.first()?;
    let t = stouffer(&kinds.iter().map(|((_, t), _)| *t).collect::<Vec<_>>())?;
    // How much of the named cause's own effect per set the rest predicts for it (per set of the pattern, or per unit
    // of demand times the named cause's demand on the direction), from the first kind of evidence at hand
    // (in-session before mornings).
    let ((rest, _), own) = *first;
    let share = own.map_or(0.0, |(own, _)| {
        if own > 0.0 {
            rest * per_set / own
        } else {
            f64::INFINITY
        }
    });
    Some((t, share))
}

/// A named exercise or pattern whose evidence a broader cause takes over (CA-5).
#[derive(Clone, Copy)]
struct Pool<'a> {
    /// The named cause, as the subject of a sentence ("kettlebell-deadlift goes", "squat exercises go").
    narrow: &'a str,
    /// The exercise's score pooled with the rest's.
    score: f64,
    /// The rest's own score.
    rest: f64,
}

/// A candidate's own score over some sessions (CA-3), with what `describe` puts into words.
struct Scored {
    /// The in-session and morning fits' t statistics, combined (Stouffer).
    score: f64,
    /// The in-session coefficient and its t statistic.
    in_session: Option<Fit>,
}

/// The candidate's own score over these sessions (CA-1 … CA-3); `None` below CA-4's minimum of exposed sessions or
/// with nothing to fit. [`Sums::score`] gives the same from the sums the fold keeps.
fn score(c: Candidate<'_>, units: &[Unit], settings: &Settings) -> Option<Scored> {
    // The covariates of a block: the candidate's exposure first, then what it is weighed against — every set (is
    // a set of it worse than a set of anything else?) and, for a direction, the other four directions, so that
    // directions that travel together in the catalog (a squat loads compression and flexion) are told apart.
    let k = c.covariates();
    let covariates = |b: &Block| -> [f64; COVARIATES] {
        let mut v = [0.0; COVARIATES];
        v[0] = c.exposure(b);
        if let Candidate::Direction(d) = c {
            other_directions(&mut v, 1, d, b);
        }
        v[k - 1] = b.sets;
        v
    };
    // CA-4's minimum: sessions with any exposure to it. For a direction that is any exercise loading it at all: a
    // back can react to a direction the plan so far loads only lightly (many exercises load extension at 1, few at
    // 2), and naming it then keeps the heavier loading of it out of the plan before it is ever tried.
    let exposed_sessions = units
        .iter()
        .filter(|u| u.blocks.iter().any(|b| c.exposure(b) > 0.0))
        .count();
    if exposed_sessions < settings.cause_min_exposures {
        return None;
    }
    // In-session: each block with pain recorded; mornings: each settled session with a check-in that was not
    // training soreness.
    let r = rows(units, covariates, |b| c.exposure(b) == 0.0);
    Scored::of(
        first_coefficient(&r.rises, &r.rises_absent, k, 1),
        first_coefficient(&r.mornings, &r.mornings_absent, k, 1),
    )
}

impl Scored {
    /// The score of the two fits (CA-3); `None` when neither could be made.
    fn of(in_session: Option<Fit>, mornings: Option<Fit>) -> Option<Scored> {
        let ts: Vec<f64> = [in_session, mornings]
            .into_iter()
            .flatten()
            .map(|(_, t)| t)
            .collect();
        Some(Scored {
            score: stouffer(&ts)?,
            in_session,
        })
    }
}

/// The candidate as a cause named on its own score (CA-3, CA-4), or pooled with a narrower one (CA-5); `None` when it
/// is not named.
fn weigh(c: Candidate<'_>, units: &[Unit], settings: &Settings, pool: Option<Pool<'_>>) -> Option<Cause> {
    let scored = score(c, units, settings)?;
    describe(c, units, settings, pool, scored)
}

/// A scored candidate in words, and whether the plain averages agree with its fit (CA-4); `None` when it is not
/// named.
fn describe(
    c: Candidate<'_>,
    units: &[Unit],
    settings: &Settings,
    pool: Option<Pool<'_>>,
    scored: Scored,
) -> Option<Cause> {
    let Scored {
        score: own,
        in_session,
    } = scored;
    // Each session's exposure to the candidate, in `units` order.
    let session_x: Vec<f64> = units
        .iter()
        .map(|u| u.blocks.iter().map(|b| c.exposure(b)).sum())
        .collect();
    let score = pool.map_or(own, |p| own.max(p.score));

    // The plain averages shown in words: the rise during blocks with any exposure to it against the others — the
    // split the fit itself makes (a block loading a direction at 1 is exposed to it, at a third of the highest
    // demand). CA-4 names a cause only when these averages agree with the fit.
    let (mut rise_with, mut rise_without) = (Vec::new(), Vec::new());
    for b in units.iter().flat_map(|u| &u.blocks) {
        if let Some(r) = b.rise {
            if c.exposure(b) > 0.0 {
                rise_with.push(r);
            } else {
                rise_without.push(r);
            }
        }
    }
    // The counts in words: for an exercise or a pattern, sessions with it against those without; for a direction,
    // the heavier half of sessions against the lighter half.
    let split = match c {
        Candidate::Direction(_) => {
            let mut xs: Vec<f64> = session_x.iter().copied().filter(|x| *x > 0.0).collect();
            xs.sort_by(f64::total_cmp);
            xs.get(xs.len() / 2).copied().unwrap_or(0.0)
        }
        _ => 0.0,
    };
    let heavy = |x: f64| match c {
        Candidate::Direction(_) => x > split,
        _ => x > 0.0,
    };
    let (mut m_with, mut m_without) = (Vec::new(), Vec::new());
    let (mut s_with, mut s_without, mut red_with, mut red_without) = (0, 0, 0, 0);
    for (u, x) in units.iter().zip(&session_x) {
        if heavy(*x) {
            s_with += 1;
            red_with += usize::from(u.red());
            m_with.extend(u.morning);
        } else {
            s_without += 1;
            red_without += usize::from(u.red());
            m_without.extend(u.morning);
        }
    }
    let (rw, rwo) = (mean(&rise_with), mean(&rise_without));
    let (mw, mwo) = (mean(&m_with), mean(&m_without));
    // CA-4: the difference must matter in pain points, in at least one kind of evidence: each set of it (at the
    // highest demand, for a direction) raises pain by more than a set of anything else does, or the mornings after
    // it stand higher.
    let gap = |a: Option<f64>, b: Option<f64>| a.zip(b).map_or(0.0, |(a, b)| a - b);
    let per_set = in_session.map_or(0.0, |(b, _)| match c {
        Candidate::Direction(_) => 3.0 * b,
        _ => b,
    });
    // The fit controls for the rest of the training, so it can disagree with the plain averages a person reads; a
    // cause is named only when the averages shown agree with it.
    // A broader cause taking over a named exercise's evidence (CA-5) needs only the averages to point the same way:
    // the exercise's own difference already mattered, and the rest of the group is what is added.
    let matters = if pool.is_some() {
        gap(rw, rwo) > 0.0 || gap(mw, mwo) > 0.0
    } else {
        (per_set >= settings.cause_min_rise && gap(rw, rwo) > 0.0)
            || gap(mw, mwo) >= settings.cause_min_morning
    };
    let confidence = if score >= settings.cause_strong_score {
        Confidence::Strong
    } else if score >= settings.cause_moderate_score {
        Confidence::Moderate
    } else if score >= settings.cause_weak_score {
        Confidence::Weak
    } else {
        return None;
    };
    if !matters {
        return None;
    }
    let what = match c {
        Candidate::Exercise(id) => id.to_owned(),
        Candidate::Pattern(p) => format!("{} exercises", p.as_str()),
        Candidate::Direction(d) => format!("exercises that load {}", d.as_str()),
    };
    let mut parts = Vec::new();
    if let (Some(a), Some(b)) = (rw, rwo) {
        parts.push(format!(
            "pain rose by {} on average during {what} ({} times), by {} during the rest ({} times)",
            crate::units::format_number(round2(a)),
            rise_with.len(),
            crate::units::format_number(round2(b)),
            rise_without.len()
        ));
    }
    if let (Some(a), Some(b)) = (mw, mwo) {
        let after = match c {
            Candidate::Direction(d) => format!("your heavier {} sessions", d.as_str()),
            _ => format!("sessions with {what}"),
        };
        parts.push(format!(
            "mornings after {after} were {} above your usual pain, after the others {}",
            crate::units::format_number(round2(a)),
            crate::units::format_number(round2(b))
        ));
    }
    parts.push(format!(
        "red after {red_with} of {s_with} such sessions and {red_without} of {s_without} others"
    ));
    if let Some(p) = pool {
        parts.push(format!(
            "{} with more pain, and so do the other {what} beside it (score {}), so the whole group is named",
            p.narrow,
            crate::units::format_number(round2(p.rest))
        ));
    }
    let evidence = format!(
        "{}: {} ({} confidence, score {}). An association in your own data, not a diagnosis.",
        c.name(),
        parts.join("; "),
        confidence.as_str(),
        crate::units::format_number(round2(score))
    );
    Some(Cause {
        level: c.level(),
        name: c.name(),
        confidence,
        score: round2(score),
        rise_with: rw.map(round2),
        rise_without: rwo.map(round2),
        blocks_with: rise_with.len(),
        blocks_without: rise_without.len(),
        morning_with: mw.map(round2),
        morning_without: mwo.map(round2),
        sessions_with: s_with,
        sessions_without: s_without,
        red_with,
        red_without,
        evidence,
    })
}

#[cfg(test)]
mod order_tests {
    use super::*;

    fn cause(level: CauseLevel, name: &str, confidence: Confidence, score: f64) -> Cause {
        Cause {
            level,
            name: name.to_owned(),
            confidence,
            score,
            rise_with: None,
            rise_without: None,
            blocks_with: 0,
            blocks_without: 0,
            morning_with: None,
            morning_without: None,
            sessions_with: 0,
            sessions_without: 0,
            red_with: 0,
            red_without: 0,
            evidence: String::new(),
        }
    }

    fn beside(narrow: (CauseLevel, &str), wider: (CauseLevel, &str)) -> Beside {
        Beside {
            narrow: (narrow.0, narrow.1.to_owned()),
            wider: (wider.0, wider.1.to_owned()),
        }
    }

    fn names(out: &[Cause]) -> Vec<&str> {
        out.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn a_broader_cause_goes_before_the_one_it_stands_beside_at_the_same_confidence_or_more() {
        use CauseLevel::*;
        let mut out = vec![
            cause(Exercise, "lat-pulldown", Confidence::Strong, 7.7),
            cause(Exercise, "front-squat", Confidence::Weak, 3.1),
            cause(Direction, "shear", Confidence::Strong, 6.0),
            cause(Pattern, "hinge", Confidence::Moderate, 4.0),
        ];
        let rel = [
            beside((Exercise, "lat-pulldown"), (Direction, "shear")),
            beside((Exercise, "front-squat"), (Pattern, "hinge")),
            // Not named: nothing moves for it.
            beside((Exercise, "lat-pulldown"), (Pattern, "vertical-pull")),
        ];
        broader_first(&mut out, &rel);
        assert_eq!(names(&out), ["shear", "lat-pulldown", "hinge", "front-squat"]);
    }

    #[test]
    fn a_broader_cause_held_with_less_confidence_stays_after() {
        use CauseLevel::*;
        let mut out = vec![
            cause(Exercise, "kettlebell-deadlift", Confidence::Strong, 5.0),
            cause(Direction, "compression", Confidence::Moderate, 4.5),
            cause(Exercise, "dead-bug", Confidence::Weak, 3.0),
        ];
        let rel = [beside(
            (Exercise, "kettlebell-deadlift"),
            (Direction, "compression"),
        )];
        broader_first(&mut out, &rel);
        assert_eq!(names(&out), ["kettlebell-deadlift", "compression", "dead-bug"]);
        // Already first: stays first.
        let mut out = vec![
            cause(Direction, "compression", Confidence::Strong, 6.0),
            cause(Exercise, "kettlebell-deadlift", Confidence::Strong, 5.0),
        ];
        broader_first(&mut out, &rel);
        assert_eq!(names(&out), ["compression", "kettlebell-deadlift"]);
    }
}
