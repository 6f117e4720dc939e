//! The Ceiling Method through the CLI: check-ins print the verdicts they settle; `status` and `why` explain.

use std::io::Read;
use std::process::Stdio;

use crate::Env;

/// Two calm weeks of rows and pulldowns, then a session with one new exercise and a bad morning (worked case 1: the lone change takes the blame).
fn case_one(env: &Env) {
    env.init();
    for (day, next) in [
        ("2026-10-05", "2026-10-06"),
        ("2026-10-08", "2026-10-09"),
        ("2026-10-12", "2026-10-13"),
    ] {
        env.ok(&[
            "log",
            "--at",
            &format!("{day} 18:00"),
            "--pain-before",
            "2",
            "chest-supported-row 3x10@30 p1",
            "lat-pulldown 3x10@40 p1",
        ]);
        env.ok(&["checkin", "--at", next, "--pain", "2"]);
    }
    let out = env.ok(&[
        "log",
        "--at",
        "2026-10-15 18:00",
        "--pain-before",
        "2",
        "chest-supported-row 3x10@30 p2",
        "lat-pulldown 3x10@40 p1",
        "back-extension-45-degree 2x10 p3",
    ]);
    assert!(
        out.contains("One change this session") && out.contains("back-extension-45-degree"),
        "{out}"
    );
}

