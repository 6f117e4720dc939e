//! Hand-drawn SVG charts. Each is drawn twice, once for a phone and once for a wide screen ([`FRAMES`]), because SVG
//! text scales with the drawing: a chart drawn 720 units wide and shown 290 px wide has 5 px text. Each drawing's
//! text is sized for the widths [`CSS`] shows it at (at least 11 px from a 360 px phone up), tick labels are placed
//! by their estimated width so that they never collide, and every day, week or session with data is a tap, focus
//! or hover target that shows its values. CSS classes instead of inline colours (the page decides light or dark), a
//! title and description for screen readers, and a data table beside each chart on the page.

use std::fmt::Write as _;

use backstop_core::engine::{Evidence, FlareEpisode, Verdict};
use backstop_core::load::{Day, Week};
use backstop_core::units::{WeightUnit, format_number};
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The size a chart is drawn for; [`CSS`] shows the drawing that suits the screen and hides the other.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Width in user units.
    pub w: f64,
    /// Height of the plotting area in user units.
    pub plot_h: f64,
    /// Text size in user units.
    pub font: f64,
    /// The narrowest band a single day may have as a tap target; narrower days are grouped by week.
    pub min_tap: f64,
    /// The CSS class that shows this drawing at its widths.
    pub class: &'static str,
}

/// For a phone: shown below 48rem, at least 284 px wide on a 360 px screen (the page's margins taken off), where
/// its 12-unit text is 11.4 px; never wider than 28rem.
pub const PHONE: Frame = Frame {
    w: 300.0,
    plot_h: 150.0,
    font: 12.0,
    min_tap: 8.0,
    class: "phone",
};

/// For a tablet or a computer: shown from 48rem (768 px) up, 588 to 720 px wide, where its 14-unit text is 11.4 px
/// or more.
pub const WIDE: Frame = Frame {
    w: 720.0,
    plot_h: 200.0,
    font: 14.0,
    min_tap: 6.0,
    class: "wide",
};

/// Every chart is drawn in each of these.
pub const FRAMES: [Frame; 2] = [PHONE, WIDE];

/// The chart rules the web app and the report both carry: which drawing shows at which width, and the values that
/// show when a day, week or session is tapped, focused or hovered.
pub const CSS: &str = ".chart { display: block; width: 100%; height: auto; fill: var(--fg); }
.chart.phone { max-width: 28rem; margin-inline: auto; }
.chart.wide { display: none; max-width: 45rem; margin-inline: auto; }
@media (min-width: 48rem) { .chart.phone { display: none; } .chart.wide { display: block; } }
.chart .bars rect.estimated, .chart .key.estimated { fill-opacity: 0.35; stroke: var(--load); stroke-dasharray: 2 2; }
.chart .hit { fill: transparent; }
.chart .pt { outline: none; cursor: pointer; -webkit-tap-highlight-color: transparent; }
.chart .pt:focus .hit, .chart .pt:hover .hit { stroke: var(--fg); stroke-width: 1.5; }
.chart .pt:focus-visible .hit { stroke: var(--focus, var(--fg)); stroke-width: 3; }
.chart .tip { display: none; pointer-events: none; }
.chart .pt:focus .tip, .chart .pt:hover .tip { display: inline; }
.chart .tip rect { fill: var(--bg); stroke: var(--fg); }
.chart .tip text { fill: var(--fg); }
";

/// How wide one character of chart text is, as a share of the text size. A proportional sans-serif's digits and
/// lower-case letters average about 0.6 (DejaVu Sans, a wide common default, about 0.62); a little more keeps the
/// labels placed by this estimate apart.
const CHAR_EM: f64 = 0.66;

fn text_w(s: &str, font: f64) -> f64 {
    s.chars().count() as f64 * CHAR_EM * font
}

/// Escapes text for XML and HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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

/// A short date for an axis or a tip: "23 Nov".
fn short(d: Date) -> String {
    d.strftime("%-d %b").to_string()
}

/// A date with its weekday: "Mon 23 Nov".
fn day_name(d: Date) -> String {
    d.strftime("%a %-d %b").to_string()
}

/// The widest short date, for spacing the date ticks.
const WIDEST_DATE: &str = "30 Sep";

/// One drawing being made: its frame, margins and the SVG body so far.
struct Chart {
    f: Frame,
    left: f64,
    right: f64,
    top: f64,
    out: String,
}

impl Chart {
    /// A chart whose left axis reads `left_labels` and, with `right_axis`, a 0–10 pain axis on the right.
    fn new(f: Frame, left_labels: &[String], right_axis: bool) -> Chart {
        let font = f.font;
        let half_date = text_w(WIDEST_DATE, font) / 2.0 + 2.0;
        let widest = left_labels.iter().map(|l| text_w(l, font)).fold(0.0, f64::max);
        let left = (widest + 0.6 * font).max(half_date).ceil();
        let right = if right_axis {
            (text_w("10", font) + 0.6 * font).max(half_date).ceil()
        } else {
            half_date.ceil()
        };
        Chart {
            f,
            left,
            right,
            // Room above the plot for the axis names, clear of the top tick label.
            top: 2.0 * font,
            out: String::new(),
        }
    }

    /// The y of the x axis.
    fn base(&self) -> f64 {
        self.top + self.f.plot_h
    }

    fn band(&self, n: usize) -> f64 {
        ((self.f.w - self.left - self.right) / n.max(1) as f64).max(0.1)
    }

    /// The centre of day (or point) `i` of `n`: each gets an equal band, so bars and points line up and never spill.
    fn x_of(&self, i: usize, n: usize) -> f64 {
        self.left + self.band(n) * (i as f64 + 0.5)
    }

    fn y_of(&self, v: f64, max: f64) -> f64 {
        let max = if max > 0.0 { max } else { 1.0 };
        self.base() - self.f.plot_h * (v / max).clamp(0.0, 1.0)
    }

