//! The JSON API: each route's success and refusal, and the OpenAPI document as a reviewed snapshot.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use jiff::SignedDuration;
use serde_json::json;

use crate::{KEY, Web};

fn profile() -> serde_json::Value {
    json!({ "units": "kg", "time_zone": "Europe/London", "equipment": ["dumbbell", "cable", "bench"],
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "minutes": 45, "baseline_pain": 2,
            "aggravators": ["sitting"], "red_flags": [] })
}

async fn onboarded() -> Web {
    let w = Web::new().await;
    let r = w.api("PUT", "/api/v1/profile", Some(profile())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    w
}

/// `GET /api/v1/key` answers 204 with the key (before any profile exists too), 401 with another or none, and
/// changes nothing.
#[tokio::test]
async fn the_key_check_says_whether_the_key_is_accepted() {
    let w = Web::new().await;
    let r = w.api("GET", "/api/v1/key", None).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::NO_CONTENT, ""));
    let wrong = w
        .send(
            Request::get("/api/v1/key")
                .header("authorization", "Bearer not-the-key-0123456789abcdefghijklmn")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let none = w
        .send(Request::get("/api/v1/key").body(Body::empty()).unwrap())
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        w.api("GET", "/api/v1/profile", None).await.status,
        StatusCode::CONFLICT,
        "still no profile"
    );
}

#[tokio::test]
async fn every_route_needs_the_key() {
    let w = onboarded().await;
    let routes = [
        ("GET", "/api/v1/key"),
        ("GET", "/api/v1/profile"),
        ("PUT", "/api/v1/profile"),
        ("GET", "/api/v1/plan"),
        ("GET", "/api/v1/plan/week"),
        ("GET", "/api/v1/sessions"),
        ("POST", "/api/v1/sessions"),
        ("POST", "/api/v1/sessions/start"),
        ("GET", "/api/v1/sessions/1"),
        ("POST", "/api/v1/sessions/1/sets"),
        ("PUT", "/api/v1/sessions/1/sets/0"),
        ("DELETE", "/api/v1/sessions/1/sets/0"),
        ("POST", "/api/v1/sessions/1/finish"),
        ("POST", "/api/v1/checkins"),
        ("POST", "/api/v1/triage"),
        ("GET", "/api/v1/status"),
        ("GET", "/api/v1/load"),
        ("POST", "/api/v1/import"),
        ("GET", "/api/v1/export"),
        ("GET", "/api/v1/settings"),
        ("PUT", "/api/v1/settings"),
        ("GET", "/api/v1/people"),
    ];
    // The two routes that sign in and out are the only ones open without it: on a one-person server there are no
    // accounts to sign in to, and signing out reads nothing.
    let public = [
        ("POST", "/api/v1/auth/login", StatusCode::NOT_FOUND),
        ("POST", "/api/v1/auth/logout", StatusCode::NO_CONTENT),
    ];
    let expected = routes
        .iter()
        .map(|(m, p)| (*m, *p, StatusCode::UNAUTHORIZED))
        .chain(public);
    for (m, p, status) in expected {
        let r = w
            .send(
                Request::builder()
                    .method(m)
                    .uri(p)
                    .body(Body::from("{}"))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, status, "{m} {p}");
        assert!(
            !r.body.contains("chest") && !r.body.contains("pain\":"),
            "{m} {p} leaks nothing"
        );
    }
    // Every documented path is one of these.
    let doc = w
        .send(Request::get("/api/openapi.json").body(Body::empty()).unwrap())
        .await
        .json();
    let documented: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_object().unwrap().len())
        .sum();
    assert_eq!(documented, routes.len() + public.len());
}

