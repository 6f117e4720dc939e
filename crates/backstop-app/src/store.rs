//! The storage port. Storage keeps facts only; implementations live in `backstop-db`.
//!
//! Every method that touches a person's data takes their `AthleteId`, so a multi-user backend cannot forget
//! whose data it is reading.

use async_trait::async_trait;
use backstop_core::facts::TriageRecord;
use backstop_core::{CheckIn, Clearance, Exercise, FlareEvent, Profile, Screening, Session, SetEntry};
use jiff::Timestamp;

use crate::backup::{Backup, Facts};

/// Identifies a person whose facts are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AthleteId(pub i64);

/// A stored session with its storage id and when it was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    /// Storage id.
    pub id: i64,
    /// When it was written to the store.
    pub recorded_at: Timestamp,
    /// The session itself.
    pub session: Session,
}

/// A stored check-in with when it was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredCheckIn {
    /// When it was written to the store.
    pub recorded_at: Timestamp,
    /// The check-in.
    pub checkin: CheckIn,
}

/// A profile version.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileVersion {
    /// When this version was recorded.
    pub recorded_at: Timestamp,
    /// The profile.
    pub profile: Profile,
}

/// A custom exercise as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomExercise {
    /// When it was added.
    pub recorded_at: Timestamp,
    /// The definition.
    pub exercise: Exercise,
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Sessions written.
    pub sessions_added: usize,
    /// Their sets.
    pub sets_added: usize,
    /// Sessions already stored from the same source, replaced by the file's version.
    pub duplicates: usize,
    /// New exercises written.
    pub exercises_added: usize,
}

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened, read or written.
    #[error("database error: {0}")]
    Backend(String),
    /// Stored data could not be turned back into facts (a damaged or foreign file).
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// A restore was asked for on a database that already holds data.
    #[error("the database already holds data; restore into an empty database")]
    NotEmpty,
    /// The person has no such record (it never existed, was deleted, or belongs to someone else).
    #[error("no such {0}")]
    NotFound(&'static str),
    /// The session already holds this many sets, the most one may hold.
    #[error("a session holds at most {0} sets")]
    SessionFull(usize),
}

/// Everything the application needs from storage.
#[async_trait]
pub trait Store: Send + Sync {
    /// The single person of local mode, created on first use (at `now`).
    async fn local_athlete(&self, now: Timestamp) -> Result<AthleteId, StoreError>;

    /// Records a new profile version.
    async fn save_profile(&self, who: AthleteId, version: &ProfileVersion) -> Result<(), StoreError>;
    /// Every profile version, oldest first.
    async fn profile_versions(&self, who: AthleteId) -> Result<Vec<ProfileVersion>, StoreError>;

    /// Records a red-flag screen.
    async fn add_screening(&self, who: AthleteId, s: &Screening) -> Result<(), StoreError>;
    /// Every screen, oldest first.
    async fn screenings(&self, who: AthleteId) -> Result<Vec<Screening>, StoreError>;

    /// Records a profile version and the screen answered with it, atomically (onboarding).
    async fn save_profile_and_screening(
        &self,
        who: AthleteId,
        version: &ProfileVersion,
        screening: &Screening,
    ) -> Result<(), StoreError>;

