//! The JSON API under `/api/v1`: the same operations as the pages (profile, plan, logging set by set, check-ins,
//! triage, status, history, load, import, export, settings), for scripts and other clients. Requests carry the
//! server's key as `Authorization: Bearer <key>`; errors are `application/problem+json`. The OpenAPI document
//! at `/api/openapi.json` is generated from the handlers and types below (`utoipa`), on web-layer types so the
//! core stays free of web dependencies.

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
use backstop_core::engine::Settings;
use backstop_core::plan::Readiness;
use backstop_core::redflags::RedFlag;
use backstop_core::triage::TriageAnswers;
use backstop_core::units::Stiffness;
use backstop_core::{LegReach, Minutes, Pain, Profile, Rpe, WeightUnit};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};

use backstop_app::view::{
    CheckInResultView, ImportView, LoadReportView, PlanView, SessionView, SettingView, StatusView,
    TriageView, WeekPlanView,
};

use crate::WebState;
use crate::error::ApiError;

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
            ApiError::Bad(format!(
                "Failed to deserialize the JSON body into the target type: {}: {}",
                e.path(),
                e.inner()
            ))
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

/// The person's profile.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ProfileDto {
    /// `kg` or `lb`.
    pub units: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Equipment names (see `backstop init --help`).
    pub equipment: Vec<String>,
    /// Training days: mon … sun.
    pub days: Vec<String>,
    /// Minutes per session, 1–600.
    pub minutes: u16,
    /// Usual pain, 0–10.
    pub baseline_pain: u8,
    /// What makes the back worse.
    #[serde(default)]
    pub aggravators: Vec<String>,
    /// Years of training.
    #[serde(default)]
    pub training_years: Option<u8>,
    /// Lifts to work back to (catalog ids or names), each with a ladder of easier exercises.
    #[serde(default)]
    pub goal_lifts: Vec<String>,
    /// Usual, stable leg symptoms, by how far down they reach: buttock, thigh or below-knee; `null` for none. Leg
    /// pain within that reach is not a new symptom (PM-4).
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "thigh")]
    pub usual_leg_symptoms: Option<String>,
}

impl ProfileDto {
    fn from_profile(p: &Profile) -> ProfileDto {
        ProfileDto {
            units: p.units.to_string(),
            time_zone: p.time_zone.clone(),
            equipment: p.equipment.iter().map(|e| e.as_str().to_owned()).collect(),
            days: p.days.iter().map(|e| e.as_str().to_owned()).collect(),
            minutes: p.minutes.get(),
            baseline_pain: p.baseline_pain.value(),
            aggravators: p.aggravators.iter().map(|e| e.as_str().to_owned()).collect(),
            training_years: p.training_years,
            goal_lifts: p.goal_lifts.clone(),
            usual_leg_symptoms: p.usual_leg_symptoms.map(|r| r.as_str().to_owned()),
        }
    }

    fn to_profile(&self, base: Profile) -> ApiResult<Profile> {
        fn list<T: std::str::FromStr>(v: &[String], field: &str) -> ApiResult<Vec<T>>
        where
            T::Err: std::fmt::Display,
        {
            v.iter()
                .map(|s| s.parse::<T>().map_err(|e| bad(format!("{field}: {e}"))))
                .collect()
        }
        let mut p = base;
        p.units = match self.units.as_str() {
            "kg" => WeightUnit::Kg,
            "lb" => WeightUnit::Lb,
            other => return Err(bad(format!("units: {other:?} is not kg or lb"))),
        };
        backstop_app::time_zone(&self.time_zone).map_err(|e| bad(format!("time_zone: {e}")))?;
        p.time_zone = self.time_zone.clone();
        p.equipment = list(&self.equipment, "equipment")?;
        p.days = list(&self.days, "days")?;
        if p.days.is_empty() {
            return Err(bad("days: give at least one training day"));
        }
        p.minutes = Minutes::new(u32::from(self.minutes)).map_err(|e| bad(format!("minutes: {e}")))?;
        p.baseline_pain = Pain::new(self.baseline_pain).map_err(|e| bad(format!("baseline_pain: {e}")))?;
        p.aggravators = list(&self.aggravators, "aggravators")?;
        p.training_years = self.training_years;
        p.goal_lifts = self.goal_lifts.clone();
        p.usual_leg_symptoms = self
            .usual_leg_symptoms
            .as_deref()
            .map(str::parse::<LegReach>)
            .transpose()
            .map_err(|e| bad(format!("usual_leg_symptoms: {e}")))?;
        Ok(p)
    }
}

