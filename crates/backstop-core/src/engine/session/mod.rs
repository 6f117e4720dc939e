//! Per-session work: novelties (C5), in-session verdicts (PM-2, PM-4), the morning and 48 h verdicts (PM-5, DS-2,
//! DS-3), and passing the session's verdict to its exercises (BK-3 in `docs/rules.md`).

use crate::rules::RuleId;
use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::sensitivity::{CATEGORIES, finding, session_counts};
use super::{SensitivityStatus, Settings, Text, Verdict};
use crate::catalog::Catalog;
use crate::facts::{CheckIn, Dose, Felt, Profile, Session, SetEntry};
use crate::units::{Load, Rpe};
use crate::vocab::{Direction, Sensitivity};

mod blame;
mod in_session;
mod morning;
mod novelty;
mod share;

use morning::Settled;

/// Which check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CheckKind {
    /// The next-morning check-in, about 24 h after.
    #[serde(rename = "24h")]
    Morning,
    /// The check-in about 48 h after.
    #[serde(rename = "48h")]
    Second,
}

impl CheckKind {
    /// "24h" or "48h".
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Morning => "24h",
            CheckKind::Second => "48h",
        }
    }
}

/// How settled a verdict is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictStatus {
    /// Waiting for check-ins.
    Pending,
    /// Decided with at least one check-in.
    Confirmed,
    /// No check-in came within 72 h: decided on in-session data alone; never counts as green for tolerance.
    Unconfirmed,
    /// No pain was recorded during it or after it (an imported workout, most often): kept as history of what was
    /// done and at what load, not judged (BK-9).
    Unrated,
}

/// What kind of change a novelty is (C5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoveltyKind {
    /// Never done before.
    New,
    /// Not done for a long time.
    Reintroduced,
    /// Heavier than last time, on a high-demand exercise.
    LoadStep,
    /// More sets than last time, on a high-demand exercise.
    SetStep,
    /// Reps beyond the top of the range, on a high-demand exercise.
    RepsBeyondRange,
    /// Done again after its parking time, when it was red last time: the retest (C6).
    Retest,
}

/// A change in a session that a bad response could be pinned on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Novelty {
    /// The exercise.
    pub exercise: Text,
    /// What changed.
    pub kind: NoveltyKind,
    /// In words, with the numbers.
    pub detail: Text,
}

/// How much of a session's bad response an exercise carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Blame {
    /// None.
    None,
    /// Shared with others: regress, but not declared provocative on this alone.
    Shared,
    /// Pinned on it: the session's lone novelty, or pain felt in it during the session.
    Attributed,
}

/// One exercise's verdict within a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExerciseVerdict {
    /// Exercise id.
    pub exercise: Text,
    /// Its verdict, or `None` while the session is pending and the sets gave no signal.
    pub verdict: Option<Verdict>,
    /// The rule that decided it.
    pub rule: RuleId,
    /// One sentence with the numbers.
    pub reason: Text,
    /// Its share of the blame.
    pub blame: Blame,
    /// Highest pain during its sets.
    pub max_pain: Option<u8>,
    /// Number of sets done.
    pub sets: usize,
    /// How far pain rose during its sets: the pain at its last set with pain recorded, less the pain of the last
    /// set before its first one (or the pre-session pain), each counted from the pre-session pain up. The
    /// in-session evidence about it (CA-1); `None` when no pain was recorded during its sets.
    #[serde(skip)]
    pub pain_rise: Option<i16>,
    /// Its sets weighted by how hard each was on the spine (CA-2): the exposure the causes are weighed on.
    #[serde(skip)]
    pub weighted_sets: f64,
}

