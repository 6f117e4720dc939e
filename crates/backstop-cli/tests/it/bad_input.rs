//! Every command refuses wrong values with exit code 2, says what and where, and leaves the database unchanged.

use crate::Env;

/// Runs a failing command, checks the code and message, and that no stored fact changed.
fn refused(env: &Env, args: &[&str], needles: &[&str]) {
    let before = env.facts();
    let err = env.fails(args, 2);
    for n in needles {
        assert!(err.contains(n), "backstop {args:?}: expected {n:?} in {err}");
    }
    assert_eq!(env.facts(), before, "backstop {args:?} changed the database");
}

fn ready() -> Env {
    let env = Env::new();
    env.init();
    env.ok(&[
        "log",
        "--at",
        "2026-11-16 18:00",
        "chest-supported-row 3x10@30 rpe7 p2",
    ]);
    env.ok(&["checkin", "--at", "2026-11-17", "--pain", "2"]);
    env
}

#[test]
fn impossible_pain_scores() {
    let env = ready();
    refused(
        &env,
        &["checkin", "--pain", "11"],
        &["pain", "11", "0 (none) to 10"],
    );
    refused(&env, &["checkin", "--pain", "-1"], &["pain"]);
    refused(&env, &["checkin", "--pain", "two"], &["pain", "two"]);
    refused(
        &env,
        &["checkin", "--pain", "3", "--stiffness", "12"],
        &["stiffness"],
    );
    refused(
        &env,
        &["log", "chest-supported-row 3x10@30 p11"],
        &["p11", "pain"],
    );
    refused(
        &env,
        &["log", "--pain-before", "12", "chest-supported-row 3x10@30"],
        &["--pain-before", "12"],
    );
    refused(
        &env,
        &["log", "--session-rpe", "11", "chest-supported-row 3x10@30"],
        &["--session-rpe"],
    );
    refused(
        &env,
        &["log", "--session-rpe", "7.3", "chest-supported-row 3x10@30"],
        &["steps of 0.5"],
    );
    refused(
        &env,
        &["log", "--minutes", "0", "chest-supported-row 3x10@30"],
        &["--minutes"],
    );
}

#[test]
fn negative_or_absurd_loads() {
    let env = ready();
    refused(
        &env,
        &["log", "chest-supported-row 3x10@-20"],
        &["\"3x10@-20\"", "load"],
    );
    refused(&env, &["log", "chest-supported-row 3x10@1500"], &["1000 kg"]);
    refused(&env, &["log", "chest-supported-row 3x10@3000lb"], &["1000 kg"]);
    refused(
        &env,
        &["log", "chest-supported-row 3x1000@30"],
        &["reps", "1 to 999"],
    );
}

#[test]
fn unknown_exercises_get_a_did_you_mean() {
    let env = ready();
    refused(
        &env,
        &["log", "chest-suported-row 3x10@30"],
        &["unknown exercise", "did you mean chest-supported-row"],
    );
    refused(
        &env,
        &["catalog", "show", "romanian-deadlfit"],
        &["did you mean romanian-deadlift"],
    );
    refused(
        &env,
        &["log", "zzqqxx 3x10"],
        &["unknown exercise \"zzqqxx\"", "catalog search"],
    );
}

#[test]
fn malformed_notation_quotes_the_token() {
    let env = ready();
    refused(
        &env,
        &["log", "chest-supported-row 3x10@30 rpe7 banana"],
        &["\"banana\""],
    );
    refused(
        &env,
        &["log", "chest-supported-row 3x10@30kgs"],
        &["\"3x10@30kgs\""],
    );
    refused(
        &env,
        &["log", "chest-supported-row three sets"],
        &["no SETSxREPS"],
    );
    refused(&env, &["log", "side-plank 3x10"], &["dosed in seconds"]);
    refused(
        &env,
        &["log", "chest-supported-row 3x10 p1,2"],
        &["2 pain values for 3 sets"],
    );
    // One bad group spoils the whole session: nothing of the good group is stored either.
    refused(
        &env,
        &["log", "bird-dog 3x8 p0", "chest-supported-row 3x10 rpe99"],
        &["rpe99"],
    );
    refused(&env, &["log"], &["give the sets"]);
}

#[test]
fn invalid_dates() {
    let env = ready();
    refused(
        &env,
        &["log", "--at", "2026-02-30", "bird-dog 3x8"],
        &["2026-02-30", "YYYY-MM-DD"],
    );
    refused(
        &env,
        &["log", "--at", "yesterday", "bird-dog 3x8"],
        &["yesterday"],
    );
    refused(
        &env,
        &["checkin", "--at", "2026-13-01", "--pain", "2"],
        &["2026-13-01"],
    );
    // The app leaves the remedy to the front end; the CLI names its own flags and commands (issue 14, point 2).
    refused(
        &env,
        &["log", "--at", "2099-01-01", "bird-dog 3x8"],
        &["the session is more than a day in the future; check --at"],
    );
    refused(
        &env,
        &["flare", "end", "--at", "2026-11-18 09:00"],
        &["there is no declared flare to end at that time; declare one with `backstop flare start`"],
    );
    refused(
        &env,
        &["history", "--from", "2026-11-20", "--to", "2026-11-01"],
        &["is after the last day"],
    );
    refused(&env, &["flare", "start", "--at", "20/11/2026"], &["20/11/2026"]);
}

