//! The stores and the use cases over them: the contract every backend keeps (run on SQLite always, and on
//! PostgreSQL when `BACKSTOP_TEST_DATABASE_URL` names a server), then what is particular to each.

#![allow(clippy::unwrap_used, missing_docs)]

#[macro_use]
mod backends;
mod accounts;
mod checkpoints;
mod postgres_only;

use std::sync::Arc;

use backstop_app::backup::Backup;
use backstop_app::clock::FixedClock;
use backstop_app::store::{AddedSession, AppendedSet, AthleteId, Store, StoreError};
use backstop_app::{App, AppError, CheckInInput, SessionOptions};
use backstop_core::redflags::RedFlag;
use backstop_core::vocab::{Aggravator, Equipment, Weekday};
use backstop_core::{Minutes, Pain, Profile, Rpe, Session, WeightUnit};
use backstop_db::SqliteStore;

use crate::backends::Backend;
use crate::checkpoints::{
    a_damaged_checkpoint_is_replaced_at_the_next_assessment,
    a_fold_checkpoint_is_kept_and_discarded_by_a_fact_before_it_settled,
    a_load_report_from_a_checkpoint_equals_one_over_every_session,
};
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
        goal_lifts: Vec::new(),
        usual_leg_symptoms: None,
        not_planned: Vec::new(),
    }
}

/// The test profile with another usual pain.
pub(crate) fn profile_with_pain(pain: u8) -> Profile {
    Profile {
        baseline_pain: Pain::new(pain).unwrap(),
        ..profile()
    }
}

/// A check-in of `pain` at `at` (a local time of the profile's zone).
fn checkin_input(at: &str, pain: u8) -> CheckInInput {
    CheckInInput {
        at: Some(at.into()),
        pain: Some(Pain::new(pain).unwrap()),
        ..Default::default()
    }
}

pub(crate) fn now() -> Timestamp {
    "2026-11-25T12:00:00Z".parse().unwrap()
}

async fn app_on(store: Arc<dyn Store>) -> (App, AthleteId) {
    let app = App::new(store, Arc::new(FixedClock(now()))).unwrap();
    let who = app.local_athlete().await.unwrap();
    (app, who)
}

pub(crate) async fn populated(store: Arc<dyn Store>) -> (App, AthleteId) {
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
    let ci = checkin_input("2026-11-18", 3);
    app.checkin(who, ci).await.unwrap();
    (app, who)
}

#[tokio::test]
async fn facts_round_trip_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/backstop.db");
    let (app, who) = populated(Arc::new(SqliteStore::open(&path).await.unwrap())).await;
    let before = app.export(who).await.unwrap();
    assert_eq!(before.sessions.len(), 2);
    assert_eq!(before.sessions[0].sets.len(), 5);
    assert_eq!(before.sessions[0].sets[0].load_g.unwrap().grams(), 22_500);
    assert_eq!(before.checkins.len(), 1);
    drop(app);
    // Reopening the file (migrations already applied) gives the same facts.
    let (app, who) = app_on(Arc::new(SqliteStore::open(&path).await.unwrap())).await;
    assert_eq!(app.export(who).await.unwrap(), before);
}

async fn history_attaches_checkins_to_the_session_before_them(backend: &Backend) {
    let (app, who) = populated(backend.store().await).await;
    let h = app.history(who, None, None).await.unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(
        h[1].checkins.len(),
        1,
        "the 18th's check-in belongs to the 17th's session"
    );
    assert_eq!(h[1].checkins[0].hours_after, 13.0);
    assert!(h[0].checkins.is_empty());
    assert_eq!(h[0].at.to_string(), "2026-11-19T18:00:00+01:00");
}

async fn history_pages_and_day_ranges_read_only_their_sessions_and_agree_with_the_whole(backend: &Backend) {
    let store = backend.store().await;
    let (app, who) = app_on(store.clone()).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    // 23 sessions, one every other day at 19:00 Berlin time, most with a check-in the next morning (the day after
    // the session's own day: a day's history must still show it), and two on one day.
    let mut day = jiff::civil::date(2026, 9, 1);
    for i in 0..23 {
        let opts = SessionOptions {
            at: Some(format!("{day} {}", if i == 11 { "07:00" } else { "19:00" })),
            pain_before: Some(Pain::new(2).unwrap()),
            ..Default::default()
        };
        app.log_groups(who, &["dead-bug 2x8 p2".into()], &opts)
            .await
            .unwrap();
        if i == 11 {
            let opts = SessionOptions {
                at: Some(format!("{day} 19:00")),
                ..opts
            };
            app.log_groups(who, &["dead-bug 2x8 p2".into()], &opts)
                .await
                .unwrap();
        }
        if i % 3 != 0 {
            let next = day.tomorrow().unwrap();
            app.checkin(who, checkin_input(&format!("{next} 08:00"), 2 + (i % 2) as u8))
                .await
                .unwrap();
        }
        day = day.checked_add(jiff::Span::new().days(2)).unwrap();
    }
    let json = |v: &[backstop_app::HistoryEntry]| serde_json::to_value(v).unwrap();
    let whole = app.history(who, None, None).await.unwrap();
    assert_eq!(whole.len(), 24);
    assert!(whole.iter().filter(|e| !e.checkins.is_empty()).count() >= 14);
    let ctx = app.context(who).await.unwrap();
    let kept = app.assess_cached(&ctx, who).await.unwrap();
    for per in [1, 4, 7, 24, 30] {
        let mut pages = Vec::new();
        for page in 0.. {
            let (entries, more) = app.history_page(&ctx, who, &kept, page, per).await.unwrap();
            assert!(
                entries.len() <= per + 1,
                "{per}: page {page} holds {}",
                entries.len()
            );
            pages.extend(entries);
            if !more {
                let (beyond, more) = app.history_page(&ctx, who, &kept, page + 1, per).await.unwrap();
                assert!(beyond.is_empty() && !more, "{per}: nothing after the last page");
                break;
            }
        }
        assert_eq!(
            json(&pages),
            json(&whole),
            "{per} a page: the pages, in turn, are the whole history"
        );
    }
    // A day, and a span of days, give the sessions of those days with their check-ins, as the whole does.
    for (from, to) in [
        ("2026-09-05", "2026-09-05"),
        ("2026-09-23", "2026-09-23"),
        ("2026-09-04", "2026-09-12"),
        ("2026-10-15", "2026-12-01"),
        ("2026-08-01", "2026-08-31"),
    ] {
        let range = app.history(who, Some(from), Some(to)).await.unwrap();
        let expected: Vec<_> = whole
            .iter()
            .filter(|e| e.date.as_str() >= from && e.date.as_str() <= to)
            .cloned()
            .collect();
        assert_eq!(json(&range), json(&expected), "{from}..{to}");
    }
    // The store's own range: from its first instant, up to but not including its last.
    let all = store.checkins(who, None, None).await.unwrap();
    assert_eq!(all.len(), 15);
    let (a, b) = (all[3].checkin.at, all[7].checkin.at);
    let some = store.checkins(who, Some(a), Some(b)).await.unwrap();
    assert_eq!(
        some.iter().map(|c| c.checkin.at).collect::<Vec<_>>(),
        all[3..7].iter().map(|c| c.checkin.at).collect::<Vec<_>>()
    );
    assert_eq!(store.checkins(who, Some(b), None).await.unwrap().len(), 8);
    assert_eq!(store.checkins(who, None, Some(a)).await.unwrap().len(), 3);
    let one_day = app
        .history(who, Some("2026-09-05"), Some("2026-09-05"))
        .await
        .unwrap();
    assert_eq!(one_day.len(), 1);
    assert_eq!(
        one_day[0].checkins.len(),
        1,
        "the next morning's check-in shows with its session"
    );
}

