//! Today: the plan with its reasons and cues, then logging set by set at the gym, the ceiling warning, and
//! finishing the session (`docs/web.md`, "Pages").
//!
//! A session is started by giving pain before (kept in the address until the first set is logged, so an
//! abandoned start stores nothing); the first set writes the session, later sets are appended to it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use backstop_app::Context;
use backstop_app::live::CachedAssessment;
use backstop_app::store::StoredSession;
use backstop_app::view::{DoseView, PlanView};
use backstop_core::catalog::LoadType;
use backstop_core::document::SetDoc;
use backstop_core::engine::Prescription;
use backstop_core::plan::{Mode, Readiness};
use backstop_core::time::{civil_date, format_local};
use backstop_core::{Felt, Pain, SetEntry, WeightUnit};
use jiff::Timestamp;
use serde::Deserialize;

use backstop_app::store::AthleteId;

use crate::WebState;
use crate::error::PageError;
use crate::forms::{FieldErrors, FormData};
use crate::signed_in::{Me, SignedIn};
use crate::views::{ButtonRow, Layout, err, html, words};

#[derive(Deserialize, Default)]
struct TodayQuery {
    /// Unix seconds of a started session with no set yet.
    started: Option<i64>,
    /// Pain before of that start.
    p0: Option<u8>,
    /// The exercise whose set was just logged (its card shows the rest timer).
    logged: Option<String>,
    /// Show the plan again after today's session is finished (a second session on the same day).
    again: Option<u8>,
}

/// The mode banner.
pub struct Banner {
    class: &'static str,
    title: String,
    text: String,
}

/// A set already logged, as a line.
pub struct DoneSet {
    text: String,
    over: bool,
}

/// The form for the next set of an exercise.
pub struct SetForm {
    set_no: usize,
    of: u32,
    amount_name: &'static str,
    amount_label: &'static str,
    amount: String,
    load: Option<String>,
    /// How to choose the weight, under an empty load field (a loaded exercise's first time, PG-7).
    load_hint: Option<String>,
    unit: &'static str,
    rpe: String,
    pain_row: String,
    felt: &'static str,
    form_broke: bool,
    exercise_error: Option<String>,
    amount_error: Option<String>,
    load_error: Option<String>,
    rpe_error: Option<String>,
}

/// One exercise on the page.
pub struct Card {
    id: String,
    name: String,
    slot: String,
    novelty: bool,
    easier_for: Option<String>,
    dose: String,
    rest: String,
    reasons: Vec<String>,
    cues: Vec<String>,
    faults: Vec<String>,
    done: Vec<DoneSet>,
    complete: bool,
    /// The one exercise whose set form is open; the others wait behind "Log a set" (a page of every form open at
    /// once was thousands of pixels long at the gym).
    current: bool,
    form: Option<SetForm>,
    /// The session is under way: the form is shown (otherwise it waits, hidden, for an offline start).
    live: bool,
    warning: Option<String>,
    leg: bool,
    rest_seconds: Option<u32>,
    summary: Option<String>,
    summary_over: bool,
}

/// Today's session, finished: what was done and what comes next.
pub struct Done {
    session_id: i64,
    at: String,
    /// One line per exercise: its name and sets.
    lines: Vec<String>,
    /// "1 minute", "40 minutes".
    minutes: Option<String>,
    /// The morning after the session, as a day ("Tuesday 24 November"): a window opening at 02:00 after an evening
    /// session reads oddly as a time.
    check_in_day: String,
    next_day: Option<String>,
}

/// The session under way.
pub struct Started {
    session_id: Option<i64>,
    started: i64,
    p0: Option<u8>,
    since: String,
    ceiling: u8,
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    layout: Layout,
    date: String,
    banner: Banner,
    notes: Vec<String>,
    due: Vec<String>,
    estimated: String,
    started: Option<Started>,
    start_row: Option<String>,
    /// The ceiling for each pain before, 0 to 10 (PM-2), for the page's script to mark when a session is started
    /// without a connection.
    ceilings: String,
    cards: Vec<Card>,
    page_error: Option<String>,
    finish_minutes: u32,
    finish_row: String,
    finish_errors: FieldErrors,
    blocked: bool,
    done: Option<Done>,
    /// Explanations of what the page decides (pain that settles, one change at a time, flare-ups).
    learn: String,
}

