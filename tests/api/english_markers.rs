//! Words that give an English page away, for the tests that read Danish pages.

/// Words that only an English page would hold, and slugs that no page may show.
pub const ENGLISH: [&str; 14] = [
    "the",
    "booking",
    "error",
    "please",
    "your",
    "you",
    "choose",
    "cancelled",
    "booked",
    "waiting",
    "found",
    "slot",
    "errand",
    "expected",
];
