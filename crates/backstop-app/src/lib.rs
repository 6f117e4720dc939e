//! backstop's use cases, shared by the CLI and (later) the web app.
//!
//! Each use case reads facts through the `Store` port, asks the pure core for decisions, and writes facts back.
//! Input that comes from a person is validated here before anything is written, so a failed command leaves the
//! store untouched.

pub mod accounts;
pub mod backup;
pub mod clock;
pub mod exercise_input;
pub mod export;
pub mod live;
pub mod settings;
pub mod store;
pub mod view;

mod assessing;
mod data;
mod history;
mod links;
mod logging;
mod reports;
mod safety;
pub mod undo;

use view::LocalTime;

use std::sync::Arc;

use backstop_core::catalog::CatalogError;
use backstop_core::document::{SessionDoc, SetDoc};
use backstop_core::engine::{
    Assessment, CHECKPOINT_EVERY, Checkpoint, History, KeepCheckpoint, KeptCheckpoint, Settings,
};
use backstop_core::facts::TriageRecord;
use backstop_core::load::LoadReport;
use backstop_core::plan::{Plan, Readiness, WeekPlan};
use backstop_core::redflags::{self, RedFlag, RedFlagState, ScreenResult};
use backstop_core::time::{civil_date, parse_instant};
use backstop_core::triage::{Classification, TriageAnswers, TriageResult};
use backstop_core::units::Stiffness;
use backstop_core::{
    Catalog, CheckIn, Clearance, Exercise, FlareEvent, FlareMark, Minutes, Pain, Profile, Rpe, Screening,
    ScreeningContext, Session, SetEntry,
};
use backstop_import::ImportReport;
use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::backup::{Backup, Facts};
use crate::clock::Clock;
use crate::store::{
    AthleteId, CustomExercise, ImportOutcome, ProfileVersion, Store, StoreError, StoredCheckpoint,
    StoredSession,
};

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Nothing can be logged or planned before the profile exists. Each front end says how to create it.
    #[error("no profile yet: create one first")]
    NoProfile,
    /// The person's input was refused; the message says what and where.
    #[error("{0}")]
    Input(String),
    /// The person's input was refused, and the way to put it right depends on the front end: the CLI names its flag
    /// or command, a page or the API its field. `Display` gives the remedy in plain words.
    #[error("{message}; {}", remedy.in_words())]
    Refused {
        /// What was refused and why.
        message: String,
        /// How to put it right.
        remedy: Remedy,
    },
    /// An import needs to be told the weight unit: the file has weights and does not say whether they are kg or
    /// lb. Each front end says how to give it (a flag, a form field, a query parameter).
    #[error("{origin}: line {line} has a weight, and the file does not say whether its weights are kg or lb")]
    UnitNeeded {
        /// The file, as the person named it.
        origin: String,
        /// The first line with a weight.
        line: u64,
    },
    /// A catalog or exercise file was refused.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AppError {
    /// Whether the failure is the input's fault (exit code 2) rather than the system's (exit code 1).
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            AppError::Input(_)
                | AppError::Refused { .. }
                | AppError::UnitNeeded { .. }
                | AppError::Catalog(_)
                | AppError::NoProfile
                | AppError::Store(StoreError::NotEmpty)
                | AppError::Store(StoreError::NotFound(_))
                | AppError::Store(StoreError::Taken(_))
        )
    }
}

