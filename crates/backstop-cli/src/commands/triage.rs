//! `backstop triage`: soreness or pain?

use super::*;

pub(super) fn pick<T: std::str::FromStr<Err = backstop_core::vocab::UnknownName> + Copy>(
    flag: &str,
    given: Option<&str>,
    prompt_text: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    interactive: bool,
    missing: &mut Vec<String>,
) -> anyhow::Result<Option<T>> {
    match given {
        Some(v) => Ok(Some(parse::<T>(flag, v)?)),
        None if interactive => {
            let labels: Vec<&str> = all.iter().map(|t| name(*t)).collect();
            let i = dialoguer::Select::new()
                .with_prompt(prompt_text)
                .items(&labels)
                .default(0)
                .interact()?;
            Ok(Some(all[i]))
        }
        None => {
            missing.push(flag.to_owned());
            Ok(None)
        }
    }
}

pub(super) async fn triage(
    app: &App,
    who: AthleteId,
    a: crate::cli::TriageArgs,
    json: bool,
) -> anyhow::Result<()> {
    use backstop_core::triage::{Location, Movement, Onset, Quality, Trend, TriageAnswers};
    app.context(who).await?;
    let interactive = !a.no_input && !json && prompt::interactive();
    let mut missing = Vec::new();
    let when = pick(
        "--when",
        a.when.as_deref(),
        "When did it start?",
        Onset::ALL,
        Onset::as_str,
        interactive,
        &mut missing,
    )?;
    let location = pick(
        "--where",
        a.location.as_deref(),
        "Where is it?",
        Location::ALL,
        Location::as_str,
        interactive,
        &mut missing,
    )?;
    let quality = pick(
        "--quality",
        a.quality.as_deref(),
        "What does it feel like?",
        Quality::ALL,
        Quality::as_str,
        interactive,
        &mut missing,
    )?;
    let movement = pick(
        "--movement",
        a.movement.as_deref(),
        "What does moving do to it?",
        Movement::ALL,
        Movement::as_str,
        interactive,
        &mut missing,
    )?;
    let trend = pick(
        "--trend",
        a.trend.as_deref(),
        "How is it trending?",
        Trend::ALL,
        Trend::as_str,
        interactive,
        &mut missing,
    )?;
    let mut red_flags: Vec<RedFlag> = a
        .red_flag_names()
        .iter()
        .map(|n| parse::<RedFlag>("red flag", n))
        .collect::<anyhow::Result<_>>()?;
    let (Some(when), Some(location), Some(quality), Some(movement), Some(trend)) =
        (when, location, quality, movement, trend)
    else {
        // A red flag acts whatever else is unanswered (RF-2, RF-3): it is recorded as a screen and said first.
        if let Some(r) = app.red_flags_alone(who, red_flags).await? {
            print_triage(&r, json, &missing)?;
            if app.red_flag_state(who).await?.blocks_training {
                return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
            }
        }
        return Err(usage(format!(
            "answer every question: missing {}",
            missing.join(", ")
        )));
    };
    if interactive && red_flags.is_empty() {
        red_flags = prompt::red_flags()?;
    }
    let pain = a.pain;
    let answers = TriageAnswers {
        when,
        location,
        quality,
        movement,
        trend,
        red_flags,
        dark_urine: a.dark_urine,
    };
    let r = app.triage(who, answers, pain, a.at.as_deref()).await?;
    print_triage(&r, json, &[])?;
    if app.red_flag_state(who).await?.blocks_training {
        return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
    }
    Ok(())
}

/// Prints a triage result; `missing` lists the questions left unanswered when red flags were given alone.
pub(super) fn print_triage(
    r: &backstop_core::triage::TriageResult,
    json: bool,
    missing: &[String],
) -> anyhow::Result<()> {
    if json {
        return print_json(&backstop_app::view::TriageView::new(r.clone(), missing.to_vec()));
    }
    let word = match r.classification {
        backstop_core::triage::Classification::Soreness => "This looks like training soreness",
        backstop_core::triage::Classification::Pain => "Pain to respect",
        backstop_core::triage::Classification::Nerve => "Possible nerve involvement",
        backstop_core::triage::Classification::RedFlag => "Red flag",
    };
    outln!(
        "{word}{}.",
        r.urgency
            .map(|u| format!(" (see a clinician: {})", u.as_str()))
            .unwrap_or_default()
    );
    outln!("Because: {}.", r.because.join("; "));
    outln!("{}", r.advice);
    if r.urgency >= Some(Urgency::Urgent) {
        outln!("Once a clinician has cleared you, record it: `backstop clearance`.");
    }
    if !missing.is_empty() {
        outln!(
            "The red-flag answers are recorded. The rest of the triage needs: {}.",
            missing.join(", ")
        );
    }
    outln!("backstop sorts what you report; it cannot examine you or say what the cause is.");
    Ok(())
}
