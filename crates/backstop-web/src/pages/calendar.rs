//! The planned sessions in a calendar app: a feed link with a token of its own (revocable, and good for nothing
//! but the calendar), a one-off download, and the feed itself, which the calendar app fetches without signing in.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::WebState;
use crate::error::PageError;
use crate::signed_in::{Me, SignedIn};
use crate::views::{Layout, html};

/// How many weeks ahead the feed and the download hold.
const WEEKS: u32 = 2;

#[derive(Template)]
#[template(path = "calendar_link.html")]
struct LinkPage {
    layout: Layout,
    /// The feed's address, shown once; empty after the links were turned off.
    url: String,
    /// How many links were turned off.
    revoked: usize,
}

#[derive(Deserialize)]
struct FeedQuery {
    token: Option<String>,
}

fn ics(text: String, attachment: bool) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if attachment {
        headers.insert(
            header::CONTENT_DISPOSITION,
            header::HeaderValue::from_static("attachment; filename=\"backstop.ics\""),
        );
    }
    (headers, text).into_response()
}

/// `GET /calendar.ics?token=…`: the feed, for a calendar app. A token never made or turned off gets 404, the same
/// as no token, so the answer tells nothing about which tokens exist.
async fn feed(State(st): State<WebState>, Query(q): Query<FeedQuery>) -> Response {
    let unknown = || (StatusCode::NOT_FOUND, "no such calendar\n").into_response();
    let Some(token) = q.token.filter(|t| !t.is_empty()) else {
        return unknown();
    };
    match st.app.calendar_owner(&token).await {
        Ok(Some(who)) => match st.app.calendar(who, WEEKS).await {
            Ok(text) => ics(text, false),
            Err(e) if e.is_input() => unknown(),
            Err(e) => PageError::from(e).into_response(),
        },
        Ok(None) => unknown(),
        Err(e) => PageError::from(e).into_response(),
    }
}

/// `GET /calendar/download`: the next weeks as a file, for the signed-in person.
async fn download(State(st): State<WebState>, Me { who }: Me) -> Result<Response, PageError> {
    Ok(ics(st.app.calendar(who, WEEKS).await?, true))
}

/// `POST /calendar/link`: a new feed link, shown once.
async fn new_link(
    State(st): State<WebState>,
    SignedIn { who, .. }: SignedIn,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let token = st.app.new_calendar_link(who).await?;
    let page = LinkPage {
        layout: Layout::new("Calendar link", "/week"),
        url: super::absolute_url(&st, &headers, &format!("/calendar.ics?token={token}")),
        revoked: 0,
    };
    Ok(html(&page))
}

/// `POST /calendar/off`: every feed link stops working.
async fn links_off(State(st): State<WebState>, Me { who }: Me) -> Result<Response, PageError> {
    let revoked = st.app.revoke_calendar_links(who).await?;
    let page = LinkPage {
        layout: Layout::new("Calendar link", "/week"),
        url: String::new(),
        revoked,
    };
    Ok(html(&page))
}

/// The routes behind sign-in.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/calendar/download", get(download))
        .route("/calendar/link", post(new_link))
        .route("/calendar/off", post(links_off))
}

/// The public feed route: its token is the only key it takes.
pub fn public_routes() -> Router<WebState> {
    Router::new().route("/calendar.ics", get(feed))
}
