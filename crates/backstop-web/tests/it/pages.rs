//! The pages: access, CSRF, every route, validation next to the field, the gym flow, corrections with undo,
//! imports.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use backstop_core::vocab::Weekday;
use jiff::SignedDuration;

use crate::{KEY, Web, hidden};

const PAGES: &[&str] = &[
    "/today",
    "/checkin",
    "/status",
    "/history",
    "/trends",
    "/trends?weeks=52",
    "/triage",
    "/data",
    "/settings",
    "/screen",
    "/exercises/dead-bug",
];

#[tokio::test]
async fn nothing_but_login_and_assets_opens_without_the_key() {
    let w = Web::onboarded().await;
    for p in PAGES {
        let r = w.send(Request::get(*p).body(Body::empty()).unwrap()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{p}");
        assert!(r.location().starts_with("/login?next="), "{p}: {}", r.location());
    }
    let wrong = w
        .send(
            Request::get("/today")
                .header(header::COOKIE, "backstop_key=not-the-key")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::SEE_OTHER);
    let api = w
        .send(Request::get("/api/v1/status").body(Body::empty()).unwrap())
        .await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.headers[header::CONTENT_TYPE], "application/problem+json");
    let bad_bearer = w
        .send(
            Request::get("/api/v1/status")
                .header(header::AUTHORIZATION, "Bearer nope")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(bad_bearer.status, StatusCode::UNAUTHORIZED);
    // Posting without the key writes nothing.
    let before = w.sessions().await.len();
    let r = w
        .send(
            Request::post("/today/sets")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("exercise=dead-bug&reps=8&pain=1&started=1795000000"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(w.sessions().await.len(), before);
    // Assets and the login page are public and carry no personal data.
    for p in [
        "/assets/app.css",
        "/assets/app.js",
        "/assets/htmx-2.0.11.min.js",
        "/login",
    ] {
        let r = w.send(Request::get(p).body(Body::empty()).unwrap()).await;
        assert_eq!(r.status, StatusCode::OK, "{p}");
    }
}

#[tokio::test]
async fn login_sets_a_strict_cookie_and_refuses_a_wrong_key() {
    let w = Web::new().await;
    let ok = w
        .send(
            Request::get(format!("/login?key={KEY}&next=/status"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location(), "/status");
    let cookie = ok.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let away = w
        .send(
            Request::get(format!("/login?key={KEY}&next=//evil.example/"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(away.location(), "/", "never redirects to another site");
    let bad = w
        .send(Request::get("/login?key=guess").body(Body::empty()).unwrap())
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.body.contains("not this server"), "{}", bad.body);
    let form = w
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("key={KEY}&next=%2Fhistory")))
                .unwrap(),
        )
        .await;
    assert_eq!(form.location(), "/history");
}

#[tokio::test]
async fn a_cross_site_post_is_refused_and_writes_nothing() {
    let w = Web::onboarded().await;
    for site in ["cross-site", "same-site"] {
        let r = w
            .send(
                Request::post("/checkin")
                    .header(header::COOKIE, w.cookie.clone())
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", site)
                    .header(header::ORIGIN, "https://evil.example")
                    .body(Body::from("pain=3"))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{site}");
    }
    let f = w.app.facts(w.who).await.unwrap();
    assert!(f.checkins.is_empty());
    // The same post from the page itself goes through.
    let r = w.post("/checkin", "pain=3").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(w.app.facts(w.who).await.unwrap().checkins.len(), 1);
}

#[tokio::test]
async fn every_page_answers_with_security_headers() {
    let w = Web::onboarded().await;
    for p in PAGES {
        let r = w.get(p).await;
        assert_eq!(r.status, StatusCode::OK, "{p}: {}", r.body);
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{p}"
        );
        assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(
            r.headers[header::CACHE_CONTROL],
            "no-store",
            "{p}: health pages are never cached"
        );
        assert!(r.body.contains("<main id=\"main\""), "{p}");
        // No third-party requests: every script and stylesheet comes from this server.
        assert!(
            !r.body.contains("src=\"http") && !r.body.contains("href=\"http"),
            "{p}"
        );
        // No inline scripts or styles (the CSP would block them).
        assert!(
            !r.body.contains("<script>") && !r.body.contains(" style=\""),
            "{p}"
        );
    }
}

#[tokio::test]
async fn unknown_pages_and_records_are_404() {
    let w = Web::onboarded().await;
    for p in [
        "/nope",
        "/exercises/not-an-exercise",
        "/sessions/999",
        "/export/secrets.txt",
    ] {
        let r = w.get(p).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}");
    }
    let r = w.post("/sessions/999/sets/0/delete", "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w.post("/undo/not-a-token", "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn before_onboarding_every_page_leads_to_welcome() {
    let w = Web::new().await;
    for p in [
        "/today",
        "/status",
        "/checkin",
        "/history",
        "/trends",
        "/settings",
    ] {
        let r = w.get(p).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{p}");
        assert_eq!(r.location(), "/welcome", "{p}");
    }
    let r = w.get("/welcome").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Safety questions"));
}

#[tokio::test]
async fn onboarding_errors_show_next_to_their_field_and_keep_the_answers() {
    let w = Web::new().await;
    let r = w
        .post("/welcome", "units=lb&time_zone=Mars%2FOlympus&minutes=900&baseline_pain=2&equipment=cable&rf.saddle-numbness=no")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(r#"id="time_zone-error""#) && r.body.contains("unknown time zone"),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"id="minutes-error""#));
    assert!(r.body.contains(r#"id="days-error""#));
    assert!(
        r.body.contains(r#"id="rf-bladder-change-error""#),
        "unanswered red-flag questions are named"
    );
    assert!(
        r.body.contains(r#"value="Mars/Olympus""#),
        "what was typed is kept"
    );
    assert!(r.body.contains(r#"value="lb" checked"#));
    assert!(w.app.profile(w.who).await.unwrap().is_none(), "nothing saved");
    // A unit that is neither kg nor lb (a tampered form) is named beside its field, not read as kg.
    let r = w
        .post(
            "/welcome",
            "units=stone&time_zone=UTC&minutes=45&baseline_pain=2&days=mon&rf.saddle-numbness=no",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(r#"id="units-error""#) && r.body.contains("kg or lb"),
        "{}",
        r.body
    );
    assert!(w.app.profile(w.who).await.unwrap().is_none(), "nothing saved");
}

#[tokio::test]
async fn an_emergency_answer_stops_planning_until_clearance() {
    let w = Web::new().await;
    let mut form = String::from("units=kg&time_zone=UTC&days=mon&minutes=40&baseline_pain=3");
    for f in backstop_core::redflags::RedFlag::ALL {
        let yes = f.as_str() == "saddle-numbness";
        form.push_str(&format!("&rf.{}={}", f.as_str(), if yes { "yes" } else { "no" }));
    }
    let r = w.post("/welcome", &form).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("get medical care now"), "{}", r.body);
    let today = w.get("/today").await;
    assert!(today.body.contains("Training paused"));
    assert!(!today.body.contains("Start session"), "no session can be started");
    let refused = w.post("/screen/clearance", "note=GP").await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the box must be ticked"
    );
    w.advance(SignedDuration::from_hours(30));
    let r = w.post("/screen/clearance", "confirm=1&note=seen+by+GP").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(w.get("/today").await.body.contains("Start session"));
}

/// Starts a session with pain before `p0` and returns the hidden `started` value.
async fn start(w: &Web, p0: u8) -> String {
    let r = w.post("/today/start", &format!("pain_before={p0}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = w.follow(&r).await;
    assert!(page.body.contains("Session under way"), "{}", page.body);
    hidden(&page.body, "started").unwrap()
}

#[tokio::test]
async fn the_gym_flow_logs_set_by_set_warns_above_the_ceiling_and_finishes() {
    let w = Web::onboarded().await;
    let before_start = w.get("/today").await;
    assert!(before_start.body.contains("Start the session"));
    // Before the start the set forms wait hidden, for a start made without a connection (app.js); they carry no
    // session and no start time yet.
    let waiting = before_start
        .body
        .split("<div class=\"before-start\" hidden>")
        .count()
        - 1;
    assert!(waiting > 0, "{}", before_start.body);
    assert_eq!(
        before_start.body.matches("action=\"/today/sets\"").count(),
        waiting,
        "every set form before the start is hidden"
    );
    assert_eq!(hidden(&before_start.body, "started").as_deref(), Some(""));
    assert!(
        before_start
            .body
            .contains("data-ceilings=\"5,5,5,5,5,5,5,5,5,5,5\""),
        "{}",
        before_start.body
    );
    // Starting writes nothing: an abandoned start leaves no empty session behind.
    let started = start(&w, 2).await;
    assert!(w.sessions().await.is_empty());

    let r = w
        .post(
            "/today/sets",
            &format!(
                "started={started}&p0=2&exercise=chest-supported-row&load=30&reps=10&rpe=7&pain=1&felt=target"
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with("/today?logged=chest-supported-row"));
    let s = w.sessions().await;
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].session.pain_before.map(|p| p.value()), Some(2));
    let id = s[0].id;
    let page = w.follow(&r).await;
    assert!(
        page.body.contains("class=\"rest-timer\""),
        "the rest timer follows a logged set: {}",
        page.body
    );
    assert_eq!(hidden(&page.body, "session").unwrap(), id.to_string());
    // One set form is open, the just-logged exercise's (it has sets to go); the others wait folded.
    let forms = page.body.matches("action=\"/today/sets\"").count();
    let folded = page
        .body
        .matches("<details class=\"more\"><summary>Log a")
        .count();
    assert!(forms >= 2, "{}", page.body);
    assert_eq!(forms - folded, 1, "{}", page.body);
    let card = page.body.find("id=\"ex-chest-supported-row\"").unwrap();
    let input = card
        + page.body[card..]
            .find("name=\"exercise\" value=\"chest-supported-row\"")
            .unwrap();
    assert!(
        !page.body[card..input].contains("<summary>Log a"),
        "the just-logged exercise's form is the open one: {}",
        &page.body[card..input]
    );

    // Pain 6 is above the ceiling of 5: the card says so and offers the easier option.
    let r = w
        .post(
            "/today/sets",
            &format!("session={id}&exercise=chest-supported-row&load=30&reps=10&rpe=7&pain=6&felt=back"),
        )
        .await;
    let page = w.follow(&r).await;
    assert!(
        page.body
            .contains("Pain 6 is above your ceiling of 5: stop this exercise for today"),
        "{}",
        page.body
    );
    assert!(page.body.contains("easier option"));
    let card = page
        .body
        .split("id=\"ex-chest-supported-row\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(
        !card.contains("set-form"),
        "the exercise is stopped for today: no form for another set"
    );

    // A bad value comes back next to its field, with what was typed, and nothing is written.
    let r = w
        .post(
            "/today/sets",
            &format!("session={id}&exercise=dead-bug&reps=0&pain=11"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("pain must be a whole number from 0 to 10"),
        "{}",
        r.body
    );
    assert!(r.body.contains("reps must be a whole number from 1 to 999"));
    let first = hidden(&w.get("/today").await.body, "exercise").unwrap();
    let r = w
        .post(
            "/today/sets",
            &format!("session={id}&exercise={first}&reps=8&pain=11"),
        )
        .await;
    assert!(
        r.body.contains(&format!("id=\"row-pain-{first}-error\"")),
        "the error sits under that card's pain row"
    );
    let r = w
        .post(
            "/today/sets",
            &format!("session={id}&exercise=moonwalk&reps=5&pain=1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("moonwalk"), "an unknown exercise is named");
    assert_eq!(w.sessions().await[0].session.sets.len(), 2);

    // Leg symptoms stop the exercise and send to the red-flag questions.
    let r = w
        .post(
            "/today/sets",
            &format!("session={id}&exercise=dead-bug&reps=8&pain=2&felt=leg"),
        )
        .await;
    let page = w.follow(&r).await;
    assert!(
        page.body.contains("Pain into the leg stops this exercise"),
        "{}",
        page.body
    );
    assert!(page.body.contains("href=\"/screen\""));

    w.advance(SignedDuration::from_mins(40));
    let bad = w.post("/today/finish", &format!("session={id}&minutes=40")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("row-session_rpe-error"));
    let r = w
        .post("/today/finish", &format!("session={id}&minutes=40&session_rpe=6"))
        .await;
    assert_eq!(r.location(), format!("/sessions/{id}?finished=1"));
    let summary = w.follow(&r).await;
    assert!(summary.body.contains("Session saved"));
    assert!(
        summary
            .body
            .contains("Next-morning check-in: from 2026-11-24 01:00, until"),
        "{}",
        summary.body
    );
    let s = &w.sessions().await[0].session;
    assert_eq!(s.minutes.map(|m| m.get()), Some(40));
    assert_eq!(s.sets.len(), 3);
    // Finished: Today says the day is done — what was done, when to check in, the next training day — instead of
    // offering the same session again (issue 16, point 1), and a second session stays one tap away.
    let today = w.get("/today").await.body;
    assert!(today.contains("Done for today"), "{today}");
    assert!(today.contains("3 sets") || today.contains(": 1 set"), "{today}");
    assert!(today.contains("Check in tomorrow morning ("), "{today}");
    assert!(today.contains(", 40 minutes:"), "{today}");
    assert!(
        today.contains("session is logged.") && !today.contains("Rate pain as you go"),
        "{today}"
    );
    assert!(today.contains("Your next training day is"), "{today}");
    assert!(today.contains(&format!("href=\"/sessions/{id}\"")), "{today}");
    assert!(
        !today.contains("Start the session") && !today.contains("/today/sets"),
        "{today}"
    );
    let again = w.get("/today?again=1").await.body;
    assert!(
        again.contains("Start the session") && !again.contains("Done for today"),
        "{again}"
    );
    // The next day, the plan is back.
    w.advance(SignedDuration::from_hours(24));
    let tomorrow = w.get("/today").await.body;
    assert!(
        tomorrow.contains("Start the session") && !tomorrow.contains("Done for today"),
        "{tomorrow}"
    );
}

#[tokio::test]
async fn the_next_mornings_check_in_settles_the_verdict_shown_on_status() {
    let w = Web::onboarded().await;
    let started = start(&w, 2).await;
    let r = w
        .post(
            "/today/sets",
            &format!("started={started}&p0=2&exercise=chest-supported-row&load=30&reps=10&rpe=7&pain=1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let id = w.sessions().await[0].id;
    w.post("/today/finish", &format!("session={id}&minutes=35&session_rpe=6"))
        .await;
    w.advance(SignedDuration::from_hours(15));
    let due = w.get("/checkin").await;
    assert!(
        due.body.contains("Due now: the next-morning check-in"),
        "{}",
        due.body
    );
    let bad = w.post("/checkin", "pain=12").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("row-pain-error"));
    let r = w.post("/checkin", "pain=2&stiffness=1").await;
    let done = w.follow(&r).await;
    assert!(done.body.contains("tag-green"), "{}", done.body);
    let status = w.get("/status").await;
    assert!(
        status.body.contains("Chest-supported row") || status.body.contains("chest-supported-row"),
        "{}",
        status.body
    );
    assert!(status.body.contains("tag-green"));
    // Leg symptoms at a check-in ask for the red-flag questions.
    let r = w.post("/checkin", "pain=3&leg_pain=1").await;
    assert!(r.location().contains("leg=1"));
    assert!(w.follow(&r).await.body.contains("answer the red-flag questions"));
}

#[tokio::test]
async fn a_check_in_right_after_a_morning_session_says_it_is_too_early_to_count() {
    // Issue 16, point 8 ("a 09:05 check-in did not count"): a check-in minutes after a session cannot be that
    // session's next morning (PM-5 opens 8 hours after it); the page now says so instead of leaving the session
    // silently waiting.
    let w = Web::onboarded().await;
    let started = start(&w, 2).await;
    w.post(
        "/today/sets",
        &format!("started={started}&p0=2&exercise=chest-supported-row&load=30&reps=10&rpe=7&pain=1"),
    )
    .await;
    let id = w.sessions().await[0].id;
    w.post("/today/finish", &format!("session={id}&minutes=35&session_rpe=6"))
        .await;
    w.advance(SignedDuration::from_mins(5));
    let r = w.post("/checkin", "pain=2").await;
    let done = w.follow(&r).await;
    assert!(
        done.body
            .contains("Too early to count as the next-morning check-in for the session of"),
        "{}",
        done.body
    );
    assert!(
        done.body.contains("This check-in is kept as today"),
        "{}",
        done.body
    );
    // The next morning's check-in counts, and the note is gone.
    w.advance(SignedDuration::from_hours(14));
    let done = w.follow(&w.post("/checkin", "pain=2").await).await;
    assert!(!done.body.contains("Too early"), "{}", done.body);
    assert!(done.body.contains("tag-green"), "{}", done.body);
}

#[tokio::test]
async fn a_mistaken_set_is_corrected_or_deleted_and_undo_puts_it_back() {
    let w = Web::onboarded().await;
    let started = start(&w, 1).await;
    for (i, reps) in [10, 9].iter().enumerate() {
        let base = if i == 0 {
            format!("started={started}&p0=1")
        } else {
            format!("session={}", w.sessions().await[0].id)
        };
        w.post(
            "/today/sets",
            &format!("{base}&exercise=dead-bug&reps={reps}&pain=1"),
        )
        .await;
    }
    let id = w.sessions().await[0].id;
    let page = w.get(&format!("/sessions/{id}")).await;
    assert!(page.body.contains("Correct or delete"));
    // Correct set 2.
    let r = w
        .post(
            &format!("/sessions/{id}/sets/1"),
            "exercise=dead-bug&reps=12&pain=0",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sets = w.sessions().await[0].session.sets.clone();
    assert_eq!(
        format!("{:?}", sets[1].dose),
        format!(
            "{:?}",
            backstop_core::Dose::Reps(backstop_core::Reps::new(12).unwrap())
        )
    );
    // Pain is chosen from 0–10 or "not recorded", not typed.
    assert!(
        page.body.contains("<select id=\"p-1\" name=\"pain\">"),
        "{}",
        page.body
    );
    let bad = w
        .post(
            &format!("/sessions/{id}/sets/1"),
            "exercise=dead-bug&reps=abc&rpe=7.5&pain=4&felt=back&form=1",
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("reps must be a whole number"));
    // The refused correction keeps every field as typed (issue 16, point 8: the other edits were lost).
    assert!(
        bad.body
            .contains("id=\"a-1\" name=\"reps\" type=\"text\" inputmode=\"numeric\" value=\"abc\""),
        "{}",
        bad.body
    );
    assert!(
        bad.body
            .contains("id=\"r-1\" name=\"rpe\" type=\"text\" inputmode=\"decimal\" value=\"7.5\""),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("<option selected>4</option>"), "{}", bad.body);
    assert!(
        bad.body.contains("name=\"felt\" value=\"back\" checked"),
        "{}",
        bad.body
    );
    assert_eq!(w.sessions().await[0].session.sets, sets, "nothing stored");
    // Delete set 1, then undo.
    let r = w.post(&format!("/sessions/{id}/sets/0/delete"), "").await;
    let page = w.follow(&r).await;
    assert_eq!(w.sessions().await[0].session.sets.len(), 1);
    let token = r.location().split("undo=").nth(1).unwrap().to_owned();
    assert!(page.body.contains(&format!("/undo/{token}")));
    let r = w.post(&format!("/undo/{token}"), "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.sessions().await[0].session.sets,
        sets,
        "undo restores the session exactly"
    );
    // An undo is used once.
    assert_eq!(
        w.post(&format!("/undo/{token}"), "").await.status,
        StatusCode::NOT_FOUND
    );
    // Deleting every set deletes the session; undo brings it back.
    w.post(&format!("/sessions/{id}/sets/0/delete"), "").await;
    let r = w.post(&format!("/sessions/{id}/sets/0/delete"), "").await;
    assert!(r.location().starts_with("/history?undo="));
    assert!(w.sessions().await.is_empty());
    let token = r.location().split("undo=").nth(1).unwrap().to_owned();
    w.post(&format!("/undo/{token}"), "").await;
    assert_eq!(w.sessions().await.len(), 1);
}

fn multipart(file_name: &str, content: &str) -> (String, String) {
    let boundary = "XbackstopX";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\n\r\n--{boundary}--\r\n"
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(w: &Web, file_name: &str, content: &str) -> crate::Got {
    let (ct, body) = multipart(file_name, content);
    w.send(
        Request::post("/data")
            .header(header::COOKIE, w.cookie.clone())
            .header(header::CONTENT_TYPE, ct)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn importing_a_csv_shows_its_report_and_a_bad_file_changes_nothing() {
    let w = Web::onboarded().await;
    let strong = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../backstop-import/tests/data/hevy_kg.csv"
    ))
    .unwrap();
    let r = upload(&w, "strong.csv", &strong).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"import-report\""), "{}", r.body);
    assert!(r.body.contains("sessions with"));
    let n = w.sessions().await.len();
    assert!(n > 0);
    // Re-importing adds nothing twice.
    let again = upload(&w, "strong.csv", &strong).await;
    assert!(again.body.contains("already imported"), "{}", again.body);
    assert_eq!(w.sessions().await.len(), n);
    // A file that is not an export: a clear error next to the file field, nothing stored.
    let bad = upload(&w, "notes.csv", "hello,world\n1,2\n").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"file-error\""), "{}", bad.body);
    assert!(bad.body.contains("notes.csv"), "the error names the file");
    assert_eq!(w.sessions().await.len(), n);
    let none = upload(&w, "", "").await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Exports download with a file name.
    for (p, mime) in [
        ("/export/backstop.json", "application/json"),
        ("/export/sets.csv", "text/csv; charset=utf-8"),
        ("/export/sessions.csv", "text/csv; charset=utf-8"),
        ("/export/checkins.csv", "text/csv; charset=utf-8"),
        ("/export/report.html", "text/html; charset=utf-8"),
    ] {
        let r = w.get(p).await;
        assert_eq!(r.status, StatusCode::OK, "{p}");
        assert_eq!(r.headers[header::CONTENT_TYPE], mime, "{p}");
        assert!(
            r.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment"),
            "{p}"
        );
    }
}

#[tokio::test]
async fn settings_change_the_ceiling_and_refuse_bad_values_by_name() {
    let w = Web::onboarded().await;
    let page = w.get("/settings").await;
    assert!(page.body.contains("s-ceiling_max") && page.body.contains("PM-2"));
    // In words, with the setting's own name and rule kept in a why detail.
    assert!(
        page.body
            .contains("<label for=\"s-ceiling_max\">Pain ceiling during a session (0–10)</label>")
    );
    assert!(page.body.contains("<details class=\"why\"><summary>Its name and rule</summary><p><code>ceiling_max</code>, rule PM-2</p>"));
    let base = "time_zone=Europe%2FLondon&days=mon&minutes=45&baseline_pain=2";
    let bad = w.post("/settings", &format!("{base}&s.ceiling_max=eleven")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"s-ceiling_max-error\""), "{}", bad.body);
    let out_of_range = w.post("/settings", &format!("{base}&s.ceiling_max=11")).await;
    assert_eq!(out_of_range.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        out_of_range.body.contains("ceiling_max must be 1–10"),
        "{}",
        out_of_range.body
    );
    let ok = w
        .post("/settings", &format!("{base}&s.ceiling_max=3&units=lb"))
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let p = w.app.profile(w.who).await.unwrap().unwrap();
    assert_eq!(p.settings.ceiling_max, 3);
    assert_eq!(p.units, backstop_core::WeightUnit::Lb);
    let started = start(&w, 2).await;
    let page = w.get(&format!("/today?started={started}&p0=2")).await;
    assert!(page.body.contains("Ceiling today: pain 3"), "{}", page.body);
}

#[tokio::test]
async fn triage_sorts_soreness_from_pain_and_routes_red_flags() {
    let w = Web::onboarded().await;
    let soreness = w
        .post(
            "/triage",
            "when=next-day&where=muscle&quality=ache&movement=eases&trend=better&pain=3",
        )
        .await;
    assert_eq!(soreness.status, StatusCode::OK);
    assert!(
        soreness.body.contains("This looks like training soreness"),
        "{}",
        soreness.body
    );
    let flag = w
        .post(
            "/triage",
            "when=hours&where=spine&quality=sharp&movement=worsens&trend=worse&red_flags=saddle-numbness",
        )
        .await;
    assert!(flag.body.contains("A warning sign"), "{}", flag.body);
    assert!(w.get("/today").await.body.contains("Training paused"));
    let missing = w.post("/triage", "when=hours").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("id=\"quality-error\""));
}

#[tokio::test]
async fn a_red_flag_on_the_triage_page_acts_with_the_questions_unanswered() {
    let w = Web::onboarded().await;
    let flag = w
        .post("/triage", "red_flags=saddle-numbness&red_flags=bladder-change")
        .await;
    assert_eq!(flag.status, StatusCode::OK, "{}", flag.body);
    assert!(flag.body.contains("A warning sign"), "{}", flag.body);
    assert!(w.get("/today").await.body.contains("Training paused"));
}

#[tokio::test]
async fn the_plan_of_a_session_under_way_does_not_drift_as_its_sets_come_in() {
    let w = Web::onboarded().await;
    let started = start(&w, 2).await;
    let before = w.get(&format!("/today?started={started}&p0=2")).await.body;
    let doses = |body: &str| -> Vec<String> {
        body.split("<p><strong>")
            .skip(1)
            .map(|s| s.split("</strong>").next().unwrap_or_default().to_owned())
            .collect()
    };
    let planned = doses(&before);
    let first = hidden(&before, "exercise").unwrap();
    w.post(
        "/today/sets",
        &format!("started={started}&p0=2&exercise={first}&reps=8&pain=1"),
    )
    .await;
    let id = w.sessions().await[0].id;
    w.post(
        "/today/sets",
        &format!("session={id}&exercise={first}&reps=8&pain=1"),
    )
    .await;
    let during = w.get("/today").await.body;
    assert_eq!(
        doses(&during),
        planned,
        "the same doses as when the session started"
    );
    assert_eq!(
        before.matches("tag-new").count(),
        during.matches("tag-new").count()
    );
}

/// The value a response sets a cookie to (the first `Set-Cookie` for it).
fn set_cookie<'g>(r: &'g crate::Got, name: &str) -> Option<&'g str> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
}

/// The browser's cookie holds a random session token, never the key; signing out revokes that token on the
/// server (a copy of the cookie no longer opens anything), and "sign out everywhere" revokes every browser's.
#[tokio::test]
async fn a_browser_holds_a_session_token_that_signing_out_revokes() {
    let w = &Web::onboarded().await;
    let sign_in = || async {
        let r = w
            .send(
                Request::get(format!("/login?key={KEY}&next=/today"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        let c = set_cookie(&r, "backstop_session")
            .unwrap_or_else(|| panic!("no session cookie: {:?}", r.headers));
        assert!(!c.contains(KEY), "the key never goes into a cookie: {c}");
        assert!(
            c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Max-Age=7776000"),
            "{c}"
        );
        let old = set_cookie(&r, "backstop_key").unwrap_or_default();
        assert!(old.contains("Max-Age=0"), "the old key cookie is cleared: {old}");
        c.split(';').next().unwrap_or_default().to_owned()
    };
    let open = |cookie: String| async move {
        w.send(
            Request::get("/today")
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .status
    };
    let (phone, laptop) = (sign_in().await, sign_in().await);
    assert_ne!(phone, laptop, "each sign-in gets its own token");
    assert_eq!(open(phone.clone()).await, StatusCode::OK);
    // The key itself in a cookie (what earlier versions stored) opens nothing.
    assert_eq!(open(format!("backstop_key={KEY}")).await, StatusCode::SEE_OTHER);
    // Signing the phone out revokes its token on the server: a copy of the cookie is refused; the laptop stays in.
    let out = w
        .send(
            Request::post("/logout")
                .header(header::COOKIE, phone.clone())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(out.location(), "/login");
    let cleared = set_cookie(&out, "backstop_session").unwrap_or_default();
    assert!(
        cleared.starts_with("backstop_session=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    assert_eq!(open(phone).await, StatusCode::SEE_OTHER);
    assert_eq!(open(laptop.clone()).await, StatusCode::OK);
    // Everywhere: every browser (the harness's own too) is signed out, and only a signed-in browser can ask.
    let third = sign_in().await;
    let stranger = w
        .send(
            Request::post("/logout")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from("everywhere=yes"))
                .unwrap(),
        )
        .await;
    assert_eq!(stranger.location(), "/login");
    assert_eq!(
        open(laptop.clone()).await,
        StatusCode::OK,
        "a signed-out browser cannot sign others out"
    );
    let all = w.post("/logout", "everywhere=yes").await;
    assert_eq!(all.location(), "/login");
    for c in [laptop, third, w.cookie.clone()] {
        assert_eq!(open(c).await, StatusCode::SEE_OTHER);
    }
    // The API's bearer key is not a browser session: it still works.
    assert_eq!(w.api("GET", "/api/v1/status", None).await.status, StatusCode::OK);
}

/// A session lapses after `WEB_SESSION_DAYS`, and a new server key signs every browser out.
#[tokio::test]
async fn a_session_lapses_and_a_new_key_signs_every_browser_out() {
    let w = Web::onboarded().await;
    let open = |router: axum::Router, cookie: String| async move {
        use tower::ServiceExt as _;
        router
            .oneshot(
                Request::get("/today")
                    .header(header::COOKIE, cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap()
            .status()
    };
    assert_eq!(open(w.router.clone(), w.cookie.clone()).await, StatusCode::OK);
    let other_key = backstop_web::router(
        w.app.clone(),
        w.who,
        backstop_web::WebOptions {
            token: backstop_web::AccessToken::from_secret(&"k".repeat(40)).unwrap(),
            secure_cookies: false,
            accounts: false,
        },
    );
    assert_eq!(open(other_key, w.cookie.clone()).await, StatusCode::SEE_OTHER);
    w.advance(SignedDuration::from_hours(
        24 * backstop_app::WEB_SESSION_DAYS - 1,
    ));
    assert_eq!(open(w.router.clone(), w.cookie.clone()).await, StatusCode::OK);
    w.advance(SignedDuration::from_hours(2));
    assert_eq!(
        open(w.router.clone(), w.cookie.clone()).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_red_flag_questions_can_be_answered_again_and_must_all_be_answered() {
    let w = Web::onboarded().await;
    let partial = w.post("/screen", "rf.saddle-numbness=no").await;
    assert_eq!(partial.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(partial.body.contains("id=\"rf-bladder-change-error\""));
    let mut all_no = String::from("context=leg-symptoms");
    for f in backstop_core::redflags::RedFlag::ALL {
        all_no.push_str(&format!("&rf.{}=no", f.as_str()));
    }
    let r = w.post("/screen", &all_no).await;
    assert_eq!(r.location(), "/screen?answered=1");
    assert!(w.follow(&r).await.body.contains("No warning signs reported"));
    let flag = all_no.replace("rf.bowel-change=no", "rf.bowel-change=yes");
    let stop = w.post("/screen", &flag).await;
    assert!(stop.body.contains("get medical care now"), "{}", stop.body);
    assert!(w.get("/today").await.body.contains("Training paused"));
}

#[tokio::test]
async fn none_of_these_is_a_button_that_never_submits_and_the_time_zone_is_suggested() {
    // Issue 16, point 8: onboarding asked for eighteen separate "No" taps. The shortcut is app.js's, in the browser
    // (the journeys use it); it never submits, so Enter in a field cannot answer the safety questions, and the
    // server still needs every answer.
    let w = Web::new().await;
    let page = w.get("/welcome").await;
    assert!(
        page.body.contains("<div class=\"actions\" data-none-of-these hidden><button type=\"button\">None of these apply to me</button></div>"),
        "{}",
        page.body
    );
    let r = w
        .post(
            "/welcome",
            "units=kg&time_zone=Europe%2FLondon&days=mon&days=wed&days=fri&minutes=50&baseline_pain=2&rf_none=1",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // The time zone field suggests the database's names.
    assert!(page.body.contains("list=\"time-zones\""));
    assert!(page.body.contains("<option value=\"Europe/London\"></option>"));
}

#[tokio::test]
async fn a_red_flag_answered_during_a_session_pauses_it_at_once() {
    let w = Web::onboarded().await;
    let started = start(&w, 2).await;
    w.post(
        "/today/sets",
        &format!("started={started}&p0=2&exercise=dead-bug&reps=8&pain=3&felt=leg"),
    )
    .await;
    let mut answers = String::from("context=leg-symptoms");
    for f in backstop_core::redflags::RedFlag::ALL {
        let yes = f.as_str() == "saddle-numbness";
        answers.push_str(&format!("&rf.{}={}", f.as_str(), if yes { "yes" } else { "no" }));
    }
    w.post("/screen", &answers).await;
    let today = w.get("/today").await.body;
    assert!(today.contains("Training paused"), "{today}");
    assert!(!today.contains("/today/sets"), "no more sets can be logged");
}

#[tokio::test]
async fn goal_lifts_are_chosen_in_settings_and_their_ladders_show_on_status() {
    let w = Web::onboarded().await;
    let page = w.get("/settings").await;
    assert!(
        page.body
            .contains("name=\"goal_lifts\" value=\"conventional-deadlift\""),
        "{}",
        page.body
    );
    let base = "time_zone=Europe%2FLondon&days=mon&minutes=45&baseline_pain=2&equipment=barbell&equipment=kettlebell";
    let bad = w
        .post("/settings", &format!("{base}&goal_lifts=hip-hinge-dowel"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("no ladder"), "{}", bad.body);
    let ok = w
        .post("/settings", &format!("{base}&goal_lifts=conventional-deadlift"))
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let p = w.app.profile(w.who).await.unwrap().unwrap();
    assert_eq!(p.goal_lifts, vec!["conventional-deadlift".to_owned()]);
    let status = w.get("/status").await;
    assert!(status.body.contains("Your goal lifts"), "{}", status.body);
    assert!(status.body.contains("Not started"), "{}", status.body);
    assert!(status.body.contains("<ol class=\"ladder\">"), "{}", status.body);
}

/// The clinical corrections' wording: what a person reads says "linked to" and "flare-friendly", never "blame",
/// "culprit", "suspect" or "flare-safe", and shows no acute:chronic ratio.
#[tokio::test]
async fn pages_speak_plainly_about_causes_and_flares() {
    let w = Web::onboarded().await;
    let started = start(&w, 2).await;
    w.post(
        "/today/sets",
        &format!("started={started}&p0=2&exercise=chest-supported-row&load=30&reps=10&rpe=7&pain=6"),
    )
    .await;
    let id = w.sessions().await[0].id;
    w.post("/today/finish", &format!("session={id}&minutes=35&session_rpe=6"))
        .await;
    // Two raised mornings: a flare.
    for _ in 0..2 {
        w.advance(SignedDuration::from_hours(24));
        w.post("/checkin", "pain=6").await;
    }
    let mut pages = vec![
        "/today".to_owned(),
        "/status".to_owned(),
        "/trends".to_owned(),
        "/history".to_owned(),
        "/triage".to_owned(),
        "/exercises/chest-supported-row".to_owned(),
    ];
    pages.push(format!("/sessions/{id}"));
    let mut seen_flare = false;
    for p in &pages {
        let page = w.get(p).await;
        assert_eq!(page.status, StatusCode::OK, "{p}");
        let text = page.body.to_lowercase();
        for word in [
            "blame",
            "culprit",
            "suspect",
            "flare-safe",
            "acute:chronic",
            "normal training soreness",
        ] {
            assert!(!text.contains(word), "{p} says {word:?}");
        }
        seen_flare |= text.contains("flare-friendly");
    }
    assert!(seen_flare, "the flare-mode page names flare-friendly work");
    let soreness = w
        .post(
            "/triage",
            "when=next-day&where=muscle&quality=ache&movement=eases&trend=worse",
        )
        .await;
    assert!(
        soreness.body.contains("This looks like training soreness"),
        "{}",
        soreness.body
    );
}

#[tokio::test]
async fn an_export_over_two_megabytes_imports_from_the_page_and_one_over_the_limit_gets_a_413_page() {
    let w = Web::onboarded().await;
    let csv = crate::big_strong_export();
    let boundary = "XbackstopX";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"strong.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"unit\"\r\n\r\nkg\r\n--{boundary}--\r\n"
    );
    let r = w
        .send(
            Request::post("/data")
                .header(header::COOKIE, w.cookie.clone())
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"import-report\""), "{}", r.body);
    assert_eq!(w.sessions().await.len(), 1700);
    // Over the limit: a page that says so, not a form error about a cut-off upload.
    let over = "x".repeat(backstop_web::BODY_LIMIT + 1);
    let r = upload(&w, "huge.csv", &over).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(r.body.contains("32 MiB"), "{}", r.body);
    assert!(r.body.contains("nothing was changed"), "{}", r.body);
    assert_eq!(w.sessions().await.len(), 1700);
}

#[tokio::test]
async fn a_file_that_needs_its_unit_is_refused_next_to_the_unit_choice_in_plain_words() {
    // Issue 16, points 5 and 8: the page used to say "pass --unit kg or --unit lb" next to the file field.
    let w = Web::onboarded().await;
    let csv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../backstop-import/tests/data/strong_v1.csv"
    ))
    .unwrap();
    let r = upload(&w, "strong.csv", &csv).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"unit-error\""), "{}", r.body);
    assert!(r.body.contains("choose kg or lb here"), "{}", r.body);
    assert!(
        !r.body.contains("--unit") && !r.body.contains("id=\"file-error\""),
        "{}",
        r.body
    );
    assert!(w.sessions().await.is_empty());
}

#[tokio::test]
async fn the_week_shows_each_day_and_moving_training_days_plans_it_again() {
    // Issue 18, point 3.
    let w = Web::onboarded().await;
    // Monday 23 November 2026, training every day: move to Monday, Wednesday and Friday.
    let r = w.post("/week/days", "days=mon&days=wed&days=fri").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/week?moved=1");
    let p = w.app.profile(w.who).await.unwrap().unwrap();
    assert_eq!(
        p.days,
        vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
        "a new profile version with the days chosen"
    );
    let page = w.follow(&r).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Training days moved"), "{}", page.body);
    assert!(page.body.contains("Week of 23 November 2026"));
    for day in ["Monday 23 November", "Tuesday 24 November", "Sunday 29 November"] {
        assert!(page.body.contains(day), "{day}");
    }
    // Training on Monday (today), a rest day with the morning check-in on Tuesday.
    let section = |label: &str| -> String {
        let i = page.body.find(label).unwrap();
        let j = page.body[i..]
            .find("</li>\n</ol>")
            .map_or(page.body.len(), |k| i + k);
        let next = page.body[i + 1..j]
            .find("<li class=\"card week-day")
            .map_or(j, |k| i + 1 + k);
        page.body[i..next].to_owned()
    };
    let monday = section("Monday 23 November");
    assert!(monday.contains("about") && monday.contains("minutes"), "{monday}");
    assert!(monday.contains("Open today's session"));
    let tuesday = section("Tuesday 24 November");
    assert!(
        tuesday.contains("Rest day") && tuesday.contains("Morning check-in"),
        "{tuesday}"
    );
    let thursday = section("Thursday 26 November");
    assert!(
        thursday.contains("Morning check-in") && !thursday.contains("minutes"),
        "{thursday}"
    );
    assert!(!section("Wednesday 25 November").contains("Morning check-in"));
    // No rule ids in the page's sentences.
    for id in ["(LM-6)", "(LM-4)", "(C5)"] {
        assert!(!page.body.contains(id), "{id}");
    }
    // The checkboxes show the days in force; the week after is one link away.
    assert!(page.body.contains(r#"value="wed" checked"#));
    assert!(!page.body.contains(r#"value="tue" checked"#));
    assert!(page.body.contains("/week?date=2026-11-30"));
    let next = w.get("/week?date=2026-11-30").await;
    assert!(next.body.contains("Week of 30 November 2026"));

    // No day, or a day that is not one, is refused and changes nothing.
    let bad = w.post("/week/days", "").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("choose at least one training day"));
    let bad = w.post("/week/days", "days=mon&days=someday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("someday is not a day of the week"));
    assert!(
        bad.body.contains(r#"value="mon" checked"#),
        "what was typed is kept"
    );
    assert_eq!(w.app.profile(w.who).await.unwrap().unwrap().days, p.days);
}

#[tokio::test]
async fn every_section_is_in_the_navigation_of_every_page() {
    // Issue 16, point 6: three sections could only be reached by swiping the tab bar sideways.
    let w = Web::onboarded().await;
    for page in ["/today", "/week", "/status", "/history", "/trends", "/settings"] {
        let r = w.get(page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        for section in [
            "/today",
            "/week",
            "/checkin",
            "/status",
            "/history",
            "/trends",
            "/triage",
            "/data",
            "/settings",
        ] {
            assert!(
                r.body.contains(&format!(r#"href="{section}""#)),
                "{page} links {section}"
            );
        }
        assert!(
            r.body.contains("<summary") && r.body.contains(">More</summary>"),
            "{page}"
        );
    }
    // A page behind "More" marks it, so the current section is never hidden.
    let r = w.get("/trends").await;
    assert!(r.body.contains(r#"<summary class="current">More</summary>"#));
    assert!(r.body.contains(r#"href="/trends" aria-current="page""#));
}

#[tokio::test]
async fn todays_notes_speak_plainly_and_keep_rule_ids_for_the_why_details() {
    // Issue 16, point 5: "vertical-pull: a new exercise comes in a later session, one change at a time (C5)".
    let w = Web::onboarded().await;
    let page = w.get("/today").await;
    assert_eq!(page.status, StatusCode::OK);
    let before_cards = page.body.split("<details class=\"why\">").next().unwrap();
    assert!(before_cards.contains("one change at a time"), "{before_cards}");
    for jargon in ["(C5)", "(PG-6)", "(PM-8)", "vertical-pull:", "scapular:"] {
        assert!(!before_cards.contains(jargon), "{jargon} in {before_cards}");
    }
    assert!(page.body.contains("(C5)"), "the why details keep the rule ids");
}

#[tokio::test]
async fn the_catalog_is_browsed_by_words_movement_equipment_and_the_backs_demand() {
    // Issue 18, point 4.
    let w = Web::onboarded().await;
    // The onboarded person has dumbbells, cables and a bench: barbell lifts are left out unless asked for.
    let all_mine = w.get("/exercises").await;
    assert_eq!(all_mine.status, StatusCode::OK);
    assert!(all_mine.body.contains("What the back's demand means"), "a legend");
    assert!(all_mine.body.contains(r#"href="/exercises/chest-supported-row""#));
    assert!(
        !all_mine
            .body
            .contains(r#"href="/exercises/conventional-deadlift""#)
    );
    let everything = w.get("/exercises?equipment=all").await;
    assert!(
        everything
            .body
            .contains(r#"href="/exercises/conventional-deadlift""#)
    );
    assert!(everything.body.contains("equipment you have not listed"));
    // By words and by movement.
    let rows = w.get("/exercises?q=row&equipment=all").await;
    assert!(rows.body.contains(r#"href="/exercises/chest-supported-row""#));
    assert!(!rows.body.contains(r#"href="/exercises/dead-bug""#));
    let hinges = w.get("/exercises?pattern=hinge&equipment=all").await;
    assert!(hinges.body.contains(r#"href="/exercises/conventional-deadlift""#));
    assert!(!hinges.body.contains(r#"href="/exercises/chest-supported-row""#));
    // Gentle on the back: nothing above 1 in any direction; the deadlift (compression 3) goes.
    let gentle = w.get("/exercises?equipment=all&gentle=1").await;
    assert!(!gentle.body.contains(r#"href="/exercises/conventional-deadlift""#));
    assert!(gentle.body.contains(r#"href="/exercises/dead-bug""#));
    assert!(gentle.body.contains("Back: compression 1"));
    // The lifter's standing shows: never done.
    assert!(gentle.body.contains("not done yet"));
    let none = w.get("/exercises?q=zzzz").await;
    assert!(none.body.contains("Nothing matches") && none.body.contains("0 exercises"));

    // One exercise: its facts, easier and harder options, the way back to the list.
    let row = w.get("/exercises/chest-supported-row").await;
    assert_eq!(row.status, StatusCode::OK);
    for part in [
        "About it",
        "Movement",
        "horizontal pull",
        "Range",
        "reps",
        "All exercises",
    ] {
        assert!(row.body.contains(part), "{part}");
    }
    let ex = w.app.catalog(w.who).await.unwrap();
    let e = ex.get("chest-supported-row").unwrap();
    if let Some(harder) = e.progressions.first() {
        assert!(row.body.contains("Harder options") && row.body.contains(&format!("/exercises/{harder}")));
    }
}

#[tokio::test]
async fn an_own_exercise_is_added_from_a_page_and_bad_fields_are_named() {
    // Issue 18, point 4.
    let w = Web::onboarded().await;
    let form = w.get("/exercises/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"name="pattern""#) && form.body.contains(r#"name="compression""#));
    // Missing name and pattern, a range the wrong way round: each named, nothing stored.
    let bad = w.post("/exercises/new", "name=&lo=12&hi=8&compression=1").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("give the exercise a name"));
    assert!(bad.body.contains("choose the movement pattern"));
    assert!(bad.body.contains("the lower first"));
    assert!(bad.body.contains(r#"value="12""#), "what was typed stays");
    let bad = w
        .post("/exercises/new", "name=Odd&pattern=hinge&compression=7")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("choose 0, 1, 2 or 3"));
    assert!(w.app.catalog(w.who).await.unwrap().get("odd").is_none());
    // A good one: the id is made from the name, the defaults come from the equipment.
    let ok = w
        .post(
            "/exercises/new",
            "name=Sandbag+Row&pattern=horizontal-pull&equipment=dumbbell&lo=6&hi=10&compression=2&shear=1\
             &flexion=0&extension=0&rotation=1&regression=chest-supported-row",
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(ok.location(), "/exercises/sandbag-row?added=1");
    let e = w
        .app
        .catalog(w.who)
        .await
        .unwrap()
        .get("sandbag-row")
        .cloned()
        .unwrap();
    assert_eq!(e.reps, Some([6, 10]));
    assert_eq!(e.load_type, backstop_core::catalog::LoadType::External);
    assert_eq!((e.spinal.compression, e.spinal.rotation), (2, 1));
    assert_eq!(e.regressions, vec!["chest-supported-row".to_owned()]);
    let page = w.follow(&ok).await;
    assert!(page.body.contains("Added to your exercises") && page.body.contains("yours"));
    assert!(page.body.contains("compression 2, shear 1, rotation 1"));
    // The same again is refused by the catalog, by name, and nothing changes.
    let again = w
        .post(
            "/exercises/new",
            "name=Sandbag+Row&pattern=horizontal-pull&equipment=dumbbell",
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("sandbag-row"), "{}", again.body);
    // An easier option that does not exist is refused too.
    let unknown = w
        .post(
            "/exercises/new",
            "name=Another&pattern=hinge&regression=no-such-lift",
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("no-such-lift"), "{}", unknown.body);
    let list = w.get("/exercises?q=sandbag").await;
    assert!(list.body.contains("Sandbag Row") && list.body.contains(">yours<"));
}

#[tokio::test]
async fn a_calendar_link_serves_the_planned_sessions_until_it_is_turned_off() {
    // Issue 18, point 5.
    let w = Web::onboarded().await;
    let r = w.post("/week/days", "days=mon&days=wed&days=fri").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let week = w.get("/week").await;
    assert!(week.body.contains(r#"action="/calendar/link""#) && week.body.contains("/calendar/download"));
    let made = w.post("/calendar/link", "").await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let start = made.body.find("/calendar.ics?token=").expect("the link is shown");
    let token: String = made.body[start + "/calendar.ics?token=".len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64);
    // The feed needs no sign-in, only its token.
    let anonymous = |path: String| Request::get(path).body(Body::empty()).unwrap();
    let feed = w.send(anonymous(format!("/calendar.ics?token={token}"))).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    assert!(
        feed.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let mut parsed = ical::IcalParser::new(feed.body.as_bytes());
    let cal = parsed.next().unwrap().unwrap();
    let uids: Vec<String> = cal
        .events
        .iter()
        .filter_map(|e| {
            e.properties
                .iter()
                .find(|p| p.name == "UID")
                .and_then(|p| p.value.clone())
        })
        .collect();
    // Today (Monday 23 November) to Sunday 6 December: six training days, each with its check-in.
    assert_eq!(uids.len(), 12, "{uids:?}");
    assert!(uids.contains(&"session-2026-11-23@backstop".to_owned()));
    assert!(uids.contains(&"checkin-2026-11-23@backstop".to_owned()));
    assert!(uids.contains(&"session-2026-12-04@backstop".to_owned()));
    assert!(
        !uids
            .iter()
            .any(|u| u.contains("2026-11-24") && u.starts_with("session"))
    );
    // Nothing but the calendar: the token opens no page.
    let page = w
        .send(
            Request::get("/today")
                .header(
                    header::COOKIE,
                    format!("backstop_session={token}; backstop_key={token}"),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "redirected to sign in");
    // A wrong or missing token: 404, the same answer.
    for path in [
        "/calendar.ics?token=0123",
        "/calendar.ics",
        "/calendar.ics?token=",
    ] {
        assert_eq!(
            w.send(anonymous(path.into())).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // The one-off download is for the signed-in person.
    let file = w.get("/calendar/download").await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(
        file.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("backstop.ics")
    );
    assert_eq!(file.body.matches("UID:session-").count(), 6);
    let signed_out = w.send(anonymous("/calendar/download".into())).await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    // Turned off: the feed stops.
    let off = w.post("/calendar/off", "").await;
    assert_eq!(off.status, StatusCode::OK);
    assert!(off.body.contains("turned off"), "{}", off.body);
    let gone = w.send(anonymous(format!("/calendar.ics?token={token}"))).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(
        w.post("/calendar/off", "")
            .await
            .body
            .contains("No calendar link was on")
    );
}

#[tokio::test]
async fn an_imported_history_is_shown_as_unrated_history_not_as_tolerated() {
    // Issue 16, point 2: imported workouts without pain were shown green, their exercises "testing" with a next
    // dose taken from years-old sets.
    let w = Web::onboarded().await;
    let csv = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,RPE\n\
               2024-01-15 07:05:12,Legs,45m,Deadlift (Barbell),1,100,5,0,0,\n\
               2024-01-15 07:05:12,Legs,45m,Deadlift (Barbell),2,100,5,0,0,\n"
        .to_owned();
    let r = w.import_csv("/api/v1/import?unit=kg", csv).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let status = w.get("/status").await;
    assert!(
        status.body.contains("Done before, with no pain recorded"),
        "{}",
        status.body
    );
    let section = status
        .body
        .split("Done before, with no pain recorded")
        .nth(1)
        .unwrap();
    assert!(
        section.contains("Conventional deadlift") || section.contains("deadlift"),
        "{section}"
    );
    assert!(
        section.contains("2×5 @ 100 kg") && section.contains("2024-01-15"),
        "{section}"
    );
    assert!(
        !status
            .body
            .contains("last verdict <span class=\"tag tag-green\">"),
        "nothing judged green"
    );
    let history = w.get("/history").await;
    assert!(history.body.contains("tag-unrated"), "{}", history.body);
    assert!(!history.body.contains("tag-green"));
    let api = w.api("GET", "/api/v1/sessions", None).await.json();
    assert_eq!(api[0]["verdict"], "unrated");
}

#[tokio::test]
async fn trends_say_when_sessions_have_no_load() {
    // Issue 16, point 2: imported workouts (durations, no session RPE) were plotted as load 0 with no word.
    let w = Web::onboarded().await;
    let csv = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,RPE\n\
               2026-11-16 07:05:12,Legs,45m,Deadlift (Barbell),1,100,5,0,0,\n\
               2026-11-18 07:05:12,Legs,45m,Deadlift (Barbell),1,100,5,0,0,\n"
        .to_owned();
    let r = w.import_csv("/api/v1/import?unit=kg", csv).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = w.get("/trends?weeks=4").await;
    assert!(
        t.body
            .contains("2 sessions in this period have no session RPE or minutes"),
        "{}",
        t.body
    );
    // Their load is estimated from their sets (45 minutes at the assumed RPE 6: 270 each) and said to be.
    assert!(t.body.contains("load is estimated from their sets"), "{}", t.body);
    assert!(t.body.contains(r#"class="estimated""#), "drawn lighter");
    let api = w.api("GET", "/api/v1/load?weeks=4", None).await.json();
    assert_eq!(api["sessions_without_load"], 2);
    let week = api["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["week_start"] == "2026-11-16")
        .unwrap()
        .clone();
    assert_eq!(
        (week["load"].as_f64(), week["estimated_load"].as_f64()),
        (Some(540.0), Some(540.0)),
        "{week}"
    );
}

#[tokio::test]
async fn the_stop_page_says_what_each_urgency_does() {
    // Issue 14, point 2: the stop page told every red-flag result that training waits for a clearance, while a
    // "soon" result does not pause planning, an "urgent" one pauses it for 72 hours, and dark urine (urgent) waits
    // for a clearance. The words are the core's, the same the CLI prints.
    for (flag, heading, pause, not_said, planning) in [
        (
            "bladder-change",
            "STOP: seek emergency care now",
            "backstop will not plan sessions until you record that a clinician has cleared you",
            "72 hours",
            false,
        ),
        (
            "fever",
            "See a clinician within 48 hours",
            "Your training plan is paused for 72 hours, or until you record",
            "will not plan sessions",
            false,
        ),
        (
            "dark-urine",
            "Get medical care today",
            "backstop will not plan sessions until you record that a clinician has cleared you",
            "72 hours",
            false,
        ),
        (
            "night-pain",
            "Book a clinician visit within 1–2 weeks",
            "backstop keeps planning",
            "will not plan",
            true,
        ),
    ] {
        let w = Web::new().await;
        let mut form = String::from("units=kg&time_zone=UTC&days=mon&minutes=40&baseline_pain=3");
        for f in backstop_core::redflags::RedFlag::ALL {
            let yes = f.as_str() == flag;
            form.push_str(&format!("&rf.{}={}", f.as_str(), if yes { "yes" } else { "no" }));
        }
        let r = w.post("/welcome", &form).await;
        assert_eq!(r.status, StatusCode::OK, "{flag}");
        assert!(r.body.contains(heading), "{flag}: {}", r.body);
        assert!(r.body.contains(pause), "{flag}: {}", r.body);
        assert!(!r.body.contains(not_said), "{flag}: {}", r.body);
        assert_eq!(
            r.body.contains("I have been cleared by a clinician"),
            !planning,
            "{flag}: a clearance is offered exactly when training waits for one"
        );
        // Today and the status page say "Training paused" only when it is (the status page said so for every open
        // result).
        for page in ["/today", "/status"] {
            let p = w.get(page).await;
            assert_eq!(
                p.body.contains("Training paused"),
                !planning,
                "{flag} {page}: {}",
                p.body
            );
        }
        let status = w.get("/status").await;
        assert!(
            status.body.contains(if planning { heading } else { pause }),
            "{flag}: {}",
            status.body
        );
    }
}

#[tokio::test]
async fn a_set_of_a_loaded_exercise_without_its_weight_is_refused_at_the_load_field() {
    // Issue 16, point 4.
    let w = Web::onboarded().await;
    let started = start(&w, 2).await;
    // The first time, the empty load field says how to choose the weight.
    let today = w.get(&format!("/today?started={started}&p0=2")).await;
    assert!(
        today
            .body
            .contains(r#"-hint">First time with a load: pick a weight"#),
        "{}",
        today.body
    );
    let r = w
        .post(
            "/today/sets",
            &format!("started={started}&p0=2&exercise=chest-supported-row&load=&reps=10&pain=1&felt=target"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("give the weight you used"), "{}", r.body);
    assert!(
        r.body.contains("-error\">give the weight you used"),
        "next to the load field"
    );
    assert!(w.sessions().await.is_empty(), "nothing stored");
    // The API says the same, and a load of 0 is a weight.
    let api = w
        .api(
            "POST",
            "/api/v1/sessions/start",
            Some(serde_json::json!({"set": {"exercise": "lat-pulldown", "reps": 10, "pain": 1}})),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    assert!(api.body.contains("lat-pulldown takes a weight"), "{}", api.body);
    let ok = w
        .post(
            "/today/sets",
            &format!("started={started}&p0=2&exercise=chest-supported-row&load=0&reps=10&pain=1&felt=target"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
}

#[tokio::test]
async fn explanations_open_the_first_time_and_stay_one_tap_away() {
    // Issue 18, point 6: learning in context.
    let w = Web::onboarded().await;
    let first = w.get("/today").await;
    assert!(
        first
            .body
            .contains(r#"<details class="learn" open><summary>Why mild pain that settles is fine</summary>"#),
        "{}",
        first.body
    );
    assert!(first.body.contains("Silbernagel") && first.body.contains(r#"href="/learn/pain-that-settles""#));
    let cookie = first
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("backstop_seen="))
        .expect("the page remembers what it showed")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("pain-that-settles") && cookie.contains("one-change"),
        "{cookie}"
    );
    // Seen once: folded, still there.
    let again = w
        .send(
            Request::get("/today")
                .header(header::COOKIE, format!("{}; {cookie}", w.cookie))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        again
            .body
            .contains(r#"<details class="learn"><summary>Why mild pain that settles is fine"#)
    );
    assert!(
        !again.headers.contains_key(header::SET_COOKIE),
        "nothing new to remember"
    );
    // The check-in page explains soreness; every explanation has a page of its own and an index.
    assert!(
        w.get("/checkin")
            .await
            .body
            .contains("Why soreness after a new exercise is not a warning")
    );
    let index = w.get("/learn").await;
    for id in [
        "pain-that-settles",
        "soreness",
        "one-change",
        "flare-up",
        "red-flags",
    ] {
        assert!(index.body.contains(&format!(r#"href="/learn/{id}""#)), "{id}");
    }
    let one = w.get("/learn/flare-up").await;
    assert!(
        one.body.contains("Evidence [A]/[C]") && one.body.contains("FL-1"),
        "{}",
        one.body
    );
    assert_eq!(w.get("/learn/nothing").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_stop_page_explains_what_the_questions_are_for() {
    let w = Web::new().await;
    let mut form = String::from("units=kg&time_zone=UTC&days=mon&minutes=40&baseline_pain=3");
    for f in backstop_core::redflags::RedFlag::ALL {
        let yes = f.as_str() == "fever";
        form.push_str(&format!("&rf.{}={}", f.as_str(), if yes { "yes" } else { "no" }));
    }
    let r = w.post("/welcome", &form).await;
    assert!(
        r.body.contains("What the red-flag questions are for"),
        "{}",
        r.body
    );
    assert!(r.body.contains("A yes is not a diagnosis"));
}

/// Offline logging (issue 18): the page's queue sends each set with its client id and the queue header, and gets a
/// status back instead of a page; a set sent again is stored once; a refused one says why; a set for a session
/// that is gone answers 404. Nothing is stored by a refused set.
#[tokio::test]
async fn queued_sets_get_a_status_and_are_stored_once() {
    let w = Web::onboarded().await;
    let started = w.now().as_second() - 60;
    let queued = |body: String| {
        w.signed(Request::post("/today/sets"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-backstop-queue", "1")
            .body(Body::from(body))
            .unwrap()
    };
    let first = format!(
        "started={started}&p0=2&exercise=chest-supported-row&load=30&reps=10&pain=1&felt=target&client_id=c-1"
    );
    for _ in 0..2 {
        let r = w.send(queued(first.clone())).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    }
    let second =
        format!("started={started}&p0=2&exercise=chest-supported-row&load=30&reps=9&pain=2&client_id=c-2");
    for _ in 0..3 {
        assert_eq!(
            w.send(queued(second.clone())).await.status,
            StatusCode::NO_CONTENT
        );
    }
    let s = w.sessions().await;
    assert_eq!(s.len(), 1, "the offline start and its sets make one session");
    assert_eq!(s[0].session.sets.len(), 2);
    assert_eq!(s[0].session.pain_before.map(|p| p.value()), Some(2));
    let id = s[0].id;
    // Refused: the reason in words, and nothing stored.
    let bad = w
        .send(queued(format!(
            "session={id}&exercise=chest-supported-row&load=30&reps=10&pain=11&client_id=c-3"
        )))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("pain"), "{}", bad.body);
    let unloaded = w
        .send(queued(format!(
            "session={id}&exercise=chest-supported-row&reps=10&pain=1&client_id=c-4"
        )))
        .await;
    assert_eq!(unloaded.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unloaded.body.contains("weight"), "{}", unloaded.body);
    let nowhere = w
        .send(queued("exercise=dead-bug&reps=8&pain=1&client_id=c-5".into()))
        .await;
    assert_eq!(nowhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    let gone = w
        .send(queued(
            "session=999999&exercise=dead-bug&reps=8&pain=1&client_id=c-6".into(),
        ))
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(w.sessions().await[0].session.sets.len(), 2);
    // The page's own form (no queue header) still answers with the page, and dedupes by its client id too.
    let r = w
        .post(
            "/today/sets",
            &format!("session={id}&exercise=chest-supported-row&load=30&reps=10&pain=1&client_id=c-2"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(w.sessions().await[0].session.sets.len(), 2);
}

/// Installable and usable without a connection: the manifest names the start page and icons of the sizes a phone
/// asks for, the icons are PNGs of those sizes, the service worker is served from the root (its scope) without the
/// access key and never from the HTTP cache, and every page links the manifest.
#[tokio::test]
async fn the_app_can_be_installed_and_its_worker_keeps_the_gym_pages() {
    let w = Web::onboarded().await;
    let anon = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    let m = w.send(anon("/manifest.webmanifest")).await;
    assert_eq!(m.status, StatusCode::OK);
    assert_eq!(m.headers[header::CONTENT_TYPE], "application/manifest+json");
    let manifest: serde_json::Value = serde_json::from_str(&m.body).unwrap();
    assert_eq!(manifest["start_url"], "/today");
    assert_eq!(manifest["display"], "standalone");
    for (size, src) in [(192u32, "/assets/icon-192.png"), (512, "/assets/icon-512.png")] {
        assert!(
            manifest["icons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["src"] == src && i["sizes"] == format!("{size}x{size}"))
        );
        let r = w.send(anon(src)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers[header::CONTENT_TYPE], "image/png");
        let bytes = &r.raw;
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(
            u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
            size,
            "width"
        );
        assert_eq!(
            u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
            size,
            "height"
        );
    }
    let sw = w.send(anon("/sw.js")).await;
    assert_eq!(sw.status, StatusCode::OK);
    assert_eq!(sw.headers[header::CACHE_CONTROL], "no-cache");
    assert!(!sw.body.contains("__VERSION__") && !sw.body.contains("__HTMX__"));
    assert!(sw.body.contains(backstop_web::assets::HTMX));
    for page in ["'/today'", "'/week'", "'/learn'"] {
        assert!(sw.body.contains(page), "{page}");
    }
    let today = w.get("/today").await;
    assert!(
        today
            .body
            .contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#)
    );
}

/// A session's page lists the check-ins about it (the next morning's), and not those about a session of another day.
#[tokio::test]
async fn a_sessions_page_lists_the_check_ins_about_it() {
    let w = Web::onboarded().await;
    let started = start(&w, 2).await;
    w.post(
        "/today/sets",
        &format!("started={started}&p0=2&exercise=chest-supported-row&load=30&reps=10&rpe=7&pain=2"),
    )
    .await;
    let id = w.sessions().await[0].id;
    w.post("/today/finish", &format!("session={id}&minutes=35&session_rpe=6"))
        .await;
    w.advance(SignedDuration::from_hours(14));
    w.post("/checkin", "pain=3&stiffness=2").await;
    let page = w.get(&format!("/sessions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("h after: pain 3, stiffness 2"),
        "{}",
        page.body
    );
    // Four days on, a check-in is about no session: the page does not list it.
    w.advance(SignedDuration::from_hours(96));
    w.post("/checkin", "pain=7").await;
    let page = w.get(&format!("/sessions/{id}")).await;
    assert!(!page.body.contains("pain 7"), "{}", page.body);
}
