//! Writing facts: one insert per kind of fact, the bulk insert of an import, the revision bump every write
//! makes, and the receipts that store a retried set once.

use super::*;

/// Raises the person's revisions once for the sessions and sets a transaction inserted (no trigger covers those
/// inserts; see the migration).
pub(super) async fn bump_revisions(tx: &mut PgConnection, who: AthleteId) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = $1",
    )
    .bind(who.0)
    .execute(tx)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_session(
    tx: &mut PgConnection,
    who: AthleteId,
    s: &Session,
    recorded_at: Timestamp,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sessions (athlete_id, at, recorded_at, pain_before, minutes, session_rpe_x2, notes, source)
         VALUES ($1, from_ms($2), from_ms($3), $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(who.0)
    .bind(ms(s.at))
    .bind(ms(recorded_at))
    .bind(s.pain_before.map(|p| i16::from(p.value())))
    .bind(s.minutes.map(|m| m.get() as i32))
    .bind(s.session_rpe.map(|r| i16::from(r.halves())))
    .bind(&s.notes)
    .bind(&s.source)
    .fetch_one(&mut *tx)
    .await
    .map_err(backend)?;
    let rows: Vec<(i64, usize, &SetEntry)> = s.sets.iter().enumerate().map(|(p, x)| (id, p, x)).collect();
    insert_sets(tx, who, &rows).await?;
    Ok(id)
}

/// Inserts sets in one statement, one array per column (`UNNEST`): no bound-parameter limit, and one round trip
/// for an imported history's thousands of sets.
pub(super) async fn insert_sets(
    tx: &mut PgConnection,
    who: AthleteId,
    rows: &[(i64, usize, &SetEntry)],
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut session = Vec::with_capacity(rows.len());
    let mut position = Vec::with_capacity(rows.len());
    let mut exercise = Vec::with_capacity(rows.len());
    let (mut reps, mut seconds, mut metres) = (Vec::new(), Vec::new(), Vec::new());
    let (mut load, mut rpe, mut pain) = (Vec::new(), Vec::new(), Vec::new());
    let (mut felt, mut form, mut kind) = (Vec::new(), Vec::new(), Vec::new());
    for (s, p, set) in rows {
        let (r, sec, m) = dose_columns(set.dose);
        session.push(*s);
        position.push(*p as i64);
        exercise.push(set.exercise.clone());
        reps.push(r);
        seconds.push(sec);
        metres.push(m);
        load.push(set.load.map(|l| i64::from(l.grams())));
        rpe.push(set.rpe.map(|r| i64::from(r.halves())));
        pain.push(set.pain.map(|p| i64::from(p.value())));
        felt.push(set.felt.as_str().to_owned());
        form.push(set.form_breakdown);
        kind.push(set.kind.as_str().to_owned());
    }
    sqlx::query(
        "INSERT INTO sets (session_id, athlete_id, position, exercise_id, reps, seconds, metres, load_g, rpe_x2,
                           pain, felt, form_breakdown, kind)
         SELECT s, $2, p, e, r, sec, m, l, rp, pa, f, fo, k
         FROM UNNEST($1::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[],
                     $8::bigint[], $9::bigint[], $10::bigint[], $11::text[], $12::boolean[], $13::text[])
              AS t(s, p, e, r, sec, m, l, rp, pa, f, fo, k)",
    )
    .bind(session)
    .bind(who.0)
    .bind(position)
    .bind(exercise)
    .bind(reps)
    .bind(seconds)
    .bind(metres)
    .bind(load)
    .bind(rpe)
    .bind(pain)
    .bind(felt)
    .bind(form)
    .bind(kind)
    .execute(tx)
    .await
    .map_err(backend)?;
    Ok(())
}

/// Inserts many sessions and their sets in two statements, with ids drawn from the table's own sequence first
/// (so each set knows its session without a round trip per workout).
pub(super) async fn insert_sessions_bulk(
    tx: &mut PgConnection,
    who: AthleteId,
    sessions: &[&Session],
    recorded_at: Timestamp,
) -> Result<(), StoreError> {
    if sessions.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT nextval(pg_get_serial_sequence('sessions', 'id')) FROM generate_series(1, $1)",
    )
    .bind(sessions.len() as i64)
    .fetch_all(&mut *tx)
    .await
    .map_err(backend)?;
    let at: Vec<i64> = sessions.iter().map(|s| ms(s.at)).collect();
    let pain: Vec<Option<i64>> = sessions
        .iter()
        .map(|s| s.pain_before.map(|p| i64::from(p.value())))
        .collect();
    let minutes: Vec<Option<i64>> = sessions
        .iter()
        .map(|s| s.minutes.map(|m| i64::from(m.get())))
        .collect();
    let rpe: Vec<Option<i64>> = sessions
        .iter()
        .map(|s| s.session_rpe.map(|r| i64::from(r.halves())))
        .collect();
    let notes: Vec<Option<String>> = sessions.iter().map(|s| s.notes.clone()).collect();
    let source: Vec<Option<String>> = sessions.iter().map(|s| s.source.clone()).collect();
    sqlx::query(
        "INSERT INTO sessions (id, athlete_id, at, recorded_at, pain_before, minutes, session_rpe_x2, notes, source)
         SELECT i, $2, from_ms(a), from_ms($3), p, m, r, n, s
         FROM UNNEST($1::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[], $9::text[])
              AS t(i, a, p, m, r, n, s)",
    )
    .bind(&ids)
    .bind(who.0)
    .bind(ms(recorded_at))
    .bind(at)
    .bind(pain)
    .bind(minutes)
    .bind(rpe)
    .bind(notes)
    .bind(source)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    let rows: Vec<(i64, usize, &SetEntry)> = ids
        .iter()
        .zip(sessions)
        .flat_map(|(id, s)| s.sets.iter().enumerate().map(move |(p, x)| (*id, p, x)))
        .collect();
    insert_sets(tx, who, &rows).await
}