/// Creating or replacing the profile; onboarding also answers the red-flag questions.
#[derive(Deserialize, ToSchema)]
pub struct ProfileRequest {
    /// The profile.
    #[serde(flatten)]
    pub profile: ProfileDto,
    /// The red-flag questions answered "yes" (names as in `backstop init --red-flags`); `[]` for none. Required
    /// the first time.
    #[serde(default)]
    pub red_flags: Option<Vec<String>>,
}

/// A red-flag screen's outcome.
#[derive(Serialize, ToSchema)]
pub struct ScreenDto {
    /// emergency, urgent or soon.
    pub urgency: String,
    /// The answers that decided it.
    pub because: Vec<String>,
}

/// What saving the profile did.
#[derive(Serialize, ToSchema)]
pub struct ProfileSaved {
    /// The profile now.
    pub profile: ProfileDto,
    /// Set when a red-flag answer pauses planning: see a clinician.
    pub red_flag: Option<ScreenDto>,
}

/// `GET /plan/week` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// Any day of the week wanted (YYYY-MM-DD, in the profile's zone); this week when missing.
    #[param(format = Date)]
    pub date: Option<String>,
}

/// `GET /plan` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// The day (YYYY-MM-DD, in the profile's zone); today when missing.
    #[param(format = Date)]
    pub date: Option<String>,
    /// Pain right now, 0–10 (readiness).
    #[param(minimum = 0, maximum = 10)]
    pub pain_now: Option<u8>,
    /// Minutes available today, 1–600.
    #[param(minimum = 1, maximum = 600)]
    pub minutes: Option<u32>,
}

/// A set, as logged or to log (the session document's set: see `docs/cli.md`).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SetDto {
    /// Catalog id, name or alias.
    pub exercise: String,
    /// Reps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<u32>,
    /// Metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metres: Option<u32>,
    /// Load in kilograms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_kg: Option<f64>,
    /// Load in pounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_lb: Option<f64>,
    /// Effort, 1–10 in halves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpe: Option<f64>,
    /// Pain during the set, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain: Option<u8>,
    /// target, back or leg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub felt: Option<String>,
    /// Form broke down.
    #[serde(default)]
    pub form_breakdown: bool,
    /// normal, warmup, drop or failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl SetDto {
    fn to_doc(&self) -> ApiResult<SetDoc> {
        let v = serde_json::to_value(self).map_err(bad)?;
        serde_json::from_value(v).map_err(|e| bad(format!("set: {e}")))
    }
}

/// A session to log in one go (the CLI's session document).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SessionRequest {
    /// Start (RFC 3339, or local "YYYY-MM-DD HH:MM" in the profile's zone); now when missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Pain before, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_before: Option<u8>,
    /// Minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    /// Session RPE, 1–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_rpe: Option<f64>,
    /// The sets in order.
    pub sets: Vec<SetDto>,
}

/// Starting a session with its first set (the gym screen's flow).
#[derive(Deserialize, ToSchema)]
pub struct StartRequest {
    /// When it started (RFC 3339); now when missing.
    pub started: Option<String>,
    /// Pain before, 0–10.
    pub pain_before: Option<u8>,
    /// The first set.
    pub set: SetDto,
}

/// Closing a session.
#[derive(Deserialize, ToSchema)]
pub struct FinishRequest {
    /// Minutes, 1–600.
    pub minutes: u32,
    /// Session RPE, 1–10 in halves.
    pub session_rpe: f64,
}

/// Where a new set went.
#[derive(Serialize, ToSchema)]
pub struct SetAdded {
    /// The session.
    pub session: i64,
    /// The set's position, from 0.
    pub position: usize,
    /// Pain above the day's ceiling: stop this exercise (PM-2).
    pub above_ceiling: bool,
    /// The ceiling used.
    pub ceiling: u8,
}

