//! The web app in-process: every route through the real router (auth, CSRF, headers) over a SQLite store.

#![allow(clippy::unwrap_used, missing_docs)]

mod accounts;
mod api;
mod isolation;
mod pages;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use backstop_app::App;
use backstop_app::clock::Clock;
use backstop_app::store::AthleteId;
use backstop_db::SqliteStore;
use backstop_web::{AccessToken, WebOptions};
use http_body_util::BodyExt;
use jiff::{SignedDuration, Timestamp};
use tower::ServiceExt;

pub const KEY: &str = "test-key-0123456789abcdefghijklmnopqrstuv";

/// A clock the test moves by hand.
pub struct TestClock(pub Mutex<Timestamp>);

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

pub struct Web {
    pub router: Router,
    pub app: App,
    pub who: AthleteId,
    pub store: SqliteStore,
    clock: Arc<TestClock>,
    /// The session cookie of a browser signed in with the key.
    pub cookie: String,
}

pub struct Got {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent (an image is not text).
    pub raw: Vec<u8>,
}

impl Got {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Web {
    pub async fn new() -> Web {
        let store = SqliteStore::in_memory().await.unwrap();
        let clock = Arc::new(TestClock(Mutex::new("2026-11-23T17:00:00Z".parse().unwrap())));
        let app = App::new(Arc::new(store.clone()), clock.clone()).unwrap();
        let who = app.local_athlete().await.unwrap();
        let router = backstop_web::router(
            app.clone(),
            who,
            WebOptions {
                token: AccessToken::from_secret(KEY).unwrap(),
                secure_cookies: false,
                accounts: false,
            },
        );
        let token = app.open_web_session(KEY).await.unwrap();
        Web {
            router,
            app,
            who,
            store,
            clock,
            cookie: format!("backstop_session={token}"),
        }
    }

    /// A web app whose person has onboarded (London, kg, usual pain 2, no red flags).
    pub async fn onboarded() -> Web {
        let w = Web::new().await;
        let mut form = String::from(
            "units=kg&time_zone=Europe%2FLondon&equipment=dumbbell&equipment=cable&equipment=bench&days=mon&days=tue\
             &days=wed&days=thu&days=fri&days=sat&days=sun&minutes=50&baseline_pain=2&aggravators=sitting",
        );
        for f in backstop_core::redflags::RedFlag::ALL {
            form.push_str(&format!("&rf.{}=no", f.as_str()));
        }
        let r = w.post("/welcome", &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        w
    }

    pub fn advance(&self, d: SignedDuration) {
        let mut t = self.clock.0.lock().unwrap();
        *t += d;
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub async fn send(&self, req: Request<Body>) -> Got {
        let res: Response<Body> = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Got {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            raw: bytes.to_vec(),
        }
    }

    /// A request from the browser signed in with the key.
    pub fn signed(&self, b: axum::http::request::Builder) -> axum::http::request::Builder {
        b.header(header::COOKIE, self.cookie.clone())
    }

    pub async fn get(&self, path: &str) -> Got {
        self.send(self.signed(Request::get(path)).body(Body::empty()).unwrap())
            .await
    }

    /// A form post from this site's own page.
    pub async fn post(&self, path: &str, form: &str) -> Got {
        self.send(
            self.signed(Request::post(path))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(form.to_owned()))
                .unwrap(),
        )
        .await
    }

    /// Posts a CSV export to the API's import route (`path` with its query), with the key.
    pub async fn import_csv(&self, path: &str, csv: String) -> Got {
        self.send(
            Request::post(path)
                .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
                .header(header::CONTENT_TYPE, "text/csv")
                .body(Body::from(csv))
                .unwrap(),
        )
        .await
    }

    pub async fn api(&self, method: &str, path: &str, json: Option<serde_json::Value>) -> Got {
        let b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {KEY}"));
        let req = match json {
            Some(j) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(j.to_string()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    /// Follows a redirect with a GET.
    pub async fn follow(&self, r: &Got) -> Got {
        assert!(
            r.status.is_redirection(),
            "expected a redirect, got {}: {}",
            r.status,
            r.body
        );
        // Browsers keep the fragment to themselves.
        let to = r.location().split('#').next().unwrap_or_default().to_owned();
        self.get(&to).await
    }

    pub async fn sessions(&self) -> Vec<backstop_app::store::StoredSession> {
        use backstop_app::store::Store;
        self.store.sessions(self.who, None, None).await.unwrap()
    }
}

/// The value of `name="…" value="…"` for a hidden input in a page.
pub fn hidden(body: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\" value=\"");
    let i = body.find(&needle)? + needle.len();
    Some(body[i..].split('"').next()?.to_owned())
}

/// A Strong export of about five years of training (1,700 workouts of 20 sets, about 2.7 MB): larger than axum's own
/// 2 MB default body limit, well within backstop's 32 MiB.
pub fn big_strong_export() -> String {
    let mut csv =
        String::from("Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,RPE\n");
    let start = jiff::civil::date(2016, 1, 4);
    for d in 0..1700 {
        let day = start.checked_add(jiff::Span::new().days(d)).unwrap();
        for set in 1..=20 {
            csv.push_str(&format!(
                "{day} 09:40:00,\"Upper Body\",51m,\"Bench Press (Barbell)\",{set},40.0,10.0,0,0.0,\n"
            ));
        }
    }
    csv
}
