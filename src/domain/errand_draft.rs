//! An errand as an administrator writes it in the browser: its texts, times, booking rules,
//! queue letter and department, and the locations that offer it. Only what a value must be
//! to stand in the organisation file is checked here (a whole number, one of the booking
//! policies, one capital letter, a slug); whether it is allowed there (ranges, a notice
//! shorter than the booking window, a known department, a queue letter no other errand of
//! a location has) is the organisation file's check, run over the whole file.

use super::organisation::{parse_choice, parse_queue_prefix, BookingPolicy, ServiceSpec};
use super::{FieldError, Slug};

/// The errand as the form or the API sent it, before any check.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrandDraft {
    #[schema(example = "Pas")]
    pub name_da: String,
    #[schema(example = "Passport")]
    pub name_en: String,
    /// Empty: nothing to bring.
    #[serde(default)]
    pub what_to_bring_da: String,
    #[serde(default)]
    pub what_to_bring_en: String,
    #[schema(example = 20)]
    pub duration_minutes: i64,
    /// Kept free after each appointment.
    #[serde(default)]
    pub buffer_minutes: i64,
    /// `required`, `optional` or `walk_in_only`.
    #[schema(example = "required")]
    pub booking: String,
    /// Where the errand is done online; empty: nowhere.
    #[serde(default)]
    pub self_service_url: String,
    /// A video errand's meeting link, with `{reference}` or `{service}`; empty: none.
    #[serde(default)]
    pub meeting_url: String,
    #[schema(example = 60)]
    pub book_ahead_days: i64,
    #[schema(example = 60)]
    pub min_notice_minutes: i64,
    /// Hours before the appointment that the reminder goes; 0: none.
    #[schema(example = 24)]
    pub reminder_hours: i64,
    /// How many future bookings of the errand one citizen may hold.
    #[schema(example = 2)]
    pub max_future_bookings: i64,
    #[schema(example = "P")]
    pub queue_prefix: String,
    /// The department's slug.
    #[schema(example = "borgerservice")]
    pub department: String,
    /// The slugs of the locations that offer it.
    #[serde(default)]
    pub locations: Vec<String>,
}

/// The errand with the draft's values, and the slugs of the locations to offer it, or
/// every value that cannot stand in the organisation file, each on its field. `known` are
/// the organisation's location slugs.
pub fn applied(
    spec: &ServiceSpec,
    draft: &ErrandDraft,
    known: &[Slug],
) -> Result<(ServiceSpec, Vec<Slug>), Vec<FieldError>> {
    let mut problems = Vec::new();
    let mut whole = |field: &str, value: i64| match u32::try_from(value) {
        Ok(n) => n,
        Err(_) => {
            problems.push(FieldError::new(field, NOT_A_COUNT));
            0
        }
    };
    let duration_minutes = whole("duration_minutes", draft.duration_minutes);
    let buffer_minutes = whole("buffer_minutes", draft.buffer_minutes);
    let book_ahead_days = whole("book_ahead_days", draft.book_ahead_days);
    let min_notice_minutes = whole("min_notice_minutes", draft.min_notice_minutes);
    let reminder_hours = whole("reminder_hours", draft.reminder_hours);
    let max_future_bookings = whole("max_future_bookings", draft.max_future_bookings);
    let p = &mut problems;
    let booking = take(
        p,
        "booking",
        parse_choice::<BookingPolicy>(draft.booking.trim()),
    );
    let queue_prefix = take(
        p,
        "queue_prefix",
        parse_queue_prefix(draft.queue_prefix.trim()),
    );
    let department = take(p, "department", Slug::parse(draft.department.trim()));
    let locations = take(p, "locations", offered_at(&draft.locations, known));
    match (booking, queue_prefix, department, locations) {
        (Some(booking), Some(queue_prefix), Some(department), Some(locations))
            if problems.is_empty() =>
        {
            let mut rules = spec.rules;
            rules.reminder_hours = reminder_hours;
            rules.max_future_bookings = max_future_bookings;
            let errand = ServiceSpec {
                // The organisation file's check says what it says of an empty name.
                name_da: draft.name_da.trim().to_owned(),
                name_en: draft.name_en.trim().to_owned(),
                what_to_bring_da: optional(&draft.what_to_bring_da),
                what_to_bring_en: optional(&draft.what_to_bring_en),
                duration_minutes,
                buffer_minutes,
                booking,
                self_service_url: optional(&draft.self_service_url),
                meeting_url: optional(&draft.meeting_url),
                book_ahead_days,
                min_notice_minutes,
                queue_prefix,
                department,
                rules,
                ..spec.clone()
            };
            Ok((errand, locations))
        }
        _ => Err(problems),
    }
}

