//! Accounts for a clinic's server: passwords (argon2id), sign-in with a rate limit, sessions as random tokens kept
//! only as their hashes, invitations, the links between athletes and the coaches and clinicians they let in, the
//! audit log, and the one decision every request goes through: whose data may this account read or change.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use super::*;
use crate::store::{
    Account, AccountId, AuditAction, AuditEntry, CareDirective, CareKind, CareLink, Invite, NewAccount,
    Redeemer, Role,
};

/// How long a signed-in account stays signed in without signing in again.
pub const ACCOUNT_SESSION_DAYS: i64 = 14;

/// Failed sign-ins for one address within `LOGIN_WINDOW_MINUTES` after which it is refused until the window
/// passes, whatever the password (OWASP's authentication guidance: throttle per account, not only per client, so
/// that guessing from many addresses does not get round it).
pub const LOGIN_MAX_FAILURES: usize = 5;

/// The window the failed sign-ins are counted in.
pub const LOGIN_WINDOW_MINUTES: i64 = 15;

/// How long an invitation link stays open.
pub const INVITE_DAYS: i64 = 7;

/// The shortest password accepted (NIST SP 800-63B asks for at least 8; a clinic's accounts guard health data).
pub const PASSWORD_MIN_CHARS: usize = 10;

/// The longest password accepted (hashing a huge one would be a way to tie the server up).
pub const PASSWORD_MAX_CHARS: usize = 256;

/// How many audit entries an athlete's page shows.
pub const AUDIT_SHOWN: usize = 200;

/// The longest note a coach or clinician leaves an athlete.
pub const NOTE_MAX_CHARS: usize = 500;

/// A setting a coach or clinician makes for an athlete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CareSetting {
    /// The pain ceiling during sets (PM-2's `ceiling_max`), 1–10.
    Ceiling(u8),
    /// An exercise the planner leaves out, by id or name.
    NotPlanned(String),
    /// A note the athlete reads on their status.
    Note(String),
}

/// The settings in force among all those made (newest first, as the store gives them): the newest ceiling and the
/// newest note not undone, and every exercise left out and not undone (once each).
pub fn in_force(all: &[CareDirective]) -> Vec<CareDirective> {
    let mut out: Vec<CareDirective> = Vec::new();
    for d in all.iter().filter(|d| d.undone_at.is_none()) {
        let seen = out
            .iter()
            .any(|o| o.kind == d.kind && (d.kind != CareKind::NotPlanned || o.value == d.value));
        if !seen {
            out.push(d.clone());
        }
    }
    out
}

/// Puts the settings in force into the profile the engine and the planner read: the ceiling replaces the
/// person's own `ceiling_max` (it is the clinician's call, up or down), the exercises left out are never planned.
pub fn apply_care(profile: &mut Profile, care: &[CareDirective]) {
    for d in care {
        match d.kind {
            CareKind::Ceiling => {
                if let Ok(c) = d.value.parse::<u8>()
                    && (1..=10).contains(&c)
                {
                    profile.settings.ceiling_max = c;
                }
            }
            CareKind::NotPlanned => {
                if !profile.not_planned.contains(&d.value) {
                    profile.not_planned.push(d.value.clone());
                }
            }
            CareKind::Note => {}
        }
    }
}

/// A setting in words, for the audit log and the pages: an exercise by its name in `catalog` (its id when the
/// catalog does not have it).
pub fn care_in_words(kind: CareKind, value: &str, catalog: &Catalog) -> String {
    match kind {
        CareKind::Ceiling => format!("pain ceiling during sets: {value}/10"),
        CareKind::NotPlanned => format!(
            "not to be planned: {}",
            catalog.get(value).map_or(value, |e| e.name.as_str())
        ),
        CareKind::Note => format!("note: {value}"),
    }
}

/// What a sign-in came to.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the new session's token (for a cookie or a bearer header) and the account.
    Granted {
        /// The session token; only its hash is stored.
        token: String,
        /// Who signed in.
        account: Account,
    },
    /// Wrong address or password (which of the two is not said).
    Refused,
    /// Too many failures for this address lately: refused without looking at the password.
    Limited {
        /// Minutes until the address may try again.
        retry_after_minutes: i64,
    },
}

