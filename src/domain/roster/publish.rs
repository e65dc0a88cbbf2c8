//! A published roster as booking capacity: per interval a share of the planned desks takes
//! appointments, the rest serve walk-ins; on the days it covers it replaces the location's
//! weekly capacity rules.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::domain::hours::TimeRange;
use crate::domain::slots::CapacityRule;

/// The booked share used when none is given: Copenhagen's goal of half the visits by booking.
pub const DEFAULT_BOOKED_SHARE: f64 = 0.5;

/// Desks of `planned` reserved for appointments at `share`: rounded down, so that the
/// walk-in queue keeps at least its share.
pub fn booked_desks(planned: u32, share: f64) -> u32 {
    (f64::from(planned) * share.clamp(0.0, 1.0) + 1e-9).floor() as u32
}

/// One published roster at one location.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub interval_minutes: u32,
    /// Interval starts and the desks reserved for appointments then.
    pub intervals: Vec<(DateTime<Utc>, u32)>,
}

/// Capacity by local date, for the dates some published roster covers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PublishedCapacity {
    days: BTreeMap<NaiveDate, Vec<CapacityRule>>,
}

impl PublishedCapacity {
    /// `published` oldest first: a later roster replaces an earlier one on the days both cover.
    pub fn new(zone: Tz, published: &[Published]) -> Self {
        let mut days: BTreeMap<NaiveDate, Vec<CapacityRule>> = BTreeMap::new();
        for p in published {
            for date in p.first_day.iter_days().take_while(|d| *d <= p.last_day) {
                days.insert(date, Vec::new());
            }
            for (start, desks) in &p.intervals {
                let local = start.with_timezone(&zone);
                let date = local.date_naive();
                let Some(rules) = days.get_mut(&date) else {
                    continue;
                };
                if *desks == 0 {
                    continue;
                }
                let from = local.time();
                let (to, wrapped) =
                    from.overflowing_add_signed(Duration::minutes(i64::from(p.interval_minutes)));
                // The last interval of a day that ends at midnight runs to 23:59:59.
                let to = if wrapped != 0 {
                    chrono::NaiveTime::from_hms_opt(23, 59, 59).expect("valid")
                } else {
                    to
                };
                let Ok(range) = TimeRange::new(from, to) else {
                    continue;
                };
                match rules.last_mut() {
                    Some(last) if last.desks == *desks && last.range.end == range.start => {
                        last.range.end = range.end;
                    }
                    _ => rules.push(CapacityRule {
                        weekday: date.weekday(),
                        range,
                        desks: *desks,
                    }),
                }
            }
        }
        Self { days }
    }

    /// The capacity rules of `date`, if a published roster covers it (empty: no appointments).
    pub fn on(&self, date: NaiveDate) -> Option<&[CapacityRule]> {
        self.days.get(&date).map(Vec::as_slice)
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }
}

/// What publishing a roster would do at one location on one local day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewDay {
    pub date: NaiveDate,
    /// Desk-minutes that would take appointments.
    pub bookable_minutes: u32,
    /// Live bookings that day.
    pub bookings: u32,
    /// Of those, the ones that would lie where no reserved desk is left for them.
    pub outside: Vec<DateTime<Utc>>,
}

