//! C5: what changed in a session against the history before it — a new exercise, one back after a break, a
//! retest after parking, or for high-demand work a load step, an extra set or reps beyond the range — so that a
//! bad response can be pinned on its one change.

use super::*;

/// The kind of change `ex_id` was in a session at `at`, with the words for it; `None` when it was no change (or
/// gentle flare-safe work, which is never counted as one, BK-5). `prev` is its last exposure before.
#[allow(clippy::too_many_arguments)]
pub(super) fn of(
    ex_id: &str,
    sum: &SetSummary,
    prev: Option<&Exposure>,
    ex: Option<&crate::catalog::Exercise>,
    sensitive: &[Sensitivity],
    at: Timestamp,
    settings: &Settings,
    units: crate::units::WeightUnit,
) -> Option<(NoveltyKind, String)> {
    let (sets, amounts, top_load) = (sum.sets, &sum.amounts, sum.top_load);
    let high = ex.is_some_and(|e| e.is_high_demand(sensitive));
    let low_risk = ex.is_some_and(|e| e.is_low_risk());
    match prev {
        // Gentle flare-safe work is not counted as a change (BK-5).
        _ if low_risk => None,
        None => Some((NoveltyKind::New, format!("{ex_id} for the first time"))),
        Some(p)
            if p.verdict == Some(Verdict::Red)
                && at.duration_since(p.at).as_hours() >= 24 * settings.park_days =>
        {
            Some((
                NoveltyKind::Retest,
                format!(
                    "{ex_id} retested after {} days",
                    at.duration_since(p.at).as_hours() / 24
                ),
            ))
        }
        Some(p) if at.duration_since(p.at).as_hours() >= 24 * settings.reintroduce_after_days => Some((
            NoveltyKind::Reintroduced,
            format!(
                "{ex_id} again after {} days",
                at.duration_since(p.at).as_hours() / 24
            ),
        )),
        Some(p) if high => {
            let top = ex.and_then(|e| e.reps.map(|r| r[1]));
            if let (Some(now_l), Some(prev_l)) = (top_load, p.top_load)
                && now_l > prev_l
            {
                Some((
                    NoveltyKind::LoadStep,
                    format!(
                        "{ex_id} load up from {} to {}",
                        prev_l.display(units),
                        now_l.display(units)
                    ),
                ))
            } else if sets > p.sets {
                Some((
                    NoveltyKind::SetStep,
                    format!("{ex_id} up from {} to {sets} sets", p.sets),
                ))
            } else if let Some(top) = top
                && amounts.iter().any(|a| *a > top)
                && !p.amounts.iter().any(|a| *a > top)
            {
                Some((NoveltyKind::RepsBeyondRange, format!("{ex_id} beyond {top} reps")))
            } else {
                None
            }
        }
        Some(_) => None,
    }
}
