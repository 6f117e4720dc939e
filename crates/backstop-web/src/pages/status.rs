//! Status: flare state and re-entry step, the tolerance ledger, suspects with their evidence, what your back
//! seems sensitive to; and one page per exercise with its dose timeline and verdict history ("why").

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use backstop_app::view::{LedgerView, LocalTime, StatusView, VerdictView, WhyView};
use backstop_core::catalog::DoseRange;
use backstop_core::engine::CauseLevel;

use crate::WebState;
use crate::error::PageError;
use crate::signed_in::SignedIn;
use crate::views::{Layout, html, words};

/// The next step for an exercise in words: step, dose, the exercise to swap to, the retest date.
fn next_text(l: &LedgerView, name: impl Fn(&str) -> String) -> String {
    let mut n = words(&l.next);
    if let Some(d) = &l.dose {
        n.push_str(&format!(": {}", d.text));
    }
    if let Some(step) = l.step_in_words() {
        n.push_str(&format!(" ({step})"));
    }
    if let Some(s) = &l.swap_to {
        if l.moves_on() {
            n.push_str(&format!(" — move on to {}", name(s)));
        } else {
            n.push_str(&format!(" (or {})", name(s)));
        }
    }
    match l.provocation.as_deref() {
        Some("confirmed") => n.push_str(" — confirmed: red again at its retest"),
        Some("cleared") => n.push_str(" — cleared by two calm retests"),
        _ => {}
    }
    if let Some(r) = &l.retest_from {
        n.push_str(&format!(", retest from {}", r.minute()));
    }
    crate::views::plain(&n)
}

/// A ledger row.
pub struct Row {
    id: String,
    name: String,
    status: String,
    last: String,
    next: String,
    reason: String,
}

/// A suspect row.
pub struct SuspectRow {
    name: String,
    evidence: String,
    confidence: String,
}

/// A pattern or direction the back reacts to, in one plain sentence and its numbers.
pub struct CauseRow {
    headline: String,
    evidence: String,
}

