//! Logging a session set by set as it happens (the web app's gym screen), correcting a logged set, and the
//! cached assessment a server answers from.
//!
//! A session is written when its first set is logged, never empty: a session with no sets is not a fact the
//! engine or an export can use, and a page left open must not leave one behind.
//!
//! A set may come with an id its device made for it (the web app's offline queue sends every set with one, an API
//! client with an `Idempotency-Key`): the store keeps a receipt per id, so a set sent twice is stored once.

use std::sync::Arc;

use backstop_core::document::SetDoc;
use backstop_core::engine::Assessment;
use backstop_core::{Minutes, Pain, Rpe, Session, SetEntry};
use jiff::{SignedDuration, Timestamp};

use crate::store::{AppendedSet, AthleteId, StoreError, StoredSession};
use crate::{App, AppError, Context, input};

/// How long after its start a session without minutes or session RPE still counts as the one in progress.
pub const OPEN_SESSION_WINDOW: SignedDuration = SignedDuration::from_hours(6);

/// How long a cached assessment may be reused while no fact has changed: time-driven changes (a check-in
/// falling due) show up at most this late; any write shows up at once.
pub const ASSESSMENT_REUSE: SignedDuration = SignedDuration::from_secs(30);

/// An assessment kept between requests, with the facts it was made from.
pub struct CachedAssessment {
    /// The store's revision it was made at.
    pub revision: i64,
    /// The assessment.
    pub assessment: Assessment,
    /// The sessions read, oldest first (the week planner and the roster read them): every one, or those from
    /// `sessions_from` on when the assessment started from a fold checkpoint.
    pub sessions: Vec<Session>,
    /// Where `sessions` begin when not every session was read: at least [`crate::SESSIONS_LOOKBACK`] before the
    /// assessment.
    pub sessions_from: Option<Timestamp>,
}

