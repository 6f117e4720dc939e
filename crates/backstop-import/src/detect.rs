//! Telling which app wrote a file from its first record (the "recognised by" column of `docs/cli.md`, "backstop
//! import").

use crate::common::header_key;
use crate::numbers;
use crate::{Format, ImportError};

/// The "Set Order" header in the languages Strong exports in.
pub(crate) const SET_ORDER: &[&str] = &["set order", "reihenfolge festlegen", "ordre de la série"];

/// Which app wrote a file whose first record is `cells`; `line` is that first line as text, for the message
/// when nothing matches.
pub(crate) fn classify(cells: &[String], line: &str) -> Result<Format, ImportError> {
    if looks_headerless_strong(cells) {
        return Ok(Format::StrongAndroid);
    }
    let keys: Vec<String> = cells.iter().map(|c| header_key(c)).collect();
    let has = |k: &str| keys.iter().any(|c| c == k);
    if has("exercise_title") && has("set_index") {
        return Ok(Format::Hevy);
    }
    if has("workout #") {
        return Ok(Format::Strong6);
    }
    if keys.iter().any(|k| SET_ORDER.contains(&k.as_str())) {
        return Ok(if has("weight unit") {
            Format::StrongAndroid
        } else {
            Format::Strong
        });
    }
    if is_fitnotes(&keys) {
        return Ok(Format::FitNotes);
    }
    Err(ImportError::UnrecognisedLayout {
        header: shorten(line),
    })
}

/// A Strong Android file without a header line: at least 13 fields and a date and time in the first.
pub(crate) fn looks_headerless_strong(cells: &[String]) -> bool {
    cells.len() >= 13
        && cells
            .first()
            .is_some_and(|c| numbers::local_datetime(c).is_some())
}

fn is_fitnotes(keys: &[String]) -> bool {
    let at = |i: usize| keys.get(i).map_or("", String::as_str);
    at(0) == "date" && at(1) == "exercise" && at(2) == "category" && at(3).starts_with("weight")
}

/// The first 200 characters of a line, for error messages.
pub(crate) fn shorten(line: &str) -> String {
    let mut s: String = line.chars().take(200).collect();
    if s.len() < line.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(line: &str, delimiter: u8) -> Vec<String> {
        crate::common::first_record(line, delimiter).unwrap()
    }

    fn format_of(line: &str) -> Result<Format, ImportError> {
        let d = crate::common::sniff_delimiter(line);
        classify(&cells(line, d), line)
    }

    #[test]
    fn every_known_header() {
        let cases = [
            (
                "Date,Workout Name,Exercise Name,Set Order,kg,Reps,km,Seconds,Notes",
                Format::Strong,
            ),
            (
                "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE",
                Format::Strong,
            ),
            (
                "Datum,Workout-Name,Dauer,Name der Übung,Reihenfolge festlegen,Gewicht,Wiederh.,Entfernung,Sekunden,Notizen,Workout-Notizen,RPE",
                Format::Strong,
            ),
            (
                "Date,Nom de l'entraînement,Durée,Nom de l'exercice,Ordre de la série,Poids,Réps,Distance,Secondes,Notes,Notes d'entraînement,RPE",
                Format::Strong,
            ),
            (
                "2020-12-05 15:44:36;\"Push\";\"Bench Press (Barbell)\";1;35;lbs;10;;;;0;\"\";\"\"",
                Format::StrongAndroid,
            ),
            (
                "\"Workout #\";\"Date\";\"Workout Name\";\"Duration (sec)\";\"Exercise Name\";\"Set Order\";\"Weight (kg)\";\"Reps\";\"RPE\";\"Distance (meters)\";\"Seconds\";\"Notes\";\"Workout Notes\"",
                Format::Strong6,
            ),
            (
                "\"title\",\"start_time\",\"end_time\",\"description\",\"exercise_title\",\"superset_id\",\"exercise_notes\",\"set_index\",\"set_type\",\"weight_kg\",\"reps\",\"distance_km\",\"duration_seconds\",\"rpe\"",
                Format::Hevy,
            ),
            (
                "title;start_time;end_time;description;exercise_title;exercise_notes;set_index;set_type;weight_kg;reps;distance_km;duration_seconds;rpe",
                Format::Hevy,
            ),
            (
                "Date,Exercise,Category,Weight (lbs),Reps,Distance,Distance Unit,Time",
                Format::FitNotes,
            ),
            (
                "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time",
                Format::FitNotes,
            ),
        ];
        for (line, want) in cases {
            assert_eq!(format_of(line).unwrap(), want, "{line}");
        }
    }

    #[test]
    fn unknown_headers_are_named_in_the_error() {
        let e = format_of("Workout DateTime,Program,Day Name,Exercise,Is Warmup Set?").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("Workout DateTime"), "{msg}");
    }
}
