//! Accounts, sign-in sessions, invitations, care links and the audit log: the contract both backends keep.

use std::sync::Arc;

use backstop_app::accounts::{Acting, Denied, LOGIN_MAX_FAILURES, LOGIN_WINDOW_MINUTES, SignIn};
use backstop_app::clock::Clock;
use backstop_app::store::{AccountId, AthleteId, AuditAction, NewAccount, Redeemer, Role, Store, StoreError};
use backstop_app::{App, AppError};
use jiff::{SignedDuration, Timestamp};

use crate::backends::Backend;
use crate::now;

fn new(email: &str, role: Role) -> NewAccount {
    NewAccount {
        email: email.into(),
        name: email.split('@').next().unwrap_or(email).into(),
        role,
        password_phc: format!("$argon2id$v=19$m=19456,t=2,p=1$salt${email}"),
    }
}

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

/// An account reads back as made, by address and by id; an address is taken once; an athlete's account gets a
/// person of its own, never the file's local person, and no other role gets one.
async fn accounts_are_made_once_per_address_and_athletes_get_their_own_person(backend: &Backend) {
    let store = backend.store().await;
    let admin = store
        .add_account(&new("ada@clinic.example", Role::Admin), now())
        .await
        .unwrap();
    assert_eq!(admin.athlete, None);
    let sam = store
        .add_account(&new("sam@example.com", Role::Athlete), now())
        .await
        .unwrap();
    let kim = store
        .add_account(&new("kim@example.com", Role::Athlete), now())
        .await
        .unwrap();
    let (Some(s), Some(k)) = (sam.athlete, kim.athlete) else {
        panic!("athletes have a person each: {sam:?} {kim:?}");
    };
    assert_ne!(s, k);
    let local = store.local_athlete(now()).await.unwrap();
    assert!(s != local && k != local, "{local:?} is the file's own person");
    assert_eq!(
        store.account_by_email("sam@example.com").await.unwrap(),
        Some(sam.clone())
    );
    assert_eq!(store.account(sam.id).await.unwrap(), Some(sam.clone()));
    assert_eq!(store.account_by_email("nobody@example.com").await.unwrap(), None);
    assert_eq!(store.account(AccountId(sam.id.0 + 1000)).await.unwrap(), None);
    assert!(matches!(
        store
            .add_account(&new("sam@example.com", Role::Coach), now())
            .await,
        Err(StoreError::Taken("email"))
    ));
}

/// A session token signs in one account until it lapses or is signed out; signing out everywhere ends only that
/// account's sessions. Failed sign-ins are counted per address from a given time.
async fn account_sessions_and_failed_sign_ins(backend: &Backend) {
    let store = backend.store().await;
    let a = store
        .add_account(&new("a@example.com", Role::Coach), now())
        .await
        .unwrap();
    let b = store
        .add_account(&new("b@example.com", Role::Athlete), now())
        .await
        .unwrap();
    let expires = now() + hours(24);
    let (phone, laptop, other) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
    store
        .add_account_session(&phone, a.id, now(), expires)
        .await
        .unwrap();
    store
        .add_account_session(&laptop, a.id, now(), expires)
        .await
        .unwrap();
    store
        .add_account_session(&other, b.id, now(), expires)
        .await
        .unwrap();
    assert_eq!(store.account_session(&phone, now()).await.unwrap(), Some(a.id));
    assert_eq!(store.account_session(&other, now()).await.unwrap(), Some(b.id));
    assert_eq!(store.account_session(&"d".repeat(64), now()).await.unwrap(), None);
    assert_eq!(
        store.account_session(&phone, expires).await.unwrap(),
        None,
        "lapsed"
    );
    assert!(
        store
            .add_account_session(&phone, b.id, now(), expires)
            .await
            .is_err(),
        "a token is unique"
    );
    assert!(store.revoke_account_session(&phone, now()).await.unwrap());
    assert!(
        !store.revoke_account_session(&phone, now()).await.unwrap(),
        "already out"
    );
    assert_eq!(store.account_session(&phone, now()).await.unwrap(), None);
    assert_eq!(store.revoke_account_sessions(a.id, now()).await.unwrap(), 1);
    assert_eq!(store.account_session(&laptop, now()).await.unwrap(), None);
    assert_eq!(
        store.account_session(&other, now()).await.unwrap(),
        Some(b.id),
        "another account's stays"
    );

    let since = now() - hours(1);
    assert_eq!(store.login_failures("a@example.com", since).await.unwrap(), 0);
    store
        .add_login_failure("a@example.com", now() - hours(2))
        .await
        .unwrap();
    store.add_login_failure("a@example.com", now()).await.unwrap();
    store.add_login_failure("b@example.com", now()).await.unwrap();
    assert_eq!(store.login_failures("a@example.com", since).await.unwrap(), 1);
    assert_eq!(
        store
            .login_failures("a@example.com", now() - hours(3))
            .await
            .unwrap(),
        2
    );
}

