//! Reading the numbers, durations, dates, distances and weights the exports write.
//!
//! Every function here is total: input it cannot read gives `None` or an error message, never a panic.

use backstop_core::units::GRAMS_PER_POUND;
use backstop_core::{Dose, Load, Metres, Minutes, Reps, Rpe, Seconds, WeightUnit};
use jiff::civil::{Date, DateTime, Time};

/// The longest session accepted, in minutes; longer ones are timers left running.
pub(crate) const MAX_SESSION_MINUTES: u64 = 600;

/// A decimal number; an empty cell is `None`. A lone decimal comma (`62,5`) is read as a decimal point.
pub(crate) fn number(s: &str) -> Result<Option<f64>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let with_point;
    let t = if !t.contains('.') && t.matches(',').count() == 1 {
        with_point = t.replace(',', ".");
        with_point.as_str()
    } else {
        t
    };
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(format!("{:?} is not a number", s.trim())),
    }
}

/// A duration in seconds: `31m`, `1h 5m`, `45s`, `38min`, `1h 2min`, `0:01:48` (H:MM:SS), `1:30` (M:SS) or a
/// plain number of seconds (`3180`). An empty cell is `None`.
pub(crate) fn duration_seconds(s: &str) -> Result<Option<u64>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    clock_seconds(t)
        .or_else(|| plain_seconds(t))
        .or_else(|| unit_seconds(t))
        .map(Some)
        .ok_or_else(|| format!("duration {t:?} is not readable"))
}

fn plain_seconds(t: &str) -> Option<u64> {
    match number(t) {
        Ok(Some(v)) if v >= 0.0 => Some(v.round() as u64),
        _ => None,
    }
}

fn clock_seconds(t: &str) -> Option<u64> {
    if !t.contains(':') {
        return None;
    }
    let parts: Vec<&str> = t.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let mut total: u64 = 0;
    for part in parts {
        let p = part.trim();
        if p.is_empty() || p.len() > 6 || !all_digits(p) {
            return None;
        }
        let v: u64 = p.parse().ok()?;
        total = total.checked_mul(60)?.checked_add(v)?;
    }
    Some(total)
}

fn unit_seconds(t: &str) -> Option<u64> {
    let lower = t.to_lowercase();
    let mut rest = lower.as_str();
    let mut total: u64 = 0;
    let mut parts = 0;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let value: f64 = rest.get(..digits)?.parse().ok()?;
        rest = rest.get(digits..)?.trim_start();
        let letters = rest
            .find(|c: char| !(c.is_alphabetic() || c == '.'))
            .unwrap_or(rest.len());
        let unit = rest.get(..letters)?.trim_end_matches('.');
        rest = rest.get(letters..)?;
        let secs = (value * unit_factor(unit)?).round();
        if !(0.0..=1e12).contains(&secs) {
            return None;
        }
        total = total.checked_add(secs as u64)?;
        parts += 1;
    }
    (parts > 0).then_some(total)
}

fn unit_factor(unit: &str) -> Option<f64> {
    match unit {
        "h" | "hr" | "hrs" | "hour" | "hours" | "std" | "stunde" | "stunden" | "heure" | "heures" => {
            Some(3600.0)
        }
        "m" | "min" | "mins" | "minute" | "minutes" | "minuten" | "mn" => Some(60.0),
        "s" | "sec" | "secs" | "second" | "seconds" | "sek" | "sekunden" | "seconde" | "secondes" => {
            Some(1.0)
        }
        _ => None,
    }
}

/// What a session's recorded length says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Length {
    /// A usable length.
    Minutes(Minutes),
    /// Nothing recorded (or zero).
    Unknown,
    /// Longer than [`MAX_SESSION_MINUTES`]: a timer left running.
    Implausible,
}

