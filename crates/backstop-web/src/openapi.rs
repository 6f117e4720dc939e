//! The OpenAPI document served at `/api/openapi.json`: what the handlers' annotations in [`crate::api`] say, completed
//! by hand with what utoipa cannot derive (the bearer scheme, the error answers every route shares, and the value
//! lists and ranges of fields). This is a description of the API, not an output: the one place in the web crate
//! that writes JSON with `json!`, which the CI step against hand-built documents leaves out.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use backstop_core::redflags::{RedFlag, Urgency};
use backstop_core::triage::Classification;
use backstop_core::units::Stiffness;
use backstop_core::{LegReach, Minutes, Pain};
use serde_json::Value;
use utoipa::OpenApi;

use crate::api::ApiDoc;

/// The OpenAPI document: what the handlers' annotations say, completed with what every operation shares — the
/// bearer key it needs, and the error statuses any route can answer (each a problem document, RFC 9457): 400 for a
/// request that cannot be read, 401 without the key, 409 before the profile exists, 413 for a body over the
/// limit, 404 for an id that names nothing, 422 for a value out of range.
pub fn document() -> Result<Value, serde_json::Error> {
    let mut doc = serde_json::to_value(ApiDoc::openapi())?;
    let problem = serde_json::json!({
        "type": "object",
        "description": "An error (RFC 9457 problem document).",
        "required": ["status", "title", "detail"],
        "properties": {
            "status": { "type": "integer", "description": "The HTTP status." },
            "title": { "type": "string", "description": "What kind of error." },
            "detail": { "type": "string", "description": "What was wrong, in words." },
            "field": {
                "type": "string",
                "description": "The request field that was wrong, when one was (\"pain\", \"red_flags\")."
            }
        }
    });
    let components = &mut doc["components"];
    components["schemas"]["Problem"] = problem;
    components["securitySchemes"]["bearer"] = serde_json::json!({
        "type": "http",
        "scheme": "bearer",
        "description": "The server's access key: the one `backstop serve` printed, or BACKSTOP_WEB_KEY / --key-file."
    });
    refine(&mut components["schemas"]);
    doc["security"] = serde_json::json!([{ "bearer": [] }]);
    let limit = crate::BODY_LIMIT / (1024 * 1024);
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                let has_body = op.get("requestBody").is_some();
                let has_input = has_body
                    || op
                        .get("parameters")
                        .is_some_and(|p| p.as_array().is_some_and(|a| !a.is_empty()));
                let mut shared: Vec<(&str, String)> = vec![
                    ("400", "the request cannot be read: a path or query value of the wrong type, or a body that is not the JSON expected".into()),
                    ("401", "no access key, or not this server's".into()),
                ];
                // Creating the profile, and checking the key, need no profile.
                if !(path == "/api/v1/profile" && method == "put") && path != "/api/v1/key" {
                    shared.push((
                        "409",
                        "no profile yet: create it first (PUT /api/v1/profile)".into(),
                    ));
                }
                if has_body {
                    shared.push(("413", format!("the body is larger than the {limit} MiB limit")));
                }
                if has_input {
                    shared.push(("422", "a value is out of range, unknown or not allowed".into()));
                }
                if path.contains('{') {
                    shared.push(("404", "no such resource".into()));
                }
                let responses = &mut op["responses"];
                for (code, description) in shared {
                    if responses.get(code).is_none() {
                        responses[code] = serde_json::json!({ "description": description });
                    }
                }
                if let Some(all) = responses.as_object_mut() {
                    for (code, r) in all.iter_mut() {
                        if code.starts_with('4') {
                            r["content"] = serde_json::json!({
                                "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } }
                            });
                        }
                    }
                }
            }
        }
    }
    Ok(doc)
}

/// What a request field accepts, beyond its JSON type: the ranges of `docs/limits.md` and the vocabularies of the
/// core, taken from the same constants the server checks against (RPE's, which has none, from `Rpe::new`), so a client (or a generator of test requests)
/// knows what will be refused before sending it.
enum Accepts {
    /// A number from `min` to `max`, in steps of `step` when given.
    Range(f64, f64, Option<f64>),
    /// One of these words.
    OneOf(Vec<String>),
    /// A list of these words.
    ListOf(Vec<String>),
}

fn words<T: Copy>(all: &[T], word: impl Fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|x| word(*x).to_owned()).collect()
}

