-- The engine's thresholds per profile version, as JSON in the format of backstop_core::engine::Settings.
-- NULL means the defaults.
ALTER TABLE profile_versions ADD COLUMN settings TEXT;
