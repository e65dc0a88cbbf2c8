//! PROVISIONAL: replaced by the forecast branch at merge.
//!
//! A stand-in forecast: for each location, service and local quarter hour, the mean of
//! the same weekday and time over the last four weeks of demand history.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, LocalResult, NaiveTime, TimeZone, Timelike};

use crate::domain::forecast::IntervalForecast;
use crate::error::AppError;
use crate::store::{organisations, recent_demand};

/// The forecast for these locations (every location when empty) over the local dates
/// `from..=to`, in intervals of `interval_minutes` (15 by default), only where the
/// location is open. Unknown location slugs are an `AppError` naming the field `locations`.
pub fn forecast(
    conn: &mut crate::store::DbConnection,
    locations: &[crate::domain::Slug],
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    interval_minutes: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::error::AppResult<Vec<IntervalForecast>> {
    let interval_minutes = if interval_minutes == 0 {
        15
    } else {
        interval_minutes
    };
    let all = organisations::list_locations(conn)?;
    for slug in locations {
        if !all.iter().any(|l| &l.slug == slug) {
            return Err(AppError::invalid_field(
                "locations",
                format!("there is no location '{slug}'"),
            ));
        }
    }
    let chosen: Vec<_> = all
        .into_iter()
        .filter(|l| locations.is_empty() || locations.contains(&l.slug))
        .collect();
    let mut out = Vec::new();
    for location in &chosen {
        let zone = location.timezone;
        let today = now.with_timezone(&zone).date_naive();
        let first = today - Duration::days(28);
        let history = recent_demand::between(
            conn,
            &[location.id],
            (first - Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .expect("midnight"),
            (today + Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .expect("midnight"),
        )?;
        // (service, weekday, local time) → (walk-ins, booked, no-shows, served, seconds)
        let mut sums: BTreeMap<(String, u32, NaiveTime), [f64; 5]> = BTreeMap::new();
        let mut services = BTreeSet::new();
        for r in &history {
            let local = r.interval_start.with_timezone(&zone);
            let date = local.date_naive();
            if date < first || date >= today {
                continue;
            }
            let minute = local.time().num_seconds_from_midnight() / 60;
            let bucket = minute - minute % interval_minutes;
            let time = NaiveTime::from_num_seconds_from_midnight_opt(bucket * 60, 0)
                .expect("within the day");
            services.insert(r.service.clone());
            let s = sums
                .entry((
                    r.service.as_str().to_owned(),
                    date.weekday().num_days_from_monday(),
                    time,
                ))
                .or_default();
            s[0] += f64::from(r.walk_ins);
            s[1] += f64::from(r.booked);
            s[2] += f64::from(r.no_shows);
            s[3] += f64::from(r.served);
            s[4] += f64::from(r.service_seconds);
        }
        let closures = organisations::closures_from(conn, location.id, from)?;
        for date in from.iter_days().take_while(|d| *d <= to) {
            if closures.iter().any(|c| c.covers(date)) {
                continue;
            }
            for range in location.opening_hours.on(date) {
                let mut t = range.start;
                while t < range.end {
                    let start = match zone.from_local_datetime(&date.and_time(t)) {
                        LocalResult::Single(s) | LocalResult::Ambiguous(s, _) => {
                            Some(s.with_timezone(&chrono::Utc))
                        }
                        LocalResult::None => None,
                    };
                    for service in &services {
                        let key = (
                            service.as_str().to_owned(),
                            date.weekday().num_days_from_monday(),
                            t,
                        );
                        let (Some(start), Some(s)) = (start, sums.get(&key)) else {
                            continue;
                        };
                        // Four of each weekday lie in the four weeks.
                        out.push(IntervalForecast {
                            location: location.slug.clone(),
                            service: service.clone(),
                            start,
                            interval_minutes,
                            walk_ins: s[0] / 4.0,
                            booked: s[1] / 4.0,
                            no_show_rate: if s[1] > 0.0 { s[2] / s[1] } else { 0.0 },
                            mean_service_minutes: if s[3] > 0.0 { s[4] / s[3] / 60.0 } else { 0.0 },
                        });
                    }
                    let next = t + Duration::minutes(i64::from(interval_minutes));
                    if next <= t {
                        break;
                    }
                    t = next;
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.location, a.start, &a.service).cmp(&(&b.location, b.start, &b.service)));
    Ok(out)
}
