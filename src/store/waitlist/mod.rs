//! The waitlist: entries in the order they joined, the visits they wait for, and the holds
//! on freed times.

mod entries;
mod holds;
mod visits;

pub use entries::*;
pub use holds::*;
pub use visits::*;
