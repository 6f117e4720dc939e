//! What was recorded, session by session with the check-ins after each.

use super::*;

impl App {
    /// Sessions with their sets and check-ins, newest first, optionally limited to training days in
    /// `[from, to]` (inclusive, civil dates in the profile's zone). Only the sessions of those days are read.
    pub async fn history(
        &self,
        who: AthleteId,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Vec<HistoryEntry>, AppError> {
        let ctx = self.context(who).await?;
        let from_d = from
            .map(|s| backstop_core::time::parse_date(s, &ctx.tz).map_err(input))
            .transpose()?;
        let to_d = to
            .map(|s| backstop_core::time::parse_date(s, &ctx.tz).map_err(input))
            .transpose()?;
        if let (Some(f), Some(t)) = (from_d, to_d)
            && f > t
        {
            return Err(input(format!("the first day {f} is after the last day {t}")));
        }
        // A day's sessions are those that started from its midnight to the next day's, in the person's zone.
        let midnight = |d: jiff::civil::Date| {
            backstop_core::time::instant_on(d, Time::midnight(), &ctx.tz).map_err(input)
        };
        let start = from_d.map(midnight).transpose()?;
        let end = match to_d {
            Some(t) => match t.tomorrow() {
                Ok(next) => Some(midnight(next)?),
                Err(_) => None,
            },
            None => None,
        };
        self.history_in(&ctx, who, start, end).await
    }

    /// One page of the history, newest first: page 0 holds the `per_page` newest sessions, page 1 the ones before
    /// them, and so on; with whether older sessions remain. It reads only that page's sessions, found from the
    /// sessions `kept` (the assessment a page shows its verdicts from, [`App::assess_cached`]) was made from, so ten
    /// years of training cost a page no more than one week does.
    pub async fn history_page(
        &self,
        ctx: &Context,
        who: AthleteId,
        kept: &live::CachedAssessment,
        page: usize,
        per_page: usize,
    ) -> Result<(Vec<HistoryEntry>, bool), AppError> {
        // The sessions' starts: those read, or, when the assessment started from a fold checkpoint and read only
        // the recent ones, those it judged (a session of warm-up sets alone then joins the page around it).
        let starts: Vec<Timestamp> = if kept.sessions_from.is_some() {
            kept.assessment.sessions.iter().map(|v| v.session_at).collect()
        } else {
            kept.sessions.iter().map(|s| s.at).collect()
        };
        let n = starts.len();
        let newer = page.saturating_mul(per_page.max(1));
        if newer >= n {
            return Ok((Vec::new(), false));
        }
        let hi = n - newer;
        let lo = hi.saturating_sub(per_page.max(1));
        // The oldest page reaches back to the very first session.
        let start = if lo == 0 { None } else { starts.get(lo).copied() };
        let end = starts.get(hi).copied();
        Ok((self.history_in(ctx, who, start, end).await?, lo > 0))
    }

    /// The sessions that started in `[start, end)` (open ends when `None`) with their check-ins, newest first. The
    /// store read covers those sessions and the ones up to a check-in window after `end`, which bound the check-ins
    /// of the last (a check-in belongs to the session before it, within the window).
    async fn history_in(
        &self,
        ctx: &Context,
        who: AthleteId,
        start: Option<Timestamp>,
        end: Option<Timestamp>,
    ) -> Result<Vec<HistoryEntry>, AppError> {
        let read_to = end.and_then(|e| e.checked_add(CHECKIN_WINDOW).ok());
        let sessions = self.store.sessions(who, start, read_to).await?;
        let checkins: Vec<CheckIn> = self
            .store
            .checkins(who, start, read_to)
            .await?
            .into_iter()
            .map(|c| c.checkin)
            .collect();
        let mut out = Vec::new();
        for (i, s) in sessions.iter().enumerate() {
            if end.is_some_and(|e| s.session.at >= e) {
                break;
            }
            // The next session read, if any; one past `read_to` starts after every check-in that can be this one's.
            let next = sessions.get(i + 1).map(|n| n.session.at);
            let cs = checkins
                .iter()
                .filter(|c| {
                    c.at >= s.session.at
                        && next.is_none_or(|n| c.at < n)
                        && c.at.duration_since(s.session.at) <= CHECKIN_WINDOW
                })
                .map(|c| HistoryCheckIn {
                    at: LocalTime::new(c.at, &ctx.tz),
                    hours_after: (c.at.duration_since(s.session.at).as_secs_f64() / 360.0).round() / 10.0,
                    pain: c.pain,
                    stiffness: c.stiffness,
                    muscle_soreness: c.muscle_soreness,
                    leg_pain: c.leg_pain,
                    numbness: c.numbness,
                    weakness: c.weakness,
                })
                .collect();
            out.push(HistoryEntry {
                id: s.id,
                at: LocalTime::new(s.session.at, &ctx.tz),
                date: civil_date(s.session.at, &ctx.tz).to_string(),
                pain_before: s.session.pain_before,
                minutes: s.session.minutes,
                session_rpe: s.session.session_rpe,
                sets: s
                    .session
                    .sets
                    .iter()
                    .map(|x| SetDoc::from_entry(x, ctx.profile.units))
                    .collect(),
                checkins: cs,
            });
        }
        out.reverse();
        Ok(out)
    }
}
