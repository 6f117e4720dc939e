//! One handler per command: read the arguments, call the app, print text or JSON.

/// `println!` that reports a closed stdout (`backstop … | head`) as an error instead of panicking.
macro_rules! outln {
    ($($t:tt)*) => {
        writeln!(std::io::stdout(), $($t)*)?
    };
}

use std::io::{Read, Write};
use std::path::Path;
use std::str::FromStr;

use anyhow::Context as _;
use backstop_app::store::{AthleteId, StoredSession};
use backstop_app::view::{self, CheckInResultView, LocalTime, PlanView, SessionView, WeekPlanView};
use backstop_app::{App, AppError, CheckInInput, HistoryEntry, SessionOptions};
use backstop_core::catalog::{DoseRange, Exercise, LoadType, SpinalDemand};
use backstop_core::document::SetDoc;
use backstop_core::facts::ScreeningContext;
use backstop_core::redflags::{RedFlag, ScreenResult, Urgency};
use backstop_core::time::{civil_date, format_local};
use backstop_core::units::{Stiffness, format_number};
use backstop_core::vocab::{Equipment, Pattern, Weekday, parse_list, sensitivity_hypothesis};
use backstop_core::{Catalog, FlareMark, Minutes, Pain, Profile, Rpe, WeightUnit};
use serde::Serialize;
use serde_json::Value;

use crate::cli::{
    CatalogAddArgs, CatalogCommand, CatalogListArgs, CheckinArgs, Cli, Command, ExportArgs, ExportFormat,
    FlareMarkArg, HistoryArgs, ImportArgs, InitArgs, LogArgs, ScreenArgs, UnitsArg,
};
use crate::{SafetyStop, UsageError, prompt};

fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError(msg.into()).into()
}

fn parse<T: FromStr>(flag: &str, v: &str) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    v.parse().map_err(|e| usage(format!("{flag}: {e}")))
}

pub(crate) fn print_json<T: Serialize>(v: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}

/// What a command that stops for safety says on stderr.
const RED_FLAG_OPEN: &str = "a red-flag answer is open: training is paused (see `backstop status`; `backstop clearance` once a clinician has cleared you)";

/// Runs one command.
pub async fn dispatch(app: &App, cli: Cli) -> anyhow::Result<()> {
    let who = app.local_athlete().await?;
    let json = cli.json;
    match cli.command {
        Command::Init(a) => init(app, who, a, json).await,
        Command::Catalog(c) => catalog(app, who, c, json).await,
        Command::Log(a) => log(app, who, a, json).await,
        Command::Checkin(a) => checkin(app, who, a, json).await,
        Command::Screen(a) => screen(app, who, a, json).await,
        Command::Flare(a) => flare(app, who, a, json).await,
        Command::Clearance(a) => {
            let c = app.clearance(who, a.at.as_deref(), a.note).await?;
            let tz = app.context(who).await?.tz;
            if json {
                print_json(&view::ClearanceView {
                    at: LocalTime::new(c.at, &tz),
                    note: c.note,
                })
            } else {
                outln!(
                    "Clearance recorded at {}. Red-flag answers given before it no longer pause your training.",
                    format_local(c.at, &tz)
                );
                Ok(())
            }
        }
        Command::History(a) => history(app, who, a, json).await,
        Command::Status(a) => crate::views::status(app, who, a, json).await,
        Command::Why(a) => crate::views::why(app, who, a, json).await,
        Command::Settings(a) => settings(app, who, a, json).await,
        Command::Plan(a) => plan(app, who, a, json).await,
        Command::Report(a) => report(app, who, a, json).await,
        Command::Triage(a) => triage(app, who, *a, json).await,
        Command::Export(a) => export(app, who, a).await,
        Command::Calendar(a) => calendar(app, who, a, json).await,
        Command::Import(a) => import(app, who, a, json).await,
        Command::Serve(a) => crate::serve::run(app, who, a).await,
        // Storage maintenance works on the store itself, before any person is read (main.rs).
        Command::Backup(_) | Command::Doctor => Err(anyhow::anyhow!(
            "internal: a maintenance command reached dispatch"
        )),
    }
}

