//! What was recorded, session by session with the check-ins after each.

use super::*;

impl App {
    /// Sessions with their sets and check-ins, newest first, optionally limited to training days in
    /// `[from, to]` (inclusive, civil dates in the profile's zone).
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
        let sessions = self.store.sessions(who, None, None).await?;
        let checkins: Vec<CheckIn> = self
            .store
            .checkins(who)
            .await?
            .into_iter()
            .map(|c| c.checkin)
            .collect();
        let mut out = Vec::new();
        for (i, s) in sessions.iter().enumerate() {
            let date = civil_date(s.session.at, &ctx.tz);
            if from_d.is_some_and(|f| date < f) || to_d.is_some_and(|t| date > t) {
                continue;
            }
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
                date: date.to_string(),
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
