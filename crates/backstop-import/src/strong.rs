//! Strong: the comma layouts v0–v4 (with English, German or French headers), the `;` Android layout (with or
//! without a header line) and "Strong 6" (`;`, every field quoted, `Workout #`, units in the header names).
//!
//! A workout is the rows sharing `Date` and `Workout Name` (Strong 6: `Workout #` and `Date`); `Date` is the
//! local start time. `Set Order` is a number, `W`/`WARM_UP` (warm-up), `D` (drop), `F`/`FAILURE` (failure) or
//! `Rest Timer` (a rest, not a set: counted and skipped).

use std::collections::HashSet;

use backstop_core::{Minutes, WeightUnit};
use csv::StringRecord;
use jiff::civil::DateTime;

use crate::common::{Ctx, DraftSession, Measured, RowIssue, cell, header_key, num, read_rows, skip};
use crate::detect::{looks_headerless_strong, shorten};
use crate::numbers::{self, DistanceUnit, Length};
use crate::{Format, ImportError, SetKind};

/// The columns this reader uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    WorkoutNo,
    Date,
    WorkoutName,
    Duration,
    Exercise,
    SetOrder,
    Weight,
    UnitOfWeight,
    Reps,
    Distance,
    UnitOfDistance,
    Seconds,
    Notes,
    WorkoutNotes,
    Rpe,
}

const COLS: usize = 15;

/// A unit named by a header cell (`kg`, `Weight (kg)`, `Distance (meters)`).
#[derive(Debug, Clone, Copy)]
enum HeaderUnit {
    Plain,
    Weight(WeightUnit),
    Distance(DistanceUnit),
}

/// Which column holds what, and the units the header names.
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

    /// The fixed columns of the headerless Android file (a 14th, `Workout Duration`, is reported by others).
    fn android() -> Self {
        let mut l = Layout::default();
        let order = [
            Col::Date,
            Col::WorkoutName,
            Col::Exercise,
            Col::SetOrder,
            Col::Weight,
            Col::UnitOfWeight,
            Col::Reps,
            Col::Rpe,
            Col::Distance,
            Col::UnitOfDistance,
            Col::Seconds,
            Col::Notes,
            Col::WorkoutNotes,
            Col::Duration,
        ];
        for (i, c) in order.into_iter().enumerate() {
            l.set(c, i);
        }
        l
    }

    fn from_header(cells: &[String]) -> Self {
        let mut l = Layout::default();
        for (i, c) in cells.iter().enumerate() {
            let Some((col, unit)) = classify(&header_key(c)) else {
                continue;
            };
            l.set(col, i);
            match unit {
                HeaderUnit::Weight(u) => l.weight_unit = Some(u),
                HeaderUnit::Distance(u) => l.distance_unit = Some(u),
                HeaderUnit::Plain => {}
            }
        }
        l
    }

    /// The fewest fields a row needs to hold every required column.
    fn required_len(&self) -> Option<usize> {
        let required = [Col::Date, Col::Exercise, Col::Reps];
        let mut most = 0;
        for c in required {
            most = most.max(self.get(c)? + 1);
        }
        Some(most)
    }

    fn format(&self, headerless: bool) -> Format {
        if self.get(Col::WorkoutNo).is_some() {
            Format::Strong6
        } else if headerless || self.get(Col::UnitOfWeight).is_some() {
            Format::StrongAndroid
        } else {
            Format::Strong
        }
    }
}

fn classify(key: &str) -> Option<(Col, HeaderUnit)> {
    let plain = |c: Col| Some((c, HeaderUnit::Plain));
    let weight = |u: WeightUnit| Some((Col::Weight, HeaderUnit::Weight(u)));
    let distance = |u: DistanceUnit| Some((Col::Distance, HeaderUnit::Distance(u)));
    match key {
        "workout #" => plain(Col::WorkoutNo),
        "date" | "datum" => plain(Col::Date),
        "workout name" | "workout-name" | "nom de l'entraînement" => plain(Col::WorkoutName),
        "duration" | "dauer" | "durée" | "workout duration" | "duration (sec)" | "duration (s)"
        | "duration (seconds)" => plain(Col::Duration),
        "exercise name" | "name der übung" | "nom de l'exercice" => plain(Col::Exercise),
        "set order" | "reihenfolge festlegen" | "ordre de la série" => plain(Col::SetOrder),
        "weight" | "gewicht" | "poids" => plain(Col::Weight),
        "kg" | "kgs" | "weight (kg)" | "weight (kgs)" => weight(WeightUnit::Kg),
        "lb" | "lbs" | "weight (lb)" | "weight (lbs)" => weight(WeightUnit::Lb),
        "weight unit" => plain(Col::UnitOfWeight),
        "reps" | "wiederh." | "wiederholungen" | "réps" | "répétitions" => plain(Col::Reps),
        "distance" | "entfernung" => plain(Col::Distance),
        "km" | "distance (km)" => distance(DistanceUnit::Kilometres),
        "mi" | "miles" | "distance (mi)" | "distance (miles)" => distance(DistanceUnit::Miles),
        "distance (m)" | "distance (meters)" | "distance (metres)" => distance(DistanceUnit::Metres),
        "distance unit" => plain(Col::UnitOfDistance),
        "seconds" | "sekunden" | "secondes" => plain(Col::Seconds),
        "notes" | "notizen" => plain(Col::Notes),
        "workout notes" | "workout-notizen" | "notes d'entraînement" | "notes de l'entraînement" => {
            plain(Col::WorkoutNotes)
        }
        "rpe" => plain(Col::Rpe),
        _ => None,
    }
}

