//! A flare or a sore day (FL-2, PM-2): reduce, don't stop — walking first, then flare-safe trunk and hip work the
//! ledger allows, one per movement pattern, and in a flare the tolerated low-demand work the ledger keeps at a
//! reduced dose.

use super::*;

/// Adds the gentle items of a flare or recovery-level day to `items` (the warm-up), within `minutes`.
pub(super) fn add(
    a: &Assessment,
    profile: &Profile,
    catalog: &Catalog,
    sens: &[Sensitivity],
    minutes: f64,
    items: &mut Vec<PlanItem>,
) {
    // Walking first, then flare-safe trunk and hip work the ledger allows.
    let left = minutes - items.iter().map(|i| i.minutes).sum::<f64>();
    if let Some(w) = walking(catalog, profile, left.min(minutes / 2.0)) {
        items.push(w);
    }
    let mut gentle: Vec<&Exercise> = catalog
        .exercises()
        .iter()
        .filter(|e| {
            e.flare_safe
                && available(e, profile)
                && !matches!(e.pattern, Pattern::Mobility | Pattern::Conditioning)
        })
        .filter(|e| a.exercise(&e.id).is_none_or(|l| l.next != NextStep::Avoid))
        .collect();
    gentle.sort_by_key(|e| {
        (
            e.pattern != Pattern::Conditioning,
            e.id != "walking",
            sensitive_demand(e, sens),
            e.id.clone(),
        )
    });
    let mut seen_patterns = Vec::new();
    for e in gentle {
        if seen_patterns.contains(&e.pattern) {
            continue;
        }
        seen_patterns.push(e.pattern);
        let (dose, why) = match a.exercise(&e.id).and_then(|l| l.dose.clone().map(|d| (d, l))) {
            Some((mut d, l)) => {
                d.target_rpe = Some(d.target_rpe.unwrap_or(5.0).min(5.0));
                (d, format!("tolerated before; {} ({})", l.reason, l.rule))
            }
            None => (
                first_dose(e, 2, 4.0),
                "flare-friendly: gentle enough for a sensitive day".into(),
            ),
        };
        let rest = rest_for(e);
        let it = make_item(e, "gentle", dose, false, vec![why], rest);
        if items.iter().map(|i| i.minutes).sum::<f64>() + it.minutes > minutes {
            continue;
        }
        items.push(it);
    }
    // FL-2: reduce, don't stop. In a flare, the tolerated low-demand work the ledger keeps at a reduced dose
    // comes too, one per movement pattern not already covered.
    if a.flare.active {
        let mut kept: Vec<(&Exercise, &ExerciseLedger)> = a
            .exercises
            .iter()
            .filter(|l| l.rule == RuleId::Fl2 && l.next == NextStep::Hold)
            .filter_map(|l| catalog.get(&l.exercise).map(|e| (e, l)))
            .filter(|(e, _)| !e.flare_safe && available(e, profile))
            .collect();
        kept.sort_by_key(|(e, _)| (sensitive_demand(e, sens), e.id.clone()));
        for (e, l) in kept {
            let Some(dose) = l.dose.clone() else { continue };
            if seen_patterns.contains(&e.pattern) {
                continue;
            }
            let it = make_item(
                e,
                "kept",
                dose,
                false,
                vec![format!("{} ({})", l.reason, l.rule)],
                rest_for(e),
            );
            if items.iter().map(|i| i.minutes).sum::<f64>() + it.minutes > minutes {
                continue;
            }
            seen_patterns.push(e.pattern);
            items.push(it);
        }
    }
}
