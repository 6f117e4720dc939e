//! FitNotes: one row per set, oldest first; no time of day, no workout name and no set number, so a workout is
//! a calendar date (placed at 12:00 local time) and sets keep the row order.
//!
//! Two layouts: `Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time` (`Weight (kgs)` for
//! kilograms) and `Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time`, both optionally
//! followed by `Comment`. FitNotes does not quote exercise names that contain commas
//! (`Overhead Press (Each Side, Dumbbells)`), so a row with more fields than the header is read by anchoring the
//! columns after `Exercise` on the right and joining the surplus back into the name.

use backstop_core::WeightUnit;
use csv::StringRecord;

use crate::common::{Ctx, DraftSession, Measured, RowIssue, cell, header_key, num, read_rows, skip};
use crate::detect::shorten;
use crate::numbers::{self, DistanceUnit};
use crate::{Format, ImportError, SetKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Date,
    Exercise,
    Category,
    Weight,
    UnitOfWeight,
    Reps,
    Distance,
    UnitOfDistance,
    Time,
    Comment,
}

const COLS: usize = 10;

#[derive(Debug, Clone, Copy, Default)]
struct Layout {
    cols: crate::common::ColumnMap<COLS>,
    /// Number of header fields.
    width: usize,
    /// Unit named in the weight header (`Weight (lbs)`).
    weight_unit: Option<WeightUnit>,
}

impl Layout {
    fn get(&self, c: Col) -> Option<usize> {
        self.cols.get(c as usize)
    }

    fn set(&mut self, c: Col, i: usize) {
        self.cols.set(c as usize, i);
    }

    fn from_header(cells: &[String]) -> Self {
        let mut l = Layout {
            width: cells.len(),
            ..Layout::default()
        };
        for (i, c) in cells.iter().enumerate() {
            let key = header_key(c);
            let col = match key.as_str() {
                "date" => Col::Date,
                "exercise" => Col::Exercise,
                "category" => Col::Category,
                "weight unit" => Col::UnitOfWeight,
                "reps" => Col::Reps,
                "distance" => Col::Distance,
                "distance unit" => Col::UnitOfDistance,
                "time" => Col::Time,
                "comment" | "comments" | "notes" => Col::Comment,
                k if k.starts_with("weight") => {
                    l.weight_unit = unit_in_parentheses(k);
                    Col::Weight
                }
                _ => continue,
            };
            l.set(col, i);
        }
        l
    }

    /// The fewest fields a row may have: every column, except that a trailing `Comment` may be missing.
    fn min_len(&self) -> usize {
        match self.get(Col::Comment) {
            Some(i) if i + 1 == self.width => self.width - 1,
            _ => self.width,
        }
    }

    /// Where a column's value is in a row with `extra` surplus fields (all inside the exercise name).
    fn at<'r>(&self, rec: &'r StringRecord, c: Col, extra: usize) -> &'r str {
        let exercise = self.get(Col::Exercise).unwrap_or(0);
        let i = self.get(c).map(|i| if i > exercise { i + extra } else { i });
        cell(rec, i)
    }

    /// The exercise name, with the fields an unquoted comma split off joined back.
    fn name(&self, rec: &StringRecord, extra: usize) -> String {
        let Some(start) = self.get(Col::Exercise) else {
            return String::new();
        };
        let parts: Vec<&str> = (start..=start + extra).filter_map(|i| rec.get(i)).collect();
        parts.join(",")
    }
}

fn unit_in_parentheses(key: &str) -> Option<WeightUnit> {
    let open = key.find('(')?;
    let inner = key.get(open + 1..)?.trim_end_matches(')');
    numbers::weight_unit(inner)
}

struct Reader {
    layout: Layout,
    km_noted: bool,
}

/// Reads a FitNotes file whose first record is the header `first` (`line` is that line as text).
pub(crate) fn read(
    text: &str,
    delimiter: u8,
    first: &[String],
    line: &str,
    ctx: &mut Ctx<'_, '_>,
) -> Result<Format, ImportError> {
    let layout = Layout::from_header(first);
    if layout.get(Col::Date).is_none()
        || layout.get(Col::Exercise).is_none()
        || layout.get(Col::Reps).is_none()
    {
        return Err(ImportError::WrongFormat {
            format: Format::FitNotes,
            header: shorten(line),
        });
    }
    let mut reader = Reader {
        layout,
        km_noted: false,
    };
    read_rows(text, delimiter, true, ctx, |ctx, line, rec| {
        reader.row(ctx, line, rec)
    })?;
    Ok(Format::FitNotes)
}

