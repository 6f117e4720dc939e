-- The web app's undo of a correction or deletion: the session before the change and as the change left it (NULL
-- when it deleted the session), in the export's session format, under the SHA-256 of a random token. Kept in the
-- database rather than in a server's memory, so that any server of a clinic can undo what another did, and a
-- restart forgets nothing. Not a fact about training: nothing derived reads it. The newest 50 per person are kept.
CREATE TABLE undo_entries (
    id            INTEGER PRIMARY KEY,
    token_sha256  TEXT    NOT NULL UNIQUE,
    athlete_id    INTEGER NOT NULL REFERENCES athletes(id),
    session_id    INTEGER NOT NULL,
    before        TEXT    NOT NULL,
    after         TEXT,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX undo_entries_athlete ON undo_entries (athlete_id, id);