/// An open red-flag result on the status page.
struct RedFlagBanner {
    /// "Training paused" while it pauses training, else the result's headline.
    title: String,
    /// Whether it pauses training now.
    blocks: bool,
    /// What to do, and what training does now.
    advice: String,
    /// The answers behind it, in words.
    because: String,
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage {
    layout: Layout,
    flare: Option<String>,
    reentry: Option<String>,
    red_flag: Option<RedFlagBanner>,
    trend: String,
    rows: Vec<Row>,
    suspects: Vec<SuspectRow>,
    causes: Vec<CauseRow>,
    sensitivities: Vec<String>,
    alerts: Vec<String>,
    recent: Vec<(String, String, String)>,
    ladders: Vec<LadderView>,
    /// Done before without any pain recorded (BK-9): (id, name, last dose, when, sessions).
    unrated: Vec<(String, String, String, String, usize)>,
    /// What a coach or clinician set and is in force, in words with who and when.
    care: Vec<String>,
}

/// A goal lift's ladder as shown: its rungs by name, the person's rung marked.
pub struct LadderView {
    goal: String,
    /// (name, this is where the person is, already climbed)
    rungs: Vec<(String, bool, bool)>,
    summary: String,
}

async fn status(State(st): State<WebState>, SignedIn { who, ctx }: SignedIn) -> Result<Response, PageError> {
    let c = st.app.assess_cached(&ctx, who).await?;
    // The page shows the status document (what `status --json` and the API give), and the last five session
    // verdicts.
    let v = StatusView::new(&c.assessment, &ctx.tz, ctx.profile.units).with_care(
        &ctx.care,
        &ctx.tz,
        &ctx.catalog,
    );
    let recent: Vec<VerdictView> = c
        .assessment
        .sessions
        .iter()
        .rev()
        .take(5)
        .map(|s| VerdictView::new(s, &ctx.tz))
        .collect();
    let name = |id: &str| {
        ctx.catalog
            .get(id)
            .map_or_else(|| id.to_owned(), |e| e.name.clone())
    };
    let mut rows: Vec<Row> = v
        .exercises
        .iter()
        .map(|l| Row {
            id: l.exercise.clone(),
            name: name(&l.exercise),
            status: words(&l.status),
            last: l.last_verdict.clone().unwrap_or_else(|| "pending".into()),
            next: next_text(l, name),
            reason: crate::views::plain(&l.reason),
        })
        .collect();
    rows.sort_by(|x, y| x.name.cmp(&y.name));
    let ladders = v
        .ladders
        .iter()
        .map(|l| LadderView {
            goal: name(&l.goal),
            rungs: l
                .rungs
                .iter()
                .enumerate()
                .map(|(i, r)| (name(r), Some(i) == l.position, l.position.is_some_and(|p| i < p)))
                .collect(),
            summary: if l.rungs.is_empty() {
                "Your equipment allows no way there yet.".into()
            } else if l.reached {
                "Reached: it is in your sessions now.".into()
            } else {
                match l.position {
                    None => "Not started: the first rung comes in as a session's one change.".into(),
                    Some(p) => format!(
                        "Rung {} of {}: the next one comes after calm sessions at the top of this one.",
                        p + 1,
                        l.rungs.len()
                    ),
                }
            },
        })
        .collect();
    let care = v
        .care
        .iter()
        .map(|c| format!("{} (set by {} on {})", capital(&c.words), c.by, c.at.date()))
        .collect();
    let page = StatusPage {
        care,
        ladders,
        unrated: v
            .unrated
            .iter()
            .map(|u| {
                (
                    u.exercise.clone(),
                    name(&u.exercise),
                    u.last_dose.clone(),
                    u.last_at.date().to_string(),
                    u.sessions,
                )
            })
            .collect(),
        layout: Layout::new("Status", "/status"),
        flare: v.flare.active.then(|| {
            format!(
                "In a flare-up since {}{}.",
                v.flare.since.as_ref().map(LocalTime::minute).unwrap_or_default(),
                if v.flare.declared {
                    " (declared by you)"
                } else {
                    " (from your pain reports, FL-1)"
                }
            )
        }),
        reentry: v
            .flare
            .reentry_step
            .map(|s| format!("Coming back from a flare-up: re-entry step {s}.")),
        red_flag: v.red_flags.open.as_ref().map(|o| RedFlagBanner {
            // Only a result that pauses training now says so (RF-2, RF-3, DS-4); a "soon" one, or an urgent one
            // whose 72 hours are over, says what to do.
            title: if v.red_flags.blocks_training {
                "Training paused".into()
            } else {
                o.headline.clone()
            },
            blocks: v.red_flags.blocks_training,
            advice: v.red_flags.advice.clone().unwrap_or_default(),
            because: crate::views::red_flags_in_words(&format!("{}: {}", o.urgency, o.because.join("; "))),
        }),
        trend: {
            let t = &v.trend;
            let f = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |x| format!("{x:.1}"));
            let mut s = format!(
                "Average check-in pain this week {}, last week {}.",
                f(t.pain_this_week),
                f(t.pain_last_week)
            );
            if t.deload {
                s.push_str(" Pain is rising: take a lighter week.");
            } else if t.hold {
                s.push_str(" Pain is creeping up: no load increases this week.");
            }
            s
        },
        rows,
        suspects: v
            .suspects
            .iter()
            .map(|s| SuspectRow {
                name: name(&s.exercise),
                evidence: crate::views::plain(&s.evidence),
                confidence: s.confidence.clone(),
            })
            .collect(),
        causes: v
            .causes
            .iter()
            .filter(|c| c.level != CauseLevel::Exercise.as_str())
            .map(|c| CauseRow {
                headline: crate::views::plain(&c.headline),
                evidence: crate::views::plain(&c.evidence),
            })
            .collect(),
        sensitivities: v
            .sensitivities
            .iter()
            .map(|s| {
                format!(
                    "{}: {} — {}",
                    s.category,
                    words(&s.status),
                    crate::views::plain(&s.evidence)
                )
            })
            .collect(),
        alerts: v.alerts.iter().map(|x| crate::views::plain(&x.message)).collect(),
        recent: recent
            .iter()
            .map(|r| {
                (
                    r.session_at.minute(),
                    r.word().to_owned(),
                    crate::views::plain(&r.reason),
                )
            })
            .collect(),
    };
    Ok(html(&page))
}

/// One exposure on the exercise page.
pub struct Exposure {
    when: String,
    dose: String,
    pain: String,
    verdict: String,
    blame: String,
}

