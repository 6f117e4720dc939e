//! Onboarding (profile and the red-flag screen), Settings (profile and the Ceiling Method's thresholds with their
//! defaults and sources), and the red-flag screen with clinician clearance.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use backstop_app::settings::{parse_value, show, with_changes};
use backstop_core::catalog::Catalog;
use backstop_core::engine::Settings;
use backstop_core::engine::settings::FIELDS;
use backstop_core::redflags::{RedFlag, ScreenResult};
use backstop_core::vocab::{Aggravator, Equipment, Weekday};
use backstop_core::{Profile, ScreeningContext, WeightUnit};
use serde::Deserialize;
use serde_json::Value;

use backstop_app::store::AthleteId;

use crate::WebState;
use crate::error::PageError;
use crate::forms::{FieldErrors, FormData};
use crate::signed_in::{Me, SignedIn};
use crate::views::{ButtonRow, Layout, err, html, words};

/// A checkbox chip.
pub struct Chip {
    name: &'static str,
    value: &'static str,
    label: String,
    checked: bool,
}

/// A yes/no red-flag question.
pub struct Question {
    name: &'static str,
    text: &'static str,
    answer: Option<bool>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    layout: Layout,
    onboarding: bool,
    kg: bool,
    tz: String,
    /// Every time zone name the bundled database knows, for the field's suggestions.
    zones: &'static [String],
    minutes: String,
    years: String,
    equipment: Vec<Chip>,
    days: Vec<Chip>,
    aggravators: Vec<Chip>,
    goals: Vec<GoalChip>,
    goals_chosen: bool,
    /// Usual leg symptoms: value, label, chosen.
    usual_leg: Vec<(&'static str, &'static str, bool)>,
    pain_row: String,
    questions: Vec<Question>,
    errors: FieldErrors,
    saved: bool,
    settings: Vec<SettingRow>,
}

/// A lift that can be a goal (PG-8), as a checkbox.
pub struct GoalChip {
    value: String,
    label: String,
    checked: bool,
}

fn goal_chips(catalog: &Catalog, chosen: &[String]) -> Vec<GoalChip> {
    backstop_core::ladder::goal_candidates(catalog)
        .into_iter()
        .map(|e| GoalChip {
            value: e.id.clone(),
            label: e.name.clone(),
            checked: chosen.contains(&e.id),
        })
        .collect()
}

/// One Ceiling Method threshold.
pub struct SettingRow {
    name: String,
    label: &'static str,
    value: String,
    default: String,
    basis: String,
    rule: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "stop.html")]
struct StopPage {
    layout: Layout,
    result: ScreenResult,
    /// emergency, urgent or soon, for the page's style; the words come from the result (RF-2, RF-3, DS-4).
    level: &'static str,
    /// Whether training waits for a clearance or 72 hours, so the page offers to record one.
    clearance: bool,
    /// backstop routes; it does not diagnose (RF-5).
    not_a_diagnosis: &'static str,
    /// What the red-flag questions are for.
    learn: String,
}

fn chips<T: Copy + PartialEq>(
    name: &'static str,
    all: &[T],
    as_str: fn(T) -> &'static str,
    chosen: &[T],
) -> Vec<Chip> {
    all.iter()
        .map(|v| Chip {
            name,
            value: as_str(*v),
            label: words(as_str(*v)),
            checked: chosen.contains(v),
        })
        .collect()
}

