//! The pages, one module per area of `docs/web.md` ("Pages").

pub mod calendar;
mod catalog;
mod checkin;
mod data;
mod history;
pub mod learn;
pub mod people;
mod profile;
mod status;
pub mod today;
mod trends;
mod triage;
pub mod week;

use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::WebState;
use crate::error::PageError;

/// Every page route.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/today") }))
        .merge(today::routes())
        .merge(profile::routes())
        .merge(checkin::routes())
        .merge(status::routes())
        .merge(history::routes())
        .merge(trends::routes())
        .merge(triage::routes())
        .merge(data::routes())
        .merge(week::routes())
        .merge(catalog::routes())
        .merge(calendar::routes())
        .merge(learn::routes())
        .merge(people::routes())
}

/// Any other address.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::problem(
            axum::http::StatusCode::NOT_FOUND,
            "not found",
            "no such API route",
        );
    }
    PageError::NotFound(format!("There is no page at {}.", uri.path())).into_response()
}

/// The full address of a path on this server, as the person's browser reached it (the `Host` it sent; `https`
/// when the cookies are marked secure, i.e. behind a TLS proxy): for a link shown to be copied elsewhere.
pub fn absolute_url(st: &WebState, headers: &axum::http::HeaderMap, path: &str) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let scheme = if st.opts.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}{path}")
}

/// Percent-encodes a value for a query string or fragment ('/' may stay: both allow it, and a path reads better).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
