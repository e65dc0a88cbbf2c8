//! The waitlist: entries in the order they joined, the holds on freed times, and their mail.

mod entries;
mod holds;
mod mail;

pub use entries::*;
pub use holds::*;
pub use mail::*;