    /// The axes, the left scale with its grid, the axis names and, with `right_label`, the 0–10 pain scale.
    fn axes(&mut self, (left_max, step): (f64, f64), left_label: &str, right_label: Option<&str>) {
        let (f, left, base) = (self.f, self.left, self.base());
        let x_end = f.w - self.right;
        let _ = write!(
            self.out,
            r#"<g class="axis" aria-hidden="true"><line x1="{left}" y1="{}" x2="{left}" y2="{base}"/><line x1="{left}" y1="{base}" x2="{x_end}" y2="{base}"/>"#,
            self.top
        );
        let ticks = (left_max / step).round() as u32;
        for k in 0..=ticks {
            let v = step * f64::from(k);
            let y = self.y_of(v, left_max);
            let _ = write!(
                self.out,
                r#"<line class="grid" x1="{left}" y1="{y:.1}" x2="{x_end}" y2="{y:.1}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                left - 0.3 * f.font,
                y + 0.35 * f.font,
                format_number(v)
            );
        }
        let _ = write!(
            self.out,
            r#"<text x="2" y="{}" class="label">{}</text>"#,
            f.font,
            esc(left_label)
        );
        if let Some(r) = right_label {
            for k in [0, 5, 10] {
                let y = self.y_of(f64::from(k), 10.0);
                let _ = write!(
                    self.out,
                    r#"<text x="{:.1}" y="{:.1}">{k}</text>"#,
                    x_end + 0.3 * f.font,
                    y + 0.35 * f.font
                );
            }
            let _ = write!(
                self.out,
                r#"<text x="{}" y="{}" class="label" text-anchor="end">{}</text>"#,
                f.w - 2.0,
                f.font,
                esc(r)
            );
        }
        self.out.push_str("</g>");
    }

    /// Bars of `(total, estimated part)`: the rated part solid, the estimated part on top of it drawn lighter.
    fn stacked_bars(&mut self, class: &str, loads: &[(f64, f64)], max: f64) {
        let n = loads.len();
        let bw = (self.band(n) * 0.6).max(0.5);
        let base = self.base();
        let _ = write!(self.out, r#"<g class="bars {class}" aria-hidden="true">"#);
        for (i, (total, estimated)) in loads.iter().enumerate().filter(|(_, l)| l.0 > 0.0) {
            let x = self.x_of(i, n) - bw / 2.0;
            let top = self.y_of(*total, max);
            let split = self.y_of((total - estimated).max(0.0), max);
            if split > top + 0.05 {
                let _ = write!(
                    self.out,
                    r#"<rect class="estimated" x="{x:.1}" y="{top:.1}" width="{bw:.1}" height="{:.1}"/>"#,
                    split - top
                );
            }
            if base > split + 0.05 {
                let _ = write!(
                    self.out,
                    r#"<rect x="{x:.1}" y="{split:.1}" width="{bw:.1}" height="{:.1}"/>"#,
                    base - split
                );
            }
        }
        self.out.push_str("</g>");
    }

    /// The y of the date labels' baseline: low enough that they clear the left scale's "0".
    fn tick_y(&self) -> f64 {
        self.base() + 1.7 * self.f.font
    }

    /// Date labels under the bands, as many as fit without touching, counted back from the latest.
    fn date_ticks(&mut self, dates: &[Date]) {
        let n = dates.len();
        if n == 0 {
            return;
        }
        let gap = text_w(WIDEST_DATE, self.f.font) + 0.8 * self.f.font;
        let every = (gap / self.band(n)).ceil().max(1.0) as usize;
        let y = self.tick_y();
        self.out.push_str(r#"<g class="ticks" aria-hidden="true">"#);
        for i in (0..n).rev().step_by(every) {
            let _ = write!(
                self.out,
                r#"<text class="tick" x="{:.1}" y="{y:.1}" text-anchor="middle">{}</text>"#,
                self.x_of(i, n),
                short(dates[i])
            );
        }
        self.out.push_str("</g>");
    }

    /// A legend from `y` down, wrapping onto as many rows as the width needs; returns the y under its last row.
    fn legend(&mut self, y: f64, items: &[(&str, &str)]) -> f64 {
        let font = self.f.font;
        let row_h = 1.5 * font;
        let key = 0.8 * font;
        let mut x = 2.0;
        let mut baseline = y + row_h;
        self.out.push_str(r#"<g class="legend" aria-hidden="true">"#);
        for (class, label) in items {
            let item_w = key + 0.4 * font + text_w(label, font);
            if x > 2.0 && x + item_w > self.f.w - 2.0 {
                x = 2.0;
                baseline += row_h;
            }
            let _ = write!(
                self.out,
                r#"<rect class="key {class}" x="{x:.1}" y="{:.1}" width="{key:.1}" height="{key:.1}"/><text x="{:.1}" y="{baseline:.1}">{}</text>"#,
                baseline - 0.8 * font,
                x + key + 0.4 * font,
                esc(label)
            );
            x += item_w + font;
        }
        self.out.push_str("</g>");
        baseline + 0.5 * font
    }

    /// One tap, focus and hover target over `x0..x1` × `y0..y1`, read out as `lines` (joined) to screen readers and
    /// shown as a box of `lines` at the top of the chart while it has focus or the pointer. Only `first` is in the
    /// tab order; the page's script moves along the others with the arrow keys, and a tap focuses any.
    fn target(&mut self, (x0, x1): (f64, f64), (y0, y1): (f64, f64), lines: &[String], first: bool) {
        let font = self.f.font;
        let label = lines.join(", ");
        let _ = write!(
            self.out,
            r#"<g class="pt" tabindex="{}" role="img" aria-label="{}"><rect class="hit" x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}"/>"#,
            if first { 0 } else { -1 },
            esc(&label),
            (x1 - x0).max(0.1),
            (y1 - y0).max(0.1)
        );
        let line_h = 1.3 * font;
        let lines = wrap(
            lines,
            ((self.f.w - 2.0 - font) / (CHAR_EM * font)).floor() as usize,
        );
        let w = (lines.iter().map(|l| text_w(l, font)).fold(0.0, f64::max) + font).min(self.f.w - 2.0);
        let h = lines.len() as f64 * line_h + 0.5 * font;
        let cx = (x0 + x1) / 2.0;
        let x = (cx - w / 2.0).clamp(1.0, (self.f.w - w - 1.0).max(1.0));
        let y = 1.0;
        let _ = write!(
            self.out,
            r#"<g class="tip" aria-hidden="true"><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="4"/><text>"#
        );
        for (k, l) in lines.iter().enumerate() {
            let _ = write!(
                self.out,
                r#"<tspan x="{:.1}" y="{:.1}">{}</tspan>"#,
                x + 0.5 * font,
                y + (k as f64 + 1.0) * line_h,
                esc(l)
            );
        }
        self.out.push_str("</text></g></g>");
    }

    /// The whole drawing, `height` units tall.
    fn finish(self, id: &str, title: &str, desc: &str, height: f64) -> String {
        let f = self.f;
        let id = format!("{id}-{}", f.class);
        format!(
            r#"<svg class="chart {}" viewBox="0 0 {} {:.0}" font-size="{}" role="group" aria-labelledby="{id}-t" aria-describedby="{id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>{}</svg>"#,
            f.class,
            f.w,
            height.ceil(),
            f.font,
            esc(title),
            esc(desc),
            self.out
        )
    }
}

/// `lines` with each longer than `width` characters broken at spaces (a word longer than the width stays whole).
fn wrap(lines: &[String], width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push(current);
    }
    out
}

/// The chart in every frame, one drawing after the other.
fn in_every_frame(draw: impl Fn(Frame) -> String) -> String {
    FRAMES.iter().map(|f| draw(*f)).collect()
}

/// Groups `n` bands into tap targets: one per band when a band is at least `min_tap` wide, else one per seven.
fn buckets(n: usize, band: f64, min_tap: f64) -> Vec<std::ops::Range<usize>> {
    let size = if band >= min_tap { 1 } else { 7 };
    (0..n).step_by(size).map(|s| s..(s + size).min(n)).collect()
}

/// The labels of a left scale from 0 to its top.
fn scale_labels((max, step): (f64, f64)) -> Vec<String> {
    let ticks = (max / step).round() as u32;
    (0..=ticks).map(|k| format_number(step * f64::from(k))).collect()
}

/// Pain before, during, at 24 h and at 48 h (0–10, right axis) against daily load (bars, left axis).
pub fn pain_and_load(days: &[Day]) -> String {
    in_every_frame(|f| pain_and_load_in(f, days))
}

/// One kind of a day's pain (before, during, next morning, 48 h).
type PainOf = fn(&Day) -> Option<u8>;

/// What one day, or one week of days, reads out when tapped.
fn days_lines(days: &[Day]) -> Vec<String> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Vec::new();
    };
    let mut lines = vec![if days.len() == 1 {
        day_name(first.date)
    } else {
        format!("{} – {}", short(first.date), short(last.date))
    }];
    let sessions: usize = days.iter().map(|d| d.sessions).sum();
    let load: f64 = days.iter().map(|d| d.load).sum();
    let estimated: f64 = days.iter().map(|d| d.estimated_load).sum();
    let unrated: usize = days.iter().map(|d| d.unrated_load).sum();
    if sessions > 0 {
        let count = if days.len() == 1 && sessions == 1 {
            String::new()
        } else {
            format!(" in {sessions} session{}", if sessions == 1 { "" } else { "s" })
        };
        let about = if estimated > 0.0 { "about " } else { "" };
        lines.push(if load > 0.0 {
            format!("load {about}{}{count}", format_number(load.round()))
        } else {
            format!("no load recorded{count}")
        });
        if unrated > 0 && estimated > 0.0 {
            lines.push(format!(
                "{} estimated from sets: {unrated} without effort or minutes",
                format_number(estimated.round())
            ));
        }
    }
    // The highest of each kind of pain, those that were recorded, as "before 2, during up to 3".
    let up_to = if days.len() == 1 { "" } else { "up to " };
    let highest = |kinds: [(&str, PainOf); 2]| -> Vec<String> {
        kinds
            .iter()
            .filter_map(|(what, get)| {
                days.iter()
                    .filter_map(get)
                    .max()
                    .map(|p| format!("{what} {up_to}{p}"))
            })
            .collect()
    };
    let pain = highest([("before", |d| d.pain_before), ("during", |d| d.pain_during_max)]);
    if !pain.is_empty() {
        lines.push(format!("pain {}", pain.join(", ")));
    }
    let after = highest([("next morning", |d| d.pain_24h), ("48 h", |d| d.pain_48h)]);
    if !after.is_empty() {
        lines.push(after.join(", "));
    }
    lines
}

