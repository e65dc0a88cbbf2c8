//! Problems with locations: hours, closures, desks and queues.

use super::*;

#[test]
fn unknown_time_zone() {
    let text = edit(
        "timezone = \"Europe/Copenhagen\"\nservices = [\"pas\"",
        "timezone = \"Europe/Taastrup\"\nservices = [\"pas\"",
    );
    assert_problem(
        &text,
        "Europe/Taastrup",
        "locations[0].timezone",
        "not an IANA time zone",
    );
}

#[test]
fn overlapping_opening_hours() {
    let text = edit("\"13:00-17:00\"", "\"11:30-17:00\"");
    assert_problem(
        &text,
        "11:30-17:00",
        "locations[0].opening_hours.thu",
        "overlap on thu",
    );
}

#[test]
fn bad_time_ranges_and_weekdays() {
    let text = edit(
        "{ tue = [\"09:00-15:00\"] }",
        "{ tirsdag = [\"09:00-15:00\"] }",
    );
    assert_problem(
        &text,
        "tirsdag",
        "locations[1].opening_hours.tirsdag",
        "not a weekday",
    );
    let text = edit("{ tue = [\"09:00-15:00\"] }", "{ tue = [\"15:00-09:00\"] }");
    assert_problem(
        &text,
        "15:00-09:00",
        "locations[1].opening_hours.tue[0]",
        "must end after",
    );
    let text = edit("{ tue = [\"09:00-15:00\"] }", "{}");
    assert_problem(
        &text,
        "opening_hours = {}",
        "locations[1].opening_hours",
        "never open",
    );
}

#[test]
fn desk_naming_an_unknown_service() {
    let text = edit(
        "services = [\"pas\", \"vejledning\"]\n\n[[locations.capacity]]",
        "services = [\"pas\", \"pasfoto\"]\n\n[[locations.capacity]]",
    );
    assert_problem(
        &text,
        "\"pasfoto\"",
        "locations[0].desks[0].services[1]",
        "there is no service 'pasfoto'",
    );
}

#[test]
fn desk_serving_a_service_not_offered_at_its_location() {
    let text = edit(
        "services = [\"pas\", \"vejledning\"]\n\n[[locations.capacity]]",
        "services = [\"pas\", \"vejledning\", \"byggesag\"]\n\n[[locations.capacity]]",
    );
    assert_problem(
        &text,
        "\"vejledning\", \"byggesag\"]",
        "locations[0].desks[0].services[2]",
        "'byggesag' is not offered at 'raadhuset'",
    );
}

#[test]
fn location_offering_an_unknown_service() {
    let text = edit(
        "services = [\"byggesag\"]\nopening",
        "services = [\"byggesager\"]\nopening",
    );
    assert_problem(
        &text,
        "\"byggesager\"",
        "locations[1].services[0]",
        "there is no service 'byggesager'",
    );
}

#[test]
fn duplicate_queue_prefix_at_one_location() {
    let text = edit("queue_prefix = \"V\"", "queue_prefix = \"P\"");
    assert_problem(
        &text,
        "services = [\"pas\", \"vejledning\"]\nopening",
        "locations[0].services[1]",
        "'vejledning' and 'pas' are both offered here with queue prefix 'P'",
    );
    // The same letter at different locations is fine: numbers restart per location.
    let text = edit("queue_prefix = \"B\"", "queue_prefix = \"P\"");
    assert!(parse_organisation(FILE, &text).is_ok());
}

#[test]
fn service_hours_for_a_service_not_offered_there_or_outside_opening() {
    let text = edit("service = \"byggesag\"", "service = \"pas\"");
    assert_problem(
        &text,
        "service = \"pas\"",
        "locations[1].service_hours[0].service",
        "'pas' is not offered at 'byggeriet'",
    );
    let text = edit(
        "hours = { tue = [\"10:00-12:00\"] }",
        "hours = { tue = [\"14:00-16:00\"] }",
    );
    assert_problem(
        &text,
        "14:00-16:00",
        "locations[1].service_hours[0].hours.tue",
        "outside the opening hours of 'byggeriet' (tue 09:00-15:00)",
    );
}

#[test]
fn dates_are_toml_dates_or_the_same_as_strings() {
    let quoted = edit("to = 2026-12-26", "to = \"2026-12-26\"");
    let spec = parse_organisation(FILE, &quoted).unwrap();
    assert_eq!(spec, parse_organisation(FILE, BASE).unwrap());

    let one_day = edit("to = 2026-12-26\n", "");
    let closure = &parse_organisation(FILE, &one_day).unwrap().locations[0].closures[0];
    assert_eq!(closure.first, closure.last);

    let text = edit("to = 2026-12-26", "to = 2026-12-26T12:00:00");
    assert_problem(
        &text,
        "to = 2026",
        "locations[0].closures[0].to",
        "without a time",
    );
    let text = edit("to = 2026-12-26", "to = 2026-12-20");
    assert_problem(
        &text,
        "[[locations.closures]]",
        "locations[0].closures[0]",
        "ends 2026-12-20 before it starts 2026-12-24",
    );
}

#[test]
fn alert_settings_are_read_and_out_of_range_ones_refused() {
    let timezone = "timezone = \"Europe/Copenhagen\"\nservices = [\"pas\"";
    let set = |settings: &str| edit(timezone, &format!("{settings}\n{timezone}"));
    let spec = parse_organisation(
        FILE,
        &set("alert_after_minutes = 5\nsurge_alert_percent = 50"),
    )
    .unwrap();
    assert_eq!(
        spec.locations[0].alerts,
        crate::domain::queue_alert::AlertSettings {
            after_minutes: Some(5),
            surge_percent: Some(50),
        }
    );
    assert_eq!(spec.locations[1].alerts, Default::default(), "left out");
    assert_problem(
        &set("alert_after_minutes = 0"),
        "alert_after_minutes",
        "locations[0].alert_after_minutes",
        "must be between 1 and 240 minutes, got 0",
    );
    assert_problem(
        &set("surge_alert_percent = 1000"),
        "surge_alert_percent",
        "locations[0].surge_alert_percent",
        "must be between 5 and 500 per cent, got 1000",
    );
}
