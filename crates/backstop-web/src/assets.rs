//! Static files embedded in the binary (no CDN, nothing fetched from elsewhere): the stylesheet, the small
//! script, and htmx (see `assets/vendor/README.md` for its version, checksum and licence).

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::WebState;

/// The vendored htmx file's name (its version is in the name, so it can be cached for a long time).
pub const HTMX: &str = "htmx-2.0.11.min.js";

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    (
        HTMX,
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/vendor/htmx-2.0.11.min.js"),
    ),
];

async fn asset(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((n, mime, body)) => {
            // The htmx file is versioned by name; our own files change with the binary, so revalidate them daily.
            let cache = if *n == HTMX {
                "public, max-age=31536000, immutable"
            } else {
                "public, max-age=3600"
            };
            (
                [(header::CONTENT_TYPE, *mime), (header::CACHE_CONTROL, cache)],
                *body,
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}

/// `/assets/{name}`.
pub fn routes() -> Router<WebState> {
    Router::new().route("/assets/{name}", get(asset))
}