fn default_tz() -> String {
    jiff::tz::TimeZone::try_system()
        .ok()
        .and_then(|tz| tz.iana_name().map(str::to_owned))
        .unwrap_or_else(|| "UTC".to_owned())
}

fn parse_red_flags(s: &str) -> anyhow::Result<Vec<RedFlag>> {
    if s.trim().eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let f: RedFlag = parse("--red-flags", part)?;
        if !out.contains(&f) {
            out.push(f);
        }
    }
    if out.is_empty() {
        return Err(usage("--red-flags: give `none` or the names answered yes"));
    }
    Ok(out)
}

fn print_screen(result: &Option<ScreenResult>) -> anyhow::Result<()> {
    match result {
        None => {
            outln!("Red-flag screen: no warning signs reported.");
        }
        Some(r) => {
            outln!("\n*** {} ***", r.headline());
            outln!("{}", r.advice());
            if r.urgency >= Urgency::Urgent {
                outln!("Once a clinician has cleared you, record it: `backstop clearance`.");
            }
            outln!("Because you answered yes to:");
            for b in &r.because {
                outln!("  - {b}");
            }
            outln!("{}\n", backstop_core::redflags::NOT_A_DIAGNOSIS);
        }
    }
    Ok(())
}

/// The equipment of a typical commercial gym: the default offered to a new lifter on a terminal.
const COMMERCIAL_GYM: [Equipment; 7] = [
    Equipment::Barbell,
    Equipment::Dumbbell,
    Equipment::Kettlebell,
    Equipment::Cable,
    Equipment::Machine,
    Equipment::Bench,
    Equipment::PullUpBar,
];

/// The first of `days` on or after `from` (`from` itself when there are no training days).
fn next_training_day(from: jiff::civil::Date, days: &[Weekday]) -> jiff::civil::Date {
    (0..7)
        .filter_map(|i| from.checked_add(jiff::Span::new().days(i)).ok())
        .find(|d| days.iter().any(|w| w.to_jiff() == d.weekday()))
        .unwrap_or(from)
}

