//! Browser journeys through the web app in headless Chromium, driven over WebDriver (chromedriver), against a
//! server running in this process on a temporary SQLite file, at a phone's width (390 px).
//!
//! They need Debian's `chromium` and `chromium-driver`, so `cargo test` reports them as ignored; run them with
//! `cargo test -p backstop-e2e -- --include-ignored` (`.ci/run` installs both packages and does). Run without the
//! browser installed, they fail and say what to install. Screenshots go to `target/e2e-screenshots/` for a person to
//! look at.

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::response::IntoResponse;
use backstop_app::App;
use backstop_app::clock::Clock;
use backstop_db::SqliteStore;
use backstop_web::{AccessToken, WebOptions};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

const KEY: &str = "e2e-key-0123456789abcdefghijklmnopqrstuvwxyz";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const WIDTH: u32 = 390;

struct TestClock(Mutex<Timestamp>);

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

struct Journey {
    c: Client,
    base: String,
    clock: Arc<TestClock>,
    /// The app behind the pages, for journeys that need a history made faster than by tapping.
    app: Option<(App, backstop_app::store::AthleteId)>,
    _driver: tokio::process::Child,
    _dir: tempfile::TempDir,
    _profile: tempfile::TempDir,
}

impl Drop for Journey {
    /// Killing chromedriver (on drop) leaves the browser it started running, and a journey that fails never
    /// closes its session: without this, every run left about a hundred Chromium processes behind, burning a core.
    /// The browser's processes are the ones started with this journey's own profile folder.
    fn drop(&mut self) {
        let profile = format!("--user-data-dir={}", self._profile.path().display());
        // `pkill` missing or finding nothing is not a failure of the journey.
        let _ = std::process::Command::new("pkill")
            .args(["-KILL", "-f", "--"])
            .arg(&profile)
            .status();
    }
}