/// A session's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionVerdict {
    /// Start of the session.
    pub session_at: Timestamp,
    /// Green, amber, red, or `None` while pending.
    pub verdict: Option<Verdict>,
    /// Pending, confirmed or unconfirmed.
    pub status: VerdictStatus,
    /// The rule that decided it.
    pub rule: RuleId,
    /// One sentence with the numbers.
    pub reason: Text,
    /// Pre-session pain used (the usual pain when none was given).
    pub pain_before: u8,
    /// The in-session ceiling (PM-2).
    pub ceiling: u8,
    /// The usual morning pain used for PM-5.
    pub morning_baseline: f64,
    /// The next-morning pain, if given.
    pub morning_pain: Option<u8>,
    /// The 48 h pain, if given.
    pub second_pain: Option<u8>,
    /// Check-ins still wanted.
    pub awaiting: Vec<CheckKind>,
    /// What was new in this session.
    pub novelties: Vec<Novelty>,
    /// Per exercise.
    pub exercises: Vec<ExerciseVerdict>,
    /// The morning ache was training soreness (DS-2).
    pub soreness: bool,
    /// Leg or nerve symptoms: ask the red-flag questions again (PM-4, RF-4).
    pub rescreen: bool,
    /// When those symptoms were reported.
    #[serde(skip)]
    pub rescreen_at: Option<Timestamp>,
}

/// One exercise's part in one session, as the ledger needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Exposure {
    /// Session start.
    pub at: Timestamp,
    /// Index into the verdicts.
    pub session: usize,
    /// Number of sets.
    pub sets: usize,
    /// Reps, seconds or metres per set (whichever the exercise uses). Held inline up to six sets: a long history
    /// holds one of these per exercise per session, and reading a fold checkpoint back, copying or dropping it then
    /// does not allocate or free one block for each.
    pub amounts: Amounts,
    /// The unit of `amounts`.
    pub unit: AmountUnit,
    /// Heaviest load used.
    pub top_load: Option<Load>,
    /// Highest RPE.
    pub rpe: Option<Rpe>,
    /// Highest pain.
    pub max_pain: Option<u8>,
    /// This exercise's verdict.
    pub verdict: Option<Verdict>,
    /// The session's verdict status.
    pub status: VerdictStatus,
    /// The session's verdict.
    pub session_verdict: Option<Verdict>,
    /// Blame.
    pub blame: Blame,
    /// Whether it was a novelty, and which kind.
    pub novelty: Option<NoveltyKind>,
    /// It was the session's only novelty.
    pub lone_novelty: bool,
    /// Red during the session (PM-2 or PM-4).
    pub red_in_session: bool,
    /// Felt in the back, or form broke down.
    pub form_flag: bool,
    /// Its red came from pain that had climbed before it (BK-6): regressed, never parked for it.
    pub cumulative: bool,
}

/// What `amounts` count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AmountUnit {
    /// Repetitions.
    Reps,
    /// Seconds.
    Seconds,
    /// Metres.
    Metres,
}

/// The result of folding all sessions.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// Verdicts, oldest first.
    pub verdicts: Vec<SessionVerdict>,
    /// Exposures per exercise, oldest first.
    pub exposures: BTreeMap<String, Vec<Exposure>>,
    /// What was done in unrated sessions (BK-9), per exercise, oldest first: history, not evidence.
    pub history: BTreeMap<String, Vec<Exposure>>,
    /// ES-1: per category of [`CATEGORIES`], the red sessions and the green exposures so far.
    pub totals: [(usize, usize); 4],
    /// CA-3's sums over the verdicts, kept beside them so that the causes are weighed without reading them again.
    pub causes: crate::engine::causes::Sums,
}

/// The fold between two sessions: everything the next session is judged against. Once the sessions it covers are
/// settled (no check-in can still change them, see [`super::Checkpoint`]) it is final, so a later fold can start from
/// it instead of from the first session.
#[derive(Debug, Clone, Default)]
pub struct FoldState {
    /// The verdicts, exposures and ES-1 counts so far.
    pub folded: Folded,
    /// BK-7: the newest sessions' loads on the five directions, oldest first (the fold reads the last three).
    pub recent_loads: Vec<[f64; 5]>,
}

/// How many of the newest sessions' direction loads BK-7 compares a session with.
const RECENT_LOADS: usize = 3;

/// The categories in force after some sessions (ES-1): the starting hypothesis until the person's own responses
/// confirm or drop them.
fn in_force_after(totals: &[(usize, usize); 4], hypothesis: &[Sensitivity]) -> Vec<Sensitivity> {
    let mut in_force: Vec<Sensitivity> = CATEGORIES
        .iter()
        .zip(totals)
        .filter_map(|(cat, (red, green))| finding(*cat, *red, *green, hypothesis))
        .filter(|f| f.status != SensitivityStatus::Dropped)
        .map(|f| f.category)
        .collect();
    if hypothesis.contains(&Sensitivity::NonDirectional) {
        in_force.push(Sensitivity::NonDirectional);
    }
    in_force
}

