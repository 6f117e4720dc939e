//! Hand-drawn SVG charts. Each has a viewBox (it scales to any width), CSS classes instead of inline colours (the
//! page decides light or dark), a `<title>` and `<desc>` for screen readers, and a data table beside it in the
//! report for anyone who would rather read the numbers.

use std::fmt::Write as _;

use backstop_core::engine::{Evidence, FlareEpisode, Verdict};
use backstop_core::load::{Day, Week};
use backstop_core::units::{WeightUnit, format_number};
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// Chart width in user units.
pub const W: f64 = 720.0;
/// Chart height in user units.
pub const H: f64 = 260.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 36.0;
const TOP: f64 = 26.0;
const BOTTOM: f64 = 34.0;

/// Escapes text for XML and HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn open(out: &mut String, id: &str, title: &str, desc: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    );
}

/// The centre of day (or point) `i` of `n`: each gets an equal band, so bars and points line up and never spill.
fn x_of(i: usize, n: usize) -> f64 {
    LEFT + band(n) * (i as f64 + 0.5)
}

fn band(n: usize) -> f64 {
    ((W - LEFT - RIGHT) / n.max(1) as f64).max(1.0)
}

fn y_of(v: f64, max: f64) -> f64 {
    let inner = H - TOP - BOTTOM;
    let max = if max > 0.0 { max } else { 1.0 };
    H - BOTTOM - inner * (v / max).clamp(0.0, 1.0)
}

/// A round scale for an axis whose data reach `max`: the smallest step of 1, 2, 2.5 or 5 times a power of ten
/// that reaches `max` in at most five steps; the axis top is the first multiple of it at or above `max`. Ticks then
/// read 0, 20, 40, 60, 80, 100 rather than 0, 23.12, 46.25, 69.38, 92.5.
pub fn nice(max: f64) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 { max } else { 1.0 };
    let steps = |step: f64| (max / step * (1.0 - 1e-9)).ceil().max(1.0);
    let mag = 10f64.powf((max / 5.0).log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0, 20.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| steps(*s) <= 5.0)
        .unwrap_or(20.0 * mag);
    (steps(step) * step, step)
}

fn axes(out: &mut String, (left_max, step): (f64, f64), left_label: &str, right_label: Option<&str>) {
    let _ = write!(
        out,
        r#"<g class="axis"><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{}"/><line x1="{LEFT}" y1="{}" x2="{}" y2="{}"/>"#,
        H - BOTTOM,
        H - BOTTOM,
        W - RIGHT,
        H - BOTTOM
    );
    let ticks = (left_max / step).round() as u32;
    for k in 0..=ticks {
        let v = step * f64::from(k);
        let y = y_of(v, left_max);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" y1="{y:.1}" x2="{}" y2="{y:.1}"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - RIGHT,
            LEFT - 4.0,
            y + 3.0,
            format_number(v)
        );
    }
    let _ = write!(
        out,
        r#"<text x="4" y="{}" class="label">{}</text>"#,
        12.0,
        esc(left_label)
    );
    if let Some(r) = right_label {
        for k in [0, 5, 10] {
            let y = y_of(f64::from(k), 10.0);
            let _ = write!(
                out,
                r#"<text x="{}" y="{:.1}">{k}</text>"#,
                W - RIGHT + 4.0,
                y + 3.0
            );
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" class="label" text-anchor="end">{}</text>"#,
            W - 2.0,
            12.0,
            esc(r)
        );
    }
    out.push_str("</g>");
}

fn date_ticks(out: &mut String, dates: &[Date]) {
    let n = dates.len();
    if n == 0 {
        return;
    }
    let step = (n / 6).max(1);
    for (i, d) in dates.iter().enumerate() {
        if i % step == 0 || i + 1 == n {
            let _ = write!(
                out,
                r#"<text class="tick" x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
                x_of(i, n),
                H - BOTTOM + 14.0,
                d.strftime("%d %b")
            );
        }
    }
}

