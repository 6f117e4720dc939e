//! Assess and plan over a ten-year history (about 1,500 sessions, 30,000 sets, 3,000 check-ins), ten times each,
//! printing the medians; then the assessment after one new set, resumed from a fold checkpoint, and the decoding
//! of that checkpoint from the store's binary form.
//!
//! Run: `cargo bench -p backstop-core --bench engine` (release profile). The figures go in the README.

// A benchmark times the core from the outside, which the core itself must never do.
#![allow(missing_docs, clippy::unwrap_used, clippy::disallowed_methods)]

use std::time::Instant;

use backstop_core::engine::{
    Checkpoint, History, KeepCheckpoint, Settings, assess, assess_resuming, fingerprint,
};
use backstop_core::plan::{Readiness, plan};
use backstop_core::vocab::{Equipment, Weekday};
use backstop_core::{Catalog, CheckIn, Minutes, Pain, Profile, Session, WeightUnit};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

fn main() {
    let catalog = Catalog::builtin().unwrap();
    let groups = [
        "chest-supported-row 4x10@30 p1",
        "lat-pulldown 4x10@45 p1",
        "trap-bar-deadlift 4x6@80 p2",
        "dead-bug 3x8 p0",
        "side-plank 3x30s p1",
        "face-pull 2x15@15 p0",
    ];
    let start = Timestamp::from_second(1_480_000_000).unwrap();
    let mut sessions = Vec::new();
    let mut checkins = Vec::new();
    for i in 0..1500i64 {
        let at = start + SignedDuration::from_hours(24 * (i * 10 / 4) + 18);
        let sets = groups
            .iter()
            .flat_map(|g| backstop_core::notation::parse_group(g, &catalog, WeightUnit::Kg).unwrap())
            .collect();
        sessions.push(Session {
            at,
            pain_before: Some(Pain::new(2).unwrap()),
            minutes: None,
            session_rpe: None,
            sets,
            notes: None,
            source: None,
        });
        for h in [14, 38] {
            checkins.push(CheckIn {
                at: at + SignedDuration::from_hours(h),
                pain: Pain::new(((i + h) % 4) as u8).unwrap(),
                stiffness: None,
                muscle_soreness: false,
                leg_pain: false,
                numbness: false,
                weakness: false,
                leg_reach: None,
            });
        }
    }
    let sets: usize = sessions.iter().map(|s| s.sets.len()).sum();
    let profile = Profile {
        units: WeightUnit::Kg,
        time_zone: "UTC".into(),
        equipment: Equipment::ALL.to_vec(),
        days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
        minutes: Minutes::new(60).unwrap(),
        baseline_pain: Pain::new(2).unwrap(),
        aggravators: vec![],
        training_years: None,
        settings: Settings::default(),
        goal_lifts: Vec::new(),
        usual_leg_symptoms: None,
        not_planned: Vec::new(),
    };
    let h = History {
        profile: &profile,
        sessions: &sessions,
        checkins: &checkins,
        flare_events: &[],
        screenings: &[],
        clearances: &[],
    };
    let now = sessions.last().unwrap().at + SignedDuration::from_hours(60);
    let mut assess_t = Vec::new();
    let mut plan_t = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let a = assess(&h, &catalog, &profile.settings, &TimeZone::UTC, now);
        assess_t.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let p = plan(&a, &profile, &catalog, Readiness::default(), a.date);
        plan_t.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(!p.items.is_empty());
    }
    assess_t.sort_by(f64::total_cmp);
    plan_t.sort_by(f64::total_cmp);
    println!(
        "{} sessions, {sets} sets, {} check-ins: assess median {:.1} ms, plan median {:.2} ms (10 runs)",
        sessions.len(),
        checkins.len(),
        assess_t[5],
        plan_t[5]
    );

    // A checkpoint kept at `now`, then one new set an hour later: the work of the first set of a session.
    let fp = fingerprint(&profile, &catalog, &profile.settings);
    let keep = Some(KeepCheckpoint {
        fingerprint: fp,
        every: 1,
        encode: |c| postcard::to_stdvec(c).ok(),
    });
    let (_, kept) = assess_resuming(&h, &catalog, &profile.settings, &TimeZone::UTC, now, None, keep);
    let stored = kept.unwrap().bytes;
    let cp: Checkpoint = postcard::from_bytes(&stored).unwrap();
    let later = now + SignedDuration::from_hours(1);
    let mut recent: Vec<Session> = sessions.iter().filter(|s| s.at >= cp.cut()).cloned().collect();
    let mut one = sessions.last().unwrap().clone();
    one.at = later;
    one.sets.truncate(1);
    recent.push(one);
    let h_recent = History {
        sessions: &recent,
        ..h
    };
    let mut decode_t = Vec::new();
    let mut resume_t = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        let c: Checkpoint = postcard::from_bytes(&stored).unwrap();
        decode_t.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let (a, _) = assess_resuming(
            &h_recent,
            &catalog,
            &profile.settings,
            &TimeZone::UTC,
            later,
            Some(c),
            None,
        );
        resume_t.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(a.sessions.len(), sessions.len() + 1);
    }
    decode_t.sort_by(f64::total_cmp);
    resume_t.sort_by(f64::total_cmp);
    println!(
        "one new set, resumed from a checkpoint of {} sessions ({} KB stored): assess median {:.2} ms, decoding the \
         checkpoint median {:.2} ms (21 runs)",
        cp.sessions(),
        stored.len() / 1024,
        resume_t[10],
        decode_t[10]
    );
}
