//! Red flags: what each level prints, exit code 3 while training is blocked, and clearance.

use crate::Env;

fn init_with(env: &Env, flags: &str) -> std::process::Output {
    env.cmd()
        .args([
            "init",
            "--no-input",
            "--tz",
            "UTC",
            "--baseline-pain",
            "3",
            "--red-flags",
            flags,
        ])
        .output()
        .unwrap()
}

#[test]
fn an_emergency_answer_blocks_until_clearance() {
    let env = Env::new();
    let out = init_with(&env, "saddle-numbness");
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("emergency"), "{text}");
    assert!(text.contains("saddle-numbness"), "{text}");
    assert!(
        text.contains("does not") || text.contains("cannot tell"),
        "no diagnosis wording: {text}"
    );
    // The profile and the answers are kept.
    let facts = env.facts();
    assert_eq!(facts["screenings"][0]["flags"][0], "saddle-numbness");
    assert_eq!(facts["profiles"].as_array().unwrap().len(), 1);
    // A later clean screen does not lift an emergency.
    let err = env
        .cmd()
        .args(["screen", "--red-flags", "none"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(3));
    env.ok(&["clearance", "--note", "seen in A&E, cleared"]);
    let v = env.json(&["screen", "--red-flags", "none"]);
    assert_eq!(v["training_blocked"], false);
}

#[test]
fn urgent_pauses_and_soon_only_advises() {
    let env = Env::new();
    let out = init_with(&env, "fever");
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("48 hours"));

    let env = Env::new();
    let out = init_with(&env, "thoracic-pain,weight-loss");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1–2 weeks"), "{text}");
    assert!(
        text.contains("thoracic-pain") && text.contains("weight-loss"),
        "{text}"
    );
}

#[test]
fn cancer_history_with_a_nerve_sign_is_an_emergency() {
    let env = Env::new();
    let v = env
        .cmd()
        .args([
            "--json",
            "init",
            "--no-input",
            "--tz",
            "UTC",
            "--baseline-pain",
            "3",
            "--red-flags",
            "cancer-history,numbness",
        ])
        .output()
        .unwrap();
    assert_eq!(v.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(v["red_flags"]["urgency"], "emergency");
    assert_eq!(v["training_blocked"], true);
}

#[test]
fn leg_symptoms_ask_for_the_screen_again() {
    let env = Env::new();
    env.init();
    let out = env.ok(&["checkin", "--pain", "4", "--leg-pain", "--no-input"]);
    assert!(out.contains("backstop screen"), "{out}");
    let v = env.json(&["checkin", "--pain", "4", "--numbness"]);
    assert_eq!(v["rescreen_needed"], true);
    let out = env.ok(&["log", "bird-dog 3x8 p3 leg"]);
    assert!(out.contains("leg") && out.contains("backstop screen"), "{out}");
    // Answering the screen with an emergency item blocks.
    let out = env
        .cmd()
        .args(["screen", "--red-flags", "both-legs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn every_red_flag_switch_of_triage_says_what_it_means() {
    // Issue 16, point 9: 18 of 19 switches said only "answer yes to `x`".
    let env = Env::new();
    let help = env.ok(&["triage", "--help"]);
    assert!(!help.contains("answer yes to"), "{help}");
    for flag in backstop_core::redflags::RedFlag::ALL {
        assert!(help.contains(&format!("--{}", flag.as_str())), "{flag:?}");
    }
    assert!(
        help.contains("saddle area") && help.contains("shoulder"),
        "{help}"
    );
}
