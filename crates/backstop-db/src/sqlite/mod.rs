//! The `Store` port over SQLite: one file, the embedded default for one person.
//!
//! The file is opened in WAL mode with foreign keys on and a busy timeout, and the embedded migrations are
//! applied on open, so a fresh path becomes a ready database. Every write that touches more than one row runs
//! in one `BEGIN IMMEDIATE` transaction: it takes the write lock up front (waiting for other writers rather
//! than failing), and a failure leaves nothing half written.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
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
use sqlx::Connection as _;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use crate::decode::{self, dose_columns, mark_word};
use crate::{backend, changed_settings, corrupt, json, ms, ms_up, unique};

mod insert;
mod read;

use insert::*;
use read::*;

pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// How large a server's write-ahead log may grow (in 4 KiB pages, about 40 MB) before a write copies it back into
/// the database itself: the background task normally does that long before (see [`SqliteStore::open_for_server`]).
const SERVER_CHECKPOINT_PAGES: u32 = 10_000;

/// How long a writer waits for another process's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The local person of single-user mode.
const LOCAL_ATHLETE: i64 = 1;

/// A SQLite database of facts.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// This process's writer turn (see [`SqliteStore::write_tx`]), with the connection sets are appended on.
    writer: Arc<tokio::sync::Mutex<Writer>>,
}

/// What the writer turn guards besides the turn itself: a connection of its own for [`Store::append_set`], the
/// write a server makes most (every set of every session), so that it neither waits for a pooled connection nor
/// pays the check sqlx makes of one given back to the pool (a ping: one more hand-over to the connection's thread
/// after every write). Opened at the first set; none for an in-memory database, whose one pooled connection is the
/// only one that sees its data.
#[derive(Debug)]
struct Writer {
    own_connection: bool,
    conn: Option<SqliteConnection>,
}

/// A write transaction holding this process's writer turn until it ends.
struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    _turn: tokio::sync::OwnedMutexGuard<Writer>,
}

impl WriteTx {
    async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Transaction<'static, Sqlite>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        Self::open_with(path, 2).await
    }

    /// Like [`SqliteStore::open`] with up to `connections` pooled connections (WAL lets readers run beside
    /// the one writer; a server wants several, a one-shot command two).
    pub async fn open_with(path: &Path, connections: u32) -> Result<SqliteStore, StoreError> {
        Self::open_file(path, connections, None).await
    }

    /// Opens the file for a long-running server: as [`SqliteStore::open_with`], but the write-ahead log is copied
    /// back into the database by a background task about once a second, not by whichever write happens to fill it
    /// (SQLite's default, every 1,000 pages): that copy, with its sync to disk, took tens of milliseconds out of the
    /// write that triggered it (`cargo bench -p backstop-web --bench server`, eight clients logging sets: p99 33 ms
    /// with it in the write, 23 ms without). A write still copies the log itself when it grows past
    /// `SERVER_CHECKPOINT_PAGES`, should the task fall behind. Must be called within a Tokio runtime; the task ends
    /// when the store is closed.
    pub async fn open_for_server(path: &Path, connections: u32) -> Result<SqliteStore, StoreError> {
        let store = Self::open_file(path, connections, Some(SERVER_CHECKPOINT_PAGES)).await?;
        let pool = store.pool.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            while !pool.is_closed() {
                tick.tick().await;
                // PASSIVE: copies what no reader still needs, and waits for no one.
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await
                    && !pool.is_closed()
                {
                    tracing::warn!(error = %e, "background checkpoint failed");
                }
            }
        });
        Ok(store)
    }

    async fn open_file(
        path: &Path,
        connections: u32,
        checkpoint_pages: Option<u32>,
    ) -> Result<SqliteStore, StoreError> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Backend(format!("cannot create {}: {e}", dir.display())))?;
        }
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let opts = match checkpoint_pages {
            Some(pages) => opts.pragma("wal_autocheckpoint", pages.to_string()),
            None => opts,
        };
        Self::connect(opts, connections.max(1), true)
            .await
            .map_err(|e| match e {
                StoreError::Backend(m) => StoreError::Backend(format!("{}: {m}", path.display())),
                other => other,
            })
    }

    /// An in-memory database, for tests.
    pub async fn in_memory() -> Result<SqliteStore, StoreError> {
        let opts = SqliteConnectOptions::from_str("sqlite::memory:")
            .map_err(backend)?
            .foreign_keys(true);
        // One connection: every connection to ":memory:" is a separate database.
        Self::connect(opts, 1, false).await
    }

    async fn connect(
        opts: SqliteConnectOptions,
        max: u32,
        own_writer_connection: bool,
    ) -> Result<SqliteStore, StoreError> {
        // Opening and migrating retry for a few seconds: processes that create the same new file at once can
        // meet a lock that SQLite's busy handler does not cover (switching to WAL), and sqlx does not lock
        // migrations on SQLite, so two can try the same one; the loser's transaction rolls back and, on the next
        // try, finds it applied.
        let mut attempt: u64 = 0;
        loop {
            let tried = async {
                // No ping before a pooled connection is handed out (sqlx's default): the database is a local file,
                // so there is no link to lose, and each ping is one more hand-over to the connection's thread on
                // every request. A connection that did fail is closed instead of going back to the pool.
                let pool = SqlitePoolOptions::new()
                    .max_connections(max)
                    .test_before_acquire(false)
                    .acquire_timeout(BUSY_TIMEOUT)
                    .connect_with(opts.clone())
                    .await?;
                MIGRATOR.run(&pool).await?;
                Ok::<_, sqlx::Error>(pool)
            }
            .await;
            match tried {
                Ok(pool) => {
                    return Ok(SqliteStore {
                        pool,
                        writer: Arc::new(tokio::sync::Mutex::new(Writer {
                            own_connection: own_writer_connection,
                            conn: None,
                        })),
                    });
                }
                Err(_) if attempt < 40 => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(25 + 10 * attempt)).await;
                }
                Err(e) => return Err(StoreError::Backend(format!("cannot prepare the database: {e}"))),
            }
        }
    }

    /// A read transaction: every read in it sees one snapshot. Dropped unfinished (an error, a request given up),
    /// sqlx rolls it back, so no pooled connection is left inside a transaction.
    async fn read_tx(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        self.pool.begin().await.map_err(backend)
    }

    /// The connection pool, for the maintenance checks (`health`).
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    async fn conn(&self) -> Result<sqlx::pool::PoolConnection<Sqlite>, StoreError> {
        self.pool.acquire().await.map_err(backend)
    }

    /// A write transaction. Writers of this process take turns on a lock first: SQLite lets one writer in at a
    /// time, and a writer that finds the file locked sleeps in its busy handler (1, 2, 5, 10 … ms), which under a
    /// server's concurrent requests costs far more than waiting in line. Other processes still meet SQLite's own
    /// lock and busy timeout.
    async fn write_tx(&self) -> Result<WriteTx, StoreError> {
        let guard = Arc::clone(&self.writer).lock_owned().await;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(backend)?;
        Ok(WriteTx { tx, _turn: guard })
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

    /// Closes the pool and the writer's own connection, flushing the WAL. The writer turn is held throughout, so
    /// that no set can open the writer's connection again between the two.
    pub async fn close(&self) {
        let mut writer = self.writer.lock().await;
        if let Some(conn) = writer.conn.take() {
            let _ = conn.close().await;
        }
        self.pool.close().await;
    }
}

