//! The compact set notation of the CLI (`docs/cli.md`, "The compact set notation"):
//! `EXERCISE SETSxREPS[@LOAD[kg|lb]] [rpe N] [p N[,N…]] [back|leg] [form]`.
//!
//! Examples: `chest-supported-row 3x10@30 rpe7 p2`, `side-plank 3x30s p1,1,2`, `farmers-carry 2x40m@24kg`,
//! `lat-pulldown 3x12,10,9@45kg rpe8 p1 back`. The exercise is everything before the `SETSxREPS` token, so
//! aliases with spaces work (`"Lat Pulldown (Cable) 3x10@40"`). Anything unreadable is an error that quotes the
//! token.

use crate::catalog::{Catalog, LoadType};
use crate::facts::{Dose, Felt, SetEntry, SetKind};
use crate::units::{Load, Metres, Pain, Reps, Rpe, Seconds, SetCount, WeightUnit};

/// A group that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("in {group:?}{}: {message}", .token.as_ref().map(|t| format!(", at {t:?}")).unwrap_or_default())]
pub struct NotationError {
    /// The whole group as typed.
    pub group: String,
    /// The offending token, when there is one.
    pub token: Option<String>,
    /// What is wrong and how to write it.
    pub message: String,
}

fn fail(group: &str, token: Option<&str>, message: impl Into<String>) -> NotationError {
    NotationError {
        group: echo(group),
        token: token.map(echo),
        message: message.into(),
    }
}

