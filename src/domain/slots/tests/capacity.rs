//! Capacity: desks, appointments and holds that take them, and rules that add up.

use chrono::Weekday;

use super::*;

#[test]
fn an_appointment_takes_one_of_two_desks_where_it_runs() {
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-12:00")]));
    office.capacity = all_day(2);
    office.rules = rules(30, 0);
    // 10:30-11:00 local.
    office.occupied = vec![occupied("2027-03-29T08:30:00Z", "2027-03-29T09:00:00Z")];
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    let available: Vec<(String, u32)> = slots
        .iter()
        .map(|s| (s.start.format("%H:%M").to_string(), s.available))
        .collect();
    let expected: Vec<(String, u32)> = [
        ("10:00", 2),
        ("10:15", 1),
        ("10:30", 1),
        ("10:45", 1),
        ("11:00", 2),
        ("11:15", 2),
        ("11:30", 2),
    ]
    .into_iter()
    .map(|(c, n)| (c.to_string(), n))
    .collect();
    assert_eq!(available, expected);
    assert_list_and_check_agree(&office, LONG_AGO, "2027-03-29", "2027-03-29");
}

#[test]
fn a_full_time_is_refused_as_full() {
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-12:00")]));
    office.occupied = vec![occupied("2027-03-29T08:00:00Z", "2027-03-29T08:15:00Z")];
    let refusal = office.check(LONG_AGO, "2027-03-29T08:00:00Z").unwrap_err();
    assert_eq!(refusal, SlotRefusal::NoCapacity);
    assert!(refusal.is_full());
    assert!(!SlotRefusal::Past.is_full());
}

#[test]
fn holds_take_capacity_like_appointments() {
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-11:00")]));
    office.held = vec![occupied("2027-03-29T08:15:00Z", "2027-03-29T08:30:00Z")];
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    assert_eq!(local_clock(&slots), ["10:00", "10:30", "10:45"]);
}

#[test]
fn overlapping_capacity_rules_add_up() {
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-12:00")]));
    office.capacity = vec![
        CapacityRule {
            weekday: Weekday::Mon,
            range: range("10:00-12:00"),
            desks: 1,
        },
        CapacityRule {
            weekday: Weekday::Mon,
            range: range("11:00-11:30"),
            desks: 2,
        },
    ];
    office.rules = rules(30, 0);
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    let available: Vec<u32> = slots.iter().map(|s| s.available).collect();
    // 10:00 10:15 10:30 10:45 11:00 11:15 11:30
    assert_eq!(available, [1, 1, 1, 1, 3, 1, 1]);
}

#[test]
fn no_capacity_rule_no_slots() {
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-12:00")]));
    office.capacity = vec![CapacityRule {
        weekday: Weekday::Mon,
        range: range("10:30-11:00"),
        desks: 1,
    }];
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    assert_eq!(local_clock(&slots), ["10:30", "10:45"]);
    assert_eq!(
        office.check(LONG_AGO, "2027-03-29T08:00:00Z"),
        Err(SlotRefusal::NoCapacity)
    );
}

#[test]
fn half_a_year_is_computed_by_sweeping_not_by_minutes() {
    let mut hours = WeeklyHours::default();
    for day in [Weekday::Mon, Weekday::Tue, Weekday::Wed] {
        hours.set_day(day, vec![range("10:00-14:30")]).unwrap();
    }
    hours
        .set_day(Weekday::Thu, vec![range("10:00-17:00")])
        .unwrap();
    hours
        .set_day(Weekday::Fri, vec![range("10:00-13:30")])
        .unwrap();
    let mut office = Office::new(Copenhagen, hours);
    office.capacity = all_day(4);
    office.rules.book_ahead_days = 200;
    // A busy calendar: an appointment every 5 minutes, day and night, for half a year.
    let start = utc("2026-09-01T00:00:00Z");
    office.occupied = (0..183 * 24 * 12)
        .map(|i| {
            let at = start + TimeDelta::minutes(5 * i);
            Occupied {
                start: at,
                end: at + TimeDelta::minutes(if i % 3 == 0 { 20 } else { 5 }),
            }
        })
        .collect();
    let slots = office.slots("2026-09-01T00:00:00Z", "2026-09-01", "2027-03-02");
    assert!(!slots.is_empty());
    assert!(slots.windows(2).all(|w| w[0].start < w[1].start));
    let last = slots.last().unwrap().start.date_naive();
    assert!(last >= date("2027-02-26"), "{last}");
}

#[test]
fn capacity_specs_expand_to_one_rule_per_weekday() {
    use crate::domain::organisation::{CapacityRuleSpec, DeskKind, WeekdayKey};
    let spec = CapacityRuleSpec {
        weekdays: [Weekday::Mon, Weekday::Thu]
            .into_iter()
            .map(WeekdayKey::from)
            .collect(),
        range: range("10:00-12:00"),
        desks: 3,
        desk_kind: DeskKind::Counter,
        services: Vec::new(),
    };
    let rules: Vec<CapacityRule> = CapacityRule::from_spec(&spec).collect();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[1].weekday, Weekday::Thu);
    assert_eq!(rules[1].desks, 3);
}