/// Per local day: the capacity that `booked` desks per interval (each
/// `interval_minutes` long) create, and which `bookings` (start, end) would fall outside
/// it — where at some moment more bookings overlap an interval than it reserves desks,
/// the later-starting ones, or where no interval covers them at all.
pub fn preview(
    zone: Tz,
    interval_minutes: u32,
    booked: &[(DateTime<Utc>, u32)],
    bookings: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Vec<PreviewDay> {
    let length = Duration::minutes(i64::from(interval_minutes));
    let mut days: BTreeMap<NaiveDate, PreviewDay> = BTreeMap::new();
    let day = |date: NaiveDate| PreviewDay {
        date,
        bookable_minutes: 0,
        bookings: 0,
        outside: Vec::new(),
    };
    for (start, desks) in booked {
        let date = start.with_timezone(&zone).date_naive();
        days.entry(date)
            .or_insert_with(|| day(date))
            .bookable_minutes += desks * interval_minutes;
    }
    let mut sorted: Vec<&(DateTime<Utc>, DateTime<Utc>)> = bookings.iter().collect();
    sorted.sort();
    let mut outside = vec![false; sorted.len()];
    for (start, desks) in booked {
        let end = *start + length;
        let overlapping = sorted
            .iter()
            .enumerate()
            .filter(|(k, b)| !outside[*k] && b.0 < end && b.1 > *start)
            .map(|(k, _)| k)
            .collect::<Vec<_>>();
        for k in overlapping.into_iter().skip(*desks as usize) {
            outside[k] = true;
        }
    }
    for (k, (start, end)) in sorted.iter().enumerate() {
        let covered = booked
            .iter()
            .any(|(s, d)| *d > 0 && *s < *end && *s + length > *start);
        let date = start.with_timezone(&zone).date_naive();
        let entry = days.entry(date).or_insert_with(|| day(date));
        entry.bookings += 1;
        if outside[k] || !covered {
            entry.outside.push(*start);
        }
    }
    days.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_booked_share_rounds_down() {
        assert_eq!(booked_desks(4, 0.5), 2);
        assert_eq!(booked_desks(3, 0.5), 1);
        assert_eq!(booked_desks(1, 0.5), 0);
        assert_eq!(booked_desks(5, 1.0), 5);
        assert_eq!(booked_desks(5, 0.0), 0);
    }

    #[test]
    fn intervals_become_local_rules_merged_where_equal() {
        let zone: Tz = "Europe/Copenhagen".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2027, 4, 5).unwrap();
        // 08:00 UTC is 10:00 in Copenhagen in April.
        let at = |m: i64| Utc.with_ymd_and_hms(2027, 4, 5, 8, 0, 0).unwrap() + Duration::minutes(m);
        let published = Published {
            first_day: day,
            last_day: day + Duration::days(1),
            interval_minutes: 15,
            intervals: vec![(at(0), 2), (at(15), 2), (at(30), 0), (at(45), 1)],
        };
        let capacity = PublishedCapacity::new(zone, &[published]);
        let rules = capacity.on(day).unwrap();
        let text: Vec<String> = rules
            .iter()
            .map(|r| format!("{} {}", r.range, r.desks))
            .collect();
        assert_eq!(text, ["10:00-10:30 2", "10:45-11:00 1"]);
        assert!(rules.iter().all(|r| r.weekday == chrono::Weekday::Mon));
        // A covered day without intervals is closed to bookings; an uncovered one is not governed.
        assert_eq!(capacity.on(day + Duration::days(1)), Some(&[][..]));
        assert_eq!(capacity.on(day + Duration::days(2)), None);
    }

    #[test]
    fn a_preview_counts_the_bookable_time_and_finds_the_bookings_left_outside() {
        let zone: Tz = "Europe/Copenhagen".parse().unwrap();
        let at = |m: i64| Utc.with_ymd_and_hms(2027, 4, 5, 8, 0, 0).unwrap() + Duration::minutes(m);
        // One desk for appointments from 10:00 to 10:30, none from 10:30 to 10:45.
        let booked = [(at(0), 1), (at(15), 1), (at(30), 0)];
        let bookings = [
            (at(0), at(15)),  // fits
            (at(5), at(20)),  // a second at once where one desk is reserved: outside
            (at(15), at(30)), // fits
            (at(30), at(45)), // no desk reserved then: outside
        ];
        let days = preview(zone, 15, &booked, &bookings);
        assert_eq!(days.len(), 1);
        let day = &days[0];
        assert_eq!(day.bookable_minutes, 30);
        assert_eq!(day.bookings, 4);
        assert_eq!(day.outside, vec![at(5), at(30)]);
    }
}
