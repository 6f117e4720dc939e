-- One fold checkpoint per person (docs/decisions/0004-fold-checkpoints.md): the engine's state after the sessions
-- before `cut_ms`, in postcard's binary form, under the fingerprint of the profile, settings, catalog and engine
-- code it was made with. It holds while no fact before `settled_from_ms` changes, so the triggers below discard it
-- when a session, a set or a check-in before that instant is inserted, changed or deleted (a back-dated entry, an
-- import, a correction). A derived value, not a fact: losing it costs one full fold.
CREATE TABLE fold_checkpoints (
    athlete_id      INTEGER PRIMARY KEY REFERENCES athletes(id),
    cut_ms          INTEGER NOT NULL,
    settled_from_ms INTEGER NOT NULL,
    fingerprint     TEXT    NOT NULL,
    state           BLOB    NOT NULL
);

CREATE TRIGGER checkins_insert_checkpoint AFTER INSERT ON checkins
BEGIN DELETE FROM fold_checkpoints WHERE athlete_id = NEW.athlete_id AND settled_from_ms > NEW.at_ms; END;
CREATE TRIGGER checkins_update_checkpoint AFTER UPDATE ON checkins
BEGIN DELETE FROM fold_checkpoints WHERE athlete_id IN (OLD.athlete_id, NEW.athlete_id)
      AND settled_from_ms > MIN(OLD.at_ms, NEW.at_ms); END;
CREATE TRIGGER checkins_delete_checkpoint AFTER DELETE ON checkins
BEGIN DELETE FROM fold_checkpoints WHERE athlete_id = OLD.athlete_id AND settled_from_ms > OLD.at_ms; END;

CREATE TRIGGER sessions_insert_checkpoint AFTER INSERT ON sessions
BEGIN DELETE FROM fold_checkpoints WHERE athlete_id = NEW.athlete_id AND settled_from_ms > NEW.at_ms; END;
CREATE TRIGGER sessions_update_checkpoint AFTER UPDATE ON sessions
BEGIN DELETE FROM fold_checkpoints WHERE athlete_id IN (OLD.athlete_id, NEW.athlete_id)
      AND settled_from_ms > MIN(OLD.at_ms, NEW.at_ms); END;
CREATE TRIGGER sessions_delete_checkpoint AFTER DELETE ON sessions
BEGIN DELETE FROM fold_checkpoints WHERE athlete_id = OLD.athlete_id AND settled_from_ms > OLD.at_ms; END;

-- A set is as old as its session. (A set deleted with its session: the session's trigger has already run.)
CREATE TRIGGER sets_insert_checkpoint AFTER INSERT ON sets
BEGIN DELETE FROM fold_checkpoints WHERE athlete_id = NEW.athlete_id
      AND settled_from_ms > (SELECT at_ms FROM sessions WHERE id = NEW.session_id); END;
CREATE TRIGGER sets_update_checkpoint AFTER UPDATE ON sets
BEGIN DELETE FROM fold_checkpoints WHERE athlete_id IN (OLD.athlete_id, NEW.athlete_id)
      AND settled_from_ms > (SELECT MIN(at_ms) FROM sessions WHERE id IN (OLD.session_id, NEW.session_id)); END;
CREATE TRIGGER sets_delete_checkpoint AFTER DELETE ON sets
BEGIN DELETE FROM fold_checkpoints WHERE athlete_id = OLD.athlete_id
      AND settled_from_ms > COALESCE((SELECT at_ms FROM sessions WHERE id = OLD.session_id), 0); END;
