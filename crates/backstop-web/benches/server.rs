//! The server under load on loopback, over a ten-year history (1,500 sessions, 30,000 sets, 3,000 check-ins in
//! a SQLite file): today's plan (JSON and the Today page), the History and Trends pages, and logging a set, each for a fixed number of requests
//! from concurrent clients; prints median and p99 latency and requests per second.
//!
//! Run: `cargo bench -p backstop-web --bench server` (release profile). Client and server share this process and
//! the machine's cores, so the figures are conservative for a server with the machine to itself.

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{Method, Request, header};
use backstop_app::App;
use backstop_app::clock::SystemClock;
use backstop_app::store::Store;
use backstop_core::vocab::{Equipment, Weekday};
use backstop_core::{CheckIn, Minutes, Pain, Profile, Rpe, Session, WeightUnit};
use backstop_db::SqliteStore;
use backstop_web::{AccessToken, WebOptions};
use common::{Http, median_p99, report, timed};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use jiff::{SignedDuration, Timestamp};

const KEY: &str = "bench-key-0123456789abcdefghijklmnopqrstuv";

/// The session cookie of a browser signed in with the key (set once the store is open).
static COOKIE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn cookie() -> String {
    COOKIE.get().cloned().unwrap_or_default()
}
const CLIENTS: usize = 8;

async fn history(app: &App, store: &SqliteStore) {
    let who = app.local_athlete().await.unwrap();
    let profile = Profile {
        units: WeightUnit::Kg,
        time_zone: "Europe/London".into(),
        equipment: vec![
            Equipment::Dumbbell,
            Equipment::Cable,
            Equipment::Barbell,
            Equipment::TrapBar,
            Equipment::Bench,
        ],
        days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
        minutes: Minutes::new(60).unwrap(),
        baseline_pain: Pain::new(2).unwrap(),
        aggravators: vec![],
        training_years: Some(10),
        settings: Default::default(),
        goal_lifts: Vec::new(),
        usual_leg_symptoms: None,
        not_planned: Vec::new(),
    };
    app.init(who, profile, Some(vec![])).await.unwrap();
    let catalog = app.catalog(who).await.unwrap();
    let groups = [
        "chest-supported-row 4x10@30 p1",
        "lat-pulldown 4x10@45 p1",
        "trap-bar-deadlift 4x6@80 p2",
        "dead-bug 3x8 p0",
        "side-plank 3x30s p1",
        "face-pull 2x15@15 p0",
    ];
    let now = Timestamp::now();
    let start = now - SignedDuration::from_hours(24 * 3752);
    let mut sessions = Vec::new();
    let mut checkins = Vec::new();
    for i in 0..1500i64 {
        let at = start + SignedDuration::from_hours(24 * (i * 10 / 4) + 18);
        let sets = groups
            .iter()
            .flat_map(|g| backstop_core::notation::parse_group(g, &catalog, WeightUnit::Kg).unwrap())
            .collect();
        sessions.push(Session {
            at,
            pain_before: Some(Pain::new(2).unwrap()),
            minutes: Some(Minutes::new(55).unwrap()),
            session_rpe: Some(Rpe::new(6.0).unwrap()),
            sets,
            notes: None,
            source: None,
        });
        for h in [14, 38] {
            checkins.push(CheckIn {
                at: at + SignedDuration::from_hours(h),
                pain: Pain::new(((i + h) % 4) as u8).unwrap(),
                stiffness: None,
                muscle_soreness: false,
                leg_pain: false,
                numbness: false,
                weakness: false,
                leg_reach: None,
            });
        }
    }
    store.import_batch(who, &[], &sessions, now).await.unwrap();
    for c in &checkins {
        store.add_checkin(who, c, now).await.unwrap();
    }
    let sets: usize = sessions.iter().map(|s| s.sets.len()).sum();
    println!(
        "history: {} sessions, {sets} sets, {} check-ins",
        sessions.len(),
        checkins.len()
    );
}