/// An exposure's amounts per set ([`Exposure::amounts`]).
pub type Amounts = smallvec::SmallVec<[u32; 6]>;

/// What one exercise's sets in one session add up to.
struct SetSummary {
    sets: usize,
    /// The sets weighted by how hard each was on the spine (CA-2, `spinal_weight`).
    weighted_sets: f64,
    amounts: Amounts,
    unit: AmountUnit,
    top_load: Option<Load>,
    rpe: Option<Rpe>,
    max_pain: Option<u8>,
    leg: bool,
    form: bool,
}

fn exposure_of(session: &Session, exercise: &str) -> SetSummary {
    let sets: Vec<_> = session.sets.iter().filter(|s| s.exercise == exercise).collect();
    let mut unit = AmountUnit::Reps;
    let amounts = sets
        .iter()
        .map(|s| match s.dose {
            Dose::Reps(r) => {
                unit = AmountUnit::Reps;
                u32::from(r.get())
            }
            Dose::Seconds(x) => {
                unit = AmountUnit::Seconds;
                x.get()
            }
            Dose::Metres(m) => {
                unit = AmountUnit::Metres;
                m.get()
            }
        })
        .collect();
    let top_load = sets.iter().filter_map(|s| s.load).max();
    let rpe = sets.iter().filter_map(|s| s.rpe).max();
    let max_pain = sets.iter().filter_map(|s| s.pain.map(|p| p.value())).max();
    let leg = sets.iter().any(|s| s.felt == Felt::Leg);
    let form = sets.iter().any(|s| s.felt == Felt::Back || s.form_breakdown);
    SetSummary {
        sets: sets.len(),
        weighted_sets: sets.iter().map(|s| spinal_weight(s)).sum(),
        amounts,
        unit,
        top_load,
        rpe,
        max_pain,
        leg,
        form,
    }
}

/// How hard one set was on the spine, for the exposures the causes are weighed on (CA-2), in units of a loaded set
/// at about 70 % of the one-rep max. Spinal load grows with the weight held on top of the body's own (McGill,
/// *Low Back Disorders*, 2016: compression rises with the load in the hands), so a set counts
/// `(1 + share of the one-rep max) / 1.7`: about 0.6 without an external load, 1 at 70 %, 1.2 at 100 %. The share is
/// Epley's, from the reps done and the reps left in reserve that the RPE says (10 − RPE; 3 when no RPE was given; a
/// timed or carried set counts as 10 reps). A load of 0 is no external load. Rounded to a tenth.
pub(crate) fn spinal_weight(set: &SetEntry) -> f64 {
    let share = match set.load {
        Some(l) if l.grams() > 0 => {
            let reps = match set.dose {
                Dose::Reps(r) => f64::from(r.get()),
                Dose::Seconds(_) | Dose::Metres(_) => 10.0,
            };
            let reserve = set.rpe.map_or(3.0, |r| 10.0 - r.value());
            1.0 / crate::units::epley(reps + reserve)
        }
        _ => 0.0,
    };
    // To a tenth: an estimate from RPE is not finer than that, and sets that differ only in the estimate's noise
    // should count the same (near-equal exposures would make the fits of CA-3 nearly singular).
    ((1.0 + share) / 1.7 * 10.0).round() / 10.0
}

/// The usual pain PM-5 measures the mornings against: the person's own usual pain from the profile.
///
/// A 7-day median of recent mornings is the usual suggestion. We use the stated usual pain instead (BK-4): a median
/// would let a bad week raise its own bar, hiding exactly the creep that PM-6 is there to catch, and it would make
/// more pain able to soften a later verdict. The person updates their usual pain with `backstop init`.
fn morning_baseline(profile: &Profile) -> f64 {
    f64::from(profile.baseline_pain.value())
}

