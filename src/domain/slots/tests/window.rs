//! The booking window: closures, the past, the notice, how far ahead, and today.

use chrono::Weekday;

use super::*;

#[test]
fn a_closure_day_has_no_slots() {
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Thu, "10:00-17:00")]));
    office.closures =
        vec![Closure::new(date("2026-12-24"), date("2026-12-24"), "Juleaften".into()).unwrap()];
    assert!(office
        .slots(LONG_AGO, "2026-12-24", "2026-12-24")
        .is_empty());
    assert_eq!(office.slots(LONG_AGO, "2026-12-24", "2026-12-31").len(), 28);
    let refusal = office.check(LONG_AGO, "2026-12-24T09:00:00Z").unwrap_err();
    assert_eq!(
        refusal,
        SlotRefusal::Closed {
            reason: "Juleaften".into()
        }
    );
    assert_eq!(
        refusal.to_string(),
        "The office is closed that day (Juleaften)."
    );
}

#[test]
fn never_in_the_past_nor_sooner_than_the_notice() {
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-12:00")]));
    office.rules.min_notice_minutes = 60;
    // 10:07 local on Monday 2027-03-29: 11:07 is the earliest, so 11:15 is the first slot.
    let now = "2027-03-29T08:07:00Z";
    let slots = office.slots(now, "2027-03-29", "2027-03-29");
    assert_eq!(local_clock(&slots), ["11:15", "11:30", "11:45"]);
    assert_eq!(
        office.check(now, "2027-03-29T08:00:00Z"),
        Err(SlotRefusal::Past)
    );
    let too_soon = office.check(now, "2027-03-29T08:30:00Z").unwrap_err();
    assert_eq!(
        too_soon.to_string(),
        "That time is too soon to book; the earliest bookable time is 2027-03-29 11:07."
    );
    assert_list_and_check_agree(&office, now, "2027-03-28", "2027-03-30");
}

#[test]
fn book_ahead_ends_the_range() {
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-11:00")]));
    office.rules.book_ahead_days = 14;
    // 23:30 on Sunday 2027-03-28 in Copenhagen: today is the 28th, so 14 days ahead is
    // Sunday the 11th of April, and Monday the 12th is one day too far.
    let now = "2027-03-28T21:30:00Z";
    let slots = office.slots(now, "2027-03-01", "2027-06-30");
    let days: Vec<NaiveDate> = slots.iter().map(|s| s.start.date_naive()).collect();
    assert_eq!(days.first(), Some(&date("2027-03-29")));
    assert_eq!(days.last(), Some(&date("2027-04-05")));
    office.rules.book_ahead_days = 15;
    let slots = office.slots(now, "2027-03-01", "2027-06-30");
    assert_eq!(slots.last().unwrap().start.date_naive(), date("2027-04-12"));
    office.rules.book_ahead_days = 14;
    let refusal = office.check(now, "2027-04-12T08:00:00Z").unwrap_err();
    assert_eq!(
        refusal,
        SlotRefusal::TooFarAhead {
            latest_date: date("2027-04-11")
        }
    );
    assert_eq!(
        refusal.to_string(),
        "That day is too far ahead to book; the last bookable day is 2027-04-11."
    );
}

#[test]
fn today_is_the_local_date_of_now() {
    // 23:30 UTC on the 28th is already the 29th in Copenhagen, but still the 28th in Nuuk.
    let mut office = Office::new(Copenhagen, week(&[(Weekday::Tue, "10:00-11:00")]));
    office.rules.book_ahead_days = 1;
    let now = "2027-03-28T23:30:00Z";
    assert_eq!(office.slots(now, "2027-03-28", "2027-04-30").len(), 4);
    office.zone = Nuuk;
    assert!(office.slots(now, "2027-03-28", "2027-04-30").is_empty());
}
