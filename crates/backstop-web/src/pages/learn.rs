//! Learning in context: short explanations, in backstop's own words with their sources, attached where a decision
//! is shown. The first time a page shows one, it is open; after that it is folded, one tap away. Which ones a
//! person has seen is kept in a cookie on their phone, not in the database: it is a reading aid, not a fact.

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;

use crate::WebState;
use crate::error::PageError;
use crate::views::{Layout, html};

/// One explanation.
pub struct Topic {
    /// Its address: `/learn/{id}`.
    pub id: &'static str,
    /// The question it answers.
    pub title: &'static str,
    /// The answer, a few sentences.
    pub body: &'static str,
    /// The sources, in short.
    pub sources: &'static str,
    /// The evidence tag of its rules in `docs/rules.md` ([A] … [D]).
    pub evidence: &'static str,
    /// The rules it explains.
    pub rules: &'static str,
}

/// Every explanation.
pub const TOPICS: [Topic; 5] = [
    Topic {
        id: "pain-that-settles",
        title: "Why mild pain that settles is fine",
        body: "Pain during exercise tells you how sensitive your back is today; it is not a measure of damage. \
               People with persistent pain who kept training with some pain, up to a moderate level that had settled \
               by the next morning, did as well as those who waited for it to go, and kept their strength. So \
               backstop lets you work up to your ceiling and watches the next morning: pain that settles means the \
               dose was fine; pain that lingers means hold or step back.",
        sources: "Silbernagel and colleagues 2007 (a pain-monitoring model, in tendon pain); Smith and colleagues \
                  2017 (a review: exercise allowed to be somewhat painful was no worse than pain-free exercise).",
        evidence: "[A] for the principle, [C]/[D] for the exact numbers",
        rules: "PM-2, PM-8",
    },
    Topic {
        id: "soreness",
        title: "Why soreness after a new exercise is not a warning",
        body: "Muscles that do something new ache for a day or three: the ache builds over the first one or two \
               days, is felt in the muscles you trained, eases as you move, and fades. Doing the same exercise again \
               brings far less of it. That is training soreness, and backstop does not count it against an \
               exercise. Pain in the back itself, pain that spreads, or pain that is not easing after three days is \
               different: that is what the check-in and the soreness-or-pain questions are for.",
        sources: "Cheung, Hume and Maxwell 2003 (the course of delayed-onset muscle soreness); NICE clinical \
                  knowledge summaries.",
        evidence: "[B]+[D]",
        rules: "DS-1, DS-2, DS-3",
    },
    Topic {
        id: "one-change",
        title: "Why one new thing at a time",
        body: "If tomorrow morning is worse, backstop needs to know what to link it to. With one new exercise or one \
               step up in a session, the answer is clear; with three at once, nobody can tell which one did it, and a \
               harmless exercise can get the blame. So new things come in one session at a time, and gentle ones \
               that hardly load the back do not count.",
        sources: "The logic of single-person trials: change one thing, compare, repeat (Kravitz and Duan 2014). This \
                  is backstop's own rule.",
        evidence: "[D]",
        rules: "C5, BK-5",
    },
    Topic {
        id: "flare-up",
        title: "What a flare-up is, and why moving gently helps",
        body: "A flare-up is a stretch of days when your back hurts clearly more than usual, at least two points \
               above your usual pain. Most settle within days to a few weeks. Resting in bed does not speed that up; \
               gentle movement and the exercises your back already tolerates, at a lower dose, usually help more. \
               backstop switches to a flare-friendly plan and then brings your usual training back in steps.",
        sources: "Costa and colleagues 2019 and 2021 (what a flare is); NICE guideline NG59 (stay active, exercise \
                  programmes).",
        evidence: "[A]/[C]",
        rules: "FL-1 … FL-6",
    },
    Topic {
        id: "red-flags",
        title: "What the red-flag questions are for",
        body: "A few rare problems can show up as back pain: pressure on the nerves at the base of the spine, an \
               infection, a fracture, a tumour. They come with signs that need a clinician, not training, and people \
               seldom mention them unless asked. The questions check for those signs. A yes is not a diagnosis: it \
               means the question should be looked at by someone who can examine you, how soon depending on the \
               sign.",
        sources: "NICE guideline NG59 and clinical knowledge summaries; the IFOMPT international framework 2020; \
                  British Association of Spine Surgeons 2018 (cauda equina).",
        evidence: "[A/C]",
        rules: "RF-1 … RF-5",
    },
];

/// The cookie that lists the explanations already seen.
const SEEN: &str = "backstop_seen";

/// One explanation as a page part: folded after the first time it was shown.
pub struct Shown {
    pub topic: &'static Topic,
    /// Open: the first time this person meets it.
    pub open: bool,
}

/// The topic with this id.
pub fn topic(id: &str) -> Option<&'static Topic> {
    TOPICS.iter().find(|t| t.id == id)
}

/// The explanations already seen, from the request's cookies.
pub fn seen(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix(&format!("{SEEN}=")))
        .flat_map(|v| v.split('.'))
        .filter(|id| topic(id).is_some())
        .map(str::to_owned)
        .collect()
}

