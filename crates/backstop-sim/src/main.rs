//! `backstop-sim`: virtual lifters with hidden back sensitivities, trained for weeks under three policies —
//! backstop itself (plan, train, log, check in, all through `backstop-app` on a temporary store, as a user would),
//! a plain linear-progression programme that ignores pain, and a pain-avoidant one — to judge the coaching by
//! outcomes: flare-ups, flare days, ceiling breaches, how soon the culprit is found, strength gained.
//!
//! Run: `cargo run --release -p backstop-sim -- --lifters 500 --weeks 16 --seed 1`.

#![forbid(unsafe_code)]

mod lifter;

use std::sync::Arc;

use anyhow::Context as _;
use backstop_app::clock::SystemClock;
use backstop_app::{App, CheckInInput, SessionOptions};
use backstop_core::catalog::{Catalog, Exercise, LoadType};
use backstop_core::vocab::{Aggravator, Equipment, Weekday};
use backstop_core::{Minutes, Pain, Profile, Rpe, WeightUnit};
use backstop_db::SqliteStore;
use clap::Parser;
use jiff::civil::Date;
use serde::Serialize;

use crate::lifter::{AXES, Lifter, Rng};

/// Judge backstop's coaching on virtual lifters.
#[derive(Debug, Parser)]
#[command(name = "backstop-sim", version)]
struct Args {
    /// Number of virtual lifters
    #[arg(long, default_value_t = 500)]
    lifters: u32,
    /// Weeks of training each
    #[arg(long, default_value_t = 16)]
    weeks: u32,
    /// Seed: the same seed gives the same table
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print JSON instead of a table
    #[arg(long)]
    json: bool,
}

/// What one policy did across all lifters.
#[derive(Debug, Default, Clone, Serialize)]
struct Outcome {
    policy: &'static str,
    lifters: u32,
    flares_per_lifter: f64,
    flare_days_per_lifter: f64,
    ceiling_breaches_per_lifter: f64,
    culprit_found_pct: Option<f64>,
    weeks_to_culprit_median: Option<f64>,
    strength_gain_pct: f64,
    sessions_per_lifter: f64,
}

/// One simulated set.
struct SimSet<'a> {
    ex: &'a Exercise,
    sets: u32,
    amount: u32,
    load_kg: Option<f64>,
}

