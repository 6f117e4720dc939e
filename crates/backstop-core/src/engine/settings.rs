//! Every threshold of the Ceiling Method engine in one place, per profile.
//!
//! Values tagged [D] are backstop's own defaults (no direct evidence; tag D in `docs/rules.md`) and must be shown as such
//! and stay configurable; the others carry the evidence tag of the rule they come from. `docs/rules.md` lists
//! them with their sources.

use crate::rules::RuleId;
use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

/// Thresholds of the engine. `Settings::default()` gives the documented defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// PM-2: the in-session ceiling never goes above this (Silbernagel 2007's 5/10) [A].
    pub ceiling_max: u8,
    /// PM-2: the ceiling sits at most this far above pre-session pain [D]. The default (5) leaves the ceiling at
    /// `ceiling_max` from any starting pain, as in Silbernagel 2007 (up to 5/10 when it settles by the next
    /// morning); a clinician who wants the stricter "+2 over the starting pain" of some clinics sets 2.
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
    /// PM-5: a check-in this far above the usual pain is raised: it holds on its own, and is "not tolerated" when
    /// the next check-in is raised too (MCID and smallest detectable change of about 2 points, Childs 2005) [A]+[D].
    /// BK-6 uses it as the smallest real change of in-session pain.
    pub not_tolerated_rise: u8,
    /// PM-5: one check-in this far above the usual pain is "not tolerated" on its own: beyond the smallest
    /// detectable change of a single 0–10 reading (about 2.8 points from Childs 2005's standard error of 1.02) [A].
    pub morning_red_rise: u8,
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
    /// FL-3: a flare shorter than this many days starts re-entry at its second step [D] (most flares last hours to
    /// a day, Suri 2011).
    pub reentry_short_flare_days: i64,
    /// FL-3: after a flare longer than this many days, each re-entry step needs two calm sessions [D].
    pub reentry_long_flare_days: i64,
    /// FL-4: a flare longer than this many days suggests a clinician review [C].
    pub flare_review_days: i64,
    /// FL-4: a flare longer than this many days that is not improving: a visit soon (failure to improve after about
    /// a month) [C].
    pub flare_stalled_days: i64,
    /// FL-4: …and any flare longer than this, improving or not: a visit soon (more than six weeks) [C].
    pub flare_refer_days: i64,
    /// DS-2: muscle soreness at or above this keeps the sore muscles from hard loading [B]+[D].
    pub doms_hold_pain: u8,
    /// DS-3: soreness not easing after this long leaves the soreness path [C].
    pub doms_window: SignedDuration,
    /// PG-2: working sets an item builds up to, one set at a time [C] (ACSM 2009: 1–3 sets for novices, 2–4 for
    /// intermediates; stop at the goal rather than add volume without end).
    pub goal_sets: u32,
    /// PG-2: …and for a lifter with `trained_after_years` or more of resistance training, on work that is not
    /// demanding on the spine [C] (ACSM 2009: multiple sets, 3–6, for intermediate and advanced lifters).
    pub goal_sets_trained: u32,
    /// PG-2: years of resistance training from which a lifter counts as intermediate [C] (ACSM 2009: about two).
    pub trained_after_years: u8,
    /// PG-3: the effort ceiling (RPE) a new exercise, a new rung or a dose after a red starts at [D].
    pub effort_start: f64,
    /// PG-3: the effort ceiling never goes above this; 8 keeps two reps in reserve on back-loading work [C]+[D].
    pub effort_max: f64,
    /// PG-6: calm, confirmed sessions in a row before the session grows by a slot [D].
    pub grow_after_calm: usize,
    /// PG-8: calm, confirmed sessions on a rung of a goal ladder before the next rung [D].
    pub climb_after_calm: usize,
    /// CA-4: sessions with a candidate cause before it can be named [D].
    pub cause_min_exposures: usize,
    /// CA-4: the smallest extra pain rise per set of a candidate (at the highest demand, for a direction), over a
    /// set of anything else, for it to be named [D] (a quarter point: one point, the smallest step a 0–10 scale
    /// shows, every four sets).
    pub cause_min_rise: f64,
    /// CA-4: …or the smallest difference in mean morning pain after sessions with it against the others [D] (one
    /// point).
    pub cause_min_morning: f64,
    /// CA-4: the score from which a cause is named, with weak confidence [D].
    pub cause_weak_score: f64,
    /// CA-4: …with moderate confidence: the planner holds it back [D].
    pub cause_moderate_score: f64,
    /// CA-4: …with strong confidence: confirmed for this person [D].
    pub cause_strong_score: f64,
    /// CA-5: the score from which the rest of a pattern or direction, beside a named exercise of it, also goes with
    /// more pain, so that the broader cause is named instead [D]; under 1 the rest counts as calm and the exercise
    /// alone is named.
    pub cause_spread_score: f64,
    /// CA-5: …and the share of the exercise's own effect per set that the rest's effect accounts for (per set of the
    /// pattern, or at the exercise's demand on the direction) [D]: a small, real effect in the rest is not a reason
    /// to blame a whole group for what one exercise does.
    pub cause_spread_share: f64,
    /// BK-7: a session's load on one direction (demand × sets) must rise by at least this much over the mean of the
    /// last three sessions for a red morning to be pinned on the rise [D].
    pub direction_rise_min: f64,
    /// BK-7: …and by at least this percent of that mean [D].
    pub direction_rise_pct: f64,
    /// BK-8: a red rate over the last ten settled sessions (at least five) from which one more red morning is not
    /// pinned on the exercises in it [D].
    pub base_rate_max: f64,
    /// Retired with the suspect ranking that CA-1…CA-4 replaced: read from older profiles and ignored.
    #[serde(default, skip_serializing, rename = "suspect_prior_weight")]
    pub retired_suspect_prior_weight: Option<f64>,
    /// Retired, as above.
    #[serde(default, skip_serializing, rename = "suspect_prior_rate")]
    pub retired_suspect_prior_rate: Option<f64>,
    /// Retired, as above.
    #[serde(default, skip_serializing, rename = "lone_novelty_boost")]
    pub retired_lone_novelty_boost: Option<f64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            ceiling_max: 5,
            ceiling_rise: 5,
            green_rise: 1,
            green_max: 3,
            morning_from: SignedDuration::from_hours(8),
            morning_until: SignedDuration::from_hours(36),
            second_until: SignedDuration::from_hours(60),
            unconfirmed_after: SignedDuration::from_hours(72),
            not_tolerated_rise: 2,
            morning_red_rise: 3,
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
            reentry_short_flare_days: 7,
            reentry_long_flare_days: 28,
            flare_review_days: 14,
            flare_stalled_days: 28,
            flare_refer_days: 42,
            doms_hold_pain: 4,
            doms_window: SignedDuration::from_hours(72),
            goal_sets: 3,
            goal_sets_trained: 4,
            trained_after_years: 2,
            effort_start: 6.0,
            effort_max: 8.0,
            grow_after_calm: 2,
            climb_after_calm: 4,
            cause_min_exposures: 3,
            cause_min_rise: 0.25,
            cause_min_morning: 1.0,
            cause_weak_score: 3.0,
            cause_moderate_score: 4.0,
            cause_strong_score: 6.0,
            cause_spread_score: 2.0,
            cause_spread_share: 0.25,
            direction_rise_min: 3.0,
            direction_rise_pct: 25.0,
            base_rate_max: 0.2,
            retired_suspect_prior_weight: None,
            retired_suspect_prior_rate: None,
            retired_lone_novelty_boost: None,
        }
    }
}

