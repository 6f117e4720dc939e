//! Every threshold of the Ceiling Method engine in one place, per profile.
//!
//! Values tagged [D] are backstop's own defaults (no direct evidence; `domain.md` tag D) and must be shown as such
//! and stay configurable; the others carry the evidence tag of the rule they come from. `docs/rules.md` lists
//! them with their sources.

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

/// Thresholds of the engine. `Settings::default()` gives the documented defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// PM-2: the in-session ceiling never goes above this (Silbernagel 2007's 5/10) [A].
    pub ceiling_max: u8,
    /// PM-2: the ceiling sits this far above pre-session pain (MCID of 2 points) [A]+[D].
    pub ceiling_rise: u8,
    /// PM-2: in-session pain up to pre-session + this is green [D].
    pub green_rise: u8,
    /// PM-2: in-session pain above this is never green [C] (traffic-light 0–3).
    pub green_max: u8,
    /// PM-5: a check-in this long after the session start at the earliest counts as the "next morning" one [D].
    pub morning_from: SignedDuration,
    /// PM-5: …and at the latest, before it counts as the 48 h one [D].
    pub morning_until: SignedDuration,
    /// The 48 h check-in window ends here [D].
    pub second_until: SignedDuration,
    /// Case 9: without any check-in this long after the session, the verdict is decided on in-session data alone,
    /// marked unconfirmed [D].
    pub unconfirmed_after: SignedDuration,
    /// PM-5: morning pain this far above the usual (or above pre-session pain) is "not tolerated" (MCID 2) [A].
    pub not_tolerated_rise: u8,
    /// C6: green, confirmed exposures needed for "tolerated" [D].
    pub tolerated_after: usize,
    /// C6: days a provocative exercise stays parked before its retest (2–3 weeks) [D].
    pub park_days: i64,
    /// ES-4: a second red within this many exposures makes an exercise provocative [D].
    pub second_red_within: usize,
    /// C5: an exercise not done for this many days counts as re-introduced [D].
    pub reintroduce_after_days: i64,
    /// PM-7 / LM-5: a load step, percent of the current load (ACSM 2009: 2–10 %) [A].
    pub load_step_pct: f64,
    /// PM-7: a regression, percent of the load taken off (10–20 %) [D].
    pub regress_pct: f64,
    /// PM-7: a retest starts at this percent of the last load [D].
    pub retest_pct: f64,
    /// Timed exercises progress by this many seconds [D].
    pub seconds_step: u32,
    /// PM-6: a rise of the 7-day mean morning pain or stiffness by this much holds progression [A]+[D].
    pub trend_hold_rise: f64,
    /// PM-6: …and by this much suggests a deload week [D].
    pub trend_deload_rise: f64,
    /// FL-1: daily pain this far above the usual marks a flare day (Costa/Hodges 2021: ≥2) [B].
    pub flare_rise: u8,
    /// FL-3: days at or under usual + 1 that end a flare and start re-entry [D].
    pub reentry_calm_days: usize,
    /// FL-3: the re-entry ramp: percent of pre-flare working volume per step [C]+[D].
    pub reentry_steps_pct: Vec<u8>,
    /// FL-3: target RPE ceiling per re-entry step [D].
    pub reentry_steps_rpe: Vec<u8>,
    /// FL-4: a flare longer than this many days suggests a clinician review [C].
    pub flare_review_days: i64,
    /// FL-4: …and longer than this, a visit soon [C].
    pub flare_refer_days: i64,
    /// DS-2: muscle soreness at or above this keeps the sore muscles from hard loading [B]+[D].
    pub doms_hold_pain: u8,
    /// DS-3: soreness not easing after this long leaves the soreness path [C].
    pub doms_window: SignedDuration,
    /// Suspects: strength of the prior, in pseudo-exposures, so that one bad session does not condemn [D].
    pub suspect_prior_weight: f64,
    /// Suspects: the red rate the prior assumes for any exercise [D].
    pub suspect_prior_rate: f64,
    /// Suspects: extra weight of a red session in which the exercise was the lone novelty (C5) [D].
    pub lone_novelty_boost: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            ceiling_max: 5,
            ceiling_rise: 2,
            green_rise: 1,
            green_max: 3,
            morning_from: SignedDuration::from_hours(8),
            morning_until: SignedDuration::from_hours(36),
            second_until: SignedDuration::from_hours(60),
            unconfirmed_after: SignedDuration::from_hours(72),
            not_tolerated_rise: 2,
            tolerated_after: 2,
            park_days: 14,
            second_red_within: 3,
            reintroduce_after_days: 28,
            load_step_pct: 5.0,
            regress_pct: 15.0,
            retest_pct: 80.0,
            seconds_step: 5,
            trend_hold_rise: 1.0,
            trend_deload_rise: 2.0,
            flare_rise: 2,
            reentry_calm_days: 2,
            reentry_steps_pct: vec![50, 70, 85],
            reentry_steps_rpe: vec![6, 7, 8],
            flare_review_days: 14,
            flare_refer_days: 42,
            doms_hold_pain: 4,
            doms_window: SignedDuration::from_hours(72),
            suspect_prior_weight: 2.0,
            suspect_prior_rate: 0.2,
            lone_novelty_boost: 1.0,
        }
    }
}

impl Settings {
    /// The in-session ceiling for a given pre-session pain (PM-2).
    pub fn ceiling(&self, pain_before: u8) -> u8 {
        self.ceiling_max
            .min(pain_before.saturating_add(self.ceiling_rise))
    }

    /// The highest in-session pain that is still green (PM-2).
    pub fn green_limit(&self, pain_before: u8) -> u8 {
        self.green_max
            .min(pain_before.saturating_add(self.green_rise))
            .min(self.ceiling(pain_before))
    }
}
