//! backstop's use cases, shared by the CLI and (later) the web app.
//!
//! Each use case reads facts through the `Store` port, asks the pure core for decisions, and writes facts back.
//! Input that comes from a person is validated here before anything is written, so a failed command leaves the
//! store untouched.

pub mod backup;
pub mod clock;
pub mod exercise_input;
pub mod export;
pub mod live;
pub mod settings;
pub mod store;
pub mod view;

use view::LocalTime;

use std::sync::Arc;

use backstop_core::catalog::CatalogError;
use backstop_core::document::{SessionDoc, SetDoc};
use backstop_core::engine::{Assessment, History, Settings, assess};
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
    AthleteId, CustomExercise, ImportOutcome, ProfileVersion, Store, StoreError, StoredSession,
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

/// Looks up an IANA time zone (the binary carries its own copy of the time zone database).
pub fn time_zone(name: &str) -> Result<TimeZone, AppError> {
    TimeZone::get(name).map_err(|_| {
        input(format!(
            "unknown time zone {name:?}; use an IANA name such as Europe/London or America/New_York"
        ))
    })
}

/// What the person's data says right now, with the profile's zone and their catalog.
pub struct Context {
    /// The newest profile.
    pub profile: Profile,
    /// The profile's time zone.
    pub tz: TimeZone,
    /// Built-in plus the person's own exercises.
    pub catalog: Catalog,
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
    /// Corrections read a session and write it back; they and set logging take turns, so none of them writes
    /// over another's change.
    edits: Arc<tokio::sync::Mutex<()>>,
}

type BeforeCache = std::collections::HashMap<AthleteId, (Timestamp, i64, Arc<live::CachedAssessment>)>;

impl App {
    /// Builds the application over a store and a clock, with the built-in catalog.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Result<App, AppError> {
        Ok(App {
            store,
            clock,
            builtin: Arc::new(Catalog::builtin()?),
            cache: Arc::default(),
            before_cache: Arc::default(),
            edits: Arc::default(),
        })
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
    pub async fn catalog(&self, who: AthleteId) -> Result<Catalog, AppError> {
        let custom: Vec<Exercise> = self
            .store
            .custom_exercises(who)
            .await?
            .into_iter()
            .map(|c| c.exercise)
            .collect();
        if custom.is_empty() {
            return Ok((*self.builtin).clone());
        }
        self.builtin
            .with_custom(&custom, "your exercises")
            .map_err(|e| AppError::Store(StoreError::Corrupt(e.to_string())))
    }