/// `Store::append_set`'s write, in one transaction (binds: ?1 session, ?2 person, ?3 the client id or NULL, ?4–?13
/// the set's values as `insert_sets` binds them, ?14 the most sets a session holds). Each statement names its
/// parameters from ?1 up with no gap after ?1: sqlx binds a parameter the statement does not name from a running
/// count, and stops binding the statement's later ones once that count passes the number of arguments. Rows: (0, position, pain
/// before) of the receipt when a set was already received under the client id, or (1, position, pain before) of the
/// set stored; none when nothing was stored (no such session of this person, or a full one).
///
/// The set goes at the next position (0, 1, 2, …: the number of sets held). Set inserts do not raise the revisions
/// by trigger (see migration 0005), so the UPDATE does it, only when the set was stored (`changes()` counts the last
/// statement's rows); a set added to an older session changes the history that the newest session's plan was made
/// from. The receipt is written only when the UPDATE was, that is, when the set was stored.
///
/// Last, the person's fold checkpoint is discarded if it settled after the session's instant: a set added to an
/// older session changes what it was folded from. Set inserts have no trigger for this (migration 0018), so this is
/// the one place that does it for a set added to a stored session. It runs whether or not the set was stored (a
/// discarded checkpoint only costs the next assessment a longer fold), which keeps `changes()` above for the
/// statements it guards.
const APPEND_SET: &str = "\
    BEGIN IMMEDIATE; \
    SELECT 0, r.position, s.pain_before FROM set_receipts r \
    LEFT JOIN sessions s ON s.id = r.session_id AND s.athlete_id = r.athlete_id \
    WHERE r.athlete_id = ?2 AND r.client_id = ?3; \
    INSERT INTO sets (session_id, athlete_id, position, exercise_id, reps, seconds, metres, load_g, rpe_x2, pain, felt, \
                      form_breakdown, kind) \
    SELECT ?1, ?2, next, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13 \
    FROM (SELECT COALESCE(MAX(position) + 1, 0) AS next FROM sets WHERE session_id = ?1) \
    WHERE next < ?14 AND EXISTS (SELECT 1 FROM sessions WHERE id = ?1 AND athlete_id = ?2) \
    AND NOT EXISTS (SELECT 1 FROM set_receipts WHERE athlete_id = ?2 AND client_id = ?3) \
    RETURNING 1, position, (SELECT pain_before FROM sessions WHERE id = ?1); \
    UPDATE athletes SET revision = revision + 1, \
      history_revision = history_revision + EXISTS (SELECT 1 FROM sessions \
        WHERE athlete_id = ?2 AND at_ms > (SELECT at_ms FROM sessions WHERE id = ?1)) \
    WHERE id = ?2 AND changes() > 0; \
    INSERT INTO set_receipts (athlete_id, client_id, session_id, position, received_at_ms) \
    SELECT ?2, ?3, ?1, last, CAST(strftime('%s', 'now') AS INTEGER) * 1000 \
    FROM (SELECT MAX(position) AS last FROM sets WHERE session_id = ?1) \
    WHERE ?3 IS NOT NULL AND changes() > 0; \
    DELETE FROM fold_checkpoints WHERE athlete_id = ?2 \
      AND settled_from_ms > (SELECT at_ms FROM sessions WHERE id = ?1 AND athlete_id = ?2); \
    COMMIT";

