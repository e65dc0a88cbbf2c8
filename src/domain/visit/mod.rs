//! A visit: the errands a citizen comes for, each with a quantity ("2 × pas"), and the needs
//! they state (an interpreter, a step-free desk, extra time). This module owns how long a
//! visit takes, how many errands one visit may combine, what the needs ask of the time and
//! the desk, and which booking capacity can take the whole visit at one desk.
//!
//! A visit of one errand with no needs is exactly the one-errand booking of before: the same
//! duration, buffer, grid and capacity.

mod desks;
mod length;
mod limits;
mod needs;
#[cfg(test)]
pub(crate) mod tests;

pub use desks::{visit_capacity, DeskOffer, PoolRule, VisitCapacity};
pub use length::{booking_rules, ErrandTerms};
pub use limits::{check_lines, VisitRefusal};
pub use needs::{
    desk_features, extra_minutes, parse_need_kinds, parse_needs, DeskFeature, Need, NeedKind,
    NeedSpec, MAX_NEED_DETAIL_CHARS,
};

/// One line of a visit: an errand and how many of it the citizen comes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitLine<S> {
    pub service: S,
    pub quantity: u32,
}

impl<S> VisitLine<S> {
    /// A line of one unit, as every booking of one errand is.
    pub fn one(service: S) -> Self {
        Self {
            service,
            quantity: 1,
        }
    }
}
