-- The lifts a person wants to work back to (PG-8), as a JSON array of catalog ids. Older profiles have none.
ALTER TABLE profile_versions ADD COLUMN goal_lifts TEXT NOT NULL DEFAULT '[]';
