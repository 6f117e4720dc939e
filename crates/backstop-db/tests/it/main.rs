//! The SQLite store and the use cases over it, against real database files.

#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::Arc;

use backstop_app::backup::Backup;
use backstop_app::clock::FixedClock;
use backstop_app::store::{AthleteId, Store, StoreError};
use backstop_app::{App, AppError, CheckInInput, SessionOptions};
use backstop_core::redflags::RedFlag;
use backstop_core::vocab::{Aggravator, Equipment, Weekday};
use backstop_core::{Minutes, Pain, Profile, WeightUnit};
use backstop_db::SqliteStore;
use jiff::Timestamp;

fn profile() -> Profile {
    Profile {
        units: WeightUnit::Kg,
        time_zone: "Europe/Berlin".into(),
        equipment: vec![Equipment::Dumbbell, Equipment::Cable],
        days: vec![Weekday::Tue, Weekday::Thu],
        minutes: Minutes::new(40).unwrap(),
        baseline_pain: Pain::new(2).unwrap(),
        aggravators: vec![Aggravator::Standing],
        training_years: Some(3),
        settings: Default::default(),
    }
}

fn now() -> Timestamp {
    "2026-11-25T12:00:00Z".parse().unwrap()
}

async fn app_on(store: SqliteStore) -> (App, AthleteId) {
    let app = App::new(Arc::new(store), Arc::new(FixedClock(now()))).unwrap();
    let who = app.local_athlete().await.unwrap();
    (app, who)
}

async fn populated(store: SqliteStore) -> (App, AthleteId) {
    let (app, who) = app_on(store).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    let opts = SessionOptions {
        at: Some("2026-11-17 19:00".into()),
        pain_before: Some(Pain::new(2).unwrap()),
        ..Default::default()
    };
    app.log_groups(
        who,
        &[
            "chest-supported-row 3x10@22.5 rpe7 p1".into(),
            "dead-bug 2x8 p0".into(),
        ],
        &opts,
    )
    .await
    .unwrap();
    let doc = r#"{"at": "2026-11-19T18:00:00+01:00", "minutes": 40, "session_rpe": 6,
                 "sets": [{"exercise": "side-plank", "seconds": 25, "pain": 2, "felt": "back"}]}"#;
    app.log_document(who, doc, "doc.json", &SessionOptions::default())
        .await
        .unwrap();
    let ci = CheckInInput {
        at: Some("2026-11-18".into()),
        pain: Some(Pain::new(3).unwrap()),
        ..Default::default()
    };
    app.checkin(who, ci).await.unwrap();
    (app, who)
}

#[tokio::test]
async fn facts_round_trip_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/backstop.db");
    let (app, who) = populated(SqliteStore::open(&path).await.unwrap()).await;
    let before = app.export(who).await.unwrap();
    assert_eq!(before.sessions.len(), 2);
    assert_eq!(before.sessions[0].sets.len(), 5);
    assert_eq!(before.sessions[0].sets[0].load_g.unwrap().grams(), 22_500);
    assert_eq!(before.checkins.len(), 1);
    drop(app);
    // Reopening the file (migrations already applied) gives the same facts.
    let (app, who) = app_on(SqliteStore::open(&path).await.unwrap()).await;
    assert_eq!(app.export(who).await.unwrap(), before);
}

#[tokio::test]
async fn history_attaches_checkins_to_the_session_before_them() {
    let (app, who) = populated(SqliteStore::in_memory().await.unwrap()).await;
    let h = app.history(who, None, None).await.unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(
        h[1].checkins.len(),
        1,
        "the 18th's check-in belongs to the 17th's session"
    );
    assert_eq!(h[1].checkins[0].hours_after, 13.0);
    assert!(h[0].checkins.is_empty());
    assert_eq!(h[0].at, "2026-11-19T18:00:00+01:00");
}

