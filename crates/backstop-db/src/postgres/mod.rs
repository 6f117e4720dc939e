//! The `Store` port over PostgreSQL: a server that several processes (and, later, several people) share.
//!
//! The schema is the SQLite one in PostgreSQL's own types (`migrations/postgres`); reads go through views that
//! present rows as both backends decode them. Every write runs in one transaction that first locks the person's
//! row, so one person's writers take turns (revision counters and set positions stay exact) while other people's
//! writes go on beside them. Migrations run on connect under sqlx's advisory lock, so two servers starting at once
//! apply each migration once.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use backstop_app::backup::{Backup, Facts};
use backstop_app::store::{
    Account, AccountId, AddedSession, AppendedSet, AthleteId, AuditAction, AuditEntry, CareDirective,
    CareKind, CareLink, CustomExercise, ImportOutcome, Invite, NewAccount, ProfileVersion, Redeemer,
    Resuming, Role, Store, StoreError, StoredCheckIn, StoredCheckpoint, StoredSession,
};
use backstop_core::facts::TriageRecord;
use backstop_core::load::LoadInputs;
use backstop_core::{CheckIn, Clearance, FlareEvent, LegReach, Screening, Session, SetEntry};
use jiff::Timestamp;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Transaction};

use crate::decode::{self, dose_columns, mark_word};
use crate::{backend, changed_settings, corrupt, json, ms, ms_up, unique};

mod insert;
mod read;

use insert::*;
use read::*;

pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a request waits for a pooled connection before giving up.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// A PostgreSQL database of facts.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

