//! Imports, settings, and the export and restore of everything.

use super::*;

impl App {
    /// Imports a Strong, Hevy or FitNotes export in one transaction: unknown exercise names become the
    /// person's own exercises, and workouts already imported (same source) are replaced, never added twice. `origin` names the file
    /// in errors; `tz` overrides the profile's zone for the file's local times.
    pub async fn import_history(
        &self,
        who: AthleteId,
        reader: impl std::io::Read,
        origin: &str,
        options: ImportRequest,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<(ImportReport, ImportOutcome), AppError> {
        let ctx = self.context(who).await?;
        let tz = match &options.tz {
            Some(name) => time_zone(name)?,
            None => ctx.tz.clone(),
        };
        let mut mapping = std::collections::HashMap::new();
        if let Some((text, map_origin)) = &options.mapping {
            let table: std::collections::BTreeMap<String, String> =
                toml::from_str(text).map_err(|e| input(format!("{map_origin}: {e}")))?;
            for (from, to) in table {
                let ex = ctx
                    .catalog
                    .resolve(&to)
                    .map_err(|e| input(format!("{map_origin}: {from:?} = {to:?}: {e}")))?;
                mapping.insert(backstop_core::catalog::normalize_name(&from), ex.id.clone());
            }
        }
        let opts = backstop_import::ImportOptions {
            format: options.format,
            unit: options.unit,
            tz,
            mapping,
        };
        let imported =
            backstop_import::import(reader, &ctx.catalog, &opts, progress).map_err(|e| match e {
                backstop_import::ImportError::UnitNeeded { line } => AppError::UnitNeeded {
                    origin: origin.to_owned(),
                    line,
                },
                e => input(format!("{origin}: {e}")),
            })?;
        // A workout over the session limit is left out, and the report says so.
        let mut report = imported.report;
        let sessions: Vec<Session> = imported
            .sessions
            .into_iter()
            .map(|s| s.session)
            .filter(|s| {
                let keep = s.sets.len() <= backstop_core::facts::MAX_SETS_PER_SESSION;
                if !keep {
                    report.notes.push(format!(
                        "the workout of {} has {} sets, more than the {} a session may hold: left out",
                        backstop_core::time::format_local(s.at, &opts.tz),
                        s.sets.len(),
                        backstop_core::facts::MAX_SETS_PER_SESSION
                    ));
                }
                keep
            })
            .collect();
        // A file with no workout in it (a header alone, or every row unreadable) is refused before the store is
        // touched, with the rows it skipped and why: an import that adds nothing is not a success.
        if sessions.is_empty() {
            let r = &report;
            let mut why: Vec<String> = r
                .skipped
                .iter()
                .take(5)
                .map(|k| format!("line {}: {}", k.line, k.reason))
                .collect();
            if r.skipped.len() > 5 {
                why.push(format!("and {} more", r.skipped.len() - 5));
            }
            return Err(input(format!(
                "{origin}: nothing to import: {} data row(s) read, no workout kept{}{}",
                r.rows,
                r.notes
                    .iter()
                    .find(|n| n.contains("a session may hold"))
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default(),
                if why.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", why.join("; "))
                }
            )));
        }
        let now = self.now();
        let exercises: Vec<CustomExercise> = imported
            .new_exercises
            .iter()
            .filter(|e| ctx.catalog.get(&e.id).is_none())
            .map(|e| CustomExercise {
                recorded_at: now,
                exercise: e.clone(),
            })
            .collect();
        if !exercises.is_empty() {
            let mut all: Vec<Exercise> = self
                .store
                .custom_exercises(who)
                .await?
                .into_iter()
                .map(|c| c.exercise)
                .collect();
            all.extend(exercises.iter().map(|c| c.exercise.clone()));
            self.builtin
                .with_custom(&all, &format!("{origin}: new exercises"))?;
        }
        let outcome = self.store.import_batch(who, &exercises, &sessions, now).await?;
        Ok((report, outcome))
    }

    /// Replaces the engine's thresholds for the person, as a new profile version (a fact like any other).
    pub async fn set_settings(&self, who: AthleteId, mut settings: Settings) -> Result<Profile, AppError> {
        settings.validate().map_err(input)?;
        self.keep_care_out(who, &mut settings).await?;
        let mut profile = self.profile(who).await?.ok_or(AppError::NoProfile)?;
        profile.settings = settings;
        self.store
            .save_profile(
                who,
                &ProfileVersion {
                    recorded_at: self.now(),
                    profile: profile.clone(),
                },
            )
            .await?;
        Ok(profile)
    }

    /// Gathers every fact of the person, from one snapshot of the store.
    pub async fn facts(&self, who: AthleteId) -> Result<Facts, AppError> {
        Ok(self.store.facts(who).await?)
    }

    /// Everything, as the export document.
    pub async fn export(&self, who: AthleteId) -> Result<Backup, AppError> {
        Ok(Backup::from_facts(&self.facts(who).await?, self.now()))
    }

    /// Restores an export into an empty database, all or nothing. `origin` names the file in errors.
    pub async fn restore(&self, who: AthleteId, text: &str, origin: &str) -> Result<Backup, AppError> {
        let backup = read_backup(text, origin, &self.builtin, self.now())?;
        self.store.restore(who, &backup).await?;
        Ok(backup)
    }
}
