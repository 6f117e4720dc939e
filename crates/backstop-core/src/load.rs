//! Training load (rules LM-1…LM-7 in `docs/rules.md`), shown as description, never as a risk score.
//!
//! Session load is session RPE × minutes (Foster 2001), estimated from the sets where either is missing (imported
//! workouts) and kept apart as such. Daily load sums the sessions of a civil day in the person's
//! zone, rest days count as zero; weeks run Monday to Sunday. Monotony is the week's mean daily load over its
//! standard deviation and strain is weekly load × monotony (Foster 1998). The acute:chronic ratio uses exponentially
//! weighted averages (Williams 2017: λ = 0.25 and 2/29), is hidden before 28 days of data and when the chronic value
//! is tiny, and always carries the note that it does not predict injury (Impellizzeri 2020, 2021).

use crate::rules::RuleId;
use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::engine::SessionVerdict;
use crate::facts::{Session, SetKind};
use crate::time::civil_date;
use crate::units::{Minutes, Rpe, WeightUnit};
use crate::vocab::Pattern;

/// Acute EWMA decay (7-day time constant).
pub const ACUTE_LAMBDA: f64 = 0.25;
/// Chronic EWMA decay (28-day time constant, 2/(28+1)).
pub const CHRONIC_LAMBDA: f64 = 2.0 / 29.0;
/// Days of data before the ratio is shown (LM-3).
pub const ACWR_MIN_DAYS: i64 = 28;

/// One day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Day {
    /// The civil date.
    pub date: Date,
    /// Sessions that day.
    pub sessions: usize,
    /// Σ session RPE × minutes (0 on rest days).
    pub load: f64,
    /// Sessions that day without a session RPE or minutes (imported workouts often have none): their part of
    /// `load` is estimated from their sets ([`estimated_session_load`]).
    pub unrated_load: usize,
    /// The part of `load` estimated from sets rather than rated (0 when every session was rated).
    pub estimated_load: f64,
    /// Pain before the first session of the day.
    pub pain_before: Option<u8>,
    /// Highest pain during a set that day.
    pub pain_during_max: Option<u8>,
    /// Next-morning pain after the day's session(s) (the highest).
    pub pain_24h: Option<u8>,
    /// Pain about 48 h after (the highest).
    pub pain_48h: Option<u8>,
}

/// One Monday-to-Sunday week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Week {
    /// The Monday.
    pub week_start: Date,
    /// Σ daily load.
    pub load: f64,
    /// The part of `load` estimated from sets, for sessions without a session RPE or minutes.
    pub estimated_load: f64,
    /// Change against the week before, in percent (none when that week had no load, or this week is not over).
    pub change_pct: Option<f64>,
    /// Whether all seven days are in the report; the last week stops at the report's end and is then a week so far.
    pub complete: bool,
    /// Mean daily load over its standard deviation (none when the deviation is 0).
    pub monotony: Option<f64>,
    /// Weekly load × monotony.
    pub strain: Option<f64>,
    /// Sets per movement pattern.
    pub hard_sets: BTreeMap<Pattern, u32>,
    /// Volume-load (load × reps) per pattern, in the person's unit.
    pub volume_load: BTreeMap<Pattern, f64>,
    /// Sets of back-loading exercises (compression or shear 2 or more).
    pub back_loading_sets: u32,
}

/// The EWMA acute:chronic ratio with its caveats (LM-3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Acwr {
    /// Acute EWMA at the last day.
    pub acute: f64,
    /// Chronic EWMA at the last day.
    pub chronic: f64,
    /// acute / chronic, or none when hidden.
    pub ratio: Option<f64>,
    /// Always shown with it.
    pub note: String,
}

/// Advice about load (LM-4, LM-7), descriptive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadAdvice {
    /// Rule id.
    pub rule: RuleId,
    /// In plain words.
    pub message: String,
}

/// The load report for a date range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadReport {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
    /// Every day in the range.
    pub daily: Vec<Day>,
    /// Every week that overlaps the range.
    pub weeks: Vec<Week>,
    /// The ratio at `to`.
    pub acwr: Acwr,
    /// LM-4 and LM-7 flags.
    pub advice: Vec<LoadAdvice>,
    /// Sessions in the range without a session RPE or minutes, whose load is estimated from their sets (LM-1).
    pub sessions_without_load: usize,
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Session load: session RPE × minutes, 0 when either is missing (LM-1).
pub fn session_load(s: &Session) -> f64 {
    rated_load(s.session_rpe, s.minutes)
}

