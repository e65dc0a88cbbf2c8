//! Which ticket a desk calls next, and a ticket's position: one ordering decides both.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};

use super::status::TicketId;
use crate::domain::ids::ServiceId;

/// Minutes of waiting that one step of service priority is worth.
///
/// A priority-1 errand is called as if its citizen had waited five minutes longer than
/// they have: enough to favour short errands or vulnerable groups when waits are close,
/// small enough that a low-priority citizen is never starved (after 5 × Δpriority minutes
/// of extra waiting they are ahead again).
pub const PRIORITY_MINUTES: i64 = 5;

pub(super) const MS_PER_MINUTE: i64 = 60_000;

/// A ticket in the queue, as the calling rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitingTicket {
    pub id: TicketId,
    pub service: ServiceId,
    /// When the citizen first joined the queue; a transfer keeps it, so the citizen
    /// keeps their place in time in the new queue.
    pub queued_at: DateTime<Utc>,
    /// The booked start of a checked-in appointment; `None` for a walk-in.
    pub appointment_start: Option<DateTime<Utc>>,
}

/// What one desk can take: the services it serves and their priorities
/// (higher is called sooner; a service without one has priority 0).
#[derive(Debug, Clone, Copy)]
pub struct DeskView<'a> {
    pub serves: &'a HashSet<ServiceId>,
    pub priority: &'a HashMap<ServiceId, i32>,
}

impl DeskView<'_> {
    fn can_serve(&self, ticket: &WaitingTicket) -> bool {
        self.serves.contains(&ticket.service)
    }

    fn priority_of(&self, service: ServiceId) -> i32 {
        self.priority.get(&service).copied().unwrap_or(0)
    }
}

/// The three groups of the queue, in calling order.
///
/// An appointment checked in early waits in the last group until its time comes: calling it
/// early would make walk-ins who came first wait for someone who is not due yet. It is
/// still called early when nothing else waits that the desk can serve, since an idle desk
/// helps nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    DueAppointment,
    WalkIn,
    EarlyAppointment,
}

/// The sort key of a ticket at `now`: the smallest key is called first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct CallKey {
    group: Group,
    /// Appointments: the booked start in ms (earliest first). Walk-ins: `queued_at` moved
    /// back by the priority bonus, in ms; the smallest has the longest effective wait.
    /// Milliseconds in an i64 cannot overflow for any i32 priority, unlike a `DateTime`.
    rank: i64,
    queued_at: DateTime<Utc>,
    id: TicketId,
}

/// The effective wait that orders walk-ins: the real wait plus the priority bonus.
pub fn effective_wait(queued_at: DateTime<Utc>, priority: i32, now: DateTime<Utc>) -> TimeDelta {
    (now - queued_at) + TimeDelta::minutes(i64::from(priority) * PRIORITY_MINUTES)
}

/// Ranks by `now − queued_at + bonus` descending, written as `queued_at − bonus` ascending:
/// the same order, but independent of `now`, so walk-ins never overtake each other.
pub(super) fn call_key(ticket: &WaitingTicket, desk: DeskView<'_>, now: DateTime<Utc>) -> CallKey {
    let (group, rank) = match ticket.appointment_start {
        Some(start) if start <= now => (Group::DueAppointment, start.timestamp_millis()),
        Some(start) => (Group::EarlyAppointment, start.timestamp_millis()),
        None => {
            let bonus = i64::from(desk.priority_of(ticket.service)) * PRIORITY_MINUTES;
            (
                Group::WalkIn,
                ticket.queued_at.timestamp_millis() - bonus * MS_PER_MINUTE,
            )
        }
    };
    CallKey {
        group,
        rank,
        queued_at: ticket.queued_at,
        id: ticket.id,
    }
}

/// The ticket that `desk` should call at `now`, or `None` when nothing waits that it can
/// serve: first checked-in appointments whose time has come (earliest booking first),
/// then the longest effective wait (see [`effective_wait`]), then appointments checked
/// in early; ties go to the earlier `queued_at`, then the lower id.
pub fn call_next(
    desk: DeskView<'_>,
    now: DateTime<Utc>,
    waiting: &[WaitingTicket],
) -> Option<TicketId> {
    waiting
        .iter()
        .filter(|t| desk.can_serve(t))
        .min_by_key(|t| call_key(t, desk, now))
        .map(|t| t.id)
}

/// How many tickets `desk` would call before `ticket` if it called again and again at
/// `now` with no one else arriving; `None` when the ticket is not waiting or the desk does
/// not serve it.
///
/// Simplifications: the desks open for a service are treated as one desk serving all the
/// services in `desk.serves` (pass the union of the services of the desks that serve the
/// ticket's service, or only that service when desks are dedicated); and time is frozen
/// at `now`, so an early appointment that becomes due later will then move ahead.
pub fn position(
    ticket: TicketId,
    desk: DeskView<'_>,
    now: DateTime<Utc>,
    waiting: &[WaitingTicket],
) -> Option<u32> {
    let me = waiting
        .iter()
        .find(|t| t.id == ticket)
        .filter(|t| desk.can_serve(t))?;
    let my_key = call_key(me, desk, now);
    let ahead = waiting
        .iter()
        .filter(|t| desk.can_serve(t) && call_key(t, desk, now) < my_key)
        .count();
    Some(u32::try_from(ahead).unwrap_or(u32::MAX))
}
