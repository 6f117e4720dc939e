//! Readers for the CSV exports of Strong, Hevy and FitNotes.
//!
//! [`import`] reads a whole export, recognises its layout from the content (or takes the one given in
//! [`ImportOptions::format`]), maps each exercise name to the catalog and returns backstop sessions with an
//! [`ImportReport`] of what was read, skipped and guessed. The crate does no IO beyond reading the reader it is
//! given: the time zone, the weight unit (for files that do not say) and the exercise mapping come in as
//! [`ImportOptions`].
//!
//! Layouts read (their columns and quirks in `docs/cli.md`, "backstop import"): Strong v0–v4 with English, German or French headers, the
//! `;` Android file with or without a header line, "Strong 6" (`;`, `Workout #`); Hevy (kg and lb accounts,
//! both date styles, `,` and `;`); FitNotes (both layouts, names with unquoted commas).
//!
//! ```
//! use backstop_core::{Catalog, WeightUnit};
//! use backstop_import::{Format, ImportOptions, import};
//!
//! let csv = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n\
//!            2024-01-15 07:05:12,Legs,45m,Squat (Barbell),1,100,5,0,0,,,8\n";
//! let catalog = Catalog::builtin()?;
//! let opts = ImportOptions {
//!     unit: Some(WeightUnit::Kg),
//!     ..ImportOptions::default()
//! };
//! let imported = import(csv.as_bytes(), &catalog, &opts, &mut |_rows| {})?;
//! assert_eq!(imported.format, Format::Strong);
//! assert_eq!(imported.report.sets, 1);
//! let set = &imported.sessions[0].session.sets[0];
//! assert_eq!(set.exercise, "back-squat");
//! assert_eq!(set.load.map(|l| l.grams()), Some(100_000));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

mod common;
mod detect;
mod fitnotes;
mod hevy;
mod mapping;
mod numbers;
mod strong;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::str::FromStr;

pub use backstop_core::SetKind;
use backstop_core::{Catalog, Exercise, Felt, Session, SetEntry, WeightUnit};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::common::{Ctx, DraftSession};

/// The app (and layout family) that wrote a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    /// Strong's comma-separated exports, v0 to v4, in English, German or French.
    #[serde(rename = "strong")]
    Strong,
    /// "Strong 6" (2025+): `;`-separated, every field quoted, `Workout #`, units in the header.
    #[serde(rename = "strong6")]
    Strong6,
    /// Strong for Android: `;`-separated with a per-row weight unit, usually without a header line.
    #[serde(rename = "strong-android")]
    StrongAndroid,
    /// Hevy.
    #[serde(rename = "hevy")]
    Hevy,
    /// FitNotes.
    #[serde(rename = "fitnotes")]
    FitNotes,
}

impl Format {
    /// Every format, in a stable order.
    pub const ALL: &'static [Format] = &[
        Format::Strong,
        Format::Strong6,
        Format::StrongAndroid,
        Format::Hevy,
        Format::FitNotes,
    ];

    /// The name used in options, JSON and the report: `strong`, `strong6`, `strong-android`, `hevy`, `fitnotes`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Strong => "strong",
            Format::Strong6 => "strong6",
            Format::StrongAndroid => "strong-android",
            Format::Hevy => "hevy",
            Format::FitNotes => "fitnotes",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {given:?}; expected one of: strong, strong6, strong-android, hevy, fitnotes")]
pub struct UnknownFormat {
    /// What was given.
    pub given: String,
}

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "strong" => Ok(Format::Strong),
            "strong6" | "strong-6" => Ok(Format::Strong6),
            "strong-android" | "android" => Ok(Format::StrongAndroid),
            "hevy" => Ok(Format::Hevy),
            "fitnotes" | "fit-notes" => Ok(Format::FitNotes),
            _ => Err(UnknownFormat {
                given: s.trim().to_owned(),
            }),
        }
    }
}

/// One imported workout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSession {
    /// The session: start in UTC, length when known, sets in the order done with their kinds, the notes, and the
    /// source key as its `source`. Pain, session RPE and the pain-related set fields are empty: the source apps
    /// do not record them.
    pub session: Session,
    /// The workout's name in the source app.
    pub title: Option<String>,
    /// The physical line (1-based) of the workout's first row in the file.
    pub first_line: u64,
}

