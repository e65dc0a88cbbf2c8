//! [`call_next`] and [`position`] from what an index answers cheaply, so that neither
//! reads the whole queue: walk-ins of one errand are ordered by `(queued_at, id)` alone,
//! so a desk needs only the first walk-in per priority, and a ticket's place only a count
//! per errand; checked-in appointments, which are few, are read whole.
//!
//! [`call_next`]: super::call_next
//! [`position`]: super::position

use chrono::{DateTime, Utc};

use super::call::{call_key, DeskView, WaitingTicket, MS_PER_MINUTE, PRIORITY_MINUTES};
use super::status::TicketId;
use crate::domain::ids::ServiceId;

/// The walk-ins of one errand that come before a ticket: those queued before `before`,
/// and those queued before `tie_until` that precede `me` by `(queued_at, id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkInsBefore {
    pub service: ServiceId,
    pub before: DateTime<Utc>,
    pub tie_until: DateTime<Utc>,
    pub me: (DateTime<Utc>, TicketId),
}

impl WalkInsBefore {
    /// Whether a walk-in is among them: the condition the store counts with.
    pub fn contains(&self, t: &WaitingTicket) -> bool {
        t.service == self.service
            && (t.queued_at < self.before
                || (t.queued_at < self.tie_until && (t.queued_at, t.id) < self.me))
    }
}

/// Which walk-ins a desk would call before a ticket: every one of the errands in `whole`,
/// and those within the bounds of `before`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WalkInsAhead {
    pub whole: Vec<ServiceId>,
    pub before: Vec<WalkInsBefore>,
}

impl WalkInsAhead {
    pub fn contains(&self, t: &WaitingTicket) -> bool {
        t.appointment_start.is_none()
            && (self.whole.contains(&t.service) || self.before.iter().any(|b| b.contains(t)))
    }
}

/// The earliest and latest instants a bound is given as (years 1 and 9999); beyond them a
/// bound means "none" or "all", so extreme priorities never reach the database as odd
/// timestamps.
const FIRST_MS: i64 = -62_135_596_800_000;
const LAST_MS: i64 = 253_402_300_799_000;

/// The walk-ins that `desk` would call before `me` at `now`, as bounds the store counts;
/// `None` when the desk does not serve `me`. Add [`appointments_ahead`] for the position.
pub fn walk_ins_ahead(
    me: &WaitingTicket,
    desk: DeskView<'_>,
    now: DateTime<Utc>,
) -> Option<WalkInsAhead> {
    if !desk.serves.contains(&me.service) {
        return None;
    }
    let mut served: Vec<ServiceId> = desk.serves.iter().copied().collect();
    served.sort();
    let mut ahead = WalkInsAhead::default();
    match me.appointment_start {
        // A due appointment goes before every walk-in; an early one after all of them.
        Some(start) if start <= now => {}
        Some(_) => ahead.whole = served,
        None => {
            let bonus_ms = |s: ServiceId| {
                i64::from(desk.priority.get(&s).copied().unwrap_or(0))
                    * PRIORITY_MINUTES
                    * MS_PER_MINUTE
            };
            let my_rank = me.queued_at.timestamp_millis() - bonus_ms(me.service);
            for s in served {
                // A walk-in of `s` ranks before me when its queued_at, floored to the ms,
                // is before `my_rank + bonus(s)`: that is, when it is before that instant.
                let k = my_rank + bonus_ms(s);
                if k < FIRST_MS {
                    continue;
                }
                let bounds = (k < LAST_MS)
                    .then(|| {
                        DateTime::from_timestamp_millis(k)
                            .zip(DateTime::from_timestamp_millis(k + 1))
                    })
                    .flatten();
                match bounds {
                    Some((before, tie_until)) => ahead.before.push(WalkInsBefore {
                        service: s,
                        before,
                        tie_until,
                        me: (me.queued_at, me.id),
                    }),
                    None => ahead.whole.push(s),
                }
            }
        }
    }
    Some(ahead)
}