/// Resolves goal lifts given by id, name or another app's name to catalog ids (PG-8), without repeats. Each must
/// be a loaded lift that an easier exercise leads to, so that it has a ladder.
pub fn goal_lifts(catalog: &Catalog, given: &[String]) -> Result<Vec<String>, AppError> {
    let candidates = backstop_core::ladder::goal_candidates(catalog);
    let mut out: Vec<String> = Vec::new();
    for g in given.iter().map(|g| g.trim()).filter(|g| !g.is_empty()) {
        let ex = catalog.resolve(g).map_err(|e| input(format!("goal lift: {e}")))?;
        if !candidates.iter().any(|c| c.id == ex.id) {
            return Err(input(format!(
                "goal lift {g}: {} has no ladder of easier exercises leading to it; choose from: {}",
                ex.id,
                candidates
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if !out.contains(&ex.id) {
            out.push(ex.id.clone());
        }
    }
    Ok(out)
}

/// Refuses a session over `MAX_SETS_PER_SESSION` sets, before any set is checked or stored.
pub(crate) fn too_many_sets(n: usize) -> Result<(), AppError> {
    use backstop_core::facts::MAX_SETS_PER_SESSION;
    if n > MAX_SETS_PER_SESSION {
        return Err(input(format!(
            "a session holds at most {MAX_SETS_PER_SESSION} sets; this one has {n}"
        )));
    }
    Ok(())
}

/// How to choose a first weight (PG-7), for the messages that ask for one.
pub const FIRST_WEIGHT: &str = "the first time, pick one you could lift for 3 or 4 more reps than you do";

/// Whether a set of this exercise must say its load: it is dosed with an external weight (0 stands for an empty
/// machine or handle). Left out, the load would read as no weight at all, and the next doses could neither
/// progress nor hold it.
pub fn takes_weight(catalog: &Catalog, exercise: &str) -> bool {
    catalog
        .get(exercise)
        .is_some_and(|e| e.load_type == backstop_core::catalog::LoadType::External)
}

/// Refuses a set of an exercise that takes a weight (`takes_weight`) without its load, with the first-weight guide.
pub(crate) fn load_given(set: &SetEntry, catalog: &Catalog) -> Result<(), AppError> {
    if set.load.is_none() && takes_weight(catalog, &set.exercise) {
        return Err(input(format!(
            "{} takes a weight: give the load you used (0 for an empty machine or handle); {FIRST_WEIGHT}",
            set.exercise
        )));
    }
    Ok(())
}

fn input(msg: impl ToString) -> AppError {
    AppError::Input(msg.to_string())
}

fn refused(message: impl ToString, remedy: Remedy) -> AppError {
    AppError::Refused {
        message: message.to_string(),
        remedy,
    }
}

/// How to put right a refused input (`AppError::Refused`), for each front end to say in its own terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// The time given is wrong (in the future, say): check it.
    CheckTime,
    /// The time given is too early: give a later one.
    LaterTime,
    /// A flare is already declared: end it first.
    EndFlareFirst,
    /// No flare is declared: declare one first.
    StartFlareFirst,
    /// A live session is too old to join: start a new one, or log the old one as a past session with its time.
    LogPastSession,
}

impl Remedy {
    /// The remedy in plain words, without any front end's syntax.
    pub fn in_words(self) -> &'static str {
        match self {
            Remedy::CheckTime => "check the time given",
            Remedy::LaterTime => "give a later time",
            Remedy::EndFlareFirst => "end it first",
            Remedy::StartFlareFirst => "declare one first",
            Remedy::LogPastSession => "start a new one, or log the old session with its own time",
        }
    }
}

/// The IANA time zone database backstop reads: the copy built into the binary (jiff's bundled one), not the
/// system's. Every machine then knows the same zones and converts the same way, and a process does not walk the
/// system's zoneinfo folder (a few thousand files) before its first lookup: 3.3 million instructions, about 7 % of
/// `backstop status` on ten years of history.
pub fn time_zones() -> &'static jiff::tz::TimeZoneDatabase {
    static DB: std::sync::OnceLock<jiff::tz::TimeZoneDatabase> = std::sync::OnceLock::new();
    DB.get_or_init(jiff::tz::TimeZoneDatabase::bundled)
}

/// Looks up an IANA time zone in [`time_zones`].
pub fn time_zone(name: &str) -> Result<TimeZone, AppError> {
    time_zones().get(name).map_err(|_| {
        input(format!(
            "unknown time zone {name:?}; use an IANA name such as Europe/London or America/New_York"
        ))
    })
}

/// What [`App::verify_checkpoint`] finds of a person's kept fold checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckpointCheck {
    /// None holds now: none is kept, the one kept was made under other settings or code or has not settled, or
    /// facts changed while it was checked.
    NoneHolds,
    /// It resumes to the same assessment as folding every fact.
    Resumes,
    /// It resumes to another assessment: a bug in backstop (the facts themselves are untouched).
    Differs,
    /// One kept for these settings and this code does not read back (a damaged file): assessments fold every fact
    /// instead, and the next one keeps a new checkpoint.
    Unreadable,
}

