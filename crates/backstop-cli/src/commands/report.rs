//! `backstop report`: the load report, as text, JSON or an HTML file.

use super::*;

pub(super) async fn report(
    app: &App,
    who: AthleteId,
    a: crate::cli::ReportArgs,
    json: bool,
) -> anyhow::Result<()> {
    if let Some(out) = &a.out {
        let html = app.html_report(who, a.date.as_deref(), a.weeks).await?;
        write_out(Some(out), &html)?;
        if json {
            print_json(&view::WrittenView {
                out: out.display().to_string(),
                bytes: Some(html.len() as u64),
                sessions: None,
                weeks: None,
                integrity: None,
            })?;
        }
        return Ok(());
    }
    let (_, r) = app.load_report(who, a.date.as_deref(), a.weeks).await?;
    if json {
        return print_json(&backstop_app::view::LoadReportView::new(&r));
    }
    let opt = |v: Option<u8>| v.map_or("-".to_owned(), |p| p.to_string());
    outln!(
        "Training load and pain, {} to {} (load = session RPE × minutes)",
        r.from,
        r.to
    );
    outln!(
        "\n{:<12} {:>6}  {:>6} {:>6} {:>5} {:>5}",
        "day",
        "load",
        "before",
        "during",
        "24h",
        "48h"
    );
    for d in r
        .daily
        .iter()
        .filter(|d| d.load > 0.0 || d.unrated_load > 0 || d.pain_24h.is_some() || d.pain_during_max.is_some())
    {
        outln!(
            "{:<12} {:>6}  {:>6} {:>6} {:>5} {:>5}",
            d.date.to_string(),
            // A load estimated from sets reads "~"; a day whose only sessions have no load at all reads as unknown,
            // not as a rest day.
            if d.estimated_load > 0.0 {
                format!("~{}", format_number(d.load))
            } else if d.unrated_load > 0 && d.unrated_load == d.sessions {
                "?".to_owned()
            } else {
                format_number(d.load)
            },
            opt(d.pain_before),
            opt(d.pain_during_max),
            opt(d.pain_24h),
            opt(d.pain_48h)
        );
    }
    outln!(
        "\n{:<12} {:>7} {:>8} {:>9} {:>8} {:>6}  sets per pattern",
        "week of",
        "load",
        "change",
        "monotony",
        "strain",
        "back"
    );
    for w in &r.weeks {
        let sets: Vec<String> = w.hard_sets.iter().map(|(p, n)| format!("{p} {n}")).collect();
        outln!(
            "{:<12} {:>7} {:>8} {:>9} {:>8} {:>6}  {}",
            w.week_start.to_string(),
            if w.estimated_load > 0.0 {
                format!("~{}", format_number(w.load))
            } else {
                format_number(w.load)
            },
            match (w.change_pct, w.complete) {
                (_, false) => "so far".to_owned(),
                (Some(c), true) => format!("{}%", format_number(c)),
                (None, true) => "-".to_owned(),
            },
            w.monotony.map_or("-".to_owned(), format_number),
            w.strain.map_or("-".to_owned(), format_number),
            w.back_loading_sets,
            sets.join(", ")
        );
    }
    outln!(
        "\nchange: the week's load against the week before (a week still under way is shown \"so far\"); monotony: \
         the mean daily load over its day-to-day spread (near 2 or above, every day alike, rest days included); \
         strain: the week's load times its monotony (Foster 1998); back: sets of exercises that load the spine \
         (compression or shear 2 or more)."
    );
    outln!("These figures describe your training; they do not predict injury.");
    if let Some(note) = r.missing_load_note() {
        outln!("{note}");
    }
    for adv in &r.advice {
        outln!("{} ({})", adv.message, adv.rule);
    }
    Ok(())
}
