//! The report's arithmetic on small facts.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::metrics::minutes;
use super::spans::hour_pieces;
use super::*;
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::organisation::{BookingPolicy, Channel};
use crate::domain::queue::TicketStatus;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[test]
fn percentiles_are_nearest_rank() {
    let waits = [1.0, 2.0, 3.0, 4.0, 10.0];
    assert_eq!(percentile(&waits, 0.5), Some(3.0));
    assert_eq!(percentile(&waits, 0.8), Some(4.0));
    assert_eq!(percentile(&waits, 0.9), Some(10.0));
    assert_eq!(percentile(&[], 0.5), None);
}

#[test]
fn a_desk_is_open_from_open_to_pause_or_now() {
    let l = LocationId(1);
    let change = |open, t| DeskChange {
        location: l,
        desk: 7,
        open,
        at: at(t),
    };
    let spans = open_spans(
        &[
            change(true, "2027-03-30T08:00:00Z"),
            change(false, "2027-03-30T09:00:00Z"),
            change(true, "2027-03-30T09:30:00Z"),
        ],
        at("2027-03-30T10:00:00Z"),
    );
    let hours: f64 = spans.iter().map(|s| minutes(s.to - s.from) / 60.0).sum();
    assert_eq!(hours, 1.5);
}

#[test]
fn pieces_split_at_whole_hours() {
    let pieces = hour_pieces(at("2027-03-30T08:40:00Z"), at("2027-03-30T10:10:00Z"));
    let seconds: Vec<i64> = pieces.iter().map(|p| p.1).collect();
    assert_eq!(seconds, vec![1200, 3600, 600]);
}

#[test]
fn to_before_from_names_to() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    assert_eq!(
        Period::new(d("2027-03-30"), d("2027-03-29")).unwrap_err().0,
        "to"
    );
}

fn ticket(issued: &str, called_after_minutes: i64) -> TicketFact {
    TicketFact {
        location: LocationId(1),
        service: ServiceId(2),
        issued_at: at(issued),
        status: TicketStatus::Called,
        outcome: None,
        appointment_start: None,
        first_call: Some(at(issued) + Duration::minutes(called_after_minutes)),
        last_start: None,
        finished_at: None,
        errands: Vec::new(),
    }
}

#[test]
fn tickets_count_on_their_local_day_and_hour() {
    let facts = Facts {
        locations: vec![LocationInfo {
            id: LocationId(1),
            slug: "raadhuset".into(),
            zone: chrono_tz::Europe::Copenhagen,
        }],
        services: vec![ServiceInfo {
            id: ServiceId(2),
            slug: "vejledning".into(),
            department: "borgerservice".into(),
            channel: Channel::InPerson,
            booking: BookingPolicy::WalkInOnly,
        }],
        // 00:30 on the 30th in Copenhagen (UTC+2), and 00:30 on the 31st.
        tickets: vec![
            ticket("2027-03-29T22:30:00Z", 3),
            ticket("2027-03-30T22:30:00Z", 1),
        ],
        appointments: vec![],
        checked_in_no_shows: vec![],
        self_service: vec![],
        desk_changes: vec![],
        feedback: vec![],
    };
    let day: NaiveDate = "2027-03-30".parse().unwrap();
    let r = report(
        &facts,
        Period::new(day, day).unwrap(),
        None,
        ChannelCosts::default(),
        at("2027-04-01T00:00:00Z"),
    );
    assert_eq!(r.totals.tickets, 1);
    assert_eq!(r.totals.wait_minutes.mean, Some(3.0));
    assert_eq!(r.totals.share_within_target, Some(0.0));
    assert_eq!(r.by_hour.len(), 1);
    assert_eq!(r.by_hour[0].hour, 0);
    assert_eq!(r.by_day[0].day, day);
    assert_eq!(r.totals.staff_hours, Some(0.0));
    assert_eq!(r.totals.errands_per_staff_hour, None, "no staffed time");
}

#[test]
fn the_target_follows_the_booking_rule() {
    assert_eq!(wait_target_minutes(BookingPolicy::WalkInOnly), 2.0);
    assert_eq!(wait_target_minutes(BookingPolicy::Required), 4.0);
}

#[test]
fn feedback_scores_count_on_their_day_errand_and_place() {
    let answer = |given: &str, score: u8, count: u64| FeedbackCount {
        location: LocationId(1),
        service: ServiceId(2),
        errands: vec![],
        given_at: at(given),
        score,
        count,
    };
    let facts = Facts {
        locations: vec![LocationInfo {
            id: LocationId(1),
            slug: "raadhuset".into(),
            zone: chrono_tz::Europe::Copenhagen,
        }],
        services: vec![ServiceInfo {
            id: ServiceId(2),
            slug: "pas".into(),
            department: "borgerservice".into(),
            channel: Channel::InPerson,
            booking: BookingPolicy::Required,
        }],
        tickets: vec![],
        appointments: vec![],
        checked_in_no_shows: vec![],
        self_service: vec![],
        desk_changes: vec![],
        // Two fives and a two on the 30th; a one given the day after is another day's.
        feedback: vec![
            answer("2027-03-30T09:00:00Z", 5, 2),
            answer("2027-03-30T12:00:00Z", 2, 1),
            answer("2027-03-30T22:30:00Z", 1, 1),
        ],
    };
    let day: NaiveDate = "2027-03-30".parse().unwrap();
    let r = report(
        &facts,
        Period::new(day, day).unwrap(),
        None,
        ChannelCosts::default(),
        at("2027-04-01T00:00:00Z"),
    );
    let four = FeedbackScore {
        answers: 3,
        mean: Some(4.0),
    };
    assert_eq!(r.totals.feedback, four);
    assert_eq!(r.by_location[0].metrics.feedback, four);
    assert_eq!(r.by_service[0].service, "pas");
    assert_eq!(r.by_service[0].metrics.feedback, four);
    assert_eq!(r.by_department[0].metrics.feedback, four);
    assert_eq!(
        r.by_hour
            .iter()
            .map(|h| h.metrics.feedback.answers)
            .sum::<u64>(),
        3
    );
    assert_eq!(
        r.by_location[0].metrics.tickets, 0,
        "an answer is not a visit of its own"
    );
}
