//! Sensitivity categories (ES-1, ES-5 in `docs/rules.md`): a starting guess from what aggravates the back, confirmed
//! after two red sessions loading that direction, dropped after three tolerated exposures with none red.

use super::session::{Blame, ExerciseVerdict, SessionVerdict, VerdictStatus};
use super::{SensitivityFinding, SensitivityStatus, Verdict};
use crate::catalog::Catalog;
use crate::vocab::Sensitivity;

pub(super) const CATEGORIES: [Sensitivity; 4] = [
    Sensitivity::Flexion,
    Sensitivity::Extension,
    Sensitivity::Load,
    Sensitivity::Rotation,
];

/// Per category: whether this session had a red, blamed exercise loading it (0 or 1), and how many green exercises
/// loading it a confirmed session had.
pub(super) fn session_counts(v: &SessionVerdict, catalog: &Catalog) -> [(usize, usize); 4] {
    CATEGORIES.map(|cat| {
        let loads = |e: &ExerciseVerdict| catalog.get(&e.exercise).is_some_and(|x| x.spinal.on(cat) >= 2);
        let red = v
            .exercises
            .iter()
            .any(|e| loads(e) && e.verdict == Some(Verdict::Red) && e.blame != Blame::None);
        let green = if v.status == VerdictStatus::Confirmed {
            v.exercises
                .iter()
                .filter(|e| loads(e) && e.verdict == Some(Verdict::Green))
                .count()
        } else {
            0
        };
        (usize::from(red), green)
    })
}

/// ES-1 for one category from its counts.
pub(super) fn finding(
    cat: Sensitivity,
    red: usize,
    green: usize,
    hypothesis: &[Sensitivity],
) -> Option<SensitivityFinding> {
    let hyp = hypothesis.contains(&cat) || hypothesis.contains(&Sensitivity::NonDirectional);
    let status = if red >= 2 {
        SensitivityStatus::Confirmed
    } else if hyp && red == 0 && green >= 3 {
        SensitivityStatus::Dropped
    } else if hyp {
        SensitivityStatus::Hypothesis
    } else {
        return None;
    };
    Some(SensitivityFinding {
        category: cat,
        status,
        not_tolerated: red,
        tolerated: green,
        evidence: format!(
            "{red} session(s) with a red exercise loading {} and {green} tolerated exposure(s) to such exercises",
            cat.as_str()
        ),
    })
}

/// ES-1: confirm a category after two "not tolerated" responses in its direction; drop a starting hypothesis
/// after three tolerated exposures in its direction with none not tolerated. `totals` are the fold's counts
/// ([`session_counts`] summed over every session).
pub fn sensitivities(totals: [(usize, usize); 4], hypothesis: &[Sensitivity]) -> Vec<SensitivityFinding> {
    CATEGORIES
        .iter()
        .zip(totals)
        .filter_map(|(cat, (red, green))| finding(*cat, red, green, hypothesis))
        .collect()
}
