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

/// The first of [`ENGLISH`] that `text` holds as a word of its own, if any.
pub fn english_word(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).collect();
    ENGLISH.iter().copied().find(|word| words.contains(word))
}
