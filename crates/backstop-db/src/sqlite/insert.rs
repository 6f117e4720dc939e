//! Writing facts: one insert per kind of fact, the bulk insert of an import, the revision bump every write
//! makes, and the receipts that store a retried set once.

use super::*;
use sqlx::Arguments as _;
use sqlx::sqlite::SqliteArguments;

/// Raises the person's revisions (see migration 0005): the writers that insert sessions or sets call it once per
/// transaction, since no trigger covers those inserts.
pub(super) async fn bump_revisions(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = ?",
    )
    .bind(who.0)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_session(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
    s: &Session,
    recorded_at: Timestamp,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sessions (athlete_id, at_ms, recorded_at_ms, pain_before, minutes, session_rpe_x2, notes, source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(who.0)
    .bind(ms(s.at))
    .bind(ms(recorded_at))
    .bind(s.pain_before.map(|p| i64::from(p.value())))
    .bind(s.minutes.map(|m| i64::from(m.get())))
    .bind(s.session_rpe.map(|r| i64::from(r.halves())))
    .bind(&s.notes)
    .bind(&s.source)
    .fetch_one(&mut **tx)
    .await
    .map_err(backend)?;
    let rows: Vec<(i64, usize, &SetEntry)> = s.sets.iter().enumerate().map(|(p, x)| (id, p, x)).collect();
    insert_sets(tx, who, &rows).await?;
    Ok(id)
}

/// Rows per multi-row insert of sets: 500 × 13 values, well under SQLite's bound-parameter limit (32,766). One
/// statement per set would cost more than the rest of an import together.
const SETS_PER_STATEMENT: usize = 500;

/// The columns of a set, in the order its values are bound.
const SET_COLUMNS: &str = "session_id, athlete_id, position, exercise_id, reps, seconds, metres, load_g, rpe_x2, pain, \
                           felt, form_breakdown, kind";

/// The multi-row insert of `n` sets.
fn sets_sql(n: usize) -> String {
    let row = format!("({})", vec!["?"; SET_COLUMNS.split(',').count()].join(", "));
    format!(
        "INSERT INTO sets ({SET_COLUMNS}) VALUES {}",
        vec![row.as_str(); n].join(", ")
    )
}

/// Inserts sets in multi-row statements.
///
/// An import stores tens of thousands of sets, so this is written for speed (`cargo bench -p backstop-db --bench
/// import`): the statement's text is made once per size rather than per chunk, text values are shared (`Arc<str>`,
/// which sqlx binds without copying) instead of copied once per row, and the next chunk's values are bound while
/// SQLite stores the current one on sqlx's worker thread, so the two cores share the work.
pub(super) async fn insert_sets(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
    rows: &[(i64, usize, &SetEntry)],
) -> Result<(), StoreError> {
    // Each distinct text once: exercise ids repeat on every set, the vocabularies on every row.
    let mut texts: std::collections::HashMap<&str, Arc<str>> = std::collections::HashMap::new();
    for (_, _, set) in rows {
        for t in [set.exercise.as_str(), set.felt.as_str(), set.kind.as_str()] {
            if !texts.contains_key(t) {
                texts.insert(t, Arc::from(t));
            }
        }
    }
    let text = |t: &str| texts.get(t).map(Arc::clone).unwrap_or_else(|| Arc::from(t));
    let full_sql: String = sets_sql(SETS_PER_STATEMENT);
    let bind = |chunk: &[(i64, usize, &SetEntry)]| -> Result<SqliteArguments, StoreError> {
        let mut args = SqliteArguments::default();
        for (session, pos, set) in chunk {
            let (reps, seconds, metres) = dose_columns(set.dose);
            let bound = (|| -> Result<(), sqlx::error::BoxDynError> {
                args.add(*session)?;
                args.add(who.0)?;
                args.add(*pos as i64)?;
                args.add(text(&set.exercise))?;
                args.add(reps)?;
                args.add(seconds)?;
                args.add(metres)?;
                args.add(set.load.map(|l| i64::from(l.grams())))?;
                args.add(set.rpe.map(|r| i64::from(r.halves())))?;
                args.add(set.pain.map(|p| i64::from(p.value())))?;
                args.add(text(set.felt.as_str()))?;
                args.add(set.form_breakdown)?;
                args.add(text(set.kind.as_str()))
            })();
            bound.map_err(|e| StoreError::Backend(format!("cannot bind a set: {e}")))?;
        }
        Ok(args)
    };
    let mut chunks = rows.chunks(SETS_PER_STATEMENT);
    let mut bind_next = || chunks.next().map(|c| bind(c).map(|a| (c.len(), a))).transpose();
    let mut next = bind_next()?;
    while let Some((n, args)) = next.take() {
        let sql = if n == SETS_PER_STATEMENT {
            full_sql.clone()
        } else {
            sets_sql(n)
        };
        let stored = sqlx::query_with(sqlx::AssertSqlSafe(sql), args).execute(&mut **tx);
        // Polled first, the insert is handed to the worker thread; the next chunk is bound meanwhile.
        let (stored, bound) = tokio::join!(stored, async { bind_next() });
        stored.map_err(backend)?;
        next = bound?;
    }
    Ok(())
}

/// Inserts many sessions and their sets in a few statements, with ids given here (the write lock is held, so
/// nobody else can take them): an imported history holds thousands of workouts.
pub(super) async fn insert_sessions_bulk(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
    sessions: &[&Session],
    recorded_at: Timestamp,
) -> Result<(), StoreError> {
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM sessions")
        .fetch_one(&mut **tx)
        .await
        .map_err(backend)?;
    let with_ids: Vec<(i64, &Session)> = sessions
        .iter()
        .enumerate()
        .map(|(k, s)| (first + k as i64, *s))
        .collect();
    for chunk in with_ids.chunks(300) {
        let mut q = sqlx::QueryBuilder::<Sqlite>::new(
            "INSERT INTO sessions (id, athlete_id, at_ms, recorded_at_ms, pain_before, minutes, session_rpe_x2, \
             notes, source) ",
        );
        q.push_values(chunk, |mut b, (id, s)| {
            b.push_bind(*id)
                .push_bind(who.0)
                .push_bind(ms(s.at))
                .push_bind(ms(recorded_at))
                .push_bind(s.pain_before.map(|p| i64::from(p.value())))
                .push_bind(s.minutes.map(|m| i64::from(m.get())))
                .push_bind(s.session_rpe.map(|r| i64::from(r.halves())))
                .push_bind(s.notes.clone())
                .push_bind(s.source.clone());
        });
        q.build().execute(&mut **tx).await.map_err(backend)?;
    }
    let rows: Vec<(i64, usize, &SetEntry)> = with_ids
        .iter()
        .flat_map(|(id, s)| s.sets.iter().enumerate().map(move |(p, x)| (*id, p, x)))
        .collect();
    insert_sets(tx, who, &rows).await
}

pub(super) async fn insert_profile(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
    v: &ProfileVersion,
) -> Result<(), StoreError> {
    let p = &v.profile;
    sqlx::query(
        "INSERT INTO profile_versions (athlete_id, recorded_at_ms, units, time_zone, equipment, days, minutes,
                                       baseline_pain, aggravators, training_years, settings, goal_lifts,
                                       usual_leg_symptoms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(who.0)
    .bind(ms(v.recorded_at))
    .bind(p.units.as_str())
    .bind(&p.time_zone)
    .bind(json(&p.equipment)?)
    .bind(json(&p.days)?)
    .bind(i64::from(p.minutes.get()))
    .bind(i64::from(p.baseline_pain.value()))
    .bind(json(&p.aggravators)?)
    .bind(p.training_years.map(i64::from))
    .bind(json(&changed_settings(&p.settings))?)
    .bind(json(&p.goal_lifts)?)
    .bind(p.usual_leg_symptoms.map(LegReach::as_str))
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_screening(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
    s: &Screening,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO screenings (athlete_id, at_ms, context, flags) VALUES (?, ?, ?, ?)")
        .bind(who.0)
        .bind(ms(s.at))
        .bind(s.context.as_str())
        .bind(json(&s.flags)?)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_checkin(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
    c: &CheckIn,
    recorded_at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO checkins (athlete_id, at_ms, recorded_at_ms, pain, stiffness, muscle_soreness, leg_pain,
                               numbness, weakness, leg_reach)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(who.0)
    .bind(ms(c.at))
    .bind(ms(recorded_at))
    .bind(i64::from(c.pain.value()))
    .bind(c.stiffness.map(|s| i64::from(s.get())))
    .bind(c.muscle_soreness)
    .bind(c.leg_pain)
    .bind(c.numbness)
    .bind(c.weakness)
    .bind(c.leg_reach.map(LegReach::as_str))
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_custom(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
    c: &CustomExercise,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO custom_exercises (athlete_id, exercise_id, recorded_at_ms, definition) VALUES (?, ?, ?, ?)",
    )
    .bind(who.0)
    .bind(&c.exercise.id)
    .bind(ms(c.recorded_at))
    .bind(json(&c.exercise)?)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_flare(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
    e: &FlareEvent,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO flare_events (athlete_id, at_ms, mark) VALUES (?, ?, ?)")
        .bind(who.0)
        .bind(ms(e.at))
        .bind(mark_word(e.mark))
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_clearance(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
    c: &Clearance,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO clearances (athlete_id, at_ms, note) VALUES (?, ?, ?)")
        .bind(who.0)
        .bind(ms(c.at))
        .bind(&c.note)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_triage(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
    t: &TriageRecord,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO triages (athlete_id, at_ms, answers) VALUES (?, ?, ?)")
        .bind(who.0)
        .bind(ms(t.at))
        .bind(json(&t.answers)?)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(())
}

/// The session and position of a set received under this client id (see migration 0010).
pub(super) async fn receipt_in(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
    client_id: &str,
) -> Result<Option<(i64, usize)>, StoreError> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT session_id, position FROM set_receipts WHERE athlete_id = ? AND client_id = ?",
    )
    .bind(who.0)
    .bind(client_id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(backend)?;
    row.map(|(s, p)| Ok((s, usize::try_from(p).map_err(|e| corrupt("receipt position", e))?)))
        .transpose()
}

/// Records that the set sent under `client_id` is stored at `position` of `session_id`.
pub(super) async fn record_receipt(
    tx: &mut Transaction<'static, Sqlite>,
    who: AthleteId,
    client_id: &str,
    session_id: i64,
    position: usize,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO set_receipts (athlete_id, client_id, session_id, position, received_at_ms)
         VALUES (?, ?, ?, ?, CAST(strftime('%s', 'now') AS INTEGER) * 1000)",
    )
    .bind(who.0)
    .bind(client_id)
    .bind(session_id)
    .bind(i64::try_from(position).map_err(|e| corrupt("set position", e))?)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}
