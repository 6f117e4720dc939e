//! The JSON API under `/api/v1`: the same operations as the pages (profile, plan, logging set by set, check-ins,
//! triage, status, history, load, import, export, settings), for scripts and other clients. Requests carry the
//! server's key as `Authorization: Bearer <key>`; errors are `application/problem+json`. The OpenAPI document
//! at `/api/openapi.json` is generated from the handlers and types of this module's files, one per area as in
//! `pages/` (`utoipa`), and from the `backstop_app::view` types they return (`openapi.rs` completes it).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use backstop_app::export::CsvTable;
use backstop_app::store::StoredSession;
use backstop_app::{CheckInInput, Context, ImportRequest, SessionOptions};
use backstop_core::document::SetDoc;
use backstop_core::plan::Readiness;
use backstop_core::redflags::RedFlag;
use backstop_core::triage::TriageAnswers;
use backstop_core::units::Stiffness;
use backstop_core::{LegReach, Minutes, Pain, Profile, Rpe, WeightUnit};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};

use backstop_app::view::{
    CheckInResultView, ImportView, LoadReportView, PlanView, RosterEntryView, SessionView, SettingView,
    StatusView, TriageView, WeekPlanView,
};

use crate::WebState;
use crate::error::ApiError;
use crate::signed_in::{Me, SignedIn};

mod checkin;
mod data;
mod plan;
mod profile;
mod sessions;
mod status;
mod triage;

use checkin::*;
use data::*;
use plan::*;
use profile::*;
use sessions::*;
use status::*;
use triage::*;

type ApiResult<T> = Result<T, ApiError>;

/// A JSON body whose refusal (bad JSON, a wrong type, a missing field) is a problem document like every other
/// error, naming what was wrong.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let mut value = match Json::<Value>::from_request(req, state).await {
            Ok(Json(v)) => v,
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::TooLarge);
            }
            Err(e) => return Err(ApiError::Bad(e.body_text())),
        };
        whole_numbers(&mut value);
        serde_path_to_error::deserialize(value).map(Body).map_err(|e| {
            // A value refused by its type (a pain of 11, an unknown leg reach) names its field and keeps the
            // type's own error; a body that cannot be read at all says where it stopped.
            let path = e.path().to_string();
            if path == "." {
                ApiError::Bad(format!(
                    "Failed to deserialize the JSON body into the target type: {}",
                    e.inner()
                ))
            } else {
                ApiError::Field {
                    field: path,
                    source: Box::new(e.into_inner()),
                }
            }
        })
    }
}

/// JSON has one kind of number: `3.0` is the integer 3 (JSON Schema agrees), so a whole number written with a
/// fraction is read as that integer wherever the API expects one (a client that sends every number as a float
/// is not refused).
fn whole_numbers(v: &mut Value) {
    match v {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *v = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

fn bad(e: impl ToString) -> ApiError {
    ApiError::Bad(e.to_string())
}

/// A refusal of one field, keeping its name and the error behind it: `.map_err(field("pain"))`.
fn field<E: std::error::Error + Send + Sync + 'static>(name: &str) -> impl FnOnce(E) -> ApiError + '_ {
    move |e| ApiError::Field {
        field: name.to_owned(),
        source: Box::new(e),
    }
}

/// The OpenAPI description of this API.
#[derive(OpenApi)]
#[openapi(
    info(title = "backstop", description = "Back training that your back tolerates: plans, set-by-set logging with pain, \
        check-ins, triage and the tolerance ledger. Authenticate with `Authorization: Bearer <key>` (the key `backstop serve` printed)."),
    paths(check_key, crate::auth::api_login, crate::auth::api_logout, people, profile::get_profile, profile::put_profile, plan::get_plan, plan::get_week, sessions::list_sessions,
        sessions::log_session, sessions::start_session, sessions::get_session, sessions::add_set, sessions::edit_set,
        sessions::delete_set, sessions::finish_session, checkin::checkin, triage::triage, status::status,
        status::load, data::import, data::export, data::get_settings, data::put_settings),
    tags((name = "access"), (name = "profile"), (name = "plan"), (name = "sessions"), (name = "check-ins"), (name = "triage"),
        (name = "status"), (name = "data"))
)]
pub struct ApiDoc;

/// Whether the key (or the browser's sign-in) is accepted: 204 when it is, 401 when it is not. A client can check
/// its key before sending anything; this reads and writes nothing, so it is also the floor the server bench measures
/// other requests against.
#[utoipa::path(get, path = "/api/v1/key", tag = "access",
    responses((status = 204, description = "the key is accepted")))]
pub(super) async fn check_key() -> StatusCode {
    StatusCode::NO_CONTENT
}

/// A coach's or clinician's roster (account mode): each linked athlete with what needs attention, most urgent
/// first; 403 for any other account, and on a one-person server. Each athlete's data read for it is written to
/// their audit log.
#[utoipa::path(get, path = "/api/v1/people", tag = "access",
    responses((status = 200, body = [RosterEntryView], description = "the roster, who needs attention first"),
        (status = 403, description = "not a coach or clinician, or a server without accounts")))]
pub(super) async fn people(
    State(st): State<WebState>,
    crate::signed_in::SignedAccount(account): crate::signed_in::SignedAccount,
) -> ApiResult<Response> {
    let Some(a) = account.filter(|a| a.role.is_staff()) else {
        return Ok(crate::error::problem(
            StatusCode::FORBIDDEN,
            "not open to you",
            "only a coach or clinician on a server with accounts has a roster",
        ));
    };
    Ok(Json(st.app.roster(&a).await?).into_response())
}

/// The API routes (mounted under `/api/v1`).
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/key", get(check_key))
        .route("/people", get(people))
        .route("/profile", get(get_profile).put(put_profile))
        .route("/plan", get(get_plan))
        .route("/plan/week", get(get_week))
        .route("/sessions", get(list_sessions).post(log_session))
        .route("/sessions/start", post(start_session))
        .route("/sessions/{id}", get(get_session))
        .route("/sessions/{id}/sets", post(add_set))
        .route("/sessions/{id}/sets/{position}", put(edit_set).delete(delete_set))
        .route("/sessions/{id}/finish", post(finish_session))
        .route("/checkins", post(checkin))
        .route("/triage", post(triage))
        .route("/status", get(status))
        .route("/load", get(load))
        .route("/import", post(import))
        .route("/export", get(export))
        .route("/settings", get(get_settings).put(put_settings))
}