#[tokio::test]
async fn profile_needs_red_flag_answers_the_first_time_and_checks_each_field() {
    let w = Web::new().await;
    let r = w.api("GET", "/api/v1/plan", None).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "no profile yet");
    let mut p = profile();
    p.as_object_mut().unwrap().remove("red_flags");
    let r = w.api("PUT", "/api/v1/profile", Some(p)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["detail"].as_str().unwrap().contains("red_flags"));
    for (field, value, word) in [
        ("time_zone", json!("Nowhere/Land"), "time_zone"),
        ("days", json!([]), "days"),
        ("baseline_pain", json!(11), "baseline_pain"),
        ("equipment", json!(["anvil"]), "equipment"),
        ("units", json!("stone"), "units"),
        ("goal_lifts", json!(["deadlfit"]), "goal lift"),
    ] {
        let mut p = profile();
        p[field] = value;
        let r = w.api("PUT", "/api/v1/profile", Some(p)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/problem+json");
        assert!(
            r.json()["detail"].as_str().unwrap().contains(word),
            "{field}: {}",
            r.body
        );
    }
    assert!(w.app.profile(w.who).await.unwrap().is_none());
    let mut p = profile();
    p["red_flags"] = json!(["bladder-change"]);
    let r = w.api("PUT", "/api/v1/profile", Some(p)).await;
    assert_eq!(r.json()["red_flag"]["urgency"], "emergency");
    assert_eq!(w.api("GET", "/api/v1/plan", None).await.json()["mode"], "blocked");
}