async fn restore_is_all_or_nothing(backend: &Backend) {
    let (app, who) = populated(backend.store().await).await;
    let mut backup = app.export(who).await.unwrap();
    // Break the last set of the last session: the earlier facts must not be written either.
    let last = backup.sessions.last_mut().unwrap();
    last.sets[0].reps = Some(backstop_core::Reps::new(5).unwrap());
    let text = serde_json::to_string(&backup).unwrap();
    let (fresh, fwho) = app_on(backend.store().await).await;
    let err = fresh.restore(fwho, &text, "broken.json").await.unwrap_err();
    assert!(matches!(err, AppError::Input(_)), "{err}");
    let empty = fresh.export(fwho).await.unwrap();
    assert!(empty.is_empty());

    // The store itself also refuses a second restore.
    let good: Backup = app.export(who).await.unwrap();
    let store = backend.store().await;
    let w = store.local_athlete(now()).await.unwrap();
    store.restore(w, &good).await.unwrap();
    assert!(matches!(store.restore(w, &good).await, Err(StoreError::NotEmpty)));
}

#[tokio::test]
async fn a_session_that_fails_half_way_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let (app, who) = populated(Arc::new(SqliteStore::open(&path).await.unwrap())).await;
    // A trigger makes the second set of the next session fail inside the transaction.
    refuse_bird_dog(&path).await;
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

