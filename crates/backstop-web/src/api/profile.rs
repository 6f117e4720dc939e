//! The profile: `GET`/`PUT /profile` (the page: `/profile`).

use super::*;

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
        fn list<T: std::str::FromStr>(v: &[String], name: &str) -> ApiResult<Vec<T>>
        where
            T::Err: std::error::Error + Send + Sync + 'static,
        {
            v.iter().map(|s| s.parse::<T>().map_err(field(name))).collect()
        }
        let mut p = base;
        p.units = self.units.parse::<WeightUnit>().map_err(field("units"))?;
        backstop_app::time_zone(&self.time_zone).map_err(field("time_zone"))?;
        p.time_zone = self.time_zone.clone();
        p.equipment = list(&self.equipment, "equipment")?;
        p.days = list(&self.days, "days")?;
        if p.days.is_empty() {
            return Err(bad("days: give at least one training day"));
        }
        p.minutes = Minutes::new(u32::from(self.minutes)).map_err(field("minutes"))?;
        p.baseline_pain = Pain::new(self.baseline_pain).map_err(field("baseline_pain"))?;
        p.aggravators = list(&self.aggravators, "aggravators")?;
        p.training_years = self.training_years;
        p.goal_lifts = self.goal_lifts.clone();
        p.usual_leg_symptoms = self
            .usual_leg_symptoms
            .as_deref()
            .map(str::parse::<LegReach>)
            .transpose()
            .map_err(field("usual_leg_symptoms"))?;
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

/// The profile.
#[utoipa::path(get, path = "/api/v1/profile", tag = "profile",
    responses((status = 200, body = ProfileDto), (status = 409, description = "no profile yet")))]
pub(super) async fn get_profile(SignedIn { ctx, .. }: SignedIn) -> ApiResult<Json<ProfileDto>> {
    Ok(Json(ProfileDto::from_profile(&ctx.profile)))
}

/// Creates or replaces the profile (and, at onboarding, records the red-flag answers).
#[utoipa::path(put, path = "/api/v1/profile", tag = "profile", request_body = ProfileRequest,
    responses((status = 200, body = ProfileSaved), (status = 422, description = "a field is wrong")))]
pub(super) async fn put_profile(
    State(st): State<WebState>,
    Me { who }: Me,
    Body(r): Body<ProfileRequest>,
) -> ApiResult<Json<ProfileSaved>> {
    let current = st.app.profile(who).await?;
    let first = current.is_none() || !st.app.has_screening(who).await?;
    let base = current.unwrap_or_else(|| Profile::starting("UTC"));
    let p = r.profile.to_profile(base)?;
    let flags = match &r.red_flags {
        Some(list) => Some(
            list.iter()
                .map(|f| f.parse::<RedFlag>().map_err(field("red_flags")))
                .collect::<ApiResult<Vec<_>>>()?,
        ),
        None if first => {
            return Err(bad(
                "red_flags: answer the red-flag questions the first time ([] when none applies)",
            ));
        }
        None => None,
    };
    let screen = st.app.init(who, p.clone(), flags).await?;
    Ok(Json(ProfileSaved {
        profile: ProfileDto::from_profile(&p),
        red_flag: screen.map(|s| ScreenDto {
            urgency: s.urgency.as_str().to_owned(),
            because: s.because,
        }),
    }))
}
