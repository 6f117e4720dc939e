//! The week: the coming training days and what each holds, the 48 h between heavy hinge or axial days (LM-6), the
//! morning check-ins due, and the training days themselves, which can be moved here (the week is planned again).

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use backstop_app::store::AthleteId;
use backstop_app::view::WeekPlanView;
use backstop_core::Catalog;
use backstop_core::plan::{Mode, is_heavy};
use backstop_core::vocab::Weekday;
use jiff::civil::Date;
use serde::Deserialize;

use crate::WebState;
use crate::error::PageError;
use crate::forms::{FieldErrors, FormData};
use crate::signed_in::{Me, SignedIn};
use crate::views::{Layout, html};

/// One planned exercise, as the week shows it.
pub struct WeekItem {
    pub name: String,
    pub dose: String,
    /// Heavy hinge or axial work (LM-6).
    pub heavy: bool,
    /// The session's one new thing (C5).
    pub new: bool,
}

/// One day of the week.
pub struct WeekDay {
    /// "Monday 8 December".
    pub label: String,
    pub today: bool,
    pub past: bool,
    /// Planned training, when it is a training day still ahead.
    pub training: bool,
    pub mode: &'static str,
    pub minutes: String,
    pub items: Vec<WeekItem>,
    pub notes: Vec<String>,
    /// The check-in due that morning, about the session before.
    pub checkin: Option<String>,
    pub heavy: bool,
}

/// A training-day checkbox.
pub struct DayChip {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "week.html")]
struct WeekPage {
    layout: Layout,
    title: String,
    days: Vec<WeekDay>,
    prev: String,
    next: String,
    chips: Vec<DayChip>,
    errors: FieldErrors,
    moved: bool,
}

#[derive(Deserialize)]
struct WeekQuery {
    date: Option<String>,
    moved: Option<u8>,
}

/// The training-day choices' labels, in `Weekday::ALL` order.
const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// "Monday 8 December".
fn label(d: Date) -> String {
    d.strftime("%A %-d %B").to_string()
}

/// The days of a planned week as the page shows them, from the same view the API returns: what each training day
/// holds, which days carry heavy hinge or axial work, and the morning check-in due the day after each session.
fn week_days(w: &WeekPlanView, catalog: &Catalog, today: Date) -> Vec<WeekDay> {
    w.days
        .iter()
        .map(|v| {
            let d = v.date;
            let checkin = v.checkin_due.then(|| {
                "Morning check-in: how your back took yesterday's session (and again tomorrow, 48 hours on)"
                    .to_owned()
            });
            let mut day = WeekDay {
                label: label(d),
                today: d == today,
                past: d < today,
                training: false,
                mode: "rest",
                minutes: String::new(),
                items: Vec::new(),
                notes: Vec::new(),
                checkin,
                heavy: v.heavy,
            };
            if let Some(p) = &v.plan {
                day.training = true;
                day.mode = match p.mode {
                    Mode::Train => "training",
                    Mode::Recovery => "recovery",
                    Mode::Flare => "flare-friendly",
                    Mode::Blocked => "paused",
                };
                day.minutes = backstop_core::units::format_number(p.estimated_minutes.round());
                day.items = p
                    .items
                    .iter()
                    .filter(|i| i.slot != "warm-up")
                    .map(|i| WeekItem {
                        name: i.name.clone(),
                        dose: i.dose.text.clone(),
                        heavy: catalog.get(&i.exercise).is_some_and(is_heavy),
                        new: i.novelty,
                    })
                    .collect();
                day.notes = p
                    .notes
                    .iter()
                    .filter(|n| n.contains("LM-6") || n.contains("LM-4"))
                    .map(|n| crate::views::note(n))
                    .collect();
            }
            day
        })
        .collect()
}

async fn render(
    st: &WebState,
    who: AthleteId,
    date: Option<&str>,
    errors: FieldErrors,
    typed: Option<&FormData>,
    moved: bool,
) -> Result<Response, PageError> {
    let (ctx, w) = st.app.plan_week(who, date).await?;
    let today = backstop_core::time::civil_date(st.app.now(), &ctx.tz);
    let view = WeekPlanView::new(&w, &ctx.catalog, ctx.profile.units);
    let days = week_days(&view, &ctx.catalog, today);
    let step = |n: i64| {
        w.week_start
            .checked_add(jiff::Span::new().days(n))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let chosen: Vec<&str> = match typed {
        Some(f) => f.all("days"),
        None => ctx.profile.days.iter().map(|d| d.as_str()).collect(),
    };
    let page = WeekPage {
        layout: Layout::new("Week", "/week"),
        title: format!("Week of {}", w.week_start.strftime("%-d %B %Y")),
        days,
        prev: step(-7),
        next: step(7),
        chips: Weekday::ALL
            .iter()
            .zip(DAY_NAMES)
            .map(|(d, name)| DayChip {
                value: d.as_str(),
                label: name,
                checked: chosen.contains(&d.as_str()),
            })
            .collect(),
        errors: errors.clone(),
        moved,
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html(&page)).into_response())
}

async fn week(
    State(st): State<WebState>,
    Me { who }: Me,
    Query(q): Query<WeekQuery>,
) -> Result<Response, PageError> {
    render(
        &st,
        who,
        q.date.as_deref(),
        FieldErrors::new(),
        None,
        q.moved.is_some(),
    )
    .await
}

/// Moves the training days: a new profile version with the days chosen; the week is planned again from it.
async fn move_days(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let mut days = Vec::new();
    for v in f.all("days") {
        match v.parse::<Weekday>() {
            Ok(d) if !days.contains(&d) => days.push(d),
            Ok(_) => {}
            Err(_) => {
                errors.insert("days".into(), format!("{v} is not a day of the week"));
            }
        }
    }
    if days.is_empty() && errors.is_empty() {
        errors.insert("days".into(), "choose at least one training day".into());
    }
    if !errors.is_empty() {
        return render(&st, who, None, errors, Some(&f), false).await;
    }
    days.sort();
    if days != ctx.profile.days {
        let mut p = ctx.profile.clone();
        p.days = days;
        st.app.init(who, p, None).await?;
    }
    Ok(Redirect::to("/week?moved=1").into_response())
}

/// The week's routes.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/week", get(week))
        .route("/week/days", post(move_days))
}
