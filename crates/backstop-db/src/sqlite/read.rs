//! Reading facts, oldest first, inside the caller's read transaction (one snapshot per assessment).

use super::*;
use sqlx::Row as _;

/// The fact tables' reads, each in time order (ties in insertion order).
pub(super) const PROFILES: &str =
    "SELECT * FROM profile_versions WHERE athlete_id = ? ORDER BY recorded_at_ms, id";
pub(super) const SCREENINGS: &str = "SELECT * FROM screenings WHERE athlete_id = ? ORDER BY at_ms, id";
pub(super) const CUSTOM_EXERCISES: &str =
    "SELECT * FROM custom_exercises WHERE athlete_id = ? ORDER BY recorded_at_ms, id";
pub(super) const CHECKINS: &str = "SELECT * FROM checkins WHERE athlete_id = ? ORDER BY at_ms, id";
pub(super) const FLARE_EVENTS: &str = "SELECT * FROM flare_events WHERE athlete_id = ? ORDER BY at_ms, id";
pub(super) const CLEARANCES: &str = "SELECT * FROM clearances WHERE athlete_id = ? ORDER BY at_ms, id";
pub(super) const TRIAGES: &str = "SELECT * FROM triages WHERE athlete_id = ? ORDER BY at_ms, id";

/// Every row of one of the person's fact tables, decoded.
pub(super) async fn read<T>(
    conn: &mut SqliteConnection,
    sql: &'static str,
    who: AthleteId,
    decode: impl Fn(&SqliteRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let rows = sqlx::query(sql)
        .bind(who.0)
        .fetch_all(conn)
        .await
        .map_err(backend)?;
    rows.iter().map(decode).collect()
}

/// The person's sessions starting in [from, to), with their sets.
pub(super) async fn read_sessions(
    conn: &mut SqliteConnection,
    who: AthleteId,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> Result<Vec<StoredSession>, StoreError> {
    let from = from.map_or(i64::MIN, ms);
    let to = to.map_or(i64::MAX, ms);
    let srows = sqlx::query(
        "SELECT * FROM sessions WHERE athlete_id = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms, id",
    )
    .bind(who.0)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    // The set columns a session's sets are decoded from, and no others (sqlx copies every column of every row), a
    // page at a time in (session, position) order: ten years of sets held as rows all at once, beside the facts
    // decoded from them, took most of a command's memory.
    let mut sets = decode::SetsBySession::default();
    let mut after = (i64::MIN, i64::MIN);
    loop {
        let page = sqlx::query(
            // Through the sessions' ids (the (session_id, position) index), so a short range reads only its own
            // sets rather than every set of the person.
            "SELECT session_id, position, exercise_id, reps, seconds, metres, load_g, rpe_x2, pain, felt,
                    form_breakdown, kind
             FROM sets WHERE session_id IN
               (SELECT id FROM sessions WHERE athlete_id = ? AND at_ms >= ? AND at_ms < ?)
               AND (session_id, position) > (?, ?)
             ORDER BY session_id, position LIMIT ?",
        )
        .bind(who.0)
        .bind(from)
        .bind(to)
        .bind(after.0)
        .bind(after.1)
        .bind(SETS_PER_PAGE as i64)
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
        sets.extend(&page)?;
        match page.last() {
            Some(last) if page.len() == SETS_PER_PAGE => {
                after = (
                    last.try_get("session_id").map_err(backend)?,
                    last.try_get("position").map_err(backend)?,
                );
            }
            _ => break,
        }
    }
    sets.sessions(&srows)
}

/// How many set rows one read holds at a time.
const SETS_PER_PAGE: usize = 4_000;
