-- Calendar feed links (a calendar app fetches /calendar.ics?token=…): the SHA-256 of each token, never the token,
-- and when it was made and turned off. Not a fact about training: an access credential the person can revoke.
CREATE TABLE calendar_feeds (
    id            INTEGER PRIMARY KEY,
    athlete_id    INTEGER NOT NULL REFERENCES athletes(id),
    token_sha256  TEXT    NOT NULL UNIQUE,
    created_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER
);
CREATE INDEX calendar_feeds_athlete ON calendar_feeds (athlete_id);
