//! Printing the engine's decisions: `status`, `why`, and the verdicts a check-in settles.

use std::io::Write;

use backstop_app::App;
use backstop_app::store::AthleteId;
use backstop_app::view::{LadderView, LedgerView, LocalTime, StatusView, UntestedView, VerdictView, WhyView};
use backstop_core::engine::NextStep;
use backstop_core::units::format_number;

use crate::UsageError;
use crate::cli::{StatusArgs, WhyArgs};

macro_rules! outln {
    ($($t:tt)*) => {
        writeln!(std::io::stdout(), $($t)*)?
    };
}

/// Prints one session verdict in a few plain lines, each exercise with its next step from `ledger` (the status
/// document's entries).
pub fn print_verdict(v: &VerdictView, ledger: &[LedgerView]) -> anyhow::Result<()> {
    let word = match (v.verdict.as_deref(), v.status.as_str()) {
        (None, "unrated") => "UNRATED (no pain recorded, not judged)".to_owned(),
        (None, _) => "pending".to_owned(),
        (Some(x), "unconfirmed") => format!("{} (unconfirmed)", x.to_uppercase()),
        (Some(x), _) => x.to_uppercase(),
    };
    outln!(
        "Session of {}: {word} ({}): {}.",
        v.session_at.minute(),
        v.rule,
        v.reason
    );
    for e in &v.exercises {
        let next_txt = ledger
            .iter()
            .find(|l| l.exercise == e.exercise)
            .map(LedgerView::next_in_words)
            .unwrap_or_default();
        outln!(
            "  {:<28} {:<8} {}{}",
            e.exercise,
            e.verdict.as_deref().unwrap_or("pending"),
            e.reason,
            if next_txt.is_empty() {
                String::new()
            } else {
                format!(" → next: {next_txt}")
            }
        );
    }
    Ok(())
}

/// `backstop status`.
pub async fn status(app: &App, who: AthleteId, a: StatusArgs, json: bool) -> anyhow::Result<()> {
    let (ctx, asmt) = app.assess(who, a.date.as_deref()).await?;
    // The text says what the JSON holds: both are the status document.
    let v = StatusView::new(&asmt, &ctx.tz, ctx.profile.units).with_care(&ctx.care, &ctx.tz, &ctx.catalog);
    if json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    let local = LocalTime::minute;
    outln!("Status on {}", local(&v.at));
    if v.red_flags.blocks_training {
        outln!(
            "  TRAINING PAUSED: a red-flag answer is open. See a clinician; record it with `backstop clearance`."
        );
    }
    if v.flare.active {
        outln!(
            "  Flare-up since {}{}: reduce, don't stop: walking, flare-friendly work and tolerated low-demand work at a lower dose, no progression.",
            v.flare.since.as_ref().map(local).unwrap_or_default(),
            if v.flare.declared {
                " (declared)"
            } else {
                " (from your pain reports)"
            }
        );
    } else if let Some(step) = v.flare.reentry_step {
        outln!(
            "  Returning from a flare-up: re-entry step {step} of {} (one step up after each calm session).",
            ctx.profile.settings.reentry_steps_pct.len()
        );
    } else {
        outln!("  No flare-up.");
    }
    for al in &v.alerts {
        outln!("  ! {} ({})", al.message, al.rule);
    }
    for c in &v.care {
        outln!("  Set by {} on {}: {}", c.by, c.at.date(), c.words);
    }
    if v.exercises.is_empty() && v.unrated.is_empty() {
        outln!("\nNothing logged yet.");
    } else if !v.exercises.is_empty() {
        outln!("\n  {:<28} {:<12} {:<8} next", "exercise", "status", "last");
        for l in &v.exercises {
            outln!(
                "  {:<28} {:<12} {:<8} {}",
                l.exercise,
                l.status,
                l.last_verdict.as_deref().unwrap_or("pending"),
                l.next_in_words()
            );
        }
    }
    if !v.unrated.is_empty() {
        outln!(
            "\nDone before, with no pain recorded, so not judged (BK-9); each comes in as new, its first load \
             proposed from what you did:"
        );
        for u in &v.unrated {
            outln!(
                "  {:<28} {} on {} ({} session{})",
                u.exercise,
                u.last_dose,
                u.last_at.date(),
                u.sessions,
                if u.sessions == 1 { "" } else { "s" }
            );
        }
    }
    if !v.ladders.is_empty() {
        outln!("\nGoal lifts (one rung at a time, after calm sessions; [x] is where you are):");
        for l in &v.ladders {
            outln!("  {}: {}", l.goal, ladder_text(l));
        }
    }
    // Very weak associations stay in the JSON; the text shows the ones worth a look.
    let shown: Vec<_> = v.suspects.iter().filter(|s| s.strength >= 0.1).take(5).collect();
    if !shown.is_empty() {
        outln!("\nExercises linked to your pain (an association in your own data, not a diagnosis):");
        for s in shown {
            outln!("  {:<28} {} confidence: {}", s.exercise, s.confidence, s.evidence);
        }
    }
    let broader: Vec<_> = v.causes.iter().filter(|c| c.level != "exercise").collect();
    if !broader.is_empty() {
        outln!("\nWhat your back reacts to (association in your own data, not a diagnosis):");
        for c in broader {
            outln!("  {}\n    {}", c.headline, c.evidence);
        }
    }
    for s in &v.sensitivities {
        outln!("Sensitivity {}: {} ({}).", s.category, s.status, s.evidence);
    }
    if let Some(s) = &v.soreness {
        outln!(
            "Training soreness {}/10: go easy on {} until {}.",
            s.pain,
            s.muscles.join(", "),
            local(&s.until)
        );
    }
    if !v.due_checkins.is_empty() {
        outln!("\nCheck-ins wanted:");
        for d in &v.due_checkins {
            outln!(
                "  {} check-in for the session of {}: between {} and {}",
                d.kind,
                local(&d.session_at),
                local(&d.from),
                local(&d.until)
            );
        }
    }
    Ok(())
}

