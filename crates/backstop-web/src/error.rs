//! Errors as responses: an HTML page for people, `application/problem+json` for the API. Nothing internal leaks:
//! storage failures are logged in full and shown as a plain apology; input errors say what was wrong.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use backstop_app::AppError;
use backstop_app::store::StoreError;

use crate::views::{Layout, html};

/// A page handler's failure.
#[derive(Debug)]
pub enum PageError {
    /// A use case failed.
    App(AppError),
    /// No such page or record.
    NotFound(String),
    /// The signed-in account may not have this (someone else's data, or a change it may not make).
    Forbidden(String),
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError::App(e)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: &'static str,
    message: String,
}

fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Store(StoreError::NotFound(_)) => StatusCode::NOT_FOUND,
        AppError::Store(StoreError::Taken(_)) => StatusCode::CONFLICT,
        e if e.is_input() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn public_message(e: &AppError) -> String {
    if status_of(e) == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %e, "request failed");
        "Something went wrong on our side and nothing was changed. Try again; if it keeps happening, the server's log says why.".into()
    } else {
        e.to_string()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match self {
            PageError::App(AppError::NoProfile) => return Redirect::to("/welcome").into_response(),
            PageError::NotFound(what) => (StatusCode::NOT_FOUND, "Not found", what),
            PageError::Forbidden(why) => (StatusCode::FORBIDDEN, "Not open to you", why),
            PageError::App(e) => {
                let status = status_of(&e);
                let heading = match status {
                    StatusCode::NOT_FOUND => "Not found",
                    StatusCode::UNPROCESSABLE_ENTITY => "That could not be saved",
                    _ => "Something went wrong",
                };
                (status, heading, public_message(&e))
            }
        };
        let page = ErrorPage {
            layout: Layout::new(heading, ""),
            heading,
            message,
        };
        (status, html(&page)).into_response()
    }
}

/// An RFC 9457 problem document: every error the API answers.
#[derive(serde::Serialize)]
struct Problem<'a> {
    /// The HTTP status.
    status: u16,
    /// What kind of error, in a few words.
    title: &'a str,
    /// What went wrong and where, for a person.
    detail: &'a str,
    /// The request field that was wrong, when one was (an extension member, RFC 9457 section 3.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

/// An RFC 9457 problem document.
pub fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    problem_at(status, title, detail, None)
}

/// An RFC 9457 problem document that names the request field that was wrong.
fn problem_at(status: StatusCode, title: &str, detail: &str, field: Option<&str>) -> Response {
    let body = serde_json::to_string(&Problem {
        status: status.as_u16(),
        title,
        detail,
        field,
    })
    .unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response()
}

/// The one answer to a body over `BODY_LIMIT`, whichever layer noticed it (a declared length the limit layer
/// refuses, or a body that ran over while an extractor read it): 413, as a problem document under `/api` and a
/// page elsewhere. Under `/api`, every other error the framework answers by itself (a path or query value that
/// cannot be read, a method the route does not have, an unknown route) becomes a problem document too, with the
/// framework's own words as its detail: an API client reads one error format.
pub async fn too_large(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let r = next.run(req).await;
    let status = r.status();
    if api && status.is_client_error() && status != StatusCode::PAYLOAD_TOO_LARGE {
        return as_problem(r).await;
    }
    if status != StatusCode::PAYLOAD_TOO_LARGE {
        return r;
    }
    let detail = format!(
        "the request body is larger than the {} MiB limit",
        crate::BODY_LIMIT / (1024 * 1024)
    );
    if api {
        return problem(StatusCode::PAYLOAD_TOO_LARGE, "request too large", &detail);
    }
    let page = ErrorPage {
        layout: Layout::new("Too large", ""),
        heading: "That is too large to send",
        message: format!("{detail}; nothing was changed."),
    };
    (StatusCode::PAYLOAD_TOO_LARGE, html(&page)).into_response()
}

/// An API error response as a problem document, unless it is one already.
async fn as_problem(r: Response) -> Response {
    let is_problem = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"));
    if is_problem {
        return r;
    }
    let (parts, body) = r.into_parts();
    // The framework's own rejections are short; anything longer is cut rather than echoed whole.
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let status = parts.status;
    let title = match status {
        StatusCode::BAD_REQUEST => "the request cannot be read",
        StatusCode::NOT_FOUND => "no such resource",
        StatusCode::METHOD_NOT_ALLOWED => "method not allowed",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported media type",
        _ => status.canonical_reason().unwrap_or("client error"),
    };
    let detail = if text.is_empty() { title.to_owned() } else { text };
    let mut out = problem(status, title, &detail);
    // Keep what the framework said about the answer (Allow on a 405, WWW-Authenticate on a 401).
    for name in [header::ALLOW, header::WWW_AUTHENTICATE] {
        if let Some(v) = parts.headers.get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

/// An API handler's failure.
#[derive(Debug)]
pub enum ApiError {
    /// A use case failed.
    App(AppError),
    /// The request itself was wrong (a missing value, a body that cannot be read).
    Bad(String),
    /// One field of the request was wrong: its name, and the error that says why.
    Field {
        /// The field, as the request names it ("pain", "sets[0].reps").
        field: String,
        /// Why it was refused.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The body is over `BODY_LIMIT`.
    TooLarge,
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Bad(m) => problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid request", &m),
            ApiError::Field { field, source } => problem_at(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid request",
                &format!("{field}: {source}"),
                Some(&field),
            ),
            // Turned into the one problem document by `too_large`.
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE.into_response(),
            ApiError::App(AppError::NoProfile) => problem(
                StatusCode::CONFLICT,
                "no profile yet",
                "create the profile first (PUT /api/v1/profile)",
            ),
            ApiError::App(e) => {
                let status = status_of(&e);
                let title = match status {
                    StatusCode::NOT_FOUND => "not found",
                    StatusCode::UNPROCESSABLE_ENTITY => "invalid request",
                    _ => "server error",
                };
                problem(status, title, &public_message(&e))
            }
        }
    }
}
