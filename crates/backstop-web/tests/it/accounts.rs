//! A clinic's server (`accounts: true`): signing in, invitations, coaches reading their athletes, athletes taking
//! access back, the audit log, and nobody reaching data that is not theirs.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use backstop_app::App;
use backstop_app::accounts::LOGIN_MAX_FAILURES;
use backstop_app::store::{Role, Store};
use backstop_db::SqliteStore;
use backstop_web::{AccessToken, WebOptions};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::{Got, KEY, TestClock, hidden};

pub(crate) const PW: &str = "a long enough password";

pub(crate) struct Clinic {
    router: Router,
    pub(crate) app: App,
    store: Arc<dyn Store>,
    clock: Arc<TestClock>,
}

/// A browser: its cookies, kept from the answers it gets.
#[derive(Default, Clone)]
pub(crate) struct Browser {
    cookies: BTreeMap<String, String>,
}

impl Clinic {
    async fn new() -> Clinic {
        Clinic::on(Arc::new(SqliteStore::in_memory().await.unwrap())).await
    }

    /// A clinic's server over `store`.
    pub(crate) async fn on(store: Arc<dyn Store>) -> Clinic {
        let clock = Arc::new(TestClock(std::sync::Mutex::new(
            "2026-11-23T17:00:00Z".parse().unwrap(),
        )));
        let app = App::new(store.clone(), clock.clone()).unwrap();
        let who = app.local_athlete().await.unwrap();
        let router = backstop_web::router(
            app.clone(),
            who,
            WebOptions {
                token: AccessToken::from_secret(KEY).unwrap(),
                secure_cookies: false,
                accounts: true,
            },
        );
        Clinic {
            router,
            app,
            store,
            clock,
        }
    }

