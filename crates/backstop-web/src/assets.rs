//! Static files embedded in the binary (no CDN, nothing fetched from elsewhere): the stylesheet, the small
//! script, htmx (see `assets/vendor/README.md` for its version, checksum and licence), and what makes the app
//! installable and usable without a connection: the web app manifest, its icons and the service worker. None of
//! them holds personal data, so none needs the access key.

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
    (
        "icon-192.png",
        "image/png",
        include_bytes!("../assets/icon-192.png"),
    ),
    (
        "icon-512.png",
        "image/png",
        include_bytes!("../assets/icon-512.png"),
    ),
];

const MANIFEST: &[u8] = include_bytes!("../assets/manifest.webmanifest");
const SERVICE_WORKER: &str = include_str!("../assets/sw.js");

/// A version for the service worker's cache: FNV-1a over every file it keeps, so that a build with a changed file
/// installs a new worker, which replaces the old copies.
fn files_version() -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for bytes in FILES.iter().map(|(_, _, b)| *b).chain([MANIFEST]) {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// `/sw.js`: served from the root so that its scope is the whole app; never cached by the browser's HTTP cache,
/// so that a new build's worker is found at once.
async fn service_worker() -> Response {
    let body = SERVICE_WORKER
        .replace("__VERSION__", &files_version())
        .replace("__HTMX__", HTMX);
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// `/manifest.webmanifest`: what a phone needs to install the app on its home screen.
async fn manifest() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        MANIFEST,
    )
        .into_response()
}

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

/// `/assets/{name}`, `/sw.js` and `/manifest.webmanifest`.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/assets/{name}", get(asset))
        .route("/sw.js", get(service_worker))
        .route("/manifest.webmanifest", get(manifest))
}

#[cfg(test)]
mod tests {
    /// The stylesheet carries the chart rules the report's charts are drawn for (which drawing shows at which width,
    /// the values shown on a tap), word for word, so that the page and the report never disagree.
    #[test]
    fn the_stylesheet_carries_the_chart_rules() {
        let css = std::str::from_utf8(super::FILES[0].2).unwrap();
        assert!(css.contains(backstop_report::svg::CSS));
    }
}
