//! Reading facts, oldest first, inside the caller's read transaction (one snapshot per assessment).

use super::*;

/// The fact tables' reads, each in time order (ties in insertion order).
pub(super) const PROFILES: &str =
    "SELECT * FROM profile_versions WHERE athlete_id = ? ORDER BY recorded_at_ms, id";
pub(super) const SCREENINGS: &str = "SELECT * FROM screenings WHERE athlete_id = ? ORDER BY at_ms, id";
pub(super) const CUSTOM_EXERCISES: &str =
    "SELECT * FROM custom_exercises WHERE athlete_id = ? ORDER BY recorded_at_ms, id";
pub(super) const CHECKINS: &str = "SELECT * FROM checkins WHERE athlete_id = ? ORDER BY at_ms, id";
pub(super) const CHECKINS_BETWEEN: &str =
    "SELECT * FROM checkins WHERE athlete_id = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms, id";
pub(super) const FLARE_EVENTS: &str = "SELECT * FROM flare_events WHERE athlete_id = ? ORDER BY at_ms, id";
pub(super) const CLEARANCES: &str = "SELECT * FROM clearances WHERE athlete_id = ? ORDER BY at_ms, id";
pub(super) const TRIAGES: &str = "SELECT * FROM triages WHERE athlete_id = ? ORDER BY at_ms, id";

/// Every fact of the person, with the sessions from `sessions_from` on (all when `None`).
pub(super) async fn read_facts(
    conn: &mut SqliteConnection,
    who: AthleteId,
    sessions_from: Option<Timestamp>,
) -> Result<Facts, StoreError> {
    Ok(Facts {
        profiles: read(conn, PROFILES, who, decode::profile_version).await?,
        screenings: read(conn, SCREENINGS, who, decode::screening).await?,
        custom_exercises: read(conn, CUSTOM_EXERCISES, who, decode::custom_exercise).await?,
        sessions: read_sessions(conn, who, sessions_from, None).await?,
        checkins: read(conn, CHECKINS, who, decode::checkin).await?,
        flare_events: read(conn, FLARE_EVENTS, who, decode::flare_event).await?,
        clearances: read(conn, CLEARANCES, who, decode::clearance).await?,
        triages: read(conn, TRIAGES, who, decode::triage).await?,
    })
}

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

/// The load inputs of the sessions before `before`: one row per session, its sets counted where they are. Grouped
/// in the order of the sessions' index (a rowid ends every index), so that SQLite sorts nothing.
pub(super) async fn read_session_loads(
    conn: &mut SqliteConnection,
    who: AthleteId,
    before: Timestamp,
) -> Result<Vec<LoadInputs>, StoreError> {
    let rows = sqlx::query(
        "SELECT s.at_ms, s.minutes, s.session_rpe_x2,
                COUNT(x.id) AS working_sets, COUNT(x.rpe_x2) AS rated_sets, SUM(x.rpe_x2) AS rpe_halves
         FROM sessions s LEFT JOIN sets x ON x.session_id = s.id AND x.kind <> 'warmup'
         WHERE s.athlete_id = ? AND s.at_ms < ?
         GROUP BY s.at_ms, s.id ORDER BY s.at_ms, s.id",
    )
    .bind(who.0)
    .bind(ms(before))
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    rows.iter().map(decode::load_inputs).collect()
}

/// The person's sessions starting in [from, to), with their sets.
///
/// One row per session, its sets built by SQLite into one JSON array (in position order): sqlx hands each row to this
/// thread separately and copies each of its values, which made a row per set the most of a command's time on a long
/// history (ten years, 31,360 sets: `status` 131 ms with a row per set, 68–74 ms with a row per session; `cargo bench
/// -p backstop-cli --bench commands`). The array's elements are the set columns in [`decode::SET_COLUMNS`]'s order,
/// decoded with the same checks as a row.
pub(super) async fn read_sessions(
    conn: &mut SqliteConnection,
    who: AthleteId,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> Result<Vec<StoredSession>, StoreError> {
    let from = from.map_or(i64::MIN, ms);
    let to = to.map_or(i64::MAX, ms);
    let rows = sqlx::query(sqlx::AssertSqlSafe(sessions_sql("", "ORDER BY at_ms, id")))
        .bind(who.0)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
    rows.iter().map(decode::session_with_sets_json).collect()
}

/// `Store::newest_session`: the newest session in `[from, to)` under way (or not), with its sets.
pub(super) async fn read_newest_session(
    conn: &mut SqliteConnection,
    who: AthleteId,
    (from, to): (Timestamp, Timestamp),
    under_way: bool,
) -> Result<Option<StoredSession>, StoreError> {
    // Under way: logged set by set, not finished with its minutes and effort, not imported.
    let row = sqlx::query(sqlx::AssertSqlSafe(sessions_sql(
        "AND (minutes IS NULL AND session_rpe_x2 IS NULL AND source IS NULL) = ?",
        "ORDER BY at_ms DESC, id DESC LIMIT 1",
    )))
    .bind(who.0)
    .bind(ms(from))
    .bind(ms(to))
    .bind(under_way)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    row.as_ref().map(decode::session_with_sets_json).transpose()
}

/// The sessions of a person in a range (binds: person, from, to, then any of `and`), each with its sets as one JSON
/// array. The column names and clauses are the code's own constants: no input of anyone's in the statement.
fn sessions_sql(and: &str, order: &str) -> String {
    format!(
        "SELECT sessions.*,
           (SELECT json_group_array(json_array({}) ORDER BY position)
            FROM sets WHERE sets.session_id = sessions.id) AS sets_json
         FROM sessions WHERE athlete_id = ? AND at_ms >= ? AND at_ms < ? {and} {order}",
        decode::SET_COLUMNS.join(", ")
    )
}
