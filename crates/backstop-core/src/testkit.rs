//! Builders shared by the engine's and the planner's tests: histories from the compact notation, and a
//! generator of random histories for property tests.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use proptest::prelude::*;

use crate::catalog::Catalog;
use crate::engine::{Assessment, History, assess};
use crate::facts::{CheckIn, FlareEvent, Profile, Session};
use crate::units::{Minutes, Pain, WeightUnit};
use crate::vocab::{Aggravator, Equipment, Weekday};

pub fn catalog() -> Catalog {
    Catalog::builtin().unwrap()
}

pub fn profile(baseline: u8, aggravators: Vec<Aggravator>) -> Profile {
    Profile {
        units: WeightUnit::Kg,
        time_zone: "UTC".into(),
        equipment: Equipment::ALL.to_vec(),
        days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
        minutes: Minutes::new(60).unwrap(),
        baseline_pain: Pain::new(baseline).unwrap(),
        aggravators,
        training_years: None,
        settings: Default::default(),
        goal_lifts: Vec::new(),
        usual_leg_symptoms: None,
        not_planned: Vec::new(),
    }
}

/// Day `d` at `h` o'clock UTC, counting from Monday 2026-09-07.
pub fn at(d: i64, h: i64) -> Timestamp {
    Timestamp::from_second(1_788_739_200 + d * 86_400 + h * 3_600).unwrap()
}

pub fn session(when: Timestamp, pain_before: Option<u8>, groups: &[&str]) -> Session {
    let cat = catalog();
    let sets = groups
        .iter()
        .flat_map(|g| crate::notation::parse_group(g, &cat, WeightUnit::Kg).unwrap())
        .collect();
    Session {
        at: when,
        pain_before: pain_before.map(|p| Pain::new(p).unwrap()),
        minutes: None,
        session_rpe: None,
        sets,
        notes: None,
        source: None,
    }
}

pub fn checkin(when: Timestamp, pain: u8) -> CheckIn {
    CheckIn {
        at: when,
        pain: Pain::new(pain).unwrap(),
        stiffness: None,
        muscle_soreness: false,
        leg_pain: false,
        numbness: false,
        weakness: false,
        leg_reach: None,
    }
}

#[derive(Default, Clone)]
pub struct Facts {
    pub sessions: Vec<Session>,
    pub checkins: Vec<CheckIn>,
    pub flares: Vec<FlareEvent>,
    pub screenings: Vec<crate::facts::Screening>,
}

impl Facts {
    pub fn s(mut self, when: Timestamp, p0: Option<u8>, groups: &[&str]) -> Self {
        self.sessions.push(session(when, p0, groups));
        self
    }
    pub fn c(mut self, when: Timestamp, pain: u8) -> Self {
        self.checkins.push(checkin(when, pain));
        self
    }
    pub fn cw(mut self, c: CheckIn) -> Self {
        self.checkins.push(c);
        self
    }
    pub fn assess_with(&self, p: &Profile, now: Timestamp) -> Assessment {
        let h = History {
            profile: p,
            sessions: &self.sessions,
            checkins: &self.checkins,
            flare_events: &self.flares,
            screenings: &self.screenings,
            clearances: &[],
        };
        assess(&h, &catalog(), &p.settings, &TimeZone::UTC, now)
    }
    pub fn assess(&self, now: Timestamp) -> Assessment {
        self.assess_with(&profile(2, vec![]), now)
    }
}

pub const POOL: [&str; 6] = [
    "lat-pulldown 3x10@40",
    "chest-supported-row 3x10@30",
    "goblet-squat 3x8@20",
    "dead-bug 2x8",
    "romanian-deadlift 3x8@50",
    "side-plank 3x30s",
];

#[derive(Debug, Clone)]
pub struct GenSession {
    pub day: i64,
    pub p0: Option<u8>,
    pub exercises: Vec<(usize, u8)>,
    pub morning: Option<u8>,
    pub second: Option<u8>,
}

pub fn gen_history() -> impl Strategy<Value = Vec<GenSession>> {
    gen_history_of(1..10)
}

/// Like [`gen_history`], with a number of sessions in `len`.
pub fn gen_history_of(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<GenSession>> {
    prop::collection::vec(
        (
            0i64..3,
            prop::option::of(0u8..6),
            prop::collection::vec((0usize..POOL.len(), 0u8..8), 1..4),
            prop::option::of(0u8..8),
            prop::option::of(0u8..8),
        ),
        len,
    )
    .prop_map(|v| {
        let mut day = 0;
        v.into_iter()
            .map(|(gap, p0, exercises, morning, second)| {
                day += 1 + gap;
                GenSession {
                    day,
                    p0,
                    exercises,
                    morning,
                    second,
                }
            })
            .collect()
    })
}

pub fn build(h: &[GenSession]) -> Facts {
    let mut f = Facts::default();
    for s in h {
        let mut seen = Vec::new();
        let groups: Vec<String> = s
            .exercises
            .iter()
            .filter(|(i, _)| {
                let new = !seen.contains(i);
                seen.push(*i);
                new
            })
            .map(|(i, p)| format!("{} p{p}", POOL[*i]))
            .collect();
        let refs: Vec<&str> = groups.iter().map(String::as_str).collect();
        f = f.s(at(s.day, 18), s.p0, &refs);
        if let Some(m) = s.morning {
            f = f.c(at(s.day + 1, 8), m);
        }
        if let Some(m) = s.second {
            f = f.c(at(s.day + 2, 9), m);
        }
    }
    f
}

pub fn end_of(h: &[GenSession]) -> Timestamp {
    at(h.last().map_or(0, |s| s.day) + 4, 0)
}
