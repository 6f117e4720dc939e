//! `backstop checkin`: how the back feels now, and the verdicts it settles.

use super::*;
use backstop_app::view::StatusView;

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
    let (ctx, before, out, after) = app.checkin_assessed(who, input).await?;
    let tz = ctx.tz.clone();
    let mut screen_result = None;
    let interactive = out.rescreen && !a.no_input && !json && prompt::interactive();
    if interactive {
        outln!("You reported leg or nerve symptoms, so the red-flag questions come again (RF-4).");
        let flags = prompt::red_flags()?;
        screen_result = Some(app.screen(who, ScreeningContext::LegSymptoms, flags).await?);
    }
    // The text says what the JSON holds: both are the check-in result document.
    let v = CheckInResultView::new(
        &out.checkin,
        &before,
        &after,
        out.rescreen && screen_result.is_none(),
        &tz,
    );
    if json {
        print_json(&v)?;
    } else {
        let c = &v.checkin;
        outln!("Check-in recorded: pain {}/10 at {}.", c.pain, c.at.minute());
        if c.muscle_soreness {
            outln!(
                "Noted: the ache is in the muscles you trained and eases as you move (usual training soreness)."
            );
        }
        // The verdicts this check-in settled or changed, each exercise with its next step from the status document.
        let ledger = StatusView::new(&after, &tz, ctx.profile.units).exercises;
        for verdict in &v.verdicts {
            crate::views::print_verdict(verdict, &ledger)?;
        }
        if v.flare.active && !before.flare.active {
            outln!(
                "Your mornings point to a flare-up (FL-1). Reduce, don't stop: walking, flare-friendly work and \
                 the low-demand work your back tolerates at a reduced dose; no progression, no new exercises. Bed \
                 rest is not advised."
            );
        } else if let Some(step) = v.flare.reentry_step
            && before.flare.active
        {
            let s = &ctx.profile.settings;
            let i = step.saturating_sub(1);
            outln!(
                "The flare-up has settled: re-entry starts at step {step} (about {} % of your usual dose, RPE {} or \
                 less){}.",
                s.reentry_steps_pct.get(i).copied().unwrap_or(100),
                s.reentry_steps_rpe.get(i).copied().unwrap_or(10),
                if v.flare.reentry_calm_per_step > 1 {
                    format!(
                        ", each step after {} calm sessions because the flare was long",
                        v.flare.reentry_calm_per_step
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
