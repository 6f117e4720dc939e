//! Check-ins: `POST /checkins` (the page: `/checkin`).

use super::*;

/// A check-in to record.
#[derive(Deserialize, ToSchema)]
pub struct CheckInRequest {
    /// When (RFC 3339 or local time); now when missing. A bare date means 08:00.
    pub at: Option<String>,
    /// Pain now, 0–10.
    #[schema(value_type = u8)]
    pub pain: Pain,
    /// Morning stiffness, 0–10.
    #[schema(value_type = Option<u8>)]
    pub stiffness: Option<Stiffness>,
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
    pub leg_reach: Option<LegReach>,
}

/// Records a check-in, and says which session verdicts it settled or changed, as `backstop checkin --json` does.
#[utoipa::path(post, path = "/api/v1/checkins", tag = "check-ins", request_body = CheckInRequest,
    responses((status = 201, body = CheckInResultView), (status = 422, description = "a field is wrong")))]
pub(super) async fn checkin(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Body(r): Body<CheckInRequest>,
) -> ApiResult<Response> {
    let before = st.app.assess_cached(&ctx, who).await?;
    let out = st
        .app
        .checkin(
            who,
            CheckInInput {
                at: r.at,
                pain: Some(r.pain),
                stiffness: r.stiffness,
                muscle_soreness: r.muscle_soreness,
                leg_pain: r.leg_pain,
                numbness: r.numbness,
                weakness: r.weakness,
                leg_reach: r.leg_reach,
            },
        )
        .await?;
    let after = st.app.assess_cached(&ctx, who).await?;
    let view = CheckInResultView::new(
        &out.checkin,
        &before.assessment,
        &after.assessment,
        out.rescreen,
        &ctx.tz,
    );
    Ok((StatusCode::CREATED, Json(view)).into_response())
}
