//! The roster optimiser's inner loops, over each person's week: the best week for one
//! person when each shift has a value, the local search that improves everyone's weeks by
//! it, and the Lagrangian lower bound built on it. Skranke's `domain::roster` makes the
//! people and their possible shifts from a problem and calls these.
//!
//! They are where a planned week spends nearly all its time, so they are a crate of their
//! own: debug builds compile it optimised (see the workspace's `Cargo.toml`), as they do
//! the other dependencies, while Skranke itself stays quick to compile.

pub mod lagrange;
pub mod search;
pub mod week;

/// The least rest between the end of one shift and the start of the next.
pub const MIN_REST_HOURS: i64 = 11;

/// The weights of the objective, far enough apart to act lexicographically on the sizes
/// planned here: a whole week's travel and fairness cost less than one over-covered
/// interval, and all over-cover less than one uncovered one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Per staff-interval short of the requirement.
    pub uncovered: f64,
    /// Per staff-interval beyond it.
    pub over: f64,
    /// Per shift away from home.
    pub travel: f64,
    /// Per hour of deviation from the contract share.
    pub fairness: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            uncovered: 1000.0,
            over: 1.0,
            travel: 0.01,
            fairness: 0.0001,
        }
    }
}
