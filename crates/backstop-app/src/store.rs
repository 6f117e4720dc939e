//! The storage port. Storage keeps facts only; implementations live in `backstop-db`.
//!
//! Every method that touches a person's data takes their `AthleteId`, so a multi-user backend cannot forget
//! whose data it is reading.

use async_trait::async_trait;
use backstop_core::facts::TriageRecord;
use backstop_core::{CheckIn, Clearance, Exercise, FlareEvent, Pain, Profile, Screening, Session, SetEntry};
use jiff::Timestamp;

use crate::backup::{Backup, Facts};

/// Identifies a person whose facts are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AthleteId(pub i64);

/// Identifies an account (a person who signs in to a clinic's server).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(pub i64);

/// What an account may do. An athlete sees and writes their own facts; a coach or clinician reads the facts of
/// the athletes who accepted their invitation (and may set a few things for them); an admin invites coaches and
/// clinicians and sees no athlete's data unless an athlete linked them too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A lifter with their own facts.
    Athlete,
    /// A strength coach looking after athletes.
    Coach,
    /// A physiotherapist or other clinician looking after athletes.
    Clinician,
    /// Runs the server: invites coaches and clinicians.
    Admin,
}

impl Role {
    /// Every role, in the order they are listed.
    pub const ALL: [Role; 4] = [Role::Athlete, Role::Coach, Role::Clinician, Role::Admin];

    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Athlete => "athlete",
            Role::Coach => "coach",
            Role::Clinician => "clinician",
            Role::Admin => "admin",
        }
    }

    /// Whether the role looks after athletes (a coach or a clinician).
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Coach | Role::Clinician)
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role `{s}`: one of athlete, coach, clinician, admin"))
    }
}

/// A stored account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Storage id.
    pub id: AccountId,
    /// Its sign-in address, lower-cased.
    pub email: String,
    /// The name shown to the people it is linked with.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// The password's argon2id hash in PHC string form (never the password).
    pub password_phc: String,
    /// An athlete's own facts; `None` for every other role.
    pub athlete: Option<AthleteId>,
    /// When it was made.
    pub created_at: Timestamp,
}

/// An account to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// Its sign-in address, lower-cased.
    pub email: String,
    /// The name shown.
    pub name: String,
    /// What it may do; an athlete account gets a person of its own to hold its facts.
    pub role: Role,
    /// The password's argon2id hash (PHC string).
    pub password_phc: String,
}

/// An invitation still open: its token's SHA-256 is what was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    /// The role the invited person gets: an athlete (linked to whoever invited them), a coach or a clinician.
    pub role: Role,
    /// Who made it.
    pub invited_by: AccountId,
    /// Their name, to show the invited person who is asking.
    pub invited_by_name: String,
    /// When it lapses.
    pub expires_at: Timestamp,
}

/// Who redeems an invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redeemer {
    /// A new account, made as the invitation is accepted (its role must be the invitation's).
    New(NewAccount),
    /// An athlete who already has an account, accepting a coach's or clinician's invitation.
    Existing(AccountId),
}

/// A coach or clinician linked to an athlete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareLink {
    /// Storage id.
    pub id: i64,
    /// The coach or clinician.
    pub staff: AccountId,
    /// Their name.
    pub staff_name: String,
    /// Their role.
    pub staff_role: Role,
    /// The athlete.
    pub athlete: AthleteId,
    /// The athlete's name.
    pub athlete_name: String,
    /// When the athlete accepted.
    pub created_at: Timestamp,
    /// When the athlete took the access back.
    pub revoked_at: Option<Timestamp>,
}

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// Someone else read the athlete's data.
    Read,
    /// Someone else changed something for the athlete.
    Change,
}

impl AuditAction {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Read => "read",
            AuditAction::Change => "change",
        }
    }
}

/// One entry of an athlete's audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: AccountId,
    /// Their name.
    pub actor_name: String,
    /// Read or change.
    pub action: AuditAction,
    /// What was read or changed, in words (a page, an API route, a setting).
    pub what: String,
}

/// What a coach or clinician set for an athlete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CareKind {
    /// The pain ceiling during sets (PM-2's `ceiling_max`), 1–10.
    Ceiling,
    /// An exercise (catalog id) the planner leaves out.
    NotPlanned,
    /// A note the athlete reads on their status.
    Note,
}

impl CareKind {
    /// Every kind.
    pub const ALL: [CareKind; 3] = [CareKind::Ceiling, CareKind::NotPlanned, CareKind::Note];

    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            CareKind::Ceiling => "ceiling",
            CareKind::NotPlanned => "not-planned",
            CareKind::Note => "note",
        }
    }
}

impl std::str::FromStr for CareKind {
    type Err = String;

    fn from_str(s: &str) -> Result<CareKind, String> {
        CareKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown setting `{s}`: one of ceiling, not-planned, note"))
    }
}

