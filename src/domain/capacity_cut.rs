//! A location's weekly booking capacity rules as an administrator writes them, and which
//! confirmed bookings a set of rules leaves without a desk: rules that overlap add up, as
//! the slot rules count them, and a booking needs a free desk at every instant of its span
//! among the bookings of every errand that shares those rules.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::organisation::{CapacityRuleSpec, WeekdayKey};

/// One rule as the form or the API sent it, before the organisation file's check.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, utoipa::ToSchema)]
pub struct CapacityRuleDraft {
    /// Weekdays, `mon` … `sun`.
    #[schema(example = json!(["mon", "tue"]))]
    pub days: Vec<String>,
    /// Local time the rule starts, `HH:MM`.
    #[schema(example = "10:00")]
    pub from: String,
    /// Local time the rule ends (not included).
    #[schema(example = "12:00")]
    pub to: String,
    /// How many desks take appointments then.
    pub desks: u32,
    /// The desks' kind; `counter` when left out.
    #[serde(default)]
    pub kind: Option<String>,
    /// The errands' slugs that these desks take appointments for.
    #[schema(example = json!(["pas"]))]
    pub services: Vec<String>,
}

/// A confirmed booking as the capacity counts it: the errands of its visit, the first
/// first, and the span it blocks (its buffer included).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Held<'a> {
    pub errands: &'a [&'a str],
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The positions in `booked` of the bookings that `rules` leave without a desk. The
/// bookings are taken in the order given (the caller puts those made first first), each
/// keeping its desk against those after it, so the ones listed are the last comers.
pub fn beyond(rules: &[CapacityRuleSpec], zone: Tz, booked: &[Held]) -> Vec<usize> {
    let mut kept: Vec<Held> = Vec::new();
    let mut left = Vec::new();
    let names =
        |r: &CapacityRuleSpec, errand: &str| r.services.iter().any(|s| s.as_str() == errand);
    for (i, b) in booked.iter().enumerate() {
        // A visit is served at one desk: only the rules that name all of its errands.
        let own: Vec<&CapacityRuleSpec> = rules
            .iter()
            .filter(|r| b.errands.iter().all(|e| names(r, e)))
            .collect();
        // Another booking counts by its first errand, as the free times count it.
        let shares = |k: &Held| {
            let errand = k.errands.first().copied().unwrap_or_default();
            b.errands.contains(&errand) || own.iter().any(|r| names(r, errand))
        };
        let sharing: Vec<&Held> = kept
            .iter()
            .filter(|k| shares(k) && k.start < b.end && b.start < k.end)
            .collect();
        if fits(&own, zone, b, &sharing) {
            kept.push(*b);
        } else {
            left.push(i);
        }
    }
    left
}

/// Whether a desk is free for `b` at every instant of its span: both the desks and the
/// bookings change only where a rule or a booking begins or ends, so those instants are
/// the ones to look at.
fn fits(rules: &[&CapacityRuleSpec], zone: Tz, b: &Held, sharing: &[&Held]) -> bool {
    let mut instants = vec![b.start];
    instants.extend(sharing.iter().map(|k| k.start).filter(|t| *t > b.start));
    let first = b.start.with_timezone(&zone).date_naive();
    let last = b.end.with_timezone(&zone).date_naive();
    for date in first.iter_days().take_while(|d| *d <= last) {
        for r in rules {
            for at in [r.range.start, r.range.end] {
                if let Some(t) = zone.from_local_datetime(&date.and_time(at)).earliest() {
                    let t = t.with_timezone(&Utc);
                    if b.start < t && t < b.end {
                        instants.push(t);
                    }
                }
            }
        }
    }
    instants.into_iter().all(|t| {
        let local = t.with_timezone(&zone);
        let day = WeekdayKey::from(chrono::Datelike::weekday(&local));
        let desks: u32 = rules
            .iter()
            .filter(|r| r.weekdays.contains(&day) && r.range.contains(local.time()))
            .map(|r| r.desks)
            .sum();
        let busy = sharing.iter().filter(|k| k.start <= t && t < k.end).count();
        desks as usize > busy
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::{NaiveTime, Weekday};

    use super::*;
    use crate::domain::hours::TimeRange;
    use crate::domain::organisation::DeskKind;
    use crate::domain::Slug;

    const ZONE: Tz = chrono_tz::Europe::Copenhagen;

    fn rule(from: u32, to: u32, desks: u32, services: &[&str]) -> CapacityRuleSpec {
        let clock = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        CapacityRuleSpec {
            weekdays: BTreeSet::from([WeekdayKey::from(Weekday::Mon)]),
            range: TimeRange::new(clock(from), clock(to)).unwrap(),
            desks,
            desk_kind: DeskKind::Counter,
            services: services.iter().map(|s| Slug::parse(s).unwrap()).collect(),
        }
    }

    /// Monday 1 March 2027 at `h:m` local time (UTC+1), for `minutes`.
    fn held(errands: &'static [&'static str], h: u32, m: u32, minutes: i64) -> Held<'static> {
        let start = ZONE
            .with_ymd_and_hms(2027, 3, 1, h, m, 0)
            .unwrap()
            .with_timezone(&Utc);
        Held {
            errands,
            start,
            end: start + chrono::Duration::minutes(minutes),
        }
    }

    #[test]
    fn the_last_comer_beyond_the_desks_is_listed_and_rules_add_up() {
        let booked = [
            held(&["pas"], 10, 0, 20),
            held(&["koerekort"], 10, 10, 20),
            held(&["pas"], 10, 15, 20),
        ];
        let one = [rule(10, 12, 1, &["pas", "koerekort"])];
        assert_eq!(beyond(&one, ZONE, &booked), [1, 2]);
        let two = [
            rule(10, 12, 1, &["pas", "koerekort"]),
            rule(10, 11, 1, &["pas"]),
        ];
        // Every booking that may stand at a rule's desks counts against the errand's rules,
        // as the free times count them: the driving licence has one desk, which the first
        // passport counts against; the second passport has the two.
        assert_eq!(beyond(&two, ZONE, &booked), [1]);
    }

    #[test]
    fn a_booking_past_a_rules_end_or_of_an_errand_no_rule_names_has_no_desk() {
        let booked = [
            held(&["pas"], 11, 50, 20),
            held(&["byggesag"], 10, 0, 20),
            held(&["pas"], 10, 0, 20),
        ];
        assert_eq!(beyond(&[rule(10, 12, 2, &["pas"])], ZONE, &booked), [0, 1]);
    }

    #[test]
    fn a_visit_needs_a_rule_that_names_all_of_its_errands() {
        let booked = [held(&["pas", "sundhedskort"], 10, 0, 20)];
        assert!(beyond(&[rule(10, 12, 1, &["pas", "sundhedskort"])], ZONE, &booked).is_empty());
        assert_eq!(beyond(&[rule(10, 12, 1, &["pas"])], ZONE, &booked), [0]);
    }

    #[test]
    fn errands_on_other_rules_do_not_share_a_desk() {
        let booked = [held(&["pas"], 10, 0, 20), held(&["byggesag"], 10, 0, 20)];
        let rules = [rule(10, 12, 1, &["pas"]), rule(10, 12, 1, &["byggesag"])];
        assert!(beyond(&rules, ZONE, &booked).is_empty());
    }
}