impl ImportedSession {
    /// Identifies the workout so that importing the same file again adds nothing twice:
    /// `strong:{local start}:{workout name}`, `strong6:{Workout #}:{local start}`, `hevy:{local start}:{title}`
    /// or `fitnotes:{date}` (local starts written `2024-01-15T07:05:12`).
    pub fn source_key(&self) -> &str {
        self.session.source.as_deref().unwrap_or_default()
    }

    /// The kind of each set, in order.
    pub fn set_kinds(&self) -> Vec<SetKind> {
        self.session.sets.iter().map(|s| s.kind).collect()
    }

    /// The workout's notes and the exercise notes (`Exercise: note`), one per line, each once.
    pub fn notes(&self) -> Option<&str> {
        self.session.notes.as_deref()
    }
}

/// Everything read from a file.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The layout the file was read as.
    pub format: Format,
    /// The workouts, oldest first.
    pub sessions: Vec<ImportedSession>,
    /// Exercises created for names that matched nothing in the catalog or the mapping; the sets use their ids.
    pub new_exercises: Vec<Exercise>,
    /// What was read, skipped and guessed.
    pub report: ImportReport,
}

/// A row that did not become a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The physical line (1-based) where the row starts.
    pub line: u64,
    /// Why it was skipped.
    pub reason: String,
}

/// A summary of an import, for people and for `--json`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ImportReport {
    /// The layout: `strong`, `strong6`, `strong-android`, `hevy` or `fitnotes`.
    pub format: String,
    /// Data rows read (the header line and blank lines not counted).
    pub rows: u64,
    /// Workouts imported.
    pub sessions: usize,
    /// Sets imported.
    pub sets: usize,
    /// Rows that did not become sets, with the reason (rest-timer rows are only counted).
    pub skipped: Vec<Skipped>,
    /// Strong's `Rest Timer` rows, which are rests rather than sets.
    pub rest_timer_rows: u64,
    /// Source names that matched nothing; an exercise was created for each (see [`Imported::new_exercises`]).
    pub unmapped_exercises: Vec<String>,
    /// Start of the oldest workout.
    pub first: Option<Timestamp>,
    /// Start of the newest workout.
    pub last: Option<Timestamp>,
    /// Remarks: values left out (an RPE of 11, a 54-hour workout), units assumed, mapping entries ignored.
    pub notes: Vec<String>,
}

/// How to read a file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The layout, when detection should be skipped. The header is still read to find the columns.
    pub format: Option<Format>,
    /// The weight unit for files that do not say (Strong v1–v4); it also sets their distance unit (kg with km,
    /// lb with miles). A unit named by the file wins.
    pub unit: Option<WeightUnit>,
    /// The time zone the file's local times are in.
    pub tz: TimeZone,
    /// The person's mapping: source exercise name (compared normalised: case and spacing ignored) → catalog id.
    pub mapping: HashMap<String, String>,
}

impl Default for ImportOptions {
    /// Detect the layout, no unit, UTC, no mapping.
    fn default() -> Self {
        ImportOptions {
            format: None,
            unit: None,
            tz: TimeZone::UTC,
            mapping: HashMap::new(),
        }
    }
}

/// A problem with the whole file: nothing is imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has no content.
    #[error("the file is empty")]
    Empty,
    /// The first line is no header (or headerless row) of a known export.
    #[error(
        "this is not a Strong, Hevy or FitNotes export that backstop knows: its first line is {header:?} \
         (pass --format if you know which app wrote it)"
    )]
    UnrecognisedLayout {
        /// The first line (up to 200 characters).
        header: String,
    },
    /// A format was given but the header lacks the columns that format needs.
    #[error("the first line {header:?} is not the header of a {format} export")]
    WrongFormat {
        /// The format given or detected.
        format: Format,
        /// The first line (up to 200 characters).
        header: String,
    },
    /// Weights are not zero, and neither the file nor the options say whether they are kg or lb.
    #[error("line {line} has a weight, and the file does not say whether its weights are kg or lb")]
    UnitNeeded {
        /// The first line with a weight.
        line: u64,
    },
    /// The bytes are not UTF-8 text.
    #[error("line {line}: the file is not UTF-8 text; export it again or save it as UTF-8")]
    NotUtf8 {
        /// The line of the first byte that is not UTF-8.
        line: u64,
    },
    /// The CSV structure is broken (for example a file cut short inside a quoted field).
    #[error("line {line}: {message}")]
    Csv {
        /// The line where the problem is.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// Reading failed.
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
}

