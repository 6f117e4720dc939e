//! `backstop import FILE` and `backstop report --out` as a person would use them.

use std::path::PathBuf;

use crate::Env;

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../backstop-import/tests/data")
        .join(name)
        .display()
        .to_string()
}

fn real(name: &str) -> Option<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/exports")
        .join(name);
    if p.exists() {
        Some(p.display().to_string())
    } else {
        eprintln!(
            "skipping: {} is absent (it comes with the shared fixtures)",
            p.display()
        );
        None
    }
}

#[test]
fn every_layout_imports_and_a_second_import_adds_nothing() {
    let env = Env::new();
    env.init();
    for (file, unit) in [
        ("strong_v0.csv", None),
        ("strong_v1.csv", Some("kg")),
        ("strong_v2.csv", Some("kg")),
        ("strong_v3.csv", Some("kg")),
        ("strong_v3_german.csv", Some("kg")),
        ("strong_v3_french.csv", Some("kg")),
        ("strong_v4.csv", Some("lb")),
        ("strong_android.csv", None),
        ("strong6.csv", None),
        ("hevy_kg.csv", None),
        ("hevy_lb.csv", None),
        ("hevy_us12h.csv", None),
        ("hevy_2023_semicolon.csv", None),
        ("fitnotes_old_lbs.csv", None),
        ("fitnotes_new.csv", None),
    ] {
        let path = data(file);
        let mut args = vec!["import", path.as_str()];
        if let Some(u) = unit {
            args.extend(["--unit", u]);
        }
        let first = env.json(&args);
        assert!(first["sessions_added"].as_u64().unwrap() > 0, "{file}: {first}");
        let before = env.facts();
        let again = env.json(&args);
        assert_eq!(again["sessions_added"], 0, "{file} imported twice");
        assert_eq!(again["duplicates_replaced"], first["sessions_added"], "{file}");
        assert_eq!(
            env.facts()["sessions"].as_array().unwrap().len(),
            before["sessions"].as_array().unwrap().len()
        );
    }
    // The history reads back, and status assesses imported work.
    assert!(!env.json(&["history"]).as_array().unwrap().is_empty());
    env.ok(&["status"]);
}