/// Fails the journey at once, with what to install, when the browser is missing.
fn require_browser() {
    let here = std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    assert!(
        here,
        "{CHROMEDRIVER} or {CHROMIUM} is missing: install Debian's chromium and chromium-driver"
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The strings of a JSON array a page script returned.
fn strings(v: &serde_json::Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default()
}

fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The web app for one person, signed in with the journeys' key, over plain HTTP.
fn web(app: App, who: backstop_app::store::AthleteId) -> axum::Router {
    backstop_web::router(
        app,
        who,
        WebOptions {
            token: AccessToken::from_secret(KEY).unwrap(),
            secure_cookies: false,
            accounts: false,
        },
    )
}

impl Journey {
    async fn start() -> Journey {
        Journey::start_at(WIDTH).await
    }

    /// A journey on a screen `width` CSS pixels wide.
    async fn start_at(width: u32) -> Journey {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("e2e.db")).await.unwrap();
        // Monday 23 November 2026, 18:00 in London.
        let clock = Arc::new(TestClock(Mutex::new("2026-11-23T18:00:00Z".parse().unwrap())));
        let app = App::new(Arc::new(store), clock.clone()).unwrap();
        let who = app.local_athlete().await.unwrap();
        let mut j = Journey::start_with(web(app.clone(), who), clock, dir, width).await;
        j.app = Some((app, who));
        j
    }

    /// A browser on `router`, served from this process.
    async fn start_with(
        router: axum::Router,
        clock: Arc<TestClock>,
        dir: tempfile::TempDir,
        width: u32,
    ) -> Journey {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(backstop_web::serve(listener, router, std::future::pending()));

        let port = free_port();
        let driver = tokio::process::Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.path().display())],
                "mobileEmulation": { "deviceMetrics": { "width": width, "height": 844, "pixelRatio": 2.0, "touch": true } }
            }
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        let mut c = None;
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => {
                    c = Some(client);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        let c = c.expect("chromedriver did not start");
        c.goto(&format!("{base}/login?key={KEY}")).await.unwrap();
        Journey {
            c,
            base,
            clock,
            app: None,
            _driver: driver,
            _dir: dir,
            _profile: profile,
        }
    }

    fn advance(&self, d: SignedDuration) {
        let mut t = self.clock.0.lock().unwrap();
        *t += d;
    }

    async fn go(&self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    async fn js(&self, script: &str) -> serde_json::Value {
        self.c.execute(script, vec![]).await.unwrap()
    }

    /// Waits until a JavaScript condition holds (htmx swaps happen after the click returns), for up to 30 s: the
    /// journeys run side by side, each with its server and browser, on two cores, and 10 s was now and then too
    /// short for one of them under that load. A condition that holds returns at once, so the ceiling costs nothing.
    async fn until(&self, condition: &str) {
        if !self.holds_within(condition, 600).await {
            let body = self.js("return document.body.innerText").await;
            panic!("waited 30 s for `{condition}`; the page says:\n{body}");
        }
    }

    /// Whether a JavaScript condition holds within `polls` looks, 50 ms apart.
    async fn holds_within(&self, condition: &str, polls: usize) -> bool {
        let script = format!("return !!({condition});");
        for _ in 0..polls {
            if self.js(&script).await == json!(true) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    async fn text(&self) -> String {
        self.js("return document.body.innerText")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    async fn click(&self, xpath: &str) {
        self.c
            .find(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|e| panic!("{xpath}: {e}"))
            .click()
            .await
            .unwrap();
    }

    async fn shot(&self, name: &str) {
        let png = self.c.screenshot().await.unwrap();
        std::fs::write(shots().join(format!("{name}.png")), png).unwrap();
    }

    /// Each chart shown on the page, alone, as `{name}-{k}.png` (a page screenshot shows only the first screen).
    async fn chart_shots(&self, name: &str) {
        let mut k = 0;
        for chart in self.c.find_all(Locator::Css("svg.chart")).await.unwrap() {
            if chart.is_displayed().await.unwrap() {
                k += 1;
                self.c
                    .execute(
                        "arguments[0].scrollIntoView({block: 'center'}); return null",
                        vec![serde_json::to_value(&chart).unwrap()],
                    )
                    .await
                    .unwrap();
                let png = chart.screenshot().await.unwrap();
                std::fs::write(shots().join(format!("{name}-{k}.png")), png).unwrap();
            }
        }
    }

    /// The phone checks of docs/web.md ("Layout checks"): nothing scrolls sideways, every pain row sits on at most two
    /// lines (0–5 above 6–10) with buttons of at least 44 × 44 px.
    async fn phone_checks(&self, page: &str) {
        let w = self
            .js("return [document.documentElement.scrollWidth, window.innerWidth]")
            .await;
        assert!(
            w[0].as_u64() <= w[1].as_u64(),
            "{page}: the page scrolls sideways ({w})"
        );
        // Per row: the number of lines, the first line's values, and the smallest button's width and height.
        let rows = self
            .js("return [...document.querySelectorAll('.pain-buttons')].filter(r => r.offsetParent).map(r => { const bs = [...r.querySelectorAll('.pain-btn')]; const tops = [...new Set(bs.map(b => Math.round(b.getBoundingClientRect().top)))]; return [tops.length, bs.filter(b => Math.round(b.getBoundingClientRect().top) === tops[0]).map(b => b.querySelector('input').value), Math.min(...bs.map(b => b.getBoundingClientRect().width)), Math.min(...bs.map(b => b.getBoundingClientRect().height))]; })")
            .await;
        for r in rows.as_array().unwrap() {
            let lines = r[0].as_u64().unwrap();
            assert!(lines <= 2, "{page}: a pain row runs onto {lines} lines");
            if lines == 2 {
                let first: Vec<&str> = r[1]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|v| v.as_str())
                    .collect();
                assert!(
                    first == ["0", "1", "2", "3", "4", "5"] || first == ["1", "2", "3", "4", "5", "6"],
                    "{page}: the first line of a two-line row is {first:?}"
                );
            }
            assert!(
                r[2].as_f64().unwrap() >= 44.0 && r[3].as_f64().unwrap() >= 44.0,
                "{page}: pain buttons under 44 × 44 px ({r})"
            );
        }
        let small = self
            .js("return [...document.querySelectorAll('button, .pain-btn, .chip, summary, select, input[type=search], input[type=text], input:not([type])')].filter(b => b.offsetParent && b.getBoundingClientRect().height < 44).map(b => b.outerHTML.slice(0, 80))")
            .await;
        assert_eq!(small, json!([]), "{page}: tap targets under 44 px");
        self.plain_words(page).await;
    }

    /// Issue 16, point 5: what a person reads has no rule ids in parentheses, no backticks, no snake_case setting
    /// names and no exercise ids (`supine-knee-rocks`) — outside the "why" details, which keep the ids for those who want them.
    async fn plain_words(&self, page: &str) {
        let text = self
            .js("const b = document.body.cloneNode(true); b.querySelectorAll('details.why, script, style, template').forEach(e => e.remove()); return b.innerText")
            .await;
        let text = text.as_str().unwrap_or_default();
        let j = jargon();
        let found: Vec<&str> = j.rule_ids.find_iter(text).map(|m| m.as_str()).collect();
        assert!(
            found.is_empty(),
            "{page}: rule ids in the page's words: {found:?}"
        );
        assert!(!text.contains('`'), "{page}: a backtick in the page's words");
        let words_only = j.files.replace_all(text, "");
        let found: Vec<&str> = j.snake.find_iter(&words_only).map(|m| m.as_str()).collect();
        assert!(
            found.is_empty(),
            "{page}: snake_case names in the page's words: {found:?}"
        );
        let words: std::collections::BTreeSet<&str> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .collect();
        let leaked: Vec<&str> = j
            .exercise_ids
            .iter()
            .map(String::as_str)
            .filter(|id| words.contains(id))
            .collect();
        assert!(
            leaked.is_empty(),
            "{page}: exercise ids instead of names: {leaked:?}"
        );
    }

    /// Issue 16, point 3, measured on the rendered page: in every chart shown (the drawing for the other width is
    /// hidden), each text outside the tap values renders at 11 CSS px or more, no two overlap, and each lies inside
    /// its chart; tapping the chart's latest day, week or session focuses it and shows its values inside the chart,
    /// and the arrow keys move to the one before. Returns how many charts it checked.
    async fn chart_checks(&self, page: &str) -> usize {
        let found = self
            .js(r#"const out = { charts: 0, small: [], overlap: [], outside: [], targets: 0 };
for (const svg of document.querySelectorAll('svg.chart')) {
  const r = svg.getBoundingClientRect();
  if (r.width === 0) continue;
  out.charts++;
  out.targets += svg.querySelectorAll('.pt').length;
  const scale = r.width / svg.viewBox.baseVal.width;
  const boxes = [...svg.querySelectorAll('text')].filter(t => !t.closest('.tip')).map(t => [t.textContent, t.getBoundingClientRect(), parseFloat(getComputedStyle(t).fontSize) * scale]);
  for (const [s, b, px] of boxes) {
    if (px < 11) out.small.push([s, px]);
    if (b.left < r.left - 0.5 || b.right > r.right + 0.5 || b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5) out.outside.push(s);
  }
  for (let i = 0; i < boxes.length; i++) for (let k = i + 1; k < boxes.length; k++) {
    const [a, b] = [boxes[i][1], boxes[k][1]];
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) out.overlap.push([boxes[i][0], boxes[k][0]]);
  }
}
return out;"#)
            .await;
        assert_eq!(
            (&found["small"], &found["overlap"], &found["outside"]),
            (&json!([]), &json!([]), &json!([])),
            "{page}: chart text under 11 px, overlapping or outside its chart"
        );
        let charts = found["charts"].as_u64().unwrap() as usize;
        if found["targets"].as_u64() == Some(0) {
            return charts;
        }
        // A tap on the latest point of the first chart that has any.
        self.js("const pt = [...document.querySelectorAll('svg.chart .pt[tabindex=\"0\"]')].find(p => p.getBoundingClientRect().width > 0); pt.scrollIntoView({block: 'center'}); pt.setAttribute('data-tapped', ''); return null")
            .await;
        self.c
            .find(Locator::Css("[data-tapped]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let tip = self
            .js(r#"const pt = document.querySelector('[data-tapped]'); const svg = pt.closest('svg').getBoundingClientRect(); const tip = pt.querySelector('.tip'); const b = tip.getBoundingClientRect();
return [document.activeElement === pt, getComputedStyle(tip).display !== 'none' && b.width > 0, b.left >= svg.left - 0.5 && b.right <= svg.right + 0.5 && b.top >= svg.top - 0.5, tip.textContent, pt.getAttribute('aria-label')]"#)
            .await;
        assert_eq!(
            (&tip[0], &tip[1], &tip[2]),
            (&json!(true), &json!(true), &json!(true)),
            "{page}: a tap shows the value inside the chart ({tip})"
        );
        assert!(
            tip[3]
                .as_str()
                .is_some_and(|t| t.chars().any(|c| c.is_ascii_digit())),
            "{page}: the shown value has no number ({tip})"
        );
        let before = self
            .js("return document.activeElement.getAttribute('aria-label')")
            .await;
        self.c
            .active_element()
            .await
            .unwrap()
            .send_keys("\u{E012}")
            .await
            .unwrap();
        let after = self
            .js("const a = document.activeElement; return [a.classList.contains('pt'), a.getAttribute('tabindex'), a.getAttribute('aria-label'), document.querySelector('[data-tapped]').getAttribute('tabindex')]")
            .await;
        if self
            .js("return document.querySelector('[data-tapped]').parentNode.querySelectorAll('.pt').length")
            .await
            .as_u64()
            > Some(1)
        {
            assert!(
                after[0] == json!(true)
                    && after[1] == json!("0")
                    && after[2] != before
                    && after[3] == json!("-1"),
                "{page}: the left arrow moves to the point before ({before} → {after})"
            );
        }
        self.js("document.querySelector('[data-tapped]').removeAttribute('data-tapped'); document.activeElement.blur(); return null")
            .await;
        charts
    }

    /// A year of training before the journey's Monday, faster than tapping: three sessions a week (a trap-bar
    /// deadlift whose weight climbs, and a dead bug), each with a next-morning check-in, and a flare-up in March.
    async fn seed_a_year(&self) {
        let (app, who) = self.app.as_ref().unwrap();
        let first = jiff::civil::date(2025, 11, 25);
        for week in 0..52i64 {
            for offset in [0i64, 2, 4] {
                let day = first
                    .checked_add(jiff::Span::new().days(week * 7 + offset))
                    .unwrap();
                let pain = [1, 2, 2, 3, 1, 4][((week + offset) % 6) as usize];
                let mut sets = vec![
                    json!({"exercise": "trap-bar-deadlift", "reps": 8, "load_kg": 60 + week, "pain": pain});
                    3
                ];
                sets.extend(vec![json!({"exercise": "dead-bug", "reps": 10, "pain": 1}); 2]);
                let doc = json!({"at": format!("{day} 18:00"), "pain_before": 2, "minutes": 40 + week % 20,
                                 "session_rpe": 5 + week % 4, "sets": sets});
                app.log_document(
                    *who,
                    &doc.to_string(),
                    "seed",
                    &backstop_app::SessionOptions::default(),
                )
                .await
                .unwrap();
                let morning = day.tomorrow().unwrap();
                app.checkin(
                    *who,
                    backstop_app::CheckInInput {
                        at: Some(format!("{morning} 08:00")),
                        pain: Some(backstop_core::units::Pain::new(pain.min(3)).unwrap()),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            }
        }
        use backstop_core::facts::FlareMark;
        app.flare(*who, FlareMark::Start, Some("2026-03-10 09:00"))
            .await
            .unwrap();
        app.flare(*who, FlareMark::End, Some("2026-03-16 09:00"))
            .await
            .unwrap();
    }

    /// Types a first weight into the open set form when its load field is empty (a loaded exercise's first set:
    /// the weight is the lifter's to choose, with the guide beside it); returns whether it did.
    async fn first_weight(&self, kg: &str) -> bool {
        let form = self.c.find(Locator::XPath(OPEN_FORM)).await.unwrap();
        let Ok(load) = form.find(Locator::Css("input[name=load]")).await else {
            return false;
        };
        if !load.prop("value").await.unwrap().unwrap_or_default().is_empty() {
            return false;
        }
        // Issue 16, point 4: a loaded exercise cannot be logged without its load, and the field says how to choose
        // a first weight.
        let state = self
            .js(&format!(
                "const f = document.evaluate(\"{OPEN_FORM}\", document, null, 9, null).singleNodeValue; const l = f.querySelector('input[name=load]'); const h = document.getElementById(l.getAttribute('aria-describedby') || ''); return [l.required, f.checkValidity(), h ? h.textContent : '']"
            ))
            .await;
        assert_eq!(
            (&state[0], &state[1]),
            (&json!(true), &json!(false)),
            "an empty load is refused: {state}"
        );
        assert!(
            state[2].as_str().is_some_and(|h| h.contains("weight")),
            "the load field explains a first weight: {state}"
        );
        load.send_keys(kg).await.unwrap();
        true
    }

    async fn onboard(&self) {
        self.onboard_with(false).await;
    }

    /// Onboarding; with `every_day`, every day of the week is a training day (a journey on the real clock must
    /// find a session to start whatever the day).
    async fn onboard_with(&self, every_day: bool) {
        self.go("/welcome").await;
        let tz = self.c.find(Locator::Id("time_zone")).await.unwrap();
        tz.clear().await.unwrap();
        tz.send_keys("Europe/London").await.unwrap();
        for day in ["tue", "thu", "sat", "sun"] {
            self.click(&format!("//input[@name='days'][@value='{day}']/.."))
                .await;
        }
        if every_day {
            self.js("document.querySelectorAll('input[name=days]').forEach(d => { d.checked = true; }); return null")
                .await;
        }
        self.click("//input[@name='baseline_pain'][@value='2']/..").await;
        self.click("//input[@name='aggravators'][@value='sitting']/..")
            .await;
        // "None of these apply to me" marks every open question No (issue 16, point 8), without saving.
        self.click("//button[contains(., 'None of these apply to me')]")
            .await;
        assert_eq!(
            self.js("return location.pathname").await,
            json!("/welcome"),
            "the shortcut must not submit"
        );
        let open = self
            .js("return [...new Set([...document.querySelectorAll('input[name^=\"rf.\"]')].map(r => r.name))].filter(n => !document.querySelector(`input[name=\"${n}\"]:checked`)).length")
            .await;
        assert_eq!(open, json!(0), "every red-flag question answered");
        let no = self
            .js("return document.querySelectorAll('input[name^=\"rf.\"][value=no]:checked').length")
            .await;
        assert_eq!(
            no.as_u64(),
            Some(backstop_core::redflags::RedFlag::ALL.len() as u64)
        );
        self.shot("01-onboarding").await;
        self.click("//button[contains(., 'Save and plan today')]").await;
        self.until("location.pathname === '/today' && document.querySelector('#start')")
            .await;
    }
}

/// A Chrome DevTools Protocol command sent through chromedriver (`goog/cdp/execute`): network emulation and the
/// installability check have no WebDriver command of their own.
#[derive(Debug)]
struct Cdp(&'static str, serde_json::Value);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(json!({ "cmd": self.0, "params": self.1 }).to_string()),
        )
    }
}

/// What the plain-words check looks for, built once for every page it checks.
struct Jargon {
    /// Rule ids in parentheses: "(PM-5)", "(C5, BK-5)".
    rule_ids: regex::Regex,
    /// snake_case names (a setting's, a field's).
    snake: regex::Regex,
    /// A file's own name (the import's `hevy_kg.csv`), which is the person's, not jargon.
    files: regex::Regex,
    /// Catalog ids that would read as ids: hyphenated, and not a word of some exercise's name ("step-up" in
    /// "Goblet step-up" reads as a word).
    exercise_ids: Vec<String>,
}

fn jargon() -> &'static Jargon {
    static JARGON: std::sync::OnceLock<Jargon> = std::sync::OnceLock::new();
    JARGON.get_or_init(|| {
        let catalog = backstop_core::catalog::Catalog::builtin().unwrap();
        let names: Vec<String> = catalog
            .exercises()
            .iter()
            .map(|e| e.name.to_lowercase())
            .collect();
        Jargon {
            rule_ids: regex::Regex::new(r"\((?:[A-Z]{1,3}-?[0-9]+)(?:, ?[A-Z]{1,3}-?[0-9]+)*\)").unwrap(),
            snake: regex::Regex::new(r"\b[a-z]+(?:_[a-z]+)+\b").unwrap(),
            files: regex::Regex::new(r"\S+\.(?:csv|json|txt|html)\b").unwrap(),
            exercise_ids: catalog
                .exercises()
                .iter()
                .map(|e| e.id.clone())
                .filter(|id| id.contains('-') && !names.iter().any(|n| n.contains(id.as_str())))
                // The red flags' own names ("saddle-numbness") are ids too.
                .chain(
                    backstop_core::redflags::RedFlag::ALL
                        .iter()
                        .map(|f| f.as_str().to_owned())
                        .filter(|id| id.contains('-')),
                )
                .collect(),
        }
    })
}

/// The first set form that is open (not folded under "Log another set").
const OPEN_FORM: &str = "(//section[contains(@class,'exercise')]/form[contains(@class,'set-form')])[1]";

#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver): run with --include-ignored"]
async fn onboarding_plan_three_sets_next_day_check_in_and_the_verdict_on_status() {
    require_browser();
    for width in [360, 390] {
        onboarding_to_status_at(width).await;
    }
}

/// The first day and the morning after at one phone width (issue 16's points 1, 4, 5, 7 and 8 along the way).
async fn onboarding_to_status_at(width: u32) {
    let j = Journey::start_at(width).await;
    j.onboard().await;
    j.phone_checks(&format!("today at {width} px")).await;
    j.shot(&format!("02-today-plan-{width}")).await;
    assert!(j.text().await.contains("Start the session"));

    j.click("//input[@name='pain_before'][@value='2']/..").await;
    j.click("//button[contains(., 'Start session')]").await;
    j.until("document.querySelector('section.exercise > form.set-form')")
        .await;
    j.phone_checks(&format!("today, session under way at {width} px"))
        .await;
    // One exercise's set form is open; the others wait folded (issue 16, point 8).
    let open = j
        .js("return document.querySelectorAll('section.exercise > form.set-form').length")
        .await;
    assert_eq!(open.as_u64(), Some(1), "{open}");
    let folded = j
        .js("return document.querySelectorAll('section.exercise details.more:not([open]) form.set-form').length")
        .await;
    assert!(folded.as_u64().unwrap() >= 2, "{folded}");

    let mut logged = Vec::new();
    let mut weighed = false;
    for (i, pain) in [1, 1, 2].iter().enumerate() {
        let form = j.c.find(Locator::XPath(OPEN_FORM)).await.unwrap();
        let exercise = form
            .find(Locator::Css("input[name=exercise]"))
            .await
            .unwrap()
            .attr("value")
            .await
            .unwrap()
            .unwrap();
        logged.push(exercise.clone());
        weighed |= j.first_weight("12").await;
        j.click(&format!("{OPEN_FORM}//input[@name='pain'][@value='{pain}']/.."))
            .await;
        j.click(&format!("{OPEN_FORM}//button[@type='submit']")).await;
        j.until(&format!(
            "document.querySelectorAll('#ex-{exercise} .set-done').length >= {}",
            logged.iter().filter(|e| **e == exercise).count()
        ))
        .await;
        if i == 0 {
            j.shot(&format!("03-first-set-logged-{width}")).await;
        }
    }
    assert!(
        weighed,
        "the first session holds a loaded exercise, so point 4 is checked"
    );
    j.shot(&format!("04-three-sets-{width}")).await;
    j.click("//input[@name='session_rpe'][@value='6']/..").await;
    j.click("//button[contains(., 'Finish and save')]").await;
    j.until("document.body.innerText.includes('Session saved')").await;
    assert!(j.text().await.contains("Next-morning check-in"));
    j.shot(&format!("05-finished-{width}")).await;
    // Back on Today the same day: the day is done, not the same session offered again.
    j.go("/today").await;
    j.phone_checks(&format!("today, done at {width} px")).await;
    let done = j.text().await;
    assert!(
        done.contains("Done for today") && !done.contains("Start session"),
        "{done}"
    );
    j.shot(&format!("05b-today-done-{width}")).await;
    // A check-in minutes after the session is kept, and the page says it is too early to be the next morning's
    // (issue 16, point 8).
    j.go("/checkin").await;
    j.click("//input[@name='pain'][@value='2']/..").await;
    j.click("//button[contains(., 'Save check-in')]").await;
    j.until("document.body.innerText.includes('Saved')").await;
    let early = j.text().await;
    assert!(
        early.contains("Too early to count as the next-morning check-in"),
        "{early}"
    );
    j.phone_checks(&format!("an early check-in at {width} px")).await;

    // The next morning.
    j.advance(SignedDuration::from_hours(14));
    j.go("/checkin").await;
    assert!(j.text().await.contains("Due now: the next-morning check-in"));
    j.phone_checks(&format!("check-in at {width} px")).await;
    j.click("//input[@name='pain'][@value='2']/..").await;
    j.click("//button[contains(., 'Save check-in')]").await;
    j.until("document.body.innerText.includes('Saved')").await;
    j.phone_checks(&format!("check-in saved at {width} px")).await;
    j.shot(&format!("06-check-in-saved-{width}")).await;
    j.go("/status").await;
    j.phone_checks(&format!("status at {width} px")).await;
    let status = j.text().await;
    assert!(status.contains("green"), "{status}");
    assert!(status.contains("Your exercises"));
    j.shot(&format!("07-status-{width}")).await;
    for page in ["/history", "/trends", "/triage", "/data", "/settings"] {
        j.go(page).await;
        j.phone_checks(&format!("{page} at {width} px")).await;
        j.shot(&format!("08-{}-{width}", page.trim_start_matches('/')))
            .await;
    }
    j.c.clone().close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver): run with --include-ignored"]
async fn a_pain_above_the_ceiling_warns_before_and_after_saving() {
    require_browser();
    let j = Journey::start().await;
    j.onboard().await;
    j.click("//input[@name='pain_before'][@value='2']/..").await;
    j.click("//button[contains(., 'Start session')]").await;
    j.until("document.querySelector('section.exercise > form.set-form')")
        .await;
    // The ceiling is marked on the row before anything is chosen.
    let over = j
        .js("return document.querySelectorAll('form.set-form .pain-btn.over').length")
        .await;
    assert!(over.as_u64().unwrap() >= 6, "{over}");
    // Keyboard: arrow keys move along the row.
    let radio =
        j.c.find(Locator::XPath(&format!(
            "{OPEN_FORM}//input[@name='pain'][@value='2']"
        )))
        .await
        .unwrap();
    radio.send_keys("\u{e014}").await.unwrap();
    j.until("document.activeElement && document.activeElement.name === 'pain' && document.activeElement.value === '3' && document.activeElement.checked").await;
    let outline = j
        .js("return getComputedStyle(document.activeElement.nextElementSibling).outlineStyle")
        .await;
    assert_ne!(outline, json!("none"), "focus is visible on the pain row");
    // Choosing 6 shows the warning at once (before saving).
    j.click(&format!("{OPEN_FORM}//input[@name='pain'][@value='6']/.."))
        .await;
    j.until("[...document.querySelectorAll('.ceiling-warning-live')].some(e => !e.hidden && e.textContent.includes('above your ceiling of 5'))").await;
    j.shot("10-ceiling-warning-live").await;
    j.click(&format!("{OPEN_FORM}//button[@type='submit']")).await;
    j.until("[...document.querySelectorAll('[role=alert]')].some(e => e.textContent.includes('Pain 6 is above your ceiling of 5'))").await;
    j.phone_checks("ceiling warning").await;
    j.shot("11-ceiling-warning-saved").await;
    j.c.clone().close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver): run with --include-ignored"]
async fn importing_a_csv_shows_its_report() {
    require_browser();
    for width in [360, 390] {
        importing_then_triage_at(width).await;
    }
}

/// An imported history at one phone width (issue 16, point 2: no verdict without pain, load estimated from the
/// sets and said on the page), then the soreness triage's result and, with a red flag, the stop page (point 5's
/// plain words on both).
async fn importing_then_triage_at(width: u32) {
    let j = Journey::start_at(width).await;
    j.onboard().await;
    j.go("/data").await;
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../backstop-import/tests/data/hevy_kg.csv");
    let input = j.c.find(Locator::Id("file")).await.unwrap();
    input
        .send_keys(&file.canonicalize().unwrap().display().to_string())
        .await
        .unwrap();
    j.click("//button[contains(., 'Import')]").await;
    j.until("document.querySelector('#import-report')").await;
    let text = j.text().await;
    assert!(text.contains("sessions with") && text.contains("hevy"), "{text}");
    j.phone_checks(&format!("import report at {width} px")).await;
    j.shot(&format!("12-import-report-{width}")).await;

    // History: the imported sessions, none of them green (they carry no pain).
    j.go("/history").await;
    let history = j.text().await;
    assert!(!history.contains("No sessions yet"), "{history}");
    let tags = j
        .js("return [...document.querySelectorAll('.history .tag, ul .tag')].map(t => t.textContent.trim())")
        .await;
    let tags = strings(&tags);
    assert!(
        !tags.is_empty() && tags.iter().all(|t| *t == "unrated"),
        "history tags: {tags:?}"
    );
    j.phone_checks(&format!("imported history at {width} px")).await;
    j.shot(&format!("12b-imported-history-{width}")).await;
    // Status: done before, with no pain recorded, and no verdict.
    j.go("/status").await;
    let status = j.text().await;
    assert!(status.contains("Done before, with no pain recorded"), "{status}");
    assert_eq!(
        j.js("return document.querySelectorAll('.tag-green').length")
            .await,
        json!(0),
        "no green from an import: {status}"
    );
    j.phone_checks(&format!("status after an import at {width} px"))
        .await;
    // Trends: the imported workouts' load is estimated from their sets, drawn lighter and said.
    j.go("/trends?weeks=52").await;
    let trends = j.text().await;
    assert!(trends.contains("load is estimated from their sets"), "{trends}");
    assert!(
        j.js("return [...document.querySelectorAll('svg.chart rect.estimated')].some(r => r.getBoundingClientRect().height > 0)")
            .await
            == json!(true),
        "the estimated load is drawn"
    );
    j.phone_checks(&format!("trends after an import at {width} px"))
        .await;
    j.chart_checks(&format!("trends after an import at {width} px"))
        .await;
    j.chart_shots(&format!("12c-imported-trends-{width}")).await;

    // Soreness or pain? A report of 3 with ordinary answers, then the result in plain words.
    j.go("/triage").await;
    j.js("const names = [...new Set([...document.querySelectorAll('form input[type=radio]')].map(r => r.name))].filter(n => n !== 'pain'); names.forEach(n => document.querySelector(`input[name=\"${n}\"]`).checked = true); return null")
        .await;
    j.click("//input[@name='pain'][@value='3']/..").await;
    j.click("//button[contains(., 'See what it means')]").await;
    j.until("document.querySelector('#triage-result')").await;
    let result = j.text().await;
    assert!(
        !result.contains("4/10 or more"),
        "advice for a 3 speaks of 4 or more: {result}"
    );
    j.phone_checks(&format!("triage result at {width} px")).await;
    j.shot(&format!("15-triage-result-{width}")).await;
    // With a red flag: the stop page, in plain words.
    j.go("/triage").await;
    j.js("const names = [...new Set([...document.querySelectorAll('form input[type=radio]')].map(r => r.name))].filter(n => n !== 'pain'); names.forEach(n => document.querySelector(`input[name=\"${n}\"]`).checked = true); document.querySelector('input[name=red_flags]').checked = true; return null")
        .await;
    j.click("//input[@name='pain'][@value='3']/..").await;
    j.click("//button[contains(., 'See what it means')]").await;
    j.until("document.querySelector('.banner-blocked') || location.pathname !== '/triage'")
        .await;
    let stop = j.text().await;
    assert!(
        stop.contains("Urgency") || stop.contains("clinician") || stop.contains("doctor"),
        "{stop}"
    );
    j.phone_checks(&format!("a red flag's result at {width} px"))
        .await;
    // The flag in words, and the way to record a clinician's clearance a tap away.
    assert!(stop.contains("saddle numbness: emergency"), "{stop}");
    j.shot(&format!("16-red-flag-{width}")).await;
    j.click("//a[contains(., 'clearance')]").await;
    j.until("location.pathname === '/screen'").await;
    j.phone_checks(&format!("the red-flag questions and clearance at {width} px"))
        .await;
    j.go("/today").await;
    j.phone_checks(&format!("today after a red flag at {width} px"))
        .await;
    j.shot(&format!("16b-today-after-red-flag-{width}")).await;
    j.c.clone().close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver): run with --include-ignored"]
async fn a_planned_session_logged_as_planned_takes_one_tap_per_set() {
    require_browser();
    let j = Journey::start().await;
    j.onboard().await;
    let planned = j
        .js("return [...document.querySelectorAll('section.exercise p strong')].map(s => parseInt(s.textContent)).reduce((a, b) => a + b, 0)")
        .await
        .as_u64()
        .unwrap();
    let mut taps = 0;
    let mut weights_typed = 0;
    j.click("//input[@name='pain_before'][@value='2']/..").await;
    j.click("//button[contains(., 'Start session')]").await;
    taps += 2;
    j.until("document.querySelector('section.exercise > form.set-form')")
        .await;
    let loaded = j
        .js("return [...document.querySelectorAll('section.exercise')].filter(s => s.querySelector('input[name=load]')).length")
        .await
        .as_u64()
        .unwrap();
    loop {
        let open = j.c.find_all(Locator::XPath(OPEN_FORM)).await.unwrap();
        if open.is_empty() {
            break;
        }
        let before = j
            .js("return document.querySelectorAll('.set-done').length")
            .await
            .as_u64()
            .unwrap();
        // Everything is prefilled from the plan (pain from the last rating): "Done" is the only tap, except that
        // a loaded exercise's first set asks for its weight (issue 16, point 4); later sets carry it over.
        if j.first_weight("12").await {
            weights_typed += 1;
        }
        j.click(&format!("{OPEN_FORM}//button[@type='submit']")).await;
        taps += 1;
        j.until(&format!(
            "document.querySelectorAll('.set-done').length > {before}"
        ))
        .await;
        assert!(taps < 60, "the session never ends");
    }
    j.click("//input[@name='session_rpe'][@value='5']/..").await;
    j.click("//button[contains(., 'Finish and save')]").await;
    taps += 2;
    j.until("document.body.innerText.includes('Session saved')").await;
    println!("{planned} planned sets logged in {taps} taps, {weights_typed} first weight(s) typed");
    assert!(
        (1..=loaded).contains(&weights_typed),
        "a first weight is asked once per loaded exercise ({loaded}) at most"
    );
    assert_eq!(
        taps,
        planned + 4,
        "one tap per set, plus start (2) and finish (2)"
    );
    j.c.clone().close().await.unwrap();
}

/// The journeys are not vacuous: the onboarding journey fails against a server whose pages all answer 500.
#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver): run with --include-ignored"]
async fn a_journey_fails_when_its_page_answers_500() {
    require_browser();
    let broken = axum::Router::new()
        .fallback(|| async { (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "something broke") });
    let clock = Arc::new(TestClock(Mutex::new("2026-11-23T18:00:00Z".parse().unwrap())));
    let j = Journey::start_with(broken, clock, tempfile::tempdir().unwrap(), WIDTH).await;
    let run = tokio::spawn(async move { j.onboard().await });
    let outcome = run.await;
    assert!(
        outcome.as_ref().is_err_and(|e| e.is_panic()),
        "the onboarding journey passed against a server that answers 500"
    );
}

#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver): run with --include-ignored"]
async fn every_section_is_a_tap_away_and_the_week_fits_a_phone() {
    // Issue 16, point 6 (three sections were reachable only by swiping the tab bar sideways) and issue 18, point 3
    // (the Week page), at both phone widths.
    require_browser();
    for width in [360, 390] {
        let j = Journey::start_at(width).await;
        j.onboard().await;
        // Today's pain row before the session: thumb-sized buttons on two lines.
        j.phone_checks(&format!("today at {width} px")).await;
        j.shot(&format!("07-pain-row-{width}")).await;
        j.go("/week").await;
        j.until("document.querySelector('ol.week')").await;
        j.phone_checks(&format!("week at {width} px")).await;
        j.shot(&format!("08-week-{width}")).await;
        let text = j.text().await;
        assert!(
            text.contains("Monday 23 November")
                && text.contains("Morning check-in")
                && text.contains("Sunday 29 November"),
            "{text}"
        );
        // The main tabs are all on screen, none cut off at the edge.
        let outside = j
            .js("return [...document.querySelectorAll('nav.tabs > a, nav.tabs summary')].filter(a => { const r = a.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth || r.height < 44; }).map(a => a.textContent)")
            .await;
        assert_eq!(outside, json!([]), "at {width} px: tabs off screen or too small");
        // "More" opens by a tap and shows the other sections, each a full-size target on screen.
        j.click("//nav[contains(@class,'tabs')]//summary").await;
        let more = j
            .js("return [...document.querySelectorAll('nav.tabs details.more a')].map(a => { const r = a.getBoundingClientRect(); return [a.textContent, r.height >= 44 && r.left >= 0 && r.right <= window.innerWidth]; })")
            .await;
        assert_eq!(
            more,
            json!([
                ["Exercises", true],
                ["Trends", true],
                ["Soreness or pain?", true],
                ["Import & export", true],
                ["Settings", true],
                ["People & access", true],
                ["Why it works this way", true]
            ]),
            "at {width} px"
        );
        j.phone_checks(&format!("the More menu at {width} px")).await;
        j.shot(&format!("09-more-{width}")).await;
        if width == 360 {
            j.click("//nav[contains(@class,'tabs')]//a[.='Exercises']").await;
            j.until("location.pathname === '/exercises' && document.querySelector('ul.catalog')")
                .await;
            j.phone_checks("the exercises at 360 px").await;
            j.shot("10-exercises-360").await;
            j.go("/exercises/trap-bar-deadlift").await;
            j.until("document.querySelector('h1')").await;
            j.phone_checks("an exercise's page at 360 px").await;
            j.go("/exercises/new").await;
            j.until("document.querySelector('#name')").await;
            j.phone_checks("a new exercise at 360 px").await;
            // The explanations (issue 18, point 6): the list and each one.
            for page in [
                "/learn",
                "/learn/pain-that-settles",
                "/learn/flare-up",
                "/learn/red-flags",
            ] {
                j.go(page).await;
                j.until("document.querySelector('h1')").await;
                j.phone_checks(&format!("{page} at 360 px")).await;
            }
            j.shot("10b-learn-360").await;
            j.click("//nav[contains(@class,'tabs')]//summary").await;
        }
        j.click("//nav[contains(@class,'tabs')]//a[.='Settings']").await;
        j.until("location.pathname === '/settings'").await;
        // The section behind "More" is marked there.
        assert_eq!(
            j.js("return document.querySelector('nav.tabs summary').className")
                .await,
            json!("current")
        );
    }
}

/// Offline logging (issue 18): the app passes Chromium's installability check and its worker keeps Today; with
/// the network cut (DevTools emulation) a session is started and three sets are logged, each marked as not saved;
/// back online, the first one is stored but its answer is lost (the server answers 502 after storing it), so the
/// queue keeps it and sends it again with the other two: all three are stored, once each, in one session.
#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver): run with --include-ignored"]
async fn three_sets_logged_offline_are_stored_once_when_the_connection_returns() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    require_browser();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("e2e.db")).await.unwrap());
    // The browser's own clock starts the session offline, so the server's runs on the real time too.
    let clock = Arc::new(TestClock(Mutex::new(Timestamp::now())));
    let app = App::new(store.clone(), clock.clone()).unwrap();
    let who = app.local_athlete().await.unwrap();
    // Answers to lose: a set POST is handled (and stored), then answered with 502, as a proxy would when the
    // phone's connection drops before the answer arrives.
    let lose = Arc::new(AtomicUsize::new(0));
    let losing = lose.clone();
    let router = web(app.clone(), who).layer(axum::middleware::from_fn(
        move |req: axum::extract::Request, next: axum::middleware::Next| {
            let losing = losing.clone();
            async move {
                let set = req.uri().path() == "/today/sets";
                let res = next.run(req).await;
                if set
                    && losing
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                        .is_ok()
                {
                    return axum::http::StatusCode::BAD_GATEWAY.into_response();
                }
                res
            }
        },
    ));
    let j = Journey::start_with(router, clock, dir, WIDTH).await;
    j.onboard_with(true).await;
    j.until("navigator.serviceWorker && navigator.serviceWorker.controller")
        .await;
    let errors =
        j.c.issue_cmd(Cdp("Page.getInstallabilityErrors", json!({})))
            .await
            .unwrap();
    assert_eq!(errors["installabilityErrors"], json!([]), "{errors}");
    // The worker keeps Today after the page's message and a fetch of its own: asked once, the cache could answer
    // before that (a race seen under load), so it is asked again every 100 ms.
    j.js("window.keepPoll = setInterval(() => caches.match('/today').then(r => { if (r) { window.kept = true; clearInterval(window.keepPoll); } }), 100); return null")
        .await;
    j.until("window.kept").await;

    let offline = |on: bool| {
        Cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": on, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
        )
    };
    j.c.issue_cmd(Cdp("Network.enable", json!({}))).await.unwrap();
    j.c.issue_cmd(offline(true)).await.unwrap();
    j.until("!navigator.onLine").await;
    j.click("//input[@name='pain_before'][@value='2']/..").await;
    j.click("//button[contains(., 'Start session')]").await;
    j.until("document.getElementById('offline-started')").await;
    const SHOWN: &str = "(//section[contains(@class,'exercise')]//form[contains(@class,'set-form')][not(ancestor::*[@hidden])])[1]";
    j.phone_checks("today, started offline").await;
    let first = j.c.find(Locator::XPath(SHOWN)).await.unwrap();
    if let Ok(load) = first.find(Locator::Css("input[name=load]")).await
        && load.prop("value").await.unwrap().unwrap_or_default().is_empty()
    {
        load.send_keys("12").await.unwrap();
    }
    for (n, pain) in [1, 2, 2].into_iter().enumerate() {
        j.click(&format!("{SHOWN}//input[@name='pain'][@value='{pain}']/.."))
            .await;
        j.click(&format!("{SHOWN}//button[@type='submit']")).await;
        j.until(&format!(
            "document.querySelectorAll('li.set-unsaved').length === {}",
            n + 1
        ))
        .await;
    }
    let text = j.text().await;
    assert!(text.contains("3 sets are not saved yet"), "{text}");
    assert!(text.contains("not saved yet"));
    j.shot("11-offline-three-unsaved").await;
    assert!(
        backstop_app::store::Store::sessions(&*store, who, None, None)
            .await
            .unwrap()
            .is_empty(),
        "nothing reached the server"
    );

    // Back online; the first answer is lost after the set was stored.
    lose.store(1, Ordering::SeqCst);
    j.c.issue_cmd(offline(false)).await.unwrap();
    for _ in 0..200 {
        if lose.load(Ordering::SeqCst) == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        lose.load(Ordering::SeqCst),
        0,
        "the queue was sent when the connection returned"
    );
    let stored = backstop_app::store::Store::sessions(&*store, who, None, None)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].session.sets.len(),
        1,
        "stored, though its answer was lost"
    );
    assert_eq!(
        j.js("return JSON.parse(localStorage.getItem('backstop-unsaved-sets')).length")
            .await,
        json!(3)
    );
    // The next try sends all three again, oldest first; the first is recognised by its id.
    j.js("window.dispatchEvent(new Event('online')); return null")
        .await;
    j.until("!localStorage.getItem('backstop-unsaved-sets') || JSON.parse(localStorage.getItem('backstop-unsaved-sets')).length === 0")
        .await;
    j.until(
        "document.querySelectorAll('.set-done').length === 3 && !document.querySelector('li.set-unsaved')",
    )
    .await;
    let stored = backstop_app::store::Store::sessions(&*store, who, None, None)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "one session");
    let pains: Vec<u8> = stored[0]
        .session
        .sets
        .iter()
        .filter_map(|s| s.pain.map(|p| p.value()))
        .collect();
    assert_eq!(pains, [1, 2, 2], "each set once, in the order done");
    assert_eq!(stored[0].session.pain_before.map(|p| p.value()), Some(2));
    assert!(j.text().await.contains("Session under way"));
    j.shot("12-offline-synced").await;
}

