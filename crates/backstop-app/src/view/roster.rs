//! A coach's or clinician's roster: each linked athlete with what needs attention, as the People page and
//! `GET /api/v1/people` give it.

use backstop_core::engine::Assessment;
use backstop_core::{Pain, Session};
use jiff::SignedDuration;
use serde::Serialize;

use super::LocalTime;

/// How far back the roster counts sets above the ceiling.
pub const BREACH_DAYS: i64 = 14;

/// One linked athlete and what needs attention, most urgent first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterEntryView {
    /// The athlete's id (the `Backstop-Athlete` header's value).
    pub athlete: i64,
    /// Their name.
    pub name: String,
    /// When they accepted the link.
    pub since: LocalTime,
    /// They have set up their profile (nothing else is known before).
    pub profile: bool,
    /// An open red-flag result's headline ("See a clinician within 48 hours"), or `null`.
    pub red_flag: Option<String>,
    /// Planning is paused by it.
    pub blocks_training: bool,
    /// In a flare-up now.
    pub flare: bool,
    /// The re-entry step after a flare (1–4), or `null`.
    pub reentry_step: Option<usize>,
    /// Sets rated above their session's ceiling in the last 14 days (`BREACH_DAYS`).
    pub ceiling_breaches: usize,
    /// Check-ins owed now.
    pub checkins_owed: usize,
    /// Mean morning pain this week (PM-6), `null` without check-ins.
    pub morning_pain_this_week: Option<f64>,
    /// Mean morning pain last week, `null` without check-ins.
    pub morning_pain_last_week: Option<f64>,
    /// Exercises named as suspects, most confident first.
    pub suspects: Vec<String>,
    /// What needs attention, in words, most urgent first; empty when nothing does.
    pub attention: Vec<String>,
    /// Sort key: higher needs attention sooner.
    #[serde(skip)]
    pub urgency: u32,
}

impl RosterEntryView {
    /// An athlete who has not set up their profile yet.
    pub fn without_profile(athlete: i64, name: String, since: LocalTime) -> RosterEntryView {
        RosterEntryView {
            athlete,
            name,
            since,
            profile: false,
            red_flag: None,
            blocks_training: false,
            flare: false,
            reentry_step: None,
            ceiling_breaches: 0,
            checkins_owed: 0,
            morning_pain_this_week: None,
            morning_pain_last_week: None,
            suspects: Vec::new(),
            attention: vec!["has not set up their profile yet".into()],
            urgency: 0,
        }
    }

    /// An athlete's entry from their assessment and sessions.
    pub fn new(
        athlete: i64,
        name: String,
        since: LocalTime,
        a: &Assessment,
        sessions: &[Session],
    ) -> RosterEntryView {
        let from = a.now - SignedDuration::from_hours(24 * BREACH_DAYS);
        let ceiling_breaches: usize = a
            .sessions
            .iter()
            .filter(|v| v.session_at >= from)
            .filter_map(|v| {
                let s = sessions.iter().find(|s| s.at == v.session_at)?;
                Some(
                    s.sets
                        .iter()
                        .filter(|x| x.pain.is_some_and(|p: Pain| p.value() > v.ceiling))
                        .count(),
                )
            })
            .sum();
        let (flare, reentry_step) = (a.flare.active, a.flare.reentry_step.filter(|_| !a.flare.active));
        let red_flag = a.red_flags.open.as_ref().map(|r| r.headline().to_owned());
        let blocks_training = a.red_flags.blocks_training;
        let t = &a.trend;
        let mut attention: Vec<(u32, String)> = Vec::new();
        if let Some(h) = &red_flag {
            attention.push((if blocks_training { 1000 } else { 500 }, format!("red flag: {h}")));
        }
        if flare {
            attention.push((300, "in a flare-up".into()));
        } else if let Some(s) = reentry_step {
            attention.push((100, format!("back from a flare-up, re-entry step {s}")));
        }
        if ceiling_breaches > 0 {
            attention.push((
                50 + 10 * ceiling_breaches.min(10) as u32,
                format!(
                    "{ceiling_breaches} {} above the ceiling in {BREACH_DAYS} days",
                    if ceiling_breaches == 1 { "set" } else { "sets" }
                ),
            ));
        }
        if let Some(r) = t.rise.filter(|r| *r >= 1.0) {
            attention.push((40, format!("morning pain up {r:.1} on last week")));
        }
        let checkins_owed = a.due_checkins.len();
        if checkins_owed > 0 {
            attention.push((
                10,
                format!(
                    "{checkins_owed} {} owed",
                    if checkins_owed == 1 {
                        "check-in"
                    } else {
                        "check-ins"
                    }
                ),
            ));
        }
        attention.sort_by_key(|x| std::cmp::Reverse(x.0));
        RosterEntryView {
            athlete,
            name,
            since,
            profile: true,
            red_flag,
            blocks_training,
            flare,
            reentry_step,
            ceiling_breaches,
            checkins_owed,
            morning_pain_this_week: t.pain_this_week,
            morning_pain_last_week: t.pain_last_week,
            suspects: a.suspects.iter().map(|s| s.exercise.clone()).collect(),
            urgency: attention.iter().map(|(u, _)| u).sum(),
            attention: attention.into_iter().map(|(_, w)| w).collect(),
        }
    }
}
