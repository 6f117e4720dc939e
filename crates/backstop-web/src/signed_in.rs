//! Whose data a request serves, as extractors: every handler that serves someone's data takes `Me` (or
//! `SignedIn`, which adds their context), rather than naming a person itself, so that whose data a request reads
//! or writes is decided in one place — from the authenticated request, never from a URL, a form field or a body.
//!
//! With the server's one access key, it is the server's one person. With accounts, it is `App::acting`'s
//! decision: an athlete's own data; for a coach or clinician, the athlete they chose (the `backstop_athlete`
//! cookie on pages, the `Backstop-Athlete` header in the API) when that athlete's link is in force, to read only,
//! each read written to the athlete's audit log; for an admin, nobody's.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use backstop_app::accounts::{Acting, Denied};
use backstop_app::store::{Account, AthleteId, AuditAction};
use backstop_app::{AppError, Context};

use crate::WebState;
use crate::error::{ApiError, PageError, problem};

/// The cookie a coach's or clinician's browser names the athlete it is looking at with.
pub const ATHLETE_COOKIE: &str = "backstop_athlete";

/// The header an API client of a coach or clinician names the athlete with.
pub const ATHLETE_HEADER: &str = "backstop-athlete";

/// The person whose data the request serves.
pub struct Me {
    /// Whose data it is.
    pub who: AthleteId,
}

/// The person whose data the request serves, with their context (profile, catalog with their own exercises, time
/// zone), read once for the request.
pub struct SignedIn {
    /// Whose data the request serves.
    pub who: AthleteId,
    /// Their profile, catalog and zone.
    pub ctx: Context,
}

/// The signed-in account, in account mode (`None` with the server's one key).
pub struct SignedAccount(pub Option<Account>);

/// Why the request gets no data, answered as the route answers every error: a problem document under `/api/`,
/// a page elsewhere.
pub struct SignedInRejection {
    api: bool,
    why: Why,
}

enum Why {
    App(AppError),
    Denied(Denied),
}

impl IntoResponse for SignedInRejection {
    fn into_response(self) -> Response {
        let denied = match self.why {
            Why::App(error) if self.api => return ApiError::from(error).into_response(),
            Why::App(error) => return PageError::from(error).into_response(),
            Why::Denied(d) => d,
        };
        let words = match denied {
            Denied::NoAthleteChosen if self.api => {
                "choose an athlete: send their id in the Backstop-Athlete header (GET /api/v1/people lists them)"
            }
            Denied::NoAthleteChosen => return Redirect::to("/people").into_response(),
            Denied::NotYours => "this is not your data, and no athlete has given you access to it",
            Denied::ReadOnly => {
                "coaches and clinicians read an athlete's training; only the athlete logs or changes it"
            }
        };
        if self.api {
            problem(StatusCode::FORBIDDEN, "not open to you", words)
        } else {
            PageError::Forbidden(format!("{}.", capitalized(words))).into_response()
        }
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn is_api(parts: &Parts) -> bool {
    // Routes nested under `/api/v1` see their path with the prefix taken off; the original is kept.
    original_path(parts).starts_with("/api/")
}

fn original_path(parts: &Parts) -> &str {
    parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or(parts.uri.path(), |o| o.0.path())
}

/// The athlete a coach's or clinician's request names, if any: the header, else the cookie.
pub(crate) fn chosen(headers: &axum::http::HeaderMap) -> Option<AthleteId> {
    let header = headers
        .get(ATHLETE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    header
        .or_else(|| crate::auth::cookie_in(headers, ATHLETE_COOKIE).map(str::to_owned))
        .and_then(|v| v.trim().parse().ok())
        .map(AthleteId)
}

impl FromRequestParts<WebState> for Me {
    type Rejection = SignedInRejection;

    async fn from_request_parts(parts: &mut Parts, st: &WebState) -> Result<Self, Self::Rejection> {
        let api = is_api(parts);
        let Some(account) = parts.extensions.get::<Account>() else {
            // The server's one key: its one person.
            return Ok(Me { who: st.who });
        };
        let writes = !matches!(parts.method, Method::GET | Method::HEAD);
        let acting = st
            .app
            .acting(account, chosen(&parts.headers), writes)
            .await
            .map_err(|e| SignedInRejection {
                api,
                why: Why::App(e),
            })?;
        match acting {
            Ok(Acting::Own(who)) => Ok(Me { who }),
            Ok(Acting::ForAthlete { athlete, staff }) => {
                let what = format!("{} {}", parts.method, original_path(parts));
                st.app
                    .audit(athlete, staff, AuditAction::Read, &what)
                    .await
                    .map_err(|e| SignedInRejection {
                        api,
                        why: Why::App(e),
                    })?;
                Ok(Me { who: athlete })
            }
            Err(d) => Err(SignedInRejection {
                api,
                why: Why::Denied(d),
            }),
        }
    }
}

impl FromRequestParts<WebState> for SignedIn {
    type Rejection = SignedInRejection;

    async fn from_request_parts(parts: &mut Parts, st: &WebState) -> Result<Self, Self::Rejection> {
        let Me { who } = Me::from_request_parts(parts, st).await?;
        match st.app.context(who).await {
            Ok(ctx) => Ok(SignedIn { who, ctx }),
            Err(error) => Err(SignedInRejection {
                api: is_api(parts),
                why: Why::App(error),
            }),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedAccount {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(SignedAccount(parts.extensions.get::<Account>().cloned()))
    }
}
