//! Where the person stands and the training load: `GET /status`, `GET /load` (the pages: `/status`, `/trends`).

use super::*;

/// `GET /load` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoadQuery {
    /// Weeks ending today, 1–520 (default 12).
    #[param(minimum = 1, maximum = 520)]
    pub weeks: Option<u32>,
}

/// Where the person stands: the tolerance ledger, causes and suspects, flare state, check-ins due, red flags,
/// alerts and goal ladders, as `backstop status --json` gives it.
#[utoipa::path(get, path = "/api/v1/status", tag = "status", responses((status = 200, body = StatusView)))]
pub(super) async fn status(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
) -> ApiResult<Json<StatusView>> {
    let c = st.app.assess_cached(&ctx, who).await?;
    Ok(Json(
        StatusView::new(&c.assessment, &ctx.tz, ctx.profile.units).with_care(
            &ctx.care,
            &ctx.tz,
            &ctx.catalog,
        ),
    ))
}

/// The training-load report (daily and weekly load with pain, the acute:chronic ratio, load flags), as
/// `backstop report --json` gives it.
#[utoipa::path(get, path = "/api/v1/load", tag = "status", params(LoadQuery), responses((status = 200, body = LoadReportView)))]
pub(super) async fn load(
    State(st): State<WebState>,
    Me { who }: Me,
    Query(q): Query<LoadQuery>,
) -> ApiResult<Json<LoadReportView>> {
    let (_, r) = st.app.load_report(who, None, q.weeks.unwrap_or(12)).await?;
    Ok(Json(LoadReportView::new(&r)))
}
