//! `backstop history`: what was recorded.

use super::*;

pub(super) async fn history(app: &App, who: AthleteId, a: HistoryArgs, json: bool) -> anyhow::Result<()> {
    let entries: Vec<HistoryEntry> = app.history(who, a.from.as_deref(), a.to.as_deref()).await?;
    if json {
        // The API's session document: each with its verdict, judged as of now.
        let (_, asmt) = app.assess(who, None).await?;
        let views: Vec<SessionView> = entries
            .iter()
            .map(|e| SessionView::new(e, asmt.session(e.at.timestamp())))
            .collect();
        return print_json(&views);
    }
    let ctx = app.context(who).await?;
    if entries.is_empty() {
        if a.from.is_some() || a.to.is_some() {
            outln!("No sessions in that range.");
        } else {
            outln!("No sessions yet. Log one: backstop log \"chest-supported-row 3x10@30 rpe7 p2\"");
        }
        return Ok(());
    }
    // The text is printed from the session document too (without the verdicts it does not show); ten years are
    // about 11,000 lines.
    let mut out = buffered_stdout();
    for e in entries.iter().map(|e| SessionView::new(e, None)) {
        let mut head = format!("{} {}", e.date, e.at.clock());
        if let Some(p) = e.pain_before {
            head.push_str(&format!(" · pain before {p}"));
        }
        if let Some(m) = e.minutes {
            head.push_str(&format!(" · {m} min"));
        }
        if let Some(r) = e.session_rpe {
            head.push_str(&format!(" · session RPE {}", format_number(r)));
        }
        writeln!(out, "{head}")?;
        for l in describe_sets(&e.sets, ctx.profile.units) {
            writeln!(out, "  {l}")?;
        }
        for c in &e.checkins {
            let mut line = format!(
                "  check-in +{}h: pain {}",
                format_number(c.hours_after.round()),
                c.pain
            );
            if let Some(s) = c.stiffness {
                line.push_str(&format!(", stiffness {s}"));
            }
            if c.muscle_soreness {
                line.push_str(", muscle soreness");
            }
            if c.leg_pain || c.numbness || c.weakness {
                line.push_str(", leg/nerve symptoms");
            }
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(())
}
