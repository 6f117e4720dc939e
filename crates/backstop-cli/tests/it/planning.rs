//! `backstop plan` and `backstop triage` as a person would use them.

use serde_json::Value;

use crate::Env;

fn gym(env: &Env) {
    env.ok(&[
        "init",
        "--no-input",
        "--units",
        "kg",
        "--tz",
        "UTC",
        "--equipment",
        "dumbbell,cable,bench,barbell,trap-bar",
        "--days",
        "mon,wed,fri",
        "--minutes",
        "45",
        "--baseline-pain",
        "2",
        "--aggravators",
        "sitting",
        "--red-flags",
        "none",
    ]);
}

#[test]
fn a_first_plan_brings_one_change_and_says_why() {
    let env = Env::new();
    gym(&env);
    let p = env.json(&["plan", "--date", "2026-12-07"]);
    assert_eq!(p["date"], "2026-12-07");
    assert_eq!(p["mode"], "train");
    let items = p["items"].as_array().unwrap();
    assert!(items.len() >= 5, "{p}");
    assert_eq!(items.iter().filter(|i| i["novelty"] == true).count(), 1);
    assert_eq!(items[0]["slot"], "warm-up");
    for i in items {
        for f in ["exercise", "slot", "dose", "novelty", "retest", "reasons"] {
            assert!(i.get(f).is_some(), "plan item lacks {f}");
        }
        for f in [
            "sets",
            "reps",
            "seconds",
            "metres",
            "load_kg",
            "load_lb",
            "target_rpe",
            "text",
        ] {
            assert!(i["dose"].get(f).is_some(), "plan item's dose lacks {f}");
        }
        assert!(!i["reasons"].as_array().unwrap().is_empty());
    }
    assert!(p["estimated_minutes"].as_f64().unwrap() <= 45.0);
    let text = env.ok(&["plan", "--date", "2026-12-07"]);
    assert!(text.contains("NEW") && text.contains("why:"), "{text}");
}

