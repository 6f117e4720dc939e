//! `backstop doctor` and `backstop backup`: the checks a database file can be put through, and an online copy.
//!
//! The checks are what a damaged or half-upgraded database would fail: SQLite's own integrity and foreign-key
//! checks, the migrations applied against those this build knows (a newer build's, or a failed one, shows here),
//! and the per-person revision counters a server relies on to notice another process's writes (their triggers all
//! present, their values consistent).

use std::collections::BTreeSet;
use std::path::Path;

use backstop_app::store::{AthleteId, StoreError};
use serde::Serialize;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions as _, Connection as _};

use crate::{PgStore, SqliteStore, backend};

/// One check of a database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthCheck {
    /// What was checked: `integrity`, `foreign keys`, `migrations`, `revisions`.
    pub name: &'static str,
    /// Whether it passed.
    pub ok: bool,
    /// What was found, in words.
    pub detail: String,
}

fn check(name: &'static str, problems: &[String], fine: &str) -> HealthCheck {
    HealthCheck {
        name,
        ok: problems.is_empty(),
        detail: if problems.is_empty() {
            fine.to_owned()
        } else {
            let mut d = problems.iter().take(5).cloned().collect::<Vec<_>>().join("; ");
            if problems.len() > 5 {
                d.push_str(&format!("; and {} more", problems.len() - 5));
            }
            d
        },
    }
}

/// The migrations a database has applied against those this build knows: unknown versions (a newer build wrote
/// it), missing ones and failed ones are problems.
fn migration_problems(applied: &[(i64, bool)], known: &BTreeSet<i64>) -> Vec<String> {
    let mut problems = Vec::new();
    for (v, ok) in applied {
        if !known.contains(v) {
            problems.push(format!(
                "migration {v} is not known to this build (a newer backstop wrote this database)"
            ));
        } else if !ok {
            problems.push(format!("migration {v} did not complete"));
        }
    }
    let have: BTreeSet<i64> = applied.iter().map(|(v, _)| *v).collect();
    for v in known.difference(&have) {
        problems.push(format!("migration {v} has not been applied"));
    }
    problems
}

const REVISIONS: &str = "SELECT COUNT(*) FROM athletes WHERE revision < 0 OR history_revision < 0 \
                         OR history_revision > revision";

impl SqliteStore {
    /// The people a fold checkpoint is kept for, for `backstop doctor` to check that each resumes to the full fold.
    pub async fn checkpointed(&self) -> Result<Vec<AthleteId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT athlete_id FROM fold_checkpoints ORDER BY athlete_id")
            .fetch_all(self.pool())
            .await
            .map_err(backend)?;
        Ok(ids.into_iter().map(AthleteId).collect())
    }

    /// Runs every check on the open database.
    pub async fn doctor(&self) -> Result<Vec<HealthCheck>, StoreError> {
        let pool = self.pool();
        let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(pool)
            .await
            .map_err(backend)?;
        let integrity: Vec<String> = integrity.into_iter().filter(|r| r != "ok").collect();
        let fk: Vec<(String, Option<i64>, String)> =
            sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
                .fetch_all(pool)
                .await
                .map_err(backend)?;
        let fk: Vec<String> = fk
            .iter()
            .map(|(t, row, parent)| {
                format!(
                    "a row of {t}{} points at a missing row of {parent}",
                    row.map(|r| format!(" (rowid {r})")).unwrap_or_default()
                )
            })
            .collect();
        let applied: Vec<(i64, bool)> =
            sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
                .fetch_all(pool)
                .await
                .map_err(backend)?;
        let known: BTreeSet<i64> = crate::sqlite::MIGRATOR.iter().map(|m| m.version).collect();
        // The revision triggers this build's schema has, read from a fresh in-memory database migrated the same way.
        let fresh = SqliteStore::in_memory().await?;
        let wanted: BTreeSet<String> = revision_triggers(fresh.pool()).await?;
        fresh.close().await;
        let have = revision_triggers(pool).await?;
        let mut revisions: Vec<String> = wanted
            .difference(&have)
            .map(|t| format!("trigger {t} is missing: changes would not raise the revision a server watches"))
            .collect();
        let bad: i64 = sqlx::query_scalar(REVISIONS)
            .fetch_one(pool)
            .await
            .map_err(backend)?;
        if bad > 0 {
            revisions.push(format!("{bad} person(s) with inconsistent revision counters"));
        }
        Ok(vec![
            check("integrity", &integrity, "SQLite's integrity check: ok"),
            check("foreign keys", &fk, "every reference points at a row that exists"),
            check(
                "migrations",
                &migration_problems(&applied, &known),
                &format!("all {} applied, none unknown", known.len()),
            ),
            check(
                "revisions",
                &revisions,
                &format!("{} revision triggers present; counters consistent", have.len()),
            ),
        ])
    }

    /// Copies the database to a new file at `dest` while it stays in use: one consistent snapshot (SQLite's
    /// `VACUUM INTO`, a read transaction, so writers carry on), then the copy is opened and checked. Refuses a
    /// `dest` that exists. Returns the copy's size in bytes.
    pub async fn backup_to(&self, dest: &Path) -> Result<u64, StoreError> {
        if dest.exists() {
            return Err(StoreError::Backend(format!(
                "{} already exists; choose a new file (a backup never overwrites one)",
                dest.display()
            )));
        }
        let target = dest
            .to_str()
            .ok_or_else(|| StoreError::Backend(format!("{}: not a UTF-8 path", dest.display())))?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(self.pool())
            .await
            .map_err(|e| StoreError::Backend(format!("cannot write {}: {e}", dest.display())))?;
        let mut copy = SqliteConnectOptions::new()
            .filename(dest)
            .read_only(true)
            .connect()
            .await
            .map_err(backend)?;
        let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut copy)
            .await
            .map_err(backend)?;
        copy.close().await.map_err(backend)?;
        if verdict != "ok" {
            return Err(StoreError::Corrupt(format!(
                "the copy at {} failed its integrity check: {verdict}",
                dest.display()
            )));
        }
        std::fs::metadata(dest).map(|m| m.len()).map_err(backend)
    }
}