/// What deleting a set did.
#[derive(Serialize, ToSchema)]
pub struct SetDeleted {
    /// The session had no other set and was deleted too.
    pub session_deleted: bool,
}

/// A check-in to record.
#[derive(Deserialize, ToSchema)]
pub struct CheckInRequest {
    /// When (RFC 3339 or local time); now when missing. A bare date means 08:00.
    pub at: Option<String>,
    /// Pain now, 0–10.
    pub pain: u8,
    /// Morning stiffness, 0–10.
    pub stiffness: Option<u32>,
    /// The ache is in the trained muscles and eases with movement.
    #[serde(default)]
    pub muscle_soreness: bool,
    /// Pain into a leg.
    #[serde(default)]
    pub leg_pain: bool,
    /// Numbness or pins and needles.
    #[serde(default)]
    pub numbness: bool,
    /// New weakness.
    #[serde(default)]
    pub weakness: bool,
    /// How far down the leg the leg pain reached: buttock, thigh or below-knee (implies `leg_pain`). Within the
    /// profile's usual leg symptoms it is not a new symptom (PM-4).
    #[schema(value_type = Option<String>, example = "thigh")]
    pub leg_reach: Option<String>,
}

/// Triage answers (`backstop triage --help` lists the values).
#[derive(Deserialize, ToSchema)]
pub struct TriageRequest {
    /// during, hours, next-day, days. The five questions may be left out only when a red flag is given: it acts
    /// whatever else is unanswered.
    #[serde(default)]
    pub when: Option<String>,
    /// muscle, spine, buttock, above-knee, below-knee.
    #[serde(rename = "where", default)]
    pub location: Option<String>,
    /// ache, tight, sharp, burning, electric.
    #[serde(default)]
    pub quality: Option<String>,
    /// eases, worsens, no-change.
    #[serde(default)]
    pub movement: Option<String>,
    /// better, same, worse.
    #[serde(default)]
    pub trend: Option<String>,
    /// Red-flag questions answered yes.
    #[serde(default)]
    pub red_flags: Vec<String>,
    /// Extreme muscle pain with dark urine after training.
    #[serde(default)]
    pub dark_urine: bool,
    /// Pain now, 0–10 (recorded as a check-in).
    pub pain: Option<u8>,
}

/// `GET /load` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoadQuery {
    /// Weeks ending today, 1–520 (default 12).
    #[param(minimum = 1, maximum = 520)]
    pub weeks: Option<u32>,
}

/// `POST /import` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// strong, strong6, strong-android, hevy, fitnotes; recognised when missing.
    #[param(pattern = "^(strong|strong6|strong-android|hevy|fitnotes)$")]
    pub format: Option<String>,
    /// kg or lb, for files that do not say.
    #[param(pattern = "^(kg|lb)$")]
    pub unit: Option<String>,
}

fn session_dto(ctx: &Context, s: &StoredSession, a: &backstop_core::engine::Assessment) -> SessionView {
    SessionView::stored(s, &ctx.tz, ctx.profile.units, a.session(s.session.at))
}

/// The profile.
#[utoipa::path(get, path = "/api/v1/profile", tag = "profile",
    responses((status = 200, body = ProfileDto), (status = 409, description = "no profile yet")))]
async fn get_profile(State(st): State<WebState>) -> ApiResult<Json<ProfileDto>> {
    let ctx = st.app.context(st.who).await?;
    Ok(Json(ProfileDto::from_profile(&ctx.profile)))
}

/// Creates or replaces the profile (and, at onboarding, records the red-flag answers).
#[utoipa::path(put, path = "/api/v1/profile", tag = "profile", request_body = ProfileRequest,
    responses((status = 200, body = ProfileSaved), (status = 422, description = "a field is wrong")))]