/// An open invitation by its token's SHA-256, with who made it (binds: the hash, now in ms).
const OPEN_INVITE: &str = "SELECT i.role, i.invited_by, a.name AS invited_by_name, i.expires_at_ms FROM invites i \
     JOIN accounts a ON a.id = i.invited_by \
     WHERE i.token_sha256 = ? AND i.accepted_at_ms IS NULL AND i.expires_at_ms > ?";

/// Accounts in `decode::account`'s columns; a WHERE clause follows.
macro_rules! account_select {
    () => {
        "SELECT id, email, name, role, password_phc, athlete_id, created_at_ms FROM accounts"
    };
}

/// Care links with both sides' names, in `decode::care_link`'s columns; a WHERE clause follows.
macro_rules! care_links {
    () => {
        "SELECT l.id, l.staff_id, s.name AS staff_name, s.role AS staff_role, l.athlete_id, \
         a.name AS athlete_name, l.created_at_ms, l.revoked_at_ms FROM care_links l \
         JOIN accounts s ON s.id = l.staff_id JOIN accounts a ON a.athlete_id = l.athlete_id"
    };
}

/// Makes an account inside a write transaction; an athlete's gets a new person for its facts (never the id of
/// the file's local person, who may not have been made yet).
async fn insert_account(tx: &mut WriteTx, new: &NewAccount, at: Timestamp) -> Result<Account, StoreError> {
    let athlete = if new.role == Role::Athlete {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO athletes (id, created_at_ms) \
             VALUES ((SELECT MAX(COALESCE(MAX(id), 0), ?) + 1 FROM athletes), ?) RETURNING id",
        )
        .bind(LOCAL_ATHLETE)
        .bind(ms(at))
        .fetch_one(&mut ***tx)
        .await
        .map_err(backend)?;
        Some(AthleteId(id))
    } else {
        None
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (email, name, role, password_phc, athlete_id, created_at_ms) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&new.email)
    .bind(&new.name)
    .bind(new.role.as_str())
    .bind(&new.password_phc)
    .bind(athlete.map(|a| a.0))
    .bind(ms(at))
    .fetch_one(&mut ***tx)
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
impl Store for SqliteStore {
    async fn local_athlete(&self, now: Timestamp) -> Result<AthleteId, StoreError> {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM athletes WHERE id = ?")
            .bind(LOCAL_ATHLETE)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        if exists.is_none() {
            sqlx::query("INSERT OR IGNORE INTO athletes (id, created_at_ms) VALUES (?, ?)")
                .bind(LOCAL_ATHLETE)
                .bind(ms(now))
                .execute(&self.pool)
                .await
                .map_err(backend)?;
        }
        Ok(AthleteId(LOCAL_ATHLETE))
    }

