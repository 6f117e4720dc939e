-- No query reads sets by person and exercise: every read and delete finds a session's sets through the
-- (session_id, position) key, and no person is ever deleted (which would look for their sets). The index only cost
-- every set written.
DROP INDEX sets_athlete_exercise;
