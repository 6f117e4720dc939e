//! Access: one secret key per server. `backstop serve` prints a login address that carries it; the login page
//! checks it and signs the browser in with a fresh random session token in an `HttpOnly`, `SameSite=Strict` cookie
//! (the key itself never goes into a cookie). Only the token's SHA-256 is stored, with the key it was granted
//! under and when it lapses, so signing out revokes it on the server, "sign out everywhere" revokes every browser,
//! and a new key signs every browser out. API clients send the key as a bearer token. Only the login page and the
//! static assets (which hold no personal data) are reachable without one or the other.

use std::fmt;

use askama::Template;
use axum::extract::{Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::WebState;
use crate::error::problem;
use crate::views::{Layout, html};

/// The cookie that carries a browser's session token.
pub const COOKIE: &str = "backstop_session";

/// The cookie earlier versions kept the key itself in: cleared at sign-in and sign-out, never read.
const OLD_KEY_COOKIE: &str = "backstop_key";

/// The server's access key: 32 random bytes, hex-encoded.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// A fresh random key from the operating system's generator.
    pub fn generate() -> Result<AccessToken, String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness available: {e}"))?;
        Ok(AccessToken(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// A key chosen by the operator (e.g. `BACKSTOP_WEB_KEY`), at least 32 characters of `[A-Za-z0-9_-]`.
    pub fn from_secret(s: &str) -> Result<AccessToken, String> {
        let s = s.trim();
        if s.len() < 32 {
            return Err("the access key must be at least 32 characters long".into());
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err("the access key may hold only letters, digits, '-' and '_'".into());
        }
        Ok(AccessToken(s.to_owned()))
    }

    /// The key itself (to print the login address).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Compares in time that depends neither on where the first difference is nor on the length given: every byte
    /// of the key is compared (against 0 past the end of what was given), and a length difference is folded into
    /// the same result instead of returning early.
    fn matches(&self, given: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), given.as_bytes());
        let diff = a
            .iter()
            .enumerate()
            .fold(0u8, |acc, (i, x)| acc | (x ^ b.get(i).copied().unwrap_or(0)));
        diff == 0 && a.len() == b.len()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(…)")
    }
}

fn cookie_value<'r>(req: &'r Request, name: &str) -> Option<&'r str> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The key of an `Authorization: Bearer <key>` header; the scheme's name is case-insensitive (RFC 9110, 11.1).
fn bearer_key(req: &Request) -> Option<&str> {
    let v = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, key) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| key.trim())
}

/// Lets a request through only with the key; pages redirect to the login page, the API answers 401.
pub async fn require(State(st): State<WebState>, req: Request, next: Next) -> Response {
    if bearer_key(&req).is_some_and(|k| st.opts.token.matches(k)) {
        return next.run(req).await;
    }
    if let Some(token) = cookie_value(&req, COOKIE) {
        match st.app.web_session_open(token, st.opts.token.expose()).await {
            Ok(true) => return next.run(req).await,
            Ok(false) => {}
            Err(e) => return crate::error::PageError::App(e).into_response(),
        }
    }
    let path = req.uri().path();
    if path.starts_with("/api/") {
        let mut r = problem(
            StatusCode::UNAUTHORIZED,
            "not signed in",
            "send the server's access key as `Authorization: Bearer <key>`",
        );
        if let Ok(v) = "Bearer".parse() {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        return r;
    }
    let next_path =
        if req.method() == axum::http::Method::GET && path.starts_with('/') && !path.starts_with("//") {
            path.to_owned()
        } else {
            "/".to_owned()
        };
    Redirect::to(&format!("/login?next={}", crate::pages::urlencode(&next_path))).into_response()
}

/// Where to go after login: a local path only, never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        // Browsers drop tabs and line breaks from a Location, so "/\t/evil.example" would become "//evil.example".
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct LoginQuery {
    key: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize)]
struct LoginForm {
    key: String,
    next: Option<String>,
}

