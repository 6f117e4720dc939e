//! Sessions and sets: history, logging a whole session, set by set, corrections (the pages: today's logging and `/history`).

use super::*;

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
        serde_json::from_value(v).map_err(field("set"))
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
    #[schema(value_type = Option<u8>)]
    pub pain_before: Option<Pain>,
    /// The first set.
    pub set: SetDto,
}

/// Closing a session.
#[derive(Deserialize, ToSchema)]
pub struct FinishRequest {
    /// Minutes, 1–600.
    #[schema(value_type = u32)]
    pub minutes: Minutes,
    /// Session RPE, 1–10 in halves.
    #[schema(value_type = f64)]
    pub session_rpe: Rpe,
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

pub(super) fn session_dto(
    ctx: &Context,
    s: &StoredSession,
    a: &backstop_core::engine::Assessment,
) -> SessionView {
    SessionView::stored(s, &ctx.tz, ctx.profile.units, a.session(s.session.at))
}

/// Sessions with their sets, verdicts and check-ins, newest first, as `backstop history --json` gives them; `from`
/// and `to` (dates in the profile's zone, both included) narrow them.
#[utoipa::path(get, path = "/api/v1/sessions", tag = "sessions", params(HistoryQuery),
    responses((status = 200, body = Vec<SessionView>), (status = 422, description = "a date is wrong")))]
pub(super) async fn list_sessions(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<Vec<SessionView>>> {
    let c = st.app.assess_cached(&ctx, who).await?;
    let entries = st.app.history(who, q.from.as_deref(), q.to.as_deref()).await?;
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
pub(super) async fn log_session(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Body(r): Body<SessionRequest>,
) -> ApiResult<Response> {
    let text = serde_json::to_string(&r).map_err(bad)?;
    let s = st
        .app
        .log_document(who, &text, "the session", &SessionOptions::default())
        .await?;
    let c = st.app.assess_cached(&ctx, who).await?;
    Ok((StatusCode::CREATED, Json(session_dto(&ctx, &s, &c.assessment))).into_response())
}

/// The `Idempotency-Key` header, when given: the client's own id for the set it sends.
pub(super) fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<&str>> {
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
pub(super) async fn start_session(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    headers: HeaderMap,
    Body(r): Body<StartRequest>,
) -> ApiResult<Response> {
    let started = match r.started.as_deref() {
        Some(s) => backstop_core::time::parse_instant(s, &ctx.tz, jiff::civil::Time::midnight())
            .map_err(field("started"))?,
        None => st.app.now(),
    };
    let p0 = r.pain_before;
    let doc = r.set.to_doc()?;
    let (s, position) = st
        .app
        .start_session_in(&ctx, who, started, p0, &doc, idempotency_key(&headers)?)
        .await?;
    let ceiling = ctx.profile.session_ceiling(p0);
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
pub(super) async fn get_session(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Path(id): Path<i64>,
) -> ApiResult<Json<SessionView>> {
    let s = st.app.session(who, id).await?;
    let c = st.app.assess_cached(&ctx, who).await?;
    Ok(Json(session_dto(&ctx, &s, &c.assessment)))
}

/// Appends a set to a session.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/sets", tag = "sessions", request_body = SetDto,
    params(("id" = i64, Path, description = "session id"),
        ("Idempotency-Key" = Option<String>, Header, description = "an id the client made for this set (1-64 letters, digits, '-', '_', '.', ':'): sent again, the set is not stored twice")),
    responses((status = 201, body = SetAdded), (status = 404, description = "no such session"), (status = 422, description = "a field is wrong")))]
pub(super) async fn add_set(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Body(set): Body<SetDto>,
) -> ApiResult<Response> {
    let doc = set.to_doc()?;
    let added = st
        .app
        .log_set_in(&ctx, who, id, &doc, idempotency_key(&headers)?)
        .await?;
    let ceiling = ctx.profile.session_ceiling(added.pain_before);
    Ok((
        StatusCode::CREATED,
        Json(SetAdded {
            session: id,
            position: added.position,
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
pub(super) async fn edit_set(
    State(st): State<WebState>,
    me: SignedIn,
    Path((id, pos)): Path<(i64, usize)>,
    Body(set): Body<SetDto>,
) -> ApiResult<Json<SessionView>> {
    let doc = set.to_doc()?;
    st.app.edit_set(me.who, id, pos, &doc, None).await?;
    get_session(State(st), me, Path(id)).await
}

/// Deletes a set (and the session, when it was its only set).
#[utoipa::path(delete, path = "/api/v1/sessions/{id}/sets/{position}", tag = "sessions",
    params(("id" = i64, Path, description = "session id"), ("position" = usize, Path, description = "set position, from 0", minimum = 0, maximum = 299)),
    responses((status = 200, body = SetDeleted), (status = 404, description = "no such session or set")))]
pub(super) async fn delete_set(
    State(st): State<WebState>,
    Me { who }: Me,
    Path((id, pos)): Path<(i64, usize)>,
) -> ApiResult<Json<SetDeleted>> {
    let r = st.app.delete_set(who, id, pos, None).await?;
    Ok(Json(SetDeleted {
        session_deleted: r.session_deleted,
    }))
}

/// Closes a session with its minutes and session RPE.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/finish", tag = "sessions", request_body = FinishRequest,
    params(("id" = i64, Path, description = "session id")),
    responses((status = 200, body = SessionView), (status = 404, description = "no such session")))]
pub(super) async fn finish_session(
    State(st): State<WebState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Body(r): Body<FinishRequest>,
) -> ApiResult<Json<SessionView>> {
    let (m, rpe) = (r.minutes, r.session_rpe);
    st.app.finish_session(me.who, id, m, rpe).await?;
    get_session(State(st), me, Path(id)).await
}
