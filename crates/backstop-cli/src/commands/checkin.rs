//! `backstop checkin`: how the back feels now, and the verdicts it settles.

use super::*;

pub(super) async fn checkin(app: &App, who: AthleteId, a: CheckinArgs, json: bool) -> anyhow::Result<()> {
    let input = CheckInInput {
        at: a.at.clone(),
        pain: Some(a.pain),
        stiffness: a.stiffness,
        muscle_soreness: a.muscle_soreness,
        leg_pain: a.leg_pain,
        numbness: a.numbness,
        weakness: a.weakness,
        leg_reach: a.leg_reach,
    };
    let before = app.assess(who, None).await?.1;
    let out = app.checkin(who, input).await?;
    let (ctx, after) = app.assess(who, None).await?;
    let tz = ctx.tz.clone();
    let mut screen_result = None;
    let interactive = out.rescreen && !a.no_input && !json && prompt::interactive();
    if interactive {
        outln!("You reported leg or nerve symptoms, so the red-flag questions come again (RF-4).");
        let flags = prompt::red_flags()?;
        screen_result = Some(app.screen(who, ScreeningContext::LegSymptoms, flags).await?);
    }
    let c = &out.checkin;
    if json {
        print_json(&CheckInResultView::new(
            c,
            &before,
            &after,
            out.rescreen && screen_result.is_none(),
            &tz,
        ))?;
    } else {
        outln!(
            "Check-in recorded: pain {}/10 at {}.",
            c.pain,
            format_local(c.at, &tz)
        );
        if c.muscle_soreness {
            outln!(
                "Noted: the ache is in the muscles you trained and eases as you move (usual training soreness)."
            );
        }
        // The verdicts this check-in settled or changed (the JSON's `verdicts`).
        for v in backstop_app::view::settled(&before, &after) {
            crate::views::print_verdict(&ctx, &after, v)?;
        }
        if after.flare.active && !before.flare.active {
            outln!(
                "Your mornings point to a flare-up (FL-1). Reduce, don't stop: walking, flare-friendly work and \
                 the low-demand work your back tolerates at a reduced dose; no progression, no new exercises. Bed \
                 rest is not advised."
            );
        } else if let Some(step) = after.flare.reentry_step
            && before.flare.active
        {
            let s = &ctx.profile.settings;
            let i = step.saturating_sub(1);
            outln!(
                "The flare-up has settled: re-entry starts at step {step} (about {} % of your usual dose, RPE {} or \
                 less){}.",
                s.reentry_steps_pct.get(i).copied().unwrap_or(100),
                s.reentry_steps_rpe.get(i).copied().unwrap_or(10),
                if after.flare.reentry_calm_per_step > 1 {
                    format!(
                        ", each step after {} calm sessions because the flare was long",
                        after.flare.reentry_calm_per_step
                    )
                } else {
                    String::new()
                }
            );
        }
        if let Some(r) = &screen_result {
            print_screen(r)?;
        } else if out.rescreen {
            outln!(
                "You reported leg or nerve symptoms. Answer the red-flag questions again now: `backstop screen` \
                 (or `backstop screen --red-flags none|LIST`)."
            );
        }
    }
    if app.red_flag_state(who).await?.blocks_training {
        return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
    }
    Ok(())
}
