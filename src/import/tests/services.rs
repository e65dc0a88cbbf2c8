//! Problems with departments and services.

use super::*;
use crate::domain::booking::{LateArrival, VisitRules};

#[test]
fn service_naming_an_unknown_department() {
    let text = edit("department = \"byggeri\"", "department = \"teknik\"");
    assert_problem(
        &text,
        "department = \"teknik\"",
        "services[2].department",
        "there is no department 'teknik'; the file defines borgerservice, byggeri",
    );
}

#[test]
fn bad_queue_prefix() {
    let text = edit("queue_prefix = \"V\"", "queue_prefix = \"Vj\"");
    assert_problem(
        &text,
        "\"Vj\"",
        "services[1].queue_prefix",
        "not a single capital letter",
    );
}

#[test]
fn required_booking_needs_capacity_somewhere() {
    let text = edit(
        "desks = 1\nservices = [\"pas\"]",
        "desks = 1\nservices = [\"byggesag\"]",
    );
    let text = edit_in(
        &text,
        "services = [\"pas\", \"vejledning\"]\nopening",
        "services = [\"pas\", \"vejledning\", \"byggesag\"]\nopening",
    );
    let text = edit_in(
        &text,
        "services = [\"pas\", \"vejledning\"]\n\n",
        "services = [\"pas\", \"vejledning\", \"byggesag\"]\n\n",
    );
    assert_problem(
        &text,
        "booking = \"required\"",
        "services[0].booking",
        "booking is required for 'pas', but no [[locations.capacity]] rule names it",
    );
}

#[test]
fn self_service_url_must_be_a_web_address() {
    let text = edit("https://www.borger.dk/", "ftp://borger.dk/");
    assert_problem(
        &text,
        "ftp://",
        "services[0].self_service_url",
        "must be an http or https address",
    );
    let text = edit("https://www.borger.dk/", "borger.dk");
    assert_problem(
        &text,
        "borger.dk\"",
        "services[0].self_service_url",
        "is not a web address",
    );
}

#[test]
fn a_meeting_link_is_a_video_errands_with_known_placeholders() {
    let with_link = |template: &str| {
        edit(
            "self_service_url = \"https://www.borger.dk/\"",
            &format!("self_service_url = \"https://www.borger.dk/\"\nmeeting_url = \"{template}\""),
        )
    };
    let video = |text: &str| {
        edit_in(
            text,
            "channel = \"in_person\"\nbooking = \"required\"\nqueue_prefix = \"P\"",
            "channel = \"video\"\nbooking = \"required\"\nqueue_prefix = \"P\"",
        )
    };
    let unknown = video(&with_link("https://meet.example.dk/{cpr}"));
    assert_problem(
        &unknown,
        "meeting_url",
        "services[0].meeting_url",
        "'{cpr}' is not a placeholder a meeting link knows; use {reference} or {service}",
    );
    let not_video = with_link("https://meet.example.dk/{reference}");
    assert_problem(
        &not_video,
        "meeting_url",
        "services[0].meeting_url",
        "only a video errand has a meeting link; 'pas' is in_person",
    );
    let good = video(&with_link("https://meet.example.dk/{service}/{reference}"));
    let spec = parse_organisation(FILE, &good).unwrap();
    assert_eq!(
        spec.services[0].meeting_url.as_deref(),
        Some("https://meet.example.dk/{service}/{reference}")
    );
    assert_eq!(spec.services[1].meeting_url, None);
}

#[test]
fn durations_between_one_minute_and_eight_hours() {
    let text = edit("duration_minutes = 10", "duration_minutes = 0");
    assert_problem(
        &text,
        "duration_minutes = 0",
        "services[1].duration_minutes",
        "must be between 1 and 480 minutes, got 0",
    );
    let text = edit("duration_minutes = 30", "duration_minutes = 481");
    assert_problem(
        &text,
        "duration_minutes = 481",
        "services[2].duration_minutes",
        "got 481",
    );
    let text = edit(
        "duration_minutes = 30",
        "duration_minutes = 30\nbuffer_minutes = 500",
    );
    assert_problem(
        &text,
        "buffer_minutes",
        "services[2].buffer_minutes",
        "between 0 and 480 minutes",
    );
}

#[test]
fn a_further_unit_takes_at_most_the_first_and_one_visit_holds_at_most_ten() {
    let spec = parse_organisation(FILE, BASE).unwrap();
    assert_eq!(
        (
            spec.services[2].additional_minutes,
            spec.services[2].max_per_visit
        ),
        (None, 1),
        "one of each, at full length, unless the file says"
    );
    let text = edit(
        "duration_minutes = 30",
        "duration_minutes = 30\nadditional_minutes = 20\nmax_per_visit = 3",
    );
    let spec = parse_organisation(FILE, &text).unwrap();
    assert_eq!(
        (
            spec.services[2].additional_minutes,
            spec.services[2].max_per_visit
        ),
        (Some(20), 3)
    );
    let text = edit(
        "duration_minutes = 30",
        "duration_minutes = 30\nadditional_minutes = 31",
    );
    assert_problem(
        &text,
        "additional_minutes = 31",
        "services[2].additional_minutes",
        "between 1 and 30 minutes (no more than duration_minutes), got 31",
    );
    let text = edit(
        "duration_minutes = 30",
        "duration_minutes = 30\nmax_per_visit = 11",
    );
    assert_problem(
        &text,
        "max_per_visit = 11",
        "services[2].max_per_visit",
        "between 1 and 10 errands, got 11",
    );
}

#[test]
fn visit_rules_default_and_refuse_what_makes_no_sense() {
    let spec = parse_organisation(FILE, BASE).unwrap();
    assert_eq!(spec.services[0].rules, VisitRules::default());

    let text = edit(
        "queue_prefix = \"P\"",
        "queue_prefix = \"P\"\nreminder_hours = 0\nlate_arrival = \"refuse\"\ncheck_in_grace_minutes = 3",
    );
    let rules = parse_organisation(FILE, &text).unwrap().services[0].rules;
    assert_eq!(rules.reminder_hours, 0, "no reminder");
    assert_eq!(rules.late_arrival, LateArrival::Refuse);
    assert_eq!(rules.check_in_grace_minutes, 3);

    let text = edit(
        "queue_prefix = \"P\"",
        "queue_prefix = \"P\"\nlate_arrival = \"sometimes\"",
    );
    assert_problem(&text, "late_arrival", "services[0].late_arrival", "walk_in");
    let text = edit(
        "queue_prefix = \"P\"",
        "queue_prefix = \"P\"\nmax_future_bookings = 0",
    );
    assert_problem(
        &text,
        "max_future_bookings",
        "services[0].max_future_bookings",
        "got 0",
    );
}
