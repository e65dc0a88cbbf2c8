//! Open waiting times: what a location publishes of its queue to anyone — how many wait
//! and how long, per errand, and yesterday's median wait per hour — aggregates only.

use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Tz;

use super::kpi::percentile;

/// Yesterday's median wait of the tickets issued in one local hour.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct HourMedian {
    /// The local hour the tickets were drawn in, 0–23.
    pub hour: u32,
    pub median_wait_minutes: f64,
    /// How many tickets the median is of.
    pub tickets: u32,
}

/// The median wait (issue to call) per local hour of issue, in hour order; an hour with
/// no called ticket is left out.
pub fn median_wait_by_hour(waits: &[(DateTime<Utc>, DateTime<Utc>)], zone: Tz) -> Vec<HourMedian> {
    let mut by_hour: Vec<Vec<f64>> = vec![Vec::new(); 24];
    for (issued, called) in waits {
        let minutes = (*called - *issued).num_seconds().max(0) as f64 / 60.0;
        by_hour[issued.with_timezone(&zone).hour() as usize].push(minutes);
    }
    by_hour
        .into_iter()
        .enumerate()
        .filter_map(|(hour, mut minutes)| {
            minutes.sort_by(f64::total_cmp);
            let median = percentile(&minutes, 0.5)?;
            Some(HourMedian {
                hour: hour as u32,
                median_wait_minutes: (median * 10.0).round() / 10.0,
                tickets: minutes.len() as u32,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn medians_are_per_local_hour_of_issue() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let waits = [
            // 09:10, 09:20 and 09:50 Copenhagen time (UTC+2): 4, 10 and 30 minutes.
            (at("2027-03-29T07:10:00Z"), at("2027-03-29T07:14:00Z")),
            (at("2027-03-29T07:20:00Z"), at("2027-03-29T07:30:00Z")),
            (at("2027-03-29T07:50:00Z"), at("2027-03-29T08:20:00Z")),
            // 13:00: 2.5 minutes.
            (
                at("2027-03-29T11:00:00Z"),
                at("2027-03-29T11:00:00Z") + Duration::seconds(150),
            ),
        ];
        let medians = median_wait_by_hour(&waits, chrono_tz::Europe::Copenhagen);
        assert_eq!(
            medians,
            vec![
                HourMedian {
                    hour: 9,
                    median_wait_minutes: 10.0,
                    tickets: 3
                },
                HourMedian {
                    hour: 13,
                    median_wait_minutes: 2.5,
                    tickets: 1
                },
            ]
        );
        assert!(median_wait_by_hour(&[], chrono_tz::Europe::Copenhagen).is_empty());
    }
}
