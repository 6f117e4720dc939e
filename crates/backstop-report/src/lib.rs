//! backstop's report: SVG charts drawn by the project and a self-contained HTML page a clinician can read —
//! no scripts, no external requests, readable when printed.

#![forbid(unsafe_code)]

pub mod ics;
pub mod svg;

use std::fmt::Write as _;

use backstop_core::engine::{Assessment, LedgerStatus, NextStep};
use backstop_core::load::LoadReport;
use backstop_core::time::format_local;
use backstop_core::units::{WeightUnit, format_number};
use jiff::tz::TimeZone;

use crate::svg::esc;

/// What the report shows.
pub struct ReportInput<'a> {
    /// The assessment at the end of the period.
    pub assessment: &'a Assessment,
    /// Load and pain over the period.
    pub load: &'a LoadReport,
    /// The person's zone.
    pub tz: &'a TimeZone,
    /// The person's unit.
    pub unit: WeightUnit,
    /// The person's usual pain.
    pub usual_pain: u8,
}

const CSS: &str = r#"
:root { color-scheme: light dark; --fg: #1d232a; --bg: #ffffff; --muted: #5b6570; --grid: #d5dae0;
  --load: #8a99ab; --before: #6b5fb5; --during: #c2571a; --h24: #1f77b4; --h48: #2a9d8f;
  --green: #2e7d32; --amber: #b26a00; --red: #c62828; --flare: #c62828; --calm: #e3e7ec; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ee; --bg: #15191e; --muted: #a1aab5; --grid: #39414b;
  --load: #5c6a7b; --calm: #262c33; } }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
  max-width: 960px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid var(--grid); }
.muted, .note { color: var(--muted); } table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--grid); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart .axis line { stroke: var(--muted); } .chart .grid { stroke: var(--grid); stroke-dasharray: 2 3; }
.chart .label { fill: var(--muted); } .chart .bars rect, .chart .key.load { fill: var(--load); }
.chart .series polyline, .chart polyline.dose { fill: none; stroke-width: 2; }
.pain-before polyline { stroke: var(--before); } .pain-before circle, .key.pain-before { fill: var(--before); }
.pain-during polyline { stroke: var(--during); } .pain-during circle, .key.pain-during { fill: var(--during); }
.pain-24h polyline { stroke: var(--h24); } .pain-24h circle, .key.pain-24h { fill: var(--h24); }
.pain-48h polyline { stroke: var(--h48); } .pain-48h circle, .key.pain-48h { fill: var(--h48); }
polyline.dose { stroke: var(--muted); } .verdict.green { fill: var(--green); } .verdict.amber { fill: var(--amber); }
.verdict.red { fill: var(--red); } .verdict.pending { fill: var(--grid); }
.day.flare, .key.flare { fill: var(--flare); } .day.calm, .key.calm { fill: var(--calm); }
.tag { font-weight: 600; } .tag.green { color: var(--green); } .tag.amber { color: var(--amber); } .tag.red { color: var(--red); }
details { margin: .25rem 0 1rem; } summary { cursor: pointer; color: var(--muted); }
@media print { body { max-width: none; } details { display: block; } h2 { break-after: avoid; } svg { break-inside: avoid; } }
"#;

fn opt(v: Option<u8>) -> String {
    v.map_or("–".to_owned(), |p| p.to_string())
}

fn status_word(s: LedgerStatus) -> &'static str {
    match s {
        LedgerStatus::Untested => "untested",
        LedgerStatus::Testing => "testing",
        LedgerStatus::Tolerated => "tolerated",
        LedgerStatus::Provocative => "provocative",
        LedgerStatus::Parked => "parked",
    }
}

