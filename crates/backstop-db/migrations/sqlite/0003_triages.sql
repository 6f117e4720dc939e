-- Answers to the soreness-or-pain triage (C10), as JSON in the format of backstop_core::triage::TriageAnswers.
-- The classification is not stored: the core derives it from the answers.
CREATE TABLE triages (
    id         INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    at_ms      INTEGER NOT NULL,
    answers    TEXT    NOT NULL
);
CREATE INDEX triages_athlete ON triages (athlete_id, at_ms);