async fn put_profile(
    State(st): State<WebState>,
    Body(r): Body<ProfileRequest>,
) -> ApiResult<Json<ProfileSaved>> {
    let current = st.app.profile(st.who).await?;
    let first = current.is_none() || !st.app.has_screening(st.who).await?;
    let base = current.unwrap_or_else(|| Profile {
        units: WeightUnit::Kg,
        time_zone: "UTC".into(),
        equipment: Vec::new(),
        days: Vec::new(),
        minutes: Minutes::new(45).expect("45 minutes is within 1–600"),
        baseline_pain: Pain::ZERO,
        aggravators: Vec::new(),
        training_years: None,
        settings: Settings::default(),
        goal_lifts: Vec::new(),
        usual_leg_symptoms: None,
    });
    let p = r.profile.to_profile(base)?;
    let flags = match &r.red_flags {
        Some(list) => Some(
            list.iter()
                .map(|f| f.parse::<RedFlag>().map_err(|e| bad(format!("red_flags: {e}"))))
                .collect::<ApiResult<Vec<_>>>()?,
        ),
        None if first => {
            return Err(bad(
                "red_flags: answer the red-flag questions the first time ([] when none applies)",
            ));
        }
        None => None,
    };
    let screen = st.app.init(st.who, p.clone(), flags).await?;
    Ok(Json(ProfileSaved {
        profile: ProfileDto::from_profile(&p),
        red_flag: screen.map(|s| ScreenDto {
            urgency: s.urgency.as_str().to_owned(),
            because: s.because,
        }),
    }))
}

/// The plan for a day (today when no date).
#[utoipa::path(get, path = "/api/v1/plan", tag = "plan", params(PlanQuery),
    responses((status = 200, body = PlanView), (status = 409, description = "no profile yet")))]
async fn get_plan(State(st): State<WebState>, Query(q): Query<PlanQuery>) -> ApiResult<Json<PlanView>> {
    let readiness = Readiness {
        pain_now: q
            .pain_now
            .map(Pain::new)
            .transpose()
            .map_err(|e| bad(format!("pain_now: {e}")))?,
        minutes: q
            .minutes
            .map(Minutes::new)
            .transpose()
            .map_err(|e| bad(format!("minutes: {e}")))?,
    };
    let (ctx, p) = st.app.plan(st.who, q.date.as_deref(), readiness).await?;
    Ok(Json(PlanView::new(&p, ctx.profile.units)))
}

/// The plan for the week containing a day: each training day's session, the heavy days and the check-ins due.
#[utoipa::path(get, path = "/api/v1/plan/week", tag = "plan", params(WeekQuery),
    responses((status = 200, body = WeekPlanView), (status = 409, description = "no profile yet")))]
async fn get_week(State(st): State<WebState>, Query(q): Query<WeekQuery>) -> ApiResult<Json<WeekPlanView>> {
    let (ctx, w) = st.app.plan_week(st.who, q.date.as_deref()).await?;
    Ok(Json(WeekPlanView::new(&w, &ctx.catalog, ctx.profile.units)))
}

/// Sessions with their sets, verdicts and check-ins, newest first, as `backstop history --json` gives them; `from`
/// and `to` (dates in the profile's zone, both included) narrow them.
#[utoipa::path(get, path = "/api/v1/sessions", tag = "sessions", params(HistoryQuery),
    responses((status = 200, body = Vec<SessionView>), (status = 422, description = "a date is wrong")))]
async fn list_sessions(
    State(st): State<WebState>,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<Vec<SessionView>>> {
    let ctx = st.app.context(st.who).await?;
    let c = st.app.assess_cached(&ctx, st.who).await?;
    let entries = st.app.history(st.who, q.from.as_deref(), q.to.as_deref()).await?;
    Ok(Json(
        entries
            .iter()
            .map(|e| SessionView::new(e, c.assessment.session(e.at.timestamp())))
            .collect(),
    ))
}

/// `GET /sessions` query.
#[derive(Deserialize, IntoParams)]
pub struct HistoryQuery {
    /// The first day (YYYY-MM-DD), included.
    pub from: Option<String>,
    /// The last day (YYYY-MM-DD), included.
    pub to: Option<String>,
}

/// Logs a whole session at once.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "sessions", request_body = SessionRequest,
    responses((status = 201, body = SessionView), (status = 422, description = "a field is wrong")))]