#[tokio::test]
async fn restore_is_all_or_nothing() {
    let (app, who) = populated(SqliteStore::in_memory().await.unwrap()).await;
    let mut backup = app.export(who).await.unwrap();
    // Break the last set of the last session: the earlier facts must not be written either.
    let last = backup.sessions.last_mut().unwrap();
    last.sets[0].reps = Some(backstop_core::Reps::new(5).unwrap());
    let text = serde_json::to_string(&backup).unwrap();
    let (fresh, fwho) = app_on(SqliteStore::in_memory().await.unwrap()).await;
    let err = fresh.restore(fwho, &text, "broken.json").await.unwrap_err();
    assert!(matches!(err, AppError::Input(_)), "{err}");
    let empty = fresh.export(fwho).await.unwrap();
    assert!(empty.is_empty());

    // The store itself also refuses a second restore.
    let good: Backup = app.export(who).await.unwrap();
    let store = SqliteStore::in_memory().await.unwrap();
    let w = store.local_athlete(now()).await.unwrap();
    store.restore(w, &good).await.unwrap();
    assert!(matches!(store.restore(w, &good).await, Err(StoreError::NotEmpty)));
}

#[tokio::test]
async fn a_session_that_fails_half_way_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let (app, who) = populated(SqliteStore::open(&path).await.unwrap()).await;
    // A trigger makes the second set of the next session fail inside the transaction.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query(
        "CREATE TRIGGER refuse_bird_dog BEFORE INSERT ON sets WHEN NEW.exercise_id = 'bird-dog'
         BEGIN SELECT RAISE(ABORT, 'refused for the test'); END",
    )
    .execute(&pool)
    .await
    .unwrap();
    let before = app.export(who).await.unwrap();
    let opts = SessionOptions {
        at: Some("2026-11-21 10:00".into()),
        ..Default::default()
    };
    let err = app
        .log_groups(who, &["dead-bug 2x8".into(), "bird-dog 2x8".into()], &opts)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Store(StoreError::Backend(_))), "{err}");
    assert_eq!(app.export(who).await.unwrap(), before);
}

#[tokio::test]
async fn concurrent_writers_on_one_file_all_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let (app, who) = app_on(SqliteStore::open(&path).await.unwrap()).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            // A separate store (its own connections) per writer, as separate processes would have.
            let (app, who) = app_on(SqliteStore::open(&path).await.unwrap()).await;
            let opts = SessionOptions {
                at: Some(format!("2026-11-{:02} 18:00", i + 1)),
                ..Default::default()
            };
            app.log_groups(who, &[format!("dead-bug {}x8", i + 1)], &opts)
                .await
                .unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(app.history(who, None, None).await.unwrap().len(), 8);
}

#[tokio::test]
async fn screens_and_clearances_drive_the_red_flag_state() {
    let (app, who) = app_on(SqliteStore::in_memory().await.unwrap()).await;
    let r = app
        .init(who, profile(), Some(vec![RedFlag::BladderChange]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.urgency, backstop_core::redflags::Urgency::Emergency);
    assert!(app.red_flag_state(who).await.unwrap().blocks_training);
    // A clearance dated before the answers it should clear is refused.
    let err = app
        .clearance(who, Some("2026-11-25 09:00"), None)
        .await
        .unwrap_err();
    assert!(
        err.is_input() && err.to_string().contains("before the red-flag answers"),
        "{err}"
    );
    assert!(app.red_flag_state(who).await.unwrap().blocks_training);
    app.clearance(who, None, Some("GP".into())).await.unwrap();
    assert!(!app.red_flag_state(who).await.unwrap().blocks_training);
}

#[tokio::test]
async fn nothing_can_be_logged_before_a_profile() {
    let (app, who) = app_on(SqliteStore::in_memory().await.unwrap()).await;
    let err = app
        .log_groups(who, &["dead-bug 2x8".into()], &SessionOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::NoProfile));
    assert!(err.is_input());
}

#[tokio::test]
async fn damaged_rows_are_reported_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    let (app, who) = populated(SqliteStore::open(&path).await.unwrap()).await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query("UPDATE profile_versions SET equipment = 'not json'")
        .execute(&pool)
        .await
        .unwrap();
    let err = app.export(who).await.unwrap_err();
    assert!(matches!(err, AppError::Store(StoreError::Corrupt(_))), "{err}");
    assert!(!err.is_input());
}
