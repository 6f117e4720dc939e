//! The `backstop` command as a person runs it, on ten years of training imported from a Strong export (1,568
//! workouts, 31,360 sets): each command's wall time as a whole process (median and slowest of 15 runs) and its peak
//! memory (the process's high-water mark, read from `/proc` every millisecond while it runs, so a peak in its last
//! millisecond can be missed). The first command folds every session and keeps a fold checkpoint; its own figures
//! are printed beside each command's median.
//!
//! Then `backstop serve` on the same database, with eight clients reading its pages at once from a cold start: its
//! resident memory afterwards and at its peak.
//!
//! Run: `cargo bench -p backstop-cli --bench commands` (release profile). The figures go in the README.

#![allow(missing_docs, clippy::unwrap_used)]

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WORKOUTS: i64 = 1_568;

/// Ten years of three workouts a week, 20 sets each, in Strong's export layout.
fn csv() -> String {
    let mut s = String::from(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n",
    );
    let groups = [
        ("Seated Row (Cable)", 4),
        ("Lat Pulldown (Cable)", 4),
        ("Trap Bar Deadlift", 4),
        ("Plank", 2),
        ("Face Pull (Cable)", 4),
        ("Dead Bug", 2),
    ];
    for w in 0..WORKOUTS {
        let day = jiff::civil::date(2016, 12, 1)
            .checked_add(jiff::Span::new().days(w * 7 / 3))
            .unwrap();
        for (name, sets) in groups {
            for set in 1..=sets {
                let (weight, reps, secs) = match name {
                    "Plank" => (0, 0, 45),
                    "Dead Bug" => (0, 8, 0),
                    _ => (40 + w % 20, 8, 0),
                };
                let _ = writeln!(
                    s,
                    "{day} 18:00:00,Back day,1h 5m,{name},{set},{weight},{reps},0,{secs},,,7"
                );
            }
        }
    }
    s
}

/// A memory figure of a running process, in KiB, from `/proc/PID/status` (`field` as "VmHWM:").
fn proc_kb(pid: u32, field: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Runs the command once; its wall time and peak memory in KiB.
fn run(db: &Path, args: &[&str]) -> (Duration, u64) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_backstop"))
        .args(args)
        .env("BACKSTOP_DB", db)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut peak = 0;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "backstop {args:?} failed");
            return (start.elapsed(), peak);
        }
        if let Some(kb) = proc_kb(child.id(), "VmHWM:") {
            peak = peak.max(kb);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ten-years.db");
    let file = dir.path().join("strong.csv");
    std::fs::write(&file, csv()).unwrap();
    run(
        &db,
        &[
            "init",
            "--no-input",
            "--units",
            "kg",
            "--tz",
            "UTC",
            "--baseline-pain",
            "2",
            "--red-flags",
            "none",
        ],
    );
    let (t, _) = run(&db, &["import", file.to_str().unwrap(), "--unit", "kg"]);
    println!(
        "ten years imported: {WORKOUTS} workouts, {} sets, in {:.2} s",
        WORKOUTS * 20,
        t.as_secs_f64()
    );
    let commands: [&[&str]; 6] = [
        &["status"],
        &["plan"],
        &["why", "lat-pulldown"],
        &["history", "--json"],
        &["report", "--weeks", "8", "--json"],
        &["checkin", "--no-input", "--pain", "2"],
    ];
    for args in commands {
        let mut runs: Vec<(Duration, u64)> = (0..15).map(|_| run(&db, args)).collect();
        // The first command after the import folds every session and keeps a fold checkpoint; the others resume
        // from it. Its figures are printed apart.
        let first = runs[0];
        runs.sort();
        println!(
            "backstop {:<28} median {:>6.1} ms  slowest {:>6.1} ms  peak memory {:>5.1} MB  (first run {:.1} ms, {:.1} MB)",
            args.join(" "),
            runs[runs.len() / 2].0.as_secs_f64() * 1e3,
            runs[runs.len() - 1].0.as_secs_f64() * 1e3,
            runs.iter().map(|r| r.1).max().unwrap_or(0) as f64 / 1024.0,
            first.0.as_secs_f64() * 1e3,
            first.1 as f64 / 1024.0
        );
    }
    serve_memory(&db);
}

/// One HTTP/1.1 GET with the access key; the status line's code.
fn get(port: u16, path: &str, key: &str) -> u16 {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8_lossy(&answer)
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// `backstop serve` on the ten-year database: eight clients read Today, History, Status and the week at once from a
/// cold start (40 requests each), then its resident memory and its peak are read from `/proc`.
fn serve_memory(db: &Path) {
    let key = "bench-key-bench-key-bench-key-bench-key";
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_backstop"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("BACKSTOP_DB", db)
        .env("BACKSTOP_WEB_KEY", key)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "serve did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pages = ["/today", "/history", "/status", "/week"];
    std::thread::scope(|s| {
        for client in 0..8 {
            s.spawn(move || {
                for k in 0..40 {
                    let path = pages[(client + k) % pages.len()];
                    assert_eq!(get(port, path, key), 200, "{path}");
                }
            });
        }
    });
    let mb = |field: &str| proc_kb(server.id(), field).unwrap_or(0) as f64 / 1024.0;
    println!(
        "backstop serve, 8 clients x 40 page reads from a cold start: resident {:.1} MB, peak {:.1} MB",
        mb("VmRSS:"),
        mb("VmHWM:")
    );
    server.kill().unwrap();
    server.wait().unwrap();
}
