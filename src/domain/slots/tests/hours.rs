//! Openings, buffers, service hours and the grid.

use chrono::Weekday;

use super::*;

#[test]
fn an_ordinary_day_offers_quarter_hours_until_the_last_that_fits() {
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-11:00")]));
    office.rules = rules(30, 0);
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    assert_eq!(local_clock(&slots), ["10:00", "10:15", "10:30"]);
    assert_eq!(slots[0].end.format("%H:%M").to_string(), "10:30");
    assert!(slots.iter().all(|s| s.available == 1));
    assert_eq!(
        office.check(LONG_AGO, "2027-03-29T08:45:00Z"),
        Err(SlotRefusal::OutsideHours),
        "10:45 + 30 min would run past 11:00"
    );
}

#[test]
fn buffers_keep_the_desk_free_before_the_next_start() {
    // An appointment 10:00-10:15 whose 10-minute buffer runs to 10:25.
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-11:00")]));
    office.occupied = vec![occupied("2027-03-29T08:00:00Z", "2027-03-29T08:25:00Z")];
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    assert_eq!(local_clock(&slots), ["10:30", "10:45"], "10:15 is blocked");

    // This service's own buffer must be free too: with a booking at 10:30, a 15-minute
    // appointment with a 5-minute buffer cannot start at 10:15.
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-11:00")]));
    office.rules = rules(15, 5);
    office.occupied = vec![occupied("2027-03-29T08:30:00Z", "2027-03-29T08:50:00Z")];
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    assert_eq!(local_clock(&slots), ["10:00"]);
    assert_list_and_check_agree(&office, LONG_AGO, "2027-03-29", "2027-03-29");
}

#[test]
fn the_buffer_ends_by_closing() {
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-11:00")]));
    office.rules = rules(15, 5);
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    // 10:30 + 15 + 5 = 10:50; 10:45 + 20 would run to 11:05.
    assert_eq!(local_clock(&slots), ["10:00", "10:15", "10:30"]);
    assert_eq!(slots[2].end.format("%H:%M").to_string(), "10:45");
}

#[test]
fn service_hours_narrow_the_location_hours() {
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-14:30")]));
    let mut own = WeeklyHours::default();
    own.set_day(
        Weekday::Mon,
        vec![range("09:00-10:30"), range("12:00-12:30")],
    )
    .unwrap();
    own.set_day(Weekday::Tue, vec![range("10:00-12:00")])
        .unwrap();
    office.service_hours = Some(own);
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-30");
    assert_eq!(
        local_clock(&slots),
        ["10:00", "10:15", "12:00", "12:15"],
        "only where both are open; the location is closed on Tuesday"
    );
    assert_eq!(
        office.check(LONG_AGO, "2027-03-29T09:00:00Z"),
        Err(SlotRefusal::OutsideHours),
        "11:00 is inside the location's hours but not the service's"
    );
    assert_list_and_check_agree(&office, LONG_AGO, "2027-03-29", "2027-03-30");
}

#[test]
fn the_grid_counts_from_each_opening() {
    let mut hours = WeeklyHours::default();
    hours
        .set_day(
            Weekday::Mon,
            vec![range("10:00-10:30"), range("13:05-13:50")],
        )
        .unwrap();
    let office = Office::new(Copenhagen, hours);
    let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    assert_eq!(
        local_clock(&slots),
        ["10:00", "10:15", "13:05", "13:20", "13:35"]
    );
    for off in [
        "2027-03-29T08:05:00Z",
        "2027-03-29T11:15:00Z",
        "2027-03-29T08:00:30Z",
    ] {
        assert_eq!(
            office.check(LONG_AGO, off),
            Err(SlotRefusal::OffGrid),
            "{off}"
        );
    }
    assert_eq!(
        office.check(LONG_AGO, "2027-03-29T10:00:00Z"),
        Err(SlotRefusal::OutsideHours)
    );
}
