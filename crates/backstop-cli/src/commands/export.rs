//! `backstop export`: everything as JSON, or one CSV table.

use super::*;

pub(super) async fn export(app: &App, who: AthleteId, a: ExportArgs) -> anyhow::Result<()> {
    let text = match a.format {
        ExportFormat::Json => {
            let backup = app.export(who).await?;
            let mut text = serde_json::to_string_pretty(&backup)?;
            text.push('\n');
            text
        }
        ExportFormat::Csv => {
            let table = match a.table {
                crate::cli::CsvTable::Sets => backstop_app::export::CsvTable::Sets,
                crate::cli::CsvTable::Sessions => backstop_app::export::CsvTable::Sessions,
                crate::cli::CsvTable::Checkins => backstop_app::export::CsvTable::Checkins,
            };
            app.export_csv(who, table).await?
        }
    };
    write_out(a.out.as_deref(), &text)
}
