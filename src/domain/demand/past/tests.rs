use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};

use super::{past_days, PastDay};
use crate::domain::booking::AppointmentStatus;
use crate::domain::demand::{synthetic_history, DemandModel, DemandRecord};
use crate::domain::organisation::OrganisationSpec;
use crate::domain::queue::TicketStatus;

fn spec() -> &'static OrganisationSpec {
    static SPEC: OnceLock<OrganisationSpec> = OnceLock::new();
    SPEC.get_or_init(|| {
        crate::import::parse_organisation(
            "organisation.toml",
            include_str!("../../../../examples/organisation.toml"),
        )
        .unwrap()
    })
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Three weeks around the turn of a month, and what they become.
fn generated() -> &'static (Vec<DemandRecord>, Vec<PastDay>) {
    static PAST: OnceLock<(Vec<DemandRecord>, Vec<PastDay>)> = OnceLock::new();
    PAST.get_or_init(|| {
        let records = synthetic_history(spec(), date("2026-05-20"), date("2026-06-10"), 7);
        let days = past_days(spec(), &records, 7);
        (records, days)
    })
}

fn quarter(t: DateTime<Utc>) -> i64 {
    t.timestamp() / 900 * 900
}

#[test]
fn every_record_becomes_exactly_its_tickets_and_bookings() {
    let (records, days) = generated();
    // (location, service, quarter) → walk-ins, booked, no-shows, served, handling seconds
    let mut counted: BTreeMap<(String, String, i64), [i64; 5]> = BTreeMap::new();
    for day in days {
        for v in &day.visits {
            let key =
                |t: DateTime<Utc>| (day.location.to_string(), v.service.to_string(), quarter(t));
            match (&v.booking, &v.ticket) {
                (None, Some(t)) => {
                    let c = counted.entry(key(t.queued_at)).or_default();
                    c[0] += 1;
                    if t.status == TicketStatus::Finished {
                        c[3] += 1;
                        c[4] += (t.finished_at - t.called_at).num_seconds();
                    }
                }
                (Some(b), ticket) if b.status != AppointmentStatus::Cancelled => {
                    let c = counted.entry(key(b.starts_at)).or_default();
                    c[1] += 1;
                    match (b.status, ticket) {
                        (AppointmentStatus::Booked | AppointmentStatus::NoShow, None) => c[2] += 1,
                        (AppointmentStatus::Completed, None) => c[3] += 1,
                        (AppointmentStatus::CheckedIn, Some(t)) => {
                            c[3] += 1;
                            c[4] += (t.finished_at - t.called_at).num_seconds();
                        }
                        other => panic!("a booking in an impossible state: {other:?}"),
                    }
                }
                (Some(_), None) => {}
                other => panic!("a visit of neither kind: {other:?}"),
            }
        }
    }
    let mut expected: BTreeMap<(String, String, i64), [i64; 5]> = BTreeMap::new();
    let (mut seconds_off, mut total) = (0, 0);
    let at_desk = |r: &DemandRecord| {
        spec()
            .services
            .iter()
            .any(|s| s.slug == r.service && s.channel.served_at_desk())
    };
    for r in records {
        let key = (
            r.location.to_string(),
            r.service.to_string(),
            quarter(r.interval_start),
        );
        let got = counted.get(&key).copied().unwrap_or_default();
        expected.insert(
            key,
            [r.walk_ins, r.booked, r.no_shows, r.served, 0].map(i64::from),
        );
        // Whole seconds per citizen; remote meetings have no ticket to time.
        if at_desk(r) {
            seconds_off += (got[4] - i64::from(r.service_seconds)).abs();
            total += i64::from(r.service_seconds);
        }
    }
    type Key = (String, String, i64);
    let strip = |m: &BTreeMap<Key, [i64; 5]>| -> BTreeMap<Key, [i64; 4]> {
        m.iter()
            .map(|(k, v)| (k.clone(), [v[0], v[1], v[2], v[3]]))
            .filter(|(_, v)| v.iter().any(|x| *x > 0))
            .collect()
    };
    assert_eq!(strip(&counted), strip(&expected));
    assert!(
        (seconds_off as f64) < 0.01 * total as f64,
        "handling times add up to the records' ({seconds_off} of {total} s apart)"
    );
}

#[test]
fn numbers_are_gap_free_per_queue_and_day_in_the_order_of_issue() {
    let (_, days) = generated();
    for day in days {
        let mut by_prefix: HashMap<char, Vec<(DateTime<Utc>, u32)>> = HashMap::new();
        for t in day.visits.iter().filter_map(|v| v.ticket.as_ref()) {
            by_prefix
                .entry(t.prefix)
                .or_default()
                .push((t.queued_at, t.seq));
        }
        for (prefix, mut tickets) in by_prefix {
            tickets.sort();
            let seqs: Vec<u32> = tickets.iter().map(|(_, s)| *s).collect();
            let want: Vec<u32> = (1..=seqs.len() as u32).collect();
            assert_eq!(seqs, want, "{} {} {prefix}", day.location, day.date);
        }
    }
}