/// What the person's data says right now, with the profile's zone and their catalog.
#[derive(Clone)]
pub struct Context {
    /// The newest profile.
    pub profile: Profile,
    /// The profile's time zone.
    pub tz: TimeZone,
    /// Built-in plus the person's own exercises (the built-in one shared, not copied, when there are none).
    pub catalog: Arc<Catalog>,
    /// What a coach or clinician set for the person and is in force (a ceiling, exercises left out, a note): the
    /// profile above already carries the ceiling and the exercises left out.
    pub care: Vec<store::CareDirective>,
}

/// Session-level values given on the command line; they win over the session document's.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// `--at`.
    pub at: Option<String>,
    /// `--pain-before`.
    pub pain_before: Option<Pain>,
    /// `--minutes`.
    pub minutes: Option<Minutes>,
    /// `--session-rpe`.
    pub session_rpe: Option<Rpe>,
}

/// A check-in as entered.
#[derive(Debug, Clone, Default)]
pub struct CheckInInput {
    /// `--at`; now when missing. A bare date means 08:00 that morning.
    pub at: Option<String>,
    /// Pain now.
    pub pain: Option<Pain>,
    /// Morning stiffness.
    pub stiffness: Option<Stiffness>,
    /// Ache in the trained muscles that eases with movement.
    pub muscle_soreness: bool,
    /// Pain into the leg.
    pub leg_pain: bool,
    /// Numbness or pins and needles.
    pub numbness: bool,
    /// Weakness.
    pub weakness: bool,
    /// How far down the leg the leg pain reached; given alone, it also means leg pain.
    pub leg_reach: Option<backstop_core::LegReach>,
}

/// How to read an export file.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    /// Force a layout.
    pub format: Option<backstop_import::Format>,
    /// The unit for files that do not say.
    pub unit: Option<backstop_core::WeightUnit>,
    /// The time zone of the file's local times (the profile's when `None`).
    pub tz: Option<String>,
    /// A mapping file's text and name: TOML lines `"Name in the other app" = "catalog-id"`.
    pub mapping: Option<(String, String)>,
}

/// What `checkin` recorded and what follows from it.
#[derive(Debug, Clone)]
pub struct CheckInOutcome {
    /// The stored check-in.
    pub checkin: CheckIn,
    /// Leg or nerve symptoms were reported: ask the red-flag questions again (RF-4).
    pub rescreen: bool,
}

/// One session in `history`, in the person's zone and unit.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    /// Storage id (to correct or delete a set of it).
    pub id: i64,
    /// Start, in the profile's zone (RFC 3339 with the zone's offset in JSON).
    pub at: LocalTime,
    /// Training day (civil date in the profile's zone).
    pub date: String,
    /// Pain before.
    pub pain_before: Option<Pain>,
    /// Minutes.
    pub minutes: Option<Minutes>,
    /// Session RPE.
    pub session_rpe: Option<Rpe>,
    /// Sets in order.
    pub sets: Vec<SetDoc>,
    /// Check-ins given after this session and before the next one (up to 72 hours after).
    pub checkins: Vec<HistoryCheckIn>,
}

/// A check-in in `history`.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryCheckIn {
    /// When, in the profile's zone (RFC 3339 with the zone's offset in JSON).
    pub at: LocalTime,
    /// Hours after the session started.
    pub hours_after: f64,
    /// Pain.
    pub pain: Pain,
    /// Morning stiffness.
    pub stiffness: Option<Stiffness>,
    /// Muscle soreness.
    pub muscle_soreness: bool,
    /// Leg pain.
    pub leg_pain: bool,
    /// Numbness.
    pub numbness: bool,
    /// Weakness.
    pub weakness: bool,
}

/// How long a browser stays signed in after it signs in (days): a phone at the gym should not have to find the
/// key again every week, and a lost one can be signed out from any other browser ("sign out everywhere").
pub const WEB_SESSION_DAYS: i64 = 90;

/// How long after a session a check-in still belongs to it in `history`.
pub const CHECKIN_WINDOW: SignedDuration = SignedDuration::from_hours(72);

