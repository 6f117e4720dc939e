//! The `backstop` binary: parses the command line, opens the store, calls the use cases and prints.
//!
//! Handlers stay thin: validation and decisions live in `backstop-app` and `backstop-core`. This file owns the
//! exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input, 3 blocked for safety.

#![forbid(unsafe_code)]

mod cli;
mod commands;
mod maintenance;
mod prompt;
mod serve;
mod views;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use backstop_app::clock::SystemClock;
use backstop_app::store::{AthleteId, StoreError};
use backstop_app::{App, AppError, CheckpointCheck};
use backstop_db::{HealthCheck, PgStore, SqliteStore};

use crate::cli::Cli;

/// An error in what the person typed (exit code 2) that is not an `AppError`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A command refused or stopped for safety (exit code 3); the reason has been printed already.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SafetyStop(pub String);

fn db_path(flag: Option<String>) -> anyhow::Result<PathBuf> {
    if let Some(d) = flag {
        if backstop_db::is_postgres_url(&d) {
            return Err(UsageError(
                "--db takes a SQLite file path; give a PostgreSQL address with --database-url (or \
                 BACKSTOP_DATABASE_URL)"
                    .into(),
            )
            .into());
        }
        if d.trim().is_empty() {
            return Err(UsageError("--db is empty".into()).into());
        }
        return Ok(PathBuf::from(d));
    }
    if let Some(dir) = std::env::var_os("BACKSTOP_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("backstop.db"));
    }
    let dirs = directories::ProjectDirs::from("", "", "backstop")
        .context("cannot find your data directory; set BACKSTOP_DATA_DIR or pass --db")?;
    Ok(dirs.data_dir().join("backstop.db"))
}

/// The store a command works on: the SQLite file, or a PostgreSQL server.
enum Opened {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl Opened {
    async fn open(cli: &Cli) -> anyhow::Result<Opened> {
        let connections = if matches!(cli.command, cli::Command::Serve(_)) {
            8
        } else {
            2
        };
        match cli.database_url.as_deref() {
            Some(url) => {
                if !backstop_db::is_postgres_url(url) {
                    return Err(UsageError(
                        "--database-url takes a PostgreSQL address (postgres://USER@HOST/DATABASE); for a SQLite \
                         file use --db PATH"
                            .into(),
                    )
                    .into());
                }
                Ok(Opened::Postgres(PgStore::connect(url, connections).await?))
            }
            None => {
                let path = db_path(cli.db.clone())?;
                // A server copies its write-ahead log back in the background, not inside a request's write.
                let store = if matches!(cli.command, cli::Command::Serve(_)) {
                    SqliteStore::open_for_server(&path, connections).await?
                } else {
                    SqliteStore::open_with(&path, connections).await?
                };
                Ok(Opened::Sqlite(store))
            }
        }
    }

    fn store(&self) -> Arc<dyn backstop_app::store::Store> {
        match self {
            Opened::Sqlite(s) => Arc::new(s.clone()),
            Opened::Postgres(s) => Arc::new(s.clone()),
        }
    }