/// Whose data a request is for, once the account has been allowed to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acting {
    /// The athlete's own data.
    Own(AthleteId),
    /// A coach or clinician reading the data of an athlete linked to them.
    ForAthlete {
        /// The athlete.
        athlete: AthleteId,
        /// The coach or clinician.
        staff: AccountId,
    },
}

impl Acting {
    /// Whose data it is.
    pub fn athlete(self) -> AthleteId {
        match self {
            Acting::Own(a) | Acting::ForAthlete { athlete: a, .. } => a,
        }
    }
}

/// Why an account may not have the data it asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// A coach or clinician has not chosen an athlete yet.
    NoAthleteChosen,
    /// Not this account's data, and no link gives it (or the role has no athlete data at all).
    NotYours,
    /// Coaches and clinicians read an athlete's training; they do not log or edit it.
    ReadOnly,
}

/// An address as accounts keep it: trimmed and lower-cased; refused when it cannot be one.
pub fn normalize_email(email: &str) -> Result<String, AppError> {
    let e = email.trim().to_lowercase();
    let ok = e.len() <= 254
        && !e.chars().any(char::is_whitespace)
        && e.split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty() && !domain.contains('@'));
    if ok {
        Ok(e)
    } else {
        Err(input(format!("`{}` is not an email address", email.trim())))
    }
}

/// The password's argon2id hash (PHC string, OWASP's recommended parameters, a fresh random salt).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(input(format!(
            "a password needs at least {PASSWORD_MIN_CHARS} characters"
        )));
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(input(format!(
            "a password may have at most {PASSWORD_MAX_CHARS} characters"
        )));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| AppError::Store(StoreError::Backend(format!("no randomness: {e}"))))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| input(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Store(StoreError::Backend(format!("cannot hash the password: {e}"))))
}

/// Whether a password matches a stored hash (a damaged hash matches nothing).
fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a random password nobody knows, verified against when the address has no account, so that a
/// sign-in takes as long whether the address exists or not (the time would otherwise tell which addresses have
/// accounts). Made once per process.
fn no_account_phc() -> &'static str {
    static PHC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PHC.get_or_init(|| {
        let secret = new_token().unwrap_or_else(|_| "x".repeat(64));
        hash_password(&secret).unwrap_or_default()
    })
}

fn check_name(name: &str) -> Result<String, AppError> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 100 || n.chars().any(char::is_control) {
        return Err(input("a name needs 1 to 100 characters, without line breaks"));
    }
    Ok(n.to_owned())
}

impl App {
    /// Makes an account (the first admin, from the command line; or an athlete of a one-person server). The
    /// address is normalized and the password hashed here.
    pub async fn create_account(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password: &str,
    ) -> Result<Account, AppError> {
        let new = NewAccount {
            email: normalize_email(email)?,
            name: check_name(name)?,
            role,
            password_phc: hash_password(password)?,
        };
        Ok(self.store.add_account(&new, self.now()).await?)
    }

