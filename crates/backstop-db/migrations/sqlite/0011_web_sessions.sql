-- Signed-in browsers (the login cookie carries a random token): the SHA-256 of each token, never the token; the
-- SHA-256 of the server key it was granted under, so that a new key signs every browser out; when it was made,
-- when it lapses and when it was signed out. An access credential, not a fact about training.
CREATE TABLE web_sessions (
    id            INTEGER PRIMARY KEY,
    token_sha256  TEXT    NOT NULL UNIQUE,
    key_sha256    TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER
);