fn rated_load(rpe: Option<Rpe>, minutes: Option<Minutes>) -> f64 {
    match (rpe, minutes) {
        (Some(r), Some(m)) => r.value() * f64::from(m.get()),
        _ => 0.0,
    }
}

/// What a session's load is worked out from (LM-1), without its sets: all that the load series needs of a session
/// older than the days a report shows, which the store reads as one row per session instead of every set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadInputs {
    /// Session start.
    pub at: Timestamp,
    /// The minutes recorded.
    pub minutes: Option<Minutes>,
    /// The session RPE recorded.
    pub session_rpe: Option<Rpe>,
    /// Its sets other than warm-ups.
    pub working_sets: u32,
    /// How many of those carry an RPE.
    pub rated_sets: u32,
    /// The sum of those RPEs, in half points.
    pub rpe_halves: u32,
}

impl LoadInputs {
    /// The inputs of a session read in full.
    pub fn of(s: &Session) -> LoadInputs {
        let working = s.sets.iter().filter(|x| x.kind != SetKind::Warmup);
        let (mut working_sets, mut rated_sets, mut rpe_halves) = (0, 0, 0);
        for x in working {
            working_sets += 1;
            if let Some(r) = x.rpe {
                rated_sets += 1;
                rpe_halves += u32::from(r.halves());
            }
        }
        LoadInputs {
            at: s.at,
            minutes: s.minutes,
            session_rpe: s.session_rpe,
            working_sets,
            rated_sets,
            rpe_halves,
        }
    }

    /// [`session_load`] of the session.
    pub fn load(&self) -> f64 {
        rated_load(self.session_rpe, self.minutes)
    }

    /// [`estimated_session_load`] of the session.
    pub fn estimated(&self) -> Option<f64> {
        if self.session_rpe.is_some() && self.minutes.is_some() {
            return None;
        }
        let minutes = match self.minutes {
            Some(m) => f64::from(m.get()),
            None if self.working_sets == 0 => return None,
            None => f64::from(self.working_sets) * MINUTES_PER_SET,
        };
        // Half points summed as integers: the same value as summing each set's RPE, every partial sum being exact.
        let effort = match self.session_rpe {
            Some(r) => r.value(),
            None if self.rated_sets == 0 => ASSUMED_RPE,
            None => f64::from(self.rpe_halves) / 2.0 / f64::from(self.rated_sets),
        };
        Some(effort * minutes)
    }
}

/// Minutes a working set takes with its rest, for a session that recorded none (LM-1): about three.
pub const MINUTES_PER_SET: f64 = 3.0;

/// The effort assumed when neither the session nor its sets carry an RPE (LM-1): 6, "hard" on the 0–10 scale.
pub const ASSUMED_RPE: f64 = 6.0;

/// The load of a session without a session RPE or minutes, estimated from its sets (LM-1): the minutes it recorded,
/// else three per working set; its session RPE, else the mean RPE of its sets, else 6. `None` for a rated session
/// (its load is [`session_load`]) and for one with neither minutes nor working sets.
pub fn estimated_session_load(s: &Session) -> Option<f64> {
    LoadInputs::of(s).estimated()
}

/// The first day whose sessions [`report`] reads in full when it shows the days from `from`: the Monday of that
/// week. Sessions before it count in the load series only, through their [`LoadInputs`].
pub fn detail_from(from: Date) -> Date {
    from.checked_sub(jiff::Span::new().days(i64::from(from.weekday().to_monday_zero_offset())))
        .unwrap_or(from)
}

impl LoadReport {
    /// A sentence for the sessions without a load, when there are any: what the load figures leave out.
    pub fn missing_load_note(&self) -> Option<String> {
        (self.sessions_without_load > 0).then(|| {
            format!(
                "{} session{} in this period {} no session RPE or minutes (imported workouts often do): {} load is \
                 estimated from {} sets (3 minutes a working set unless the minutes were recorded, at the sets' own \
                 RPE or else 6), and drawn lighter in the charts.",
                self.sessions_without_load,
                if self.sessions_without_load == 1 { "" } else { "s" },
                if self.sessions_without_load == 1 { "has" } else { "have" },
                if self.sessions_without_load == 1 { "its" } else { "their" },
                if self.sessions_without_load == 1 { "its" } else { "their" },
            )
        })
    }
}