/// A setting's name in words, for the Settings page (the snake_case name stays in the "why" detail, as the CLI and
/// the API know it).
fn setting_label(name: &str) -> &'static str {
    match name {
        "ceiling_max" => "Pain ceiling during a session (0–10)",
        "ceiling_rise" => "Ceiling above your pain before the session (points)",
        "green_rise" => "Calm: pain rising at most this much during a session",
        "green_max" => "Calm: pain during a session at most",
        "morning_from" => "Next-morning check-in counts from (after the session)",
        "morning_until" => "Next-morning check-in counts until",
        "second_until" => "Second-morning check-in counts until",
        "unconfirmed_after" => "Without a check-in, a session is judged on its sets alone after",
        "not_tolerated_rise" => "A morning this far above your usual pain holds the dose",
        "morning_red_rise" => "A morning this far above your usual pain is red",
        "tolerated_after" => "Calm sessions before an exercise counts as tolerated",
        "park_days" => "Days an exercise that hurt waits before its retest",
        "second_red_within" => "A second red within this many sessions makes an exercise provocative",
        "reintroduce_after_days" => "Days away after which an exercise counts as new again",
        "load_step_pct" => "Load step up (% of the load)",
        "regress_pct" => "Load taken off after a red (%)",
        "retest_pct" => "A retest starts at (% of the last load)",
        "seconds_step" => "Timed exercises step up by (seconds)",
        "trend_hold_rise" => "Weekly morning pain rise that holds progress",
        "trend_deload_rise" => "Weekly morning pain rise that suggests a lighter week",
        "flare_rise" => "A day this far above your usual pain is a flare day",
        "reentry_calm_days" => "Calm days that end a flare-up",
        "reentry_steps_pct" => "Volume at each step back after a flare-up (%)",
        "reentry_steps_rpe" => "Effort ceiling at each step back after a flare-up (RPE)",
        "reentry_short_flare_days" => "A flare-up shorter than this skips the first step back (days)",
        "reentry_long_flare_days" => "After a flare-up this long, each step needs two calm sessions (days)",
        "flare_review_days" => "A flare-up this long suggests a clinician review (days)",
        "flare_stalled_days" => "A flare-up this long and not improving: see a clinician soon (days)",
        "flare_refer_days" => "Any flare-up this long: see a clinician soon (days)",
        "doms_hold_pain" => "Muscle soreness from which the sore muscles are spared (0–10)",
        "doms_window" => "Soreness not easing after this long is not treated as soreness",
        "goal_sets" => "Working sets an exercise grows to",
        "goal_sets_trained" => "Working sets for an experienced lifter",
        "trained_after_years" => "Years of training from which you count as experienced",
        "effort_start" => "Effort ceiling a new exercise starts at (RPE)",
        "effort_max" => "Highest effort ceiling (RPE)",
        "grow_after_calm" => "Calm sessions before the session grows by an exercise",
        "climb_after_calm" => "Calm sessions before a goal lift's next rung",
        "direction_rise_min" => {
            "Rise in one spinal direction's load a red morning can be pinned on (at least)"
        }
        "direction_rise_pct" => "…and as a share of the usual load (%)",
        "base_rate_max" => "Share of recent red sessions above which one more red blames no exercise",
        "cause_min_exposures" => "Sessions with a possible cause before it can be named",
        "cause_min_rise" => "Pain rise per set that matters for a cause",
        "cause_min_morning" => "Morning pain rise that matters for a cause",
        "cause_weak_score" => "Score from which a cause is named (weak)",
        "cause_moderate_score" => "Score from which a cause is held back (moderate)",
        "cause_strong_score" => "Score from which a cause is confirmed (strong)",
        "cause_spread_score" => "Score from which a wider cause replaces one exercise",
        "cause_spread_share" => "Share of the exercise's effect the wider cause must explain",
        _ => "Other setting",
    }
}

/// The thresholds as `settings --json` and the API give them, with what was typed and refused.
fn setting_rows(s: &Settings, errors: &FieldErrors, typed: Option<&FormData>) -> Vec<SettingRow> {
    backstop_app::view::settings(s)
        .into_iter()
        .map(|r| SettingRow {
            label: setting_label(&r.name),
            value: typed
                .map(|f| f.value(&format!("s.{}", r.name)))
                .unwrap_or_else(|| show(&r.value)),
            default: show(&r.default),
            error: errors.get(&format!("s.{}", r.name)).cloned(),
            basis: r.evidence,
            rule: r.rule,
            name: r.name,
        })
        .collect()
}

fn questions(f: Option<&FormData>, errors: &FieldErrors) -> Vec<Question> {
    RedFlag::ALL
        .iter()
        .map(|q| {
            let name = q.as_str();
            Question {
                name,
                text: q.question(),
                answer: f.and_then(|f| f.get(&format!("rf.{name}"))).map(|v| v == "yes"),
                error: errors.get(&format!("rf.{name}")).cloned(),
            }
        })
        .collect()
}

