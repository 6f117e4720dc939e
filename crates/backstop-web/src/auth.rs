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

use backstop_app::accounts::SignIn;

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
    cookie_in(req.headers(), name)
}

/// A cookie's value among a request's headers.
pub(crate) fn cookie_in<'r>(headers: &'r axum::http::HeaderMap, name: &str) -> Option<&'r str> {
    headers
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

/// Lets a request through only with the key (or, with accounts, a signed-in account's session token, which it
/// hands on to the handlers in the request's extensions); pages redirect to the login page, the API answers 401.
pub async fn require(State(st): State<WebState>, mut req: Request, next: Next) -> Response {
    if st.opts.accounts {
        let token = bearer_key(&req)
            .or_else(|| cookie_value(&req, COOKIE))
            .map(str::to_owned);
        if let Some(token) = token {
            match st.app.signed_in_account(&token).await {
                Ok(Some(account)) => {
                    let viewing = match crate::signed_in::chosen(req.headers()) {
                        Some(athlete) if account.role.is_staff() => st
                            .app
                            .roster_links(&account)
                            .await
                            .ok()
                            .and_then(|links| links.into_iter().find(|l| l.athlete == athlete))
                            .map(|l| l.athlete_name),
                        _ => None,
                    };
                    let training = account.role == backstop_app::store::Role::Athlete || viewing.is_some();
                    req.extensions_mut().insert(account);
                    return match (viewing, training) {
                        (Some(name), _) => crate::views::VIEWING.scope(name, next.run(req)).await,
                        (None, false) => crate::views::NO_TRAINING.scope((), next.run(req)).await,
                        (None, true) => next.run(req).await,
                    };
                }
                Ok(None) => {}
                Err(e) => return crate::error::PageError::App(e).into_response(),
            }
        }
        return not_signed_in(
            &req,
            "send a session token from POST /api/v1/auth/login as `Authorization: Bearer <token>`",
        );
    }
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
    not_signed_in(
        &req,
        "send the server's access key as `Authorization: Bearer <key>`",
    )
}

/// 401 for the API (saying how to sign in), the login page for people.
fn not_signed_in(req: &Request, how: &str) -> Response {
    let path = req.uri().path();
    if path.starts_with("/api/") {
        let mut r = problem(StatusCode::UNAUTHORIZED, "not signed in", how);
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
    /// Sign in with an email address and a password (a clinic's accounts), not the server's key.
    accounts: bool,
    /// The address typed, to fill the field again after a refusal.
    email: String,
}

#[derive(Deserialize)]
struct LoginQuery {
    key: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize)]
struct LoginForm {
    /// The server's key (one-person mode).
    key: Option<String>,
    /// An account's address and password (account mode).
    email: Option<String>,
    password: Option<String>,
    next: Option<String>,
}

/// Signs this browser in: a new session token in the cookie (and the cookie earlier versions kept the key in
/// cleared), then on to `next`.
async fn signed_in(st: &WebState, next: &str) -> Response {
    let token = match st.app.open_web_session(st.opts.token.expose()).await {
        Ok(t) => t,
        Err(e) => return crate::error::PageError::App(e).into_response(),
    };
    with_session_cookie(st, &token, backstop_app::WEB_SESSION_DAYS, next)
}

/// A redirect to `next` that puts a session token in the browser's cookie for `days`.
pub(crate) fn with_session_cookie(st: &WebState, token: &str, days: i64, next: &str) -> Response {
    let secure = if st.opts.secure_cookies { "; Secure" } else { "" };
    let max_age = days * 24 * 3600;
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
    login_form(status, next, error, false, String::new())
}

fn login_form(
    status: StatusCode,
    next: String,
    error: Option<String>,
    accounts: bool,
    email: String,
) -> Response {
    let page = LoginPage {
        layout: Layout::bare("Sign in"),
        next,
        error,
        accounts,
        email,
    };
    (status, html(&page)).into_response()
}

