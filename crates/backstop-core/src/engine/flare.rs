//! Flare-ups: detection (FL-1), the flare state, the re-entry ramp (FL-3), escalation (FL-4) and the flare history
//! as an outcome (FL-6).

use crate::rules::RuleId;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::ledger::{Prescription, doses_before};
use super::session::{Folded, VerdictStatus};
use super::{Alert, Settings, Verdict};
use crate::facts::{CheckIn, FlareEvent, FlareMark, Profile};

/// The flare state at the moment assessed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlareState {
    /// A flare is going on.
    pub active: bool,
    /// When it started.
    pub since: Option<Timestamp>,
    /// The person declared it (rather than it being read from pain).
    pub declared: bool,
    /// The re-entry step after a flare (1 is the most cautious), when re-entering.
    pub reentry_step: Option<usize>,
    /// When re-entry began.
    pub reentry_since: Option<Timestamp>,
    /// Calm sessions each re-entry step needs before the next one (FL-3: more after a long flare).
    pub reentry_calm_per_step: usize,
    /// The usual pain the flare is measured against.
    pub baseline: Option<f64>,
    /// The doses of the last sessions before the flare, per exercise: re-entry scales these.
    #[serde(skip)]
    pub pre_flare_doses: Vec<(String, Prescription)>,
}

/// One flare, for the history (FL-6).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlareEpisode {
    /// Start.
    pub start: Timestamp,
    /// End (when re-entry began), or `None` while it lasts.
    pub end: Option<Timestamp>,
    /// Declared by the person.
    pub declared: bool,
    /// Highest pain reported during it.
    pub peak_pain: Option<u8>,
    /// Length in days so far.
    pub days: f64,
}

/// What flare detection returns.
pub struct FlareOutput {
    /// The state now.
    pub state: FlareState,
    /// Every episode.
    pub episodes: Vec<FlareEpisode>,
    /// FL-4 escalations.
    pub alerts: Vec<Alert>,
    /// Short spikes: one elevated day that settled by the next check-in (FL-1).
    pub spikes: Vec<Timestamp>,
}

enum Phase {
    Normal,
    Flare {
        start: Timestamp,
        declared: bool,
        base: f64,
        peak: Option<u8>,
        calm: Vec<Timestamp>,
        /// Every check-in's pain during the flare, for FL-4's "is it improving?".
        pains: Vec<(Timestamp, u8)>,
    },
    Reentry {
        since: Timestamp,
        step: usize,
        /// Calm sessions each step needs.
        per_step: usize,
        /// Calm sessions on this step so far.
        calm: usize,
    },
}

/// FL-3: where re-entry starts and how many calm sessions each step needs, from how long the flare lasted. Most
/// flares last hours to a day (Suri 2011), and a short one has cost little capacity: re-entry skips its most cautious
/// step. After a long flare the person has lost more and the eTG pacing advice is to rebuild from what they can do
/// now: each step waits for two calm sessions.
fn reentry_start(days: f64, settings: &Settings) -> Phase0 {
    let steps = settings.reentry_steps_pct.len().max(1);
    if days < settings.reentry_short_flare_days as f64 && steps > 1 {
        Phase0 { step: 2, per_step: 1 }
    } else if days > settings.reentry_long_flare_days as f64 {
        Phase0 { step: 1, per_step: 2 }
    } else {
        Phase0 { step: 1, per_step: 1 }
    }
}

/// The start of a re-entry ramp.
struct Phase0 {
    step: usize,
    per_step: usize,
}

impl Phase0 {
    fn at(self, since: Timestamp) -> Phase {
        Phase::Reentry {
            since,
            step: self.step,
            per_step: self.per_step,
            calm: 0,
        }
    }
}

enum Event<'a> {
    Mark(FlareEvent),
    Check(&'a CheckIn),
    Session(Timestamp, Option<Verdict>, VerdictStatus),
}

impl Event<'_> {
    fn at(&self) -> Timestamp {
        match self {
            Event::Mark(m) => m.at,
            Event::Check(c) => c.at,
            Event::Session(t, _, _) => *t,
        }
    }
    fn order(&self) -> u8 {
        match self {
            Event::Mark(_) => 0,
            Event::Check(_) => 1,
            Event::Session(..) => 2,
        }
    }
}

fn days(from: Timestamp, to: Timestamp) -> f64 {
    (to.duration_since(from).as_secs_f64() / 86_400.0 * 10.0).round() / 10.0
}

