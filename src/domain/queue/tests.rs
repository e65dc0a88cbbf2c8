//! Ticket numbers, staff actions, the calling order and the wait estimate.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use strum::VariantArray;

use super::*;
use crate::domain::ids::ServiceId;

pub(super) fn at(raw: &str) -> DateTime<Utc> {
    raw.parse().unwrap()
}

fn date(raw: &str) -> NaiveDate {
    raw.parse().unwrap()
}

fn walk_in(id: i64, service: i64, queued_at: &str) -> WaitingTicket {
    WaitingTicket {
        id: TicketId(id),
        service: ServiceId(service),
        queued_at: at(queued_at),
        appointment_start: None,
    }
}

fn booked(id: i64, service: i64, queued_at: &str, start: &str) -> WaitingTicket {
    WaitingTicket {
        appointment_start: Some(at(start)),
        ..walk_in(id, service, queued_at)
    }
}

/// A desk serving `services`, each with the given priority.
pub(super) struct Desk {
    serves: HashSet<ServiceId>,
    priority: HashMap<ServiceId, i32>,
}

impl Desk {
    pub(super) fn new(services: &[(i64, i32)]) -> Self {
        Self {
            serves: services.iter().map(|(s, _)| ServiceId(*s)).collect(),
            priority: services.iter().map(|(s, p)| (ServiceId(*s), *p)).collect(),
        }
    }

    pub(super) fn view(&self) -> DeskView<'_> {
        DeskView {
            serves: &self.serves,
            priority: &self.priority,
        }
    }
}

// Ticket numbers

#[test]
fn numbers_show_three_digits_or_more_and_parse_back() {
    for (prefix, seq, text) in [
        ('A', 1, "A001"),
        ('B', 14, "B014"),
        ('P', 999, "P999"),
        ('A', 1000, "A1000"),
        ('Z', u32::MAX, "Z4294967295"),
    ] {
        let number = TicketNumber::new(prefix, seq).unwrap();
        assert_eq!(number.to_string(), text);
        assert_eq!(text.parse::<TicketNumber>().unwrap(), number);
    }
}

#[test]
fn odd_spellings_of_numbers_are_refused_with_a_reason() {
    for bad in [
        "",
        "A",
        "A1",
        "A01",
        "A0001",
        "a001",
        "1001",
        "ÆØ01",
        "A00x",
        "A000",
        "A 001",
        "A4294967296",
    ] {
        let err = bad.parse::<TicketNumber>().unwrap_err();
        assert!(err.contains(&format!("'{bad}'")), "{bad:?}: {err}");
    }
    assert!(TicketNumber::new('a', 1).is_err());
    assert!(TicketNumber::new('A', 0).is_err());
}

