//! Who carries a red morning besides the session's one change (C5): a rise in one spinal direction's load that the
//! change did not carry (BK-7), and a back whose own red rate is high, where one more red says little about what was
//! in the session (BK-8).

use super::*;

/// A direction whose load rose, with its load before (the mean of the last three sessions) and now.
pub(super) type RisePin = (Direction, f64, f64);

/// BK-7: each exercise's load per direction in this session (catalog demand × sets), the session's total, and the
/// direction whose load rose over the mean of the last three sessions (`recent`) without `lone`, the session's one
/// change, carrying it — with the load before and now. A rise the change does not carry (less than half of it,
/// and the change loading that direction at less than 2), carried by another exercise loading it at 2 or more, is
/// a likelier cause of a red morning than the change itself. A retest is never re-routed (`lone` is `None` then).
pub(super) fn direction_rise(
    order: &[&str],
    summaries: &[SetSummary],
    catalog: &Catalog,
    lone: Option<&str>,
    recent: &[[f64; 5]],
    settings: &Settings,
) -> (Vec<[f64; 5]>, [f64; 5], Option<RisePin>) {
    // BK-7: this session's load per direction, each exercise's share of it, and the rise over the mean of the
    // last three sessions. A rise that the lone novelty does not carry (less than half of it) is a likelier
    // cause of a red morning than the novelty itself.
    let shares: Vec<[f64; 5]> = order
        .iter()
        .zip(summaries)
        .map(|(id, sum)| {
            catalog.get(id).map_or([0.0; 5], |e| {
                e.spinal.by_direction().map(|d| f64::from(d) * sum.sets as f64)
            })
        })
        .collect();
    let load_now: [f64; 5] = std::array::from_fn(|k| shares.iter().map(|x| x[k]).sum::<f64>());
    // The risen direction, its load before (the mean of the last three sessions) and now.
    let rise_pin: Option<RisePin> = lone.and_then(|l| {
        if recent.is_empty() {
            return None;
        }
        let novelty_share = order
            .iter()
            .position(|id| *id == l)
            .map_or([0.0; 5], |i| shares[i]);
        // A novelty that loads the direction at 2 or more is a plausible carrier of the rise itself: C5 stands.
        let novelty_demand = catalog.get(l).map_or([0; 5], |e| e.spinal.by_direction());
        (0..5)
            .filter_map(|k| {
                let before = recent.iter().map(|x| x[k]).sum::<f64>() / recent.len() as f64;
                let rise = load_now[k] - before;
                // Some other exercise must load the direction at 2 or more to carry the rise.
                let carrier = order
                    .iter()
                    .zip(&shares)
                    .zip(summaries)
                    .any(|((id, sh), sum)| *id != l && sum.sets > 0 && sh[k] >= 2.0 * sum.sets as f64);
                (rise
                    >= settings
                        .direction_rise_min
                        .max(settings.direction_rise_pct / 100.0 * before)
                    && novelty_share[k] < rise / 2.0
                    && novelty_demand[k] < 2
                    && carrier)
                    .then_some((Direction::ALL[k], before, load_now[k]))
            })
            .max_by(|a, b| (a.2 / a.1.max(1.0)).total_cmp(&(b.2 / b.1.max(1.0))))
    });
    (shares, load_now, rise_pin)
}

/// BK-8: the back's own red rate over its last ten settled sessions.
pub(super) struct BaseRate {
    /// High enough that one more red morning is not pinned on the session's exercises.
    pub(super) high: bool,
    /// Red sessions among them, not counting reds already pinned on a session's one change.
    pub(super) reds: usize,
    /// Settled sessions counted.
    pub(super) settled: usize,
}

/// BK-8 before the session being folded: `verdicts` are the sessions before it. Leg or nerve symptoms (PM-4) and
/// retests are never excused by the base rate.
pub(super) fn base_rate(
    verdicts: &[SessionVerdict],
    settings: &Settings,
    lone_retest: bool,
    rule: RuleId,
) -> BaseRate {
    // BK-8: the back's own red rate over its last settled sessions. When it is high, one more red morning says
    // little about whatever was in the session: the cause attribution (CA-1…CA-4) weighs it across sessions
    // instead of pinning it here.
    let settled_before: Vec<&SessionVerdict> = verdicts
        .iter()
        .rev()
        .filter(|v| v.status == VerdictStatus::Confirmed && v.verdict.is_some())
        .take(10)
        .collect();
    // A red already pinned on a session's lone change (C5) is explained, not part of the back's own rate.
    let reds_before = settled_before
        .iter()
        .filter(|v| v.verdict == Some(Verdict::Red))
        .filter(|v| {
            !(v.novelties.len() == 1
                && v.exercises
                    .iter()
                    .any(|e| e.exercise == v.novelties[0].exercise && e.blame == Blame::Attributed))
        })
        .count();
    // Leg or nerve symptoms and retests are never excused by the base rate.
    let high_base = settled_before.len() >= 5
        && reds_before as f64 / settled_before.len() as f64 >= settings.base_rate_max
        && !lone_retest
        && rule != RuleId::Pm4;
    BaseRate {
        high: high_base,
        reds: reds_before,
        settled: settled_before.len(),
    }
}