/// The whole report as one HTML document.
pub fn html(r: &ReportInput<'_>) -> String {
    let a = r.assessment;
    let l = r.load;
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>backstop report {} to {}</title><style>{CSS}{}</style></head><body>"#,
        l.from,
        l.to,
        svg::CSS
    );
    let _ = write!(o, "<h1>Back training report, {} to {}</h1>", l.from, l.to);
    let _ = write!(
        o,
        r#"<p class="muted">Made by backstop on {}. Pain is rated 0–10 (usual pain {}). Verdicts follow the Ceiling Method: pain during the sets against a ceiling, then the next mornings. This is a training record, not a diagnosis.</p>"#,
        format_local(a.now, r.tz),
        r.usual_pain
    );

    // Summary.
    o.push_str("<h2>Summary</h2><ul>");
    let sessions = l.daily.iter().filter(|d| d.sessions > 0).count();
    let unrated = l.daily.iter().filter(|d| d.sessions > 0 && d.load == 0.0).count();
    let _ = write!(
        o,
        "<li>{} training days in the period; weekly load from {} to {}.</li>",
        sessions,
        format_number(l.weeks.iter().map(|w| w.load).reduce(f64::min).unwrap_or(0.0)),
        format_number(l.weeks.iter().map(|w| w.load).fold(0.0, f64::max))
    );
    if unrated > 0 {
        let _ = write!(
            o,
            "<li>{unrated} training day(s) have no session RPE or minutes, so their load counts as 0 (imported histories usually lack them).</li>"
        );
    }
    if a.red_flags.blocks_training {
        o.push_str("<li><strong>Training is paused: a red-flag answer is open and needs a clinician's clearance.</strong></li>");
    }
    if a.flare.active {
        let _ = write!(
            o,
            "<li><strong>In a flare-up</strong> since {}.</li>",
            a.flare.since.map(|t| format_local(t, r.tz)).unwrap_or_default()
        );
    } else if let Some(s) = a.flare.reentry_step {
        let _ = write!(o, "<li>Returning from a flare-up, re-entry step {s}.</li>");
    }
    let _ = write!(
        o,
        "<li>{} flare-up(s) on record; {} short spike(s).</li>",
        a.flares.len(),
        a.spikes.len()
    );
    for al in &a.alerts {
        let _ = write!(
            o,
            "<li>{} <span class=\"muted\">({})</span></li>",
            esc(&al.message),
            al.rule
        );
    }
    o.push_str("</ul>");

    // Pain and load.
    o.push_str("<h2>Pain and training load</h2>");
    o.push_str(&svg::pain_and_load(&l.daily));
    o.push_str("<details><summary>The numbers behind the chart</summary><table><thead><tr><th>day</th><th class=\"num\">load</th><th class=\"num\">pain before</th><th class=\"num\">during (max)</th><th class=\"num\">next morning</th><th class=\"num\">48 h</th></tr></thead><tbody>");
    for d in l
        .daily
        .iter()
        .filter(|d| d.load > 0.0 || d.pain_24h.is_some() || d.pain_during_max.is_some())
    {
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            d.date,
            format_number(d.load),
            opt(d.pain_before),
            opt(d.pain_during_max),
            opt(d.pain_24h),
            opt(d.pain_48h)
        );
    }
    o.push_str("</tbody></table></details>");

    o.push_str("<h2>Weekly load</h2>");
    o.push_str(&svg::weekly_load(&l.weeks));
    o.push_str("<table><thead><tr><th>week of</th><th class=\"num\">load</th><th class=\"num\">change</th><th class=\"num\">monotony</th><th class=\"num\">strain</th><th class=\"num\">back-loading sets</th></tr></thead><tbody>");
    for w in &l.weeks {
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            w.week_start,
            format_number(w.load),
            match (w.change_pct, w.complete) {
                (_, false) => "so far".to_owned(),
                (Some(c), true) => format!("{}%", format_number(c)),
                (None, true) => "–".to_owned(),
            },
            w.monotony.map_or("–".into(), format_number),
            w.strain.map_or("–".into(), format_number),
            w.back_loading_sets
        );
    }
    let _ = write!(
        o,
        "</tbody></table><p class=\"note\">Change: the week's load against the week before (a week still under way \
         reads \"so far\"). Monotony: the mean daily load over its day-to-day spread (near 2 or above, every day \
         alike). Strain: the week's load times its monotony (Foster 1998). Load figures describe the training; they \
         do not predict injury.</p>"
    );

    // Tolerance table.
    o.push_str("<h2>Exercises and tolerance</h2><table><thead><tr><th>exercise</th><th>status</th><th>last verdict</th><th>next</th><th>why</th></tr></thead><tbody>");
    for e in &a.exercises {
        let unconfirmed = e
            .evidence
            .last()
            .is_some_and(|x| x.status == backstop_core::engine::VerdictStatus::Unconfirmed);
        let v = e.last_verdict.map_or("pending", |v| v.as_str());
        let v_text = if unconfirmed {
            format!("{v} (no check-in)")
        } else {
            v.to_owned()
        };
        let next = match (&e.dose, e.next) {
            (Some(d), n) => format!("{} {}", n.as_str(), d.describe(r.unit)),
            (None, NextStep::Avoid) => "avoid for now".to_owned(),
            (None, n) => n.as_str().to_owned(),
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td><span class=\"tag {v}\">{v_text}</span></td><td>{}</td><td>{} <span class=\"muted\">({})</span></td></tr>",
            esc(&e.exercise),
            status_word(e.status),
            esc(&next),
            esc(&e.reason),
            e.rule
        );
    }
    o.push_str("</tbody></table>");

    if !a.suspects.is_empty() {
        o.push_str("<h2>Exercises linked to pain</h2><p class=\"note\">Exercises that went with more pain than the rest of this person's training, in their own data. An association, not a diagnosis.</p><table><thead><tr><th>exercise</th><th>confidence</th><th>evidence</th></tr></thead><tbody>");
        for s in &a.suspects {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&s.exercise),
                s.confidence.as_str(),
                esc(&s.evidence)
            );
        }
        o.push_str("</tbody></table>");
    }
    let broader: Vec<_> = a
        .causes
        .iter()
        .filter(|c| c.level != backstop_core::engine::CauseLevel::Exercise)
        .collect();
    if !broader.is_empty() {
        o.push_str("<h2>What the back reacts to</h2><p class=\"note\">Found across sessions: a movement pattern or a way of loading the spine that goes with more pain whatever the exercise. An association, not a diagnosis.</p><ul>");
        for c in broader {
            let _ = write!(
                o,
                "<li><strong>{}</strong> {}</li>",
                esc(&c.headline()),
                esc(&c.evidence)
            );
        }
        o.push_str("</ul>");
    }

    // Dose timelines for exercises with at least two sessions.
    let timelines: Vec<_> = a
        .exercises
        .iter()
        .filter(|e| e.evidence.len() >= 2)
        .take(8)
        .collect();
    if !timelines.is_empty() {
        o.push_str("<h2>Dose and verdicts per exercise</h2>");
        for e in timelines {
            let _ = write!(o, "<h3>{}</h3>", esc(&e.exercise));
            o.push_str(&svg::dose_timeline(&e.exercise, &e.evidence, r.unit, r.tz));
        }
    }

    o.push_str("<h2>Flare-ups</h2>");
    let today = r.tz.to_datetime(a.now).date();
    o.push_str(&svg::flare_calendar(&a.flares, l.from, l.to, r.tz, today));
    if a.flares.is_empty() {
        o.push_str("<p>No flare-up on record.</p>");
    } else {
        o.push_str("<table><thead><tr><th>start</th><th>end</th><th class=\"num\">days</th><th class=\"num\">peak pain</th><th>how</th></tr></thead><tbody>");
        for f in &a.flares {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                format_local(f.start, r.tz),
                f.end.map_or("ongoing".into(), |t| format_local(t, r.tz)),
                format_number(f.days),
                opt(f.peak_pain),
                if f.declared {
                    "declared"
                } else {
                    "from pain reports"
                }
            );
        }
        o.push_str("</tbody></table>");
    }
    o.push_str("</body></html>\n");
    o
}