impl Settings {
    /// PG-2: the working sets an item builds up to for this lifter: more for someone with years of training.
    pub fn goal_sets_for(&self, training_years: Option<u8>) -> u32 {
        if training_years.is_some_and(|y| y >= self.trained_after_years) {
            self.goal_sets_trained.max(self.goal_sets)
        } else {
            self.goal_sets
        }
    }

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

    /// Checks that every threshold is in a range that keeps the rules meaningful.
    pub fn validate(&self) -> Result<(), String> {
        let mut bad = Vec::new();
        let mut check = |ok: bool, what: &str| {
            if !ok {
                bad.push(what.to_owned());
            }
        };
        check((1..=10).contains(&self.ceiling_max), "ceiling_max must be 1–10");
        check(self.ceiling_rise <= 10, "ceiling_rise must be 0–10");
        check(
            self.green_rise <= self.ceiling_rise,
            "green_rise must not exceed ceiling_rise",
        );
        check(
            self.green_max <= self.ceiling_max,
            "green_max must not exceed ceiling_max",
        );
        let h = |d: SignedDuration| d.as_secs();
        check(
            h(self.morning_from) >= 0
                && self.morning_from < self.morning_until
                && self.morning_until < self.second_until
                && self.second_until <= self.unconfirmed_after,
            "check-in windows must satisfy 0 ≤ morning_from < morning_until < second_until ≤ unconfirmed_after",
        );
        check(
            h(self.unconfirmed_after) <= 14 * 86_400,
            "unconfirmed_after must be at most 14 days",
        );
        check(
            (1..=10).contains(&self.not_tolerated_rise),
            "not_tolerated_rise must be 1–10",
        );
        // Settings saved before a field existed get its default; the rules combine old and new values so that
        // such a profile stays valid (a stricter `not_tolerated_rise` keeps its effect through `morning_red_rise`).
        check(
            (1..=10).contains(&self.morning_red_rise),
            "morning_red_rise must be 1–10",
        );
        check(
            (1..=10).contains(&self.tolerated_after),
            "tolerated_after must be 1–10",
        );
        check((1..=90).contains(&self.park_days), "park_days must be 1–90");
        check(
            (2..=10).contains(&self.second_red_within),
            "second_red_within must be 2–10",
        );
        check(
            (7..=365).contains(&self.reintroduce_after_days),
            "reintroduce_after_days must be 7–365",
        );
        check(
            (1.0..=10.0).contains(&self.load_step_pct),
            "load_step_pct must be 1–10 (ACSM: 2–10)",
        );
        check(
            (5.0..=50.0).contains(&self.regress_pct),
            "regress_pct must be 5–50",
        );
        check(
            (30.0..=100.0).contains(&self.retest_pct),
            "retest_pct must be 30–100",
        );
        check((1..=60).contains(&self.seconds_step), "seconds_step must be 1–60");
        check(
            self.trend_hold_rise > 0.0 && self.trend_hold_rise <= self.trend_deload_rise,
            "0 < trend_hold_rise ≤ trend_deload_rise",
        );
        check((1..=10).contains(&self.flare_rise), "flare_rise must be 1–10");
        check(
            (1..=7).contains(&self.reentry_calm_days),
            "reentry_calm_days must be 1–7",
        );
        check(
            self.reentry_short_flare_days >= 0
                && self.reentry_short_flare_days <= self.reentry_long_flare_days,
            "0 ≤ reentry_short_flare_days ≤ reentry_long_flare_days",
        );
        check(
            !self.reentry_steps_pct.is_empty()
                && self.reentry_steps_pct.len() == self.reentry_steps_rpe.len()
                && self.reentry_steps_pct.windows(2).all(|w| w[0] < w[1])
                && self.reentry_steps_pct.iter().all(|p| (10..=100).contains(p))
                && self.reentry_steps_rpe.iter().all(|r| (1..=10).contains(r)),
            "reentry_steps_pct (rising, 10–100) and reentry_steps_rpe (1–10) must be non-empty lists of one length",
        );
        check(
            self.flare_review_days >= 1
                && self.flare_review_days <= self.flare_refer_days
                && (1..=365).contains(&self.flare_stalled_days),
            "1 ≤ flare_review_days ≤ flare_refer_days, and flare_stalled_days 1–365",
        );
        check((2..=5).contains(&self.goal_sets), "goal_sets must be 2–5");
        check(
            (2..=6).contains(&self.goal_sets_trained),
            "goal_sets_trained must be 2–6",
        );
        check(self.trained_after_years <= 80, "trained_after_years must be 0–80");
        check(
            (5.0..=9.0).contains(&self.effort_start)
                && (5.0..=9.0).contains(&self.effort_max)
                && self.effort_start <= self.effort_max
                && (self.effort_start * 2.0).fract() == 0.0
                && (self.effort_max * 2.0).fract() == 0.0,
            "effort_start ≤ effort_max, each 5–9 in half points",
        );
        check(
            (1..=10).contains(&self.grow_after_calm),
            "grow_after_calm must be 1–10",
        );
        check(
            (1..=20).contains(&self.climb_after_calm),
            "climb_after_calm must be 1–20",
        );
        check(self.doms_hold_pain <= 10, "doms_hold_pain must be 0–10");
        check(
            (1..=20).contains(&self.cause_min_exposures),
            "cause_min_exposures must be 1–20",
        );
        check(
            (0.0..=5.0).contains(&self.cause_min_rise) && (0.0..=10.0).contains(&self.cause_min_morning),
            "cause_min_rise must be 0–5 and cause_min_morning 0–10",
        );
        check(
            self.cause_weak_score >= 1.0
                && self.cause_weak_score <= self.cause_moderate_score
                && self.cause_moderate_score <= self.cause_strong_score
                && self.cause_strong_score <= 20.0,
            "cause_weak_score ≤ cause_moderate_score ≤ cause_strong_score, within 1–20",
        );
        check(
            (1.0..=20.0).contains(&self.cause_spread_score),
            "cause_spread_score must be 1–20",
        );
        check(
            (0.0..=1.0).contains(&self.cause_spread_share),
            "cause_spread_share must be 0–1",
        );
        check(
            (0.0..=100.0).contains(&self.direction_rise_min)
                && (0.0..=500.0).contains(&self.direction_rise_pct),
            "direction_rise_min must be 0–100 and direction_rise_pct 0–500",
        );
        check(
            self.base_rate_max > 0.0 && self.base_rate_max <= 1.0,
            "base_rate_max must be above 0 and at most 1",
        );
        if bad.is_empty() {
            Ok(())
        } else {
            Err(bad.join("; "))
        }
    }
}