/// Simulates one session for a lifter; returns the per-set pains for logging and the session's irritation.
fn run_session(l: &mut Lifter, items: &[SimSet<'_>], pain_before: u8, rng: &mut Rng) -> (Vec<Vec<u8>>, f64) {
    let ceiling = 5.min(pain_before + 2);
    let mut irritation = 0.0;
    let mut pains = Vec::new();
    for it in items {
        let e1rm = l.max_for(it.ex, rng);
        let mut ps = Vec::new();
        for _ in 0..it.sets {
            irritation += l.set_irritation(it.ex, it.load_kg.unwrap_or(0.0), e1rm);
            let p = l.pain(irritation, rng).max(pain_before.saturating_sub(1));
            if p > ceiling {
                l.ceiling_breaches += 1;
            }
            ps.push(p);
        }
        pains.push(ps);
    }
    l.sessions += 1;
    for it in items {
        let hard = if it.ex.load_type == LoadType::External {
            it.sets
        } else {
            it.sets / 2
        };
        l.train(&it.ex.id, hard);
    }
    (pains, irritation)
}

fn weekday(d: Date) -> Weekday {
    use jiff::civil::Weekday as W;
    match d.weekday() {
        W::Monday => Weekday::Mon,
        W::Tuesday => Weekday::Tue,
        W::Wednesday => Weekday::Wed,
        W::Thursday => Weekday::Thu,
        W::Friday => Weekday::Fri,
        W::Saturday => Weekday::Sat,
        W::Sunday => Weekday::Sun,
    }
}

const TRAINING_DAYS: [Weekday; 3] = [Weekday::Mon, Weekday::Wed, Weekday::Fri];

/// The aggravators a lifter would report for their culprit direction (half of them do).
fn aggravators(l: &Lifter, rng: &mut Rng) -> Vec<Aggravator> {
    match l.culprit {
        Some(c) if rng.unit() < 0.5 => match AXES[c] {
            "flexion" => vec![Aggravator::Sitting, Aggravator::Bending],
            "extension" => vec![Aggravator::Standing, Aggravator::Arching],
            "rotation" => vec![Aggravator::Twisting],
            _ => vec![Aggravator::Lifting, Aggravator::Carrying],
        },
        _ => vec![],
    }
}

/// The morning check-in the lifter gives on `day`, from what happened the days before.
struct Mornings {
    last_irritation: Option<(Date, f64, u32)>,
}

impl Mornings {
    fn pain_today(&self, l: &mut Lifter, day: Date, rng: &mut Rng) -> (u8, bool) {
        match self.last_irritation {
            Some((d, irr, new)) if d.tomorrow().ok() == Some(day) => l.morning(irr, new, rng),
            Some((d, irr, _)) if d.tomorrow().ok().and_then(|t| t.tomorrow().ok()) == Some(day) => {
                let (p, _) = l.morning(irr * 0.7, 0, rng);
                (p, false)
            }
            _ if l.flare_days_left > 0 => (l.baseline + 3, false),
            _ => {
                let p = f64::from(l.baseline) + rng.range(-0.7, 0.7);
                (p.round().clamp(0.0, 10.0) as u8, false)
            }
        }
    }
}

fn notation(it: &SimSet<'_>, pains: &[u8]) -> String {
    let unit = match it.ex.load_type {
        LoadType::Timed => "s",
        LoadType::Distance => "m",
        _ => "",
    };
    let load = it
        .load_kg
        .map(|l| format!("@{}kg", (l * 2.0).round() / 2.0))
        .unwrap_or_default();
    let p: Vec<String> = pains.iter().map(|p| p.to_string()).collect();
    format!(
        "{} {}x{}{unit}{load} p{}",
        it.ex.id,
        it.sets,
        it.amount,
        p.join(",")
    )
}

async fn backstop_policy(
    mut l: Lifter,
    rng: &mut Rng,
    weeks: u32,
    start: Date,
    catalog: &Catalog,
) -> anyhow::Result<(Lifter, Option<u32>)> {
    let store = SqliteStore::in_memory().await?;
    let app = App::new(Arc::new(store), Arc::new(SystemClock))?;
    let who = app.local_athlete().await?;
    let profile = Profile {
        units: WeightUnit::Kg,
        time_zone: "UTC".into(),
        equipment: Equipment::ALL
            .iter()
            .copied()
            .filter(|e| *e != Equipment::Bodyweight)
            .collect(),
        days: TRAINING_DAYS.to_vec(),
        minutes: Minutes::new(45)?,
        baseline_pain: Pain::new(l.baseline)?,
        aggravators: aggravators(&l, rng),
        training_years: Some(2),
        settings: Default::default(),
    };
    app.init(who, profile, Some(vec![])).await?;
    let mut mornings = Mornings {
        last_irritation: None,
    };
    let mut found: Option<u32> = None;
    for d in 0..i64::from(weeks) * 7 {
        let day = start.checked_add(jiff::Span::new().days(d))?;
        l.day_passes();
        let (pain, sore) = mornings.pain_today(&mut l, day, rng);
        let ci = CheckInInput {
            at: Some(format!("{day} 08:00")),
            pain: Some(Pain::new(pain)?),
            muscle_soreness: sore,
            ..Default::default()
        };
        app.checkin(who, ci).await?;
        if TRAINING_DAYS.contains(&weekday(day)) {
            let r = backstop_core::plan::Readiness {
                pain_now: Some(Pain::new(pain)?),
                minutes: None,
            };
            let (_, plan) = app.plan(who, Some(&day.to_string()), r).await?;
            let mut items = Vec::new();
            for it in &plan.items {
                let Some(ex) = catalog.get(&it.exercise) else {
                    continue;
                };
                let e1rm = l.max_for(ex, rng);
                let load_kg = match (ex.load_type, it.dose.load) {
                    (LoadType::External, Some(g)) => Some(g.in_unit(WeightUnit::Kg)),
                    (LoadType::External, None) => Some((e1rm * 0.5 / 2.5).round() * 2.5),
                    _ => None,
                };
                let amount = it.dose.reps.or(it.dose.seconds).or(it.dose.metres).unwrap_or(8);
                items.push(SimSet {
                    ex,
                    sets: it.dose.sets.max(1),
                    amount,
                    load_kg,
                });
            }
            if items.is_empty() {
                continue;
            }
            let new = items
                .iter()
                .filter(|i| !l.exposures.contains_key(&i.ex.id))
                .count() as u32;
            let (pains, irritation) = run_session(&mut l, &items, pain, rng);
            let groups: Vec<String> = items.iter().zip(&pains).map(|(it, p)| notation(it, p)).collect();
            let opts = SessionOptions {
                at: Some(format!("{day} 18:00")),
                pain_before: Some(Pain::new(pain)?),
                minutes: Some(Minutes::new(
                    plan.estimated_minutes.round().clamp(1.0, 600.0) as u32
                )?),
                session_rpe: Some(Rpe::new(6.0)?),
            };
            app.log_groups(who, &groups, &opts)
                .await
                .with_context(|| groups.join(" | "))?;
            l.adapt(irritation, rng);
            mornings.last_irritation = Some((day, irritation, new));
        }
        // At each week's end: is the culprit the top suspect yet?
        if found.is_none() && weekday(day) == Weekday::Sun && l.culprit.is_some() {
            let (_, a) = app.assess(who, Some(&format!("{day} 23:00"))).await?;
            if let (Some(c), Some(top)) = (l.culprit, a.suspects.first())
                && top.strength >= 0.3
                && catalog.get(&top.exercise).is_some_and(|e| {
                    let v = [
                        e.spinal.compression,
                        e.spinal.shear,
                        e.spinal.flexion,
                        e.spinal.extension,
                        e.spinal.rotation,
                    ];
                    v[c] >= 2
                })
            {
                found = Some((d / 7 + 1) as u32);
            }
        }
    }
    Ok((l, found))
}

const FIXED: [&str; 4] = [
    "barbell-bent-over-row",
    "conventional-deadlift",
    "lat-pulldown",
    "back-extension-45-degree",
];

/// Linear progression (+2.5 kg every session, pain ignored) or pain-avoidant (drops what hurts).
fn simple_policy(
    mut l: Lifter,
    rng: &mut Rng,
    weeks: u32,
    start: Date,
    catalog: &Catalog,
    avoidant: bool,
) -> anyhow::Result<Lifter> {
    let mut loads: Vec<(String, f64)> = Vec::new();
    for id in FIXED {
        let ex = catalog.get(id).context("fixed exercise missing")?;
        let m = l.max_for(ex, rng);
        loads.push((id.to_owned(), (m * 0.5 / 2.5).round() * 2.5));
    }
    let mut mornings = Mornings {
        last_irritation: None,
    };
    for d in 0..i64::from(weeks) * 7 {
        let day = start.checked_add(jiff::Span::new().days(d))?;
        l.day_passes();
        let (pain, _) = mornings.pain_today(&mut l, day, rng);
        if !TRAINING_DAYS.contains(&weekday(day)) {
            continue;
        }
        let mut chosen: Vec<(&Exercise, f64)> = loads
            .iter()
            .filter_map(|(id, kg)| catalog.get(id).map(|e| (e, *kg)))
            .collect();
        if chosen.is_empty() {
            chosen = ["dead-bug", "bird-dog", "glute-bridge"]
                .iter()
                .filter_map(|id| catalog.get(id).map(|e| (e, 0.0)))
                .collect();
        }
        let items: Vec<SimSet> = chosen
            .iter()
            .map(|(ex, kg)| SimSet {
                ex,
                sets: 3,
                amount: 8,
                load_kg: (ex.load_type == LoadType::External).then_some(*kg),
            })
            .collect();
        let new = items
            .iter()
            .filter(|i| !l.exposures.contains_key(&i.ex.id))
            .count() as u32;
        let (pains, irritation) = run_session(&mut l, &items, pain, rng);
        l.adapt(irritation, rng);
        mornings.last_irritation = Some((day, irritation, new));
        if avoidant {
            let hurt: Vec<String> = items
                .iter()
                .zip(&pains)
                .filter(|(_, p)| p.iter().any(|p| *p > l.baseline))
                .map(|(it, _)| it.ex.id.clone())
                .collect();
            loads.retain(|(id, _)| !hurt.contains(id));
        }
        // +2.5 kg a session, until the lifter's one-rep max stops it: then 10 % off and build again.
        for (id, kg) in &mut loads {
            *kg += 2.5;
            if let Some(m) = l.e1rm.get(id.as_str())
                && *kg > 0.85 * m
            {
                *kg = (*kg * 0.9 / 2.5).round() * 2.5;
            }
        }
    }
    Ok(l)
}

fn summarise(policy: &'static str, done: &[(Lifter, Option<u32>)]) -> Outcome {
    let n = done.len().max(1) as f64;
    let with_culprit: Vec<&(Lifter, Option<u32>)> =
        done.iter().filter(|(l, _)| l.culprit.is_some()).collect();
    let mut weeks: Vec<u32> = with_culprit.iter().filter_map(|(_, w)| *w).collect();
    weeks.sort_unstable();
    let round = |v: f64| (v * 100.0).round() / 100.0;
    Outcome {
        policy,
        lifters: done.len() as u32,
        flares_per_lifter: round(done.iter().map(|(l, _)| f64::from(l.flares)).sum::<f64>() / n),
        flare_days_per_lifter: round(done.iter().map(|(l, _)| f64::from(l.flare_days)).sum::<f64>() / n),
        ceiling_breaches_per_lifter: round(
            done.iter()
                .map(|(l, _)| f64::from(l.ceiling_breaches))
                .sum::<f64>()
                / n,
        ),
        culprit_found_pct: (policy == "backstop" && !with_culprit.is_empty())
            .then(|| round(weeks.len() as f64 / with_culprit.len() as f64 * 100.0)),
        weeks_to_culprit_median: (policy == "backstop")
            .then(|| weeks.get(weeks.len() / 2).map(|w| f64::from(*w)))
            .flatten(),
        strength_gain_pct: round(done.iter().map(|(l, _)| l.strength_gain_pct()).sum::<f64>() / n),
        sessions_per_lifter: round(done.iter().map(|(l, _)| f64::from(l.sessions)).sum::<f64>() / n),
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let catalog = Catalog::builtin()?;
    let start = jiff::civil::date(2024, 1, 1);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut results: [Vec<(Lifter, Option<u32>)>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for i in 0..args.lifters {
        let mut draw = Rng::new(args.seed.wrapping_mul(1_000_003).wrapping_add(u64::from(i)));
        let lifter = Lifter::draw(&mut draw);
        for (k, slot) in results.iter_mut().enumerate() {
            // The same lifter and the same stream of chance under each policy.
            let mut rng = Rng::new(draw.next_u64() ^ (k as u64));
            let out = match k {
                0 => rt.block_on(backstop_policy(
                    lifter.clone(),
                    &mut rng,
                    args.weeks,
                    start,
                    &catalog,
                ))?,
                1 => (
                    simple_policy(lifter.clone(), &mut rng, args.weeks, start, &catalog, false)?,
                    None,
                ),
                _ => (
                    simple_policy(lifter.clone(), &mut rng, args.weeks, start, &catalog, true)?,
                    None,
                ),
            };
            slot.push(out);
        }
    }
    let table = [
        summarise("backstop", &results[0]),
        summarise("linear progression", &results[1]),
        summarise("pain-avoidant", &results[2]),
    ];
    if args.json {
        println!("{}", serde_json::to_string_pretty(&table)?);
        return Ok(());
    }
    println!(
        "{} lifters × {} weeks, seed {}",
        args.lifters, args.weeks, args.seed
    );
    println!(
        "{:<20} {:>8} {:>11} {:>10} {:>10} {:>10} {:>10} {:>9}",
        "policy", "flares", "flare days", "breaches", "culprit %", "weeks", "strength%", "sessions"
    );
    let opt = |v: Option<f64>| v.map_or("–".to_owned(), |x| format!("{x}"));
    for o in &table {
        println!(
            "{:<20} {:>8} {:>11} {:>10} {:>10} {:>10} {:>10} {:>9}",
            o.policy,
            o.flares_per_lifter,
            o.flare_days_per_lifter,
            o.ceiling_breaches_per_lifter,
            opt(o.culprit_found_pct),
            opt(o.weeks_to_culprit_median),
            o.strength_gain_pct,
            o.sessions_per_lifter
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(seed: u64) -> Vec<Outcome> {
        let catalog = Catalog::builtin().unwrap();
        let start = jiff::civil::date(2024, 1, 1);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut results: [Vec<(Lifter, Option<u32>)>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for i in 0..3u64 {
            let mut draw = Rng::new(seed * 7 + i);
            let lifter = Lifter::draw(&mut draw);
            let mut rng = Rng::new(draw.next_u64());
            results[0].push(
                rt.block_on(backstop_policy(lifter.clone(), &mut rng, 3, start, &catalog))
                    .unwrap(),
            );
            let mut rng = Rng::new(draw.next_u64());
            results[1].push((
                simple_policy(lifter.clone(), &mut rng, 3, start, &catalog, false).unwrap(),
                None,
            ));
            let mut rng = Rng::new(draw.next_u64());
            results[2].push((
                simple_policy(lifter, &mut rng, 3, start, &catalog, true).unwrap(),
                None,
            ));
        }
        vec![
            summarise("backstop", &results[0]),
            summarise("linear progression", &results[1]),
            summarise("pain-avoidant", &results[2]),
        ]
    }

    #[test]
    fn the_same_seed_gives_the_same_table_and_every_policy_trains() {
        let a = serde_json::to_string(&run(3)).unwrap();
        assert_eq!(a, serde_json::to_string(&run(3)).unwrap());
        for o in run(3) {
            assert_eq!(
                o.sessions_per_lifter, 9.0,
                "{}: three weeks of three sessions",
                o.policy
            );
        }
    }

    #[test]
    fn the_random_numbers_are_uniform_enough() {
        let mut r = Rng::new(42);
        let mean = (0..10_000).map(|_| r.unit()).sum::<f64>() / 10_000.0;
        assert!((mean - 0.5).abs() < 0.02, "{mean}");
    }
}
