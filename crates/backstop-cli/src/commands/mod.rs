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
use backstop_core::units::format_number;
use backstop_core::vocab::{Equipment, Pattern, Weekday, parse_list, sensitivity_hypothesis};
use backstop_core::{Catalog, FlareMark, Profile, WeightUnit};
use serde::Serialize;
use serde_json::Value;

use crate::cli::{
    CatalogAddArgs, CatalogCommand, CatalogListArgs, CheckinArgs, Cli, Command, ExportArgs, ExportFormat,
    FlareMarkArg, HistoryArgs, ImportArgs, InitArgs, LogArgs, ScreenArgs,
};
use crate::{SafetyStop, UsageError, prompt};

mod account;
mod calendar;
mod catalog;
mod checkin;
mod export;
mod flare;
mod history;
mod import;
mod init;
mod log;
mod plan;
mod report;
mod screen;
mod settings;
mod triage;

use account::*;
use calendar::*;
use catalog::*;
use checkin::*;
use export::*;
use flare::*;
use history::*;
use import::*;
use init::*;
use log::*;
use plan::*;
use report::*;
use screen::*;
use settings::*;
use triage::*;

fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError(msg.into()).into()
}

fn parse<T: FromStr>(flag: &str, v: &str) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    v.parse().map_err(|e| usage(format!("{flag}: {e}")))
}

/// Stdout for a long output, buffered: stdout is line-buffered, and a long output is mostly short lines, so writing
/// it straight through was a write call per line (ten years of `history --json`: 6.7 MB, about half the command's
/// instructions). Flush it at the end.
pub(crate) fn buffered_stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock())
}

/// Prints `v` as one pretty JSON document on stdout, through [`buffered_stdout`].
pub(crate) fn print_json<T: Serialize>(v: &T) -> anyhow::Result<()> {
    let mut out = buffered_stdout();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    out.flush()?;
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
        Command::Account(c) => account(app, c, json).await,
        // Storage maintenance works on the store itself, before any person is read (main.rs).
        Command::Backup(_) | Command::Doctor => Err(anyhow::anyhow!(
            "internal: a maintenance command reached dispatch"
        )),
    }
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

fn describe_sets(sets: &[view::SetView], unit: WeightUnit) -> Vec<String> {
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
            line.push_str(&format!(" · rpe {}", format_number(r)));
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
        let target = backstop_core::Felt::Target.as_str();
        if group.iter().any(|s| s.felt != target) {
            let felt = group.iter().find(|s| s.felt != target).map(|s| s.felt.as_str());
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
