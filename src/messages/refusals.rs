//! What a citizen is told when a form is refused: a text per field that says what to do.

use serde::Serialize;

use super::catalogue::text;
use crate::domain::booking::Language;
use crate::domain::meeting::PHONE_NEEDED;
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
            "phone" | "citizen.phone" if error.message == PHONE_NEEDED => {
                (Some("phone"), "meeting.phone_needed")
            }
            "phone" | "citizen.phone" => (Some("phone"), "error.phone"),
            "sms_opt_in" | "citizen.sms_opt_in" => (Some("phone"), "error.sms_phone"),
            "from" | "to" => (Some("from"), "error.pick_dates"),
            "services" => (Some("errands"), "visit_pages.error_errands"),
            f if f.starts_with("services[") && f.ends_with(".quantity") => {
                (Some("errands"), "visit_pages.error_quantity")
            }
            f if f.starts_with("services[") => (Some("errands"), "visit_pages.error_errand"),
            f if f.starts_with("needs[") && f.ends_with(".detail") => {
                (Some("interpreter_language"), "visit_pages.error_language")
            }
            f if f.starts_with("needs[") => (Some("needs"), "visit_pages.error_need"),
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

    #[test]
    fn a_visits_errands_and_needs_are_mended_at_their_own_fields() {
        let visit = mends(
            Language::Da,
            &[
                FieldError::new("services", "choose at least one errand"),
                FieldError::new("services[1].quantity", "at most 2 of 'sundhedskort'"),
                FieldError::new("needs[0].detail", "name the language"),
                FieldError::new("needs[2].kind", "'wings' is not offered"),
            ],
        );
        let fields: Vec<_> = visit.iter().map(|m| m.field).collect();
        assert_eq!(
            fields,
            [
                Some("errands"),
                Some("errands"),
                Some("interpreter_language"),
                Some("needs")
            ]
        );
        assert_eq!(
            visit[2].text,
            text(Language::Da, "visit_pages.error_language")
        );
        assert!(
            visit.iter().all(|m| !m.text.contains("errand")),
            "the catalogue's words, not the API's: {visit:?}"
        );
    }
}