async fn concurrent_writers_on_one_database_all_commit(backend: &Backend) {
    let (app, who) = app_on(backend.store().await).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        // A separate store (its own connections) per writer, as separate processes would have.
        let store = backend.reopen_last().await;
        tasks.push(tokio::spawn(async move {
            let (app, who) = app_on(store).await;
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

async fn screens_and_clearances_drive_the_red_flag_state(backend: &Backend) {
    let (app, who) = app_on(backend.store().await).await;
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

async fn nothing_can_be_logged_before_a_profile(backend: &Backend) {
    let (app, who) = app_on(backend.store().await).await;
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
    let (app, who) = populated(Arc::new(SqliteStore::open(&path).await.unwrap())).await;
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

fn set_doc(exercise: &str, reps: u32, pain: u8) -> backstop_core::document::SetDoc {
    serde_json::from_value(
        serde_json::json!({ "exercise": exercise, "reps": reps, "load_kg": 20, "pain": pain }),
    )
    .unwrap()
}

async fn a_session_grows_set_by_set_and_corrections_keep_order(backend: &Backend) {
    let store = backend.store().await;
    let (app, who) = app_on(store.clone()).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    let r0 = store.revision(who).await.unwrap();
    let started = now() - jiff::SignedDuration::from_mins(20);
    let s = app
        .start_session(
            who,
            started,
            Some(Pain::new(2).unwrap()),
            &set_doc("chest-supported-row", 10, 1),
            None,
        )
        .await
        .map(|(s, _)| s)
        .unwrap();
    let r1 = store.revision(who).await.unwrap();
    assert!(r1 > r0, "a new session raises the revision");
    assert_eq!(app.open_session(who).await.unwrap().unwrap().id, s.id);
    assert_eq!(
        app.log_set(who, s.id, &set_doc("chest-supported-row", 9, 2), None)
            .await
            .unwrap(),
        AppendedSet {
            position: 1,
            pain_before: Some(Pain::new(2).unwrap())
        }
    );
    let r2 = store.revision(who).await.unwrap();
    assert!(
        r2 > r1,
        "appending a set raises the revision (no trigger covers set inserts)"
    );
    assert_eq!(
        app.log_set(who, s.id, &set_doc("lat-pulldown", 12, 0), None)
            .await
            .unwrap()
            .position,
        2
    );
    // Reads leave the revision alone.
    app.history(who, None, None).await.unwrap();
    assert_eq!(
        store.revision(who).await.unwrap(),
        store.revision(who).await.unwrap()
    );

    app.edit_set(who, s.id, 1, &set_doc("chest-supported-row", 8, 3), None)
        .await
        .unwrap();
    let removed = app.delete_set(who, s.id, 0, None).await.unwrap();
    assert!(!removed.session_deleted);
    let now_s = app.session(who, s.id).await.unwrap().session;
    let reps: Vec<String> = now_s
        .sets
        .iter()
        .map(|x| format!("{}:{:?}", x.exercise, x.dose))
        .collect();
    assert_eq!(reps.len(), 2);
    assert!(
        reps[0].starts_with("chest-supported-row") && reps[0].contains('8'),
        "{reps:?}"
    );
    assert!(reps[1].starts_with("lat-pulldown"), "{reps:?}");
    // Undo puts the deleted set back where it was.
    app.put_back(who, s.id, &removed.before, removed.after.as_ref())
        .await
        .unwrap();
    assert_eq!(app.session(who, s.id).await.unwrap().session, removed.before);
    // A change by position checks the set is still the one seen: a stale fingerprint is refused.
    let seen = backstop_app::live::set_fingerprint(&removed.before.sets[0]);
    let other = backstop_app::live::set_fingerprint(&removed.before.sets[1]);
    assert!(matches!(
        app.delete_set(who, s.id, 0, Some(&other)).await,
        Err(AppError::Input(_))
    ));
    let again = app.delete_set(who, s.id, 0, Some(&seen)).await.unwrap();
    assert!(
        matches!(
            app.delete_set(who, s.id, 0, Some(&seen)).await,
            Err(AppError::Input(_))
        ),
        "a repeated delete does not hit the next set"
    );
    // An undo after the session moved on is refused rather than losing the new set.
    app.log_set(who, s.id, &set_doc("lat-pulldown", 10, 0), None)
        .await
        .unwrap();
    assert!(matches!(
        app.put_back(who, s.id, &again.before, again.after.as_ref()).await,
        Err(AppError::Input(_))
    ));
    app.put_back(
        who,
        s.id,
        &removed.before,
        Some(&app.session(who, s.id).await.unwrap().session),
    )
    .await
    .unwrap();

    let done = app
        .finish_session(
            who,
            s.id,
            Minutes::new(35).unwrap(),
            backstop_core::Rpe::new(6.0).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(done.session.minutes, Some(Minutes::new(35).unwrap()));
    assert!(
        app.open_session(who).await.unwrap().is_none(),
        "a finished session is no longer open"
    );
}

async fn deleting_the_only_set_deletes_the_session_and_undo_brings_it_back(backend: &Backend) {
    let store = backend.store().await;
    let (app, who) = app_on(store.clone()).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    let s = app
        .start_session(who, now(), None, &set_doc("dead-bug", 8, 0), None)
        .await
        .map(|(s, _)| s)
        .unwrap();
    let removed = app.delete_set(who, s.id, 0, None).await.unwrap();
    assert!(removed.session_deleted);
    assert!(matches!(
        app.session(who, s.id).await,
        Err(AppError::Store(StoreError::NotFound("session")))
    ));
    let id = app.put_back(who, s.id, &removed.before, None).await.unwrap();
    assert_eq!(app.session(who, id).await.unwrap().session, removed.before);
}

async fn nobody_reaches_another_persons_session(backend: &Backend) {
    let store = backend.store().await;
    let (app, who) = app_on(store.clone()).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    let s = app
        .start_session(who, now(), None, &set_doc("dead-bug", 8, 0), None)
        .await
        .map(|(s, _)| s)
        .unwrap();
    let stranger = AthleteId(who.0 + 1000);
    let set = app.session(who, s.id).await.unwrap().session.sets[0].clone();
    assert!(store.session(stranger, s.id).await.unwrap().is_none());
    assert!(matches!(
        store.append_set(stranger, s.id, &set, None).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store
            .replace_session(stranger, s.id, &app.session(who, s.id).await.unwrap().session)
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.delete_session(stranger, s.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        app.session(who, s.id).await.unwrap().session.sets.len(),
        1,
        "untouched"
    );
}

async fn bad_sets_and_impossible_start_times_are_refused_before_anything_is_written(backend: &Backend) {
    let store = backend.store().await;
    let (app, who) = app_on(store.clone()).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    let before = store.revision(who).await.unwrap();
    let unknown = app
        .start_session(who, now(), None, &set_doc("no-such-lift", 8, 0), None)
        .await
        .map(|(s, _)| s);
    assert!(
        matches!(unknown, Err(AppError::Input(ref m)) if m.contains("no-such-lift")),
        "{unknown:?}"
    );
    let future = app
        .start_session(
            who,
            now() + jiff::SignedDuration::from_hours(1),
            None,
            &set_doc("dead-bug", 8, 0),
            None,
        )
        .await
        .map(|(s, _)| s);
    assert!(matches!(future, Err(AppError::Input(_))));
    let old = app
        .start_session(
            who,
            now() - jiff::SignedDuration::from_hours(30),
            None,
            &set_doc("dead-bug", 8, 0),
            None,
        )
        .await
        .map(|(s, _)| s);
    assert!(matches!(
        old,
        Err(AppError::Refused {
            remedy: backstop_app::Remedy::LogPastSession,
            ..
        })
    ));
    assert_eq!(store.revision(who).await.unwrap(), before);
}

async fn the_cached_assessment_is_reused_until_a_fact_changes(backend: &Backend) {
    let store = backend.store().await;
    let (app, who) = populated(store).await;
    let ctx = app.context(who).await.unwrap();
    let a = app.assess_cached(&ctx, who).await.unwrap();
    let b = app.assess_cached(&ctx, who).await.unwrap();
    assert!(Arc::ptr_eq(&a, &b), "nothing changed: the same assessment");
    app.checkin(who, checkin_input("2026-11-20 08:00", 5))
        .await
        .unwrap();
    let c = app.assess_cached(&ctx, who).await.unwrap();
    assert!(!Arc::ptr_eq(&a, &c), "a new check-in makes a new assessment");
    assert!(c.revision > a.revision);
}

/// A clock moved by hand.
struct HandClock(std::sync::Mutex<Timestamp>);

impl backstop_app::clock::Clock for HandClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

/// A kept assessment that can no longer be reused goes at the next one kept: a clinic's server holds one for the
/// people active in the last moments, not for everyone it ever assessed; one from before a session goes once that
/// session is no longer in progress. Reassessed, a person gets what a fresh server would.
async fn assessments_that_can_no_longer_be_reused_are_not_kept(backend: &Backend) {
    use backstop_app::clock::Clock as _;
    use backstop_app::store::{NewAccount, Role};
    use jiff::SignedDuration;
    let store = backend.store().await;
    let clock = Arc::new(HandClock(std::sync::Mutex::new(now())));
    let app = App::new(Arc::clone(&store), clock.clone()).unwrap();
    let me = app.local_athlete().await.unwrap();
    let kim = store
        .add_account(
            &NewAccount {
                email: "kim@example.com".into(),
                name: "Kim".into(),
                role: Role::Athlete,
                password_phc: "$argon2id$v=19$m=19456,t=2,p=1$salt$kim".into(),
            },
            now(),
        )
        .await
        .unwrap()
        .athlete
        .unwrap();
    for who in [me, kim] {
        app.init(who, profile(), Some(vec![])).await.unwrap();
    }
    let (mine, kims) = (app.context(me).await.unwrap(), app.context(kim).await.unwrap());
    let first = app.assess_cached(&mine, me).await.unwrap();
    app.assess_cached(&kims, kim).await.unwrap();
    assert_eq!(app.kept_assessments().0, 2, "both reusable for now");
    let (s, _) = app
        .start_session(me, now(), None, &set_doc("dead-bug", 8, 1), None)
        .await
        .unwrap();
    app.assess_before(&mine, me, s.session.at).await.unwrap();
    assert_eq!(app.kept_assessments().1, 1);

    let later = |by: SignedDuration| *clock.0.lock().unwrap() += by;
    later(backstop_app::live::ASSESSMENT_REUSE + SignedDuration::from_secs(1));
    let again = app.assess_cached(&mine, me).await.unwrap();
    assert_eq!(
        app.kept_assessments().0,
        1,
        "Kim's can no longer be reused: it went"
    );
    let fresh = App::new(Arc::clone(&store), clock.clone()).unwrap();
    let anew = fresh.assess_cached(&mine, me).await.unwrap();
    assert_eq!(again.assessment.sessions, anew.assessment.sessions);
    assert_eq!(
        first.assessment.sessions.len() + 1,
        again.assessment.sessions.len()
    );
    // Seven hours on, the session is no longer in progress: the assessment from before it goes at the next one
    // kept from before a session.
    later(SignedDuration::from_hours(7));
    let at = clock.now();
    let (s, _) = app
        .start_session(kim, at, None, &set_doc("dead-bug", 8, 1), None)
        .await
        .unwrap();
    app.assess_before(&kims, kim, s.session.at).await.unwrap();
    assert_eq!(
        app.kept_assessments().1,
        1,
        "only Kim's, whose session is in progress"
    );
}

/// Issue 17: requests that miss the kept assessment together (the first after a start or a write) wait for one
/// assessment instead of each reading the whole history at once; on ten years of history eight at once held eight
/// copies of it (`serve` at 105 MB resident instead of 39 MB).
async fn requests_that_miss_the_kept_assessment_together_share_one(backend: &Backend) {
    let (app, who) = populated(backend.store().await).await;
    let ctx = app.context(who).await.unwrap();
    let (a, b, c, d) = tokio::join!(
        app.assess_cached(&ctx, who),
        app.assess_cached(&ctx, who),
        app.assess_cached(&ctx, who),
        app.assess_cached(&ctx, who)
    );
    let first = a.unwrap();
    for other in [b, c, d] {
        assert!(Arc::ptr_eq(&first, &other.unwrap()), "one assessment, shared");
    }
}

/// On a fresh store: the assessment a plan is shown from, then (after a raised morning's check-in, when `checkin`) a
/// session started `early` before that assessment's moment; that assessment and the session's "before" one.
async fn shown_then_started(
    backend: &Backend,
    early: jiff::SignedDuration,
    checkin: bool,
) -> (
    Arc<backstop_app::live::CachedAssessment>,
    Arc<backstop_app::live::CachedAssessment>,
) {
    let (app, who) = populated(backend.store().await).await;
    let ctx = app.context(who).await.unwrap();
    let shown = app.assess_cached(&ctx, who).await.unwrap();
    if checkin {
        app.checkin(who, checkin_input("2026-11-25 08:00", 6))
            .await
            .unwrap();
    }
    let (s, _) = app
        .start_session(who, now() - early, None, &set_doc("dead-bug", 8, 1), None)
        .await
        .unwrap();
    let before = app.assess_before(&ctx, who, s.session.at).await.unwrap();
    (shown, before)
}

/// Issue 17: a session started from the plan just shown keeps the assessment that plan came from as its "before"
/// assessment, so its first page reads and assesses nothing again; the plan is the one a fresh server would make.
/// Not when anything else was written since that assessment, nor for a session that starts well before it was made
/// (a session logged late), though one stamped a few seconds before it (the page's start, then the page) is.
async fn a_session_started_from_the_plan_just_shown_keeps_its_assessment(backend: &Backend) {
    use backstop_core::plan::{Readiness, plan};
    use jiff::SignedDuration;
    let store = backend.store().await;
    let (app, who) = populated(store.clone()).await;
    let ctx = app.context(who).await.unwrap();
    let day = backstop_core::time::civil_date(now(), &ctx.tz);
    let plan_of = |c: &backstop_app::live::CachedAssessment| {
        plan(
            &c.assessment,
            &ctx.profile,
            &ctx.catalog,
            Readiness::default(),
            day,
        )
    };
    let shown = app.assess_cached(&ctx, who).await.unwrap();
    let (s, _) = app
        .start_session(who, now(), None, &set_doc("dead-bug", 8, 1), None)
        .await
        .unwrap();
    let before = app.assess_before(&ctx, who, s.session.at).await.unwrap();
    assert!(Arc::ptr_eq(&shown, &before), "the shown assessment is kept");
    let (fresh, _) = app_on(store.clone()).await;
    let recomputed = fresh.assess_before(&ctx, who, s.session.at).await.unwrap();
    assert!(!Arc::ptr_eq(&before, &recomputed));
    assert_eq!(plan_of(&before), plan_of(&recomputed));

    // A check-in written after the plan was shown: the session's "before" is worked out again, with it.
    let (shown, before) = shown_then_started(backend, SignedDuration::ZERO, true).await;
    assert!(!Arc::ptr_eq(&shown, &before), "a fact written since: not kept");
    assert_ne!(
        plan_of(&shown),
        plan_of(&before),
        "the raised morning changes the plan"
    );
    // Stamped a second before the assessment its page was drawn from: kept.
    let (shown, before) = shown_then_started(backend, SignedDuration::from_secs(1), false).await;
    assert!(Arc::ptr_eq(&shown, &before), "a start a second before: kept");
    // Logged as having started ten minutes before the plan was shown: not kept.
    let (shown, before) = shown_then_started(backend, SignedDuration::from_mins(10), false).await;
    assert!(!Arc::ptr_eq(&shown, &before), "an earlier start: not kept");
}

/// Issue 17: a check-in with its assessments before and after reads the facts once, and the "after" assessment is
/// the one a fresh read gives (for a back-dated check-in too); the verdicts it settled are the ones that differ.
async fn a_check_in_assessed_once_matches_assessing_again(backend: &Backend) {
    let store = backend.store().await;
    let (app, who) = populated(store.clone()).await;
    let json = |a: &backstop_core::engine::Assessment| serde_json::to_value(a).unwrap();
    // A later one first, then two back-dated to the same moment before it.
    for at in ["2026-11-19 07:30", "2026-11-18 08:00", "2026-11-18 08:00"] {
        let before_fresh = app.assess(who, None).await.unwrap().1;
        let (_, before, out, after) = app.checkin_assessed(who, checkin_input(at, 5)).await.unwrap();
        assert_eq!(json(&before), json(&before_fresh), "{at}");
        assert_eq!(out.checkin.pain.value(), 5);
        let (_, after_fresh) = app.assess(who, None).await.unwrap();
        assert_eq!(json(&after), json(&after_fresh), "{at}");
    }
}

async fn sets_added_to_the_newest_session_leave_the_history_revision_alone(backend: &Backend) {
    let store = backend.store().await;
    let (app, who) = populated(store.clone()).await;
    let older = app.history(who, None, None).await.unwrap().last().unwrap().id;
    let newest = app
        .start_session(
            who,
            now() - jiff::SignedDuration::from_mins(30),
            None,
            &set_doc("dead-bug", 8, 0),
            None,
        )
        .await
        .map(|(s, _)| s)
        .unwrap();
    let (r0, h0) = (
        store.revision(who).await.unwrap(),
        store.history_revision(who).await.unwrap(),
    );
    assert_eq!(
        store.revisions(who).await.unwrap(),
        (r0, h0),
        "both revisions read together are the two read apart"
    );
    assert!(matches!(
        store.revisions(AthleteId(who.0 + 1000)).await,
        Err(StoreError::NotFound(_))
    ));
    app.log_set(who, newest.id, &set_doc("dead-bug", 8, 1), None)
        .await
        .unwrap();
    let (r1, h1) = store.revisions(who).await.unwrap();
    assert!(r1 > r0, "every change moves the revision");
    assert_eq!(
        h1, h0,
        "the session in progress does not change the history before it"
    );
    app.log_set(who, older, &set_doc("dead-bug", 8, 1), None)
        .await
        .unwrap();
    assert!(
        store.history_revision(who).await.unwrap() > h1,
        "a set added to an older session does"
    );
    let h2 = store.history_revision(who).await.unwrap();
    app.checkin(who, checkin_input("2026-11-20 08:00", 1))
        .await
        .unwrap();
    assert!(
        store.history_revision(who).await.unwrap() > h2,
        "so does any other fact"
    );
}

async fn a_repeated_first_set_joins_the_session_it_created(backend: &Backend) {
    let store = backend.store().await;
    let (app, who) = app_on(store).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    let at = now() - jiff::SignedDuration::from_mins(10);
    let a = app
        .start_session(who, at, None, &set_doc("dead-bug", 8, 0), None)
        .await
        .map(|(s, _)| s)
        .unwrap();
    let b = app
        .start_session(who, at, None, &set_doc("dead-bug", 8, 0), None)
        .await
        .map(|(s, _)| s)
        .unwrap();
    assert_eq!(a.id, b.id);
    assert_eq!(b.session.sets.len(), 2);
    assert_eq!(app.history(who, None, None).await.unwrap().len(), 1);
    // Another start is another session; a retry of the first still joins the first, under way beside it.
    let app = &app;
    let start = |at| async move {
        app.start_session(who, at, None, &set_doc("dead-bug", 8, 0), None)
            .await
            .map(|(s, _)| s)
            .unwrap()
    };
    let later = now() - jiff::SignedDuration::from_mins(2);
    let c = start(later).await;
    assert_ne!(c.id, a.id);
    let retried = start(at).await;
    assert_eq!((retried.id, retried.session.sets.len()), (a.id, 3));
    // A finished session is not joined: a start at its instant is a session of its own.
    app.finish_session(who, c.id, Minutes::new(30).unwrap(), Rpe::new(6.0).unwrap())
        .await
        .unwrap();
    let after_finish = start(later).await;
    assert_ne!(after_finish.id, c.id);
    assert_eq!(app.history(who, None, None).await.unwrap().len(), 3);
    // A start older than the window a session stays open is refused (it would vanish from the gym page).
    let stale = app
        .start_session(
            who,
            now() - jiff::SignedDuration::from_hours(7),
            None,
            &set_doc("dead-bug", 8, 0),
            None,
        )
        .await
        .map(|(s, _)| s);
    assert!(matches!(
        stale,
        Err(AppError::Refused {
            remedy: backstop_app::Remedy::LogPastSession,
            ..
        })
    ));
}

/// Migration 0007: a profile stored before the clinical corrections with every threshold, the old default ceiling
/// rise (2) included, gets the corrected default; a threshold the person changed is kept; new versions store only
/// what differs from the defaults.
#[tokio::test]
async fn the_corrected_ceiling_reaches_profiles_stored_with_the_old_default() {
    use backstop_core::engine::Settings;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .unwrap();
    // The schema as it was before migration 7.
    let mut before = sqlx::migrate!("./migrations/sqlite");
    before.migrations = before
        .migrations
        .iter()
        .filter(|m| m.version < 7)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    before.run(&pool).await.unwrap();
    let mut old = serde_json::to_value(Settings::default()).unwrap();
    old["ceiling_rise"] = 2.into();
    old.as_object_mut().unwrap().remove("morning_red_rise");
    let mut changed = old.clone();
    changed["ceiling_max"] = 4.into();
    sqlx::query("INSERT INTO athletes (id, created_at_ms) VALUES (1, 0)")
        .execute(&pool)
        .await
        .unwrap();
    for (at, settings) in [(1, &old), (2, &changed)] {
        sqlx::query(
            "INSERT INTO profile_versions (athlete_id, recorded_at_ms, units, time_zone, equipment, days, minutes,
                                           baseline_pain, aggravators, settings)
             VALUES (1, ?, 'kg', 'UTC', '[]', '[\"mon\"]', 40, 2, '[]', ?)",
        )
        .bind(at)
        .bind(settings.to_string())
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
    let store = SqliteStore::open(&path).await.unwrap();
    let versions = store.profile_versions(AthleteId(1)).await.unwrap();
    assert_eq!(versions[0].profile.settings, Settings::default());
    assert_eq!(versions[0].profile.settings.ceiling(0), 5);
    assert_eq!(
        versions[1].profile.settings.ceiling_max, 4,
        "a changed threshold is kept"
    );
    assert_eq!(versions[1].profile.usual_leg_symptoms, None);
    // A new version keeps only what differs from the defaults, and the usual leg symptoms.
    let mut p = profile();
    p.settings.park_days = 21;
    p.usual_leg_symptoms = Some(backstop_core::LegReach::Thigh);
    let (app, who) = app_on(Arc::new(store)).await;
    assert_eq!(who, AthleteId(1));
    app.init(who, p.clone(), None).await.unwrap();
    let url = format!("sqlite://{}", path.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let (stored, leg): (String, Option<String>) =
        sqlx::query_as("SELECT settings, usual_leg_symptoms FROM profile_versions ORDER BY id DESC LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, r#"{"park_days":21}"#);
    assert_eq!(leg.as_deref(), Some("thigh"));
}

/// A populated SQLite file taken back to an older sets table: `old_table` (a migration's own text, run as it is)
/// recreates it over the same rows, and migration `version` is marked as not applied, so that opening the file runs
/// it again. The file's folder (kept for the test's length), its path, what it held, and a pool on it.
async fn file_before_migration(
    old_table: String,
    version: i64,
) -> (tempfile::TempDir, std::path::PathBuf, Backup, sqlx::SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let (app, who) = populated(Arc::new(SqliteStore::open(&path).await.unwrap())).await;
    let before = app.export(who).await.unwrap();
    drop(app);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let mut tx = pool.begin().await.unwrap();
    // A migration file of this repository: no input of anyone's in it.
    sqlx::raw_sql(sqlx::AssertSqlSafe(old_table))
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?")
        .bind(version)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (dir, path, before, pool)
}

/// Migration 0008: the sets table is rebuilt to take up to 999 reps; the sets stored before it survive with every
/// column, its revision triggers still work, and a set of 150 reps can be stored afterwards.
#[tokio::test]
async fn sets_stored_before_the_reps_rebuild_survive_it_and_150_reps_fit_after() {
    // The old table, with its old constraint, holding the same rows.
    let old_table = include_str!("../../migrations/sqlite/0008_reps_to_999.sql")
        .replace("BETWEEN 1 AND 999", "BETWEEN 1 AND 100");
    let (_dir, path, before, pool) = file_before_migration(old_table, 8).await;
    let url = format!("sqlite://{}", path.display());
    let refused = sqlx::query("UPDATE sets SET reps = 150 WHERE reps IS NOT NULL")
        .execute(&pool)
        .await;
    assert!(refused.is_err(), "the old constraint is back");
    pool.close().await;
    // Opening it runs 0008 again.
    let (app, who) = app_on(Arc::new(SqliteStore::open(&path).await.unwrap())).await;
    assert_eq!(app.export(who).await.unwrap(), before);
    let calf =
        r#"{"at": "2026-11-20T18:00:00+01:00", "sets": [{"exercise": "dead-bug", "reps": 150, "pain": 1}]}"#;
    app.log_document(who, calf, "calf.json", &SessionOptions::default())
        .await
        .unwrap();
    let after = app.export(who).await.unwrap();
    assert_eq!(after.sessions.len(), before.sessions.len() + 1);
    drop(app);
    // The triggers came back with the table: changing or deleting a set raises the person's revision.
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let rev = || async {
        sqlx::query_scalar::<_, i64>("SELECT revision FROM athletes WHERE id = 1")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let r0 = rev().await;
    sqlx::query("UPDATE sets SET pain = 2 WHERE reps = 150")
        .execute(&pool)
        .await
        .unwrap();
    let r1 = rev().await;
    sqlx::query("DELETE FROM sets WHERE reps = 150")
        .execute(&pool)
        .await
        .unwrap();
    assert!(rev().await > r1 && r1 > r0, "{r0} {r1}");
}

/// A server's store copies the write-ahead log back into the database in the background: after a write that leaves
/// the log holding more than a default checkpoint would have let it (1,000 pages), the database file itself grows
/// within a few seconds with no further write, and the task stops when the store is closed.
#[tokio::test]
async fn a_servers_store_checkpoints_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.db");
    let store = SqliteStore::open_for_server(&path, 4).await.unwrap();
    let (app, who) = app_on(Arc::new(store.clone())).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    let size = || std::fs::metadata(&path).unwrap().len();
    let before = size();
    // About 6 MB of history in one write: 1,500 pages and more, all in the log.
    let rows: String = std::iter::once(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
            .to_owned(),
    )
    .chain((0..60_000).map(|i| {
        format!(
            "{} 18:00:00,Back day,1h,Lat Pulldown (Cable),{},40,8,0,0,,,8\n",
            jiff::civil::date(2015, 1, 1)
                .checked_add(jiff::Span::new().days(i / 20))
                .unwrap(),
            i % 20 + 1
        )
    }))
    .collect();
    let req = backstop_app::ImportRequest {
        unit: Some(WeightUnit::Kg),
        ..Default::default()
    };
    app.import_history(who, rows.as_bytes(), "big.csv", req, &mut |_| {})
        .await
        .unwrap();
    let wal = std::fs::metadata(path.with_extension("db-wal")).unwrap().len();
    assert!(
        wal > 4 * 1024 * 1024,
        "the write left the log to the task: {wal} bytes"
    );
    let mut waited = 0;
    while size() < before + 4 * 1024 * 1024 {
        assert!(waited < 100, "no checkpoint after 10 s: {} bytes", size());
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    store.close().await;
}

/// Migration 0012: the sets table's CHECK constraints lose their `IN` lists (slow on every row SQLite writes) for
/// comparisons joined by OR. The sets stored before survive with every column, and the rebuilt table refuses exactly
/// what the old one did: an unknown "felt" or kind, a form flag other than 0 or 1, a missing value.
#[tokio::test]
async fn sets_survive_the_check_rebuild_and_its_constraints_refuse_what_they_did() {
    // Back to the table as 0008 left it, with its `IN` lists.
    let old_table = include_str!("../../migrations/sqlite/0008_reps_to_999.sql").to_owned();
    let (_dir, path, before, pool) = file_before_migration(old_table, 12).await;
    let schema = || async {
        sqlx::query_scalar::<_, String>("SELECT sql FROM sqlite_master WHERE name = 'sets'")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    assert!(schema().await.contains("felt IN ("));
    // Opening it runs 0012 again.
    let (app, who) = app_on(Arc::new(SqliteStore::open(&path).await.unwrap())).await;
    assert_eq!(app.export(who).await.unwrap(), before);
    drop(app);
    let rebuilt = schema().await;
    assert!(!rebuilt.contains(" IN ("), "{rebuilt}");
    // Each refused value, in an otherwise valid row of an existing session.
    let session: i64 = sqlx::query_scalar("SELECT MIN(id) FROM sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    let insert = |felt: Option<&'static str>, form: i64, kind: &'static str| {
        sqlx::query(
            "INSERT INTO sets (session_id, athlete_id, position, exercise_id, reps, felt, form_breakdown, kind)
             VALUES (?, 1, 900, 'dead-bug', 8, ?, ?, ?)",
        )
        .bind(session)
        .bind(felt)
        .bind(form)
        .bind(kind)
    };
    for (felt, form, kind) in [
        (Some("elsewhere"), 0, "normal"),
        (None, 0, "normal"),
        (Some("target"), 2, "normal"),
        (Some("target"), 0, "bogus"),
        (Some("TARGET"), 0, "normal"),
    ] {
        assert!(
            insert(felt, form, kind).execute(&pool).await.is_err(),
            "{felt:?} {form} {kind} was stored"
        );
    }
    for (felt, form, kind) in [("back", 1, "warmup"), ("leg", 0, "failure")] {
        insert(Some(felt), form, kind).execute(&pool).await.unwrap();
        sqlx::query("DELETE FROM sets WHERE position = 900")
            .execute(&pool)
            .await
            .unwrap();
    }
}

/// Issue 15, point 3: a session with a million sets used to be accepted, and every later read paid for it. A
/// session holds at most `MAX_SETS_PER_SESSION` sets, by document, by notation and set by set.
async fn a_session_holds_at_most_300_sets_however_they_come(backend: &Backend) {
    use backstop_core::facts::MAX_SETS_PER_SESSION;
    let store = backend.store().await;
    let (app, who) = app_on(store.clone()).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    // A document of 301 sets: refused whole, nothing stored.
    let sets: Vec<serde_json::Value> = (0..=MAX_SETS_PER_SESSION)
        .map(|_| serde_json::json!({ "exercise": "dead-bug", "reps": 8, "pain": 1 }))
        .collect();
    let doc = serde_json::json!({ "at": "2026-11-20T18:00:00+01:00", "sets": sets }).to_string();
    let e = app
        .log_document(who, &doc, "big.json", &SessionOptions::default())
        .await
        .unwrap_err();
    assert!(
        e.is_input() && e.to_string().contains("at most 300 sets; this one has 301"),
        "{e}"
    );
    // The same by notation (15 groups of 20 sets, and one more).
    let mut groups: Vec<String> = (0..15).map(|_| "dead-bug 20x8 p1".to_owned()).collect();
    groups.push("dead-bug 1x8 p1".into());
    let e = app
        .log_groups(who, &groups, &SessionOptions::default())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("at most 300 sets"), "{e}");
    assert!(app.export(who).await.unwrap().sessions.is_empty());
    // Set by set: the 300th goes in, the 301st is refused.
    let s = app
        .start_session(
            who,
            now() - jiff::SignedDuration::from_mins(20),
            Some(Pain::new(2).unwrap()),
            &set_doc("chest-supported-row", 10, 1),
            None,
        )
        .await
        .map(|(s, _)| s)
        .unwrap();
    let last = "a1b2c3d4-last-set";
    for i in 1..MAX_SETS_PER_SESSION {
        let id = (i == MAX_SETS_PER_SESSION - 1).then_some(last);
        app.log_set(who, s.id, &set_doc("chest-supported-row", 10, 1), id)
            .await
            .unwrap();
    }
    let revision = store.revision(who).await.unwrap();
    let e = app
        .log_set(
            who,
            s.id,
            &set_doc("chest-supported-row", 10, 1),
            Some("refused-one"),
        )
        .await
        .unwrap_err();
    assert!(
        e.is_input() && e.to_string().contains("at most 300 sets; this one has 301"),
        "{e}"
    );
    // Refused whole: no receipt kept for it, no revision raised.
    assert_eq!(store.receipt(who, "refused-one").await.unwrap(), None);
    assert_eq!(store.revision(who).await.unwrap(), revision);
    // The last set sent again under its id (its answer was lost) is answered with its place, not refused.
    assert_eq!(
        app.log_set(who, s.id, &set_doc("chest-supported-row", 10, 1), Some(last))
            .await
            .unwrap()
            .position,
        MAX_SETS_PER_SESSION - 1
    );
    assert_eq!(
        app.session(who, s.id).await.unwrap().session.sets.len(),
        MAX_SETS_PER_SESSION
    );
}

/// A writer adds sessions and, after each, a check-in (two transactions); a reader that takes every fact in one
/// snapshot can never see more check-ins than sessions. Reading table by table can: the sessions before a write,
/// the check-ins after it.
async fn every_fact_is_read_from_one_snapshot(backend: &Backend) {
    use backstop_core::{Dose, Felt, Reps, Session, SetEntry, SetKind};
    let store = backend.store().await;
    let who = store.local_athlete(now()).await.unwrap();
    let writer_store = backend.reopen_last().await;
    let writer = tokio::spawn(async move {
        for i in 0..60_i64 {
            let at = now() - jiff::SignedDuration::from_hours(24 * (61 - i));
            let set = SetEntry {
                exercise: "dead-bug".into(),
                dose: Dose::Reps(Reps::new(8).unwrap()),
                load: None,
                rpe: None,
                pain: None,
                felt: Felt::Target,
                form_breakdown: false,
                kind: SetKind::Normal,
            };
            let session = Session {
                at,
                pain_before: None,
                minutes: None,
                session_rpe: None,
                sets: vec![set],
                notes: None,
                source: None,
            };
            writer_store
                .add_session(who, &session, now(), None)
                .await
                .unwrap();
            let checkin = checkin_at(at + jiff::SignedDuration::from_hours(14));
            writer_store.add_checkin(who, &checkin, now()).await.unwrap();
        }
    });
    let mut reads = 0;
    while !writer.is_finished() {
        let f = store.facts(who).await.unwrap();
        assert!(
            f.checkins.len() <= f.sessions.len(),
            "{} check-ins beside {} sessions: not one snapshot",
            f.checkins.len(),
            f.sessions.len()
        );
        reads += 1;
    }
    writer.await.unwrap();
    let f = store.facts(who).await.unwrap();
    assert_eq!((f.sessions.len(), f.checkins.len()), (60, 60));
    assert!(reads > 1, "the reader ran beside the writer");
}

/// An import stores its sets in statements of several hundred rows, the next bound while the last is stored, and
/// reads give them back a page of a few thousand rows at a time: every set of an import larger than a few statements
/// and than a page (a session's sets split between two pages) comes back in order with every value, whatever its kind
/// of dose, load, effort, pain, "felt" and kind, whole or as a range of sessions.
async fn a_large_import_comes_back_set_for_set(backend: &Backend) {
    use backstop_core::units::Load;
    use backstop_core::{Dose, Felt, Metres, Reps, Seconds, Session, SetEntry, SetKind};
    let store = backend.store().await;
    let who = store.local_athlete(now()).await.unwrap();
    let felt = [Felt::Target, Felt::Back, Felt::Leg];
    let kinds = [SetKind::Normal, SetKind::Warmup, SetKind::Drop, SetKind::Failure];
    let exercises = [
        "dead-bug",
        "goblet-squat",
        "farmer-carry",
        "front-plank",
        "lat-pulldown",
    ];
    // 131 workouts of 35 sets: 4,585 sets, nine full statements and a partial one; the 4,000th set is in the middle
    // of workout 115.
    let sessions: Vec<Session> = (0..131_u32)
        .map(|w| Session {
            at: now() - jiff::SignedDuration::from_hours(24 * (200 - i64::from(w))),
            pain_before: Pain::new((w % 11) as u8).ok(),
            minutes: Minutes::new(30 + w % 60).ok(),
            session_rpe: None,
            sets: (0..35_u32)
                .map(|k| {
                    let n = w * 35 + k;
                    SetEntry {
                        exercise: exercises[(n % 5) as usize].into(),
                        dose: match n % 3 {
                            0 => Dose::Reps(Reps::new(1 + n % 20).unwrap()),
                            1 => Dose::Seconds(Seconds::new(10 + n % 50).unwrap()),
                            _ => Dose::Metres(Metres::new(20 + n % 40).unwrap()),
                        },
                        load: (n % 4 != 0).then(|| Load::from_grams(2_500 * (n % 40)).unwrap()),
                        rpe: (n % 2 == 0).then(|| Rpe::new(6.0 + f64::from(n % 5) / 2.0).unwrap()),
                        pain: Pain::new((n % 11) as u8).ok().filter(|_| n % 7 != 0),
                        felt: felt[(n % 3) as usize],
                        form_breakdown: n % 5 == 0,
                        kind: kinds[(n % 4) as usize],
                    }
                })
                .collect(),
            notes: None,
            source: Some(format!("strong:{w}")),
        })
        .collect();
    let outcome = store.import_batch(who, &[], &sessions, now()).await.unwrap();
    assert_eq!((outcome.sessions_added, outcome.sets_added), (131, 4585));
    let stored: Vec<Session> = store
        .facts(who)
        .await
        .unwrap()
        .sessions
        .into_iter()
        .map(|s| s.session)
        .collect();
    assert_eq!(stored, sessions);
    let middle: Vec<Session> = store
        .sessions(who, Some(sessions[100].at), Some(sessions[120].at))
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.session)
        .collect();
    assert_eq!(middle, sessions[100..120]);
}

/// Calendar feed links: found by the token's hash while on, by nobody once turned off, and never another
/// person's.
async fn calendar_feed_links_open_one_calendar_until_turned_off(backend: &Backend) {
    let store = backend.store().await;
    let who = store.local_athlete(now()).await.unwrap();
    let hash = "a".repeat(64);
    assert_eq!(store.calendar_feed(&hash).await.unwrap(), None);
    store.add_calendar_feed(who, &hash, now()).await.unwrap();
    store
        .add_calendar_feed(who, &"b".repeat(64), now())
        .await
        .unwrap();
    assert_eq!(store.calendar_feed(&hash).await.unwrap(), Some(who));
    assert_eq!(store.calendar_feed(&"c".repeat(64)).await.unwrap(), None);
    // The same token twice is refused (a token is unique), and a stranger's revoke turns off nothing of theirs.
    assert!(store.add_calendar_feed(who, &hash, now()).await.is_err());
    assert_eq!(
        store
            .revoke_calendar_feeds(AthleteId(who.0 + 1000), now())
            .await
            .unwrap(),
        0
    );
    assert_eq!(store.calendar_feed(&hash).await.unwrap(), Some(who));
    assert_eq!(store.revoke_calendar_feeds(who, now()).await.unwrap(), 2);
    assert_eq!(store.calendar_feed(&hash).await.unwrap(), None);
    assert_eq!(store.revoke_calendar_feeds(who, now()).await.unwrap(), 0);
}

/// Signed-in browsers: a session opens only with its token, under the key it was granted with, until it lapses or is
/// signed out; signing out one leaves the others, and signing out everywhere ends all of them.
async fn browser_sessions_open_until_they_lapse_or_are_signed_out(backend: &Backend) {
    let store = backend.store().await;
    let (key, other_key) = ("k".repeat(64), "j".repeat(64));
    let (phone, laptop) = ("a".repeat(64), "b".repeat(64));
    let expires = now() + jiff::SignedDuration::from_hours(24);
    assert!(!store.web_session(&phone, &key, now()).await.unwrap());
    store.add_web_session(&phone, &key, now(), expires).await.unwrap();
    store
        .add_web_session(&laptop, &key, now(), expires)
        .await
        .unwrap();
    assert!(store.web_session(&phone, &key, now()).await.unwrap());
    assert!(
        !store.web_session(&phone, &other_key, now()).await.unwrap(),
        "another key"
    );
    assert!(!store.web_session(&"c".repeat(64), &key, now()).await.unwrap());
    assert!(!store.web_session(&phone, &key, expires).await.unwrap(), "lapsed");
    assert!(
        store.add_web_session(&phone, &key, now(), expires).await.is_err(),
        "a token is unique"
    );
    assert!(store.revoke_web_session(&phone, now()).await.unwrap());
    assert!(
        !store.revoke_web_session(&phone, now()).await.unwrap(),
        "already out"
    );
    assert!(!store.web_session(&phone, &key, now()).await.unwrap());
    assert!(store.web_session(&laptop, &key, now()).await.unwrap());
    store
        .add_web_session(&"d".repeat(64), &key, now(), expires)
        .await
        .unwrap();
    assert_eq!(store.revoke_web_sessions(now()).await.unwrap(), 2);
    assert!(!store.web_session(&laptop, &key, now()).await.unwrap());
    assert_eq!(store.revoke_web_sessions(now()).await.unwrap(), 0);
}

/// Offline logging (the web app's queue) and API retries: a set sent again under the id its device made for it is
/// stored once — the first set (which opens the session) and later ones, after its session was finished, and after
/// the set was deleted (a late retry does not bring it back); another person's ids are not theirs.
async fn a_set_sent_again_under_its_client_id_is_stored_once(backend: &Backend) {
    let store = backend.store().await;
    let (app, who) = app_on(store.clone()).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    let at = now() - jiff::SignedDuration::from_mins(10);
    let first = set_doc("dead-bug", 8, 1);
    let (a, p) = app
        .start_session(who, at, Some(Pain::new(3).unwrap()), &first, Some("q-1"))
        .await
        .unwrap();
    assert_eq!((a.session.sets.len(), p), (1, 0));
    let revision = store.revision(who).await.unwrap();
    let (b, p) = app
        .start_session(who, at, Some(Pain::new(3).unwrap()), &first, Some("q-1"))
        .await
        .unwrap();
    assert_eq!(
        (b.id, b.session.sets.len(), p),
        (a.id, 1, 0),
        "the first set again: nothing new"
    );
    assert_eq!(
        store.revision(who).await.unwrap(),
        revision,
        "and no fact changed"
    );
    // Each answer gives the set's place and the pain the session started from, a retry's too.
    let added = |position| AppendedSet {
        position,
        pain_before: Some(Pain::new(3).unwrap()),
    };
    assert_eq!(
        app.log_set(who, a.id, &set_doc("dead-bug", 8, 2), Some("q-2"))
            .await
            .unwrap(),
        added(1)
    );
    assert_eq!(
        app.log_set(who, a.id, &set_doc("dead-bug", 8, 2), Some("q-2"))
            .await
            .unwrap(),
        added(1)
    );
    assert_eq!(
        app.log_set(who, a.id, &set_doc("dead-bug", 8, 3), Some("q-3"))
            .await
            .unwrap(),
        added(2)
    );
    assert_eq!(app.session(who, a.id).await.unwrap().session.sets.len(), 3);
    assert_eq!(store.receipt(who, "q-2").await.unwrap(), Some((a.id, 1)));
    // Finished from another device, then the queue is sent again: still three sets, in one session.
    app.finish_session(who, a.id, Minutes::new(30).unwrap(), Rpe::new(6.0).unwrap())
        .await
        .unwrap();
    let (c, _) = app
        .start_session(who, at, None, &first, Some("q-1"))
        .await
        .unwrap();
    assert_eq!(c.id, a.id);
    app.log_set(who, a.id, &set_doc("dead-bug", 8, 2), Some("q-2"))
        .await
        .unwrap();
    assert_eq!(app.session(who, a.id).await.unwrap().session.sets.len(), 3);
    assert_eq!(app.history(who, None, None).await.unwrap().len(), 1);
    // Deleted by the person, then a late retry: it stays deleted.
    app.delete_set(who, a.id, 2, None).await.unwrap();
    app.log_set(who, a.id, &set_doc("dead-bug", 8, 3), Some("q-3"))
        .await
        .unwrap();
    assert_eq!(app.session(who, a.id).await.unwrap().session.sets.len(), 2);
    // Receipts are per person, and a bad id is refused before anything is written.
    let stranger = AthleteId(who.0 + 1000);
    assert_eq!(store.receipt(stranger, "q-2").await.unwrap(), None);
    let revision = store.revision(who).await.unwrap();
    for bad in ["", "has space", "ü", &"x".repeat(65)] {
        assert!(
            matches!(
                app.log_set(who, a.id, &set_doc("dead-bug", 8, 2), Some(bad))
                    .await,
                Err(AppError::Input(_))
            ),
            "{bad:?}"
        );
    }
    assert_eq!(store.revision(who).await.unwrap(), revision);
    // The store says whether it wrote: the session under a new client id is stored, under a received one it is not
    // (the app's start checks the receipt first; another instance can store it between that check and the write).
    let later = Session {
        at: now() - jiff::SignedDuration::from_mins(2),
        ..a.session.clone()
    };
    let stored = store.add_session(who, &later, now(), Some("q-9")).await.unwrap();
    assert!(stored.stored);
    assert_eq!(
        store.add_session(who, &later, now(), Some("q-9")).await.unwrap(),
        AddedSession {
            id: stored.id,
            stored: false
        }
    );
    assert_eq!(
        store.revision(who).await.unwrap(),
        revision + 1,
        "one write, not two"
    );
}

contract!(
    a_kept_context_follows_changes_made_by_another_instance,
    a_set_sent_again_under_its_client_id_is_stored_once,
    calendar_feed_links_open_one_calendar_until_turned_off,
    browser_sessions_open_until_they_lapse_or_are_signed_out,
    every_fact_is_read_from_one_snapshot,
    history_attaches_checkins_to_the_session_before_them,
    history_pages_and_day_ranges_read_only_their_sessions_and_agree_with_the_whole,
    restore_is_all_or_nothing,
    screens_and_clearances_drive_the_red_flag_state,
    nothing_can_be_logged_before_a_profile,
    a_session_grows_set_by_set_and_corrections_keep_order,
    deleting_the_only_set_deletes_the_session_and_undo_brings_it_back,
    nobody_reaches_another_persons_session,
    bad_sets_and_impossible_start_times_are_refused_before_anything_is_written,
    the_cached_assessment_is_reused_until_a_fact_changes,
    requests_that_miss_the_kept_assessment_together_share_one,
    assessments_that_can_no_longer_be_reused_are_not_kept,
    sets_added_to_the_newest_session_leave_the_history_revision_alone,
    a_repeated_first_set_joins_the_session_it_created,
    a_session_holds_at_most_300_sets_however_they_come,
    concurrent_writers_on_one_database_all_commit,
    a_large_import_comes_back_set_for_set,
    a_session_started_from_the_plan_just_shown_keeps_its_assessment,
    a_check_in_assessed_once_matches_assessing_again,
    a_fold_checkpoint_is_kept_and_discarded_by_a_fact_before_it_settled,
    a_load_report_from_a_checkpoint_equals_one_over_every_session,
    the_newest_session_of_a_range_is_found_alone,
    a_damaged_checkpoint_is_replaced_at_the_next_assessment,
);

/// The newest session of a range, under way or not, is the one a read of the whole range would find: by start,
/// then by id for two at one instant; finished and imported sessions are not under way; nothing outside the range.
async fn the_newest_session_of_a_range_is_found_alone(backend: &Backend) {
    let store = backend.store().await;
    let (_app, who) = populated(Arc::clone(&store)).await;
    let t = |m: i64| now() - jiff::SignedDuration::from_mins(m);
    let catalog = backstop_core::Catalog::builtin().unwrap();
    let sets = backstop_core::notation::parse_group("dead-bug 2x8", &catalog, backstop_core::WeightUnit::Kg)
        .unwrap();
    // (minutes before now, finished, imported): two under way at one instant, a finished one after them.
    for (k, (m, finished, imported)) in [
        (300, false, false),
        (200, true, false),
        (120, false, false),
        (120, false, false),
        (90, false, true),
        (60, true, false),
        (30, false, false),
    ]
    .into_iter()
    .enumerate()
    {
        let s = Session {
            at: t(m),
            pain_before: None,
            minutes: finished.then(|| Minutes::new(40).unwrap()),
            session_rpe: finished.then(|| Rpe::new(6.0).unwrap()),
            sets: sets.iter().take(1 + k % 2).cloned().collect(),
            notes: None,
            source: imported.then(|| format!("strong:{k}")),
        };
        store.add_session(who, &s, now(), None).await.unwrap();
    }
    let all = store.sessions(who, None, None).await.unwrap();
    let under_way = |s: &Session| s.minutes.is_none() && s.session_rpe.is_none() && s.source.is_none();
    for (from, to) in [
        (400, 0),
        (400, 30),
        (130, 100),
        (120, 119),
        (65, 55),
        (25, 0),
        (500, 400),
    ] {
        for wanted in [true, false] {
            let expected = all
                .iter()
                .rev()
                .find(|s| s.session.at >= t(from) && s.session.at < t(to) && under_way(&s.session) == wanted);
            let found = store.newest_session(who, t(from), t(to), wanted).await.unwrap();
            assert_eq!(
                found.as_ref(),
                expected,
                "{from}..{to} min ago, under way {wanted}"
            );
        }
    }
    // Two under way at one instant: the later one stored.
    let two = store
        .newest_session(who, t(120), t(119), true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        two.id,
        all.iter()
            .filter(|s| s.session.at == t(120))
            .map(|s| s.id)
            .max()
            .unwrap()
    );
    assert_eq!(two.session.sets.len(), 2);
}

/// Whether the person's context (as `app` gives it) has their own exercise `towel-dead-bug`.
async fn knows_towel_dead_bug(app: &App, who: AthleteId) -> bool {
    let ctx = app.context(who).await.unwrap();
    ctx.catalog.get("towel-dead-bug").is_some()
}

/// A server keeps each person's context (profile, catalog, care in force) between requests; what another instance
/// changes in any of them is seen on the next request, and so is what this one changes.
async fn a_kept_context_follows_changes_made_by_another_instance(backend: &Backend) {
    let (app, who) = app_on(backend.store().await).await;
    app.init(who, profile(), Some(vec![])).await.unwrap();
    assert_eq!(app.context(who).await.unwrap().profile.minutes.get(), 40);
    let (other, _) = app_on(backend.reopen_last().await).await;
    let minutes = |m| Profile {
        minutes: Minutes::new(m).unwrap(),
        ..profile()
    };
    other.init(who, minutes(55), None).await.unwrap();
    assert_eq!(app.context(who).await.unwrap().profile.minutes.get(), 55);
    let mut own = app
        .context(who)
        .await
        .unwrap()
        .catalog
        .get("dead-bug")
        .unwrap()
        .clone();
    own.id = "towel-dead-bug".into();
    own.name = "Towel dead bug".into();
    own.aliases.clear();
    other.add_exercises(who, vec![own]).await.unwrap();
    assert!(knows_towel_dead_bug(&app, who).await);
    // A set logged in the newest session leaves the kept context standing, and a change after it is seen.
    let opts = SessionOptions {
        at: Some("2026-11-24 18:00".into()),
        ..Default::default()
    };
    let s = other
        .log_groups(who, &["towel-dead-bug 1x8".into()], &opts)
        .await
        .unwrap();
    other
        .log_set(who, s.id, &set_doc("towel-dead-bug", 8, 1), None)
        .await
        .unwrap();
    assert!(knows_towel_dead_bug(&app, who).await);
    app.init(who, minutes(30), None).await.unwrap();
    assert_eq!(app.context(who).await.unwrap().profile.minutes.get(), 30);
    assert_eq!(other.context(who).await.unwrap().profile.minutes.get(), 30);
    // A session started here keeps the context for the requests after it; one started while another instance
    // changed the profile does not, even from a request that read the context before that change.
    let read_before = app.context(who).await.unwrap();
    other.init(who, minutes(65), None).await.unwrap();
    let first = set_doc("dead-bug", 8, 0);
    let ago = |m| now() - jiff::SignedDuration::from_mins(m);
    let start = app.start_session_in(&read_before, who, ago(5), None, &first, None);
    start.await.unwrap();
    assert_eq!(app.context(who).await.unwrap().profile.minutes.get(), 65);
    let start = app.start_session(who, ago(1), None, &first, None);
    start.await.unwrap();
    assert_eq!(app.context(who).await.unwrap().profile.minutes.get(), 65);
}

/// A set is written in one call that opens and ends its own transaction (SQLite): when a statement in it fails, or
/// the request that started it is given up at any moment, no connection is left inside the transaction. Another
/// process writes straight after each, and nothing half-written stays: every set either is there with its revision
/// raised or is not there at all.
#[tokio::test]
async fn a_set_write_that_fails_or_is_given_up_leaves_no_transaction_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sets.db");
    let store = Arc::new(SqliteStore::open_with(&path, 1).await.unwrap());
    let (app, who) = populated(store.clone()).await;
    let other = SqliteStore::open(&path).await.unwrap();
    let s = app
        .start_session(who, now(), None, &set_doc("dead-bug", 8, 1), None)
        .await
        .unwrap()
        .0;
    refuse_bird_dog(&path).await;
    let revision = store.revision(who).await.unwrap();
    let e = app
        .log_set(who, s.id, &set_doc("bird-dog", 8, 1), Some("refused"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("refused for the test"), "{e}");
    assert_eq!(store.revision(who).await.unwrap(), revision);
    assert_eq!(store.receipt(who, "refused").await.unwrap(), None);
    // Another process writes at once (a transaction left open would hold the write lock until its busy timeout).
    let started = std::time::Instant::now();
    other.add_checkin(who, &checkin_at(now()), now()).await.unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    // The same connection (the writer's own, kept after a failed statement whose rollback worked) takes the next set.
    let added = app
        .log_set(who, s.id, &set_doc("dead-bug", 8, 1), None)
        .await
        .unwrap();
    assert_eq!(added.position, 1);

    // Given up after a few microseconds to a few milliseconds: at every moment of the write (which moments a run
    // meets depends on the machine; the invariants below hold at each).
    for i in 0..40u64 {
        let held = app.session(who, s.id).await.unwrap().session.sets.len();
        let before = store.revision(who).await.unwrap();
        let id = format!("given-up-{i}");
        let _ = tokio::time::timeout(
            std::time::Duration::from_micros(i * i * 3),
            app.log_set(who, s.id, &set_doc("dead-bug", 8, 1), Some(&id)),
        )
        .await;
        // A write of this process waits for the set's write when it went ahead (the writer turn), so that what
        // follows sees it done; another process's write then must not wait for any transaction.
        store.add_checkin(who, &checkin_at(now()), now()).await.unwrap();
        let started = std::time::Instant::now();
        other.add_checkin(who, &checkin_at(now()), now()).await.unwrap();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "write {i} waited"
        );
        let after = app.session(who, s.id).await.unwrap().session.sets.len();
        let stored = store.receipt(who, &id).await.unwrap().is_some();
        assert_eq!(
            after,
            held + usize::from(stored),
            "write {i}: set and receipt together"
        );
        // The check-ins raised the revision by two; the set, when stored, by one more.
        assert_eq!(
            store.revision(who).await.unwrap(),
            before + 2 + i64::from(stored),
            "write {i}"
        );
    }
}

/// Makes every later insert of a `bird-dog` set into the SQLite file at `path` fail inside its transaction.
async fn refuse_bird_dog(path: &std::path::Path) {
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
    pool.close().await;
}

/// A check-in at `at` with pain 2 and nothing else.
fn checkin_at(at: Timestamp) -> backstop_core::CheckIn {
    backstop_core::CheckIn {
        at,
        pain: Pain::new(2).unwrap(),
        stiffness: None,
        muscle_soreness: false,
        leg_pain: false,
        numbness: false,
        weakness: false,
        leg_reach: None,
    }
}
