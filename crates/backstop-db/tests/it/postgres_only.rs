//! What only PostgreSQL must show: that two servers may start on one database at once, and that it keeps the
//! same facts as SQLite (the schema-parity test). Each test returns early, with a note, when
//! `BACKSTOP_TEST_DATABASE_URL` is not set.

use std::sync::Arc;

use backstop_app::store::Store;
use backstop_app::{App, ImportRequest};
use backstop_core::FlareMark;
use backstop_core::triage::TriageAnswers;
use backstop_db::PgStore;

use crate::backends::{self, Backend};
use crate::{now, populated};

#[tokio::test]
async fn two_servers_starting_at_once_apply_each_migration_once() {
    let Some(base) = std::env::var(backends::PG_URL).ok().filter(|u| !u.is_empty()) else {
        eprintln!("skipped: {} is not set", backends::PG_URL);
        return;
    };
    let schema = backends::new_schema(&base).await;
    let url = backends::in_schema(&base, &schema);
    let (a, b) = tokio::join!(PgStore::connect(&url, 2), PgStore::connect(&url, 2));
    let (a, b) = (a.unwrap(), b.unwrap());
    // Both work on the one schema: the local person made by one is the one the other finds.
    let (wa, wb) = (
        a.local_athlete(now()).await.unwrap(),
        b.local_athlete(now()).await.unwrap(),
    );
    assert_eq!(wa, wb);
    a.close().await;
    b.close().await;
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let applied: Vec<(i64, bool)> =
        sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&pool)
            .await
            .unwrap();
    pool.close().await;
    assert!(!applied.is_empty());
    assert!(applied.iter().all(|(_, ok)| *ok));
    let mut versions: Vec<i64> = applied.iter().map(|(v, _)| *v).collect();
    versions.dedup();
    assert_eq!(versions.len(), applied.len(), "each migration once: {applied:?}");
    backends::drop_schema(&base, &schema).await;
}

/// Every kind of fact, written through the use cases.
async fn every_kind_of_fact(store: Arc<dyn Store>) -> App {
    let (app, who) = populated(store).await;
    app.flare(who, FlareMark::Start, Some("2026-11-21 08:00"))
        .await
        .unwrap();
    app.flare(who, FlareMark::End, Some("2026-11-23 08:00"))
        .await
        .unwrap();
    app.clearance(
        who,
        Some("2026-11-24 12:00"),
        Some("physio: fine to train".into()),
    )
    .await
    .unwrap();
    let answers = TriageAnswers {
        when: "next-day".parse().unwrap(),
        location: "muscle".parse().unwrap(),
        quality: "ache".parse().unwrap(),
        movement: "eases".parse().unwrap(),
        trend: "better".parse().unwrap(),
        red_flags: vec![],
        dark_urine: false,
    };
    app.triage(
        who,
        answers,
        Some(backstop_core::Pain::new(3).unwrap()),
        Some("2026-11-24 09:00"),
    )
    .await
    .unwrap();
    // An import with a name the catalog does not know: it becomes the person's own exercise.
    let csv = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n\
               2026-11-10 18:00:00,Back,40m,Zercher Carry Machine,1,40,10,0,0,,,7\n\
               2026-11-10 18:00:00,Back,40m,Lat Pulldown (Cable),1,45.5,12,0,0,,,\n";
    let request = ImportRequest {
        unit: Some(backstop_core::WeightUnit::Kg),
        ..Default::default()
    };
    app.import_history(who, csv.as_bytes(), "strong.csv", request, &mut |_| {})
        .await
        .unwrap();
    app
}

#[tokio::test]
async fn both_backends_store_the_same_facts() {
    let Some(pg) = Backend::postgres() else {
        return;
    };
    let sqlite = Backend::sqlite();
    let on_sqlite = every_kind_of_fact(sqlite.store().await).await;
    let on_pg = every_kind_of_fact(pg.store().await).await;
    let who_s = on_sqlite.local_athlete().await.unwrap();
    let who_p = on_pg.local_athlete().await.unwrap();
    let (a, b) = (
        on_sqlite.export(who_s).await.unwrap(),
        on_pg.export(who_p).await.unwrap(),
    );
    // Every table holds something, so that nothing is compared empty against empty.
    assert!(!a.profiles.is_empty() && !a.screenings.is_empty() && !a.custom_exercises.is_empty());
    assert!(a.sessions.len() >= 3 && !a.checkins.is_empty() && a.flare_events.len() == 2);
    assert!(!a.clearances.is_empty() && !a.triages.is_empty());
    assert_eq!(a, b, "the same facts, read back alike");
    // And the engine draws the same conclusions from them.
    let (sa, sb) = (
        on_sqlite.assess(who_s, None).await.unwrap().1,
        on_pg.assess(who_p, None).await.unwrap().1,
    );
    assert_eq!(
        serde_json::to_value(&sa).unwrap(),
        serde_json::to_value(&sb).unwrap()
    );
    sqlite.finish().await;
    pg.finish().await;
}
