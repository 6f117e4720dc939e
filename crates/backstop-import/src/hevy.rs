//! Hevy: one row per set, newest workout first, sets of a workout in the order they were done.
//!
//! The unit is in the column names (`weight_kg` or `weight_lbs`, `distance_km` or `distance_miles`); times are
//! local, minute precision, written per the phone's locale (`7 Apr 2026, 10:14`, `Jun 11, 2026, 1:01 PM`).
//! `set_type` is `normal`, `warmup`, `dropset` or `failure`; `superset_id` groups exercises and is not kept
//! (backstop's sets have no grouping). `description` (the workout note) and `exercise_notes` repeat on every row
//! and are kept once.

use std::collections::HashSet;

use backstop_core::{Minutes, WeightUnit};
use csv::StringRecord;
use jiff::Timestamp;

use crate::common::{Ctx, DraftSession, Measured, RowIssue, cell, header_key, num, read_rows, skip};
use crate::detect::shorten;
use crate::numbers::{self, DistanceUnit, Length};
use crate::{Format, ImportError, SetKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Title,
    Start,
    End,
    Description,
    Exercise,
    ExerciseNotes,
    SetType,
    Weight,
    Reps,
    Distance,
    Duration,
    Rpe,
}

const COLS: usize = 12;

#[derive(Debug, Clone, Copy, Default)]
struct Layout {
    cols: crate::common::ColumnMap<COLS>,
    weight_unit: Option<WeightUnit>,
    distance_unit: Option<DistanceUnit>,
}

impl Layout {
    fn get(&self, c: Col) -> Option<usize> {
        self.cols.get(c as usize)
    }

    fn set(&mut self, c: Col, i: usize) {
        self.cols.set(c as usize, i);
    }

    fn from_header(cells: &[String]) -> Self {
        let mut l = Layout::default();
        for (i, c) in cells.iter().enumerate() {
            let key = header_key(c);
            let col = match key.as_str() {
                "title" => Col::Title,
                "start_time" => Col::Start,
                "end_time" => Col::End,
                "description" => Col::Description,
                "exercise_title" => Col::Exercise,
                "exercise_notes" => Col::ExerciseNotes,
                "set_type" => Col::SetType,
                "weight_kg" => {
                    l.weight_unit = Some(WeightUnit::Kg);
                    Col::Weight
                }
                "weight_lbs" | "weight_lb" => {
                    l.weight_unit = Some(WeightUnit::Lb);
                    Col::Weight
                }
                "reps" => Col::Reps,
                "distance_km" => {
                    l.distance_unit = Some(DistanceUnit::Kilometres);
                    Col::Distance
                }
                "distance_miles" | "distance_mi" => {
                    l.distance_unit = Some(DistanceUnit::Miles);
                    Col::Distance
                }
                "distance_meters" | "distance_metres" | "distance_m" => {
                    l.distance_unit = Some(DistanceUnit::Metres);
                    Col::Distance
                }
                "duration_seconds" => Col::Duration,
                "rpe" => Col::Rpe,
                _ => continue,
            };
            l.set(col, i);
        }
        l
    }

    fn required_len(&self) -> Option<usize> {
        Some(self.get(Col::Start)?.max(self.get(Col::Exercise)?) + 1)
    }
}

fn set_kind(raw: &str) -> Option<SetKind> {
    match raw.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
        "" | "normal" => Some(SetKind::Normal),
        "warmup" | "warm_up" => Some(SetKind::Warmup),
        "dropset" | "drop_set" | "drop" => Some(SetKind::Drop),
        "failure" => Some(SetKind::Failure),
        _ => None,
    }
}

struct Reader {
    layout: Layout,
    required: usize,
    unknown_types: HashSet<String>,
}

/// Reads a Hevy file whose first record is the header `first` (`line` is that line as text).
pub(crate) fn read(
    text: &str,
    delimiter: u8,
    first: &[String],
    line: &str,
    ctx: &mut Ctx<'_, '_>,
) -> Result<Format, ImportError> {
    let layout = Layout::from_header(first);
    let required = layout.required_len().ok_or_else(|| ImportError::WrongFormat {
        format: Format::Hevy,
        header: shorten(line),
    })?;
    if let (Some(file), Some(given)) = (layout.weight_unit, ctx.opts.unit)
        && file != given
    {
        ctx.note(format!(
            "the file gives weights in {file}; the unit {given} was not used"
        ));
    }
    let mut reader = Reader {
        layout,
        required,
        unknown_types: HashSet::new(),
    };
    read_rows(text, delimiter, true, ctx, |ctx, line, rec| {
        reader.row(ctx, line, rec)
    })?;
    Ok(Format::Hevy)
}

