//! The CSV exports (one table at a time), shared by `backstop export --format csv` and the web app. Times are
//! RFC 3339 with the profile's offset, dates are training days in the profile's zone, loads in the profile's unit.

use backstop_core::document::SetDoc;
use backstop_core::time::{civil_date, format_rfc3339};
use backstop_core::units::format_number;

use crate::store::AthleteId;
use crate::{App, AppError};

/// Which table to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvTable {
    /// One row per set, with its session's values.
    Sets,
    /// One row per session: load, sets, exercises.
    Sessions,
    /// One row per check-in.
    Checkins,
}

/// Quotes a field when it holds a separator, a quote or a line break (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn opt(v: Option<String>) -> String {
    v.unwrap_or_default()
}

impl App {
    /// One table of the person's facts as CSV text, with a header line.
    pub async fn export_csv(&self, who: AthleteId, table: CsvTable) -> Result<String, AppError> {
        let ctx = self.context(who).await?;
        let facts = self.facts(who).await?;
        let tz = &ctx.tz;
        let mut text = String::new();
        match table {
            CsvTable::Sessions => {
                text.push_str(
                    "session_at,date,pain_before,minutes,session_rpe,load,sets,exercises,source,notes\n",
                );
                for s in &facts.sessions {
                    let s2 = &s.session;
                    let mut ex: Vec<&str> = s2.sets.iter().map(|x| x.exercise.as_str()).collect();
                    ex.dedup();
                    let row = [
                        format_rfc3339(s2.at, tz),
                        civil_date(s2.at, tz).to_string(),
                        opt(s2.pain_before.map(|p| p.to_string())),
                        opt(s2.minutes.map(|m| m.to_string())),
                        opt(s2.session_rpe.map(|r| r.to_string())),
                        format_number(backstop_core::load::session_load(s2)),
                        s2.sets.len().to_string(),
                        csv_field(&ex.join(" ")),
                        csv_field(s2.source.as_deref().unwrap_or_default()),
                        csv_field(s2.notes.as_deref().unwrap_or_default()),
                    ];
                    text.push_str(&row.join(","));
                    text.push('\n');
                }
            }
            CsvTable::Checkins => {
                text.push_str("at,date,pain,stiffness,muscle_soreness,leg_pain,numbness,weakness\n");
                for c in facts.checkins.iter().map(|c| &c.checkin) {
                    let row = [
                        format_rfc3339(c.at, tz),
                        civil_date(c.at, tz).to_string(),
                        c.pain.to_string(),
                        opt(c.stiffness.map(|s| s.to_string())),
                        c.muscle_soreness.to_string(),
                        c.leg_pain.to_string(),
                        c.numbness.to_string(),
                        c.weakness.to_string(),
                    ];
                    text.push_str(&row.join(","));
                    text.push('\n');
                }
            }
            CsvTable::Sets => {
                let unit = ctx.profile.units;
                text.push_str(&format!(
                    "session_at,date,pain_before,minutes,session_rpe,set,exercise,reps,seconds,metres,load_{unit},rpe,pain,felt,form_breakdown,kind\n"
                ));
                for s in &facts.sessions {
                    for (i, set) in s.session.sets.iter().enumerate() {
                        let d = SetDoc::from_entry(set, unit);
                        let row = [
                            format_rfc3339(s.session.at, tz),
                            civil_date(s.session.at, tz).to_string(),
                            opt(s.session.pain_before.map(|p| p.to_string())),
                            opt(s.session.minutes.map(|m| m.to_string())),
                            opt(s.session.session_rpe.map(|r| r.to_string())),
                            (i + 1).to_string(),
                            csv_field(&d.exercise),
                            opt(d.reps.map(|r| r.to_string())),
                            opt(d.seconds.map(|r| r.to_string())),
                            opt(d.metres.map(|r| r.to_string())),
                            opt(d.load_kg.or(d.load_lb).map(format_number)),
                            opt(d.rpe.map(|r| r.to_string())),
                            opt(d.pain.map(|p| p.to_string())),
                            d.felt.as_str().to_owned(),
                            d.form_breakdown.to_string(),
                            d.kind.as_str().to_owned(),
                        ];
                        text.push_str(&row.join(","));
                        text.push('\n');
                    }
                }
            }
        }
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("row"), "row");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }
}
