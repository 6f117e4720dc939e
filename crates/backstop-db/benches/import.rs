//! Imports a 100,000-row Strong export into a fresh SQLite file, five times, and prints the median.
//!
//! Run: `cargo bench -p backstop-db --bench import` (release profile). The figure goes in the README.

#![allow(missing_docs, clippy::unwrap_used)]

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use backstop_app::clock::SystemClock;
use backstop_app::{App, ImportRequest};
use backstop_core::vocab::Weekday;
use backstop_core::{Minutes, Pain, Profile, WeightUnit};
use backstop_db::SqliteStore;

const ROWS: usize = 100_000;

fn csv() -> String {
    let names = [
        "Squat (Barbell)",
        "Bent Over Row (Barbell)",
        "Lat Pulldown (Cable)",
        "Deadlift (Barbell)",
        "Plank",
    ];
    let mut s = String::from(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n",
    );
    let per_workout = 20;
    for w in 0..ROWS / per_workout {
        let day = jiff::civil::date(2010, 1, 1)
            .checked_add(jiff::Span::new().days(w as i64))
            .unwrap();
        for k in 0..per_workout {
            let name = names[k % names.len()];
            let (weight, reps, secs) = if name == "Plank" {
                (0, 0, 45)
            } else {
                (40 + (w % 30) as i64, 8, 0)
            };
            let _ = writeln!(
                s,
                "{day} 18:00:00,Back day,1h 5m,{name},{},{weight},{reps},0,{secs},,,8",
                k % 4 + 1
            );
        }
    }
    s
}

/// The same sessions and sets as the import stores, inserted straight into the same schema with multi-row
/// statements in one transaction and nothing else: the floor of what this machine's SQLite and sqlx can store,
/// measured in the same run as the import, so that the import's rate is read against it.
async fn raw_insert(path: &std::path::Path, sessions: &[backstop_core::Session]) -> f64 {
    use sqlx::sqlite::SqliteConnectOptions;
    // The schema, migrated by the store, and the athlete the rows belong to.
    let store = SqliteStore::open(path).await.unwrap();
    let app = App::new(Arc::new(store), Arc::new(SystemClock)).unwrap();
    let who = app.local_athlete().await.unwrap();
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
        .foreign_keys(true);
    let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
    let start = Instant::now();
    let mut tx = pool.begin().await.unwrap();
    let ids: Vec<(i64, &backstop_core::Session)> = sessions.iter().zip(1..).map(|(s, id)| (id, s)).collect();
    for chunk in ids.chunks(300) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO sessions (id, athlete_id, at_ms, recorded_at_ms, minutes, session_rpe_x2, source) ",
        );
        q.push_values(chunk, |mut b, (id, s)| {
            b.push_bind(*id)
                .push_bind(who.0)
                .push_bind(s.at.as_millisecond())
                .push_bind(s.at.as_millisecond())
                .push_bind(s.minutes.map(|m| i64::from(m.get())))
                .push_bind(s.session_rpe.map(|r| i64::from(r.halves())))
                .push_bind(s.source.clone());
        });
        q.build().execute(&mut *tx).await.unwrap();
    }
    let sets: Vec<(i64, usize, &backstop_core::SetEntry)> = ids
        .iter()
        .flat_map(|(id, s)| s.sets.iter().enumerate().map(move |(p, x)| (*id, p, x)))
        .collect();
    for chunk in sets.chunks(500) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO sets (session_id, athlete_id, position, exercise_id, reps, seconds, load_g, rpe_x2, felt, \
             form_breakdown, kind) ",
        );
        q.push_values(chunk, |mut b, (id, pos, x)| {
            let (reps, seconds) = match x.dose {
                backstop_core::Dose::Reps(r) => (Some(i64::from(r.get())), None),
                backstop_core::Dose::Seconds(v) => (None, Some(i64::from(v.get()))),
                backstop_core::Dose::Metres(_) => (None, None),
            };
            b.push_bind(*id)
                .push_bind(who.0)
                .push_bind(*pos as i64)
                .push_bind(x.exercise.as_str())
                .push_bind(reps)
                .push_bind(seconds)
                .push_bind(x.load.map(|l| i64::from(l.grams())))
                .push_bind(x.rpe.map(|r| i64::from(r.halves())))
                .push_bind(x.felt.as_str())
                .push_bind(x.form_breakdown)
                .push_bind(x.kind.as_str());
        });
        q.build().execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    start.elapsed().as_secs_f64()
}