/// How many of the checked-in `appointments` (waiting, any errand) `desk` would call
/// before `me` at `now`.
pub fn appointments_ahead(
    me: &WaitingTicket,
    desk: DeskView<'_>,
    now: DateTime<Utc>,
    appointments: &[WaitingTicket],
) -> u32 {
    let mine = call_key(me, desk, now);
    let ahead = appointments
        .iter()
        .filter(|t| t.id != me.id && desk.serves.contains(&t.service))
        .filter(|t| call_key(t, desk, now) < mine)
        .count();
    u32::try_from(ahead).unwrap_or(u32::MAX)
}

/// The errands a desk serves, grouped by priority: the first walk-in (by `queued_at`, then
/// id) of each group, with the checked-in appointments, is all [`super::call_next`] needs.
pub fn priority_groups(desk: DeskView<'_>) -> Vec<Vec<ServiceId>> {
    let mut by_priority: Vec<(i32, ServiceId)> = desk
        .serves
        .iter()
        .map(|s| (desk.priority.get(s).copied().unwrap_or(0), *s))
        .collect();
    by_priority.sort();
    let mut groups: Vec<(i32, Vec<ServiceId>)> = Vec::new();
    for (priority, service) in by_priority {
        match groups.last_mut() {
            Some((p, services)) if *p == priority => services.push(service),
            _ => groups.push((priority, vec![service])),
        }
    }
    groups.into_iter().map(|(_, services)| services).collect()
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;
    use crate::domain::queue::tests::{at, random_case, NOW};
    use crate::domain::queue::{call_next, position};

    fn count(ahead: &WalkInsAhead, queue: &[WaitingTicket]) -> u32 {
        queue.iter().filter(|t| ahead.contains(t)).count() as u32
    }

    /// The count and the appointments give exactly the position of the whole-queue rule.
    #[test]
    fn the_indexed_position_is_the_position() {
        let mut rng = StdRng::seed_from_u64(0x1d3e_2027);
        let now = at(NOW);
        for case in 0..2000 {
            let (desk, queue) = random_case(&mut rng);
            let appointments: Vec<_> = queue
                .iter()
                .filter(|t| t.appointment_start.is_some())
                .copied()
                .collect();
            for me in &queue {
                let indexed = walk_ins_ahead(me, desk.view(), now).map(|ahead| {
                    count(&ahead, &queue) + appointments_ahead(me, desk.view(), now, &appointments)
                });
                assert_eq!(
                    indexed,
                    position(me.id, desk.view(), now, &queue),
                    "case {case}: {me:?} in {queue:?}"
                );
            }
        }
    }

    /// The first walk-in of each priority group and the appointments are enough to call.
    #[test]
    fn the_heads_of_the_groups_call_as_the_whole_queue() {
        let mut rng = StdRng::seed_from_u64(0x4ead_2027);
        let now = at(NOW);
        for case in 0..2000 {
            let (desk, queue) = random_case(&mut rng);
            let mut shortlist: Vec<_> = queue
                .iter()
                .filter(|t| t.appointment_start.is_some())
                .copied()
                .collect();
            for group in priority_groups(desk.view()) {
                let head = queue
                    .iter()
                    .filter(|t| t.appointment_start.is_none() && group.contains(&t.service))
                    .min_by_key(|t| (t.queued_at, t.id));
                shortlist.extend(head.copied());
            }
            assert_eq!(
                call_next(desk.view(), now, &shortlist),
                call_next(desk.view(), now, &queue),
                "case {case}: {queue:?}"
            );
        }
    }

    #[test]
    fn extreme_priorities_name_whole_errands() {
        let desk = crate::domain::queue::tests::Desk::new(&[(1, i32::MAX), (2, i32::MIN)]);
        let me = WaitingTicket {
            id: TicketId(1),
            service: ServiceId(2),
            queued_at: at(NOW),
            appointment_start: None,
        };
        let ahead = walk_ins_ahead(&me, desk.view(), at(NOW)).expect("served");
        assert_eq!(ahead.whole, vec![ServiceId(1)]);
        assert_eq!(ahead.before.len(), 1);
        assert_eq!(ahead.before[0].before, at(NOW));
    }
}