/// What Today says once the day's session is finished.
fn done_today(ctx: &Context, s: &StoredSession, today: jiff::civil::Date) -> Done {
    let tz = &ctx.tz;
    let mut lines: Vec<(String, usize)> = Vec::new();
    for x in &s.session.sets {
        let name = ctx
            .catalog
            .get(&x.exercise)
            .map_or_else(|| x.exercise.clone(), |e| e.name.clone());
        match lines.iter_mut().find(|(n, _)| *n == name) {
            Some((_, k)) => *k += 1,
            None => lines.push((name, 1)),
        }
    }
    let next_day = (1..=7)
        .filter_map(|d| today.checked_add(jiff::Span::new().days(d)).ok())
        .find(|d| ctx.profile.days.iter().any(|w| w.to_jiff() == d.weekday()))
        .map(|d| d.strftime("%A %-d %B").to_string());
    Done {
        session_id: s.id,
        at: format_local(s.session.at, tz),
        lines: lines
            .into_iter()
            .map(|(n, k)| format!("{n}: {k} set{}", if k == 1 { "" } else { "s" }))
            .collect(),
        minutes: s.session.minutes.map(|m| match m.get() {
            1 => "1 minute".to_owned(),
            n => format!("{n} minutes"),
        }),
        check_in_day: backstop_core::time::civil_date(s.session.at + ctx.profile.settings.morning_from, tz)
            .strftime("%A %-d %B")
            .to_string(),
        next_day,
    }
}

fn banner(mode: Mode, a: &CachedAssessment) -> Banner {
    let f = &a.assessment.flare;
    match mode {
        Mode::Train => Banner {
            class: "banner-train",
            title: "Train".into(),
            text: match f.reentry_step {
                Some(s) => format!("Back from a flare-up: re-entry step {s}. Doses stay below where they were."),
                None => "A normal session. Rate pain as you go; the ceiling is marked on every pain row.".into(),
            },
        },
        Mode::Recovery => Banner {
            class: "banner-recovery",
            title: "Recovery day".into(),
            text: "Your pain today is at or above your ceiling: walking and gentle work only.".into(),
        },
        Mode::Flare => Banner {
            class: "banner-flare",
            title: "Flare-up".into(),
            text: "Flare mode: reduce, don't stop. Walking, flare-friendly work and the low-demand work your back tolerates, at a lower dose; nothing new, no loaded hinges, until the flare settles."
                .into(),
        },
        Mode::Blocked => Banner {
            class: "banner-blocked",
            title: "Training paused".into(),
            text: "A red-flag answer is open. See a clinician; once they have cleared you, record it on the screening page."
                .into(),
        },
    }
}

fn amount_of(d: &DoseView) -> (&'static str, &'static str, Option<u32>) {
    match (d.reps, d.seconds, d.metres) {
        (_, Some(s), _) => ("seconds", "Seconds", Some(s)),
        (_, _, Some(m)) => ("metres", "Metres", Some(m)),
        (r, _, _) => ("reps", "Reps", r),
    }
}

fn set_text(s: &SetEntry, unit: WeightUnit) -> String {
    let amount = match s.dose {
        backstop_core::Dose::Reps(r) => format!("{} reps", r.get()),
        backstop_core::Dose::Seconds(x) => format!("{} s", x.get()),
        backstop_core::Dose::Metres(m) => format!("{} m", m.get()),
    };
    let mut t = amount;
    if let Some(l) = s.load {
        t.push_str(&format!(" @ {}", l.display(unit)));
    }
    if let Some(r) = s.rpe {
        t.push_str(&format!(
            ", RPE {}",
            backstop_core::units::format_number(r.value())
        ));
    }
    t.push_str(&match s.pain {
        Some(p) => format!(", pain {}", p.value()),
        None => ", pain not rated".into(),
    });
    match s.felt {
        Felt::Back => t.push_str(", felt in the back"),
        Felt::Leg => t.push_str(", into the leg"),
        Felt::Target => {}
    }
    if s.form_breakdown {
        t.push_str(", form broke down");
    }
    t
}

