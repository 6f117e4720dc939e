//! Isolation on a clinic's server, as a property: interleaved requests by several athletes, coaches and clinicians
//! (and an admin), with links taken back along the way, never return or change a fact of an athlete the caller may
//! not reach: those requests get 403 or 404 and a problem document, and every other athlete's facts stay as they
//! were. On SQLite always, and on PostgreSQL when `BACKSTOP_TEST_DATABASE_URL` names a server.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::http::StatusCode;
use backstop_app::store::{Account, Role, Store};
use backstop_db::{PgStore, SqliteStore};
use proptest::prelude::*;

use crate::accounts::{Browser, Clinic, PW, onboarding_form};

/// What a request does.
#[derive(Debug, Clone)]
enum Op {
    /// A read of one of the athlete documents, naming `target` (header).
    Read { kind: usize, target: usize },
    /// A check-in written for `target`.
    CheckIn { target: usize },
    /// One session, by id, of `owner`, naming `target`.
    Session { owner: usize, target: usize },
    /// Deleting the first set of one of `owner`'s sessions, naming `target`.
    DeleteSet { owner: usize, target: usize },
    /// The roster.
    Roster,
    /// Athlete `athlete` takes back their link to `staff`.
    Revoke { athlete: usize, staff: usize },
}

const READS: [&str; 4] = [
    "/api/v1/status",
    "/api/v1/sessions",
    "/api/v1/plan",
    "/api/v1/profile",
];
const ATHLETES: usize = 3;

fn op() -> impl Strategy<Value = (usize, Op)> {
    let who = 0..6usize; // 0..3 athletes, 3 coach, 4 clinician, 5 admin
    let t = 0..ATHLETES;
    (
        who,
        prop_oneof![
            (0..READS.len(), t.clone()).prop_map(|(kind, target)| Op::Read { kind, target }),
            t.clone().prop_map(|target| Op::CheckIn { target }),
            (t.clone(), t.clone()).prop_map(|(owner, target)| Op::Session { owner, target }),
            (t.clone(), t.clone()).prop_map(|(owner, target)| Op::DeleteSet { owner, target }),
            Just(Op::Roster),
            (t.clone(), 3..5usize).prop_map(|(athlete, staff)| Op::Revoke { athlete, staff }),
        ],
    )
}

struct World {
    c: Clinic,
    accounts: Vec<Account>,
    tokens: Vec<String>,
    /// Athlete ids, by athlete index.
    ids: Vec<i64>,
    /// Each athlete's session ids.
    sessions: Vec<Vec<i64>>,
    /// (staff index, athlete index) links in force.
    links: BTreeSet<(usize, usize)>,
}

async fn world(store: Arc<dyn Store>) -> World {
    let c = Clinic::on(store).await;
    let mut accounts = Vec::new();
    for (email, role) in [
        ("a0@example.com", Role::Athlete),
        ("a1@example.com", Role::Athlete),
        ("a2@example.com", Role::Athlete),
        ("coach@clinic.example", Role::Coach),
        ("physio@clinic.example", Role::Clinician),
        ("admin@clinic.example", Role::Admin),
    ] {
        accounts.push(c.app.create_account(email, email, role, PW).await.unwrap());
    }
    let mut ids = Vec::new();
    let mut sessions = Vec::new();
    for (i, account) in accounts.iter().enumerate().take(ATHLETES) {
        let mut b: Browser = c.sign_in(&account.email).await;
        assert_eq!(
            c.post(&mut b, "/welcome", &onboarding_form()).await.status,
            StatusCode::SEE_OTHER
        );
        let who = account.athlete.unwrap();
        ids.push(who.0);
        let opts = backstop_app::SessionOptions {
            at: Some(format!("2026-11-2{} 18:00", i + 1)),
            pain_before: Some(backstop_core::Pain::new(2).unwrap()),
            ..Default::default()
        };
        let mut own = Vec::new();
        for group in ["dead-bug 2x8 p2", "side-plank 2x20s p2"] {
            let mut o = opts.clone();
            if group.starts_with("side") {
                o.at = Some(format!("2026-11-2{} 08:00", i + 1));
            }
            let logged = c.app.log_groups(who, &[group.into()], &o).await.unwrap();
            own.push(logged.id);
        }
        sessions.push(own);
    }
    // The coach looks after athletes 0 and 1, the clinician after 1 and 2.
    let mut links = BTreeSet::new();
    for (staff, athlete) in [(3, 0), (3, 1), (4, 1), (4, 2)] {
        let t = c.app.invite(&accounts[staff], Role::Athlete).await.unwrap();
        c.app
            .accept_invite_existing(&t, &accounts[athlete])
            .await
            .unwrap();
        links.insert((staff, athlete));
    }
    let mut tokens = Vec::new();
    for a in &accounts {
        let r = c.api_login(&a.email, PW).await;
        tokens.push(r.json()["token"].as_str().unwrap().to_owned());
    }
    World {
        c,
        accounts,
        tokens,
        ids,
        sessions,
        links,
    }
}

