//! The engine's thresholds as a table (name, value, default, evidence basis, rule) and changes to them by name,
//! shared by `backstop settings`, the Settings page and the API so each refuses the same things the same way.

use backstop_core::engine::Settings;
use backstop_core::engine::settings::FIELDS;
use backstop_core::rules::RuleId;
use serde_json::Value;

/// One threshold as shown to people.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingRow {
    /// Its name.
    pub name: &'static str,
    /// Its value now.
    pub value: Value,
    /// Its default.
    pub default: Value,
    /// Evidence basis: A guideline or trial, B study, C clinical convention, D backstop's own default.
    pub basis: &'static str,
    /// The rules it belongs to.
    pub rules: &'static [RuleId],
}

impl SettingRow {
    /// Whether it is at its default.
    pub fn is_default(&self) -> bool {
        self.value == self.default
    }

    /// The rules it belongs to, as people read them ("PM-7, LM-5").
    pub fn rule(&self) -> String {
        let ids: Vec<&str> = self.rules.iter().map(|r| r.as_str()).collect();
        ids.join(", ")
    }
}

/// A change that was refused: the setting it names (`None` for a rule across several) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    /// The setting.
    pub name: Option<String>,
    /// Why, in words.
    pub message: String,
}

impl std::fmt::Display for SettingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A value as shown: text without quotes, anything else as JSON.
pub fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value typed by a person: a number or a list reads as JSON, anything else (a duration such as `10h`) as text.
pub fn parse_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Every threshold with its value, default, basis and rule, in the table's order.
pub fn rows(s: &Settings) -> Vec<SettingRow> {
    let cur = serde_json::to_value(s).unwrap_or(Value::Null);
    let def = serde_json::to_value(Settings::default()).unwrap_or(Value::Null);
    FIELDS
        .iter()
        .map(|(name, basis, rules)| SettingRow {
            name,
            value: cur[*name].clone(),
            default: def[*name].clone(),
            basis,
            rules,
        })
        .collect()
}

/// `current` with the named values changed. Each change is checked on its own first, so every refusal names its
/// setting (all of them are reported), then the whole set against the rules across settings.
pub fn with_changes(current: &Settings, changes: &[(String, Value)]) -> Result<Settings, Vec<SettingError>> {
    let bad = |name: Option<&str>, message: String| SettingError {
        name: name.map(str::to_owned),
        message,
    };
    let mut v = serde_json::to_value(current).map_err(|e| vec![bad(None, e.to_string())])?;
    let defaults = serde_json::to_value(Settings::default()).unwrap_or(Value::Null);
    let mut errors = Vec::new();
    for (name, value) in changes {
        if !FIELDS.iter().any(|(n, _, _)| n == name) {
            let names: Vec<&str> = FIELDS.iter().map(|(n, _, _)| *n).collect();
            errors.push(bad(
                Some(name),
                format!("unknown setting {name:?}; the settings are: {}", names.join(", ")),
            ));
            continue;
        }
        let mut trial = v.clone();
        trial[name.as_str()] = value.clone();
        match serde_json::from_value::<Settings>(trial) {
            Ok(_) => v[name.as_str()] = value.clone(),
            // Say what kind of value the setting takes, in words, rather than the parser's type names ("expected
            // u8"); the range is checked with the others once the kind is right.
            Err(_) => {
                let default = &defaults[name.as_str()];
                let kind = match default {
                    Value::Number(n) if n.is_f64() => "a number",
                    Value::Number(_) => "a whole number that is not too large",
                    Value::String(_) => "a duration such as 10h or 9h 30m",
                    Value::Array(_) => "a list of numbers such as [50,70,85]",
                    Value::Bool(_) => "true or false",
                    _ => "another kind of value",
                };
                errors.push(bad(
                    Some(name),
                    format!(
                        "{name} = {}: it takes {kind}, like its default {}",
                        show(value),
                        show(default)
                    ),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let s: Settings = serde_json::from_value(v).map_err(|e| vec![bad(None, e.to_string())])?;
    s.validate().map_err(|e| vec![bad(None, e.to_string())])?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(name: &str, text: &str) -> (String, Value) {
        (name.to_owned(), parse_value(text))
    }

    #[test]
    fn changes_are_checked_one_by_one_then_together() {
        let d = Settings::default();
        let s = with_changes(&d, &[change("ceiling_max", "3"), change("morning_from", "10h")])
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(s.ceiling_max, 3);
        let r = rows(&s);
        assert!(
            !r.iter()
                .find(|x| x.name == "ceiling_max")
                .is_some_and(SettingRow::is_default)
        );
        assert!(
            r.iter()
                .find(|x| x.name == "park_days")
                .is_some_and(SettingRow::is_default)
        );

        let errs = with_changes(&d, &[change("ceiling", "3"), change("park_days", "soon")]).unwrap_err();
        let names: Vec<_> = errs.iter().map(|e| e.name.as_deref()).collect();
        assert_eq!(
            names,
            [Some("ceiling"), Some("park_days")],
            "every refusal, each naming its setting"
        );
        assert!(errs[0].message.contains("unknown setting") && errs[1].message.contains("park_days = soon"));
        // The wrong kind of value is named in words, not the parser's type names (issue 15, point 10).
        for (name, text, words) in [
            (
                "ceiling_max",
                "1e9",
                "it takes a whole number that is not too large, like its default 5",
            ),
            (
                "park_days",
                "1.5",
                "it takes a whole number that is not too large, like its default 14",
            ),
            ("park_days", "soon", "it takes a whole number"),
            ("regress_pct", "lots", "it takes a number, like its default 15"),
            ("morning_from", "[1]", "it takes a duration such as 10h"),
        ] {
            let e = with_changes(&d, &[change(name, text)]).unwrap_err();
            assert!(e[0].message.contains(words), "{name} = {text}: {e:?}");
            assert!(
                !e[0].message.contains("expected u8") && !e[0].message.contains("i64"),
                "{e:?}"
            );
        }

        let across = with_changes(&d, &[change("ceiling_max", "11")]).unwrap_err();
        assert_eq!(across[0].name, None);
        assert!(
            across[0].message.contains("ceiling_max must be 1–10"),
            "{across:?}"
        );
    }
}