pub(super) async fn insert_profile(
    tx: &mut PgConnection,
    who: AthleteId,
    v: &ProfileVersion,
) -> Result<(), StoreError> {
    let p = &v.profile;
    sqlx::query(
        "INSERT INTO profile_versions (athlete_id, recorded_at, units, time_zone, equipment, days, minutes,
                                       baseline_pain, aggravators, training_years, settings, goal_lifts,
                                       usual_leg_symptoms)
         VALUES ($1, from_ms($2), $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9::jsonb, $10, $11::jsonb, $12::jsonb, $13)",
    )
    .bind(who.0)
    .bind(ms(v.recorded_at))
    .bind(p.units.as_str())
    .bind(&p.time_zone)
    .bind(json(&p.equipment)?)
    .bind(json(&p.days)?)
    .bind(p.minutes.get() as i32)
    .bind(i16::from(p.baseline_pain.value()))
    .bind(json(&p.aggravators)?)
    .bind(p.training_years.map(i16::from))
    .bind(json(&changed_settings(&p.settings))?)
    .bind(json(&p.goal_lifts)?)
    .bind(p.usual_leg_symptoms.map(LegReach::as_str))
    .execute(tx)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_screening(
    tx: &mut PgConnection,
    who: AthleteId,
    s: &Screening,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO screenings (athlete_id, at, context, flags) VALUES ($1, from_ms($2), $3, $4::jsonb)",
    )
    .bind(who.0)
    .bind(ms(s.at))
    .bind(s.context.as_str())
    .bind(json(&s.flags)?)
    .execute(tx)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_checkin(
    tx: &mut PgConnection,
    who: AthleteId,
    c: &CheckIn,
    recorded_at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO checkins (athlete_id, at, recorded_at, pain, stiffness, muscle_soreness, leg_pain, numbness,
                               weakness, leg_reach)
         VALUES ($1, from_ms($2), from_ms($3), $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(who.0)
    .bind(ms(c.at))
    .bind(ms(recorded_at))
    .bind(i16::from(c.pain.value()))
    .bind(c.stiffness.map(|s| i16::from(s.get())))
    .bind(c.muscle_soreness)
    .bind(c.leg_pain)
    .bind(c.numbness)
    .bind(c.weakness)
    .bind(c.leg_reach.map(LegReach::as_str))
    .execute(tx)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_custom(
    tx: &mut PgConnection,
    who: AthleteId,
    c: &CustomExercise,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO custom_exercises (athlete_id, exercise_id, recorded_at, definition)
         VALUES ($1, $2, from_ms($3), $4::jsonb)",
    )
    .bind(who.0)
    .bind(&c.exercise.id)
    .bind(ms(c.recorded_at))
    .bind(json(&c.exercise)?)
    .execute(tx)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_flare(
    tx: &mut PgConnection,
    who: AthleteId,
    e: &FlareEvent,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO flare_events (athlete_id, at, mark) VALUES ($1, from_ms($2), $3)")
        .bind(who.0)
        .bind(ms(e.at))
        .bind(mark_word(e.mark))
        .execute(tx)
        .await
        .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_clearance(
    tx: &mut PgConnection,
    who: AthleteId,
    c: &Clearance,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO clearances (athlete_id, at, note) VALUES ($1, from_ms($2), $3)")
        .bind(who.0)
        .bind(ms(c.at))
        .bind(&c.note)
        .execute(tx)
        .await
        .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_triage(
    tx: &mut PgConnection,
    who: AthleteId,
    t: &TriageRecord,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO triages (athlete_id, at, answers) VALUES ($1, from_ms($2), $3::jsonb)")
        .bind(who.0)
        .bind(ms(t.at))
        .bind(json(&t.answers)?)
        .execute(tx)
        .await
        .map_err(backend)?;
    Ok(())
}

/// The session and position of a set received under this client id (see migration 0003).
pub(super) async fn receipt_in(
    tx: &mut PgConnection,
    who: AthleteId,
    client_id: &str,
) -> Result<Option<(i64, usize)>, StoreError> {
    let row: Option<(i64, i32)> = sqlx::query_as(
        "SELECT session_id, position FROM set_receipts WHERE athlete_id = $1 AND client_id = $2",
    )
    .bind(who.0)
    .bind(client_id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(backend)?;
    row.map(|(s, p)| Ok((s, usize::try_from(p).map_err(|e| corrupt("receipt position", e))?)))
        .transpose()
}

/// Records that the set sent under `client_id` is stored at `position` of `session_id`.
pub(super) async fn record_receipt(
    tx: &mut PgConnection,
    who: AthleteId,
    client_id: &str,
    session_id: i64,
    position: usize,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO set_receipts (athlete_id, client_id, session_id, position) VALUES ($1, $2, $3, $4)",
    )
    .bind(who.0)
    .bind(client_id)
    .bind(session_id)
    .bind(i32::try_from(position).map_err(|e| corrupt("set position", e))?)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    Ok(())
}