#[test]
fn a_real_strong_export_with_the_unit_asked_for() {
    let Some(path) = real("strong_v4_nonotes_ys-math.csv") else {
        return;
    };
    let env = Env::new();
    env.init();
    let before = env.facts();
    let err = env.fails(&["import", &path], 2);
    assert!(err.contains("--unit kg or --unit lb"), "{err}");
    assert_eq!(env.facts(), before, "a refused import writes nothing");
    let r = env.json(&["import", &path, "--unit", "kg"]);
    assert_eq!(
        (
            r["format"].as_str(),
            r["sessions_added"].as_u64(),
            r["sets_added"].as_u64()
        ),
        (Some("strong"), Some(37), Some(666))
    );
    assert_eq!(r["unmapped_exercises"].as_array().unwrap().len(), 2);
    // Map one of the unmapped names and import again: the workouts are refreshed, not doubled.
    let map = env.dir.path().join("map.toml");
    std::fs::write(&map, "\"Hammer Curl (Dumbbell)\" = \"dumbbell-shrug\"\n").unwrap();
    let r2 = env.json(&["import", &path, "--unit", "kg", "--map", map.to_str().unwrap()]);
    assert_eq!(r2["duplicates_replaced"], 37);
    let facts = env.facts();
    assert_eq!(facts["sessions"].as_array().unwrap().len(), 37);
    let sets: Vec<&serde_json::Value> = facts["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["sets"].as_array().unwrap())
        .collect();
    assert!(sets.iter().any(|s| s["exercise"] == "dumbbell-shrug"));
    assert!(sets.iter().any(|s| s["kind"] == "warmup"));
    // A mapping to an unknown id is refused with a did-you-mean, and changes nothing.
    std::fs::write(&map, "\"Hammer Curl (Dumbbell)\" = \"dumbell-shrug\"\n").unwrap();
    let before = env.facts();
    let err = env.fails(
        &["import", &path, "--unit", "kg", "--map", map.to_str().unwrap()],
        2,
    );
    assert!(err.contains("did you mean dumbbell-shrug"), "{err}");
    assert_eq!(env.facts(), before);
}

#[test]
fn real_strong6_and_fitnotes_exports() {
    let env = Env::new();
    env.init();
    if let Some(p) = real("strong6_semicolon_dravenbc.csv") {
        let r = env.json(&["import", &p]);
        assert_eq!(
            (
                r["format"].as_str(),
                r["sessions_added"].as_u64(),
                r["sets_added"].as_u64()
            ),
            (Some("strong6"), Some(20), Some(266))
        );
    }
    if let Some(p) = real("fitnotes_weightunit_lukaszebedin.csv") {
        let r = env.json(&["import", &p]);
        assert_eq!(
            (
                r["format"].as_str(),
                r["sessions_added"].as_u64(),
                r["sets_added"].as_u64()
            ),
            (Some("fitnotes"), Some(124), Some(2492))
        );
        let lines: Vec<u64> = r["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, vec![38, 39, 40]);
    }
}

#[test]
fn broken_files_are_refused_whole() {
    let env = Env::new();
    env.init();
    let dir = env.dir.path();
    let before = env.facts();
    for (name, text, needle) in [
        ("empty.csv", "", "empty"),
        ("unknown.csv", "a,b,c\n1,2,3\n", "a,b,c"),
        (
            "truncated.csv",
            "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time\n2024-01-01,\"Deadlift,Back,100,kgs,5,,,\n",
            "line",
        ),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        let err = env.fails(&["import", p.to_str().unwrap()], 2);
        assert!(err.contains(needle), "{name}: {err}");
        assert_eq!(env.facts(), before, "{name} changed the database");
    }
    let err = env.fails(&["import", "--format", "liftosaur", &data("hevy_kg.csv")], 2);
    assert!(err.contains("--format"), "{err}");
    let err = env.fails(&["import", &data("hevy_kg.csv"), "--tz", "Nowhere/Here"], 2);
    assert!(err.contains("Nowhere/Here"), "{err}");
}

#[test]
fn the_html_report_is_self_contained() {
    let env = Env::new();
    env.init();
    for day in ["2026-11-02", "2026-11-04", "2026-11-06"] {
        env.ok(&[
            "log",
            "--at",
            &format!("{day} 18:00"),
            "--minutes",
            "45",
            "--session-rpe",
            "6",
            "lat-pulldown 3x10@40 p1",
            "dead-bug 2x8 p0",
        ]);
    }
    let out = env.dir.path().join("report.html");
    env.ok(&[
        "report",
        "--date",
        "2026-11-08",
        "--weeks",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(
        html.matches("<svg").count() >= 6,
        "pain/load, weekly load, flare calendar, each for a phone and a wide screen"
    );
    for size in ["phone", "wide"] {
        assert!(html.contains(&format!(
            "<title id=\"painload-{size}-t\">Pain against training load</title>"
        )));
    }
    // The report shows the drawing that suits the screen, as the web app does.
    assert!(html.contains(".chart.wide { display: none;") && html.contains(".chart .pt:focus .tip"));
    assert!(html.contains("lat-pulldown") && html.contains("not a diagnosis"));
    // No external requests: no scripts, no links, no remote images; the only URL is the SVG namespace.
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("<img"));
    let urls: Vec<&str> = html
        .match_indices("http")
        .map(|(i, _)| &html[i..i + 26])
        .collect();
    assert!(
        urls.iter().all(|u| u.starts_with("http://www.w3.org/2000/svg")),
        "{urls:?}"
    );
}

/// Opens the HTML report in headless Chromium (Debian's, installed by `.ci/run`) and takes a screenshot. Ignored by a
/// plain `cargo test`; `cargo test -p backstop-cli -- --include-ignored` runs it, and fails when Chromium is missing.
#[test]
#[ignore = "needs Chromium (apt-get install chromium): run with --include-ignored"]
fn the_html_report_renders_in_a_browser() {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("Chromium is not installed: apt-get install chromium");
    let env = Env::new();
    env.init();
    for (day, next) in [
        ("2026-11-02", "2026-11-03"),
        ("2026-11-04", "2026-11-05"),
        ("2026-11-06", "2026-11-07"),
    ] {
        env.ok(&[
            "log",
            "--at",
            &format!("{day} 18:00"),
            "--pain-before",
            "2",
            "--minutes",
            "45",
            "--session-rpe",
            "6",
            "lat-pulldown 3x10@40 p2",
            "dead-bug 2x8 p1",
        ]);
        env.ok(&["checkin", "--at", next, "--pain", "3"]);
    }
    let out = env.dir.path().join("report.html");
    env.ok(&[
        "report",
        "--date",
        "2026-11-08",
        "--weeks",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    let artifacts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let png = artifacts.join("report.png");
    let _ = std::fs::remove_file(&png);
    let profile = env.dir.path().join("chromium-profile");
    let run = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            // Any attempt to reach another host fails loudly instead of leaving the machine.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--window-size=900,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", out.display()))
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "chromium failed: {log}");
    assert!(
        !log.contains("CONSOLE") && !log.contains("Uncaught"),
        "console output: {log}"
    );
    assert!(
        !log.contains("ERR_NAME_NOT_RESOLVED"),
        "the report tried to reach the network: {log}"
    );
    let size = std::fs::metadata(&png).unwrap().len();
    assert!(size > 20_000, "screenshot of {size} bytes looks empty");
}

/// The database file's bytes once everything in its write-ahead log is in it. A process that ends before its last
/// connection has closed leaves its writes in the log rather than the file, so comparing the two files as they lie
/// would depend on that timing; after a checkpoint, any write shows in the file.
fn settled_bytes(db: &std::path::Path) -> Vec<u8> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
    std::fs::read(db).unwrap()
}

#[test]
fn an_import_that_adds_nothing_exits_2_and_leaves_the_database_unchanged() {
    // Issue 15, point 8: a header-only file, or one whose every row is unreadable, used to say "Imported 0
    // workout(s)", exit 0 and bump a revision counter.
    let env = Env::new();
    env.init();
    env.ok(&["checkin", "--pain", "2"]);
    let header = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,RPE\n";
    let cases = [
        (
            "header-only.csv",
            header.to_owned(),
            vec!["nothing to import", "0 data row(s)"],
        ),
        (
            "all-bad.csv",
            format!(
                "{header}2026-04-24 09:40:00,\"Upper Body\",51m,\"Bench Press (Barbell)\",1,40.0,0,0,0,\n\
                 not a date,\"Upper Body\",51m,\"Pull Up\",1,0,8,0,0,\n"
            ),
            vec!["nothing to import", "2 data row(s)", "line 2:", "line 3:"],
        ),
    ];
    for (name, content, words) in cases {
        let path = env.dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let before = settled_bytes(&env.db());
        let err = env.fails(&["import", path.to_str().unwrap(), "--unit", "kg"], 2);
        for w in words {
            assert!(err.contains(w), "{name}: {w:?} in {err}");
        }
        assert!(settled_bytes(&env.db()) == before, "{name}: the database changed");
    }
}

#[test]
fn a_file_that_needs_its_unit_says_which_line_and_how_to_give_it() {
    let env = Env::new();
    env.init();
    let before = env.facts();
    let err = env.fails(&["import", &data("strong_v1.csv")], 2);
    assert!(
        err.contains("strong_v1.csv: line 2 has a weight, and the file does not say whether its weights are kg or lb: pass --unit kg or --unit lb"),
        "{err}"
    );
    assert_eq!(env.facts(), before, "a refused import writes nothing");
}
