//! Each exercise's verdict in a session: its share of the session's verdict (a red morning pinned on the one
//! change, C5; shared among several changes and the exercises that hurt, BK-3; re-routed to a rise in one
//! direction's load, BK-7; held when the back's own red rate is high, BK-8; without check-ins, its own in-session
//! pain, BK-1), combined with what its own sets said (PM-2, PM-4, BK-6) and the calm morning that settles pain
//! within the ceiling (PM-9).

use super::blame::{BaseRate, RisePin};
use super::in_session::InSession;
use super::*;

/// What the session says, for passing its verdict to its exercises.
pub(super) struct SessionSide<'a> {
    /// The session's verdict, `None` while pending.
    pub(super) verdict: Option<Verdict>,
    /// How settled it is.
    pub(super) status: VerdictStatus,
    /// The rule that decided it.
    pub(super) rule: RuleId,
    /// Why.
    pub(super) reason: &'a str,
    /// The session's one change, when it made exactly one.
    pub(super) lone: Option<&'a str>,
    /// How many changes it made (C5).
    pub(super) changes: usize,
    /// A direction whose load rose without the one change carrying it (BK-7).
    pub(super) rise_pin: Option<RisePin>,
    /// The back's own red rate before it (BK-8).
    pub(super) base_rate: &'a BaseRate,
    /// Pain up to this during a set is green (PM-2).
    pub(super) green_limit: u8,
    /// The highest demand of its exercises on the directions in force (ES-1).
    pub(super) top_demand: u8,
}

/// One exercise of the session.
pub(super) struct ExerciseSide<'a> {
    /// Catalog id.
    pub(super) id: &'a str,
    /// What its own sets said.
    pub(super) ins: &'a InSession,
    /// Sets done.
    pub(super) sets: usize,
    /// Its load per direction in this session (demand × sets, BK-7).
    pub(super) share: &'a [f64; 5],
    /// How far pain rose during its own sets (CA-1).
    pub(super) pain_rise: Option<i16>,
    /// It was one of the session's changes.
    pub(super) is_novelty: bool,
    /// Its demand on the directions in force.
    pub(super) demand: u8,
    /// It was tolerated before this session (ES-1: `tolerated_after` confirmed greens).
    pub(super) tolerated_before: bool,
}

/// An exercise's part in a session.
pub(super) struct Part {
    pub(super) verdict: Option<Verdict>,
    pub(super) rule: RuleId,
    pub(super) reason: String,
    pub(super) blame: Blame,
}

/// The exercise's verdict in the session: the worse of its in-session signal and its share of the session's
/// verdict, except that pain within the ceiling that settled by a calm next morning is calm (PM-9).
pub(super) fn part(s: &SessionSide<'_>, e: &ExerciseSide<'_>) -> Part {
    let share = session_share(s, e);
    combine(s, e.ins, share)
}

/// The session's verdict as it falls on this exercise: a confirmed red morning is pinned, shared or held off it;
/// without check-ins its own in-session pain decides (BK-1); anything else passes as it is.
fn session_share(s: &SessionSide<'_>, e: &ExerciseSide<'_>) -> Part {
    let part = |verdict, blame, rule, reason: String| Part {
        verdict,
        rule,
        reason,
        blame,
    };
    match (s.verdict, s.status) {
        (None, _) => part(None, Blame::None, s.rule, s.reason.to_owned()),
        (Some(Verdict::Red), VerdictStatus::Confirmed) => red_morning(s, e),
        // Without check-ins, in-session pain belongs to the exercise it was felt in (BK-1).
        (Some(_), VerdictStatus::Unconfirmed) => part(
            Some(e.ins.verdict.unwrap_or(Verdict::Green)),
            Blame::None,
            RuleId::Bk1,
            format!(
                "no check-in: decided on its own in-session pain ({})",
                e.ins.reason
            ),
        ),
        (Some(v), _) => part(Some(v), Blame::None, s.rule, s.reason.to_owned()),
    }
}