fn page(
    onboarding: bool,
    p: &Profile,
    typed: Option<&FormData>,
    errors: FieldErrors,
    saved: bool,
    catalog: &Catalog,
) -> ProfilePage {
    let t = |name: &str, fallback: String| typed.map(|f| f.value(name)).unwrap_or(fallback);
    let chosen_pain = typed
        .and_then(|f| f.get("baseline_pain"))
        .and_then(|v| v.parse().ok())
        .or(Some(p.baseline_pain.value()));
    ProfilePage {
        layout: if onboarding {
            Layout::bare("Welcome")
        } else {
            Layout::new("Settings", "/settings")
        },
        onboarding,
        kg: typed
            .and_then(|f| f.get("units"))
            .map_or(p.units == WeightUnit::Kg, |u| u == "kg"),
        tz: t("time_zone", p.time_zone.clone()),
        zones: time_zones(),
        minutes: t("minutes", p.minutes.get().to_string()),
        years: t(
            "training_years",
            p.training_years.map(|y| y.to_string()).unwrap_or_default(),
        ),
        equipment: chips(
            "equipment",
            Equipment::ALL,
            Equipment::as_str,
            &typed.map_or(p.equipment.clone(), |f| parse_all(f, "equipment")),
        ),
        days: chips(
            "days",
            Weekday::ALL,
            Weekday::as_str,
            &typed.map_or(p.days.clone(), |f| parse_all(f, "days")),
        ),
        aggravators: chips(
            "aggravators",
            Aggravator::ALL,
            Aggravator::as_str,
            &typed.map_or(p.aggravators.clone(), |f| parse_all(f, "aggravators")),
        ),
        goals_chosen: !p.goal_lifts.is_empty() || errors.contains_key("goal_lifts"),
        usual_leg: {
            let chosen = typed.map_or(
                p.usual_leg_symptoms.map_or("", backstop_core::LegReach::as_str),
                |f| f.get("usual_leg_symptoms").unwrap_or(""),
            );
            crate::forms::leg_reach_choices(chosen, "none")
        },
        goals: goal_chips(
            catalog,
            &typed.map_or(p.goal_lifts.clone(), |f| {
                f.all("goal_lifts").into_iter().map(str::to_owned).collect()
            }),
        ),
        pain_row: ButtonRow {
            id: None,
            name: "baseline_pain",
            legend: "Your usual back pain on an ordinary day (0 none, 10 worst)",
            range: (0, 10),
            ceiling: None,
            selected: chosen_pain,
            error: err(&errors, "baseline_pain"),
            required: true,
        }
        .render(),
        questions: if onboarding {
            questions(typed, &errors)
        } else {
            Vec::new()
        },
        settings: if onboarding {
            Vec::new()
        } else {
            setting_rows(&p.settings, &errors, typed)
        },
        errors,
        saved,
    }
}

fn parse_all<T: std::str::FromStr>(f: &FormData, name: &str) -> Vec<T> {
    f.all(name).into_iter().filter_map(|v| v.parse().ok()).collect()
}

/// The onboarding form's first answers: what every front end offers a new lifter, all changeable.
fn blank() -> Profile {
    Profile::offered("UTC")
}

/// Reads the profile fields; unknown names and bad numbers become field errors.
fn read_profile(f: &FormData, base: &Profile, catalog: &Catalog, errors: &mut FieldErrors) -> Profile {
    let mut p = base.clone();
    match f.get("units").map(str::parse::<WeightUnit>) {
        Some(Ok(u)) => p.units = u,
        Some(Err(e)) => {
            errors.insert("units".into(), e.to_string());
        }
        None => {}
    }
    match f.get("time_zone") {
        Some(tz) => match backstop_app::time_zone(tz) {
            Ok(_) => p.time_zone = tz.to_owned(),
            Err(e) => {
                errors.insert("time_zone".into(), e.to_string());
            }
        },
        None => {
            errors.insert(
                "time_zone".into(),
                "give your time zone, e.g. Europe/London".into(),
            );
        }
    }
    for (name, target) in [("equipment", 0), ("days", 1), ("aggravators", 2)] {
        let mut bad = Vec::new();
        let values = f.all(name);
        match target {
            0 => {
                p.equipment = values
                    .iter()
                    .filter_map(|v| v.parse().map_err(|_| bad.push(*v)).ok())
                    .collect()
            }
            1 => {
                p.days = values
                    .iter()
                    .filter_map(|v| v.parse().map_err(|_| bad.push(*v)).ok())
                    .collect()
            }
            _ => {
                p.aggravators = values
                    .iter()
                    .filter_map(|v| v.parse().map_err(|_| bad.push(*v)).ok())
                    .collect()
            }
        }
        if !bad.is_empty() {
            errors.insert(name.into(), format!("unknown: {}", bad.join(", ")));
        }
    }
    if p.days.is_empty() {
        errors.insert("days".into(), "choose at least one training day".into());
    }
    let goals: Vec<String> = f.all("goal_lifts").into_iter().map(str::to_owned).collect();
    match backstop_app::goal_lifts(catalog, &goals) {
        Ok(g) => p.goal_lifts = g,
        Err(e) => {
            errors.insert("goal_lifts".into(), e.to_string());
        }
    }
    if let Some(m) = f.minutes("minutes", true, errors) {
        p.minutes = m;
    }
    if let Some(b) = f.pain("baseline_pain", true, errors) {
        p.baseline_pain = b;
    }
    p.usual_leg_symptoms = f.leg_reach("usual_leg_symptoms", errors);
    p.training_years = match f.get("training_years") {
        None => None,
        Some(v) => match v.parse::<u8>() {
            Ok(y) if y <= 80 => Some(y),
            _ => {
                errors.insert(
                    "training_years".into(),
                    format!("years of training must be 0–80, not {v:?}"),
                );
                None
            }
        },
    };
    p
}

