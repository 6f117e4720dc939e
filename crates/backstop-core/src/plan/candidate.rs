//! One exercise weighed for one slot of a session: what rules it out (PG-5, PG-8, CA-4, C6, LM-6, DS-2 soreness, the
//! equipment), and its score, dose, novelty and reasons when it stays in (C5, C7, PG-5, PG-8, BK-5).

use super::*;

/// What every candidate of a session is weighed with.
pub(super) struct Shared<'a> {
    pub(super) a: &'a Assessment,
    pub(super) profile: &'a Profile,
    pub(super) catalog: &'a Catalog,
    /// Patterns and directions named as causes (CA-4).
    pub(super) held: &'a [HeldCause<'a>],
    /// The sensitivities in force (ES-1).
    pub(super) sens: &'a [Sensitivity],
    /// Muscles still sore from training (DS-2).
    pub(super) sore: &'a [Muscle],
    /// Harder options earned, keyed by the harder option (PG-5).
    pub(super) harder_for: &'a [(&'a str, &'a ExerciseLedger)],
    /// No heavy hinge or axial work today (LM-6).
    pub(super) no_heavy: bool,
    /// The session may bring its one change (C5).
    pub(super) novelty_allowed: bool,
    /// Calm sessions in a row.
    pub(super) calm_streak: usize,
}

