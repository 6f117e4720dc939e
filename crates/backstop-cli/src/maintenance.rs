//! `backstop backup` and `backstop doctor`: the database file itself, not anyone's training.

use std::io::Write as _;
use std::path::Path;

use backstop_app::store::StoreError;
use backstop_db::{HealthCheck, SqliteStore};

use backstop_app::view::{CheckView, DoctorView, WrittenView};

use crate::UsageError;
use crate::commands::print_json;

/// Writes the copy and says where and how big; an existing file is refused (exit code 2), not overwritten.
pub async fn backup(store: &SqliteStore, file: &Path, json: bool) -> anyhow::Result<()> {
    if file.exists() {
        return Err(UsageError(format!(
            "{} already exists; choose a new file (a backup never overwrites one)",
            file.display()
        ))
        .into());
    }
    let bytes = store.backup_to(file).await?;
    if json {
        print_json(&WrittenView {
            out: file.display().to_string(),
            bytes: Some(bytes),
            sessions: None,
            weeks: None,
            integrity: Some("ok".into()),
        })
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Backed up to {} ({bytes} bytes); the copy passed SQLite's integrity check. Open it with --db {0}.",
            file.display()
        )?;
        Ok(())
    }
}

/// A check that failed, as the error that makes the exit code 1 after the report is printed.
#[derive(Debug, thiserror::Error)]
#[error("{0} check(s) failed: {1}")]
pub struct Unhealthy(usize, String);

/// Prints every check and fails (exit code 1) when one did not pass.
pub fn report(checks: Result<Vec<HealthCheck>, StoreError>, json: bool) -> anyhow::Result<()> {
    let checks = checks?;
    if json {
        print_json(&DoctorView {
            ok: checks.iter().all(|c| c.ok),
            checks: checks
                .iter()
                .map(|c| CheckView {
                    name: c.name.to_owned(),
                    ok: c.ok,
                    detail: c.detail.clone(),
                })
                .collect(),
        })?;
    } else {
        let mut out = std::io::stdout().lock();
        for c in &checks {
            writeln!(
                out,
                "{:<13} {:<6} {}",
                c.name,
                if c.ok { "ok" } else { "FAILED" },
                c.detail
            )?;
        }
    }
    let failed: Vec<&str> = checks.iter().filter(|c| !c.ok).map(|c| c.name).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Unhealthy(failed.len(), failed.join(", ")).into())
    }
}
