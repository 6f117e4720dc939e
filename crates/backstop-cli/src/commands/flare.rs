//! `backstop flare start|end`: marking a flare-up.

use super::*;

pub(super) async fn flare(
    app: &App,
    who: AthleteId,
    a: crate::cli::FlareArgs,
    json: bool,
) -> anyhow::Result<()> {
    let mark = match a.mark {
        FlareMarkArg::Start => FlareMark::Start,
        FlareMarkArg::End => FlareMark::End,
    };
    let given = a.red_flags.as_deref().map(parse_red_flags).transpose()?;
    if mark == FlareMark::End && given.is_some() {
        return Err(usage(
            "--red-flags goes with `flare start`; use `backstop screen` at other times",
        ));
    }
    let e = app.flare(who, mark, a.at.as_deref()).await?;
    let tz = app.context(who).await?.tz;
    // Every flare is a moment to ask the red-flag questions again (`docs/safety.md`, "When the questions are asked").
    let flags = match (mark, given) {
        (FlareMark::Start, Some(f)) => Some(f),
        (FlareMark::Start, None) if !a.no_input && !json && prompt::interactive() => {
            Some(prompt::red_flags()?)
        }
        _ => None,
    };
    let result = match flags {
        Some(f) => Some(app.screen(who, ScreeningContext::Flare, f).await?),
        None => None,
    };
    if json {
        print_json(&view::FlareMarkView {
            mark,
            at: LocalTime::new(e.at, &tz),
            red_flags: result
                .as_ref()
                .and_then(|r| r.as_ref())
                .map(view::RedFlagResultView::new),
            rescreen_needed: mark == FlareMark::Start && result.is_none(),
        })?;
    } else {
        match mark {
            FlareMark::Start => {
                outln!(
                    "Flare-up recorded from {}. Keep moving gently: walking and the exercises your back tolerates; no \
                     progression and no new exercises until it settles. Bed rest is not advised. If it is not \
                     improving after two weeks, see a clinician.",
                    format_local(e.at, &tz)
                );
                match &result {
                    Some(r) => print_screen(r)?,
                    None => outln!("Answer the red-flag questions again now: `backstop screen`."),
                }
            }
            FlareMark::End => outln!(
                "Flare-up end recorded at {}. Re-entry starts at step 1: about half your usual dose at RPE 6 or less.",
                format_local(e.at, &tz)
            ),
        }
    }
    if app.red_flag_state(who).await?.blocks_training {
        return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
    }
    Ok(())
}
