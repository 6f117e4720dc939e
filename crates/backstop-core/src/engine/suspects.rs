//! Suspects (C6): the exercises named as causes of pain (CA-1…CA-4), with the counts a person can check.
//!
//! An exercise is a suspect when the cause attribution names it at the exercise level (its sessions and its own sets
//! went with more pain than the person's sessions without it, often enough and by enough to stand out from that
//! back's own variation), or when its ledger parked it for a red it carried: a red (during its sets or on the next
//! mornings) in a session where it was the only change, on a back that seldom goes red (C5; BK-8 keeps a frequently
//! red back from pinning it), a second red within a few exposures (ES-4), or a red retest (C6).

use serde::Serialize;

use super::Verdict;
use super::causes::{Cause, CauseLevel, Confidence};
use super::ledger::{ExerciseLedger, Provocation};
use super::session::{SessionVerdict, VerdictStatus};

/// An exercise associated with pain in this person's own data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suspect {
    /// Exercise id.
    pub exercise: String,
    /// 0 (no association) to 1 (strong): the attribution's score against the strong threshold.
    pub strength: f64,
    /// How sure, in words (CA-4).
    pub confidence: Confidence,
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
    /// The numbers in words, and what they do and do not mean.
    pub evidence: String,
}

/// The exercise-level causes, then the exercises parked for a red they carried, as suspects, strongest first.
pub fn from_causes(
    causes: &[Cause],
    ledger: &[ExerciseLedger],
    verdicts: &[SessionVerdict],
    strong: f64,
) -> Vec<Suspect> {
    let settled: Vec<&SessionVerdict> = verdicts
        .iter()
        .filter(|v| v.status == VerdictStatus::Confirmed && v.verdict.is_some())
        .collect();
    let lone_reds = |id: &str| {
        settled
            .iter()
            .filter(|v| v.verdict == Some(Verdict::Red))
            .filter(|v| v.novelties.len() == 1 && v.novelties[0].exercise == id)
            .count()
    };
    let mut out: Vec<Suspect> = causes
        .iter()
        .filter(|c| c.level == CauseLevel::Exercise)
        .map(|c| {
            let lone = lone_reds(&c.name);
            let mut evidence = c.evidence.clone();
            if lone > 0 {
                evidence.push_str(&format!(" {lone} of its red sessions had it as the only change."));
            }
            Suspect {
                exercise: c.name.clone(),
                strength: ((c.score / strong).clamp(0.0, 1.0) * 100.0).round() / 100.0,
                confidence: c.confidence,
                red_with: c.red_with,
                sessions_with: c.sessions_with,
                red_without: c.red_without,
                sessions_without: c.sessions_without,
                lone_novelty_reds: lone,
                evidence,
            }
        })
        .collect();
    for l in ledger {
        let confidence = match l.provocation {
            Some(Provocation::Confirmed) => Confidence::Strong,
            Some(Provocation::Suspected) => Confidence::Weak,
            _ => continue,
        };
        if out.iter().any(|s| s.exercise == l.exercise) {
            continue;
        }
        let with = |v: &&&SessionVerdict| v.exercises.iter().any(|e| e.exercise == l.exercise);
        let sessions_with = settled.iter().filter(with).count();
        let red_with = settled
            .iter()
            .filter(with)
            .filter(|v| v.verdict == Some(Verdict::Red))
            .count();
        let red_total = settled.iter().filter(|v| v.verdict == Some(Verdict::Red)).count();
        let (red_without, sessions_without) = (red_total - red_with, settled.len() - sessions_with);
        let lone = lone_reds(&l.exercise);
        out.push(Suspect {
            exercise: l.exercise.clone(),
            strength: match confidence {
                Confidence::Strong => 1.0,
                _ => 0.34,
            },
            confidence,
            red_with,
            sessions_with,
            red_without,
            sessions_without,
            lone_novelty_reds: lone,
            evidence: format!(
                "{}: red after {red_with} of {sessions_with} sessions with it, {red_without} of {sessions_without} \
                 without; {} ({} confidence). An association in your own data, not a diagnosis.",
                l.exercise,
                if confidence == Confidence::Strong {
                    "red again at its retest".to_owned()
                } else if lone > 0 {
                    format!("{lone} of those red sessions had it as the only change")
                } else {
                    "parked for the reds it carried".to_owned()
                },
                confidence.as_str()
            ),
        });
    }
    out.sort_by(|a, b| {
        b.confidence
            .cmp(&a.confidence)
            .then(b.strength.total_cmp(&a.strength))
            .then(a.exercise.cmp(&b.exercise))
    });
    out
}