/// Monotony of a week's daily loads: mean over population standard deviation.
pub fn monotony(daily: &[f64]) -> Option<f64> {
    if daily.is_empty() {
        return None;
    }
    let n = daily.len() as f64;
    let mean = daily.iter().sum::<f64>() / n;
    let var = daily.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let sd = var.sqrt();
    (sd > 1e-9).then(|| mean / sd)
}

/// EWMA over a series: e_t = λ·x_t + (1 − λ)·e_{t−1}, starting from the first value.
pub fn ewma(series: &[f64], lambda: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(series.len());
    let mut e = None;
    for x in series {
        let v = match e {
            None => *x,
            Some(prev) => lambda * x + (1.0 - lambda) * prev,
        };
        out.push(v);
        e = Some(v);
    }
    out
}

/// Builds the load report from `from` to `to` (inclusive). `sessions` are read in full and must hold every session
/// from [`detail_from`]`(from)` on; `earlier` are the sessions before that day, by their load inputs alone (the
/// chronic average and its median run from the first session). A session in both would count twice; `sessions` may
/// also hold every session and `earlier` none.
#[allow(clippy::too_many_arguments)]
pub fn report(
    sessions: &[Session],
    earlier: &[LoadInputs],
    verdicts: &[SessionVerdict],
    catalog: &Catalog,
    tz: &TimeZone,
    unit: WeightUnit,
    from: Date,
    to: Date,
) -> LoadReport {
    // Daily loads from the first session (for the EWMA) to `to`: the earlier sessions by their inputs, the others'
    // worked out from their sets.
    let mut by_day: BTreeMap<Date, Vec<&Session>> = BTreeMap::new();
    for s in sessions {
        by_day.entry(civil_date(s.at, tz)).or_default().push(s);
    }
    let mut inputs_by_day: BTreeMap<Date, Vec<LoadInputs>> = BTreeMap::new();
    for i in earlier.iter().copied().chain(sessions.iter().map(LoadInputs::of)) {
        inputs_by_day.entry(civil_date(i.at, tz)).or_default().push(i);
    }
    let first = inputs_by_day.keys().next().copied().unwrap_or(from).min(from);
    let mut days_all: Vec<Date> = Vec::new();
    let mut d = first;
    while d <= to {
        days_all.push(d);
        match d.tomorrow() {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    // Rated sessions count RPE × minutes; the others an estimate from their sets, kept apart to be shown as such.
    let estimated_of = |d: &Date| {
        inputs_by_day
            .get(d)
            .map_or(0.0, |v| v.iter().filter_map(LoadInputs::estimated).sum())
    };
    let load_of = |d: &Date| {
        inputs_by_day
            .get(d)
            .map_or(0.0, |v| v.iter().map(LoadInputs::load).sum())
            + estimated_of(d)
    };
    let series: Vec<f64> = days_all.iter().map(load_of).collect();

    let verdict_of = |s: &Session| verdicts.iter().find(|v| v.session_at == s.at);
    let daily: Vec<Day> = days_all
        .iter()
        .filter(|d| **d >= from)
        .map(|d| {
            let ss = by_day.get(d).cloned().unwrap_or_default();
            let mut ss_sorted = ss.clone();
            ss_sorted.sort_by_key(|s| s.at);
            Day {
                date: *d,
                sessions: ss.len(),
                load: round1(load_of(d)),
                estimated_load: round1(estimated_of(d)),
                unrated_load: ss
                    .iter()
                    .filter(|s| s.session_rpe.is_none() || s.minutes.is_none())
                    .count(),
                pain_before: ss_sorted.iter().find_map(|s| s.pain_before.map(|p| p.value())),
                pain_during_max: ss
                    .iter()
                    .flat_map(|s| s.sets.iter())
                    .filter_map(|x| x.pain.map(|p| p.value()))
                    .max(),
                pain_24h: ss
                    .iter()
                    .filter_map(|s| verdict_of(s).and_then(|v| v.morning_pain))
                    .max(),
                pain_48h: ss
                    .iter()
                    .filter_map(|s| verdict_of(s).and_then(|v| v.second_pain))
                    .max(),
            }
        })
        .collect();

    // Weeks (Monday start) overlapping the range, with the week before the first for its change.
    let mut weeks = Vec::new();
    let mut w = detail_from(from);
    let mut prev_load: Option<f64> = {
        let p = w.checked_sub(jiff::Span::new().days(7)).unwrap_or(w);
        Some(
            (0..7)
                .filter_map(|i| p.checked_add(jiff::Span::new().days(i)).ok())
                .map(|d| load_of(&d))
                .sum(),
        )
    };
    while w <= to {
        // The last week stops at `to`: days after it are not in the report.
        let days: Vec<Date> = (0..7)
            .filter_map(|i| w.checked_add(jiff::Span::new().days(i)).ok())
            .filter(|d| *d <= to)
            .collect();
        let loads: Vec<f64> = days.iter().map(load_of).collect();
        let load: f64 = loads.iter().sum();
        let mono = monotony(&loads);
        let mut hard_sets: BTreeMap<Pattern, u32> = BTreeMap::new();
        let mut volume_load: BTreeMap<Pattern, f64> = BTreeMap::new();
        let mut back = 0;
        for d in &days {
            for s in by_day.get(d).into_iter().flatten() {
                for set in s.sets.iter().filter(|x| x.kind != crate::facts::SetKind::Warmup) {
                    let Some(ex) = catalog.get(&set.exercise) else {
                        continue;
                    };
                    *hard_sets.entry(ex.pattern).or_default() += 1;
                    if let (Some(l), crate::facts::Dose::Reps(r)) = (set.load, set.dose) {
                        *volume_load.entry(ex.pattern).or_default() += l.in_unit(unit) * f64::from(r.get());
                    }
                    if ex.spinal.load() >= 2 {
                        back += 1;
                    }
                }
            }
        }
        for v in volume_load.values_mut() {
            *v = round1(*v);
        }
        weeks.push(Week {
            week_start: w,
            load: round1(load),
            estimated_load: round1(days.iter().map(estimated_of).sum()),
            // A week still under way against a whole one would read as a fall (−100 % on a Monday morning).
            change_pct: prev_load
                .filter(|p| *p > 0.0 && days.len() == 7)
                .map(|p| round1((load - p) / p * 100.0)),
            complete: days.len() == 7,
            monotony: mono.map(round2),
            strain: mono.map(|m| round1(load * m)),
            hard_sets,
            volume_load,
            back_loading_sets: back,
        });
        prev_load = Some(load);
        match w.checked_add(jiff::Span::new().days(7)) {
            Ok(n) => w = n,
            Err(_) => break,
        }
    }

    // EWMA ratio at `to` (LM-3).
    let acute = ewma(&series, ACUTE_LAMBDA);
    let chronic = ewma(&series, CHRONIC_LAMBDA);
    let (a, c) = (
        acute.last().copied().unwrap_or(0.0),
        chronic.last().copied().unwrap_or(0.0),
    );
    let data_days = inputs_by_day
        .keys()
        .next()
        .map_or(0, |f| to.since(*f).map_or(0, |s| i64::from(s.get_days())) + 1);
    let mut med: Vec<f64> = chronic.iter().copied().filter(|x| *x > 0.0).collect();
    med.sort_by(f64::total_cmp);
    let median_chronic = med.get(med.len() / 2).copied().unwrap_or(0.0);
    let note_base = "descriptive only: this ratio does not predict injury";
    let (ratio, note) = if data_days < ACWR_MIN_DAYS {
        (
            None,
            format!("{note_base}; shown after {ACWR_MIN_DAYS} days of data ({data_days} so far)"),
        )
    } else if c <= 0.0 || c < 0.1 * median_chronic {
        (
            None,
            format!("{note_base}; hidden because recent chronic load is too small to divide by"),
        )
    } else {
        (Some(round2(a / c)), note_base.to_owned())
    };
    let acwr = Acwr {
        acute: round1(a),
        chronic: round1(c),
        ratio,
        note,
    };

    // LM-4 and LM-7, as flags.
    let mut advice = Vec::new();
    if let [.., p, l] = weeks.as_slice()
        && p.back_loading_sets > 0
        && f64::from(l.back_loading_sets) > f64::from(p.back_loading_sets) * 1.2
    {
        advice.push(LoadAdvice {
            rule: RuleId::Lm4,
            message: format!(
                "Back-loading sets went from {} to {} week over week, more than the 20 % step backstop plans with.",
                p.back_loading_sets, l.back_loading_sets
            ),
        });
    }
    if let [.., a2, _, l] = weeks.as_slice()
        && a2.load > 0.0
        && l.load > a2.load * 1.3
    {
        advice.push(LoadAdvice {
            rule: RuleId::Lm4,
            message: format!(
                "Weekly load rose by more than 30 % over two weeks ({} → {}); a flag, not a verdict.",
                a2.load, l.load
            ),
        });
    }
    let strains: Vec<f64> = weeks.iter().rev().take(3).filter_map(|w| w.strain).collect();
    let mornings = |w: &Week| -> Option<f64> {
        let v: Vec<f64> = daily
            .iter()
            .filter(|d| d.date >= w.week_start && d.date.since(w.week_start).is_ok_and(|s| s.get_days() < 7))
            .filter_map(|d| d.pain_24h.map(f64::from))
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    if strains.len() == 3 && strains[0] > strains[1] && strains[1] > strains[2] {
        let n = weeks.len();
        let m: Vec<Option<f64>> = weeks[n - 3..].iter().map(mornings).collect();
        if let (Some(a0), Some(a2)) = (m[0], m[2])
            && a2 > a0
        {
            advice.push(LoadAdvice {
                rule: RuleId::Lm7,
                message:
                    "Strain rose two weeks running and so did next-morning pain: consider a deload week \
                          (about half the usual volume)."
                        .into(),
            });
        }
    }

    let sessions_without_load = daily.iter().map(|d| d.unrated_load).sum();
    LoadReport {
        from,
        to,
        daily,
        weeks,
        acwr,
        advice,
        sessions_without_load,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn monotony_and_strain_by_hand() {
        // Loads 300, 0, 300, 0, 300, 0, 0: mean 128.57, population SD 148.46 → monotony 0.866.
        let m = monotony(&[300.0, 0.0, 300.0, 0.0, 300.0, 0.0, 0.0]).unwrap();
        assert!((m - 0.866).abs() < 0.001, "{m}");
        assert_eq!(monotony(&[100.0; 7]), None, "no variation: undefined");
        assert_eq!(monotony(&[]), None);
    }

    #[test]
    fn ewma_by_hand() {
        let e = ewma(&[100.0, 0.0, 0.0, 100.0], 0.25);
        assert_eq!(e, vec![100.0, 75.0, 56.25, 67.1875]);
        assert!(ewma(&[], 0.25).is_empty());
    }

    fn with_load(f: Facts, rpe: f64, minutes: u32) -> Facts {
        let mut f = f;
        for s in &mut f.sessions {
            s.session_rpe = Some(crate::units::Rpe::new(rpe).unwrap());
            s.minutes = Some(crate::units::Minutes::new(minutes).unwrap());
        }
        f
    }

    /// The report from `from` to `to` (UTC, kg) of these facts as assessed in `a`.
    fn between(f: &Facts, a: &crate::engine::Assessment, from: Date, to: Date) -> LoadReport {
        report(
            &f.sessions,
            &[],
            &a.sessions,
            &catalog(),
            &TimeZone::UTC,
            WeightUnit::Kg,
            from,
            to,
        )
    }

    /// The report of the week from Monday 2026-09-07, assessed on its Sunday evening.
    fn first_week(f: &Facts) -> LoadReport {
        between(f, &f.assess(at(6, 20)), date(2026, 9, 7), date(2026, 9, 13))
    }

    #[test]
    fn a_known_week() {
        // Monday 2026-09-07, Wednesday and Friday: RPE 6 × 50 min = 300 each.
        let f = with_load(
            Facts::default()
                .s(
                    at(0, 18),
                    Some(2),
                    &["lat-pulldown 3x10@40 p1", "goblet-squat 3x8@20 p2"],
                )
                .c(at(1, 8), 3)
                .s(at(2, 18), Some(2), &["lat-pulldown 3x10@40 p1"])
                .s(at(4, 18), Some(2), &["lat-pulldown 3x10@40 p1"]),
            6.0,
            50,
        );
        let r = first_week(&f);
        assert_eq!(r.daily.len(), 7);
        assert_eq!(r.daily[0].load, 300.0);
        assert_eq!(r.daily[1].load, 0.0);
        assert_eq!(r.daily[0].pain_before, Some(2));
        assert_eq!(r.daily[0].pain_during_max, Some(2));
        assert_eq!(r.daily[0].pain_24h, Some(3));
        assert_eq!(r.weeks.len(), 1);
        let w = &r.weeks[0];
        assert_eq!(w.load, 900.0);
        assert_eq!(w.monotony, Some(0.87));
        assert_eq!(w.strain, Some(779.4));
        assert_eq!(w.change_pct, None, "no load the week before");
        assert_eq!(w.hard_sets[&Pattern::VerticalPull], 9);
        assert_eq!(w.hard_sets[&Pattern::Squat], 3);
        assert_eq!(w.volume_load[&Pattern::VerticalPull], 3600.0);
        assert_eq!(w.back_loading_sets, 3, "goblet squat compression 2");
        assert_eq!(r.acwr.ratio, None);
        assert!(r.acwr.note.contains("does not predict injury"));
    }

    #[test]
    fn a_session_without_rpe_or_minutes_gets_a_load_from_its_sets() {
        let mut s = session(at(0, 18), None, &["lat-pulldown 4x10@40", "goblet-squat 2x8@20"]);
        s.sets[0].kind = crate::facts::SetKind::Warmup;
        // Five working sets (the warm-up aside), 3 minutes each, at the assumed RPE 6.
        assert_eq!(estimated_session_load(&s), Some(5.0 * 3.0 * 6.0));
        // The sets' own RPE where they have one (the mean of 7 and 8), the minutes where recorded.
        s.sets[1].rpe = Some(crate::units::Rpe::new(7.0).unwrap());
        s.sets[2].rpe = Some(crate::units::Rpe::new(8.0).unwrap());
        s.minutes = Some(crate::units::Minutes::new(40).unwrap());
        assert_eq!(estimated_session_load(&s), Some(7.5 * 40.0));
        // A session RPE without minutes: that RPE over three minutes a working set.
        s.minutes = None;
        s.session_rpe = Some(crate::units::Rpe::new(5.0).unwrap());
        assert_eq!(estimated_session_load(&s), Some(5.0 * 15.0));
        // A rated session is not estimated; nor is one with nothing to go on.
        s.minutes = Some(crate::units::Minutes::new(40).unwrap());
        assert_eq!(estimated_session_load(&s), None);
        assert_eq!(session_load(&s), 200.0);
        let empty = session(at(0, 18), None, &[]);
        assert_eq!(estimated_session_load(&empty), None);
    }

    #[test]
    fn estimated_loads_count_and_are_kept_apart_from_rated_ones() {
        // Monday: an imported session (no RPE, no minutes), 6 working sets → 108. Wednesday: rated, 6 × 50 = 300.
        let mut f = Facts::default()
            .s(at(0, 18), None, &["lat-pulldown 3x10@40", "goblet-squat 3x8@20"])
            .s(at(2, 18), Some(2), &["lat-pulldown 3x10@40 p1"]);
        f.sessions[1].session_rpe = Some(crate::units::Rpe::new(6.0).unwrap());
        f.sessions[1].minutes = Some(crate::units::Minutes::new(50).unwrap());
        let r = first_week(&f);
        assert_eq!((r.daily[0].load, r.daily[0].estimated_load), (108.0, 108.0));
        assert_eq!((r.daily[2].load, r.daily[2].estimated_load), (300.0, 0.0));
        assert_eq!((r.weeks[0].load, r.weeks[0].estimated_load), (408.0, 108.0));
        assert_eq!(r.sessions_without_load, 1);
        let note = r.missing_load_note().unwrap();
        assert!(
            note.starts_with("1 session in this period has no session RPE or minutes"),
            "{note}"
        );
        assert!(note.contains("its load is estimated from its sets"), "{note}");
    }

    #[test]
    fn the_ratio_appears_after_28_days_and_change_is_week_over_week() {
        let mut f = Facts::default();
        for w in 0..6 {
            for d in [0, 2, 4] {
                f = f.s(at(w * 7 + d, 18), Some(2), &["lat-pulldown 3x10@40 p1"]);
            }
        }
        // Last week heavier: RPE 8 instead of 6.
        let mut f = with_load(f, 6.0, 50);
        for s in f.sessions.iter_mut().rev().take(3) {
            s.session_rpe = Some(crate::units::Rpe::new(8.0).unwrap());
        }
        let a = f.assess(at(42, 0));
        let until = |to| between(&f, &a, date(2026, 10, 5), to);
        let r = until(date(2026, 10, 18));
        assert_eq!(r.weeks.len(), 2);
        assert_eq!(r.weeks[0].change_pct, Some(0.0));
        assert_eq!(r.weeks[1].load, 1200.0);
        assert_eq!(r.weeks[1].change_pct, Some(33.3));
        assert!(r.weeks.iter().all(|w| w.complete));
        // A report ending on a Monday: that week is under way, not a fall of 100 % (issue 16, point 9).
        let monday = until(date(2026, 10, 19));
        let last = monday.weeks.last().unwrap();
        assert_eq!((last.complete, last.change_pct), (false, None), "{last:?}");
        // Two rest days after the heavier week's last session pull the acute average down again.
        let sunday = r.acwr.ratio.unwrap();
        assert_eq!(sunday, ((r.acwr.acute / r.acwr.chronic) * 100.0).round() / 100.0);
        let friday = between(&f, &a, date(2026, 10, 12), date(2026, 10, 16));
        let friday = friday.acwr.ratio.unwrap();
        assert!(friday > 1.0 && friday > sunday, "{friday} vs {sunday}");
        let short = between(&f, &a, date(2026, 9, 7), date(2026, 9, 20));
        assert_eq!(short.acwr.ratio, None);
        assert!(short.acwr.note.contains("after 28 days"));
    }

    proptest! {
        #[test]
        fn older_sessions_by_their_load_inputs_give_the_same_report(
            planned in prop::collection::vec(
                (0i64..120, 0u8..3, 1u32..5, prop::option::of(2u8..=20), prop::option::of(10u32..90), any::<bool>()),
                0..30,
            ),
            from_day in 0i64..120,
            span in 0i64..30,
        ) {
            let cat = catalog();
            let mut sessions: Vec<Session> = planned
                .iter()
                .map(|&(day, warmups, sets, set_rpe, minutes, rated)| {
                    let mut s = session(at(day, 18), None, &[&format!("lat-pulldown {sets}x10@40"), "goblet-squat 2x8@20"]);
                    for x in s.sets.iter_mut().take(usize::from(warmups)) {
                        x.kind = SetKind::Warmup;
                    }
                    s.sets[1].rpe = set_rpe.map(|h| Rpe::from_halves(h).unwrap());
                    s.sets[0].rpe = set_rpe.map(|h| Rpe::from_halves(h.max(3) - 1).unwrap());
                    s.minutes = minutes.map(|m| Minutes::new(m).unwrap());
                    s.session_rpe = rated.then(|| Rpe::new(6.5).unwrap());
                    s
                })
                .collect();
            sessions.sort_by_key(|s| s.at);
            let from = date(2026, 9, 7).checked_add(jiff::Span::new().days(from_day)).unwrap();
            let to = from.checked_add(jiff::Span::new().days(span)).unwrap();
            let tz = TimeZone::UTC;
            let whole = report(&sessions, &[], &[], &cat, &tz, WeightUnit::Kg, from, to);
            let (older, recent): (Vec<&Session>, Vec<&Session>) =
                sessions.iter().partition(|s| civil_date(s.at, &tz) < detail_from(from));
            let older: Vec<LoadInputs> = older.into_iter().map(LoadInputs::of).collect();
            let recent: Vec<Session> = recent.into_iter().cloned().collect();
            let split = report(&recent, &older, &[], &cat, &tz, WeightUnit::Kg, from, to);
            prop_assert_eq!(whole, split);
        }

        #[test]
        fn rolling_values_stay_within_their_inputs(xs in prop::collection::vec(0.0f64..2000.0, 1..120)) {
            let (lo, hi) = xs.iter().fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
            for l in [ACUTE_LAMBDA, CHRONIC_LAMBDA] {
                for e in ewma(&xs, l) {
                    prop_assert!(e >= lo - 1e-9 && e <= hi + 1e-9);
                }
            }
            if let Some(m) = monotony(&xs) {
                prop_assert!(m >= 0.0);
            }
        }
    }
}