async fn log_session(State(st): State<WebState>, Body(r): Body<SessionRequest>) -> ApiResult<Response> {
    let text = serde_json::to_string(&r).map_err(bad)?;
    let s = st
        .app
        .log_document(st.who, &text, "the session", &SessionOptions::default())
        .await?;
    let ctx = st.app.context(st.who).await?;
    let c = st.app.assess_cached(&ctx, st.who).await?;
    Ok((StatusCode::CREATED, Json(session_dto(&ctx, &s, &c.assessment))).into_response())
}

/// The `Idempotency-Key` header, when given: the client's own id for the set it sends.
fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<&str>> {
    headers
        .get("idempotency-key")
        .map(|v| {
            v.to_str()
                .map_err(|_| bad("Idempotency-Key: letters, digits, '-', '_', '.' or ':' only"))
        })
        .transpose()
}

/// Starts a session with its first set.
#[utoipa::path(post, path = "/api/v1/sessions/start", tag = "sessions", request_body = StartRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "an id the client made for this set (1-64 letters, digits, '-', '_', '.', ':'): sent again, the set is not stored twice")),
    responses((status = 201, body = SetAdded), (status = 422, description = "a field is wrong")))]
async fn start_session(
    State(st): State<WebState>,
    headers: HeaderMap,
    Body(r): Body<StartRequest>,
) -> ApiResult<Response> {
    let ctx = st.app.context(st.who).await?;
    let started = match r.started.as_deref() {
        Some(s) => backstop_core::time::parse_instant(s, &ctx.tz, jiff::civil::Time::midnight())
            .map_err(|e| bad(format!("started: {e}")))?,
        None => st.app.now(),
    };
    let p0 = r
        .pain_before
        .map(Pain::new)
        .transpose()
        .map_err(|e| bad(format!("pain_before: {e}")))?;
    let doc = r.set.to_doc()?;
    let (s, position) = st
        .app
        .start_session(st.who, started, p0, &doc, idempotency_key(&headers)?)
        .await?;
    let ceiling = ctx
        .profile
        .settings
        .ceiling(p0.map_or(ctx.profile.baseline_pain.value(), |p| p.value()));
    Ok((
        StatusCode::CREATED,
        Json(SetAdded {
            session: s.id,
            position,
            above_ceiling: r.set.pain.is_some_and(|p| p > ceiling),
            ceiling,
        }),
    )
        .into_response())
}

/// One session.
#[utoipa::path(get, path = "/api/v1/sessions/{id}", tag = "sessions", params(("id" = i64, Path, description = "session id")),
    responses((status = 200, body = SessionView), (status = 404, description = "no such session")))]
async fn get_session(State(st): State<WebState>, Path(id): Path<i64>) -> ApiResult<Json<SessionView>> {
    let ctx = st.app.context(st.who).await?;
    let s = st.app.session(st.who, id).await?;
    let c = st.app.assess_cached(&ctx, st.who).await?;
    Ok(Json(session_dto(&ctx, &s, &c.assessment)))
}

/// Appends a set to a session.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/sets", tag = "sessions", request_body = SetDto,
    params(("id" = i64, Path, description = "session id"),
        ("Idempotency-Key" = Option<String>, Header, description = "an id the client made for this set (1-64 letters, digits, '-', '_', '.', ':'): sent again, the set is not stored twice")),
    responses((status = 201, body = SetAdded), (status = 404, description = "no such session"), (status = 422, description = "a field is wrong")))]
async fn add_set(
    State(st): State<WebState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Body(set): Body<SetDto>,
) -> ApiResult<Response> {
    let ctx = st.app.context(st.who).await?;
    let doc = set.to_doc()?;
    let position = st
        .app
        .log_set(st.who, id, &doc, idempotency_key(&headers)?)
        .await?;
    let s = st.app.session(st.who, id).await?;
    let ceiling = ctx.profile.settings.ceiling(
        s.session
            .pain_before
            .map_or(ctx.profile.baseline_pain.value(), |p| p.value()),
    );
    Ok((
        StatusCode::CREATED,
        Json(SetAdded {
            session: id,
            position,
            above_ceiling: set.pain.is_some_and(|p| p > ceiling),
            ceiling,
        }),
    )
        .into_response())
}

