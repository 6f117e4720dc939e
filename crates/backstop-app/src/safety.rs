//! Red flags, clearances, flare marks and the triage (RF-1 … RF-5, FL-1, DS-1 … DS-4).

use super::*;

impl App {
    /// Whether the person has ever answered the red-flag screen.
    pub async fn has_screening(&self, who: AthleteId) -> Result<bool, AppError> {
        Ok(!self.store.screenings(who).await?.is_empty())
    }

    /// Records a red-flag screen outside onboarding (after leg symptoms, a flare, or on request).
    pub async fn screen(
        &self,
        who: AthleteId,
        context: ScreeningContext,
        flags: Vec<RedFlag>,
    ) -> Result<Option<ScreenResult>, AppError> {
        let screening = Screening {
            at: self.now(),
            context,
            flags,
        };
        self.store.add_screening(who, &screening).await?;
        Ok(redflags::assess(&screening.flags))
    }

    /// Red-flag answers given without the rest of the triage: recorded as a screen and classified at once, since a
    /// red flag acts whatever else is unanswered (RF-2, RF-3). `None` when no flag was given.
    pub async fn red_flags_alone(
        &self,
        who: AthleteId,
        flags: Vec<RedFlag>,
    ) -> Result<Option<TriageResult>, AppError> {
        if flags.is_empty() {
            return Ok(None);
        }
        let r = self.screen(who, ScreeningContext::Triage, flags).await?;
        Ok(r.map(|r| TriageResult {
            classification: Classification::RedFlag,
            urgency: Some(r.urgency),
            advice: r.advice(),
            because: r.because,
        }))
    }

    /// The red-flag state now (RF-2, RF-3).
    pub async fn red_flag_state(&self, who: AthleteId) -> Result<RedFlagState, AppError> {
        let s = self.store.screenings(who).await?;
        let c = self.store.clearances(who).await?;
        Ok(redflags::state(&s, &c, self.now()))
    }

    /// Records a clinician's clearance.
    pub async fn clearance(
        &self,
        who: AthleteId,
        at: Option<&str>,
        note: Option<String>,
    ) -> Result<Clearance, AppError> {
        let ctx = self.context(who).await?;
        let at = self.instant(at, &ctx.tz, Time::constant(12, 0, 0, 0))?;
        if at > self.now() + SignedDuration::from_mins(5) {
            return Err(input(
                "a clearance cannot be dated in the future; record it once you have been cleared",
            ));
        }
        // A clearance only clears answers given before it; dating it earlier would silently clear nothing.
        let state = self.red_flag_state(who).await?;
        if let Some(since) = state.since
            && state.open.is_some()
            && at < since
        {
            return Err(refused(
                format!(
                    "the clearance is dated {}, before the red-flag answers of {} that it should clear",
                    backstop_core::time::format_local(at, &ctx.tz),
                    backstop_core::time::format_local(since, &ctx.tz)
                ),
                Remedy::LaterTime,
            ));
        }
        let c = Clearance { at, note };
        self.store.add_clearance(who, &c).await?;
        Ok(c)
    }

    /// Records a declared flare start or end (FL-1).
    pub async fn flare(
        &self,
        who: AthleteId,
        mark: FlareMark,
        at: Option<&str>,
    ) -> Result<FlareEvent, AppError> {
        let ctx = self.context(who).await?;
        let at = self.instant(at, &ctx.tz, Time::constant(12, 0, 0, 0))?;
        if at > self.now() + SignedDuration::from_hours(24) {
            return Err(refused(
                "a flare mark cannot be more than a day in the future",
                Remedy::CheckTime,
            ));
        }
        let marks = self.store.flare_events(who).await?;
        let open = marks
            .iter()
            .filter(|m| m.at <= at)
            .max_by_key(|m| m.at)
            .filter(|m| m.mark == FlareMark::Start);
        match (mark, open) {
            (FlareMark::Start, Some(o)) => {
                return Err(refused(
                    format!(
                        "a flare is already declared since {}",
                        backstop_core::time::format_local(o.at, &ctx.tz)
                    ),
                    Remedy::EndFlareFirst,
                ));
            }
            (FlareMark::End, None) => {
                return Err(refused(
                    "there is no declared flare to end at that time",
                    Remedy::StartFlareFirst,
                ));
            }
            _ => {}
        }
        let e = FlareEvent { at, mark };
        self.store.add_flare_event(who, &e).await?;
        Ok(e)
    }

    /// Records triage answers and classifies them (C10). With `pain`, a check-in is recorded too, marked as
    /// training soreness when that is the outcome (so it does not count against an exercise) and with leg pain
    /// when nerve involvement is possible; red-flag answers are recorded as a screen.
    pub async fn triage(
        &self,
        who: AthleteId,
        answers: TriageAnswers,
        pain: Option<Pain>,
        at: Option<&str>,
    ) -> Result<TriageResult, AppError> {
        let ctx = self.context(who).await?;
        let at = self.instant(at, &ctx.tz, Time::constant(8, 0, 0, 0))?;
        if at > self.now() + SignedDuration::from_hours(24) {
            return Err(refused(
                "the triage is more than a day in the future",
                Remedy::CheckTime,
            ));
        }
        let result = backstop_core::triage::classify_for(&answers, ctx.profile.usual_leg_symptoms);
        self.store
            .add_triage(
                who,
                &TriageRecord {
                    at,
                    answers: answers.clone(),
                },
            )
            .await?;
        // Dark urine after training is a red flag like the others: stored with the screen, so that it pauses
        // training until a clearance (DS-4).
        let mut flags = answers.red_flags.clone();
        if answers.dark_urine && !flags.contains(&RedFlag::DarkUrine) {
            flags.push(RedFlag::DarkUrine);
        }
        if !flags.is_empty() {
            let s = Screening {
                at,
                context: ScreeningContext::Triage,
                flags,
            };
            self.store.add_screening(who, &s).await?;
        }
        if let Some(p) = pain {
            let c = CheckIn {
                at,
                pain: p,
                stiffness: None,
                muscle_soreness: result.classification == Classification::Soreness,
                // Leg pain when it points to nerve involvement or is felt in the leg, with its reach: the engine
                // then decides whether it is new (PM-4) or within the usual leg symptoms (counted only for the
                // weekly re-ask, RF-4).
                leg_pain: result.classification == Classification::Nerve
                    || answers.location.leg_reach().is_some(),
                numbness: false,
                weakness: false,
                leg_reach: answers.location.leg_reach(),
            };
            self.store.add_checkin(who, &c, self.now()).await?;
        }
        Ok(result)
    }
}