#[test]
fn numbers_serialise_as_their_text() {
    let number = TicketNumber::new('B', 14).unwrap();
    assert_eq!(serde_json::to_string(&number).unwrap(), r#""B014""#);
    assert_eq!(
        serde_json::from_str::<TicketNumber>(r#""B014""#).unwrap(),
        number
    );
    assert!(serde_json::from_str::<TicketNumber>(r#""B14""#).is_err());
}

#[test]
fn numbering_restarts_each_day() {
    assert_eq!(next_seq(None), 1);
    assert_eq!(next_seq(Some(1)), 2);
    assert_eq!(next_seq(Some(999)), 1000);
    assert_eq!(next_seq(Some(u32::MAX)), u32::MAX);
}

#[test]
fn local_day_follows_copenhagen_across_the_spring_change() {
    // On 2027-03-28 clocks go from 02:00 CET to 03:00 CEST: that day starts at
    // 23:00 UTC the evening before and ends at 22:00 UTC.
    let cph = chrono_tz::Europe::Copenhagen;
    for (instant, day) in [
        ("2027-03-27T22:59:59Z", "2027-03-27"),
        ("2027-03-27T23:00:00Z", "2027-03-28"),
        ("2027-03-28T01:30:00Z", "2027-03-28"),
        ("2027-03-28T21:59:59Z", "2027-03-28"),
        ("2027-03-28T22:00:00Z", "2027-03-29"),
        ("2027-10-30T22:00:00Z", "2027-10-31"),
        ("2027-10-31T22:59:59Z", "2027-10-31"),
        ("2027-10-31T23:00:00Z", "2027-11-01"),
    ] {
        assert_eq!(local_day(at(instant), cph), date(day), "{instant}");
    }
}

#[test]
fn local_day_in_nuuk_late_evening_is_not_the_utc_day() {
    let nuuk = chrono_tz::America::Nuuk;
    for day in ["2027-01-15", "2027-07-15"] {
        let d = date(day);
        let evening = nuuk
            .from_local_datetime(&d.and_hms_opt(23, 30, 0).unwrap())
            .single()
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(evening.date_naive(), d.succ_opt().unwrap(), "UTC is ahead");
        assert_eq!(local_day(evening, nuuk), d);
    }
}

// Status transitions

#[test]
fn every_action_from_every_status() {
    use StaffAction as A;
    use TicketStatus::*;
    let other = ServiceId(9);
    // (action, [(from, to)]); every status not listed must be refused.
    let table: [(StaffAction, &[(TicketStatus, TicketStatus)]); 9] = [
        (A::Call, &[(Waiting, Called)]),
        (A::Recall, &[(Called, Called)]),
        (A::Start, &[(Called, Serving)]),
        (A::Finish(Outcome::Resolved), &[(Serving, Finished)]),
        (A::Finish(Outcome::Referred), &[(Serving, Finished)]),
        (A::NoShow, &[(Called, NoShow)]),
        (
            A::Transfer(other),
            &[(Waiting, Waiting), (Called, Waiting), (Serving, Waiting)],
        ),
        (A::Park, &[(Called, Parked), (Serving, Parked)]),
        (A::Return, &[(Parked, Waiting)]),
    ];
    for (action, allowed) in table {
        for &from in TicketStatus::VARIANTS {
            let expected = allowed.iter().find(|(f, _)| *f == from).map(|(_, to)| *to);
            match (apply(from, action), expected) {
                (Ok(to), Some(want)) => assert_eq!(to, want, "{action:?} from {from}"),
                (Err(err), None) => {
                    assert_eq!(err, TransitionError { from, action });
                    assert!(
                        err.to_string().contains(&format!("it is {}", from.words())),
                        "{err}"
                    );
                }
                (got, want) => panic!("{action:?} from {from}: got {got:?}, want {want:?}"),
            }
        }
    }
}

#[test]
fn refusals_are_sentences_naming_status_and_action() {
    let err = apply(TicketStatus::Waiting, StaffAction::Start).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The ticket cannot be started: it is waiting, and only a called ticket can be started."
    );
    let err = apply(TicketStatus::Finished, StaffAction::Transfer(ServiceId(2))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The ticket cannot be transferred: it is finished, and only a waiting, called or \
         serving ticket can be transferred."
    );
    let err = apply(TicketStatus::NoShow, StaffAction::Park).unwrap_err();
    assert!(err
        .to_string()
        .contains("it is no-show, and only a called or serving"));
}

#[test]
fn final_statuses() {
    let finals: Vec<_> = TicketStatus::VARIANTS
        .iter()
        .filter(|s| s.is_final())
        .collect();
    assert_eq!(finals, [&TicketStatus::Finished, &TicketStatus::NoShow]);
    assert_eq!(TicketStatus::NoShow.to_string(), "no_show");
}

// Call next

pub(super) const NOW: &str = "2027-03-29T10:00:00Z";

#[test]
fn a_due_appointment_beats_a_walk_in_waiting_longer() {
    let desk = Desk::new(&[(1, 0)]);
    let queue = [
        walk_in(1, 1, "2027-03-29T09:20:00Z"),
        booked(2, 1, "2027-03-29T09:55:00Z", "2027-03-29T10:00:00Z"),
    ];
    assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(2)));
}

#[test]
fn due_appointments_go_by_booked_time_not_arrival() {
    let desk = Desk::new(&[(1, 0)]);
    let queue = [
        booked(1, 1, "2027-03-29T09:40:00Z", "2027-03-29T09:50:00Z"),
        booked(2, 1, "2027-03-29T09:30:00Z", "2027-03-29T09:45:00Z"),
    ];
    assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(2)));
}

#[test]
fn an_early_appointment_does_not_jump_ahead() {
    let desk = Desk::new(&[(1, 0)]);
    let early = booked(1, 1, "2027-03-29T09:30:00Z", "2027-03-29T10:15:00Z");
    let queue = [early, walk_in(2, 1, "2027-03-29T09:50:00Z")];
    assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(2)));
    // Once its time has come, it goes first.
    assert_eq!(
        call_next(desk.view(), at("2027-03-29T10:15:00Z"), &queue),
        Some(TicketId(1))
    );
    // An idle desk takes it early rather than wait.
    assert_eq!(call_next(desk.view(), at(NOW), &[early]), Some(TicketId(1)));
}

