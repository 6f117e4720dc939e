//! The catalog: every exercise, found by words, movement pattern, equipment and how much it asks of the back, with
//! the lifter's own standing with each; and a form to add an exercise of one's own.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use backstop_app::exercise_input::ExerciseInput;
use backstop_core::Exercise;
use backstop_core::catalog::LoadType;
use backstop_core::vocab::{Direction, Equipment, Pattern};
use serde::Deserialize;

use crate::WebState;
use crate::error::PageError;
use crate::forms::{FieldErrors, FormData};
use crate::signed_in::SignedIn;
use crate::views::{Layout, html, words};
use backstop_app::view::{CatalogEntryView, name_of};

/// One exercise in the list.
pub struct Row {
    pub id: String,
    pub name: String,
    pub pattern: String,
    pub equipment: String,
    /// The directions it loads, with their level ("compression 2, shear 1"); "—" when it loads none.
    pub demand: String,
    /// The lifter's standing with it ("tolerated", "parked", "not done yet").
    pub status: String,
    pub own: bool,
    /// Needs equipment the lifter does not have.
    pub unavailable: bool,
}

/// A choice in a select or a set of boxes.
pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogPage {
    layout: Layout,
    q: String,
    patterns: Vec<Choice>,
    all_equipment: bool,
    gentle: bool,
    flare_safe: bool,
    rows: Vec<Row>,
    total: usize,
}

#[derive(Deserialize, Default)]
struct CatalogQuery {
    q: Option<String>,
    pattern: Option<String>,
    equipment: Option<String>,
    gentle: Option<String>,
    flare_safe: Option<String>,
}

/// The directions an exercise loads, in words.
pub fn demand_words(e: &Exercise) -> String {
    let parts: Vec<String> = Direction::ALL
        .iter()
        .filter(|d| e.spinal.along(**d) > 0)
        .map(|d| format!("{} {}", d.as_str(), e.spinal.along(*d)))
        .collect();
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(", ")
    }
}

