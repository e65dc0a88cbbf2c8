//! Which desk called each past ticket and who sat there: the desk that serves the errand and
//! is free soonest, and for each desk used that day one person who may work at the
//! location and handles its errands.

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;

use super::{DeskSession, PastVisit};
use crate::domain::organisation::{LocationSpec, OrganisationSpec};

/// A desk is opened a little before its first call and closed a little after its last end.
const OPEN_EARLY_MINUTES: i64 = 10;
const CLOSE_LATE_MINUTES: i64 = 5;

/// Sets each ticket's desk and person, and returns the desks' sessions of the day.
pub(super) fn assign(
    spec: &OrganisationSpec,
    location: &LocationSpec,
    visits: &mut [PastVisit],
    rng: &mut StdRng,
) -> Vec<DeskSession> {
    let desks = &location.desks;
    let mut busy_until: Vec<Option<DateTime<Utc>>> = vec![None; desks.len()];
    let mut used: Vec<Option<(DateTime<Utc>, DateTime<Utc>)>> = vec![None; desks.len()];
    let mut order: Vec<usize> = (0..visits.len())
        .filter(|i| visits[*i].ticket.is_some())
        .collect();
    order.sort_by_key(|i| visits[*i].ticket.as_ref().map(|t| t.called_at));
    for i in order {
        let service = visits[i].service.clone();
        let serving: Vec<usize> = (0..desks.len())
            .filter(|d| desks[*d].services.contains(&service))
            .collect();
        // A staffed counter when there is one; a resource (a citizen PC) otherwise.
        let staffed: Vec<usize> = serving
            .iter()
            .copied()
            .filter(|d| desks[*d].kind.is_staffed())
            .collect();
        let candidates = if staffed.is_empty() { serving } else { staffed };
        let ticket = visits[i].ticket.as_mut().expect("filtered on tickets");
        let Some(desk) = candidates
            .into_iter()
            .min_by_key(|d| busy_until[*d].map_or(ticket.called_at, |b| b.max(ticket.called_at)))
        else {
            continue;
        };
        ticket.desk = Some(desk);
        busy_until[desk] = Some(ticket.finished_at);
        let span = used[desk].get_or_insert((ticket.called_at, ticket.finished_at));
        span.0 = span.0.min(ticket.called_at);
        span.1 = span.1.max(ticket.finished_at);
    }

    // Those who may work here come first; on a day busier than they can cover, a
    // colleague from elsewhere helps out.
    let works_here = |p: &usize| {
        let s = &spec.staff[*p];
        s.home_location.as_ref() == Some(&location.slug) || s.locations.contains(&location.slug)
    };
    let (mut people, mut others): (Vec<usize>, Vec<usize>) =
        (0..spec.staff.len()).partition(works_here);
    people.shuffle(rng);
    others.shuffle(rng);
    people.extend(others);
    let mut sessions = Vec::new();
    for (desk, span) in used.iter().enumerate() {
        let Some((first, last)) = span else { continue };
        let staff = if desks[desk].kind.is_staffed() {
            let handles = |p: &usize| {
                spec.staff[*p]
                    .services
                    .iter()
                    .any(|s| desks[desk].services.contains(s))
            };
            let pick = people
                .iter()
                .position(handles)
                .or((!people.is_empty()).then_some(0));
            pick.map(|at| people.remove(at))
        } else {
            None
        };
        sessions.push(DeskSession {
            desk,
            staff,
            opens: *first - Duration::minutes(rng.gen_range(1..=OPEN_EARLY_MINUTES)),
            closes: *last + Duration::minutes(rng.gen_range(1..=CLOSE_LATE_MINUTES)),
        });
    }
    for visit in visits.iter_mut() {
        if let Some(ticket) = visit.ticket.as_mut() {
            ticket.staff = ticket
                .desk
                .and_then(|d| sessions.iter().find(|s| s.desk == d))
                .and_then(|s| s.staff);
        }
    }
    sessions
}
