//! Pieces shared by the pages: the layout, the 0–10 button rows, words for verdicts, and rendering.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use backstop_report::svg::esc;

/// Title and navigation of a page.
pub struct Layout {
    /// The page title (before "· backstop").
    pub title: String,
    /// The current tab's path ("" for none).
    pub current: &'static str,
    /// Whether to show the navigation (not on the login page).
    pub nav: bool,
}

/// The tabs: path and label.
const TABS: &[(&str, &str)] = &[
    ("/today", "Today"),
    ("/checkin", "Check-in"),
    ("/status", "Status"),
    ("/history", "History"),
    ("/trends", "Trends"),
    ("/triage", "Soreness or pain?"),
    ("/data", "Import & export"),
    ("/settings", "Settings"),
];

impl Layout {
    /// A page with the navigation, `current` marking its tab.
    pub fn new(title: impl Into<String>, current: &'static str) -> Layout {
        Layout {
            title: title.into(),
            current,
            nav: true,
        }
    }

    /// A page without navigation.
    pub fn bare(title: impl Into<String>) -> Layout {
        Layout {
            title: title.into(),
            current: "",
            nav: false,
        }
    }

    /// The tabs with whether each is the current one.
    pub fn tabs(&self) -> Vec<(&'static str, &'static str, bool)> {
        TABS.iter().map(|(p, l)| (*p, *l, *p == self.current)).collect()
    }

    /// The htmx file to load.
    pub fn htmx(&self) -> &'static str {
        crate::assets::HTMX
    }
}

/// Renders a template, or a plain 500 if the template itself fails (a bug, logged).
pub fn html<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(s) => Html(s).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be drawn").into_response()
        }
    }
}

/// A row of number buttons (radio inputs, so arrow keys move along it and screen readers read it as one
/// choice): the pain row 0–10 with the ceiling marked, or the effort row 1–10.
pub struct ButtonRow<'a> {
    /// The fieldset's id, when the same field appears more than once on a page (`row-NAME` otherwise).
    pub id: Option<&'a str>,
    /// The field name.
    pub name: &'a str,
    /// The question.
    pub legend: &'a str,
    /// The lowest and highest values.
    pub range: (u8, u8),
    /// Pain above this is marked (pain rows only).
    pub ceiling: Option<u8>,
    /// The preselected value.
    pub selected: Option<u8>,
    /// An error to show under the row.
    pub error: Option<&'a str>,
    /// Whether an answer is required.
    pub required: bool,
}

impl ButtonRow<'_> {
    /// The row's HTML.
    pub fn render(&self) -> String {
        let id = self
            .id
            .map_or_else(|| format!("row-{}", self.name), str::to_owned);
        let mut o = String::new();
        let class = if self.ceiling.is_some() || self.name.contains("pain") {
            "pain-row"
        } else {
            "pain-row rpe-row"
        };
        let ceiling_attr = self
            .ceiling
            .map(|c| format!(r#" data-ceiling="{c}""#))
            .unwrap_or_default();
        let described = if self.error.is_some() {
            format!(r#" aria-describedby="{id}-error""#)
        } else {
            String::new()
        };
        o.push_str(&format!(
            r#"<fieldset class="{class}" id="{id}"{ceiling_attr}{described}><legend>{}"#,
            esc(self.legend)
        ));
        if let Some(c) = self.ceiling {
            o.push_str(&format!(
                r#" <span class="muted">(your ceiling today: {c})</span>"#
            ));
        }
        o.push_str(r#"</legend><div class="pain-buttons">"#);
        for v in self.range.0..=self.range.1 {
            let over = self.ceiling.is_some_and(|c| v > c);
            let checked = if self.selected == Some(v) { " checked" } else { "" };
            let required = if self.required && v == self.range.0 {
                " required"
            } else {
                ""
            };
            o.push_str(&format!(
                r#"<label class="pain-btn{}"><input type="radio" name="{}" value="{v}"{checked}{required}><span>{v}</span>{}</label>"#,
                if over { " over" } else { "" },
                esc(self.name),
                if over { r#"<span class="sr-only"> (above your ceiling)</span>"# } else { "" }
            ));
        }
        o.push_str("</div>");
        if let Some(c) = self.ceiling {
            o.push_str(&format!(
                r#"<p class="ceiling-note">Striped buttons are above your ceiling of {c}.</p>"#
            ));
        }
        if let Some(e) = self.error {
            o.push_str(&format!(
                r#"<p class="field-error" id="{id}-error">{}</p>"#,
                esc(e)
            ));
        }
        o.push_str("</fieldset>");
        o
    }
}

/// The name an enum serialises to ("tolerated", "red_flag"), or "" for anything that is not a plain name.
pub fn enum_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A kebab-case name as words.
pub fn words(s: &str) -> String {
    s.replace('-', " ")
}

/// The word and class for a verdict (colour always comes with the word).
pub fn verdict_word(v: Option<backstop_core::engine::Verdict>) -> &'static str {
    match v {
        Some(backstop_core::engine::Verdict::Green) => "green",
        Some(backstop_core::engine::Verdict::Amber) => "amber",
        Some(backstop_core::engine::Verdict::Red) => "red",
        None => "pending",
    }
}

/// An error for a field, if any.
pub fn err<'a>(errors: &'a crate::forms::FieldErrors, name: &str) -> Option<&'a str> {
    errors.get(name).map(String::as_str)
}