/// A short fingerprint of a set, so a correction or deletion made from a page can check that the set at that
/// position is still the one the person saw (a repeated post, or a page out of date, must not hit another set).
pub fn set_fingerprint(s: &SetEntry) -> String {
    use std::hash::{Hash, Hasher};
    // FNV-1a over the set's fields as `Hash` feeds them: stable within one build, which is all a page needs.
    struct Fnv(u64);
    impl Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for b in bytes {
                self.0 ^= u64::from(*b);
                self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    s.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// The longest client-made set id taken (a UUID is 36 characters).
pub const MAX_CLIENT_ID: usize = 64;

/// Checks a client-made set id: 1 to 64 letters, digits, `-`, `_`, `.` or `:`.
pub fn check_client_id(id: &str) -> Result<&str, AppError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_CLIENT_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    if ok {
        Ok(id)
    } else {
        Err(input(format!(
            "client id: 1 to {MAX_CLIENT_ID} letters, digits, '-', '_', '.' or ':' (a UUID will do)"
        )))
    }
}

fn changed() -> AppError {
    input("that set has changed since the page was loaded (or was already deleted); reload and try again")
}

/// What deleting a set did, for an undo.
#[derive(Debug, Clone)]
pub struct Removed {
    /// The session as it was before.
    pub before: Session,
    /// The session as it is now (`None`: it went with its only set).
    pub after: Option<Session>,
    /// Whether the whole session went (it had only that set).
    pub session_deleted: bool,
}

impl App {
    /// The session in progress: the newest session of the last six hours that has no minutes, no session RPE and
    /// was not imported.
    pub async fn open_session(&self, who: AthleteId) -> Result<Option<StoredSession>, AppError> {
        let now = self.now();
        Ok(self
            .store
            .newest_session(
                who,
                now - OPEN_SESSION_WINDOW,
                now + SignedDuration::from_mins(5),
                true,
            )
            .await?)
    }

    /// The person's newest session that started today (in `tz`) and is no longer under way: finished, or imported.
    /// Today shows what was done, rather than the same plan again.
    pub async fn finished_today(
        &self,
        who: AthleteId,
        tz: &jiff::tz::TimeZone,
    ) -> Result<Option<StoredSession>, AppError> {
        let now = self.now();
        let day = backstop_core::time::civil_date(now, tz);
        let midnight = backstop_core::time::instant_on(day, jiff::civil::Time::midnight(), tz).unwrap_or(now);
        Ok(self
            .store
            .newest_session(who, midnight, now + SignedDuration::from_mins(5), false)
            .await?)
    }

    /// One of the person's sessions.
    pub async fn session(&self, who: AthleteId, id: i64) -> Result<StoredSession, AppError> {
        self.store
            .session(who, id)
            .await?
            .ok_or(AppError::Store(StoreError::NotFound("session")))
    }

    /// Checks one set as entered (exercise known, numbers in range) against the person's catalog and unit.
    pub fn set_entry(ctx: &Context, doc: &SetDoc, place: &str) -> Result<SetEntry, AppError> {
        let entry = doc.to_entry(&ctx.catalog, place).map_err(input)?;
        crate::load_given(&entry, &ctx.catalog)?;
        Ok(entry)
    }

    /// Logs the first set of a new session that started at `started` with `pain_before`; returns the session.
    pub async fn start_session(
        &self,
        who: AthleteId,
        started: Timestamp,
        pain_before: Option<Pain>,
        first: &SetDoc,
        client_id: Option<&str>,
    ) -> Result<(StoredSession, usize), AppError> {
        let ctx = self.context(who).await?;
        self.start_session_in(&ctx, who, started, pain_before, first, client_id)
            .await
    }

    /// [`App::start_session`] with the person's context already at hand (a request that read it to authorize).
    pub async fn start_session_in(
        &self,
        ctx: &Context,
        who: AthleteId,
        started: Timestamp,
        pain_before: Option<Pain>,
        first: &SetDoc,
        client_id: Option<&str>,
    ) -> Result<(StoredSession, usize), AppError> {
        let client_id = client_id.map(check_client_id).transpose()?;
        let set = Self::set_entry(ctx, first, "set")?;
        let now = self.now();
        let _turn = self.turn(who).await;
        // A set already received under its client id (a retry whose first answer was lost, a queue sent again)
        // is not stored again, whatever has happened to its session since.
        if let Some(id) = client_id
            && let Some((session, position)) = self.store.receipt(who, id).await?
        {
            return Ok((self.session(who, session).await?, position));
        }
        if started > now + SignedDuration::from_mins(5) {
            return Err(input("the session cannot start in the future"));
        }
        if now.duration_since(started) > OPEN_SESSION_WINDOW {
            return Err(crate::refused(
                "that session started more than 6 hours ago",
                crate::Remedy::LogPastSession,
            ));
        }
        // A repeated first post (a double tap, a retry) joins the session it already created: the newest still under
        // way that started at the same instant (to the millisecond a session is stored at). Only that one is read,
        // not every recent session with its sets while the person's turn is held.
        if let Some(open) = self
            .store
            .newest_session(who, started, started + SignedDuration::from_millis(1), true)
            .await?
        {
            let added = self.store.append_set(who, open.id, &set, client_id).await?;
            return Ok((self.session(who, open.id).await?, added.position));
        }
        let session = Session {
            at: started,
            pain_before,
            minutes: None,
            session_rpe: None,
            sets: vec![set],
            notes: None,
            source: None,
        };
        // Both revisions in one read, so that they are of the same moment: the kept assessment is never one that
        // misses a write by another process.
        let before = self.store.revisions(who).await?;
        let added = self.store.add_session(who, &session, now, client_id).await?;
        // Only after a write of its own: a session already stored under the client id by another instance between
        // the receipt's check and this write leaves the revisions to whatever else was written meanwhile.
        if added.stored {
            self.keep_as_before(who, started, before).await?;
        }
        Ok((
            StoredSession {
                id: added.id,
                recorded_at: now,
                session,
            },
            0,
        ))
    }

    /// Keeps the assessment of the moment before a session that was just started as that session's "before"
    /// assessment ([`App::assess_before`]), so that its first page does not read and assess the whole history
    /// again. Only when nothing else changed: the kept current assessment was made from the facts as they were
    /// just before this session was written (`before`: the revision and history revision then), the write was the
    /// only one since (both revisions moved by exactly one), and the session starts within
    /// [`ASSESSMENT_REUSE`] of that assessment's moment, before or after it: the same facts, seen from a moment up to
    /// that far off, which is the tolerance any kept assessment has. (A session started from the page usually
    /// starts just before the assessment its page was drawn from: the start is stamped, then the page loads.)
    async fn keep_as_before(
        &self,
        who: AthleteId,
        started: Timestamp,
        (revision, history): (i64, i64),
    ) -> Result<(), AppError> {
        let (now_revision, after) = self.store.revisions(who).await?;
        let only_this_write = now_revision == revision + 1 && after == history + 1;
        if only_this_write {
            self.carry_context(who, history, after);
        }
        let current = self.cache.lock().ok().and_then(|m| m.get(&who).cloned());
        if let Some(c) = current
            && only_this_write
            && c.revision == revision
            && started.duration_since(c.assessment.now).abs() <= ASSESSMENT_REUSE
            && let Ok(mut m) = self.before_cache.lock()
        {
            crate::assessing::keep_before(&mut m, who, (started, after, c), self.now());
        }
        Ok(())
    }

    /// Appends a set to one of the person's sessions; returns its position and the session's pain before (read in
    /// the same write, so that the answer needs no read of the session).
    ///
    /// With a `client_id` (an id the sending device made for this set: the web app's offline queue, an API
    /// client's `Idempotency-Key`), a set already received under it is not stored again, and its position is
    /// returned: a retry after a lost answer, or a queue sent twice, stores each set once.
    pub async fn log_set(
        &self,
        who: AthleteId,
        session_id: i64,
        doc: &SetDoc,
        client_id: Option<&str>,
    ) -> Result<AppendedSet, AppError> {
        let ctx = self.context(who).await?;
        self.log_set_in(&ctx, who, session_id, doc, client_id).await
    }

    /// [`App::log_set`] with the person's context already at hand (a request that read it to authorize).
    pub async fn log_set_in(
        &self,
        ctx: &Context,
        who: AthleteId,
        session_id: i64,
        doc: &SetDoc,
        client_id: Option<&str>,
    ) -> Result<AppendedSet, AppError> {
        let client_id = client_id.map(check_client_id).transpose()?;
        let set = Self::set_entry(ctx, doc, "set")?;
        // One write, its receipt and the session's size checked inside it: the turn is held no longer than that.
        let _turn = self.turn(who).await;
        match self.store.append_set(who, session_id, &set, client_id).await {
            Err(StoreError::SessionFull(held)) => {
                crate::too_many_sets(held + 1)?;
                Err(StoreError::SessionFull(held).into())
            }
            stored => Ok(stored?),
        }
    }

    /// Closes a session with its length and session RPE (LM-1).
    pub async fn finish_session(
        &self,
        who: AthleteId,
        id: i64,
        minutes: Minutes,
        session_rpe: Rpe,
    ) -> Result<StoredSession, AppError> {
        let _turn = self.turn(who).await;
        let mut s = self.session(who, id).await?;
        s.session.minutes = Some(minutes);
        s.session.session_rpe = Some(session_rpe);
        self.store.replace_session(who, id, &s.session).await?;
        Ok(s)
    }

    /// Replaces the set at `position` (0-based) with a corrected one; with `expected` (a [`set_fingerprint`]), only
    /// if that set is still the one the person saw. Returns the session before and after.
    pub async fn edit_set(
        &self,
        who: AthleteId,
        id: i64,
        position: usize,
        doc: &SetDoc,
        expected: Option<&str>,
    ) -> Result<(Session, Session), AppError> {
        let ctx = self.context(who).await?;
        let set = Self::set_entry(&ctx, doc, "set")?;
        let _turn = self.turn(who).await;
        let before = self.session(who, id).await?.session;
        let mut after = before.clone();
        let slot = after
            .sets
            .get_mut(position)
            .ok_or(AppError::Store(StoreError::NotFound("set")))?;
        if expected.is_some_and(|e| e != set_fingerprint(slot)) {
            return Err(changed());
        }
        *slot = set;
        self.store.replace_session(who, id, &after).await?;
        Ok((before, after))
    }

    /// Deletes the set at `position`; a session left without sets is deleted with it. With `expected` (a
    /// [`set_fingerprint`]), only if that set is still the one the person saw. Returns what was there.
    pub async fn delete_set(
        &self,
        who: AthleteId,
        id: i64,
        position: usize,
        expected: Option<&str>,
    ) -> Result<Removed, AppError> {
        let _turn = self.turn(who).await;
        let s = self.session(who, id).await?;
        let Some(target) = s.session.sets.get(position) else {
            return Err(AppError::Store(StoreError::NotFound("set")));
        };
        if expected.is_some_and(|e| e != set_fingerprint(target)) {
            return Err(changed());
        }
        let before = s.session.clone();
        let mut after = s.session;
        after.sets.remove(position);
        let session_deleted = after.sets.is_empty();
        if session_deleted {
            self.store.delete_session(who, id).await?;
        } else {
            self.store.replace_session(who, id, &after).await?;
        }
        Ok(Removed {
            before,
            after: (!session_deleted).then_some(after),
            session_deleted,
        })
    }

    /// Puts a session back as it was before a change (undo), only if nothing has happened to it since: `after` is
    /// the session as the change left it (`None` when the change deleted it). A session changed since (a set
    /// logged, a finish recorded, its id reused by a new session) is left alone. Returns the session's id.
    pub async fn put_back(
        &self,
        who: AthleteId,
        id: i64,
        before: &Session,
        after: Option<&Session>,
    ) -> Result<i64, AppError> {
        let _turn = self.turn(who).await;
        let current = self.store.session(who, id).await?;
        match (after, current) {
            (Some(a), Some(c)) if c.session == *a => {
                self.store.replace_session(who, id, before).await?;
                Ok(id)
            }
            (None, None) => Ok(self.store.add_session(who, before, self.now(), None).await?.id),
            _ => Err(input(
                "this session has changed since, so undoing would lose what came after; correct it by hand instead",
            )),
        }
    }

    /// The assessment now, reused while the person's facts are unchanged and it is younger than
    /// [`ASSESSMENT_REUSE`]: a server answering many requests must not re-read ten years of facts each time.
    pub async fn assess_cached(
        &self,
        ctx: &Context,
        who: AthleteId,
    ) -> Result<Arc<CachedAssessment>, AppError> {
        let revision = self.store.revision(who).await?;
        let kept = |now: Timestamp| {
            let cache = self.cache.lock().ok()?;
            let c = cache.get(&who)?;
            (c.revision == revision
                && now >= c.assessment.now
                && now.duration_since(c.assessment.now) <= ASSESSMENT_REUSE)
                .then(|| Arc::clone(c))
        };
        if let Some(c) = kept(self.now()) {
            return Ok(c);
        }
        // One at a time per person; whoever waited finds the one just made, when it is for the same facts.
        let _assessing = crate::person_lock(&self.assessing, who).await;
        let now = self.now();
        if let Some(c) = kept(now) {
            return Ok(c);
        }
        let (assessment, facts) = self.assess_now(ctx, who, now).await?;
        let fresh = Arc::new(CachedAssessment {
            revision,
            assessment,
            sessions: facts.sessions,
            sessions_from: facts.sessions_from,
        });
        if let Ok(mut cache) = self.cache.lock() {
            // One older than ASSESSMENT_REUSE is never reused (`kept`): it goes, or a clinic's server would keep an
            // assessment, ten years of verdicts each, for everyone it ever assessed.
            cache.retain(|_, c| now.duration_since(c.assessment.now) <= ASSESSMENT_REUSE);
            cache.insert(who, Arc::clone(&fresh));
        }
        Ok(fresh)
    }
}
