//! Fold checkpoints in the store: kept after an assessment, discarded by any fact written before they settled, and
//! an assessment resumed from one equal to the full fold of every fact.

use std::sync::{Arc, Mutex};

use backstop_app::clock::Clock;
use backstop_app::store::{AthleteId, Store, StoredCheckpoint};
use backstop_app::{App, CheckInInput, SessionOptions};
use backstop_core::engine::{History, assess};
use backstop_core::{Pain, Session};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use crate::backends::Backend;

/// A clock the test moves.
pub(crate) struct TestClock(Mutex<Timestamp>);

impl TestClock {
    fn set(&self, t: Timestamp) {
        *self.0.lock().unwrap() = t;
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

fn day(d: i64, hour: i64) -> Timestamp {
    "2026-09-01T00:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_hours(d * 24 + hour)
}

fn local(t: Timestamp) -> String {
    t.in_tz("Europe/Berlin")
        .unwrap()
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

const GROUPS: [&str; 4] = [
    "chest-supported-row 3x10@22.5 rpe7 p2",
    "goblet-squat 3x8@16 p3",
    "dead-bug 2x8 p1",
    "side-plank 2x25s p2",
];

async fn session_on(app: &App, who: AthleteId, at: Timestamp, group: usize, pain: u8) {
    let opts = SessionOptions {
        at: Some(local(at)),
        pain_before: Some(Pain::new(2).unwrap()),
        ..Default::default()
    };
    let g = GROUPS[group % GROUPS.len()].replace(" p2", &format!(" p{pain}"));
    app.log_groups(who, &[g, GROUPS[(group + 2) % GROUPS.len()].into()], &opts)
        .await
        .unwrap();
}

async fn checkin_on(app: &App, who: AthleteId, at: Timestamp, pain: u8) {
    let c = CheckInInput {
        at: Some(local(at)),
        pain: Some(Pain::new(pain).unwrap()),
        ..Default::default()
    };
    app.checkin(who, c).await.unwrap();
}

/// A person with `n` sessions every other day from day 0, each with a next-morning check-in; the clock `now` days in.
async fn trained(store: Arc<dyn Store>, n: i64, now: i64) -> (App, Arc<TestClock>, AthleteId) {
    let clock = Arc::new(TestClock(Mutex::new(day(now, 12))));
    let app = App::new(store, clock.clone()).unwrap();
    let who = app.local_athlete().await.unwrap();
    app.init(who, crate::profile(), Some(vec![])).await.unwrap();
    for k in 0..n {
        session_on(&app, who, day(2 * k, 17), k as usize, [2, 3, 5][k as usize % 3]).await;
        checkin_on(&app, who, day(2 * k + 1, 7), [2, 2, 4, 3][k as usize % 4]).await;
    }
    (app, clock, who)
}

/// The full fold of every stored fact at the app's now, as text: what an assessment from a checkpoint must equal.
async fn full_fold(app: &App, who: AthleteId) -> String {
    let ctx = app.context(who).await.unwrap();
    let f = app.facts(who).await.unwrap();
    let sessions: Vec<Session> = f.sessions.into_iter().map(|s| s.session).collect();
    let checkins: Vec<_> = f.checkins.into_iter().map(|c| c.checkin).collect();
    let h = History {
        profile: &ctx.profile,
        sessions: &sessions,
        checkins: &checkins,
        flare_events: &f.flare_events,
        screenings: &f.screenings,
        clearances: &f.clearances,
    };
    format!(
        "{:?}",
        assess(&h, &ctx.catalog, &ctx.profile.settings, &ctx.tz, app.now())
    )
}

async fn assessed(app: &App, who: AthleteId) -> String {
    format!("{:?}", app.assess(who, None).await.unwrap().1)
}

async fn kept(store: &Arc<dyn Store>, who: AthleteId) -> Option<StoredCheckpoint> {
    store.facts_resuming(who, day(0, 0)).await.unwrap().checkpoint
}

pub(crate) async fn a_fold_checkpoint_is_kept_and_discarded_by_a_fact_before_it_settled(backend: &Backend) {
    let store = backend.store().await;
    let (app, clock, who) = trained(Arc::clone(&store), 24, 60).await;
    assert!(kept(&store, who).await.is_none(), "none before an assessment");
    assert_eq!(assessed(&app, who).await, full_fold(&app, who).await);
    // It covers the sessions settled a week before now (96 h and 7 days: day 49 at noon), the last on day 46.
    let c = kept(&store, who).await.expect("24 settled sessions: one is kept");
    assert_eq!(
        c.cut,
        day(46, 17),
        "just after the last session it covers (to the millisecond, rounded down)"
    );
    assert_eq!(c.settled_from, day(50, 17), "96 h after that session");
    // Read from its cut on: only the sessions the fold still needs (the one at the cut's millisecond and the newest
    // before it), beside those since `since`.
    let r = store.facts_resuming(who, day(59, 0)).await.unwrap();
    assert_eq!(r.sessions_from, Some(day(44, 17)));
    assert_eq!(r.facts.sessions.len(), 2);
    assert_eq!(assessed(&app, who).await, full_fold(&app, who).await, "resumed");

    // Facts at or after the instant it settled leave it.
    clock.set(day(63, 12));
    session_on(&app, who, day(61, 17), 1, 6).await;
    checkin_on(&app, who, day(62, 7), 6).await;
    assert_eq!(kept(&store, who).await.as_ref(), Some(&c));
    assert_eq!(assessed(&app, who).await, full_fold(&app, who).await);

    // A check-in written for an instant before it settled discards it; the next assessment keeps a new one.
    checkin_on(&app, who, day(11, 7), 8).await;
    assert!(
        kept(&store, who).await.is_none(),
        "a back-dated check-in discards it"
    );
    assert_eq!(assessed(&app, who).await, full_fold(&app, who).await);
    assert!(kept(&store, who).await.is_some());

    // So do a back-dated session, a set added to an old session, a corrected one and a deleted one.
    session_on(&app, who, day(9, 17), 0, 7).await;
    assert!(
        kept(&store, who).await.is_none(),
        "a back-dated session discards it"
    );
    assert_eq!(assessed(&app, who).await, full_fold(&app, who).await);
    let old = store.sessions(who, None, None).await.unwrap().remove(3);
    assert!(kept(&store, who).await.is_some(), "kept again");
    store
        .append_set(who, old.id, &old.session.sets[0], None)
        .await
        .unwrap();
    assert!(
        kept(&store, who).await.is_none(),
        "a set added to an old session discards it"
    );
    assert_eq!(assessed(&app, who).await, full_fold(&app, who).await);
    let mut corrected = old.session.clone();
    corrected.sets.truncate(1);
    store.replace_session(who, old.id, &corrected).await.unwrap();
    assert!(
        kept(&store, who).await.is_none(),
        "a corrected session discards it"
    );
    assert_eq!(assessed(&app, who).await, full_fold(&app, who).await);
    store.delete_session(who, old.id).await.unwrap();
    assert!(kept(&store, who).await.is_none(), "a deleted session discards it");
    assert_eq!(assessed(&app, who).await, full_fold(&app, who).await);

    // One made from facts that changed while it was folded is not kept.
    let mut stale = kept(&store, who).await.expect("kept again");
    let revision = store.revision(who).await.unwrap();
    checkin_on(&app, who, day(63, 12), 2).await;
    stale.cut += SignedDuration::from_secs(1);
    assert!(!store.keep_checkpoint(who, revision, &stale).await.unwrap());
    assert!(kept(&store, who).await.is_some_and(|c| c.cut != stale.cut));

    // One for an earlier moment (a past day replayed) does not replace a later one of the same fingerprint.
    let latest = kept(&store, who).await.expect("kept");
    let mut older = latest.clone();
    older.cut -= SignedDuration::from_hours(24);
    let revision = store.revision(who).await.unwrap();
    assert!(!store.keep_checkpoint(who, revision, &older).await.unwrap());
    assert_eq!(kept(&store, who).await, Some(latest));

    // History pages read from the checkpoint's assessment still add up to the whole history.
    let ctx = app.context(who).await.unwrap();
    let c = app.assess_cached(&ctx, who).await.unwrap();
    assert!(c.sessions_from.is_some(), "assessed from the checkpoint");
    let whole = app.history(who, None, None).await.unwrap();
    let mut paged = Vec::new();
    for page in 0.. {
        let (entries, more) = app.history_page(&ctx, who, &c, page, 7).await.unwrap();
        paged.extend(entries.into_iter().map(|e| e.id));
        if !more {
            break;
        }
    }
    paged.sort_unstable();
    let mut ids: Vec<i64> = whole.iter().map(|e| e.id).collect();
    ids.sort_unstable();
    assert_eq!(paged, ids);

    // A stored state that cannot be read back (damaged, or another layout) is passed over: every fact is read.
    let good = kept(&store, who).await.expect("kept");
    let damaged = StoredCheckpoint {
        cut: good.cut + SignedDuration::from_hours(1),
        state: b"not a checkpoint".to_vec(),
        ..good
    };
    let revision = store.revision(who).await.unwrap();
    assert!(store.keep_checkpoint(who, revision, &damaged).await.unwrap());
    assert_eq!(assessed(&app, who).await, full_fold(&app, who).await);

    // A changed profile is another fingerprint: the kept one is passed over, and the result is still the full fold.
    app.init(who, crate::profile_with_pain(3), None).await.unwrap();
    assert_eq!(assessed(&app, who).await, full_fold(&app, who).await);
}

/// One edit of a history: what it is, on which day (back-dated ones included), with what pain.
#[derive(Debug, Clone)]
enum Edit {
    Session(i64, u8),
    CheckIn(i64, u8),
    Delete(usize),
    AddSet(usize),
    Later(i64),
}

/// A load report from a checkpointed assessment reads in full only the sessions of the weeks it shows, and the
/// earlier ones by their load inputs (one row each): it equals the report worked out from every session, and the
/// store's load inputs equal those of the sessions themselves, warm-ups, set RPEs and session ratings included.
pub(crate) async fn a_load_report_from_a_checkpoint_equals_one_over_every_session(backend: &Backend) {
    use backstop_core::load::{LoadInputs, report};
    use backstop_core::{Minutes, Rpe, SetKind};
    let store = backend.store().await;
    let (first, clock, who) = trained(Arc::clone(&store), 30, 70).await;
    // Sessions the report must estimate and rate in every way: warm-ups, set RPEs, minutes, a session RPE.
    let catalog = backstop_core::Catalog::builtin().unwrap();
    for (k, d) in [3i64, 9, 21, 41, 63].into_iter().enumerate() {
        let mut sets = backstop_core::notation::parse_group(
            "goblet-squat 4x8@16",
            &catalog,
            backstop_core::WeightUnit::Kg,
        )
        .unwrap();
        sets[0].kind = SetKind::Warmup;
        sets[0].rpe = Some(Rpe::new(5.0).unwrap());
        sets[1].rpe = Some(Rpe::new(7.5).unwrap());
        sets[2].rpe = (k % 2 == 0).then(|| Rpe::new(9.0).unwrap());
        let s = Session {
            at: day(d, 9),
            pain_before: None,
            // Minutes only, a session RPE only, both (a rated session), neither.
            minutes: (k % 2 == 1).then(|| Minutes::new(35).unwrap()),
            session_rpe: (k >= 3).then(|| Rpe::new(6.5).unwrap()),
            sets,
            notes: None,
            source: None,
        };
        store.add_session(who, &s, day(d, 10), None).await.unwrap();
    }
    let every: Vec<Session> = store
        .sessions(who, None, None)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.session)
        .collect();
    for before in [day(0, 0), day(21, 9), day(21, 10), day(100, 0)] {
        let expected: Vec<LoadInputs> = every
            .iter()
            .filter(|s| s.at < before)
            .map(LoadInputs::of)
            .collect();
        assert_eq!(
            store.session_loads(who, before).await.unwrap(),
            expected,
            "before {before}"
        );
    }
    assert!(every.iter().any(|s| LoadInputs::of(s).estimated().is_some()));
    assert!(every.iter().any(|s| LoadInputs::of(s).load() > 0.0));

    // The first assessment folds every session and keeps a checkpoint; a second instance resumes from it.
    first.assess(who, None).await.unwrap();
    let app = App::new(Arc::clone(&store), clock).unwrap();
    let ctx = app.context(who).await.unwrap();
    let kept_now = app.assess_cached(&ctx, who).await.unwrap();
    assert!(kept_now.sessions_from.is_some(), "assessed from a checkpoint");
    for (date, weeks) in [
        (None, 1),
        (None, 2),
        (None, 8),
        (Some("2026-10-20"), 3),
        (Some("2026-09-14"), 1),
    ] {
        let (_, got) = app.load_report(who, date, weeks).await.unwrap();
        let verdicts = match date {
            None => app.assess(who, None).await.unwrap().1.sessions,
            Some(d) => app.assess(who, Some(d)).await.unwrap().1.sessions,
        };
        let whole = report(
            &every,
            &[],
            &verdicts,
            &ctx.catalog,
            &ctx.tz,
            ctx.profile.units,
            got.from,
            got.to,
        );
        assert_eq!(got, whole, "{date:?}, {weeks} weeks");
    }
}

/// A kept checkpoint that no longer reads back (its state cut short) is replaced by the next one made at its cut:
/// assessments fold every fact meanwhile, with the same result. The same checkpoint again writes nothing, and one made
/// for an earlier cut never replaces a later one.
pub(crate) async fn a_damaged_checkpoint_is_replaced_at_the_next_assessment(backend: &Backend) {
    let store = backend.store().await;
    let (first, clock, who) = trained(Arc::clone(&store), 24, 60).await;
    first.assess(who, None).await.unwrap();
    let intact = kept(&store, who).await.expect("one is kept");
    let revision = store.revision(who).await.unwrap();
    assert!(
        !store.keep_checkpoint(who, revision, &intact).await.unwrap(),
        "the same again: nothing written"
    );
    let earlier = StoredCheckpoint {
        cut: intact.cut - SignedDuration::from_hours(48),
        ..intact.clone()
    };
    assert!(
        !store.keep_checkpoint(who, revision, &earlier).await.unwrap(),
        "an earlier cut"
    );
    let damaged = StoredCheckpoint {
        state: intact.state[..intact.state.len() / 2].to_vec(),
        ..intact.clone()
    };
    assert!(store.keep_checkpoint(who, revision, &damaged).await.unwrap());
    assert_eq!(kept(&store, who).await.as_ref(), Some(&damaged));
    // A second instance (nothing kept in memory) cannot read it, folds every fact, and keeps the intact one back.
    let app = App::new(Arc::clone(&store), clock).unwrap();
    assert_eq!(assessed(&app, who).await, full_fold(&app, who).await);
    assert_eq!(kept(&store, who).await.as_ref(), Some(&intact));
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0i64..70, 0u8..8).prop_map(|(d, p)| Edit::Session(d, p)),
        (0i64..70, 0u8..9).prop_map(|(d, p)| Edit::CheckIn(d, p)),
        (0usize..40).prop_map(Edit::Delete),
        (0usize..40).prop_map(Edit::AddSet),
        (1i64..6).prop_map(Edit::Later),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Whatever is written, back-dated or not, and whenever the person looks, the assessment (from a checkpoint
    /// where one is kept) is the full fold of every fact.
    #[test]
    fn assessments_from_checkpoints_equal_the_full_fold_through_random_edits(edits in prop::collection::vec(edit(), 1..10)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let backend = Backend::sqlite();
            let store = backend.store().await;
            let (app, clock, who) = trained(Arc::clone(&store), 20, 50).await;
            let mut today = 50;
            assert_eq!(assessed(&app, who).await, full_fold(&app, who).await);
            for e in edits {
                match e {
                    Edit::Session(d, p) => session_on(&app, who, day(d.min(today), 17), d as usize, p).await,
                    Edit::CheckIn(d, p) => checkin_on(&app, who, day(d.min(today), 7), p).await,
                    Edit::Delete(k) => {
                        let all = store.sessions(who, None, None).await.unwrap();
                        if !all.is_empty() {
                            store.delete_session(who, all[k % all.len()].id).await.unwrap();
                        }
                    }
                    Edit::AddSet(k) => {
                        let all = store.sessions(who, None, None).await.unwrap();
                        if !all.is_empty() {
                            let s = &all[k % all.len()];
                            store.append_set(who, s.id, &s.session.sets[0], None).await.unwrap();
                        }
                    }
                    Edit::Later(days) => {
                        today += days;
                        clock.set(day(today, 12));
                    }
                }
                assert_eq!(assessed(&app, who).await, full_fold(&app, who).await, "after {e:?}");
            }
            backend.finish().await;
        });
    }
}
