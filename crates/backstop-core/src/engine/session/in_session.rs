//! The verdict of each exercise from the pain during its own sets (PM-2: the ceiling; PM-4: felt in the leg;
//! BK-2: felt in the back or form broke down; BK-6: pain that had climbed before it), and the pain each exercise
//! started from and rose by (BK-6, CA-1).

use super::*;

/// One exercise's in-session verdict.
pub(super) struct InSession {
    pub(super) verdict: Option<Verdict>,
    pub(super) rule: RuleId,
    pub(super) reason: String,
    pub(super) max_pain: Option<u8>,
    pub(super) leg: bool,
    pub(super) form: bool,
}

/// For each exercise in `order`: the pain it started from (the highest pain of the session's sets before its first
/// set, or the pre-session pain) and how far pain rose during its own sets, from single readings on both sides (the
/// last set before its first one, or the pre-session pain, and its own last set with pain), so that the noise of
/// many earlier sets does not bias it; pain under the pre-session level going up and down is not a rise.
pub(super) fn entry_and_rises(s: &Session, order: &[&str], p0: u8) -> (Vec<u8>, Vec<Option<i16>>) {
    order
        .iter()
        .map(|id| {
            let first = s.sets.iter().position(|x| x.exercise == *id).unwrap_or(0);
            let earlier = || s.sets[..first].iter().filter_map(|x| x.pain.map(|p| p.value()));
            let entry = earlier().max().unwrap_or(p0).max(p0);
            let before = earlier().next_back().unwrap_or(p0);
            let rise = s.sets[first..]
                .iter()
                .rev()
                .filter(|x| x.exercise == *id)
                .find_map(|x| x.pain.map(|p| p.value()))
                .map(|end| i16::from(end.max(p0)) - i16::from(before.max(p0)));
            (entry, rise)
        })
        .unzip()
}

/// Each exercise's verdict from its own sets; `lone` is the session's one change, which keeps its attribution (C5
/// before BK-6).
#[allow(clippy::too_many_arguments)]
pub(super) fn verdicts(
    summaries: &[SetSummary],
    entry: &[u8],
    order: &[&str],
    lone: Option<&str>,
    p0: u8,
    ceiling: u8,
    green_limit: u8,
    settings: &Settings,
) -> Vec<InSession> {
    summaries
        .iter()
        .zip(entry)
        .zip(order)
        .map(|((sum, &entry), id)| {
            // The session's lone change keeps its attribution (C5 before BK-6).
            let lone_change = lone == Some(*id);
            let (max_pain, leg, form) = (sum.max_pain, sum.leg, sum.form);
            if leg {
                return InSession {
                    verdict: Some(Verdict::Red),
                    rule: RuleId::Pm4,
                    reason: "felt in the leg: stop this exercise whatever the score, and rescreen".into(),
                    max_pain,
                    leg,
                    form,
                };
            }
            match max_pain {
                // BK-6: pain that had already climbed before this exercise and rose by less than the smallest
                // real change during it: the session's total load is the likelier cause.
                Some(p)
                    if p > ceiling
                        && !lone_change
                        && entry > p0
                        && p < entry.saturating_add(settings.not_tolerated_rise) =>
                {
                    InSession {
                        verdict: Some(Verdict::Red),
                        rule: RuleId::Bk6,
                        reason: format!(
                            "pain {p} went above the ceiling of {ceiling}, but it had already climbed to {entry} \
                             before this exercise: the session's total load is the likelier cause, so it is \
                             regressed but not parked for it"
                        ),
                        max_pain,
                        leg,
                        form,
                    }
                }
                Some(p) if p > ceiling => InSession {
                    verdict: Some(Verdict::Red),
                    rule: RuleId::Pm2,
                    reason: format!(
                        "pain {p} went above the ceiling of {ceiling} (pre-session pain {p0})"
                    ),
                    max_pain,
                    leg,
                    form,
                },
                Some(p) if p > green_limit => InSession {
                    verdict: Some(Verdict::Amber),
                    rule: RuleId::Pm2,
                    reason: format!(
                        "pain {p} was above {green_limit} but within the ceiling of {ceiling}"
                    ),
                    max_pain,
                    leg,
                    form,
                },
                Some(p) if form => InSession {
                    verdict: Some(Verdict::Amber),
                    rule: RuleId::Bk2,
                    reason: format!(
                        "pain {p}, but it was felt in the back or form broke down: hold the dose"
                    ),
                    max_pain,
                    leg,
                    form,
                },
                Some(p) => InSession {
                    verdict: Some(Verdict::Green),
                    rule: RuleId::Pm2,
                    reason: format!("pain {p} stayed at or under {green_limit} (ceiling {ceiling})"),
                    max_pain,
                    leg,
                    form,
                },
                None if form => InSession {
                    verdict: Some(Verdict::Amber),
                    rule: RuleId::Bk2,
                    reason: "felt in the back or form broke down: hold the dose".into(),
                    max_pain,
                    leg,
                    form,
                },
                None => InSession {
                    verdict: None,
                    rule: RuleId::Pm1,
                    reason: "no pain was recorded during the sets".into(),
                    max_pain,
                    leg,
                    form,
                },
            }
        })
        .collect()
}