async fn revision_triggers(pool: &sqlx::SqlitePool) -> Result<BTreeSet<String>, StoreError> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%revision'")
            .fetch_all(pool)
            .await
            .map_err(backend)?;
    Ok(names.into_iter().collect())
}

impl PgStore {
    /// The people a fold checkpoint is kept for, for `backstop doctor` to check that each resumes to the full fold.
    pub async fn checkpointed(&self) -> Result<Vec<AthleteId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT athlete_id FROM fold_checkpoints ORDER BY athlete_id")
            .fetch_all(self.pool())
            .await
            .map_err(backend)?;
        Ok(ids.into_iter().map(AthleteId).collect())
    }

    /// The checks that apply to a PostgreSQL database (the server keeps its own integrity): migrations and
    /// revision counters.
    pub async fn doctor(&self) -> Result<Vec<HealthCheck>, StoreError> {
        let pool = self.pool();
        let applied: Vec<(i64, bool)> =
            sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
                .fetch_all(pool)
                .await
                .map_err(backend)?;
        let known: BTreeSet<i64> = crate::postgres::MIGRATOR.iter().map(|m| m.version).collect();
        let bad: i64 = sqlx::query_scalar(REVISIONS)
            .fetch_one(pool)
            .await
            .map_err(backend)?;
        let revisions: Vec<String> = if bad > 0 {
            vec![format!("{bad} person(s) with inconsistent revision counters")]
        } else {
            Vec::new()
        };
        Ok(vec![
            check(
                "migrations",
                &migration_problems(&applied, &known),
                &format!("all {} applied, none unknown", known.len()),
            ),
            check("revisions", &revisions, "counters consistent"),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_unknown_missing_and_failed_are_named() {
        let known: BTreeSet<i64> = [1, 2, 3].into_iter().collect();
        assert!(migration_problems(&[(1, true), (2, true), (3, true)], &known).is_empty());
        let p = migration_problems(&[(1, true), (2, false), (4, true)], &known);
        assert_eq!(
            p,
            [
                "migration 2 did not complete",
                "migration 4 is not known to this build (a newer backstop wrote this database)",
                "migration 3 has not been applied"
            ]
        );
    }

    #[test]
    fn a_check_lists_at_most_five_problems() {
        let problems: Vec<String> = (0..7).map(|i| format!("p{i}")).collect();
        let c = check("integrity", &problems, "fine");
        assert!(!c.ok);
        assert_eq!(c.detail, "p0; p1; p2; p3; p4; and 2 more");
        assert!(check("integrity", &[], "fine").ok);
    }
}