/// Issue 16, point 3: charts read on a phone. With a year of history, at 360 and 390 px, the trends over 4, 12 and
/// 52 weeks and an exercise's dose timeline: text of 11 px or more, no overlapping labels, a labelled calendar, and a
/// tap that shows a value.
#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver): run with --include-ignored"]
async fn charts_read_on_a_phone_with_a_year_of_history() {
    require_browser();
    for width in [360, 390] {
        let j = Journey::start_at(width).await;
        j.onboard().await;
        j.seed_a_year().await;
        for weeks in [4, 12, 52] {
            let page = format!("/trends?weeks={weeks} at {width} px");
            j.go(&format!("/trends?weeks={weeks}")).await;
            j.until("document.querySelector('svg.chart')").await;
            j.phone_checks(&page).await;
            assert_eq!(j.chart_checks(&page).await, 3, "{page}: three charts shown");
            let calendar = j
                .js("const svg = [...document.querySelectorAll('svg.chart')].find(s => s.id === '' && s.getBoundingClientRect().width > 0 && s.querySelector('title').id.startsWith('flares')); return [...svg.querySelectorAll('text')].filter(t => !t.closest('.tip')).map(t => t.textContent)")
                .await;
            let labels = strings(&calendar);
            assert!(
                labels.contains(&"Mon") && labels.contains(&"Nov") && labels.contains(&"flare-up"),
                "{page}: the calendar's labels: {labels:?}"
            );
            if weeks == 52 {
                // Every month of the year is named over its first week.
                for m in [
                    "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                ] {
                    assert!(labels.contains(&m), "{page}: {m} missing from {labels:?}");
                }
            }
            j.shot(&format!("13-trends-{weeks}w-{width}")).await;
            j.chart_shots(&format!("13-trends-{weeks}w-{width}-chart")).await;
        }
        let page = format!("an exercise's dose timeline at {width} px");
        j.go("/exercises/trap-bar-deadlift").await;
        j.until("document.querySelector('svg.chart')").await;
        j.phone_checks(&page).await;
        assert_eq!(j.chart_checks(&page).await, 1, "{page}");
        j.shot(&format!("14-dose-timeline-{width}")).await;
        j.chart_shots(&format!("14-dose-timeline-{width}-chart")).await;
        j.c.clone().close().await.unwrap();
    }
}