#[derive(Template)]
#[template(path = "exercise.html")]
struct ExercisePage {
    layout: Layout,
    name: String,
    id: String,
    status: String,
    next: String,
    reason: String,
    /// As a suspect: its confidence and the numbers.
    suspect: Option<(String, String)>,
    /// Patterns and directions named as causes that hold it back: headline and numbers.
    causes: Vec<(String, String)>,
    chart: String,
    exposures: Vec<Exposure>,
    cues: Vec<String>,
    faults: Vec<String>,
    regressions: Vec<(String, String)>,
    progressions: Vec<(String, String)>,
    /// Movement, equipment, dose range and what it asks of the back.
    facts: Vec<(&'static str, String)>,
    own: bool,
    added: bool,
    /// Left out of the plans by a coach or clinician: who and when.
    not_planned: Option<String>,
}

#[derive(serde::Deserialize)]
struct ExerciseQuery {
    added: Option<u8>,
}

async fn exercise(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<ExerciseQuery>,
) -> Result<Response, PageError> {
    let Some(ex) = ctx.catalog.get(&id) else {
        return Err(PageError::NotFound(format!(
            "There is no exercise {id:?} in your catalog."
        )));
    };
    let c = st.app.assess_cached(&ctx, who).await?;
    let unit = ctx.profile.units;
    let a = &c.assessment;
    let l = a.exercise(&ex.id);
    // The page shows the `why` document (what `why --json` gives); the chart draws the same sessions.
    let why = WhyView::of(a, &ex.id, &ctx.catalog, &ctx.tz, unit)
        .map(|w| w.with_care(&ctx.care, &ctx.tz, &ctx.catalog));
    let name = |id: &str| {
        ctx.catalog
            .get(id)
            .map_or_else(|| id.to_owned(), |e| e.name.clone())
    };
    let evidence = l.map(|l| l.evidence.as_slice()).unwrap_or_default();
    let page = ExercisePage {
        layout: Layout::new(ex.name.clone(), "/exercises"),
        name: ex.name.clone(),
        id: ex.id.clone(),
        status: why
            .as_ref()
            .map_or_else(|| "untested".into(), |w| words(&w.ledger.status)),
        next: why
            .as_ref()
            .map_or_else(String::new, |w| next_text(&w.ledger, name)),
        reason: why.as_ref().map_or_else(
            || "Never done: it starts at a conservative dose when the planner introduces it.".into(),
            |w| crate::views::plain(&w.ledger.reason),
        ),
        suspect: why
            .as_ref()
            .and_then(|w| w.suspect.as_ref())
            .map(|s| (s.confidence.clone(), crate::views::plain(&s.evidence))),
        not_planned: ctx
            .care
            .iter()
            .find(|d| d.kind == backstop_app::store::CareKind::NotPlanned && d.value == ex.id)
            .map(|d| {
                format!(
                    "{} asked on {} for it not to be planned: it is left out of your sessions until they undo it.",
                    d.by_name,
                    LocalTime::new(d.at, &ctx.tz).date()
                )
            }),
        causes: why
            .iter()
            .flat_map(|w| &w.causes)
            .map(|c| (crate::views::plain(&c.headline), crate::views::plain(&c.evidence)))
            .collect(),
        chart: if evidence.is_empty() {
            String::new()
        } else {
            backstop_report::svg::dose_timeline(&ex.name, evidence, unit, &ctx.tz)
        },
        exposures: why
            .iter()
            .flat_map(|w| w.evidence.iter().rev())
            .map(|e| Exposure {
                when: e.session_at.minute(),
                dose: e.dose.clone(),
                pain: e.max_pain.map_or_else(|| "–".into(), |p| p.to_string()),
                verdict: e.verdict.clone().unwrap_or_else(|| "pending".into()),
                blame: match e.blame.as_str() {
                    "attributed" => "yes".into(),
                    "shared" => "shared with the session's other changes".into(),
                    _ => "no".into(),
                },
            })
            .collect(),
        cues: ex.cues.clone(),
        faults: ex.faults.clone(),
        regressions: ex
            .regressions
            .iter()
            .filter_map(|r| ctx.catalog.get(r))
            .map(|r| (r.id.clone(), r.name.clone()))
            .collect(),
        progressions: ex
            .progressions
            .iter()
            .filter_map(|r| ctx.catalog.get(r))
            .map(|r| (r.id.clone(), r.name.clone()))
            .collect(),
        facts: vec![
            ("Movement", words(ex.pattern.as_str())),
            (
                "Equipment",
                ex.equipment
                    .iter()
                    .map(|e| words(e.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            (
                "Range",
                match ex.dose_range() {
                    Some(DoseRange::Reps(a, b)) => format!("{a}–{b} reps"),
                    Some(DoseRange::Seconds(a, b)) => format!("{a}–{b} s"),
                    Some(DoseRange::Metres(a, b)) => format!("{a}–{b} m"),
                    None => "—".into(),
                },
            ),
            ("Back", super::catalog::demand_words(ex)),
            (
                "In a flare-up",
                if ex.flare_safe { "fine" } else { "left out" }.into(),
            ),
        ],
        own: ctx.catalog.is_custom(&ex.id),
        added: q.added.is_some(),
    };
    Ok(html(&page))
}

/// `/status` and `/exercises/{id}`.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/status", get(status))
        .route("/exercises/{id}", get(exercise))
}

/// The first letter in capitals.
fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