/// A dose for an exercise that is not in today's plan (an easier option or an extra): the catalog's range start.
fn default_dose(ex: &backstop_core::Exercise) -> Prescription {
    Prescription {
        sets: 2,
        reps: ex.reps.map(|r| r[0]),
        seconds: ex.seconds.map(|s| s[0]),
        metres: ex.metres.map(|m| m[0]),
        load: None,
        target_rpe: Some(6.0),
    }
}

struct CardInput<'a> {
    id: &'a str,
    name: String,
    slot: String,
    novelty: bool,
    easier_for: Option<String>,
    dose: DoseView,
    rest_seconds: u32,
    reasons: Vec<String>,
    cues: Vec<String>,
    faults: Vec<String>,
}

struct Ctx<'a> {
    ctx: &'a Context,
    open: Option<&'a StoredSession>,
    started: bool,
    /// The session can be started from this page: the set forms are rendered hidden, for the page's script to
    /// show when the start is made without a connection (app.js, offline logging).
    can_start: bool,
    ceiling: u8,
    last_pain: Option<u8>,
    logged: Option<&'a str>,
    failed: Option<(&'a str, &'a FieldErrors, &'a FormData)>,
}

fn card(c: &Ctx<'_>, i: CardInput<'_>) -> Card {
    let unit = c.ctx.profile.units;
    let sets: Vec<&SetEntry> = c
        .open
        .map(|s| s.session.sets.iter().filter(|x| x.exercise == i.id).collect())
        .unwrap_or_default();
    let done: Vec<DoneSet> = sets
        .iter()
        .map(|s| DoneSet {
            text: set_text(s, unit),
            over: s.pain.is_some_and(|p| p.value() > c.ceiling),
        })
        .collect();
    let last = sets.last();
    // Any set of this exercise today above the ceiling, or into the leg, stops it for the day (PM-2, PM-4).
    let over = sets
        .iter()
        .filter_map(|s| s.pain)
        .filter(|p| p.value() > c.ceiling)
        .max();
    let leg = sets.iter().any(|s| s.felt == Felt::Leg);
    let ex = c.ctx.catalog.get(i.id);
    let easier = ex
        .and_then(|e| e.regressions.first())
        .and_then(|r| c.ctx.catalog.get(r))
        .map(|e| e.name.clone());
    let warning = over.map(|p| {
        let mut w = format!(
            "Pain {} is above your ceiling of {}: stop this exercise for today.",
            p.value(),
            c.ceiling
        );
        match &easier {
            Some(n) => w.push_str(&format!(
                " If you want to carry on, the easier option, {n}, is below."
            )),
            None => w.push_str(" Move on to the next exercise."),
        }
        w
    });
    let complete = done.len() >= i.dose.sets as usize || warning.is_some() || leg;
    let max_pain = sets.iter().filter_map(|s| s.pain).map(|p| p.value()).max();
    let summary = if complete && !sets.is_empty() {
        Some(match max_pain {
            Some(m) if m > c.ceiling => format!(
                "So far: RED. Highest pain {m} went above your ceiling of {}; the next time will be easier.",
                c.ceiling
            ),
            Some(m) => format!(
                "So far: within your ceiling (highest pain {m} of {}). Tomorrow morning's check-in settles the verdict.",
                c.ceiling
            ),
            None => "No pain was rated, so this exercise gets no verdict from today.".into(),
        })
    } else {
        None
    };
    let form = ((c.started || c.can_start) && !leg && over.is_none()).then(|| {
        let (amount_name, amount_label, planned) = amount_of(&i.dose);
        let prev = last.map(|s| SetDoc::from_entry(s, unit));
        let failed = c.failed.filter(|(ex, _, _)| *ex == i.id);
        let pick = |name: &str, fallback: String| -> String {
            match failed {
                Some((_, _, f)) => f.value(name),
                None => fallback,
            }
        };
        let planned_load = i.dose.load_in(unit);
        let prev_load = prev.as_ref().and_then(|p| p.load_kg.or(p.load_lb));
        let load_default = prev_load.or(planned_load);
        let load = match ex.map(|e| e.load_type) {
            Some(LoadType::External) | None => Some(pick(
                "load",
                load_default
                    .map(backstop_core::units::format_number)
                    .unwrap_or_default(),
            )),
            _ => None,
        };
        let load_hint = load.as_ref().filter(|l| l.is_empty()).map(|_| {
            i.reasons
                .iter()
                .find(|r| r.starts_with("first time with a load"))
                .map(|r| crate::views::note(r))
                .unwrap_or_else(|| {
                    "Pick a weight you could lift for 3 or 4 more reps than you do; the next doses follow from it."
                        .into()
                })
        });
        let amount_prev = prev.as_ref().and_then(|p| match amount_name {
            "seconds" => p.seconds,
            "metres" => p.metres,
            _ => p.reps,
        });
        let errors = failed.map(|(_, e, _)| (*e).clone()).unwrap_or_default();
        let selected = match failed {
            Some((_, _, f)) => f.get("pain").and_then(|v| v.parse().ok()),
            None => c.last_pain,
        };
        let row_id = format!("row-pain-{}", i.id);
        let pain_row = ButtonRow {
            id: Some(&row_id),
            name: "pain",
            legend: "Pain now (0 none, 10 worst)",
            range: (0, 10),
            ceiling: Some(c.ceiling),
            selected,
            error: err(&errors, "pain"),
            required: true,
        }
        .render();
        let felt = match failed.and_then(|(_, _, f)| f.get("felt")) {
            Some("back") => "back",
            Some("leg") => "leg",
            _ => "target",
        };
        SetForm {
            set_no: done.len() + 1,
            of: i.dose.sets.max(1),
            amount_name,
            amount_label,
            amount: pick(
                amount_name,
                amount_prev.or(planned).map(|v| v.to_string()).unwrap_or_default(),
            ),
            load,
            load_hint,
            unit: unit.as_str(),
            rpe: pick(
                "rpe",
                prev.as_ref()
                    .and_then(|p| p.rpe)
                    .map(|r| r.value())
                    .or(i.dose.target_rpe)
                    .map(backstop_core::units::format_number)
                    .unwrap_or_default(),
            ),
            pain_row,
            felt,
            form_broke: failed.is_some_and(|(_, _, f)| f.checked("form")),
            exercise_error: errors.get("exercise").cloned(),
            amount_error: errors.get(amount_name).cloned(),
            load_error: errors.get("load").cloned(),
            rpe_error: errors.get("rpe").cloned(),
        }
    });
    let rest_seconds = (c.logged == Some(i.id) && !complete && i.rest_seconds > 0).then_some(i.rest_seconds);
    Card {
        id: i.id.to_owned(),
        name: i.name,
        slot: words(&i.slot),
        novelty: i.novelty,
        easier_for: i.easier_for,
        dose: i.dose.text.clone(),
        rest: if i.rest_seconds == 0 {
            "no rest needed".to_owned()
        } else if i.rest_seconds >= 60 && i.rest_seconds.is_multiple_of(60) {
            format!("rest {} min", i.rest_seconds / 60)
        } else {
            format!("rest {} s", i.rest_seconds)
        },
        reasons: i.reasons,
        cues: i.cues,
        faults: i.faults,
        done,
        complete,
        current: false,
        form,
        live: c.started,
        warning,
        leg,
        rest_seconds,
        summary_over: max_pain.is_some_and(|m| m > c.ceiling),
        summary,
    }
}

