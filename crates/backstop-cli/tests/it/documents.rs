//! Every `--json` document on one fixed history, as snapshots (insta): a change to any shape shows in review as a
//! diff of `tests/it/snapshots/`. The history is dated in the past and every command that depends on the moment is
//! given one (`--at`, `--date`), so the documents do not depend on the day the tests run; the one exception, the
//! date of `init`'s first session (the next training day from now) and the time of a clearance (which must follow
//! the screen just answered), are blanked.

use serde_json::Value;

use crate::Env;

/// A profile, two sessions with their check-ins, a flare and a clearance, all in November 2026.
fn history() -> (Env, Vec<(&'static str, Value)>) {
    let env = Env::new();
    let mut docs = Vec::new();
    let mut init = env.json(&crate::INIT);
    init["first_session"]["date"] = Value::from("(the next training day)");
    docs.push(("init", init));
    docs.push((
        "log",
        env.json(&[
            "log",
            "--at",
            "2026-11-16 18:00",
            "--pain-before",
            "2",
            "--minutes",
            "40",
            "--session-rpe",
            "7",
            "chest-supported-row 3x10@30 rpe7 p2",
            "side-plank 3x30s p1,1,2",
        ]),
    ));
    docs.push((
        "checkin",
        env.json(&["checkin", "--at", "2026-11-17", "--pain", "2", "--stiffness", "1"]),
    ));
    env.ok(&[
        "log",
        "--at",
        "2026-11-18 18:00",
        "--pain-before",
        "2",
        "chest-supported-row 3x10@30 rpe7 p2",
        "lat-pulldown 3x10@40 rpe8 p3,3,4 back",
    ]);
    env.ok(&["checkin", "--at", "2026-11-19", "--pain", "5"]);
    env.ok(&["checkin", "--at", "2026-11-20", "--pain", "3"]);
    docs.push((
        "flare-start",
        env.json(&[
            "flare",
            "start",
            "--at",
            "2026-11-21 09:00",
            "--red-flags",
            "none",
        ]),
    ));
    docs.push((
        "flare-end",
        env.json(&["flare", "end", "--at", "2026-11-23 09:00"]),
    ));
    docs.push(("screen", env.json(&["screen", "--red-flags", "night-pain"])));
    // A screen is answered now, and a clearance must come after it: its time is blanked.
    let mut clearance = env.json(&["clearance", "--note", "seen by my physio"]);
    clearance["at"] = Value::from("(now)");
    docs.push(("clearance", clearance));
    (env, docs)
}

#[test]
fn every_json_document_matches_its_snapshot() {
    let (env, mut docs) = history();
    docs.push(("history", env.json(&["history"])));
    docs.push(("status", env.json(&["status", "--date", "2026-11-25"])));
    docs.push(("why", env.json(&["why", "lat-pulldown", "--date", "2026-11-25"])));
    docs.push((
        "why-untested",
        env.json(&["why", "seated-cable-row", "--date", "2026-11-25"]),
    ));
    docs.push(("plan", env.json(&["plan", "--date", "2026-11-25"])));
    docs.push((
        "report",
        env.json(&["report", "--weeks", "2", "--date", "2026-11-25"]),
    ));
    docs.push(("settings", env.json(&["settings"])));
    docs.push(("catalog-show", env.json(&["catalog", "show", "side-plank"])));
    docs.push((
        "triage",
        env.json(&[
            "triage",
            "--when",
            "next-day",
            "--where",
            "muscle",
            "--quality",
            "ache",
            "--movement",
            "eases",
            "--trend",
            "better",
        ]),
    ));
    let file = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../backstop-import/tests/data/hevy_kg.csv");
    let fresh = Env::new();
    fresh.init();
    docs.push(("import", fresh.json(&["import", file.to_str().unwrap()])));
    for (name, doc) in docs {
        insta::assert_json_snapshot!(name, doc);
    }
}

#[test]
fn the_status_text_says_what_the_status_document_holds() {
    // The text of `status` and `why` is printed from the same view as their JSON; a snapshot shows any change.
    let (env, _) = history();
    insta::assert_snapshot!("status-text", env.ok(&["status", "--date", "2026-11-25"]));
    insta::assert_snapshot!(
        "why-text",
        env.ok(&["why", "lat-pulldown", "--date", "2026-11-25"])
    );
}
