//! `backstop serve`: bad flags are refused; the server answers only with the key it printed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;

use crate::Env;

fn http_get(addr: &str, path: &str, cookie: Option<&str>) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{cookie}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn bad_addresses_and_keys_are_refused() {
    let env = Env::new();
    let e = env.fails(&["serve", "--addr", "localhost"], 2);
    assert!(e.contains("HOST:PORT"), "{e}");
    let e = env.fails(&["serve", "--key", "too-short"], 2);
    assert!(e.contains("at least 32"), "{e}");
    let e = env.fails(
        &[
            "serve",
            "--key",
            "with spaces and more than thirty-two characters",
        ],
        2,
    );
    assert!(e.contains("only letters"), "{e}");
}

/// The `name=value` of the session cookie a response sets.
fn session_cookie(response: &str) -> String {
    response
        .lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(h, _)| h.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.trim())
        .find(|v| v.starts_with("backstop_session="))
        .and_then(|v| v.split(';').next())
        .unwrap_or_else(|| panic!("no session cookie: {response}"))
        .to_owned()
}

/// Signs in with the key as a browser does (the login address) and returns the session cookie.
fn sign_in(addr: &str, key: &str) -> String {
    session_cookie(&http_get(addr, &format!("/login?key={key}"), None))
}

#[test]
fn the_server_opens_only_with_the_printed_key() {
    let env = Env::new();
    let mut child = env
        .spawnable()
        .env_remove("BACKSTOP_WEB_KEY")
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let login = loop {
        let line = lines.next().expect("serve printed no login address").unwrap();
        if let Some(i) = line.find("http://")
            && line.contains("/login?key=")
        {
            break line[i..].trim().to_owned();
        }
    };
    let rest = login.trim_start_matches("http://");
    let (addr, path) = rest.split_at(rest.find('/').unwrap());
    let key = path.split("key=").nth(1).unwrap().to_owned();
    assert_eq!(key.len(), 64, "a fresh 32-byte key");

    let without = http_get(addr, "/today", None);
    assert!(without.starts_with("HTTP/1.1 303"), "{without}");
    assert!(
        without
            .to_ascii_lowercase()
            .contains("location: /login?next=/today")
    );
    let login = http_get(addr, path, None);
    assert!(
        login
            .to_ascii_lowercase()
            .contains("set-cookie: backstop_session=")
            && !login.contains(&format!("={key}")),
        "a session token in the cookie, never the key: {login}"
    );
    let cookie = session_cookie(&login);
    // No profile yet: the key opens onboarding.
    let today = http_get(addr, "/today", Some(&cookie));
    assert!(
        today.to_ascii_lowercase().contains("location: /welcome"),
        "{today}"
    );
    let welcome = http_get(addr, "/welcome", Some(&cookie));
    assert!(welcome.starts_with("HTTP/1.1 200") && welcome.contains("Safety questions"));
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_key_given_by_environment_or_file_is_never_printed_and_opens_the_server() {
    // Issue 15, point 9: the key was printed at every start, even when it came from BACKSTOP_WEB_KEY.
    let env = Env::new();
    let key = "given-key-0123456789abcdefghijklmnopqrstuvwxyz";
    let key_file = env.dir.path().join("web.key");
    std::fs::write(&key_file, format!("{key}\n")).unwrap();
    for by_file in [false, true] {
        let mut cmd = env.spawnable();
        cmd.args(["serve", "--addr", "127.0.0.1:0"]);
        if by_file {
            cmd.env_remove("BACKSTOP_WEB_KEY")
                .arg("--key-file")
                .arg(&key_file);
        } else {
            cmd.env("BACKSTOP_WEB_KEY", key);
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let mut printed = String::new();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("serve printed its address").unwrap();
            printed.push_str(&line);
            if let Some(rest) = line.split("serving on http://").nth(1) {
                break rest.trim_end_matches('/').to_owned();
            }
        };
        for line in lines.by_ref() {
            let line = line.unwrap();
            printed.push_str(&line);
            if line.contains("Ctrl-C") {
                break;
            }
        }
        assert!(!printed.contains(key), "by file {by_file}: {printed}");
        assert!(printed.contains("with the access key you gave"), "{printed}");
        let today = http_get(&addr, "/today", Some(&sign_in(&addr, key)));
        assert!(
            today.to_ascii_lowercase().contains("location: /welcome"),
            "by file {by_file}: {today}"
        );
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let e = env.fails(&["serve", "--key-file", "/nonexistent/web.key"], 2);
    assert!(e.contains("--key-file"), "{e}");
}

#[test]
fn another_machines_address_needs_a_key_kept_out_of_the_process_list() {
    // Issue 18, point 2: `serve --addr 0.0.0.0:8080` used to start with a fresh key printed in the clear.
    let env = Env::new();
    let refused = |extra: &[&str]| {
        let out = env
            .spawnable()
            .env_remove("BACKSTOP_WEB_KEY")
            .args(["serve", "--addr", "0.0.0.0:0"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(out.stdout.is_empty(), "nothing served, nothing printed");
        String::from_utf8(out.stderr).unwrap()
    };
    let e = refused(&[]);
    assert!(
        e.contains("needs an access key") && e.contains("--key-file") && e.contains("BACKSTOP_WEB_KEY"),
        "{e}"
    );
    assert!(e.contains("TLS proxy"), "{e}");
    let e = refused(&["--key", "given-key-0123456789abcdefghijklmnopqrstuvwxyz"]);
    assert!(e.contains("process list") && e.contains("not --key"), "{e}");

    // With the key from the environment it starts, says where the phone signs in, and never prints the key.
    let key = "given-key-0123456789abcdefghijklmnopqrstuvwxyz";
    let mut child = env
        .spawnable()
        .env("BACKSTOP_WEB_KEY", key)
        .args(["serve", "--addr", "0.0.0.0:0", "--qr-with-key"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut printed = String::new();
    let mut port = None;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("serving on http://0.0.0.0:").nth(1) {
            port = Some(rest.trim_end_matches('/').to_owned());
        }
        printed.push_str(&line);
        printed.push('\n');
        if line.contains("Ctrl-C") {
            break;
        }
    }
    let port = port.expect("serve printed its address");
    assert!(!printed.contains(key), "{printed}");
    assert!(printed.contains("TLS proxy"), "{printed}");
    // Not a terminal: no QR code, even when asked to put the key in it.
    assert!(!printed.contains('\u{2588}'), "{printed}");
    let addr = format!("127.0.0.1:{port}");
    let today = http_get(&addr, "/today", Some(&sign_in(&addr, key)));
    assert!(
        today.to_ascii_lowercase().contains("location: /welcome"),
        "{today}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

/// One API call with the key; the status line's code and the JSON body.
fn api(addr: &str, key: &str, method: &str, path: &str, body: &[u8]) -> (u16, serde_json::Value) {
    // A JSON body says so; a file (an import) goes as text.
    let kind = if body.starts_with(b"{") {
        "application/json"
    } else {
        "text/csv"
    };
    let mut s = TcpStream::connect(addr).unwrap();
    // The request in one write, and the answer read until the server closes: a reset after the whole answer came
    // (the server closing a kept socket) is not an error of the call.
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    s.write_all(&request).unwrap();
    let mut raw = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && !raw.is_empty() => break,
            Err(e) => panic!("{method} {path}: {e} after {} bytes", raw.len()),
        }
    }
    let out = String::from_utf8(raw).unwrap();
    let code = out[9..12].parse().unwrap();
    let (_, json) = out.split_once("\r\n\r\n").unwrap();
    (
        code,
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {out}")),
    )
}

#[test]
fn the_cli_and_the_api_give_one_document_for_plans_history_status_settings_an_import_a_triage_and_a_checkin()
{
    // Issue 14, point 1: the same idea has one JSON shape, whichever front end prints it.
    let file = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../backstop-import/tests/data/hevy_kg.csv");
    let by_cli = Env::new();
    by_cli.init();
    let by_api = Env::new();
    by_api.init();
    for env in [&by_cli, &by_api] {
        env.ok(&["settings", "set", "ceiling_max", "4"]);
        // A session with pain recorded, a few days back, so that the ledger has an entry to compare.
        env.ok(&[
            "log",
            "--at",
            "2026-11-30 18:00",
            "--pain-before",
            "2",
            "chest-supported-row 3x10@30 rpe7 p2",
        ]);
    }
    let cli_import = by_cli.json(&["import", file.to_str().unwrap()]);
    let cli_settings = by_cli.json(&["settings"]);
    let cli_plan = by_cli.json(&["plan"]);
    let cli_week = by_cli.json(&["plan", "--week"]);
    let cli_history = by_cli.json(&["history"]);
    let mut cli_status = by_cli.json(&["status"]);
    let cli_load = by_cli.json(&["report", "--weeks", "4"]);
    let cli_range = by_cli.json(&["history", "--from", "2026-04-07", "--to", "2026-04-07"]);
    let cli_triage = by_cli.json(&[
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
    // The morning after the logged session: its verdict is settled.
    let cli_checkin = by_cli.json(&["checkin", "--at", "2026-12-01 08:00", "--pain", "3"]);

    let key = "k".repeat(40);
    let (mut child, addr) = by_api.serve(&key);
    let (code, api_import) = api(
        &addr,
        &key,
        "POST",
        "/api/v1/import",
        &std::fs::read(&file).unwrap(),
    );
    let (settings_code, api_settings) = api(&addr, &key, "GET", "/api/v1/settings", b"");
    let (plan_code, api_plan) = api(&addr, &key, "GET", "/api/v1/plan", b"");
    let (week_code, api_week) = api(&addr, &key, "GET", "/api/v1/plan/week", b"");
    let (history_code, api_history) = api(&addr, &key, "GET", "/api/v1/sessions", b"");
    let (status_code, mut api_status) = api(&addr, &key, "GET", "/api/v1/status", b"");
    let (load_code, api_load) = api(&addr, &key, "GET", "/api/v1/load?weeks=4", b"");
    let (_, api_range) = api(
        &addr,
        &key,
        "GET",
        "/api/v1/sessions?from=2026-04-07&to=2026-04-07",
        b"",
    );
    let triage = serde_json::json!({ "when": "hours", "where": "below-knee", "quality": "electric",
                                     "movement": "worsens", "trend": "same" });
    let (triage_code, api_triage) = api(
        &addr,
        &key,
        "POST",
        "/api/v1/triage",
        triage.to_string().as_bytes(),
    );
    let (checkin_code, api_checkin) = api(
        &addr,
        &key,
        "POST",
        "/api/v1/checkins",
        br#"{"at": "2026-12-01 08:00", "pain": 3}"#,
    );
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(code, 200, "{api_import}");
    assert_eq!(api_import, cli_import);
    assert!(cli_import["sessions_added"].as_u64().unwrap() > 0, "{cli_import}");
    assert!(
        cli_import["first"].as_str().unwrap().contains('T'),
        "{cli_import}"
    );
    assert_eq!((plan_code, week_code), (200, 200), "{api_plan}\n{api_week}");
    assert_eq!(api_plan, cli_plan);
    assert!(
        cli_plan["items"][0]["dose"]["text"].is_string(),
        "a dose is one object with its words: {cli_plan}"
    );
    assert_eq!(api_week, cli_week);
    assert_eq!(history_code, 200, "{api_history}");
    assert_eq!(api_history, cli_history);
    let sessions = cli_history.as_array().unwrap();
    assert!(!sessions.is_empty());
    assert!(
        sessions
            .iter()
            .all(|s| s["verdict"].is_string() && s["checkins"].is_array()),
        "{cli_history}"
    );
    assert_eq!(api_range, cli_range);
    assert_eq!(status_code, 200, "{api_status}");
    // Each is assessed at the moment it is asked, a few milliseconds apart.
    for s in [&mut cli_status, &mut api_status] {
        let at = s.as_object_mut().unwrap().remove("at").unwrap();
        assert!(at.as_str().unwrap().contains('T'), "{at}");
    }
    assert_eq!(api_status, cli_status);
    assert_eq!(load_code, 200, "{api_load}");
    assert_eq!(api_load, cli_load);
    assert!(cli_load["acwr"]["note"].is_string(), "{cli_load}");
    assert!(
        !cli_status["unrated"].as_array().unwrap().is_empty(),
        "the imported sets, without pain recorded, are listed as unrated: {cli_status}"
    );
    assert!(
        cli_status["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["exercise"] == "chest-supported-row" && e["dose"]["text"].is_string()),
        "the logged session is in the ledger: {cli_status}"
    );
    assert!(
        cli_status["red_flags"]["blocks_training"].is_boolean(),
        "{cli_status}"
    );
    assert_eq!(
        cli_range.as_array().unwrap().len(),
        1,
        "one workout on 7 April: {cli_range}"
    );
    assert_eq!(cli_week["days"].as_array().unwrap().len(), 7, "{cli_week}");
    assert_eq!(triage_code, 200, "{api_triage}");
    assert_eq!(api_triage, cli_triage);
    assert_eq!(checkin_code, 201, "{api_checkin}");
    assert_eq!(api_checkin, cli_checkin);
    assert_eq!(
        cli_checkin["verdicts"][0]["session_at"], "2026-11-30T18:00:00+00:00",
        "the check-in settles the session before it: {cli_checkin}"
    );
    assert_eq!(cli_triage["classification"], "nerve", "{cli_triage}");
    assert_eq!(cli_triage["missing"], serde_json::json!([]));
    assert_eq!(settings_code, 200, "{api_settings}");
    assert_eq!(api_settings, cli_settings);
    let ceiling = cli_settings
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "ceiling_max")
        .unwrap()
        .clone();
    assert_eq!(
        ceiling,
        serde_json::json!({ "name": "ceiling_max", "value": 4, "default": 5, "evidence": "A", "rule": "PM-2",
                            "is_default": false })
    );
}

#[test]
fn the_server_keeps_answering_when_its_output_is_closed() {
    // `backstop serve | head -1`, or a supervisor that stopped reading: the banner meets a closed pipe, and that
    // must not stop the server.
    let env = Env::new();
    env.init();
    let key = "k".repeat(40);
    let key_file = env.dir.path().join("web.key");
    std::fs::write(&key_file, &key).unwrap();
    // A free port chosen here, since the banner that would name it is never read.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let mut child = env
        .spawnable()
        .env_remove("BACKSTOP_WEB_KEY")
        .args(["serve", "--addr", &addr, "--key-file", key_file.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let answered = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        TcpStream::connect(&addr).is_ok()
    });
    assert!(answered, "the server never listened");
    let (code, _) = api(&addr, &key, "GET", "/api/v1/settings", b"");
    assert_eq!(code, 200);
    assert!(child.try_wait().unwrap().is_none(), "the server is still running");
    child.kill().unwrap();
    child.wait().unwrap();
}