async fn render(
    st: &WebState,
    who: AthleteId,
    q: &TodayQuery,
    failed: Option<(&str, &FieldErrors, &FormData)>,
    start_error: bool,
    finish_errors: FieldErrors,
    seen: Option<&axum::http::HeaderMap>,
) -> Result<Response, PageError> {
    let ctx = st.app.context(who).await?;
    let open = st.app.open_session(who).await?;
    let p0 = open
        .as_ref()
        .and_then(|s| s.session.pain_before)
        .or_else(|| q.p0.and_then(|p| Pain::new(p).ok()));
    let readiness = Readiness {
        pain_now: p0,
        minutes: None,
    };
    // While a session is under way its plan, and the state it started from (due check-ins, flare), stay as they
    // were when it started: its own sets are not yet evidence. One assessment serves the plan and the page.
    let (a, day) = match &open {
        Some(s) => (
            st.app.assess_before(&ctx, who, s.session.at).await?,
            civil_date(s.session.at, &ctx.tz),
        ),
        None => (
            st.app.assess_cached(&ctx, who).await?,
            civil_date(st.app.now(), &ctx.tz),
        ),
    };
    // The page shows the plan document (what `plan --json` and the API give).
    let plan = PlanView::new(
        &backstop_core::plan::plan(&a.assessment, &ctx.profile, &ctx.catalog, readiness, day),
        ctx.profile.units,
    );
    // The day's session is finished: say so, what was done and what comes next, instead of the same plan again
    // (a second session stays one tap away).
    let done = match (&open, q.started, q.again) {
        (None, None, None) => st
            .app
            .finished_today(who, &ctx.tz)
            .await?
            .map(|s| done_today(&ctx, &s, day)),
        _ => None,
    };
    let tz = &ctx.tz;
    let started_at = match (&open, q.started) {
        (Some(s), _) => Some(s.session.at),
        (None, Some(secs)) => Timestamp::from_second(secs).ok(),
        _ => None,
    };
    // Red-flag answers given since the session started (the leg warning asks for them) pause it at once; without
    // a session the assessment is current and the plan already says so.
    let mode = if open.is_some() && st.app.red_flag_state(who).await?.blocks_training {
        Mode::Blocked
    } else {
        plan.mode
    };
    let blocked = mode == Mode::Blocked;
    let ceiling = ctx.profile.session_ceiling(p0);
    let started = started_at.filter(|_| !blocked).map(|at| Started {
        session_id: open.as_ref().map(|s| s.id),
        started: at.as_second(),
        p0: p0.map(|p| p.value()),
        since: format_local(at, tz),
        ceiling,
    });
    let last_pain = open
        .as_ref()
        .and_then(|s| s.session.sets.iter().rev().find_map(|x| x.pain))
        .or(p0)
        .map(|p| p.value())
        // "As planned" repeats a rating within the ceiling; after one above it the next set must be rated afresh.
        .filter(|p| *p <= ceiling);
    let c = Ctx {
        ctx: &ctx,
        open: open.as_ref(),
        started: started.is_some(),
        can_start: started.is_none() && !blocked && done.is_none(),
        ceiling,
        last_pain,
        logged: q.logged.as_deref(),
        failed,
    };
    let mut cards = Vec::new();
    let mut shown: Vec<String> = Vec::new();
    for item in plan.items.iter().filter(|_| done.is_none()) {
        let card_ = card(
            &c,
            CardInput {
                id: &item.exercise,
                name: item.name.clone(),
                slot: item.slot.clone(),
                novelty: item.novelty,
                easier_for: None,
                dose: item.dose.clone(),
                rest_seconds: item.rest_seconds,
                reasons: item.reasons.clone(),
                cues: item.cues.clone(),
                faults: item.faults.clone(),
            },
        );
        shown.push(item.exercise.clone());
        let offer = card_.warning.is_some();
        cards.push(card_);
        // The ceiling warning offers the regression for the remaining sets: its card follows at once.
        if offer
            && let Some(r) = ctx
                .catalog
                .get(&item.exercise)
                .and_then(|e| e.regressions.first())
                .and_then(|r| ctx.catalog.get(r))
            && !plan.items.iter().any(|p| p.exercise == r.id)
            && !shown.contains(&r.id)
        {
            shown.push(r.id.clone());
            cards.push(card(
                &c,
                extra_input(r, Some(item.name.clone()), item.dose.sets, ctx.profile.units),
            ));
        }
    }
    // Exercises logged today that the plan did not hold (an easier option, an extra).
    if let Some(s) = &open {
        for x in &s.session.sets {
            if !shown.contains(&x.exercise)
                && let Some(e) = ctx.catalog.get(&x.exercise)
            {
                shown.push(e.id.clone());
                cards.push(card(
                    &c,
                    extra_input(e, None, default_dose(e).sets, ctx.profile.units),
                ));
            }
        }
    }
    // The open form: the exercise whose set was just refused, else the one just logged while it has sets to go,
    // else the first with sets to go.
    let open_at = cards
        .iter()
        .position(|k| failed.is_some_and(|(ex, _, _)| ex == k.id))
        .or_else(|| {
            cards
                .iter()
                .position(|k| q.logged.as_deref() == Some(k.id.as_str()) && k.form.is_some() && !k.complete)
        })
        .or_else(|| cards.iter().position(|k| k.form.is_some() && !k.complete));
    if let Some(k) = open_at.and_then(|i| cards.get_mut(i)) {
        k.current = true;
    }
    let due = a
        .assessment
        .due_checkins
        .iter()
        .filter(|d| d.from <= a.assessment.now)
        .map(|d| {
            format!(
                "The {} check-in for your session of {} is due (until {}).",
                match d.kind {
                    backstop_core::engine::CheckKind::Morning => "next-morning",
                    backstop_core::engine::CheckKind::Second => "second-morning",
                },
                format_local(d.session_at, tz),
                format_local(d.until, tz)
            )
        })
        .collect();
    let minutes = started_at
        .map(|at| {
            let m = st.app.now().duration_since(at).as_mins();
            u32::try_from(m.clamp(1, 600)).unwrap_or(1)
        })
        .unwrap_or(u32::from(ctx.profile.minutes.get()));
    // A set for an exercise with no card (an unknown name): the error goes at the top.
    let page_error = failed
        .filter(|(ex, _, _)| !cards.iter().any(|c| c.id == *ex))
        .map(|(_, e, _)| e.values().cloned().collect::<Vec<_>>().join("; "));
    // The explanations that go with what this page decides: the first time one is shown (a GET), it is open.
    let mut topics: Vec<&str> = Vec::new();
    if mode == Mode::Flare {
        topics.push("flare-up");
    }
    if done.is_none() && !blocked {
        topics.push("pain-that-settles");
        if cards.iter().any(|c| c.novelty) {
            topics.push("one-change");
        }
    }
    let (shown, cookie) = super::learn::for_page(seen, &topics);
    let page = TodayPage {
        learn: super::learn::render(&shown),
        layout: Layout::new("Today", "/today"),
        page_error,
        date: plan.date.strftime("%A %-d %B").to_string(),
        banner: match (&done, mode) {
            // The day's session is logged: the mode's usual advice ("rate pain as you go") no longer applies.
            (Some(_), Mode::Train) => Banner {
                text: "Today's session is logged.".into(),
                ..banner(mode, &a)
            },
            _ => banner(mode, &a),
        },
        notes: if done.is_none() {
            plan.notes.iter().map(|n| crate::views::note(n)).collect()
        } else {
            Vec::new()
        },
        due,
        estimated: backstop_core::units::format_number(plan.estimated_minutes.round()),
        ceilings: (0..=10u8)
            .map(|p| ctx.profile.settings.ceiling(p).to_string())
            .collect::<Vec<_>>()
            .join(","),
        start_row: (started.is_none() && !blocked && done.is_none()).then(|| {
            ButtonRow {
                id: None,
                name: "pain_before",
                legend: "Pain right now, before you start",
                range: (0, 10),
                ceiling: None,
                selected: None,
                error: start_error.then_some("choose your pain right now, 0 to 10"),
                required: true,
            }
            .render()
        }),
        started,
        cards,
        finish_minutes: minutes,
        finish_row: ButtonRow {
            id: None,
            name: "session_rpe",
            legend: "How hard was the whole session? (1 easy … 10 maximal)",
            range: (1, 10),
            ceiling: None,
            selected: None,
            error: err(&finish_errors, "session_rpe"),
            required: true,
        }
        .render(),
        finish_errors,
        blocked,
        done,
    };
    let status = if failed.is_some() || start_error || !page.finish_errors.is_empty() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok(super::learn::remember(
        (status, html(&page)).into_response(),
        cookie,
        st.opts.secure_cookies,
    ))
}

