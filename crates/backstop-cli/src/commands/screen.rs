//! `backstop screen`: the red-flag questions again.

use super::*;

pub(super) async fn screen(app: &App, who: AthleteId, a: ScreenArgs, json: bool) -> anyhow::Result<()> {
    app.context(who).await?;
    let flags = match &a.red_flags {
        Some(s) => parse_red_flags(s)?,
        None if !a.no_input && !json && prompt::interactive() => prompt::red_flags()?,
        None => {
            return Err(usage(
                "--red-flags none|LIST is required when not asking interactively",
            ));
        }
    };
    let result = app.screen(who, ScreeningContext::Recheck, flags).await?;
    let state = app.red_flag_state(who).await?;
    if json {
        print_json(&view::ScreenView::new(result.as_ref(), state.blocks_training))?;
    } else {
        print_screen(&result)?;
        if state.blocks_training && result.is_none() {
            outln!(
                "An earlier emergency answer still blocks training until you record a clearance (`backstop clearance`)."
            );
        }
    }
    if state.blocks_training {
        return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
    }
    Ok(())
}