/// `ex` weighed for a slot, given what the session holds so far (`chosen`), whether only light work fits the slot
/// today and whether the session's one change is taken; `None` when a rule rules it out.
pub(super) fn evaluate<'e>(
    ex: &'e Exercise,
    cx: &Shared<'_>,
    chosen: &[(u8, bool, PlanItem)],
    light_only: bool,
    used_novelty: bool,
) -> Option<Candidate<'e>> {
    let Shared {
        a,
        profile,
        catalog,
        held,
        sens,
        sore,
        harder_for,
        no_heavy,
        novelty_allowed,
        calm_streak,
    } = *cx;
    let settings = &profile.settings;
    let ladders = &a.ladders;
    if !available(ex, profile)
        || (light_only && (ex.pattern == Pattern::Hinge || ex.spinal.load() >= 2))
        || (no_heavy && is_heavy(ex))
    {
        return None;
    }
    if chosen.iter().any(|(_, _, it)| it.exercise == ex.id) {
        return None;
    }
    // CA-4: a pattern or direction named as a cause is held back (gentle work aside); once it has waited
    // its parking time, one exercise of it may come back as the session's one change, after a calm session.
    let held_retest = match hold_of(ex, held) {
        Hold::Free => false,
        Hold::Held => return None,
        Hold::RetestDue if !novelty_allowed || used_novelty || calm_streak < 1 => return None,
        Hold::RetestDue => true,
    };
    let ledger = a.exercise(&ex.id);
    if ledger.is_some_and(|l| l.next == NextStep::Avoid) {
        return None;
    }
    // PG-5: its harder option is already in this session.
    if let Some(l) = ledger
        && l.step == Some(ProgressStep::Harder)
        && let Some(h) = l.swap_to.as_deref()
        && chosen.iter().any(|(_, _, it)| it.exercise == h)
    {
        return None;
    }
    // PG-5: moved on to its harder option, which is still in use (not avoided, not stepped back from, not
    // held back by a named cause).
    if let Some(h) = ledger.and_then(|l| l.superseded_by.as_deref())
        && a.exercise(h)
            .is_none_or(|hl| hl.next != NextStep::Avoid && hl.step_back.is_none())
        && catalog
            .get(h)
            .is_some_and(|he| available(he, profile) && hold_of(he, held) == Hold::Free)
    {
        return None;
    }
    // PG-8: red on a new rung: the rung below is used instead for now.
    if let Some(p) = ledger.and_then(|l| l.step_back.as_deref())
        && a.exercise(p).is_some_and(|pl| pl.next != NextStep::Avoid)
        && catalog.get(p).is_some_and(|pe| available(pe, profile))
    {
        return None;
    }
    if !sore.is_empty() && ex.spinal.load() >= 1 && ex.muscles.iter().take(2).any(|m| sore.contains(m)) {
        return None;
    }
    let mut reasons = Vec::new();
    let mut score: i32 = 0;
    let sd = i32::from(sensitive_demand(ex, sens));
    score -= 8 * sd;
    score -= 3 * i32::from(ex.spinal.load());
    // Between equals, an exercise that takes load steps has the longer ladder (PG-4).
    if ex.increment.is_some() && ex.reps.is_some() {
        score += 2;
    }
    // PG-8: the first rung of a goal lift's ladder that the person has not started.
    if let Some(l) = ladders
        .iter()
        .find(|l| l.position.is_none() && l.rungs.first() == Some(&ex.id))
    {
        score += 30;
        reasons.push(format!("the first rung of the way back to {} (PG-8)", l.goal));
    }
    let earned = harder_for
        .iter()
        .find(|(h, _)| *h == ex.id)
        .filter(|(_, x)| x.next == NextStep::Progress);
    let (mut novelty, mut dose) = match (ledger, earned) {
        (None, Some((_, x))) => {
            // Ranked just above the exercise it replaces, so it is taken when the session's one change is
            // free, and the old one stays otherwise.
            score += 51 + 3 * i32::from(ex.spinal.load()) + 8 * sd;
            score -= catalog.get(&x.exercise).map_or(0, |xe| {
                3 * i32::from(xe.spinal.load()) + 8 * i32::from(sensitive_demand(xe, sens))
            });
            reasons.push(format!(
                "the harder option after {}, which reached the top of its range with calm sessions (PG-5): \
                 it starts at a first dose",
                x.exercise
            ));
            (!ex.is_low_risk(), first_dose(ex, 2, settings.effort_start))
        }
        (Some(l), _) => {
            match l.status {
                LedgerStatus::Tolerated => {
                    score += 40;
                    reasons.push(format!("tolerated: {} calm sessions", l.green_exposures));
                }
                LedgerStatus::Testing => {
                    score += 25;
                    reasons.push("being tested: keep it steady until it is tolerated".into());
                }
                LedgerStatus::Provocative => {
                    // C6: a retest is planned only as the session's one change, after a calm session.
                    if !novelty_allowed || used_novelty || calm_streak < 1 {
                        return None;
                    }
                    score += 60;
                    reasons.push(
                        "retest after its parking time (C6): the only change today, at a reduced dose, \
                         after a calm session; a red confirms it, two calm retests clear it"
                            .into(),
                    );
                }
                _ => {}
            }
            let reintro = l.evidence.last().is_some_and(|e| {
                a.now.duration_since(e.session_at).as_hours() >= 24 * settings.reintroduce_after_days
            });
            let step = is_dose_step(ex, l, sens);
            let nov = l.next == NextStep::Retest || reintro || step;
            let dose = match &l.dose {
                Some(d) => d.clone(),
                None => first_dose(ex, 2, settings.effort_start),
            };
            reasons.push(format!(
                "next step {}: {} ({})",
                l.next.as_str(),
                l.reason,
                l.rule
            ));
            if l.evidence.last().is_some() {
                score += 10; // continuity: keep what is working
            }
            (nov, dose)
        }
        (None, None) => {
            score -= 2 * i32::from(ex.skill);
            let low = ex.is_low_risk();
            reasons.push(if low {
                "new, but gentle enough not to count as the session's one change (BK-5)".to_owned()
            } else {
                format!(
                    "new: introduced at a conservative first dose, 2 sets at RPE {} or less",
                    crate::units::format_number(settings.effort_start)
                )
            });
            (!low, first_dose(ex, 2, settings.effort_start))
        }
    };
    // The ledger's own retest (C6) already brings its reduced dose and reason.
    if held_retest && ledger.is_none_or(|l| l.next != NextStep::Retest) {
        score += 60;
        novelty = true;
        dose = first_dose(ex, 2, settings.effort_start);
        reasons.push(
            "retest of what your back was found to react to, after its waiting time (CA-4, C6): the only \
             change today, at a first dose, after a calm session; how it goes updates the finding"
                .into(),
        );
    }
    if sd >= 2 {
        reasons.push(format!(
            "loads your sensitive direction ({sd}/3): chosen only if nothing gentler fits"
        ));
    }
    // PG-8: the ladder whose rung the person is on is this exercise (the planner keeps it in its slot).
    let rung_of = ladders
        .iter()
        .find(|l| l.current() == Some(ex.id.as_str()))
        .map(|l| l.goal.clone());
    Some(Candidate {
        ex,
        score,
        novelty,
        reasons,
        dose,
        held_retest,
        rung_of,
    })
}