    /// Records a session and its sets atomically; returns its id. With a `client_id` (the id the sending device
    /// made for the session's first set), the first set's receipt is recorded with it, and a session whose first
    /// set was already received under that id is not added again: its id is returned.
    async fn add_session(
        &self,
        who: AthleteId,
        s: &Session,
        recorded_at: Timestamp,
        client_id: Option<&str>,
    ) -> Result<i64, StoreError>;
    /// Sessions that started in `[from, to)` (all when `None`), oldest first.
    async fn sessions(
        &self,
        who: AthleteId,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<StoredSession>, StoreError>;

    /// One of the person's sessions by id; `None` when they have no such session.
    async fn session(&self, who: AthleteId, id: i64) -> Result<Option<StoredSession>, StoreError>;
    /// Appends a set to the end of one of the person's sessions atomically; returns its position (0-based). With a
    /// `client_id` (an id the sending device made for this set), a set already received under that id is not stored
    /// again: its receipt's position is returned and nothing changes. A session that already holds
    /// [`MAX_SETS_PER_SESSION`](backstop_core::facts::MAX_SETS_PER_SESSION) sets takes no more
    /// ([`StoreError::SessionFull`]); the receipt is looked up first, so a retry of its last set is still answered.
    async fn append_set(
        &self,
        who: AthleteId,
        session_id: i64,
        set: &SetEntry,
        client_id: Option<&str>,
    ) -> Result<usize, StoreError>;
    /// The session and position a set sent with this client id was stored at, if one was received.
    async fn receipt(&self, who: AthleteId, client_id: &str) -> Result<Option<(i64, usize)>, StoreError>;
    /// Replaces one of the person's sessions (its values and all its sets) atomically: corrections, finishing.
    async fn replace_session(&self, who: AthleteId, id: i64, s: &Session) -> Result<(), StoreError>;
    /// Deletes one of the person's sessions and its sets.
    async fn delete_session(&self, who: AthleteId, id: i64) -> Result<(), StoreError>;
    /// A number that changes whenever any of the person's facts change (including from another process), so
    /// derived results can be kept until it moves.
    async fn revision(&self, who: AthleteId) -> Result<i64, StoreError>;
    /// Like [`Store::revision`], but left alone by sets appended to the person's newest session: what was
    /// derived from the facts before that session stays valid while it is under way.
    async fn history_revision(&self, who: AthleteId) -> Result<i64, StoreError>;

    /// Records a check-in.
    async fn add_checkin(
        &self,
        who: AthleteId,
        c: &CheckIn,
        recorded_at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Every check-in, oldest first.
    async fn checkins(&self, who: AthleteId) -> Result<Vec<StoredCheckIn>, StoreError>;

    /// Records custom exercises atomically.
    async fn add_custom_exercises(&self, who: AthleteId, list: &[CustomExercise]) -> Result<(), StoreError>;
    /// The person's own exercises, oldest first.
    async fn custom_exercises(&self, who: AthleteId) -> Result<Vec<CustomExercise>, StoreError>;

    /// Records a declared flare start or end.
    async fn add_flare_event(&self, who: AthleteId, e: &FlareEvent) -> Result<(), StoreError>;
    /// Every declared flare event, oldest first.
    async fn flare_events(&self, who: AthleteId) -> Result<Vec<FlareEvent>, StoreError>;

    /// Records a clinician's clearance.
    async fn add_clearance(&self, who: AthleteId, c: &Clearance) -> Result<(), StoreError>;
    /// Every clearance, oldest first.
    async fn clearances(&self, who: AthleteId) -> Result<Vec<Clearance>, StoreError>;

    /// Records triage answers.
    async fn add_triage(&self, who: AthleteId, t: &TriageRecord) -> Result<(), StoreError>;
    /// Every triage, oldest first.
    async fn triages(&self, who: AthleteId) -> Result<Vec<TriageRecord>, StoreError>;

    /// Writes an imported history in one transaction: new exercises first (ids already stored are kept), then
    /// the sessions; a session whose `source` is already stored replaces the stored one (counted as a duplicate).
    async fn import_batch(
        &self,
        who: AthleteId,
        exercises: &[CustomExercise],
        sessions: &[Session],
        recorded_at: Timestamp,
    ) -> Result<ImportOutcome, StoreError>;

    /// Writes a whole backup in one transaction; refuses (`NotEmpty`) if the person already has any fact.
    async fn restore(&self, who: AthleteId, backup: &Backup) -> Result<(), StoreError>;

    /// Records a calendar feed link by the SHA-256 of its token (hex), made at `at`.
    async fn add_calendar_feed(
        &self,
        who: AthleteId,
        token_sha256: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// Turns off every calendar feed link of the person at `at`; returns how many were on.
    async fn revoke_calendar_feeds(&self, who: AthleteId, at: Timestamp) -> Result<usize, StoreError>;

    /// Whose calendar a token (by its SHA-256, hex) opens: `None` for a token never made or turned off.
    async fn calendar_feed(&self, token_sha256: &str) -> Result<Option<AthleteId>, StoreError>;

    /// Records a signed-in browser by the SHA-256 of its token and of the server key it was granted under (hex),
    /// made at `at` and lapsing at `expires`.
    async fn add_web_session(
        &self,
        token_sha256: &str,
        key_sha256: &str,
        at: Timestamp,
        expires: Timestamp,
    ) -> Result<(), StoreError>;

    /// Whether a browser's token (by its SHA-256) is signed in at `now` under this server key: made, not signed
    /// out, not lapsed, and granted under the same key.
    async fn web_session(
        &self,
        token_sha256: &str,
        key_sha256: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Signs one browser out at `at` (by its token's SHA-256); whether it was signed in.
    async fn revoke_web_session(&self, token_sha256: &str, at: Timestamp) -> Result<bool, StoreError>;

    /// Signs every browser out at `at`; returns how many were signed in.
    async fn revoke_web_sessions(&self, at: Timestamp) -> Result<usize, StoreError>;

    /// Every fact of the person, read in one transaction so that they come from one consistent snapshot: an
    /// assessment never sees a session without the check-in written with it, or half of an import.
    async fn facts(&self, who: AthleteId) -> Result<Facts, StoreError>;
}
