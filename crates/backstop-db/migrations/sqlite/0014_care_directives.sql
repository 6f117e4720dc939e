-- What a coach or clinician set for an athlete: a pain ceiling, an exercise not to plan, a note the athlete reads.
-- Facts with who and when; undoing one keeps it, with when it was undone. A change raises the athlete's revision
-- (the ceiling and the exercises not planned change what is derived).
CREATE TABLE care_directives (
    id            INTEGER PRIMARY KEY,
    athlete_id    INTEGER NOT NULL REFERENCES athletes(id),
    by_account    INTEGER NOT NULL REFERENCES accounts(id),
    at_ms         INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind = 'ceiling' OR kind = 'not-planned' OR kind = 'note'),
    value         TEXT    NOT NULL,
    undone_at_ms  INTEGER
);
CREATE INDEX care_directives_athlete ON care_directives (athlete_id, at_ms);

CREATE TRIGGER care_directives_insert_revision AFTER INSERT ON care_directives
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER care_directives_update_revision AFTER UPDATE ON care_directives
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
