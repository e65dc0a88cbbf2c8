//! What `/staff/dashboard` shows, laid out for its template: figures in the reader's
//! language (minutes as whole minutes, or m:ss under ten), names rather than slugs, the
//! period before to compare with, and the charts drawn on the server as inline SVG.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::app::kpi::Dashboard;
use crate::domain::booking::Language;
use crate::domain::kpi::{Metrics, Report, WaitBand, FIRST_LINE_TARGET_MINUTES};
use crate::messages::{self, number, percent};

/// The municipalities' goals the charts are drawn against.
const BOOKED_SHARE_GOAL: f64 = 0.5;
const FIRST_CONTACT_GOAL: f64 = 0.5;
pub const ERRANDS_PER_HOUR_GOAL: f64 = 6.5;

/// Minutes as staff read them: `m:ss` under ten minutes, whole minutes from there.
pub fn minutes(x: f64) -> String {
    if x < 10.0 {
        let seconds = (x * 60.0).round() as i64;
        format!("{}:{:02}", seconds / 60, seconds % 60)
    } else {
        format!("{}", x.round() as i64)
    }
}

fn words(lang: Language, da: &'static str, en: &'static str) -> &'static str {
    match lang {
        Language::Da => da,
        Language::En => en,
    }
}

/// Everything the template draws.
#[derive(Serialize)]
pub struct View {
    totals: Figures,
    previous: Figures,
    departments: Vec<Row>,
    services: Vec<Row>,
    distribution: Histogram,
    waits: Chart,
    booked: Chart,
    resolution: Chart,
}

impl View {
    pub fn of(d: &Dashboard, lang: Language) -> Self {
        let r = &d.report;
        Self {
            totals: Figures::of(&r.totals, lang),
            previous: Figures::of(&d.previous.totals, lang),
            departments: r
                .by_department
                .iter()
                .map(|x| Row {
                    key: x.department.clone(),
                    name: d
                        .departments
                        .get(&x.department)
                        .cloned()
                        .unwrap_or_else(|| x.department.clone()),
                    figures: Figures::of(&x.metrics, lang),
                })
                .collect(),
            services: r
                .by_service
                .iter()
                .map(|x| Row {
                    key: x.service.clone(),
                    name: d
                        .services
                        .get(&x.service)
                        .map_or_else(|| x.service.clone(), |(da, en)| words_owned(lang, da, en)),
                    figures: Figures::of(&x.metrics, lang),
                })
                .collect(),
            distribution: Histogram::of(&d.waits, lang),
            waits: waits_by_hour(r, lang),
            booked: booked_by_week(r, lang),
            resolution: resolution_by_day(r, lang),
        }
    }
}

fn words_owned(lang: Language, da: &str, en: &str) -> String {
    match lang {
        Language::Da => da.to_owned(),
        Language::En => en.to_owned(),
    }
}

#[derive(Serialize)]
struct Row {
    key: String,
    name: String,
    figures: Figures,
}

/// A group's figures as the page prints them ("–" where there is nothing to divide by).
#[derive(Serialize)]
struct Figures {
    tickets: u64,
    appointments: u64,
    wait_mean: String,
    wait_p50: String,
    wait_p80: String,
    wait_p90: String,
    within_target: String,
    service_minutes: String,
    no_show_rate: String,
    cancel_rate: String,
    booked_share: String,
    sent_to_self_service: u64,
    first_contact_resolution: String,
    errands_per_staff_hour: String,
    staff_hours: String,
    cost_total: String,
    usage_share: String,
    /// The citizens' mean score with how many answered: "4,3 (12 svar)", or "–".
    feedback: String,
}

impl Figures {
    fn of(m: &Metrics, lang: Language) -> Self {
        let n = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |v| number(v, lang));
        let min = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), minutes);
        let p = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |v| percent(v, lang));
        Self {
            tickets: m.tickets,
            appointments: m.appointments,
            wait_mean: min(m.wait_minutes.mean),
            wait_p50: min(m.wait_minutes.p50),
            wait_p80: min(m.wait_minutes.p80),
            wait_p90: min(m.wait_minutes.p90),
            within_target: p(m.share_within_target),
            service_minutes: min(m.service_minutes),
            no_show_rate: p(m.no_show_rate),
            cancel_rate: p(m.cancel_rate),
            booked_share: p(m.booked_share),
            sent_to_self_service: m.sent_to_self_service,
            first_contact_resolution: p(m.first_contact_resolution),
            errands_per_staff_hour: n(m.errands_per_staff_hour),
            staff_hours: n(m.staff_hours),
            cost_total: number(m.cost.total.round(), lang),
            usage_share: p(m.usage_share),
            feedback: m.feedback.mean.map_or_else(
                || "–".to_owned(),
                |mean| {
                    let answers = m.feedback.answers.to_string();
                    messages::text_with(
                        lang,
                        "feedback_kpi.score",
                        &[("mean", &number(mean, lang)), ("answers", &answers)],
                    )
                },
            ),
        }
    }
}