/// A session length from seconds: rounded to the nearest minute, at least one minute.
pub(crate) fn session_length(seconds: u64) -> Length {
    if seconds == 0 {
        return Length::Unknown;
    }
    let minutes = (seconds / 60 + u64::from(seconds % 60 >= 30)).max(1);
    if minutes > MAX_SESSION_MINUTES {
        return Length::Implausible;
    }
    match u32::try_from(minutes).ok().and_then(|m| Minutes::new(m).ok()) {
        Some(m) => Length::Minutes(m),
        None => Length::Implausible,
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn two_digits(s: &str) -> Option<i8> {
    if s.len() > 2 || !all_digits(s) {
        return None;
    }
    s.parse().ok()
}

/// A calendar date written `YYYY-MM-DD` (or `YYYY/MM/DD`).
pub(crate) fn iso_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().split(['-', '/']);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || !all_digits(y) {
        return None;
    }
    Date::new(y.parse().ok()?, two_digits(m)?, two_digits(d)?).ok()
}

/// A local wall-clock time as the exports write it: `2024-01-15 07:05:12` (Strong, FitNotes-like ISO, with `T`
/// or a space, seconds optional), `7 Apr 2026, 10:14` and `Jun 11, 2026, 1:01 PM` (Hevy, English and a few other
/// languages' month abbreviations).
pub(crate) fn local_datetime(s: &str) -> Option<DateTime> {
    let t = s.trim();
    iso_datetime(t).or_else(|| worded_datetime(t))
}

fn iso_datetime(t: &str) -> Option<DateTime> {
    let date = iso_date(t.get(..10)?)?;
    let time = t.get(10..)?.strip_prefix(['T', 't', ' '])?.trim();
    let (h, m, s) = clock(time)?;
    Some(date.to_datetime(Time::new(h, m, s, 0).ok()?))
}

fn clock(t: &str) -> Option<(i8, i8, i8)> {
    let mut parts = t.split(':');
    let h = two_digits(parts.next()?)?;
    let m = two_digits(parts.next()?)?;
    let s = match parts.next() {
        None => 0,
        Some(p) => match p.split_once('.') {
            Some((whole, frac)) if all_digits(frac) => two_digits(whole)?,
            Some(_) => return None,
            None => two_digits(p)?,
        },
    };
    if parts.next().is_some() {
        return None;
    }
    Some((h, m, s))
}

/// Words that may sit between the parts of a localized date ("7 de abr de 2026").
const FILLER: &[&str] = &["de", "del", "at", "um", "à", "le", "el"];

/// Month abbreviations (English first, then German, French, Spanish, Italian, Portuguese), matched as prefixes.
const MONTHS: &[(&str, i8)] = &[
    ("jan", 1),
    ("ene", 1),
    ("gen", 1),
    ("feb", 2),
    ("fév", 2),
    ("fev", 2),
    ("mar", 3),
    ("mär", 3),
    ("mrz", 3),
    ("apr", 4),
    ("avr", 4),
    ("abr", 4),
    ("may", 5),
    ("mai", 5),
    ("mag", 5),
    ("jun", 6),
    ("juin", 6),
    ("giu", 6),
    ("jul", 7),
    ("juil", 7),
    ("lug", 7),
    ("aug", 8),
    ("aoû", 8),
    ("aou", 8),
    ("ago", 8),
    ("sep", 9),
    ("set", 9),
    ("oct", 10),
    ("okt", 10),
    ("ott", 10),
    ("out", 10),
    ("nov", 11),
    ("dec", 12),
    ("déc", 12),
    ("dez", 12),
    ("dic", 12),
];

fn month_number(token: &str) -> Option<i8> {
    let t = token.trim_end_matches('.');
    if t.chars().count() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .find(|(prefix, _)| t.starts_with(prefix))
        .map(|&(_, m)| m)
}

fn twelve_hour(hour: u32, pm: bool) -> Option<u32> {
    match (hour, pm) {
        (0, _) | (13.., _) => None,
        (12, false) => Some(0),
        (12, true) => Some(12),
        (h, true) => Some(h + 12),
        (h, false) => Some(h),
    }
}

fn worded_datetime(t: &str) -> Option<DateTime> {
    let lower = t.to_lowercase().replace("a.m.", "am").replace("p.m.", "pm");
    let mut month = None;
    let mut numbers: Vec<u32> = Vec::with_capacity(5);
    let mut pm = None;
    let separator = |c: char| c.is_whitespace() || matches!(c, ',' | ':' | '.' | '\u{202f}' | '\u{a0}');
    for token in lower.split(separator).filter(|s| !s.is_empty()) {
        if all_digits(token) {
            if token.len() > 4 || numbers.len() >= 5 {
                return None;
            }
            numbers.push(token.parse().ok()?);
        } else if token == "am" || token == "pm" {
            pm = Some(token == "pm");
        } else if let Some(m) = month_number(token) {
            if month.replace(m).is_some() {
                return None;
            }
        } else if !FILLER.contains(&token) {
            return None;
        }
    }
    // Both "7 Apr 2026, 10:14" and "Jun 11, 2026, 1:01 PM" put the numbers in the order day, year, hour, minute.
    let (&day, &year, &hour, &minute) = (
        numbers.first()?,
        numbers.get(1)?,
        numbers.get(2)?,
        numbers.get(3)?,
    );
    let second = numbers.get(4).copied().unwrap_or(0);
    if year < 1000 {
        return None;
    }
    let hour = match pm {
        None => hour,
        Some(pm) => twelve_hour(hour, pm)?,
    };
    let date = Date::new(i16::try_from(year).ok()?, month?, i8::try_from(day).ok()?).ok()?;
    let time = Time::new(
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        0,
    )
    .ok()?;
    Some(date.to_datetime(time))
}

/// A unit of distance as the exports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DistanceUnit {
    /// Metres.
    Metres,
    /// Kilometres.
    Kilometres,
    /// International miles.
    Miles,
    /// Feet.
    Feet,
    /// Yards.
    Yards,
}