#[test]
fn every_ticket_follows_the_state_machine_at_a_desk_that_serves_it() {
    let (_, days) = generated();
    let mut finished = 0;
    for day in days {
        let location = spec()
            .locations
            .iter()
            .find(|l| l.slug == day.location)
            .unwrap();
        for v in &day.visits {
            let Some(t) = &v.ticket else { continue };
            assert!(t.queued_at <= t.called_at, "{t:?}");
            let desk = &location.desks[t.desk.expect("called at a desk")];
            assert!(desk.services.contains(&v.service), "{t:?}");
            let session = day.desks.iter().find(|s| Some(s.desk) == t.desk).unwrap();
            assert!(session.opens <= t.called_at && t.finished_at <= session.closes);
            assert_eq!(session.staff, t.staff);
            match t.status {
                TicketStatus::Finished => {
                    finished += 1;
                    let started = t.started_at.expect("started before it finished");
                    assert!(t.called_at <= started && started <= t.finished_at, "{t:?}");
                    assert!(t.outcome.is_some() && t.recalled_at.is_none());
                }
                TicketStatus::NoShow => {
                    assert!(t.started_at.is_none() && t.outcome.is_none());
                    assert!(t
                        .recalled_at
                        .is_some_and(|r| t.called_at < r && r < t.finished_at));
                }
                other => panic!("a past ticket still {other}"),
            }
        }
    }
    assert!(
        finished > 1000,
        "{finished} finished tickets in three weeks"
    );
}

#[test]
fn the_same_seed_gives_the_same_past_and_each_day_its_own_desk_people() {
    let (records, days) = generated();
    let again = past_days(spec(), records, 7);
    let ids = |d: &[PastDay]| -> Vec<String> {
        d.iter()
            .flat_map(|d| {
                d.visits
                    .iter()
                    .filter_map(|v| v.ticket.as_ref().map(|t| t.public_id.clone()))
            })
            .collect()
    };
    assert_eq!(ids(days), ids(&again));
    for day in days {
        let mut people: Vec<usize> = day.desks.iter().filter_map(|s| s.staff).collect();
        let n = people.len();
        people.sort_unstable();
        people.dedup();
        assert_eq!(people.len(), n, "nobody sits at two desks on {}", day.date);
    }
}

/// The demo draws and simulates each location on a thread of its own: the locations drawn
/// apart make the same records and the same past as drawn together.
#[test]
fn locations_drawn_apart_make_the_same_past() {
    let (records, days) = generated();
    let model = DemandModel::new(spec());
    let (first, last) = (date("2026-05-20"), date("2026-06-10"));
    let mut apart = Vec::new();
    let mut past = Vec::new();
    for slug in model.locations() {
        let one = model.location_history(slug, first, last, 7);
        past.extend(past_days(spec(), &one, 7));
        apart.extend(one);
    }
    assert_eq!(&apart, records);
    let shape = |d: &[PastDay]| -> Vec<(String, NaiveDate, usize, Vec<String>)> {
        d.iter()
            .map(|d| {
                let ids = d
                    .visits
                    .iter()
                    .filter_map(|v| v.ticket.as_ref().map(|t| t.public_id.clone()))
                    .collect();
                (d.location.to_string(), d.date, d.desks.len(), ids)
            })
            .collect()
    };
    assert_eq!(shape(&past), shape(days));
}

#[test]
fn references_alike_are_drawn_again_and_the_rest_kept() {
    let (_, days) = generated();
    let mut days = days.clone();
    let references = |d: &[PastDay]| -> Vec<String> {
        d.iter()
            .flat_map(|d| d.visits.iter())
            .filter_map(|v| v.booking.as_ref().map(|b| b.reference.clone()))
            .collect()
    };
    let before = references(&days);
    assert!(before.len() > 2, "{} bookings", before.len());
    // The second booking made the same as the first.
    let twin = before[0].clone();
    let second = days
        .iter_mut()
        .flat_map(|d| d.visits.iter_mut())
        .filter_map(|v| v.booking.as_mut())
        .nth(1)
        .unwrap();
    second.reference = twin;
    super::make_references_unique(&mut days, 7);
    let after = references(&days);
    let distinct: std::collections::HashSet<&String> = after.iter().collect();
    assert_eq!(distinct.len(), after.len());
    assert_eq!(after[0], before[0]);
    assert_ne!(after[1], before[0]);
    assert_eq!(after[2..], before[2..]);
}