async fn login_get(State(st): State<WebState>, Query(q): Query<LoginQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    if st.opts.accounts {
        return login_form(StatusCode::OK, next, None, true, String::new());
    }
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
    if st.opts.accounts {
        let email = f.email.unwrap_or_default();
        let password = f.password.unwrap_or_default();
        return match st.app.sign_in(&email, &password).await {
            Ok(SignIn::Granted { token, account }) => {
                // Staff and admins have no training of their own: their start is the People page.
                let next = if next == "/" && account.role != backstop_app::store::Role::Athlete {
                    "/people".to_owned()
                } else {
                    next
                };
                with_session_cookie(&st, &token, backstop_app::accounts::ACCOUNT_SESSION_DAYS, &next)
            }
            Ok(SignIn::Refused) => login_form(
                StatusCode::UNAUTHORIZED,
                next,
                Some("That address and password do not match an account.".into()),
                true,
                email,
            ),
            Ok(SignIn::Limited { retry_after_minutes }) => login_form(
                StatusCode::TOO_MANY_REQUESTS,
                next,
                Some(format!(
                    "Too many failed sign-ins for this address. Try again in {retry_after_minutes} minutes."
                )),
                true,
                email,
            ),
            Err(e) => crate::error::PageError::App(e).into_response(),
        };
    }
    if st.opts.token.matches(f.key.as_deref().unwrap_or_default().trim()) {
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
    if st.opts.accounts {
        return account_logout(&st, token, req).await;
    }
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

/// Signs an account's browser out, or with `everywhere=yes` every session of that account.
async fn account_logout(st: &WebState, token: Option<String>, req: Request) -> Response {
    let account = match &token {
        Some(t) => st.app.signed_in_account(t).await.ok().flatten(),
        None => None,
    };
    let form = <Form<LogoutForm> as axum::extract::FromRequest<WebState>>::from_request(req, st)
        .await
        .ok();
    let everywhere = form.is_some_and(|Form(f)| f.everywhere.as_deref() == Some("yes"));
    let done = match (&account, &token) {
        (Some(a), _) if everywhere => st.app.sign_out_everywhere(a.id).await.map(|_| ()),
        (_, Some(t)) => st.app.sign_out(t).await.map(|_| ()),
        _ => Ok(()),
    };
    if let Err(e) = done {
        return crate::error::PageError::App(e).into_response();
    }
    let mut r = Redirect::to("/login").into_response();
    for c in [cleared(COOKIE), cleared(crate::signed_in::ATHLETE_COOKIE)] {
        if let Ok(v) = c.parse() {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

/// `POST /api/v1/auth/login`'s body.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ApiLogin {
    /// The account's address.
    email: String,
    /// Its password.
    password: String,
}

/// `POST /api/v1/auth/login`'s answer: the session token to send as `Authorization: Bearer <token>`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ApiSession {
    /// The session token (64 hex digits).
    token: String,
    /// Days until it lapses.
    expires_in_days: i64,
    /// `athlete`, `coach`, `clinician` or `admin`.
    role: &'static str,
    /// The athlete's own id, for an athlete's account.
    athlete: Option<i64>,
}

/// Signs an API client in with an account (account mode only): 200 with a session token, 401 for a wrong
/// address or password, 429 (with `Retry-After`) while the address is held back after too many failures; 404 on a
/// one-person server, which has no accounts.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "access", request_body = ApiLogin, security(()),
    responses((status = 200, body = ApiSession, description = "signed in"),
        (status = 401, description = "that address and password do not match an account"),
        (status = 404, description = "a one-person server: it has no accounts"),
        (status = 429, description = "too many failed sign-ins for this address lately")))]
pub(crate) async fn api_login(State(st): State<WebState>, body: axum::body::Bytes) -> Response {
    if !st.opts.accounts {
        return problem(
            StatusCode::NOT_FOUND,
            "not found",
            "this server has no accounts: send its access key as `Authorization: Bearer <key>`",
        );
    }
    let Ok(login) = serde_json::from_slice::<ApiLogin>(&body) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "invalid request",
            "send {\"email\": …, \"password\": …} as JSON",
        );
    };
    match st.app.sign_in(&login.email, &login.password).await {
        Ok(SignIn::Granted { token, account }) => axum::Json(ApiSession {
            token,
            expires_in_days: backstop_app::accounts::ACCOUNT_SESSION_DAYS,
            role: account.role.as_str(),
            athlete: account.athlete.map(|a| a.0),
        })
        .into_response(),
        Ok(SignIn::Refused) => problem(
            StatusCode::UNAUTHORIZED,
            "not signed in",
            "that address and password do not match an account",
        ),
        Ok(SignIn::Limited { retry_after_minutes }) => {
            let mut r = problem(
                StatusCode::TOO_MANY_REQUESTS,
                "too many failed sign-ins",
                &format!("this address is held back: try again in {retry_after_minutes} minutes"),
            );
            if let Ok(v) = (retry_after_minutes * 60).to_string().parse() {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

/// `POST /api/v1/auth/logout`: ends the session whose token the request carries (204 either way).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "access", security(()),
    responses((status = 204, description = "signed out (or there was nothing to sign out)")))]
pub(crate) async fn api_logout(State(st): State<WebState>, req: Request) -> Response {
    if st.opts.accounts
        && let Some(token) = bearer_key(&req)
        && let Err(e) = st.app.sign_out(token).await
    {
        return crate::error::ApiError::from(e).into_response();
    }
    StatusCode::NO_CONTENT.into_response()
}

/// The routes reachable without the key.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/login", get(login_get).post(login_post))
        .route("/logout", post(logout))
        .route("/api/v1/auth/login", post(api_login))
        .route("/api/v1/auth/logout", post(api_logout))
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