/// How one check-in's pain stands against the usual pain (PM-5), from calm to clearly raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MorningGrade {
    /// At or under the usual pain: tolerated.
    Usual,
    /// Above it by less than `not_tolerated_rise` (by 1, at the default): inside the day-to-day noise of one
    /// reading (Childs 2005: the smallest detectable change is about 2–3 points), so it counts as settled. It still
    /// counts as evidence for causes (CA-1) and in the weekly trend (PM-6), which holds progression when mornings creep.
    Above,
    /// `not_tolerated_rise` (2) above it: a real rise only if a second reading agrees, because one reading moves by
    /// about 2 points on its own (Childs 2005: smallest detectable change about 2–3 points). Holds on its own.
    Raised,
    /// `morning_red_rise` (3) or more above it: beyond the noise of one reading, not tolerated.
    Beyond,
}

impl MorningGrade {
    /// The verdict of this reading alone.
    fn verdict(self) -> Verdict {
        match self {
            MorningGrade::Usual | MorningGrade::Above => Verdict::Green,
            MorningGrade::Raised => Verdict::Amber,
            MorningGrade::Beyond => Verdict::Red,
        }
    }
}

/// Grades one check-in's pain against the usual pain (PM-5). The pre-session pain is not used: it was taken at
/// another time of day, and pain varies over the day.
fn grade_morning(pain: u8, baseline: f64, settings: &Settings) -> MorningGrade {
    let p = f64::from(pain);
    // A `not_tolerated_rise` set above `morning_red_rise` (saved before the latter existed) still rules.
    if p >= baseline + f64::from(settings.morning_red_rise.max(settings.not_tolerated_rise)) {
        MorningGrade::Beyond
    } else if p >= baseline + f64::from(settings.not_tolerated_rise) {
        MorningGrade::Raised
    } else if p > baseline {
        MorningGrade::Above
    } else {
        MorningGrade::Usual
    }
}

/// The reason given for a check-in's grade.
fn morning_reason(when: &str, pain: u8, grade: MorningGrade, baseline: f64, settings: &Settings) -> String {
    let usual = crate::units::format_number(baseline);
    match grade {
        MorningGrade::Beyond => format!(
            "{when} pain {pain} is {} or more above your usual {usual}: not tolerated",
            settings.morning_red_rise
        ),
        MorningGrade::Raised => format!(
            "{when} pain {pain} is {} above your usual {usual}: one reading that high can be day-to-day noise, so \
             hold; if it has not settled at the next check-in it counts as not tolerated",
            settings.not_tolerated_rise
        ),
        MorningGrade::Above => format!(
            "{when} pain {pain} is just above your usual {usual}, by less than {} points: within what one reading \
             moves by from day to day, so tolerated",
            settings.not_tolerated_rise
        ),
        MorningGrade::Usual => format!("{when} pain {pain} is at or under your usual {usual}: tolerated"),
    }
}

fn describe_novelty(kind: NoveltyKind) -> &'static str {
    match kind {
        NoveltyKind::New => "new",
        NoveltyKind::Reintroduced => "re-introduced",
        NoveltyKind::LoadStep => "load step",
        NoveltyKind::SetStep => "extra sets",
        NoveltyKind::RepsBeyondRange => "reps beyond the range",
        NoveltyKind::Retest => "retest",
    }
}