impl DistanceUnit {
    /// Reads `m`, `km`, `mi`, `mi.` (Strong Android), `miles`, `ft`, `yd` and their long forms.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s.trim().trim_end_matches('.').to_lowercase().as_str() {
            "m" | "meter" | "meters" | "metre" | "metres" => Some(Self::Metres),
            "km" | "kms" | "kilometer" | "kilometers" | "kilometre" | "kilometres" => Some(Self::Kilometres),
            "mi" | "mile" | "miles" => Some(Self::Miles),
            "ft" | "foot" | "feet" => Some(Self::Feet),
            "yd" | "yds" | "yard" | "yards" => Some(Self::Yards),
            _ => None,
        }
    }

    /// Metres in one of this unit.
    pub(crate) fn metres(self) -> f64 {
        match self {
            Self::Metres => 1.0,
            Self::Kilometres => 1000.0,
            Self::Miles => 1609.344,
            Self::Feet => 0.3048,
            Self::Yards => 0.9144,
        }
    }

    /// The distance unit that goes with a weight unit in apps that do not name it (kg with km, lb with miles).
    pub(crate) fn following(unit: WeightUnit) -> Self {
        match unit {
            WeightUnit::Kg => Self::Kilometres,
            WeightUnit::Lb => Self::Miles,
        }
    }
}

/// A weight unit as the exports name it (`kg`, `kgs`, `lb`, `lbs`).
pub(crate) fn weight_unit(s: &str) -> Option<WeightUnit> {
    s.trim().trim_end_matches('.').parse().ok()
}

fn round_to_steps(v: f64, steps_per_unit: f64) -> f64 {
    (v * steps_per_unit).round() / steps_per_unit
}

/// Removes float artefacts of unit conversions before a weight becomes grams.
///
/// Pounds are rounded to the nearest 0.1 lb. Kilograms on the 0.05 kg grid are kept; a kilogram value that is,
/// to within 0.002 lb, a whole tenth of a pound (Strong 6 writes 135 lb as `61.23492`) is read as that many
/// pounds, so it reads back exactly in pounds; any other kilogram value is rounded to the nearest 0.05 kg.
pub(crate) fn snap_weight(value: f64, unit: WeightUnit) -> (f64, WeightUnit) {
    match unit {
        WeightUnit::Lb => (round_to_steps(value, 10.0), WeightUnit::Lb),
        WeightUnit::Kg => {
            let kg = round_to_steps(value, 20.0);
            if (value - kg).abs() < 1e-6 {
                return (kg, WeightUnit::Kg);
            }
            let pounds = value * 1000.0 / GRAMS_PER_POUND;
            let lb = round_to_steps(pounds, 10.0);
            if (pounds - lb).abs() < 2e-3 {
                (lb, WeightUnit::Lb)
            } else {
                (kg, WeightUnit::Kg)
            }
        }
    }
}