    pub(crate) async fn send(&self, b: &mut Browser, req: Request<Body>) -> Got {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        for v in headers.get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let (kv, _) = v.split_once(';').unwrap_or((v, ""));
            let (k, val) = kv.split_once('=').unwrap();
            if val.is_empty() || v.contains("Max-Age=0") {
                b.cookies.remove(k);
            } else {
                b.cookies.insert(k.to_owned(), val.to_owned());
            }
        }
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Got {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            raw: bytes.to_vec(),
        }
    }

    fn with_cookies(b: &Browser, r: axum::http::request::Builder) -> axum::http::request::Builder {
        let jar: Vec<String> = b.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if jar.is_empty() {
            r
        } else {
            r.header(header::COOKIE, jar.join("; "))
        }
    }

    async fn get(&self, b: &mut Browser, path: &str) -> Got {
        let req = Self::with_cookies(b, Request::get(path))
            .body(Body::empty())
            .unwrap();
        self.send(b, req).await
    }

    pub(crate) async fn post(&self, b: &mut Browser, path: &str, form: &str) -> Got {
        let req = Self::with_cookies(b, Request::post(path))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(form.to_owned()))
            .unwrap();
        self.send(b, req).await
    }

    pub(crate) async fn api(&self, token: &str, method: &str, path: &str, athlete: Option<i64>) -> Got {
        let mut r = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some(a) = athlete {
            r = r.header("Backstop-Athlete", a.to_string());
        }
        let req = if method == "GET" {
            r.body(Body::empty()).unwrap()
        } else {
            r.header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"pain": 3}"#))
                .unwrap()
        };
        self.send(&mut Browser::default(), req).await
    }

    /// `POST /api/v1/auth/login` with a JSON body.
    pub(crate) async fn api_login(&self, email: &str, password: &str) -> Got {
        let body =
            serde_json::to_string(&BTreeMap::from([("email", email), ("password", password)])).unwrap();
        let req = Request::post("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        self.send(&mut Browser::default(), req).await
    }

    pub(crate) async fn sign_in(&self, email: &str) -> Browser {
        let mut b = Browser::default();
        let r = self
            .post(
                &mut b,
                "/login",
                &format!("email={}&password={}", enc(email), enc(PW)),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(b.cookies.contains_key("backstop_session"));
        b
    }

    /// An invitation link's path, made from the People page of `by`.
    async fn invite(&self, by: &mut Browser, role: &str) -> String {
        let r = self.post(by, "/people/invite", &format!("role={role}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let i = r.body.find("/invite/").unwrap();
        r.body[i..].split('"').next().unwrap().to_owned()
    }

    /// Every fact of these athletes, to show a refused request changed nothing.
    pub(crate) async fn rows(&self, athletes: &[i64]) -> String {
        let mut out = String::new();
        for a in athletes {
            let f = self
                .store
                .facts(backstop_app::store::AthleteId(*a))
                .await
                .unwrap();
            out.push_str(&format!("{f:?}"));
        }
        out
    }
}

fn enc(s: &str) -> String {
    backstop_web_urlencode(s)
}

fn backstop_web_urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn onboarding_form() -> String {
    let mut form = String::from(
        "units=kg&time_zone=Europe%2FLondon&equipment=dumbbell&equipment=cable&equipment=bench&days=mon&days=wed\
         &days=fri&minutes=50&baseline_pain=2&aggravators=sitting",
    );
    for f in backstop_core::redflags::RedFlag::ALL {
        form.push_str(&format!("&rf.{}=no", f.as_str()));
    }
    form
}

#[tokio::test]
async fn signing_in_takes_an_address_and_password_and_stops_guessing() {
    let c = Clinic::new().await;
    c.app
        .create_account("sam@example.com", "Sam", Role::Athlete, PW)
        .await
        .unwrap();
    let mut b = Browser::default();
    let login = c.get(&mut b, "/login?key=whatever").await;
    assert!(login.body.contains("name=\"email\"") && login.body.contains("name=\"password\""));
    assert!(!login.body.contains("Access key"), "no key on a clinic's server");
    // Nothing is open without signing in, and the server's key is no way in.
    assert_eq!(c.get(&mut b, "/status").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        c.api(KEY, "GET", "/api/v1/status", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let wrong = c
        .post(&mut b, "/login", "email=sam%40example.com&password=not+the+one1")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("do not match") && wrong.body.contains("sam@example.com"));
    for _ in 1..LOGIN_MAX_FAILURES {
        c.post(&mut b, "/login", "email=sam%40example.com&password=not+the+one1")
            .await;
    }
    let limited = c
        .post(
            &mut b,
            "/login",
            &format!("email=sam%40example.com&password={}", enc(PW)),
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);
    assert!(b.cookies.is_empty(), "no session while limited");
    // Another address is not held back by Sam's failures.
    c.app
        .create_account("kim@example.com", "Kim", Role::Athlete, PW)
        .await
        .unwrap();
    let mut kim = c.sign_in("kim@example.com").await;
    let first = c.get(&mut kim, "/today").await;
    assert_eq!(
        first.location(),
        "/welcome",
        "a new athlete starts with their profile"
    );
    // Signing out ends the session on the server: the old cookie opens nothing.
    let token = kim.cookies["backstop_session"].clone();
    c.post(&mut kim, "/logout", "").await;
    assert_eq!(
        c.api(&token, "GET", "/api/v1/status", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_coach_reads_an_athlete_who_accepted_and_nothing_else() {
    let c = Clinic::new().await;
    c.app
        .create_account("ada@clinic.example", "Ada", Role::Admin, PW)
        .await
        .unwrap();
    let mut admin = c.sign_in("ada@clinic.example").await;
    // The admin invites a coach; the coach accepts with a new account.
    let link = c.invite(&mut admin, "coach").await;
    let mut coach = Browser::default();
    let page = c.get(&mut coach, &link).await;
    assert!(page.body.contains("An invitation from Ada"), "{}", page.body);
    let mismatch = c
        .post(
            &mut coach,
            &link,
            &format!(
                "name=Cole&email=cole%40clinic.example&password={0}&password_again=x{0}",
                enc(PW)
            ),
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    let made = c
        .post(
            &mut coach,
            &link,
            &format!(
                "name=Cole&email=cole%40clinic.example&password={0}&password_again={0}",
                enc(PW)
            ),
        )
        .await;
    assert_eq!(made.location(), "/people", "{}", made.body);
    assert_eq!(
        c.get(&mut Browser::default(), &link).await.status,
        StatusCode::NOT_FOUND,
        "used once"
    );
    // Two athletes onboard; the coach invites Sam, who accepts while signed in.
    c.app
        .create_account("sam@example.com", "Sam", Role::Athlete, PW)
        .await
        .unwrap();
    c.app
        .create_account("kim@example.com", "Kim", Role::Athlete, PW)
        .await
        .unwrap();
    let mut sam = c.sign_in("sam@example.com").await;
    let mut kim = c.sign_in("kim@example.com").await;
    for b in [&mut sam, &mut kim] {
        assert_eq!(
            c.post(b, "/welcome", &onboarding_form()).await.status,
            StatusCode::SEE_OTHER
        );
    }
    let r = c.post(&mut sam, "/checkin", "pain=4&stiffness=2").await;
    assert!(
        r.status.is_redirection() || r.status == StatusCode::OK,
        "{}: {}",
        r.status,
        r.body
    );
    let sam_id = c
        .store
        .account_by_email("sam@example.com")
        .await
        .unwrap()
        .unwrap()
        .athlete
        .unwrap()
        .0;
    let kim_id = c
        .store
        .account_by_email("kim@example.com")
        .await
        .unwrap()
        .unwrap()
        .athlete
        .unwrap()
        .0;
    let link = c.invite(&mut coach, "athlete").await;
    let offer = c.get(&mut sam, &link).await;
    assert!(offer.body.contains("Let Cole read my training"), "{}", offer.body);
    assert_eq!(
        c.post(&mut sam, &link, "existing=yes").await.location(),
        "/people"
    );

    // The coach has no athlete open yet: the pages send them to their list.
    assert_eq!(c.get(&mut coach, "/status").await.location(), "/people");
    let roster = c.get(&mut coach, "/people").await;
    assert!(
        roster.body.contains("Sam") && !roster.body.contains("Kim"),
        "{}",
        roster.body
    );
    // Opening someone not linked is refused, whatever the form or the cookie says.
    let before = c.rows(&[sam_id, kim_id]).await;
    let refused = c
        .post(&mut coach, "/people/open", &format!("athlete={kim_id}"))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut forged = coach.clone();
    forged
        .cookies
        .insert("backstop_athlete".into(), kim_id.to_string());
    let page = c.get(&mut forged, "/status").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(!page.body.contains("Kim"), "{}", page.body);
    // Sam's data, read only, with whose it is on every page.
    assert_eq!(
        c.post(&mut coach, "/people/open", &format!("athlete={sam_id}"))
            .await
            .location(),
        "/status"
    );
    let status = c.get(&mut coach, "/status").await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.body);
    assert!(
        status.body.contains("Reading <strong>Sam</strong>"),
        "{}",
        status.body
    );
    let history = c.get(&mut coach, "/checkin").await;
    assert_eq!(history.status, StatusCode::OK);
    let write = c.post(&mut coach, "/checkin", "pain=1&stiffness=0").await;
    assert_eq!(write.status, StatusCode::FORBIDDEN, "{}", write.body);
    assert_eq!(
        c.rows(&[sam_id, kim_id]).await,
        before,
        "refused requests changed nothing"
    );
    // The API: the coach's session token, and the athlete named by header.
    let token = c.api_login("cole@clinic.example", PW).await.json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        c.api(&token, "GET", "/api/v1/status", Some(sam_id)).await.status,
        StatusCode::OK
    );
    for (athlete, method) in [(Some(kim_id), "GET"), (None, "GET"), (Some(sam_id), "POST")] {
        let path = if method == "GET" {
            "/api/v1/status"
        } else {
            "/api/v1/checkins"
        };
        let r = c.api(&token, method, path, athlete).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{athlete:?} {method}: {}",
            r.body
        );
        assert!(r.body.contains("\"status\":403"));
    }
    // An athlete naming another athlete gets nothing either.
    let sam_token = sam.cookies["backstop_session"].clone();
    assert_eq!(
        c.api(&sam_token, "GET", "/api/v1/status", Some(kim_id))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.api(&sam_token, "GET", "/api/v1/status", None).await.status,
        StatusCode::OK
    );
    // The admin reads nobody's training.
    let mut admin_forged = admin.clone();
    admin_forged
        .cookies
        .insert("backstop_athlete".into(), sam_id.to_string());
    assert_eq!(
        c.get(&mut admin_forged, "/status").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(c.rows(&[sam_id, kim_id]).await, before);

    // Sam sees who read what, and takes the access back.
    let access = c.get(&mut sam, "/people").await;
    assert!(access.body.contains("Cole</strong>, coach"), "{}", access.body);
    assert!(
        access.body.contains("GET /status") && access.body.contains("GET /api/v1/status"),
        "{}",
        access.body
    );
    let kims = c.get(&mut kim, "/people").await;
    assert!(kims.body.contains("Nobody else has read"), "{}", kims.body);
    let link_id = hidden(&access.body, "link").unwrap();
    let done = c
        .post(&mut sam, "/people/revoke", &format!("link={link_id}"))
        .await;
    assert!(done.body.contains("Access taken back"));
    assert_eq!(c.get(&mut coach, "/status").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        c.api(&token, "GET", "/api/v1/status", Some(sam_id)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn invitations_come_only_from_the_roles_that_give_them() {
    let c = Clinic::new().await;
    c.app
        .create_account("sam@example.com", "Sam", Role::Athlete, PW)
        .await
        .unwrap();
    c.app
        .create_account("ada@clinic.example", "Ada", Role::Admin, PW)
        .await
        .unwrap();
    let mut sam = c.sign_in("sam@example.com").await;
    let mut admin = c.sign_in("ada@clinic.example").await;
    assert_eq!(
        c.post(&mut sam, "/people/invite", "role=coach").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.post(&mut sam, "/people/invite", "role=athlete").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.post(&mut admin, "/people/invite", "role=athlete").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.get(&mut Browser::default(), "/invite/0123456789abcdef")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // An address in use cannot be taken by an invitation, and the invitation stays open.
    let link = c.invite(&mut admin, "clinician").await;
    let mut b = Browser::default();
    let taken = c
        .post(
            &mut b,
            &link,
            &format!(
                "name=X&email=sam%40example.com&password={0}&password_again={0}",
                enc(PW)
            ),
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("has an account already"));
    assert_eq!(c.get(&mut b, &link).await.status, StatusCode::OK);
    // Sign out everywhere ends every session of the account.
    let mut sam2 = c.sign_in("sam@example.com").await;
    c.post(&mut sam, "/people/signout-everywhere", "").await;
    assert_eq!(c.get(&mut sam2, "/today").await.status, StatusCode::SEE_OTHER);
    assert!(c.get(&mut sam2, "/today").await.location().starts_with("/login"));
}

#[tokio::test]
async fn a_one_person_server_has_no_accounts_to_reach() {
    let w = crate::Web::onboarded().await;
    let people = w.get("/people").await;
    assert_eq!(people.status, StatusCode::OK);
    assert!(
        people.body.contains("This server has one person"),
        "{}",
        people.body
    );
    assert_eq!(
        w.post("/people/invite", "role=athlete").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.get("/invite/0123456789abcdef").await.status,
        StatusCode::NOT_FOUND
    );
    let r = w
        .api(
            "POST",
            "/api/v1/auth/login",
            Some(serde_json::json!({"email": "a@b.c", "password": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The key still opens everything, and a chosen athlete in a cookie or header changes nothing.
    let r = w
        .send(
            w.signed(Request::get("/api/v1/status"))
                .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
                .header("Backstop-Athlete", "999")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_coach_sets_a_ceiling_and_leaves_out_an_exercise_and_the_athlete_sees_it() {
    let c = Clinic::new().await;
    let coach = c
        .app
        .create_account("cole@clinic.example", "Cole", Role::Coach, PW)
        .await
        .unwrap();
    let sam_account = c
        .app
        .create_account("sam@example.com", "Sam", Role::Athlete, PW)
        .await
        .unwrap();
    let t = c.app.invite(&coach, Role::Athlete).await.unwrap();
    c.app.accept_invite_existing(&t, &sam_account).await.unwrap();
    let sam_id = sam_account.athlete.unwrap().0;
    let mut sam = c.sign_in("sam@example.com").await;
    assert_eq!(
        c.post(&mut sam, "/welcome", &onboarding_form()).await.status,
        StatusCode::SEE_OTHER
    );
    let sam_token = c.api_login("sam@example.com", PW).await.json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let planned = |g: &Got| -> Vec<String> {
        g.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["exercise"].as_str().unwrap().to_owned())
            .collect()
    };
    let before = planned(&c.api(&sam_token, "GET", "/api/v1/plan", None).await);
    let left_out = before.first().unwrap().clone();

    let mut cole = c.sign_in("cole@clinic.example").await;
    // The roster, as a page and in the API.
    let page = c.get(&mut cole, "/people").await;
    assert!(page.body.contains("<h3>Sam"), "{}", page.body);
    let cole_token = c.api_login("cole@clinic.example", PW).await.json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let roster = c.api(&cole_token, "GET", "/api/v1/people", None).await;
    assert_eq!(roster.status, StatusCode::OK, "{}", roster.body);
    assert_eq!(roster.json()[0]["athlete"], sam_id);
    assert_eq!(
        c.api(&sam_token, "GET", "/api/v1/people", None).await.status,
        StatusCode::FORBIDDEN
    );
    // Settings need the athlete open and linked.
    let refused = c
        .post(
            &mut cole,
            "/people/care",
            &format!("athlete={}&kind=ceiling&value=3", sam_id + 50),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    c.post(&mut cole, "/people/open", &format!("athlete={sam_id}"))
        .await;
    let bad = c
        .post(
            &mut cole,
            "/people/care",
            &format!("athlete={sam_id}&kind=ceiling&value=12"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("1 to 10"), "{}", bad.body);
    let typed = c
        .post(
            &mut cole,
            "/people/care",
            &format!("athlete={sam_id}&kind=ceiling&value=four"),
        )
        .await;
    assert_eq!(typed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(typed.body.contains("from 1 to 10, not “four”"), "{}", typed.body);
    for form in [
        format!("athlete={sam_id}&kind=ceiling&value=3"),
        format!("athlete={sam_id}&kind=not-planned&value={left_out}"),
        format!("athlete={sam_id}&kind=note&value=Keep+the+hinges+light+this+week"),
    ] {
        let r = c.post(&mut cole, "/people/care", &form).await;
        assert_eq!(r.status, StatusCode::OK, "{form}: {}", r.body);
        assert!(r.body.contains("Saved"));
    }
    // Sam sees each, with who set it, and the plan leaves the exercise out.
    let status = c.get(&mut sam, "/status").await;
    assert!(
        status.body.contains("From your coach or clinician"),
        "{}",
        status.body
    );
    assert!(
        status
            .body
            .contains("Pain ceiling during sets: 3/10 (set by Cole"),
        "{}",
        status.body
    );
    assert!(status.body.contains("Keep the hinges light this week"));
    let json = c.api(&sam_token, "GET", "/api/v1/status", None).await.json();
    assert_eq!(json["care"].as_array().unwrap().len(), 3);
    assert!(!planned(&c.api(&sam_token, "GET", "/api/v1/plan", None).await).contains(&left_out));
    let ex = c.get(&mut sam, &format!("/exercises/{left_out}")).await;
    assert!(ex.body.contains("Cole asked on"), "{}", ex.body);
    // Undo the exercise: it comes back.
    let people = c.get(&mut cole, "/people").await;
    let left_out_name = backstop_core::Catalog::builtin()
        .unwrap()
        .get(&left_out)
        .unwrap()
        .name
        .clone();
    let i = people
        .body
        .find(&format!("not to be planned: {left_out_name}"))
        .unwrap();
    let id = hidden(&people.body[i..], "id").unwrap();
    let undone = c
        .post(
            &mut cole,
            "/people/care/undo",
            &format!("athlete={sam_id}&id={id}"),
        )
        .await;
    assert!(undone.body.contains("Undone."), "{}", undone.body);
    assert!(planned(&c.api(&sam_token, "GET", "/api/v1/plan", None).await).contains(&left_out));
    // Sam's audit log has every change.
    let access = c.get(&mut sam, "/people").await;
    assert!(
        access.body.contains("set pain ceiling during sets: 3/10"),
        "{}",
        access.body
    );
    assert!(
        access
            .body
            .contains(&format!("undid not to be planned: {left_out_name}"))
    );
}

#[tokio::test]
async fn lapsed_forged_and_signed_out_sessions_and_cross_site_posts_are_refused() {
    let c = Clinic::new().await;
    let coach = c
        .app
        .create_account("cole@clinic.example", "Cole", Role::Coach, PW)
        .await
        .unwrap();
    let mut b = c.sign_in("cole@clinic.example").await;
    assert_eq!(c.get(&mut b, "/people").await.status, StatusCode::OK);
    // A post from another site is refused before it does anything: no invitation is made.
    let token = b.cookies["backstop_session"].clone();
    let req = Request::post("/people/invite")
        .header(header::COOKIE, format!("backstop_session={token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from("role=athlete"))
        .unwrap();
    let r = c.send(&mut Browser::default(), req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(c.app.roster_links(&coach).await.unwrap().is_empty());
    // A forged token (the right length, random) and one with a character changed open nothing.
    let mut changed = token.clone().into_bytes();
    changed[0] = if changed[0] == b'a' { b'b' } else { b'a' };
    for t in [String::from_utf8(changed).unwrap(), "f".repeat(64)] {
        assert_eq!(
            c.api(&t, "GET", "/api/v1/people", None).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // A session lapses after its 14 days, and signing in again works.
    *c.clock.0.lock().unwrap() +=
        jiff::SignedDuration::from_hours(24 * backstop_app::accounts::ACCOUNT_SESSION_DAYS);
    let lapsed = c.get(&mut b, "/people").await;
    assert!(lapsed.location().starts_with("/login"), "{}", lapsed.status);
    assert_eq!(
        c.api(&token, "GET", "/api/v1/people", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let mut again = c.sign_in("cole@clinic.example").await;
    assert_eq!(c.get(&mut again, "/people").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_navigation_offers_training_pages_only_where_there_is_training_to_read() {
    let c = Clinic::new().await;
    c.app
        .create_account("ada@clinic.example", "Ada", Role::Admin, PW)
        .await
        .unwrap();
    let coach = c
        .app
        .create_account("cole@clinic.example", "Cole", Role::Coach, PW)
        .await
        .unwrap();
    let sam = c
        .app
        .create_account("sam@example.com", "Sam", Role::Athlete, PW)
        .await
        .unwrap();
    let t = c.app.invite(&coach, Role::Athlete).await.unwrap();
    c.app.accept_invite_existing(&t, &sam).await.unwrap();
    let tabs = |body: &str| {
        (
            body.contains("href=\"/today\""),
            body.contains("href=\"/people\""),
        )
    };
    let mut admin = c.sign_in("ada@clinic.example").await;
    assert_eq!(
        tabs(&c.get(&mut admin, "/people").await.body),
        (false, true),
        "an admin"
    );
    let mut cole = c.sign_in("cole@clinic.example").await;
    assert_eq!(
        tabs(&c.get(&mut cole, "/people").await.body),
        (false, true),
        "a coach with no athlete open"
    );
    let mut sam_b = c.sign_in("sam@example.com").await;
    assert_eq!(
        c.post(&mut sam_b, "/welcome", &onboarding_form()).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        tabs(&c.get(&mut sam_b, "/people").await.body),
        (true, true),
        "an athlete"
    );
    c.post(
        &mut cole,
        "/people/open",
        &format!("athlete={}", sam.athlete.unwrap().0),
    )
    .await;
    assert_eq!(
        tabs(&c.get(&mut cole, "/status").await.body),
        (true, true),
        "a coach reading an athlete"
    );
}
