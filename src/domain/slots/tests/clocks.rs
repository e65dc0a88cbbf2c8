//! Time zones and both changes of the clocks, in Copenhagen and in Nuuk.

use chrono::{Timelike, Weekday};

use super::*;

#[test]
fn ten_oclock_on_a_monday_is_eight_utc_in_summer_and_nine_in_winter() {
    let office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-14:30")]));
    let summer = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    assert_eq!(
        summer[0].start.with_timezone(&Utc),
        utc("2027-03-29T08:00:00Z")
    );
    assert_eq!(summer[0].start.to_rfc3339(), "2027-03-29T10:00:00+02:00");
    let winter = office.slots(LONG_AGO, "2026-10-26", "2026-10-26");
    assert_eq!(
        winter[0].start.with_timezone(&Utc),
        utc("2026-10-26T09:00:00Z")
    );
    assert_eq!(winter[0].start.to_rfc3339(), "2026-10-26T10:00:00+01:00");
    assert_eq!(summer.len(), 18);
    assert_eq!(winter.len(), 18);
}

#[test]
fn spring_forward_skips_the_missing_hour_and_counts_real_minutes() {
    // 2027-03-28 is a Sunday: at 02:00 CET the clocks jump to 03:00 CEST.
    let office = Office::new(Copenhagen, week(&[(Weekday::Sun, "00:00-06:00")]));
    let slots = office.slots(LONG_AGO, "2027-03-28", "2027-03-28");
    let clock = local_clock(&slots);
    assert_eq!(slots.len(), 20, "six wall-clock hours are five real ones");
    assert!(clock.iter().all(|c| !c.starts_with("02:")), "{clock:?}");
    assert_eq!(clock[7], "01:45");
    assert_eq!(clock[8], "03:00");
    assert!(slots.iter().all(|s| s.start.minute() % 15 == 0));
    assert_eq!(slots[7].start.to_rfc3339(), "2027-03-28T01:45:00+01:00");
    assert_eq!(slots[8].start.to_rfc3339(), "2027-03-28T03:00:00+02:00");
    assert_eq!(
        slots[8].start.with_timezone(&Utc) - slots[7].start.with_timezone(&Utc),
        TimeDelta::minutes(15),
        "01:45 and 03:00 are a quarter of an hour apart"
    );

    // 02:30 does not exist; asking for it in UTC always lands on a real local time.
    assert_eq!(
        office.check(LONG_AGO, "2027-03-28T01:30:00Z").unwrap(),
        1,
        "01:30Z is 03:30 CEST"
    );

    // A 30-minute appointment at 01:45 ends at 03:15 on the clock: 30 real minutes.
    let mut long = Office::new(Copenhagen, week(&[(Weekday::Sun, "00:00-06:00")]));
    long.rules = rules(30, 0);
    let slots = long.slots(LONG_AGO, "2027-03-28", "2027-03-28");
    let at_145 = slots
        .iter()
        .find(|s| s.start.format("%H:%M").to_string() == "01:45")
        .unwrap();
    assert_eq!(at_145.end.to_rfc3339(), "2027-03-28T03:15:00+02:00");
    assert_eq!(at_145.end - at_145.start, TimeDelta::minutes(30));
}

#[test]
fn an_opening_inside_the_gap_starts_when_the_clocks_jump() {
    let office = Office::new(Copenhagen, week(&[(Weekday::Sun, "02:30-04:00")]));
    let slots = office.slots(LONG_AGO, "2027-03-28", "2027-03-28");
    assert_eq!(local_clock(&slots), ["03:00", "03:15", "03:30", "03:45"]);
    // The grid still counts from 02:30, so 03:00 is on it; an opening at 02:40 would give
    // 03:10, 03:25, …
    let odd = Office::new(Copenhagen, week(&[(Weekday::Sun, "02:40-04:00")]));
    let slots = odd.slots(LONG_AGO, "2027-03-28", "2027-03-28");
    assert_eq!(local_clock(&slots), ["03:10", "03:25", "03:40"]);
}

#[test]
fn fall_back_offers_the_repeated_hour_twice() {
    // 2026-10-25 is a Sunday: at 03:00 CEST the clocks go back to 02:00 CET.
    let office = Office::new(Copenhagen, week(&[(Weekday::Sun, "00:00-06:00")]));
    let slots = office.slots(LONG_AGO, "2026-10-25", "2026-10-25");
    assert_eq!(slots.len(), 28, "six wall-clock hours are seven real ones");
    let twice: Vec<String> = slots
        .iter()
        .filter(|s| s.start.format("%H:%M").to_string() == "02:15")
        .map(|s| s.start.to_rfc3339())
        .collect();
    assert_eq!(
        twice,
        ["2026-10-25T02:15:00+02:00", "2026-10-25T02:15:00+01:00"]
    );
    // Sorted by the real instant, a quarter of an hour apart all night.
    for pair in slots.windows(2) {
        assert_eq!(pair[1].start - pair[0].start, TimeDelta::minutes(15));
    }
    assert!(slots.iter().all(|s| s.start.minute() % 15 == 0));
    // A 30-minute appointment at the first 02:45 ends at 02:15 on the clock.
    let mut long = Office::new(Copenhagen, week(&[(Weekday::Sun, "00:00-06:00")]));
    long.rules = rules(30, 0);
    let slots = long.slots(LONG_AGO, "2026-10-25", "2026-10-25");
    let first_245 = slots
        .iter()
        .find(|s| s.start.to_rfc3339() == "2026-10-25T02:45:00+02:00")
        .unwrap();
    assert_eq!(first_245.end.to_rfc3339(), "2026-10-25T02:15:00+01:00");
}