/// An invitation is open until it lapses or is used, once; accepting an athlete's invitation links the athlete to
/// whoever invited them (a new athlete or one with an account), a staff invitation makes a coach or clinician;
/// the athlete can take the link back, and only their own.
async fn invitations_link_athletes_to_whoever_invited_them(backend: &Backend) {
    let store = backend.store().await;
    let admin = store
        .add_account(&new("admin@clinic.example", Role::Admin), now())
        .await
        .unwrap();
    let expires = now() + hours(72);
    let staff_token = "1".repeat(64);
    store
        .add_invite(&staff_token, Role::Clinician, admin.id, now(), expires)
        .await
        .unwrap();
    let open = store.invite(&staff_token, now()).await.unwrap().unwrap();
    assert_eq!(
        (open.role, open.invited_by, open.invited_by_name.as_str()),
        (Role::Clinician, admin.id, "admin")
    );
    assert_eq!(store.invite(&staff_token, expires).await.unwrap(), None, "lapsed");
    // The role is the invitation's: a coach cannot accept a clinician's invitation.
    assert!(matches!(
        store
            .redeem_invite(
                &staff_token,
                &Redeemer::New(new("pat@clinic.example", Role::Coach)),
                now()
            )
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store.account_by_email("pat@clinic.example").await.unwrap(),
        None,
        "nothing was made"
    );
    let pat = store
        .redeem_invite(
            &staff_token,
            &Redeemer::New(new("pat@clinic.example", Role::Clinician)),
            now(),
        )
        .await
        .unwrap();
    assert_eq!(pat.role, Role::Clinician);
    assert_eq!(store.invite(&staff_token, now()).await.unwrap(), None, "used");
    assert!(matches!(
        store
            .redeem_invite(
                &staff_token,
                &Redeemer::New(new("eve@example.com", Role::Clinician)),
                now()
            )
            .await,
        Err(StoreError::NotFound("invitation"))
    ));

    // Pat invites two athletes: one new, one who has an account already.
    let (t1, t2, t3) = ("2".repeat(64), "3".repeat(64), "4".repeat(64));
    for t in [&t1, &t2, &t3] {
        store
            .add_invite(t, Role::Athlete, pat.id, now(), expires)
            .await
            .unwrap();
    }
    let sam = store
        .redeem_invite(&t1, &Redeemer::New(new("sam@example.com", Role::Athlete)), now())
        .await
        .unwrap();
    let kim = store
        .add_account(&new("kim@example.com", Role::Athlete), now())
        .await
        .unwrap();
    // A taken address fails the whole acceptance: the invitation stays open.
    assert!(matches!(
        store
            .redeem_invite(&t2, &Redeemer::New(new("sam@example.com", Role::Athlete)), now())
            .await,
        Err(StoreError::Taken("email"))
    ));
    assert!(store.invite(&t2, now()).await.unwrap().is_some());
    // Only an athlete's account can accept an athlete's invitation as itself.
    assert!(
        store
            .redeem_invite(&t2, &Redeemer::Existing(pat.id), now())
            .await
            .is_err()
    );
    assert_eq!(
        store
            .redeem_invite(&t2, &Redeemer::Existing(kim.id), now())
            .await
            .unwrap(),
        kim
    );
    // A second invitation from the same person adds no second link.
    store
        .redeem_invite(&t3, &Redeemer::Existing(kim.id), now())
        .await
        .unwrap();
    let (s, k) = (sam.athlete.unwrap(), kim.athlete.unwrap());
    let roster = store.links_of_staff(pat.id).await.unwrap();
    assert_eq!(
        roster
            .iter()
            .map(|l| (l.athlete, l.athlete_name.as_str()))
            .collect::<Vec<_>>(),
        vec![(k, "kim"), (s, "sam")]
    );
    assert!(store.linked(pat.id, s).await.unwrap());
    assert!(
        !store.linked(admin.id, s).await.unwrap(),
        "the admin is not linked"
    );
    assert!(store.links_of_staff(admin.id).await.unwrap().is_empty());

    // Kim takes Pat's access back; Sam cannot take back Kim's link.
    let kims = store.links_of_athlete(k).await.unwrap();
    assert_eq!(kims.len(), 1);
    assert_eq!(
        (kims[0].staff, kims[0].staff_role, kims[0].revoked_at),
        (pat.id, Role::Clinician, None)
    );
    assert!(!store.revoke_link(s, kims[0].id, now()).await.unwrap());
    assert!(store.linked(pat.id, k).await.unwrap());
    assert!(store.revoke_link(k, kims[0].id, now()).await.unwrap());
    assert!(
        !store.revoke_link(k, kims[0].id, now()).await.unwrap(),
        "already taken back"
    );
    assert!(!store.linked(pat.id, k).await.unwrap());
    assert_eq!(
        store.links_of_athlete(k).await.unwrap()[0].revoked_at,
        Some(now())
    );
    assert_eq!(store.links_of_staff(pat.id).await.unwrap().len(), 1);
}

/// The audit log keeps who read or changed what of whose data, newest first, and each athlete sees only theirs.
async fn the_audit_log_keeps_each_athletes_own_entries(backend: &Backend) {
    let store = backend.store().await;
    let coach = store
        .add_account(&new("c@example.com", Role::Coach), now())
        .await
        .unwrap();
    let sam = store
        .add_account(&new("sam@example.com", Role::Athlete), now())
        .await
        .unwrap();
    let kim = store
        .add_account(&new("kim@example.com", Role::Athlete), now())
        .await
        .unwrap();
    let (s, k) = (sam.athlete.unwrap(), kim.athlete.unwrap());
    store
        .add_audit(&[s], coach.id, AuditAction::Read, "status", now())
        .await
        .unwrap();
    store
        .add_audit(&[s], coach.id, AuditAction::Change, "ceiling 4", now() + hours(1))
        .await
        .unwrap();
    store
        .add_audit(&[k], coach.id, AuditAction::Read, "history", now())
        .await
        .unwrap();
    let log = store.audit_log(s, 10).await.unwrap();
    assert_eq!(
        log.iter()
            .map(|e| (e.action, e.what.as_str(), e.actor_name.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (AuditAction::Change, "ceiling 4", "c"),
            (AuditAction::Read, "status", "c")
        ]
    );
    assert_eq!(log[0].at, now() + hours(1));
    assert_eq!(store.audit_log(s, 1).await.unwrap().len(), 1);
    assert_eq!(store.audit_log(k, 10).await.unwrap().len(), 1);
    assert!(
        store
            .audit_log(AthleteId(s.0 + 1000), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// A clock the test moves.
struct Moving(std::sync::Mutex<Timestamp>);

impl Clock for Moving {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

fn app(store: Arc<dyn Store>) -> (App, Arc<Moving>) {
    let clock = Arc::new(Moving(std::sync::Mutex::new(now())));
    (App::new(store, clock.clone()).unwrap(), clock)
}

/// Signing in needs the right address and password; a wrong one is refused without saying which was wrong, and
/// after `LOGIN_MAX_FAILURES` failures within the window the address is refused even with the right password,
/// until the window has passed. The session it opens signs out alone or with all of the account's others.
async fn signing_in_is_limited_per_address_and_sessions_sign_out(backend: &Backend) {
    let (app, clock) = app(backend.store().await);
    let pw = "a long enough password";
    let sam = app
        .create_account(" Sam@Example.com", "Sam", Role::Athlete, pw)
        .await
        .unwrap();
    assert_eq!(sam.email, "sam@example.com");
    assert!(matches!(
        app.create_account("SAM@example.com", "Other", Role::Coach, pw)
            .await,
        Err(AppError::Store(StoreError::Taken("email")))
    ));
    assert!(
        app.create_account("kim@example.com", "Kim", Role::Athlete, "short")
            .await
            .is_err()
    );
    let SignIn::Granted { token, account } = app.sign_in("SAM@example.com", pw).await.unwrap() else {
        panic!("the right password signs in");
    };
    assert_eq!(account.id, sam.id);
    assert_eq!(
        app.signed_in_account(&token).await.unwrap().map(|a| a.id),
        Some(sam.id)
    );
    assert_eq!(app.signed_in_account("forged").await.unwrap(), None);
    assert!(matches!(
        app.sign_in("nobody@example.com", pw).await.unwrap(),
        SignIn::Refused
    ));
    for _ in 0..LOGIN_MAX_FAILURES {
        assert!(matches!(
            app.sign_in("sam@example.com", "wrong password").await.unwrap(),
            SignIn::Refused
        ));
    }
    assert!(matches!(
        app.sign_in("sam@example.com", pw).await.unwrap(),
        SignIn::Limited { .. }
    ));
    *clock.0.lock().unwrap() = now() + SignedDuration::from_mins(LOGIN_WINDOW_MINUTES + 1);
    let SignIn::Granted { token: second, .. } = app.sign_in("sam@example.com", pw).await.unwrap() else {
        panic!("the window has passed");
    };
    assert!(app.sign_out(&token).await.unwrap());
    assert_eq!(app.signed_in_account(&token).await.unwrap(), None, "signed out");
    assert!(
        !app.sign_out(&token).await.unwrap(),
        "a token is not signed out twice"
    );
    assert_eq!(
        app.signed_in_account(&second).await.unwrap().map(|a| a.id),
        Some(sam.id)
    );
    assert_eq!(app.sign_out_everywhere(sam.id).await.unwrap(), 1);
    assert_eq!(app.signed_in_account(&second).await.unwrap(), None);
}

/// Whose data a request may have: an athlete only their own, a coach or clinician only a linked athlete and only
/// to read, an admin nobody's; naming someone else never widens it; a link taken back ends it; only the roles
/// allowed to invite can.
async fn an_account_reaches_only_the_data_it_is_allowed(backend: &Backend) {
    let (app, _) = app(backend.store().await);
    let pw = "a long enough password";
    let admin = app
        .create_account("admin@clinic.example", "Ada", Role::Admin, pw)
        .await
        .unwrap();
    let sam = app
        .create_account("sam@example.com", "Sam", Role::Athlete, pw)
        .await
        .unwrap();
    let kim = app
        .create_account("kim@example.com", "Kim", Role::Athlete, pw)
        .await
        .unwrap();
    let (s, k) = (sam.athlete.unwrap(), kim.athlete.unwrap());
    assert!(
        app.invite(&sam, Role::Coach).await.is_err(),
        "an athlete invites nobody"
    );
    assert!(
        app.invite(&admin, Role::Athlete).await.is_err(),
        "an admin invites staff only"
    );
    assert!(app.invite(&admin, Role::Admin).await.is_err());
    let t = app.invite(&admin, Role::Coach).await.unwrap();
    assert_eq!(
        app.open_invite(&t).await.unwrap().map(|i| i.role),
        Some(Role::Coach)
    );
    let (_, coach) = app
        .accept_invite_new(&t, "cole@clinic.example", "Cole", pw)
        .await
        .unwrap();
    assert!(
        app.accept_invite_new(&t, "eve@example.com", "Eve", pw)
            .await
            .is_err(),
        "used once"
    );
    assert!(
        app.invite(&coach, Role::Coach).await.is_err(),
        "a coach invites athletes only"
    );
    let t = app.invite(&coach, Role::Athlete).await.unwrap();
    app.accept_invite_existing(&t, &sam).await.unwrap();

    assert_eq!(app.acting(&sam, None, true).await.unwrap(), Ok(Acting::Own(s)));
    assert_eq!(
        app.acting(&sam, Some(s), false).await.unwrap(),
        Ok(Acting::Own(s))
    );
    assert_eq!(
        app.acting(&sam, Some(k), false).await.unwrap(),
        Err(Denied::NotYours)
    );
    assert_eq!(
        app.acting(&coach, Some(s), false).await.unwrap(),
        Ok(Acting::ForAthlete {
            athlete: s,
            staff: coach.id
        })
    );
    assert_eq!(
        app.acting(&coach, Some(s), true).await.unwrap(),
        Err(Denied::ReadOnly)
    );
    assert_eq!(
        app.acting(&coach, Some(k), false).await.unwrap(),
        Err(Denied::NotYours)
    );
    assert_eq!(
        app.acting(&coach, None, false).await.unwrap(),
        Err(Denied::NoAthleteChosen)
    );
    assert_eq!(
        app.acting(&admin, Some(s), false).await.unwrap(),
        Err(Denied::NotYours)
    );
    let roster = app.roster_links(&coach).await.unwrap();
    assert_eq!(roster.iter().map(|l| l.athlete).collect::<Vec<_>>(), vec![s]);
    assert!(app.roster_links(&admin).await.unwrap().is_empty());
    // Sam takes the access back: the coach reaches nothing, and the link shows as taken back.
    let link = app.access_links(s).await.unwrap()[0].id;
    assert!(
        !app.revoke_access(k, link).await.unwrap(),
        "Kim cannot take back Sam's link"
    );
    assert!(app.revoke_access(s, link).await.unwrap());
    assert_eq!(
        app.acting(&coach, Some(s), false).await.unwrap(),
        Err(Denied::NotYours)
    );
    assert!(app.access_links(s).await.unwrap()[0].revoked_at.is_some());
}

/// A setting made for an athlete is kept with who and when, undone once, and raises the athlete's revision (what is
/// derived from it changes).
async fn care_settings_are_kept_with_who_and_when_and_undone_once(backend: &Backend) {
    use backstop_app::store::CareKind;
    let store = backend.store().await;
    let coach = store
        .add_account(&new("c@example.com", Role::Coach), now())
        .await
        .unwrap();
    let sam = store
        .add_account(&new("sam@example.com", Role::Athlete), now())
        .await
        .unwrap();
    let kim = store
        .add_account(&new("kim@example.com", Role::Athlete), now())
        .await
        .unwrap();
    let (s, k) = (sam.athlete.unwrap(), kim.athlete.unwrap());
    let r0 = store.revision(s).await.unwrap();
    let a = store
        .add_directive(s, coach.id, CareKind::Ceiling, "4", now())
        .await
        .unwrap();
    let b = store
        .add_directive(
            s,
            coach.id,
            CareKind::NotPlanned,
            "back-extension",
            now() + hours(1),
        )
        .await
        .unwrap();
    assert!(
        store.revision(s).await.unwrap() > r0,
        "a setting changes what is derived"
    );
    let all = store.directives(s).await.unwrap();
    assert_eq!(
        all.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![b, a],
        "newest first"
    );
    assert_eq!(
        (all[1].kind, all[1].value.as_str(), all[1].by_name.as_str()),
        (CareKind::Ceiling, "4", "c")
    );
    assert!(store.directives(k).await.unwrap().is_empty());
    assert!(!store.undo_directive(k, a, now()).await.unwrap(), "not Kim's");
    let r1 = store.revision(s).await.unwrap();
    assert!(store.undo_directive(s, a, now() + hours(2)).await.unwrap());
    assert!(!store.undo_directive(s, a, now()).await.unwrap(), "undone once");
    assert!(store.revision(s).await.unwrap() > r1);
    let all = store.directives(s).await.unwrap();
    assert_eq!(all[1].undone_at, Some(now() + hours(2)));
    assert_eq!(all[0].undone_at, None);
}

/// A linked coach's settings reach the athlete's context (the ceiling their sets are judged against, the
/// exercises left out of the plans, the note) and the audit log; an unlinked one's are refused as if the athlete did
/// not exist; bad values are refused; the athlete's own ceiling stays theirs when they save their profile, and
/// comes back on undo. The roster puts who needs attention first and records the read.
async fn care_settings_reach_the_athlete_and_only_from_their_care_team(backend: &Backend) {
    use backstop_app::accounts::CareSetting;
    let (app, _) = app(backend.store().await);
    let pw = "a long enough password";
    let coach = app
        .create_account("cole@example.com", "Cole", Role::Coach, pw)
        .await
        .unwrap();
    let other = app
        .create_account("olga@example.com", "Olga", Role::Clinician, pw)
        .await
        .unwrap();
    let sam = app
        .create_account("sam@example.com", "Sam", Role::Athlete, pw)
        .await
        .unwrap();
    let kim = app
        .create_account("kim@example.com", "Kim", Role::Athlete, pw)
        .await
        .unwrap();
    let (s, k) = (sam.athlete.unwrap(), kim.athlete.unwrap());
    for (who, pain) in [(s, 2), (k, 1)] {
        app.init(who, crate::profile_with_pain(pain), Some(vec![]))
            .await
            .unwrap();
    }
    for a in [&sam, &kim] {
        let t = app.invite(&coach, Role::Athlete).await.unwrap();
        app.accept_invite_existing(&t, a).await.unwrap();
    }
    let own = app.context(s).await.unwrap().profile.settings.ceiling_max;
    assert!(matches!(
        app.set_care(&other, s, CareSetting::Ceiling(3)).await,
        Err(AppError::Store(StoreError::NotFound(_)))
    ));
    assert!(
        matches!(
            app.set_care(&sam, s, CareSetting::Ceiling(3)).await,
            Err(AppError::Store(StoreError::NotFound(_)))
        ),
        "an athlete does not set their own care"
    );
    for bad in [
        CareSetting::Ceiling(0),
        CareSetting::Ceiling(11),
        CareSetting::NotPlanned("no such lift".into()),
        CareSetting::Note(" ".into()),
        CareSetting::Note("x".repeat(501)),
    ] {
        assert!(
            matches!(
                app.set_care(&coach, s, bad.clone()).await,
                Err(AppError::Input(_))
            ),
            "{bad:?}"
        );
    }
    assert!(
        app.care_history(s).await.unwrap().is_empty(),
        "nothing refused was kept"
    );
    let c = app.set_care(&coach, s, CareSetting::Ceiling(3)).await.unwrap();
    app.set_care(&coach, s, CareSetting::NotPlanned("Dead Bug".into()))
        .await
        .unwrap();
    app.set_care(
        &coach,
        s,
        CareSetting::Note("Easy on the hinges this week".into()),
    )
    .await
    .unwrap();
    let ctx = app.context(s).await.unwrap();
    assert_eq!(ctx.profile.settings.ceiling_max, 3);
    assert_eq!(ctx.profile.not_planned, vec!["dead-bug".to_owned()]);
    assert_eq!(ctx.care.len(), 3);
    assert_eq!(
        app.context(k).await.unwrap().profile.settings.ceiling_max,
        own,
        "Kim's is untouched"
    );
    // Sam saves the profile from what they see: their own ceiling stays stored.
    app.init(s, ctx.profile.clone(), None).await.unwrap();
    assert_eq!(app.context(s).await.unwrap().profile.settings.ceiling_max, 3);
    assert!(
        !app.undo_care(&other, s, c).await.is_ok_and(|x| x),
        "not Olga's to undo"
    );
    assert!(app.undo_care(&coach, s, c).await.unwrap());
    assert_eq!(
        app.context(s).await.unwrap().profile.settings.ceiling_max,
        own,
        "undo brings back Sam's own"
    );
    let log = app.audit_log(s).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == AuditAction::Change && e.what.contains("pain ceiling during sets: 3/10"))
    );
    assert!(log.iter().any(|e| e.what.starts_with("undid pain ceiling")));
    // The roster: both athletes, who needs attention first, each read written to their own log. Sam rated two
    // sets above the ceiling (5 from a pain of 2 before); Kim is in a flare-up, which comes first.
    let opts = backstop_app::SessionOptions {
        at: Some("2026-11-24 18:00".into()),
        pain_before: Some(backstop_core::Pain::new(2).unwrap()),
        ..Default::default()
    };
    app.log_groups(
        s,
        &["dead-bug 2x8 p6".into(), "side-plank 1x20s p3".into()],
        &opts,
    )
    .await
    .unwrap();
    let roster = app.roster(&coach).await.unwrap();
    assert_eq!(
        roster.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        vec!["Sam", "Kim"]
    );
    assert_eq!(roster[0].ceiling_breaches, 2);
    assert!(
        roster[0]
            .attention
            .iter()
            .any(|w| w == "2 sets above the ceiling in 14 days"),
        "{:?}",
        roster[0]
    );
    assert!(roster[1].attention.is_empty(), "{:?}", roster[1]);
    app.flare(k, backstop_core::FlareMark::Start, None).await.unwrap();
    let roster = app.roster(&coach).await.unwrap();
    assert_eq!(
        roster.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        vec!["Kim", "Sam"]
    );
    assert!(
        roster[0].flare && roster[0].attention[0] == "in a flare-up",
        "{:?}",
        roster[0]
    );
    assert!(roster.iter().all(|r| r.profile));
    assert!(
        app.audit_log(k)
            .await
            .unwrap()
            .iter()
            .any(|e| e.what.starts_with("roster"))
    );
    assert!(app.roster(&other).await.unwrap().is_empty());
}

/// Undos are each person's own, used once, and only the newest are kept.
async fn undos_are_kept_per_person_and_used_once(backend: &Backend) {
    let store = backend.store().await;
    let sam = store
        .add_account(&new("sam@example.com", Role::Athlete), now())
        .await
        .unwrap();
    let kim = store
        .add_account(&new("kim@example.com", Role::Athlete), now())
        .await
        .unwrap();
    let (s, k) = (sam.athlete.unwrap(), kim.athlete.unwrap());
    let (t1, t2, t3, tk) = ("1".repeat(64), "2".repeat(64), "3".repeat(64), "4".repeat(64));
    for (i, t) in [&t1, &t2, &t3].into_iter().enumerate() {
        store
            .add_undo(s, t, 7, &format!("before {i}"), Some("after"), now(), 2)
            .await
            .unwrap();
    }
    store.add_undo(k, &tk, 9, "kim's", None, now(), 2).await.unwrap();
    assert!(
        !store.has_undo(s, &t1).await.unwrap(),
        "the oldest went when the third came"
    );
    assert!(store.has_undo(s, &t2).await.unwrap() && store.has_undo(s, &t3).await.unwrap());
    assert!(
        store.has_undo(k, &tk).await.unwrap(),
        "another person's are not pushed out"
    );
    assert!(
        !store.has_undo(k, &t3).await.unwrap() && store.take_undo(k, &t3).await.unwrap().is_none(),
        "not Kim's"
    );
    assert_eq!(
        store.take_undo(s, &t3).await.unwrap(),
        Some((7, "before 2".to_owned(), Some("after".to_owned())))
    );
    assert_eq!(store.take_undo(s, &t3).await.unwrap(), None, "used once");
    assert_eq!(
        store.take_undo(k, &tk).await.unwrap(),
        Some((9, "kim's".to_owned(), None))
    );
}

contract!(
    undos_are_kept_per_person_and_used_once,
    care_settings_are_kept_with_who_and_when_and_undone_once,
    care_settings_reach_the_athlete_and_only_from_their_care_team,
    signing_in_is_limited_per_address_and_sessions_sign_out,
    an_account_reaches_only_the_data_it_is_allowed,
    accounts_are_made_once_per_address_and_athletes_get_their_own_person,
    account_sessions_and_failed_sign_ins,
    invitations_link_athletes_to_whoever_invited_them,
    the_audit_log_keeps_each_athletes_own_entries,
);
