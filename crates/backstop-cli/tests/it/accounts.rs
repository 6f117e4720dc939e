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

    // The server with accounts: the admin signs in through the API with that password.
    let mut child = env
        .spawnable()
        .env_remove("BACKSTOP_WEB_KEY")
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