/// A goal lift's ladder in one line, the person's rung in brackets.
fn ladder_text(l: &LadderView) -> String {
    if l.rungs.is_empty() {
        return "no way there with your equipment".into();
    }
    let rungs: Vec<String> = l
        .rungs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if Some(i) == l.position {
                format!("[{r}]")
            } else {
                r.clone()
            }
        })
        .collect();
    let tail = match l.position {
        None => " (not started: its first rung comes in as a session's one change)",
        Some(_) if l.reached => " (reached)",
        Some(_) => "",
    };
    format!("{}{tail}", rungs.join(" → "))
}

/// `backstop why ID`.
pub async fn why(app: &App, who: AthleteId, a: WhyArgs, json: bool) -> anyhow::Result<()> {
    let (ctx, asmt) = app.assess(who, a.date.as_deref()).await?;
    let ex = ctx
        .catalog
        .resolve(&a.id)
        .map_err(|e| UsageError(e.to_string()))?;
    // The text says what the JSON holds: both are the `why` document.
    let Some(v) = WhyView::of(&asmt, &ex.id, &ctx.catalog, &ctx.tz, ctx.profile.units)
        .map(|v| v.with_care(&ctx.care, &ctx.tz, &ctx.catalog))
    else {
        if json {
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(
                &mut out,
                &UntestedView {
                    exercise: ex.id.clone(),
                    status: "untested",
                    evidence: Vec::new(),
                },
            )?;
            writeln!(out)?;
        } else {
            outln!(
                "{} ({}): untested. You have not logged it yet; it would come in as a session's one change.",
                ex.name,
                ex.id
            );
        }
        return Ok(());
    };
    if json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    let l = &v.ledger;
    outln!("{} ({})", ex.name, ex.id);
    outln!("  status: {}", l.status);
    outln!("  next: {}", l.next_in_words());
    outln!("  because: {} ({})", l.reason, l.rule);
    for c in &v.care {
        outln!("  set by {} on {}: {}", c.by, c.at.date(), c.words);
    }
    if let Some(p) = &l.provocation {
        outln!(
            "  retests: {}",
            match p.as_str() {
                "confirmed" => "confirmed: red again at its retest",
                "cleared" => "cleared: two calm retests in a row",
                _ => "parked once; its retest will confirm or clear it",
            }
        );
    }
    outln!(
        "  effort ceiling: RPE {}{}",
        format_number(l.effort_cap),
        l.superseded_by
            .as_ref()
            .map(|h| format!("; moved on to {h}, which the planner uses instead"))
            .unwrap_or_default()
    );
    if let Some(t) = &l.retest_from
        && l.next == NextStep::Avoid.as_str()
    {
        outln!("  retest from: {}", t.minute());
    }
    if let Some(s) = &v.suspect {
        outln!(
            "  linked to your pain, {} confidence: {}",
            s.confidence,
            s.evidence
        );
    }
    for c in &v.causes {
        outln!("  {}\n    {}", c.headline, c.evidence);
    }
    outln!("  history:");
    for e in &v.evidence {
        outln!(
            "    {}  {:<22} pain {:<4} {:<8}{}{}",
            e.session_at.minute(),
            e.dose,
            e.max_pain.map_or("-".to_owned(), |p| p.to_string()),
            e.verdict.as_deref().unwrap_or("pending"),
            if e.status == "unconfirmed" {
                " unconfirmed"
            } else {
                ""
            },
            e.novelty.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
        );
    }
    outln!(
        "  Verdicts follow the Ceiling Method: pain during sets against your ceiling, then the next mornings. See docs/rules.md."
    );
    Ok(())
}
