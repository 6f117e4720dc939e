//! `backstop account add` and `serve --accounts`: the first admin made from the command line signs in to the
//! server it starts.

use std::io::{BufRead as _, Read as _, Write as _};

use crate::Env;

const PW: &str = "a long enough password";

fn add(env: &Env, args: &[&str], stdin: &str) -> std::process::Output {
    let mut c = env
        .spawnable()
        .args(["account", "add"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    c.wait_with_output().unwrap()
}

#[test]
fn the_first_admin_is_made_here_and_signs_in_to_the_server() {
    let env = Env::new();
    let out = add(
        &env,
        &[
            "--json",
            "--role",
            "admin",
            "--email",
            " Ada@Clinic.example",
            "--password-stdin",
        ],
        &format!("{PW}\n"),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let made: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(made["email"], "ada@clinic.example");
    assert_eq!(
        (made["role"].as_str(), made["name"].as_str()),
        (Some("admin"), Some("ada"))
    );
    // Refused, with exit code 2 and the reason: the address taken, a short password, an address that is not one,
    // and no terminal to ask on.
    for (args, stdin, says) in [
        (
            vec![
                "--role",
                "coach",
                "--email",
                "ada@clinic.example",
                "--password-stdin",
            ],
            format!("{PW}\n"),
            "already in use",
        ),
        (
            vec![
                "--role",
                "coach",
                "--email",
                "cole@clinic.example",
                "--password-stdin",
            ],
            "short\n".to_owned(),
            "at least 10",
        ),
        (
            vec!["--role", "coach", "--email", "cole", "--password-stdin"],
            format!("{PW}\n"),
            "not an email address",
        ),
        (
            vec!["--role", "coach", "--email", "cole@clinic.example"],
            String::new(),
            "--password-stdin",
        ),
    ] {
        let out = add(&env, &args, &stdin);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    env.fails(&["serve", "--accounts", "--key", &"k".repeat(40)], 2);

    // The server with accounts (a one-key server's key left in the environment is no obstacle): the admin signs in
    // through the API with that password.
    let mut child = env
        .spawnable()
        .env("BACKSTOP_WEB_KEY", "k".repeat(40))
        .args(["serve", "--accounts", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("with accounts"), "{first}");
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap()
        .to_owned();
    std::thread::spawn(move || lines.for_each(drop));
    let login = |password: &str| {
        let body = format!(r#"{{"email":"ada@clinic.example","password":"{password}"}}"#);
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            s,
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        answer
    };
    let ok = login(PW);
    let wrong = login("not the password");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(
        ok.contains("\"role\":\"admin\"") && ok.contains("\"token\":\""),
        "{ok}"
    );
    assert!(wrong.starts_with("HTTP/1.1 401"), "{wrong}");
}

/// A raw HTTP/1.1 request; the whole answer.
fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(req.as_bytes()).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    answer
}

fn body_of(answer: &str) -> serde_json::Value {
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {answer}"))
}

fn location(answer: &str) -> String {
    answer
        .lines()
        .find_map(|l| {
            l.strip_prefix("location: ")
                .or_else(|| l.strip_prefix("Location: "))
        })
        .unwrap_or_else(|| panic!("no redirect: {answer}"))
        .trim()
        .to_owned()
}

/// Starts `serve --accounts` on the environment's database (`url`: PostgreSQL, else the SQLite file); the child and
/// its address.
fn serve_accounts(env: &Env, url: Option<&str>) -> (std::process::Child, String) {
    let mut c = env.spawnable();
    if let Some(u) = url {
        c.env("BACKSTOP_DATABASE_URL", u);
    }
    let mut child = c
        .env_remove("BACKSTOP_WEB_KEY")
        .args(["serve", "--accounts", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap()
        .to_owned();
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
}

/// Two servers on one database serve the same clinic: a sign-in on one is good on the other, sets logged through
/// both in turn all land in the one session, and an undo made on one is used on the other.
fn two_servers_serve_one_clinic(url: Option<&str>) {
    let env = Env::new();
    let mut add_cmd = env.spawnable();
    if let Some(u) = url {
        add_cmd.env("BACKSTOP_DATABASE_URL", u);
    }
    let mut c = add_cmd
        .args([
            "account",
            "add",
            "--role",
            "athlete",
            "--email",
            "sam@example.com",
            "--password-stdin",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    c.stdin
        .take()
        .unwrap()
        .write_all(format!("{PW}\n").as_bytes())
        .unwrap();
    assert!(c.wait().unwrap().success());
    let (mut one, a) = serve_accounts(&env, url);
    let (mut two, b) = serve_accounts(&env, url);
    let json = [("Content-Type", "application/json")];
    let login = http(
        &a,
        "POST",
        "/api/v1/auth/login",
        &json,
        &format!(r#"{{"email":"sam@example.com","password":"{PW}"}}"#),
    );
    let token = body_of(&login)["token"].as_str().unwrap().to_owned();
    let bearer = format!("Bearer {token}");
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Content-Type", "application/json"),
    ];
    assert!(
        http(&b, "GET", "/api/v1/key", &auth, "").starts_with("HTTP/1.1 204"),
        "signed in on both"
    );
    let profile = r#"{"units":"kg","time_zone":"UTC","equipment":["dumbbell","cable","bench"],"days":["mon","wed","fri"],"minutes":45,"baseline_pain":2,"aggravators":[],"red_flags":[]}"#;
    assert!(http(&b, "PUT", "/api/v1/profile", &auth, profile).starts_with("HTTP/1.1 200"));
    let set = r#"{"exercise":"dead-bug","reps":8,"pain":2}"#;
    let started = http(
        &a,
        "POST",
        "/api/v1/sessions/start",
        &auth,
        &format!(r#"{{"pain_before":2,"set":{set}}}"#),
    );
    assert!(started.starts_with("HTTP/1.1 201"), "{started}");
    let id = body_of(&started)["session"].as_i64().unwrap();
    for i in 0..9 {
        let server = if i % 2 == 0 { &b } else { &a };
        let r = http(server, "POST", &format!("/api/v1/sessions/{id}/sets"), &auth, set);
        assert!(r.starts_with("HTTP/1.1 201"), "{r}");
        assert_eq!(body_of(&r)["position"], i + 1);
    }
    let sets = |server: &str| -> usize {
        body_of(&http(server, "GET", &format!("/api/v1/sessions/{id}"), &auth, ""))["sets"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!((sets(&a), sets(&b)), (10, 10));
    // A set deleted from the page on one server, undone on the other.
    let cookie = format!("backstop_session={token}");
    let page = [
        ("Cookie", cookie.as_str()),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Sec-Fetch-Site", "same-origin"),
    ];
    let deleted = http(&a, "POST", &format!("/sessions/{id}/sets/3/delete"), &page, "");
    let undo = location(&deleted);
    assert!(undo.contains("?undo="), "{deleted}");
    assert_eq!((sets(&a), sets(&b)), (9, 9));
    let token_part = undo.split("?undo=").nth(1).unwrap().to_owned();
    let back = http(&b, "POST", &format!("/undo/{token_part}"), &page, "");
    assert_eq!(location(&back), format!("/sessions/{id}"), "{back}");
    assert_eq!((sets(&a), sets(&b)), (10, 10));
    let again = http(&a, "POST", &format!("/undo/{token_part}"), &page, "");
    assert!(
        again.starts_with("HTTP/1.1 404"),
        "an undo is used once, whichever server: {again}"
    );
    for c in [&mut one, &mut two] {
        c.kill().unwrap();
        c.wait().unwrap();
    }
}

#[test]
fn two_servers_on_one_sqlite_file_serve_one_clinic() {
    two_servers_serve_one_clinic(None);
}

#[test]
fn two_servers_on_one_postgresql_database_serve_one_clinic() {
    if let Some(schema) = crate::PgSchema::new("backstop_cli_two_servers") {
        two_servers_serve_one_clinic(Some(&schema.url));
    }
}