/// The external load of a set; 0 (bodyweight) is `None`.
pub(crate) fn load(value: f64, unit: WeightUnit) -> Result<Option<Load>, String> {
    if value < 0.0 {
        return Err(format!("weight {value} is negative"));
    }
    let (v, u) = snap_weight(value, unit);
    if v <= 0.0 {
        return Ok(None);
    }
    Load::from_unit(v, u).map(Some).map_err(|e| e.to_string())
}

fn positive_whole(v: Option<f64>) -> Option<u32> {
    v.map(f64::round).filter(|x| *x >= 1.0).map(|x| x as u32)
}

/// The dose of a set: reps when there are any, else the distance (metres), else the time (seconds).
pub(crate) fn dose(reps: Option<f64>, seconds: Option<f64>, metres: Option<f64>) -> Result<Dose, String> {
    for (what, v) in [("reps", reps), ("seconds", seconds), ("distance", metres)] {
        if v.is_some_and(|v| v < 0.0) {
            return Err(format!("{what} is negative"));
        }
    }
    let (reps, seconds, metres) = (
        positive_whole(reps),
        positive_whole(seconds),
        positive_whole(metres),
    );
    if let Some(r) = reps {
        return Reps::new(r).map(Dose::Reps).map_err(|e| e.to_string());
    }
    if let Some(m) = metres {
        match Metres::new(m) {
            Ok(m) => return Ok(Dose::Metres(m)),
            Err(e) if seconds.is_none() => return Err(e.to_string()),
            Err(_) => {}
        }
    }
    match seconds {
        Some(s) => Seconds::new(s).map(Dose::Seconds).map_err(|e| e.to_string()),
        None => Err("0 reps and no time or distance".to_owned()),
    }
}

