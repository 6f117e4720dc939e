//! `backstop log`: a session by notation or by session document.

use super::*;

pub(super) fn session_options(a: &LogArgs) -> anyhow::Result<SessionOptions> {
    Ok(SessionOptions {
        at: a.at.clone(),
        pain_before: a.pain_before,
        minutes: a.minutes,
        session_rpe: a.session_rpe,
    })
}

pub(super) async fn log(app: &App, who: AthleteId, a: LogArgs, json: bool) -> anyhow::Result<()> {
    let opts = session_options(&a)?;
    let stored: StoredSession = match &a.file {
        Some(path) => {
            let (text, origin) = read_input(path)?;
            app.log_document(who, &text, &origin, &opts).await?
        }
        None => {
            if a.groups.is_empty() {
                return Err(usage(
                    "give the sets (e.g. backstop log \"chest-supported-row 3x10@30 rpe7 p2\") or --file PATH",
                ));
            }
            app.log_groups(who, &a.groups, &opts).await?
        }
    };
    let (ctx, asmt) = app.assess(who, None).await?;
    let s = &stored.session;
    let sets: Vec<SetDoc> = s
        .sets
        .iter()
        .map(|x| SetDoc::from_entry(x, ctx.profile.units))
        .collect();
    let novelties = asmt
        .session(s.at)
        .map(|v| v.novelties.clone())
        .unwrap_or_default();
    let leg = s.sets.iter().any(|x| x.felt == backstop_core::Felt::Leg);
    let mut screen_result = None;
    if leg && !a.no_input && !json && prompt::interactive() {
        outln!("A set was felt in the leg, so the red-flag questions come again (PM-4, RF-4).");
        let flags = prompt::red_flags()?;
        screen_result = Some(app.screen(who, ScreeningContext::LegSymptoms, flags).await?);
    }
    if json {
        print_json(&view::LoggedView::new(
            &stored,
            &novelties,
            leg && screen_result.is_none(),
            &ctx.tz,
            ctx.profile.units,
        ))?;
    } else {
        let exercises: std::collections::BTreeSet<&str> =
            s.sets.iter().map(|x| x.exercise.as_str()).collect();
        outln!(
            "Logged the session of {} ({} exercise{}, {} set{}):",
            format_local(s.at, &ctx.tz),
            exercises.len(),
            if exercises.len() == 1 { "" } else { "s" },
            s.sets.len(),
            if s.sets.len() == 1 { "" } else { "s" }
        );
        let views: Vec<view::SetView> = sets.iter().map(view::SetView::new).collect();
        for l in describe_sets(&views, ctx.profile.units) {
            outln!("  {l}");
        }
        if s.pain_before.is_none() {
            // Not an error (an old workout may have none), but the ceiling then rests on the usual pain: say so.
            let usual = ctx.profile.baseline_pain.value();
            outln!(
                "No pain before the session was given (--pain-before): its ceiling was set from your usual pain, \
                 {usual}, to pain {}.",
                ctx.profile.session_ceiling(None)
            );
        }
        match novelties.len() {
            0 => {}
            1 => outln!(
                "\nOne change this session: {}. If your back is worse tomorrow, that is what it will be linked to first.",
                novelties[0].detail
            ),
            n => outln!(
                "\n{n} changes in one session ({}). If your back is worse tomorrow it is shared between them and cannot be \
                 pinned on one of them; next time bring in one change at a time (C5).",
                novelties
                    .iter()
                    .map(|x| x.detail.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }
        if let Some(r) = &screen_result {
            print_screen(r)?;
        } else if leg {
            outln!(
                "\nYou felt a set in your leg. Stop that exercise for today whatever the pain score, and answer the \
                 red-flag questions again: `backstop screen`."
            );
        }
        let tomorrow = civil_date(s.at, &ctx.tz)
            .tomorrow()
            .map(|d| d.to_string())
            .unwrap_or_default();
        outln!("\nTomorrow morning ({tomorrow}), rate your back: backstop checkin --pain N");
    }
    if app.red_flag_state(who).await?.blocks_training {
        return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
    }
    Ok(())
}