/// Corrects a set.
#[utoipa::path(put, path = "/api/v1/sessions/{id}/sets/{position}", tag = "sessions", request_body = SetDto,
    params(("id" = i64, Path, description = "session id"), ("position" = usize, Path, description = "set position, from 0", minimum = 0, maximum = 299)),
    responses((status = 200, body = SessionView), (status = 404, description = "no such session or set")))]
async fn edit_set(
    State(st): State<WebState>,
    Path((id, pos)): Path<(i64, usize)>,
    Body(set): Body<SetDto>,
) -> ApiResult<Json<SessionView>> {
    let doc = set.to_doc()?;
    st.app.edit_set(st.who, id, pos, &doc, None).await?;
    get_session(State(st), Path(id)).await
}

/// Deletes a set (and the session, when it was its only set).
#[utoipa::path(delete, path = "/api/v1/sessions/{id}/sets/{position}", tag = "sessions",
    params(("id" = i64, Path, description = "session id"), ("position" = usize, Path, description = "set position, from 0", minimum = 0, maximum = 299)),
    responses((status = 200, body = SetDeleted), (status = 404, description = "no such session or set")))]
async fn delete_set(
    State(st): State<WebState>,
    Path((id, pos)): Path<(i64, usize)>,
) -> ApiResult<Json<SetDeleted>> {
    let r = st.app.delete_set(st.who, id, pos, None).await?;
    Ok(Json(SetDeleted {
        session_deleted: r.session_deleted,
    }))
}

/// Closes a session with its minutes and session RPE.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/finish", tag = "sessions", request_body = FinishRequest,
    params(("id" = i64, Path, description = "session id")),
    responses((status = 200, body = SessionView), (status = 404, description = "no such session")))]
async fn finish_session(
    State(st): State<WebState>,
    Path(id): Path<i64>,
    Body(r): Body<FinishRequest>,
) -> ApiResult<Json<SessionView>> {
    let m = Minutes::new(r.minutes).map_err(|e| bad(format!("minutes: {e}")))?;
    let rpe = Rpe::new(r.session_rpe).map_err(|e| bad(format!("session_rpe: {e}")))?;
    st.app.finish_session(st.who, id, m, rpe).await?;
    get_session(State(st), Path(id)).await
}

/// Records a check-in, and says which session verdicts it settled or changed, as `backstop checkin --json` does.
#[utoipa::path(post, path = "/api/v1/checkins", tag = "check-ins", request_body = CheckInRequest,
    responses((status = 201, body = CheckInResultView), (status = 422, description = "a field is wrong")))]
async fn checkin(State(st): State<WebState>, Body(r): Body<CheckInRequest>) -> ApiResult<Response> {
    let ctx = st.app.context(st.who).await?;
    let before = st.app.assess_cached(&ctx, st.who).await?;
    let out = st
        .app
        .checkin(
            st.who,
            CheckInInput {
                at: r.at,
                pain: Some(Pain::new(r.pain).map_err(|e| bad(format!("pain: {e}")))?),
                stiffness: r
                    .stiffness
                    .map(Stiffness::new)
                    .transpose()
                    .map_err(|e| bad(format!("stiffness: {e}")))?,
                muscle_soreness: r.muscle_soreness,
                leg_pain: r.leg_pain,
                numbness: r.numbness,
                weakness: r.weakness,
                leg_reach: r
                    .leg_reach
                    .as_deref()
                    .map(str::parse::<LegReach>)
                    .transpose()
                    .map_err(|e| bad(format!("leg_reach: {e}")))?,
            },
        )
        .await?;
    let after = st.app.assess_cached(&ctx, st.who).await?;
    let view = CheckInResultView::new(
        &out.checkin,
        &before.assessment,
        &after.assessment,
        out.rescreen,
        &ctx.tz,
    );
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// Soreness or pain? Classifies the answers and records them.
#[utoipa::path(post, path = "/api/v1/triage", tag = "triage", request_body = TriageRequest,
    responses((status = 200, body = TriageView), (status = 422, description = "an answer is wrong")))]
