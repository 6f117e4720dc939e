//! Reading the times people type (`--at`, `--date`, the session document's `at`) in their own time zone.
//!
//! Accepted: `YYYY-MM-DD` (a default time of day applies), `YYYY-MM-DD HH:MM` and `YYYY-MM-DDTHH:MM[:SS]` in the
//! profile's zone, and RFC 3339 with an offset (`2026-11-20T18:00:00+01:00`, `…Z`).

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

/// A time that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read {given:?} as a time: {why}. Use YYYY-MM-DD, \"YYYY-MM-DD HH:MM\" or RFC 3339")]
pub struct TimeError {
    /// What was given.
    pub given: String,
    /// Why it was refused.
    pub why: String,
}

fn err(given: &str, why: impl ToString) -> TimeError {
    TimeError {
        given: given.to_owned(),
        why: why.to_string(),
    }
}

/// The earliest instant accepted: nobody trained, or logged training, before 1900, and a year 0 date is a typing
/// slip that would otherwise be stored and exported with a strange local-mean-time offset.
pub const EARLIEST: Timestamp = Timestamp::constant(-2_208_988_800, 0);

/// Reads an instant. A bare date takes `default_time` on that day in `tz`. Instants before 1900 are refused.
pub fn parse_instant(s: &str, tz: &TimeZone, default_time: Time) -> Result<Timestamp, TimeError> {
    let at = parse_any_instant(s, tz, default_time)?;
    if at < EARLIEST {
        return Err(err(s, "it is before 1900"));
    }
    Ok(at)
}

fn parse_any_instant(s: &str, tz: &TimeZone, default_time: Time) -> Result<Timestamp, TimeError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(err(s, "it is empty"));
    }
    // A word ("yesterday", "now"): say so, rather than pass on the date parser's complaint about the year's digits.
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(err(s, "it does not start with a date"));
    }
    // RFC 3339 / ISO 8601 with an offset or Z.
    if !t.is_ascii() {
        return Err(err(
            s,
            "it has characters that are not digits, '-', ':', 'T', 'Z' or '+'",
        ));
    }
    let has_offset = t.len() > 10 && {
        let tail = &t[10..];
        tail.ends_with('Z') || tail.ends_with('z') || tail.contains('+') || tail[1..].contains('-')
    };
    if has_offset {
        return t.parse::<Timestamp>().map_err(|e| err(s, e));
    }
    let dt: DateTime = if t.len() == 10 {
        let d: Date = t.parse().map_err(|e| err(s, e))?;
        d.to_datetime(default_time)
    } else {
        let normalized = t.replacen(' ', "T", 1);
        normalized.parse::<DateTime>().map_err(|e| err(s, e))?
    };
    // A wall-clock time skipped or repeated by a DST change resolves like most calendars do ("compatible").
    tz.to_ambiguous_timestamp(dt).compatible().map_err(|e| err(s, e))
}

/// Reads a civil date: a bare date, or the date of a time given in any accepted form.
pub fn parse_date(s: &str, tz: &TimeZone) -> Result<Date, TimeError> {
    let t = s.trim();
    if t.len() == 10 && t.is_ascii() {
        return t.parse::<Date>().map_err(|e| err(s, e));
    }
    let ts = parse_instant(t, tz, Time::midnight())?;
    Ok(tz.to_datetime(ts).date())
}

/// The civil date of an instant in a zone (a training day).
pub fn civil_date(ts: Timestamp, tz: &TimeZone) -> Date {
    tz.to_datetime(ts).date()
}

/// The instant of a wall-clock time on a civil date in a zone (the inverse of `civil_date`); a time skipped or
/// repeated by a DST change resolves as calendars do ("compatible").
pub fn instant_on(date: Date, time: Time, tz: &TimeZone) -> Result<Timestamp, jiff::Error> {
    tz.to_ambiguous_timestamp(date.to_datetime(time)).compatible()
}

/// Formats an instant for people in their zone: `2026-11-20 18:00`.
pub fn format_local(ts: Timestamp, tz: &TimeZone) -> String {
    tz.to_datetime(ts).strftime("%Y-%m-%d %H:%M").to_string()
}

/// Formats an instant as RFC 3339 with the zone's offset at that moment: `2026-11-20T18:00:00+01:00`.
pub fn format_rfc3339(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::time;

    #[test]
    fn dates_before_1900_are_refused() {
        let e = parse_instant("0000-01-01", &TimeZone::UTC, time(12, 0, 0, 0)).unwrap_err();
        assert!(e.to_string().contains("before 1900"), "{e}");
        assert!(parse_instant("1899-12-31T23:59:59Z", &TimeZone::UTC, time(0, 0, 0, 0)).is_err());
        assert!(parse_instant("1900-01-01", &TimeZone::UTC, time(0, 0, 0, 0)).is_ok());
    }

    fn tz() -> TimeZone {
        // A fixed offset keeps these tests free of the system's time zone database.
        TimeZone::fixed(jiff::tz::offset(1))
    }

    #[test]
    fn local_forms() {
        let a = parse_instant("2026-11-20 18:00", &tz(), Time::midnight()).unwrap();
        assert_eq!(a.to_string(), "2026-11-20T17:00:00Z");
        let b = parse_instant("2026-11-20T18:00", &tz(), Time::midnight()).unwrap();
        assert_eq!(a, b);
        let d = parse_instant("2026-11-20", &tz(), time(12, 0, 0, 0)).unwrap();
        assert_eq!(d.to_string(), "2026-11-20T11:00:00Z");
    }

    #[test]
    fn rfc3339_forms() {
        let a = parse_instant("2026-11-20T18:00:00+01:00", &tz(), Time::midnight()).unwrap();
        assert_eq!(a.to_string(), "2026-11-20T17:00:00Z");
        let z = parse_instant("2026-11-20T17:00:00Z", &tz(), Time::midnight()).unwrap();
        assert_eq!(a, z);
        let neg = parse_instant("2026-11-20T12:00:00-05:00", &tz(), Time::midnight()).unwrap();
        assert_eq!(neg, z);
    }

    #[test]
    fn bad_forms_say_what_was_given() {
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-11-20 25:00",
            "20/11/2026",
        ] {
            let e = parse_instant(bad, &tz(), Time::midnight()).unwrap_err();
            assert!(e.to_string().contains("YYYY-MM-DD"), "{bad}: {e}");
        }
    }

    #[test]
    fn dates_and_formatting() {
        assert_eq!(parse_date("2026-11-20", &tz()).unwrap().to_string(), "2026-11-20");
        assert_eq!(
            parse_date("2026-11-20T23:30:00Z", &tz()).unwrap().to_string(),
            "2026-11-21"
        );
        let a = parse_instant("2026-11-20 18:05", &tz(), Time::midnight()).unwrap();
        assert_eq!(format_local(a, &tz()), "2026-11-20 18:05");
        assert_eq!(format_rfc3339(a, &tz()), "2026-11-20T18:05:00+01:00");
        assert_eq!(civil_date(a, &tz()).to_string(), "2026-11-20");
    }
}
