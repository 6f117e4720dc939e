-- One fold checkpoint per person, as on SQLite (its migration 0016, which explains it): the engine's state after the
-- sessions before `cut_ms`, discarded by the triggers below when a session, a set or a check-in before
-- `settled_from_ms` is inserted, changed or deleted.
CREATE TABLE fold_checkpoints (
    athlete_id      bigint PRIMARY KEY REFERENCES athletes(id),
    cut_ms          bigint NOT NULL,
    settled_from_ms bigint NOT NULL,
    fingerprint     text   NOT NULL,
    state           bytea  NOT NULL
);

-- Check-ins and sessions carry their own instant.
CREATE FUNCTION discard_checkpoint_by_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM fold_checkpoints WHERE athlete_id = OLD.athlete_id AND settled_from_ms > to_ms(OLD.at);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        DELETE FROM fold_checkpoints WHERE athlete_id = NEW.athlete_id AND settled_from_ms > to_ms(NEW.at);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER checkins_checkpoint AFTER INSERT OR UPDATE OR DELETE ON checkins
    FOR EACH ROW EXECUTE FUNCTION discard_checkpoint_by_at();
CREATE TRIGGER sessions_checkpoint AFTER INSERT OR UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION discard_checkpoint_by_at();

-- A set is as old as its session (a set deleted with its session: the session's trigger covers it).
CREATE FUNCTION discard_checkpoint_by_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM fold_checkpoints WHERE athlete_id = OLD.athlete_id
           AND settled_from_ms > COALESCE((SELECT to_ms(at) FROM sessions WHERE id = OLD.session_id), 0);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        DELETE FROM fold_checkpoints WHERE athlete_id = NEW.athlete_id
           AND settled_from_ms > (SELECT to_ms(at) FROM sessions WHERE id = NEW.session_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER sets_checkpoint AFTER INSERT OR UPDATE OR DELETE ON sets
    FOR EACH ROW EXECUTE FUNCTION discard_checkpoint_by_session();