async fn triage(State(st): State<WebState>, Body(r): Body<TriageRequest>) -> ApiResult<Json<TriageView>> {
    let mut red_flags = r
        .red_flags
        .iter()
        .map(|f| f.parse::<RedFlag>().map_err(|e| bad(format!("red_flags: {e}"))))
        .collect::<ApiResult<Vec<_>>>()?;
    // `dark_urine: true` is the same answer as the `dark-urine` red flag (DS-4).
    if r.dark_urine && !red_flags.contains(&RedFlag::DarkUrine) {
        red_flags.push(RedFlag::DarkUrine);
    }
    // Every answer given is read first: a word that is not an answer is refused (422, nothing recorded) even beside
    // a red flag, so a client learns of its typo instead of having part of what it sent ignored.
    fn answer<T: std::str::FromStr>(name: &str, v: &Option<String>) -> ApiResult<Option<T>>
    where
        T::Err: std::fmt::Display,
    {
        v.as_deref()
            .map(|s| s.parse::<T>().map_err(|e| bad(format!("{name}: {e}"))))
            .transpose()
    }
    let when = answer("when", &r.when)?;
    let location = answer("where", &r.location)?;
    let quality = answer("quality", &r.quality)?;
    let movement = answer("movement", &r.movement)?;
    let trend = answer("trend", &r.trend)?;
    let pain = r
        .pain
        .map(Pain::new)
        .transpose()
        .map_err(|e| bad(format!("pain: {e}")))?;
    let missing: Vec<String> = [
        ("when", when.is_none()),
        ("where", location.is_none()),
        ("quality", quality.is_none()),
        ("movement", movement.is_none()),
        ("trend", trend.is_none()),
    ]
    .iter()
    .filter(|(_, absent)| *absent)
    .map(|(k, _)| (*k).to_owned())
    .collect();
    let (Some(when), Some(location), Some(quality), Some(movement), Some(trend)) =
        (when, location, quality, movement, trend)
    else {
        // A red flag acts whatever else is unanswered (RF-2, RF-3).
        if let Some(t) = st.app.red_flags_alone(st.who, red_flags).await? {
            return Ok(Json(TriageView::new(t, missing)));
        }
        return Err(bad(format!(
            "answer every question: missing {}",
            missing.join(", ")
        )));
    };
    let answers = TriageAnswers {
        when,
        location,
        quality,
        movement,
        trend,
        red_flags,
        dark_urine: r.dark_urine,
    };
    let t = st.app.triage(st.who, answers, pain, None).await?;
    Ok(Json(TriageView::new(t, Vec::new())))
}

/// Where the person stands: the tolerance ledger, causes and suspects, flare state, check-ins due, red flags,
/// alerts and goal ladders, as `backstop status --json` gives it.
#[utoipa::path(get, path = "/api/v1/status", tag = "status", responses((status = 200, body = StatusView)))]
async fn status(State(st): State<WebState>) -> ApiResult<Json<StatusView>> {
    let ctx = st.app.context(st.who).await?;
    let c = st.app.assess_cached(&ctx, st.who).await?;
    Ok(Json(StatusView::new(&c.assessment, &ctx.tz, ctx.profile.units)))
}

/// The training-load report (daily and weekly load with pain, the acute:chronic ratio, load flags), as
/// `backstop report --json` gives it.
#[utoipa::path(get, path = "/api/v1/load", tag = "status", params(LoadQuery), responses((status = 200, body = LoadReportView)))]
async fn load(State(st): State<WebState>, Query(q): Query<LoadQuery>) -> ApiResult<Json<LoadReportView>> {
    let (_, r) = st.app.load_report(st.who, None, q.weeks.unwrap_or(12)).await?;
    Ok(Json(LoadReportView::new(&r)))
}

