//! What the three readers share: reading CSV records with their line numbers, the report being built, and the
//! workouts collected before exercise names are resolved.

use std::collections::HashMap;

use backstop_core::catalog::normalize_name;
use backstop_core::{Dose, Load, Rpe, WeightUnit};
use jiff::Timestamp;
use jiff::civil::DateTime;

use crate::numbers;
use crate::{ImportError, ImportOptions, ImportReport, SetKind, Skipped};

/// How many row-level notes the report keeps before summarising the rest.
const MAX_NOTES: usize = 100;

/// How often (in rows) the progress callback is called.
const PROGRESS_EVERY: u64 = 500;

/// Reps above this are kept (up to 999, `Reps`) but noted in the report for the person to check.
const UNUSUAL_REPS: u16 = 100;

/// Why a row did not become a set.
#[derive(Debug)]
pub(crate) enum RowIssue {
    /// The row is skipped for this reason (it goes into the report with its line).
    Skip(String),
    /// A rest-timer row: counted, not a set.
    RestTimer,
    /// A problem with the whole file.
    Fatal(ImportError),
}

impl From<ImportError> for RowIssue {
    fn from(e: ImportError) -> Self {
        RowIssue::Fatal(e)
    }
}

/// Shorthand for skipping a row.
pub(crate) fn skip(reason: impl Into<String>) -> RowIssue {
    RowIssue::Skip(reason.into())
}

/// One set read from a row, before its exercise name is resolved.
#[derive(Debug, Clone)]
pub(crate) struct DraftSet {
    /// The exercise name as written (untrimmed).
    pub raw_name: String,
    /// [`normalize_name`] of the name: the key exercise resolution works on.
    pub key: String,
    /// FitNotes' category (muscle group), when the file has one.
    pub category: Option<String>,
    /// Reps, seconds or metres.
    pub dose: Dose,
    /// External load.
    pub load: Option<Load>,
    /// Effort.
    pub rpe: Option<Rpe>,
    /// Warm-up, drop, failure or normal.
    pub kind: SetKind,
}

/// The unique, de-duplicated notes of a workout, in the order first seen.
#[derive(Debug, Clone, Default)]
pub(crate) struct Notes(Vec<String>);

impl Notes {
    /// Adds a note unless it is empty or already there.
    pub(crate) fn push(&mut self, note: &str) {
        let n = note.trim();
        if !n.is_empty() && !self.0.iter().any(|x| x == n) {
            self.0.push(n.to_owned());
        }
    }

    /// Adds an exercise's note as "Exercise: note".
    pub(crate) fn push_for(&mut self, exercise: &str, note: &str) {
        if !note.trim().is_empty() {
            self.push(&format!("{}: {}", exercise.trim(), note.trim()));
        }
    }

    /// All notes, one per line, or `None`.
    pub(crate) fn joined(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| self.0.join("\n"))
    }
}

/// One workout being collected.
#[derive(Debug, Clone)]
pub(crate) struct DraftSession {
    /// Identifies the workout across re-imports.
    pub key: String,
    /// Start (UTC).
    pub at: Timestamp,
    /// Length, when the file says and it is plausible.
    pub minutes: Option<backstop_core::Minutes>,
    /// The workout's name.
    pub title: Option<String>,
    /// Workout and exercise notes.
    pub notes: Notes,
    /// Physical line of its first row.
    pub first_line: u64,
    /// Sets in file order.
    pub sets: Vec<DraftSet>,
}

impl DraftSession {
    /// A workout with no sets yet.
    pub(crate) fn new(key: String, at: Timestamp, first_line: u64, title: &str) -> Self {
        let title = title.trim();
        DraftSession {
            key,
            at,
            minutes: None,
            title: (!title.is_empty()).then(|| title.to_owned()),
            notes: Notes::default(),
            first_line,
            sets: Vec::new(),
        }
    }
}

