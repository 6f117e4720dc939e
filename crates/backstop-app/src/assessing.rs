//! The engine's assessment at a moment, and the plans made from it.

use super::*;

impl App {
    /// Runs the Ceiling Method engine over every fact at `at` (now when `None`; a bare date means the end of
    /// that day in the profile's zone).
    pub async fn assess(&self, who: AthleteId, at: Option<&str>) -> Result<(Context, Assessment), AppError> {
        let ctx = self.context(who).await?;
        let now = match at {
            Some(s) => parse_instant(s, &ctx.tz, Time::constant(23, 59, 59, 0)).map_err(input)?,
            None => self.now(),
        };
        let (ctx, a, _) = self.assess_in(ctx, who, now).await?;
        Ok((ctx, a))
    }

    /// Assesses at `now` with a context already read, handing back the sessions too for callers that need them.
    pub(crate) async fn assess_in(
        &self,
        ctx: Context,
        who: AthleteId,
        now: Timestamp,
    ) -> Result<(Context, Assessment, Vec<Session>), AppError> {
        let (a, facts) = self.assess_now(&ctx, who, now).await?;
        Ok((ctx, a, facts.sessions))
    }

    /// The assessment a plan for `date` rests on: now for today or later (reused while nothing changed, see
    /// [`App::assess_cached`]); for a past day, midday of that day (after its morning check-in, before an evening
    /// session), so that replaying a day plans it as it was planned then.
    pub(crate) async fn assess_for_day(
        &self,
        ctx: &Context,
        who: AthleteId,
        date: Option<&str>,
    ) -> Result<(jiff::civil::Date, Arc<live::CachedAssessment>), AppError> {
        let today = civil_date(self.now(), &ctx.tz);
        let day = match date {
            Some(s) => backstop_core::time::parse_date(s, &ctx.tz).map_err(input)?,
            None => today,
        };
        if day >= today {
            return Ok((day, self.assess_cached(ctx, who).await?));
        }
        let at = backstop_core::time::instant_on(day, Time::constant(12, 0, 0, 0), &ctx.tz).map_err(input)?;
        Ok((day, self.assess_at(ctx, who, at).await?))
    }

    /// The assessment at an instant, from every fact (not cached).
    pub(crate) async fn assess_at(
        &self,
        ctx: &Context,
        who: AthleteId,
        at: Timestamp,
    ) -> Result<Arc<live::CachedAssessment>, AppError> {
        let (assessment, facts) = self.assess_now(ctx, who, at).await?;
        Ok(Arc::new(live::CachedAssessment {
            revision: -1,
            assessment,
            sessions: facts.sessions,
            sessions_from: facts.sessions_from,
        }))
    }

    /// The assessment as it stood just before `at`, the start of the session in progress: that session's own
    /// sets are not yet evidence, so its plan must not change as they come in. Kept until the history before the
    /// session changes (sets added to the session itself leave it alone).
    pub async fn assess_before(
        &self,
        ctx: &Context,
        who: AthleteId,
        at: Timestamp,
    ) -> Result<Arc<live::CachedAssessment>, AppError> {
        let revision = self.store.history_revision(who).await?;
        let kept = self.before_cache.lock().ok().and_then(|m| {
            m.get(&who)
                .filter(|(t, r, _)| *t == at && *r == revision)
                .map(|(_, _, c)| Arc::clone(c))
        });
        if let Some(c) = kept {
            return Ok(c);
        }
        let c = self
            .assess_at(ctx, who, at - SignedDuration::from_secs(1))
            .await?;
        if let Ok(mut m) = self.before_cache.lock() {
            keep_before(&mut m, who, (at, revision, Arc::clone(&c)), self.now());
        }
        Ok(c)
    }

    /// Plans one session (C7).
    pub async fn plan(
        &self,
        who: AthleteId,
        date: Option<&str>,
        readiness: Readiness,
    ) -> Result<(Context, Plan), AppError> {
        let ctx = self.context(who).await?;
        let (day, c) = self.assess_for_day(&ctx, who, date).await?;
        let p = backstop_core::plan::plan(&c.assessment, &ctx.profile, &ctx.catalog, readiness, day);
        Ok((ctx, p))
    }

    /// Plans the week containing `date` (C7, LM-4, LM-6).
    pub async fn plan_week(
        &self,
        who: AthleteId,
        date: Option<&str>,
    ) -> Result<(Context, WeekPlan), AppError> {
        let ctx = self.context(who).await?;
        let (day, c) = self.assess_for_day(&ctx, who, date).await?;
        let w = backstop_core::plan::plan_week(
            &c.assessment,
            &ctx.profile,
            &ctx.catalog,
            &c.sessions,
            &ctx.tz,
            day,
        );
        Ok((ctx, w))
    }
}

/// Keeps `who`'s assessment from before their session in progress, and drops those of sessions that started more than
/// [`live::OPEN_SESSION_WINDOW`] before `now`: no longer in progress, they are never asked for again.
pub(crate) fn keep_before(
    m: &mut BeforeCache,
    who: AthleteId,
    kept: (Timestamp, i64, Arc<live::CachedAssessment>),
    now: Timestamp,
) {
    m.retain(|_, (started, _, _)| now.duration_since(*started) <= live::OPEN_SESSION_WINDOW);
    m.insert(who, kept);
}
