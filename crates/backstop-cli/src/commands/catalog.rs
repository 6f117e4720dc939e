//! `backstop catalog`: list, search, show, add and map exercises.

use super::*;

pub(super) fn catalog_json<'a>(c: &Catalog, e: &'a Exercise) -> view::CatalogEntryView<'a> {
    view::CatalogEntryView::new(c, e)
}

pub(super) fn range_text(e: &Exercise) -> String {
    match e.dose_range() {
        Some(DoseRange::Reps(a, b)) => format!("{a}–{b} reps"),
        Some(DoseRange::Seconds(a, b)) => format!("{a}–{b} s"),
        Some(DoseRange::Metres(a, b)) => format!("{a}–{b} m"),
        None => String::new(),
    }
}

pub(super) fn spinal_text(s: &SpinalDemand) -> String {
    format!(
        "compression {} · shear {} · flexion {} · extension {} · rotation {} ({})",
        s.compression,
        s.shear,
        s.flexion,
        s.extension,
        s.rotation,
        if s.measured.is_empty() {
            "estimated".to_owned()
        } else {
            format!(
                "{} from lab measurements, the rest estimated",
                s.measured
                    .iter()
                    .map(|d| d.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        }
    )
}

/// What the letters of an exercise line's spinal demand mean (on standard error, after the list).
pub(super) const SPINE_LEGEND: &str =
    "Spine: C compression, S shear, F flexion, E extension, R rotation, 0 none … 3 high.";

pub(super) fn print_exercise_line(e: &Exercise, custom: bool) -> anyhow::Result<()> {
    outln!(
        "{:<34} {:<22} {:<13} spine C{} S{} F{} E{} R{}{}{}",
        e.id,
        e.pattern.as_str(),
        range_text(e),
        e.spinal.compression,
        e.spinal.shear,
        e.spinal.flexion,
        e.spinal.extension,
        e.spinal.rotation,
        if e.flare_safe { " · flare-friendly" } else { "" },
        if custom { " · yours" } else { "" }
    );
    Ok(())
}

pub(super) fn parse_range(flag: &str, s: &str) -> anyhow::Result<[u32; 2]> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let a: u32 = parse(flag, a.trim())?;
    let b: u32 = parse(flag, b.trim())?;
    Ok([a, b])
}

pub(super) fn exercise_from_flags(a: &CatalogAddArgs) -> anyhow::Result<Exercise> {
    let pattern: Pattern = parse("--pattern", a.pattern.as_deref().unwrap_or_default())?;
    let equipment: Vec<Equipment> = match &a.equipment {
        Some(s) => parse_list(s).map_err(|e| usage(format!("--equipment: {e}")))?,
        None => vec![],
    };
    let load_type = match a.load_type.as_deref() {
        Some("external") => Some(LoadType::External),
        Some("bodyweight") => Some(LoadType::Bodyweight),
        Some("timed") => Some(LoadType::Timed),
        Some("distance") => Some(LoadType::Distance),
        Some(other) => {
            return Err(usage(format!(
                "--load-type: {other:?} is not one of external, bodyweight, timed, distance"
            )));
        }
        None => None,
    };
    let input = backstop_app::exercise_input::ExerciseInput {
        id: a.id.clone().unwrap_or_default(),
        name: a.name.clone().unwrap_or_default(),
        pattern: Some(pattern),
        equipment,
        load_type,
        reps: a.reps.as_deref().map(|r| parse_range("--reps", r)).transpose()?,
        seconds: a
            .seconds
            .as_deref()
            .map(|r| parse_range("--seconds", r))
            .transpose()?,
        metres: a
            .metres
            .as_deref()
            .map(|r| parse_range("--metres", r))
            .transpose()?,
        increment: a
            .increment
            .as_deref()
            .map(|s| parse::<Equipment>("--increment", s))
            .transpose()?,
        compression: a.compression,
        shear: a.shear,
        flexion: a.flexion,
        extension: a.extension,
        rotation: a.rotation,
        skill: a.skill,
        muscles: match &a.muscles {
            Some(m) => parse_list(m).map_err(|e| usage(format!("--muscles: {e}")))?,
            None => vec![],
        },
        flare_safe: a.flare_safe,
        aliases: a.aliases.clone(),
        regressions: a.regressions.clone(),
        progressions: a.progressions.clone(),
        cues: a.cues.clone(),
        faults: a.faults.clone(),
    };
    Ok(input.into_exercise()?)
}

pub(super) async fn catalog(app: &App, who: AthleteId, c: CatalogCommand, json: bool) -> anyhow::Result<()> {
    let cat = app.catalog(who).await?;
    match c {
        CatalogCommand::List(CatalogListArgs {
            pattern,
            flare_safe,
            custom,
        }) => {
            let pattern = pattern
                .as_deref()
                .map(|p| parse::<Pattern>("--pattern", p))
                .transpose()?;
            let list: Vec<&Exercise> = cat
                .exercises()
                .iter()
                .filter(|e| pattern.is_none_or(|p| e.pattern == p))
                .filter(|e| !flare_safe || e.flare_safe)
                .filter(|e| !custom || cat.is_custom(&e.id))
                .collect();
            if json {
                return print_json(&list.iter().map(|e| catalog_json(&cat, e)).collect::<Vec<_>>());
            }
            for e in &list {
                print_exercise_line(e, cat.is_custom(&e.id))?;
            }
            eprintln!("{} exercises. {SPINE_LEGEND}", list.len());
        }
        CatalogCommand::Show { id } => {
            let e = cat.resolve(&id).map_err(|e| usage(e.to_string()))?;
            if json {
                return print_json(&catalog_json(&cat, e));
            }
            outln!("{} ({})", e.name, e.id);
            if !e.aliases.is_empty() {
                outln!("  also known as: {}", e.aliases.join("; "));
            }
            outln!(
                "  pattern: {} · load: {} · {}",
                e.pattern,
                e.load_type.as_str(),
                range_text(e)
            );
            outln!(
                "  equipment: {}",
                e.equipment
                    .iter()
                    .map(|q| q.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if let Some(step) = cat.increment(e, WeightUnit::Kg) {
                outln!(
                    "  load step: {} kg / {} lb",
                    format_number(step),
                    format_number(cat.increment(e, WeightUnit::Lb).unwrap_or(step))
                );
            }
            outln!("  spinal demand: {}", spinal_text(&e.spinal));
            outln!(
                "  skill: {}/3 · flare-friendly: {}",
                e.skill,
                if e.flare_safe { "yes" } else { "no" }
            );
            if !e.muscles.is_empty() {
                outln!(
                    "  muscles: {}",
                    e.muscles
                        .iter()
                        .map(|m| m.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            if !e.regressions.is_empty() {
                outln!("  easier: {}", e.regressions.join(", "));
            }
            if !e.progressions.is_empty() {
                outln!("  harder: {}", e.progressions.join(", "));
            }
            for cue in &e.cues {
                outln!("  cue: {cue}");
            }
            for f in &e.faults {
                outln!("  watch for: {f}");
            }
        }
        CatalogCommand::Search { text } => {
            let q = text.join(" ");
            let hits = cat.search(&q);
            if json {
                return print_json(&hits.iter().map(|e| catalog_json(&cat, e)).collect::<Vec<_>>());
            }
            if hits.is_empty() {
                eprintln!("No exercise matches {q:?}.");
            } else {
                for e in &hits {
                    print_exercise_line(e, cat.is_custom(&e.id))?;
                }
                eprintln!("{SPINE_LEGEND}");
            }
        }
        CatalogCommand::Add(a) => {
            let new = match &a.file {
                Some(path) => {
                    let (text, origin) = read_input(path)?;
                    Catalog::parse_exercises(&text, &origin).map_err(backstop_app::AppError::from)?
                }
                None => vec![exercise_from_flags(&a)?],
            };
            let added = app.add_exercises(who, new).await?;
            if json {
                let cat = app.catalog(who).await?;
                return print_json(&added.iter().map(|e| catalog_json(&cat, e)).collect::<Vec<_>>());
            }
            for e in added {
                outln!("Added {} ({}).", e.name, e.id);
            }
        }
    }
    Ok(())
}