#[test]
fn pain_today_changes_the_plan() {
    let env = Env::new();
    gym(&env);
    let p = env.json(&["plan", "--date", "2026-12-07", "--pain-now", "6"]);
    assert_eq!(p["mode"], "recovery");
    assert!(
        p["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["exercise"] == "walking")
    );
    let err = env.fails(&["plan", "--pain-now", "11"], 2);
    assert!(err.contains("--pain-now"), "{err}");
    let err = env.fails(&["plan", "--minutes", "0"], 2);
    assert!(err.contains("--minutes"), "{err}");
}

#[test]
fn a_week_plan_and_a_blocked_plan() {
    let env = Env::new();
    gym(&env);
    let w = env.json(&["plan", "--week", "--date", "2026-12-09"]);
    assert_eq!(w["week_start"], "2026-12-07");
    let days = w["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!(
        days.iter().filter(|d| !d["plan"].is_null()).count(),
        3,
        "Mon, Wed and Fri of a week still to come"
    );
    env.cmd()
        .args(["screen", "--red-flags", "saddle-numbness"])
        .output()
        .unwrap();
    let out = env.cmd().args(["--json", "plan"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let p: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(p["mode"], "blocked");
    assert!(p["items"].as_array().unwrap().is_empty());
}

#[test]
fn triage_by_flags() {
    let env = Env::new();
    gym(&env);
    let r = env.json(&[
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
        "--pain",
        "4",
    ]);
    assert_eq!(r["classification"], "soreness");
    assert!(r["urgency"].is_null());
    // The pain was recorded as a soreness check-in: it does not count against anything.
    assert_eq!(env.facts()["checkins"][0]["muscle_soreness"], true);
    let r = env.json(&[
        "triage",
        "--when",
        "hours",
        "--where",
        "below-knee",
        "--quality",
        "electric",
        "--movement",
        "worsens",
        "--trend",
        "same",
    ]);
    assert_eq!(
        (r["classification"].as_str(), r["urgency"].as_str()),
        (Some("nerve"), Some("soon"))
    );
    let r = env.json(&[
        "triage",
        "--when",
        "days",
        "--where",
        "spine",
        "--quality",
        "sharp",
        "--movement",
        "worsens",
        "--trend",
        "worse",
    ]);
    assert_eq!(r["classification"], "pain");
    let out = env
        .cmd()
        .args([
            "--json",
            "triage",
            "--when",
            "days",
            "--where",
            "spine",
            "--quality",
            "ache",
            "--movement",
            "worsens",
            "--trend",
            "worse",
            "--bladder-change",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (r["classification"].as_str(), r["urgency"].as_str()),
        (Some("red_flag"), Some("emergency"))
    );
    assert_eq!(env.facts()["triages"].as_array().unwrap().len(), 4);
    let err = env.fails(&["triage", "--no-input", "--when", "days"], 2);
    assert!(err.contains("--where") && err.contains("--trend"), "{err}");
    let err = env.fails(
        &[
            "triage",
            "--no-input",
            "--when",
            "yesterday",
            "--where",
            "spine",
            "--quality",
            "ache",
            "--movement",
            "eases",
            "--trend",
            "same",
        ],
        2,
    );
    assert!(err.contains("yesterday") && err.contains("next-day"), "{err}");
}

#[test]
fn a_red_flag_acts_even_when_the_other_triage_questions_are_unanswered() {
    let env = Env::new();
    gym(&env);
    // Saddle numbness with a bladder change is an emergency whatever else is true.
    let out = env
        .cmd()
        .args([
            "--json",
            "triage",
            "--no-input",
            "--numbness",
            "--saddle-numbness",
            "--bladder-change",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (r["classification"].as_str(), r["urgency"].as_str()),
        (Some("red_flag"), Some("emergency"))
    );
    assert!(r["missing"].as_array().unwrap().len() == 5, "{r}");
    let screens = env.facts()["screenings"].as_array().unwrap().clone();
    assert_eq!(
        screens.len(),
        1 + 1,
        "the onboarding screen and this one: {screens:?}"
    );
    // Training stops until a clinician clears it.
    let out = env.cmd().args(["--json", "plan"]).output().unwrap();
    let p: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(p["mode"], "blocked");
    // Without a red flag, missing answers still record nothing.
    let before = env.facts();
    env.fails(&["triage", "--no-input", "--when", "days"], 2);
    assert_eq!(env.facts(), before);
}

#[test]
fn the_load_report_matches_the_contract() {
    let env = Env::new();
    gym(&env);
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
            "50",
            "--session-rpe",
            "6",
            "lat-pulldown 3x10@40 p1",
        ]);
        env.ok(&["checkin", "--at", next, "--pain", "2"]);
    }
    let r = env.json(&["report", "--date", "2026-11-08", "--weeks", "2"]);
    assert_eq!(
        (r["from"].as_str(), r["to"].as_str()),
        (Some("2026-10-26"), Some("2026-11-08"))
    );
    let daily = r["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 14);
    let mon = daily.iter().find(|d| d["date"] == "2026-11-02").unwrap();
    assert_eq!(
        (
            mon["load"].as_f64(),
            mon["pain_before"].as_u64(),
            mon["pain_during_max"].as_u64(),
            mon["pain_24h"].as_u64()
        ),
        (Some(300.0), Some(2), Some(1), Some(2))
    );
    assert!(mon["pain_48h"].is_null());
    let weeks = r["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 2);
    assert_eq!(weeks[1]["week_start"], "2026-11-02");
    assert_eq!(weeks[1]["load"], 900.0);
    assert!(weeks[1]["change_pct"].is_null(), "the week before had no load");
    assert_eq!(weeks[1]["monotony"], 0.87);
    assert_eq!(weeks[1]["hard_sets"]["vertical-pull"], 9);
    assert!(r["acwr"]["ratio"].is_null());
    assert!(
        r["acwr"]["note"]
            .as_str()
            .unwrap()
            .contains("does not predict injury")
    );
    let text = env.ok(&["report", "--date", "2026-11-08", "--weeks", "2"]);
    assert!(text.contains("monotony") && text.contains("2026-11-02"), "{text}");
    let err = env.fails(&["report", "--weeks", "0"], 2);
    assert!(err.contains("--weeks"), "{err}");
}

#[test]
fn goal_lifts_get_a_ladder_in_status_and_bad_ones_are_refused() {
    let env = Env::new();
    gym(&env);
    // Unknown, and a lift with no way in: refused with the field named, the profile unchanged.
    let e = env.fails(&["init", "--no-input", "--goal-lifts", "deadlfit"], 2);
    assert!(e.contains("--goal-lifts") && e.contains("deadlfit"), "{e}");
    let e = env.fails(&["init", "--no-input", "--goal-lifts", "hip-hinge-dowel"], 2);
    assert!(e.contains("no ladder"), "{e}");
    let s = env.json(&["status"]);
    assert_eq!(s["ladders"].as_array().unwrap().len(), 0, "{s}");
    // By name, as another app would spell it, or by id.
    let out = env.ok(&[
        "init",
        "--no-input",
        "--goal-lifts",
        "conventional-deadlift, Barbell Row",
    ]);
    assert!(
        out.contains("goal lifts: conventional-deadlift, barbell-bent-over-row"),
        "{out}"
    );
    let s = env.json(&["status"]);
    let ladders = s["ladders"].as_array().unwrap();
    assert_eq!(ladders.len(), 2, "{s}");
    let dl = &ladders[0];
    assert_eq!(dl["goal"], "conventional-deadlift");
    let rungs = dl["rungs"].as_array().unwrap();
    assert_eq!(rungs.last().unwrap(), "conventional-deadlift");
    assert!(rungs.len() >= 2 && dl["position"].is_null(), "{dl}");
    let text = env.ok(&["status"]);
    assert!(
        text.contains("Goal lifts") && text.contains("not started"),
        "{text}"
    );
    // The first plan starts one of the ladders, as its one change, and says so.
    let p = env.json(&["plan", "--date", "2026-12-07"]);
    let firsts: Vec<&Value> = ladders.iter().map(|l| &l["rungs"][0]).collect();
    let started: Vec<&Value> = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| firsts.contains(&&i["exercise"]))
        .filter(|i| {
            i["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r.as_str().unwrap().contains("PG-8"))
        })
        .collect();
    assert_eq!(started.len(), 1, "{p}");
    assert_eq!(started[0]["novelty"], true);
    // `none` clears them.
    env.ok(&["init", "--no-input", "--goal-lifts", "none"]);
    assert_eq!(env.json(&["status"])["ladders"].as_array().unwrap().len(), 0);
}

#[test]
fn why_shows_the_ladder_step_and_the_effort_ceiling() {
    let env = Env::new();
    gym(&env);
    for (day, next) in [("2026-11-16", "2026-11-17"), ("2026-11-18", "2026-11-19")] {
        env.ok(&[
            "log",
            "--at",
            &format!("{day} 18:00"),
            "--pain-before",
            "2",
            "chest-supported-row 3x12@30 p1",
        ]);
        env.ok(&["checkin", "--at", &format!("{next} 08:00"), "--pain", "2"]);
    }
    let w = env.json(&["why", "chest-supported-row", "--date", "2026-11-19"]);
    assert_eq!(w["next"], "progress", "{w}");
    assert_eq!(w["step"], "effort", "{w}");
    assert_eq!(w["effort_cap"], 6.0, "{w}");
    assert_eq!(w["dose"]["target_rpe"], 7.0, "{w}");
    let text = env.ok(&["why", "chest-supported-row", "--date", "2026-11-19"]);
    assert!(
        text.contains("effort ceiling: RPE 6") && text.contains("PG-3"),
        "{text}"
    );
}

/// The arguments after `cargo run --release --` in the README's first setup command.
fn readme_first_command() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("cargo run --release -- init"))
        .expect("the README's first command runs init");
    line.trim_start_matches("cargo run --release -- ")
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_readmes_first_command_ends_with_the_first_session_and_the_next_steps() {
    let env = Env::new();
    let args = readme_first_command();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = env.ok(&refs);
    assert!(out.contains("Profile created"), "{out}");
    assert!(out.contains("Your first session"), "{out}");
    // The plan itself: its exercises (as the same command gives them in JSON), the one new thing, the reasons.
    let twin = Env::new();
    let mut j = vec!["--json"];
    j.extend(refs.iter().copied());
    let v: Value = serde_json::from_str(&twin.ok(&j)).unwrap();
    let p = &v["first_session"];
    for item in p["items"].as_array().unwrap() {
        let name = item["name"].as_str().unwrap();
        assert!(out.contains(name), "{name} missing from:\n{out}");
    }
    assert!(out.contains("why:"), "{out}");
    // The two next steps, one line each.
    assert!(out.contains("log it:") && out.contains("backstop log"), "{out}");
    assert!(out.contains("backstop serve"), "{out}");
    // A real gym, not bodyweight only.
    assert!(!out.contains("bodyweight only"), "{out}");
}

#[test]
fn init_json_carries_the_first_session() {
    let env = Env::new();
    let mut args = readme_first_command();
    args.insert(0, "--json".into());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let v: Value = serde_json::from_str(&env.ok(&refs)).unwrap();
    let first = &v["first_session"];
    assert_eq!(first["mode"], "train", "{v}");
    let items = first["items"].as_array().unwrap();
    assert!(items.iter().filter(|i| i["novelty"] == true).count() <= 1);
    assert!(items.iter().any(|i| i["slot"] != "warm-up"), "{v}");
    // A red flag that pauses training gives no first session.
    let env = Env::new();
    let mut args = readme_first_command();
    let at = args.iter().position(|a| a == "--red-flags").unwrap();
    args[at + 1] = "bladder-change".into();
    args.insert(0, "--json".into());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = env.cmd().args(&refs).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["first_session"].is_null(), "{v}");
}

#[test]
fn the_red_flags_added_by_the_clinical_corrections_act_from_the_cli() {
    // Each new switch alone: recorded as a screen, with its level (NICE NG65, IFOMPT 2020, NICE CKS).
    for (args, urgency, blocks) in [
        (&["--inflammatory-back-pain"][..], "soon", false),
        (&["--infection-risk"][..], "soon", false),
        (&["--infection-risk", "--night-pain"][..], "urgent", true),
        (&["--minor-trauma", "--age-over-70"][..], "urgent", true),
        (&["--cancer-history"][..], "soon", false),
        (&["--dark-urine"][..], "urgent", true),
    ] {
        let env = Env::new();
        gym(&env);
        let out = env
            .cmd()
            .args(["--json", "triage", "--no-input"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(if blocks { 3 } else { 2 }),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r["urgency"], urgency, "{args:?}: {r}");
        let screens = env.facts()["screenings"].as_array().unwrap().clone();
        let last = screens.last().unwrap()["flags"].as_array().unwrap().clone();
        assert_eq!(last.len(), args.len(), "{args:?}: {last:?}");
    }
    // Dark urine after training keeps training paused until a clearance, not only for 72 hours.
    let env = Env::new();
    gym(&env);
    let five_days_ago = (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(5 * 24))
        .strftime("%Y-%m-%d")
        .to_string();
    let out = env
        .cmd()
        .args([
            "--json",
            "triage",
            "--no-input",
            "--when",
            "next-day",
            "--where",
            "muscle",
            "--quality",
            "ache",
            "--movement",
            "eases",
            "--trend",
            "same",
            "--dark-urine",
            "--at",
            &five_days_ago,
        ])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (r["classification"].as_str(), r["urgency"].as_str()),
        (Some("red_flag"), Some("urgent"))
    );
    assert!(r["advice"].as_str().unwrap().contains("cleared"), "{r}");
    let p: serde_json::Value =
        serde_json::from_slice(&env.cmd().args(["--json", "plan"]).output().unwrap().stdout).unwrap();
    assert_eq!(p["mode"], "blocked", "five days on, still paused: {p}");
    env.ok(&["clearance"]);
    let p = env.json(&["plan"]);
    assert_ne!(p["mode"], "blocked");
}

#[test]
fn usual_leg_symptoms_from_the_profile_are_not_new() {
    let env = Env::new();
    gym(&env);
    env.ok(&["init", "--no-input", "--usual-leg-symptoms", "thigh"]);
    assert_eq!(
        env.facts()["profiles"].as_array().unwrap().last().unwrap()["profile"]["usual_leg_symptoms"],
        "thigh"
    );
    env.ok(&[
        "log",
        "--at",
        "2026-11-02 18:00",
        "--pain-before",
        "2",
        "lat-pulldown 3x10@40 p1",
    ]);
    // Usual leg pain, as far as the thigh: no re-screen, and the session is judged on its pain.
    let c = env.json(&[
        "checkin",
        "--at",
        "2026-11-03",
        "--pain",
        "2",
        "--leg-reach",
        "thigh",
    ]);
    assert_eq!(c["rescreen_needed"], false, "{c}");
    let s = env.json(&["status", "--date", "2026-11-03 09:00"]);
    assert_eq!(s["exercises"][0]["last_verdict"], "green", "{s}");
    assert!(
        s["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["rule"] != "PM-4"),
        "{s}"
    );
    // Further down than usual: new, red, and the questions come back.
    let c = env.json(&[
        "checkin",
        "--at",
        "2026-11-04",
        "--pain",
        "2",
        "--leg-reach",
        "below-knee",
    ]);
    assert_eq!(c["rescreen_needed"], true, "{c}");
    let err = env.fails(&["checkin", "--pain", "2", "--leg-reach", "knee"], 2);
    assert!(err.contains("below-knee"), "{err}");
}

#[test]
fn a_date_before_1900_is_refused_and_stores_nothing() {
    let env = Env::new();
    gym(&env);
    let before = env.facts();
    let err = env.fails(&["log", "--at", "0000-01-01", "lat-pulldown 3x10@40 p1"], 2);
    assert!(err.contains("before 1900"), "{err}");
    let err = env.fails(&["checkin", "--at", "1899-12-31", "--pain", "2"], 2);
    assert!(err.contains("before 1900"), "{err}");
    assert_eq!(env.facts(), before);
}

#[test]
fn a_negative_pain_is_refused_by_name() {
    let env = Env::new();
    gym(&env);
    let before = env.facts();
    let err = env.fails(&["checkin", "--pain", "-1"], 2);
    assert!(err.contains("--pain") && err.contains("0 (none) to 10"), "{err}");
    let err = env.fails(&["log", "--pain-before", "-3", "lat-pulldown 3x10@40 p1"], 2);
    assert!(err.contains("--pain-before"), "{err}");
    assert_eq!(env.facts(), before);
}

#[test]
fn a_setting_of_the_wrong_kind_or_sign_is_refused_in_words() {
    // Issue 15, point 10: `settings set ceiling_max 1e9` said "expected u8", and a negative value never reached
    // backstop ("unexpected argument '-3'").
    let env = Env::new();
    gym(&env);
    let before = env.facts();
    for value in ["1e9", "-3"] {
        let err = env.fails(&["settings", "set", "ceiling_max", value], 2);
        assert!(
            err.contains("ceiling_max") && err.contains("it takes a whole number"),
            "{value}: {err}"
        );
        assert!(
            !err.contains("expected u8") && !err.contains("unexpected argument"),
            "{err}"
        );
    }
    assert_eq!(env.facts(), before);
}

#[test]
fn a_session_document_that_is_not_an_object_is_refused_by_what_it_is() {
    // Issue 15, point 10: a top-level list said "expected a string at line 1 column 2".
    let env = Env::new();
    gym(&env);
    let before = env.facts();
    for (text, what) in [
        ("[1,2]", "this one is a list"),
        ("\"sets\"", "this one is a string"),
        ("42", "not an object"),
    ] {
        let path = env.dir.path().join("doc.json");
        std::fs::write(&path, text).unwrap();
        let err = env.fails(&["log", "--file", path.to_str().unwrap()], 2);
        assert!(
            err.contains("one JSON object with \"sets\"") && err.contains(what),
            "{text}: {err}"
        );
    }
    assert_eq!(env.facts(), before);
}

#[test]
fn a_check_in_for_tomorrow_and_a_word_for_a_time_are_refused_plainly() {
    // Issue 16, point 9: a check-in dated tomorrow was stored, and `--at yesterday` answered with the date
    // parser's complaint about the year's digits.
    let env = Env::new();
    gym(&env);
    let before = env.facts();
    let tomorrow = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(20);
    let err = env.fails(&["checkin", "--pain", "2", "--at", &tomorrow.to_string()], 2);
    assert!(
        err.contains("a check-in is for pain you feel now or felt earlier"),
        "{err}"
    );
    let err = env.fails(&["checkin", "--pain", "2", "--at", "yesterday"], 2);
    assert!(err.contains("it does not start with a date"), "{err}");
    assert!(!err.contains("four digit integer"), "{err}");
    assert_eq!(env.facts(), before);
}

#[test]
fn catalog_search_explains_its_spine_letters() {
    // Issue 16, point 9: "C1 S0 F0 E0 R0" with no legend.
    let env = Env::new();
    gym(&env);
    let out = env.cmd().args(["catalog", "search", "row"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("spine C"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("C compression, S shear, F flexion, E extension, R rotation"),
        "{err}"
    );
}

#[test]
fn why_shows_a_recorded_rpe_as_recorded() {
    // Issue 16, point 9: the history line of `why` printed a logged RPE 7 as a ceiling, "(RPE ≤ 7)".
    let env = Env::new();
    gym(&env);
    env.ok(&["log", "chest-supported-row 3x10@30 rpe7.5 p2"]);
    let out = env.ok(&["why", "chest-supported-row"]);
    let line = out
        .lines()
        .skip_while(|l| !l.contains("history:"))
        .find(|l| l.contains("3×10 @ 30 kg"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("at RPE 7.5") && !line.contains('≤'), "{line}");
}

#[test]
fn a_session_logged_without_pain_before_says_what_the_ceiling_rested_on() {
    // Issue 16, point 9: `log` with no `--pain-before` silently recorded none.
    let env = Env::new();
    gym(&env);
    let out = env.ok(&["log", "chest-supported-row 3x10@30 p2"]);
    assert!(out.contains("No pain before the session was given"), "{out}");
    assert!(out.contains("set from your usual pain"), "{out}");
    assert!(
        out.contains("set from your usual pain, 2, to pain"),
        "one space, not a source line's indentation: {out}"
    );
    let out = env.ok(&["log", "--pain-before", "2", "chest-supported-row 3x10@30 p2"]);
    assert!(!out.contains("No pain before"), "{out}");
}

/// The README tour's commands, continuation lines joined, comments left out, each split into its arguments (the
/// tour quotes with double quotes only).
fn readme_tour() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let tour = readme
        .split("## A short tour")
        .nth(1)
        .and_then(|t| t.split("```sh").nth(1))
        .and_then(|t| t.split("```").next())
        .expect("the README has a tour in a sh block");
    let joined = tour.replace("\\\n", " ");
    joined
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("backstop "))
        .map(|l| {
            let mut args = Vec::new();
            let (mut cur, mut quoted, mut any) = (String::new(), false, false);
            for c in l.trim_start_matches("backstop ").chars() {
                match c {
                    '"' => {
                        quoted = !quoted;
                        any = true;
                    }
                    c if c.is_whitespace() && !quoted => {
                        if any {
                            args.push(std::mem::take(&mut cur));
                            any = false;
                        }
                    }
                    c => {
                        cur.push(c);
                        any = true;
                    }
                }
            }
            if any {
                args.push(cur);
            }
            args
        })
        .collect()
}

#[test]
fn the_readme_tour_runs_as_written() {
    // Issue 16, point 9: the tour named a session file that did not exist and logged three new exercises at once.
    run_the_tour(None);
}

#[test]
fn the_readme_tour_runs_on_postgresql_too() {
    // Issue 13, point 1: every command works on either backend.
    let Some(schema) = crate::PgSchema::new("backstop_cli_tour") else {
        return;
    };
    let url = schema.url.clone();
    let env = run_the_tour(Some(&url));
    // The facts are on the server, not in a file.
    assert!(!env.db().exists(), "no SQLite file was made");
    let out = env
        .cmd()
        .env("BACKSTOP_DATABASE_URL", &url)
        .args(["--json", "history"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(history.as_array().is_some_and(|h| h.len() >= 3), "{history}");
}

/// Runs every `backstop` line of the README's tour, on the SQLite file or on the PostgreSQL database at `url`.
fn run_the_tour(url: Option<&str>) -> Env {
    let env = Env::new();
    let work = tempfile::tempdir().unwrap();
    let examples = work.path().join("examples");
    std::fs::create_dir(&examples).unwrap();
    for f in ["session.json", "strong_workouts.csv"] {
        std::fs::copy(
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../examples")
                .join(f),
            examples.join(f),
        )
        .unwrap();
    }
    let tour = readme_tour();
    assert!(tour.len() >= 15, "{tour:?}");
    for args in &tour {
        let mut cmd = env.cmd();
        if let Some(url) = url {
            cmd.env("BACKSTOP_DATABASE_URL", url);
        }
        let out = cmd.args(args).current_dir(work.path()).output().unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(out.status.success(), "backstop {args:?}\n{stdout}\n{stderr}");
        assert!(
            !stdout.contains("changes in one session"),
            "backstop {args:?}\n{stdout}"
        );
    }
    assert!(work.path().join("report.html").exists());
    env
}

#[test]
fn the_report_explains_monotony_and_strain() {
    // Issue 16, point 9: the report never explained monotony and strain.
    let env = Env::new();
    gym(&env);
    let out = env.ok(&["report", "--weeks", "2"]);
    assert!(
        out.contains("monotony: the mean daily load over its day-to-day spread"),
        "{out}"
    );
    assert!(
        out.contains("strain: the week's load times its monotony"),
        "{out}"
    );
    assert!(!out.contains("-100%"), "{out}");
}

#[test]
fn the_calendar_file_holds_the_planned_sessions_and_their_check_ins() {
    // Issue 18, point 5.
    let env = Env::new();
    env.ok(&[
        "init",
        "--units",
        "kg",
        "--tz",
        "UTC",
        "--equipment",
        "dumbbell,cable",
        "--days",
        "mon,wed,fri",
        "--minutes",
        "45",
        "--baseline-pain",
        "2",
        "--red-flags",
        "none",
    ]);
    let file = env.dir.path().join("backstop.ics");
    let out = env.ok(&["calendar", "--out", file.to_str().unwrap(), "--weeks", "3"]);
    assert!(
        out.contains("planned session") && out.contains("3 weeks"),
        "{out}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.trim_end().ends_with("END:VCALENDAR"));
    let sessions = text.matches("UID:session-").count();
    // Three training days a week for three weeks from today: 8 or 9 of them, depending on today.
    assert!((8..=9).contains(&sessions), "{sessions}");
    assert_eq!(text.matches("UID:checkin-20").count(), sessions);
    assert!(text.contains("BEGIN:VALARM"));
    // Standard output, and JSON with a file.
    let stdout = env.ok(&["calendar"]);
    assert!(stdout.contains("BEGIN:VCALENDAR"));
    let j = env.json(&["calendar", "--out", file.to_str().unwrap()]);
    assert_eq!(j["weeks"], 2);
    assert!(
        j["sessions"].as_u64().is_some_and(|n| (5..=6).contains(&n)),
        "{j}"
    );
    let e = env.fails(&["calendar", "--weeks", "9"], 2);
    assert!(e.contains("1 to 8 weeks"), "{e}");
}