async fn call(client: &Http, method: Method, url: &str, body: Option<&str>) -> (u16, Duration) {
    let mut b = Request::builder()
        .method(method)
        .uri(url)
        .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
        .header(header::COOKIE, cookie());
    if body.is_some() {
        b = b.header(header::CONTENT_TYPE, "application/json");
    }
    let req = b
        .body(Full::new(Bytes::from(body.unwrap_or_default().to_owned())))
        .unwrap();
    timed(client, req).await
}

/// `total` requests from `clients` concurrent clients; prints the figures.
async fn load(
    name: &str,
    client: &Http,
    (method, url, body): (Method, String, Option<String>),
    clients: usize,
    total: usize,
) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let client = client.clone();
        let (method, url, body) = (method.clone(), url.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for _ in 0..total / clients {
                let (status, t) = call(&client, method.clone(), &url, body.as_deref()).await;
                assert!(status < 400, "{url}: status {status}");
                times.push(t);
            }
            times
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await.unwrap());
    }
    report(name, times, started.elapsed());
}

/// Starts a session through the API with its first set; returns its id and the time the request took.
async fn start_session(client: &Http, base: &str) -> (i64, Duration) {
    let start = r#"{"pain_before": 2, "set": {"exercise": "chest-supported-row", "reps": 10, "load_kg": 30, "pain": 1}}"#;
    let t = Instant::now();
    let res = client
        .request(
            Request::post(format!("{base}/api/v1/sessions/start"))
                .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Full::new(Bytes::from(start)))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let took = t.elapsed();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    (v["session"].as_i64().unwrap(), took)
}

async fn log_sets(client: &Http, base: &str, clients: usize, total: usize) {
    let set = r#"{"exercise": "chest-supported-row", "reps": 10, "load_kg": 30, "rpe": 7, "pain": 1}"#;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, base) = (client.clone(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            let (mut times, mut starts) = (Vec::new(), Vec::new());
            let mut id = 0;
            for i in 0..total / clients {
                if i % 20 == 0 {
                    let (opened, took) = start_session(&client, &base).await;
                    id = opened;
                    starts.push(took);
                }
                let (status, t) = call(
                    &client,
                    Method::POST,
                    &format!("{base}/api/v1/sessions/{id}/sets"),
                    Some(set),
                )
                .await;
                assert_eq!(status, 201);
                times.push(t);
            }
            (times, starts)
        }));
    }
    let (mut times, mut starts) = (Vec::new(), Vec::new());
    for t in tasks {
        let (sets, opened) = t.await.unwrap();
        times.extend(sets);
        starts.extend(opened);
    }
    let wall = started.elapsed();
    report(
        &format!("log a set (POST /api/v1/sessions/{{id}}/sets), {clients} client(s)"),
        times,
        wall,
    );
    // The starts among those requests (one in 21): a new session with its first set, while the other clients log
    // theirs. Latency only: they are not a throughput of their own.
    let (median, p99) = median_p99(&mut starts);
    println!(
        "  of them: start a session with its first set (POST /api/v1/sessions/start), {clients} client(s): {} starts  \
         median {median:.2} ms  p99 {p99:.2} ms",
        starts.len()
    );
}