    async fn save_profile(&self, who: AthleteId, version: &ProfileVersion) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        insert_profile(&mut tx, who, version).await?;
        tx.commit().await.map_err(backend)
    }

    async fn profile_versions(&self, who: AthleteId) -> Result<Vec<ProfileVersion>, StoreError> {
        read(&mut *self.conn().await?, PROFILES, who, decode::profile_version).await
    }

    async fn add_screening(&self, who: AthleteId, s: &Screening) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
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
        let mut tx = self.write_tx().await?;
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
        let mut tx = self.write_tx().await?;
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
        // One read transaction so sessions and sets come from the same snapshot.
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
        let Some(r) = sqlx::query("SELECT * FROM sessions WHERE athlete_id = ? AND id = ?")
            .bind(who.0)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let set_rows =
            sqlx::query("SELECT * FROM sets WHERE athlete_id = ? AND session_id = ? ORDER BY position")
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
        // The whole write is one call to the connection's thread (APPEND_SET, transaction included): each call is a
        // hand-over between threads, which under a server's concurrent requests cost more than the write itself.
        // Run in a task of its own, so that it ends with its transaction committed or rolled back even when the
        // request that started it is given up: a connection must never go back to the pool inside one.
        let (reps, seconds, metres) = dose_columns(set.dose);
        let query = sqlx::query_as::<_, (i64, i64, Option<i64>)>(APPEND_SET)
            .bind(session_id)
            .bind(who.0)
            .bind(client_id.map(str::to_owned))
            .bind(set.exercise.clone())
            .bind(reps)
            .bind(seconds)
            .bind(metres)
            .bind(set.load.map(|l| i64::from(l.grams())))
            .bind(set.rpe.map(|r| i64::from(r.halves())))
            .bind(set.pain.map(|p| i64::from(p.value())))
            .bind(set.felt.as_str())
            .bind(set.form_breakdown)
            .bind(set.kind.as_str())
            .bind(backstop_core::facts::MAX_SETS_PER_SESSION as i64);
        let mut turn = Arc::clone(&self.writer).lock_owned().await;
        let mut pooled = if turn.own_connection {
            None
        } else {
            Some(self.conn().await?)
        };
        // A closed store opens no connection again (`close` holds the turn while it closes).
        if self.pool.is_closed() {
            return Err(backend(sqlx::Error::PoolClosed));
        }
        let opts = self.pool.connect_options();
        let rows = tokio::spawn(async move {
            let conn: &mut SqliteConnection = match pooled.as_mut() {
                Some(c) => c,
                None => match &mut turn.conn {
                    Some(c) => c,
                    slot => slot.insert(SqliteConnection::connect_with(&opts).await?),
                },
            };
            let rows = query.fetch_all(&mut *conn).await;
            if rows.is_err() && sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await.is_err() {
                // No transaction was open (BEGIN itself failed), or the connection is broken: either way it is not
                // used again (a pooled one is not given back; the writer's own is opened again at the next set).
                if let Some(c) = pooled {
                    let _ = c.close().await;
                } else if let Some(c) = turn.conn.take() {
                    let _ = c.close().await;
                }
            }
            drop(turn);
            rows
        })
        .await
        .map_err(|e| StoreError::Backend(format!("the write of a set stopped: {e}")))?
        .map_err(backend)?;
        // A receipt row (a set sent again), or the new set's row; none when nothing was stored.
        let Some(&(_, position, pain_before)) = rows.first() else {
            // No such session of this person, or a full one.
            let held: Option<i64> = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM sets WHERE session_id = sessions.id)
                 FROM sessions WHERE athlete_id = ? AND id = ?",
            )
            .bind(who.0)
            .bind(session_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
            let held = held.ok_or(StoreError::NotFound("session"))?;
            return Err(StoreError::SessionFull(
                usize::try_from(held).map_err(|e| corrupt("set count", e))?,
            ));
        };
        Ok(AppendedSet {
            position: usize::try_from(position).map_err(|e| corrupt("set position", e))?,
            pain_before: decode::pain_value(pain_before, "pain_before")?,
        })
    }

    async fn receipt(&self, who: AthleteId, client_id: &str) -> Result<Option<(i64, usize)>, StoreError> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT session_id, position FROM set_receipts WHERE athlete_id = ? AND client_id = ?",
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
        let mut tx = self.write_tx().await?;
        let changed = sqlx::query(
            "UPDATE sessions SET at_ms = ?, pain_before = ?, minutes = ?, session_rpe_x2 = ?, notes = ?, source = ?
             WHERE athlete_id = ? AND id = ?",
        )
        .bind(ms(s.at))
        .bind(s.pain_before.map(|p| i64::from(p.value())))
        .bind(s.minutes.map(|m| i64::from(m.get())))
        .bind(s.session_rpe.map(|r| i64::from(r.halves())))
        .bind(&s.notes)
        .bind(&s.source)
        .bind(who.0)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(backend)?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound("session"));
        }
        sqlx::query("DELETE FROM sets WHERE athlete_id = ? AND session_id = ?")
            .bind(who.0)
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
        let rows: Vec<(i64, usize, &SetEntry)> = s.sets.iter().enumerate().map(|(p, x)| (id, p, x)).collect();
        insert_sets(&mut tx, who, &rows).await?;
        tx.commit().await.map_err(backend)
    }

    async fn delete_session(&self, who: AthleteId, id: i64) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let changed = sqlx::query("DELETE FROM sessions WHERE athlete_id = ? AND id = ?")
            .bind(who.0)
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(backend)?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound("session"));
        }
        tx.commit().await.map_err(backend)
    }

    async fn history_revision(&self, who: AthleteId) -> Result<i64, StoreError> {
        self.number("SELECT history_revision FROM athletes WHERE id = ?", who)
            .await
    }

    async fn revision(&self, who: AthleteId) -> Result<i64, StoreError> {
        self.number("SELECT revision FROM athletes WHERE id = ?", who)
            .await
    }

    async fn revisions(&self, who: AthleteId) -> Result<(i64, i64), StoreError> {
        sqlx::query_as("SELECT revision, history_revision FROM athletes WHERE id = ?")
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
        let mut tx = self.write_tx().await?;
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
            .bind(from.map_or(i64::MIN, ms))
            .bind(to.map_or(i64::MAX, ms))
            .fetch_all(&mut *self.conn().await?)
            .await
            .map_err(backend)?;
        rows.iter().map(decode::checkin).collect()
    }

    async fn add_custom_exercises(&self, who: AthleteId, list: &[CustomExercise]) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
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
        let mut tx = self.write_tx().await?;
        insert_flare(&mut tx, who, e).await?;
        tx.commit().await.map_err(backend)
    }

    async fn flare_events(&self, who: AthleteId) -> Result<Vec<FlareEvent>, StoreError> {
        read(&mut *self.conn().await?, FLARE_EVENTS, who, decode::flare_event).await
    }

    async fn add_clearance(&self, who: AthleteId, c: &Clearance) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        insert_clearance(&mut tx, who, c).await?;
        tx.commit().await.map_err(backend)
    }

    async fn clearances(&self, who: AthleteId) -> Result<Vec<Clearance>, StoreError> {
        read(&mut *self.conn().await?, CLEARANCES, who, decode::clearance).await
    }

    async fn add_triage(&self, who: AthleteId, t: &TriageRecord) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
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
        let mut tx = self.write_tx().await?;
        let mut out = ImportOutcome::default();
        for c in exercises {
            let exists: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM custom_exercises WHERE athlete_id = ? AND exercise_id = ?",
            )
            .bind(who.0)
            .bind(&c.exercise.id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(backend)?;
            if exists.is_none() {
                insert_custom(&mut tx, who, c).await?;
                out.exercises_added += 1;
            }
        }
        // Every source already stored, read once (an import may hold thousands of workouts).
        let known: Vec<(String, i64)> =
            sqlx::query_as("SELECT source, id FROM sessions WHERE athlete_id = ? AND source IS NOT NULL")
                .bind(who.0)
                .fetch_all(&mut **tx)
                .await
                .map_err(backend)?;
        let known: std::collections::HashMap<String, i64> = known.into_iter().collect();
        let mut written: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut to_write: Vec<&Session> = Vec::with_capacity(sessions.len());
        for s in sessions {
            if let Some(src) = s.source.as_deref()
                && !written.insert(src)
            {
                // The same workout twice in one file: keep the first.
                out.duplicates += 1;
                continue;
            }
            if let Some(id) = s.source.as_ref().and_then(|src| known.get(src)) {
                // Imported before: replaced by what the file says now (a corrected mapping reaches old
                // workouts too), so nothing is ever counted twice.
                sqlx::query("DELETE FROM sessions WHERE id = ? AND athlete_id = ?")
                    .bind(id)
                    .bind(who.0)
                    .execute(&mut **tx)
                    .await
                    .map_err(backend)?;
                out.duplicates += 1;
            } else {
                out.sessions_added += 1;
                out.sets_added += s.sets.len();
            }
            to_write.push(s);
        }
        insert_sessions_bulk(&mut tx, who, &to_write, recorded_at).await?;
        bump_revisions(&mut tx, who).await?;
        tx.commit().await.map_err(backend)?;
        Ok(out)
    }

    async fn restore(&self, who: AthleteId, b: &Backup) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM profile_versions WHERE athlete_id = ?1)
                  + (SELECT COUNT(*) FROM screenings WHERE athlete_id = ?1)
                  + (SELECT COUNT(*) FROM custom_exercises WHERE athlete_id = ?1)
                  + (SELECT COUNT(*) FROM sessions WHERE athlete_id = ?1)
                  + (SELECT COUNT(*) FROM checkins WHERE athlete_id = ?1)
                  + (SELECT COUNT(*) FROM flare_events WHERE athlete_id = ?1)
                  + (SELECT COUNT(*) FROM clearances WHERE athlete_id = ?1)
                  + (SELECT COUNT(*) FROM triages WHERE athlete_id = ?1)",
        )
        .bind(who.0)
        .fetch_one(&mut **tx)
        .await
        .map_err(backend)?;
        if n > 0 {
            return Err(StoreError::NotEmpty);
        }
        for p in &b.profiles {
            insert_profile(
                &mut tx,
                who,
                &ProfileVersion {
                    recorded_at: p.recorded_at,
                    profile: p.profile.clone(),
                },
            )
            .await?;
        }
        for s in &b.screenings {
            insert_screening(
                &mut tx,
                who,
                &Screening {
                    at: s.at,
                    context: s.context,
                    flags: s.flags.clone(),
                },
            )
            .await?;
        }
        for c in &b.custom_exercises {
            insert_custom(
                &mut tx,
                who,
                &CustomExercise {
                    recorded_at: c.recorded_at,
                    exercise: c.exercise.clone(),
                },
            )
            .await?;
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
            insert_clearance(
                &mut tx,
                who,
                &Clearance {
                    at: c.at,
                    note: c.note.clone(),
                },
            )
            .await?;
        }
        for t in &b.triages {
            insert_triage(
                &mut tx,
                who,
                &TriageRecord {
                    at: t.at,
                    answers: t.answers.clone(),
                },
            )
            .await?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn add_calendar_feed(
        &self,
        who: AthleteId,
        token_sha256: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("INSERT INTO calendar_feeds (athlete_id, token_sha256, created_at_ms) VALUES (?, ?, ?)")
            .bind(who.0)
            .bind(token_sha256)
            .bind(ms(at))
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn revoke_calendar_feeds(&self, who: AthleteId, at: Timestamp) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query(
            "UPDATE calendar_feeds SET revoked_at_ms = ? WHERE athlete_id = ? AND revoked_at_ms IS NULL",
        )
        .bind(ms(at))
        .bind(who.0)
        .execute(&mut **tx)
        .await
        .map_err(backend)?
        .rows_affected();
        tx.commit().await.map_err(backend)?;
        Ok(n as usize)
    }

    async fn calendar_feed(&self, token_sha256: &str) -> Result<Option<AthleteId>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT athlete_id FROM calendar_feeds WHERE token_sha256 = ? AND revoked_at_ms IS NULL",
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
        let mut tx = self.write_tx().await?;
        // Lapsed and signed-out browsers are forgotten as new ones sign in, so the table stays small.
        sqlx::query("DELETE FROM web_sessions WHERE expires_at_ms <= ? OR revoked_at_ms IS NOT NULL")
            .bind(ms(at))
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
        sqlx::query(
            "INSERT INTO web_sessions (token_sha256, key_sha256, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?)",
        )
        .bind(token_sha256)
        .bind(key_sha256)
        .bind(ms(at))
        .bind(ms(expires))
        .execute(&mut **tx)
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
            "SELECT id FROM web_sessions WHERE token_sha256 = ? AND key_sha256 = ? AND revoked_at_ms IS NULL \
             AND expires_at_ms > ?",
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
        let mut tx = self.write_tx().await?;
        let n = sqlx::query(
            "UPDATE web_sessions SET revoked_at_ms = ? WHERE token_sha256 = ? AND revoked_at_ms IS NULL",
        )
        .bind(ms(at))
        .bind(token_sha256)
        .execute(&mut **tx)
        .await
        .map_err(backend)?
        .rows_affected();
        tx.commit().await.map_err(backend)?;
        Ok(n > 0)
    }

    async fn revoke_web_sessions(&self, at: Timestamp) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query(
            "UPDATE web_sessions SET revoked_at_ms = ? WHERE revoked_at_ms IS NULL AND expires_at_ms > ?",
        )
        .bind(ms(at))
        .bind(ms(at))
        .execute(&mut **tx)
        .await
        .map_err(backend)?
        .rows_affected();
        tx.commit().await.map_err(backend)?;
        Ok(n as usize)
    }

    async fn add_account(&self, new: &NewAccount, at: Timestamp) -> Result<Account, StoreError> {
        let mut tx = self.write_tx().await?;
        let account = insert_account(&mut tx, new, at).await?;
        tx.commit().await.map_err(backend)?;
        Ok(account)
    }

    async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(concat!(account_select!(), " WHERE email = ?"))
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(decode::account).transpose()
    }

    async fn account(&self, id: AccountId) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(concat!(account_select!(), " WHERE id = ?"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(decode::account).transpose()
    }

    async fn add_login_failure(&self, email: &str, at: Timestamp) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        // Failures older than a day count for nothing, so they are forgotten as new ones come.
        sqlx::query("DELETE FROM login_failures WHERE at_ms < ?")
            .bind(ms(at) - 24 * 3_600_000)
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
        sqlx::query("INSERT INTO login_failures (email, at_ms) VALUES (?, ?)")
            .bind(email)
            .bind(ms(at))
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn login_failures(&self, email: &str, since: Timestamp) -> Result<usize, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE email = ? AND at_ms >= ?")
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
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM account_sessions WHERE expires_at_ms <= ? OR revoked_at_ms IS NOT NULL")
            .bind(ms(at))
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
        sqlx::query(
            "INSERT INTO account_sessions (token_sha256, account_id, created_at_ms, expires_at_ms) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(token_sha256)
        .bind(account.0)
        .bind(ms(at))
        .bind(ms(expires))
        .execute(&mut **tx)
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
            "SELECT account_id FROM account_sessions WHERE token_sha256 = ? AND revoked_at_ms IS NULL \
             AND expires_at_ms > ?",
        )
        .bind(token_sha256)
        .bind(ms(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(found.map(AccountId))
    }

    async fn revoke_account_session(&self, token_sha256: &str, at: Timestamp) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query(
            "UPDATE account_sessions SET revoked_at_ms = ? WHERE token_sha256 = ? AND revoked_at_ms IS NULL",
        )
        .bind(ms(at))
        .bind(token_sha256)
        .execute(&mut **tx)
        .await
        .map_err(backend)?
        .rows_affected();
        tx.commit().await.map_err(backend)?;
        Ok(n > 0)
    }

    async fn revoke_account_sessions(&self, account: AccountId, at: Timestamp) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query(
            "UPDATE account_sessions SET revoked_at_ms = ? \
             WHERE account_id = ? AND revoked_at_ms IS NULL AND expires_at_ms > ?",
        )
        .bind(ms(at))
        .bind(account.0)
        .bind(ms(at))
        .execute(&mut **tx)
        .await
        .map_err(backend)?
        .rows_affected();
        tx.commit().await.map_err(backend)?;
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
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO invites (token_sha256, role, invited_by, created_at_ms, expires_at_ms) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(token_sha256)
        .bind(role.as_str())
        .bind(by.0)
        .bind(ms(at))
        .bind(ms(expires))
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn invite(&self, token_sha256: &str, now: Timestamp) -> Result<Option<Invite>, StoreError> {
        let row = sqlx::query(OPEN_INVITE)
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
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(OPEN_INVITE)
            .bind(token_sha256)
            .bind(ms(at))
            .fetch_optional(&mut **tx)
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
                let row = sqlx::query(concat!(account_select!(), " WHERE id = ?"))
                    .bind(id.0)
                    .fetch_optional(&mut **tx)
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
        sqlx::query("UPDATE invites SET accepted_at_ms = ?, accepted_by = ? WHERE token_sha256 = ?")
            .bind(ms(at))
            .bind(account.id.0)
            .bind(token_sha256)
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
        if let Some(athlete) = account.athlete {
            // One link per pair in force: accepting a second invitation from the same person adds nothing.
            sqlx::query(
                "INSERT INTO care_links (staff_id, athlete_id, created_at_ms) SELECT ?, ?, ? \
                 WHERE NOT EXISTS (SELECT 1 FROM care_links WHERE staff_id = ? AND athlete_id = ? \
                 AND revoked_at_ms IS NULL)",
            )
            .bind(invite.invited_by.0)
            .bind(athlete.0)
            .bind(ms(at))
            .bind(invite.invited_by.0)
            .bind(athlete.0)
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(account)
    }

    async fn links_of_staff(&self, staff: AccountId) -> Result<Vec<CareLink>, StoreError> {
        let rows = sqlx::query(concat!(
            care_links!(),
            " WHERE l.staff_id = ? AND l.revoked_at_ms IS NULL ORDER BY a.name, l.id"
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
            " WHERE l.athlete_id = ? ORDER BY l.created_at_ms DESC, l.id DESC"
        ))
        .bind(athlete.0)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(decode::care_link).collect()
    }

    async fn linked(&self, staff: AccountId, athlete: AthleteId) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM care_links WHERE staff_id = ? AND athlete_id = ? AND revoked_at_ms IS NULL LIMIT 1",
        )
        .bind(staff.0)
        .bind(athlete.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(found.is_some())
    }

    async fn revoke_link(&self, athlete: AthleteId, link: i64, at: Timestamp) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query(
            "UPDATE care_links SET revoked_at_ms = ? WHERE id = ? AND athlete_id = ? AND revoked_at_ms IS NULL",
        )
        .bind(ms(at))
        .bind(link)
        .bind(athlete.0)
        .execute(&mut **tx)
        .await
        .map_err(backend)?
        .rows_affected();
        tx.commit().await.map_err(backend)?;
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
        let mut tx = self.write_tx().await?;
        for athlete in athletes {
            sqlx::query(
                "INSERT INTO audit_log (athlete_id, actor_id, at_ms, action, what) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(athlete.0)
            .bind(actor.0)
            .bind(ms(at))
            .bind(action.as_str())
            .bind(what)
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn audit_log(&self, athlete: AthleteId, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT l.at_ms, l.actor_id, a.name AS actor_name, l.action, l.what FROM audit_log l \
             JOIN accounts a ON a.id = l.actor_id WHERE l.athlete_id = ? ORDER BY l.at_ms DESC, l.id DESC LIMIT ?",
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
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO care_directives (athlete_id, by_account, at_ms, kind, value) VALUES (?, ?, ?, ?, ?) \
             RETURNING id",
        )
        .bind(athlete.0)
        .bind(by.0)
        .bind(ms(at))
        .bind(kind.as_str())
        .bind(value)
        .fetch_one(&mut **tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(id)
    }

    async fn directives(&self, athlete: AthleteId) -> Result<Vec<CareDirective>, StoreError> {
        let rows = sqlx::query(
            "SELECT d.id, d.by_account, a.name AS by_name, d.at_ms, d.kind, d.value, d.undone_at_ms \
             FROM care_directives d JOIN accounts a ON a.id = d.by_account \
             WHERE d.athlete_id = ? ORDER BY d.at_ms DESC, d.id DESC",
        )
        .bind(athlete.0)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(decode::care_directive).collect()
    }

    async fn undo_directive(&self, athlete: AthleteId, id: i64, at: Timestamp) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query(
            "UPDATE care_directives SET undone_at_ms = ? WHERE id = ? AND athlete_id = ? AND undone_at_ms IS NULL",
        )
        .bind(ms(at))
        .bind(id)
        .bind(athlete.0)
        .execute(&mut **tx)
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
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO undo_entries (token_sha256, athlete_id, session_id, before, after, created_at_ms) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(token_sha256)
        .bind(who.0)
        .bind(session_id)
        .bind(before)
        .bind(after)
        .bind(ms(at))
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
        sqlx::query(
            "DELETE FROM undo_entries WHERE athlete_id = ? AND id NOT IN \
             (SELECT id FROM undo_entries WHERE athlete_id = ? ORDER BY id DESC LIMIT ?)",
        )
        .bind(who.0)
        .bind(who.0)
        .bind(i64::try_from(keep).unwrap_or(i64::MAX))
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn has_undo(&self, who: AthleteId, token_sha256: &str) -> Result<bool, StoreError> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM undo_entries WHERE athlete_id = ? AND token_sha256 = ?")
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
        let mut tx = self.write_tx().await?;
        let row: Option<(i64, String, Option<String>)> = sqlx::query_as(
            "DELETE FROM undo_entries WHERE athlete_id = ? AND token_sha256 = ? RETURNING session_id, before, after",
        )
        .bind(who.0)
        .bind(token_sha256)
        .fetch_optional(&mut **tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(row)
    }

    async fn facts(&self, who: AthleteId) -> Result<Facts, StoreError> {
        // In WAL mode a read transaction sees the database as of its first read, whatever commits meanwhile.
        let mut tx = self.read_tx().await?;
        let facts = read_facts(&mut tx, who, None).await?;
        tx.commit().await.map_err(backend)?;
        Ok(facts)
    }

    async fn facts_resuming(&self, who: AthleteId, since: Timestamp) -> Result<Resuming, StoreError> {
        let mut tx = self.read_tx().await?;
        let revision: i64 = sqlx::query_scalar("SELECT revision FROM athletes WHERE id = ?")
            .bind(who.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound("person"))?;
        let checkpoint = sqlx::query_as::<_, (i64, i64, String, Vec<u8>)>(
            "SELECT cut_ms, settled_from_ms, fingerprint, state FROM fold_checkpoints WHERE athlete_id = ?",
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
                let before: Option<i64> =
                    sqlx::query_scalar("SELECT MAX(at_ms) FROM sessions WHERE athlete_id = ? AND at_ms < ?")
                        .bind(who.0)
                        .bind(ms(c.cut.min(since)))
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend)?;
                Some(before.map_or(Ok(c.cut.min(since)), |t| decode::millis(t, "sessions.at_ms"))?)
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
        let mut tx = self.write_tx().await?;
        // Rounded outwards: sessions from the cut's millisecond on are read, facts up to the settling millisecond
        // discard it. One made for an earlier moment (a past day replayed) does not replace a later one. One with
        // the same cut and fingerprint holds the same state byte for byte, unless the kept one was damaged: then it
        // is replaced (assessments could not read it back, and would fold every fact until the cut moved on).
        let kept = sqlx::query(
            "INSERT INTO fold_checkpoints (athlete_id, cut_ms, settled_from_ms, fingerprint, state)
             SELECT id, ?, ?, ?, ? FROM athletes WHERE id = ? AND revision = ?
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
        .execute(&mut **tx)
        .await
        .map_err(backend)?
        .rows_affected()
            == 1;
        tx.commit().await.map_err(backend)?;
        Ok(kept)
    }
}