impl World {
    /// Whether `actor` may read athlete `target`'s data.
    fn may_read(&self, actor: usize, target: usize) -> bool {
        actor == target || self.links.contains(&(actor, target))
    }

    async fn snapshot(&self) -> Vec<String> {
        let mut out = Vec::new();
        for id in &self.ids {
            out.push(self.c.rows(&[*id]).await);
        }
        out
    }

    /// Runs one request and checks it against the model.
    async fn run(&mut self, actor: usize, op: &Op) -> Result<(), TestCaseError> {
        let before = self.snapshot().await;
        let token = self.tokens[actor].clone();
        // The athlete this request may change (its own data, by an athlete).
        let mut may_change: Option<usize> = None;
        let refused = |status: StatusCode, body: &str| -> Result<(), TestCaseError> {
            prop_assert!(
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                "{actor} {op:?}: {status} {body}"
            );
            prop_assert!(
                body.contains("\"status\":"),
                "a problem document, never data: {body}"
            );
            Ok(())
        };
        match op {
            Op::Read { kind, target } => {
                let r = self
                    .c
                    .api(&token, "GET", READS[*kind], Some(self.ids[*target]))
                    .await;
                if self.may_read(actor, *target) {
                    prop_assert_eq!(r.status, StatusCode::OK, "{} {:?}: {}", actor, op, r.body);
                    if *kind == 1 {
                        let ids: BTreeSet<i64> = r
                            .json()
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|s| s["id"].as_i64().unwrap())
                            .collect();
                        let own: BTreeSet<i64> = self.sessions[*target].iter().copied().collect();
                        prop_assert!(ids.is_subset(&own), "{ids:?} are {target}'s: {own:?}");
                    }
                } else {
                    refused(r.status, &r.body)?;
                }
            }
            Op::CheckIn { target } => {
                let r = self
                    .c
                    .api(&token, "POST", "/api/v1/checkins", Some(self.ids[*target]))
                    .await;
                if actor == *target {
                    prop_assert!(r.status.is_success(), "{} {:?}: {}", actor, op, r.body);
                    may_change = Some(actor);
                } else {
                    refused(r.status, &r.body)?;
                }
            }
            Op::Session { owner, target } => {
                let sid = self.sessions[*owner][0];
                let r = self
                    .c
                    .api(
                        &token,
                        "GET",
                        &format!("/api/v1/sessions/{sid}"),
                        Some(self.ids[*target]),
                    )
                    .await;
                if self.may_read(actor, *target) && owner == target {
                    prop_assert!(
                        r.status == StatusCode::OK || r.status == StatusCode::NOT_FOUND,
                        "{} {:?}: {}",
                        actor,
                        op,
                        r.body
                    );
                } else {
                    refused(r.status, &r.body)?;
                }
            }
            Op::DeleteSet { owner, target } => {
                let sid = self.sessions[*owner][0];
                let r = self
                    .c
                    .api(
                        &token,
                        "DELETE",
                        &format!("/api/v1/sessions/{sid}/sets/0"),
                        Some(self.ids[*target]),
                    )
                    .await;
                if actor == *target && owner == target {
                    prop_assert!(
                        r.status == StatusCode::OK || r.status == StatusCode::NOT_FOUND,
                        "{} {:?}: {}",
                        actor,
                        op,
                        r.body
                    );
                    may_change = Some(actor);
                } else {
                    refused(r.status, &r.body)?;
                }
            }
            Op::Roster => {
                let r = self.c.api(&token, "GET", "/api/v1/people", None).await;
                if actor == 3 || actor == 4 {
                    prop_assert_eq!(r.status, StatusCode::OK);
                    let got: BTreeSet<i64> = r
                        .json()
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|e| e["athlete"].as_i64().unwrap())
                        .collect();
                    let want: BTreeSet<i64> = self
                        .links
                        .iter()
                        .filter(|(s, _)| *s == actor)
                        .map(|(_, a)| self.ids[*a])
                        .collect();
                    prop_assert_eq!(got, want);
                } else {
                    refused(r.status, &r.body)?;
                }
            }
            Op::Revoke { athlete, staff } => {
                let links = self
                    .c
                    .app
                    .access_links(backstop_app::store::AthleteId(self.ids[*athlete]))
                    .await
                    .unwrap();
                if let Some(l) = links
                    .iter()
                    .find(|l| l.staff == self.accounts[*staff].id && l.revoked_at.is_none())
                {
                    let ok = self
                        .c
                        .app
                        .revoke_access(backstop_app::store::AthleteId(self.ids[*athlete]), l.id)
                        .await
                        .unwrap();
                    prop_assert!(ok);
                }
                self.links.remove(&(*staff, *athlete));
            }
        }
        let after = self.snapshot().await;
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            if may_change != Some(i) {
                prop_assert!(b == a, "{actor} {op:?} changed athlete {i}'s facts");
            }
        }
        Ok(())
    }
}