const PW: &str = "a long enough password";

impl Journey {
    /// Types `text` into the field with this id.
    async fn fill(&self, id: &str, text: &str) {
        let f = self
            .c
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("#{id}: {e}"));
        f.clear().await.unwrap();
        f.send_keys(text).await.unwrap();
    }

    /// Signs in on a clinic's server with an address and the journeys' password.
    async fn sign_in_as(&self, email: &str) {
        self.go("/login").await;
        self.fill("email", email).await;
        self.fill("password", PW).await;
        self.click("//button[normalize-space()='Sign in']").await;
        self.until("location.pathname !== '/login'").await;
    }

    async fn sign_out(&self) {
        const OUT: &str = "location.pathname === '/login'";
        self.click("//footer//button[normalize-space()='Sign out']").await;
        // Once in many loaded runs the click was lost (the page stayed as it was for 30 s); a person
        // taps again, and so does the journey, once. A sign-out that does not work fails both.
        if !self.holds_within(OUT, 200).await {
            self.click("//footer//button[normalize-space()='Sign out']").await;
            self.until(OUT).await;
        }
    }

    /// Accepts the invitation at `url` with a new account.
    async fn accept(&self, url: &str, name: &str, email: &str) {
        self.c.goto(url).await.unwrap();
        self.fill("name", name).await;
        self.fill("email", email).await;
        self.fill("password", PW).await;
        self.fill("password_again", PW).await;
        self.click("//button[contains(., 'Accept and make my account')]")
            .await;
        self.until("location.pathname !== '/invite' && !location.pathname.startsWith('/invite/')")
            .await;
    }

    /// Makes an invitation from the People page with the button saying `label`; its address.
    async fn invite(&self, label: &str) -> String {
        self.go("/people").await;
        self.click(&format!("//button[normalize-space()='{label}']"))
            .await;
        self.until("document.getElementById('invite-url')").await;
        let url = self
            .js("return document.getElementById('invite-url').value")
            .await;
        url.as_str().unwrap().to_owned()
    }
}

