//! `backstop import`: a Strong, Hevy or FitNotes CSV, or a backup.

use super::*;

pub(super) async fn import(app: &App, who: AthleteId, a: ImportArgs, json: bool) -> anyhow::Result<()> {
    let Some(backup) = a.backup.clone() else {
        return import_csv(app, who, a, json).await;
    };
    let (text, origin) = read_input(&backup)?;
    let b = app.restore(who, &text, &origin).await?;
    let sets: usize = b.sessions.iter().map(|s| s.sets.len()).sum();
    if json {
        return print_json(&view::RestoreView {
            format: b.format.clone(),
            profiles: b.profiles.len(),
            screenings: b.screenings.len(),
            custom_exercises: b.custom_exercises.len(),
            sessions: b.sessions.len(),
            sets,
            checkins: b.checkins.len(),
            flare_events: b.flare_events.len(),
            clearances: b.clearances.len(),
        });
    }
    outln!(
        "Restored from {origin}: {} profile version(s), {} screen(s), {} own exercise(s), {} session(s) with {} set(s), \
         {} check-in(s), {} flare event(s), {} clearance(s).",
        b.profiles.len(),
        b.screenings.len(),
        b.custom_exercises.len(),
        b.sessions.len(),
        sets,
        b.checkins.len(),
        b.flare_events.len(),
        b.clearances.len()
    );
    Ok(())
}

pub(super) async fn import_csv(app: &App, who: AthleteId, a: ImportArgs, json: bool) -> anyhow::Result<()> {
    let path = a
        .file
        .clone()
        .ok_or_else(|| usage("give a file to import, or --backup FILE"))?;
    let (reader, origin, size): (Box<dyn Read>, String, Option<u64>) = if path.as_os_str() == "-" {
        (Box::new(std::io::stdin().lock()), "stdin".into(), None)
    } else {
        let f =
            std::fs::File::open(&path).map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), path.display().to_string(), size)
    };
    let mapping = match &a.map {
        Some(p) => Some(read_input(p)?),
        None => None,
    };
    let request = backstop_app::ImportRequest {
        format: a
            .format
            .as_deref()
            .map(|f| parse::<backstop_import::Format>("--format", f))
            .transpose()?,
        unit: a.unit.map(WeightUnit::from),
        tz: a.tz.clone(),
        mapping,
    };
    // A progress bar on a terminal: bytes read, then rows parsed.
    let bar = if !json && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let b = indicatif::ProgressBar::new(size.unwrap_or(0));
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {bytes}/{total_bytes}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b.set_message("reading");
        Some(b)
    } else {
        None
    };
    let reader: Box<dyn Read> = match &bar {
        Some(b) => Box::new(b.wrap_read(reader)),
        None => reader,
    };
    let mut on_rows = |n: u64| {
        if let Some(b) = &bar {
            b.set_message(format!("{n} rows"));
        }
    };
    let result = app
        .import_history(who, reader, &origin, request, &mut on_rows)
        .await;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let (report, outcome) = result.map_err(|e| match e {
        // The app says what is missing; the CLI says how to give it.
        e @ AppError::UnitNeeded { .. } => {
            crate::UsageError(format!("{e}: pass --unit kg or --unit lb")).into()
        }
        e => anyhow::Error::new(e),
    })?;
    if json {
        let tz = app.context(who).await?.tz;
        return print_json(&backstop_app::view::ImportView::new(&report, &outcome, &tz));
    }
    let tz = app.context(who).await?.tz;
    outln!(
        "Imported {} workout(s) with {} set(s) from {origin} ({} layout).",
        outcome.sessions_added,
        outcome.sets_added,
        report.format
    );
    if let (Some(f), Some(l)) = (report.first, report.last) {
        outln!(
            "  workouts from {} to {}",
            format_local(f, &tz),
            format_local(l, &tz)
        );
    }
    if outcome.duplicates > 0 {
        outln!(
            "  {} workout(s) were already imported: replaced by the file's version, not added twice.",
            outcome.duplicates
        );
    }
    if report.rest_timer_rows > 0 {
        outln!(
            "  {} rest-timer row(s) skipped (they are rests, not sets).",
            report.rest_timer_rows
        );
    }
    if !report.skipped.is_empty() {
        outln!("  {} row(s) skipped:", report.skipped.len());
        for s in report.skipped.iter().take(20) {
            outln!("    line {}: {}", s.line, s.reason);
        }
        if report.skipped.len() > 20 {
            outln!("    … and {} more (see --json)", report.skipped.len() - 20);
        }
    }
    if !report.unmapped_exercises.is_empty() {
        outln!(
            "  {} name(s) matched no catalog exercise and were kept as your own exercises: {}.",
            report.unmapped_exercises.len(),
            report.unmapped_exercises.join(", ")
        );
        outln!(
            "  To map them, write a TOML file of \"Name\" = \"catalog-id\" lines and import again with --map FILE."
        );
    }
    for n in &report.notes {
        outln!("  note: {n}");
    }
    Ok(())
}