/// The numbers of one row, read but not yet validated.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Measured {
    /// Weight in `unit` (0 or empty for bodyweight).
    pub weight: Option<f64>,
    /// The unit of `weight`, when the file or the options say.
    pub unit: Option<WeightUnit>,
    /// Repetitions.
    pub reps: Option<f64>,
    /// Seconds.
    pub seconds: Option<f64>,
    /// Distance already in metres.
    pub metres: Option<f64>,
    /// RPE as written.
    pub rpe: Option<f64>,
}

/// The state of one import: options, progress, the report and the workouts collected so far.
pub(crate) struct Ctx<'a, 'p> {
    pub opts: &'a ImportOptions,
    pub report: ImportReport,
    progress: &'p mut dyn FnMut(u64),
    notes_left_out: u64,
    drafts: Vec<DraftSession>,
    index: HashMap<String, usize>,
}

impl<'a, 'p> Ctx<'a, 'p> {
    /// A fresh import.
    pub(crate) fn new(opts: &'a ImportOptions, progress: &'p mut dyn FnMut(u64)) -> Self {
        Ctx {
            opts,
            report: ImportReport::default(),
            progress,
            notes_left_out: 0,
            drafts: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Counts a data row and reports progress now and then.
    pub(crate) fn count_row(&mut self) {
        self.report.rows += 1;
        if self.report.rows.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(self.report.rows);
        }
    }

    /// Records a skipped row.
    pub(crate) fn skip(&mut self, line: u64, reason: impl Into<String>) {
        self.report.skipped.push(Skipped {
            line,
            reason: reason.into(),
        });
    }

    /// Adds a note to the report (the first [`MAX_NOTES`] are kept; the rest are counted).
    pub(crate) fn note(&mut self, note: impl Into<String>) {
        if self.report.notes.len() < MAX_NOTES {
            self.report.notes.push(note.into());
        } else {
            self.notes_left_out += 1;
        }
    }

    /// Settles the outcome of one row: skips and rest timers are recorded, fatal problems returned.
    pub(crate) fn settle(&mut self, line: u64, outcome: Result<(), RowIssue>) -> Result<(), ImportError> {
        match outcome {
            Ok(()) => Ok(()),
            Err(RowIssue::Skip(reason)) => {
                self.skip(line, reason);
                Ok(())
            }
            Err(RowIssue::RestTimer) => {
                self.report.rest_timer_rows += 1;
                Ok(())
            }
            Err(RowIssue::Fatal(e)) => Err(e),
        }
    }

    /// The index of the workout with this key, if it was seen.
    pub(crate) fn session_index(&self, key: &str) -> Option<usize> {
        self.index.get(key).copied()
    }

    /// Adds a workout and returns its index.
    pub(crate) fn add_session(&mut self, draft: DraftSession) -> usize {
        let i = self.drafts.len();
        self.index.insert(draft.key.clone(), i);
        self.drafts.push(draft);
        i
    }

    /// The workout at an index returned by [`Ctx::add_session`] or [`Ctx::session_index`].
    pub(crate) fn draft(&mut self, i: usize) -> Option<&mut DraftSession> {
        self.drafts.get_mut(i)
    }

    /// The session's start in UTC from a local wall-clock time in the options' zone.
    pub(crate) fn to_utc(&self, local: DateTime) -> Result<Timestamp, RowIssue> {
        self.opts
            .tz
            .to_ambiguous_timestamp(local)
            .compatible()
            .map_err(|_| skip(format!("time {local} cannot be placed in the time zone")))
    }

    /// Builds a set from a row's name and numbers; `Err` when the row cannot be a set.
    pub(crate) fn make_set(
        &mut self,
        line: u64,
        raw_name: &str,
        category: Option<&str>,
        kind: SetKind,
        m: Measured,
    ) -> Result<DraftSet, RowIssue> {
        let key = normalize_name(raw_name);
        if key.is_empty() {
            return Err(skip("no exercise name"));
        }
        let dose = numbers::dose(m.reps, m.seconds, m.metres).map_err(skip)?;
        // Kept as recorded, but rare enough to be worth a look (a typed 120 for 12).
        if let Dose::Reps(r) = dose
            && r.get() > UNUSUAL_REPS
        {
            self.note(format!(
                "line {line}: {} reps of {raw_name} kept; check it if that is a typing slip",
                r.get()
            ));
        }
        let load = match m.weight {
            Some(w) if w.abs() > 1e-9 => {
                let unit = m.unit.ok_or(ImportError::UnitNeeded { line })?;
                numbers::load(w, unit).map_err(skip)?
            }
            _ => None,
        };
        let rpe = match numbers::rpe(m.rpe) {
            Ok(r) => r,
            Err(why) => {
                self.note(format!("line {line}: {why}; the RPE was left out"));
                None
            }
        };
        let category = category
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        Ok(DraftSet {
            raw_name: raw_name.to_owned(),
            key,
            category,
            dose,
            load,
            rpe,
            kind,
        })
    }

    /// Ends reading: the final progress call, and the collected workouts.
    pub(crate) fn finish(mut self) -> (ImportReport, Vec<DraftSession>) {
        (self.progress)(self.report.rows);
        if self.notes_left_out > 0 {
            let n = self.notes_left_out;
            self.report.notes.push(format!("… and {n} more notes like these"));
        }
        (self.report, self.drafts)
    }
}

/// A number from a cell, or a skip naming the column.
pub(crate) fn num(what: &str, cell: &str) -> Result<Option<f64>, RowIssue> {
    numbers::number(cell).map_err(|why| skip(format!("{what}: {why}")))
}

/// A cell of a record, trimmed; missing cells are empty.
pub(crate) fn cell(rec: &csv::StringRecord, i: Option<usize>) -> &str {
    i.and_then(|i| rec.get(i)).map_or("", str::trim)
}

/// Feeds every data row to `row` (after the header line unless `skip_header` is false), counting it and settling
/// its outcome in the report: the one loop the three readers share.
pub(crate) fn read_rows(
    text: &str,
    delimiter: u8,
    skip_header: bool,
    ctx: &mut Ctx<'_, '_>,
    mut row: impl FnMut(&mut Ctx<'_, '_>, u64, &csv::StringRecord) -> Result<(), RowIssue>,
) -> Result<(), ImportError> {
    let mut header_pending = skip_header;
    read_records(text, delimiter, |line, rec| {
        if std::mem::take(&mut header_pending) {
            return Ok(());
        }
        ctx.count_row();
        let outcome = row(ctx, line, rec);
        ctx.settle(line, outcome)
    })
}

/// Reads every non-blank record of `text` (which must use `\n` line ends) and hands it over with the physical
/// line it starts on. Stops at the first fatal error.
pub(crate) fn read_records(
    text: &str,
    delimiter: u8,
    mut each: impl FnMut(u64, &csv::StringRecord) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    let mut last: Option<(u64, usize)> = None;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(&e, text)),
        }
        let (line, byte) = start_of(&rec, text);
        last = Some((line, byte));
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        each(line, &rec)?;
    }
    match last {
        Some((line, byte)) if has_unclosed_quote(text, byte, delimiter) => Err(ImportError::Csv {
            line,
            message: "a quoted field that starts here is never closed; the file looks cut short".into(),
        }),
        _ => Ok(()),
    }
}

