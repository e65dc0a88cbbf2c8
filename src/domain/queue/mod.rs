//! The walk-in queue: ticket numbers, what staff may do to a ticket, which ticket a desk
//! calls next, and how long a citizen can expect to wait.
//!
//! Everything is pure: the caller passes `now` and a snapshot of the waiting tickets, and
//! gets back a decision to store. One ordering, [`CallKey`], decides both [`call_next`] and
//! [`position`], so the position shown on a ticket is the order in which desks will call it.
//!
//! [`CallKey`]: call::CallKey

mod ahead;
mod call;
mod number;
mod status;
#[cfg(test)]
mod tests;
mod visit;
mod wait;

pub use ahead::{appointments_ahead, priority_groups, walk_ins_ahead, WalkInsAhead, WalkInsBefore};
pub use call::{call_next, effective_wait, position, DeskView, WaitingTicket, PRIORITY_MINUTES};
pub use number::{local_day, next_seq, TicketNumber};
pub use status::{
    apply, undo, Outcome, StaffAction, TicketId, TicketStatus, TransitionError, UndoError,
    UNDO_WINDOW_SECONDS,
};
pub use visit::{
    errand_outcomes, may_call, visit_outcome, DeskAbility, ErrandLine, ErrandOutcomes, VisitTicket,
};
pub use wait::{estimated_wait_minutes, RollingMean};