/// Imports a Strong, Hevy or FitNotes CSV (the request body), all or nothing.
#[utoipa::path(post, path = "/api/v1/import", tag = "data", params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportView), (status = 422, description = "the file cannot be read")))]
async fn import(
    State(st): State<WebState>,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> ApiResult<Json<ImportView>> {
    let mut req = ImportRequest::default();
    if let Some(f) = q.format.as_deref() {
        req.format = Some(f.parse().map_err(|e| bad(format!("format: {e}")))?);
    }
    req.unit = match q.unit.as_deref() {
        None => None,
        Some("kg") => Some(WeightUnit::Kg),
        Some("lb") => Some(WeightUnit::Lb),
        Some(other) => return Err(bad(format!("unit: {other:?} is not kg or lb"))),
    };
    let (report, o) = st
        .app
        .import_history(st.who, body.as_ref(), "the uploaded file", req, &mut |_| {})
        .await
        .map_err(|e| match e {
            e @ backstop_app::AppError::UnitNeeded { .. } => {
                bad(format!("{e}: add unit=kg or unit=lb to the query"))
            }
            e => e.into(),
        })?;
    let tz = st.app.context(st.who).await?.tz;
    Ok(Json(ImportView::new(&report, &o, &tz)))
}

/// `GET /export` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// json (everything, restorable) or sets, sessions, checkins (CSV tables).
    #[param(pattern = "^(json|sets|sessions|checkins)$")]
    pub table: Option<String>,
}

/// Everything, as the export document (JSON) or one CSV table.
#[utoipa::path(get, path = "/api/v1/export", tag = "data", params(ExportQuery),
    responses((status = 200, description = "the export document (application/json) or a CSV table (text/csv)")))]
async fn export(State(st): State<WebState>, Query(q): Query<ExportQuery>) -> ApiResult<Response> {
    let table = match q.table.as_deref() {
        None | Some("json") => {
            let b = st.app.export(st.who).await?;
            return Ok(Json(b).into_response());
        }
        Some("sets") => CsvTable::Sets,
        Some("sessions") => CsvTable::Sessions,
        Some("checkins") => CsvTable::Checkins,
        Some(other) => {
            return Err(bad(format!(
                "table: {other:?} is not json, sets, sessions or checkins"
            )));
        }
    };
    let text = st.app.export_csv(st.who, table).await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response())
}

#[utoipa::path(get, path = "/api/v1/settings", tag = "profile", responses((status = 200, body = Vec<SettingView>)))]
async fn get_settings(State(st): State<WebState>) -> ApiResult<Json<Vec<SettingView>>> {
    let ctx = st.app.context(st.who).await?;
    Ok(Json(backstop_app::view::settings(&ctx.profile.settings)))
}

/// Changes thresholds: a JSON object of `name: value` (durations as text such as "10h").
#[utoipa::path(put, path = "/api/v1/settings", tag = "profile", request_body = Object,
    responses((status = 200, body = Vec<SettingView>), (status = 422, description = "unknown name or bad value")))]
async fn put_settings(
    State(st): State<WebState>,
    Body(changes): Body<serde_json::Map<String, Value>>,
) -> ApiResult<Json<Vec<SettingView>>> {
    let ctx = st.app.context(st.who).await?;
    let changes: Vec<(String, Value)> = changes.into_iter().collect();
    let s = backstop_app::settings::with_changes(&ctx.profile.settings, &changes).map_err(|errs| {
        bad(errs
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("; "))
    })?;
    let p = st.app.set_settings(st.who, s).await?;
    Ok(Json(backstop_app::view::settings(&p.settings)))
}

/// The OpenAPI description of this API.
#[derive(OpenApi)]
#[openapi(
    info(title = "backstop", description = "Back training that your back tolerates: plans, set-by-set logging with pain, \
        check-ins, triage and the tolerance ledger. Authenticate with `Authorization: Bearer <key>` (the key `backstop serve` printed)."),
    paths(get_profile, put_profile, get_plan, get_week, list_sessions, log_session, start_session, get_session, add_set, edit_set,
        delete_set, finish_session, checkin, triage, status, load, import, export, get_settings, put_settings),
    tags((name = "profile"), (name = "plan"), (name = "sessions"), (name = "check-ins"), (name = "triage"),
        (name = "status"), (name = "data"))
)]
pub struct ApiDoc;

/// The API routes (mounted under `/api/v1`).
pub fn routes() -> Router<WebState> {
    Router::new()
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