/// Reads a Strong, Hevy or FitNotes CSV export.
///
/// The whole input is read; a UTF-8 byte-order mark and CRLF line ends are accepted. Rows that cannot become a
/// set are listed in the report with their line and the reason; only problems with the whole file are errors.
/// `progress` is called with the number of rows read so far, every few hundred rows and once at the end.
pub fn import<R: Read>(
    mut reader: R,
    catalog: &Catalog,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<Imported, ImportError> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    let text = decode(&bytes)?;
    let (_, line) = common::first_line(&text).ok_or(ImportError::Empty)?;
    let delimiter = common::sniff_delimiter(line);
    let first = common::first_record(&text, delimiter)?;
    let format = match opts.format {
        Some(f) => f,
        None => detect::classify(&first, line)?,
    };
    let mut ctx = Ctx::new(opts, progress);
    let format = match format {
        Format::Hevy => hevy::read(&text, delimiter, &first, line, &mut ctx)?,
        Format::FitNotes => fitnotes::read(&text, delimiter, &first, line, &mut ctx)?,
        Format::Strong | Format::Strong6 | Format::StrongAndroid => {
            strong::read(&text, delimiter, &first, line, &mut ctx)?
        }
    };
    let (report, drafts) = ctx.finish();
    Ok(assemble(format, report, drafts, catalog, opts))
}

/// Tells which app wrote a file from its start (the first line is enough), without reading the rest.
pub fn detect(start: &[u8]) -> Result<Format, ImportError> {
    let body = strip_bom(start);
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        // The start may end inside a character.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(body.get(..e.valid_up_to()).unwrap_or_default()).unwrap_or_default()
        }
        Err(e) => {
            return Err(ImportError::NotUtf8 {
                line: line_at(body, e.valid_up_to()),
            });
        }
    };
    let (_, line) = common::first_line(text).ok_or(ImportError::Empty)?;
    let delimiter = common::sniff_delimiter(line);
    let first = common::first_record(line, delimiter)?;
    detect::classify(&first, line)
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// The 1-based line of a byte offset.
fn line_at(bytes: &[u8], offset: usize) -> u64 {
    let before = bytes.get(..offset).unwrap_or(bytes);
    before.iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// The text without a byte-order mark, with `\n` line ends.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ImportError> {
    let body = strip_bom(bytes);
    let text = std::str::from_utf8(body).map_err(|e| ImportError::NotUtf8 {
        line: line_at(body, e.valid_up_to()),
    })?;
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    })
}

/// Resolves the exercise names and turns the collected workouts into sessions, oldest first.
fn assemble(
    format: Format,
    mut report: ImportReport,
    drafts: Vec<DraftSession>,
    catalog: &Catalog,
    opts: &ImportOptions,
) -> Imported {
    let uses = mapping::name_uses(&drafts);
    let res = mapping::resolve_all(&uses, catalog, &opts.mapping);
    let mut empty = 0usize;
    let mut sessions = Vec::with_capacity(drafts.len());
    for d in drafts {
        if d.sets.is_empty() {
            empty += 1;
        } else {
            sessions.push(build(d, &res.ids));
        }
    }
    sessions.sort_by(|a: &ImportedSession, b: &ImportedSession| {
        a.session
            .at
            .cmp(&b.session.at)
            .then_with(|| a.source_key().cmp(b.source_key()))
    });
    report.format = format.as_str().to_owned();
    report.sessions = sessions.len();
    report.sets = sessions.iter().map(|s| s.session.sets.len()).sum();
    report.first = sessions.first().map(|s| s.session.at);
    report.last = sessions.last().map(|s| s.session.at);
    report.unmapped_exercises = res.unmapped;
    report.notes.extend(res.notes);
    if empty > 0 {
        report
            .notes
            .push(format!("{empty} workout(s) had no usable sets and were left out"));
    }
    Imported {
        format,
        sessions,
        new_exercises: res.new_exercises,
        report,
    }
}