/// Days grouped as `groups` into one [`Day`] each: loads and sessions added up, the highest pain of each kind.
fn merged(days: &[Day], groups: &[std::ops::Range<usize>]) -> Vec<Day> {
    groups
        .iter()
        .map(|g| {
            let part = &days[g.clone()];
            let most = |get: fn(&Day) -> Option<u8>| part.iter().filter_map(get).max();
            Day {
                date: part[0].date,
                sessions: part.iter().map(|d| d.sessions).sum(),
                load: part.iter().map(|d| d.load).sum(),
                estimated_load: part.iter().map(|d| d.estimated_load).sum(),
                unrated_load: part.iter().map(|d| d.unrated_load).sum(),
                pain_before: most(|d| d.pain_before),
                pain_during_max: most(|d| d.pain_during_max),
                pain_24h: most(|d| d.pain_24h),
                pain_48h: most(|d| d.pain_48h),
            }
        })
        .collect()
}

fn pain_and_load_in(f: Frame, days: &[Day]) -> String {
    // Days too narrow to see or tap at this width are drawn a week to a bar, with the week's highest pains.
    let probe = Chart::new(f, &scale_labels(nice(1000.0)), true);
    let groups = buckets(days.len(), probe.band(days.len()), f.min_tap);
    let by_week = groups.iter().any(|g| g.len() > 1);
    let shown = if by_week {
        merged(days, &groups)
    } else {
        days.to_vec()
    };
    let max_load = shown.iter().map(|d| d.load).fold(0.0, f64::max).max(1.0);
    let trained = days.iter().filter(|d| d.load > 0.0).count();
    let desc = format!(
        "{} days, {} with training load; highest {} load {}. Lines show the highest pain during the sessions and the mornings after{}. Tap or focus a {} for its values.",
        days.len(),
        trained,
        if by_week { "weekly" } else { "daily" },
        format_number(max_load),
        if by_week { ", week by week" } else { "" },
        if by_week { "week" } else { "day" },
    );
    let scale = nice(max_load);
    let mut c = Chart::new(f, &scale_labels(scale), true);
    c.axes(scale, "load", Some("pain"));
    let max_load = scale.0;
    let n = shown.len();
    let band = c.band(n);
    let base = c.base();
    let loads: Vec<(f64, f64)> = shown.iter().map(|d| (d.load, d.estimated_load)).collect();
    c.stacked_bars("load", &loads, max_load);
    let series: [(&str, PainOf); 4] = [
        ("pain-before", |d| d.pain_before),
        ("pain-during", |d| d.pain_during_max),
        ("pain-24h", |d| d.pain_24h),
        ("pain-48h", |d| d.pain_48h),
    ];
    let r = (0.25 * f.font).min(band / 2.0).max(1.5);
    for (class, get) in series {
        let pts: Vec<(f64, f64)> = shown
            .iter()
            .enumerate()
            .filter_map(|(i, d)| get(d).map(|p| (c.x_of(i, n), c.y_of(f64::from(p), 10.0))))
            .collect();
        let _ = write!(c.out, r#"<g class="series {class}" aria-hidden="true">"#);
        if pts.len() > 1 {
            let path: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let _ = write!(c.out, r#"<polyline points="{}"/>"#, path.join(" "));
        }
        for (x, y) in &pts {
            let _ = write!(c.out, r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}"/>"#);
        }
        c.out.push_str("</g>");
    }
    let dates: Vec<Date> = shown.iter().map(|d| d.date).collect();
    c.date_ticks(&dates);
    let mut keys = vec![("load", if by_week { "weekly load" } else { "daily load" })];
    if shown.iter().any(|d| d.estimated_load > 0.0) {
        keys.push(("load estimated", "estimated from sets"));
    }
    keys.extend([
        ("pain-before", "before"),
        ("pain-during", "during"),
        ("pain-24h", "next morning"),
        ("pain-48h", "48 h"),
    ]);
    let height = c.legend(c.tick_y() + 0.2 * f.font, &keys);
    let with_data: Vec<usize> = (0..n)
        .filter(|i| {
            let d = &shown[*i];
            d.sessions > 0 || d.pain_before.is_some() || d.pain_24h.is_some() || d.pain_48h.is_some()
        })
        .collect();
    c.out.push_str(r#"<g class="points">"#);
    for (k, i) in with_data.iter().enumerate() {
        let x0 = c.left + band * *i as f64;
        let lines = days_lines(&days[groups[*i].clone()]);
        c.target((x0, x0 + band), (c.top, base), &lines, k + 1 == with_data.len());
    }
    c.out.push_str("</g>");
    c.finish("painload", "Pain against training load", &desc, height)
}

/// Weekly load as bars, each labelled with its change against the week before where the bar is wide enough.
pub fn weekly_load(weeks: &[Week]) -> String {
    in_every_frame(|f| weekly_load_in(f, weeks))
}

fn week_lines(w: &Week) -> Vec<String> {
    let mut lines = vec![
        format!("week of {}", short(w.week_start)),
        format!(
            "load {}{}",
            if w.estimated_load > 0.0 { "about " } else { "" },
            format_number(w.load.round())
        ),
    ];
    if w.estimated_load > 0.0 {
        lines.push(format!(
            "{} estimated from sets",
            format_number(w.estimated_load.round())
        ));
    }
    if !w.complete {
        lines.push("so far: the week is not over".to_owned());
    } else if let Some(c) = w.change_pct {
        lines.push(format!("{c:+.0}% on the week before"));
    }
    if w.back_loading_sets > 0 {
        lines.push(format!("{} back-loading sets", w.back_loading_sets));
    }
    lines
}

fn weekly_load_in(f: Frame, weeks: &[Week]) -> String {
    let max = weeks.iter().map(|w| w.load).fold(0.0, f64::max).max(1.0);
    let desc = format!(
        "{} weeks of training load; the highest week was {}. Tap or focus a week for its values.",
        weeks.len(),
        format_number(max)
    );
    let scale = nice(max);
    let mut c = Chart::new(f, &scale_labels(scale), false);
    c.axes(scale, "load", None);
    let max = scale.0;
    let n = weeks.len();
    let band = c.band(n);
    let base = c.base();
    let loads: Vec<(f64, f64)> = weeks.iter().map(|w| (w.load, w.estimated_load)).collect();
    c.stacked_bars("weekly", &loads, max);
    c.out.push_str(r#"<g class="values" aria-hidden="true">"#);
    for (i, w) in weeks.iter().enumerate() {
        let x = c.x_of(i, n);
        let y = c.y_of(w.load, max);
        // The change, over its bar, only where it fits inside the bar's band (so labels never meet).
        if let (true, Some(ch)) = (w.complete, w.change_pct) {
            let label = format!("{ch:+.0}%");
            if text_w(&label, f.font) + 0.4 * f.font <= band {
                let _ = write!(
                    c.out,
                    r#"<text class="value" x="{x:.1}" y="{:.1}" text-anchor="middle">{label}</text>"#,
                    (y - 0.3 * f.font).max(c.top + 0.9 * f.font)
                );
            }
        }
    }
    c.out.push_str("</g>");
    let dates: Vec<Date> = weeks.iter().map(|w| w.week_start).collect();
    c.date_ticks(&dates);
    let height = if weeks.iter().any(|w| w.estimated_load > 0.0) {
        c.legend(
            c.tick_y() + 0.2 * f.font,
            &[("load", "rated load"), ("load estimated", "estimated from sets")],
        )
    } else {
        c.tick_y() + 0.6 * f.font
    };
    c.out.push_str(r#"<g class="points">"#);
    for (i, w) in weeks.iter().enumerate() {
        let x0 = c.left + band * i as f64;
        c.target((x0, x0 + band), (c.top, base), &week_lines(w), i + 1 == n);
    }
    c.out.push_str("</g>");
    c.finish("weekly", "Weekly training load", &desc, height)
}

/// One exercise's top load per session, with each session's verdict as a marked point.
pub fn dose_timeline(exercise: &str, evidence: &[Evidence], unit: WeightUnit, tz: &TimeZone) -> String {
    in_every_frame(|f| dose_timeline_in(f, exercise, evidence, unit, tz))
}

/// A session's verdict in words and its CSS class.
fn verdict_words(e: &Evidence) -> (&'static str, &'static str) {
    match (e.verdict, e.max_pain) {
        (Some(Verdict::Green), _) => ("green", "green"),
        (Some(Verdict::Amber), _) => ("amber", "amber"),
        (Some(Verdict::Red), _) => ("red", "red"),
        (None, None) => ("no pain recorded", "pending"),
        (None, Some(_)) => ("verdict pending", "pending"),
    }
}

fn dose_timeline_in(
    f: Frame,
    exercise: &str,
    evidence: &[Evidence],
    unit: WeightUnit,
    tz: &TimeZone,
) -> String {
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
        "{} sessions of {exercise}; {what} per session, marked green, amber or red. Tap or focus a session for its dose.",
        evidence.len()
    );
    let scale = nice(max);
    let mut c = Chart::new(f, &scale_labels(scale), false);
    c.axes(scale, &what, None);
    let max = scale.0;
    let n = evidence.len();
    let pts: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", c.x_of(i, n), c.y_of(*v, max)))
        .collect();
    c.out.push_str(r#"<g aria-hidden="true">"#);
    if n > 1 {
        let _ = write!(c.out, r#"<polyline class="dose" points="{}"/>"#, pts.join(" "));
    }
    let r = (0.35 * f.font).min(c.band(n) / 2.0).max(1.5);
    for (i, e) in evidence.iter().enumerate() {
        let _ = write!(
            c.out,
            r#"<circle class="verdict {}" cx="{:.1}" cy="{:.1}" r="{r:.1}"/>"#,
            verdict_words(e).1,
            c.x_of(i, n),
            c.y_of(values[i], max),
        );
    }
    c.out.push_str("</g>");
    let dates: Vec<Date> = evidence
        .iter()
        .map(|e| tz.to_datetime(e.session_at).date())
        .collect();
    c.date_ticks(&dates);
    let height = c.legend(
        c.tick_y() + 0.2 * f.font,
        &[
            ("verdict green", "green"),
            ("verdict amber", "amber"),
            ("verdict red", "red"),
            ("verdict pending", "no verdict"),
        ],
    );
    let band = c.band(n);
    let base = c.base();
    let groups = buckets(n, band, f.min_tap);
    c.out.push_str(r#"<g class="points">"#);
    for (k, g) in groups.iter().enumerate() {
        let x0 = c.left + band * g.start as f64;
        let x1 = c.left + band * g.end as f64;
        let lines = if g.len() == 1 {
            let e = &evidence[g.start];
            let mut lines = vec![day_name(dates[g.start]), e.dose.describe_done(unit)];
            lines.push(match e.max_pain {
                Some(p) => format!("pain up to {p}: {}", verdict_words(e).0),
                None => verdict_words(e).0.to_owned(),
            });
            lines
        } else {
            let count = |w: &str| {
                evidence[g.clone()]
                    .iter()
                    .filter(|e| verdict_words(e).0 == w)
                    .count()
            };
            let verdicts: Vec<String> = ["green", "amber", "red"]
                .iter()
                .map(|w| (w, count(w)))
                .filter(|(_, k)| *k > 0)
                .map(|(w, k)| format!("{k} {w}"))
                .collect();
            let top = values[g.clone()].iter().copied().fold(0.0, f64::max);
            let mut lines = vec![
                format!(
                    "{} – {}: {} sessions",
                    short(dates[g.start]),
                    short(dates[g.end - 1]),
                    g.len()
                ),
                format!(
                    "up to {}{}",
                    format_number(top),
                    if use_load {
                        format!(" {unit}")
                    } else {
                        String::new()
                    }
                ),
            ];
            if !verdicts.is_empty() {
                lines.push(verdicts.join(", "));
            }
            lines
        };
        c.target((x0, x1), (c.top, base), &lines, k + 1 == groups.len());
    }
    c.out.push_str("</g>");
    // An id must be one token: the exercise's name, lower-cased, with anything else as '-'.
    let id = format!(
        "dose-{}",
        exercise
            .chars()
            .map(|ch| if ch.is_ascii_alphanumeric() {
                ch.to_ascii_lowercase()
            } else {
                '-'
            })
            .collect::<String>()
    );
    c.finish(&id, &format!("{exercise}: dose and verdicts"), &desc, height)
}

/// A calendar of `from..=to`: a column of seven squares per week (Monday on top), flare days marked, the months
/// named over the columns and Monday, Wednesday and Friday beside the rows; a long range wraps onto more blocks of
/// columns so that a square is never smaller than the text.
pub fn flare_calendar(flares: &[FlareEpisode], from: Date, to: Date, tz: &TimeZone, now_day: Date) -> String {
    in_every_frame(|f| flare_calendar_in(f, flares, from, to, tz, now_day))
}

fn flare_calendar_in(
    f: Frame,
    flares: &[FlareEpisode],
    from: Date,
    to: Date,
    tz: &TimeZone,
    now_day: Date,
) -> String {
    let font = f.font;
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
        flares.iter().any(|fl| {
            let s = tz.to_datetime(fl.start).date();
            let e = fl.end.map_or(now_day, |e| tz.to_datetime(e).date());
            day >= s && day <= e
        })
    };
    let flare_days = days.iter().filter(|d| in_flare(**d)).count();
    let desc = format!(
        "{} days from {from} to {to}; {flare_days} of them in a flare-up ({} flare-ups). Tap or focus a week for its days.",
        days.len(),
        flares.len()
    );
    let offset = from.weekday().to_monday_zero_offset() as usize;
    let weeks = (days.len() + offset).div_ceil(7).max(1);
    let left = (text_w("Mon", font) + 0.6 * font).ceil();
    let room = f.w - left - 4.0;
    let per_block_max = ((room / (0.9 * font)).floor() as usize).max(1);
    let blocks = weeks.div_ceil(per_block_max);
    let cols = weeks.div_ceil(blocks);
    let cell = (room / cols as f64).min(2.0 * font);
    let month_row = 1.4 * font;
    let block_h = month_row + 7.0 * cell + 0.6 * font;
    let mut c = Chart::new(f, &[], false);
    c.left = left;
    // Each week's days, by column.
    let mut columns: Vec<Vec<(usize, Date)>> = vec![Vec::new(); weeks];
    for (i, day) in days.iter().enumerate() {
        let k = i + offset;
        columns[k / 7].push((k % 7, *day));
    }
    let place = |col: usize| {
        let b = col / cols;
        (left + (col % cols) as f64 * cell, b as f64 * block_h + month_row)
    };
    c.out.push_str(r#"<g class="labels" aria-hidden="true">"#);
    for b in 0..blocks {
        let y0 = b as f64 * block_h + month_row;
        for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
            let _ = write!(
                c.out,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{name}</text>"#,
                left - 0.3 * font,
                y0 + (f64::from(row) + 0.5) * cell + 0.35 * font
            );
        }
        // The months over the columns where they start, and over the block's first column when the next month's
        // start leaves room; never touching, never past the edge.
        let block_cols = (b * cols)..((b + 1) * cols).min(weeks);
        let starts: Vec<(f64, String)> = block_cols
            .clone()
            .filter_map(|col| {
                let first = columns[col].iter().find(|(_, d)| d.day() == 1)?.1;
                Some((place(col).0, first.strftime("%b").to_string()))
            })
            .collect();
        let mut labels = Vec::new();
        if let Some(&(_, first)) = columns[block_cols.start].first() {
            let label = first.strftime("%b").to_string();
            let x = place(block_cols.start).0;
            let clear = starts
                .first()
                .is_none_or(|(next, _)| *next >= x + text_w(&label, font) + 0.5 * font);
            if clear && starts.first().is_none_or(|(next, _)| *next > x) {
                labels.push((x, label));
            }
        }
        labels.extend(starts);
        let mut free_from = 0.0;
        for (x, label) in labels {
            let end = x + text_w(&label, font);
            if x >= free_from && end <= f.w - 2.0 {
                let _ = write!(
                    c.out,
                    r#"<text x="{x:.1}" y="{:.1}">{label}</text>"#,
                    y0 - 0.4 * font
                );
                free_from = end + 0.5 * font;
            }
        }
    }
    c.out.push_str("</g><g class=\"days\" aria-hidden=\"true\">");
    let side = (cell - 1.0).max(0.5);
    for (col, week) in columns.iter().enumerate() {
        let (x, y0) = place(col);
        for (row, day) in week {
            let class = if in_flare(*day) { "flare" } else { "calm" };
            let _ = write!(
                c.out,
                r#"<rect class="day {class}" x="{x:.1}" y="{:.1}" width="{side:.1}" height="{side:.1}"/>"#,
                y0 + *row as f64 * cell
            );
        }
    }
    c.out.push_str("</g>");
    let height = c.legend(
        blocks as f64 * block_h - 0.6 * font,
        &[("calm", "no flare-up"), ("flare", "flare-up")],
    );
    c.out.push_str(r#"<g class="points">"#);
    for (col, week) in columns.iter().enumerate() {
        let (Some(&(_, first)), Some(&(_, last))) = (week.first(), week.last()) else {
            continue;
        };
        let (x, y0) = place(col);
        let flare: Vec<String> = week
            .iter()
            .filter(|(_, d)| in_flare(*d))
            .map(|(_, d)| d.strftime("%a").to_string())
            .collect();
        let lines = vec![
            format!("{} – {}", short(first), short(last)),
            if flare.is_empty() {
                "no flare-up".to_owned()
            } else if flare.len() == week.len() {
                "flare-up every day".to_owned()
            } else {
                format!("flare-up on {}", flare.join(", "))
            },
        ];
        c.target((x, x + cell), (y0, y0 + 7.0 * cell), &lines, col + 1 == weeks);
    }
    c.out.push_str("</g>");
    c.finish("flares", "Flare-up calendar", &desc, height)
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
            estimated_load: 0.0,
            unrated_load: 0,
            pain_before: pain,
            pain_during_max: pain,
            pain_24h: pain,
            pain_48h: None,
        }
    }

    fn weeks_of(days: &[Day]) -> Vec<Week> {
        days.chunks(7)
            .enumerate()
            .map(|(i, c)| Week {
                week_start: day(i as i64 * 7, 0.0, None).date,
                load: c.iter().map(|d| d.load).sum(),
                estimated_load: c.iter().map(|d| d.estimated_load).sum(),
                change_pct: Some(f64::from(i as u32 % 7) * 20.0 - 50.0),
                complete: c.len() == 7,
                monotony: None,
                strain: None,
                hard_sets: Default::default(),
                volume_load: Default::default(),
                back_loading_sets: 0,
            })
            .collect()
    }

    /// The daily or weekly load bars of a pain-and-load drawing.
    fn load_bars(svg: &str) -> &str {
        svg.split(r#"<g class="bars load""#)
            .nth(1)
            .and_then(|g| g.split("</g>").next())
            .unwrap_or_default()
    }

    /// The drawings in `html`, each with its frame.
    fn drawings(html: &str) -> Vec<(Frame, &str)> {
        let found: Vec<(Frame, &str)> = html
            .split_inclusive("</svg>")
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                let f = FRAMES
                    .iter()
                    .find(|f| s.starts_with(&format!(r#"<svg class="chart {}""#, f.class)))
                    .unwrap_or_else(|| panic!("not a chart: {}", &s[..s.len().min(80)]));
                (*f, s)
            })
            .collect();
        assert_eq!(found.len(), FRAMES.len(), "one drawing per frame");
        found
    }

    fn attr(tag: &str, name: &str) -> Option<f64> {
        let key = format!(" {name}=\"");
        let at = tag.find(&key)? + key.len();
        tag[at..].split('"').next()?.parse().ok()
    }

    fn view_height(svg: &str) -> f64 {
        let at = svg.find("viewBox=\"0 0 ").unwrap() + 13;
        svg[at..].split(['"', ' ']).nth(1).unwrap().parse().unwrap()
    }

    /// Every number in x/y/cx/cy/width/height attributes and polyline points lies inside the drawing's viewBox.
    fn inside(html: &str) -> Result<(), String> {
        for (f, svg) in drawings(html) {
            let h = view_height(svg);
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
                        let x: f64 = n.parse().map_err(|_| format!("not a number: {n}"))?;
                        if !x.is_finite() || !(0.0..=f.w.max(h)).contains(&x) {
                            return Err(format!("{}: {attr}{n} outside the viewBox", f.class));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The visible labels of a drawing (tips aside) as estimated boxes: (x0, x1, y0, y1, text).
    fn label_boxes(f: Frame, svg: &str) -> Vec<(f64, f64, f64, f64, String)> {
        let visible = svg.split(r#"<g class="points">"#).next().unwrap_or_default();
        visible
            .split("<text")
            .skip(1)
            .map(|t| {
                let (tag, rest) = t.split_once('>').unwrap();
                let text = rest.split("</text>").next().unwrap().to_owned();
                let (x, y) = (attr(tag, "x").unwrap(), attr(tag, "y").unwrap());
                let w = text_w(&text, f.font) * 0.62 / CHAR_EM;
                let x0 = if tag.contains("text-anchor=\"end\"") {
                    x - w
                } else if tag.contains("text-anchor=\"middle\"") {
                    x - w / 2.0
                } else {
                    x
                };
                (x0, x0 + w, y - 0.93 * f.font, y + 0.24 * f.font, text)
            })
            .collect()
    }

    /// No two visible labels of any drawing overlap, and each lies inside its drawing (with text at the real
    /// average width of a sans-serif, 0.62 em, not the placement estimate).
    fn labels_apart(html: &str) -> Result<(), String> {
        for (f, svg) in drawings(html) {
            let boxes = label_boxes(f, svg);
            let h = view_height(svg);
            for (i, a) in boxes.iter().enumerate() {
                if a.0 < 0.0 || a.1 > f.w || a.2 < -0.1 || a.3 > h + 0.1 {
                    return Err(format!("{}: {:?} outside {} × {h}", f.class, a, f.w));
                }
                for b in &boxes[i + 1..] {
                    if a.0 < b.1 && b.0 < a.1 && a.2 < b.3 && b.2 < a.3 {
                        return Err(format!("{}: {:?} overlaps {:?}", f.class, a, b));
                    }
                }
            }
        }
        Ok(())
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

    #[test]
    fn each_chart_is_drawn_for_a_phone_and_a_wide_screen_with_its_own_text_size() {
        let days: Vec<Day> = (0..84).map(|i| day(i, 300.0, Some(2))).collect();
        for html in [pain_and_load(&days), weekly_load(&weeks_of(&days))] {
            let d = drawings(&html);
            assert!(d[0].1.contains(r#"viewBox="0 0 300 "#) && d[0].1.contains(r#"font-size="12""#));
            assert!(d[1].1.contains(r#"viewBox="0 0 720 "#) && d[1].1.contains(r#"font-size="14""#));
            // Ids stay unique on a page that carries both.
            assert!(d[0].1.contains("-phone-t") && d[1].1.contains("-wide-t"));
        }
        // The CSS shows one and hides the other.
        assert!(
            CSS.contains(".chart.wide { display: none;")
                && CSS.contains("@media (min-width: 48rem) { .chart.phone { display: none; }")
        );
    }

    #[test]
    fn a_year_of_days_gets_few_date_labels_that_never_meet() {
        let days: Vec<Day> = (0..364)
            .map(|i| day(i, if i % 2 == 0 { 250.0 } else { 0.0 }, Some((i % 11) as u8)))
            .collect();
        let html = pain_and_load(&days);
        labels_apart(&html).unwrap();
        for (f, svg) in drawings(&html) {
            let ticks = svg.matches(r#"class="tick""#).count();
            assert!((2..=12).contains(&ticks), "{}: {ticks} date labels", f.class);
            // A day is too narrow to see or tap on this range: bars, points and targets are weeks, and the latest
            // week is labelled.
            assert!(
                svg.contains(&format!(">{}</text>", short(days[357].date))),
                "{}",
                f.class
            );
            assert_eq!(svg.matches(r#"class="pt""#).count(), 52, "{}", f.class);
            let bars = load_bars(svg);
            assert_eq!(bars.matches("<rect").count(), 52, "{}", f.class);
            assert!(svg.contains(">weekly load</text>") && svg.contains("week by week"));
            // Each week's highest pain during: day i has pain i % 11, so a week's highest is 10 where it holds
            // day 10, 21, … and the point sits on the 10 line.
            assert!(svg.contains("pain before up to 10, during up to 10"));
        }
        let weekly = weekly_load(&weeks_of(&days));
        labels_apart(&weekly).unwrap();
        for (f, svg) in drawings(&weekly) {
            // 52 bars are too narrow for their change labels; the tips carry them.
            assert_eq!(svg.matches(r#"class="value""#).count(), 0, "{}", f.class);
            assert!(svg.contains("% on the week before"));
        }
    }

    #[test]
    fn four_weeks_show_each_day_and_the_weekly_changes() {
        let days: Vec<Day> = (0..28)
            .map(|i| day(i, if i % 3 == 0 { 300.0 } else { 0.0 }, None))
            .collect();
        let html = pain_and_load(&days);
        labels_apart(&html).unwrap();
        let (_, phone) = drawings(&html)[0];
        // A target per day with a session (days 0, 3, …, 27), the latest in the tab order.
        assert_eq!(phone.matches(r#"class="pt""#).count(), 10);
        assert_eq!(phone.matches(r#"tabindex="0""#).count(), 1);
        assert!(phone.contains(r#"aria-label="Wed 28 Jan, load 300""#), "{phone}");
        let weekly = weekly_load(&weeks_of(&days));
        labels_apart(&weekly).unwrap();
        for (_, svg) in drawings(&weekly) {
            assert_eq!(svg.matches(r#"class="value""#).count(), 4);
        }
    }

    #[test]
    fn a_week_target_sums_its_days_and_names_the_worst_pain() {
        let mut days: Vec<Day> = (0..7)
            .map(|i| day(i, if i < 3 { 200.0 } else { 0.0 }, Some(i as u8)))
            .collect();
        days[1].unrated_load = 1;
        days[1].estimated_load = 54.0;
        assert_eq!(
            days_lines(&days),
            [
                "1 Jan – 7 Jan",
                "load about 600 in 3 sessions",
                "54 estimated from sets: 1 without effort or minutes",
                "pain before up to 6, during up to 6",
                "next morning up to 6"
            ]
        );
        assert_eq!(
            days_lines(&days[4..5]),
            ["Mon 5 Jan", "pain before 4, during 4", "next morning 4"]
        );
        assert!(days_lines(&[]).is_empty());
    }

    #[test]
    fn an_estimated_load_is_drawn_lighter_on_top_and_said_in_the_tip() {
        let mut days: Vec<Day> = (0..7)
            .map(|i| day(i, if i == 2 { 300.0 } else { 0.0 }, None))
            .collect();
        days[2].estimated_load = 100.0;
        days[2].unrated_load = 1;
        days[2].sessions = 2;
        let html = pain_and_load(&days);
        labels_apart(&html).unwrap();
        for (f, svg) in drawings(&html) {
            let bars = load_bars(svg);
            // The estimated third on top, the rated two thirds below it, meeting where they should.
            let est = bars.split(r#"<rect class="estimated""#).nth(1).unwrap();
            let rated = bars.split("<rect x=").nth(1).unwrap();
            let (top, h) = (attr(est, "y").unwrap(), attr(est, "height").unwrap());
            let split = attr(&format!(" x={rated}"), "y").unwrap();
            assert!(
                (top + h - split).abs() < 0.11,
                "{}: {top} + {h} vs {split}",
                f.class
            );
            assert!(
                (h - f.plot_h * 100.0 / nice(300.0).0).abs() < 0.11,
                "{}: {h}",
                f.class
            );
            assert!(svg.contains(">estimated from sets</text>"));
            assert!(
                svg.contains(
                    "load about 300 in 2 sessions, 100 estimated from sets: 1 without effort or minutes"
                ),
                "{svg}"
            );
        }
        // Without an estimate, no such key.
        assert!(!pain_and_load(&[day(0, 300.0, None)]).contains("estimated"));
    }

    #[test]
    fn the_flare_calendar_names_months_and_weekdays_and_wraps_a_long_range() {
        let from = jiff::civil::date(2026, 1, 1);
        let to = jiff::civil::date(2026, 12, 31);
        let flare = FlareEpisode {
            start: "2026-03-03T09:00:00Z".parse().unwrap(),
            end: Some("2026-03-05T09:00:00Z".parse().unwrap()),
            declared: true,
            peak_pain: Some(6),
            days: 2.0,
        };
        let html = flare_calendar(&[flare], from, to, &TimeZone::UTC, to);
        inside(&html).unwrap();
        labels_apart(&html).unwrap();
        for (f, svg) in drawings(&html) {
            assert!(svg.contains("365 days") && svg.contains("3 of them in a flare-up"));
            for m in [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ] {
                assert!(svg.contains(&format!(">{m}</text>")), "{}: {m}", f.class);
            }
            assert!(svg.contains(">Mon</text>") && svg.contains(">Fri</text>"));
            assert_eq!(svg.matches(r#"class="pt""#).count(), 53, "{}", f.class);
            assert!(svg.contains("flare-up on Tue, Wed, Thu"));
            assert_eq!(svg.matches("day flare").count(), 3);
            // No square smaller than the text, on a phone too.
            let side = attr(svg.split("day calm").nth(1).unwrap(), "width").unwrap();
            assert!(side + 1.0 >= 0.9 * f.font, "{}: {side}", f.class);
        }
        // On a phone a year wraps onto blocks; a wide screen holds it on one.
        let (_, phone) = drawings(&html)[0];
        assert_eq!(phone.matches(">Mon</text>").count(), 3);
        assert_eq!(drawings(&html)[1].1.matches(">Mon</text>").count(), 1);
    }

    #[test]
    fn empty_one_point_and_year_long_series_render() {
        for n in [0usize, 1, 365] {
            let days: Vec<Day> = (0..n as i64)
                .map(|i| day(i, if i % 3 == 0 { 300.0 } else { 0.0 }, Some((i % 11) as u8)))
                .collect();
            let html = pain_and_load(&days);
            for (_, svg) in drawings(&html) {
                assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
                assert!(svg.contains("<title") && svg.contains("<desc"));
            }
            inside(&html).unwrap();
            labels_apart(&html).unwrap();
        }
        for weeks in [1, 4, 12, 26, 52] {
            let from = jiff::civil::date(2026, 1, 7);
            let to = from.checked_add(jiff::Span::new().days(weeks * 7 - 1)).unwrap();
            let html = flare_calendar(&[], from, to, &TimeZone::UTC, to);
            inside(&html).unwrap();
            labels_apart(&html).unwrap();
        }
    }

    #[test]
    fn a_small_chart_looks_as_expected() {
        let days = vec![day(0, 300.0, Some(2)), day(1, 0.0, None), day(2, 350.0, Some(3))];
        insta::assert_snapshot!(pain_and_load(&days));
    }

    #[test]
    fn long_values_wrap_inside_the_chart() {
        let lines = [
            "a short line".to_owned(),
            "768 estimated from sets: 2 without effort or minutes".to_owned(),
        ];
        assert_eq!(
            wrap(&lines, 36),
            [
                "a short line",
                "768 estimated from sets: 2 without",
                "effort or minutes"
            ]
        );
        assert_eq!(
            wrap(&["unbreakable-word-longer-than-width".to_owned()], 5),
            ["unbreakable-word-longer-than-width"]
        );
        // Every tip box stays inside its drawing.
        let mut days: Vec<Day> = (0..7).map(|i| day(i, 300.0, Some(2))).collect();
        days[6].estimated_load = 300.0;
        days[6].unrated_load = 1;
        for (f, svg) in drawings(&pain_and_load(&days)) {
            for tip in svg.split(r#"<g class="tip" aria-hidden="true"><rect"#).skip(1) {
                let (x, w) = (attr(tip, "x").unwrap(), attr(tip, "width").unwrap());
                assert!(x >= 0.0 && x + w <= f.w, "{}: {x} + {w}", f.class);
                for line in tip.split("<tspan").skip(1) {
                    let text = line.split('>').nth(1).unwrap().split('<').next().unwrap();
                    assert!(text_w(text, f.font) <= w, "{}: {text}", f.class);
                }
            }
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    proptest! {
        #[test]
        fn coordinates_stay_inside_and_labels_apart(loads in prop::collection::vec((0.0f64..50000.0, prop::option::of(0u8..11)), 0..400)) {
            let days: Vec<Day> = loads.iter().enumerate().map(|(i, (l, p))| day(i as i64, *l, *p)).collect();
            let html = pain_and_load(&days);
            prop_assert!(inside(&html).is_ok(), "{:?}", inside(&html));
            prop_assert!(labels_apart(&html).is_ok(), "{:?}", labels_apart(&html));
            let weekly = weekly_load(&weeks_of(&days));
            prop_assert!(inside(&weekly).is_ok(), "{:?}", inside(&weekly));
            prop_assert!(labels_apart(&weekly).is_ok(), "{:?}", labels_apart(&weekly));
        }
    }
}
