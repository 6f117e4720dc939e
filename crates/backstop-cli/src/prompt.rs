//! Questions asked on a terminal: onboarding and the red-flag screen.

use std::io::IsTerminal;

use backstop_core::redflags::RedFlag;
use backstop_core::vocab::{Aggravator, Equipment, Weekday};
use backstop_core::{Minutes, Pain, Profile, WeightUnit};
use dialoguer::{Confirm, Input, MultiSelect, Password, Select};

/// Whether we may ask questions: both stdin and stderr (where prompts go) are terminals.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn pick_many<T: Copy + PartialEq>(
    prompt: &str,
    all: &[T],
    name: impl Fn(T) -> &'static str,
    chosen: &[T],
) -> anyhow::Result<Vec<T>> {
    let labels: Vec<&str> = all.iter().map(|t| name(*t)).collect();
    let defaults: Vec<bool> = all.iter().map(|t| chosen.contains(t)).collect();
    let picked = MultiSelect::new()
        .with_prompt(format!("{prompt} (space to toggle, enter to confirm)"))
        .items(&labels)
        .defaults(&defaults)
        .interact()?;
    Ok(picked.into_iter().map(|i| all[i]).collect())
}

/// Asks every profile question, starting from `start`.
pub fn profile(start: Profile) -> anyhow::Result<Profile> {
    eprintln!("Let's set up your profile. Answers can be changed later with `backstop init`.\n");
    let units = Select::new()
        .with_prompt("Units for loads")
        .items(["kg", "lb"])
        .default(if start.units == WeightUnit::Lb { 1 } else { 0 })
        .interact()?;
    let units = if units == 1 {
        WeightUnit::Lb
    } else {
        WeightUnit::Kg
    };
    let time_zone: String = Input::new()
        .with_prompt("Your time zone (IANA name)")
        .default(start.time_zone.clone())
        .validate_with(|s: &String| backstop_app::time_zone(s).map(|_| ()).map_err(|e| e.to_string()))
        .interact_text()?;
    let loaded: Vec<Equipment> = Equipment::ALL
        .iter()
        .copied()
        .filter(|e| *e != Equipment::Bodyweight)
        .collect();
    let equipment = pick_many(
        "Equipment you can use",
        &loaded,
        Equipment::as_str,
        &start.equipment,
    )?;
    let days = pick_many("Days you can train", Weekday::ALL, Weekday::as_str, &start.days)?;
    let minutes: u32 = Input::new()
        .with_prompt("Minutes per session")
        .default(u32::from(start.minutes.get()))
        .validate_with(|m: &u32| Minutes::new(*m).map(|_| ()).map_err(|e| e.to_string()))
        .interact_text()?;
    let baseline: u8 = Input::new()
        .with_prompt("Your usual back pain on an ordinary day (0 none … 10 worst imaginable)")
        .default(start.baseline_pain.value())
        .validate_with(|p: &u8| Pain::new(*p).map(|_| ()).map_err(|e| e.to_string()))
        .interact_text()?;
    let aggravators = pick_many(
        "What makes your back worse",
        Aggravator::ALL,
        Aggravator::as_str,
        &start.aggravators,
    )?;
    let goals: String = Input::new()
        .with_prompt(
            "Lifts you want to work back to, comma-separated (e.g. conventional-deadlift, back-squat), or blank",
        )
        .default(start.goal_lifts.join(","))
        .allow_empty(true)
        .interact_text()?;
    Ok(Profile {
        goal_lifts: goals
            .split(',')
            .map(|g| g.trim().to_owned())
            .filter(|g| !g.is_empty())
            .collect(),
        units,
        time_zone,
        equipment,
        days,
        minutes: Minutes::new(minutes)?,
        baseline_pain: Pain::new(baseline)?,
        aggravators,
        training_years: start.training_years,
        settings: start.settings,
        usual_leg_symptoms: start.usual_leg_symptoms,
        not_planned: start.not_planned,
    })
}

/// Asks the red-flag questions one at a time, the cauda equina items first (RF-1).
pub fn red_flags() -> anyhow::Result<Vec<RedFlag>> {
    eprintln!(
        "\nA few safety questions. They are asked of everyone: most back pain is not serious, but these signs \
         need a clinician. Answer about anything NEW or getting WORSE.\n"
    );
    let mut yes = Vec::new();
    for f in RedFlag::ALL {
        if Confirm::new()
            .with_prompt(f.question())
            .default(false)
            .interact()?
        {
            yes.push(*f);
        }
    }
    Ok(yes)
}

/// Asks for a new password twice, without echoing it.
pub fn new_password(prompt: &str) -> anyhow::Result<String> {
    Ok(Password::new()
        .with_prompt(prompt)
        .with_confirmation("Again", "The two did not match")
        .interact()?)
}