/// The message of a number that is not a whole number of 0 or more.
pub const NOT_A_COUNT: &str = "must be a whole number, 0 or more";

fn take<T>(problems: &mut Vec<FieldError>, field: &str, result: Result<T, String>) -> Option<T> {
    result
        .map_err(|message| problems.push(FieldError::new(field, message)))
        .ok()
}

fn offered_at(raw: &[String], known: &[Slug]) -> Result<Vec<Slug>, String> {
    let mut out: Vec<Slug> = Vec::new();
    for slug in raw.iter().map(|s| s.trim()) {
        let Some(location) = known.iter().find(|k| k.as_str() == slug) else {
            return Err(format!("there is no location '{slug}'"));
        };
        if !out.contains(location) {
            out.push(location.clone());
        }
    }
    Ok(out)
}

/// Blank optional text means none, as in the organisation file.
fn optional(raw: &str) -> Option<String> {
    Some(raw.trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::booking::VisitRules;
    use crate::domain::organisation::Channel;

    fn pas() -> ServiceSpec {
        ServiceSpec {
            slug: Slug::parse("pas").unwrap(),
            name_da: "Pas".into(),
            name_en: "Passport".into(),
            department: Slug::parse("borgerservice").unwrap(),
            duration_minutes: 20,
            additional_minutes: None,
            max_per_visit: 1,
            buffer_minutes: 0,
            channel: Channel::InPerson,
            booking: BookingPolicy::Required,
            self_service_url: None,
            meeting_url: None,
            queue_prefix: 'P',
            book_ahead_days: 60,
            min_notice_minutes: 60,
            slot_step_minutes: 15,
            priority: 0,
            what_to_bring_da: None,
            what_to_bring_en: None,
            rules: VisitRules::default(),
        }
    }

    fn draft() -> ErrandDraft {
        ErrandDraft {
            name_da: " Pas og ID ".into(),
            name_en: "Passport".into(),
            what_to_bring_da: "Gammelt pas".into(),
            what_to_bring_en: " ".into(),
            duration_minutes: 30,
            buffer_minutes: 5,
            booking: "optional".into(),
            self_service_url: String::new(),
            meeting_url: String::new(),
            book_ahead_days: 30,
            min_notice_minutes: 120,
            reminder_hours: 0,
            max_future_bookings: 3,
            queue_prefix: "Q".into(),
            department: "borgerservice".into(),
            locations: vec!["raadhuset".into(), "raadhuset".into()],
        }
    }

    #[test]
    fn the_draft_changes_what_the_form_holds_and_keeps_the_rest() {
        let known = [Slug::parse("raadhuset").unwrap()];
        let (errand, at) = applied(&pas(), &draft(), &known).unwrap();
        assert_eq!(errand.name_da, "Pas og ID");
        assert_eq!(errand.what_to_bring_da.as_deref(), Some("Gammelt pas"));
        assert_eq!(errand.what_to_bring_en, None);
        assert_eq!(errand.booking, BookingPolicy::Optional);
        assert_eq!(errand.queue_prefix, 'Q');
        assert_eq!(errand.rules.reminder_hours, 0);
        assert_eq!(errand.rules.max_future_bookings, 3);
        assert_eq!(errand.slot_step_minutes, 15, "not on the form: kept");
        assert_eq!(at, known);
    }

    #[test]
    fn values_that_cannot_stand_in_the_file_are_named_each_on_its_field() {
        let mut bad = draft();
        bad.duration_minutes = -5;
        bad.booking = "sometimes".into();
        bad.queue_prefix = "pa".into();
        bad.locations = vec!["nowhere".into()];
        let problems = applied(&pas(), &bad, &[]).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["duration_minutes", "booking", "queue_prefix", "locations"]
        );
        assert_eq!(problems[0].message, NOT_A_COUNT);
        assert_eq!(
            problems[2].message,
            parse_queue_prefix("pa").unwrap_err(),
            "the organisation file's words"
        );
    }
}