/// Every setting: its name, its evidence tag (A/B/C as in `docs/rules.md`, or D for backstop's own default), and the
/// rules it belongs to. Shown by `backstop settings` so that defaults are labelled as defaults.
pub const FIELDS: &[(&str, &str, &[RuleId])] = &[
    ("ceiling_max", "A", &[RuleId::Pm2]),
    ("ceiling_rise", "D", &[RuleId::Pm2]),
    ("green_rise", "D", &[RuleId::Pm2]),
    ("green_max", "C", &[RuleId::Pm2]),
    ("morning_from", "D", &[RuleId::Pm5]),
    ("morning_until", "D", &[RuleId::Pm5]),
    ("second_until", "D", &[RuleId::Pm5]),
    ("unconfirmed_after", "D", &[RuleId::Bk1]),
    ("not_tolerated_rise", "A", &[RuleId::Pm5]),
    ("morning_red_rise", "A", &[RuleId::Pm5]),
    ("tolerated_after", "D", &[RuleId::C6]),
    ("park_days", "D", &[RuleId::C6]),
    ("second_red_within", "D", &[RuleId::Es4]),
    ("reintroduce_after_days", "D", &[RuleId::C5]),
    ("load_step_pct", "A", &[RuleId::Pm7, RuleId::Lm5]),
    ("regress_pct", "D", &[RuleId::Pm7]),
    ("retest_pct", "D", &[RuleId::C6]),
    ("seconds_step", "D", &[RuleId::Pm7]),
    ("trend_hold_rise", "A+D", &[RuleId::Pm6]),
    ("trend_deload_rise", "D", &[RuleId::Pm6]),
    ("flare_rise", "B", &[RuleId::Fl1]),
    ("reentry_calm_days", "D", &[RuleId::Fl3]),
    ("reentry_steps_pct", "C+D", &[RuleId::Fl3]),
    ("reentry_steps_rpe", "D", &[RuleId::Fl3]),
    ("reentry_short_flare_days", "D", &[RuleId::Fl3]),
    ("reentry_long_flare_days", "D", &[RuleId::Fl3]),
    ("flare_review_days", "C", &[RuleId::Fl4]),
    ("flare_stalled_days", "C", &[RuleId::Fl4]),
    ("flare_refer_days", "C", &[RuleId::Fl4]),
    ("doms_hold_pain", "B+D", &[RuleId::Ds2]),
    ("doms_window", "C", &[RuleId::Ds3]),
    ("goal_sets", "C", &[RuleId::Pg2]),
    ("goal_sets_trained", "C", &[RuleId::Pg2]),
    ("trained_after_years", "C", &[RuleId::Pg2]),
    ("effort_start", "D", &[RuleId::Pg3]),
    ("effort_max", "C+D", &[RuleId::Pg3]),
    ("grow_after_calm", "D", &[RuleId::Pg6]),
    ("climb_after_calm", "D", &[RuleId::Pg8]),
    ("direction_rise_min", "D", &[RuleId::Bk7]),
    ("direction_rise_pct", "D", &[RuleId::Bk7]),
    ("base_rate_max", "D", &[RuleId::Bk8]),
    ("cause_min_exposures", "D", &[RuleId::Ca4]),
    ("cause_min_rise", "D", &[RuleId::Ca4]),
    ("cause_min_morning", "D", &[RuleId::Ca4]),
    ("cause_weak_score", "D", &[RuleId::Ca4]),
    ("cause_moderate_score", "D", &[RuleId::Ca4]),
    ("cause_strong_score", "D", &[RuleId::Ca4]),
    ("cause_spread_score", "D", &[RuleId::Ca5]),
    ("cause_spread_share", "D", &[RuleId::Ca5]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_every_field_is_labelled() {
        let d = Settings::default();
        assert_eq!(d.validate(), Ok(()));
        let v = serde_json::to_value(&d).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), FIELDS.len());
        for k in keys {
            assert!(FIELDS.iter().any(|(f, _, _)| f == k), "{k} has no label");
        }
    }

    #[test]
    fn invalid_settings_are_refused() {
        let s = Settings {
            ceiling_max: 0,
            ..Settings::default()
        };
        assert!(s.validate().unwrap_err().contains("ceiling_max"));
        let s = Settings {
            morning_until: SignedDuration::from_hours(70),
            ..Settings::default()
        };
        assert!(s.validate().unwrap_err().contains("check-in windows"));
        let s = Settings {
            reentry_steps_pct: vec![70, 50, 85],
            ..Settings::default()
        };
        assert!(s.validate().unwrap_err().contains("reentry_steps_pct"));
        let s = Settings {
            green_rise: 6,
            ..Settings::default()
        };
        assert!(s.validate().is_err());
        let s = Settings {
            morning_red_rise: 0,
            ..Settings::default()
        };
        assert!(s.validate().unwrap_err().contains("morning_red_rise"));
        // A profile saved before the clinical corrections with its own stricter or looser values stays valid.
        let old: Settings =
            serde_json::from_str(r#"{"not_tolerated_rise": 4, "goal_sets": 5, "flare_review_days": 30}"#)
                .unwrap();
        assert_eq!(old.validate(), Ok(()));
        assert_eq!(old.goal_sets_for(Some(10)), 5);
    }

    #[test]
    fn ceiling_and_green_limit() {
        let s = Settings::default();
        // Silbernagel's 5/10 from any starting pain, a pain-free start included.
        assert_eq!(s.ceiling(0), 5);
        assert_eq!(s.ceiling(2), 5);
        assert_eq!(s.ceiling(4), 5);
        assert_eq!(s.ceiling(9), 5);
        // The stricter "+2 over the starting pain" when a clinician sets it.
        let strict = Settings {
            ceiling_rise: 2,
            ..Settings::default()
        };
        assert_eq!(strict.ceiling(0), 2);
        assert_eq!(strict.ceiling(2), 4);
        assert_eq!(strict.ceiling(4), 5);
        assert_eq!(s.green_limit(0), 1);
        assert_eq!(s.green_limit(2), 3);
        assert_eq!(s.green_limit(5), 3);
    }

    #[test]
    fn a_partial_document_fills_in_defaults() {
        let s: Settings = serde_json::from_str(r#"{"ceiling_max": 4, "morning_from": "10h"}"#).unwrap();
        assert_eq!(s.ceiling_max, 4);
        assert_eq!(s.morning_from, SignedDuration::from_hours(10));
        assert_eq!(s.park_days, 14);
        assert!(serde_json::from_str::<Settings>(r#"{"ceiling": 4}"#).is_err());
    }

    #[test]
    fn a_profile_saved_before_causes_replaced_suspect_ranking_still_loads() {
        let s: Settings = serde_json::from_str(
            r#"{"suspect_prior_weight": 2.0, "suspect_prior_rate": 0.2, "lone_novelty_boost": 1.0}"#,
        )
        .unwrap();
        assert_eq!(s.validate(), Ok(()));
        let v = serde_json::to_value(&s).unwrap();
        assert!(
            v.get("suspect_prior_weight").is_none(),
            "retired names are not written back"
        );
    }
}