/// The physical line and byte offset where a record's text starts (the reader reports the position before any
/// blank lines it skipped).
fn start_of(rec: &csv::StringRecord, text: &str) -> (u64, usize) {
    let Some(pos) = rec.position() else {
        return (0, 0);
    };
    let mut line = pos.line();
    let mut byte = usize::try_from(pos.byte()).unwrap_or(usize::MAX);
    for b in text.as_bytes().iter().skip(byte) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
        byte += 1;
    }
    (line, byte)
}

/// Whether the text from `from` to the end opens a quoted field and never closes it (the reader then takes the
/// rest of the file as that field, without an error).
fn has_unclosed_quote(text: &str, from: usize, delimiter: u8) -> bool {
    let tail = text.as_bytes().get(from..).unwrap_or_default();
    let mut bytes = tail.iter().copied().peekable();
    let (mut field_start, mut quoted) = (true, false);
    while let Some(b) = bytes.next() {
        if quoted {
            if b == b'"' {
                // `""` is a quote inside the field; a lone `"` closes it.
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    quoted = false;
                }
            }
        } else if b == delimiter || b == b'\n' {
            field_start = true;
        } else {
            quoted = b == b'"' && field_start;
            field_start = false;
        }
    }
    quoted
}

fn csv_error(e: &csv::Error, text: &str) -> ImportError {
    let line = e
        .position()
        .map_or_else(|| text.lines().count() as u64, csv::Position::line);
    ImportError::Csv {
        line,
        message: e.to_string(),
    }
}