#[test]
fn priority_is_worth_five_minutes_a_step() {
    let desk = Desk::new(&[(1, 0), (2, 2)]);
    // The priority-2 errand has waited 9 minutes less: 10 minutes of bonus wins.
    let queue = [
        walk_in(1, 1, "2027-03-29T09:30:00Z"),
        walk_in(2, 2, "2027-03-29T09:39:00Z"),
    ];
    assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(2)));
    // 11 minutes less: the longer real wait wins.
    let queue = [
        walk_in(1, 1, "2027-03-29T09:30:00Z"),
        walk_in(2, 2, "2027-03-29T09:41:00Z"),
    ];
    assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(1)));
    assert_eq!(
        effective_wait(at("2027-03-29T09:41:00Z"), 2, at(NOW)),
        TimeDelta::minutes(29)
    );
}

#[test]
fn a_transferred_ticket_keeps_its_place_in_time() {
    // Ticket 1 queued for service 1 at 09:10, was served for a while, then transferred
    // to service 2: it keeps queued_at 09:10 and goes before those who came later.
    let desk = Desk::new(&[(2, 0)]);
    let transferred = walk_in(1, 2, "2027-03-29T09:10:00Z");
    let queue = [
        walk_in(2, 2, "2027-03-29T09:20:00Z"),
        walk_in(3, 2, "2027-03-29T09:30:00Z"),
        transferred,
    ];
    assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(1)));
    assert_eq!(position(TicketId(1), desk.view(), at(NOW), &queue), Some(0));
}

#[test]
fn a_desk_never_gets_a_service_it_does_not_serve() {
    let desk = Desk::new(&[(1, 0)]);
    let queue = [
        walk_in(1, 2, "2027-03-29T08:00:00Z"),
        booked(2, 3, "2027-03-29T08:00:00Z", "2027-03-29T09:00:00Z"),
    ];
    assert_eq!(call_next(desk.view(), at(NOW), &queue), None);
    assert_eq!(position(TicketId(1), desk.view(), at(NOW), &queue), None);
    let queue = [queue[0], queue[1], walk_in(3, 1, "2027-03-29T09:59:00Z")];
    assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(3)));
}

#[test]
fn ties_are_broken_by_arrival_then_id_whatever_the_input_order() {
    let desk = Desk::new(&[(1, 1), (2, 0)]);
    // Same effective wait: 2 and 3 arrived 5 minutes before 1, which has a step more.
    let mut queue = vec![
        walk_in(4, 2, "2027-03-29T09:35:00Z"),
        walk_in(3, 2, "2027-03-29T09:35:00Z"),
        walk_in(1, 1, "2027-03-29T09:40:00Z"),
        walk_in(2, 2, "2027-03-29T09:35:00Z"),
    ];
    for _ in 0..4 {
        queue.rotate_left(1);
        assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(2)));
    }
}

#[test]
fn nothing_waiting_means_nothing_to_call() {
    let desk = Desk::new(&[(1, 0)]);
    assert_eq!(call_next(desk.view(), at(NOW), &[]), None);
}

#[test]
fn extreme_priorities_do_not_overflow() {
    let desk = Desk::new(&[(1, i32::MAX), (2, i32::MIN)]);
    let queue = [
        walk_in(1, 2, "2027-03-29T08:00:00Z"),
        walk_in(2, 1, "2027-03-29T09:59:00Z"),
    ];
    assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(2)));
}

/// A random queue of up to 12 tickets over 4 services, some of them checked-in
/// appointments due or early, and a desk serving a random non-empty subset.
pub(super) fn random_case(rng: &mut StdRng) -> (Desk, Vec<WaitingTicket>) {
    let now = at(NOW);
    let services: Vec<(i64, i32)> = (1..=4)
        .map(|s| (s, rng.gen_range(-2..=3), rng.gen_bool(0.6)))
        .filter(|(_, _, served)| *served)
        .map(|(s, p, _)| (s, p))
        .collect();
    let desk = Desk::new(if services.is_empty() {
        &[(1, 0)]
    } else {
        &services
    });
    let n = rng.gen_range(0..=12);
    let queue = (0..n)
        .map(|i| {
            // Coarse minutes so that ties happen.
            let queued_at = now - TimeDelta::minutes(rng.gen_range(0..=12) * 5);
            let appointment_start = rng
                .gen_bool(0.3)
                .then(|| now + TimeDelta::minutes(rng.gen_range(-4..=4) * 5));
            WaitingTicket {
                id: TicketId(rng.gen_range(0..1000) * 100 + i),
                service: ServiceId(rng.gen_range(1..=4)),
                queued_at,
                appointment_start,
            }
        })
        .collect();
    (desk, queue)
}

