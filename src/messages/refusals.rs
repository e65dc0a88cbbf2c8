//! What a citizen is told when a form is refused: a text per field that says what to do.

use super::catalogue::text;
use crate::domain::booking::Language;
use crate::domain::FieldError;

/// What to do about each field the citizen can mend, in the citizen's language; a refusal
/// that names no such field is a time that cannot be booked.
pub fn field_errors(lang: Language, errors: &[FieldError]) -> String {
    let mut texts: Vec<&str> = errors
        .iter()
        .map(|e| match e.field.as_str() {
            "name" | "citizen.name" => "error.name",
            "email" | "citizen.email" => "error.email",
            "phone" | "citizen.phone" => "error.phone",
            "from" | "to" => "error.pick_dates",
            _ => "error.booking_not_possible",
        })
        .map(|key| text(lang, key))
        .collect();
    texts.dedup();
    if texts.is_empty() {
        texts.push(text(lang, "error.booking_not_possible"));
    }
    texts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_says_what_to_do_once() {
        let errors = [
            FieldError::new("citizen.email", "'x' is not an e-mail address"),
            FieldError::new("email", "again"),
        ];
        let da = field_errors(Language::Da, &errors);
        assert_eq!(da, text(Language::Da, "error.email"));
        assert!(!da.contains("e-mail address"), "{da}");
        assert_eq!(
            field_errors(Language::En, &[]),
            text(Language::En, "error.booking_not_possible")
        );
    }
}
