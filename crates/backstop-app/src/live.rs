//! Logging a session set by set as it happens (the web app's gym screen), correcting a logged set, and the
//! cached assessment a server answers from.
//!
//! A session is written when its first set is logged, never empty: a session with no sets is not a fact the
//! engine or an export can use, and a page left open must not leave one behind.

use std::sync::Arc;

use backstop_core::document::SetDoc;
use backstop_core::engine::Assessment;
use backstop_core::{Minutes, Pain, Rpe, Session, SetEntry};
use jiff::{SignedDuration, Timestamp};

use crate::store::{AthleteId, StoreError, StoredSession};
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
    /// The sessions, oldest first (the week planner and load report read them).
    pub sessions: Vec<Session>,
}

/// What deleting a set did, for an undo.
#[derive(Debug, Clone)]
pub struct Removed {
    /// The session as it was before.
    pub before: Session,
    /// Whether the whole session went (it had only that set).
    pub session_deleted: bool,
}

impl App {
    /// The session in progress: the newest session of the last six hours that has no minutes, no session RPE and
    /// was not imported.
    pub async fn open_session(&self, who: AthleteId) -> Result<Option<StoredSession>, AppError> {
        let now = self.now();
        let recent = self
            .store
            .sessions(
                who,
                Some(now - OPEN_SESSION_WINDOW),
                Some(now + SignedDuration::from_mins(5)),
            )
            .await?;
        Ok(recent.into_iter().rev().find(|s| {
            s.session.minutes.is_none() && s.session.session_rpe.is_none() && s.session.source.is_none()
        }))
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
        doc.to_entry(&ctx.catalog, place).map_err(input)
    }

    /// Logs the first set of a new session that started at `started` with `pain_before`; returns the session.
    pub async fn start_session(
        &self,
        who: AthleteId,
        started: Timestamp,
        pain_before: Option<Pain>,
        first: &SetDoc,
    ) -> Result<StoredSession, AppError> {
        let ctx = self.context(who).await?;
        let set = Self::set_entry(&ctx, first, "set")?;
        let now = self.now();
        if started > now + SignedDuration::from_mins(5) {
            return Err(input("the session cannot start in the future"));
        }
        if now.duration_since(started) > SignedDuration::from_hours(24) {
            return Err(input(
                "the session started more than a day ago; log an old session from History",
            ));
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
        let id = self.store.add_session(who, &session, now).await?;
        Ok(StoredSession {
            id,
            recorded_at: now,
            session,
        })
    }

    /// Appends a set to one of the person's sessions; returns its position.
    pub async fn log_set(&self, who: AthleteId, session_id: i64, doc: &SetDoc) -> Result<usize, AppError> {
        let ctx = self.context(who).await?;
        let set = Self::set_entry(&ctx, doc, "set")?;
        Ok(self.store.append_set(who, session_id, &set).await?)
    }

    /// Closes a session with its length and session RPE (LM-1).
    pub async fn finish_session(
        &self,
        who: AthleteId,
        id: i64,
        minutes: Minutes,
        session_rpe: Rpe,
    ) -> Result<StoredSession, AppError> {
        let mut s = self.session(who, id).await?;
        s.session.minutes = Some(minutes);
        s.session.session_rpe = Some(session_rpe);
        self.store.replace_session(who, id, &s.session).await?;
        Ok(s)
    }

    /// Replaces the set at `position` (0-based) with a corrected one.
    pub async fn edit_set(
        &self,
        who: AthleteId,
        id: i64,
        position: usize,
        doc: &SetDoc,
    ) -> Result<Session, AppError> {
        let ctx = self.context(who).await?;
        let set = Self::set_entry(&ctx, doc, "set")?;
        let mut s = self.session(who, id).await?;
        let slot = s
            .session
            .sets
            .get_mut(position)
            .ok_or(AppError::Store(StoreError::NotFound("set")))?;
        *slot = set;
        self.store.replace_session(who, id, &s.session).await?;
        Ok(s.session)
    }

    /// Deletes the set at `position`; a session left without sets is deleted with it. Returns what was there.
    pub async fn delete_set(&self, who: AthleteId, id: i64, position: usize) -> Result<Removed, AppError> {
        let s = self.session(who, id).await?;
        if position >= s.session.sets.len() {
            return Err(AppError::Store(StoreError::NotFound("set")));
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
            session_deleted,
        })
    }

    /// Puts a session back as it was (undo): replaces it when it still exists, stores it anew otherwise.
    /// Returns its id.
    pub async fn put_back(&self, who: AthleteId, id: i64, before: &Session) -> Result<i64, AppError> {
        match self.store.replace_session(who, id, before).await {
            Ok(()) => Ok(id),
            Err(StoreError::NotFound(_)) => Ok(self.store.add_session(who, before, self.now()).await?),
            Err(e) => Err(e.into()),
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
        let now = self.now();
        if let Ok(cache) = self.cache.lock()
            && let Some(c) = cache.get(&who)
            && c.revision == revision
            && now >= c.assessment.now
            && now.duration_since(c.assessment.now) <= ASSESSMENT_REUSE
        {
            return Ok(Arc::clone(c));
        }
        let (assessment, sessions) = crate::assess_facts(ctx, self.facts(who).await?, now);
        let fresh = Arc::new(CachedAssessment {
            revision,
            assessment,
            sessions,
        });
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(who, Arc::clone(&fresh));
        }
        Ok(fresh)
    }
}