/// The time zone names to suggest (sorted, once per process): typing "Lon" offers Europe/London.
fn time_zones() -> &'static [String] {
    static ZONES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    ZONES.get_or_init(|| {
        let mut v: Vec<String> = backstop_app::time_zones()
            .available()
            .map(|n| n.as_str().to_owned())
            .collect();
        v.sort();
        v
    })
}

/// The red flags answered yes; every question must be answered (the page's "None of these apply to me" marks the
/// open ones No in the browser, where the person sees it, never on the server).
fn read_flags(f: &FormData, errors: &mut FieldErrors) -> Vec<RedFlag> {
    let mut yes = Vec::new();
    for q in RedFlag::ALL {
        match f.get(&format!("rf.{}", q.as_str())) {
            Some("yes") => yes.push(*q),
            Some("no") => {}
            _ => {
                errors.insert(format!("rf.{}", q.as_str()), "answer yes or no".into());
            }
        }
    }
    yes
}

fn stop(result: ScreenResult, headers: &axum::http::HeaderMap, secure: bool) -> Response {
    use backstop_core::redflags::Urgency;
    let level = match result.urgency {
        Urgency::Emergency => "emergency",
        Urgency::Urgent => "urgent",
        Urgency::Soon => "soon",
    };
    let (shown, cookie) = super::learn::for_page(Some(headers), &["red-flags"]);
    super::learn::remember(
        html(&StopPage {
            layout: Layout::new(result.headline(), "/today"),
            clearance: result.urgency >= Urgency::Urgent,
            not_a_diagnosis: backstop_core::redflags::NOT_A_DIAGNOSIS,
            result,
            level,
            learn: super::learn::render(&shown),
        }),
        cookie,
        secure,
    )
}

async fn welcome(State(st): State<WebState>, Me { who }: Me) -> Result<Response, PageError> {
    if st.app.profile(who).await?.is_some() && st.app.has_screening(who).await? {
        return Ok(Redirect::to("/today").into_response());
    }
    let catalog = st.app.catalog(who).await?;
    Ok(html(&page(
        true,
        &blank(),
        None,
        FieldErrors::new(),
        false,
        &catalog,
    )))
}

async fn welcome_post(
    State(st): State<WebState>,
    Me { who }: Me,
    headers: axum::http::HeaderMap,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let catalog = st.app.catalog(who).await?;
    let p = read_profile(&f, &blank(), &catalog, &mut errors);
    let flags = read_flags(&f, &mut errors);
    if !errors.is_empty() {
        let pg = page(true, &p, Some(&f), errors, false, &catalog);
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html(&pg)).into_response());
    }
    match st.app.init(who, p, Some(flags)).await? {
        Some(r) => Ok(stop(r, &headers, st.opts.secure_cookies)),
        None => Ok(Redirect::to("/today").into_response()),
    }
}

#[derive(Deserialize)]
struct SavedQuery {
    saved: Option<u8>,
}

async fn settings(
    SignedIn { ctx, .. }: SignedIn,
    Query(q): Query<SavedQuery>,
) -> Result<Response, PageError> {
    Ok(html(&page(
        false,
        &ctx.profile,
        None,
        FieldErrors::new(),
        q.saved.is_some(),
        &ctx.catalog,
    )))
}

