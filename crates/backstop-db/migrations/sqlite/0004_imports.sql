-- Imported histories: where a session came from (so re-importing adds nothing twice), its notes, and the kind
-- of each set as the other app recorded it.
ALTER TABLE sessions ADD COLUMN notes TEXT;
ALTER TABLE sessions ADD COLUMN source TEXT;
CREATE UNIQUE INDEX sessions_source ON sessions (athlete_id, source) WHERE source IS NOT NULL;
ALTER TABLE sets ADD COLUMN kind TEXT NOT NULL DEFAULT 'normal' CHECK (kind IN ('normal', 'warmup', 'drop', 'failure'));
