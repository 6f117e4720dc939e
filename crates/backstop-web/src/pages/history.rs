//! History: sessions newest first; one session with its sets, check-ins and verdict; correcting or deleting a
//! mistaken set, with an undo that puts the session back exactly as it was.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use backstop_app::store::AthleteId;
use backstop_app::view::{CheckInView, SessionView};
use backstop_core::document::SetDoc;
use backstop_core::engine::CheckKind;
use backstop_core::time::format_local;
use serde::Deserialize;

use crate::WebState;
use crate::error::PageError;
use crate::forms::{FieldErrors, FormData};
use crate::signed_in::{Me, SignedIn};
use crate::views::{Layout, html};

/// How many sessions one history page lists.
const PAGE: usize = 20;

/// A line of the history list.
pub struct Line {
    id: i64,
    when: String,
    sets: usize,
    exercises: String,
    verdict: String,
    checkins: String,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    layout: Layout,
    lines: Vec<Line>,
    page: usize,
    more: bool,
    undo: Option<String>,
}

#[derive(Deserialize)]
struct HistoryQuery {
    page: Option<usize>,
    undo: Option<String>,
}

/// The exercises of a session by name, in the order first done; one the catalog no longer knows keeps its id.
fn summary(v: &SessionView, catalog: &backstop_core::catalog::Catalog) -> String {
    let mut ids: Vec<&str> = Vec::new();
    for s in &v.sets {
        if !ids.contains(&s.exercise.as_str()) {
            ids.push(&s.exercise);
        }
    }
    ids.iter()
        .map(|id| catalog.get(id).map_or(*id, |x| x.name.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A check-in about a session, in a few words.
fn checkin_text(x: &CheckInView) -> String {
    let mut t = format!("{} h after: pain {}", x.hours_after, x.pain);
    if let Some(st) = x.stiffness {
        t.push_str(&format!(", stiffness {st}"));
    }
    if x.leg_pain || x.numbness || x.weakness {
        t.push_str(", leg or nerve symptoms");
    }
    if x.muscle_soreness {
        t.push_str(", muscle soreness");
    }
    t
}

async fn history(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Query(q): Query<HistoryQuery>,
) -> Result<Response, PageError> {
    let page = q.page.unwrap_or(0);
    let c = st.app.assess_cached(&ctx, who).await?;
    let (entries, more) = st.app.history_page(&ctx, who, &c, page, PAGE).await?;
    // The sessions as `history --json` and the API give them.
    let lines = entries
        .iter()
        .map(|e| SessionView::new(e, c.assessment.session(e.at.timestamp())))
        .map(|v| Line {
            id: v.id,
            when: v.at.minute(),
            sets: v.sets.len(),
            exercises: summary(&v, &ctx.catalog),
            checkins: v
                .checkins
                .iter()
                .map(|x| format!("{} h: {}", x.hours_after.round(), x.pain))
                .collect::<Vec<_>>()
                .join(", "),
            verdict: v.verdict,
        })
        .collect();
    Ok(html(&HistoryPage {
        layout: Layout::new("History", "/history"),
        lines,
        page,
        more,
        undo: match q.undo {
            Some(t) if st.app.has_undo(who, &t).await? => Some(t),
            _ => None,
        },
    }))
}

/// A set on the session page, with its correction form values.
pub struct SetRow {
    pos: usize,
    exercise: String,
    name: String,
    amount_name: &'static str,
    amount: String,
    load: String,
    rpe: String,
    pain: String,
    felt: &'static str,
    form: bool,
    kind: &'static str,
    expect: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    layout: Layout,
    id: i64,
    when: String,
    facts: String,
    verdict: String,
    reason: String,
    sets: Vec<SetRow>,
    checkins: Vec<String>,
    finished: bool,
    due: Vec<String>,
    undo: Option<String>,
    unit: &'static str,
}

#[derive(Deserialize)]
struct SessionQuery {
    finished: Option<u8>,
    undo: Option<String>,
}

async fn render_session(
    st: &WebState,
    who: AthleteId,
    id: i64,
    q: &SessionQuery,
    failed: Option<(usize, String, &FormData)>,
) -> Result<Response, PageError> {
    let ctx = st.app.context(who).await?;
    let s = st.app.session(who, id).await?;
    let c = st.app.assess_cached(&ctx, who).await?;
    let unit = ctx.profile.units;
    let tz = &ctx.tz;
    // The session as `history --json` and the API give it, with the check-ins about it (only its own day's entries
    // are built).
    let day = backstop_core::time::civil_date(s.session.at, tz).to_string();
    let entries = st.app.history(who, Some(&day), Some(&day)).await?;
    let v = match entries.iter().find(|e| e.id == id) {
        Some(e) => SessionView::new(e, c.assessment.session(s.session.at)),
        None => SessionView::stored(&s, tz, unit, c.assessment.session(s.session.at)),
    };
    let checkins = v.checkins.iter().map(checkin_text).collect();
    let mut facts = Vec::new();
    if let Some(p) = v.pain_before {
        facts.push(format!("pain before {p}"));
    }
    if let Some(m) = v.minutes {
        facts.push(format!("{m} min"));
    }
    if let Some(r) = v.session_rpe {
        facts.push(format!("session RPE {}", backstop_core::units::format_number(r)));
    }
    if let Some(src) = &s.session.source {
        facts.push(format!("imported ({})", src.split(':').next().unwrap_or(src)));
    }
    let sets = s
        .session
        .sets
        .iter()
        .enumerate()
        .map(|(pos, x)| {
            let d = SetDoc::from_entry(x, unit);
            let (amount_name, amount) = match (d.reps, d.seconds, d.metres) {
                (_, Some(v), _) => ("seconds", v.to_string()),
                (_, _, Some(v)) => ("metres", v.to_string()),
                (r, _, _) => ("reps", r.map(|v| v.to_string()).unwrap_or_default()),
            };
            SetRow {
                pos,
                name: ctx
                    .catalog
                    .get(&x.exercise)
                    .map_or_else(|| x.exercise.clone(), |e| e.name.clone()),
                exercise: x.exercise.clone(),
                amount_name,
                amount,
                load: d
                    .load_kg
                    .or(d.load_lb)
                    .map(backstop_core::units::format_number)
                    .unwrap_or_default(),
                rpe: d
                    .rpe
                    .map(|r| backstop_core::units::format_number(r.value()))
                    .unwrap_or_default(),
                pain: d.pain.map(|p| p.value().to_string()).unwrap_or_default(),
                felt: x.felt.as_str(),
                form: x.form_breakdown,
                kind: x.kind.as_str(),
                expect: backstop_app::live::set_fingerprint(x),
                error: None,
            }
        })
        .map(|row| match failed {
            // A refused correction shows what was typed, every field of it, beside the reason.
            Some((p, ref e, f)) if p == row.pos => {
                let typed = |name: &str| f.get(name).unwrap_or_default().trim().to_owned();
                SetRow {
                    amount: typed(row.amount_name),
                    load: typed("load"),
                    rpe: typed("rpe"),
                    pain: typed("pain"),
                    felt: match f.get("felt") {
                        Some("back") => "back",
                        Some("leg") => "leg",
                        _ => "target",
                    },
                    form: f.checked("form"),
                    error: Some(e.clone()),
                    ..row
                }
            }
            _ => row,
        })
        .collect();
    let due = c
        .assessment
        .due_checkins
        .iter()
        .filter(|d| d.session_at == s.session.at)
        .map(|d| {
            format!(
                "{} check-in: from {}, until {}.",
                match d.kind {
                    CheckKind::Morning => "Next-morning",
                    CheckKind::Second => "Second-morning",
                },
                crate::views::window_opens(d.from, s.session.at, tz),
                format_local(d.until, tz)
            )
        })
        .collect();
    let page = SessionPage {
        layout: Layout::new("Session", "/history"),
        id,
        when: v.at.minute(),
        facts: facts.join(" · "),
        reason: crate::views::plain(&v.reason),
        verdict: v.verdict,
        sets,
        checkins,
        finished: q.finished.is_some(),
        due,
        undo: match &q.undo {
            Some(t) if st.app.has_undo(who, t).await? => Some(t.clone()),
            _ => None,
        },
        unit: unit.as_str(),
    };
    let status = if failed.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, html(&page)).into_response())
}

async fn session(
    State(st): State<WebState>,
    Me { who }: Me,
    Path(id): Path<i64>,
    Query(q): Query<SessionQuery>,
) -> Result<Response, PageError> {
    render_session(&st, who, id, &q, None).await
}

async fn delete_set(
    State(st): State<WebState>,
    Me { who }: Me,
    Path((id, pos)): Path<(i64, usize)>,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let removed = st.app.delete_set(who, id, pos, f.get("expect")).await?;
    let token = st
        .app
        .keep_undo(who, id, &removed.before, removed.after.as_ref())
        .await?;
    if removed.session_deleted {
        Ok(Redirect::to(&format!("/history?undo={token}")).into_response())
    } else {
        Ok(Redirect::to(&format!("/sessions/{id}?undo={token}")).into_response())
    }
}

async fn edit_set(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Path((id, pos)): Path<(i64, usize)>,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let doc = crate::pages::today::set_doc(&f, ctx.profile.units, false, &mut errors);
    let q = SessionQuery {
        finished: None,
        undo: None,
    };
    let Some(doc) = doc else {
        let msg = errors.values().cloned().collect::<Vec<_>>().join("; ");
        return render_session(&st, who, id, &q, Some((pos, msg, &f))).await;
    };
    match st.app.edit_set(who, id, pos, &doc, f.get("expect")).await {
        Ok((before, after)) => {
            let token = st.app.keep_undo(who, id, &before, Some(&after)).await?;
            Ok(Redirect::to(&format!("/sessions/{id}?undo={token}")).into_response())
        }
        Err(e) if matches!(e, backstop_app::AppError::Input(_)) => {
            render_session(&st, who, id, &q, Some((pos, e.to_string(), &f))).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn undo(
    State(st): State<WebState>,
    Me { who }: Me,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let Some(u) = st.app.take_undo(who, &token).await? else {
        return Err(PageError::NotFound(format!(
            "That undo was used or has expired (the last {} changes can be undone).",
            backstop_app::undo::UNDO_KEEP
        )));
    };
    let id = st
        .app
        .put_back(who, u.session_id, &u.before, u.after.as_ref())
        .await?;
    Ok(Redirect::to(&format!("/sessions/{id}")).into_response())
}

/// History, sessions, corrections.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/history", get(history))
        .route("/sessions/{id}", get(session))
        .route("/sessions/{id}/sets/{pos}", post(edit_set))
        .route("/sessions/{id}/sets/{pos}/delete", post(delete_set))
        .route("/undo/{token}", post(undo))
}