fn extra_input<'a>(
    e: &'a backstop_core::Exercise,
    easier_for: Option<String>,
    planned_sets: u32,
    unit: WeightUnit,
) -> CardInput<'a> {
    let dose = DoseView::new(
        &Prescription {
            sets: planned_sets.max(1),
            ..default_dose(e)
        },
        unit,
    );
    let reason = match &easier_for {
        Some(hard) => format!("The easier option for {hard}, at the start of its range, for the sets left."),
        None => format!(
            "Not in today's plan: {} is here because you logged it today.",
            e.name
        ),
    };
    CardInput {
        id: &e.id,
        name: e.name.clone(),
        slot: e.pattern.as_str().to_owned(),
        novelty: false,
        easier_for,
        dose,
        rest_seconds: 60,
        reasons: vec![reason],
        cues: e.cues.clone(),
        faults: e.faults.clone(),
    }
}

async fn today(
    State(st): State<WebState>,
    Me { who }: Me,
    Query(q): Query<TodayQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    render(&st, who, &q, None, false, FieldErrors::new(), Some(&headers)).await
}

async fn start(
    State(st): State<WebState>,
    Me { who }: Me,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    match f.pain("pain_before", true, &mut errors) {
        Some(p) => Ok(Redirect::to(&format!(
            "/today?started={}&p0={}",
            st.app.now().as_second(),
            p.value()
        ))
        .into_response()),
        None => {
            render(
                &st,
                who,
                &TodayQuery::default(),
                None,
                true,
                FieldErrors::new(),
                None,
            )
            .await
        }
    }
}

