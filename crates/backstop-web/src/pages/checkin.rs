//! Check-in: pain now (the 24 h and 48 h check-ins of the Ceiling Method, or any day), with morning stiffness,
//! leg symptoms and "the ache is in the muscles I trained"; after saving, the verdicts it settled, in words.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use backstop_app::CheckInInput;
use backstop_app::view::VerdictView;
use backstop_core::engine::CheckKind;
use backstop_core::time::format_local;
use serde::Deserialize;

use backstop_app::store::AthleteId;

use crate::WebState;
use crate::error::PageError;
use crate::forms::{FieldErrors, FormData};
use crate::signed_in::Me;
use crate::views::{ButtonRow, Layout, err, html};

/// A verdict shown after a check-in.
pub struct Settled {
    when: String,
    word: String,
    status: &'static str,
    reason: String,
}

#[derive(Template)]
#[template(path = "checkin.html")]
struct CheckInPage {
    layout: Layout,
    due: Vec<String>,
    pain_row: String,
    stiffness_row: String,
    typed: FormData,
    saved: bool,
    settled: Vec<Settled>,
    /// A saved check-in that came before a session's next-morning window, said so.
    early: Vec<String>,
    rescreen: bool,
    /// How far the usual leg symptoms reach, in words, when the profile has them.
    usual_leg: Option<&'static str>,
    /// The leg-reach choices: value, label, chosen.
    leg_options: Vec<(&'static str, &'static str, bool)>,
    /// Why training soreness is not a warning (folded; open the first time, on a GET).
    learn: String,
}

#[derive(Deserialize)]
struct DoneQuery {
    saved: Option<u8>,
    leg: Option<u8>,
}

async fn render(
    st: &WebState,
    who: AthleteId,
    q: &DoneQuery,
    typed: FormData,
    errors: FieldErrors,
    seen: Option<&axum::http::HeaderMap>,
) -> Result<Response, PageError> {
    let (shown, cookie) = super::learn::for_page(seen, &["soreness"]);
    let ctx = st.app.context(who).await?;
    let a = st.app.assess_cached(&ctx, who).await?;
    let tz = &ctx.tz;
    let now = a.assessment.now;
    let due = a
        .assessment
        .due_checkins
        .iter()
        .map(|d| {
            let which = match d.kind {
                CheckKind::Morning => "next-morning",
                CheckKind::Second => "second-morning",
            };
            if d.from <= now {
                format!(
                    "Due now: the {which} check-in for the session of {} (until {}).",
                    format_local(d.session_at, tz),
                    format_local(d.until, tz)
                )
            } else {
                format!(
                    "Coming: the {which} check-in for the session of {}, from {}.",
                    format_local(d.session_at, tz),
                    crate::views::window_opens(d.from, d.session_at, tz)
                )
            }
        })
        .collect();
    // After saving, a next-morning check-in still to open: this one came too early to count for that session (a
    // check-in five minutes after a morning session is not its next morning), which the person should hear rather
    // than find the session still waiting.
    let early: Vec<String> = if q.saved.is_some() {
        a.assessment
            .due_checkins
            .iter()
            .filter(|d| d.kind == CheckKind::Morning && d.from > now)
            .map(|d| {
                format!(
                    "Too early to count as the next-morning check-in for the session of {}: that one opens {}. \
                     This check-in is kept as today's pain.",
                    format_local(d.session_at, tz),
                    crate::views::window_opens(d.from, d.session_at, tz)
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    // After saving: the verdicts of the last few days' sessions as they stand now.
    let settled = if q.saved.is_some() {
        a.assessment
            .sessions
            .iter()
            .rev()
            .filter(|v| now.duration_since(v.session_at).as_hours() <= 96)
            .map(|v| VerdictView::new(v, tz))
            .map(|v| Settled {
                when: v.session_at.minute(),
                word: v.word().to_owned(),
                status: match v.status.as_str() {
                    "confirmed" => "confirmed",
                    "unconfirmed" => "not confirmed by a check-in",
                    "unrated" => "no pain recorded: not judged",
                    _ => "waiting for check-ins",
                },
                reason: crate::views::plain(&v.reason),
            })
            .collect()
    } else {
        Vec::new()
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let pain_selected = typed.get("pain").and_then(|v| v.parse().ok());
    let stiff_selected = typed.get("stiffness").and_then(|v| v.parse().ok());
    let page = CheckInPage {
        layout: Layout::new("Check-in", "/checkin"),
        due,
        pain_row: ButtonRow {
            id: None,
            name: "pain",
            legend: "Back pain right now (0 none, 10 worst)",
            range: (0, 10),
            ceiling: None,
            selected: pain_selected,
            error: err(&errors, "pain"),
            required: true,
        }
        .render(),
        stiffness_row: ButtonRow {
            id: None,
            name: "stiffness",
            legend: "Morning stiffness (0 none, 10 worst; optional)",
            range: (0, 10),
            ceiling: None,
            selected: stiff_selected,
            error: err(&errors, "stiffness"),
            required: false,
        }
        .render(),
        usual_leg: st
            .app
            .profile(who)
            .await?
            .and_then(|p| p.usual_leg_symptoms)
            .map(crate::forms::leg_reach_words),
        leg_options: crate::forms::leg_reach_choices(typed.get("leg_reach").unwrap_or(""), "not into a leg"),
        typed,
        saved: q.saved.is_some(),
        settled,
        early,
        rescreen: q.leg.is_some(),
        learn: super::learn::render(&shown),
    };
    Ok(super::learn::remember(
        (status, html(&page)).into_response(),
        cookie,
        st.opts.secure_cookies,
    ))
}

async fn checkin(
    State(st): State<WebState>,
    Me { who }: Me,
    Query(q): Query<DoneQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    render(
        &st,
        who,
        &q,
        FormData::default(),
        FieldErrors::new(),
        Some(&headers),
    )
    .await
}

async fn checkin_post(
    State(st): State<WebState>,
    Me { who }: Me,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let pain = f.pain("pain", true, &mut errors);
    let stiffness = f.stiffness("stiffness", &mut errors);
    let leg_reach = f.leg_reach("leg_reach", &mut errors);
    if !errors.is_empty() {
        return render(
            &st,
            who,
            &DoneQuery {
                saved: None,
                leg: None,
            },
            f,
            errors,
            None,
        )
        .await;
    }
    let out = st
        .app
        .checkin(
            who,
            CheckInInput {
                at: None,
                pain,
                stiffness,
                muscle_soreness: f.checked("muscle_soreness"),
                leg_pain: f.checked("leg_pain"),
                numbness: f.checked("numbness"),
                weakness: f.checked("weakness"),
                leg_reach,
            },
        )
        .await?;
    let leg = if out.rescreen { "&leg=1" } else { "" };
    Ok(Redirect::to(&format!("/checkin?saved=1{leg}")).into_response())
}

/// `/checkin`.
pub fn routes() -> Router<WebState> {
    Router::new().route("/checkin", get(checkin).post(checkin_post))
}