/// Where each case's clinic is made.
#[derive(Clone)]
enum Backend {
    /// A new SQLite file in this folder per case.
    Sqlite(std::path::PathBuf),
    /// A new schema on this PostgreSQL server per case (the names made, to drop afterwards).
    Postgres(String, Arc<std::sync::Mutex<Vec<String>>>),
}

impl Backend {
    async fn store(&self, i: u32) -> Arc<dyn Store> {
        match self {
            Backend::Sqlite(dir) => Arc::new(
                SqliteStore::open(&dir.join(format!("clinic-{i}.db")))
                    .await
                    .unwrap(),
            ),
            Backend::Postgres(url, made) => {
                let schema = format!("backstop_web_isolation_{}_{i}", std::process::id());
                made.lock().unwrap().push(schema.clone());
                let pool = sqlx::PgPool::connect(url).await.unwrap();
                for sql in [
                    format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                    format!("CREATE SCHEMA {schema}"),
                ] {
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&pool)
                        .await
                        .unwrap();
                }
                pool.close().await;
                let sep = if url.contains('?') { '&' } else { '?' };
                Arc::new(
                    PgStore::connect(&format!("{url}{sep}options=-c%20search_path%3D{schema}"), 2)
                        .await
                        .unwrap(),
                )
            }
        }
    }
}

fn check(backend: Backend, cases: u32) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let n = std::sync::atomic::AtomicU32::new(0);
    proptest!(config, |(ops in proptest::collection::vec(op(), 1..25))| {
        let i = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        rt.block_on(async {
            let mut w = world(backend.store(i).await).await;
            for (actor, op) in &ops {
                w.run(*actor, op).await?;
            }
            Ok::<(), TestCaseError>(())
        })?;
    });
}

#[test]
fn nobody_reaches_an_athlete_they_are_not_linked_to_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    check(Backend::Sqlite(dir.path().to_owned()), 24);
}

#[test]
fn nobody_reaches_an_athlete_they_are_not_linked_to_on_postgresql() {
    let Some(base) = std::env::var("BACKSTOP_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("skipped: BACKSTOP_TEST_DATABASE_URL is not set");
        return;
    };
    let made: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    check(Backend::Postgres(base.clone(), made.clone()), 8);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::PgPool::connect(&base).await.unwrap();
        let schemas: Vec<String> = made.lock().unwrap().clone();
        for s in &schemas {
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {s} CASCADE")))
                .execute(&pool)
                .await
                .unwrap();
        }
        pool.close().await;
    });
}