impl Reader {
    fn row(&mut self, ctx: &mut Ctx<'_, '_>, line: u64, rec: &StringRecord) -> Result<(), RowIssue> {
        let l = self.layout;
        if rec.len() < l.min_len() {
            return Err(skip(format!(
                "the row has {} fields; the header has {}",
                rec.len(),
                l.width
            )));
        }
        let extra = rec.len().saturating_sub(l.width);
        let c = |col: Col| l.at(rec, col, extra);
        let date_raw = c(Col::Date);
        let date =
            numbers::iso_date(date_raw).ok_or_else(|| skip(format!("date {date_raw:?} is not readable")))?;
        let key = format!("fitnotes:{date}");
        let index = match ctx.session_index(&key) {
            Some(i) => i,
            None => {
                let at = ctx.to_utc(date.at(12, 0, 0, 0))?;
                ctx.add_session(DraftSession::new(key, at, line, ""))
            }
        };
        let name = l.name(rec, extra);
        let unit = numbers::weight_unit(c(Col::UnitOfWeight))
            .or(l.weight_unit)
            .or(ctx.opts.unit);
        let metres = self.metres(ctx, line, c(Col::Distance), c(Col::UnitOfDistance), unit)?;
        let seconds = numbers::duration_seconds(c(Col::Time)).map_err(|why| skip(format!("time: {why}")))?;
        let m = Measured {
            weight: num("weight", c(Col::Weight))?,
            unit,
            reps: num("reps", c(Col::Reps))?,
            seconds: seconds.map(|s| s as f64),
            metres,
            rpe: None,
        };
        let set = ctx.make_set(line, &name, Some(c(Col::Category)), SetKind::Normal, m)?;
        if let Some(d) = ctx.draft(index) {
            d.notes.push_for(&name, c(Col::Comment));
            d.sets.push(set);
        }
        Ok(())
    }

    fn metres(
        &mut self,
        ctx: &mut Ctx<'_, '_>,
        line: u64,
        value: &str,
        unit: &str,
        weight_unit: Option<WeightUnit>,
    ) -> Result<Option<f64>, RowIssue> {
        let Some(d) = num("distance", value)?.filter(|d| *d > 0.0) else {
            return Ok(None);
        };
        let u = if unit.trim().is_empty() {
            weight_unit.map_or_else(
                || {
                    if !self.km_noted {
                        self.km_noted = true;
                        ctx.note(format!("line {line}: a distance without a unit was read as km"));
                    }
                    DistanceUnit::Kilometres
                },
                DistanceUnit::following,
            )
        } else {
            DistanceUnit::parse(unit).ok_or_else(|| skip(format!("distance unit {unit:?} is not known")))?
        };
        Ok(Some(d * u.metres()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(s: &str) -> Layout {
        Layout::from_header(&s.split(',').map(str::to_owned).collect::<Vec<_>>())
    }

    #[test]
    fn both_layouts() {
        let old = header("Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time");
        assert_eq!(old.weight_unit, Some(WeightUnit::Lb));
        assert_eq!(old.get(Col::Reps), Some(4));
        assert_eq!(old.min_len(), 8);
        let new =
            header("Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment");
        assert_eq!(new.weight_unit, None);
        assert_eq!(new.get(Col::UnitOfWeight), Some(4));
        assert_eq!(new.min_len(), 9);
    }

    #[test]
    fn unquoted_commas_are_joined_back_into_the_name() {
        let l = header("Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time");
        let rec = StringRecord::from(vec![
            "2025-05-10",
            "Overhead Press (Each Side",
            " Dumbbells)",
            "Shoulders",
            "14.0",
            "kgs",
            "10",
            "",
            "",
            "",
        ]);
        assert_eq!(l.name(&rec, 1), "Overhead Press (Each Side, Dumbbells)");
        assert_eq!(l.at(&rec, Col::Category, 1), "Shoulders");
        assert_eq!(l.at(&rec, Col::Reps, 1), "10");
        assert_eq!(l.at(&rec, Col::Date, 1), "2025-05-10");
    }
}
