//! The waitlist: entries in the order they joined, and the holds on freed times.

mod entries;
mod holds;

pub use entries::*;
pub use holds::*;