#[test]
fn unknown_time_zones_and_profile_values() {
    let env = ready();
    refused(
        &env,
        &["init", "--no-input", "--tz", "Mars/Olympus"],
        &["Mars/Olympus", "IANA"],
    );
    refused(
        &env,
        &["init", "--no-input", "--equipment", "barbell,pullup-bar"],
        &["pullup-bar", "pull-up-bar"],
    );
    refused(&env, &["init", "--no-input", "--days", "mon,funday"], &["funday"]);
    refused(
        &env,
        &["init", "--no-input", "--aggravators", "jogging"],
        &["jogging"],
    );
    refused(&env, &["init", "--no-input", "--baseline-pain", "15"], &["15"]);
    refused(
        &env,
        &["init", "--no-input", "--red-flags", "headache"],
        &["headache", "saddle-numbness"],
    );
    refused(&env, &["init", "--no-input", "--minutes", "900"], &["minutes"]);
}

#[test]
fn a_new_profile_needs_the_screen_and_the_usual_pain() {
    let env = Env::new();
    let err = env.fails(&["init", "--no-input", "--baseline-pain", "2"], 2);
    assert!(err.contains("red-flag screen must be answered"), "{err}");
    let err = env.fails(&["init", "--no-input", "--red-flags", "none"], 2);
    assert!(err.contains("--baseline-pain is required"), "{err}");
    let err = env.fails(&["log", "bird-dog 3x8"], 2);
    assert!(err.contains("run `backstop init` first"), "{err}");
}

