//! The load report and the clinician's HTML report.

use super::*;

impl App {
    /// The training-load report for the `weeks` weeks ending on `date`.
    pub async fn load_report(
        &self,
        who: AthleteId,
        date: Option<&str>,
        weeks: u32,
    ) -> Result<(Context, LoadReport), AppError> {
        let (ctx, _, r) = self.load_parts(who, date, weeks).await?;
        Ok((ctx, r))
    }

    /// The load report and the assessment it reads, both as they stand at the end of its last day (or now, when
    /// that is earlier), from one read of the facts. A report that ends today reads the assessment kept for now
    /// ([`App::assess_cached`]), so a server's Trends page and load API do not read the whole history again.
    pub(crate) async fn load_parts(
        &self,
        who: AthleteId,
        date: Option<&str>,
        weeks: u32,
    ) -> Result<(Context, Arc<live::CachedAssessment>, LoadReport), AppError> {
        if !(1..=520).contains(&weeks) {
            return Err(input("--weeks must be 1–520"));
        }
        let ctx = self.context(who).await?;
        let to = match date {
            Some(s) => backstop_core::time::parse_date(s, &ctx.tz).map_err(input)?,
            None => civil_date(self.now(), &ctx.tz),
        };
        let end =
            backstop_core::time::instant_on(to, Time::constant(23, 59, 59, 0), &ctx.tz).map_err(input)?;
        let c = if end >= self.now() {
            self.assess_cached(&ctx, who).await?
        } else {
            self.assess_at(&ctx, who, end).await?
        };
        let from = to
            .checked_sub(jiff::Span::new().days(i64::from(weeks) * 7 - 1))
            .map_err(input)?;
        // The load figures run from the first session (the chronic average never forgets). When the assessment
        // started from a fold checkpoint with only the recent sessions, the report reads in full those of the weeks
        // it shows, and the earlier ones by their load inputs alone: one row per session, not every set.
        let (recent, loads);
        let (sessions, earlier): (&[Session], &[backstop_core::load::LoadInputs]) =
            if c.sessions_from.is_some() {
                let start = backstop_core::time::instant_on(
                    backstop_core::load::detail_from(from),
                    Time::midnight(),
                    &ctx.tz,
                )
                .map_err(input)?;
                recent = self
                    .store
                    .sessions(who, Some(start), None)
                    .await?
                    .into_iter()
                    .map(|s| s.session)
                    .collect::<Vec<_>>();
                loads = self.store.session_loads(who, start).await?;
                (&recent, &loads)
            } else {
                (&c.sessions, &[])
            };
        let r = backstop_core::load::report(
            sessions,
            earlier,
            &c.assessment.sessions,
            &ctx.catalog,
            &ctx.tz,
            ctx.profile.units,
            from,
            to,
        );
        Ok((ctx, c, r))
    }

    /// The self-contained HTML report for the `weeks` weeks ending on `date`.
    pub async fn html_report(
        &self,
        who: AthleteId,
        date: Option<&str>,
        weeks: u32,
    ) -> Result<String, AppError> {
        let (ctx, a, load) = self.load_parts(who, date, weeks).await?;
        Ok(backstop_report::html(&backstop_report::ReportInput {
            assessment: &a.assessment,
            load: &load,
            tz: &ctx.tz,
            unit: ctx.profile.units,
            usual_pain: ctx.profile.baseline_pain.value(),
        }))
    }
}