/// FL-4: whether a flare is improving: the mean pain of its last 7 days at least a point under that of its first 7
/// days. `None` when either week has no check-in, or the two weeks overlap (a flare shorter than two weeks).
fn improving(pains: &[(Timestamp, u8)], start: Timestamp, now: Timestamp) -> Option<bool> {
    let week = SignedDuration::from_hours(24 * 7);
    if now.duration_since(start) < week + week {
        return None;
    }
    let mean = |from: Timestamp, to: Timestamp| {
        let v: Vec<f64> = pains
            .iter()
            .filter(|(t, _)| *t >= from && *t < to)
            .map(|(_, p)| f64::from(*p))
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let first = mean(start, start + week)?;
    let last = mean(now - week, now + SignedDuration::from_secs(1))?;
    Some(last <= first - 1.0)
}

/// FL-4: what to say about a flare of `d` days. Guidance: a flare not settling after two weeks deserves a review;
/// failing to improve over a month, or lasting more than six weeks, is a reason to be seen soon (failure to improve
/// after a month is a listed red-flag feature; NICE CKS, IFOMPT 2020).
fn escalation(d: f64, improving: Option<bool>, settings: &Settings) -> Option<String> {
    let days = d.floor();
    let book = "Book a visit with your doctor or physiotherapist within the next one to two weeks";
    if d > settings.flare_refer_days as f64 {
        Some(format!(
            "This flare has lasted {days} days, more than {} days. {book}: a flare that goes on this long should be \
             looked at, even if it is easing.",
            settings.flare_refer_days
        ))
    } else if d > settings
        .flare_stalled_days
        .clamp(settings.flare_review_days, settings.flare_refer_days) as f64
        && improving == Some(false)
    {
        Some(format!(
            "This flare has lasted {days} days and has not improved over the last weeks. {book}: a flare that does \
             not improve in about a month should be looked at."
        ))
    } else if d > settings.flare_review_days as f64 {
        Some(match improving {
            Some(false) => {
                format!("This flare has lasted {days} days without improving: have a clinician review it.")
            }
            Some(true) => format!(
                "This flare has lasted {days} days and is easing. If it stops improving, have a clinician review it."
            ),
            None => format!(
                "This flare has lasted {days} days. If it is not improving, have a clinician review it."
            ),
        })
    } else {
        None
    }
}

/// Works out flares from check-ins, declarations and session verdicts.
pub fn detect(
    checkins: &[CheckIn],
    marks: &[FlareEvent],
    folded: &Folded,
    profile: &Profile,
    settings: &Settings,
    now: Timestamp,
) -> FlareOutput {
    let usual = f64::from(profile.baseline_pain.value());
    let mut events: Vec<Event> = marks.iter().map(|m| Event::Mark(*m)).collect();
    // DS-2: a check-in marked as training soreness (with no leg symptoms) is not a flare signal: two sore mornings
    // after a new leg day are not a flare.
    events.extend(checkins.iter().filter(|c| !c.is_soreness()).map(Event::Check));
    events.extend(
        folded
            .verdicts
            .iter()
            .map(|v| Event::Session(v.session_at, v.verdict, v.status)),
    );
    events.sort_by(|a, b| a.at().cmp(&b.at()).then(a.order().cmp(&b.order())));

    // FL-1 measures against the usual pain; see BK-4 in docs/rules.md for why not a rolling median.
    let mut phase = Phase::Normal;
    let mut pending: Option<&CheckIn> = None;
    let mut spikes: Vec<Timestamp> = Vec::new();
    let mut episodes: Vec<FlareEpisode> = Vec::new();
    let steps = settings.reentry_steps_pct.len().max(1);
    for ev in &events {
        match ev {
            Event::Mark(m) => match (&mut phase, m.mark) {
                (Phase::Normal | Phase::Reentry { .. }, FlareMark::Start) => {
                    let base = usual;
                    phase = Phase::Flare {
                        start: m.at,
                        declared: true,
                        base,
                        peak: None,
                        calm: Vec::new(),
                        pains: Vec::new(),
                    };
                    pending = None;
                }
                (
                    Phase::Flare {
                        start,
                        declared,
                        peak,
                        ..
                    },
                    FlareMark::End,
                ) => {
                    let d = days(*start, m.at);
                    episodes.push(FlareEpisode {
                        start: *start,
                        end: Some(m.at),
                        declared: *declared,
                        peak_pain: *peak,
                        days: d,
                    });
                    phase = reentry_start(d, settings).at(m.at);
                }
                _ => {}
            },
            Event::Check(c) => match &mut phase {
                Phase::Normal | Phase::Reentry { .. } => {
                    let base = usual;
                    let elevated = f64::from(c.pain.value()) >= base + f64::from(settings.flare_rise);
                    if elevated {
                        match pending {
                            // Still elevated on a later day: a flare from the first of them (FL-1: ≥ 24 h).
                            Some(first)
                                if c.at.duration_since(first.at) >= SignedDuration::from_hours(20) =>
                            {
                                phase = Phase::Flare {
                                    start: first.at,
                                    declared: false,
                                    base: usual,
                                    peak: Some(first.pain.value().max(c.pain.value())),
                                    calm: Vec::new(),
                                    pains: vec![(first.at, first.pain.value()), (c.at, c.pain.value())],
                                };
                                pending = None;
                            }
                            // The same day: not yet 24 h.
                            Some(_) => {}
                            None => pending = Some(c),
                        }
                    } else if let Some(first) = pending.take() {
                        // A lone elevated day was a spike, not a flare (FL-1).
                        spikes.push(first.at);
                    }
                }
                Phase::Flare {
                    start,
                    declared,
                    base,
                    peak,
                    calm,
                    pains,
                } => {
                    *peak = Some(peak.map_or(c.pain.value(), |p| p.max(c.pain.value())));
                    pains.push((c.at, c.pain.value()));
                    if f64::from(c.pain.value()) <= *base + 1.0 {
                        // Calm days count when they are on different days (about 20 h or more apart).
                        if calm
                            .last()
                            .is_none_or(|l| c.at.duration_since(*l) >= SignedDuration::from_hours(20))
                        {
                            calm.push(c.at);
                        }
                        if calm.len() >= settings.reentry_calm_days {
                            let end = calm[0];
                            let d = days(*start, end);
                            episodes.push(FlareEpisode {
                                start: *start,
                                end: Some(end),
                                declared: *declared,
                                peak_pain: *peak,
                                days: d,
                            });
                            phase = reentry_start(d, settings).at(c.at);
                        }
                    } else {
                        calm.clear();
                    }
                }
            },
            Event::Session(at, verdict, status) => {
                if let Phase::Reentry {
                    since,
                    step,
                    per_step,
                    calm,
                } = &mut phase
                    && *at >= *since
                {
                    match (verdict, status) {
                        (Some(Verdict::Green), VerdictStatus::Confirmed) => {
                            *calm += 1;
                            if *calm >= *per_step {
                                *calm = 0;
                                *step += 1;
                                if *step > steps {
                                    phase = Phase::Normal;
                                }
                            }
                        }
                        (Some(Verdict::Red), _) => {
                            *calm = 0;
                            *step = step.saturating_sub(1).max(1);
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    let mut alerts = Vec::new();
    let state = match &phase {
        Phase::Normal => FlareState {
            active: false,
            since: None,
            declared: false,
            reentry_step: None,
            reentry_since: None,
            reentry_calm_per_step: 1,
            baseline: None,
            pre_flare_doses: Vec::new(),
        },
        Phase::Flare {
            start,
            declared,
            base,
            peak,
            pains,
            ..
        } => {
            let d = days(*start, now);
            episodes.push(FlareEpisode {
                start: *start,
                end: None,
                declared: *declared,
                peak_pain: *peak,
                days: d,
            });
            if let Some(message) = escalation(d, improving(pains, *start, now), settings) {
                alerts.push(Alert {
                    rule: RuleId::Fl4,
                    message,
                });
            }
            FlareState {
                active: true,
                since: Some(*start),
                declared: *declared,
                reentry_step: None,
                reentry_since: None,
                reentry_calm_per_step: 1,
                baseline: Some(*base),
                pre_flare_doses: doses_before(folded, *start),
            }
        }
        Phase::Reentry {
            since,
            step,
            per_step,
            ..
        } => {
            let start = episodes.last().map_or(*since, |e| e.start);
            FlareState {
                active: false,
                since: None,
                declared: false,
                reentry_step: Some(*step),
                reentry_since: Some(*since),
                reentry_calm_per_step: *per_step,
                baseline: None,
                pre_flare_doses: doses_before(folded, start),
            }
        }
    };
    FlareOutput {
        state,
        episodes,
        alerts,
        spikes,
    }
}