/// The application: use cases over a store and a clock.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    builtin: Arc<Catalog>,
    cache: Arc<std::sync::Mutex<std::collections::HashMap<AthleteId, Arc<live::CachedAssessment>>>>,
    /// The assessment just before a session in progress, by person: (session start, revision, assessment).
    before_cache: Arc<std::sync::Mutex<BeforeCache>>,
    /// Corrections read a session and write it back; they and set logging take turns, person by person, so none of
    /// them writes over another's change (and one person's writes never wait for another's).
    edits: PersonLocks,
    /// One assessment is worked out at a time per person: requests that miss the cache together (the first after a
    /// write, or after a start) wait for it instead of each reading the whole history at once.
    assessing: PersonLocks,
    /// Each person's [`Context`] with the history revision it was read at: every table it is read from raises that
    /// revision (the store's triggers), and a set appended to the newest session does not, so a server logging sets
    /// reads it once per session instead of three times per set.
    contexts: Arc<std::sync::Mutex<std::collections::HashMap<AthleteId, (i64, Context)>>>,
}

/// A lock per person, made on first use.
type PersonLocks = Arc<std::sync::Mutex<std::collections::HashMap<AthleteId, Arc<tokio::sync::Mutex<()>>>>>;

/// Takes `who`'s lock in `locks`, waiting for it.
async fn person_lock(locks: &PersonLocks, who: AthleteId) -> tokio::sync::OwnedMutexGuard<()> {
    let lock = match locks.lock() {
        Ok(mut m) => Arc::clone(m.entry(who).or_default()),
        // A thread panicked while holding the map: the map itself is intact (entries are only added).
        Err(poisoned) => Arc::clone(poisoned.into_inner().entry(who).or_default()),
    };
    lock.lock_owned().await
}

type BeforeCache = std::collections::HashMap<AthleteId, (Timestamp, i64, Arc<live::CachedAssessment>)>;

impl App {
    /// How many people's assessments this process keeps in memory: those reused while facts are unchanged, and those
    /// from before a session in progress. Each goes once it can no longer be reused, so a server's memory follows
    /// the people active in the last moments, not everyone it ever served.
    pub fn kept_assessments(&self) -> (usize, usize) {
        (
            self.cache.lock().map_or(0, |m| m.len()),
            self.before_cache.lock().map_or(0, |m| m.len()),
        )
    }