/// Whether a database address names PostgreSQL (`postgres://` or `postgresql://`).
pub fn is_postgres_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user[:password]@host[:port]/database`, with
    /// `?options=-c search_path=SCHEMA` to keep backstop's tables in a schema of their own) with up to
    /// `connections` pooled connections, and brings its schema up to date.
    pub async fn connect(url: &str, connections: u32) -> Result<PgStore, StoreError> {
        // The address may hold a password: errors name its parts, never the whole.
        let opts = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(format!("the PostgreSQL address cannot be read: {e}")))?;
        Self::connect_with(opts, connections).await
    }

    /// Like [`PgStore::connect`], from options already made.
    pub async fn connect_with(opts: PgConnectOptions, connections: u32) -> Result<PgStore, StoreError> {
        let place = format!(
            "PostgreSQL at {}:{}/{}",
            opts.get_host(),
            opts.get_port(),
            opts.get_database().unwrap_or("(the user's database)")
        );
        // One plain connection first: a wrong address or password fails at once with the server's own reason,
        // where the pool would retry until its timeout and report only that.
        let probe = sqlx::ConnectOptions::connect(&opts)
            .await
            .map_err(|e| StoreError::Backend(format!("cannot connect to {place}: {e}")))?;
        let _ = sqlx::Connection::close(probe).await;
        let pool = PgPoolOptions::new()
            .max_connections(connections.max(1))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Backend(format!("cannot connect to {place}: {e}")))?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(format!("cannot prepare {place}: {e}")))?;
        Ok(PgStore { pool })
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A write transaction holding the person's row lock: their other writers wait until it ends.
    async fn write_tx(&self, who: AthleteId) -> Result<Transaction<'static, Postgres>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        sqlx::query("SELECT 1 FROM athletes WHERE id = $1 FOR UPDATE")
            .bind(who.0)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        Ok(tx)
    }

    /// A read-only transaction on one snapshot (repeatable read).
    async fn read_tx(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        self.pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .map_err(backend)
    }

    /// One number about the person (`NotFound` when there is no such person).
    async fn number(&self, sql: &'static str, who: AthleteId) -> Result<i64, StoreError> {
        sqlx::query_scalar(sql)
            .bind(who.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound("person"))
    }

    /// The connection pool, for the maintenance checks (`health`).
    pub(crate) fn pool(&self) -> &PgPool {
        &self.pool
    }

    async fn conn(&self) -> Result<sqlx::pool::PoolConnection<Postgres>, StoreError> {
        self.pool.acquire().await.map_err(backend)
    }
}

/// Accounts in `decode::account`'s columns; a WHERE clause follows.
macro_rules! account_select {
    () => {
        "SELECT id, email, name, role, password_phc, athlete_id, to_ms(created_at) AS created_at_ms FROM accounts"
    };
}

/// Care links with both sides' names, in `decode::care_link`'s columns; a WHERE clause follows.
macro_rules! care_links {
    () => {
        "SELECT l.id, l.staff_id, s.name AS staff_name, s.role AS staff_role, l.athlete_id, \
         a.name AS athlete_name, to_ms(l.created_at) AS created_at_ms, to_ms(l.revoked_at) AS revoked_at_ms \
         FROM care_links l JOIN accounts s ON s.id = l.staff_id JOIN accounts a ON a.athlete_id = l.athlete_id"
    };
}

/// An open invitation by its token's SHA-256, with who made it (binds: the hash, now in ms).
macro_rules! open_invite {
    () => {
        "SELECT i.role, i.invited_by, a.name AS invited_by_name, to_ms(i.expires_at) AS expires_at_ms \
         FROM invites i JOIN accounts a ON a.id = i.invited_by \
         WHERE i.token_sha256 = $1 AND i.accepted_at IS NULL AND i.expires_at > from_ms($2)"
    };
}

/// Makes an account inside a transaction; an athlete's gets a new person for its facts.
async fn insert_account(
    tx: &mut Transaction<'static, Postgres>,
    new: &NewAccount,
    at: Timestamp,
) -> Result<Account, StoreError> {
    let athlete = if new.role == Role::Athlete {
        let id: i64 =
            sqlx::query_scalar("INSERT INTO athletes (created_at) VALUES (from_ms($1)) RETURNING id")
                .bind(ms(at))
                .fetch_one(&mut **tx)
                .await
                .map_err(backend)?;
        Some(AthleteId(id))
    } else {
        None
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (email, name, role, password_phc, athlete_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, from_ms($6)) RETURNING id",
    )
    .bind(&new.email)
    .bind(&new.name)
    .bind(new.role.as_str())
    .bind(&new.password_phc)
    .bind(athlete.map(|a| a.0))
    .bind(ms(at))
    .fetch_one(&mut **tx)
    .await
    .map_err(unique("email"))?;
    Ok(Account {
        id: AccountId(id),
        email: new.email.clone(),
        name: new.name.clone(),
        role: new.role,
        password_phc: new.password_phc.clone(),
        athlete,
        created_at: at,
    })
}

#[async_trait]
impl Store for PgStore {
    async fn local_athlete(&self, now: Timestamp) -> Result<AthleteId, StoreError> {
        sqlx::query(
            "INSERT INTO athletes (created_at, local) VALUES (from_ms($1), true)
             ON CONFLICT (local) WHERE local DO NOTHING",
        )
        .bind(ms(now))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        let id: i64 = sqlx::query_scalar("SELECT id FROM athletes WHERE local")
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        Ok(AthleteId(id))
    }

    async fn save_profile(&self, who: AthleteId, version: &ProfileVersion) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        insert_profile(&mut tx, who, version).await?;
        tx.commit().await.map_err(backend)
    }

    async fn profile_versions(&self, who: AthleteId) -> Result<Vec<ProfileVersion>, StoreError> {
        read(&mut *self.conn().await?, PROFILES, who, decode::profile_version).await
    }

    async fn add_screening(&self, who: AthleteId, s: &Screening) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        insert_screening(&mut tx, who, s).await?;
        tx.commit().await.map_err(backend)
    }

    async fn screenings(&self, who: AthleteId) -> Result<Vec<Screening>, StoreError> {
        read(&mut *self.conn().await?, SCREENINGS, who, decode::screening).await
    }

    async fn save_profile_and_screening(
        &self,
        who: AthleteId,
        version: &ProfileVersion,
        screening: &Screening,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        insert_profile(&mut tx, who, version).await?;
        insert_screening(&mut tx, who, screening).await?;
        tx.commit().await.map_err(backend)
    }

    async fn add_session(
        &self,
        who: AthleteId,
        s: &Session,
        recorded_at: Timestamp,
        client_id: Option<&str>,
    ) -> Result<AddedSession, StoreError> {
        let mut tx = self.write_tx(who).await?;
        if let Some(c) = client_id
            && let Some((id, _)) = receipt_in(&mut tx, who, c).await?
        {
            return Ok(AddedSession { id, stored: false });
        }
        let id = insert_session(&mut tx, who, s, recorded_at).await?;
        if let Some(c) = client_id {
            record_receipt(&mut tx, who, c, id, 0).await?;
        }
        bump_revisions(&mut tx, who).await?;
        tx.commit().await.map_err(backend)?;
        Ok(AddedSession { id, stored: true })
    }

    async fn sessions(
        &self,
        who: AthleteId,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<StoredSession>, StoreError> {
        let mut tx = self.read_tx().await?;
        let out = read_sessions(&mut tx, who, from, to).await?;
        tx.commit().await.map_err(backend)?;
        Ok(out)
    }

    async fn session_loads(&self, who: AthleteId, before: Timestamp) -> Result<Vec<LoadInputs>, StoreError> {
        read_session_loads(&mut *self.conn().await?, who, before).await
    }

    async fn newest_session(
        &self,
        who: AthleteId,
        from: Timestamp,
        to: Timestamp,
        under_way: bool,
    ) -> Result<Option<StoredSession>, StoreError> {
        read_newest_session(&mut *self.conn().await?, who, (from, to), under_way).await
    }

    async fn session(&self, who: AthleteId, id: i64) -> Result<Option<StoredSession>, StoreError> {
        let mut tx = self.read_tx().await?;
        let Some(r) = sqlx::query("SELECT * FROM sessions_rows WHERE athlete_id = $1 AND id = $2")
            .bind(who.0)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let set_rows = sqlx::query(
            "SELECT * FROM sets_rows WHERE athlete_id = $1 AND session_id = $2 ORDER BY position",
        )
        .bind(who.0)
        .bind(id)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(Some(StoredSession {
            id,
            recorded_at: decode::instant(&r, "recorded_at_ms")?,
            session: decode::session(&r, set_rows.iter().map(decode::set).collect::<Result<_, _>>()?)?,
        }))
    }

    async fn append_set(
        &self,
        who: AthleteId,
        session_id: i64,
        set: &SetEntry,
        client_id: Option<&str>,
    ) -> Result<AppendedSet, StoreError> {
        let mut tx = self.write_tx(who).await?;
        if let Some(id) = client_id
            && let Some((session, position)) = receipt_in(&mut tx, who, id).await?
        {
            let pain: Option<Option<i16>> =
                sqlx::query_scalar("SELECT pain_before FROM sessions WHERE athlete_id = $1 AND id = $2")
                    .bind(who.0)
                    .bind(session)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend)?;
            return Ok(AppendedSet {
                position,
                pain_before: decode::pain_value(pain.flatten().map(i64::from), "pain_before")?,
            });
        }
        let found: Option<(i64, Option<i16>)> = sqlx::query_as(
            "SELECT (SELECT COALESCE(MAX(position) + 1, 0) FROM sets WHERE session_id = sessions.id)::bigint,
                    pain_before
             FROM sessions WHERE athlete_id = $1 AND id = $2",
        )
        .bind(who.0)
        .bind(session_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
        let (position, pain_before) = found.ok_or(StoreError::NotFound("session"))?;
        let position = usize::try_from(position).map_err(|e| corrupt("set position", e))?;
        let pain_before = decode::pain_value(pain_before.map(i64::from), "pain_before")?;
        // Positions run 0, 1, 2, …, so the next one is the number of sets already held.
        if position >= backstop_core::facts::MAX_SETS_PER_SESSION {
            return Err(StoreError::SessionFull(position));
        }
        insert_sets(&mut tx, who, &[(session_id, position, set)]).await?;
        if let Some(id) = client_id {
            record_receipt(&mut tx, who, id, session_id, position).await?;
        }
        // As on SQLite: a set added to an older session changes the history the newest session was planned from.
        sqlx::query(
            "UPDATE athletes SET revision = revision + 1,
               history_revision = history_revision + (EXISTS (SELECT 1 FROM sessions
                 WHERE athlete_id = $1 AND at > (SELECT at FROM sessions WHERE id = $2)))::int
             WHERE id = $1",
        )
        .bind(who.0)
        .bind(session_id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(AppendedSet {
            position,
            pain_before,
        })
    }

    async fn receipt(&self, who: AthleteId, client_id: &str) -> Result<Option<(i64, usize)>, StoreError> {
        let row: Option<(i64, i32)> = sqlx::query_as(
            "SELECT session_id, position FROM set_receipts WHERE athlete_id = $1 AND client_id = $2",
        )
        .bind(who.0)
        .bind(client_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(|(s, p)| Ok((s, usize::try_from(p).map_err(|e| corrupt("receipt position", e))?)))
            .transpose()
    }

    async fn replace_session(&self, who: AthleteId, id: i64, s: &Session) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        let changed = sqlx::query(
            "UPDATE sessions SET at = from_ms($1), pain_before = $2, minutes = $3, session_rpe_x2 = $4, notes = $5,
                                 source = $6
             WHERE athlete_id = $7 AND id = $8",
        )
        .bind(ms(s.at))
        .bind(s.pain_before.map(|p| i16::from(p.value())))
        .bind(s.minutes.map(|m| m.get() as i32))
        .bind(s.session_rpe.map(|r| i16::from(r.halves())))
        .bind(&s.notes)
        .bind(&s.source)
        .bind(who.0)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound("session"));
        }
        sqlx::query("DELETE FROM sets WHERE athlete_id = $1 AND session_id = $2")
            .bind(who.0)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        let rows: Vec<(i64, usize, &SetEntry)> = s.sets.iter().enumerate().map(|(p, x)| (id, p, x)).collect();
        insert_sets(&mut tx, who, &rows).await?;
        tx.commit().await.map_err(backend)
    }

    async fn delete_session(&self, who: AthleteId, id: i64) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        let changed = sqlx::query("DELETE FROM sessions WHERE athlete_id = $1 AND id = $2")
            .bind(who.0)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound("session"));
        }
        tx.commit().await.map_err(backend)
    }

    async fn history_revision(&self, who: AthleteId) -> Result<i64, StoreError> {
        self.number("SELECT history_revision FROM athletes WHERE id = $1", who)
            .await
    }

    async fn revision(&self, who: AthleteId) -> Result<i64, StoreError> {
        self.number("SELECT revision FROM athletes WHERE id = $1", who)
            .await
    }

    async fn revisions(&self, who: AthleteId) -> Result<(i64, i64), StoreError> {
        sqlx::query_as("SELECT revision, history_revision FROM athletes WHERE id = $1")
            .bind(who.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound("person"))
    }

    async fn add_checkin(
        &self,
        who: AthleteId,
        c: &CheckIn,
        recorded_at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        insert_checkin(&mut tx, who, c, recorded_at).await?;
        tx.commit().await.map_err(backend)
    }

    async fn checkins(
        &self,
        who: AthleteId,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<StoredCheckIn>, StoreError> {
        let rows = sqlx::query(CHECKINS_BETWEEN)
            .bind(who.0)
            .bind(from.map(ms))
            .bind(to.map(ms))
            .fetch_all(&mut *self.conn().await?)
            .await
            .map_err(backend)?;
        rows.iter().map(decode::checkin).collect()
    }

    async fn add_custom_exercises(&self, who: AthleteId, list: &[CustomExercise]) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        for c in list {
            insert_custom(&mut tx, who, c).await?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn custom_exercises(&self, who: AthleteId) -> Result<Vec<CustomExercise>, StoreError> {
        read(
            &mut *self.conn().await?,
            CUSTOM_EXERCISES,
            who,
            decode::custom_exercise,
        )
        .await
    }

    async fn add_flare_event(&self, who: AthleteId, e: &FlareEvent) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        insert_flare(&mut tx, who, e).await?;
        tx.commit().await.map_err(backend)
    }

    async fn flare_events(&self, who: AthleteId) -> Result<Vec<FlareEvent>, StoreError> {
        read(&mut *self.conn().await?, FLARE_EVENTS, who, decode::flare_event).await
    }

    async fn add_clearance(&self, who: AthleteId, c: &Clearance) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        insert_clearance(&mut tx, who, c).await?;
        tx.commit().await.map_err(backend)
    }

    async fn clearances(&self, who: AthleteId) -> Result<Vec<Clearance>, StoreError> {
        read(&mut *self.conn().await?, CLEARANCES, who, decode::clearance).await
    }

    async fn add_triage(&self, who: AthleteId, t: &TriageRecord) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        insert_triage(&mut tx, who, t).await?;
        tx.commit().await.map_err(backend)
    }

    async fn triages(&self, who: AthleteId) -> Result<Vec<TriageRecord>, StoreError> {
        read(&mut *self.conn().await?, TRIAGES, who, decode::triage).await
    }

    async fn import_batch(
        &self,
        who: AthleteId,
        exercises: &[CustomExercise],
        sessions: &[Session],
        recorded_at: Timestamp,
    ) -> Result<ImportOutcome, StoreError> {
        let mut tx = self.write_tx(who).await?;
        let mut out = ImportOutcome::default();
        for c in exercises {
            let exists: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM custom_exercises WHERE athlete_id = $1 AND exercise_id = $2",
            )
            .bind(who.0)
            .bind(&c.exercise.id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
            if exists.is_none() {
                insert_custom(&mut tx, who, c).await?;
                out.exercises_added += 1;
            }
        }
        // Every source already stored, read once (an import may hold thousands of workouts).
        let known: Vec<(String, i64)> =
            sqlx::query_as("SELECT source, id FROM sessions WHERE athlete_id = $1 AND source IS NOT NULL")
                .bind(who.0)
                .fetch_all(&mut *tx)
                .await
                .map_err(backend)?;
        let known: std::collections::HashMap<String, i64> = known.into_iter().collect();
        let mut written: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut to_write: Vec<&Session> = Vec::with_capacity(sessions.len());
        let mut replaced: Vec<i64> = Vec::new();
        for s in sessions {
            if let Some(src) = s.source.as_deref()
                && !written.insert(src)
            {
                // The same workout twice in one file: keep the first.
                out.duplicates += 1;
                continue;
            }
            if let Some(id) = s.source.as_ref().and_then(|src| known.get(src)) {
                // Imported before: replaced by what the file says now, so nothing is ever counted twice.
                replaced.push(*id);
                out.duplicates += 1;
            } else {
                out.sessions_added += 1;
                out.sets_added += s.sets.len();
            }
            to_write.push(s);
        }
        if !replaced.is_empty() {
            sqlx::query("DELETE FROM sessions WHERE athlete_id = $1 AND id = ANY($2)")
                .bind(who.0)
                .bind(&replaced)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        insert_sessions_bulk(&mut tx, who, &to_write, recorded_at).await?;
        bump_revisions(&mut tx, who).await?;
        tx.commit().await.map_err(backend)?;
        Ok(out)
    }

    async fn restore(&self, who: AthleteId, b: &Backup) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM profile_versions WHERE athlete_id = $1)
                  + (SELECT COUNT(*) FROM screenings WHERE athlete_id = $1)
                  + (SELECT COUNT(*) FROM custom_exercises WHERE athlete_id = $1)
                  + (SELECT COUNT(*) FROM sessions WHERE athlete_id = $1)
                  + (SELECT COUNT(*) FROM checkins WHERE athlete_id = $1)
                  + (SELECT COUNT(*) FROM flare_events WHERE athlete_id = $1)
                  + (SELECT COUNT(*) FROM clearances WHERE athlete_id = $1)
                  + (SELECT COUNT(*) FROM triages WHERE athlete_id = $1)",
        )
        .bind(who.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        if n > 0 {
            return Err(StoreError::NotEmpty);
        }
        for p in &b.profiles {
            let version = ProfileVersion {
                recorded_at: p.recorded_at,
                profile: p.profile.clone(),
            };
            insert_profile(&mut tx, who, &version).await?;
        }
        for s in &b.screenings {
            let screening = Screening {
                at: s.at,
                context: s.context,
                flags: s.flags.clone(),
            };
            insert_screening(&mut tx, who, &screening).await?;
        }
        for c in &b.custom_exercises {
            let custom = CustomExercise {
                recorded_at: c.recorded_at,
                exercise: c.exercise.clone(),
            };
            insert_custom(&mut tx, who, &custom).await?;
        }
        for s in &b.sessions {
            let session = s.to_session().map_err(|e| corrupt("session", e))?;
            insert_session(&mut tx, who, &session, s.recorded_at).await?;
        }
        bump_revisions(&mut tx, who).await?;
        for c in &b.checkins {
            insert_checkin(&mut tx, who, &CheckIn::from(c), c.recorded_at).await?;
        }
        for e in &b.flare_events {
            insert_flare(
                &mut tx,
                who,
                &FlareEvent {
                    at: e.at,
                    mark: e.mark,
                },
            )
            .await?;
        }
        for c in &b.clearances {
            let clearance = Clearance {
                at: c.at,
                note: c.note.clone(),
            };
            insert_clearance(&mut tx, who, &clearance).await?;
        }
        for t in &b.triages {
            let triage = TriageRecord {
                at: t.at,
                answers: t.answers.clone(),
            };
            insert_triage(&mut tx, who, &triage).await?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn add_calendar_feed(
        &self,
        who: AthleteId,
        token_sha256: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        sqlx::query(
            "INSERT INTO calendar_feeds (athlete_id, token_sha256, created_at) VALUES ($1, $2, from_ms($3))",
        )
        .bind(who.0)
        .bind(token_sha256)
        .bind(ms(at))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn revoke_calendar_feeds(&self, who: AthleteId, at: Timestamp) -> Result<usize, StoreError> {
        let mut tx = self.write_tx(who).await?;
        let n = sqlx::query(
            "UPDATE calendar_feeds SET revoked_at = from_ms($1) WHERE athlete_id = $2 AND revoked_at IS NULL",
        )
        .bind(ms(at))
        .bind(who.0)
        .execute(&mut *tx)
        .await
        .map_err(backend)?
        .rows_affected();
        tx.commit().await.map_err(backend)?;
        Ok(n as usize)
    }

    async fn calendar_feed(&self, token_sha256: &str) -> Result<Option<AthleteId>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT athlete_id FROM calendar_feeds WHERE token_sha256 = $1 AND revoked_at IS NULL",
        )
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(id.map(AthleteId))
    }

    async fn add_web_session(
        &self,
        token_sha256: &str,
        key_sha256: &str,
        at: Timestamp,
        expires: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // Lapsed and signed-out browsers are forgotten as new ones sign in, so the table stays small.
        sqlx::query("DELETE FROM web_sessions WHERE expires_at <= from_ms($1) OR revoked_at IS NOT NULL")
            .bind(ms(at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        sqlx::query(
            "INSERT INTO web_sessions (token_sha256, key_sha256, created_at, expires_at) \
             VALUES ($1, $2, from_ms($3), from_ms($4))",
        )
        .bind(token_sha256)
        .bind(key_sha256)
        .bind(ms(at))
        .bind(ms(expires))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn web_session(
        &self,
        token_sha256: &str,
        key_sha256: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM web_sessions WHERE token_sha256 = $1 AND key_sha256 = $2 AND revoked_at IS NULL \
             AND expires_at > from_ms($3)",
        )
        .bind(token_sha256)
        .bind(key_sha256)
        .bind(ms(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(found.is_some())
    }

    async fn revoke_web_session(&self, token_sha256: &str, at: Timestamp) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE web_sessions SET revoked_at = from_ms($1) WHERE token_sha256 = $2 AND revoked_at IS NULL",
        )
        .bind(ms(at))
        .bind(token_sha256)
        .execute(&self.pool)
        .await
        .map_err(backend)?
        .rows_affected();
        Ok(n > 0)
    }

    async fn revoke_web_sessions(&self, at: Timestamp) -> Result<usize, StoreError> {
        let n = sqlx::query(
            "UPDATE web_sessions SET revoked_at = from_ms($1) WHERE revoked_at IS NULL AND expires_at > from_ms($1)",
        )
        .bind(ms(at))
        .execute(&self.pool)
        .await
        .map_err(backend)?
        .rows_affected();
        Ok(n as usize)
    }

    async fn add_account(&self, new: &NewAccount, at: Timestamp) -> Result<Account, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let account = insert_account(&mut tx, new, at).await?;
        tx.commit().await.map_err(backend)?;
        Ok(account)
    }

    async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(concat!(account_select!(), " WHERE email = $1"))
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(decode::account).transpose()
    }

    async fn account(&self, id: AccountId) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(concat!(account_select!(), " WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(decode::account).transpose()
    }

    async fn add_login_failure(&self, email: &str, at: Timestamp) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // Failures older than a day count for nothing, so they are forgotten as new ones come.
        sqlx::query("DELETE FROM login_failures WHERE at < from_ms($1)")
            .bind(ms(at) - 24 * 3_600_000)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        sqlx::query("INSERT INTO login_failures (email, at) VALUES ($1, from_ms($2))")
            .bind(email)
            .bind(ms(at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn login_failures(&self, email: &str, since: Timestamp) -> Result<usize, StoreError> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at >= from_ms($2)")
                .bind(email)
                .bind(ms(since))
                .fetch_one(&self.pool)
                .await
                .map_err(backend)?;
        Ok(n as usize)
    }

    async fn add_account_session(
        &self,
        token_sha256: &str,
        account: AccountId,
        at: Timestamp,
        expires: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        sqlx::query("DELETE FROM account_sessions WHERE expires_at <= from_ms($1) OR revoked_at IS NOT NULL")
            .bind(ms(at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        sqlx::query(
            "INSERT INTO account_sessions (token_sha256, account_id, created_at, expires_at) \
             VALUES ($1, $2, from_ms($3), from_ms($4))",
        )
        .bind(token_sha256)
        .bind(account.0)
        .bind(ms(at))
        .bind(ms(expires))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn account_session(
        &self,
        token_sha256: &str,
        now: Timestamp,
    ) -> Result<Option<AccountId>, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT account_id FROM account_sessions WHERE token_sha256 = $1 AND revoked_at IS NULL \
             AND expires_at > from_ms($2)",
        )
        .bind(token_sha256)
        .bind(ms(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(found.map(AccountId))
    }

    async fn revoke_account_session(&self, token_sha256: &str, at: Timestamp) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE account_sessions SET revoked_at = from_ms($1) WHERE token_sha256 = $2 AND revoked_at IS NULL",
        )
        .bind(ms(at))
        .bind(token_sha256)
        .execute(&self.pool)
        .await
        .map_err(backend)?
        .rows_affected();
        Ok(n > 0)
    }

    async fn revoke_account_sessions(&self, account: AccountId, at: Timestamp) -> Result<usize, StoreError> {
        let n = sqlx::query(
            "UPDATE account_sessions SET revoked_at = from_ms($1) \
             WHERE account_id = $2 AND revoked_at IS NULL AND expires_at > from_ms($1)",
        )
        .bind(ms(at))
        .bind(account.0)
        .execute(&self.pool)
        .await
        .map_err(backend)?
        .rows_affected();
        Ok(n as usize)
    }

    async fn add_invite(
        &self,
        token_sha256: &str,
        role: Role,
        by: AccountId,
        at: Timestamp,
        expires: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO invites (token_sha256, role, invited_by, created_at, expires_at) \
             VALUES ($1, $2, $3, from_ms($4), from_ms($5))",
        )
        .bind(token_sha256)
        .bind(role.as_str())
        .bind(by.0)
        .bind(ms(at))
        .bind(ms(expires))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn invite(&self, token_sha256: &str, now: Timestamp) -> Result<Option<Invite>, StoreError> {
        let row = sqlx::query(open_invite!())
            .bind(token_sha256)
            .bind(ms(now))
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(decode::invite).transpose()
    }

    async fn redeem_invite(
        &self,
        token_sha256: &str,
        who: &Redeemer,
        at: Timestamp,
    ) -> Result<Account, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // The row lock makes a second acceptance of the same invitation wait, then find it used.
        let row = sqlx::query(concat!(open_invite!(), " FOR UPDATE OF i"))
            .bind(token_sha256)
            .bind(ms(at))
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
        let invite = row
            .as_ref()
            .map(decode::invite)
            .transpose()?
            .ok_or(StoreError::NotFound("invitation"))?;
        let account = match who {
            Redeemer::New(new) if new.role == invite.role => insert_account(&mut tx, new, at).await?,
            Redeemer::Existing(id) if invite.role == Role::Athlete => {
                let row = sqlx::query(concat!(account_select!(), " WHERE id = $1"))
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend)?;
                row.as_ref()
                    .map(decode::account)
                    .transpose()?
                    .filter(|a| a.role == Role::Athlete)
                    .ok_or(StoreError::NotFound("athlete account"))?
            }
            _ => return Err(StoreError::NotFound("invitation for this role")),
        };
        sqlx::query("UPDATE invites SET accepted_at = from_ms($1), accepted_by = $2 WHERE token_sha256 = $3")
            .bind(ms(at))
            .bind(account.id.0)
            .bind(token_sha256)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        if let Some(athlete) = account.athlete {
            // One link per pair in force: accepting a second invitation from the same person adds nothing.
            sqlx::query(
                "INSERT INTO care_links (staff_id, athlete_id, created_at) SELECT $1, $2, from_ms($3) \
                 WHERE NOT EXISTS (SELECT 1 FROM care_links WHERE staff_id = $1 AND athlete_id = $2 \
                 AND revoked_at IS NULL)",
            )
            .bind(invite.invited_by.0)
            .bind(athlete.0)
            .bind(ms(at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(account)
    }

    async fn links_of_staff(&self, staff: AccountId) -> Result<Vec<CareLink>, StoreError> {
        let rows = sqlx::query(concat!(
            care_links!(),
            " WHERE l.staff_id = $1 AND l.revoked_at IS NULL ORDER BY a.name, l.id"
        ))
        .bind(staff.0)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(decode::care_link).collect()
    }

    async fn links_of_athlete(&self, athlete: AthleteId) -> Result<Vec<CareLink>, StoreError> {
        let rows = sqlx::query(concat!(
            care_links!(),
            " WHERE l.athlete_id = $1 ORDER BY l.created_at DESC, l.id DESC"
        ))
        .bind(athlete.0)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(decode::care_link).collect()
    }

    async fn linked(&self, staff: AccountId, athlete: AthleteId) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM care_links WHERE staff_id = $1 AND athlete_id = $2 AND revoked_at IS NULL LIMIT 1",
        )
        .bind(staff.0)
        .bind(athlete.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(found.is_some())
    }

    async fn revoke_link(&self, athlete: AthleteId, link: i64, at: Timestamp) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE care_links SET revoked_at = from_ms($1) \
             WHERE id = $2 AND athlete_id = $3 AND revoked_at IS NULL",
        )
        .bind(ms(at))
        .bind(link)
        .bind(athlete.0)
        .execute(&self.pool)
        .await
        .map_err(backend)?
        .rows_affected();
        Ok(n > 0)
    }

    async fn add_audit(
        &self,
        athletes: &[AthleteId],
        actor: AccountId,
        action: AuditAction,
        what: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let ids: Vec<i64> = athletes.iter().map(|a| a.0).collect();
        sqlx::query(
            "INSERT INTO audit_log (athlete_id, actor_id, at, action, what) \
             SELECT a, $2, from_ms($3), $4, $5 FROM unnest($1::bigint[]) AS a",
        )
        .bind(&ids)
        .bind(actor.0)
        .bind(ms(at))
        .bind(action.as_str())
        .bind(what)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn audit_log(&self, athlete: AthleteId, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT to_ms(l.at) AS at_ms, l.actor_id, a.name AS actor_name, l.action, l.what FROM audit_log l \
             JOIN accounts a ON a.id = l.actor_id WHERE l.athlete_id = $1 ORDER BY l.at DESC, l.id DESC LIMIT $2",
        )
        .bind(athlete.0)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(decode::audit_entry).collect()
    }

    async fn add_directive(
        &self,
        athlete: AthleteId,
        by: AccountId,
        kind: CareKind,
        value: &str,
        at: Timestamp,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write_tx(athlete).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO care_directives (athlete_id, by_account, at, kind, value) \
             VALUES ($1, $2, from_ms($3), $4, $5) RETURNING id",
        )
        .bind(athlete.0)
        .bind(by.0)
        .bind(ms(at))
        .bind(kind.as_str())
        .bind(value)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(id)
    }

    async fn directives(&self, athlete: AthleteId) -> Result<Vec<CareDirective>, StoreError> {
        let rows = sqlx::query(
            "SELECT d.id, d.by_account, a.name AS by_name, to_ms(d.at) AS at_ms, d.kind, d.value, \
             to_ms(d.undone_at) AS undone_at_ms FROM care_directives d JOIN accounts a ON a.id = d.by_account \
             WHERE d.athlete_id = $1 ORDER BY d.at DESC, d.id DESC",
        )
        .bind(athlete.0)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(decode::care_directive).collect()
    }

    async fn undo_directive(&self, athlete: AthleteId, id: i64, at: Timestamp) -> Result<bool, StoreError> {
        let mut tx = self.write_tx(athlete).await?;
        let n = sqlx::query(
            "UPDATE care_directives SET undone_at = from_ms($1) \
             WHERE id = $2 AND athlete_id = $3 AND undone_at IS NULL",
        )
        .bind(ms(at))
        .bind(id)
        .bind(athlete.0)
        .execute(&mut *tx)
        .await
        .map_err(backend)?
        .rows_affected();
        tx.commit().await.map_err(backend)?;
        Ok(n > 0)
    }

    async fn add_undo(
        &self,
        who: AthleteId,
        token_sha256: &str,
        session_id: i64,
        before: &str,
        after: Option<&str>,
        at: Timestamp,
        keep: usize,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx(who).await?;
        sqlx::query(
            "INSERT INTO undo_entries (token_sha256, athlete_id, session_id, before, after, created_at) \
             VALUES ($1, $2, $3, $4, $5, from_ms($6))",
        )
        .bind(token_sha256)
        .bind(who.0)
        .bind(session_id)
        .bind(before)
        .bind(after)
        .bind(ms(at))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        sqlx::query(
            "DELETE FROM undo_entries WHERE athlete_id = $1 AND id NOT IN \
             (SELECT id FROM undo_entries WHERE athlete_id = $1 ORDER BY id DESC LIMIT $2)",
        )
        .bind(who.0)
        .bind(i64::try_from(keep).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn has_undo(&self, who: AthleteId, token_sha256: &str) -> Result<bool, StoreError> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM undo_entries WHERE athlete_id = $1 AND token_sha256 = $2")
                .bind(who.0)
                .bind(token_sha256)
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        Ok(found.is_some())
    }

    async fn take_undo(
        &self,
        who: AthleteId,
        token_sha256: &str,
    ) -> Result<Option<(i64, String, Option<String>)>, StoreError> {
        let row: Option<(i64, String, Option<String>)> = sqlx::query_as(
            "DELETE FROM undo_entries WHERE athlete_id = $1 AND token_sha256 = $2 \
             RETURNING session_id, before, after",
        )
        .bind(who.0)
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row)
    }

    async fn facts(&self, who: AthleteId) -> Result<Facts, StoreError> {
        let mut tx = self.read_tx().await?;
        let facts = read_facts(&mut tx, who, None).await?;
        tx.commit().await.map_err(backend)?;
        Ok(facts)
    }

    async fn facts_resuming(&self, who: AthleteId, since: Timestamp) -> Result<Resuming, StoreError> {
        let mut tx = self.read_tx().await?;
        let revision: i64 = sqlx::query_scalar("SELECT revision FROM athletes WHERE id = $1")
            .bind(who.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound("person"))?;
        let checkpoint = sqlx::query_as::<_, (i64, i64, String, Vec<u8>)>(
            "SELECT cut_ms, settled_from_ms, fingerprint, state FROM fold_checkpoints WHERE athlete_id = $1",
        )
        .bind(who.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?
        .map(decode::checkpoint)
        .transpose()?;
        // From the cut (or `since`, when earlier) on, and the newest session before it (the soreness rule looks
        // back to it, DS-2).
        let from = match &checkpoint {
            Some(c) => {
                let before: Option<i64> = sqlx::query_scalar(
                    "SELECT to_ms(MAX(at)) FROM sessions WHERE athlete_id = $1 AND at < from_ms($2)",
                )
                .bind(who.0)
                .bind(ms(c.cut.min(since)))
                .fetch_one(&mut *tx)
                .await
                .map_err(backend)?;
                Some(before.map_or(Ok(c.cut.min(since)), |t| decode::millis(t, "sessions.at"))?)
            }
            None => None,
        };
        let facts = read_facts(&mut tx, who, from).await?;
        tx.commit().await.map_err(backend)?;
        Ok(Resuming {
            revision,
            checkpoint,
            facts,
            sessions_from: from,
        })
    }

    async fn keep_checkpoint(
        &self,
        who: AthleteId,
        revision: i64,
        c: &StoredCheckpoint,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx(who).await?;
        // Rounded outwards: sessions from the cut's millisecond on are read, facts up to the settling millisecond
        // discard it. One made for an earlier moment (a past day replayed) does not replace a later one. One with
        // the same cut and fingerprint holds the same state byte for byte, unless the kept one was damaged: then it
        // is replaced (assessments could not read it back, and would fold every fact until the cut moved on).
        let kept = sqlx::query(
            "INSERT INTO fold_checkpoints (athlete_id, cut_ms, settled_from_ms, fingerprint, state)
             SELECT id, $1, $2, $3, $4 FROM athletes WHERE id = $5 AND revision = $6
             ON CONFLICT (athlete_id) DO UPDATE SET cut_ms = excluded.cut_ms,
               settled_from_ms = excluded.settled_from_ms, fingerprint = excluded.fingerprint, state = excluded.state
             WHERE excluded.cut_ms > fold_checkpoints.cut_ms OR excluded.fingerprint <> fold_checkpoints.fingerprint
               OR (excluded.cut_ms = fold_checkpoints.cut_ms AND excluded.state <> fold_checkpoints.state)",
        )
        .bind(ms(c.cut))
        .bind(ms_up(c.settled_from))
        .bind(&c.fingerprint)
        .bind(&c.state)
        .bind(who.0)
        .bind(revision)
        .execute(&mut *tx)
        .await
        .map_err(backend)?
        .rows_affected()
            == 1;
        tx.commit().await.map_err(backend)?;
        Ok(kept)
    }
}
