//! Trends: pain (before, during, 24 h, 48 h) over daily training load, weekly load with its change, and the
//! flare calendar, each with its data as a table under a disclosure; 4, 12, 26 or 52 weeks.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use backstop_app::view::LoadReportView;
use backstop_core::units::format_number;
use serde::Deserialize;

use crate::WebState;
use crate::error::PageError;
use crate::signed_in::Me;
use crate::views::{Layout, html};

/// The ranges offered.
const RANGES: [u32; 4] = [4, 12, 26, 52];

#[derive(Template)]
#[template(path = "trends.html")]
struct TrendsPage {
    layout: Layout,
    weeks: u32,
    ranges: Vec<(u32, bool)>,
    pain_chart: String,
    load_chart: String,
    flare_chart: String,
    week_rows: Vec<[String; 5]>,
    day_rows: Vec<[String; 6]>,
    advice: Vec<String>,
}

#[derive(Deserialize)]
struct TrendsQuery {
    weeks: Option<u32>,
}

fn opt(v: Option<u8>) -> String {
    v.map_or_else(|| "–".into(), |p| p.to_string())
}

async fn trends(
    State(st): State<WebState>,
    Me { who }: Me,
    Query(q): Query<TrendsQuery>,
) -> Result<Response, PageError> {
    let weeks = q.weeks.filter(|w| RANGES.contains(w)).unwrap_or(12);
    let (ctx, r) = st.app.load_report(who, None, weeks).await?;
    let c = st.app.assess_cached(&ctx, who).await?;
    let today = backstop_core::time::civil_date(c.assessment.now, &ctx.tz);
    // The tables and advice show the load report document (what `report --json` and the API give); the charts draw
    // the same report.
    let v = LoadReportView::new(&r);
    let page = TrendsPage {
        layout: Layout::new("Trends", "/trends"),
        weeks,
        ranges: RANGES.iter().map(|w| (*w, *w == weeks)).collect(),
        pain_chart: backstop_report::svg::pain_and_load(&r.daily),
        load_chart: backstop_report::svg::weekly_load(&r.weeks),
        flare_chart: backstop_report::svg::flare_calendar(&c.assessment.flares, r.from, r.to, &ctx.tz, today),
        week_rows: v
            .weeks
            .iter()
            .rev()
            .map(|w| {
                [
                    w.week_start.clone(),
                    format_number(w.load.round()),
                    w.change_pct.map_or_else(|| "–".into(), |c| format!("{c:+.0}%")),
                    w.monotony.map_or_else(|| "–".into(), |m| format!("{m:.1}")),
                    w.back_loading_sets.to_string(),
                ]
            })
            .collect(),
        day_rows: v
            .daily
            .iter()
            .rev()
            .filter(|d| d.sessions > 0 || d.pain_24h.is_some() || d.pain_before.is_some())
            .map(|d| {
                [
                    d.date.clone(),
                    format_number(d.load.round()),
                    opt(d.pain_before),
                    opt(d.pain_during_max),
                    opt(d.pain_24h),
                    opt(d.pain_48h),
                ]
            })
            .collect(),
        advice: r
            .missing_load_note()
            .into_iter()
            .chain(
                v.advice
                    .iter()
                    .map(|a| crate::views::plain(&format!("{} ({})", a.message, a.rule))),
            )
            .collect(),
    };
    Ok(html(&page))
}

/// `/trends`.
pub fn routes() -> Router<WebState> {
    Router::new().route("/trends", get(trends))
}