impl Reader {
    fn row(&mut self, ctx: &mut Ctx<'_, '_>, line: u64, rec: &StringRecord) -> Result<(), RowIssue> {
        let l = self.layout;
        if rec.len() < self.required {
            return Err(skip(format!(
                "the row has {} fields; at least {} are needed",
                rec.len(),
                self.required
            )));
        }
        let c = |col: Col| cell(rec, l.get(col));
        let index = session(ctx, line, rec, l)?;
        let kind = self.kind(ctx, line, c(Col::SetType));
        let name = l.get(Col::Exercise).and_then(|i| rec.get(i)).unwrap_or("");
        let distance = num("distance", c(Col::Distance))?;
        let unit = l.distance_unit.unwrap_or(DistanceUnit::Kilometres);
        let rpe = match numbers::number(c(Col::Rpe)) {
            Ok(v) => v,
            Err(why) => {
                ctx.note(format!("line {line}: RPE {why}; the RPE was left out"));
                None
            }
        };
        let m = Measured {
            weight: num("weight", c(Col::Weight))?,
            unit: l.weight_unit,
            reps: num("reps", c(Col::Reps))?,
            seconds: num("duration_seconds", c(Col::Duration))?,
            metres: distance.map(|d| d * unit.metres()),
            rpe,
        };
        let set = ctx.make_set(line, name, None, kind, m)?;
        if let Some(d) = ctx.draft(index) {
            d.notes.push_for(name, c(Col::ExerciseNotes));
            d.sets.push(set);
        }
        Ok(())
    }

    fn kind(&mut self, ctx: &mut Ctx<'_, '_>, line: u64, raw: &str) -> SetKind {
        set_kind(raw).unwrap_or_else(|| {
            if self.unknown_types.insert(raw.to_owned()) {
                ctx.note(format!(
                    "line {line}: set type {raw:?} is not known; such sets were imported as normal sets"
                ));
            }
            SetKind::Normal
        })
    }
}

/// The workout this row belongs to, created from its first row.
fn session(ctx: &mut Ctx<'_, '_>, line: u64, rec: &StringRecord, l: Layout) -> Result<usize, RowIssue> {
    let c = |col: Col| cell(rec, l.get(col));
    let start = c(Col::Start);
    let local = numbers::local_datetime(start).ok_or_else(|| {
        skip(format!(
            "start_time {start:?} is not a date and time this importer reads"
        ))
    })?;
    let title = c(Col::Title);
    let key = format!("hevy:{local}:{title}");
    let index = match ctx.session_index(&key) {
        Some(i) => i,
        None => {
            let at = ctx.to_utc(local)?;
            let minutes = length(ctx, line, at, c(Col::End));
            let mut draft = DraftSession::new(key, at, line, title);
            draft.minutes = minutes;
            ctx.add_session(draft)
        }
    };
    if let Some(d) = ctx.draft(index) {
        d.notes.push(c(Col::Description));
    }
    Ok(index)
}

/// The workout's length from its end time; missing, negative or implausible lengths are left empty.
fn length(ctx: &mut Ctx<'_, '_>, line: u64, start: Timestamp, end: &str) -> Option<Minutes> {
    let end = numbers::local_datetime(end)?;
    let end = ctx.to_utc(end).ok()?;
    let seconds = end.as_second() - start.as_second();
    let Ok(seconds) = u64::try_from(seconds) else {
        ctx.note(format!(
            "line {line}: the workout ends before it starts; its length was left empty"
        ));
        return None;
    };
    match numbers::session_length(seconds) {
        Length::Minutes(m) => Some(m),
        Length::Unknown => None,
        Length::Implausible => {
            ctx.note(format!(
                "line {line}: the workout lasts {} hours, which is implausible (a timer left running?); its length \
                 was left empty",
                seconds / 3600
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_types() {
        assert_eq!(set_kind("normal"), Some(SetKind::Normal));
        assert_eq!(set_kind(""), Some(SetKind::Normal));
        assert_eq!(set_kind("warmup"), Some(SetKind::Warmup));
        assert_eq!(set_kind("dropset"), Some(SetKind::Drop));
        assert_eq!(set_kind("failure"), Some(SetKind::Failure));
        assert_eq!(set_kind("myo"), None);
    }

    #[test]
    fn units_come_from_column_names() {
        let lb: Vec<String> = "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_lbs,reps,distance_miles,duration_seconds,rpe"
            .split(',')
            .map(str::to_owned)
            .collect();
        let l = Layout::from_header(&lb);
        assert_eq!(l.weight_unit, Some(WeightUnit::Lb));
        assert_eq!(l.distance_unit, Some(DistanceUnit::Miles));
        assert_eq!(l.get(Col::Weight), Some(9));
        assert_eq!(l.required_len(), Some(5));
    }
}