async fn init(app: &App, who: AthleteId, a: InitArgs, json: bool) -> anyhow::Result<()> {
    let existing = app.profile(who).await?;
    let screened_before = app.has_screening(who).await?;
    let base = existing.clone().unwrap_or_else(|| Profile {
        units: WeightUnit::Kg,
        time_zone: default_tz(),
        equipment: Vec::new(),
        days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
        minutes: Minutes::new(45).unwrap_or_else(|_| unreachable!("45 is within 1–600")),
        baseline_pain: Pain::ZERO,
        aggravators: Vec::new(),
        training_years: None,
        settings: Default::default(),
        goal_lifts: Vec::new(),
        usual_leg_symptoms: None,
    });
    let mut p = base;
    if let Some(u) = a.units {
        p.units = match u {
            UnitsArg::Kg => WeightUnit::Kg,
            UnitsArg::Lb => WeightUnit::Lb,
        };
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
        p.minutes = Minutes::new(m).map_err(|e| usage(format!("--minutes: {e}")))?;
    }
    if let Some(b) = &a.baseline_pain {
        p.baseline_pain = parse("--baseline-pain", b)?;
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
        // A new lifter is asked with the defaults of a commercial gym; every answer can change them.
        if existing.is_none() {
            if a.equipment.is_none() {
                p.equipment = COMMERCIAL_GYM.to_vec();
            }
            if a.minutes.is_none() {
                p.minutes = Minutes::new(60).unwrap_or(p.minutes);
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

fn catalog_json<'a>(c: &Catalog, e: &'a Exercise) -> view::CatalogEntryView<'a> {
    view::CatalogEntryView::new(c, e)
}

fn range_text(e: &Exercise) -> String {
    match e.dose_range() {
        Some(DoseRange::Reps(a, b)) => format!("{a}–{b} reps"),
        Some(DoseRange::Seconds(a, b)) => format!("{a}–{b} s"),
        Some(DoseRange::Metres(a, b)) => format!("{a}–{b} m"),
        None => String::new(),
    }
}

fn spinal_text(s: &SpinalDemand) -> String {
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
const SPINE_LEGEND: &str =
    "Spine: C compression, S shear, F flexion, E extension, R rotation, 0 none … 3 high.";

fn print_exercise_line(e: &Exercise, custom: bool) -> anyhow::Result<()> {
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

fn parse_range(flag: &str, s: &str) -> anyhow::Result<[u32; 2]> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let a: u32 = parse(flag, a.trim())?;
    let b: u32 = parse(flag, b.trim())?;
    Ok([a, b])
}

fn exercise_from_flags(a: &CatalogAddArgs) -> anyhow::Result<Exercise> {
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

fn read_input(path: &Path) -> anyhow::Result<(String, String)> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read stdin")?;
        return Ok((s, "stdin".into()));
    }
    let text =
        std::fs::read_to_string(path).map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
    Ok((text, path.display().to_string()))
}

async fn catalog(app: &App, who: AthleteId, c: CatalogCommand, json: bool) -> anyhow::Result<()> {
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

fn session_options(a: &LogArgs) -> anyhow::Result<SessionOptions> {
    Ok(SessionOptions {
        at: a.at.clone(),
        pain_before: a
            .pain_before
            .as_deref()
            .map(|p| parse::<Pain>("--pain-before", p))
            .transpose()?,
        minutes: a
            .minutes
            .map(|m| Minutes::new(m).map_err(|e| usage(format!("--minutes: {e}"))))
            .transpose()?,
        session_rpe: a
            .session_rpe
            .as_deref()
            .map(|r| parse::<Rpe>("--session-rpe", r))
            .transpose()?,
    })
}

fn describe_sets(sets: &[SetDoc], unit: WeightUnit) -> Vec<String> {
    // Consecutive sets of one exercise read as one line: "chest-supported-row  3×10 @ 30 kg · rpe 7 · pain 2".
    let mut lines = Vec::new();
    let mut i = 0;
    while i < sets.len() {
        let mut j = i;
        while j < sets.len() && sets[j].exercise == sets[i].exercise {
            j += 1;
        }
        let group = &sets[i..j];
        let doses: Vec<String> = group
            .iter()
            .map(|s| match (s.reps, s.seconds, s.metres) {
                (Some(r), _, _) => r.to_string(),
                (_, Some(x), _) => format!("{x}s"),
                (_, _, Some(m)) => format!("{m}m"),
                _ => "?".into(),
            })
            .collect();
        let same = doses.iter().all(|d| d == &doses[0]);
        let mut line = format!(
            "{:<28} {}×{}",
            group[0].exercise,
            group.len(),
            if same { doses[0].clone() } else { doses.join(",") }
        );
        let loads: Vec<Option<f64>> = group.iter().map(|s| s.load_kg.or(s.load_lb)).collect();
        if let Some(Some(l)) = loads.first()
            && loads.iter().all(|x| *x == Some(*l))
        {
            line.push_str(&format!(" @ {} {unit}", format_number(*l)));
        } else if loads.iter().any(Option::is_some) {
            let ls: Vec<String> = loads
                .iter()
                .map(|l| l.map_or("-".into(), format_number))
                .collect();
            line.push_str(&format!(" @ {} {unit}", ls.join(",")));
        }
        if let Some(r) = group[0].rpe {
            line.push_str(&format!(" · rpe {r}"));
        }
        let pains: Vec<String> = group
            .iter()
            .filter_map(|s| s.pain.map(|p| p.to_string()))
            .collect();
        if !pains.is_empty() {
            let same = pains.iter().all(|p| p == &pains[0]);
            line.push_str(&format!(
                " · pain {}",
                if same { pains[0].clone() } else { pains.join(",") }
            ));
        }
        if group.iter().any(|s| s.felt != backstop_core::Felt::Target) {
            let felt = group
                .iter()
                .find(|s| s.felt != backstop_core::Felt::Target)
                .map(|s| s.felt.as_str());
            line.push_str(&format!(" · felt in {}", felt.unwrap_or("back")));
        }
        if group.iter().any(|s| s.form_breakdown) {
            line.push_str(" · form broke down");
        }
        lines.push(line);
        i = j;
    }
    lines
}

async fn log(app: &App, who: AthleteId, a: LogArgs, json: bool) -> anyhow::Result<()> {
    let opts = session_options(&a)?;
    let stored: StoredSession = match &a.file {
        Some(path) => {
            let (text, origin) = read_input(path)?;
            app.log_document(who, &text, &origin, &opts).await?
        }
        None => {
            if a.groups.is_empty() {
                return Err(usage(
                    "give the sets (e.g. backstop log \"chest-supported-row 3x10@30 rpe7 p2\") or --file PATH",
                ));
            }
            app.log_groups(who, &a.groups, &opts).await?
        }
    };
    let (ctx, asmt) = app.assess(who, None).await?;
    let s = &stored.session;
    let sets: Vec<SetDoc> = s
        .sets
        .iter()
        .map(|x| SetDoc::from_entry(x, ctx.profile.units))
        .collect();
    let novelties = asmt
        .session(s.at)
        .map(|v| v.novelties.clone())
        .unwrap_or_default();
    let leg = s.sets.iter().any(|x| x.felt == backstop_core::Felt::Leg);
    let mut screen_result = None;
    if leg && !a.no_input && !json && prompt::interactive() {
        outln!("A set was felt in the leg, so the red-flag questions come again (PM-4, RF-4).");
        let flags = prompt::red_flags()?;
        screen_result = Some(app.screen(who, ScreeningContext::LegSymptoms, flags).await?);
    }
    if json {
        print_json(&view::LoggedView::new(
            &stored,
            &novelties,
            leg && screen_result.is_none(),
            &ctx.tz,
            ctx.profile.units,
        ))?;
    } else {
        let exercises: std::collections::BTreeSet<&str> =
            s.sets.iter().map(|x| x.exercise.as_str()).collect();
        outln!(
            "Logged the session of {} ({} exercise{}, {} set{}):",
            format_local(s.at, &ctx.tz),
            exercises.len(),
            if exercises.len() == 1 { "" } else { "s" },
            s.sets.len(),
            if s.sets.len() == 1 { "" } else { "s" }
        );
        for l in describe_sets(&sets, ctx.profile.units) {
            outln!("  {l}");
        }
        if s.pain_before.is_none() {
            // Not an error (an old workout may have none), but the ceiling then rests on the usual pain: say so.
            let usual = ctx.profile.baseline_pain.value();
            outln!(
                "No pain before the session was given (--pain-before): its ceiling was set from your usual pain,                  {usual}, to pain {}.",
                ctx.profile.settings.ceiling(usual)
            );
        }
        match novelties.len() {
            0 => {}
            1 => outln!(
                "\nOne change this session: {}. If your back is worse tomorrow, that is what it will be linked to first.",
                novelties[0].detail
            ),
            n => outln!(
                "\n{n} changes in one session ({}). If your back is worse tomorrow it is shared between them and cannot be \
                 pinned on one of them; next time bring in one change at a time (C5).",
                novelties
                    .iter()
                    .map(|x| x.detail.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }
        if let Some(r) = &screen_result {
            print_screen(r)?;
        } else if leg {
            outln!(
                "\nYou felt a set in your leg. Stop that exercise for today whatever the pain score, and answer the \
                 red-flag questions again: `backstop screen`."
            );
        }
        let tomorrow = civil_date(s.at, &ctx.tz)
            .tomorrow()
            .map(|d| d.to_string())
            .unwrap_or_default();
        outln!("\nTomorrow morning ({tomorrow}), rate your back: backstop checkin --pain N");
    }
    if app.red_flag_state(who).await?.blocks_training {
        return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
    }
    Ok(())
}

async fn checkin(app: &App, who: AthleteId, a: CheckinArgs, json: bool) -> anyhow::Result<()> {
    let input = CheckInInput {
        at: a.at.clone(),
        pain: Some(parse::<Pain>("--pain", &a.pain)?),
        stiffness: a
            .stiffness
            .map(|s| Stiffness::new(s).map_err(|e| usage(format!("--stiffness: {e}"))))
            .transpose()?,
        muscle_soreness: a.muscle_soreness,
        leg_pain: a.leg_pain,
        numbness: a.numbness,
        weakness: a.weakness,
        leg_reach: a
            .leg_reach
            .as_deref()
            .map(|r| parse::<backstop_core::LegReach>("--leg-reach", r))
            .transpose()?,
    };
    let before = app.assess(who, None).await?.1;
    let out = app.checkin(who, input).await?;
    let (ctx, after) = app.assess(who, None).await?;
    let tz = ctx.tz.clone();
    // The verdicts this check-in settled or changed.
    let settled = backstop_app::view::settled(&before, &after);
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
        for v in &settled {
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

async fn flare(app: &App, who: AthleteId, a: crate::cli::FlareArgs, json: bool) -> anyhow::Result<()> {
    let mark = match a.mark {
        FlareMarkArg::Start => FlareMark::Start,
        FlareMarkArg::End => FlareMark::End,
    };
    let given = a.red_flags.as_deref().map(parse_red_flags).transpose()?;
    if mark == FlareMark::End && given.is_some() {
        return Err(usage(
            "--red-flags goes with `flare start`; use `backstop screen` at other times",
        ));
    }
    let e = app.flare(who, mark, a.at.as_deref()).await?;
    let tz = app.context(who).await?.tz;
    // Every flare is a moment to ask the red-flag questions again (`docs/safety.md`, "When the questions are asked").
    let flags = match (mark, given) {
        (FlareMark::Start, Some(f)) => Some(f),
        (FlareMark::Start, None) if !a.no_input && !json && prompt::interactive() => {
            Some(prompt::red_flags()?)
        }
        _ => None,
    };
    let result = match flags {
        Some(f) => Some(app.screen(who, ScreeningContext::Flare, f).await?),
        None => None,
    };
    if json {
        print_json(&view::FlareMarkView {
            mark,
            at: LocalTime::new(e.at, &tz),
            red_flags: result
                .as_ref()
                .and_then(|r| r.as_ref())
                .map(view::RedFlagResultView::new),
            rescreen_needed: mark == FlareMark::Start && result.is_none(),
        })?;
    } else {
        match mark {
            FlareMark::Start => {
                outln!(
                    "Flare-up recorded from {}. Keep moving gently: walking and the exercises your back tolerates; no \
                     progression and no new exercises until it settles. Bed rest is not advised. If it is not \
                     improving after two weeks, see a clinician.",
                    format_local(e.at, &tz)
                );
                match &result {
                    Some(r) => print_screen(r)?,
                    None => outln!("Answer the red-flag questions again now: `backstop screen`."),
                }
            }
            FlareMark::End => outln!(
                "Flare-up end recorded at {}. Re-entry starts at step 1: about half your usual dose at RPE 6 or less.",
                format_local(e.at, &tz)
            ),
        }
    }
    if app.red_flag_state(who).await?.blocks_training {
        return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
    }
    Ok(())
}

async fn screen(app: &App, who: AthleteId, a: ScreenArgs, json: bool) -> anyhow::Result<()> {
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

async fn history(app: &App, who: AthleteId, a: HistoryArgs, json: bool) -> anyhow::Result<()> {
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
    for e in &entries {
        let mut head = format!("{} {}", e.date, e.at.clock());
        if let Some(p) = e.pain_before {
            head.push_str(&format!(" · pain before {p}"));
        }
        if let Some(m) = e.minutes {
            head.push_str(&format!(" · {m} min"));
        }
        if let Some(r) = e.session_rpe {
            head.push_str(&format!(" · session RPE {r}"));
        }
        outln!("{head}");
        for l in describe_sets(&e.sets, ctx.profile.units) {
            outln!("  {l}");
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
            outln!("{line}");
        }
    }
    Ok(())
}

fn write_out(path: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match path {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        Some(p) => {
            // Write beside the target and rename, so an interrupted export never leaves half a file.
            let tmp = p.with_extension("partial");
            std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, p).with_context(|| format!("cannot write {}", p.display()))?;
            eprintln!("Wrote {}.", p.display());
        }
    }
    Ok(())
}

async fn export(app: &App, who: AthleteId, a: ExportArgs) -> anyhow::Result<()> {
    let text = match a.format {
        ExportFormat::Json => {
            let backup = app.export(who).await?;
            let mut text = serde_json::to_string_pretty(&backup)?;
            text.push('\n');
            text
        }
        ExportFormat::Csv => {
            let table = match a.table {
                crate::cli::CsvTable::Sets => backstop_app::export::CsvTable::Sets,
                crate::cli::CsvTable::Sessions => backstop_app::export::CsvTable::Sessions,
                crate::cli::CsvTable::Checkins => backstop_app::export::CsvTable::Checkins,
            };
            app.export_csv(who, table).await?
        }
    };
    write_out(a.out.as_deref(), &text)
}

async fn calendar(app: &App, who: AthleteId, a: crate::cli::CalendarArgs, json: bool) -> anyhow::Result<()> {
    let text = app.calendar(who, a.weeks).await?;
    let sessions = text.matches("UID:session-").count();
    match (&a.out, json) {
        (Some(path), true) => {
            write_out(Some(path), &text)?;
            print_json(&view::WrittenView {
                out: path.display().to_string(),
                bytes: None,
                sessions: Some(sessions),
                weeks: Some(a.weeks),
                integrity: None,
            })
        }
        (Some(path), false) => {
            write_out(Some(path), &text)?;
            outln!(
                "Wrote {sessions} planned session{} and the check-ins after them to {} ({} weeks). Open or import it \
                 in your calendar app; write it again after a change of plan (each day's events are replaced, not \
                 added twice).",
                if sessions == 1 { "" } else { "s" },
                path.display(),
                a.weeks
            );
            Ok(())
        }
        (None, _) => write_out(None, &text),
    }
}

async fn import(app: &App, who: AthleteId, a: ImportArgs, json: bool) -> anyhow::Result<()> {
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

async fn settings(app: &App, who: AthleteId, a: crate::cli::SettingsArgs, json: bool) -> anyhow::Result<()> {
    use backstop_app::settings::{parse_value, rows, show, with_changes};
    use backstop_core::engine::Settings;
    let ctx = app.context(who).await?;
    let current = &ctx.profile.settings;
    let changed = |changes: &[(String, Value)]| -> anyhow::Result<Settings> {
        with_changes(current, changes).map_err(|errs| {
            usage(
                errs.iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
    };
    let new_value = match a.action {
        None | Some(crate::cli::SettingsAction::Show) => None,
        Some(crate::cli::SettingsAction::Set { key, value }) => Some(changed(&[(key, parse_value(&value))])?),
        Some(crate::cli::SettingsAction::Reset { key: None }) => Some(Settings::default()),
        Some(crate::cli::SettingsAction::Reset { key: Some(key) }) => {
            let default = rows(&Settings::default())
                .into_iter()
                .find(|r| r.name == key)
                .map_or(Value::Null, |r| r.default);
            Some(changed(&[(key, default)])?)
        }
    };
    let now = match new_value {
        Some(s) => app.set_settings(who, s).await?.settings,
        None => current.clone(),
    };
    if json {
        return print_json(&backstop_app::view::settings(&now));
    }
    let shown = rows(&now);
    outln!("{:<24} {:<16} {:<10} {:<6} rule", "setting", "value", "", "basis");
    for r in &shown {
        let mark = if r.is_default() { "" } else { "(changed)" };
        outln!(
            "{:<24} {:<16} {mark:<10} {:<6} {}",
            r.name,
            show(&r.value),
            r.basis,
            r.rule()
        );
    }
    outln!(
        "\nBasis: A guideline or trial, B cohort or lab study, C clinical convention, D backstop's own default \
         (no direct evidence; change it with your clinician). Rules: docs/rules.md."
    );
    Ok(())
}

/// The plan document of `plan --json` (and of `init`'s first session): the API's.
fn plan_view(ctx: &backstop_app::Context, p: &backstop_core::plan::Plan) -> PlanView {
    PlanView::new(p, ctx.profile.units)
}

/// "Mon" for a view's "2026-12-07".
fn weekday_of(date: &str) -> &'static str {
    date.parse::<jiff::civil::Date>()
        .map(|d| d.weekday_name())
        .unwrap_or("")
}

fn print_plan(p: &PlanView) -> anyhow::Result<()> {
    let mode = match p.mode.as_str() {
        "train" => "training session",
        "recovery" => "recovery session",
        "flare" => "flare mode",
        _ => "BLOCKED: no training",
    };
    outln!(
        "{} ({}): {mode}, about {} minutes",
        p.date,
        weekday_of(&p.date),
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

trait WeekdayName {
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

async fn plan(app: &App, who: AthleteId, a: crate::cli::PlanArgs, json: bool) -> anyhow::Result<()> {
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
                    None => outln!("\n{} ({}): rest day", day.date, weekday_of(&day.date)),
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
        pain_now: a
            .pain_now
            .as_deref()
            .map(|p| parse::<Pain>("--pain-now", p))
            .transpose()?,
        minutes: a
            .minutes
            .map(|m| Minutes::new(m).map_err(|e| usage(format!("--minutes: {e}"))))
            .transpose()?,
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

fn pick<T: std::str::FromStr<Err = backstop_core::vocab::UnknownName> + Copy>(
    flag: &str,
    given: Option<&str>,
    prompt_text: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    interactive: bool,
    missing: &mut Vec<String>,
) -> anyhow::Result<Option<T>> {
    match given {
        Some(v) => Ok(Some(parse::<T>(flag, v)?)),
        None if interactive => {
            let labels: Vec<&str> = all.iter().map(|t| name(*t)).collect();
            let i = dialoguer::Select::new()
                .with_prompt(prompt_text)
                .items(&labels)
                .default(0)
                .interact()?;
            Ok(Some(all[i]))
        }
        None => {
            missing.push(flag.to_owned());
            Ok(None)
        }
    }
}

async fn triage(app: &App, who: AthleteId, a: crate::cli::TriageArgs, json: bool) -> anyhow::Result<()> {
    use backstop_core::triage::{Location, Movement, Onset, Quality, Trend, TriageAnswers};
    app.context(who).await?;
    let interactive = !a.no_input && !json && prompt::interactive();
    let mut missing = Vec::new();
    let when = pick(
        "--when",
        a.when.as_deref(),
        "When did it start?",
        Onset::ALL,
        Onset::as_str,
        interactive,
        &mut missing,
    )?;
    let location = pick(
        "--where",
        a.location.as_deref(),
        "Where is it?",
        Location::ALL,
        Location::as_str,
        interactive,
        &mut missing,
    )?;
    let quality = pick(
        "--quality",
        a.quality.as_deref(),
        "What does it feel like?",
        Quality::ALL,
        Quality::as_str,
        interactive,
        &mut missing,
    )?;
    let movement = pick(
        "--movement",
        a.movement.as_deref(),
        "What does moving do to it?",
        Movement::ALL,
        Movement::as_str,
        interactive,
        &mut missing,
    )?;
    let trend = pick(
        "--trend",
        a.trend.as_deref(),
        "How is it trending?",
        Trend::ALL,
        Trend::as_str,
        interactive,
        &mut missing,
    )?;
    let mut red_flags: Vec<RedFlag> = a
        .red_flag_names()
        .iter()
        .map(|n| parse::<RedFlag>("red flag", n))
        .collect::<anyhow::Result<_>>()?;
    let (Some(when), Some(location), Some(quality), Some(movement), Some(trend)) =
        (when, location, quality, movement, trend)
    else {
        // A red flag acts whatever else is unanswered (RF-2, RF-3): it is recorded as a screen and said first.
        if let Some(r) = app.red_flags_alone(who, red_flags).await? {
            print_triage(&r, json, &missing)?;
            if app.red_flag_state(who).await?.blocks_training {
                return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
            }
        }
        return Err(usage(format!(
            "answer every question: missing {}",
            missing.join(", ")
        )));
    };
    if interactive && red_flags.is_empty() {
        red_flags = prompt::red_flags()?;
    }
    let pain = a
        .pain
        .as_deref()
        .map(|p| parse::<Pain>("--pain", p))
        .transpose()?;
    let answers = TriageAnswers {
        when,
        location,
        quality,
        movement,
        trend,
        red_flags,
        dark_urine: a.dark_urine,
    };
    let r = app.triage(who, answers, pain, a.at.as_deref()).await?;
    print_triage(&r, json, &[])?;
    if app.red_flag_state(who).await?.blocks_training {
        return Err(SafetyStop(RED_FLAG_OPEN.into()).into());
    }
    Ok(())
}

/// Prints a triage result; `missing` lists the questions left unanswered when red flags were given alone.
fn print_triage(
    r: &backstop_core::triage::TriageResult,
    json: bool,
    missing: &[String],
) -> anyhow::Result<()> {
    if json {
        return print_json(&backstop_app::view::TriageView::new(r.clone(), missing.to_vec()));
    }
    let word = match r.classification {
        backstop_core::triage::Classification::Soreness => "This looks like training soreness",
        backstop_core::triage::Classification::Pain => "Pain to respect",
        backstop_core::triage::Classification::Nerve => "Possible nerve involvement",
        backstop_core::triage::Classification::RedFlag => "Red flag",
    };
    outln!(
        "{word}{}.",
        r.urgency
            .map(|u| format!(" (see a clinician: {})", u.as_str()))
            .unwrap_or_default()
    );
    outln!("Because: {}.", r.because.join("; "));
    outln!("{}", r.advice);
    if r.urgency >= Some(Urgency::Urgent) {
        outln!("Once a clinician has cleared you, record it: `backstop clearance`.");
    }
    if !missing.is_empty() {
        outln!(
            "The red-flag answers are recorded. The rest of the triage needs: {}.",
            missing.join(", ")
        );
    }
    outln!("backstop sorts what you report; it cannot examine you or say what the cause is.");
    Ok(())
}

async fn report(app: &App, who: AthleteId, a: crate::cli::ReportArgs, json: bool) -> anyhow::Result<()> {
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

async fn import_csv(app: &App, who: AthleteId, a: ImportArgs, json: bool) -> anyhow::Result<()> {
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
        unit: a.unit.map(|u| match u {
            UnitsArg::Kg => WeightUnit::Kg,
            UnitsArg::Lb => WeightUnit::Lb,
        }),
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