#[test]
fn a_checkin_prints_the_verdict_it_settles() {
    let env = Env::new();
    case_one(&env);
    let v = env.json(&["checkin", "--at", "2026-10-16 08:00", "--pain", "5"]);
    let verdicts = v["verdicts"].as_array().unwrap();
    assert_eq!(verdicts.len(), 1, "{v}");
    assert_eq!(verdicts[0]["session_at"], "2026-10-15T18:00:00+01:00");
    assert_eq!(verdicts[0]["verdict"], "red");
    assert_eq!(verdicts[0]["rule"], "PM-5");
    assert!(verdicts[0]["reason"].as_str().unwrap().contains('5'));
    assert_eq!(v["flare"]["active"], false);

    let status = env.json(&["status", "--date", "2026-10-16"]);
    let be = status["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["exercise"] == "back-extension-45-degree")
        .unwrap();
    assert_eq!(be["status"], "parked");
    assert_eq!(be["next"], "avoid");
    let row = status["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["exercise"] == "chest-supported-row")
        .unwrap();
    assert_eq!(row["status"], "tolerated");
    assert_eq!(row["next"], "hold");
    assert_eq!(status["suspects"][0]["exercise"], "back-extension-45-degree");
    // One red on the day it was the only change: parked and a suspect, but only with weak confidence (C5, CA-4).
    assert_eq!(status["suspects"][0]["confidence"], "weak");
    assert!(
        status["suspects"][0]["evidence"]
            .as_str()
            .unwrap()
            .contains("not a diagnosis")
    );
    // Too few sessions to name a cause across them.
    assert_eq!(status["causes"], serde_json::json!([]));

    let why = env.ok(&["why", "back-extension-45-degree", "--date", "2026-10-16"]);
    assert!(why.contains("parked") && why.contains("retest from"), "{why}");
    assert!(why.contains("linked to your pain, weak confidence"), "{why}");
    let why = env.json(&["why", "Seated Row (Cable)"]);
    assert_eq!(why["status"], "untested");
}

#[test]
fn status_replays_any_date() {
    let env = Env::new();
    case_one(&env);
    env.ok(&["checkin", "--at", "2026-10-16 08:00", "--pain", "5"]);
    // Before the bad morning the session was still pending, with its check-ins due.
    let then = env.json(&["status", "--date", "2026-10-15"]);
    assert_eq!(then["due_checkins"][0]["kind"], "24h");
    assert!(then["suspects"].as_array().unwrap().is_empty());
    // Well after the parking time the exercise is due for a retest.
    let later = env.json(&["status", "--date", "2026-11-10"]);
    let be = later["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["exercise"] == "back-extension-45-degree")
        .unwrap();
    assert_eq!(be["next"], "retest");
    let text = env.ok(&["status", "--date", "2026-10-16"]);
    assert!(
        text.contains("Exercises linked to your pain") && text.contains("parked"),
        "{text}"
    );
}

#[test]
fn a_flare_from_the_mornings_and_the_way_back() {
    let env = Env::new();
    case_one(&env);
    env.ok(&["checkin", "--at", "2026-10-16", "--pain", "6"]);
    let out = env.ok(&["checkin", "--at", "2026-10-17", "--pain", "6"]);
    assert!(out.contains("flare-up"), "{out}");
    let s = env.json(&["status", "--date", "2026-10-17"]);
    assert_eq!(s["flare"]["active"], true);
    assert_eq!(s["flare"]["since"], "2026-10-16T08:00:00+01:00");
    env.ok(&["checkin", "--at", "2026-10-18", "--pain", "3"]);
    let out = env.ok(&["checkin", "--at", "2026-10-19", "--pain", "2"]);
    // A three-day flare is short: re-entry skips its most cautious step (FL-3).
    assert!(out.contains("re-entry starts at step 2 (about 70 %"), "{out}");
    let s = env.json(&["status", "--date", "2026-10-19"]);
    assert_eq!(s["flare"]["reentry_step"], 2);
    let row = s["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["exercise"] == "lat-pulldown")
        .unwrap();
    assert_eq!(row["rule"], "FL-3");
    assert_eq!(row["dose"]["load_kg"], 27.5, "70 % of 40 kg, rounded down");
}

#[test]
fn declared_flares_are_checked_and_screened() {
    let env = Env::new();
    env.init();
    let err = env.fails(&["flare", "end", "--at", "2026-10-01"], 2);
    assert!(err.contains("no declared flare"), "{err}");
    let v = env.json(&["flare", "start", "--at", "2026-10-01", "--red-flags", "none"]);
    assert_eq!(v["rescreen_needed"], false);
    assert_eq!(env.facts()["screenings"][1]["context"], "flare");
    let err = env.fails(&["flare", "start", "--at", "2026-10-02"], 2);
    assert!(err.contains("already declared"), "{err}");
    env.ok(&["flare", "end", "--at", "2026-10-05"]);
    let err = env.fails(&["flare", "start", "--at", "2099-10-05"], 2);
    assert!(err.contains("future"), "{err}");
}

#[test]
fn a_clearance_cannot_be_dated_in_the_future() {
    let env = Env::new();
    env.ok(&[
        "init",
        "--no-input",
        "--tz",
        "UTC",
        "--baseline-pain",
        "2",
        "--red-flags",
        "none",
    ]);
    let err = env.fails(&["clearance", "--at", "2099-01-01"], 2);
    assert!(err.contains("future"), "{err}");
}

#[test]
fn a_safety_stop_says_why_on_stderr() {
    let env = Env::new();
    env.cmd()
        .args([
            "init",
            "--no-input",
            "--tz",
            "UTC",
            "--baseline-pain",
            "2",
            "--red-flags",
            "bowel-change",
        ])
        .output()
        .unwrap();
    let err = env.fails(&["checkin", "--pain", "3"], 3);
    assert!(err.contains("red-flag answer is open"), "{err}");
}

#[test]
fn a_closed_pipe_is_not_a_crash() {
    let env = Env::new();
    let mut child = env
        .spawnable()
        .args(["catalog", "list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn odd_input_is_refused_not_crashed_on() {
    let env = Env::new();
    env.init();
    let err = env.fails(&["history", "--from", "2026-11-0é 1"], 2);
    assert!(err.contains("2026-11-0é 1"), "{err}");
    env.fails(&["flare", "start", "--at", "2026-11-0é 18:00"], 2);
    // Upper-case units in the notation are fine.
    env.ok(&["log", "--at", "2026-11-02 10:00", "side-plank 2X30S p1"]);
}

#[test]
fn thresholds_are_per_profile_and_change_the_verdicts() {
    let env = Env::new();
    env.init();
    env.ok(&[
        "log",
        "--at",
        "2026-10-05 18:00",
        "--pain-before",
        "2",
        "lat-pulldown 3x10@40 p4",
    ]);
    let s = env.json(&["status", "--date", "2026-10-05 20:00"]);
    assert_eq!(
        s["exercises"][0]["last_verdict"], "amber",
        "4 is within the default ceiling of 5"
    );
    let rows = env.json(&["settings", "set", "ceiling_max", "3"]);
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "ceiling_max")
        .unwrap();
    assert_eq!(
        (
            row["value"].as_u64(),
            row["is_default"].as_bool(),
            row["evidence"].as_str()
        ),
        (Some(3), Some(false), Some("A"))
    );
    let s = env.json(&["status", "--date", "2026-10-05 20:00"]);
    assert_eq!(
        s["exercises"][0]["last_verdict"], "red",
        "4 is above a ceiling of 3"
    );
    env.ok(&["settings", "set", "morning_from", "10h"]);
    env.ok(&["settings", "set", "reentry_steps_pct", "[40,60,80]"]);
    // Refused values change nothing.
    let before = env.facts();
    for (k, v, needle) in [
        ("ceiling_max", "11", "ceiling_max must be 1–10"),
        ("morning_from", "40h", "check-in windows"),
        ("ceiling", "3", "unknown setting"),
        ("park_days", "soon", "park_days"),
        ("reentry_steps_pct", "[80,60]", "reentry_steps_pct"),
    ] {
        let err = env.fails(&["settings", "set", k, v], 2);
        assert!(err.contains(needle), "{k}={v}: {err}");
    }
    assert_eq!(env.facts(), before);
    // The settings travel with the export and back.
    let file = env.dir.path().join("e.json");
    env.ok(&["export", "--out", file.to_str().unwrap()]);
    let fresh = Env::new();
    fresh.ok(&["import", "--backup", file.to_str().unwrap()]);
    assert_eq!(fresh.facts(), env.facts());
    env.ok(&["settings", "reset"]);
    let rows = env.json(&["settings"]);
    assert!(rows.as_array().unwrap().iter().all(|r| r["is_default"] == true));
}
