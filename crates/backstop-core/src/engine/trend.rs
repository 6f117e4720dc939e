//! Week-over-week morning pain and stiffness (PM-6, after Silbernagel 2007: no rise from week to week).

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::Settings;
use crate::facts::CheckIn;

/// The last 7 days against the 7 before them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Mean check-in pain over the last 7 days.
    pub pain_this_week: Option<f64>,
    /// Mean check-in pain over the 7 days before.
    pub pain_last_week: Option<f64>,
    /// Mean morning stiffness over the last 7 days.
    pub stiffness_this_week: Option<f64>,
    /// Mean morning stiffness over the 7 days before.
    pub stiffness_last_week: Option<f64>,
    /// The larger of the two rises.
    pub rise: Option<f64>,
    /// No load progression this week.
    pub hold: bool,
    /// Suggest a deload week.
    pub deload: bool,
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// PM-6 at `now`.
pub fn weekly(checkins: &[CheckIn], settings: &Settings, now: Timestamp) -> Trend {
    let week = SignedDuration::from_hours(24 * 7);
    // DS-2: soreness check-ins say how the trained muscles feel, not how the back is doing.
    let in_range = |from: Timestamp, to: Timestamp| {
        checkins
            .iter()
            .filter(move |c| c.at >= from && c.at < to && !c.is_soreness())
    };
    let this: Vec<&CheckIn> = in_range(now - week, now + SignedDuration::from_secs(1)).collect();
    let last: Vec<&CheckIn> = in_range(now - week - week, now - week).collect();
    let pain = |v: &[&CheckIn]| mean(&v.iter().map(|c| f64::from(c.pain.value())).collect::<Vec<_>>());
    let stiff = |v: &[&CheckIn]| {
        mean(
            &v.iter()
                .filter_map(|c| c.stiffness.map(|s| f64::from(s.get())))
                .collect::<Vec<_>>(),
        )
    };
    let (pt, pl, st, sl) = (pain(&this), pain(&last), stiff(&this), stiff(&last));
    let rises: Vec<f64> = [(pt, pl), (st, sl)]
        .iter()
        .filter_map(|(a, b)| Some((*a)? - (*b)?))
        .collect();
    let rise = rises.iter().copied().reduce(f64::max);
    let r = rise.unwrap_or(0.0);
    Trend {
        pain_this_week: pt,
        pain_last_week: pl,
        stiffness_this_week: st,
        stiffness_last_week: sl,
        rise,
        hold: r >= settings.trend_hold_rise - 1e-9,
        deload: r >= settings.trend_deload_rise - 1e-9,
    }
}
