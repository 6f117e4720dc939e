-- Accounts for a clinic's server: who signs in, with which role, and which athletes a coach or clinician may
-- see. Access credentials and records of access, not facts about training. Passwords are kept only as argon2id
-- hashes, session and invitation tokens only as their SHA-256.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role = 'athlete' OR role = 'coach' OR role = 'clinician' OR role = 'admin'),
    password_phc  TEXT    NOT NULL,
    -- An athlete's own facts; no other role has any.
    athlete_id    INTEGER UNIQUE REFERENCES athletes(id),
    created_at_ms INTEGER NOT NULL,
    CHECK ((role = 'athlete') = (athlete_id IS NOT NULL))
);

-- Signed-in accounts (browser cookies and API bearer tokens).
CREATE TABLE account_sessions (
    id            INTEGER PRIMARY KEY,
    token_sha256  TEXT    NOT NULL UNIQUE,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER
);
CREATE INDEX account_sessions_account ON account_sessions (account_id);

-- Failed sign-ins, which the rate limit counts per address (kept in the database, so every server of a clinic
-- counts the same ones).
CREATE TABLE login_failures (
    id    INTEGER PRIMARY KEY,
    email TEXT    NOT NULL,
    at_ms INTEGER NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at_ms);

CREATE TABLE invites (
    id             INTEGER PRIMARY KEY,
    token_sha256   TEXT    NOT NULL UNIQUE,
    role           TEXT    NOT NULL CHECK (role = 'athlete' OR role = 'coach' OR role = 'clinician'),
    invited_by     INTEGER NOT NULL REFERENCES accounts(id),
    created_at_ms  INTEGER NOT NULL,
    expires_at_ms  INTEGER NOT NULL,
    accepted_at_ms INTEGER,
    accepted_by    INTEGER REFERENCES accounts(id)
);

-- A coach or clinician an athlete let in; the athlete can take it back (revoked_at_ms).
CREATE TABLE care_links (
    id            INTEGER PRIMARY KEY,
    staff_id      INTEGER NOT NULL REFERENCES accounts(id),
    athlete_id    INTEGER NOT NULL REFERENCES athletes(id),
    created_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER
);
CREATE INDEX care_links_staff ON care_links (staff_id);
CREATE INDEX care_links_athlete ON care_links (athlete_id);

-- Every read of an athlete's data by someone else, and every change made for them.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    actor_id   INTEGER NOT NULL REFERENCES accounts(id),
    at_ms      INTEGER NOT NULL,
    action     TEXT    NOT NULL CHECK (action = 'read' OR action = 'change'),
    what       TEXT    NOT NULL
);
CREATE INDEX audit_log_athlete ON audit_log (athlete_id, at_ms);