async fn list(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Query(q): Query<CatalogQuery>,
) -> Result<Response, PageError> {
    let c = st.app.assess_cached(&ctx, who).await?;
    let text = q.q.as_deref().map(str::trim).unwrap_or_default().to_owned();
    let pattern: Option<Pattern> = q.pattern.as_deref().and_then(|p| p.parse().ok());
    let all_equipment = q.equipment.as_deref() == Some("all");
    let (gentle, flare_safe) = (q.gentle.is_some(), q.flare_safe.is_some());
    let have = |e: &Exercise| {
        e.equipment
            .iter()
            .all(|x| *x == Equipment::Bodyweight || ctx.profile.equipment.contains(x))
    };
    let found: Vec<&Exercise> = if text.is_empty() {
        ctx.catalog.exercises().iter().collect()
    } else {
        ctx.catalog.search(&text)
    };
    let rows: Vec<Row> = found
        .into_iter()
        .filter(|e| pattern.is_none_or(|p| e.pattern == p))
        .filter(|e| all_equipment || have(e))
        .filter(|e| !gentle || Direction::ALL.iter().all(|d| e.spinal.along(*d) <= 1))
        .filter(|e| !flare_safe || e.flare_safe)
        // The catalog document, as `catalog --json` gives each entry.
        .map(|e| CatalogEntryView::new(&ctx.catalog, e))
        .map(
            |CatalogEntryView {
                 exercise: e, custom, ..
             }| Row {
                id: e.id.clone(),
                name: e.name.clone(),
                pattern: words(e.pattern.as_str()),
                equipment: e
                    .equipment
                    .iter()
                    .map(|x| words(x.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
                demand: demand_words(e),
                status: c
                    .assessment
                    .exercise(&e.id)
                    .map_or_else(|| "not done yet".into(), |l| words(&name_of(&l.status))),
                own: custom,
                unavailable: !have(e),
            },
        )
        .collect();
    let page = CatalogPage {
        layout: Layout::new("Exercises", "/exercises"),
        q: text,
        patterns: Pattern::ALL
            .iter()
            .map(|p| Choice {
                value: p.as_str(),
                label: words(p.as_str()),
                chosen: pattern == Some(*p),
            })
            .collect(),
        all_equipment,
        gentle,
        flare_safe,
        total: rows.len(),
        rows,
    };
    Ok(html(&page))
}

#[derive(Template)]
#[template(path = "exercise_new.html")]
struct NewPage {
    layout: Layout,
    name: String,
    id: String,
    patterns: Vec<Choice>,
    equipment: Vec<Choice>,
    load_types: Vec<Choice>,
    lo: String,
    hi: String,
    demands: Vec<(&'static str, &'static str, u8)>,
    flare_safe: bool,
    regression: String,
    errors: FieldErrors,
}

/// The directions with their plain question, for the form.
const DEMANDS: [(&str, &str); 5] = [
    (
        "compression",
        "Squeezes the spine along its length (heavy loads held or on the back)",
    ),
    (
        "shear",
        "Pushes one vertebra across the next (bending forward under load)",
    ),
    ("flexion", "Rounds the lower back"),
    ("extension", "Arches the lower back"),
    ("rotation", "Twists or bends the trunk sideways"),
];

const LOAD_TYPES: [(&str, &str); 5] = [
    ("", "from the equipment"),
    ("external", "a weight (reps)"),
    ("bodyweight", "bodyweight (reps)"),
    ("timed", "a hold (seconds)"),
    ("distance", "a carry (metres)"),
];

fn new_page(f: Option<&FormData>, errors: FieldErrors, have: &[Equipment]) -> NewPage {
    let value = |name: &str| f.map(|f| f.value(name)).unwrap_or_default();
    let pattern = value("pattern");
    let chosen_equipment: Vec<String> = match f {
        Some(f) => f.all("equipment").iter().map(|s| (*s).to_owned()).collect(),
        None => Vec::new(),
    };
    let load_type = value("load_type");
    NewPage {
        layout: Layout::new("Add an exercise", "/exercises"),
        name: value("name"),
        id: value("id"),
        patterns: Pattern::ALL
            .iter()
            .map(|p| Choice {
                value: p.as_str(),
                label: words(p.as_str()),
                chosen: pattern == p.as_str(),
            })
            .collect(),
        equipment: Equipment::ALL
            .iter()
            .filter(|e| **e == Equipment::Bodyweight || have.contains(e))
            .map(|e| Choice {
                value: e.as_str(),
                label: words(e.as_str()),
                chosen: chosen_equipment.iter().any(|c| c == e.as_str()),
            })
            .collect(),
        load_types: LOAD_TYPES
            .iter()
            .map(|(v, l)| Choice {
                value: v,
                label: (*l).to_owned(),
                chosen: load_type == *v,
            })
            .collect(),
        lo: value("lo"),
        hi: value("hi"),
        demands: DEMANDS
            .iter()
            .map(|(d, q)| {
                let v = f
                    .and_then(|f| f.get(d))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(u8::from(*d == "compression"));
                (*d, *q, v)
            })
            .collect(),
        flare_safe: f.is_some_and(|f| f.checked("flare_safe")),
        regression: value("regression"),
        errors,
    }
}

/// An id from a name: lower case, words joined by hyphens ("My Cable Row" → "my-cable-row").
fn id_from(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

async fn new_form(SignedIn { ctx, .. }: SignedIn) -> Result<Response, PageError> {
    Ok(html(&new_page(None, FieldErrors::new(), &ctx.profile.equipment)))
}

/// Reads the form into an exercise, naming each field that is wrong.
fn read(f: &FormData, errors: &mut FieldErrors) -> ExerciseInput {
    let name = f.value("name");
    if name.is_empty() {
        errors.insert("name".into(), "give the exercise a name".into());
    }
    let id = f.get("id").map_or_else(|| id_from(&name), str::to_owned);
    let pattern = match f.get("pattern").map(str::parse::<Pattern>) {
        Some(Ok(p)) => Some(p),
        _ => {
            errors.insert("pattern".into(), "choose the movement pattern".into());
            None
        }
    };
    let mut equipment = Vec::new();
    for v in f.all("equipment") {
        match v.parse::<Equipment>() {
            Ok(e) => equipment.push(e),
            Err(_) => {
                errors.insert("equipment".into(), format!("{v} is not equipment backstop knows"));
            }
        }
    }
    let load_type = match f.get("load_type") {
        None => None,
        Some("external") => Some(LoadType::External),
        Some("bodyweight") => Some(LoadType::Bodyweight),
        Some("timed") => Some(LoadType::Timed),
        Some("distance") => Some(LoadType::Distance),
        Some(other) => {
            errors.insert("load_type".into(), format!("{other} is not a way of dosing"));
            None
        }
    };
    let range = match (f.get("lo"), f.get("hi")) {
        (None, None) => None,
        (Some(lo), Some(hi)) => match (lo.parse::<u32>(), hi.parse::<u32>()) {
            (Ok(lo), Ok(hi)) if lo >= 1 && lo <= hi => Some([lo, hi]),
            _ => {
                errors.insert(
                    "range".into(),
                    "give the range as two whole numbers, the lower first (e.g. 8 and 12)".into(),
                );
                None
            }
        },
        _ => {
            errors.insert("range".into(), "give both ends of the range, or neither".into());
            None
        }
    };
    let mut demand = [0u8; 5];
    for (slot, (d, _)) in demand.iter_mut().zip(DEMANDS) {
        match f.get(d).map(str::parse::<u8>) {
            None => {}
            Some(Ok(v)) if v <= 3 => *slot = v,
            _ => {
                errors.insert(d.into(), "choose 0, 1, 2 or 3".into());
            }
        }
    }
    let mut input = ExerciseInput {
        id,
        name,
        pattern,
        equipment,
        load_type,
        compression: demand[0],
        shear: demand[1],
        flexion: demand[2],
        extension: demand[3],
        rotation: demand[4],
        skill: 1,
        flare_safe: f.checked("flare_safe"),
        regressions: f
            .get("regression")
            .map(|r| vec![r.to_owned()])
            .unwrap_or_default(),
        ..Default::default()
    };
    match load_type {
        Some(LoadType::Timed) => input.seconds = range,
        Some(LoadType::Distance) => input.metres = range,
        _ => input.reps = range,
    }
    input
}

async fn create(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    let input = read(&f, &mut errors);
    let refused = |errors: FieldErrors| {
        let page = new_page(Some(&f), errors, &ctx.profile.equipment);
        Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
    };
    if !errors.is_empty() {
        return refused(errors);
    }
    let exercise = match input.into_exercise() {
        Ok(e) => e,
        Err(e) => {
            errors.insert("exercise".into(), e.to_string());
            return refused(errors);
        }
    };
    let id = exercise.id.clone();
    match st.app.add_exercises(who, vec![exercise]).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/exercises/{}?added=1", crate::pages::urlencode(&id))).into_response())
        }
        Err(e) if e.is_input() => {
            errors.insert("exercise".into(), e.to_string());
            refused(errors)
        }
        Err(e) => Err(e.into()),
    }
}

/// The catalog's routes (one exercise's page is with the status pages).
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/exercises", get(list))
        .route("/exercises/new", get(new_form).post(create))
}
