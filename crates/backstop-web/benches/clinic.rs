//! A clinic on PostgreSQL under load on loopback: 1,000 athletes with a year of training each (156 sessions of 18
//! sets, a next-morning and a second-morning check-in after each), a clinician who looks after 50 of them and a
//! coach who looks after all 1,000. Prints median and p99 latency and requests per second for the HTTP floor (an
//! authenticated empty route), the roster (page and API, cold and warm), and logging a set with 1 and 8 clients
//! (each client its own athlete).
//!
//! Run: `BACKSTOP_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench -p backstop-web --bench
//! clinic` (`BACKSTOP_TEST_DATABASE_URL` is used when the first is not set). It works in a schema of its own, dropped
//! at the end. Client, server and database share the machine's cores.

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::http::{Method, Request, header};
use backstop_app::App;
use backstop_app::backup::{Backup, BackupCheckIn, BackupProfile, BackupScreening};
use backstop_app::clock::SystemClock;
use backstop_app::store::{AthleteId, NewAccount, Role, Store, StoredCheckIn};
use backstop_core::facts::ScreeningContext;
use backstop_core::{CheckIn, Minutes, Pain, Profile, Rpe, Session, WeightUnit};
use backstop_db::PgStore;
use backstop_web::{AccessToken, WebOptions};
use common::{Http, report, timed};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use jiff::{SignedDuration, Timestamp};

/// Athletes on the server (`BENCH_ATHLETES` for a quicker run).
const ATHLETES: usize = 1000;
const CASELOAD: usize = 50;
const PW: &str = "a long enough password";

/// One athlete's year: profile, screen and check-ins restored in one transaction, sessions imported in batches.
async fn year(store: &PgStore, who: AthleteId, catalog: &backstop_core::Catalog, i: usize) {
    let now = Timestamp::now();
    let start = now - SignedDuration::from_hours(24 * 365);
    let profile = Profile {
        equipment: backstop_core::facts::COMMERCIAL_GYM.to_vec(),
        baseline_pain: Pain::new((i % 3) as u8 + 1).unwrap(),
        ..Profile::offered("Europe/London")
    };
    let groups = [
        "chest-supported-row 3x10@30 p2",
        "lat-pulldown 3x10@45 p2",
        "goblet-squat 3x8@20 p2",
        "dead-bug 3x8 p1",
        "side-plank 3x30s p2",
        "face-pull 3x15@15 p1",
    ];
    let sets: Vec<_> = groups
        .iter()
        .flat_map(|g| backstop_core::notation::parse_group(g, catalog, WeightUnit::Kg).unwrap())
        .collect();
    let mut sessions = Vec::new();
    let mut checkins = Vec::new();
    for k in 0..156i64 {
        let at = start + SignedDuration::from_hours(24 * (k * 7 / 3) + 18);
        sessions.push(Session {
            at,
            pain_before: Some(Pain::new(2).unwrap()),
            minutes: Some(Minutes::new(55).unwrap()),
            session_rpe: Some(Rpe::new(6.0).unwrap()),
            sets: sets.clone(),
            notes: None,
            source: None,
        });
        for h in [14, 38] {
            let c = CheckIn {
                at: at + SignedDuration::from_hours(h),
                pain: Pain::new(((k + h + i as i64) % 4) as u8).unwrap(),
                stiffness: None,
                muscle_soreness: false,
                leg_pain: false,
                numbness: false,
                weakness: false,
                leg_reach: None,
            };
            checkins.push(BackupCheckIn::from(&StoredCheckIn {
                recorded_at: c.at,
                checkin: c,
            }));
        }
    }
    let backup = Backup {
        format: "backstop-export".into(),
        version: 1,
        exported_at: now,
        profiles: vec![BackupProfile {
            recorded_at: start - SignedDuration::from_hours(24),
            profile,
        }],
        screenings: vec![BackupScreening {
            at: start - SignedDuration::from_hours(24),
            context: ScreeningContext::Onboarding,
            flags: Vec::new(),
        }],
        custom_exercises: Vec::new(),
        sessions: Vec::new(),
        checkins,
        flare_events: Vec::new(),
        clearances: Vec::new(),
        triages: Vec::new(),
    };
    store.restore(who, &backup).await.unwrap();
    store.import_batch(who, &[], &sessions, now).await.unwrap();
}