fn main() {
    let text = csv();
    {
        let catalog = backstop_core::Catalog::builtin().unwrap();
        let opts = backstop_import::ImportOptions {
            unit: Some(WeightUnit::Kg),
            ..Default::default()
        };
        let t = Instant::now();
        let imported = backstop_import::import(text.as_bytes(), &catalog, &opts, &mut |_| {}).unwrap();
        println!(
            "parsing alone: {:.3} s for {} sets",
            t.elapsed().as_secs_f64(),
            imported.report.sets
        );
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let parsed: Vec<backstop_core::Session> = {
        let catalog = backstop_core::Catalog::builtin().unwrap();
        let opts = backstop_import::ImportOptions {
            unit: Some(WeightUnit::Kg),
            ..Default::default()
        };
        backstop_import::import(text.as_bytes(), &catalog, &opts, &mut |_| {})
            .unwrap()
            .sessions
            .into_iter()
            .map(|s| s.session)
            .collect()
    };
    let mut raw = Vec::new();
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        raw.push(rt.block_on(raw_insert(&dir.path().join("raw.db"), &parsed)));
    }
    raw.sort_by(f64::total_cmp);
    let mut times = Vec::new();
    let mut reads = Vec::new();
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let store = rt.block_on(SqliteStore::open(&dir.path().join("b.db"))).unwrap();
        let app = App::new(Arc::new(store), Arc::new(SystemClock)).unwrap();
        let who = rt.block_on(app.local_athlete()).unwrap();
        let profile = Profile {
            units: WeightUnit::Kg,
            time_zone: "UTC".into(),
            equipment: vec![],
            days: vec![Weekday::Mon],
            minutes: Minutes::new(45).unwrap(),
            baseline_pain: Pain::new(2).unwrap(),
            aggravators: vec![],
            training_years: None,
            settings: Default::default(),
            goal_lifts: Vec::new(),
            usual_leg_symptoms: None,
            not_planned: Vec::new(),
        };
        rt.block_on(app.init(who, profile, Some(vec![]))).unwrap();
        let req = ImportRequest {
            unit: Some(WeightUnit::Kg),
            ..ImportRequest::default()
        };
        let start = Instant::now();
        let (report, outcome) = rt
            .block_on(app.import_history(who, text.as_bytes(), "bench.csv", req, &mut |_| {}))
            .unwrap();
        times.push(start.elapsed().as_secs_f64());
        assert_eq!(report.rows as usize, ROWS);
        assert_eq!(outcome.sets_added, ROWS);
        // Reading every fact back, as an assessment does: one snapshot, decoded into the core's types.
        for _ in 0..3 {
            let start = Instant::now();
            let facts = rt.block_on(app.facts(who)).unwrap();
            reads.push(start.elapsed().as_secs_f64());
            assert_eq!(
                facts.sessions.iter().map(|s| s.session.sets.len()).sum::<usize>(),
                ROWS
            );
        }
    }
    // The store's part of an import alone: the parsed sessions written by `import_batch`, as the import writes them.
    let mut stored = Vec::new();
    for _ in 0..5 {
        use backstop_app::store::Store;
        let dir = tempfile::tempdir().unwrap();
        let store = rt.block_on(SqliteStore::open(&dir.path().join("s.db"))).unwrap();
        let who = rt.block_on(store.local_athlete(jiff::Timestamp::now())).unwrap();
        let start = Instant::now();
        let outcome = rt
            .block_on(store.import_batch(who, &[], &parsed, jiff::Timestamp::now()))
            .unwrap();
        stored.push(start.elapsed().as_secs_f64());
        assert_eq!(outcome.sets_added, ROWS);
        rt.block_on(store.close());
    }
    stored.sort_by(f64::total_cmp);
    println!(
        "storing alone (the parsed sessions, as the import writes them): median {:.3} s (min {:.3}, max {:.3}, 5 runs)",
        stored[2], stored[0], stored[4]
    );
    times.sort_by(f64::total_cmp);
    reads.sort_by(f64::total_cmp);
    println!(
        "raw multi-row insert of the same {ROWS} sets and their sessions: median {:.3} s ({:.0} rows/s; min {:.3}, \
         max {:.3}, 5 runs)",
        raw[2],
        ROWS as f64 / raw[2],
        raw[0],
        raw[4]
    );
    println!(
        "import of {ROWS} Strong rows into a new SQLite file: median {:.3} s ({:.0} rows/s; min {:.3}, max {:.3}, 5 \
         runs)",
        times[2],
        ROWS as f64 / times[2],
        times[0],
        times[4]
    );
    println!(
        "reading every fact back ({} sessions, {ROWS} sets): median {:.1} ms (min {:.1}, max {:.1}, {} reads)",
        ROWS / 20,
        reads[reads.len() / 2] * 1e3,
        reads[0] * 1e3,
        reads[reads.len() - 1] * 1e3,
        reads.len()
    );
}
