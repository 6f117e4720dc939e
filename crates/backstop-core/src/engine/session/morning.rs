//! A session's verdict from the check-ins after it (PM-5: the next morning and 48 h against the usual pain; PM-4:
//! new leg symptoms; DS-2, DS-3: training soreness, and soreness that does not ease), or, without them, from the
//! sets alone once the check-ins are overdue (BK-1) or not at all when nothing was rated (BK-9).

use super::in_session::InSession;
use super::*;

/// What the check-ins settled about one session.
pub(super) struct Settled {
    /// Green, amber, red, or `None` while pending or unrated.
    pub(super) verdict: Option<Verdict>,
    /// Pending, confirmed, unconfirmed or unrated.
    pub(super) status: VerdictStatus,
    /// The rule that decided it.
    pub(super) rule: RuleId,
    /// One sentence with the numbers.
    pub(super) reason: String,
    /// The check-ins still wanted.
    pub(super) awaiting: Vec<CheckKind>,
    /// The morning ache was training soreness (DS-2).
    pub(super) soreness: bool,
    /// Leg or nerve symptoms: ask the red-flag questions again.
    pub(super) rescreen: bool,
    /// When those symptoms were reported.
    pub(super) rescreen_at: Option<Timestamp>,
}

/// Settles session `s` at `now` from its check-ins: `window` holds those of the 8–60 h after it, `morning` and
/// `second` the ones that grade it; `next_session` bounds where a late soreness check-in may come from (DS-3).
#[allow(clippy::too_many_arguments)]
pub(super) fn settle(
    s: &Session,
    next_session: Option<Timestamp>,
    checkins: &[CheckIn],
    (window, morning, second): (&[CheckIn], Option<&CheckIn>, Option<&CheckIn>),
    base: f64,
    now: Timestamp,
    in_session: &[InSession],
    profile: &Profile,
    settings: &Settings,
) -> Settled {
    let mut awaiting = Vec::new();
    let mut soreness = false;
    let mut rescreen = in_session.iter().any(|x| x.leg);
    let mut rescreen_at = rescreen.then_some(s.at);
    // Any check-in of the 24 h and 48 h windows with leg symptoms, not only the ones that grade the session.
    // Usual, stable leg pain (within its usual reach, from the profile) is not a new symptom (PM-4).
    let leg_checkin = window
        .iter()
        .find(|c| c.has_new_leg_symptoms(profile.usual_leg_symptoms));
    let (verdict, status, rule, reason): (Option<Verdict>, VerdictStatus, RuleId, String) = if let Some(c) =
        leg_checkin
    {
        rescreen = true;
        rescreen_at = Some(c.at);
        (
            Some(Verdict::Red),
            VerdictStatus::Confirmed,
            RuleId::Pm4,
            format!(
                "new or spreading leg or nerve symptoms at the check-in {} h after: red whatever the score",
                c.at.duration_since(s.at).as_hours()
            ),
        )
    } else if let Some(m) = morning {
        let mp = m.pain.value();
        // DS-2: soreness builds over the first day or two and peaks 24–72 h after the session (Cheung,
        // Hume & Maxwell 2003), so a sore second morning, even a worse one, is still soreness; DS-3 below
        // takes it off the soreness path only when it has not begun to ease by 72 h.
        let morning_grade = (!m.is_soreness()).then(|| grade_morning(mp, base, settings));
        let (mut v, mut rule, mut reason) = match morning_grade {
            None => {
                soreness = true;
                (
                    Verdict::Green,
                    RuleId::Ds2,
                    format!(
                        "next-morning pain {mp} is soreness in the trained muscles that eases with movement, not back pain"
                    ),
                )
            }
            Some(g) => (
                g.verdict(),
                RuleId::Pm5,
                morning_reason("next-morning", mp, g, base, settings),
            ),
        };
        if let Some(c) = second {
            let sp = c.pain.value();
            // A sore second morning is still soreness (DS-2); back pain is graded.
            let g2 = (!c.is_soreness()).then(|| grade_morning(sp, base, settings));
            // Two readings 2 or more above the usual pain, a day apart: it has not settled (PM-5).
            let unsettled = morning_grade >= Some(MorningGrade::Raised) && g2 >= Some(MorningGrade::Raised);
            let v2 = if unsettled {
                Verdict::Red
            } else {
                g2.map_or(Verdict::Green, MorningGrade::verdict)
            };
            if v2 > v {
                v = v2;
                // Back pain at 48 h, not soreness: the soreness reading no longer decides.
                soreness = false;
                rule = RuleId::Pm5;
                reason = if unsettled {
                    format!(
                        "pain {mp} the next morning and {sp} at 48 h, both {} or more above your usual {}: it \
                             has not settled, not tolerated",
                        settings.not_tolerated_rise,
                        crate::units::format_number(base)
                    )
                } else {
                    format!(
                        "{} (next morning was {mp})",
                        morning_reason("48 h", sp, g2.unwrap_or(MorningGrade::Usual), base, settings)
                    )
                };
            }
        } else if now < s.at + settings.second_until {
            awaiting.push(CheckKind::Second);
        }
        if soreness {
            // DS-3: soreness that has not begun to ease by 72 h is no longer treated as soreness; the first
            // check-in of the day after that is graded as pain.
            let peak = [Some(m), second]
                .into_iter()
                .flatten()
                .map(|c| c.pain.value())
                .max()
                .unwrap_or(mp);
            // Only before the next session: a later check-in speaks for that session's soreness.
            let from = s.at + settings.doms_window;
            let until = next_session.map_or(from + SignedDuration::from_hours(24), |n| {
                n.min(from + SignedDuration::from_hours(24))
            });
            let late = checkins[checkins.partition_point(|c| c.at < from)..]
                .iter()
                .take_while(|c| c.at < until)
                .find(|c| !c.has_leg_symptoms());
            if let Some(c) = late
                && c.pain.value() >= peak
            {
                let g = grade_morning(c.pain.value(), base, settings).verdict();
                if g > v {
                    soreness = false;
                    v = g;
                    rule = RuleId::Ds3;
                    reason = format!(
                        "the soreness had not begun to ease {} h after the session (pain {}, it was {peak}): \
                             graded as pain against your usual {}",
                        c.at.duration_since(s.at).as_hours(),
                        c.pain.value(),
                        crate::units::format_number(base)
                    );
                }
            }
        }
        (Some(v), VerdictStatus::Confirmed, rule, reason)
    } else if now < s.at + settings.morning_until {
        awaiting.push(CheckKind::Morning);
        awaiting.push(CheckKind::Second);
        (
            None,
            VerdictStatus::Pending,
            RuleId::Pm5,
            "waiting for the next-morning check-in".into(),
        )
    } else if let Some(c) = second {
        let sp = c.pain.value();
        let (v, why) = if c.is_soreness() {
            soreness = true;
            (
                Verdict::Green,
                format!("pain {sp} at 48 h is soreness in the trained muscles, not back pain"),
            )
        } else {
            let g = grade_morning(sp, base, settings);
            (g.verdict(), morning_reason("48 h", sp, g, base, settings))
        };
        (
            Some(v),
            VerdictStatus::Confirmed,
            if soreness { RuleId::Ds2 } else { RuleId::Pm5 },
            format!("no next-morning check-in; {why}"),
        )
    } else if now < s.at + settings.unconfirmed_after {
        if now < s.at + settings.second_until {
            awaiting.push(CheckKind::Second);
        }
        (
            None,
            VerdictStatus::Pending,
            RuleId::Pm5,
            "the next-morning check-in was missed; waiting for a later one".into(),
        )
    } else if in_session.iter().all(|x| x.verdict.is_none()) {
        // BK-9: nothing was rated during it and no check-in came: there is nothing to judge it on. A workout
        // imported from another app is the usual case; calling it green would count years-old heavy lifts
        // as tolerated.
        (
            None,
            VerdictStatus::Unrated,
            RuleId::Bk9,
            "no pain was recorded during it or after it: kept as history of what was done, not judged".into(),
        )
    } else {
        let worst = in_session
            .iter()
            .filter_map(|x| x.verdict)
            .max()
            .unwrap_or(Verdict::Green);
        (
            Some(worst),
            VerdictStatus::Unconfirmed,
            RuleId::Bk1,
            format!(
                "no check-in within {} h: decided on in-session pain alone, unconfirmed",
                settings.unconfirmed_after.as_hours()
            ),
        )
    };
    Settled {
        verdict,
        status,
        rule,
        reason,
        awaiting,
        soreness,
        rescreen,
        rescreen_at,
    }
}
