//! People and access (account mode): an athlete sees who can read their training, takes access back and reads
//! the audit log of what others looked at; a coach or clinician lists their athletes, opens one to read, and
//! invites new ones; an admin invites coaches and clinicians. An invitation link opens a page that makes the
//! account (or, for an athlete already signed in, links them).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use backstop_app::AppError;
use backstop_app::accounts::CareSetting;
use backstop_app::store::{Account, AthleteId, AuditAction, Role, StoreError};
use backstop_app::view::RosterEntryView;
use backstop_core::time::format_local;

use crate::WebState;
use crate::error::PageError;
use crate::forms::FormData;
use crate::signed_in::{ATHLETE_COOKIE, SignedAccount};
use crate::views::{Layout, html};

/// One person on the page: a link in force or taken back, or an athlete of a roster.
struct LinkRow {
    id: i64,
    name: String,
    role: &'static str,
    since: String,
    revoked: Option<String>,
}

/// One audit entry.
struct AuditRow {
    at: String,
    who: String,
    action: &'static str,
    what: String,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    layout: Layout,
    /// `None` on a one-person server (the access key, no accounts).
    account: Option<AccountLine>,
    /// An athlete's links, in force and taken back.
    links: Vec<LinkRow>,
    audit: Vec<AuditRow>,
    /// The athlete a coach or clinician has open.
    viewing: Option<i64>,
    /// An invitation just made: its address and whom it is for.
    invited: Option<(String, &'static str)>,
    /// What the last action did.
    done: Option<String>,
    /// The time zone the times are in.
    zone: String,
    /// A coach's or clinician's athletes, most in need of attention first.
    roster: Vec<RosterEntryView>,
    /// The settings made for the athlete a coach or clinician has open: (id, words, who, when, in force).
    care: Vec<(i64, String, String, String, bool)>,
    /// That athlete's name.
    viewing_name: Option<String>,
    /// A setting refused, and why.
    care_error: Option<String>,
}

/// What the last action on the page came to: at most one of these is shown.
enum Outcome {
    /// Nothing was done (the page was only opened).
    Nothing,
    /// An invitation was made: its address and the role it is for.
    Invited(String, &'static str),
    /// Something was done; what, in words.
    Done(&'static str),
    /// A setting for an athlete was refused; why.
    Refused(String),
}

struct AccountLine {
    name: String,
    email: String,
    role: &'static str,
    athlete: bool,
    staff: bool,
    admin: bool,
}

async fn render(
    st: &WebState,
    account: Option<&Account>,
    headers: &HeaderMap,
    outcome: Outcome,
) -> Result<Response, PageError> {
    let (invited, done, care_error) = match outcome {
        Outcome::Nothing => (None, None, None),
        Outcome::Invited(url, role) => (Some((url, role)), None, None),
        Outcome::Done(d) => (None, Some(d.to_owned()), None),
        Outcome::Refused(why) => (None, None, Some(why)),
    };
    let Some(a) = account else {
        let page = PeoplePage {
            layout: Layout::new("People", "/people"),
            account: None,
            links: Vec::new(),
            audit: Vec::new(),
            viewing: None,
            invited: None,
            done: None,
            zone: String::new(),
            roster: Vec::new(),
            care: Vec::new(),
            viewing_name: None,
            care_error: None,
        };
        return Ok(html(&page));
    };
    // Times in the athlete's own zone; an account without training data of its own reads them in UTC.
    let tz = match a.athlete {
        Some(me) => st.app.context(me).await.map_or(jiff::tz::TimeZone::UTC, |c| c.tz),
        None => jiff::tz::TimeZone::UTC,
    };
    let zone = tz.iana_name().unwrap_or("UTC").to_owned();
    let when = |t: jiff::Timestamp| format_local(t, &tz);
    let links = match (a.role, a.athlete) {
        (Role::Athlete, Some(me)) => st.app.access_links(me).await?,
        _ => Vec::new(),
    };
    let links = links
        .into_iter()
        .map(|l| LinkRow {
            id: l.id,
            name: if a.role == Role::Athlete {
                l.staff_name
            } else {
                l.athlete_name
            },
            role: l.staff_role.as_str(),
            since: when(l.created_at),
            revoked: l.revoked_at.map(&when),
        })
        .collect();
    let audit = match a.athlete {
        Some(me) => st
            .app
            .audit_log(me)
            .await?
            .into_iter()
            .map(|e| AuditRow {
                at: when(e.at),
                who: e.actor_name,
                action: match e.action {
                    AuditAction::Read => "read",
                    AuditAction::Change => "changed",
                },
                what: e.what,
            })
            .collect(),
        None => Vec::new(),
    };
    let viewing = crate::auth::cookie_in(headers, ATHLETE_COOKIE).and_then(|v| v.parse::<i64>().ok());
    let roster = if a.role.is_staff() {
        st.app.roster(a).await?
    } else {
        Vec::new()
    };
    // The open athlete's settings, only while their link is in force.
    let open = viewing.and_then(|v| roster.iter().find(|r| r.athlete == v));
    let viewing_name = open.map(|r| r.name.clone());
    let care = match open {
        Some(r) => {
            let catalog = st.app.catalog(AthleteId(r.athlete)).await?;
            st.app
                .care_history(AthleteId(r.athlete))
                .await?
                .into_iter()
                .map(|d| {
                    (
                        d.id,
                        backstop_app::accounts::care_in_words(d.kind, &d.value, &catalog),
                        d.by_name,
                        format_local(d.at, &tz),
                        d.undone_at.is_none(),
                    )
                })
                .collect()
        }
        None => Vec::new(),
    };
    let page = PeoplePage {
        layout: Layout::new("People", "/people"),
        account: Some(AccountLine {
            name: a.name.clone(),
            email: a.email.clone(),
            role: a.role.as_str(),
            athlete: a.role == Role::Athlete,
            staff: a.role.is_staff(),
            admin: a.role == Role::Admin,
        }),
        links,
        audit,
        viewing,
        invited,
        done,
        zone,
        roster,
        care,
        viewing_name,
        care_error,
    };
    let status = if page.care_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html(&page)).into_response())
}

/// `GET /people`.
async fn people(
    State(st): State<WebState>,
    SignedAccount(account): SignedAccount,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    render(&st, account.as_ref(), &headers, Outcome::Nothing).await
}

fn signed_in(account: Option<Account>) -> Result<Account, PageError> {
    account.ok_or_else(|| {
        PageError::Forbidden("This server has one person and no accounts: there is nobody to invite.".into())
    })
}

/// `POST /people/invite`: an invitation link for the role asked (`role`), shown once.
async fn invite(
    State(st): State<WebState>,
    SignedAccount(account): SignedAccount,
    headers: HeaderMap,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let account = signed_in(account)?;
    let role = match f.get("role") {
        Some("coach") => Role::Coach,
        Some("clinician") => Role::Clinician,
        _ => Role::Athlete,
    };
    let token = match st.app.invite(&account, role).await {
        Ok(t) => t,
        Err(AppError::Input(why)) => return Err(PageError::Forbidden(format!("{why}."))),
        Err(e) => return Err(e.into()),
    };
    let url = super::absolute_url(&st, &headers, &format!("/invite/{token}"));
    render(
        &st,
        Some(&account),
        &headers,
        Outcome::Invited(url, role.as_str()),
    )
    .await
}

/// `POST /people/open`: a coach or clinician opens one of their athletes (`athlete`); the pages then show that
/// athlete's training, read only. Checked again on every request: the cookie only names a choice.
async fn open(
    State(st): State<WebState>,
    SignedAccount(account): SignedAccount,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let account = signed_in(account)?;
    let athlete = f.get("athlete").and_then(|v| v.parse::<i64>().ok());
    let linked = match athlete {
        Some(id) => matches!(
            st.app.acting(&account, Some(AthleteId(id)), false).await?,
            Ok(backstop_app::accounts::Acting::ForAthlete { .. })
        ),
        None => false,
    };
    let Some(id) = athlete.filter(|_| linked) else {
        return Err(PageError::Forbidden(
            "That athlete has not given you access to their training.".into(),
        ));
    };
    let secure = if st.opts.secure_cookies { "; Secure" } else { "" };
    let mut r = Redirect::to("/status").into_response();
    if let Ok(v) = format!("{ATHLETE_COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict{secure}").parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// `POST /people/revoke`: an athlete takes a coach's or clinician's access back (`link`).
async fn revoke(
    State(st): State<WebState>,
    SignedAccount(account): SignedAccount,
    headers: HeaderMap,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let account = signed_in(account)?;
    let Some(me) = account.athlete else {
        return Err(PageError::Forbidden(
            "Only an athlete gives or takes back access.".into(),
        ));
    };
    let link = f.get("link").and_then(|v| v.parse::<i64>().ok()).unwrap_or(-1);
    let done = if st.app.revoke_access(me, link).await? {
        "Access taken back: they can no longer read your training."
    } else {
        "That access was already taken back."
    };
    render(&st, Some(&account), &headers, Outcome::Done(done)).await
}

/// `POST /people/care`: a coach or clinician sets something for the athlete they have open (`athlete`): `kind`
/// is `ceiling`, `not-planned` or `note`, `value` its value. Written to the athlete's audit log.
async fn care(
    State(st): State<WebState>,
    SignedAccount(account): SignedAccount,
    headers: HeaderMap,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let account = signed_in(account)?;
    let athlete = form_athlete(&f);
    let value = f.get("value").unwrap_or_default().to_owned();
    let setting = match f.get("kind") {
        Some("ceiling") => match value.trim().parse::<u8>() {
            Ok(c) => CareSetting::Ceiling(c),
            Err(_) => {
                let why = format!(
                    "A pain ceiling is a whole number from 1 to 10, not “{}”.",
                    value.trim()
                );
                return render(&st, Some(&account), &headers, Outcome::Refused(why)).await;
            }
        },
        Some("not-planned") => CareSetting::NotPlanned(value),
        _ => CareSetting::Note(value),
    };
    match st.app.set_care(&account, athlete, setting).await {
        Ok(_) => {
            let saved = Outcome::Done("Saved: the athlete sees it on their status.");
            render(&st, Some(&account), &headers, saved).await
        }
        Err(AppError::Store(StoreError::NotFound(_))) => Err(PageError::Forbidden(
            "That athlete has not given you access to their training.".into(),
        )),
        Err(e) if e.is_input() => {
            render(&st, Some(&account), &headers, Outcome::Refused(format!("{e}."))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /people/care/undo`: undoes one of the open athlete's settings (`athlete`, `id`).
async fn care_undo(
    State(st): State<WebState>,
    SignedAccount(account): SignedAccount,
    headers: HeaderMap,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    let account = signed_in(account)?;
    let athlete = form_athlete(&f);
    let id = f.get("id").and_then(|v| v.parse().ok()).unwrap_or(-1);
    let done = match st.app.undo_care(&account, athlete, id).await {
        Ok(true) => "Undone.",
        Ok(false) => "That was undone already.",
        Err(AppError::Store(StoreError::NotFound(_))) => {
            return Err(PageError::Forbidden(
                "That athlete has not given you access to their training, or has no such setting.".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    render(&st, Some(&account), &headers, Outcome::Done(done)).await
}

/// The athlete a form names (`athlete`); an id no athlete has when it names none, which every check refuses.
fn form_athlete(f: &FormData) -> AthleteId {
    AthleteId(f.get("athlete").and_then(|v| v.parse().ok()).unwrap_or(-1))
}

/// `POST /people/signout-everywhere`: every session of this account ends, this one included.
async fn signout_everywhere(
    State(st): State<WebState>,
    SignedAccount(account): SignedAccount,
) -> Result<Response, PageError> {
    let account = signed_in(account)?;
    st.app.sign_out_everywhere(account.id).await?;
    Ok(Redirect::to("/login").into_response())
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    layout: Layout,
    token: String,
    from: String,
    role: &'static str,
    /// An athlete signed in already: one button links them.
    signed_in_athlete: Option<String>,
    email: String,
    name: String,
    error: Option<String>,
}

async fn current_account(st: &WebState, headers: &HeaderMap) -> Option<Account> {
    let token = crate::auth::cookie_in(headers, crate::auth::COOKIE)?;
    st.app.signed_in_account(token).await.ok().flatten()
}

fn expired() -> PageError {
    PageError::NotFound(
        "This invitation has expired or was used already. Ask for a new one: links last 7 days and work once."
            .into(),
    )
}

/// `GET /invite/{token}`: who invites, and the form to accept.
async fn invite_page(
    State(st): State<WebState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if !st.opts.accounts {
        return Err(expired());
    }
    let Some(inv) = st.app.open_invite(&token).await? else {
        return Err(expired());
    };
    let me = current_account(&st, &headers).await;
    let page = InvitePage {
        layout: Layout::bare("Invitation"),
        token,
        from: inv.invited_by_name,
        role: inv.role.as_str(),
        signed_in_athlete: me
            .filter(|a| a.role == Role::Athlete && inv.role == Role::Athlete)
            .map(|a| a.name),
        email: String::new(),
        name: String::new(),
        error: None,
    };
    Ok(html(&page))
}

/// `POST /invite/{token}`: accepts, with a new account (name, email, password twice) or, for an athlete signed in
/// already, as that athlete (`existing=yes`).
async fn accept(
    State(st): State<WebState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(f): Form<FormData>,
) -> Result<Response, PageError> {
    if !st.opts.accounts {
        return Err(expired());
    }
    let Some(inv) = st.app.open_invite(&token).await? else {
        return Err(expired());
    };
    if f.get("existing") == Some("yes") {
        let me = current_account(&st, &headers)
            .await
            .filter(|a| a.role == Role::Athlete)
            .ok_or_else(|| PageError::Forbidden("Sign in as the athlete first.".into()))?;
        return match st.app.accept_invite_existing(&token, &me).await {
            Ok(()) => Ok(Redirect::to("/people").into_response()),
            Err(AppError::Store(StoreError::NotFound(_))) => Err(expired()),
            Err(e) => Err(e.into()),
        };
    }
    let (email, name) = (
        f.get("email").unwrap_or_default(),
        f.get("name").unwrap_or_default(),
    );
    let (pw, again) = (
        f.get("password").unwrap_or_default(),
        f.get("password_again").unwrap_or_default(),
    );
    let refuse = |why: String| {
        let page = InvitePage {
            layout: Layout::bare("Invitation"),
            token: token.clone(),
            from: inv.invited_by_name.clone(),
            role: inv.role.as_str(),
            signed_in_athlete: None,
            email: email.to_owned(),
            name: name.to_owned(),
            error: Some(why),
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
    };
    if pw != again {
        return refuse("The two passwords differ.".into());
    }
    match st.app.accept_invite_new(&token, email, name, pw).await {
        Ok((session, account)) => {
            let next = if account.role == Role::Athlete {
                "/welcome"
            } else {
                "/people"
            };
            Ok(crate::auth::with_session_cookie(
                &st,
                &session,
                backstop_app::accounts::ACCOUNT_SESSION_DAYS,
                next,
            ))
        }
        Err(AppError::Store(StoreError::Taken(_))) => {
            refuse("That address has an account already: sign in, then open the invitation again.".into())
        }
        Err(AppError::Store(StoreError::NotFound(_))) => Err(expired()),
        Err(e) if e.is_input() => refuse(format!("{e}.")),
        Err(e) => Err(e.into()),
    }
}

/// The routes behind sign-in.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/people", get(people))
        .route("/people/invite", post(invite))
        .route("/people/open", post(open))
        .route("/people/revoke", post(revoke))
        .route("/people/care", post(care))
        .route("/people/care/undo", post(care_undo))
        .route("/people/signout-everywhere", post(signout_everywhere))
}

/// The invitation pages: open to whoever has the link.
pub fn public_routes() -> Router<WebState> {
    Router::new().route("/invite/{token}", get(invite_page).post(accept))
}
