//! Storage for backstop: the `Store` port of `backstop-app` over SQLite (one file, the default for one person)
//! and over PostgreSQL (a server, for clinics), both through sqlx.
//!
//! The two keep the same facts under one logical schema (`docs/decisions/0001-storage.md`); each has its own
//! migrations folder, and the rows of both are decoded by the same functions (`decode`), so a fact written to one
//! reads back from the other exactly alike. The contract tests in `tests/it` run every behaviour of the port
//! against both.

mod decode;
mod health;
mod postgres;
mod sqlite;

pub use health::HealthCheck;
pub use postgres::{PgStore, is_postgres_url};
pub use sqlite::SqliteStore;

use backstop_app::store::StoreError;
use backstop_core::engine::Settings;
use jiff::Timestamp;

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// A write refused by a UNIQUE constraint is `Taken(what)`; any other failure is the backend's.
fn unique(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Taken(what),
        _ => backend(e),
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// An instant as stored: whole milliseconds since the Unix epoch.
fn ms(t: Timestamp) -> i64 {
    t.as_millisecond()
}

/// An instant in whole milliseconds, rounded up.
fn ms_up(t: Timestamp) -> i64 {
    let m = t.as_millisecond();
    if Timestamp::from_millisecond(m).is_ok_and(|down| down < t) {
        m + 1
    } else {
        m
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(backend)
}

/// Only the thresholds that differ from the defaults: what storage keeps, so that a corrected default reaches
/// everyone who never changed that threshold (the rest fill in from `Settings::default()` when read).
fn changed_settings(s: &Settings) -> serde_json::Map<String, serde_json::Value> {
    let (Ok(serde_json::Value::Object(mine)), Ok(serde_json::Value::Object(default))) =
        (serde_json::to_value(s), serde_json::to_value(Settings::default()))
    else {
        return serde_json::Map::new();
    };
    mine.into_iter()
        .filter(|(k, v)| default.get(k) != Some(v))
        .collect()
}