/// What an error quotes of the input: all of it up to 120 characters, else its start and "…" (a megabyte of text
/// typed by mistake is not sent back).
fn echo(s: &str) -> String {
    const MAX: usize = 120;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

enum Unit {
    Reps,
    Seconds,
    Metres,
}

struct DoseToken {
    sets: u32,
    per_set: Vec<u32>,
    unit: Unit,
    load: Option<(f64, Option<WeightUnit>)>,
}

fn looks_like_dose(token: &str) -> bool {
    let mut chars = token.chars();
    let mut saw_digit = false;
    for c in chars.by_ref() {
        if c.is_ascii_digit() {
            saw_digit = true;
        } else {
            return saw_digit && (c == 'x' || c == 'X');
        }
    }
    false
}

fn parse_load(text: &str) -> Option<(f64, Option<WeightUnit>)> {
    let lower = text.to_ascii_lowercase();
    let (num, unit) = if let Some(n) = lower.strip_suffix("kg") {
        (n, Some(WeightUnit::Kg))
    } else if let Some(n) = lower.strip_suffix("lbs") {
        (n, Some(WeightUnit::Lb))
    } else if let Some(n) = lower.strip_suffix("lb") {
        (n, Some(WeightUnit::Lb))
    } else {
        (lower.as_str(), None)
    };
    let v: f64 = num.parse().ok()?;
    v.is_finite().then_some((v, unit))
}

fn parse_dose(token: &str) -> Option<DoseToken> {
    let token = token.to_ascii_lowercase();
    let (head, load) = match token.split_once('@') {
        Some((h, l)) => (h, Some(parse_load(l)?)),
        None => (token.as_str(), None),
    };
    let (sets, rest) = head.split_once('x')?;
    let sets: u32 = sets.parse().ok()?;
    let (list, unit) = if let Some(l) = rest.strip_suffix('s') {
        (l, Unit::Seconds)
    } else if let Some(l) = rest.strip_suffix('m') {
        (l, Unit::Metres)
    } else {
        (rest, Unit::Reps)
    };
    let per_set: Option<Vec<u32>> = list.split(',').map(|p| p.parse().ok()).collect();
    Some(DoseToken {
        sets,
        per_set: per_set?,
        unit,
        load,
    })
}

fn parse_number_list(s: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = s.split(',').collect();
    parts.iter().all(|p| !p.is_empty()).then_some(parts)
}

/// Reads one group into one `SetEntry` per set. `default_unit` applies to loads written without a unit.
pub fn parse_group(
    group: &str,
    catalog: &Catalog,
    default_unit: WeightUnit,
) -> Result<Vec<SetEntry>, NotationError> {
    let tokens: Vec<&str> = group.split_whitespace().collect();
    let Some(dose_at) = tokens.iter().position(|t| looks_like_dose(t)) else {
        return Err(fail(
            group,
            None,
            "no SETSxREPS part found; write e.g. \"row 3x10@40 rpe7 p2\" or \"side-plank 3x30s p1\"",
        ));
    };
    if dose_at == 0 {
        return Err(fail(group, Some(tokens[0]), "the exercise name must come first"));
    }
    let name = tokens[..dose_at].join(" ");
    let exercise = catalog
        .resolve(&name)
        .map_err(|e| fail(group, Some(&name), e.to_string()))?;
    let dose_token = tokens[dose_at];
    let dose = parse_dose(dose_token).ok_or_else(|| {
        fail(
            group,
            Some(dose_token),
            format!("cannot read {dose_token:?}; write SETSxREPS (3x10), SETSxSECONDSs (3x30s) or SETSxMETRESm (2x40m), optionally @LOAD with kg or lb (3x10@40kg)"),
        )
    })?;
    let sets = SetCount::new(dose.sets).map_err(|e| fail(group, Some(dose_token), e.to_string()))?;
    let sets = usize::from(sets.get());
    if dose.per_set.len() != 1 && dose.per_set.len() != sets {
        return Err(fail(
            group,
            Some(dose_token),
            format!(
                "{} values given for {sets} sets; give one for all or one per set",
                dose.per_set.len()
            ),
        ));
    }
    let wanted = match exercise.load_type {
        LoadType::External | LoadType::Bodyweight => "reps",
        LoadType::Timed => "seconds",
        LoadType::Distance => "metres",
    };
    let given = match dose.unit {
        Unit::Reps => "reps",
        Unit::Seconds => "seconds",
        Unit::Metres => "metres",
    };
    if wanted != given {
        let example = match wanted {
            "seconds" => "3x30s",
            "metres" => "2x40m",
            _ => "3x10",
        };
        return Err(fail(
            group,
            Some(dose_token),
            format!(
                "{} is dosed in {wanted}, not {given}; write e.g. {example}",
                exercise.id
            ),
        ));
    }
    let mut mk_dose = Vec::with_capacity(sets);
    for i in 0..sets {
        let v = if dose.per_set.len() == 1 {
            dose.per_set[0]
        } else {
            dose.per_set[i]
        };
        let d = match dose.unit {
            Unit::Reps => Reps::new(v).map(Dose::Reps),
            Unit::Seconds => Seconds::new(v).map(Dose::Seconds),
            Unit::Metres => Metres::new(v).map(Dose::Metres),
        }
        .map_err(|e| fail(group, Some(dose_token), e.to_string()))?;
        mk_dose.push(d);
    }
    let mut load = match dose.load {
        Some((v, unit)) => Some(
            Load::from_unit(v, unit.unwrap_or(default_unit))
                .map_err(|e| fail(group, Some(dose_token), e.to_string()))?,
        ),
        None => None,
    };
    let mut rpe = None;
    let mut pains: Option<Vec<Pain>> = None;
    let mut felt = Felt::Target;
    let mut form = false;
    let mut i = dose_at + 1;
    while i < tokens.len() {
        let tok = tokens[i];
        let lower = tok.to_ascii_lowercase();
        // A value may be glued to its keyword (rpe7, p2) or follow it (rpe 7, p 2).
        let take_value = |prefix: &str, i: &mut usize| -> Option<String> {
            let rest = lower.strip_prefix(prefix)?;
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            if !rest.is_empty() {
                return Some(rest.to_owned());
            }
            let next = tokens.get(*i + 1)?;
            *i += 1;
            Some((*next).to_owned())
        };
        if lower == "back" || lower == "leg" || lower == "target" {
            felt = match lower.as_str() {
                "back" => Felt::Back,
                "leg" => Felt::Leg,
                _ => Felt::Target,
            };
        } else if lower == "form" {
            form = true;
        } else if let Some(l) = lower.strip_prefix('@') {
            if load.is_some() {
                return Err(fail(group, Some(tok), "the load is given twice"));
            }
            let (v, unit) = parse_load(l).ok_or_else(|| {
                fail(
                    group,
                    Some(tok),
                    format!("cannot read the load {tok:?}; write e.g. @40 or @90lb"),
                )
            })?;
            load = Some(
                Load::from_unit(v, unit.unwrap_or(default_unit))
                    .map_err(|e| fail(group, Some(tok), e.to_string()))?,
            );
        } else if lower.starts_with("rpe") {
            let v = take_value("rpe", &mut i)
                .ok_or_else(|| fail(group, Some(tok), "rpe needs a number, e.g. rpe7 or rpe 7.5"))?;
            rpe = Some(
                v.parse::<Rpe>()
                    .map_err(|e| fail(group, Some(tok), e.to_string()))?,
            );
        } else if lower.starts_with('p')
            && lower[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '=')
        {
            let v = take_value("p", &mut i).ok_or_else(|| {
                fail(
                    group,
                    Some(tok),
                    "p needs the pain during the sets, e.g. p2 or p1,1,2",
                )
            })?;
            let parts = parse_number_list(&v).ok_or_else(|| {
                fail(
                    group,
                    Some(tok),
                    format!("cannot read the pain list {v:?}; write e.g. p2 or p1,1,2"),
                )
            })?;
            let parsed: Result<Vec<Pain>, _> = parts.iter().map(|p| p.parse::<Pain>()).collect();
            let parsed = parsed.map_err(|e| fail(group, Some(tok), e.to_string()))?;
            if parsed.len() != 1 && parsed.len() != sets {
                return Err(fail(
                    group,
                    Some(tok),
                    format!(
                        "{} pain values for {sets} sets; give one for all sets or one per set",
                        parsed.len()
                    ),
                ));
            }
            pains = Some(parsed);
        } else {
            return Err(fail(
                group,
                Some(tok),
                format!(
                    "cannot read {tok:?}; after SETSxREPS come: @LOAD, rpe N, p N[,N…], back or leg, form"
                ),
            ));
        }
        i += 1;
    }
    Ok(mk_dose
        .into_iter()
        .enumerate()
        .map(|(n, dose)| SetEntry {
            exercise: exercise.id.clone(),
            dose,
            load,
            rpe,
            pain: pains.as_ref().map(|p| if p.len() == 1 { p[0] } else { p[n] }),
            felt,
            form_breakdown: form,
            kind: SetKind::Normal,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAT: &str = r#"
[increments]
dumbbell = { kg = 2.0, lb = 5.0 }
[[exercise]]
id = "chest-supported-row"
name = "Chest-supported row"
aliases = ["Chest Supported Row (Dumbbell)"]
pattern = "horizontal-pull"
equipment = ["dumbbell", "bench"]
load_type = "external"
skill = 1
reps = [8, 12]
increment = "dumbbell"
flare_safe = false
spinal = { compression = 1, shear = 1, flexion = 0, extension = 0, rotation = 0, basis = "estimated" }
[[exercise]]
id = "side-plank"
name = "Side plank"
pattern = "trunk-lateral"
equipment = ["bodyweight"]
load_type = "timed"
skill = 1
seconds = [15, 45]
flare_safe = false
spinal = { compression = 1, shear = 1, flexion = 0, extension = 0, rotation = 1, basis = "measured" }
[[exercise]]
id = "bird-dog"
name = "Bird dog"
pattern = "trunk-anti-rotation"
equipment = ["bodyweight"]
load_type = "bodyweight"
skill = 1
reps = [6, 10]
flare_safe = true
spinal = { compression = 1, shear = 1, flexion = 0, extension = 1, rotation = 1, basis = "measured" }
"#;

    fn cat() -> Catalog {
        Catalog::from_toml_str(CAT, "t").unwrap()
    }

    fn parse(s: &str) -> Result<Vec<SetEntry>, NotationError> {
        parse_group(s, &cat(), WeightUnit::Kg)
    }

    #[test]
    fn the_contract_examples() {
        let sets = parse("chest-supported-row 3x10@30 rpe7 p2").unwrap();
        assert_eq!(sets.len(), 3);
        assert_eq!(sets[0].load.unwrap().grams(), 30_000);
        assert_eq!(sets[2].rpe.unwrap().halves(), 14);
        assert_eq!(sets[1].pain.unwrap().value(), 2);
        assert_eq!(sets[0].dose, Dose::Reps(Reps::new(10).unwrap()));

        let sets = parse("bird-dog 3x8 p0").unwrap();
        assert!(
            sets.iter()
                .all(|s| s.load.is_none() && s.pain == Some(Pain::ZERO))
        );

        let sets = parse("side-plank 3x30s p1,1,2").unwrap();
        assert_eq!(sets[2].pain.unwrap().value(), 2);
        assert_eq!(sets[0].dose, Dose::Seconds(Seconds::new(30).unwrap()));

        let sets = parse("chest-supported-row 3x12@45kg rpe8 p1 back form").unwrap();
        assert!(sets.iter().all(|s| s.felt == Felt::Back && s.form_breakdown));
    }

    #[test]
    fn aliases_units_and_spacing() {
        let sets = parse_group(
            "Chest Supported Row (Dumbbell) 2x10@50lb rpe 7.5 p 1",
            &cat(),
            WeightUnit::Kg,
        )
        .unwrap();
        assert_eq!(sets[0].exercise, "chest-supported-row");
        assert_eq!(sets[0].load.unwrap().in_unit(WeightUnit::Lb), 50.0);
        assert_eq!(sets[0].rpe.unwrap().to_string(), "7.5");
        let lb = parse_group("chest-supported-row 1x10@50", &cat(), WeightUnit::Lb).unwrap();
        assert_eq!(lb[0].load.unwrap().grams(), 22_680);
        let sep = parse("chest-supported-row 3x10 @30 p2").unwrap();
        assert_eq!(sep[0].load.unwrap().grams(), 30_000);
        let per_set = parse("chest-supported-row 3x12,10,9@20").unwrap();
        assert_eq!(per_set[2].dose, Dose::Reps(Reps::new(9).unwrap()));
    }

    fn err_token(s: &str) -> (Option<String>, String) {
        let e = parse(s).unwrap_err();
        (e.token.clone(), e.to_string())
    }

    #[test]
    fn errors_quote_the_token() {
        let (t, m) = err_token("chest-supported-row 3x10@30 rpe11");
        assert_eq!(t.as_deref(), Some("rpe11"));
        assert!(m.contains("RPE"), "{m}");
        let (t, m) = err_token("chest-supported-row 3x10 p11");
        assert_eq!(t.as_deref(), Some("p11"));
        assert!(m.contains("pain"), "{m}");
        let (t, _) = err_token("chest-supported-row 3x10 banana");
        assert_eq!(t.as_deref(), Some("banana"));
        let (t, m) = err_token("chest-supported-row 3x10@-5");
        assert_eq!(t.as_deref(), Some("3x10@-5"));
        assert!(m.contains("load"), "{m}");
        let (_, m) = err_token("chest-supported-row 3x10@5000");
        assert!(m.contains("1000 kg"), "{m}");
        let (t, _) = err_token("chest-supported-row 3x10@40stone");
        assert_eq!(t.as_deref(), Some("3x10@40stone"));
        let (_, m) = err_token("chest-supported-row 3x10 p1,2");
        assert!(m.contains("2 pain values for 3 sets"), "{m}");
        let (_, m) = err_token("chest-supported-row 0x10");
        assert!(m.contains("sets"), "{m}");
        let (_, m) = err_token("chest-supported-row 3x0");
        assert!(m.contains("reps"), "{m}");
    }

    #[test]
    fn a_name_too_long_is_refused_before_any_suggestion_search_and_only_its_start_is_quoted() {
        // Issue 15, point 4: a megabyte-long name used to run the suggestion search over all of it, and came back
        // whole in the error.
        let name = "a".repeat(1_000_000);
        let e = parse(&format!("{name} 3x10")).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("1000000 characters: a name has at most 100"),
            "{}",
            &m[..200.min(m.len())]
        );
        assert!(m.len() < 1_000, "{} bytes", m.len());
        assert!(e.group.chars().count() <= 121 && e.token.as_ref().is_some_and(|t| t.chars().count() <= 121));
        // At the limit it is an ordinary unknown name, with its suggestions searched.
        let at_limit = format!("chest-supported-row{}", "x".repeat(100 - 19));
        let e = crate::catalog::Catalog::builtin()
            .unwrap()
            .resolve(&at_limit)
            .unwrap_err();
        assert_eq!((e.length, e.given.as_str()), (100, at_limit.as_str()));
        let over = format!("{at_limit}x");
        let e = crate::catalog::Catalog::builtin()
            .unwrap()
            .resolve(&over)
            .unwrap_err();
        assert_eq!(e.length, 101);
        assert!(e.suggestions.is_empty() && e.given.ends_with('…'), "{e:?}");
    }

    #[test]
    fn unknown_exercise_suggests() {
        let (t, m) = err_token("chest-suported-row 3x10");
        assert_eq!(t.as_deref(), Some("chest-suported-row"));
        assert!(m.contains("did you mean chest-supported-row"), "{m}");
    }

    #[test]
    fn structure_errors() {
        assert!(
            parse("chest-supported-row")
                .unwrap_err()
                .message
                .contains("no SETSxREPS")
        );
        assert!(
            parse("3x10 chest-supported-row")
                .unwrap_err()
                .message
                .contains("exercise name must come first")
        );
        let (_, m) = err_token("side-plank 3x10");
        assert!(m.contains("dosed in seconds"), "{m}");
        let (_, m) = err_token("chest-supported-row 3x30s");
        assert!(m.contains("dosed in reps"), "{m}");
        let (_, m) = err_token("chest-supported-row 3x10@30 @40");
        assert!(m.contains("twice"), "{m}");
    }
}