/// Reads a set form into a set document (the same shape the CLI and API take).
pub fn set_doc(
    f: &FormData,
    unit: WeightUnit,
    pain_required: bool,
    errors: &mut FieldErrors,
) -> Option<SetDoc> {
    let exercise = f.get("exercise").map(str::to_owned);
    if exercise.is_none() {
        errors.insert("exercise".into(), "which exercise?".into());
    }
    let reps = f.count("reps", u32::from(backstop_core::Reps::MAX), "reps", errors);
    let seconds = f.count("seconds", 14_400, "seconds", errors);
    let metres = f.count("metres", 50_000, "metres", errors);
    if reps.is_none() && seconds.is_none() && metres.is_none() && !errors.contains_key("reps") {
        errors.insert(
            "reps".into(),
            "give the reps (or seconds, or metres) you did".into(),
        );
    }
    let load = f.load("load", errors);
    let rpe = f.rpe("rpe", false, errors);
    let pain = f.pain("pain", pain_required, errors);
    let felt = match f.get("felt") {
        Some("back") => Felt::Back,
        Some("leg") => Felt::Leg,
        _ => Felt::Target,
    };
    if !errors.is_empty() {
        return None;
    }
    Some(SetDoc {
        exercise: exercise?,
        reps,
        seconds,
        metres,
        load_kg: if unit == WeightUnit::Kg { load } else { None },
        load_lb: if unit == WeightUnit::Lb { load } else { None },
        rpe,
        pain,
        felt,
        form_breakdown: f.checked("form"),
        // A correction keeps the set's kind (an imported warm-up stays a warm-up).
        kind: f
            .get("kind")
            .and_then(|k| serde_json::from_value(serde_json::Value::String(k.to_owned())).ok())
            .unwrap_or_default(),
    })
}

