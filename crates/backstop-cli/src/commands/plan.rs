//! `backstop plan`: a day's or a week's plan.

use super::*;

/// The plan document of `plan --json` (and of `init`'s first session): the API's.
pub(super) fn plan_view(ctx: &backstop_app::Context, p: &backstop_core::plan::Plan) -> PlanView {
    PlanView::new(p, ctx.profile.units)
}

pub(super) fn print_plan(p: &PlanView) -> anyhow::Result<()> {
    let mode = match p.mode {
        backstop_core::plan::Mode::Train => "training session",
        backstop_core::plan::Mode::Recovery => "recovery session",
        backstop_core::plan::Mode::Flare => "flare mode",
        backstop_core::plan::Mode::Blocked => "BLOCKED: no training",
    };
    outln!(
        "{} ({}): {mode}, about {} minutes",
        p.date,
        p.date.weekday_name(),
        format_number(p.estimated_minutes.round())
    );
    for (n, i) in p.items.iter().enumerate() {
        let rest = if i.rest_seconds > 0 {
            format!(", rest {} s", i.rest_seconds)
        } else {
            String::new()
        };
        outln!(
            "{:>2}. {:<30} {}{rest}{}",
            n + 1,
            i.name,
            i.dose.text,
            if i.novelty { "   NEW" } else { "" }
        );
        for r in &i.reasons {
            outln!("      why: {r}");
        }
        if let Some(c) = i.cues.first() {
            outln!("      cue: {c}");
        }
        if let Some(f) = i.faults.first() {
            outln!("      watch for: {f}");
        }
    }
    for n in &p.notes {
        outln!("  {n}");
    }
    Ok(())
}

pub(super) trait WeekdayName {
    fn weekday_name(&self) -> &'static str;
}

impl WeekdayName for jiff::civil::Date {
    fn weekday_name(&self) -> &'static str {
        use jiff::civil::Weekday::*;
        match self.weekday() {
            Monday => "Mon",
            Tuesday => "Tue",
            Wednesday => "Wed",
            Thursday => "Thu",
            Friday => "Fri",
            Saturday => "Sat",
            Sunday => "Sun",
        }
    }
}

pub(super) async fn plan(
    app: &App,
    who: AthleteId,
    a: crate::cli::PlanArgs,
    json: bool,
) -> anyhow::Result<()> {
    if a.week {
        let (ctx, w) = app.plan_week(who, a.date.as_deref()).await?;
        let blocked = w.days.iter().any(|(_, p)| {
            p.as_ref()
                .is_some_and(|p| p.mode == backstop_core::plan::Mode::Blocked)
        });
        let view = WeekPlanView::new(&w, &ctx.catalog, ctx.profile.units);
        if json {
            print_json(&view)?;
        } else {
            outln!("Week of {}", view.week_start);
            for day in &view.days {
                match &day.plan {
                    None => outln!("\n{} ({}): rest day", day.date, day.date.weekday_name()),
                    Some(p) => {
                        outln!();
                        print_plan(p)?;
                    }
                }
            }
        }
        if blocked {
            return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
        }
        return Ok(());
    }
    let readiness = backstop_core::plan::Readiness {
        pain_now: a.pain_now,
        minutes: a.minutes,
    };
    let (ctx, p) = app.plan(who, a.date.as_deref(), readiness).await?;
    if json {
        print_json(&plan_view(&ctx, &p))?;
    } else {
        print_plan(&plan_view(&ctx, &p))?;
    }
    if p.mode == backstop_core::plan::Mode::Blocked {
        return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
    }
    Ok(())
}
