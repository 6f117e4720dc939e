//! `backstop init`: the profile, the red-flag screen and the first session.

use super::*;

pub(super) fn default_tz() -> String {
    jiff::tz::TimeZone::try_system()
        .ok()
        .and_then(|tz| tz.iana_name().map(str::to_owned))
        .unwrap_or_else(|| "UTC".to_owned())
}

/// The first of `days` on or after `from` (`from` itself when there are no training days).
pub(super) fn next_training_day(from: jiff::civil::Date, days: &[Weekday]) -> jiff::civil::Date {
    (0..7)
        .filter_map(|i| from.checked_add(jiff::Span::new().days(i)).ok())
        .find(|d| days.iter().any(|w| w.to_jiff() == d.weekday()))
        .unwrap_or(from)
}

pub(super) async fn init(app: &App, who: AthleteId, a: InitArgs, json: bool) -> anyhow::Result<()> {
    let existing = app.profile(who).await?;
    let screened_before = app.has_screening(who).await?;
    let base = existing
        .clone()
        .unwrap_or_else(|| Profile::starting(default_tz()));
    let mut p = base;
    if let Some(u) = a.units {
        p.units = u.into();
    }
    if let Some(tz) = &a.tz {
        backstop_app::time_zone(tz).map_err(|e| usage(format!("--tz: {e}")))?;
        p.time_zone = tz.clone();
    }
    if let Some(e) = &a.equipment {
        let mut list: Vec<Equipment> = parse_list(e).map_err(|e| usage(format!("--equipment: {e}")))?;
        list.retain(|e| *e != Equipment::Bodyweight);
        p.equipment = list;
    }
    if let Some(d) = &a.days {
        p.days = parse_list(d).map_err(|e| usage(format!("--days: {e}")))?;
        if p.days.is_empty() {
            return Err(usage("--days: give at least one day, e.g. mon,wed,fri"));
        }
    }
    if let Some(m) = a.minutes {
        p.minutes = m;
    }
    if let Some(b) = a.baseline_pain {
        p.baseline_pain = b;
    }
    if let Some(ag) = &a.aggravators {
        p.aggravators = parse_list(ag).map_err(|e| usage(format!("--aggravators: {e}")))?;
    }
    if let Some(y) = a.training_years {
        if y > 80 {
            return Err(usage("--training-years: at most 80"));
        }
        p.training_years = Some(y);
    }
    if let Some(u) = &a.usual_leg_symptoms {
        p.usual_leg_symptoms = match u.trim() {
            "none" => None,
            r => Some(parse::<backstop_core::LegReach>("--usual-leg-symptoms", r)?),
        };
    }
    if let Some(g) = &a.goal_lifts {
        p.goal_lifts = if g.trim() == "none" {
            Vec::new()
        } else {
            g.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let catalog = app.catalog(who).await?;
        p.goal_lifts = backstop_app::goal_lifts(&catalog, &p.goal_lifts)
            .map_err(|e| usage(format!("--goal-lifts: {e}")))?;
    }
    let mut flags = a.red_flags.as_deref().map(parse_red_flags).transpose()?;
    let interactive = !a.no_input && !json && prompt::interactive();
    if interactive {
        // A new lifter is asked with what every front end offers (a commercial gym, an hour); every answer can
        // change them.
        if existing.is_none() {
            let offered = Profile::offered(p.time_zone.clone());
            if a.equipment.is_none() {
                p.equipment = offered.equipment;
            }
            if a.minutes.is_none() {
                p.minutes = offered.minutes;
            }
        }
        p = prompt::profile(p)?;
        if flags.is_none() {
            flags = Some(prompt::red_flags()?);
        }
    } else {
        if existing.is_none() && a.baseline_pain.is_none() {
            return Err(usage(
                "--baseline-pain is required for a new profile (your usual pain, 0–10)",
            ));
        }
        if !screened_before && flags.is_none() {
            return Err(usage(
                "the red-flag screen must be answered: --red-flags none, or the names you answer yes to \
                 (list: backstop screen --help)",
            ));
        }
    }
    let result = app.init(who, p.clone(), flags).await?;
    let state = app.red_flag_state(who).await?;
    // The first session, as `backstop plan` gives it for the next training day, unless training is paused.
    let first = if state.blocks_training {
        None
    } else {
        let ctx = app.context(who).await?;
        let day = next_training_day(civil_date(app.now(), &ctx.tz), &ctx.profile.days);
        Some(app.plan(who, Some(&day.to_string()), Default::default()).await?)
    };
    if json {
        print_json(&view::InitView {
            sensitivity_hypothesis: sensitivity_hypothesis(&p.aggravators),
            profile: p.clone(),
            red_flags: result.as_ref().map(view::RedFlagResultView::new),
            training_blocked: state.blocks_training,
            first_session: first.as_ref().map(|(ctx, plan)| plan_view(ctx, plan)),
        })?;
    } else {
        outln!(
            "Profile {}.",
            if existing.is_some() { "updated" } else { "created" }
        );
        outln!(
            "  units {} · time zone {} · {} min on {} · usual pain {}/10",
            p.units,
            p.time_zone,
            p.minutes,
            p.days.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(","),
            p.baseline_pain
        );
        let eq: Vec<&str> = p.equipment.iter().map(|e| e.as_str()).collect();
        outln!(
            "  equipment: {}",
            if eq.is_empty() {
                "bodyweight only".to_owned()
            } else {
                format!("{} (and bodyweight)", eq.join(", "))
            }
        );
        if !p.goal_lifts.is_empty() {
            outln!(
                "  goal lifts: {} (each with a ladder of easier exercises; `backstop status` shows where you are)",
                p.goal_lifts.join(", ")
            );
        }
        let hyp = sensitivity_hypothesis(&p.aggravators);
        if !hyp.is_empty() {
            outln!(
                "  starting hypothesis: {}-sensitive (a guess from what makes your back worse; your own pain \
                 reports will confirm or drop it)",
                hyp.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" and ")
            );
        }
        if a.red_flags.is_some() || interactive {
            print_screen(&result)?;
        }
        if let Some((ctx, plan)) = &first {
            outln!("\nYour first session:");
            print_plan(&plan_view(ctx, plan))?;
            outln!("\nNext steps:");
            // An example group in the set notation, from the session's first exercise after the warm-up.
            let example = plan
                .items
                .iter()
                .find(|i| i.slot != "warm-up")
                .map(|i| {
                    let amount = match (i.dose.reps, i.dose.seconds, i.dose.metres) {
                        (_, Some(s), _) => format!("{s}s"),
                        (_, _, Some(m)) => format!("{m}m"),
                        (r, _, _) => r.unwrap_or(8).to_string(),
                    };
                    let load = ctx
                        .catalog
                        .get(&i.exercise)
                        .filter(|e| e.load_type == LoadType::External)
                        .map(|_| "@30".to_owned())
                        .unwrap_or_default();
                    let pains = vec!["1"; i.dose.sets.max(1) as usize].join(",");
                    format!("\"{} {}x{amount}{load} p{pains}\"", i.exercise, i.dose.sets)
                })
                .unwrap_or_else(|| "\"EXERCISE SETSxREPS@LOAD pPAIN\"".into());
            outln!(
                "  log it:   backstop log --pain-before 2 {example} … (one group per exercise, with your own load \
                 and the pain of each set), then `backstop checkin --pain N` the next morning"
            );
            outln!(
                "  on your phone at the gym: backstop serve --addr 0.0.0.0:8080 --key-file FILE (a key of 32+ characters), \
                 and scan the code it prints"
            );
        }
    }
    if state.blocks_training {
        return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_training_day_is_today_or_the_next_one_on_the_list() {
        let fri = jiff::civil::date(2026, 11, 27);
        let mwf = [Weekday::Mon, Weekday::Wed, Weekday::Fri];
        assert_eq!(next_training_day(fri, &mwf), fri);
        assert_eq!(
            next_training_day(fri, &[Weekday::Mon]),
            jiff::civil::date(2026, 11, 30)
        );
        assert_eq!(
            next_training_day(fri, &[Weekday::Thu]),
            jiff::civil::date(2026, 12, 3)
        );
        assert_eq!(next_training_day(fri, &[]), fri);
    }
}