async fn store_pool(url: &str) -> sqlx::PgPool {
    sqlx::PgPool::connect(url).await.unwrap()
}

fn get(url: &str, token: &str) -> Request<Full<Bytes>> {
    Request::get(url)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Full::new(Bytes::new()))
        .unwrap()
}

fn post(url: &str, token: &str, body: &str) -> Request<Full<Bytes>> {
    Request::builder()
        .method(Method::POST)
        .uri(url)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body.to_owned())))
        .unwrap()
}

/// `n` GETs of `url` one after another.
async fn gets(name: &str, client: &Http, url: &str, token: &str, n: usize) {
    let started = Instant::now();
    let mut times = Vec::new();
    for _ in 0..n {
        let (status, t) = timed(client, get(url, token)).await;
        assert!((200..300).contains(&status), "{url}: {status}");
        times.push(t);
    }
    report(name, times, started.elapsed());
}

/// Each client logs `per_client` sets as its own athlete (a new session every 20 sets).
async fn log_sets(client: &Http, base: &str, tokens: &[String], per_client: usize) {
    let set = r#"{"exercise": "chest-supported-row", "reps": 10, "load_kg": 30, "rpe": 7, "pain": 1}"#;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for token in tokens {
        let (client, base, token) = (client.clone(), base.to_owned(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut id = 0;
            for i in 0..per_client {
                if i % 20 == 0 {
                    let start = format!(r#"{{"pain_before": 2, "set": {set}}}"#);
                    let res = client
                        .request(post(&format!("{base}/api/v1/sessions/start"), &token, &start))
                        .await
                        .unwrap();
                    let v: serde_json::Value =
                        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
                    id = v["session"].as_i64().unwrap();
                }
                let (status, t) = timed(
                    &client,
                    post(&format!("{base}/api/v1/sessions/{id}/sets"), &token, set),
                )
                .await;
                assert_eq!(status, 201);
                times.push(t);
            }
            times
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await.unwrap());
    }
    report(
        &format!("log a set, {} client(s), each its own athlete", tokens.len()),
        times,
        started.elapsed(),
    );
}

fn main() {
    let Some(base_url) = std::env::var("BACKSTOP_BENCH_DATABASE_URL")
        .ok()
        .or_else(|| std::env::var("BACKSTOP_TEST_DATABASE_URL").ok())
        .filter(|u| !u.is_empty())
    else {
        println!("clinic bench skipped: set BACKSTOP_BENCH_DATABASE_URL to a PostgreSQL server");
        return;
    };
    let athletes_n: usize = std::env::var("BENCH_ATHLETES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ATHLETES);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let schema = format!("backstop_bench_clinic_{}", std::process::id());
        let admin = sqlx::PgPool::connect(&base_url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&admin)
            .await
            .unwrap();
        let sep = if base_url.contains('?') { '&' } else { '?' };
        let url = format!("{base_url}{sep}options=-c%20search_path%3D{schema}");
        let store = PgStore::connect(&url, 16).await.unwrap();
        let app = App::new(Arc::new(store.clone()), Arc::new(SystemClock)).unwrap();
        let catalog = backstop_core::Catalog::builtin().unwrap();
        let phc = backstop_app::accounts::hash_password(PW).unwrap();
        let account = |email: String, role: Role| NewAccount {
            name: email.split('@').next().unwrap_or_default().to_owned(),
            email,
            role,
            password_phc: phc.clone(),
        };
        let t = Instant::now();
        let clinician = store
            .add_account(
                &account("pat@clinic.example".into(), Role::Clinician),
                Timestamp::now(),
            )
            .await
            .unwrap();
        let coach = store
            .add_account(
                &account("cole@clinic.example".into(), Role::Coach),
                Timestamp::now(),
            )
            .await
            .unwrap();
        let mut athletes = Vec::new();
        for i in 0..athletes_n {
            let a = store
                .add_account(
                    &account(format!("a{i}@example.com"), Role::Athlete),
                    Timestamp::now(),
                )
                .await
                .unwrap();
            athletes.push(a);
        }
        // The histories, eight athletes at a time.
        let mut tasks = tokio::task::JoinSet::new();
        for (i, a) in athletes.iter().enumerate() {
            let (store, catalog, who) = (store.clone(), catalog.clone(), a.athlete.unwrap());
            tasks.spawn(async move { year(&store, who, &catalog, i).await });
            if tasks.len() >= 8 {
                tasks.join_next().await.unwrap().unwrap();
            }
        }
        while let Some(r) = tasks.join_next().await {
            r.unwrap();
        }
        for (i, a) in athletes.iter().enumerate() {
            for staff in [&coach, &clinician] {
                if staff.id == clinician.id && i >= CASELOAD {
                    continue;
                }
                let token = app.invite(staff, Role::Athlete).await.unwrap();
                app.accept_invite_existing(&token, a).await.unwrap();
            }
        }
        // What autovacuum would have done by now on a clinic's server: the planner's statistics for the tables just
        // filled (without them, PostgreSQL reads a person's sets by scanning every person's).
        sqlx::query("ANALYZE").execute(&store_pool(&url).await).await.unwrap();
        println!(
            "{athletes_n} athletes × a year (156 sessions, 2,808 sets, 312 check-ins each) written in {:.0} s",
            t.elapsed().as_secs_f64()
        );

        let who = app.local_athlete().await.unwrap();
        let router = backstop_web::router(
            app.clone(),
            who,
            WebOptions {
                token: AccessToken::generate().unwrap(),
                secure_cookies: false,
                accounts: true,
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(backstop_web::serve(listener, router, std::future::pending()));
        let client: Http = Client::builder(TokioExecutor::new()).build_http();
        let login = |email: &str| {
            let (client, base, email) = (client.clone(), base.clone(), email.to_owned());
            async move {
                let body = format!(r#"{{"email":"{email}","password":"{PW}"}}"#);
                let res = client
                    .request(
                        Request::post(format!("{base}/api/v1/auth/login"))
                            .header(header::CONTENT_TYPE, "application/json")
                            .body(Full::new(Bytes::from(body)))
                            .unwrap(),
                    )
                    .await
                    .unwrap();
                let v: serde_json::Value =
                    serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
                v["token"].as_str().unwrap().to_owned()
            }
        };
        let pat = login("pat@clinic.example").await;
        let cole = login("cole@clinic.example").await;
        let mut athlete_tokens = Vec::new();
        for i in 0..8 {
            athlete_tokens.push(login(&format!("a{}@example.com", athletes_n - 1 - i)).await);
        }

        gets(
            "HTTP floor (GET /api/v1/key, signed in)",
            &client,
            &format!("{base}/api/v1/key"),
            &pat,
            2000,
        )
        .await;
        let roster = format!("{base}/api/v1/people");
        gets(
            &format!("roster of {CASELOAD}, cold (GET /api/v1/people)"),
            &client,
            &roster,
            &pat,
            1,
        )
        .await;
        gets(
            &format!("roster of {CASELOAD}, warm (GET /api/v1/people)"),
            &client,
            &roster,
            &pat,
            100,
        )
        .await;
        let page = || {
            Request::get(format!("{base}/people"))
                .header(header::COOKIE, format!("backstop_session={pat}"))
                .body(Full::new(Bytes::new()))
                .unwrap()
        };
        let started = Instant::now();
        let mut times = Vec::new();
        for _ in 0..100 {
            let (status, t) = timed(&client, page()).await;
            assert_eq!(status, 200);
            times.push(t);
        }
        report(
            &format!("roster of {CASELOAD}, warm (GET /people, the page)"),
            times,
            started.elapsed(),
        );
        gets(
            &format!("roster of {athletes_n}, cold (GET /api/v1/people)"),
            &client,
            &roster,
            &cole,
            1,
        )
        .await;
        gets(
            &format!("roster of {athletes_n}, warm (GET /api/v1/people)"),
            &client,
            &roster,
            &cole,
            10,
        )
        .await;
        log_sets(&client, &base, &athlete_tokens[..1], 400).await;
        log_sets(&client, &base, &athlete_tokens, 100).await;

        store.close().await;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
    });
}
