//! Plans: `GET /plan` and `GET /plan/week` (the pages: today and `/week`).

use super::*;

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

/// The plan for a day (today when no date).
#[utoipa::path(get, path = "/api/v1/plan", tag = "plan", params(PlanQuery),
    responses((status = 200, body = PlanView), (status = 409, description = "no profile yet")))]
pub(super) async fn get_plan(
    State(st): State<WebState>,
    Me { who }: Me,
    Query(q): Query<PlanQuery>,
) -> ApiResult<Json<PlanView>> {
    let readiness = Readiness {
        pain_now: q.pain_now.map(Pain::new).transpose().map_err(field("pain_now"))?,
        minutes: q
            .minutes
            .map(Minutes::new)
            .transpose()
            .map_err(field("minutes"))?,
    };
    let (ctx, p) = st.app.plan(who, q.date.as_deref(), readiness).await?;
    Ok(Json(PlanView::new(&p, ctx.profile.units)))
}

/// The plan for the week containing a day: each training day's session, the heavy days and the check-ins due.
#[utoipa::path(get, path = "/api/v1/plan/week", tag = "plan", params(WeekQuery),
    responses((status = 200, body = WeekPlanView), (status = 409, description = "no profile yet")))]
pub(super) async fn get_week(
    State(st): State<WebState>,
    Me { who }: Me,
    Query(q): Query<WeekQuery>,
) -> ApiResult<Json<WeekPlanView>> {
    let (ctx, w) = st.app.plan_week(who, q.date.as_deref()).await?;
    Ok(Json(WeekPlanView::new(&w, &ctx.catalog, ctx.profile.units)))
}