#[tokio::test]
async fn a_session_logged_set_by_set_through_the_api() {
    let w = onboarded().await;
    let plan = w.api("GET", "/api/v1/plan", None).await;
    assert_eq!(plan.status, StatusCode::OK);
    assert_eq!(plan.json()["mode"], "train");
    assert!(!plan.json()["items"].as_array().unwrap().is_empty());
    let r = w
        .api(
            "POST",
            "/api/v1/sessions/start",
            Some(json!({ "pain_before": 2, "set": { "exercise": "chest-supported-row", "reps": 10, "load_kg": 30, "pain": 1 } })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["session"].as_i64().unwrap();
    assert_eq!(r.json()["above_ceiling"], false);
    let r = w
        .api(
            "POST",
            &format!("/api/v1/sessions/{id}/sets"),
            Some(json!({ "exercise": "chest-supported-row", "reps": 10, "load_kg": 30, "pain": 6 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["position"], 1);
    assert_eq!(r.json()["above_ceiling"], true);
    assert_eq!(r.json()["ceiling"], 5);
    let bad = w
        .api(
            "POST",
            &format!("/api/v1/sessions/{id}/sets"),
            Some(json!({ "exercise": "chest-supported-row", "reps": 10, "pain": 11 })),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let unknown = w
        .api(
            "POST",
            &format!("/api/v1/sessions/{id}/sets"),
            Some(json!({ "exercise": "moonwalk", "reps": 10 })),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("moonwalk"));
    let missing = w
        .api(
            "POST",
            "/api/v1/sessions/9999/sets",
            Some(json!({ "exercise": "dead-bug", "reps": 8 })),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let r = w
        .api(
            "PUT",
            &format!("/api/v1/sessions/{id}/sets/1"),
            Some(json!({ "exercise": "chest-supported-row", "reps": 8, "load_kg": 30, "pain": 3 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["sets"][1]["reps"], 8);
    let r = w
        .api(
            "POST",
            &format!("/api/v1/sessions/{id}/finish"),
            Some(json!({ "minutes": 30, "session_rpe": 6.5 })),
        )
        .await;
    assert_eq!(r.json()["minutes"], 30);
    let r = w
        .api("DELETE", &format!("/api/v1/sessions/{id}/sets/5"), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    w.advance(SignedDuration::from_hours(15));
    let r = w
        .api("POST", "/api/v1/checkins", Some(json!({ "pain": 2 })))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let bad = w
        .api("POST", "/api/v1/checkins", Some(json!({ "pain": -1 })))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let status = w.api("GET", "/api/v1/status", None).await.json();
    let row = status["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["exercise"] == "chest-supported-row")
        .unwrap();
    assert_eq!(row["last_verdict"], "green");
    let list = w.api("GET", "/api/v1/sessions", None).await.json();
    assert_eq!(list[0]["checkins"][0]["pain"], 2);
    let r = w
        .api("DELETE", &format!("/api/v1/sessions/{id}/sets/0"), None)
        .await;
    assert_eq!(r.json()["session_deleted"], false);
}

#[tokio::test]
async fn whole_sessions_triage_load_settings_import_and_export() {
    let w = onboarded().await;
    let r = w
        .api(
            "POST",
            "/api/v1/sessions",
            Some(
                json!({ "at": "2026-11-22 18:00", "pain_before": 2, "minutes": 40, "session_rpe": 6,
            "sets": [{ "exercise": "dead-bug", "reps": 8, "pain": 1 }] }),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let empty = w
        .api("POST", "/api/v1/sessions", Some(json!({ "sets": [] })))
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A refusal says how to put it right in the API's words, not the CLI's (issue 14, point 2).
    let future = w
        .api(
            "POST",
            "/api/v1/sessions",
            Some(json!({ "at": "2099-01-01 18:00", "sets": [{ "exercise": "dead-bug", "reps": 8, "pain": 1 }] })),
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", future.body);
    assert!(
        future
            .body
            .contains("more than a day in the future; check the time given")
            && !future.body.contains("--at"),
        "{}",
        future.body
    );
    let t = w
        .api("POST", "/api/v1/triage", Some(json!({ "when": "next-day", "where": "muscle", "quality": "ache", "movement": "eases", "trend": "better" })))
        .await;
    assert_eq!(t.json()["classification"], "soreness");
    let t = w.api("POST", "/api/v1/triage", Some(json!({ "when": "soon", "where": "muscle", "quality": "ache", "movement": "eases", "trend": "better" }))).await;
    assert_eq!(t.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(t.body.contains("when"));
    let l = w.api("GET", "/api/v1/load?weeks=4", None).await;
    let weeks = l.json()["weeks"].as_array().unwrap().len();
    assert!(
        (4..=5).contains(&weeks),
        "4 weeks touch 4 or 5 calendar weeks: {weeks}"
    );
    let s = w
        .api("PUT", "/api/v1/settings", Some(json!({ "ceiling_max": 4 })))
        .await;
    assert_eq!(s.status, StatusCode::OK);
    assert!(
        s.json()
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "ceiling_max" && r["value"] == 4)
    );
    for bad in [
        json!({ "ceiling_max": 40 }),
        json!({ "no_such": 1 }),
        json!({ "ceiling_max": "x" }),
    ] {
        assert_eq!(
            w.api("PUT", "/api/v1/settings", Some(bad)).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let csv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../backstop-import/tests/data/strong_v4.csv"
    ))
    .unwrap();
    let r = w.import_csv("/api/v1/import?unit=kg", csv).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json()["sessions_added"].as_u64().unwrap() > 0);
    let bad = w
        .send(
            Request::post("/api/v1/import?format=excel")
                .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
                .body(Body::from("x"))
                .unwrap(),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = w.api("GET", "/api/v1/export", None).await.json();
    assert_eq!(e["format"], "backstop-export");
    let sets = w.api("GET", "/api/v1/export?table=sets", None).await;
    assert!(sets.body.starts_with("session_at,date"));
    assert_eq!(
        w.api("GET", "/api/v1/export?table=secrets", None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        w.api("GET", "/api/v1/nothing", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_openapi_document_is_reviewed_as_a_snapshot() {
    let w = Web::new().await;
    let r = w
        .send(Request::get("/api/openapi.json").body(Body::empty()).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let mut doc = r.json();
    // The vocabularies that come from the machine's time-zone database and from the catalog are checked here and
    // summarised in the snapshot (the catalog and the zones have tests of their own).
    let schemas = &mut doc["components"]["schemas"];
    let zones = &mut schemas["ProfileDto"]["properties"]["time_zone"]["enum"];
    let names: Vec<&str> = zones
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|z| z.as_str())
        .collect();
    assert!(
        names.len() > 300 && names.contains(&"Europe/London") && names.contains(&"UTC"),
        "{}",
        names.len()
    );
    *zones = json!("every IANA zone name");
    for (schema, path) in [
        ("SetDto", &["properties", "exercise", "enum"][..]),
        ("ProfileDto", &["properties", "goal_lifts", "items", "enum"][..]),
    ] {
        let mut v = &mut schemas[schema];
        for key in path {
            v = &mut v[*key];
        }
        let names: Vec<&str> = v.as_array().unwrap().iter().filter_map(|z| z.as_str()).collect();
        assert!(
            names.contains(&"romanian-deadlift") && names.contains(&"RDL"),
            "{schema}: ids, names and aliases"
        );
        if schema == "ProfileDto" {
            assert!(
                !names.contains(&"dead-bug"),
                "a goal lift has a ladder leading to it"
            );
        }
        *v = json!("every catalog id, name and alias (for a goal lift, of those with a ladder)");
    }
    insta::assert_json_snapshot!("openapi", doc);
}

/// Issue 15, point 6: the document states the key it needs, every status an operation can answer (each a problem
/// document), and the ranges the server checks; query values are query parameters.
#[tokio::test]
async fn the_openapi_document_states_the_key_every_status_and_the_ranges() {
    let w = Web::new().await;
    let doc = w
        .send(Request::get("/api/openapi.json").body(Body::empty()).unwrap())
        .await
        .json();
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(doc["security"], json!([{ "bearer": [] }]));
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = &op["responses"];
            let mut wanted = vec!["400", "401"];
            if op.get("requestBody").is_some() {
                wanted.extend(["413", "422"]);
            }
            if path.contains('{') {
                wanted.push("404");
            }
            if !(path == "/api/v1/profile" && method == "put") && path != "/api/v1/key" {
                wanted.push("409");
            } else {
                assert!(responses.get("409").is_none(), "{method} {path} needs no profile");
            }
            for code in wanted {
                assert_eq!(
                    responses[code]["content"]["application/problem+json"]["schema"]["$ref"],
                    "#/components/schemas/Problem",
                    "{method} {path} {code}"
                );
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                if path.ends_with("/plan") || path.ends_with("/load") || path.ends_with("/export") {
                    assert_eq!(p["in"], "query", "{method} {path} {}", p["name"]);
                    assert_eq!(p["required"], json!(false), "{method} {path} {}", p["name"]);
                }
            }
        }
    }
    let param = |path: &str, name: &str| -> serde_json::Value {
        doc["paths"][path]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|op| op["parameters"].as_array().cloned().unwrap_or_default())
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} {name}"))["schema"]
            .clone()
    };
    let minutes = param("/api/v1/plan", "minutes");
    assert_eq!(
        (minutes["minimum"].clone(), minutes["maximum"].clone()),
        (json!(1), json!(600))
    );
    assert_eq!(param("/api/v1/load", "weeks")["maximum"], json!(520));
    assert_eq!(
        param("/api/v1/sessions/{id}/sets/{position}", "position")["maximum"],
        json!(299)
    );
    let set = &doc["components"]["schemas"]["SetDto"]["properties"];
    assert_eq!(
        (set["pain"]["minimum"].clone(), set["pain"]["maximum"].clone()),
        (json!(0), json!(10))
    );
    assert_eq!(set["rpe"]["multipleOf"], json!(0.5));
    assert_eq!(set["reps"]["maximum"], json!(999));
    assert_eq!(set["felt"]["enum"], json!(["target", "back", "leg", null]));
    let finish = &doc["components"]["schemas"]["FinishRequest"]["properties"];
    assert_eq!(finish["minutes"]["minimum"], json!(1));
}

/// Issue 15, point 6: what the framework refuses by itself under `/api` (a path value that is not a number, a
/// method the route does not have) is a problem document too; a whole number written as `3.0` is read as 3.
#[tokio::test]
async fn every_api_error_is_a_problem_document_and_whole_floats_are_integers() {
    let w = onboarded().await;
    let bad_path = w.api("GET", "/api/v1/sessions/abc", None).await;
    assert_eq!(bad_path.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_path.headers[header::CONTENT_TYPE], "application/problem+json");
    assert!(
        bad_path.json()["detail"].as_str().unwrap().contains("abc"),
        "{}",
        bad_path.body
    );
    let bad_query = w.api("GET", "/api/v1/plan?pain_now=lots", None).await;
    assert_eq!(bad_query.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad_query.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    let method = w.api("DELETE", "/api/v1/status", None).await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(method.headers[header::CONTENT_TYPE], "application/problem+json");
    assert!(method.headers.get(header::ALLOW).is_some(), "Allow is kept");
    let ok = w
        .api("POST", "/api/v1/checkins", Some(json!({ "pain": 3.0 })))
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let half = w
        .api("POST", "/api/v1/checkins", Some(json!({ "pain": 3.5 })))
        .await;
    assert_eq!(half.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", half.body);
    assert!(half.body.contains("pain"), "{}", half.body);
    // A stated training history over a lifetime is refused at the edge, not by the database (it was a 500).
    let mut p = profile();
    p["training_years"] = json!(81);
    let r = w.api("PUT", "/api/v1/profile", Some(p)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("training years"), "{}", r.body);
}

/// A word that is not an answer is refused even beside a red flag, and nothing is recorded; the red flag alone
/// still acts.
#[tokio::test]
async fn a_triage_answer_that_is_not_a_word_is_refused_even_beside_a_red_flag() {
    let w = onboarded().await;
    let before = w.app.facts(w.who).await.unwrap().screenings.len();
    let r = w
        .api(
            "POST",
            "/api/v1/triage",
            Some(json!({ "dark_urine": true, "where": "AAA" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("where"), "{}", r.body);
    assert_eq!(w.app.facts(w.who).await.unwrap().screenings.len(), before);
    let r = w
        .api("POST", "/api/v1/triage", Some(json!({ "dark_urine": true })))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["classification"], "red_flag");
}

#[tokio::test]
async fn a_malformed_body_is_a_problem_document_naming_what_is_wrong() {
    let w = onboarded().await;
    for (body, word) in [
        (json!({ "pain": "three" }), "pain"),
        (json!({ "stiffness": 1 }), "pain"),
    ] {
        let r = w.api("POST", "/api/v1/checkins", Some(body)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/problem+json");
        assert!(r.json()["detail"].as_str().unwrap().contains(word), "{}", r.body);
    }
    let r = w
        .send(
            Request::post("/api/v1/checkins")
                .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"pain\": 2"))
                .unwrap(),
        )
        .await;
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/problem+json",
        "truncated JSON: {}",
        r.body
    );
    assert!(w.app.facts(w.who).await.unwrap().checkins.is_empty());
}

#[tokio::test]
async fn goal_lifts_through_the_api_give_ladders_in_status() {
    let w = onboarded().await;
    let mut p = profile();
    p["equipment"] = json!(["barbell", "dumbbell", "bench"]);
    p["goal_lifts"] = json!(["Barbell Row"]);
    let r = w.api("PUT", "/api/v1/profile", Some(p)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let got = w.api("GET", "/api/v1/profile", None).await.json();
    assert_eq!(got["goal_lifts"], json!(["barbell-bent-over-row"]));
    let s = w.api("GET", "/api/v1/status", None).await.json();
    let l = &s["ladders"][0];
    assert_eq!(l["goal"], "barbell-bent-over-row", "{s}");
    assert_eq!(l["reached"], false);
    assert!(l["position"].is_null());
    assert_eq!(
        l["rungs"].as_array().unwrap().last().unwrap(),
        "barbell-bent-over-row"
    );
}

#[tokio::test]
async fn status_names_the_exercise_whose_sets_raise_pain_with_its_confidence() {
    let w = onboarded().await;
    // Eight weeks before the test clock: pain climbs during goblet squats every time, never during the rest.
    let start: jiff::civil::Date = "2026-09-21".parse().unwrap();
    for week in 0..8 {
        for (k, d) in [0, 2, 4].into_iter().enumerate() {
            let day = start.checked_add(jiff::Span::new().days(week * 7 + d)).unwrap();
            let third = match k {
                0 => "goblet-squat 3x10@20 p2,3,4",
                1 => "front-squat 3x5@40 p2",
                _ => "romanian-deadlift 3x8@50 p2",
            };
            let groups: Vec<String> = ["lat-pulldown 3x10@40 p2", "dead-bug 2x8 p2", third]
                .iter()
                .map(|g| (*g).to_owned())
                .collect();
            let opts = backstop_app::SessionOptions {
                at: Some(format!("{day} 18:00")),
                pain_before: Some(backstop_core::Pain::new(2).unwrap()),
                ..Default::default()
            };
            w.app.log_groups(w.who, &groups, &opts).await.unwrap();
            let ci = backstop_app::CheckInInput {
                at: Some(format!("{} 08:00", day.tomorrow().unwrap())),
                pain: Some(backstop_core::Pain::new(2).unwrap()),
                ..Default::default()
            };
            w.app.checkin(w.who, ci).await.unwrap();
        }
    }
    let s = w.api("GET", "/api/v1/status", None).await.json();
    let top = &s["causes"][0];
    assert_eq!(top["level"], "exercise", "{s}");
    assert_eq!(top["name"], "goblet-squat");
    assert_eq!(top["confidence"], "strong");
    assert!(top["headline"].as_str().unwrap().contains("goblet-squat"));
    assert!(top["rise_with"].as_f64().unwrap() > top["rise_without"].as_f64().unwrap());
    let suspect = &s["suspects"][0];
    assert_eq!(suspect["exercise"], "goblet-squat");
    assert_eq!(suspect["confidence"], "strong");
    assert_eq!(suspect["sessions_with"], 8);
    // The page says it in words, with the confidence.
    let page = w.get("/status").await;
    assert!(page.body.contains("strong confidence"), "{}", page.body);
    // So does the exercise's own page (the web's `why`), and an exercise that is not linked says nothing of it.
    let page = w.get("/exercises/goblet-squat").await;
    assert!(
        page.body.contains("Linked to your pain (strong confidence)"),
        "{}",
        page.body
    );
    let page = w.get("/exercises/dead-bug").await;
    assert!(!page.body.contains("Linked to your pain"), "{}", page.body);
}

#[tokio::test]
async fn a_red_flag_posted_without_the_other_triage_answers_still_acts() {
    let w = onboarded().await;
    let before = w.app.facts(w.who).await.unwrap().screenings.len();
    // Without a red flag, missing answers are refused and nothing is recorded.
    let r = w
        .api("POST", "/api/v1/triage", Some(json!({ "when": "days" })))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("where") && r.body.contains("trend"), "{}", r.body);
    assert_eq!(w.app.facts(w.who).await.unwrap().screenings.len(), before);
    // Saddle numbness with a bladder change is an emergency whatever else is true.
    let r = w
        .api(
            "POST",
            "/api/v1/triage",
            Some(json!({ "red_flags": ["saddle-numbness", "bladder-change"] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = r.json();
    assert_eq!(t["classification"], "red_flag");
    assert_eq!(t["urgency"], "emergency");
    assert_eq!(t["missing"].as_array().unwrap().len(), 5);
    assert_eq!(w.app.facts(w.who).await.unwrap().screenings.len(), before + 1);
    let s = w.api("GET", "/api/v1/status", None).await.json();
    assert_eq!(s["red_flags"]["blocks_training"], true, "{s}");
}

#[tokio::test]
async fn usual_leg_symptoms_through_the_api() {
    let w = onboarded().await;
    let mut p = w.api("GET", "/api/v1/profile", None).await.json();
    assert_eq!(p["usual_leg_symptoms"], serde_json::Value::Null);
    p["usual_leg_symptoms"] = json!("thigh");
    let r = w.api("PUT", "/api/v1/profile", Some(p.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["profile"]["usual_leg_symptoms"], "thigh");
    // Within the usual reach: no re-screen. Further: re-screen. A wrong reach: 422 naming the choices.
    let r = w
        .api(
            "POST",
            "/api/v1/checkins",
            Some(json!({ "pain": 2, "leg_reach": "buttock" })),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["rescreen_needed"].as_bool()),
        (StatusCode::CREATED, Some(false)),
        "{}",
        r.body
    );
    let r = w
        .api(
            "POST",
            "/api/v1/checkins",
            Some(json!({ "pain": 2, "leg_reach": "below-knee" })),
        )
        .await;
    assert_eq!(r.json()["rescreen_needed"], true, "{}", r.body);
    let r = w
        .api(
            "POST",
            "/api/v1/checkins",
            Some(json!({ "pain": 2, "leg_reach": "ankle" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("below-knee"), "{}", r.body);
    p["usual_leg_symptoms"] = json!("knee");
    let r = w.api("PUT", "/api/v1/profile", Some(p)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_body_limit_is_the_documented_one_and_a_body_over_it_is_a_413_problem() {
    let w = onboarded().await;
    // An export over axum's own 2 MB default imports through the API, as it does from the CLI.
    let csv = crate::big_strong_export();
    assert!(csv.len() > 2_500_000, "{}", csv.len());
    let r = w.import_csv("/api/v1/import?unit=kg", csv).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["sessions_added"], 1700, "{}", r.body);
    // Over the limit, declared or not: 413 as a problem document, and nothing stored.
    let before = w.app.facts(w.who).await.unwrap().checkins.len();
    let over = vec![b' '; backstop_web::BODY_LIMIT + 1];
    for declared in [true, false] {
        let mut req = Request::post("/api/v1/checkins")
            .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
            .header(header::CONTENT_TYPE, "application/json");
        if declared {
            req = req.header(header::CONTENT_LENGTH, over.len());
        }
        let body = if declared {
            Body::from(over.clone())
        } else {
            // A streamed body: no length known until it has been read.
            Body::from_stream(futures_stream(over.clone()))
        };
        let r = w.send(req.body(body).unwrap()).await;
        assert_eq!(
            r.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "declared {declared}: {}",
            r.body
        );
        assert_eq!(
            r.headers[header::CONTENT_TYPE],
            "application/problem+json",
            "declared {declared}"
        );
        assert!(
            r.json()["detail"].as_str().unwrap().contains("32 MiB"),
            "{}",
            r.body
        );
    }
    assert_eq!(w.app.facts(w.who).await.unwrap().checkins.len(), before);
    // A profile is needed first: the API says which method creates it.
    let fresh = crate::Web::new().await;
    let r = fresh.api("GET", "/api/v1/status", None).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("PUT /api/v1/profile"), "{}", r.body);
}

/// A body sent in 1 MiB chunks, with no length declared.
fn futures_stream(bytes: Vec<u8>) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(1 << 20).map(|c| Ok(c.to_vec())).collect();
    futures_util::stream::iter(chunks)
}

#[tokio::test]
async fn a_megabyte_long_exercise_name_is_refused_by_its_length_and_not_echoed_back() {
    // Issue 15, point 4: the suggestion search used to run over the whole name, and the 422 quoted all of it.
    let w = onboarded().await;
    let name = "b".repeat(2_000_000);
    let r = w
        .api(
            "POST",
            "/api/v1/sessions",
            Some(json!({ "sets": [{ "exercise": name, "reps": 8, "pain": 1 }] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.len() < 1_000, "{} bytes back", r.body.len());
    let detail = r.json()["detail"].as_str().unwrap().to_owned();
    assert!(
        detail.contains("2000000 characters: a name has at most 100"),
        "{detail}"
    );
    assert!(w.sessions().await.is_empty());
}

#[tokio::test]
async fn an_import_that_needs_its_unit_says_how_to_give_it_through_the_api() {
    let w = onboarded().await;
    let csv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../backstop-import/tests/data/strong_v1.csv"
    ))
    .unwrap();
    let r = w.import_csv("/api/v1/import", csv).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let detail = r.json()["detail"].as_str().unwrap().to_owned();
    assert!(
        detail.contains("add unit=kg or unit=lb to the query") && !detail.contains("--unit"),
        "{detail}"
    );
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive_and_a_wrong_key_is_refused_whatever_its_length() {
    // Issue 15, point 9: `Authorization: bearer KEY` was refused.
    let w = onboarded().await;
    let get = |auth: String| {
        Request::get("/api/v1/status")
            .header(header::AUTHORIZATION, auth)
            .body(Body::empty())
            .unwrap()
    };
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let r = w.send(get(format!("{scheme} {KEY}"))).await;
        assert_eq!(r.status, StatusCode::OK, "{scheme}: {}", r.body);
    }
    for wrong in [
        format!("Bearer {KEY}x"),
        format!("Bearer {}", &KEY[..KEY.len() - 1]),
        "Basic abc".into(),
    ] {
        let r = w.send(get(wrong.clone())).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{wrong}");
    }
}

#[tokio::test]
async fn the_week_api_gives_seven_days_with_plans_heavy_days_and_checkins_due() {
    // Issue 18, point 3.
    let w = Web::onboarded().await;
    let r = w.post("/week/days", "days=mon&days=wed&days=fri").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let week = w.api("GET", "/api/v1/plan/week", None).await;
    assert_eq!(week.status, StatusCode::OK, "{}", week.body);
    let j = week.json();
    assert_eq!(j["week_start"], "2026-11-23");
    let days = j["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    let names: Vec<&str> = days.iter().map(|d| d["weekday"].as_str().unwrap()).collect();
    assert_eq!(names, ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
    let planned: Vec<bool> = days.iter().map(|d| !d["plan"].is_null()).collect();
    assert_eq!(planned, [true, false, true, false, true, false, false]);
    let due: Vec<bool> = days.iter().map(|d| d["checkin_due"].as_bool().unwrap()).collect();
    assert_eq!(due, [false, true, false, true, false, true, false]);
    assert!(days[0]["plan"]["items"].as_array().is_some_and(|i| !i.is_empty()));
    assert!(days.iter().all(|d| d["heavy"].is_boolean()));
    // Another week by any of its days; a bad date is refused by name.
    let next = w.api("GET", "/api/v1/plan/week?date=2026-12-02", None).await;
    assert_eq!(next.json()["week_start"], "2026-11-30");
    let bad = w.api("GET", "/api/v1/plan/week?date=someday", None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("someday"));
}

/// An API client that retries after a lost answer sends the same `Idempotency-Key`: the set is stored once, and
/// the answer names the position it was stored at; a malformed key is refused before anything is written.
#[tokio::test]
async fn a_set_sent_again_with_its_idempotency_key_is_stored_once() {
    let w = onboarded().await;
    let keyed = |path: &str, key: &str, body: serde_json::Value| {
        w.signed(Request::post(path))
            .header(header::CONTENT_TYPE, "application/json")
            .header("Idempotency-Key", key)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let start = json!({ "pain_before": 2, "set": { "exercise": "chest-supported-row", "reps": 10, "load_kg": 30, "pain": 1 } });
    let a = w
        .send(keyed("/api/v1/sessions/start", "k-1", start.clone()))
        .await;
    let b = w.send(keyed("/api/v1/sessions/start", "k-1", start)).await;
    assert_eq!(
        (a.status, b.status),
        (StatusCode::CREATED, StatusCode::CREATED),
        "{}",
        b.body
    );
    let id = a.json()["session"].as_i64().unwrap();
    assert_eq!(b.json()["session"], id);
    let set = json!({ "exercise": "chest-supported-row", "reps": 9, "load_kg": 30, "pain": 2 });
    let path = format!("/api/v1/sessions/{id}/sets");
    for _ in 0..2 {
        let r = w.send(keyed(&path, "k-2", set.clone())).await;
        assert_eq!(r.status, StatusCode::CREATED);
        assert_eq!(r.json()["position"], 1);
    }
    let bad = w.send(keyed(&path, "not a key", set)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("client id"), "{}", bad.body);
    assert_eq!(w.sessions().await[0].session.sets.len(), 2);
}

#[tokio::test]
async fn a_refused_field_is_named_in_the_problem_document() {
    // Issue 14, point 4: an error keeps the field's name beside the reason, as a member a client can read.
    let w = onboarded().await;
    let r = w
        .api("POST", "/api/v1/checkins", Some(json!({ "pain": 11 })))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let p = r.json();
    assert_eq!(p["field"], "pain", "{p}");
    assert!(p["detail"].as_str().unwrap().starts_with("pain: "), "{p}");
    assert!(p["detail"].as_str().unwrap().contains("0 (none) to 10"), "{p}");
    let r = w
        .api(
            "POST",
            "/api/v1/triage",
            Some(json!({ "when": "soon", "where": "muscle", "quality": "ache", "movement": "eases", "trend": "better" })),
        )
        .await;
    assert_eq!(r.json()["field"], "when", "{}", r.body);
    // A history range with a day that is not a date is refused, and says so.
    let r = w.api("GET", "/api/v1/sessions?from=yesterday", None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("yesterday"), "{}", r.body);
    // An error that is not about one field has no such member.
    let r = w.api("GET", "/api/v1/sessions/999999", None).await;
    assert!(r.json().get("field").is_none(), "{}", r.body);
}