    /// Profile, zone and catalog; fails with `NoProfile` before `init`.
    pub async fn context(&self, who: AthleteId) -> Result<Context, AppError> {
        let profile = self.profile(who).await?.ok_or(AppError::NoProfile)?;
        let tz = time_zone(&profile.time_zone)?;
        let catalog = self.catalog(who).await?;
        Ok(Context { profile, tz, catalog })
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
        profile.goal_lifts = goal_lifts(&self.catalog(who).await?, &profile.goal_lifts)?;
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

    /// Whether the person has ever answered the red-flag screen.
    pub async fn has_screening(&self, who: AthleteId) -> Result<bool, AppError> {
        Ok(!self.store.screenings(who).await?.is_empty())
    }

    /// Records a red-flag screen outside onboarding (after leg symptoms, a flare, or on request).
    pub async fn screen(
        &self,
        who: AthleteId,
        context: ScreeningContext,
        flags: Vec<RedFlag>,
    ) -> Result<Option<ScreenResult>, AppError> {
        let screening = Screening {
            at: self.now(),
            context,
            flags,
        };
        self.store.add_screening(who, &screening).await?;
        Ok(redflags::assess(&screening.flags))
    }

    /// Red-flag answers given without the rest of the triage: recorded as a screen and classified at once, since a
    /// red flag acts whatever else is unanswered (RF-2, RF-3). `None` when no flag was given.
    pub async fn red_flags_alone(
        &self,
        who: AthleteId,
        flags: Vec<RedFlag>,
    ) -> Result<Option<TriageResult>, AppError> {
        if flags.is_empty() {
            return Ok(None);
        }
        let r = self.screen(who, ScreeningContext::Triage, flags).await?;
        Ok(r.map(|r| TriageResult {
            classification: Classification::RedFlag,
            urgency: Some(r.urgency),
            advice: r.advice(),
            because: r.because,
        }))
    }

    /// The red-flag state now (RF-2, RF-3).
    pub async fn red_flag_state(&self, who: AthleteId) -> Result<RedFlagState, AppError> {
        let s = self.store.screenings(who).await?;
        let c = self.store.clearances(who).await?;
        Ok(redflags::state(&s, &c, self.now()))
    }

    /// Records a clinician's clearance.
    pub async fn clearance(
        &self,
        who: AthleteId,
        at: Option<&str>,
        note: Option<String>,
    ) -> Result<Clearance, AppError> {
        let ctx = self.context(who).await?;
        let at = self.instant(at, &ctx.tz, Time::constant(12, 0, 0, 0))?;
        if at > self.now() + SignedDuration::from_mins(5) {
            return Err(input(
                "a clearance cannot be dated in the future; record it once you have been cleared",
            ));
        }
        // A clearance only clears answers given before it; dating it earlier would silently clear nothing.
        let state = self.red_flag_state(who).await?;
        if let Some(since) = state.since
            && state.open.is_some()
            && at < since
        {
            return Err(refused(
                format!(
                    "the clearance is dated {}, before the red-flag answers of {} that it should clear",
                    backstop_core::time::format_local(at, &ctx.tz),
                    backstop_core::time::format_local(since, &ctx.tz)
                ),
                Remedy::LaterTime,
            ));
        }
        let c = Clearance { at, note };
        self.store.add_clearance(who, &c).await?;
        Ok(c)
    }

    /// Records a declared flare start or end (FL-1).
    pub async fn flare(
        &self,
        who: AthleteId,
        mark: FlareMark,
        at: Option<&str>,
    ) -> Result<FlareEvent, AppError> {
        let ctx = self.context(who).await?;
        let at = self.instant(at, &ctx.tz, Time::constant(12, 0, 0, 0))?;
        if at > self.now() + SignedDuration::from_hours(24) {
            return Err(refused(
                "a flare mark cannot be more than a day in the future",
                Remedy::CheckTime,
            ));
        }
        let marks = self.store.flare_events(who).await?;
        let open = marks
            .iter()
            .filter(|m| m.at <= at)
            .max_by_key(|m| m.at)
            .filter(|m| m.mark == FlareMark::Start);
        match (mark, open) {
            (FlareMark::Start, Some(o)) => {
                return Err(refused(
                    format!(
                        "a flare is already declared since {}",
                        backstop_core::time::format_local(o.at, &ctx.tz)
                    ),
                    Remedy::EndFlareFirst,
                ));
            }
            (FlareMark::End, None) => {
                return Err(refused(
                    "there is no declared flare to end at that time",
                    Remedy::StartFlareFirst,
                ));
            }
            _ => {}
        }
        let e = FlareEvent { at, mark };
        self.store.add_flare_event(who, &e).await?;
        Ok(e)
    }

    /// Validates and stores the person's own exercises against the built-in and existing ones.
    pub async fn add_exercises(&self, who: AthleteId, new: Vec<Exercise>) -> Result<Vec<Exercise>, AppError> {
        let mut custom: Vec<Exercise> = self
            .store
            .custom_exercises(who)
            .await?
            .into_iter()
            .map(|c| c.exercise)
            .collect();
        custom.extend(new.iter().cloned());
        self.builtin.with_custom(&custom, "the new exercise")?;
        let now = self.now();
        let rows: Vec<CustomExercise> = new
            .iter()
            .map(|e| CustomExercise {
                recorded_at: now,
                exercise: e.clone(),
            })
            .collect();
        self.store.add_custom_exercises(who, &rows).await?;
        Ok(new)
    }

    fn instant(&self, at: Option<&str>, tz: &TimeZone, default_time: Time) -> Result<Timestamp, AppError> {
        match at {
            Some(s) => parse_instant(s, tz, default_time).map_err(input),
            None => Ok(self.now()),
        }
    }

    /// Logs a session written in the compact notation, one group per argument.
    pub async fn log_groups(
        &self,
        who: AthleteId,
        groups: &[String],
        opts: &SessionOptions,
    ) -> Result<StoredSession, AppError> {
        let ctx = self.context(who).await?;
        if groups.is_empty() {
            return Err(input(
                "no sets given; e.g. backstop log \"chest-supported-row 3x10@30 rpe7 p2\"",
            ));
        }
        let mut sets = Vec::new();
        for g in groups {
            sets.extend(
                backstop_core::notation::parse_group(g, &ctx.catalog, ctx.profile.units).map_err(input)?,
            );
        }
        let at = self.instant(opts.at.as_deref(), &ctx.tz, Time::constant(12, 0, 0, 0))?;
        let session = Session {
            at,
            pain_before: opts.pain_before,
            minutes: opts.minutes,
            session_rpe: opts.session_rpe,
            sets,
            notes: None,
            source: None,
        };
        self.store_session(who, session, &ctx.catalog).await
    }

    /// Logs a session from a JSON session document; `origin` names the file in errors.
    pub async fn log_document(
        &self,
        who: AthleteId,
        text: &str,
        origin: &str,
        opts: &SessionOptions,
    ) -> Result<StoredSession, AppError> {
        let ctx = self.context(who).await?;
        // A document is one JSON object; serde would also read a list as the fields in order, and then name the
        // wrong thing ("expected a string at line 1 column 2" for `[1,2]`).
        let what = match text.trim_start().chars().next() {
            Some('{') | None => None,
            Some('[') => Some("a list"),
            Some('"') => Some("a string"),
            Some(_) => Some("not an object"),
        };
        if let Some(what) = what {
            return Err(input(format!(
                "{origin}: a session document is one JSON object with \"sets\" (and, if you like, \"at\",                  \"pain_before\", \"minutes\", \"session_rpe\"); this one is {what}"
            )));
        }
        let doc: SessionDoc = serde_json::from_str(text).map_err(|e| input(format!("{origin}: {e}")))?;
        too_many_sets(doc.sets.len()).map_err(|e| input(format!("{origin}: {e}")))?;
        let at = match opts.at.as_deref() {
            Some(s) => Some(parse_instant(s, &ctx.tz, Time::constant(12, 0, 0, 0)).map_err(input)?),
            None => None,
        };
        let mut session = doc
            .to_session(&ctx.catalog, &ctx.tz, at, self.now())
            .map_err(|e| input(format!("{origin}: {e}")))?;
        session.pain_before = opts.pain_before.or(session.pain_before);
        session.minutes = opts.minutes.or(session.minutes);
        session.session_rpe = opts.session_rpe.or(session.session_rpe);
        for (i, set) in session.sets.iter().enumerate() {
            load_given(set, &ctx.catalog).map_err(|e| input(format!("{origin}: set {}: {e}", i + 1)))?;
        }
        self.store_session(who, session, &ctx.catalog).await
    }

    async fn store_session(
        &self,
        who: AthleteId,
        session: Session,
        catalog: &Catalog,
    ) -> Result<StoredSession, AppError> {
        too_many_sets(session.sets.len())?;
        for set in &session.sets {
            load_given(set, catalog)?;
        }
        let now = self.now();
        if session.at > now + SignedDuration::from_hours(24) {
            return Err(refused(
                "the session is more than a day in the future",
                Remedy::CheckTime,
            ));
        }
        let id = self.store.add_session(who, &session, now, None).await?;
        Ok(StoredSession {
            id,
            recorded_at: now,
            session,
        })
    }

    /// Records a check-in (PM-1, PM-5).
    pub async fn checkin(&self, who: AthleteId, c: CheckInInput) -> Result<CheckInOutcome, AppError> {
        let ctx = self.context(who).await?;
        let pain = c
            .pain
            .ok_or_else(|| input("a check-in needs a pain score (0–10)"))?;
        let at = self.instant(c.at.as_deref(), &ctx.tz, Time::constant(8, 0, 0, 0))?;
        // A check-in reports pain felt now or earlier; an hour's grace covers a phone's clock running ahead.
        if at > self.now() + SignedDuration::from_hours(1) {
            return Err(input(format!(
                "a check-in is for pain you feel now or felt earlier, and {} is still to come",
                backstop_core::time::format_local(at, &ctx.tz)
            )));
        }
        let checkin = CheckIn {
            at,
            pain,
            stiffness: c.stiffness,
            muscle_soreness: c.muscle_soreness,
            leg_pain: c.leg_pain || c.leg_reach.is_some(),
            numbness: c.numbness,
            weakness: c.weakness,
            leg_reach: c.leg_reach,
        };
        self.store.add_checkin(who, &checkin, self.now()).await?;
        Ok(CheckInOutcome {
            // Usual, stable leg pain is asked about weekly (RF-4), not after every check-in.
            rescreen: checkin.has_new_leg_symptoms(ctx.profile.usual_leg_symptoms),
            checkin,
        })
    }

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
    async fn assess_in(
        &self,
        ctx: Context,
        who: AthleteId,
        now: Timestamp,
    ) -> Result<(Context, Assessment, Vec<Session>), AppError> {
        let (a, sessions) = assess_facts(&ctx, self.facts(who).await?, now);
        Ok((ctx, a, sessions))
    }

    /// The assessment a plan for `date` rests on: now for today or later (reused while nothing changed, see
    /// [`App::assess_cached`]); for a past day, midday of that day (after its morning check-in, before an evening
    /// session), so that replaying a day plans it as it was planned then.
    async fn assess_for_day(
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
    async fn assess_at(
        &self,
        ctx: &Context,
        who: AthleteId,
        at: Timestamp,
    ) -> Result<Arc<live::CachedAssessment>, AppError> {
        let (assessment, sessions) = assess_facts(ctx, self.facts(who).await?, at);
        Ok(Arc::new(live::CachedAssessment {
            revision: -1,
            assessment,
            sessions,
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
            m.insert(who, (at, revision, Arc::clone(&c)));
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

    /// Records triage answers and classifies them (C10). With `pain`, a check-in is recorded too, marked as
    /// training soreness when that is the outcome (so it does not count against an exercise) and with leg pain
    /// when nerve involvement is possible; red-flag answers are recorded as a screen.
    pub async fn triage(
        &self,
        who: AthleteId,
        answers: TriageAnswers,
        pain: Option<Pain>,
        at: Option<&str>,
    ) -> Result<TriageResult, AppError> {
        let ctx = self.context(who).await?;
        let at = self.instant(at, &ctx.tz, Time::constant(8, 0, 0, 0))?;
        if at > self.now() + SignedDuration::from_hours(24) {
            return Err(refused(
                "the triage is more than a day in the future",
                Remedy::CheckTime,
            ));
        }
        let result = backstop_core::triage::classify_for(&answers, ctx.profile.usual_leg_symptoms);
        self.store
            .add_triage(
                who,
                &TriageRecord {
                    at,
                    answers: answers.clone(),
                },
            )
            .await?;
        // Dark urine after training is a red flag like the others: stored with the screen, so that it pauses
        // training until a clearance (DS-4).
        let mut flags = answers.red_flags.clone();
        if answers.dark_urine && !flags.contains(&RedFlag::DarkUrine) {
            flags.push(RedFlag::DarkUrine);
        }
        if !flags.is_empty() {
            let s = Screening {
                at,
                context: ScreeningContext::Triage,
                flags,
            };
            self.store.add_screening(who, &s).await?;
        }
        if let Some(p) = pain {
            let c = CheckIn {
                at,
                pain: p,
                stiffness: None,
                muscle_soreness: result.classification == Classification::Soreness,
                // Leg pain when it points to nerve involvement or is felt in the leg, with its reach: the engine
                // then decides whether it is new (PM-4) or within the usual leg symptoms (counted only for the
                // weekly re-ask, RF-4).
                leg_pain: result.classification == Classification::Nerve
                    || answers.location.leg_reach().is_some(),
                numbness: false,
                weakness: false,
                leg_reach: answers.location.leg_reach(),
            };
            self.store.add_checkin(who, &c, self.now()).await?;
        }
        Ok(result)
    }

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
    /// that is earlier), from one read of the facts.
    async fn load_parts(
        &self,
        who: AthleteId,
        date: Option<&str>,
        weeks: u32,
    ) -> Result<(Context, Assessment, LoadReport), AppError> {
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
        let (ctx, a, sessions) = self.assess_in(ctx, who, end.min(self.now())).await?;
        let from = to
            .checked_sub(jiff::Span::new().days(i64::from(weeks) * 7 - 1))
            .map_err(input)?;
        let r = backstop_core::load::report(
            &sessions,
            &a.sessions,
            &ctx.catalog,
            &ctx.tz,
            ctx.profile.units,
            from,
            to,
        );
        Ok((ctx, a, r))
    }

    /// Imports a Strong, Hevy or FitNotes export in one transaction: unknown exercise names become the
    /// person's own exercises, and workouts already imported (same source) are replaced, never added twice. `origin` names the file
    /// in errors; `tz` overrides the profile's zone for the file's local times.
    pub async fn import_history(
        &self,
        who: AthleteId,
        reader: impl std::io::Read,
        origin: &str,
        options: ImportRequest,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<(ImportReport, ImportOutcome), AppError> {
        let ctx = self.context(who).await?;
        let tz = match &options.tz {
            Some(name) => time_zone(name)?,
            None => ctx.tz.clone(),
        };
        let mut mapping = std::collections::HashMap::new();
        if let Some((text, map_origin)) = &options.mapping {
            let table: std::collections::BTreeMap<String, String> =
                toml::from_str(text).map_err(|e| input(format!("{map_origin}: {e}")))?;
            for (from, to) in table {
                let ex = ctx
                    .catalog
                    .resolve(&to)
                    .map_err(|e| input(format!("{map_origin}: {from:?} = {to:?}: {e}")))?;
                mapping.insert(backstop_core::catalog::normalize_name(&from), ex.id.clone());
            }
        }
        let opts = backstop_import::ImportOptions {
            format: options.format,
            unit: options.unit,
            tz,
            mapping,
        };
        let imported =
            backstop_import::import(reader, &ctx.catalog, &opts, progress).map_err(|e| match e {
                backstop_import::ImportError::UnitNeeded { line } => AppError::UnitNeeded {
                    origin: origin.to_owned(),
                    line,
                },
                e => input(format!("{origin}: {e}")),
            })?;
        // A workout over the session limit is left out, and the report says so.
        let mut report = imported.report;
        let sessions: Vec<Session> = imported
            .sessions
            .into_iter()
            .map(|s| s.session)
            .filter(|s| {
                let keep = s.sets.len() <= backstop_core::facts::MAX_SETS_PER_SESSION;
                if !keep {
                    report.notes.push(format!(
                        "the workout of {} has {} sets, more than the {} a session may hold: left out",
                        backstop_core::time::format_local(s.at, &opts.tz),
                        s.sets.len(),
                        backstop_core::facts::MAX_SETS_PER_SESSION
                    ));
                }
                keep
            })
            .collect();
        // A file with no workout in it (a header alone, or every row unreadable) is refused before the store is
        // touched, with the rows it skipped and why: an import that adds nothing is not a success.
        if sessions.is_empty() {
            let r = &report;
            let mut why: Vec<String> = r
                .skipped
                .iter()
                .take(5)
                .map(|k| format!("line {}: {}", k.line, k.reason))
                .collect();
            if r.skipped.len() > 5 {
                why.push(format!("and {} more", r.skipped.len() - 5));
            }
            return Err(input(format!(
                "{origin}: nothing to import: {} data row(s) read, no workout kept{}{}",
                r.rows,
                r.notes
                    .iter()
                    .find(|n| n.contains("a session may hold"))
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default(),
                if why.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", why.join("; "))
                }
            )));
        }
        let now = self.now();
        let exercises: Vec<CustomExercise> = imported
            .new_exercises
            .iter()
            .filter(|e| ctx.catalog.get(&e.id).is_none())
            .map(|e| CustomExercise {
                recorded_at: now,
                exercise: e.clone(),
            })
            .collect();
        if !exercises.is_empty() {
            let mut all: Vec<Exercise> = self
                .store
                .custom_exercises(who)
                .await?
                .into_iter()
                .map(|c| c.exercise)
                .collect();
            all.extend(exercises.iter().map(|c| c.exercise.clone()));
            self.builtin
                .with_custom(&all, &format!("{origin}: new exercises"))?;
        }
        let outcome = self.store.import_batch(who, &exercises, &sessions, now).await?;
        Ok((report, outcome))
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
            assessment: &a,
            load: &load,
            tz: &ctx.tz,
            unit: ctx.profile.units,
            usual_pain: ctx.profile.baseline_pain.value(),
        }))
    }

    /// Replaces the engine's thresholds for the person, as a new profile version (a fact like any other).
    pub async fn set_settings(&self, who: AthleteId, settings: Settings) -> Result<Profile, AppError> {
        settings.validate().map_err(input)?;
        let mut profile = self.profile(who).await?.ok_or(AppError::NoProfile)?;
        profile.settings = settings;
        self.store
            .save_profile(
                who,
                &ProfileVersion {
                    recorded_at: self.now(),
                    profile: profile.clone(),
                },
            )
            .await?;
        Ok(profile)
    }

    /// Gathers every fact of the person, from one snapshot of the store.
    pub async fn facts(&self, who: AthleteId) -> Result<Facts, AppError> {
        Ok(self.store.facts(who).await?)
    }

    /// Everything, as the export document.
    pub async fn export(&self, who: AthleteId) -> Result<Backup, AppError> {
        Ok(Backup::from_facts(&self.facts(who).await?, self.now()))
    }

    /// Restores an export into an empty database, all or nothing. `origin` names the file in errors.
    pub async fn restore(&self, who: AthleteId, text: &str, origin: &str) -> Result<Backup, AppError> {
        let backup = read_backup(text, origin, &self.builtin, self.now())?;
        self.store.restore(who, &backup).await?;
        Ok(backup)
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

/// The engine's fold over every fact of a person at `at`; hands back the sessions (oldest first) for callers that
/// read them too.
pub(crate) fn assess_facts(ctx: &Context, f: Facts, at: Timestamp) -> (Assessment, Vec<Session>) {
    let sessions: Vec<Session> = f.sessions.into_iter().map(|s| s.session).collect();
    let checkins: Vec<CheckIn> = f.checkins.into_iter().map(|c| c.checkin).collect();
    let history = History {
        profile: &ctx.profile,
        sessions: &sessions,
        checkins: &checkins,
        flare_events: &f.flare_events,
        screenings: &f.screenings,
        clearances: &f.clearances,
    };
    let a = assess(&history, &ctx.catalog, &ctx.profile.settings, &ctx.tz, at);
    (a, sessions)
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