/// A setting a coach or clinician made for an athlete: a fact with who and when, kept when undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareDirective {
    /// Storage id.
    pub id: i64,
    /// Who set it.
    pub by: AccountId,
    /// Their name.
    pub by_name: String,
    /// When.
    pub at: Timestamp,
    /// What kind of setting.
    pub kind: CareKind,
    /// Its value: the ceiling as a number, the exercise's id, or the note.
    pub value: String,
    /// When it was undone.
    pub undone_at: Option<Timestamp>,
}

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
    /// A unique value is already in use (an account's email address).
    #[error("{0} is already in use")]
    Taken(&'static str),
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
    /// set was already received under that id is not added again: its id is returned, with `stored` false.
    async fn add_session(
        &self,
        who: AthleteId,
        s: &Session,
        recorded_at: Timestamp,
        client_id: Option<&str>,
    ) -> Result<AddedSession, StoreError>;
    /// Sessions that started in `[from, to)` (all when `None`), oldest first.
    async fn sessions(
        &self,
        who: AthleteId,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<StoredSession>, StoreError>;

    /// The load inputs (minutes, session RPE, working sets and their RPEs) of the sessions that started before
    /// `before`, oldest first: what the load series needs of the sessions a report does not show, without their sets.
    async fn session_loads(
        &self,
        who: AthleteId,
        before: Timestamp,
    ) -> Result<Vec<backstop_core::load::LoadInputs>, StoreError>;

    /// The newest of the sessions that started in `[from, to)` and are still under way (`under_way`: no minutes, no
    /// session RPE, not imported) or not (`!under_way`); `None` when there is none. Only that session is read.
    async fn newest_session(
        &self,
        who: AthleteId,
        from: Timestamp,
        to: Timestamp,
        under_way: bool,
    ) -> Result<Option<StoredSession>, StoreError>;

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
    ) -> Result<AppendedSet, StoreError>;
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
    /// [`Store::revision`] and [`Store::history_revision`] as one read, `(revision, history revision)`: both of the
    /// same moment, for one round trip to the database instead of two.
    async fn revisions(&self, who: AthleteId) -> Result<(i64, i64), StoreError>;

    /// Records a check-in.
    async fn add_checkin(
        &self,
        who: AthleteId,
        c: &CheckIn,
        recorded_at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Check-ins taken in `[from, to)` (all when `None`), oldest first.
    async fn checkins(
        &self,
        who: AthleteId,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<StoredCheckIn>, StoreError>;

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

    /// Makes an account at `at` (an athlete's with a person of its own to hold its facts); `Taken("email")` when
    /// the address has an account already.
    async fn add_account(&self, new: &NewAccount, at: Timestamp) -> Result<Account, StoreError>;

    /// The account signing in with this address (lower-cased), if any.
    async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError>;

    /// An account by its id, if any.
    async fn account(&self, id: AccountId) -> Result<Option<Account>, StoreError>;

    /// Records a failed sign-in for an address at `at` (the sign-in rate limit counts them).
    async fn add_login_failure(&self, email: &str, at: Timestamp) -> Result<(), StoreError>;

    /// Failed sign-ins for an address since `since`.
    async fn login_failures(&self, email: &str, since: Timestamp) -> Result<usize, StoreError>;

    /// Records a signed-in account by the SHA-256 of its session token (hex), made at `at`, lapsing at `expires`.
    async fn add_account_session(
        &self,
        token_sha256: &str,
        account: AccountId,
        at: Timestamp,
        expires: Timestamp,
    ) -> Result<(), StoreError>;

    /// The account a session token (by its SHA-256) signs in at `now`: made, not signed out, not lapsed.
    async fn account_session(
        &self,
        token_sha256: &str,
        now: Timestamp,
    ) -> Result<Option<AccountId>, StoreError>;

    /// Signs one session out at `at`; whether it was signed in.
    async fn revoke_account_session(&self, token_sha256: &str, at: Timestamp) -> Result<bool, StoreError>;

    /// Signs every session of one account out at `at`; how many were signed in.
    async fn revoke_account_sessions(&self, account: AccountId, at: Timestamp) -> Result<usize, StoreError>;

    /// Records an invitation by the SHA-256 of its token, made by `by` at `at`, lapsing at `expires`.
    async fn add_invite(
        &self,
        token_sha256: &str,
        role: Role,
        by: AccountId,
        at: Timestamp,
        expires: Timestamp,
    ) -> Result<(), StoreError>;

    /// An invitation still open at `now` (made, not accepted, not lapsed), by its token's SHA-256.
    async fn invite(&self, token_sha256: &str, now: Timestamp) -> Result<Option<Invite>, StoreError>;

    /// Accepts an open invitation at `at`, in one transaction: makes the new account (or takes the existing
    /// athlete's), marks the invitation used, and for an athlete's invitation links them to whoever invited them.
    /// `NotFound("invitation")` when it is not open; `Taken("email")` when a new account's address is in use.
    async fn redeem_invite(
        &self,
        token_sha256: &str,
        who: &Redeemer,
        at: Timestamp,
    ) -> Result<Account, StoreError>;

    /// Every link of a coach or clinician still in force, athletes by name.
    async fn links_of_staff(&self, staff: AccountId) -> Result<Vec<CareLink>, StoreError>;

    /// Every link an athlete made, in force or taken back, newest first.
    async fn links_of_athlete(&self, athlete: AthleteId) -> Result<Vec<CareLink>, StoreError>;

    /// Whether a coach or clinician is linked to an athlete now.
    async fn linked(&self, staff: AccountId, athlete: AthleteId) -> Result<bool, StoreError>;

    /// The athlete takes a link back at `at`; whether it was in force.
    async fn revoke_link(&self, athlete: AthleteId, link: i64, at: Timestamp) -> Result<bool, StoreError>;

    /// Records that someone else read or changed these athletes' data (one entry each, in one transaction).
    async fn add_audit(
        &self,
        athletes: &[AthleteId],
        actor: AccountId,
        action: AuditAction,
        what: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// The athlete's audit log, newest first, at most `limit` entries.
    async fn audit_log(&self, athlete: AthleteId, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;

    /// Records a setting a coach or clinician made for an athlete; its id.
    async fn add_directive(
        &self,
        athlete: AthleteId,
        by: AccountId,
        kind: CareKind,
        value: &str,
        at: Timestamp,
    ) -> Result<i64, StoreError>;

    /// Every setting made for an athlete, undone ones included, newest first.
    async fn directives(&self, athlete: AthleteId) -> Result<Vec<CareDirective>, StoreError>;

    /// Undoes one of an athlete's settings at `at`; whether it was in force.
    async fn undo_directive(&self, athlete: AthleteId, id: i64, at: Timestamp) -> Result<bool, StoreError>;

    /// Keeps an undo for a person under the SHA-256 of its token: the session's id, the session before the change
    /// and as the change left it (`None` when it was deleted), as JSON text. Only the person's newest `keep` undos
    /// stay.
    #[allow(clippy::too_many_arguments)]
    async fn add_undo(
        &self,
        who: AthleteId,
        token_sha256: &str,
        session_id: i64,
        before: &str,
        after: Option<&str>,
        at: Timestamp,
        keep: usize,
    ) -> Result<(), StoreError>;

    /// Whether the person has this undo (by its token's SHA-256).
    async fn has_undo(&self, who: AthleteId, token_sha256: &str) -> Result<bool, StoreError>;

    /// Takes the person's undo (it can be used once): the session's id, before and after.
    async fn take_undo(
        &self,
        who: AthleteId,
        token_sha256: &str,
    ) -> Result<Option<(i64, String, Option<String>)>, StoreError>;

    /// Every fact of the person, read in one transaction so that they come from one consistent snapshot: an
    /// assessment never sees a session without the check-in written with it, or half of an import.
    async fn facts(&self, who: AthleteId) -> Result<Facts, StoreError>;

    /// The person's fold checkpoint with their facts, from one snapshot (see `docs/decisions/0004-fold-checkpoints.md`):
    /// with a checkpoint, the sessions from its cut or from `since`, whichever is earlier, and the newest one before
    /// that; without one, every session.
    async fn facts_resuming(&self, who: AthleteId, since: Timestamp) -> Result<Resuming, StoreError>;

    /// Keeps a fold checkpoint for the person in place of theirs, unless their facts changed since `revision` was
    /// read (it may not match them then) or theirs, made under the same fingerprint, has a later cut: whether it was
    /// kept.
    async fn keep_checkpoint(
        &self,
        who: AthleteId,
        revision: i64,
        checkpoint: &StoredCheckpoint,
    ) -> Result<bool, StoreError>;
}

/// A fold checkpoint as stored: the engine's state after the sessions before `cut`, valid while no fact before
/// `settled_from` changes (the store's triggers discard it when one does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    /// Its sessions are those that started before this instant.
    pub cut: Timestamp,
    /// Facts before this instant make it stale.
    pub settled_from: Timestamp,
    /// The fingerprint of the profile, settings, catalog and engine it was made with, as 16 hex digits.
    pub fingerprint: String,
    /// The engine's state, in postcard's binary form.
    pub state: Vec<u8>,
}

/// What [`Store::add_session`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddedSession {
    /// The session's id.
    pub id: i64,
    /// Whether this call wrote it: false when its first set had already been received under the client id (the
    /// session is the one stored then, and nothing was written).
    pub stored: bool,
}

/// Where [`Store::append_set`] put a set, with the pain its session started from (which the set's pain is judged
/// against), read in the same write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendedSet {
    /// The set's position in its session, from 0.
    pub position: usize,
    /// The session's pain before it started (`None`: not given, or a retried set whose session is gone).
    pub pain_before: Option<Pain>,
}

/// What [`Store::facts_resuming`] reads.
#[derive(Debug)]
pub struct Resuming {
    /// The person's revision when the facts were read ([`Store::revision`]).
    pub revision: i64,
    /// Their fold checkpoint, if one is kept.
    pub checkpoint: Option<StoredCheckpoint>,
    /// Their facts; with a checkpoint, only the sessions it and `since` need.
    pub facts: Facts,
    /// Where the sessions read begin (`None`: every session was read).
    pub sessions_from: Option<Timestamp>,
}
