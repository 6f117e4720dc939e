//! Import and export: upload a Strong, Hevy or FitNotes CSV and see its report (sessions, sets, skipped rows
//! with their reasons, names that matched no catalog exercise, with a mapping form); download everything as
//! JSON or CSV, or the clinician's HTML report.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use backstop_app::ImportRequest;
use backstop_app::export::CsvTable;
use backstop_app::view::{ImportView, LocalTime};
use backstop_import::Format;

use crate::WebState;
use crate::error::PageError;
use crate::forms::FieldErrors;
use crate::signed_in::{Me, SignedIn};
use crate::views::{Layout, html};

/// What an import did, for the page.
pub struct Outcome {
    file: String,
    /// The import document, as `import --json` and the API give it.
    report: ImportView,
    first: String,
    last: String,
}

#[derive(Template)]
#[template(path = "data.html")]
struct DataPage {
    layout: Layout,
    outcome: Option<Outcome>,
    errors: FieldErrors,
    mapping: String,
}

async fn data(_: SignedIn) -> Result<Response, PageError> {
    Ok(html(&DataPage {
        layout: Layout::new("Import & export", "/data"),
        outcome: None,
        errors: FieldErrors::new(),
        mapping: String::new(),
    }))
}

fn refused(errors: FieldErrors, mapping: String) -> Response {
    let page = DataPage {
        layout: Layout::new("Import & export", "/data"),
        outcome: None,
        errors,
        mapping,
    };
    (axum::http::StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response()
}

/// Whether an upload failed because its body ran over the limit (however deep the multipart parser wrapped the
/// limit's error).
fn over_limit(e: &axum::extract::multipart::MultipartError) -> bool {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        return true;
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = s.source();
    }
    false
}

async fn import(
    State(st): State<WebState>,
    SignedIn { who, ctx }: SignedIn,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut req = ImportRequest::default();
    let mut mapping = String::new();
    let mut errors = FieldErrors::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            // Over the body limit: the one 413 page (`error::too_large`).
            Err(e) if over_limit(&e) => {
                return Ok(axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response());
            }
            Err(e) => {
                errors.insert("file".into(), format!("the upload was cut off or malformed: {e}"));
                return Ok(refused(errors, mapping));
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if over_limit(&e) => {
                return Ok(axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response());
            }
            Err(e) => {
                errors.insert(name, format!("the upload was cut off: {e}"));
                return Ok(refused(errors, mapping));
            }
        };
        let text = || String::from_utf8_lossy(&bytes).trim().to_owned();
        match name.as_str() {
            "file" if !bytes.is_empty() => {
                file = Some((file_name.unwrap_or_else(|| "upload.csv".into()), bytes.to_vec()))
            }
            "format" if !text().is_empty() => match text().parse::<Format>() {
                Ok(f) => req.format = Some(f),
                Err(e) => {
                    errors.insert("format".into(), e.to_string());
                }
            },
            "unit" if !text().is_empty() => match text().parse::<backstop_core::WeightUnit>() {
                Ok(u) => req.unit = Some(u),
                Err(e) => {
                    errors.insert("unit".into(), e.to_string());
                }
            },
            "mapping" => mapping = text(),
            _ => {}
        }
    }
    let Some((origin, bytes)) = file else {
        errors.insert("file".into(), "choose the CSV file your app exported".into());
        return Ok(refused(errors, mapping));
    };
    if !errors.is_empty() {
        return Ok(refused(errors, mapping));
    }
    // Only lines that map a name to an id count; blank targets (from the suggested form) are left out.
    let useful: Vec<&str> = mapping
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_end().ends_with("\"\""))
        .collect();
    if !useful.is_empty() {
        req.mapping = Some((useful.join("\n"), "the name mapping".into()));
    }
    match st
        .app
        .import_history(who, bytes.as_slice(), &origin, req, &mut |_| {})
        .await
    {
        Ok((report, o)) => {
            let view = ImportView::new(&report, &o, &ctx.tz);
            let fmt = |t: &Option<LocalTime>| t.as_ref().map(LocalTime::minute).unwrap_or_default();
            let suggestion = view
                .unmapped_exercises
                .iter()
                .map(|n| format!("{:?} = \"\"", n))
                .collect::<Vec<_>>()
                .join("\n");
            let page = DataPage {
                layout: Layout::new("Import & export", "/data"),
                outcome: Some(Outcome {
                    file: origin,
                    first: fmt(&view.first),
                    last: fmt(&view.last),
                    report: view,
                }),
                errors,
                mapping: if mapping.is_empty() { suggestion } else { mapping },
            };
            Ok(html(&page))
        }
        // The unit is what is missing, not the file: the message goes next to the unit choice (the browser asks
        // for the file again, which no page can keep).
        Err(e @ backstop_app::AppError::UnitNeeded { .. }) => {
            errors.insert(
                "unit".into(),
                format!("{e}: choose kg or lb here, then choose the file again"),
            );
            Ok(refused(errors, mapping))
        }
        Err(e) if e.is_input() => {
            errors.insert("file".into(), e.to_string());
            Ok(refused(errors, mapping))
        }
        Err(e) => Err(e.into()),
    }
}

fn download(name: &str, mime: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn export(
    State(st): State<WebState>,
    Me { who }: Me,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let day = backstop_core::time::civil_date(st.app.now(), &jiff::tz::TimeZone::UTC);
    let name = |what: &str, ext: &str| format!("backstop-{what}-{day}.{ext}");
    match file.as_str() {
        "backstop.json" => {
            let b = st.app.export(who).await?;
            let text = serde_json::to_string_pretty(&b)
                .map_err(|e| PageError::App(backstop_app::AppError::Input(e.to_string())))?;
            Ok(download(&name("export", "json"), "application/json", text))
        }
        "sets.csv" | "sessions.csv" | "checkins.csv" => {
            let table = match file.as_str() {
                "sets.csv" => CsvTable::Sets,
                "sessions.csv" => CsvTable::Sessions,
                _ => CsvTable::Checkins,
            };
            let text = st.app.export_csv(who, table).await?;
            let what = file.trim_end_matches(".csv");
            Ok(download(&name(what, "csv"), "text/csv; charset=utf-8", text))
        }
        "report.html" => {
            let text = st.app.html_report(who, None, 12).await?;
            Ok(download(
                &name("report", "html"),
                "text/html; charset=utf-8",
                text,
            ))
        }
        _ => Err(PageError::NotFound(format!(
            "There is no export called {file:?}."
        ))),
    }
}

/// `/data` and `/export/{file}`.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/data", get(data).post(import))
        .route("/export/{file}", get(export))
}