fn build(d: DraftSession, ids: &HashMap<String, String>) -> ImportedSession {
    let notes = d.notes.joined();
    let mut sets = Vec::with_capacity(d.sets.len());
    for s in d.sets {
        let Some(id) = ids.get(&s.key) else {
            continue;
        };
        sets.push(SetEntry {
            exercise: id.clone(),
            dose: s.dose,
            load: s.load,
            rpe: s.rpe,
            pain: None,
            felt: Felt::Target,
            form_breakdown: false,
            kind: s.kind,
        });
    }
    ImportedSession {
        session: Session {
            at: d.at,
            pain_before: None,
            minutes: d.minutes,
            session_rpe: None,
            sets,
            notes,
            source: Some(d.key),
        },
        title: d.title,
        first_line: d.first_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::builtin().unwrap()
    }

    fn run(text: &str, opts: &ImportOptions) -> Result<Imported, ImportError> {
        import(text.as_bytes(), &catalog(), opts, &mut |_| {})
    }

    const V3: &str = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n\
                      2024-01-15 07:05:12,Legs,45m,Squat (Barbell),1,100,5,0,0,,,8\n\
                      2024-01-15 07:05:12,Legs,45m,Squat (Barbell),2,100,0,0,0,,,\n";

    #[test]
    fn formats_round_trip_through_their_names() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>().unwrap(), *f);
            assert_eq!(serde_json::to_string(f).unwrap(), format!("\"{}\"", f.as_str()));
        }
        assert!("liftosaur".parse::<Format>().is_err());
    }

    #[test]
    fn empty_and_blank_files() {
        for t in ["", "\u{feff}", "  \n\n", "\r\n"] {
            assert!(
                matches!(run(t, &ImportOptions::default()), Err(ImportError::Empty)),
                "{t:?}"
            );
        }
    }

    #[test]
    fn non_utf8_reports_the_line() {
        let mut bytes = b"Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time\n".to_vec();
        bytes.extend_from_slice(b"2020-01-01,Curl,Arms,10,5,,,\n2020-01-01,Cur\xff,Arms,10,5,,,\n");
        let e = import(
            bytes.as_slice(),
            &catalog(),
            &ImportOptions::default(),
            &mut |_| {},
        )
        .unwrap_err();
        assert!(matches!(e, ImportError::NotUtf8 { line: 3 }), "{e:?}");
    }

    #[test]
    fn the_unit_is_asked_for_only_when_it_matters() {
        let e = run(V3, &ImportOptions::default()).unwrap_err();
        assert!(matches!(e, ImportError::UnitNeeded { line: 2 }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "line 2 has a weight, and the file does not say whether its weights are kg or lb"
        );
        let bodyweight = V3.replace(",100,", ",0,");
        let ok = run(&bodyweight, &ImportOptions::default()).unwrap();
        assert_eq!(ok.report.sets, 1);
    }

    #[test]
    fn progress_is_reported() {
        let mut calls = Vec::new();
        let opts = ImportOptions {
            unit: Some(WeightUnit::Kg),
            ..ImportOptions::default()
        };
        let imported = import(V3.as_bytes(), &catalog(), &opts, &mut |n| calls.push(n)).unwrap();
        assert_eq!(calls.last().copied(), Some(2));
        assert_eq!(imported.report.rows, 2);
        assert_eq!(imported.report.skipped.len(), 1);
        assert_eq!(imported.report.skipped[0].line, 3);
    }

    #[test]
    fn detect_reads_only_the_start() {
        assert_eq!(detect(V3.as_bytes()).unwrap(), Format::Strong);
        let cut = detect(&V3.as_bytes()[..40]).unwrap_err().to_string();
        assert!(cut.contains("Date,Workout Name"), "{cut}");
        let hevy =
            "\u{feff}\"title\",\"start_time\",\"end_time\",\"description\",\"exercise_title\",\"set_index\"";
        assert_eq!(detect(hevy.as_bytes()).unwrap(), Format::Hevy);
        assert!(matches!(
            detect(b"\xff\xfeD\x00"),
            Err(ImportError::NotUtf8 { line: 1 })
        ));
    }

    #[test]
    fn a_forced_format_must_fit_the_header() {
        let opts = ImportOptions {
            format: Some(Format::Hevy),
            unit: Some(WeightUnit::Kg),
            ..ImportOptions::default()
        };
        assert!(matches!(
            run(V3, &opts),
            Err(ImportError::WrongFormat {
                format: Format::Hevy,
                ..
            })
        ));
        let opts = ImportOptions {
            format: Some(Format::Strong),
            unit: Some(WeightUnit::Kg),
            ..ImportOptions::default()
        };
        assert_eq!(run(V3, &opts).unwrap().format, Format::Strong);
    }

    #[test]
    fn the_report_serializes() {
        let opts = ImportOptions {
            unit: Some(WeightUnit::Kg),
            ..ImportOptions::default()
        };
        let r = run(V3, &opts).unwrap().report;
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["format"], "strong");
        assert_eq!(json["sets"], 1);
        assert_eq!(json["skipped"][0]["line"], 3);
        assert_eq!(json["first"], "2024-01-15T07:05:12Z");
    }
}
