//! Which characters text from outside may hold: no control characters. No name, address,
//! slug, reference, token or password needs one; they garble logs, mails and pages; and
//! PostgreSQL refuses NUL in text outright. No input takes multi-line free text yet; one
//! that does (a comment) would allow tab and line breaks, and nothing else of these.

/// The first control character in `text`: C0 (U+0000 to U+001F, tab and line breaks
/// included), DEL (U+007F) or C1 (U+0080 to U+009F).
pub fn forbidden_char(text: &str) -> Option<char> {
    text.chars().find(|c| c.is_control())
}

/// The message for a field that holds a control character; it names the character and
/// never repeats the text, which may be a password.
pub fn forbidden_message(c: char) -> String {
    format!(
        "must not contain control characters (found U+{:04X})",
        u32::from(c)
    )
}

/// `text` with each control character shown as U+FFFD, to name a field that holds one.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_and_ordinary_text_is_not() {
        for ok in ["Ada Jensen", "Ærø-Søndergård", "a+b@example.dk", "", "😀 ✓"] {
            assert_eq!(forbidden_char(ok), None, "{ok:?}");
        }
        assert_eq!(forbidden_char("a\u{0}b"), Some('\u{0}'));
        assert_eq!(forbidden_char("a\u{1b}[2J"), Some('\u{1b}'));
        assert_eq!(forbidden_char("del\u{7f}"), Some('\u{7f}'));
        assert_eq!(forbidden_char("c1\u{85}"), Some('\u{85}'));
        assert_eq!(forbidden_char("two\nlines"), Some('\n'));
        assert_eq!(forbidden_char("tab\there"), Some('\t'));
    }

    #[test]
    fn the_message_names_the_character_not_the_text() {
        assert_eq!(
            forbidden_message('\u{0}'),
            "must not contain control characters (found U+0000)"
        );
        assert_eq!(printable("na\u{0}me"), "na\u{fffd}me");
    }
}
