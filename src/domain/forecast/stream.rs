//! The fitted forecast of one errand at one location, and the demand it expects on a day.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::calendar::Calendar;

/// The trend is damped by this factor a week.
const TREND_DAMPING: f64 = 0.9;

/// The fitted forecast of one errand at one location.
#[derive(Debug, Clone)]
pub(super) struct StreamModel {
    pub(super) calendar: Calendar,
    /// Deseasonalised day level at `anchor`, and its growth a week.
    pub(super) level: f64,
    pub(super) growth: f64,
    pub(super) anchor: NaiveDate,
    pub(super) booked_share: f64,
    pub(super) walk_in_shares: [BTreeMap<u32, f64>; 7],
    pub(super) booked_shares: [BTreeMap<u32, f64>; 7],
    pub(super) no_show_rate: f64,
    pub(super) mean_service_minutes: f64,
}

impl StreamModel {
    pub(super) fn day_total(&self, date: NaiveDate, zone: Tz) -> f64 {
        let weeks = (date - self.anchor).num_days() as f64 / 7.0;
        self.level * trend(self.growth, weeks) * self.calendar.factor(date, zone)
    }
}

/// The damped trend's factor `weeks` after the anchor (before it, the trend runs back).
fn trend(growth: f64, weeks: f64) -> f64 {
    if growth == 0.0 {
        return 1.0;
    }
    // Σ φ^i for i = 1..=h, continuous in h: the growth fades as the horizon grows.
    let damped = TREND_DAMPING * (1.0 - TREND_DAMPING.powf(weeks.abs())) / (1.0 - TREND_DAMPING);
    (1.0 + growth).powf(damped * weeks.signum())
}
