//! Soreness or pain? The triage questions (DS-1…DS-4) with the red-flag questions; the result in words, with
//! its urgency, the answers that decided it and what to do. It routes; it does not diagnose.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use backstop_app::view::TriageView;
use backstop_core::redflags::RedFlag;
use backstop_core::triage::{
    Classification, Location, Movement, Onset, Quality, Trend, TriageAnswers, TriageResult,
};

use crate::WebState;
use crate::error::PageError;
use crate::forms::{FieldErrors, FormData};
use crate::signed_in::{Me, SignedIn};
use crate::views::{ButtonRow, Layout, err, html};

/// A question with its options (value, words).
pub struct Question {
    name: &'static str,
    text: &'static str,
    options: Vec<(&'static str, &'static str)>,
    chosen: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "triage.html")]
struct TriagePage {
    layout: Layout,
    questions: Vec<Question>,
    flags: Vec<(&'static str, &'static str, bool)>,
    pain_row: String,
    /// The triage document, as `triage --json` and the API give it.
    result: Option<TriageView>,
    heading: &'static str,
}

fn questions(f: &FormData, errors: &FieldErrors) -> Vec<Question> {
    let q = |name: &'static str, text: &'static str, options: Vec<(&'static str, &'static str)>| Question {
        name,
        text,
        options,
        chosen: f.get(name).map(str::to_owned),
        error: errors.get(name).cloned(),
    };
    vec![
        q(
            "when",
            "When did it start?",
            vec![
                (Onset::During.as_str(), "during the session"),
                (Onset::Hours.as_str(), "a few hours after"),
                (Onset::NextDay.as_str(), "the next day"),
                (Onset::Days.as_str(), "it has lasted several days"),
            ],
        ),
        q(
            "where",
            "Where is it?",
            vec![
                (Location::Muscle.as_str(), "in the muscles I trained"),
                (Location::Spine.as_str(), "in the spine itself, central"),
                (Location::Buttock.as_str(), "in the buttock"),
                (Location::AboveKnee.as_str(), "down the leg, above the knee"),
                (Location::BelowKnee.as_str(), "down the leg, below the knee"),
            ],
        ),
        q(
            "quality",
            "What does it feel like?",
            vec![
                (Quality::Ache.as_str(), "a dull ache"),
                (Quality::Tight.as_str(), "tight or stiff"),
                (Quality::Sharp.as_str(), "sharp or catching"),
                (Quality::Burning.as_str(), "burning"),
                (Quality::Electric.as_str(), "electric or shooting"),
            ],
        ),
        q(
            "movement",
            "What does gentle movement do to it?",
            vec![
                (Movement::Eases.as_str(), "it eases as I warm up"),
                (Movement::Worsens.as_str(), "it gets worse"),
                (Movement::NoChange.as_str(), "no change"),
            ],
        ),
        q(
            "trend",
            "How is it changing?",
            vec![
                (Trend::Better.as_str(), "getting better"),
                (Trend::Same.as_str(), "about the same"),
                (Trend::Worse.as_str(), "getting worse"),
            ],
        ),
    ]
}

fn page(f: &FormData, errors: FieldErrors, result: Option<TriageResult>) -> TriagePage {
    let heading = match result.as_ref().map(|r| r.classification) {
        Some(Classification::Soreness) => "This looks like training soreness",
        Some(Classification::Pain) => "Pain to respect",
        Some(Classification::Nerve) => "Possible nerve involvement",
        Some(Classification::RedFlag) => "A warning sign: see a clinician",
        None => "",
    };
    TriagePage {
        layout: Layout::new("Soreness or pain?", "/triage"),
        questions: questions(f, &errors),
        flags: RedFlag::ALL
            .iter()
            .map(|r| (r.as_str(), r.question(), f.all("red_flags").contains(&r.as_str())))
            .collect(),
        pain_row: ButtonRow {
            id: None,
            name: "pain",
            legend: "Back pain right now (optional; recorded as a check-in)",
            range: (0, 10),
            ceiling: None,
            selected: f.get("pain").and_then(|v| v.parse().ok()),
            error: err(&errors, "pain"),
            required: false,
        }
        .render(),
        // The core's words are shared with the CLI; on the page, rule ids and CLI commands give way to plain words.
        // The page says which questions are unanswered beside each one, rather than in a list.
        result: result.map(|r| TriageView::new(r, Vec::new())).map(|mut r| {
            r.advice = crate::views::plain(&r.advice);
            r.because = r.because.iter().map(|b| crate::views::plain(b)).collect();
            r
        }),
        heading,
    }
}

fn pick<T: std::str::FromStr>(f: &FormData, name: &str, errors: &mut FieldErrors) -> Option<T> {
    match f.get(name).map(str::parse::<T>) {
        Some(Ok(v)) => Some(v),
        _ => {
            errors.insert(name.into(), "choose one answer".into());
            None
        }
    }
}

async fn triage(_: SignedIn) -> Result<Response, PageError> {
    Ok(html(&page(&FormData::default(), FieldErrors::new(), None)))
}

async fn triage_post(
    State(st): State<WebState>,
    Me { who }: Me,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let when = pick::<Onset>(&f, "when", &mut errors);
    let location = pick::<Location>(&f, "where", &mut errors);
    let quality = pick::<Quality>(&f, "quality", &mut errors);
    let movement = pick::<Movement>(&f, "movement", &mut errors);
    let trend = pick::<Trend>(&f, "trend", &mut errors);
    let pain = f.pain("pain", false, &mut errors);
    let mut red_flags = Vec::new();
    // An older form's separate dark-urine box counts as that red flag.
    if f.checked("dark_urine") {
        red_flags.push(RedFlag::DarkUrine);
    }
    for v in f.all("red_flags") {
        match v.parse::<RedFlag>() {
            Ok(r) => red_flags.push(r),
            Err(e) => {
                errors.insert("red_flags".into(), e.to_string());
            }
        }
    }
    let (Some(when), Some(location), Some(quality), Some(movement), Some(trend)) =
        (when, location, quality, movement, trend)
    else {
        // A red flag acts whatever else is unanswered (RF-2, RF-3): recorded and shown, with the questions still
        // marked as unanswered.
        if !errors.contains_key("red_flags")
            && let Some(result) = st.app.red_flags_alone(who, red_flags).await?
        {
            return Ok(html(&page(&f, errors, Some(result))));
        }
        return Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            html(&page(&f, errors, None)),
        )
            .into_response());
    };
    if !errors.is_empty() {
        return Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            html(&page(&f, errors, None)),
        )
            .into_response());
    }
    let answers = TriageAnswers {
        when,
        location,
        quality,
        movement,
        trend,
        red_flags,
        dark_urine: false,
    };
    let result = st.app.triage(who, answers, pain, None).await?;
    Ok(html(&page(&f, FieldErrors::new(), Some(result))))
}

/// `/triage`.
pub fn routes() -> Router<WebState> {
    Router::new().route("/triage", get(triage).post(triage_post))
}