/// Folds `sessions[range]` in time order, after the sessions `start` already covers (the default state: from the
/// first), and hands back the state after them. `sessions` is the whole list: a session's verdict looks at when the
/// next one started (DS-3), also across the end of `range`.
#[allow(clippy::too_many_arguments)]
pub fn fold(
    sessions: &[&Session],
    range: std::ops::Range<usize>,
    checkins: &[CheckIn],
    profile: &Profile,
    catalog: &Catalog,
    settings: &Settings,
    hypothesis: &[Sensitivity],
    now: Timestamp,
    start: FoldState,
) -> FoldState {
    let FoldState {
        folded:
            Folded {
                mut verdicts,
                mut exposures,
                mut history,
                mut totals,
                mut causes,
            },
        recent_loads,
    } = start;
    verdicts.reserve(range.len());
    // Categories in force: the starting hypothesis until the person's own responses confirm or drop them (ES-1).
    let mut in_force: Vec<Sensitivity> = if verdicts.is_empty() {
        hypothesis.to_vec()
    } else {
        in_force_after(&totals, hypothesis)
    };
    let usual = profile.baseline_pain.value();
    // BK-7: each session's load on the five directions (catalog demand × working sets), oldest first.
    let mut direction_loads: Vec<[f64; 5]> = recent_loads;

    for idx in range {
        let s = sessions[idx];
        let sensitive: Vec<Sensitivity> = in_force.clone();

        // Exercises in order of first appearance.
        let mut order: Vec<&str> = Vec::new();
        for set in &s.sets {
            if !order.contains(&set.exercise.as_str()) {
                order.push(&set.exercise);
            }
        }

        // What each exercise's sets add up to, once per session.
        let summaries: Vec<SetSummary> = order.iter().map(|id| exposure_of(s, id)).collect();

        // C5: what changed against the history before this session.
        let mut novelties = Vec::new();
        for (ex_id, sum) in order.iter().zip(&summaries) {
            let prev = exposures.get(*ex_id).and_then(|v| v.last());
            let kind = novelty::of(
                ex_id,
                sum,
                prev,
                catalog.get(ex_id),
                &sensitive,
                s.at,
                settings,
                profile.units,
            );
            if let Some((kind, detail)) = kind {
                novelties.push(Novelty {
                    exercise: (*ex_id).into(),
                    kind,
                    detail: detail.into(),
                });
            }
        }
        let lone = (novelties.len() == 1).then(|| novelties[0].exercise.clone());

        // PM-2: the ceiling from pre-session pain (the usual pain when none was given).
        let p0 = s.pain_before.map_or(usual, |p| p.value());
        let ceiling = settings.ceiling(p0);
        let green_limit = settings.green_limit(p0);

        // PM-5: the check-ins that settle this session.
        // Check-ins are sorted by time: find the 8–60 h window by binary search.
        let lo = checkins.partition_point(|c| c.at < s.at + settings.morning_from);
        let hi = checkins.partition_point(|c| c.at < s.at + settings.second_until);
        let window = &checkins[lo..hi.max(lo)];
        let morning = window.iter().find(|c| c.at < s.at + settings.morning_until);
        let second = window.iter().rfind(|c| c.at >= s.at + settings.morning_until);
        let base = morning_baseline(profile);

        // BK-6: the pain each exercise started from: the highest pain of the session's sets before its first set,
        // or the pre-session pain.
        // CA-1: how far pain rose during each exercise's own sets, from single readings on both sides (the last set
        // before its first one, or the pre-session pain, and its own last set with pain), so that the noise of many
        // earlier sets does not bias it; pain under the pre-session level going up and down is not a rise.
        let (entry, pain_rises) = in_session::entry_and_rises(s, &order, p0);

        // In-session verdicts per exercise.
        let in_session = in_session::verdicts(
            &summaries,
            &entry,
            &order,
            lone.as_deref(),
            p0,
            ceiling,
            green_limit,
            settings,
        );

        // The session's verdict.
        let Settled {
            verdict,
            status,
            rule,
            reason,
            awaiting,
            soreness,
            rescreen,
            rescreen_at,
        } = morning::settle(
            s,
            sessions.get(idx + 1).map(|n| n.at),
            checkins,
            (window, morning, second),
            base,
            now,
            &in_session,
            profile,
            settings,
        );

        // Pass the session's verdict to its exercises.
        let top_demand = order
            .iter()
            .filter_map(|id| catalog.get(id))
            .map(|e| {
                if sensitive.is_empty() {
                    e.spinal.load()
                } else {
                    sensitive.iter().map(|c| e.spinal.on(*c)).max().unwrap_or(0)
                }
            })
            .max()
            .unwrap_or(0);
        // A retest is the test that decides its exercise (C6): nothing re-routes its red.
        let lone_retest = novelties.len() == 1 && novelties[0].kind == NoveltyKind::Retest;
        let recent = &direction_loads[direction_loads.len().saturating_sub(RECENT_LOADS)..];
        let (shares, load_now, rise_pin) = blame::direction_rise(
            &order,
            &summaries,
            catalog,
            lone.as_deref().filter(|_| !lone_retest),
            recent,
            settings,
        );
        direction_loads.push(load_now);
        let base_rate = blame::base_rate(&verdicts, settings, lone_retest, rule);
        let session_side = share::SessionSide {
            verdict,
            status,
            rule,
            reason: &reason,
            lone: lone.as_deref(),
            changes: novelties.len(),
            rise_pin,
            base_rate: &base_rate,
            green_limit,
            top_demand,
        };
        let mut ex_verdicts = Vec::with_capacity(order.len());
        let mut ex_exposures = Vec::with_capacity(order.len());
        for ((((ex_id, ins), sum), share), &pain_rise) in order
            .iter()
            .zip(&in_session)
            .zip(&summaries)
            .zip(&shares)
            .zip(&pain_rises)
        {
            let ex = catalog.get(ex_id);
            let prev = exposures.get(*ex_id);
            let tolerated_before = prev.is_some_and(|v| {
                v.iter()
                    .filter(|e| e.verdict == Some(Verdict::Green) && e.status == VerdictStatus::Confirmed)
                    .count()
                    >= settings.tolerated_after
            });
            let is_novelty = novelties.iter().any(|n| n.exercise == *ex_id);
            let demand = ex.map_or(0, |e| {
                if sensitive.is_empty() {
                    e.spinal.load()
                } else {
                    sensitive.iter().map(|c| e.spinal.on(*c)).max().unwrap_or(0)
                }
            });
            let share::Part {
                verdict: v,
                rule: r,
                reason: why,
                blame,
            } = share::part(
                &session_side,
                &share::ExerciseSide {
                    id: ex_id,
                    ins,
                    sets: sum.sets,
                    share,
                    pain_rise,
                    is_novelty,
                    demand,
                    tolerated_before,
                },
            );
            ex_verdicts.push(ExerciseVerdict {
                exercise: (*ex_id).into(),
                verdict: v,
                rule: r,
                reason: why.into(),
                blame,
                max_pain: ins.max_pain,
                sets: sum.sets,
                pain_rise,
                weighted_sets: sum.weighted_sets,
            });
            let SetSummary {
                sets,
                ref amounts,
                unit,
                top_load,
                rpe,
                max_pain,
                ..
            } = *sum;
            let amounts = amounts.clone();
            ex_exposures.push(Exposure {
                at: s.at,
                session: verdicts.len(),
                sets,
                amounts,
                unit,
                top_load,
                rpe,
                max_pain,
                verdict: v,
                status,
                session_verdict: verdict,
                blame,
                novelty: novelties.iter().find(|n| n.exercise == *ex_id).map(|n| n.kind),
                lone_novelty: lone.as_deref() == Some(*ex_id),
                red_in_session: ins.verdict == Some(Verdict::Red),
                form_flag: ins.form,
                cumulative: r == RuleId::Bk6,
            });
        }
        // An unrated session is history, not evidence (BK-9): its exercises stay new to the ledger and to C5.
        let into = if status == VerdictStatus::Unrated {
            &mut history
        } else {
            &mut exposures
        };
        for (id, e) in order.iter().zip(ex_exposures) {
            into.entry((*id).to_owned()).or_default().push(e);
        }

        // ES-1: categories confirmed so far feed the next sessions' novelty and blame.
        let sv = SessionVerdict {
            session_at: s.at,
            verdict,
            status,
            rule,
            reason: if novelties.len() > 1 && verdict == Some(Verdict::Red) {
                format!(
                    "{reason}; {} changes at once ({}), so it is shared between them",
                    novelties.len(),
                    novelties
                        .iter()
                        .map(|n| format!("{} {}", n.exercise, describe_novelty(n.kind)))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
                .into()
            } else {
                reason.into()
            },
            pain_before: p0,
            ceiling,
            morning_baseline: base,
            morning_pain: morning.map(|c| c.pain.value()),
            second_pain: second.map(|c| c.pain.value()),
            awaiting,
            novelties,
            exercises: ex_verdicts,
            soreness,
            rescreen,
            rescreen_at,
        };
        for (total, add) in totals.iter_mut().zip(session_counts(&sv, catalog)) {
            total.0 += add.0;
            total.1 += add.1;
        }
        causes.push(&sv, catalog);
        verdicts.push(sv);
        in_force = in_force_after(&totals, hypothesis);
    }
    direction_loads.drain(..direction_loads.len().saturating_sub(RECENT_LOADS));
    FoldState {
        folded: Folded {
            verdicts,
            exposures,
            history,
            totals,
            causes,
        },
        recent_loads: direction_loads,
    }
}