    /// Builds the application over a store and a clock, with the built-in catalog.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Result<App, AppError> {
        Ok(App {
            store,
            clock,
            builtin: Arc::new(Catalog::builtin()?),
            cache: Arc::default(),
            before_cache: Arc::default(),
            edits: Arc::default(),
            assessing: Arc::default(),
            contexts: Arc::default(),
        })
    }

    /// The person's turn to change their sessions, held until the guard is dropped.
    pub(crate) async fn turn(&self, who: AthleteId) -> tokio::sync::OwnedMutexGuard<()> {
        person_lock(&self.edits, who).await
    }

    /// The current instant according to the app's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The person of local mode.
    pub async fn local_athlete(&self) -> Result<AthleteId, AppError> {
        Ok(self.store.local_athlete(self.now()).await?)
    }

    /// The newest profile, if any.
    pub async fn profile(&self, who: AthleteId) -> Result<Option<Profile>, AppError> {
        Ok(self.store.profile_versions(who).await?.pop().map(|v| v.profile))
    }

    /// The built-in catalog plus the person's own exercises.
    pub async fn catalog(&self, who: AthleteId) -> Result<Arc<Catalog>, AppError> {
        let custom: Vec<Exercise> = self
            .store
            .custom_exercises(who)
            .await?
            .into_iter()
            .map(|c| c.exercise)
            .collect();
        if custom.is_empty() {
            return Ok(Arc::clone(&self.builtin));
        }
        self.builtin
            .with_custom(&custom, "your exercises")
            .map(Arc::new)
            .map_err(|e| AppError::Store(StoreError::Corrupt(e.to_string())))
    }

    /// Profile, zone and catalog; fails with `NoProfile` before `init`. Kept per person while their history revision
    /// stays the same (read first, so that a change made while the context is read leaves it kept under an older
    /// revision, which the next call does not match).
    pub async fn context(&self, who: AthleteId) -> Result<Context, AppError> {
        let history = match self.store.history_revision(who).await {
            Ok(h) => h,
            // No such person: reading says what is missing (no profile).
            Err(StoreError::NotFound(_)) => return self.read_context(who).await,
            Err(e) => return Err(e.into()),
        };
        let kept = self.contexts.lock().ok().and_then(|m| {
            m.get(&who)
                .filter(|(at, _)| *at == history)
                .map(|(_, ctx)| ctx.clone())
        });
        if let Some(ctx) = kept {
            return Ok(ctx);
        }
        let ctx = self.read_context(who).await?;
        if let Ok(mut m) = self.contexts.lock() {
            m.insert(who, (history, ctx.clone()));
        }
        Ok(ctx)
    }

    /// Keeps the person's context, kept at history revision `from`, at `to`: for a write of this app's own that
    /// moved the history revision from `from` to `to` with nothing else written between, and that changed no input
    /// of the context (a session or a check-in: not the profile, the person's own exercises or a care directive).
    /// Without it, every request after a session's start read the context again, each client at once (1–5 ms each
    /// with eight clients of one person, `cargo bench -p backstop-web --bench server`). A context kept at another
    /// revision (another process or instance wrote meanwhile) is left alone, and the next request reads it again.
    pub(crate) fn carry_context(&self, who: AthleteId, from: i64, to: i64) {
        if let Ok(mut m) = self.contexts.lock()
            && let Some(kept) = m.get_mut(&who)
            && kept.0 == from
        {
            kept.0 = to;
        }
    }

    /// [`App::context`] from the store.
    async fn read_context(&self, who: AthleteId) -> Result<Context, AppError> {
        let mut profile = self.profile(who).await?.ok_or(AppError::NoProfile)?;
        let tz = time_zone(&profile.time_zone)?;
        let catalog = self.catalog(who).await?;
        let care = accounts::in_force(&self.store.directives(who).await?);
        accounts::apply_care(&mut profile, &care);
        Ok(Context {
            profile,
            tz,
            catalog,
            care,
        })
    }

    /// A profile about to be saved may have come from `context`, where a coach's or clinician's ceiling stands in
    /// for the person's own: the person's own stays stored, so that undoing the clinician's brings it back.
    async fn keep_care_out(&self, who: AthleteId, settings: &mut Settings) -> Result<(), AppError> {
        let care = accounts::in_force(&self.store.directives(who).await?);
        let theirs = care
            .iter()
            .find(|d| d.kind == store::CareKind::Ceiling)
            .and_then(|d| d.value.parse::<u8>().ok());
        if theirs == Some(settings.ceiling_max)
            && let Some(own) = self.profile(who).await?
        {
            settings.ceiling_max = own.settings.ceiling_max;
        }
        Ok(())
    }

    /// Creates or updates the profile and, when answers are given, records the red-flag screen with it in the
    /// same transaction. Returns the screen's result when any flag was answered yes.
    pub async fn init(
        &self,
        who: AthleteId,
        mut profile: Profile,
        flags: Option<Vec<RedFlag>>,
    ) -> Result<Option<ScreenResult>, AppError> {
        time_zone(&profile.time_zone)?;
        if let Some(y) = profile
            .training_years
            .filter(|y| *y > backstop_core::facts::MAX_TRAINING_YEARS)
        {
            return Err(input(format!(
                "training years: {y} is more than {}",
                backstop_core::facts::MAX_TRAINING_YEARS
            )));
        }
        profile.goal_lifts = goal_lifts(&*self.catalog(who).await?, &profile.goal_lifts)?;
        self.keep_care_out(who, &mut profile.settings).await?;
        profile.not_planned.clear();
        let now = self.now();
        let version = ProfileVersion {
            recorded_at: now,
            profile,
        };
        match flags {
            Some(flags) => {
                let screening = Screening {
                    at: now,
                    context: ScreeningContext::Onboarding,
                    flags,
                };
                self.store
                    .save_profile_and_screening(who, &version, &screening)
                    .await?;
                Ok(redflags::assess(&screening.flags))
            }
            None => {
                self.store.save_profile(who, &version).await?;
                Ok(None)
            }
        }
    }
}

