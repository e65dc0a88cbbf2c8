//! Visits of several errands and needs: the slot rules with a visit's length and the
//! capacity of the desks that can take all of it.

use std::collections::BTreeSet;

use chrono::Weekday;

use super::*;
use crate::domain::organisation::DeskKind;
use crate::domain::visit::tests::{desk, pool};
use crate::domain::visit::{
    booking_rules, visit_capacity, DeskFeature, ErrandTerms, PoolRule, VisitLine,
};

fn terms(duration: u32, buffer: u32) -> ErrandTerms {
    ErrandTerms {
        duration_minutes: duration,
        additional_minutes: None,
        buffer_minutes: buffer,
        slot_step_minutes: DEFAULT_SLOT_STEP_MINUTES,
        book_ahead_days: 1000,
        min_notice_minutes: 0,
    }
}

/// An office open Monday 10–14 whose pas-and-kørekort desk takes bookings in the morning and
/// whose pas-and-health-card desk from 11, with the visit's rules and capacity.
fn office_for(
    lines: &[VisitLine<(&'static str, ErrandTerms)>],
    features: &[DeskFeature],
) -> Office {
    let pools = [
        pool(1, "10:00-12:00", &["pas", "kort"]),
        pool(1, "11:00-14:00", &["pas", "card"]),
    ];
    let desks = [
        desk(&["pas", "kort"], &[]),
        desk(&["pas", "card"], &[DeskFeature::StepFree]),
    ];
    let errands: Vec<&'static str> = lines.iter().map(|l| l.service.0).collect();
    let terms: Vec<VisitLine<ErrandTerms>> = lines
        .iter()
        .map(|l| VisitLine {
            service: l.service.1,
            quantity: l.quantity,
        })
        .collect();
    let features: BTreeSet<DeskFeature> = features.iter().copied().collect();
    let capacity = visit_capacity(&pools, &desks, &errands, &features);
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-14:00")]));
    office.rules = booking_rules(&terms, 0).unwrap();
    office.capacity = capacity.rules;
    office.desk_ceiling = capacity.ceiling;
    office
}

fn pas() -> (&'static str, ErrandTerms) {
    ("pas", terms(15, 5))
}

fn card() -> (&'static str, ErrandTerms) {
    ("card", terms(5, 0))
}

fn of<T>(service: T, quantity: u32) -> VisitLine<T> {
    VisitLine { service, quantity }
}

#[test]
fn a_visit_is_offered_only_where_one_desk_serves_all_its_errands_for_the_whole_span() {
    let mut office = office_for(&[of(pas(), 2), of(card(), 1)], &[]);
    // 12:00-12:20 local is taken on the afternoon desk.
    office.occupied = vec![occupied("2027-03-29T10:00:00Z", "2027-03-29T10:20:00Z")];
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    assert_eq!(
        local_clock(&slots),
        ["11:00", "11:15", "12:30", "12:45", "13:00", "13:15"],
        "35 minutes and the buffer: never before 11, never over the taken time or closing"
    );
    assert_eq!(
        (slots[0].end - slots[0].start).num_minutes(),
        35,
        "two passports and a health card"
    );
    assert_list_and_check_agree(&office, LONG_AGO, "2027-03-29", "2027-03-29");

    let alone = office_for(&[of(pas(), 1)], &[]);
    assert_eq!(
        local_clock(&alone.slots(LONG_AGO, "2027-03-29", "2027-03-29"))[0],
        "10:00",
        "a passport alone is offered from the morning on"
    );
}

#[test]
fn a_desk_need_gets_only_the_times_of_the_desks_that_have_it() {
    let mut office = office_for(&[of(pas(), 1)], &[DeskFeature::StepFree]);
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    assert_eq!(
        local_clock(&slots)[0],
        "11:00",
        "the ramp is at the afternoon desk"
    );
    assert!(
        slots.iter().all(|s| s.available == 1),
        "one ramp, however the rules add up"
    );
    // Any booking of the pool over 11:30-11:50 may stand at the ramp's desk.
    office.occupied = vec![occupied("2027-03-29T09:30:00Z", "2027-03-29T09:50:00Z")];
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    assert!(!local_clock(&slots).contains(&"11:15".to_string()));
    assert_list_and_check_agree(&office, LONG_AGO, "2027-03-29", "2027-03-29");
    let nowhere = office_for(&[of(pas(), 1), of(card(), 1)], &[DeskFeature::HearingLoop]);
    assert!(nowhere
        .slots(LONG_AGO, "2027-03-29", "2027-03-29")
        .is_empty());
}

#[test]
fn list_and_check_agree_for_visits_across_the_changes_of_the_clocks() {
    for zone in [Copenhagen, Nuuk] {
        let mut hours = WeeklyHours::default();
        for day in [Weekday::Sat, Weekday::Sun, Weekday::Mon] {
            hours.set_day(day, vec![range("00:00-23:59")]).unwrap();
        }
        let mut office = office_for(&[of(pas(), 2), of(card(), 1)], &[]);
        office.zone = zone;
        office.hours = hours;
        office.rules.slot_step_minutes = 10;
        let desks = [desk(&["pas", "card"], &[]), desk(&["pas", "card"], &[])];
        let pools: Vec<PoolRule<&'static str>> = [Weekday::Sat, Weekday::Sun, Weekday::Mon]
            .into_iter()
            .flat_map(|weekday| {
                [
                    ("00:00-23:59", 1, vec!["pas", "card"]),
                    ("01:00-04:00", 2, vec!["pas", "card", "kort"]),
                ]
                .into_iter()
                .map(move |(r, desks, services)| PoolRule {
                    rule: CapacityRule {
                        weekday,
                        range: range(r),
                        desks,
                    },
                    kind: DeskKind::Counter,
                    services,
                })
            })
            .collect();
        let capacity = visit_capacity(&pools, &desks, &["pas", "card"], &BTreeSet::new());
        assert_eq!(capacity.ceiling, Some(2));
        office.capacity = capacity.rules;
        office.desk_ceiling = capacity.ceiling;
        office.occupied = vec![
            occupied("2027-03-28T00:20:00Z", "2027-03-28T01:10:00Z"),
            occupied("2027-03-28T00:40:00Z", "2027-03-28T00:55:00Z"),
            occupied("2026-10-25T00:10:00Z", "2026-10-25T01:40:00Z"),
        ];
        office.held = vec![occupied("2026-10-25T00:30:00Z", "2026-10-25T01:20:00Z")];
        assert_list_and_check_agree(&office, LONG_AGO, "2026-10-24", "2026-10-26");
        assert_list_and_check_agree(&office, LONG_AGO, "2027-03-27", "2027-03-29");
        assert_list_and_check_agree(&office, "2027-03-28T00:47:13Z", "2027-03-27", "2027-03-29");
        let slots = office.slots(LONG_AGO, "2027-03-27", "2027-03-29");
        assert!(
            slots.iter().all(|s| s.available <= 2),
            "never more than the two desks that serve both"
        );
    }
}