async fn settings_post(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let mut p = read_profile(&f, &ctx.profile, &ctx.catalog, &mut errors);
    let changes: Vec<(String, Value)> = FIELDS
        .iter()
        .filter_map(|(k, _, _)| Some(((*k).to_owned(), parse_value(f.get(&format!("s.{k}"))?))))
        .collect();
    match with_changes(&ctx.profile.settings, &changes) {
        Ok(s) => p.settings = s,
        Err(errs) => {
            for e in errs {
                let field = e.name.map_or_else(|| "settings".to_owned(), |n| format!("s.{n}"));
                errors.insert(field, e.message);
            }
        }
    }
    if !errors.is_empty() {
        let pg = page(false, &p, Some(&f), errors, false, &ctx.catalog);
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html(&pg)).into_response());
    }
    st.app.init(who, p, None).await?;
    Ok(Redirect::to("/settings?saved=1").into_response())
}

#[derive(Template)]
#[template(path = "screen.html")]
struct ScreenPage {
    layout: Layout,
    open: Option<ScreenResult>,
    since: String,
    questions: Vec<Question>,
    errors: FieldErrors,
    cleared: bool,
    fresh: bool,
}

#[derive(Deserialize)]
struct ScreenQuery {
    cleared: Option<u8>,
    answered: Option<u8>,
}

async fn screen_page(
    st: &WebState,
    who: AthleteId,
    typed: Option<&FormData>,
    errors: FieldErrors,
    q: &ScreenQuery,
) -> Result<Response, PageError> {
    let ctx = st.app.context(who).await?;
    let state = st.app.red_flag_state(who).await?;
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let pg = ScreenPage {
        layout: Layout::new("Red-flag questions", "/today"),
        since: state
            .since
            .map(|t| backstop_core::time::format_local(t, &ctx.tz))
            .unwrap_or_default(),
        open: state.open.map(|mut o| {
            o.because = o
                .because
                .iter()
                .map(|b| crate::views::red_flags_in_words(b))
                .collect();
            o
        }),
        questions: questions(typed, &errors),
        errors,
        cleared: q.cleared.is_some(),
        fresh: q.answered.is_some(),
    };
    Ok((status, html(&pg)).into_response())
}

async fn screen(
    State(st): State<WebState>,
    Me { who }: Me,
    Query(q): Query<ScreenQuery>,
) -> Result<Response, PageError> {
    screen_page(&st, who, None, FieldErrors::new(), &q).await
}

async fn screen_post(
    State(st): State<WebState>,
    Me { who }: Me,
    headers: axum::http::HeaderMap,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let flags = read_flags(&f, &mut errors);
    if !errors.is_empty() {
        return screen_page(
            &st,
            who,
            Some(&f),
            errors,
            &ScreenQuery {
                cleared: None,
                answered: None,
            },
        )
        .await;
    }
    let context = match f.get("context") {
        Some("leg-symptoms") => ScreeningContext::LegSymptoms,
        Some("flare") => ScreeningContext::Flare,
        _ => ScreeningContext::Recheck,
    };
    match st.app.screen(who, context, flags).await? {
        Some(r) => Ok(stop(r, &headers, st.opts.secure_cookies)),
        None => Ok(Redirect::to("/screen?answered=1").into_response()),
    }
}

async fn clearance_post(
    State(st): State<WebState>,
    Me { who }: Me,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    if !f.checked("confirm") {
        let mut errors = FieldErrors::new();
        errors.insert(
            "confirm".into(),
            "tick the box to confirm a clinician has cleared you".into(),
        );
        return screen_page(
            &st,
            who,
            None,
            errors,
            &ScreenQuery {
                cleared: None,
                answered: None,
            },
        )
        .await;
    }
    st.app
        .clearance(who, None, f.get("note").map(str::to_owned))
        .await?;
    Ok(Redirect::to("/screen?cleared=1").into_response())
}

/// Onboarding, settings and the red-flag screen.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/welcome", get(welcome).post(welcome_post))
        .route("/settings", get(settings).post(settings_post))
        .route("/screen", get(screen).post(screen_post))
        .route("/screen/clearance", post(clearance_post))
}

#[cfg(test)]
mod tests {
    use super::setting_label;
    use backstop_core::engine::settings::FIELDS;

    /// The labels live beside the page, the settings in the core: a setting added without a label would read
    /// "Other setting" on the page.
    #[test]
    fn every_setting_has_its_own_label() {
        let mut seen = std::collections::BTreeSet::new();
        for (name, _, _) in FIELDS {
            let label = setting_label(name);
            assert_ne!(label, "Other setting", "{name} has no label");
            assert!(seen.insert(label), "{name} shares its label {label:?}");
        }
    }
}