/// What a logged set costs below HTTP, in the same run and on the same disk: the server's own work for a set once
/// the request is read (`App::log_set`: the person's kept context, checked against their revision, then the set
/// checked and stored with its receipt and the revisions in one short transaction), a statement through sqlx that reads nothing (the hand-over to the
/// connection's thread and back, which every statement pays), the smallest write transaction through sqlx (one row
/// into a table of its own file, in WAL mode with `synchronous = NORMAL` as the store, SQLite's default log
/// copying), and that transaction run by SQLite 1,000 times in one call (its own cost, without a hand-over per
/// transaction; sqlx still passes each statement's result through a channel). The HTTP floor's multiple that logging
/// a set can reach is bounded by these.
async fn write_floors(client: &Http, base: &str, app: &App, dir: &std::path::Path) {
    use sqlx::{Connection, Executor};
    let who = app.local_athlete().await.unwrap();
    let set: backstop_core::document::SetDoc = serde_json::from_str(
        r#"{"exercise": "chest-supported-row", "reps": 10, "load_kg": 30, "rpe": 7, "pain": 1}"#,
    )
    .unwrap();
    let mut times = Vec::new();
    let started = Instant::now();
    let mut id = 0;
    for i in 0..500 {
        if i % 20 == 0 {
            id = start_session(client, base).await.0;
        }
        let t = Instant::now();
        app.log_set(who, id, &set, None).await.unwrap();
        times.push(t.elapsed());
    }
    report(
        "  below HTTP: the server's write of a set (App::log_set)",
        times,
        started.elapsed(),
    );

    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(dir.join("probe.db"))
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
    let mut conn = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
    conn.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)")
        .await
        .unwrap();
    let mut timed_statement = async |name: &str, sql: &'static str| {
        let mut times = Vec::new();
        let started = Instant::now();
        for _ in 0..1000 {
            let t = Instant::now();
            sqlx::query(sql).execute(&mut conn).await.unwrap();
            times.push(t.elapsed());
        }
        report(name, times, started.elapsed());
    };
    timed_statement("  sqlx: a statement that reads nothing (SELECT 1)", "SELECT 1").await;
    timed_statement(
        "  sqlx: the smallest write transaction (one row)",
        "BEGIN IMMEDIATE; INSERT INTO probe (v) VALUES (1); COMMIT",
    )
    .await;
    // SQLite alone: a thousand of those transactions in one statement list, run once to prepare them and then
    // timed, so that no round trip between threads per transaction is in the figure.
    let many: &'static str = "BEGIN IMMEDIATE; INSERT INTO probe (v) VALUES (1); COMMIT; "
        .repeat(1000)
        .leak();
    let mut runs = Vec::new();
    for _ in 0..6 {
        let t = Instant::now();
        sqlx::query(many).execute(&mut conn).await.unwrap();
        runs.push(t.elapsed().as_secs_f64() * 1e6 / 1000.0);
    }
    runs.remove(0);
    runs.sort_by(f64::total_cmp);
    println!(
        "  SQLite alone: that transaction, 1,000 per call: median {:.1} us each (min {:.1}, max {:.1}, 5 calls)",
        runs[2], runs[0], runs[4]
    );
    conn.close().await.unwrap();
}

/// One person at the gym: post a set from the page, then load the page it leads to (one at a time).
async fn gym_page(client: &Http, base: &str, total: usize) {
    let mut times = Vec::new();
    let started = Instant::now();
    let mut id = 0;
    for i in 0..total {
        if i % 20 == 0 {
            id = start_session(client, base).await.0;
        }
        let form = format!("session={id}&exercise=chest-supported-row&load=30&reps=10&rpe=7&pain=1");
        times.push(set_and_page(client, base, form).await);
    }
    report(
        "log a set from the page (POST + GET /today)",
        times,
        started.elapsed(),
    );
}

/// A form posted from a page, with the browser's cookie; returns the status and the time it took.
async fn post_form(client: &Http, url: String, form: String) -> (u16, Duration) {
    let req = Request::post(url)
        .header(header::COOKIE, cookie())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Full::new(Bytes::from(form)))
        .unwrap();
    timed(client, req).await
}

