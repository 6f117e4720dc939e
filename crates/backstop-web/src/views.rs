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

/// The tabs always in view: path and label. Few and short, so that they fit one line at phone width.
const TABS: &[(&str, &str)] = &[
    ("/today", "Today"),
    ("/week", "Week"),
    ("/checkin", "Check-in"),
    ("/status", "Status"),
    ("/history", "History"),
];

/// The sections behind "More", one tap away.
const MORE: &[(&str, &str)] = &[
    ("/exercises", "Exercises"),
    ("/trends", "Trends"),
    ("/triage", "Soreness or pain?"),
    ("/data", "Import & export"),
    ("/settings", "Settings"),
    ("/people", "People & access"),
    ("/learn", "Why it works this way"),
];

tokio::task_local! {
    /// The athlete a coach or clinician is reading, for the banner every page shows them (set by the sign-in
    /// layer for the request's handler; unset for everyone else).
    pub static VIEWING: String;
    /// Set for an account with no training open to it (an admin, or a coach or clinician who has not opened an
    /// athlete): its navigation offers the People page, not training pages that would only send it there.
    pub static NO_TRAINING: ();
}

/// Links in the navigation: path and label.
type Links = &'static [(&'static str, &'static str)];

/// The navigation of an account with no training open to it.
const PEOPLE_TABS: &[(&str, &str)] = &[("/people", "People")];
const PEOPLE_MORE: &[(&str, &str)] = &[("/learn", "Why it works this way")];

impl Layout {
    /// The name of the athlete whose training a coach or clinician is reading, for the banner.
    pub fn viewing(&self) -> Option<String> {
        VIEWING.try_with(Clone::clone).ok()
    }

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

    /// The tabs and the sections behind "More" for whoever is signed in.
    fn sections() -> (Links, Links) {
        if NO_TRAINING.try_with(|_| ()).is_ok() {
            (PEOPLE_TABS, PEOPLE_MORE)
        } else {
            (TABS, MORE)
        }
    }

    /// Where the brand name leads: Today, or the People page for an account with no training open to it.
    pub fn home(&self) -> &'static str {
        Self::sections().0[0].0
    }

    /// The tabs with whether each is the current one.
    pub fn tabs(&self) -> Vec<(&'static str, &'static str, bool)> {
        Self::sections()
            .0
            .iter()
            .map(|(p, l)| (*p, *l, *p == self.current))
            .collect()
    }

    /// The sections behind "More", with whether each is the current one.
    pub fn more(&self) -> Vec<(&'static str, &'static str, bool)> {
        Self::sections()
            .1
            .iter()
            .map(|(p, l)| (*p, *l, *p == self.current))
            .collect()
    }

    /// Whether the current page is one behind "More" (the menu's button then shows it).
    pub fn in_more(&self) -> bool {
        Self::sections().1.iter().any(|(p, _)| *p == self.current)
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

/// The name an enum serialises to: the view layer's one helper.
pub use backstop_app::view::name_of as enum_name;

/// A kebab-case name as words.
pub fn words(s: &str) -> String {
    s.replace('-', " ")
}

/// A text with the red flags' names in words ("saddle-numbness: emergency" → "saddle numbness: emergency").
pub fn red_flags_in_words(text: &str) -> String {
    backstop_core::redflags::RedFlag::ALL
        .iter()
        .fold(text.to_owned(), |t, f| t.replace(f.as_str(), &words(f.as_str())))
}

/// An error for a field, if any.
pub fn err<'a>(errors: &'a crate::forms::FieldErrors, name: &str) -> Option<&'a str> {
    errors.get(name).map(String::as_str)
}

/// Whether `s` is a rule id ("C5", "PM-8", "LM-6", "CA-4").
fn is_rule_id(s: &str) -> bool {
    backstop_core::rules::RuleId::parse(s).is_some()
}

/// Whether `s` names a command of the CLI in backticks ("`backstop clearance`"), which a page offers as a link or form
/// of its own.
fn is_cli_command(s: &str) -> bool {
    s.starts_with("`backstop ") && s.ends_with('`') && s.matches('`').count() == 2
}