/// The ids, names and aliases of these exercises, sorted, each once.
fn names<'c>(exercises: impl Iterator<Item = &'c backstop_core::Exercise>) -> Vec<String> {
    let mut all: Vec<String> = exercises
        .flat_map(|e| {
            std::iter::once(e.id.clone())
                .chain(std::iter::once(e.name.clone()))
                .chain(e.aliases.clone())
        })
        .collect();
    all.sort();
    all.dedup();
    all
}

/// Fills in `Accepts` for each request schema's fields.
fn refine(schemas: &mut Value) {
    use Accepts::{ListOf, OneOf, Range};
    use backstop_core::triage::{Location, Movement, Onset, Quality, Trend};
    use backstop_core::vocab::{Aggravator, Equipment, Weekday};
    use backstop_core::{Felt, SetKind};
    // Every id, name and alias a person may write: of any exercise, and of a goal lift (only the exercises with a
    // ladder of easier ones leading to them, PG-8).
    let catalog = backstop_core::catalog::Catalog::builtin().ok();
    let exercises = catalog
        .as_ref()
        .map_or_else(Vec::new, |c| names(c.exercises().iter()));
    let goals = catalog.as_ref().map_or_else(Vec::new, |c| {
        names(backstop_core::ladder::goal_candidates(c).into_iter())
    });
    let zones: Vec<String> = {
        let mut z: Vec<String> = backstop_app::time_zones()
            .available()
            .map(|n| n.to_string())
            .collect();
        z.sort();
        z
    };
    use backstop_core::units::{GRAMS_PER_POUND, MAX_LOAD_GRAMS, Metres, Reps, Seconds};
    let range = |min: u32, max: u32| Range(f64::from(min), f64::from(max), None);
    let pain = || range(0, Pain::MAX.into());
    // RPE 1–10 in halves: `Rpe::new`.
    let rpe = || Range(1.0, 10.0, Some(0.5));
    let minutes = || range(Minutes::MIN.into(), Minutes::MAX.into());
    let flags = || words(RedFlag::ALL, RedFlag::as_str);
    let reach = || words(&LegReach::ALL, LegReach::as_str);
    let max_kg = f64::from(MAX_LOAD_GRAMS) / 1000.0;
    let table: Vec<(&str, &str, Accepts)> = vec![
        ("SetDto", "exercise", OneOf(exercises.clone())),
        ("SetDto", "reps", range(Reps::MIN.into(), Reps::MAX.into())),
        ("SetDto", "seconds", range(Seconds::MIN, Seconds::MAX)),
        ("SetDto", "metres", range(Metres::MIN, Metres::MAX)),
        ("SetDto", "load_kg", Range(0.0, max_kg, None)),
        (
            "SetDto",
            "load_lb",
            Range(
                0.0,
                (f64::from(MAX_LOAD_GRAMS) / GRAMS_PER_POUND * 10.0).floor() / 10.0,
                None,
            ),
        ),
        ("SetDto", "rpe", rpe()),
        ("SetDto", "pain", pain()),
        (
            "SetDto",
            "felt",
            OneOf(words(&[Felt::Target, Felt::Back, Felt::Leg], Felt::as_str)),
        ),
        (
            "SetDto",
            "kind",
            OneOf(words(
                &[SetKind::Normal, SetKind::Warmup, SetKind::Drop, SetKind::Failure],
                SetKind::as_str,
            )),
        ),
        ("CheckInRequest", "pain", pain()),
        (
            "CheckInRequest",
            "stiffness",
            range(Stiffness::MIN.into(), Stiffness::MAX.into()),
        ),
        ("CheckInRequest", "leg_reach", OneOf(reach())),
        ("SessionRequest", "pain_before", pain()),
        ("SessionRequest", "minutes", minutes()),
        ("SessionRequest", "session_rpe", rpe()),
        ("StartRequest", "pain_before", pain()),
        ("FinishRequest", "minutes", minutes()),
        ("FinishRequest", "session_rpe", rpe()),
        ("ProfileDto", "units", OneOf(vec!["kg".into(), "lb".into()])),
        ("ProfileDto", "time_zone", OneOf(zones)),
        (
            "ProfileDto",
            "equipment",
            ListOf(words(Equipment::ALL, Equipment::as_str)),
        ),
        ("ProfileDto", "days", ListOf(words(Weekday::ALL, Weekday::as_str))),
        ("ProfileDto", "minutes", minutes()),
        ("ProfileDto", "baseline_pain", pain()),
        (
            "ProfileDto",
            "aggravators",
            ListOf(words(Aggravator::ALL, Aggravator::as_str)),
        ),
        (
            "ProfileDto",
            "training_years",
            range(0, backstop_core::facts::MAX_TRAINING_YEARS.into()),
        ),
        ("ProfileDto", "goal_lifts", ListOf(goals)),
        ("ProfileDto", "usual_leg_symptoms", OneOf(reach())),
        ("TriageRequest", "when", OneOf(words(Onset::ALL, Onset::as_str))),
        (
            "TriageRequest",
            "where",
            OneOf(words(Location::ALL, Location::as_str)),
        ),
        (
            "TriageRequest",
            "quality",
            OneOf(words(Quality::ALL, Quality::as_str)),
        ),
        (
            "TriageRequest",
            "movement",
            OneOf(words(Movement::ALL, Movement::as_str)),
        ),
        ("TriageRequest", "trend", OneOf(words(Trend::ALL, Trend::as_str))),
        ("TriageRequest", "red_flags", ListOf(flags())),
        ("TriageRequest", "pain", pain()),
        (
            "TriageView",
            "classification",
            OneOf(
                [
                    Classification::Soreness,
                    Classification::Pain,
                    Classification::Nerve,
                    Classification::RedFlag,
                ]
                .iter()
                .map(crate::views::enum_name)
                .collect(),
            ),
        ),
        (
            "TriageView",
            "urgency",
            OneOf(words(
                &[Urgency::Soon, Urgency::Urgent, Urgency::Emergency],
                Urgency::as_str,
            )),
        ),
    ];
    for (schema, field, accepts) in table {
        let Some(prop) = schemas
            .get_mut(schema)
            .and_then(|s| s.get_mut("properties"))
            .and_then(|p| p.get_mut(field))
        else {
            continue;
        };
        match accepts {
            Range(min, max, step) => {
                // Whole-number fields get whole-number bounds: `1.0` reads as an integer in JSON Schema, but not to
                // the server.
                let whole = prop["type"] == "integer"
                    || prop["type"]
                        .as_array()
                        .is_some_and(|t| t.iter().any(|x| x == "integer"));
                if whole {
                    prop["minimum"] = (min as i64).into();
                    prop["maximum"] = (max as i64).into();
                } else {
                    prop["minimum"] = min.into();
                    prop["maximum"] = max.into();
                }
                if let Some(step) = step {
                    prop["multipleOf"] = step.into();
                }
            }
            OneOf(values) => {
                let nullable = prop["type"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|x| x == "null"));
                let mut values: Vec<Value> = values.into_iter().map(Value::from).collect();
                if nullable {
                    values.push(Value::Null);
                }
                prop["enum"] = Value::Array(values);
            }
            ListOf(values) => prop["items"]["enum"] = values.into(),
        }
    }
    if let Some(days) = schemas
        .get_mut("ProfileDto")
        .and_then(|s| s.get_mut("properties"))
        .and_then(|p| p.get_mut("days"))
    {
        days["minItems"] = 1.into();
    }
    // The profile's red-flag answers sit beside the flattened profile.
    if let Some(extra) = schemas
        .get_mut("ProfileRequest")
        .and_then(|s| s.get_mut("allOf"))
        .and_then(|a| a.get_mut(1))
        .and_then(|o| o.get_mut("properties"))
        .and_then(|p| p.get_mut("red_flags"))
    {
        extra["items"]["enum"] = flags().into();
    }
    // Triage: the five questions are all answered, or a red flag is given (it acts on its own: issue 15).
    if let Some(t) = schemas.get_mut("TriageRequest") {
        t["anyOf"] = serde_json::json!([
            { "required": ["when", "where", "quality", "movement", "trend"],
              "properties": { "when": { "type": "string" }, "where": { "type": "string" }, "quality": { "type": "string" },
                              "movement": { "type": "string" }, "trend": { "type": "string" } } },
            { "required": ["red_flags"], "properties": { "red_flags": { "minItems": 1 } } },
            { "required": ["dark_urine"], "properties": { "dark_urine": { "const": true } } }
        ]);
    }
}

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Response {
    // The document never changes while the server runs; built once (it reads the catalog and the zone list).
    static DOCUMENT: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
    let doc = DOCUMENT.get_or_init(|| {
        document()
            .and_then(|d| serde_json::to_string_pretty(&d))
            .map_err(|e| e.to_string())
    });
    match doc {
        Ok(s) => ([(header::CONTENT_TYPE, "application/json")], s.clone()).into_response(),
        Err(e) => crate::error::problem(StatusCode::INTERNAL_SERVER_ERROR, "server error", e),
    }
}
