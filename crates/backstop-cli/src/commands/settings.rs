//! `backstop settings`: the engine's thresholds.

use super::*;

pub(super) async fn settings(
    app: &App,
    who: AthleteId,
    a: crate::cli::SettingsArgs,
    json: bool,
) -> anyhow::Result<()> {
    use backstop_app::settings::{parse_value, rows, show, with_changes};
    use backstop_core::engine::Settings;
    let ctx = app.context(who).await?;
    let current = &ctx.profile.settings;
    let changed = |changes: &[(String, Value)]| -> anyhow::Result<Settings> {
        with_changes(current, changes).map_err(|errs| {
            usage(
                errs.iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
    };
    let new_value = match a.action {
        None | Some(crate::cli::SettingsAction::Show) => None,
        Some(crate::cli::SettingsAction::Set { key, value }) => Some(changed(&[(key, parse_value(&value))])?),
        Some(crate::cli::SettingsAction::Reset { key: None }) => Some(Settings::default()),
        Some(crate::cli::SettingsAction::Reset { key: Some(key) }) => {
            let default = rows(&Settings::default())
                .into_iter()
                .find(|r| r.name == key)
                .map_or(Value::Null, |r| r.default);
            Some(changed(&[(key, default)])?)
        }
    };
    let now = match new_value {
        Some(s) => app.set_settings(who, s).await?.settings,
        None => current.clone(),
    };
    if json {
        return print_json(&backstop_app::view::settings(&now));
    }
    let shown = rows(&now);
    outln!("{:<24} {:<16} {:<10} {:<6} rule", "setting", "value", "", "basis");
    for r in &shown {
        let mark = if r.is_default() { "" } else { "(changed)" };
        outln!(
            "{:<24} {:<16} {mark:<10} {:<6} {}",
            r.name,
            show(&r.value),
            r.basis,
            r.rule()
        );
    }
    outln!(
        "\nBasis: A guideline or trial, B cohort or lab study, C clinical convention, D backstop's own default \
         (no direct evidence; change it with your clinician). Rules: docs/rules.md."
    );
    Ok(())
}
