//! Reading facts, oldest first, inside the caller's read transaction (one snapshot per assessment).

use super::*;

/// The fact tables' reads, each in time order (ties in insertion order).
pub(super) const PROFILES: &str =
    "SELECT * FROM profile_versions_rows WHERE athlete_id = $1 ORDER BY recorded_at, id";
pub(super) const SCREENINGS: &str = "SELECT * FROM screenings_rows WHERE athlete_id = $1 ORDER BY at, id";
pub(super) const CUSTOM_EXERCISES: &str =
    "SELECT * FROM custom_exercises_rows WHERE athlete_id = $1 ORDER BY recorded_at, id";
pub(super) const CHECKINS: &str = "SELECT * FROM checkins_rows WHERE athlete_id = $1 ORDER BY at, id";
pub(super) const CHECKINS_BETWEEN: &str = "SELECT * FROM checkins_rows WHERE athlete_id = $1 \
     AND ($2::bigint IS NULL OR at >= from_ms($2)) AND ($3::bigint IS NULL OR at < from_ms($3)) ORDER BY at, id";
pub(super) const FLARE_EVENTS: &str = "SELECT * FROM flare_events_rows WHERE athlete_id = $1 ORDER BY at, id";
pub(super) const CLEARANCES: &str = "SELECT * FROM clearances_rows WHERE athlete_id = $1 ORDER BY at, id";
pub(super) const TRIAGES: &str = "SELECT * FROM triages_rows WHERE athlete_id = $1 ORDER BY at, id";

/// Every fact of the person, with the sessions from `sessions_from` on (all when `None`).
pub(super) async fn read_facts(
    conn: &mut PgConnection,
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
    conn: &mut PgConnection,
    sql: &'static str,
    who: AthleteId,
    decode: impl Fn(&PgRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let rows = sqlx::query(sql)
        .bind(who.0)
        .fetch_all(conn)
        .await
        .map_err(backend)?;
    rows.iter().map(decode).collect()
}

/// The load inputs of the sessions before `before`: one row per session, its sets counted where they are.
pub(super) async fn read_session_loads(
    conn: &mut PgConnection,
    who: AthleteId,
    before: Timestamp,
) -> Result<Vec<LoadInputs>, StoreError> {
    let rows = sqlx::query(
        "SELECT s.at_ms, s.minutes, s.session_rpe_x2,
                COUNT(x.id) AS working_sets, COUNT(x.rpe_x2) AS rated_sets, SUM(x.rpe_x2)::bigint AS rpe_halves
         FROM sessions_rows s LEFT JOIN sets_rows x ON x.session_id = s.id AND x.kind <> 'warmup'
         WHERE s.athlete_id = $1 AND s.at < from_ms($2)
         GROUP BY s.id, s.at, s.at_ms, s.minutes, s.session_rpe_x2 ORDER BY s.at, s.id",
    )
    .bind(who.0)
    .bind(ms(before))
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    rows.iter().map(decode::load_inputs).collect()
}

/// The person's sessions starting in [from, to), with their sets.
pub(super) async fn read_sessions(
    conn: &mut PgConnection,
    who: AthleteId,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
) -> Result<Vec<StoredSession>, StoreError> {
    let (from, to) = (from.map(ms), to.map(ms));
    let rows = sqlx::query(sqlx::AssertSqlSafe(sessions_sql("", "ORDER BY at, id")))
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
    conn: &mut PgConnection,
    who: AthleteId,
    (from, to): (Timestamp, Timestamp),
    under_way: bool,
) -> Result<Option<StoredSession>, StoreError> {
    // Under way: logged set by set, not finished with its minutes and effort, not imported.
    let row = sqlx::query(sqlx::AssertSqlSafe(sessions_sql(
        "AND (minutes IS NULL AND session_rpe_x2 IS NULL AND source IS NULL) = $4",
        "ORDER BY at DESC, id DESC LIMIT 1",
    )))
    .bind(who.0)
    .bind(Some(ms(from)))
    .bind(Some(ms(to)))
    .bind(under_way)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    row.as_ref().map(decode::session_with_sets_json).transpose()
}

/// The sessions of a person in a range (binds: person, from or NULL, to or NULL, then any of `and`), each with its
/// sets as one JSON array in position order (a row per set costs a round of decoding per value). The column names
/// and clauses are the code's own constants: no input of anyone's in the statement.
fn sessions_sql(and: &str, order: &str) -> String {
    const RANGE: &str = "athlete_id = $1 AND ($2::bigint IS NULL OR at >= from_ms($2)) AND ($3::bigint IS NULL OR at < from_ms($3))";
    format!(
        "SELECT sessions_rows.*,
           (SELECT COALESCE(json_agg(json_build_array({}) ORDER BY position), '[]'::json)
            FROM sets_rows WHERE sets_rows.session_id = sessions_rows.id)::text AS sets_json
         FROM sessions_rows WHERE {RANGE} {and} {order}",
        decode::SET_COLUMNS.join(", ")
    )
}
