//! A plan drawn for people: an SVG chart per location (the planner page shows it too) and
//! a self-contained HTML report of the figures, the charts and the shifts.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, FixedOffset};

use crate::app::plan::{Plan, PlanInterval};
use crate::app::rosters::RosterInterval;
use crate::domain::booking::Language;
use crate::domain::Slug;
use crate::html::escape;
use crate::messages;

/// What the chart draws of one interval.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    pub location: Slug,
    pub start: DateTime<FixedOffset>,
    pub forecast: f64,
    pub required: u32,
    pub planned: u32,
}

impl From<&PlanInterval> for ChartPoint {
    fn from(i: &PlanInterval) -> Self {
        Self {
            location: i.location.clone(),
            start: i.start,
            forecast: i.forecast,
            required: i.required,
            planned: i.planned,
        }
    }
}

impl From<&RosterInterval> for ChartPoint {
    fn from(i: &RosterInterval) -> Self {
        Self {
            location: i.location.clone(),
            start: i.start,
            forecast: i.forecast,
            required: i.required,
            planned: i.planned,
        }
    }
}

/// The locations charted, in the order they first appear.
pub fn locations(points: &[ChartPoint]) -> Vec<&Slug> {
    let mut out: Vec<&Slug> = Vec::new();
    for i in points {
        if !out.contains(&&i.location) {
            out.push(&i.location);
        }
    }
    out
}

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 250.0;
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 48.0;
const TOP: f64 = 10.0;

/// A day's short label under the chart: "tor 10/12", "Thu 10/12".
fn day_label(lang: Language, day: chrono::NaiveDate) -> String {
    let weekday: String = messages::weekday(lang, day.weekday())
        .chars()
        .take(3)
        .collect();
    let weekday = match lang {
        Language::Da => weekday,
        Language::En => {
            let mut c = weekday.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    };
    format!("{weekday} {}", day.format("%d/%m"))
}

/// Forecast citizens, required desks and planned desks per interval at one location
/// (`place` its name): the open intervals side by side, a line between days, the axes
/// and the title in `lang`.
pub fn svg_chart(points: &[ChartPoint], location: &Slug, place: &str, lang: Language) -> String {
    let rows: Vec<&ChartPoint> = points.iter().filter(|i| &i.location == location).collect();
    let max = rows
        .iter()
        .map(|r| f64::from(r.required.max(r.planned)).max(r.forecast))
        .fold(1.0, f64::max)
        .ceil();
    let n = rows.len().max(1) as f64;
    let step = (WIDTH - LEFT) / n;
    let x = |k: usize| LEFT + step * k as f64;
    let y = |v: f64| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - v / max);
    let steps = |value: &dyn Fn(&ChartPoint) -> f64| {
        let mut points = String::new();
        for (k, r) in rows.iter().enumerate() {
            let v = y(value(r));
            let _ = write!(points, "{:.1},{:.1} {:.1},{:.1} ", x(k), v, x(k + 1), v);
        }
        points
    };
    let title_id = format!("chart-{location}");
    let count = rows.len().to_string();
    let title = messages::text_with(
        lang,
        "planner.chart_title",
        &[("count", &count), ("place", place)],
    );
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"{title_id}\" class=\"plan-chart\" data-location=\"{location}\">\
         <title id=\"{title_id}\">{}</title>",
        escape(&title)
    );
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{:.1}\" x2=\"{WIDTH}\" y2=\"{:.1}\" stroke=\"#555\"/>\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{:.1}\" stroke=\"#555\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{max}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">0</text>\
         <text class=\"axis-label\" x=\"12\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 12 {:.1})\">{}</text>\
         <text class=\"axis-label\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\">{}</text>",
        y(0.0),
        y(0.0),
        y(0.0),
        LEFT - 4.0,
        y(max) + 10.0,
        LEFT - 4.0,
        y(0.0),
        (TOP + y(0.0)) / 2.0,
        (TOP + y(0.0)) / 2.0,
        escape(messages::text(lang, "planner.axis_count")),
        (LEFT + WIDTH) / 2.0,
        HEIGHT - 4.0,
        escape(messages::text(lang, "planner.axis_time")),
    );
    let mut last_day = None;
    for (k, r) in rows.iter().enumerate() {
        let day = r.start.date_naive();
        if last_day != Some(day) {
            last_day = Some(day);
            let _ = write!(
                svg,
                "<line x1=\"{0:.1}\" y1=\"{TOP}\" x2=\"{0:.1}\" y2=\"{1:.1}\" stroke=\"#bbb\"/>\
                 <text x=\"{2:.1}\" y=\"{3:.1}\" font-size=\"11\">{4}</text>",
                x(k),
                y(0.0),
                x(k) + 2.0,
                y(0.0) + 16.0,
                escape(&day_label(lang, day))
            );
        }
    }
    for (class, colour, width, points) in [
        ("forecast", "#595959", 1.5, steps(&|r| r.forecast)),
        (
            "required",
            "#b3261e",
            2.5,
            steps(&|r| f64::from(r.required)),
        ),
        ("planned", "#1a5fb4", 2.0, steps(&|r| f64::from(r.planned))),
    ] {
        let dash = if class == "forecast" {
            " stroke-dasharray=\"4 3\""
        } else {
            ""
        };
        let _ = write!(
            svg,
            "<polyline class=\"{class}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width}\"{dash} points=\"{}\"/>",
            points.trim_end()
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The legend that goes with every chart, in `lang`.
/// Its colours come from the page's stylesheet: the pages allow no inline styles.
pub fn legend(lang: Language) -> String {
    format!(
        "<p class=\"legend\"><span class=\"forecast\">- - {}</span> · \
         <span class=\"required\">━ {}</span> · <span class=\"planned\">━ {}</span></p>",
        escape(messages::text(lang, "planner.legend_forecast")),
        escape(messages::text(lang, "planner.legend_required")),
        escape(messages::text(lang, "planner.legend_planned")),
    )
}

/// A stand-alone page: the figures, a chart per location, and the shifts.
pub fn html(plan: &Plan) -> String {
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Skranke plan</title>\
         <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}\
         svg{width:100%;height:auto;border:1px solid #ddd}table{border-collapse:collapse}\
         td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}\
         .legend .forecast{color:#595959}.legend .required{color:#b3261e}.legend .planned{color:#1a5fb4}</style></head><body><main>",
    );
    let _ = write!(
        out,
        "<h1>Staffing plan</h1><p>Objective {:.2}, lower bound {:.2}, gap {:.2} %. \
         Requirement covered in {:.1} % of {} intervals; simulated target met in {:.1} %.</p>",
        plan.objective,
        plan.lower_bound,
        plan.gap * 100.0,
        plan.summary.covered_share * 100.0,
        plan.summary.intervals,
        plan.summary.met_share * 100.0
    );
    out.push_str(&legend(Language::En));
    let points: Vec<ChartPoint> = plan.intervals.iter().map(ChartPoint::from).collect();
    for location in locations(&points) {
        let _ = write!(
            out,
            "<h2>{}</h2>{}",
            escape(location.as_str()),
            svg_chart(&points, location, location.as_str(), Language::En)
        );
    }
    out.push_str("<h2>Shifts</h2><table><thead><tr><th>staff</th><th>location</th><th>start</th><th>end</th></tr></thead><tbody>");
    for s in &plan.shifts {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&s.staff),
            escape(s.location.as_str()),
            s.start.format("%a %Y-%m-%d %H:%M"),
            s.end.format("%H:%M")
        );
    }
    out.push_str("</tbody></table></main></body></html>\n");
    out
}
