-- Per-person revision numbers that changes to that person's facts raise, so a server can keep what it derived
-- and know, with one indexed read, when it is stale (another process, such as the CLI, may have written to the
-- same file). `revision` moves with every change; `history_revision` with every change except a set appended to
-- the person's newest session (the session in progress), so the plan that session started from can be kept
-- while its sets come in. Inserts of sessions and sets are left to the writer, once per transaction: an imported
-- history inserts them by the thousand, and a trigger per row cost a quarter of an import's time.
ALTER TABLE athletes ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE athletes ADD COLUMN history_revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER profile_versions_insert_revision AFTER INSERT ON profile_versions
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER profile_versions_update_revision AFTER UPDATE ON profile_versions
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER profile_versions_delete_revision AFTER DELETE ON profile_versions
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = OLD.athlete_id; END;
CREATE TRIGGER screenings_insert_revision AFTER INSERT ON screenings
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER screenings_update_revision AFTER UPDATE ON screenings
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER screenings_delete_revision AFTER DELETE ON screenings
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = OLD.athlete_id; END;
CREATE TRIGGER custom_exercises_insert_revision AFTER INSERT ON custom_exercises
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER custom_exercises_update_revision AFTER UPDATE ON custom_exercises
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER custom_exercises_delete_revision AFTER DELETE ON custom_exercises
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = OLD.athlete_id; END;
CREATE TRIGGER sessions_update_revision AFTER UPDATE ON sessions
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER sessions_delete_revision AFTER DELETE ON sessions
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = OLD.athlete_id; END;
CREATE TRIGGER checkins_insert_revision AFTER INSERT ON checkins
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER checkins_update_revision AFTER UPDATE ON checkins
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER checkins_delete_revision AFTER DELETE ON checkins
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = OLD.athlete_id; END;
CREATE TRIGGER flare_events_insert_revision AFTER INSERT ON flare_events
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER flare_events_update_revision AFTER UPDATE ON flare_events
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER flare_events_delete_revision AFTER DELETE ON flare_events
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = OLD.athlete_id; END;
CREATE TRIGGER clearances_insert_revision AFTER INSERT ON clearances
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER clearances_update_revision AFTER UPDATE ON clearances
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER clearances_delete_revision AFTER DELETE ON clearances
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = OLD.athlete_id; END;
CREATE TRIGGER triages_insert_revision AFTER INSERT ON triages
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER triages_update_revision AFTER UPDATE ON triages
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER triages_delete_revision AFTER DELETE ON triages
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = OLD.athlete_id; END;
CREATE TRIGGER sets_update_revision AFTER UPDATE ON sets
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = NEW.athlete_id; END;
CREATE TRIGGER sets_delete_revision AFTER DELETE ON sets
BEGIN UPDATE athletes SET revision = revision + 1, history_revision = history_revision + 1 WHERE id = OLD.athlete_id; END;
