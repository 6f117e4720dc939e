-- The clinical corrections.
-- Leg symptoms that are usual and stable for a person, by how far down the leg they reach, and how far a check-in's
-- leg pain reached: leg pain within the usual reach is not a new symptom (PM-4).
ALTER TABLE profile_versions ADD COLUMN usual_leg_symptoms TEXT
    CHECK (usual_leg_symptoms IN ('buttock', 'thigh', 'below-knee'));
ALTER TABLE checkins ADD COLUMN leg_reach TEXT CHECK (leg_reach IN ('buttock', 'thigh', 'below-knee'));

-- Profiles used to store every threshold, the defaults included, so a corrected default never reached them. A
-- threshold whose default changed is dropped where it still holds the old default, and the new default applies
-- (announced in the CHANGELOG). New profile versions store only the thresholds changed from the defaults.
-- ceiling_rise: 2 -> 5 (the ceiling is 5 from any starting pain, Silbernagel 2007).
UPDATE profile_versions
   SET settings = json_remove(settings, '$.ceiling_rise')
 WHERE settings IS NOT NULL
   AND json_valid(settings)
   AND json_extract(settings, '$.ceiling_rise') = 2;