/// The first non-blank line of the text, its 1-based number, and the delimiter it suggests.
pub(crate) fn first_line(text: &str) -> Option<(u64, &str)> {
    text.lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i as u64 + 1, l))
}

/// The delimiter of a line: `;`, tab or `,`, whichever occurs most outside quotes (`,` on a tie).
pub(crate) fn sniff_delimiter(line: &str) -> u8 {
    let (mut comma, mut semi, mut tab, mut quoted) = (0usize, 0usize, 0usize, false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => comma += 1,
            ';' if !quoted => semi += 1,
            '\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

/// The first record of the text, split with its delimiter.
pub(crate) fn first_record(text: &str, delimiter: u8) -> Result<Vec<String>, ImportError> {
    let mut found = None;
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).map_err(|e| csv_error(&e, text))? {
        if rec.iter().any(|f| !f.trim().is_empty()) {
            found = Some(rec.iter().map(|f| f.trim().to_owned()).collect());
            break;
        }
    }
    found.ok_or(ImportError::Empty)
}

/// A header cell made comparable: trimmed, lower case, typographic apostrophes made straight, single spaces.
pub(crate) fn header_key(cell: &str) -> String {
    normalize_name(&cell.replace(['\u{2019}', '\u{2018}'], "'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("Date,Workout Name,Exercise Name"), b',');
        assert_eq!(sniff_delimiter("\"Workout #\";\"Date\";\"Workout Name\""), b';');
        assert_eq!(sniff_delimiter("2020-12-05 15:44:36;\"a, b\";\"c\";1"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
    }

    #[test]
    fn lines_are_physical_lines() {
        let text = "h1,h2\n\"a\nb\",1\n\n\nc,2\n";
        let mut seen = Vec::new();
        read_records(text, b',', |line, rec| {
            seen.push((line, rec.get(0).unwrap_or("").to_owned()));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            seen,
            vec![(1, "h1".to_owned()), (2, "a\nb".to_owned()), (6, "c".to_owned())]
        );
    }

    #[test]
    fn an_unclosed_quote_at_the_end_is_an_error() {
        let e = read_records("a,b\n1,\"cut", b',', |_, _| Ok(())).unwrap_err();
        assert!(matches!(e, ImportError::Csv { line: 2, .. }), "{e:?}");
    }

    #[test]
    fn quotes_that_are_closed_or_inside_a_field_are_no_error() {
        read_records("a,b\n5\" block,1", b',', |_, _| Ok(())).unwrap();
        read_records("a,b\n\"say \"\"hi\"\"\",1\n", b',', |_, _| Ok(())).unwrap();
    }

    #[test]
    fn notes_are_unique() {
        let mut n = Notes::default();
        n.push("a");
        n.push(" a ");
        n.push("");
        n.push_for("Squat", "belt");
        n.push_for("Squat", "belt");
        assert_eq!(n.joined().as_deref(), Some("a\nSquat: belt"));
    }
}

/// Which column of a header holds which field; the first column that claims a field keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ColumnMap<const N: usize>([Option<usize>; N]);

impl<const N: usize> Default for ColumnMap<N> {
    fn default() -> Self {
        ColumnMap([None; N])
    }
}

impl<const N: usize> ColumnMap<N> {
    /// The column of field `f`.
    pub(crate) fn get(&self, f: usize) -> Option<usize> {
        self.0.get(f).copied().flatten()
    }

    /// Field `f` is in column `i`, unless an earlier column already claimed it.
    pub(crate) fn set(&mut self, f: usize, i: usize) {
        if let Some(slot) = self.0.get_mut(f)
            && slot.is_none()
        {
            *slot = Some(i);
        }
    }
}