#[test]
fn nuuk_is_utc_minus_two_in_winter_and_minus_one_in_summer() {
    let office = Office::new(Nuuk, week(&[(Weekday::Mon, "10:00-12:00")]));
    let winter = office.slots(LONG_AGO, "2027-01-04", "2027-01-04");
    assert_eq!(
        winter[0].start.with_timezone(&Utc),
        utc("2027-01-04T12:00:00Z")
    );
    assert_eq!(winter[0].start.to_rfc3339(), "2027-01-04T10:00:00-02:00");
    let summer = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
    assert_eq!(
        summer[0].start.with_timezone(&Utc),
        utc("2027-03-29T11:00:00Z")
    );
    assert_eq!(summer[0].start.to_rfc3339(), "2027-03-29T10:00:00-01:00");
}

#[test]
fn nuuk_changes_its_clocks_late_on_saturday_evening() {
    // Nuuk follows the EU rule at 01:00 UTC, which there is 23:00 on Saturday (-02).
    let office = Office::new(Nuuk, week(&[(Weekday::Sat, "22:00-23:59")]));
    let spring = office.slots(LONG_AGO, "2027-03-27", "2027-03-27");
    assert_eq!(
        starts(&spring),
        [
            "2027-03-27T22:00:00-02:00",
            "2027-03-27T22:15:00-02:00",
            "2027-03-27T22:30:00-02:00",
            "2027-03-27T22:45:00-02:00",
        ],
        "23:00-23:59 does not exist; the office closes when the clocks jump to Sunday"
    );
    assert_eq!(
        spring[0].start.with_timezone(&Utc),
        utc("2027-03-28T00:00:00Z")
    );

    // On 2027-10-30 the clocks go from Sunday 00:00 (-01) back to Saturday 23:00 (-02).
    let autumn = office.slots(LONG_AGO, "2027-10-30", "2027-10-30");
    let clock = local_clock(&autumn);
    assert_eq!(
        clock,
        [
            "22:00", "22:15", "22:30", "22:45", "23:00", "23:15", "23:30", "23:45", "23:00",
            "23:15", "23:30"
        ],
        "the repeated hour is offered twice, until the second 23:59"
    );
    assert_eq!(autumn[8].start.to_rfc3339(), "2027-10-30T23:00:00-02:00");
    assert_eq!(
        autumn[8].start.with_timezone(&Utc),
        utc("2027-10-31T01:00:00Z")
    );
}

#[test]
fn list_and_check_agree_across_both_changes_of_the_clocks() {
    for zone in [Copenhagen, Nuuk] {
        let mut hours = WeeklyHours::default();
        hours
            .set_day(Weekday::Sat, vec![range("21:05-23:59")])
            .unwrap();
        hours
            .set_day(
                Weekday::Sun,
                vec![range("00:00-03:30"), range("04:10-06:00")],
            )
            .unwrap();
        hours
            .set_day(Weekday::Mon, vec![range("10:00-14:30")])
            .unwrap();
        let mut office = Office::new(zone, hours);
        office.rules = BookingRules {
            duration_minutes: 20,
            buffer_minutes: 5,
            slot_step_minutes: 10,
            book_ahead_days: 1000,
            min_notice_minutes: 0,
        };
        office.capacity = all_day(2);
        office.capacity.push(CapacityRule {
            weekday: Weekday::Sun,
            range: range("02:00-02:40"),
            desks: 1,
        });
        office.occupied = vec![
            occupied("2027-03-28T00:20:00Z", "2027-03-28T01:10:00Z"),
            occupied("2027-03-28T00:40:00Z", "2027-03-28T00:55:00Z"),
            occupied("2026-10-25T00:10:00Z", "2026-10-25T01:40:00Z"),
        ];
        office.held = vec![occupied("2026-10-25T00:30:00Z", "2026-10-25T01:20:00Z")];
        office.closures =
            vec![Closure::new(date("2026-10-26"), date("2026-10-26"), "Lukket".into()).unwrap()];
        assert_list_and_check_agree(&office, LONG_AGO, "2026-10-24", "2026-10-31");
        assert_list_and_check_agree(&office, LONG_AGO, "2027-03-26", "2027-03-29");
        assert_list_and_check_agree(&office, LONG_AGO, "2027-10-29", "2027-11-01");
        // With the clock inside the night itself.
        assert_list_and_check_agree(&office, "2027-03-28T00:47:13Z", "2027-03-27", "2027-03-29");
    }
}

#[test]
fn offsets_in_the_answer_are_the_zones_own() {
    let office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-10:15")]));
    let slot = &office.slots(LONG_AGO, "2027-03-29", "2027-03-29")[0];
    assert_eq!(
        slot.start.fixed_offset().offset(),
        &FixedOffset::east_opt(2 * 3600).unwrap()
    );
}
