//! backstop's web app: server-rendered, mobile-first pages (askama templates, htmx vendored and embedded) and a
//! JSON API under `/api/v1` described by an OpenAPI document, over the same use cases as the CLI.
//!
//! Every page works without JavaScript (forms post, the server redirects, the browser gets the page); htmx only
//! turns the round trips into partial updates. Every request but the login page and the static assets must
//! carry the server's access token (a cookie set at login, or a bearer header for the API), cross-site posts
//! are refused (tower-http's `CsrfLayer`), and responses carry a strict content security policy.

pub mod api;
pub mod assets;
mod auth;
mod error;
mod forms;
pub mod openapi;
mod pages;
mod signed_in;
mod views;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use backstop_app::App;
use backstop_app::store::AthleteId;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub use auth::AccessToken;

/// The largest request body accepted (an import file of several years fits well within it).
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// The content security policy of every response: nothing but this server's own files.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// How the server is set up.
#[derive(Clone)]
pub struct WebOptions {
    /// The secret every request must carry.
    pub token: AccessToken,
    /// Mark the login cookie `Secure` (when served over HTTPS, e.g. behind a TLS proxy).
    pub secure_cookies: bool,
    /// Accounts instead of the one key: people sign in with an email address and a password, and each sees only
    /// the data their role and links allow (`backstop_app::accounts`).
    pub accounts: bool,
}

/// What every handler gets.
#[derive(Clone)]
pub struct WebState {
    app: App,
    who: AthleteId,
    opts: WebOptions,
}

/// The whole application: pages, API, assets, with authentication, CSRF protection and security headers.
pub fn router(app: App, who: AthleteId, opts: WebOptions) -> Router {
    let state = WebState { app, who, opts };
    let protected = Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), auth::require));
    Router::new()
        .merge(protected)
        .merge(auth::routes())
        .merge(pages::calendar::public_routes())
        .merge(pages::people::public_routes())
        .merge(assets::routes())
        .route("/api/openapi.json", axum::routing::get(openapi::openapi_json))
        .fallback(pages::not_found)
        .with_state(state)
        .layer(CsrfLayer::new())
        // One limit everywhere: the extractors' own default (2 MB) is raised to it, and a body over it is refused
        // with 413, as a problem document for the API and a page for people.
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(axum::middleware::from_fn(error::too_large))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .layer(CatchPanicLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// Serves the router on a bound listener until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}