/// The explanations for a page, open the first time, and the cookie that remembers them (`None` when nothing new
/// was shown). Without the request's headers (a page drawn again after a form was posted) they are all folded and
/// nothing is remembered.
pub fn for_page(headers: Option<&HeaderMap>, ids: &[&str]) -> (Vec<Shown>, Option<String>) {
    let Some(headers) = headers else {
        let folded = ids
            .iter()
            .filter_map(|id| topic(id))
            .map(|topic| Shown { topic, open: false })
            .collect();
        return (folded, None);
    };
    let mut seen = seen(headers);
    let shown: Vec<Shown> = ids
        .iter()
        .filter_map(|id| topic(id))
        .map(|t| Shown {
            topic: t,
            open: !seen.iter().any(|s| s == t.id),
        })
        .collect();
    let fresh: Vec<&str> = shown.iter().filter(|s| s.open).map(|s| s.topic.id).collect();
    if fresh.is_empty() {
        return (shown, None);
    }
    seen.extend(fresh.iter().map(|s| (*s).to_owned()));
    let cookie = format!(
        "{SEEN}={}; Path=/; Max-Age=31536000; SameSite=Strict; HttpOnly",
        seen.join(".")
    );
    (shown, Some(cookie))
}

/// The explanations as disclosures for a page: open the first time, folded after; each links to its page.
pub fn render(shown: &[Shown]) -> String {
    use backstop_report::svg::esc;
    let mut o = String::new();
    for s in shown {
        let t = s.topic;
        o.push_str(&format!(
            r#"<details class="learn"{}><summary>{}</summary><p>{}</p><p class="small muted">Sources: {} Evidence {}; rules {} (<a href="/learn/{}">more</a>).</p></details>"#,
            if s.open { " open" } else { "" },
            esc(t.title),
            esc(t.body),
            esc(t.sources),
            esc(t.evidence),
            esc(t.rules),
            t.id
        ));
    }
    o
}

/// Adds the "seen" cookie to a page's response, marked `Secure` when the server is behind HTTPS.
pub fn remember(mut page: Response, cookie: Option<String>, secure: bool) -> Response {
    if let Some(c) = cookie
        && let Ok(v) = axum::http::HeaderValue::from_str(&if secure { format!("{c}; Secure") } else { c })
    {
        page.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
    page
}

#[derive(Template)]
#[template(path = "learn.html")]
struct LearnPage {
    layout: Layout,
    topics: Vec<&'static Topic>,
}

async fn index() -> Response {
    html(&LearnPage {
        layout: Layout::new("Why it works this way", "/learn"),
        topics: TOPICS.iter().collect(),
    })
}

async fn one(Path(id): Path<String>) -> Result<Response, PageError> {
    let t = topic(&id).ok_or_else(|| PageError::NotFound(format!("There is no explanation {id:?}.")))?;
    Ok(html(&LearnPage {
        layout: Layout::new(t.title, "/learn"),
        topics: vec![t],
    }))
}

/// `/learn` and `/learn/{id}`.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/learn", get(index))
        .route("/learn/{id}", get(one))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookie: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(axum::http::header::COOKIE, cookie.parse().unwrap());
        h
    }

    #[test]
    fn an_explanation_is_open_the_first_time_and_folded_after() {
        let (shown, cookie) = for_page(Some(&HeaderMap::new()), &["soreness", "one-change"]);
        assert!(shown.iter().all(|s| s.open));
        let cookie = cookie.unwrap();
        assert!(
            cookie.starts_with("backstop_seen=soreness.one-change;"),
            "{cookie}"
        );
        let (shown, again) = for_page(
            Some(&headers("backstop_session=x; backstop_seen=soreness.one-change")),
            &["soreness"],
        );
        assert!(!shown[0].open);
        assert!(again.is_none(), "nothing new to remember");
        let (shown, more) = for_page(
            Some(&headers("backstop_seen=soreness")),
            &["soreness", "red-flags"],
        );
        assert_eq!(shown.iter().map(|s| s.open).collect::<Vec<_>>(), [false, true]);
        assert!(more.unwrap().starts_with("backstop_seen=soreness.red-flags;"));
        // Unknown ids in a cookie are ignored, and unknown topics asked for are left out.
        assert!(seen(&headers("backstop_seen=<script>.soreness")).eq(&["soreness".to_owned()]));
        assert!(for_page(Some(&HeaderMap::new()), &["nothing"]).0.is_empty());
        // Drawn again after a post: folded, nothing remembered.
        let (shown, none) = for_page(None, &["soreness"]);
        assert!(!shown[0].open && none.is_none());
    }

    #[test]
    fn the_seen_cookie_is_secure_behind_https() {
        use axum::response::IntoResponse as _;
        let cookie = || Some("backstop_seen=soreness; Path=/".to_owned());
        let set = |r: Response| {
            r.headers()[axum::http::header::SET_COOKIE]
                .to_str()
                .unwrap()
                .to_owned()
        };
        assert!(set(remember("page".into_response(), cookie(), true)).ends_with("; Secure"));
        assert!(!set(remember("page".into_response(), cookie(), false)).contains("Secure"));
    }

    #[test]
    fn every_explanation_cites_its_rules_and_evidence() {
        for t in &TOPICS {
            assert!(!t.sources.is_empty() && t.evidence.starts_with('['), "{}", t.id);
            assert!(!t.rules.is_empty(), "{}", t.id);
            assert!(t.body.len() < 800, "{} is short", t.id);
        }
    }
}