    /// Signs in with an address and a password. Every failure is counted against the address; after
    /// `LOGIN_MAX_FAILURES` within `LOGIN_WINDOW_MINUTES` the address is refused until the window has passed.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<SignIn, AppError> {
        let Ok(email) = normalize_email(email) else {
            return Ok(SignIn::Refused);
        };
        let now = self.now();
        let window = jiff::SignedDuration::from_mins(LOGIN_WINDOW_MINUTES);
        if self.store.login_failures(&email, now - window).await? >= LOGIN_MAX_FAILURES {
            return Ok(SignIn::Limited {
                retry_after_minutes: LOGIN_WINDOW_MINUTES,
            });
        }
        let account = self.store.account_by_email(&email).await?;
        let phc: &str = match &account {
            Some(a) => &a.password_phc,
            None => no_account_phc(),
        };
        let matches = password.chars().count() <= PASSWORD_MAX_CHARS && password_matches(password, phc);
        match account {
            Some(account) if matches => {
                let token = self.open_account_session(account.id).await?;
                Ok(SignIn::Granted { token, account })
            }
            _ => {
                self.store.add_login_failure(&email, now).await?;
                Ok(SignIn::Refused)
            }
        }
    }

    async fn open_account_session(&self, account: AccountId) -> Result<String, AppError> {
        let token = new_token()?;
        let now = self.now();
        let expires = now
            .checked_add(jiff::SignedDuration::from_hours(24 * ACCOUNT_SESSION_DAYS))
            .map_err(input)?;
        self.store
            .add_account_session(&sha256_hex(&token), account, now, expires)
            .await?;
        Ok(token)
    }

    /// The account a session token signs in, if it is signed in (made, not signed out, not lapsed).
    pub async fn signed_in_account(&self, token: &str) -> Result<Option<Account>, AppError> {
        let Some(hash) = token_hash(token) else {
            return Ok(None);
        };
        let Some(id) = self.store.account_session(&hash, self.now()).await? else {
            return Ok(None);
        };
        Ok(self.store.account(id).await?)
    }

    /// Signs one session out; whether it was signed in.
    pub async fn sign_out(&self, token: &str) -> Result<bool, AppError> {
        let Some(hash) = token_hash(token) else {
            return Ok(false);
        };
        Ok(self.store.revoke_account_session(&hash, self.now()).await?)
    }

    /// Signs every session of an account out; how many were signed in.
    pub async fn sign_out_everywhere(&self, account: AccountId) -> Result<usize, AppError> {
        Ok(self.store.revoke_account_sessions(account, self.now()).await?)
    }

    /// Makes an invitation link's token for the role: an admin invites coaches and clinicians, a coach or
    /// clinician invites athletes (who are linked to them when they accept). Nobody else invites anyone.
    pub async fn invite(&self, by: &Account, role: Role) -> Result<String, AppError> {
        let allowed = match by.role {
            Role::Admin => matches!(role, Role::Coach | Role::Clinician),
            Role::Coach | Role::Clinician => role == Role::Athlete,
            Role::Athlete => false,
        };
        if !allowed {
            return Err(input(format!(
                "a{} {} cannot invite a{} {}",
                if by.role == Role::Admin || by.role == Role::Athlete {
                    "n"
                } else {
                    ""
                },
                by.role.as_str(),
                if role == Role::Admin || role == Role::Athlete {
                    "n"
                } else {
                    ""
                },
                role.as_str()
            )));
        }
        let token = new_token()?;
        let now = self.now();
        let expires = now
            .checked_add(jiff::SignedDuration::from_hours(24 * INVITE_DAYS))
            .map_err(input)?;
        self.store
            .add_invite(&sha256_hex(&token), role, by.id, now, expires)
            .await?;
        Ok(token)
    }

    /// An invitation still open, by its token.
    pub async fn open_invite(&self, token: &str) -> Result<Option<Invite>, AppError> {
        let Some(hash) = token_hash(token) else {
            return Ok(None);
        };
        Ok(self.store.invite(&hash, self.now()).await?)
    }

    /// Accepts an invitation with a new account of the invitation's role, and signs it in: returns the new
    /// session's token and the account.
    pub async fn accept_invite_new(
        &self,
        token: &str,
        email: &str,
        name: &str,
        password: &str,
    ) -> Result<(String, Account), AppError> {
        let hash = token_hash(token).ok_or(StoreError::NotFound("invitation"))?;
        let invite = self
            .store
            .invite(&hash, self.now())
            .await?
            .ok_or(StoreError::NotFound("invitation"))?;
        let new = NewAccount {
            email: normalize_email(email)?,
            name: check_name(name)?,
            role: invite.role,
            password_phc: hash_password(password)?,
        };
        let account = self
            .store
            .redeem_invite(&hash, &Redeemer::New(new), self.now())
            .await?;
        let session = self.open_account_session(account.id).await?;
        Ok((session, account))
    }

    /// An athlete who has an account accepts a coach's or clinician's invitation: they are linked.
    pub async fn accept_invite_existing(&self, token: &str, athlete: &Account) -> Result<(), AppError> {
        let hash = token_hash(token).ok_or(StoreError::NotFound("invitation"))?;
        self.store
            .redeem_invite(&hash, &Redeemer::Existing(athlete.id), self.now())
            .await?;
        Ok(())
    }

    /// The athletes linked to a coach or clinician, by name.
    pub async fn roster_links(&self, staff: &Account) -> Result<Vec<CareLink>, AppError> {
        if !staff.role.is_staff() {
            return Ok(Vec::new());
        }
        Ok(self.store.links_of_staff(staff.id).await?)
    }

    /// Who an athlete has let in, in force or taken back, newest first.
    pub async fn access_links(&self, athlete: AthleteId) -> Result<Vec<CareLink>, AppError> {
        Ok(self.store.links_of_athlete(athlete).await?)
    }

    /// The athlete takes a coach's or clinician's access back; whether it was in force.
    pub async fn revoke_access(&self, athlete: AthleteId, link: i64) -> Result<bool, AppError> {
        Ok(self.store.revoke_link(athlete, link, self.now()).await?)
    }

    /// The one decision behind every request for an athlete's data: an athlete has their own (and asking for
    /// anyone else's is refused), a coach or clinician has the athlete they chose when that athlete's link is in
    /// force, and only to read; an admin has none. `choice` is whatever the request names (a cookie, a header):
    /// it can only narrow what the account may see, never widen it.
    pub async fn acting(
        &self,
        account: &Account,
        choice: Option<AthleteId>,
        writes: bool,
    ) -> Result<Result<Acting, Denied>, AppError> {
        match (account.role, account.athlete) {
            (Role::Athlete, Some(own)) => Ok(match choice {
                Some(c) if c != own => Err(Denied::NotYours),
                _ => Ok(Acting::Own(own)),
            }),
            (Role::Coach | Role::Clinician, _) => {
                let Some(athlete) = choice else {
                    return Ok(Err(Denied::NoAthleteChosen));
                };
                if !self.store.linked(account.id, athlete).await? {
                    return Ok(Err(Denied::NotYours));
                }
                if writes {
                    return Ok(Err(Denied::ReadOnly));
                }
                Ok(Ok(Acting::ForAthlete {
                    athlete,
                    staff: account.id,
                }))
            }
            _ => Ok(Err(Denied::NotYours)),
        }
    }

    /// The athlete when this coach or clinician may act for them now; otherwise `NotFound`, as for an athlete
    /// that does not exist (nothing tells an unlinked account whether the id is anyone's).
    async fn linked_athlete(&self, staff: &Account, athlete: AthleteId) -> Result<AccountId, AppError> {
        match self.acting(staff, Some(athlete), false).await? {
            Ok(Acting::ForAthlete { staff, .. }) => Ok(staff),
            _ => Err(StoreError::NotFound("athlete").into()),
        }
    }

    /// A coach or clinician linked to the athlete sets something for them: a fact with who and when, written to
    /// the athlete's audit log. A ceiling is 1–10; an exercise must be in the athlete's catalog; a note has 1 to
    /// `NOTE_MAX_CHARS` characters.
    pub async fn set_care(
        &self,
        staff: &Account,
        athlete: AthleteId,
        setting: CareSetting,
    ) -> Result<i64, AppError> {
        let by = self.linked_athlete(staff, athlete).await?;
        let catalog = self.catalog(athlete).await?;
        let (kind, value) = match setting {
            CareSetting::Ceiling(c) if (1..=10).contains(&c) => (CareKind::Ceiling, c.to_string()),
            CareSetting::Ceiling(c) => return Err(input(format!("a pain ceiling is 1 to 10, not {c}"))),
            CareSetting::NotPlanned(name) => {
                let e = catalog.resolve(name.trim()).map_err(|e| input(e.to_string()))?;
                (CareKind::NotPlanned, e.id.clone())
            }
            CareSetting::Note(n) => {
                let n = n.trim();
                if n.is_empty() || n.chars().count() > NOTE_MAX_CHARS {
                    return Err(input(format!("a note has 1 to {NOTE_MAX_CHARS} characters")));
                }
                (CareKind::Note, n.to_owned())
            }
        };
        let id = self
            .store
            .add_directive(athlete, by, kind, &value, self.now())
            .await?;
        let words = care_in_words(kind, &value, &catalog);
        self.audit(athlete, by, AuditAction::Change, &format!("set {words}"))
            .await?;
        Ok(id)
    }

    /// A coach or clinician linked to the athlete undoes one of the athlete's settings (anyone's: the care team
    /// shares them); whether it was in force. Written to the audit log.
    pub async fn undo_care(&self, staff: &Account, athlete: AthleteId, id: i64) -> Result<bool, AppError> {
        let by = self.linked_athlete(staff, athlete).await?;
        let all = self.store.directives(athlete).await?;
        let Some(d) = all.iter().find(|d| d.id == id) else {
            return Err(StoreError::NotFound("setting").into());
        };
        let undone = self.store.undo_directive(athlete, id, self.now()).await?;
        if undone {
            let words = care_in_words(d.kind, &d.value, &*self.catalog(athlete).await?);
            self.audit(athlete, by, AuditAction::Change, &format!("undid {words}"))
                .await?;
        }
        Ok(undone)
    }

    /// A coach's or clinician's athletes with what needs attention, most urgent first (then by name). Each
    /// athlete's data read for it is written to their audit log.
    pub async fn roster(&self, staff: &Account) -> Result<Vec<crate::view::RosterEntryView>, AppError> {
        use crate::view::RosterEntryView;
        let links = self.roster_links(staff).await?;
        // Each athlete is assessed on its own (a cold roster assesses every history once), a few at a time: the
        // work is the engine's, so as many as there are cores.
        let width = std::thread::available_parallelism().map_or(2, |n| n.get()).max(2);
        let mut pending = links.into_iter();
        let mut running = tokio::task::JoinSet::new();
        let mut out = Vec::new();
        loop {
            while running.len() < width
                && let Some(l) = pending.next()
            {
                let app = self.clone();
                running.spawn(async move {
                    Ok::<_, AppError>(match app.context(l.athlete).await {
                        Ok(ctx) => {
                            let c = app.assess_cached(&ctx, l.athlete).await?;
                            RosterEntryView::new(
                                l.athlete.0,
                                l.athlete_name,
                                LocalTime::new(l.created_at, &ctx.tz),
                                &c.assessment,
                                &c.sessions,
                            )
                        }
                        Err(AppError::NoProfile) => RosterEntryView::without_profile(
                            l.athlete.0,
                            l.athlete_name,
                            LocalTime::new(l.created_at, &TimeZone::UTC),
                        ),
                        Err(e) => return Err(e),
                    })
                });
            }
            let Some(done) = running.join_next().await else {
                break;
            };
            out.push(done.map_err(|e| AppError::Store(StoreError::Backend(e.to_string())))??);
        }
        // One audit entry per athlete read, written together.
        let read: Vec<AthleteId> = out.iter().map(|e| AthleteId(e.athlete)).collect();
        self.store
            .add_audit(
                &read,
                staff.id,
                AuditAction::Read,
                "roster (flags, flares, ceiling breaches, check-ins, morning pain, suspects)",
                self.now(),
            )
            .await?;
        out.sort_by(|a, b| b.urgency.cmp(&a.urgency).then_with(|| a.name.cmp(&b.name)));
        Ok(out)
    }

    /// Every setting made for an athlete, undone ones included, newest first.
    pub async fn care_history(&self, athlete: AthleteId) -> Result<Vec<CareDirective>, AppError> {
        Ok(self.store.directives(athlete).await?)
    }

    /// Records that someone else read or changed an athlete's data.
    pub async fn audit(
        &self,
        athlete: AthleteId,
        actor: AccountId,
        action: AuditAction,
        what: &str,
    ) -> Result<(), AppError> {
        Ok(self
            .store
            .add_audit(&[athlete], actor, action, what, self.now())
            .await?)
    }

    /// An athlete's audit log, newest first (the last `AUDIT_SHOWN` entries).
    pub async fn audit_log(&self, athlete: AthleteId) -> Result<Vec<AuditEntry>, AppError> {
        Ok(self.store.audit_log(athlete, AUDIT_SHOWN).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_kept_lower_cased_and_impossible_ones_refused() {
        assert_eq!(
            normalize_email("  Sam@Example.COM ").unwrap_or_default(),
            "sam@example.com"
        );
        for bad in [
            "",
            "sam",
            "@example.com",
            "sam@",
            "s am@example.com",
            "a@b@c",
            &format!("{}@x.y", "a".repeat(260)),
        ] {
            assert!(normalize_email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_hash_with_argon2id_and_a_fresh_salt() {
        let a = hash_password("correct horse battery").unwrap_or_default();
        let b = hash_password("correct horse battery").unwrap_or_default();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(password_matches("correct horse battery", &a));
        assert!(!password_matches("correct horse batterY", &a));
        assert!(!password_matches("correct horse battery", "not a hash"));
        assert!(hash_password("short").is_err());
        assert!(hash_password(&"x".repeat(PASSWORD_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn the_stand_in_hash_is_a_real_one_that_no_password_matches() {
        assert!(no_account_phc().starts_with("$argon2id$"));
        assert!(!password_matches("", no_account_phc()));
        assert!(!password_matches("password12", no_account_phc()));
    }
}