/// Pain before, during, at 24 h and at 48 h (0–10, right axis) against daily load (bars, left axis).
pub fn pain_and_load(days: &[Day]) -> String {
    let mut out = String::new();
    let max_load = days.iter().map(|d| d.load).fold(0.0, f64::max).max(1.0);
    let trained = days.iter().filter(|d| d.load > 0.0).count();
    let desc = format!(
        "{} days, {} with training load; highest daily load {}. Lines show pain during the sessions and the mornings after.",
        days.len(),
        trained,
        format_number(max_load)
    );
    open(&mut out, "painload", "Pain against training load", &desc);
    let scale = nice(max_load);
    let max_load = scale.0;
    axes(&mut out, scale, "load", Some("pain"));
    let n = days.len();
    let bw = (band(n) * 0.6).max(1.0);
    out.push_str(r#"<g class="bars load">"#);
    for (i, d) in days.iter().enumerate().filter(|(_, d)| d.load > 0.0) {
        let y = y_of(d.load, max_load);
        let _ = write!(
            out,
            r#"<rect x="{:.1}" y="{y:.1}" width="{bw:.1}" height="{:.1}"><title>{}: load {}</title></rect>"#,
            x_of(i, n) - bw / 2.0,
            H - BOTTOM - y,
            d.date,
            format_number(d.load)
        );
    }
    out.push_str("</g>");
    type Pick = fn(&Day) -> Option<u8>;
    let series: [(&str, Pick); 4] = [
        ("pain-before", |d| d.pain_before),
        ("pain-during", |d| d.pain_during_max),
        ("pain-24h", |d| d.pain_24h),
        ("pain-48h", |d| d.pain_48h),
    ];
    for (class, get) in series {
        let pts: Vec<(f64, f64, Date, u8)> = days
            .iter()
            .enumerate()
            .filter_map(|(i, d)| get(d).map(|p| (x_of(i, n), y_of(f64::from(p), 10.0), d.date, p)))
            .collect();
        let _ = write!(out, r#"<g class="series {class}">"#);
        if pts.len() > 1 {
            let path: Vec<String> = pts.iter().map(|(x, y, _, _)| format!("{x:.1},{y:.1}")).collect();
            let _ = write!(out, r#"<polyline points="{}"/>"#, path.join(" "));
        }
        for (x, y, d, p) in &pts {
            let _ = write!(
                out,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="3"><title>{d}: {class} {p}</title></circle>"#
            );
        }
        out.push_str("</g>");
    }
    let dates: Vec<Date> = days.iter().map(|d| d.date).collect();
    date_ticks(&mut out, &dates);
    legend(
        &mut out,
        &[
            ("load", "daily load"),
            ("pain-before", "before"),
            ("pain-during", "during"),
            ("pain-24h", "next morning"),
            ("pain-48h", "48 h"),
        ],
    );
    out.push_str("</svg>");
    out
}

fn legend(out: &mut String, items: &[(&str, &str)]) {
    out.push_str(r#"<g class="legend">"#);
    let mut x = LEFT;
    for (class, label) in items {
        let _ = write!(
            out,
            r#"<rect class="key {class}" x="{x:.1}" y="{}" width="10" height="10"/><text x="{:.1}" y="{}">{}</text>"#,
            H - 12.0,
            x + 14.0,
            H - 3.0,
            esc(label)
        );
        x += 24.0 + 7.0 * label.len() as f64;
    }
    out.push_str("</g>");
}

/// Weekly load as bars, each labelled with its change against the week before.
pub fn weekly_load(weeks: &[Week]) -> String {
    let mut out = String::new();
    let max = weeks.iter().map(|w| w.load).fold(0.0, f64::max).max(1.0);
    let desc = format!(
        "{} weeks of training load; the highest week was {}.",
        weeks.len(),
        format_number(max)
    );
    open(&mut out, "weekly", "Weekly training load", &desc);
    let scale = nice(max);
    let max = scale.0;
    axes(&mut out, scale, "load", None);
    let n = weeks.len();
    let bw = (band(n) * 0.6).max(1.0);
    out.push_str(r#"<g class="bars weekly">"#);
    for (i, w) in weeks.iter().enumerate() {
        let x = LEFT + band(n) * (i as f64 + 0.5);
        let y = y_of(w.load, max);
        let change = w
            .change_pct
            .map(|c| format!("{}%", format_number(c)))
            .unwrap_or_default();
        let _ = write!(
            out,
            r#"<rect x="{:.1}" y="{y:.1}" width="{bw:.1}" height="{:.1}"><title>week of {}: load {} {}</title></rect>"#,
            x - bw / 2.0,
            H - BOTTOM - y,
            w.week_start,
            format_number(w.load),
            change
        );
        if !change.is_empty() {
            let _ = write!(
                out,
                r#"<text class="value" x="{x:.1}" y="{:.1}" text-anchor="middle">{change}</text>"#,
                (y - 4.0).max(TOP + 8.0)
            );
        }
        let _ = write!(
            out,
            r#"<text class="tick" x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#,
            H - BOTTOM + 14.0,
            w.week_start.strftime("%d %b")
        );
    }
    out.push_str("</g></svg>");
    out
}

/// One exercise's top load per session, with each session's verdict as a marked point.
pub fn dose_timeline(exercise: &str, evidence: &[Evidence], unit: WeightUnit, tz: &TimeZone) -> String {
    let mut out = String::new();
    let loads: Vec<f64> = evidence
        .iter()
        .map(|e| e.dose.load.map_or(0.0, |l| l.in_unit(unit)))
        .collect();
    let amounts: Vec<f64> = evidence
        .iter()
        .map(|e| f64::from(e.dose.reps.or(e.dose.seconds).or(e.dose.metres).unwrap_or(0)))
        .collect();
    let use_load = loads.iter().any(|l| *l > 0.0);
    let values = if use_load { &loads } else { &amounts };
    let max = values.iter().copied().fold(0.0, f64::max).max(1.0);
    let what = if use_load {
        format!("load ({unit})")
    } else {
        "reps or seconds".to_owned()
    };
    let desc = format!(
        "{} sessions of {exercise}; {what} per session, marked green, amber or red.",
        evidence.len()
    );
    open(
        &mut out,
        // An id must be one token: the exercise's name, lower-cased, with anything else as '-'.
        &format!(
            "dose-{}",
            exercise
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                })
                .collect::<String>()
        ),
        &format!("{exercise}: dose and verdicts"),
        &desc,
    );
    let scale = nice(max);
    let max = scale.0;
    axes(&mut out, scale, &what, None);
    let n = evidence.len();
    let pts: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x_of(i, n), y_of(*v, max)))
        .collect();
    if n > 1 {
        let _ = write!(out, r#"<polyline class="dose" points="{}"/>"#, pts.join(" "));
    }
    for (i, e) in evidence.iter().enumerate() {
        let class = match e.verdict {
            Some(Verdict::Green) => "green",
            Some(Verdict::Amber) => "amber",
            Some(Verdict::Red) => "red",
            None => "pending",
        };
        let when = tz.to_datetime(e.session_at).date();
        let _ = write!(
            out,
            r#"<circle class="verdict {class}" cx="{:.1}" cy="{:.1}" r="5"><title>{when}: {} ({class})</title></circle>"#,
            x_of(i, n),
            y_of(values[i], max),
            esc(&e.dose.describe_done(unit))
        );
    }
    let dates: Vec<Date> = evidence
        .iter()
        .map(|e| tz.to_datetime(e.session_at).date())
        .collect();
    date_ticks(&mut out, &dates);
    out.push_str("</svg>");
    out
}

/// A calendar strip of `from..=to`: one square per day, flare days marked.
pub fn flare_calendar(flares: &[FlareEpisode], from: Date, to: Date, tz: &TimeZone, now_day: Date) -> String {
    let mut out = String::new();
    let mut days = Vec::new();
    let mut d = from;
    while d <= to && days.len() < 800 {
        days.push(d);
        match d.tomorrow() {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    let in_flare = |day: Date| {
        flares.iter().any(|f| {
            let s = tz.to_datetime(f.start).date();
            let e = f.end.map_or(now_day, |e| tz.to_datetime(e).date());
            day >= s && day <= e
        })
    };
    let flare_days = days.iter().filter(|d| in_flare(**d)).count();
    let desc = format!(
        "{} days from {from} to {to}; {flare_days} of them in a flare-up ({} flare-ups).",
        days.len(),
        flares.len()
    );
    open(&mut out, "flares", "Flare-up calendar", &desc);
    let weeks = days.len().div_ceil(7).max(1);
    let cell = ((W - LEFT - RIGHT) / weeks as f64).clamp(1.0, (H - TOP - BOTTOM) / 7.0);
    let offset = from.weekday().to_monday_zero_offset() as usize;
    for (i, day) in days.iter().enumerate() {
        let k = i + offset;
        let x = LEFT + (k / 7) as f64 * cell;
        let y = TOP + (k % 7) as f64 * cell;
        let class = if in_flare(*day) { "flare" } else { "calm" };
        let _ = write!(
            out,
            r#"<rect class="day {class}" x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}"><title>{day}{}</title></rect>"#,
            (cell - 1.0).max(0.5),
            (cell - 1.0).max(0.5),
            if class == "flare" { ": flare-up" } else { "" }
        );
    }
    legend(&mut out, &[("calm", "no flare"), ("flare", "flare-up")]);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(i: i64, load: f64, pain: Option<u8>) -> Day {
        let date = jiff::civil::date(2026, 1, 1)
            .checked_add(jiff::Span::new().days(i))
            .unwrap();
        Day {
            date,
            sessions: usize::from(load > 0.0),
            load,
            unrated_load: 0,
            pain_before: pain,
            pain_during_max: pain,
            pain_24h: pain,
            pain_48h: None,
        }
    }

    #[test]
    fn axis_scales_are_round_and_hold_the_data() {
        for (max, top, step) in [
            (92.5, 100.0, 20.0),
            (69.38, 80.0, 20.0),
            (1.0, 1.0, 0.2),
            (4000.0, 4000.0, 1000.0),
            (4001.0, 5000.0, 1000.0),
            (12.0, 12.5, 2.5),
            (0.0, 1.0, 0.2),
        ] {
            assert_eq!(nice(max), (top, step), "{max}");
        }
        // Whatever the data, four or five steps from 0 reach the data.
        for i in 1..2000 {
            let max = f64::from(i) * 3.7;
            let (top, step) = nice(max);
            let steps = top / step;
            assert!(
                top >= max && (2.99..=5.01).contains(&steps),
                "{max}: {top} / {step}"
            );
            let mantissa = step / 10f64.powf(step.log10().floor());
            assert!(
                [1.0, 2.0, 2.5, 5.0].iter().any(|m| (m - mantissa).abs() < 1e-9),
                "{max}: step {step}"
            );
        }
    }

    /// Every number in x/y/cx/cy/width/height attributes and polyline points lies inside the viewBox.
    fn inside(svg: &str) -> Result<(), String> {
        for attr in [
            " x=\"",
            " y=\"",
            " cx=\"",
            " cy=\"",
            " width=\"",
            " height=\"",
            " x1=\"",
            " x2=\"",
            " y1=\"",
            " y2=\"",
            " points=\"",
        ] {
            for (i, _) in svg.match_indices(attr) {
                let v = &svg[i + attr.len()..];
                let end = v.find('"').unwrap_or(0);
                for n in v[..end].split([',', ' ']).filter(|t| !t.is_empty()) {
                    let f: f64 = n.parse().map_err(|_| format!("not a number: {n}"))?;
                    if !f.is_finite() || !(0.0..=W.max(H)).contains(&f) {
                        return Err(format!("{attr}{n} outside the viewBox"));
                    }
                }
            }
        }
        Ok(())
    }

    #[test]
    fn empty_one_point_and_year_long_series_render() {
        for n in [0usize, 1, 365] {
            let days: Vec<Day> = (0..n as i64)
                .map(|i| day(i, if i % 3 == 0 { 300.0 } else { 0.0 }, Some((i % 11) as u8)))
                .collect();
            let svg = pain_and_load(&days);
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert!(svg.contains("<title") && svg.contains("<desc"));
            inside(&svg).unwrap();
        }
        assert!(
            flare_calendar(
                &[],
                jiff::civil::date(2026, 1, 1),
                jiff::civil::date(2026, 12, 31),
                &TimeZone::UTC,
                jiff::civil::date(2026, 12, 31)
            )
            .contains("365 days")
        );
    }

    #[test]
    fn a_small_chart_looks_as_expected() {
        let days = vec![day(0, 300.0, Some(2)), day(1, 0.0, None), day(2, 350.0, Some(3))];
        insta::assert_snapshot!(pain_and_load(&days));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    proptest! {
        #[test]
        fn coordinates_stay_inside(loads in prop::collection::vec((0.0f64..5000.0, prop::option::of(0u8..11)), 0..120)) {
            let days: Vec<Day> = loads.iter().enumerate().map(|(i, (l, p))| day(i as i64, *l, *p)).collect();
            prop_assert!(inside(&pain_and_load(&days)).is_ok());
            let weeks: Vec<Week> = days.chunks(7).enumerate().map(|(i, c)| Week {
                week_start: day(i as i64 * 7, 0.0, None).date,
                load: c.iter().map(|d| d.load).sum(),
                change_pct: None, complete: c.len() == 7, monotony: None, strain: None,
                hard_sets: Default::default(), volume_load: Default::default(), back_loading_sets: 0,
            }).collect();
            prop_assert!(inside(&weekly_load(&weeks)).is_ok());
        }
    }
}