/// Reads an export document and checks it against the catalog (with its own custom exercises) before anything is
/// written: its format and version, every time in it (1900 to a day ahead), each profile's time zone and settings,
/// every set's exercise and values. The whole document is refused with the first problem and where it is; nothing
/// about the store is needed, so this is also what the fuzz target `backup` drives.
pub fn read_backup(text: &str, origin: &str, builtin: &Catalog, now: Timestamp) -> Result<Backup, AppError> {
    let backup: Backup = serde_json::from_str(text).map_err(|e| input(format!("{origin}: {e}")))?;
    // Every time in it within the range a typed or imported time must be in (docs/limits.md): from 1900 to a day
    // ahead of now. A year-0 slip restored would be stored, and shown with a strange local-mean-time offset.
    let latest = now.checked_add(SignedDuration::from_hours(24)).unwrap_or(now);
    let times = backup
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("sessions[{i}].at"), s.at))
        .chain(
            backup
                .checkins
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("checkins[{i}].at"), c.at)),
        )
        .chain(
            backup
                .screenings
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("screenings[{i}].at"), c.at)),
        )
        .chain(
            backup
                .triages
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("triages[{i}].at"), c.at)),
        )
        .chain(
            backup
                .flare_events
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("flare_events[{i}].at"), c.at)),
        )
        .chain(
            backup
                .clearances
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("clearances[{i}].at"), c.at)),
        );
    for (place, at) in times {
        if at < backstop_core::time::EARLIEST || at > latest {
            return Err(input(format!(
                "{origin}: {place}: {at} is not between 1900 and a day from now"
            )));
        }
    }
    if backup.format != backup::FORMAT {
        return Err(input(format!(
            "{origin}: format is {:?}, expected {:?}",
            backup.format,
            backup::FORMAT
        )));
    }
    if backup.version != backup::VERSION {
        return Err(input(format!(
            "{origin}: export version {} is not supported by this backstop (it reads version {})",
            backup.version,
            backup::VERSION
        )));
    }
    for (i, p) in backup.profiles.iter().enumerate() {
        time_zone(&p.profile.time_zone).map_err(|e| input(format!("{origin}: profiles[{i}]: {e}")))?;
        p.profile
            .settings
            .validate()
            .map_err(|e| input(format!("{origin}: profiles[{i}].settings: {e}")))?;
    }
    let custom: Vec<Exercise> = backup
        .custom_exercises
        .iter()
        .map(|c| c.exercise.clone())
        .collect();
    let catalog = builtin.with_custom(&custom, &format!("{origin}: custom_exercises"))?;
    for (i, s) in backup.sessions.iter().enumerate() {
        if s.sets.is_empty() {
            return Err(input(format!("{origin}: sessions[{i}] has no sets")));
        }
        for (j, set) in s.sets.iter().enumerate() {
            if catalog.get(&set.exercise).is_none() {
                return Err(input(format!(
                    "{origin}: sessions[{i}].sets[{j}]: unknown exercise {:?}",
                    set.exercise
                )));
            }
            set.to_entry()
                .map_err(|e| input(format!("{origin}: sessions[{i}].sets[{j}]: {e}")))?;
        }
    }
    Ok(backup)
}

/// A person's facts as the engine takes them: sessions and check-ins without their storage details, beside the
/// other facts. Made once, it can be assessed more than once (before and after a check-in).
pub(crate) struct EngineFacts {
    /// Sessions, oldest first: every one, or those from `sessions_from` on when a fold checkpoint was read.
    pub(crate) sessions: Vec<Session>,
    /// Check-ins (the engine puts them in time order itself).
    pub(crate) checkins: Vec<CheckIn>,
    /// Flare events, screens and clearances (its sessions and check-ins taken out).
    rest: Facts,
    /// The fold checkpoint the assessment starts from, usable at the instant it was read for.
    checkpoint: Option<Checkpoint>,
    /// Where `sessions` begin when not every session was read.
    pub(crate) sessions_from: Option<Timestamp>,
    /// A checkpoint kept for these settings and this code did not read back: every session was read instead.
    damaged_checkpoint: bool,
}