/// A confirmed red morning: who carries it.
fn red_morning(s: &SessionSide<'_>, e: &ExerciseSide<'_>) -> Part {
    let part = |verdict, blame, rule, reason: String| Part {
        verdict: Some(verdict),
        rule,
        reason,
        blame,
    };
    // It hurt during its own sets: the pain rose while doing it, not only because earlier exercises had raised it
    // (BK-6).
    let by_pain = e.ins.max_pain.is_some_and(|p| p > s.green_limit) && e.pain_rise.is_some_and(|r| r >= 1);
    if let (Some(l), Some((d, before, now))) = (s.lone, s.rise_pin) {
        let (before, now) = (
            crate::units::format_number(before.round()),
            crate::units::format_number(now.round()),
        );
        return if e.share[d.index()] >= 2.0 * e.sets as f64 {
            part(
                Verdict::Red,
                Blame::Shared,
                RuleId::Bk7,
                format!(
                    "red morning after the session's {} load rose from {before} to {now}: pinned on the rise, which \
                     this exercise carried, rather than on {l}, the one change",
                    d.as_str()
                ),
            )
        } else {
            part(
                Verdict::Amber,
                Blame::None,
                RuleId::Bk7,
                format!(
                    "red morning pinned on the rise of the session's {} load (from {before} to {now}), not on this \
                     exercise; hold",
                    d.as_str()
                ),
            )
        };
    }
    if s.base_rate.high {
        return if by_pain {
            part(
                Verdict::Red,
                Blame::Shared,
                RuleId::Bk8,
                "red morning on a back that is often red, but pain rose during its own sets: it shares the red"
                    .into(),
            )
        } else {
            part(
                Verdict::Amber,
                if e.is_novelty { Blame::Shared } else { Blame::None },
                RuleId::Bk8,
                format!(
                    "red morning, but your back went red after {} of its last {} sessions: one more cannot be \
                     pinned on this exercise; hold, and let the pattern across sessions decide",
                    s.base_rate.reds, s.base_rate.settled
                ),
            )
        };
    }
    if let Some(l) = s.lone {
        return if l == e.id {
            part(
                Verdict::Red,
                Blame::Attributed,
                RuleId::C5,
                format!("the session's only change, and the morning was red: {}", s.reason),
            )
        } else {
            part(
                Verdict::Amber,
                Blame::None,
                RuleId::C5,
                format!("the red morning is pinned on {l}, the session's only change; hold"),
            )
        };
    }
    // Several changes at once share the blame among themselves; so do the exercises that hurt during the session
    // and those with the highest demand on the sensitive direction.
    let by_demand = e.demand >= 2 && e.demand == s.top_demand;
    if e.is_novelty || by_pain || (by_demand && !e.tolerated_before) {
        let why = if e.is_novelty {
            "one of the changes made in this session"
        } else if by_pain {
            "it hurt during the session"
        } else {
            "the highest demand on your sensitive direction"
        };
        part(
            Verdict::Red,
            Blame::Shared,
            RuleId::Bk3,
            format!("red morning shared: {why} ({} changes this session)", s.changes),
        )
    } else {
        part(
            Verdict::Amber,
            Blame::None,
            RuleId::Bk3,
            "red morning, not pinned on this exercise: hold".into(),
        )
    }
}

/// The worse of the in-session signal and the session's share decides, except that pain within the ceiling that
/// settled by a calm next morning is what the pain-monitoring model accepts (Silbernagel 2007: up to 5/10 during
/// exercise if it has settled by the next morning): calm (PM-9).
fn combine(s: &SessionSide<'_>, ins: &InSession, share: Part) -> Part {
    let settled_within_ceiling = ins.verdict == Some(Verdict::Amber)
        && ins.rule == RuleId::Pm2
        && !ins.form
        && s.status == VerdictStatus::Confirmed
        && share.verdict == Some(Verdict::Green);
    // A red of its own is pinned on it, unless the pain had climbed before it (BK-6), which it only shares.
    let own = |v: Verdict, otherwise: Blame| Part {
        verdict: Some(v),
        rule: ins.rule,
        reason: ins.reason.clone(),
        blame: if ins.rule == RuleId::Bk6 {
            Blame::Shared
        } else if v == Verdict::Red {
            Blame::Attributed
        } else {
            otherwise
        },
    };
    match (ins.verdict, share.verdict) {
        // BK-6 spares an exercise only its own in-session red: when the session's share is red too, that decides.
        (_, Some(Verdict::Red)) if ins.rule == RuleId::Bk6 => share,
        _ if settled_within_ceiling => Part {
            verdict: Some(Verdict::Green),
            rule: RuleId::Pm9,
            reason: format!(
                "{}; it settled by a calm next morning, as the pain-monitoring model allows",
                ins.reason
            ),
            blame: Blame::None,
        },
        (Some(a), Some(b)) if a >= b => own(a, share.blame),
        (_, Some(_)) => share,
        (Some(a), None) => own(a, Blame::None),
        (None, None) => Part {
            verdict: None,
            blame: Blame::None,
            ..share
        },
    }
}