/// A sentence for a page: the rule ids in parentheses that the engine's texts carry ("… of the last (LM-6).") are
/// left out, since people read the sentence and the ids stay in the "why" details and the docs; so is a CLI command
/// in parentheses ("(`backstop clearance`)"), which means nothing to someone on the page; and the red flags' names
/// read as words ("saddle numbness").
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(" (") {
        let after = &rest[open + 2..];
        let Some(close) = after.find(')') else {
            break;
        };
        let inside = &after[..close];
        if inside.split(", ").all(is_rule_id) || is_cli_command(inside) {
            out.push_str(&rest[..open]);
        } else {
            out.push_str(&rest[..open + 2 + close + 1]);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    red_flags_in_words(&out)
}

/// A note of the planner's for a page: `plain`, and a slot name that leads it ("vertical-pull: …") in words, the
/// sentence starting with a capital.
pub fn note(text: &str) -> String {
    let mut t = plain(text);
    if let Some((head, rest)) = t.split_once(": ")
        && !head.contains(' ')
        && head.contains('-')
        && head.chars().all(|c| c.is_ascii_lowercase() || c == '-')
    {
        t = format!("{}: {rest}", words(head));
    }
    let mut chars = t.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => t,
    }
}

/// When a check-in window opens, for a page. PM-5's next-morning window opens 8 hours after the session, so after a
/// morning session it opens the same evening; "next-morning check-in from 17:02" read as a mistake, so that case says
/// the evening and when the check-in is best taken.
pub fn window_opens(from: jiff::Timestamp, session_at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    let (f, s) = (tz.to_datetime(from), tz.to_datetime(session_at));
    if f.date() == s.date() {
        format!(
            "{} from {} this evening (best: the next morning, when you get up)",
            f.strftime("%Y-%m-%d"),
            f.strftime("%H:%M")
        )
    } else {
        backstop_core::time::format_local(from, tz)
    }
}

#[cfg(test)]
mod tests {
    use super::{note, plain, window_opens};

    #[test]
    fn a_window_that_opens_the_same_evening_says_so() {
        let tz = jiff::tz::TimeZone::get("Europe/London").unwrap();
        let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
        // A 09:02 session: the next-morning window opens at 17:02 the same day.
        assert_eq!(
            window_opens(at("2026-12-01T17:02:00Z"), at("2026-12-01T09:02:00Z"), &tz),
            "2026-12-01 from 17:02 this evening (best: the next morning, when you get up)"
        );
        // An evening session: it opens the next day, shown as a plain time.
        assert_eq!(
            window_opens(at("2026-12-02T02:00:00Z"), at("2026-12-01T18:00:00Z"), &tz),
            "2026-12-02 02:00"
        );
    }

    #[test]
    fn a_planners_note_reads_as_a_sentence() {
        assert_eq!(
            note("vertical-pull: a new exercise comes in a later session, one change at a time (C5)."),
            "Vertical pull: a new exercise comes in a later session, one change at a time."
        );
        assert_eq!(
            note(
                "Room for more in 45 minutes: the session grows after 2 calm sessions in a row (now 0) (PG-6)."
            ),
            "Room for more in 45 minutes: the session grows after 2 calm sessions in a row (now 0)."
        );
        assert_eq!(
            note("scapular: nothing fits your equipment."),
            "Scapular: nothing fits your equipment."
        );
        assert_eq!(note(""), "");
    }

    #[test]
    fn rule_ids_in_parentheses_are_left_out_and_other_parentheses_kept() {
        assert_eq!(
            plain("No heavy hinge or axial work today: not within 48 hours of the last (LM-6)."),
            "No heavy hinge or axial work today: not within 48 hours of the last."
        );
        assert_eq!(
            plain("one change at a time (C5, PM-8) and more"),
            "one change at a time and more"
        );
        assert_eq!(
            plain("a dose (3×8 @ 40 kg) stays (PG-2)"),
            "a dose (3×8 @ 40 kg) stays"
        );
        assert_eq!(plain("the ceiling (min 5) (PM)"), "the ceiling (min 5) (PM)");
        assert_eq!(plain("unclosed (LM-6"), "unclosed (LM-6");
        assert_eq!(plain(""), "");
        assert_eq!(
            plain("until you record a clinician's clearance (`backstop clearance`)."),
            "until you record a clinician's clearance."
        );
        // A command among other words stays: the sentence may need it.
        assert_eq!(plain("run (`backstop log` first)"), "run (`backstop log` first)");
    }
}