impl EngineFacts {
    /// Takes the facts apart (every session).
    pub(crate) fn new(mut f: Facts) -> EngineFacts {
        EngineFacts {
            sessions: std::mem::take(&mut f.sessions)
                .into_iter()
                .map(|s| s.session)
                .collect(),
            checkins: std::mem::take(&mut f.checkins)
                .into_iter()
                .map(|c| c.checkin)
                .collect(),
            rest: f,
            checkpoint: None,
            sessions_from: None,
            damaged_checkpoint: false,
        }
    }

    fn history<'a>(&'a self, ctx: &'a Context) -> History<'a> {
        History {
            profile: &ctx.profile,
            sessions: &self.sessions,
            checkins: &self.checkins,
            flare_events: &self.rest.flare_events,
            screenings: &self.rest.screenings,
            clearances: &self.rest.clearances,
        }
    }

    /// The engine's fold over them at `at` (from the checkpoint, when one was read for `at` or earlier).
    pub(crate) fn assess(&self, ctx: &Context, at: Timestamp) -> Assessment {
        let from = self
            .checkpoint
            .as_ref()
            .filter(|c| at >= c.settled_from())
            .cloned();
        self.run(ctx, at, from, None).0
    }

    /// Like [`EngineFacts::assess`], for the last assessment of these facts: the checkpoint's state is moved into
    /// it, not copied.
    pub(crate) fn assess_last(mut self, ctx: &Context, at: Timestamp) -> Assessment {
        let from = self.checkpoint.take().filter(|c| at >= c.settled_from());
        self.run(ctx, at, from, None).0
    }

    /// Whether a fact recorded for `at` would make the checkpoint read with these facts stale.
    pub(crate) fn stale_after(&self, at: Timestamp) -> bool {
        self.checkpoint.as_ref().is_some_and(|c| at < c.settled_from())
    }

    /// Assesses at `at` once, from the checkpoint without copying it; hands back a newer checkpoint when one is due.
    fn assess_keeping(
        mut self,
        ctx: &Context,
        at: Timestamp,
        fingerprint: u64,
    ) -> (Assessment, Option<KeptCheckpoint>, Self) {
        let from = self.checkpoint.take().filter(|c| c.usable(fingerprint, at));
        let keep = KeepCheckpoint {
            fingerprint,
            every: CHECKPOINT_EVERY,
            encode: |c| postcard::to_stdvec(c).ok(),
        };
        let (a, next) = self.run(ctx, at, from, Some(keep));
        (a, next, self)
    }

    /// The engine over these facts from `from`, which must be there whenever not every session was read: folding
    /// only the recent ones would judge without the older sessions.
    fn run(
        &self,
        ctx: &Context,
        at: Timestamp,
        from: Option<Checkpoint>,
        keep: Option<KeepCheckpoint>,
    ) -> (Assessment, Option<KeptCheckpoint>) {
        debug_assert!(
            from.is_some() || self.sessions_from.is_none(),
            "assessed without the sessions it needs"
        );
        backstop_core::engine::assess_resuming(
            &self.history(ctx),
            &ctx.catalog,
            &ctx.profile.settings,
            &ctx.tz,
            at,
            from,
            keep,
        )
    }
}

/// How far back the sessions read with a fold checkpoint reach at least: the week planner looks back 7 days from
/// the start of the week, the coach's roster 14 (`docs/decisions/0004-fold-checkpoints.md`).
pub(crate) const SESSIONS_LOOKBACK: SignedDuration = SignedDuration::from_hours(24 * 35);