#[test]
fn session_documents_with_syntax_errors_or_wrong_fields() {
    let env = ready();
    let dir = env.dir.path();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let syntax = write(
        "syntax.json",
        "{\n  \"at\": \"2026-11-20 18:00\",\n  \"sets\": [ { \"exercise\": \"bird-dog\" \"reps\": 8 } ]\n}\n",
    );
    refused(
        &env,
        &["log", "--file", &syntax],
        &["syntax.json", "line 3", "column"],
    );
    let field = write(
        "field.json",
        r#"{ "sets": [ { "exercise": "bird-dog", "reps": 8, "lod_kg": 5 } ] }"#,
    );
    refused(
        &env,
        &["log", "--file", &field],
        &["field.json", "unknown field `lod_kg`"],
    );
    let pain = write(
        "pain.json",
        r#"{ "sets": [ { "exercise": "bird-dog", "reps": 8, "pain": 14 } ] }"#,
    );
    refused(&env, &["log", "--file", &pain], &["pain.json", "14"]);
    let felt = write(
        "felt.json",
        r#"{ "sets": [ { "exercise": "bird-dog", "reps": 8, "felt": "knee" } ] }"#,
    );
    refused(&env, &["log", "--file", &felt], &["knee"]);
    let unknown = write(
        "unknown.json",
        r#"{ "sets": [ { "exercise": "bird-dog", "reps": 8 }, { "exercise": "nope", "reps": 1 } ] }"#,
    );
    refused(&env, &["log", "--file", &unknown], &["sets[1].exercise", "nope"]);
    let dose = write(
        "dose.json",
        r#"{ "sets": [ { "exercise": "side-plank", "reps": 8 } ] }"#,
    );
    refused(&env, &["log", "--file", &dose], &["sets[0]", "seconds"]);
    let truncated = write("truncated.json", r#"{ "sets": [ { "exercise": "bird-dog", "re"#);
    refused(&env, &["log", "--file", &truncated], &["truncated.json", "EOF"]);
    let missing = dir.join("missing.json");
    refused(
        &env,
        &["log", "--file", missing.to_str().unwrap()],
        &["missing.json"],
    );
}

#[test]
fn broken_or_foreign_backups_change_nothing() {
    let env = ready();
    let dir = env.dir.path();
    let export = env.ok(&["export"]);
    // Into a non-empty database.
    let good = dir.join("good.json");
    std::fs::write(&good, &export).unwrap();
    refused(
        &env,
        &["import", "--backup", good.to_str().unwrap()],
        &["already holds data"],
    );

    let fresh = Env::new();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let truncated = write("truncated.json", &export[..export.len() / 2]);
    refused(
        &fresh,
        &["import", "--backup", &truncated],
        &["truncated.json", "line"],
    );
    let bad_ex = write(
        "bad_ex.json",
        &export.replace("\"chest-supported-row\"", "\"no-such-row\""),
    );
    refused(
        &fresh,
        &["import", "--backup", &bad_ex],
        &["unknown exercise", "no-such-row"],
    );
    let bad_pain = write("bad_pain.json", &export.replace("\"pain\": 2", "\"pain\": 12"));
    refused(&fresh, &["import", "--backup", &bad_pain], &["12"]);
    let bad_tz = write("bad_tz.json", &export.replace("Europe/London", "Europe/Atlantis"));
    refused(&fresh, &["import", "--backup", &bad_tz], &["Europe/Atlantis"]);
    // Issue 15, point 7, for restores too: a time before 1900 or more than a day ahead is refused, with its place.
    for (name, year) in [("old.json", "\"at\": \"18"), ("ahead.json", "\"at\": \"21")] {
        let shifted = write(name, &export.replacen("\"at\": \"20", year, 1));
        refused(&fresh, &["import", "--backup", &shifted], &[name, ".at", "1900"]);
    }
    let foreign = write(
        "foreign.json",
        &export.replace("backstop-export", "something-else"),
    );
    refused(&fresh, &["import", "--backup", &foreign], &["format"]);
    // The fresh database really is still empty: a good restore now works.
    fresh.ok(&["import", "--backup", good.to_str().unwrap()]);
}

#[test]
fn bad_custom_exercises_are_refused() {
    let env = ready();
    refused(
        &env,
        &[
            "catalog",
            "add",
            "--id",
            "Bad Id",
            "--name",
            "x",
            "--pattern",
            "hinge",
        ],
        &["kebab-case"],
    );
    refused(
        &env,
        &[
            "catalog",
            "add",
            "--id",
            "my-row",
            "--name",
            "Bent Over Row (Barbell)",
            "--pattern",
            "horizontal-pull",
        ],
        &["already used"],
    );
    refused(
        &env,
        &[
            "catalog",
            "add",
            "--id",
            "my-row",
            "--name",
            "My row",
            "--pattern",
            "sideways",
        ],
        &["sideways"],
    );
    refused(
        &env,
        &[
            "catalog",
            "add",
            "--id",
            "my-row",
            "--name",
            "My row",
            "--pattern",
            "hinge",
            "--compression",
            "5",
        ],
        &["compression 5"],
    );
    refused(
        &env,
        &[
            "catalog",
            "add",
            "--id",
            "my-row",
            "--name",
            "My row",
            "--pattern",
            "hinge",
            "--regression",
            "nothing-here",
        ],
        &["unknown exercise \"nothing-here\""],
    );
    let toml = env.dir.path().join("broken.toml");
    std::fs::write(&toml, "[[exercise]]\nid = \"x\"\nname = \n").unwrap();
    refused(
        &env,
        &["catalog", "add", "--file", toml.to_str().unwrap()],
        &["broken.toml", "line 3"],
    );
}

#[test]
fn postgres_urls_are_refused_clearly() {
    let env = Env::new();
    let err = env.fails(&["--db", "postgres://localhost/x", "catalog", "list"], 2);
    assert!(err.contains("--database-url"), "{err}");
    let err = env.fails(&["--database-url", "/tmp/backstop.db", "catalog", "list"], 2);
    assert!(
        err.contains("PostgreSQL address") && err.contains("--db"),
        "{err}"
    );
    let err = env.fails(
        &[
            "--db",
            "a.db",
            "--database-url",
            "postgres://localhost/x",
            "catalog",
            "list",
        ],
        2,
    );
    assert!(err.contains("not both"), "{err}");
    // Both from the environment: neither is typed, so neither wins.
    let out = env
        .cmd()
        .env("BACKSTOP_DB", "a.db")
        .env("BACKSTOP_DATABASE_URL", "postgres://localhost/x")
        .args(["catalog", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not both"));
}

#[test]
fn a_loaded_exercise_needs_its_weight() {
    // Issue 16, point 4: a loaded exercise could be logged with no load, silently.
    let env = Env::new();
    env.init();
    let e = env.fails(&["log", "--pain-before", "2", "chest-supported-row 3x10 p1"], 2);
    assert!(
        e.contains("chest-supported-row takes a weight") && e.contains("3 or 4 more reps"),
        "{e}"
    );
    let doc = env.dir.path().join("s.json");
    std::fs::write(
        &doc,
        r#"{"sets": [{"exercise": "dead-bug", "reps": 8, "pain": 1},
                     {"exercise": "lat-pulldown", "reps": 10, "pain": 1}]}"#,
    )
    .unwrap();
    let e = env.fails(&["log", "--file", doc.to_str().unwrap()], 2);
    assert!(e.contains("set 2: lat-pulldown takes a weight"), "{e}");
    assert!(
        env.json(&["history"]).as_array().unwrap().is_empty(),
        "nothing stored"
    );
    // Bodyweight work needs none, and 0 is a weight (an empty machine).
    env.ok(&[
        "log",
        "--pain-before",
        "2",
        "dead-bug 2x8 p1",
        "lat-pulldown 2x10@0 p1",
    ]);
}