/// What the `Set Order` cell says.
enum Order {
    Set(SetKind),
    RestTimer,
    Unknown,
}

fn set_order(raw: &str) -> Order {
    let t = raw.trim();
    if t.is_empty() || matches!(numbers::number(t), Ok(Some(_))) {
        return Order::Set(SetKind::Normal);
    }
    match t.to_uppercase().replace([' ', '-'], "_").as_str() {
        "W" | "WARM_UP" | "WARMUP" => Order::Set(SetKind::Warmup),
        "D" | "DROP" | "DROP_SET" | "DROPSET" => Order::Set(SetKind::Drop),
        "F" | "FAILURE" => Order::Set(SetKind::Failure),
        "REST_TIMER" | "RESTTIMER" | "REST" => Order::RestTimer,
        _ => Order::Unknown,
    }
}

struct Reader {
    layout: Layout,
    required: usize,
    km_noted: bool,
    unknown_orders: HashSet<String>,
}

/// Reads a Strong file whose first record is `first` (`line` is that line as text) and returns the layout it
/// turned out to be.
pub(crate) fn read(
    text: &str,
    delimiter: u8,
    first: &[String],
    line: &str,
    ctx: &mut Ctx<'_, '_>,
) -> Result<Format, ImportError> {
    let headerless = looks_headerless_strong(first);
    let layout = if headerless {
        Layout::android()
    } else {
        Layout::from_header(first)
    };
    let format = layout.format(headerless);
    let required = layout.required_len().ok_or_else(|| ImportError::WrongFormat {
        format,
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
        km_noted: false,
        unknown_orders: HashSet::new(),
    };
    read_rows(text, delimiter, !headerless, ctx, |ctx, line, rec| {
        reader.row(ctx, line, rec)
    })?;
    Ok(format)
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
        let date = cell(rec, l.get(Col::Date));
        let local =
            numbers::local_datetime(date).ok_or_else(|| skip(format!("date {date:?} is not readable")))?;
        let index = self.session(ctx, line, rec, local)?;
        let kind = self.kind(ctx, line, cell(rec, l.get(Col::SetOrder)))?;
        let name = l.get(Col::Exercise).and_then(|i| rec.get(i)).unwrap_or("");
        let m = self.measure(ctx, line, rec)?;
        let set = ctx.make_set(line, name, None, kind, m)?;
        if let Some(d) = ctx.draft(index) {
            d.notes.push_for(name, cell(rec, l.get(Col::Notes)));
            d.sets.push(set);
        }
        Ok(())
    }

    fn kind(&mut self, ctx: &mut Ctx<'_, '_>, line: u64, raw: &str) -> Result<SetKind, RowIssue> {
        match set_order(raw) {
            Order::Set(k) => Ok(k),
            Order::RestTimer => Err(RowIssue::RestTimer),
            Order::Unknown => {
                if self.unknown_orders.insert(raw.to_owned()) {
                    ctx.note(format!(
                        "line {line}: set order {raw:?} is not known; such sets were imported as normal sets"
                    ));
                }
                Ok(SetKind::Normal)
            }
        }
    }

    /// The workout this row belongs to, created from its first row.
    fn session(
        &self,
        ctx: &mut Ctx<'_, '_>,
        line: u64,
        rec: &StringRecord,
        local: DateTime,
    ) -> Result<usize, RowIssue> {
        let l = self.layout;
        let name = cell(rec, l.get(Col::WorkoutName));
        let key = match l.get(Col::WorkoutNo) {
            Some(i) => format!("strong6:{}:{local}", cell(rec, Some(i))),
            None => format!("strong:{local}:{name}"),
        };
        let index = match ctx.session_index(&key) {
            Some(i) => i,
            None => {
                let at = ctx.to_utc(local)?;
                let minutes = workout_minutes(ctx, line, cell(rec, l.get(Col::Duration)));
                let mut draft = DraftSession::new(key, at, line, name);
                draft.minutes = minutes;
                ctx.add_session(draft)
            }
        };
        if let Some(d) = ctx.draft(index) {
            d.notes.push(cell(rec, l.get(Col::WorkoutNotes)));
        }
        Ok(index)
    }

    fn measure(
        &mut self,
        ctx: &mut Ctx<'_, '_>,
        line: u64,
        rec: &StringRecord,
    ) -> Result<Measured, RowIssue> {
        let l = self.layout;
        let c = |col: Col| cell(rec, l.get(col));
        let unit = l
            .weight_unit
            .or_else(|| numbers::weight_unit(c(Col::UnitOfWeight)))
            .or(ctx.opts.unit);
        let distance = num("distance", c(Col::Distance))?;
        let metres = match distance {
            Some(d) if d > 0.0 => Some(
                d * self
                    .distance_unit(ctx, line, c(Col::UnitOfDistance), unit)
                    .metres(),
            ),
            other => other,
        };
        let rpe = match numbers::number(c(Col::Rpe)) {
            Ok(v) => v,
            Err(why) => {
                ctx.note(format!("line {line}: RPE {why}; the RPE was left out"));
                None
            }
        };
        Ok(Measured {
            weight: num("weight", c(Col::Weight))?,
            unit,
            reps: num("reps", c(Col::Reps))?,
            seconds: num("seconds", c(Col::Seconds))?,
            metres,
            rpe,
        })
    }

    fn distance_unit(
        &mut self,
        ctx: &mut Ctx<'_, '_>,
        line: u64,
        in_row: &str,
        weight_unit: Option<WeightUnit>,
    ) -> DistanceUnit {
        if let Some(u) = self.layout.distance_unit.or_else(|| DistanceUnit::parse(in_row)) {
            return u;
        }
        if let Some(u) = weight_unit {
            return DistanceUnit::following(u);
        }
        if !self.km_noted {
            self.km_noted = true;
            ctx.note(format!(
                "line {line}: the file does not say whether distances are km or miles; they were read as km \
                 (give the weight unit as lb to read them as miles)"
            ));
        }
        DistanceUnit::Kilometres
    }
}

