//! What a citizen is told when a form is refused: a text per field that says what to do.

use serde::Serialize;

use super::catalogue::text;
use crate::domain::booking::Language;
use crate::domain::FieldError;

/// One thing for the citizen to mend: the form field it is about (its id on the page),
/// when it is about one, and what to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mend {
    pub field: Option<&'static str>,
    pub text: String,
}

impl Mend {
    /// What to do, about no field in particular.
    pub fn general(text: impl Into<String>) -> Self {
        Self {
            field: None,
            text: text.into(),
        }
    }
}

/// What to do about each field the citizen can mend, once per field, in the citizen's
/// language; a refusal that names no such field is a time that cannot be booked.
pub fn mends(lang: Language, errors: &[FieldError]) -> Vec<Mend> {
    let mut mends: Vec<Mend> = Vec::new();
    for error in errors {
        let (field, key) = match error.field.as_str() {
            "name" | "citizen.name" => (Some("name"), "error.name"),
            "email" | "citizen.email" => (Some("email"), "error.email"),
            "phone" | "citizen.phone" => (Some("phone"), "error.phone"),
            "sms_opt_in" | "citizen.sms_opt_in" => (Some("phone"), "error.sms_phone"),
            "from" | "to" => (Some("from"), "error.pick_dates"),
            _ => (None, "error.booking_not_possible"),
        };
        let mend = Mend {
            field,
            text: text(lang, key).to_owned(),
        };
        if !mends.contains(&mend) {
            mends.push(mend);
        }
    }
    if mends.is_empty() {
        mends.push(Mend::general(text(lang, "error.booking_not_possible")));
    }
    mends
}

/// [`mends`] as one text.
pub fn field_errors(lang: Language, errors: &[FieldError]) -> String {
    let texts: Vec<String> = mends(lang, errors).into_iter().map(|m| m.text).collect();
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
        let both = mends(
            Language::En,
            &[
                FieldError::new("citizen.name", "empty"),
                FieldError::new("citizen.phone", "short"),
            ],
        );
        let fields: Vec<_> = both.iter().map(|m| m.field).collect();
        assert_eq!(fields, [Some("name"), Some("phone")]);
    }
}