/// The header the page's script sends with a set from its offline queue: the answer is then a status, not a page
/// (204 stored or already stored, 422 with the reasons in words, 404 when its session is gone).
const QUEUE_HEADER: &str = "x-backstop-queue";

/// The answer to a queued set that was refused: what was wrong, in words, for the page to show beside it.
fn refused(errors: &FieldErrors) -> Response {
    let words: Vec<String> = errors.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    (StatusCode::UNPROCESSABLE_ENTITY, words.join("; ")).into_response()
}

async fn log_set(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    headers: axum::http::HeaderMap,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let queued = headers.contains_key(QUEUE_HEADER);
    let mut errors = FieldErrors::new();
    let mut doc = set_doc(&f, ctx.profile.units, true, &mut errors);
    // A loaded exercise needs its weight: said next to the load field, with the first-weight guide.
    if let Some(d) = &doc
        && d.load_kg.is_none()
        && d.load_lb.is_none()
        && backstop_app::takes_weight(&ctx.catalog, &d.exercise)
    {
        errors.insert(
            "load".into(),
            format!(
                "give the weight you used (0 for an empty machine or handle); {}",
                backstop_app::FIRST_WEIGHT
            ),
        );
        doc = None;
    }
    let q = TodayQuery {
        started: f.get("started").and_then(|v| v.parse().ok()),
        p0: f.get("p0").and_then(|v| v.parse().ok()),
        logged: None,
        again: None,
    };
    let exercise = f.value("exercise");
    let Some(doc) = doc else {
        if queued {
            return Ok(refused(&errors));
        }
        return render(
            &st,
            who,
            &q,
            Some((&exercise, &errors, &f)),
            false,
            FieldErrors::new(),
            None,
        )
        .await;
    };
    let session_id = f.get("session").and_then(|v| v.parse::<i64>().ok());
    // The id the page's script gives every set it sends (app.js): a set sent again from the offline queue, or
    // retried after a lost answer, is stored once.
    let client_id = f.get("client_id").filter(|v| !v.is_empty());
    let result = match session_id {
        Some(id) => st
            .app
            .log_set_in(&ctx, who, id, &doc, client_id)
            .await
            .map(|_| ()),
        None => {
            let Some(started) = q.started.and_then(|s| Timestamp::from_second(s).ok()) else {
                if queued {
                    errors.insert(
                        "started".into(),
                        "the set names no session and no start time".into(),
                    );
                    return Ok(refused(&errors));
                }
                return Ok(Redirect::to("/today").into_response());
            };
            let p0 = q.p0.and_then(|p| Pain::new(p).ok());
            st.app
                .start_session_in(&ctx, who, started, p0, &doc, client_id)
                .await
                .map(|_| ())
        }
    };
    match result {
        Ok(()) if queued => Ok(StatusCode::NO_CONTENT.into_response()),
        Ok(()) => Ok(Redirect::to(&format!(
            "/today?logged={}#ex-{}",
            crate::pages::urlencode(&exercise),
            crate::pages::urlencode(&exercise)
        ))
        .into_response()),
        Err(e) if e.is_input() && !matches!(e, backstop_app::AppError::Store(_)) => {
            errors.insert("exercise".into(), e.to_string());
            if queued {
                return Ok(refused(&errors));
            }
            render(
                &st,
                who,
                &q,
                Some((&exercise, &errors, &f)),
                false,
                FieldErrors::new(),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn finish(
    State(st): State<WebState>,
    Me { who }: Me,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let minutes = f.minutes("minutes", true, &mut errors);
    let rpe = f.rpe("session_rpe", true, &mut errors);
    let id = f.get("session").and_then(|v| v.parse::<i64>().ok());
    match (id, minutes, rpe) {
        (Some(id), Some(m), Some(r)) => {
            st.app.finish_session(who, id, m, r).await?;
            Ok(Redirect::to(&format!("/sessions/{id}?finished=1")).into_response())
        }
        (None, _, _) => Ok(Redirect::to("/today").into_response()),
        _ => render(&st, who, &TodayQuery::default(), None, false, errors, None).await,
    }
}

/// `/today` and its forms.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/today", get(today))
        .route("/today/start", post(start))
        .route("/today/sets", post(log_set))
        .route("/today/finish", post(finish))
}
