//! Import, export and settings: `POST /import`, `GET /export`, `GET`/`PUT /settings` (the page: `/data`, settings under `/profile`).

use super::*;

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

/// Imports a Strong, Hevy or FitNotes CSV (the request body), all or nothing.
#[utoipa::path(post, path = "/api/v1/import", tag = "data", params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportView), (status = 422, description = "the file cannot be read")))]
pub(super) async fn import(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> ApiResult<Json<ImportView>> {
    let mut req = ImportRequest::default();
    if let Some(f) = q.format.as_deref() {
        req.format = Some(f.parse().map_err(field("format"))?);
    }
    req.unit = q
        .unit
        .as_deref()
        .map(str::parse::<WeightUnit>)
        .transpose()
        .map_err(field("unit"))?;
    let (report, o) = st
        .app
        .import_history(who, body.as_ref(), "the uploaded file", req, &mut |_| {})
        .await
        .map_err(|e| match e {
            e @ backstop_app::AppError::UnitNeeded { .. } => {
                bad(format!("{e}: add unit=kg or unit=lb to the query"))
            }
            e => e.into(),
        })?;
    let tz = ctx.tz;
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
pub(super) async fn export(
    State(st): State<WebState>,
    Me { who }: Me,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    let table = match q.table.as_deref() {
        None | Some("json") => {
            let b = st.app.export(who).await?;
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
    let text = st.app.export_csv(who, table).await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response())
}

#[utoipa::path(get, path = "/api/v1/settings", tag = "profile", responses((status = 200, body = Vec<SettingView>)))]
pub(super) async fn get_settings(SignedIn { ctx, .. }: SignedIn) -> ApiResult<Json<Vec<SettingView>>> {
    Ok(Json(backstop_app::view::settings(&ctx.profile.settings)))
}

/// Changes thresholds: a JSON object of `name: value` (durations as text such as "10h").
#[utoipa::path(put, path = "/api/v1/settings", tag = "profile", request_body = Object,
    responses((status = 200, body = Vec<SettingView>), (status = 422, description = "unknown name or bad value")))]
pub(super) async fn put_settings(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Body(changes): Body<serde_json::Map<String, Value>>,
) -> ApiResult<Json<Vec<SettingView>>> {
    let changes: Vec<(String, Value)> = changes.into_iter().collect();
    let s = backstop_app::settings::with_changes(&ctx.profile.settings, &changes).map_err(|errs| {
        bad(errs
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("; "))
    })?;
    let p = st.app.set_settings(who, s).await?;
    Ok(Json(backstop_app::view::settings(&p.settings)))
}
