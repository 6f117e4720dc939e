//! The triage: `POST /triage` (the page: `/triage`).

use super::*;

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

/// Soreness or pain? Classifies the answers and records them.
#[utoipa::path(post, path = "/api/v1/triage", tag = "triage", request_body = TriageRequest,
    responses((status = 200, body = TriageView), (status = 422, description = "an answer is wrong")))]
pub(super) async fn triage(
    State(st): State<WebState>,
    Me { who }: Me,
    Body(r): Body<TriageRequest>,
) -> ApiResult<Json<TriageView>> {
    let mut red_flags = r
        .red_flags
        .iter()
        .map(|f| f.parse::<RedFlag>().map_err(field("red_flags")))
        .collect::<ApiResult<Vec<_>>>()?;
    // `dark_urine: true` is the same answer as the `dark-urine` red flag (DS-4).
    if r.dark_urine && !red_flags.contains(&RedFlag::DarkUrine) {
        red_flags.push(RedFlag::DarkUrine);
    }
    // Every answer given is read first: a word that is not an answer is refused (422, nothing recorded) even beside
    // a red flag, so a client learns of its typo instead of having part of what it sent ignored.
    fn answer<T: std::str::FromStr>(name: &str, v: &Option<String>) -> ApiResult<Option<T>>
    where
        T::Err: std::error::Error + Send + Sync + 'static,
    {
        v.as_deref()
            .map(|s| s.parse::<T>().map_err(field(name)))
            .transpose()
    }
    let when = answer("when", &r.when)?;
    let location = answer("where", &r.location)?;
    let quality = answer("quality", &r.quality)?;
    let movement = answer("movement", &r.movement)?;
    let trend = answer("trend", &r.trend)?;
    let pain = r.pain.map(Pain::new).transpose().map_err(field("pain"))?;
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
        if let Some(t) = st.app.red_flags_alone(who, red_flags).await? {
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
    let t = st.app.triage(who, answers, pain, None).await?;
    Ok(Json(TriageView::new(t, Vec::new())))
}
