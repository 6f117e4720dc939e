//! `backstop backup`, `backstop doctor`, and the durability they vouch for: `log` killed at random moments never
//! loses a session it acknowledged, and leaves a database that passes every check (issue 15).

use std::process::Stdio;
use std::time::Duration;

use crate::Env;

/// A small deterministic generator (the same kills every run), so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn log_args(i: u32) -> Vec<String> {
    // Session i on its own minute of a January day, so each acknowledged one can be found again by its time.
    let day = 5 + i / 60;
    let minute = i % 60;
    vec![
        "log".into(),
        "--at".into(),
        format!("2026-01-{day:02} 07:{minute:02}"),
        "--pain-before".into(),
        "2".into(),
        "--minutes".into(),
        "40".into(),
        "--session-rpe".into(),
        "6".into(),
        "lat-pulldown 3x10@40 p1".into(),
        "dead-bug 2x8 p0".into(),
    ]
}

fn times_in_history(env: &Env) -> Vec<String> {
    env.json(&["history"])
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["at"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn log_killed_at_random_moments_never_loses_an_acknowledged_session() {
    let env = Env::new();
    env.init();
    let mut rng = Lcg(15);
    let mut acknowledged = Vec::new();
    let mut killed = 0;
    for i in 0..100 {
        let mut child = env
            .spawnable()
            .args(log_args(i))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Anywhere from before the database is opened to after the write.
        std::thread::sleep(Duration::from_micros(rng.next() % 60_000));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            killed += 1;
        }
        if child.wait().unwrap().success() {
            acknowledged.push(i);
        }
    }
    assert!(
        killed >= 20 && acknowledged.len() >= 10,
        "killed {killed}, acknowledged {}",
        acknowledged.len()
    );
    let stored = times_in_history(&env);
    for i in &acknowledged {
        let at = &log_args(*i)[2];
        let iso = format!("{}T{}:00+00:00", &at[..10], &at[11..]);
        assert!(
            stored.contains(&iso),
            "session {i} ({at}) was acknowledged and is gone"
        );
    }
    // Nothing half-written: every stored session is one of those logged, whole, and the file passes every check.
    assert!(stored.len() >= acknowledged.len() && stored.len() <= 100);
    for s in env.json(&["history"]).as_array().unwrap() {
        assert_eq!(s["sets"].as_array().unwrap().len(), 5, "{s}");
    }
    let doctor = env.json(&["doctor"]);
    assert_eq!(doctor["ok"], true, "{doctor}");
}

#[test]
fn a_backup_is_a_consistent_copy_taken_while_the_database_is_written() {
    let env = Env::new();
    env.init();
    for i in 0..5 {
        env.ok(&log_args(i).iter().map(String::as_str).collect::<Vec<_>>());
    }
    // A writer logs more sessions while the copy is taken.
    let writer_env = env.dir.path().to_owned();
    let writer = std::thread::spawn(move || {
        for i in 5..25 {
            let status = std::process::Command::new(env!("CARGO_BIN_EXE_backstop"))
                .env("BACKSTOP_DATA_DIR", &writer_env)
                .env_remove("BACKSTOP_DB")
                .env_remove("BACKSTOP_DATABASE_URL")
                .args(log_args(i))
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
        }
    });
    std::thread::sleep(Duration::from_millis(150));
    let copy = env.dir.path().join("copy.db");
    let out = env.json(&["backup", copy.to_str().unwrap()]);
    assert_eq!(out["integrity"], "ok");
    assert!(out["bytes"].as_u64().unwrap() > 0);
    writer.join().unwrap();
    // The copy opens on its own, holds at least the sessions logged before it, each whole, and passes every check.
    let copied = env.json(&["--db", copy.to_str().unwrap(), "history"]);
    let copied = copied.as_array().unwrap();
    assert!((5..=25).contains(&copied.len()), "{}", copied.len());
    assert!(copied.iter().all(|s| s["sets"].as_array().unwrap().len() == 5));
    assert_eq!(env.json(&["--db", copy.to_str().unwrap(), "doctor"])["ok"], true);
    // The original went on: all 25.
    assert_eq!(times_in_history(&env).len(), 25);
    // A backup never overwrites a file.
    let before = std::fs::read(&copy).unwrap();
    let err = env.fails(&["backup", copy.to_str().unwrap()], 2);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

#[test]
fn doctor_names_what_is_wrong_and_exits_1() {
    let env = Env::new();
    env.init();
    let out = env.ok(&["doctor"]);
    for name in ["integrity", "foreign keys", "migrations", "revisions"] {
        assert!(
            out.lines().any(|l| l.starts_with(name) && l.contains(" ok ")),
            "{name}: {out}"
        );
    }
    // A revision trigger gone (a hand edit, or a half-applied upgrade): a server would miss other processes'
    // writes. The doctor names it.
    let db = env.db();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
                .await
                .unwrap();
            sqlx::query("DROP TRIGGER checkins_insert_revision")
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        });
    let err = env.fails(&["doctor"], 1);
    assert!(err.contains("revisions"), "{err}");
    let out = env.cmd().args(["--json", "doctor"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    let revisions = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "revisions")
        .unwrap();
    assert_eq!(revisions["ok"], false);
    assert!(
        revisions["detail"]
            .as_str()
            .unwrap()
            .contains("checkins_insert_revision"),
        "{revisions}"
    );
}
