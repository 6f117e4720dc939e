//! The signed-in person, as an extractor: every handler that serves someone's data takes it, rather than opening
//! that person's context itself, so whose data a request reads or writes is decided in one place — from the
//! authenticated request (today the server's one person; with accounts, the session's), never from a URL, a form
//! field or a body.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use backstop_app::store::AthleteId;
use backstop_app::{AppError, Context};

use crate::WebState;
use crate::error::{ApiError, PageError};

/// The signed-in person and their context (profile, catalog with their own exercises, time zone).
pub struct SignedIn {
    /// Whose data the request serves.
    pub who: AthleteId,
    /// Their profile, catalog and zone, read once for the request.
    pub ctx: Context,
}

/// Why the signed-in context could not be read (no profile yet, a storage failure), answered as the route
/// answers every error: a problem document under `/api/`, a page elsewhere.
pub struct SignedInRejection {
    api: bool,
    error: AppError,
}

impl IntoResponse for SignedInRejection {
    fn into_response(self) -> Response {
        if self.api {
            ApiError::from(self.error).into_response()
        } else {
            PageError::from(self.error).into_response()
        }
    }
}

impl FromRequestParts<WebState> for SignedIn {
    type Rejection = SignedInRejection;

    async fn from_request_parts(parts: &mut Parts, st: &WebState) -> Result<Self, Self::Rejection> {
        let who = st.who;
        match st.app.context(who).await {
            Ok(ctx) => Ok(SignedIn { who, ctx }),
            Err(error) => {
                // Routes nested under `/api/v1` see their path with the prefix taken off; the original is kept.
                let path = parts
                    .extensions
                    .get::<axum::extract::OriginalUri>()
                    .map_or(parts.uri.path(), |o| o.0.path());
                Err(SignedInRejection {
                    api: path.starts_with("/api/"),
                    error,
                })
            }
        }
    }
}
