//! Calendar links and browser sessions: random tokens, kept only as their hashes.

use super::*;

impl App {
    /// The sessions planned from today for `weeks` weeks (1–8) and the morning check-ins after them, as an
    /// iCalendar feed. Days whose planning is paused by a red flag are left out.
    pub async fn calendar(&self, who: AthleteId, weeks: u32) -> Result<String, AppError> {
        if !(1..=8).contains(&weeks) {
            return Err(input("the calendar covers 1 to 8 weeks"));
        }
        let ctx = self.context(who).await?;
        let today = civil_date(self.now(), &ctx.tz);
        let end = today
            .checked_add(jiff::Span::new().days(i64::from(weeks) * 7))
            .map_err(input)?;
        // Every week is planned from today's assessment: nothing later is known yet.
        let c = self.assess_cached(&ctx, who).await?;
        let mut days = Vec::new();
        let mut day = today;
        while day < end {
            let w = backstop_core::plan::plan_week(
                &c.assessment,
                &ctx.profile,
                &ctx.catalog,
                &c.sessions,
                &ctx.tz,
                day,
            );
            for (date, plan) in w.days {
                let Some(p) = plan.filter(|p| p.mode != backstop_core::plan::Mode::Blocked) else {
                    continue;
                };
                if date < today || date >= end {
                    continue;
                }
                days.push(backstop_report::ics::PlannedDay {
                    date,
                    minutes: p.estimated_minutes.round() as u32,
                    heavy: p.is_heavy(&ctx.catalog),
                    lines: p
                        .items
                        .iter()
                        .map(|i| format!("{} {}", i.name, i.dose.describe(ctx.profile.units)))
                        .collect(),
                });
            }
            day = w
                .week_start
                .checked_add(jiff::Span::new().days(7))
                .map_err(input)?;
        }
        Ok(backstop_report::ics::calendar(&days, self.now()))
    }

    /// Makes a calendar feed link and returns its token: a calendar app that has it can read the planned
    /// sessions (nothing else) until the links are turned off. Only the token's SHA-256 is stored.
    pub async fn new_calendar_link(&self, who: AthleteId) -> Result<String, AppError> {
        let token = new_token()?;
        self.store
            .add_calendar_feed(who, &sha256_hex(&token), self.now())
            .await?;
        Ok(token)
    }

    /// Turns off every calendar feed link of the person; returns how many were on.
    pub async fn revoke_calendar_links(&self, who: AthleteId) -> Result<usize, AppError> {
        Ok(self.store.revoke_calendar_feeds(who, self.now()).await?)
    }

    /// Whose calendar a feed token opens, if any.
    pub async fn calendar_owner(&self, token: &str) -> Result<Option<AthleteId>, AppError> {
        let Some(hash) = token_hash(token) else {
            return Ok(None);
        };
        Ok(self.store.calendar_feed(&hash).await?)
    }

    /// Signs a browser in to a server with this key: returns a new random session token for its cookie. Only
    /// the token's SHA-256 is stored, with the key's, so that the token lapses after `WEB_SESSION_DAYS`, when it
    /// is signed out, or when the server gets a new key.
    pub async fn open_web_session(&self, server_key: &str) -> Result<String, AppError> {
        let token = new_token()?;
        let now = self.now();
        let expires = now
            .checked_add(jiff::SignedDuration::from_hours(24 * WEB_SESSION_DAYS))
            .map_err(input)?;
        self.store
            .add_web_session(&sha256_hex(&token), &sha256_hex(server_key), now, expires)
            .await?;
        Ok(token)
    }

    /// Whether a browser's session token is signed in to the server with this key.
    pub async fn web_session_open(&self, token: &str, server_key: &str) -> Result<bool, AppError> {
        let Some(hash) = token_hash(token) else {
            return Ok(false);
        };
        Ok(self
            .store
            .web_session(&hash, &sha256_hex(server_key), self.now())
            .await?)
    }

    /// Signs one browser out; whether it was signed in.
    pub async fn close_web_session(&self, token: &str) -> Result<bool, AppError> {
        let Some(hash) = token_hash(token) else {
            return Ok(false);
        };
        Ok(self.store.revoke_web_session(&hash, self.now()).await?)
    }

    /// Signs every browser out; returns how many were signed in.
    pub async fn close_all_web_sessions(&self) -> Result<usize, AppError> {
        Ok(self.store.revoke_web_sessions(self.now()).await?)
    }
}