/// Issue 13's journey: an admin invites a clinician, the clinician invites an athlete, the athlete logs a session
/// with a pain above the ceiling, the clinician's roster shows that athlete first, the clinician leaves an exercise
/// out and the athlete's next plan does not hold it.
#[tokio::test]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver): run with --include-ignored"]
async fn a_clinic_from_invitations_to_an_exercise_left_out() {
    use backstop_app::store::{Role, Store as _};
    require_browser();
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("clinic.db")).await.unwrap();
    let clock = Arc::new(TestClock(Mutex::new("2026-11-23T18:00:00Z".parse().unwrap())));
    let app = App::new(Arc::new(store.clone()), clock.clone()).unwrap();
    let who = app.local_athlete().await.unwrap();
    app.create_account("ada@clinic.example", "Ada", Role::Admin, PW)
        .await
        .unwrap();
    let router = backstop_web::router(
        app.clone(),
        who,
        WebOptions {
            token: AccessToken::from_secret(KEY).unwrap(),
            secure_cookies: false,
            accounts: true,
        },
    );
    let j = Journey::start_with(router, clock, dir, WIDTH).await;
    j.sign_in_as("ada@clinic.example").await;
    assert_eq!(j.js("return location.pathname").await, json!("/people"));
    let to_clinician = j.invite("Invite a clinician").await;
    j.phone_checks("an admin's people page").await;
    j.sign_out().await;
    j.accept(&to_clinician, "Pat", "pat@clinic.example").await;
    assert_eq!(j.js("return location.pathname").await, json!("/people"));
    let to_athlete = j.invite("Invite an athlete").await;
    j.sign_out().await;

    // Another athlete of Pat's, calm, made directly.
    let pat = store
        .account_by_email("pat@clinic.example")
        .await
        .unwrap()
        .unwrap();
    let kim = app
        .create_account("kim@example.com", "Kim", Role::Athlete, PW)
        .await
        .unwrap();
    let t = app.invite(&pat, Role::Athlete).await.unwrap();
    app.accept_invite_existing(&t, &kim).await.unwrap();
    app.init(
        kim.athlete.unwrap(),
        backstop_core::Profile::offered("Europe/London"),
        Some(vec![]),
    )
    .await
    .unwrap();

    // Sam accepts, sets up, and rates a set above the ceiling.
    j.accept(&to_athlete, "Sam", "sam@example.com").await;
    j.onboard().await;
    j.click("//input[@name='pain_before'][@value='2']/..").await;
    j.click("//button[contains(., 'Start session')]").await;
    j.until("document.querySelector('section.exercise > form.set-form')")
        .await;
    j.first_weight("12").await;
    j.click(&format!("{OPEN_FORM}//input[@name='pain'][@value='6']/.."))
        .await;
    j.click(&format!("{OPEN_FORM}//button[@type='submit']")).await;
    j.until("[...document.querySelectorAll('[role=alert]')].some(e => e.textContent.includes('above your ceiling'))").await;
    j.sign_out().await;

    // Pat's roster: Sam first, for the set above the ceiling.
    j.sign_in_as("pat@clinic.example").await;
    let first = j
        .js("return document.querySelector('ul.stack > li.card h3').textContent")
        .await;
    assert!(first.as_str().unwrap().starts_with("Sam"), "{first}");
    assert!(
        j.text().await.contains("1 set above the ceiling in 14 days"),
        "{}",
        j.text().await
    );
    j.phone_checks("a clinician's roster").await;
    j.shot("40-clinic-roster").await;
    // Pat reads Sam's status, then leaves out an exercise of Sam's next plan.
    j.click("//button[normalize-space()=\"Read Sam's training\"]")
        .await;
    j.until("location.pathname === '/status'").await;
    assert!(j.text().await.contains("Reading Sam's training (read only)"));
    let sam = store
        .account_by_email("sam@example.com")
        .await
        .unwrap()
        .unwrap()
        .athlete
        .unwrap();
    let plan = |app: App| async move {
        let (_, p) = app
            .plan(sam, None, backstop_core::plan::Readiness::default())
            .await
            .unwrap();
        p.items
            .iter()
            .map(|i| (i.exercise.clone(), i.name.clone()))
            .collect::<Vec<_>>()
    };
    let before = plan(app.clone()).await;
    let (id, name) = before.iter().find(|(id, _)| id != "cat-camel").cloned().unwrap();
    j.go("/people").await;
    j.fill("care-exercise", &name).await;
    j.click("//button[normalize-space()='Leave it out']").await;
    j.until("document.body.innerText.includes('Saved')").await;
    assert!(j.text().await.contains(&format!("not to be planned: {name}")));
    j.phone_checks("settings for an athlete").await;
    j.shot("41-clinic-left-out").await;
    j.sign_out().await;

    // Sam's next plan leaves it out, and Sam's status says who asked.
    assert!(!plan(app.clone()).await.iter().any(|(i, _)| *i == id));
    j.sign_in_as("sam@example.com").await;
    j.go("/status").await;
    let status = j.text().await;
    assert!(
        status.contains(&format!("Not to be planned: {name} (set by Pat")),
        "{status}"
    );
    j.go("/people").await;
    assert!(j.text().await.contains("Pat, clinician"));
    j.phone_checks("an athlete's people page").await;
    j.c.clone().close().await.unwrap();
}
