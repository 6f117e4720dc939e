-- backstop's facts. One logical schema for every backend (see docs/decisions/0001-storage.md):
-- integer ids, instants as integer milliseconds since the Unix epoch (UTC), enums as TEXT with CHECK,
-- lists as JSON text, no database clocks. Every row that belongs to a person carries athlete_id.

CREATE TABLE athletes (
    id            INTEGER PRIMARY KEY,
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE profile_versions (
    id             INTEGER PRIMARY KEY,
    athlete_id     INTEGER NOT NULL REFERENCES athletes(id),
    recorded_at_ms INTEGER NOT NULL,
    units          TEXT    NOT NULL CHECK (units IN ('kg', 'lb')),
    time_zone      TEXT    NOT NULL,
    equipment      TEXT    NOT NULL,  -- JSON array of equipment names
    days           TEXT    NOT NULL,  -- JSON array of mon..sun
    minutes        INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 600),
    baseline_pain  INTEGER NOT NULL CHECK (baseline_pain BETWEEN 0 AND 10),
    aggravators    TEXT    NOT NULL,  -- JSON array of aggravator names
    training_years INTEGER CHECK (training_years BETWEEN 0 AND 80)
);
CREATE INDEX profile_versions_athlete ON profile_versions (athlete_id, recorded_at_ms);

CREATE TABLE screenings (
    id         INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    at_ms      INTEGER NOT NULL,
    context    TEXT    NOT NULL CHECK (context IN ('onboarding', 'flare', 'leg-symptoms', 'triage', 'recheck')),
    flags      TEXT    NOT NULL   -- JSON array of red-flag names answered yes; [] means none
);
CREATE INDEX screenings_athlete ON screenings (athlete_id, at_ms);

CREATE TABLE custom_exercises (
    id             INTEGER PRIMARY KEY,
    athlete_id     INTEGER NOT NULL REFERENCES athletes(id),
    exercise_id    TEXT    NOT NULL,
    recorded_at_ms INTEGER NOT NULL,
    definition     TEXT    NOT NULL,  -- the exercise as JSON, in the catalog's format
    UNIQUE (athlete_id, exercise_id)
);

CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY,
    athlete_id     INTEGER NOT NULL REFERENCES athletes(id),
    at_ms          INTEGER NOT NULL,
    recorded_at_ms INTEGER NOT NULL,
    pain_before    INTEGER CHECK (pain_before BETWEEN 0 AND 10),
    minutes        INTEGER CHECK (minutes BETWEEN 1 AND 600),
    session_rpe_x2 INTEGER CHECK (session_rpe_x2 BETWEEN 2 AND 20)
);
CREATE INDEX sessions_athlete ON sessions (athlete_id, at_ms);

CREATE TABLE sets (
    id             INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    athlete_id     INTEGER NOT NULL REFERENCES athletes(id),
    position       INTEGER NOT NULL,
    exercise_id    TEXT    NOT NULL,
    reps           INTEGER CHECK (reps BETWEEN 1 AND 100),
    seconds        INTEGER CHECK (seconds BETWEEN 1 AND 14400),
    metres         INTEGER CHECK (metres BETWEEN 1 AND 50000),
    load_g         INTEGER CHECK (load_g BETWEEN 0 AND 1000000),
    rpe_x2         INTEGER CHECK (rpe_x2 BETWEEN 2 AND 20),
    pain           INTEGER CHECK (pain BETWEEN 0 AND 10),
    felt           TEXT    NOT NULL CHECK (felt IN ('target', 'back', 'leg')),
    form_breakdown INTEGER NOT NULL CHECK (form_breakdown IN (0, 1)),
    CHECK ((reps IS NOT NULL) + (seconds IS NOT NULL) + (metres IS NOT NULL) = 1),
    UNIQUE (session_id, position)
);
CREATE INDEX sets_athlete_exercise ON sets (athlete_id, exercise_id);

CREATE TABLE checkins (
    id              INTEGER PRIMARY KEY,
    athlete_id      INTEGER NOT NULL REFERENCES athletes(id),
    at_ms           INTEGER NOT NULL,
    recorded_at_ms  INTEGER NOT NULL,
    pain            INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
    stiffness       INTEGER CHECK (stiffness BETWEEN 0 AND 10),
    muscle_soreness INTEGER NOT NULL CHECK (muscle_soreness IN (0, 1)),
    leg_pain        INTEGER NOT NULL CHECK (leg_pain IN (0, 1)),
    numbness        INTEGER NOT NULL CHECK (numbness IN (0, 1)),
    weakness        INTEGER NOT NULL CHECK (weakness IN (0, 1))
);
CREATE INDEX checkins_athlete ON checkins (athlete_id, at_ms);

CREATE TABLE flare_events (
    id         INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    at_ms      INTEGER NOT NULL,
    mark       TEXT    NOT NULL CHECK (mark IN ('start', 'end'))
);
CREATE INDEX flare_events_athlete ON flare_events (athlete_id, at_ms);

CREATE TABLE clearances (
    id         INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    at_ms      INTEGER NOT NULL,
    note       TEXT
);
CREATE INDEX clearances_athlete ON clearances (athlete_id, at_ms);