/// The waiting-time distribution: bars of walk-ins and booked side by side per band, with
/// a labelled count axis, band labels under the bars and a legend.
#[derive(Serialize)]
struct Histogram {
    width: u32,
    height: u32,
    baseline_y: f64,
    left: f64,
    ticks: Vec<Tick>,
    bands: Vec<HistogramBand>,
    x_label: &'static str,
    y_label: &'static str,
    walk_ins_label: &'static str,
    booked_label: &'static str,
    summary: String,
}

#[derive(Serialize)]
struct Tick {
    y: f64,
    label: String,
}

#[derive(Serialize)]
struct HistogramBand {
    label: String,
    centre: f64,
    walk_ins: Bar,
    booked: Bar,
}

const HISTOGRAM_LEFT: f64 = 56.0;

impl Histogram {
    fn of(bands: &[WaitBand], lang: Language) -> Self {
        let (width, height) = (CHART_WIDTH, CHART_HEIGHT + 20);
        let plot = f64::from(height) - TOP - BOTTOM - 20.0;
        let most = bands
            .iter()
            .map(|b| b.walk_ins.max(b.booked))
            .max()
            .unwrap_or(0)
            .max(1) as f64;
        let step = nice_step(most / 4.0);
        let top = (most / step).ceil() * step;
        let y = |v: f64| TOP + plot * (1.0 - v / top);
        let slot = (f64::from(width) - HISTOGRAM_LEFT) / bands.len().max(1) as f64;
        let bar = |i: usize, second: bool, v: u64| {
            let w = slot * 0.35;
            let x = HISTOGRAM_LEFT + i as f64 * slot + slot * 0.15 + if second { w } else { 0.0 };
            Bar {
                x,
                y: y(v as f64),
                width: w,
                height: plot * v as f64 / top,
                label: String::new(),
                value: v.to_string(),
            }
        };
        let label = |b: &WaitBand| match b.to_minutes {
            Some(to) => format!("{}–{to}", b.from_minutes),
            None => format!("{}+", b.from_minutes),
        };
        let summary = bands
            .iter()
            .map(|b| {
                format!(
                    "{} min: {} {}, {} {}",
                    label(b),
                    b.walk_ins,
                    words(lang, "uden tid", "walk-in"),
                    b.booked,
                    words(lang, "bookede", "booked")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        Self {
            width,
            height,
            baseline_y: TOP + plot,
            left: HISTOGRAM_LEFT,
            ticks: (0..=((top / step) as u32))
                .map(|k| Tick {
                    y: y(f64::from(k) * step),
                    label: number(f64::from(k) * step, lang),
                })
                .collect(),
            bands: bands
                .iter()
                .enumerate()
                .map(|(i, b)| HistogramBand {
                    label: label(b),
                    centre: HISTOGRAM_LEFT + (i as f64 + 0.5) * slot,
                    walk_ins: bar(i, false, b.walk_ins),
                    booked: bar(i, true, b.booked),
                })
                .collect(),
            x_label: words(lang, "Ventetid (minutter)", "Waiting time (minutes)"),
            y_label: words(lang, "Billetter", "Tickets"),
            walk_ins_label: words(lang, "Uden tid", "Walk-in"),
            booked_label: words(lang, "Bestilt tid", "Booked"),
            summary,
        }
    }
}

/// 1, 2 or 5 times a power of ten, at least `x`.
fn nice_step(x: f64) -> f64 {
    let x = x.max(1.0);
    let power = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= x)
        .unwrap_or(10.0 * power)
}

/// One bar chart, laid out for the template.
#[derive(Serialize)]
struct Chart {
    width: u32,
    height: u32,
    bars: Vec<Bar>,
    /// The goal's line: its height and its label.
    target_y: f64,
    target_label: String,
    baseline_y: f64,
    summary: String,
}

#[derive(Serialize)]
struct Bar {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    label: String,
    value: String,
}

const CHART_WIDTH: u32 = 640;
const CHART_HEIGHT: u32 = 220;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 40.0;

fn chart(points: Vec<(String, Option<f64>, String)>, target: f64, target_label: String) -> Chart {
    let top = points
        .iter()
        .filter_map(|p| p.1)
        .fold(target, f64::max)
        .max(f64::MIN_POSITIVE)
        * 1.15;
    let plot = f64::from(CHART_HEIGHT) - TOP - BOTTOM;
    let y = |v: f64| TOP + plot * (1.0 - v / top);
    let slot = f64::from(CHART_WIDTH) / points.len().max(1) as f64;
    let summary = points
        .iter()
        .map(|(label, _, value)| format!("{label}: {value}"))
        .collect::<Vec<_>>()
        .join("; ");
    let bars = points
        .into_iter()
        .enumerate()
        .map(|(i, (label, v, value))| {
            let v = v.unwrap_or(0.0);
            Bar {
                x: i as f64 * slot + slot * 0.15,
                y: y(v),
                width: slot * 0.7,
                height: plot * v / top,
                label,
                value,
            }
        })
        .collect();
    Chart {
        width: CHART_WIDTH,
        height: CHART_HEIGHT,
        bars,
        target_y: y(target),
        target_label,
        baseline_y: TOP + plot,
        summary,
    }
}

fn waits_by_hour(report: &Report, lang: Language) -> Chart {
    let points = report
        .by_hour
        .iter()
        .map(|h| {
            let mean = h.metrics.wait_minutes.mean;
            (
                format!("{:02}", h.hour),
                mean,
                mean.map_or_else(|| "–".into(), |m| format!("{} min", minutes(m))),
            )
        })
        .collect();
    chart(
        points,
        FIRST_LINE_TARGET_MINUTES,
        format!(
            "{} {} min",
            words(lang, "mål", "target"),
            minutes(FIRST_LINE_TARGET_MINUTES)
        ),
    )
}

fn booked_by_week(report: &Report, lang: Language) -> Chart {
    let mut weeks: BTreeMap<(i32, u32), (u64, u64)> = BTreeMap::new();
    for d in &report.by_day {
        let week = d.day.iso_week();
        let entry = weeks.entry((week.year(), week.week())).or_default();
        entry.0 += d.metrics.booked_tickets;
        entry.1 += d.metrics.tickets;
    }
    let word = words(lang, "uge", "week");
    let points = weeks
        .into_iter()
        .map(|((_, week), (booked, all))| {
            let share = (all > 0).then(|| booked as f64 / all as f64);
            (
                format!("{word} {week}"),
                share,
                share.map_or_else(|| "–".into(), |s| percent(s, lang)),
            )
        })
        .collect();
    chart(
        points,
        BOOKED_SHARE_GOAL,
        format!(
            "{} {}",
            words(lang, "mål", "goal"),
            percent(BOOKED_SHARE_GOAL, lang)
        ),
    )
}

fn resolution_by_day(report: &Report, lang: Language) -> Chart {
    let points = report
        .by_day
        .iter()
        .map(|d| {
            let r = d.metrics.first_contact_resolution;
            (
                day_label(d.day),
                r,
                r.map_or_else(|| "–".into(), |s| percent(s, lang)),
            )
        })
        .collect();
    chart(
        points,
        FIRST_CONTACT_GOAL,
        format!(
            "{} {}",
            words(lang, "mål", "goal"),
            percent(FIRST_CONTACT_GOAL, lang)
        ),
    )
}

fn day_label(day: NaiveDate) -> String {
    day.format("%d-%m").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_are_m_ss_under_ten_and_whole_from_there() {
        assert_eq!(minutes(0.02), "0:01");
        assert_eq!(minutes(9.75), "9:45");
        assert_eq!(minutes(1.0), "1:00");
        assert_eq!(minutes(23.4), "23");
        assert_eq!(minutes(10.0), "10");
    }

    #[test]
    fn count_axes_step_by_one_two_or_five() {
        assert_eq!(nice_step(0.3), 1.0);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(120.0), 200.0);
    }
}
