//! The `backstop` binary tested as a process, each test with its own temporary data directory.

#![allow(clippy::unwrap_used, clippy::new_without_default, missing_docs)]

mod accounts;
mod bad_input;
mod ceiling;
mod documents;
mod imports;
mod journey;
mod maintenance;
mod planning;
mod repository;
mod safety;
mod serve;

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The `init` of most tests: a profile in Europe/London, kg, a gym, Monday, Wednesday and Friday, 50 minutes, usual
/// pain 2, no red flags.
pub const INIT: [&str; 18] = [
    "init",
    "--no-input",
    "--units",
    "kg",
    "--tz",
    "Europe/London",
    "--equipment",
    "barbell,dumbbell,cable,bench,machine",
    "--days",
    "mon,wed,fri",
    "--minutes",
    "50",
    "--baseline-pain",
    "2",
    "--aggravators",
    "sitting,bending",
    "--red-flags",
    "none",
];

/// A schema of its own on the PostgreSQL server `BACKSTOP_TEST_DATABASE_URL` names, dropped when this is dropped;
/// `None` (with a note) when the variable is not set.
pub struct PgSchema {
    base: String,
    name: String,
    /// The address that works in the schema.
    pub url: String,
}

impl PgSchema {
    pub fn new(prefix: &str) -> Option<PgSchema> {
        let Some(base) = std::env::var("BACKSTOP_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            eprintln!("skipped: BACKSTOP_TEST_DATABASE_URL is not set");
            return None;
        };
        let name = format!("{prefix}_{}", std::process::id());
        pg_admin(&base, &format!("DROP SCHEMA IF EXISTS {name} CASCADE"));
        pg_admin(&base, &format!("CREATE SCHEMA {name}"));
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{name}");
        Some(PgSchema { base, name, url })
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        pg_admin(
            &self.base,
            &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
        );
    }
}

fn pg_admin(base: &str, sql: &str) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let pool = sqlx::PgPool::connect(base).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
}

/// A fresh data directory and helpers to run `backstop` against it.
pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A command against this environment's database.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_backstop"));
        c.env("BACKSTOP_DATA_DIR", self.dir.path())
            .env_remove("BACKSTOP_DB")
            .env_remove("BACKSTOP_DATABASE_URL");
        c
    }

    /// A plain process command, for spawning several at once.
    pub fn spawnable(&self) -> std::process::Command {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_backstop"));
        c.env("BACKSTOP_DATA_DIR", self.dir.path())
            .env_remove("BACKSTOP_DB")
            .env_remove("BACKSTOP_DATABASE_URL");
        c
    }

    /// Starts `serve` on this database with a known key (written to `web.key`); the child and its address. What
    /// it prints after the address is read and dropped: with the pipe closed, the server's next line would fail.
    pub fn serve(&self, key: &str) -> (std::process::Child, String) {
        use std::io::BufRead as _;
        let key_file = self.dir.path().join("web.key");
        std::fs::write(&key_file, key).unwrap();
        let mut child = self
            .spawnable()
            .env_remove("BACKSTOP_WEB_KEY")
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--key-file",
                key_file.to_str().unwrap(),
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("serve printed no address").unwrap();
            if let Some(rest) = line.split("serving on http://").nth(1) {
                break rest.trim_end_matches('/').to_owned();
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        (child, addr)
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("backstop.db")
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "backstop {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs with `--json` and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        let s = self.ok(&a);
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
    }

    /// Runs and expects the given exit code; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "backstop {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    /// Every stored fact, without the export's own timestamp, for before/after comparisons.
    pub fn facts(&self) -> Value {
        let mut v: Value = serde_json::from_str(&self.ok(&["export"])).unwrap();
        v.as_object_mut().unwrap().remove("exported_at");
        v
    }

    /// A profile in Europe/London, kg, usual pain 2, no red flags.
    pub fn init(&self) {
        self.ok(&INIT);
    }
}
