//! Logging sessions and check-ins, and the person's own exercises.

use super::*;

impl App {
    /// Validates and stores the person's own exercises against the built-in and existing ones.
    pub async fn add_exercises(&self, who: AthleteId, new: Vec<Exercise>) -> Result<Vec<Exercise>, AppError> {
        let mut custom: Vec<Exercise> = self
            .store
            .custom_exercises(who)
            .await?
            .into_iter()
            .map(|c| c.exercise)
            .collect();
        custom.extend(new.iter().cloned());
        self.builtin.with_custom(&custom, "the new exercise")?;
        let now = self.now();
        let rows: Vec<CustomExercise> = new
            .iter()
            .map(|e| CustomExercise {
                recorded_at: now,
                exercise: e.clone(),
            })
            .collect();
        self.store.add_custom_exercises(who, &rows).await?;
        Ok(new)
    }

    pub(crate) fn instant(
        &self,
        at: Option<&str>,
        tz: &TimeZone,
        default_time: Time,
    ) -> Result<Timestamp, AppError> {
        match at {
            Some(s) => parse_instant(s, tz, default_time).map_err(input),
            None => Ok(self.now()),
        }
    }

    /// Logs a session written in the compact notation, one group per argument.
    pub async fn log_groups(
        &self,
        who: AthleteId,
        groups: &[String],
        opts: &SessionOptions,
    ) -> Result<StoredSession, AppError> {
        let ctx = self.context(who).await?;
        if groups.is_empty() {
            return Err(input(
                "no sets given; e.g. backstop log \"chest-supported-row 3x10@30 rpe7 p2\"",
            ));
        }
        let mut sets = Vec::new();
        for g in groups {
            sets.extend(
                backstop_core::notation::parse_group(g, &ctx.catalog, ctx.profile.units).map_err(input)?,
            );
        }
        let at = self.instant(opts.at.as_deref(), &ctx.tz, Time::constant(12, 0, 0, 0))?;
        let session = Session {
            at,
            pain_before: opts.pain_before,
            minutes: opts.minutes,
            session_rpe: opts.session_rpe,
            sets,
            notes: None,
            source: None,
        };
        self.store_session(who, session, &ctx.catalog).await
    }

    /// Logs a session from a JSON session document; `origin` names the file in errors.
    pub async fn log_document(
        &self,
        who: AthleteId,
        text: &str,
        origin: &str,
        opts: &SessionOptions,
    ) -> Result<StoredSession, AppError> {
        let ctx = self.context(who).await?;
        // A document is one JSON object; serde would also read a list as the fields in order, and then name the
        // wrong thing ("expected a string at line 1 column 2" for `[1,2]`).
        let what = match text.trim_start().chars().next() {
            Some('{') | None => None,
            Some('[') => Some("a list"),
            Some('"') => Some("a string"),
            Some(_) => Some("not an object"),
        };
        if let Some(what) = what {
            return Err(input(format!(
                "{origin}: a session document is one JSON object with \"sets\" (and, if you like, \"at\",                  \"pain_before\", \"minutes\", \"session_rpe\"); this one is {what}"
            )));
        }
        let doc: SessionDoc = serde_json::from_str(text).map_err(|e| input(format!("{origin}: {e}")))?;
        too_many_sets(doc.sets.len()).map_err(|e| input(format!("{origin}: {e}")))?;
        let at = match opts.at.as_deref() {
            Some(s) => Some(parse_instant(s, &ctx.tz, Time::constant(12, 0, 0, 0)).map_err(input)?),
            None => None,
        };
        let mut session = doc
            .to_session(&ctx.catalog, &ctx.tz, at, self.now())
            .map_err(|e| input(format!("{origin}: {e}")))?;
        session.pain_before = opts.pain_before.or(session.pain_before);
        session.minutes = opts.minutes.or(session.minutes);
        session.session_rpe = opts.session_rpe.or(session.session_rpe);
        for (i, set) in session.sets.iter().enumerate() {
            load_given(set, &ctx.catalog).map_err(|e| input(format!("{origin}: set {}: {e}", i + 1)))?;
        }
        self.store_session(who, session, &ctx.catalog).await
    }

    pub(crate) async fn store_session(
        &self,
        who: AthleteId,
        session: Session,
        catalog: &Catalog,
    ) -> Result<StoredSession, AppError> {
        too_many_sets(session.sets.len())?;
        for set in &session.sets {
            load_given(set, catalog)?;
        }
        let now = self.now();
        if session.at > now + SignedDuration::from_hours(24) {
            return Err(refused(
                "the session is more than a day in the future",
                Remedy::CheckTime,
            ));
        }
        let id = self.store.add_session(who, &session, now, None).await?.id;
        Ok(StoredSession {
            id,
            recorded_at: now,
            session,
        })
    }

    /// Records a check-in (PM-1, PM-5).
    pub async fn checkin(&self, who: AthleteId, c: CheckInInput) -> Result<CheckInOutcome, AppError> {
        let ctx = self.context(who).await?;
        let pain = c
            .pain
            .ok_or_else(|| input("a check-in needs a pain score (0–10)"))?;
        let at = self.instant(c.at.as_deref(), &ctx.tz, Time::constant(8, 0, 0, 0))?;
        // A check-in reports pain felt now or earlier; an hour's grace covers a phone's clock running ahead.
        if at > self.now() + SignedDuration::from_hours(1) {
            return Err(input(format!(
                "a check-in is for pain you feel now or felt earlier, and {} is still to come",
                backstop_core::time::format_local(at, &ctx.tz)
            )));
        }
        let checkin = CheckIn {
            at,
            pain,
            stiffness: c.stiffness,
            muscle_soreness: c.muscle_soreness,
            leg_pain: c.leg_pain || c.leg_reach.is_some(),
            numbness: c.numbness,
            weakness: c.weakness,
            leg_reach: c.leg_reach,
        };
        self.store.add_checkin(who, &checkin, self.now()).await?;
        Ok(CheckInOutcome {
            // Usual, stable leg pain is asked about weekly (RF-4), not after every check-in.
            rescreen: checkin.has_new_leg_symptoms(ctx.profile.usual_leg_symptoms),
            checkin,
        })
    }

    /// Records a check-in with the assessments just before and just after it (the verdicts that differ are the
    /// ones it settled), reading the person's facts once: the "after" one adds the stored check-in to the facts
    /// already read, when the check-in was the only change to them (the revision moved by exactly one); otherwise
    /// it reads them again. The same result as assessing, checking in and assessing again, for about half the work
    /// on a long history.
    pub async fn checkin_assessed(
        &self,
        who: AthleteId,
        c: CheckInInput,
    ) -> Result<(Context, Assessment, CheckInOutcome, Assessment), AppError> {
        let ctx = self.context(who).await?;
        let now = self.now();
        // The facts of `revision`, read in one snapshot (from the fold checkpoint when one holds).
        let (mut facts, revision, _) = self.engine_facts(&ctx, who, now).await?;
        let before = facts.assess(&ctx, now);
        let out = self.checkin(who, c).await?;
        // The check-in is the only change since, and it leaves the checkpoint standing (a back-dated one before
        // it settled makes the store discard it: then everything is read again).
        let only_change =
            self.store.revision(who).await? == revision + 1 && !facts.stale_after(out.checkin.at);
        let after = if only_change {
            facts.checkins.push(out.checkin);
            facts.assess_last(&ctx, now)
        } else {
            self.assess_now(&ctx, who, now).await?.0
        };
        Ok((ctx, before, out, after))
    }
}
