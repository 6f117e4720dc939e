//! The training-load report (LM-1 … LM-7), as `backstop report --json` and `GET /api/v1/load` give it.

use std::collections::BTreeMap;

use backstop_core::load::LoadReport;
use serde::Serialize;

use super::status::AlertView;

/// One day of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayLoadView {
    /// The day (YYYY-MM-DD).
    pub date: String,
    /// Sessions that day.
    pub sessions: usize,
    /// Σ session RPE × minutes (0 on rest days), with an estimate from their sets for sessions without either.
    pub load: f64,
    /// Sessions that day without a session RPE or minutes.
    pub unrated_load: usize,
    /// The part of `load` estimated from sets.
    pub estimated_load: f64,
    /// Pain before the first session of the day.
    pub pain_before: Option<u8>,
    /// The highest pain during a set that day.
    pub pain_during_max: Option<u8>,
    /// The next-morning pain after the day's sessions (the highest).
    pub pain_24h: Option<u8>,
    /// The pain about 48 hours after (the highest).
    pub pain_48h: Option<u8>,
}

/// One Monday-to-Sunday week of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekLoadView {
    /// The Monday (YYYY-MM-DD).
    pub week_start: String,
    /// Σ daily load.
    pub load: f64,
    /// The part of `load` estimated from sets.
    pub estimated_load: f64,
    /// Percent against the week before; `null` when that week had no load or this one is not over.
    pub change_pct: Option<f64>,
    /// All seven days are in the report (`false` for a week still going on at the report's end).
    pub complete: bool,
    /// Mean daily load over its standard deviation; `null` when every day had the same load.
    pub monotony: Option<f64>,
    /// Weekly load × monotony.
    pub strain: Option<f64>,
    /// Sets per movement pattern, warm-ups left out.
    pub hard_sets: BTreeMap<String, u32>,
    /// Load × reps per movement pattern, in the profile's unit.
    pub volume_load: BTreeMap<String, f64>,
    /// Sets of exercises with compression or shear of 2 or more.
    pub back_loading_sets: u32,
}

/// The acute:chronic workload ratio with its caveats (LM-3): descriptive only.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcwrView {
    /// The acute (7-day) average on the last day.
    pub acute: f64,
    /// The chronic (28-day) average on the last day.
    pub chronic: f64,
    /// Their quotient, or `null` while hidden.
    pub ratio: Option<f64>,
    /// Always there: that the ratio does not predict injury, and why it is hidden when it is.
    pub note: String,
}

/// The training-load report, as `backstop report --json` and `GET /api/v1/load` give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoadReportView {
    /// The first day (YYYY-MM-DD).
    pub from: String,
    /// The last day.
    pub to: String,
    /// Every day of the period, rest days included.
    pub daily: Vec<DayLoadView>,
    /// Every week that overlaps the period, oldest first.
    pub weeks: Vec<WeekLoadView>,
    /// The acute:chronic ratio on the last day.
    pub acwr: AcwrView,
    /// Load flags (LM-4, LM-7), each with its rule.
    pub advice: Vec<AlertView>,
    /// Sessions in the period without a session RPE or minutes, whose load is estimated from their sets (LM-1).
    pub sessions_without_load: usize,
}

impl LoadReportView {
    /// The view of a load report.
    pub fn new(r: &LoadReport) -> LoadReportView {
        LoadReportView {
            from: r.from.to_string(),
            to: r.to.to_string(),
            daily: r
                .daily
                .iter()
                .map(|d| DayLoadView {
                    date: d.date.to_string(),
                    sessions: d.sessions,
                    load: d.load,
                    unrated_load: d.unrated_load,
                    estimated_load: d.estimated_load,
                    pain_before: d.pain_before,
                    pain_during_max: d.pain_during_max,
                    pain_24h: d.pain_24h,
                    pain_48h: d.pain_48h,
                })
                .collect(),
            weeks: r
                .weeks
                .iter()
                .map(|w| WeekLoadView {
                    week_start: w.week_start.to_string(),
                    load: w.load,
                    estimated_load: w.estimated_load,
                    change_pct: w.change_pct,
                    complete: w.complete,
                    monotony: w.monotony,
                    strain: w.strain,
                    hard_sets: w
                        .hard_sets
                        .iter()
                        .map(|(p, n)| (p.as_str().to_owned(), *n))
                        .collect(),
                    volume_load: w
                        .volume_load
                        .iter()
                        .map(|(p, v)| (p.as_str().to_owned(), *v))
                        .collect(),
                    back_loading_sets: w.back_loading_sets,
                })
                .collect(),
            acwr: AcwrView {
                acute: r.acwr.acute,
                chronic: r.acwr.chronic,
                ratio: r.acwr.ratio,
                note: r.acwr.note.clone(),
            },
            advice: r
                .advice
                .iter()
                .map(|a| AlertView {
                    rule: a.rule.to_string(),
                    message: a.message.clone(),
                })
                .collect(),
            sessions_without_load: r.sessions_without_load,
        }
    }
}