/// A workout's length from its duration cell; implausible or unreadable lengths are left empty with a note.
pub(crate) fn workout_minutes(ctx: &mut Ctx<'_, '_>, line: u64, raw: &str) -> Option<Minutes> {
    match numbers::duration_seconds(raw) {
        Ok(Some(secs)) => match numbers::session_length(secs) {
            Length::Minutes(m) => Some(m),
            Length::Unknown => None,
            Length::Implausible => {
                ctx.note(format!(
                    "line {line}: a workout length of {raw} is implausible (a timer left running?); it was left empty"
                ));
                None
            }
        },
        Ok(None) => None,
        Err(why) => {
            ctx.note(format!("line {line}: {why}; the workout length was left empty"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_orders() {
        assert!(matches!(set_order("1"), Order::Set(SetKind::Normal)));
        assert!(matches!(set_order("0"), Order::Set(SetKind::Normal)));
        assert!(matches!(set_order("W"), Order::Set(SetKind::Warmup)));
        assert!(matches!(set_order("WARM_UP"), Order::Set(SetKind::Warmup)));
        assert!(matches!(set_order("D"), Order::Set(SetKind::Drop)));
        assert!(matches!(set_order("F"), Order::Set(SetKind::Failure)));
        assert!(matches!(set_order("FAILURE"), Order::Set(SetKind::Failure)));
        assert!(matches!(set_order("Rest Timer"), Order::RestTimer));
        assert!(matches!(set_order("x"), Order::Unknown));
    }

    #[test]
    fn localized_headers_map_to_the_same_columns() {
        let german: Vec<String> = "Datum,Workout-Name,Dauer,Name der Übung,Reihenfolge festlegen,Gewicht,Wiederh.,Entfernung,Sekunden,Notizen,Workout-Notizen,RPE"
            .split(',')
            .map(str::to_owned)
            .collect();
        let french: Vec<String> = "Date,Nom de l'entraînement,Durée,Nom de l'exercice,Ordre de la série,Poids,Réps,Distance,Secondes,Notes,Notes d'entraînement,RPE"
            .split(',')
            .map(str::to_owned)
            .collect();
        let english: Vec<String> = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
            .split(',')
            .map(str::to_owned)
            .collect();
        let (g, f, e) = (
            Layout::from_header(&german),
            Layout::from_header(&french),
            Layout::from_header(&english),
        );
        assert_eq!(g.cols, e.cols);
        assert_eq!(f.cols, e.cols);
        assert_eq!((0..COLS).filter(|c| e.cols.get(*c).is_some()).count(), 12);
    }

    #[test]
    fn units_in_headers() {
        let v0: Vec<String> = "Date,Workout Name,Exercise Name,Set Order,kg,Reps,km,Seconds,Notes"
            .split(',')
            .map(str::to_owned)
            .collect();
        let l = Layout::from_header(&v0);
        assert_eq!(l.weight_unit, Some(WeightUnit::Kg));
        assert_eq!(l.distance_unit, Some(DistanceUnit::Kilometres));
        assert_eq!(l.format(false), Format::Strong);
    }
}