/// A set posted from the Today page, then the page it redirects to: the time both took.
async fn set_and_page(client: &Http, base: &str, form: String) -> Duration {
    let (status, post) = post_form(client, format!("{base}/today/sets"), form).await;
    assert_eq!(status, 303);
    let (status, page) = call(
        client,
        Method::GET,
        &format!("{base}/today?logged=chest-supported-row"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    post + page
}

/// A session started as at the gym: Today is opened (after the last session was finished, so it assesses the
/// history again; not timed), pain before is given and the first set posted, then the page it leads to is loaded
/// (timed: the set and that page).
async fn first_sets(client: &Http, base: &str, app: &App, total: usize) {
    // The sessions the other runs left under way are finished first: Today would otherwise show one of them.
    let who = app.local_athlete().await.unwrap();
    while let Some(open) = app.open_session(who).await.unwrap() {
        app.finish_session(
            who,
            open.id,
            backstop_core::Minutes::new(40).unwrap(),
            Rpe::new(6.0).unwrap(),
        )
        .await
        .unwrap();
    }
    let mut times = Vec::new();
    let started = Instant::now();
    for _ in 0..total {
        let (status, _) = call(client, Method::GET, &format!("{base}/today"), None).await;
        assert_eq!(status, 200);
        let at = Timestamp::now().as_second();
        let form = format!("started={at}&p0=2&exercise=chest-supported-row&load=30&reps=10&rpe=7&pain=1");
        times.push(set_and_page(client, base, form).await);
        // Finished, so that the next one is a new session whose history has changed.
        let open = app.open_session(who).await.unwrap().unwrap().id;
        let (status, _) = post_form(
            client,
            format!("{base}/today/finish"),
            format!("session={open}&minutes=40&session_rpe=6"),
        )
        .await;
        assert_eq!(status, 303);
    }
    report(
        "start a session: first set from the page + GET /today",
        times,
        started.elapsed(),
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open_for_server(&dir.path().join("bench.db"), 8)
            .await
            .unwrap();
        let app = App::new(Arc::new(store.clone()), Arc::new(SystemClock)).unwrap();
        let t = Instant::now();
        history(&app, &store).await;
        println!("written in {:.1} s", t.elapsed().as_secs_f64());
        let who = app.local_athlete().await.unwrap();
        let token = app.open_web_session(KEY).await.unwrap();
        COOKIE.get_or_init(|| format!("backstop_session={token}"));
        let router = backstop_web::router(
            app.clone(),
            who,
            WebOptions {
                token: AccessToken::from_secret(KEY).unwrap(),
                secure_cookies: false,
                accounts: false,
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(backstop_web::serve(listener, router, std::future::pending()));
        let client: Http = Client::builder(TokioExecutor::new()).build_http();

        // Warm up (the first request assesses ten years once; later ones reuse it until a fact changes).
        let (_, cold) = call(&client, Method::GET, &format!("{base}/api/v1/plan"), None).await;
        println!(
            "first plan (reads and assesses ten years): {:.1} ms",
            cold.as_secs_f64() * 1000.0
        );
        // The HTTP floor: an authenticated route that reads and writes nothing, from one client and from eight.
        let floor = || (Method::GET, format!("{base}/api/v1/key"), None);
        load(
            "HTTP floor (GET /api/v1/key), 1 client",
            &client,
            floor(),
            1,
            1000,
        )
        .await;
        load(
            "HTTP floor (GET /api/v1/key), 8 clients",
            &client,
            floor(),
            CLIENTS,
            4000,
        )
        .await;
        load(
            "today's plan (GET /api/v1/plan)",
            &client,
            (Method::GET, format!("{base}/api/v1/plan"), None),
            CLIENTS,
            4000,
        )
        .await;
        load(
            "today's page (GET /today)",
            &client,
            (Method::GET, format!("{base}/today"), None),
            CLIENTS,
            4000,
        )
        .await;
        // Pages over the whole history: the newest page of it, and twelve weeks of load with their charts.
        load(
            "history page (GET /history), 1 client",
            &client,
            (Method::GET, format!("{base}/history"), None),
            1,
            200,
        )
        .await;
        load(
            "history page (GET /history)",
            &client,
            (Method::GET, format!("{base}/history"), None),
            CLIENTS,
            1000,
        )
        .await;
        load(
            "trends page (GET /trends)",
            &client,
            (Method::GET, format!("{base}/trends"), None),
            CLIENTS,
            1000,
        )
        .await;

        // Starting a session from the page, each after the last was finished (before the runs below, which leave
        // a hundred sessions under way, far more than one person has).
        first_sets(&client, &base, &app, 30).await;
        // Sessions of twenty sets, as at the gym: each client logs into its own session and starts a new one
        // every twenty sets.
        log_sets(&client, &base, 1, 500).await;
        log_sets(&client, &base, CLIENTS, 4000).await;
        write_floors(&client, &base, &app, dir.path()).await;
        // The gym page as it is used: a set posted from the page, then the page it redirects to.
        gym_page(&client, &base, 200).await;
    });
}
