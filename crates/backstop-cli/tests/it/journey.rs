//! A new user's first week: profile, sessions by notation and by JSON, check-ins, history, export and restore.

use std::io::Write;
use std::process::Stdio;

use serde_json::Value;

use crate::Env;

const SESSION_DOC: &str = r#"{
  "at": "2026-11-18 18:30", "pain_before": 2, "minutes": 45, "session_rpe": 6.5,
  "sets": [
    { "exercise": "chest-supported-row", "reps": 10, "load_kg": 32, "rpe": 7, "pain": 2, "felt": "target", "form_breakdown": false },
    { "exercise": "chest-supported-row", "reps": 10, "load_kg": 32, "rpe": 7.5, "pain": 2 },
    { "exercise": "Seated Row (Cable)", "reps": 12, "load_lb": 90, "pain": 3, "felt": "back", "form_breakdown": true },
    { "exercise": "side-plank", "seconds": 30, "pain": 1 }
  ]
}"#;

fn log_week(env: &Env) {
    env.ok(&[
        "log",
        "--at",
        "2026-11-16 18:00",
        "--pain-before",
        "2",
        "--minutes",
        "50",
        "--session-rpe",
        "7",
        "chest-supported-row 3x10@30 rpe7 p2",
        "side-plank 3x30s p1,1,2",
        "Lat Pulldown (Cable) 3x12@45 rpe8 p1",
    ]);
    env.ok(&["checkin", "--at", "2026-11-17", "--pain", "3", "--stiffness", "2"]);
    let dir = env.dir.path().join("wed.json");
    std::fs::write(&dir, SESSION_DOC).unwrap();
    env.ok(&["log", "--file", dir.to_str().unwrap()]);
    env.ok(&[
        "checkin",
        "--at",
        "2026-11-19 07:30",
        "--pain",
        "2",
        "--muscle-soreness",
    ]);
    // Friday's session comes in on stdin.
    let fri = SESSION_DOC.replace("2026-11-18 18:30", "2026-11-20T17:00:00Z");
    let mut child = env
        .spawnable()
        .args(["log", "--file", "-", "--session-rpe", "8"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(fri.as_bytes()).unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    env.ok(&["checkin", "--at", "2026-11-21 09:00", "--pain", "2"]);
    env.ok(&["checkin", "--at", "2026-11-22 09:00", "--pain", "1"]);
}

#[test]
fn a_week_of_training_comes_back_out_of_history() {
    let env = Env::new();
    env.init();
    log_week(&env);
    let h = env.json(&["history"]);
    let h = h.as_array().unwrap();
    assert_eq!(h.len(), 3);
    // Newest first, times in the profile's zone (London is on GMT in November).
    assert_eq!(h[0]["at"], "2026-11-20T17:00:00+00:00");
    assert_eq!(h[0]["session_rpe"], 8.0, "--session-rpe wins over the document");
    assert_eq!(h[2]["at"], "2026-11-16T18:00:00+00:00");
    assert_eq!(h[2]["date"], "2026-11-16");
    assert_eq!(h[2]["pain_before"], 2);
    assert_eq!(h[2]["minutes"], 50);
    // Each with its verdict as it stands, in the API's session document.
    assert!(
        ["green", "amber", "red", "pending", "unrated"].contains(&h[2]["verdict"].as_str().unwrap()),
        "{}",
        h[2]
    );
    let mon_sets = h[2]["sets"].as_array().unwrap();
    assert_eq!(mon_sets.len(), 9);
    assert_eq!(mon_sets[0]["exercise"], "chest-supported-row");
    assert_eq!(mon_sets[0]["load_kg"], 30.0);
    assert_eq!(mon_sets[5]["pain"], 2);
    assert_eq!(mon_sets[5]["seconds"], 30);
    assert_eq!(mon_sets[6]["exercise"], "lat-pulldown");
    assert_eq!(h[2]["checkins"][0]["pain"], 3);
    assert_eq!(h[2]["checkins"][0]["stiffness"], 2);
    assert_eq!(h[2]["checkins"][0]["hours_after"], 14.0);
    // The JSON document: alias resolved, pounds converted, felt and form kept, per-set RPE kept.
    let wed = &h[1];
    assert_eq!(wed["sets"][1]["rpe"], 7.5);
    assert_eq!(wed["sets"][2]["exercise"], "seated-cable-row");
    assert_eq!(wed["sets"][2]["load_kg"], 40.82);
    assert_eq!(wed["sets"][2]["felt"], "back");
    assert_eq!(wed["sets"][2]["form_breakdown"], true);
    assert_eq!(wed["checkins"][0]["muscle_soreness"], true);
    // Friday has two check-ins (about 16 h and 40 h after).
    assert_eq!(h[0]["checkins"].as_array().unwrap().len(), 2);

    let from = env.json(&["history", "--from", "2026-11-18", "--to", "2026-11-18"]);
    assert_eq!(from.as_array().unwrap().len(), 1);

    let text = env.ok(&["history"]);
    assert!(
        text.contains("chest-supported-row") && text.contains("3×10 @ 30 kg"),
        "{text}"
    );
    assert!(text.contains("check-in +14h: pain 3, stiffness 2"), "{text}");
}

#[test]
fn export_restores_into_an_empty_database_with_nothing_lost() {
    let env = Env::new();
    env.init();
    env.ok(&[
        "catalog",
        "add",
        "--id",
        "my-band-row",
        "--name",
        "My band row",
        "--pattern",
        "horizontal-pull",
        "--equipment",
        "band",
    ]);
    log_week(&env);
    env.ok(&["log", "--at", "2026-11-23 10:00", "my-band-row 2x15 p0"]);
    env.ok(&["flare", "start", "--at", "2026-11-24"]);
    env.ok(&["screen", "--red-flags", "none"]);
    env.ok(&["flare", "end", "--at", "2026-11-25 08:00"]);
    let original = env.facts();
    let file = env.dir.path().join("export.json");
    env.ok(&["export", "--out", file.to_str().unwrap()]);

    let fresh = Env::new();
    let out = fresh.json(&["import", "--backup", file.to_str().unwrap()]);
    assert_eq!(out["sessions"], 4);
    assert_eq!(out["checkins"], 4);
    assert_eq!(
        fresh.facts(),
        original,
        "the restored database must export the same facts"
    );
    // The restored database works: history and the custom exercise are there.
    assert_eq!(fresh.json(&["history"]).as_array().unwrap().len(), 4);
    assert_eq!(fresh.json(&["catalog", "show", "my-band-row"])["custom"], true);

    // Restoring again into a non-empty database is refused and changes nothing.
    let err = fresh.fails(&["import", "--backup", file.to_str().unwrap()], 2);
    assert!(err.contains("already holds data"), "{err}");
    assert_eq!(fresh.facts(), original);
}

#[test]
fn csv_export_has_one_row_per_set() {
    let env = Env::new();
    env.init();
    log_week(&env);
    let csv = env.ok(&["export", "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("session_at,date,pain_before"));
    assert!(lines[0].contains("load_kg"));
    assert_eq!(lines.len(), 1 + 9 + 4 + 4);
    assert!(
        lines[1].contains("chest-supported-row,10,,,30,7,2,target,false,normal"),
        "{}",
        lines[1]
    );
    let sessions = env.ok(&["export", "--format", "csv", "--table", "sessions"]);
    let rows: Vec<&str> = sessions.lines().collect();
    assert_eq!(rows.len(), 1 + 3);
    assert!(
        rows[1].starts_with("2026-11-16T18:00:00+00:00,2026-11-16,2,50,7,350,9,"),
        "{}",
        rows[1]
    );
    let checkins = env.ok(&["export", "--format", "csv", "--table", "checkins"]);
    let rows: Vec<&str> = checkins.lines().collect();
    assert_eq!(rows.len(), 1 + 4);
    assert_eq!(
        rows[0],
        "at,date,pain,stiffness,muscle_soreness,leg_pain,numbness,weakness"
    );
    assert!(rows[1].contains(",3,2,false,false,false,false"), "{}", rows[1]);
}

#[test]
fn catalog_commands() {
    let env = Env::new();
    let list = env.json(&["catalog", "list"]);
    assert!(list.as_array().unwrap().len() >= 80);
    let show = env.json(&["catalog", "show", "Bent Over Row (Barbell)"]);
    for field in [
        "id",
        "name",
        "aliases",
        "pattern",
        "equipment",
        "spinal",
        "load_type",
        "regressions",
        "progressions",
        "flare_safe",
    ] {
        assert!(show.get(field).is_some(), "catalog show lacks {field}");
    }
    assert_eq!(show["spinal"]["compression"], 3);
    let flare_safe = env.json(&["catalog", "list", "--flare-safe"]);
    assert!(
        flare_safe
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["flare_safe"] == true)
    );
    let hits = env.json(&["catalog", "search", "chest", "row"]);
    assert_eq!(hits[0]["id"], "chest-supported-row");
    let text = env.ok(&["catalog", "show", "chest-supported-row"]);
    assert!(text.contains("spinal demand") && text.contains("cue:"), "{text}");

    let toml = env.dir.path().join("mine.toml");
    std::fs::write(
        &toml,
        r#"
[[exercise]]
id = "towel-row"
name = "Towel row"
pattern = "horizontal-pull"
equipment = ["bodyweight"]
load_type = "bodyweight"
skill = 1
reps = [8, 15]
flare_safe = false
spinal = { compression = 1, shear = 1, flexion = 0, extension = 0, rotation = 0, basis = "estimated" }
regressions = ["band-row"]
"#,
    )
    .unwrap();
    env.ok(&["catalog", "add", "--file", toml.to_str().unwrap()]);
    let mine = env.json(&["catalog", "list", "--custom"]);
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["id"], "towel-row");
    // Adding the same id again is refused and nothing changes.
    let err = env.fails(&["catalog", "add", "--file", toml.to_str().unwrap()], 2);
    assert!(err.contains("duplicate id"), "{err}");
    assert_eq!(
        env.json(&["catalog", "list", "--custom"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn two_processes_logging_at_once_both_succeed() {
    let env = Env::new();
    env.init();
    let spawn = |i: usize| {
        env.spawnable()
            .args([
                "log",
                "--at",
                &format!("2026-11-{:02} 18:00", 1 + i),
                &format!("chest-supported-row 3x10@{} p1", 20 + i),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Ten rounds of two writers started together.
    let mut children = Vec::new();
    for round in 0..10 {
        children.push(spawn(round * 2));
        children.push(spawn(round * 2 + 1));
    }
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let h = env.json(&["history"]);
    assert_eq!(h.as_array().unwrap().len(), 20);
    let mut loads: Vec<f64> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sets"][0]["load_kg"].as_f64().unwrap())
        .collect();
    loads.sort_by(f64::total_cmp);
    assert_eq!(loads, (20..40).map(f64::from).collect::<Vec<_>>());
}

#[test]
fn two_processes_creating_a_new_database_at_once_both_succeed() {
    let env = Env::new();
    let children: Vec<_> = (0..4)
        .map(|_| {
            env.spawnable()
                .args(["catalog", "list"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    env.init();
}

#[test]
fn pounds_profile_reads_loads_in_pounds() {
    let env = Env::new();
    env.ok(&[
        "init",
        "--no-input",
        "--units",
        "lb",
        "--tz",
        "America/New_York",
        "--baseline-pain",
        "1",
        "--red-flags",
        "none",
    ]);
    env.ok(&[
        "log",
        "--at",
        "2026-07-01 07:00",
        "chest-supported-row 3x10@50 p1",
    ]);
    let h = env.json(&["history"]);
    assert_eq!(h[0]["sets"][0]["load_lb"], 50.0);
    assert!(h[0]["sets"][0].get("load_kg").is_none());
    // New York is on daylight time in July.
    assert_eq!(h[0]["at"], "2026-07-01T07:00:00-04:00");
    let text = env.ok(&["history"]);
    assert!(text.contains("@ 50 lb"), "{text}");
}

#[test]
fn updating_the_profile_keeps_what_is_not_given() {
    let env = Env::new();
    env.init();
    env.ok(&["init", "--no-input", "--minutes", "30"]);
    let facts = env.facts();
    let profiles = facts["profiles"].as_array().unwrap();
    assert_eq!(profiles.len(), 2);
    let p = &profiles[1]["profile"];
    assert_eq!(p["minutes"], 30);
    assert_eq!(p["time_zone"], "Europe/London");
    assert_eq!(p["baseline_pain"], 2);
    // The screen was answered once; updating does not ask for it again.
    assert_eq!(facts["screenings"].as_array().unwrap().len(), 1);
}

#[test]
fn every_command_has_help() {
    let env = Env::new();
    for args in [
        vec!["--help"],
        vec!["init", "--help"],
        vec!["catalog", "--help"],
        vec!["catalog", "list", "--help"],
        vec!["catalog", "show", "--help"],
        vec!["catalog", "search", "--help"],
        vec!["catalog", "add", "--help"],
        vec!["log", "--help"],
        vec!["checkin", "--help"],
        vec!["screen", "--help"],
        vec!["flare", "--help"],
        vec!["clearance", "--help"],
        vec!["history", "--help"],
        vec!["export", "--help"],
        vec!["import", "--help"],
        vec!["status", "--help"],
        vec!["why", "--help"],
        vec!["plan", "--help"],
        vec!["triage", "--help"],
        vec!["settings", "--help"],
        vec!["report", "--help"],
    ] {
        let out = env.ok(&args);
        assert!(out.contains("Usage:"), "{args:?}: {out}");
    }
}

#[test]
fn json_output_is_the_only_thing_on_stdout() {
    let env = Env::new();
    env.init();
    let out = env.ok(&["--json", "log", "--at", "2026-11-16 18:00", "bird-dog 3x8 p0"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["sets"].as_array().unwrap().len(), 3);
    assert_eq!(v["at"], "2026-11-16T18:00:00+00:00");
}