/// Signs this browser in: a new session token in the cookie (and the cookie earlier versions kept the key in
/// cleared), then on to `next`.
async fn signed_in(st: &WebState, next: &str) -> Response {
    let token = match st.app.open_web_session(st.opts.token.expose()).await {
        Ok(t) => t,
        Err(e) => return crate::error::PageError::App(e).into_response(),
    };
    let secure = if st.opts.secure_cookies { "; Secure" } else { "" };
    let max_age = backstop_app::WEB_SESSION_DAYS * 24 * 3600;
    let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    let mut r = Redirect::to(next).into_response();
    for c in [cookie, cleared(OLD_KEY_COOKIE)] {
        if let Ok(v) = c.parse() {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

/// A `Set-Cookie` value that removes a cookie.
fn cleared(name: &str) -> String {
    format!("{name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

fn login_page(status: StatusCode, next: String, error: Option<String>) -> Response {
    let page = LoginPage {
        layout: Layout::bare("Sign in"),
        next,
        error,
    };
    (status, html(&page)).into_response()
}

async fn login_get(State(st): State<WebState>, Query(q): Query<LoginQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    match q.key {
        Some(k) if st.opts.token.matches(k.trim()) => signed_in(&st, &next).await,
        Some(_) => login_page(
            StatusCode::UNAUTHORIZED,
            next,
            Some("That key is not this server's. Copy the address `backstop serve` printed.".into()),
        ),
        None => login_page(StatusCode::OK, next, None),
    }
}

async fn login_post(State(st): State<WebState>, Form(f): Form<LoginForm>) -> Response {
    let next = safe_next(f.next.as_deref());
    if st.opts.token.matches(f.key.trim()) {
        signed_in(&st, &next).await
    } else {
        login_page(
            StatusCode::UNAUTHORIZED,
            next,
            Some("That key is not this server's. Copy it from the address `backstop serve` printed.".into()),
        )
    }
}

#[derive(Deserialize)]
struct LogoutForm {
    /// "yes" to sign every browser out, not only this one.
    everywhere: Option<String>,
}

/// Signs this browser out (its session is revoked on the server, not only forgotten by the browser), or with
/// `everywhere=yes` every browser signed in to this server.
async fn logout(State(st): State<WebState>, req: Request) -> Response {
    let token = cookie_value(&req, COOKIE).map(str::to_owned);
    let signed_in = match &token {
        Some(t) => st
            .app
            .web_session_open(t, st.opts.token.expose())
            .await
            .unwrap_or(false),
        None => false,
    };
    let form = <Form<LogoutForm> as axum::extract::FromRequest<WebState>>::from_request(req, &st)
        .await
        .ok();
    let everywhere = form.is_some_and(|Form(f)| f.everywhere.as_deref() == Some("yes"));
    // Signing everyone out needs a browser that is signed in itself; its own sign-out needs nothing.
    let done = if everywhere && signed_in {
        st.app.close_all_web_sessions().await.map(|_| ())
    } else if let Some(t) = &token {
        st.app.close_web_session(t).await.map(|_| ())
    } else {
        Ok(())
    };
    if let Err(e) = done {
        return crate::error::PageError::App(e).into_response();
    }
    let mut r = Redirect::to("/login").into_response();
    for c in [cleared(COOKIE), cleared(OLD_KEY_COOKIE)] {
        if let Ok(v) = c.parse() {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

/// The routes reachable without the key.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/login", get(login_get).post(login_post))
        .route("/logout", post(logout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_exactly() {
        let k =
            AccessToken::from_secret("abcdefghijklmnopqrstuvwxyz012345").unwrap_or_else(|e| panic!("{e}"));
        assert!(k.matches("abcdefghijklmnopqrstuvwxyz012345"));
        assert!(!k.matches("abcdefghijklmnopqrstuvwxyz012346"));
        assert!(!k.matches("abcdefghijklmnopqrstuvwxyz01234"));
        assert!(!k.matches(""));
        assert!(
            !k.matches("abcdefghijklmnopqrstuvwxyz012345x"),
            "a longer key with the right start"
        );
        assert!(AccessToken::from_secret("short").is_err());
        assert!(AccessToken::from_secret("abcdefghijklmnopqrstuvwxyz01234;").is_err());
    }

    #[test]
    fn generated_keys_differ_and_do_not_print() {
        let a = AccessToken::generate().unwrap_or_else(|e| panic!("{e}"));
        let b = AccessToken::generate().unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 64);
        assert!(!format!("{a:?}").contains(a.expose()));
    }

    #[test]
    fn login_only_sends_people_to_local_paths() {
        assert_eq!(safe_next(Some("/status")), "/status");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