/// An RPE; empty or 0 is `None`; anything else off the 1–10 half-point scale is an error message.
pub(crate) fn rpe(value: Option<f64>) -> Result<Option<Rpe>, String> {
    match value {
        None => Ok(None),
        Some(v) if v.abs() < 1e-9 => Ok(None),
        Some(v) => Rpe::new(v).map(Some).map_err(|e| e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> String {
        local_datetime(s).map(|d| d.to_string()).unwrap_or_default()
    }

    #[test]
    fn numbers() {
        assert_eq!(number("").unwrap(), None);
        assert_eq!(number(" 6.0 ").unwrap(), Some(6.0));
        assert_eq!(number("62,5").unwrap(), Some(62.5));
        assert_eq!(number("149.99999999999997").unwrap(), Some(149.99999999999997));
        assert!(number("abc").is_err());
        assert!(number("inf").is_err());
        assert!(number("NaN").is_err());
    }

    #[test]
    fn durations() {
        let d = |s: &str| duration_seconds(s).unwrap();
        assert_eq!(d("31m"), Some(31 * 60));
        assert_eq!(d("1h"), Some(3600));
        assert_eq!(d("1h 5m"), Some(3900));
        assert_eq!(d("2h 1m"), Some(7260));
        assert_eq!(d("45s"), Some(45));
        assert_eq!(d("38min"), Some(38 * 60));
        assert_eq!(d("1h 2min"), Some(3720));
        assert_eq!(d("54h 3m"), Some(54 * 3600 + 180));
        assert_eq!(d("3180"), Some(3180));
        assert_eq!(d("0:01:48"), Some(108));
        assert_eq!(d(""), None);
        assert!(duration_seconds("soon").is_err());
        assert!(duration_seconds("5 parsecs").is_err());
        assert!(duration_seconds("99999999999999999999999h").is_err());
    }

    #[test]
    fn session_lengths() {
        assert_eq!(session_length(0), Length::Unknown);
        assert_eq!(session_length(11), Length::Minutes(Minutes::new(1).unwrap()));
        assert_eq!(session_length(4543), Length::Minutes(Minutes::new(76).unwrap()));
        assert_eq!(session_length(54 * 3600), Length::Implausible);
        assert_eq!(session_length(u64::MAX), Length::Implausible);
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(dt("2024-01-15 07:05:12"), "2024-01-15T07:05:12");
        assert_eq!(dt("2024-01-15T07:05"), "2024-01-15T07:05:00");
        assert_eq!(dt("7 Apr 2026, 10:14"), "2026-04-07T10:14:00");
        assert_eq!(dt("12 Mar 2025, 7:07"), "2025-03-12T07:07:00");
        assert_eq!(dt("Jun 11, 2026, 1:01 PM"), "2026-06-11T13:01:00");
        assert_eq!(dt("Jun 9, 2026, 12:30 AM"), "2026-06-09T00:30:00");
        assert_eq!(dt("Jun 9, 2026, 12:30\u{202f}PM"), "2026-06-09T12:30:00");
        assert_eq!(dt("7 avr. 2026, 10:14"), "2026-04-07T10:14:00");
        assert_eq!(dt("7. Mär. 2026, 10:14"), "2026-03-07T10:14:00");
        for bad in [
            "",
            "yesterday",
            "2024-13-01 10:00:00",
            "31 Feb 2026, 10:00",
            "Jun 11, 2026, 13:01 PM",
            "7 Apr 26, 10:14",
        ] {
            assert!(local_datetime(bad).is_none(), "{bad} accepted");
        }
        assert_eq!(
            iso_date("2023-11-21").map(|d| d.to_string()),
            Some("2023-11-21".into())
        );
        assert!(iso_date("21.11.2023").is_none());
    }

    #[test]
    fn weights_snap_to_a_grid() {
        let g = |v: f64, u: WeightUnit| load(v, u).unwrap().map(|l| l.grams());
        assert_eq!(g(149.99999999999997, WeightUnit::Lb), Some(68_039));
        assert_eq!(g(245.00000000000003, WeightUnit::Lb), Some(111_130));
        assert_eq!(g(74.99999999999999, WeightUnit::Kg), Some(75_000));
        // Strong 6 writes pounds converted to kilograms.
        assert_eq!(g(61.23492, WeightUnit::Kg), Some(61_235));
        assert_eq!(g(72.574_779_200_000_01, WeightUnit::Kg), Some(72_575));
        assert_eq!(g(11.3398, WeightUnit::Kg), Some(11_340));
        // An odd kilogram value that is no pound value goes to the 0.05 kg grid.
        assert_eq!(g(61.23, WeightUnit::Kg), Some(61_250));
        assert_eq!(g(0.0, WeightUnit::Kg), None);
        assert!(load(-5.0, WeightUnit::Kg).is_err());
        assert!(load(5000.0, WeightUnit::Kg).is_err());
    }

    #[test]
    fn doses() {
        assert_eq!(
            dose(Some(5.0), None, None).unwrap(),
            Dose::Reps(Reps::new(5).unwrap())
        );
        assert_eq!(
            dose(Some(0.0), Some(60.0), None).unwrap(),
            Dose::Seconds(Seconds::new(60).unwrap())
        );
        assert_eq!(
            dose(None, Some(600.0), Some(1200.0)).unwrap(),
            Dose::Metres(Metres::new(1200).unwrap())
        );
        assert_eq!(
            dose(None, Some(3600.0), Some(60_000.0)).unwrap(),
            Dose::Seconds(Seconds::new(3600).unwrap())
        );
        assert!(dose(Some(0.0), Some(0.0), Some(0.0)).is_err());
        assert!(dose(Some(110.0), None, None).is_ok() && dose(Some(1000.0), None, None).is_err());
        assert!(dose(Some(-1.0), None, None).is_err());
    }

    #[test]
    fn rpes() {
        assert_eq!(rpe(None).unwrap(), None);
        assert_eq!(rpe(Some(0.0)).unwrap(), None);
        assert_eq!(rpe(Some(8.5)).unwrap().map(Rpe::halves), Some(17));
        assert!(rpe(Some(11.0)).is_err());
    }

    #[test]
    fn distance_units() {
        assert_eq!(DistanceUnit::parse("mi."), Some(DistanceUnit::Miles));
        assert_eq!(DistanceUnit::parse("km"), Some(DistanceUnit::Kilometres));
        assert_eq!(DistanceUnit::parse("furlong"), None);
        assert_eq!(weight_unit("lbs"), Some(WeightUnit::Lb));
        assert_eq!(weight_unit("kgs"), Some(WeightUnit::Kg));
    }
}
