//! PROVISIONAL: replaced by the forecast branch at merge.
//!
//! The forecast's output as the staffing planner reads it.

/// Expected demand for one service at one location in one interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IntervalForecast {
    pub location: crate::domain::Slug,
    pub service: crate::domain::Slug,
    /// Start of the interval, UTC; the interval lasts `interval_minutes`.
    pub start: chrono::DateTime<chrono::Utc>,
    pub interval_minutes: u32,
    /// Expected walk-in arrivals in the interval.
    pub walk_ins: f64,
    /// Expected booked appointments starting in the interval (no-shows included).
    pub booked: f64,
    /// Share of booked appointments whose citizen does not come (0..=1).
    pub no_show_rate: f64,
    /// Mean handling time of one visit, minutes, from history.
    pub mean_service_minutes: f64,
}
