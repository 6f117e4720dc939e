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
    let mut times = Vec::new();
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
    }
    times.sort_by(f64::total_cmp);
    println!(
        "import of {ROWS} Strong rows into a new SQLite file: median {:.3} s (min {:.3}, max {:.3}, 5 runs)",
        times[2], times[0], times[4]
    );
}
