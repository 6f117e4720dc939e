//! Suspects (C6): which exercises go with red sessions in this person's own history.
//!
//! For each exercise, its red rate over the sessions that included it is shrunk towards a prior rate with the
//! weight of a few pseudo-exposures, so one bad session cannot condemn it; a red session in which it was the lone
//! novelty (C5) counts extra, since that is the design that makes pain attributable. The excess over the prior is
//! then scaled by the share of all red sessions that included the exercise. Sessions without the exercise enter
//! only through that share's red count, so adding calm sessions of other exercises never raises a suspect.

use serde::Serialize;

use super::session::{SessionVerdict, VerdictStatus};
use super::{Settings, Verdict};

/// An exercise associated with red sessions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suspect {
    /// Exercise id.
    pub exercise: String,
    /// 0 (no association) to 1 (strong).
    pub strength: f64,
    /// Red sessions that included it.
    pub red_with: usize,
    /// Settled sessions that included it.
    pub sessions_with: usize,
    /// Red sessions without it.
    pub red_without: usize,
    /// Settled sessions without it.
    pub sessions_without: usize,
    /// Red sessions in which it was the only change.
    pub lone_novelty_reds: usize,
    /// The counts in words, and what they do and do not mean.
    pub evidence: String,
}

/// Ranks every exercise with at least one red session, strongest first.
pub fn rank(verdicts: &[SessionVerdict], settings: &Settings) -> Vec<Suspect> {
    let settled: Vec<&SessionVerdict> = verdicts
        .iter()
        // Only sessions settled by a check-in: without one, pain belongs to the exercise it was felt in (BK-1),
        // not to the whole session.
        .filter(|v| v.status == VerdictStatus::Confirmed && v.verdict.is_some())
        .collect();
    let total_red = settled.iter().filter(|v| v.verdict == Some(Verdict::Red)).count();
    let mut ids: Vec<&str> = settled
        .iter()
        .flat_map(|v| v.exercises.iter().map(|e| e.exercise.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let k = settings.suspect_prior_weight;
    let prior = settings.suspect_prior_rate;
    let mut out = Vec::new();
    for id in ids {
        let (mut red_w, mut n_w) = (0.0, 0.0);
        let (mut red_with, mut with, mut lone_reds) = (0, 0, 0);
        for v in &settled {
            let Some(e) = v.exercises.iter().find(|e| e.exercise == id) else {
                continue;
            };
            // Dose weighting: an exposure of more sets weighs more (3 sets = 1), within 0.5–2.
            let w = (e.sets as f64 / 3.0).clamp(0.5, 2.0);
            with += 1;
            n_w += w;
            if v.verdict == Some(Verdict::Red) {
                red_with += 1;
                red_w += w;
                if v.novelties.len() == 1 && v.novelties[0].exercise == id {
                    // The lone novelty of a red session: an extra pseudo-observation of red.
                    lone_reds += 1;
                    red_w += settings.lone_novelty_boost;
                    n_w += settings.lone_novelty_boost;
                }
            }
        }
        if red_with == 0 {
            continue;
        }
        let post = (red_w + prior * k) / (n_w + k);
        let excess = ((post - prior) / (1.0 - prior)).max(0.0);
        let share = red_with as f64 / total_red.max(1) as f64;
        let strength = ((excess * share.sqrt()) * 100.0).round() / 100.0;
        let without = settled.len() - with;
        let red_without = total_red - red_with;
        out.push(Suspect {
            exercise: id.to_owned(),
            strength,
            red_with,
            sessions_with: with,
            red_without,
            sessions_without: without,
            lone_novelty_reds: lone_reds,
            evidence: format!(
                "red after {red_with} of {with} sessions with {id}, {red_without} of {without} without{}. This is an \
                 association in your own data, not a diagnosis.",
                if lone_reds > 0 { format!("; {lone_reds} of those red sessions had it as the only change") } else { String::new() }
            ),
        });
    }
    out.sort_by(|a, b| {
        b.strength
            .total_cmp(&a.strength)
            .then(b.red_with.cmp(&a.red_with))
            .then(a.exercise.cmp(&b.exercise))
    });
    out
}