#[test]
fn position_is_the_order_of_repeated_call_next() {
    let mut rng = StdRng::seed_from_u64(0x5c4a_2027);
    let now = at(NOW);
    for case in 0..500 {
        let (desk, queue) = random_case(&mut rng);
        let mut left = queue.clone();
        let mut called = Vec::new();
        while let Some(id) = call_next(desk.view(), now, &left) {
            left.retain(|t| t.id != id);
            called.push(id);
        }
        assert!(
            left.iter().all(|t| !desk.serves.contains(&t.service)),
            "case {case}: a servable ticket was left"
        );
        for t in &queue {
            let expected = called.iter().position(|id| *id == t.id).map(|i| i as u32);
            assert_eq!(
                position(t.id, desk.view(), now, &queue),
                expected,
                "case {case}: {t:?} in {queue:?}"
            );
        }
    }
}

// Estimated wait

#[test]
fn estimated_wait_shares_the_queue_between_open_desks() {
    assert_eq!(estimated_wait_minutes(0, 8.0, 1), Some(0));
    assert_eq!(estimated_wait_minutes(3, 8.0, 1), Some(24));
    assert_eq!(estimated_wait_minutes(3, 8.0, 2), Some(12));
    assert_eq!(
        estimated_wait_minutes(1, 7.0, 3),
        Some(2),
        "2.33 rounds to 2"
    );
    assert_eq!(estimated_wait_minutes(u32::MAX, 1e9, 1), Some(u32::MAX));
}

#[test]
fn no_open_desk_gives_no_estimate() {
    assert_eq!(estimated_wait_minutes(3, 8.0, 0), None);
    assert_eq!(estimated_wait_minutes(3, f64::NAN, 1), None);
    assert_eq!(estimated_wait_minutes(3, -1.0, 1), None);
}

#[test]
fn rolling_mean_starts_from_the_prior_and_keeps_the_last_n() {
    let mut mean = RollingMean::new(10.0);
    assert_eq!(
        mean.mean_minutes(),
        10.0,
        "no history: the configured duration"
    );
    assert!(mean.is_empty());

    mean.push(TimeDelta::minutes(4));
    mean.push(TimeDelta::seconds(90));
    assert_eq!(mean.mean_minutes(), 2.75);

    mean.extend((0..RollingMean::DEFAULT_WINDOW).map(|_| TimeDelta::minutes(6)));
    assert_eq!(mean.len(), RollingMean::DEFAULT_WINDOW);
    assert_eq!(mean.mean_minutes(), 6.0, "the first two have rolled out");
}

#[test]
fn rolling_mean_ignores_negative_durations_and_a_zero_window() {
    let mut mean = RollingMean::with_window(5.0, 0);
    mean.push(TimeDelta::minutes(-3));
    assert_eq!(mean.mean_minutes(), 5.0);
    mean.push(TimeDelta::minutes(2));
    mean.push(TimeDelta::minutes(8));
    assert_eq!(mean.mean_minutes(), 8.0, "a window of one");
}

#[test]
fn a_no_show_or_a_finish_is_undone_within_the_window_by_whoever_did_it() {
    let soon = TimeDelta::seconds(UNDO_WINDOW_SECONDS);
    assert_eq!(
        undo("no_show", TicketStatus::NoShow, soon, true),
        Ok(TicketStatus::Called)
    );
    assert_eq!(
        undo(
            "finish",
            TicketStatus::Finished,
            TimeDelta::seconds(1),
            true
        ),
        Ok(TicketStatus::Serving)
    );
    assert_eq!(
        undo(
            "no_show",
            TicketStatus::NoShow,
            soon + TimeDelta::seconds(1),
            true
        ),
        Err(UndoError::TooLate("no-show"))
    );
    assert_eq!(
        undo(
            "finish",
            TicketStatus::Finished,
            TimeDelta::seconds(1),
            false
        ),
        Err(UndoError::SomeoneElse)
    );
    // A ticket that moved on since (the last event is not the no-show) has nothing to undo.
    assert_eq!(
        undo("call", TicketStatus::Called, TimeDelta::seconds(1), true),
        Err(UndoError::NothingToUndo)
    );
    assert_eq!(
        undo("no_show", TicketStatus::Called, TimeDelta::seconds(1), true),
        Err(UndoError::NothingToUndo)
    );
}