    async fn close(&self) {
        match self {
            Opened::Sqlite(s) => s.close().await,
            Opened::Postgres(s) => s.close().await,
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let opened = Opened::open(&cli).await?;
    // Storage maintenance works on the store itself, with no person or use case involved.
    let maintenance = match (&cli.command, &opened) {
        (cli::Command::Backup(a), Opened::Sqlite(s)) => Some(maintenance::backup(s, &a.file, cli.json).await),
        (cli::Command::Backup(_), Opened::Postgres(_)) => Some(Err(UsageError(
            "backup copies the SQLite file; for a PostgreSQL database use pg_dump".into(),
        )
        .into())),
        (cli::Command::Doctor, Opened::Sqlite(s)) => {
            let checks = with_checkpoints(s.doctor().await, s.checkpointed().await, &opened).await;
            Some(maintenance::report(checks, cli.json))
        }
        (cli::Command::Doctor, Opened::Postgres(p)) => {
            let checks = with_checkpoints(p.doctor().await, p.checkpointed().await, &opened).await;
            Some(maintenance::report(checks, cli.json))
        }
        _ => None,
    };
    if let Some(result) = maintenance {
        opened.close().await;
        return result;
    }
    let app = App::new(opened.store(), Arc::new(SystemClock))?;
    let result = commands::dispatch(&app, cli).await;
    opened.close().await;
    result
}

/// The store's checks, and one more: each kept fold checkpoint that holds now resumes to the same assessment as
/// folding every fact.
async fn with_checkpoints(
    checks: Result<Vec<HealthCheck>, StoreError>,
    people: Result<Vec<AthleteId>, StoreError>,
    opened: &Opened,
) -> Result<Vec<HealthCheck>, StoreError> {
    let mut checks = checks?;
    let app =
        App::new(opened.store(), Arc::new(SystemClock)).map_err(|e| StoreError::Backend(e.to_string()))?;
    let people = match people {
        Ok(people) => people,
        Err(e) => {
            checks.push(HealthCheck {
                name: "checkpoints",
                ok: false,
                detail: format!("the fold checkpoints cannot be read: {e}"),
            });
            return Ok(checks);
        }
    };
    let (mut verified, mut differ, mut remade) = (0, Vec::new(), Vec::new());
    for who in people {
        match app.verify_checkpoint(who).await {
            Ok(CheckpointCheck::Resumes) => verified += 1,
            Ok(CheckpointCheck::Differs) => differ.push(format!(
                "person {}: the kept fold checkpoint gives another assessment than working it out from every \
                 record; the records themselves are untouched. This is a bug in backstop: please report it",
                who.0
            )),
            // A derived value: the records are whole and every assessment is still right, only slower once.
            Ok(CheckpointCheck::Unreadable) => remade.push(format!(
                "person {}: the kept fold checkpoint does not read back (damaged); assessments work from every \
                 record instead, and the next one keeps a new checkpoint",
                who.0
            )),
            Ok(CheckpointCheck::NoneHolds) => {}
            Err(e) => differ.push(format!("person {}: {e}", who.0)),
        }
    }
    let ok = differ.is_empty();
    let first = if ok {
        vec![format!(
            "{verified} kept fold checkpoint(s) resume to the full fold"
        )]
    } else {
        differ
    };
    checks.push(HealthCheck {
        name: "checkpoints",
        ok,
        detail: first.into_iter().chain(remade).collect::<Vec<_>>().join("; "),
    });
    Ok(checks)
}

/// The error with its causes, each in the CLI's own terms where the app leaves the remedy to the front end: a
/// flag or a command here, a field or a link on a page.
fn in_cli_terms(e: &anyhow::Error) -> String {
    use backstop_app::Remedy;
    use backstop_app::store::StoreError;
    let parts: Vec<String> = e
        .chain()
        .map(|c| match c.downcast_ref::<AppError>() {
            Some(AppError::NoProfile) => "no profile yet: run `backstop init` first".to_owned(),
            Some(AppError::Refused { message, remedy }) => {
                let remedy = match remedy {
                    Remedy::CheckTime => "check --at",
                    Remedy::LaterTime => "give a later --at",
                    Remedy::EndFlareFirst => "end it first with `backstop flare end`",
                    Remedy::StartFlareFirst => "declare one with `backstop flare start`",
                    Remedy::LogPastSession => {
                        "start a new one, or log an old session with `backstop log --at`"
                    }
                };
                format!("{message}; {remedy}")
            }
            Some(e @ AppError::Store(StoreError::NotEmpty)) => format!("{e} (use --db with a new file)"),
            // The core's words for an unknown exercise name, with the CLI's way to search in their place.
            _ => c.to_string().replace(
                backstop_core::catalog::NO_SIMILAR_NAME,
                "see `backstop catalog search`",
            ),
        })
        .collect();
    parts.join(": ")
}

fn exit_code(e: &anyhow::Error) -> u8 {
    if e.downcast_ref::<SafetyStop>().is_some() {
        return 3;
    }
    if e.downcast_ref::<UsageError>().is_some() {
        return 2;
    }
    if let Some(a) = e.downcast_ref::<AppError>() {
        return if a.is_input() { 2 } else { 1 };
    }
    1
}

/// Parses the command line. `--db` and `--database-url` name two different stores: given both, the one typed on
/// the command line wins over the one from the environment (`--db new.db` with BACKSTOP_DATABASE_URL set writes
/// the file), and both typed, or both from the environment, is an error.
fn parse() -> Cli {
    use clap::parser::ValueSource;
    use clap::{CommandFactory as _, FromArgMatches as _};
    let matches = Cli::command().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if cli.db.is_some() && cli.database_url.is_some() {
        let typed = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
        match (typed("db"), typed("database_url")) {
            (true, false) => cli.database_url = None,
            (false, true) => cli.db = None,
            _ => Cli::command()
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    "give either --db (a SQLite file) or --database-url (PostgreSQL), not both",
                )
                .exit(),
        }
    }
    cli
}

fn main() -> ExitCode {
    let cli = parse();
    // The server answers on every core; a one-shot command needs one thread.
    let runtime = if matches!(cli.command, cli::Command::Serve(_)) {
        tokio::runtime::Builder::new_multi_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    };
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A reader that went away (`backstop history | head`) is not a failure.
            let broken_pipe = |c: &(dyn std::error::Error + 'static)| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                    || c.downcast_ref::<serde_json::Error>()
                        .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
            };
            if e.chain().any(broken_pipe) {
                return ExitCode::SUCCESS;
            }
            let code = exit_code(&e);
            if e.downcast_ref::<SafetyStop>().is_some() {
                eprintln!("blocked for safety: {e}");
            } else {
                eprintln!("error: {}", in_cli_terms(&e));
            }
            ExitCode::from(code)
        }
    }
}