impl App {
    /// The facts an assessment at `now` needs: from the person's fold checkpoint when it holds at `now` (the sessions
    /// since its cut and [`SESSIONS_LOOKBACK`]), or every fact.
    pub(crate) async fn engine_facts(
        &self,
        ctx: &Context,
        who: AthleteId,
        now: Timestamp,
    ) -> Result<(EngineFacts, i64, u64), AppError> {
        let fingerprint =
            backstop_core::engine::fingerprint(&ctx.profile, &ctx.catalog, &ctx.profile.settings);
        let since = now.checked_sub(SESSIONS_LOOKBACK).unwrap_or(now);
        let r = self.store.facts_resuming(who, since).await?;
        // One kept for these settings and this code (its layout included) and settled, read back where it can be.
        let decoded = r
            .checkpoint
            .as_ref()
            .filter(|c| c.fingerprint == format!("{fingerprint:016x}") && now >= c.settled_from)
            .map(|c| postcard::from_bytes::<Checkpoint>(&c.state).ok());
        // One that does not read back is damaged: only a full fold's cost, and the next one kept replaces it.
        let damaged = matches!(decoded, Some(None));
        let checkpoint = decoded.flatten().filter(|c| c.usable(fingerprint, now));
        if checkpoint.is_none() && r.sessions_from.is_some() {
            // A checkpoint is kept, but not for this moment or these settings, or damaged: every fact, then.
            let revision = self.store.revision(who).await?;
            let mut facts = EngineFacts::new(self.store.facts(who).await?);
            facts.damaged_checkpoint = damaged;
            return Ok((facts, revision, fingerprint));
        }
        let mut facts = EngineFacts::new(r.facts);
        facts.sessions_from = r.sessions_from;
        facts.checkpoint = checkpoint;
        facts.damaged_checkpoint = damaged;
        Ok((facts, r.revision, fingerprint))
    }

    /// What `backstop doctor` finds of the person's kept fold checkpoint: whether one that holds now resumes to the
    /// same assessment as folding every fact, or one kept for these settings and this code no longer reads back.
    /// Facts written between the reads can make the two assessments differ: the person's revision is compared around
    /// them, and a changed one is read as [`CheckpointCheck::NoneHolds`].
    pub async fn verify_checkpoint(&self, who: AthleteId) -> Result<CheckpointCheck, AppError> {
        let ctx = match self.context(who).await {
            Ok(ctx) => ctx,
            Err(AppError::NoProfile) => return Ok(CheckpointCheck::NoneHolds),
            Err(e) => return Err(e),
        };
        let now = self.now();
        let (facts, revision, _) = self.engine_facts(&ctx, who, now).await?;
        if facts.checkpoint.is_none() {
            return Ok(if facts.damaged_checkpoint {
                CheckpointCheck::Unreadable
            } else {
                CheckpointCheck::NoneHolds
            });
        }
        let resumed = facts.assess(&ctx, now);
        let full = EngineFacts::new(self.store.facts(who).await?).assess(&ctx, now);
        if self.store.revision(who).await? != revision {
            return Ok(CheckpointCheck::NoneHolds);
        }
        Ok(if format!("{resumed:?}") == format!("{full:?}") {
            CheckpointCheck::Resumes
        } else {
            CheckpointCheck::Differs
        })
    }

    /// The assessment at `now`, from the fold checkpoint when one holds, keeping a newer checkpoint when one is due;
    /// with the facts read.
    pub(crate) async fn assess_now(
        &self,
        ctx: &Context,
        who: AthleteId,
        now: Timestamp,
    ) -> Result<(Assessment, EngineFacts), AppError> {
        let (facts, revision, fingerprint) = self.engine_facts(ctx, who, now).await?;
        let (a, next, facts) = facts.assess_keeping(ctx, now, fingerprint);
        // A derived value: when it cannot be kept (a read-only file, facts written meanwhile), the next assessment
        // folds those sessions again, with the same result; the assessment made stands either way.
        if let Some(c) = next {
            let stored = StoredCheckpoint {
                cut: c.cut,
                settled_from: c.settled_from,
                fingerprint: format!("{:016x}", c.fingerprint),
                state: c.bytes,
            };
            let _ = self.store.keep_checkpoint(who, revision, &stored).await;
        }
        Ok((a, facts))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random token (32 bytes from the operating system, in hex): a calendar link's or a browser's.
fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Store(StoreError::Backend(format!("no randomness: {e}"))))?;
    Ok(hex(&bytes))
}

/// What storage keeps of a token someone sent (its SHA-256); `None` for one that cannot be a token (empty, or
/// longer than any made), so that it is not looked up at all.
fn token_hash(token: &str) -> Option<String> {
    (!token.is_empty() && token.len() <= 128).then(|| sha256_hex(token))
}

/// The SHA-256 of a text, in hex: what storage keeps of a token.
fn sha256_hex(text: &str) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha256::digest(text.as_bytes()))
}
