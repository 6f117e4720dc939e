//! `backstop calendar`: the planned sessions as an iCalendar file.

use super::*;

pub(super) async fn calendar(
    app: &App,
    who: AthleteId,
    a: crate::cli::CalendarArgs,
    json: bool,
) -> anyhow::Result<()> {
    let text = app.calendar(who, a.weeks).await?;
    let sessions = text.matches("UID:session-").count();
    match (&a.out, json) {
        (Some(path), true) => {
            write_out(Some(path), &text)?;
            print_json(&view::WrittenView {
                out: path.display().to_string(),
                bytes: None,
                sessions: Some(sessions),
                weeks: Some(a.weeks),
                integrity: None,
            })
        }
        (Some(path), false) => {
            write_out(Some(path), &text)?;
            outln!(
                "Wrote {sessions} planned session{} and the check-ins after them to {} ({} weeks). Open or import it \
                 in your calendar app; write it again after a change of plan (each day's events are replaced, not \
                 added twice).",
                if sessions == 1 { "" } else { "s" },
                path.display(),
                a.weeks
            );
            Ok(())
        }
        (None, _) => write_out(None, &text),
    }
}
