//! Meetings held away from a desk: the link of a video meeting, made from its errand's
//! template, and the phone meeting, in which the office calls the citizen at the number
//! given at booking. Skranke holds no video platform; the template points at the one the
//! municipality uses.

use super::organisation::{Channel, ServiceSpec};

/// The placeholders a meeting link's template may hold, each replaced by the booking's own.
pub const PLACEHOLDERS: [&str; 2] = ["reference", "service"];

/// Checks a meeting link's template: a web address whose `{…}` placeholders are all known.
pub fn check_template(raw: &str) -> Result<(), String> {
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .ok_or_else(|| format!("'{raw}' is not a web address starting with https://"))?;
    if rest.is_empty() || rest.chars().any(char::is_whitespace) {
        return Err(format!("'{raw}' is not a web address without spaces"));
    }
    let mut tail = rest;
    while let Some(open) = tail.find(['{', '}']) {
        if &tail[open..open + 1] == "}" {
            return Err(format!("'{raw}' has a '}}' that closes no placeholder"));
        }
        let after = &tail[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("'{raw}' has a '{{' that is never closed"))?;
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "'{{{name}}}' is not a placeholder a meeting link knows; use {}",
                known_list()
            ));
        }
        tail = &after[close + 1..];
    }
    Ok(())
}

fn known_list() -> String {
    PLACEHOLDERS
        .iter()
        .map(|p| format!("{{{p}}}"))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The link of one booking's meeting: the template with its placeholders filled in.
pub fn link(template: &str, reference: &str, service: &str) -> String {
    template
        .replace("{reference}", reference)
        .replace("{service}", service)
}

/// How the citizen meets the office for a booked errand that is not held at a desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meeting {
    /// On screen, at this link.
    Video { url: String },
    /// The office calls the citizen at this number.
    Phone { number: String },
}

impl Meeting {
    /// The meeting of a booking of `errand`: a video errand with a link's template meets at
    /// its link, a phone errand at the citizen's number; `None` for a visit at a desk, or
    /// when the number is gone (retention removed it).
    pub fn of(errand: &ServiceSpec, reference: &str, phone: Option<&str>) -> Option<Self> {
        match errand.channel {
            Channel::InPerson => None,
            Channel::Video => errand.meeting_url.as_deref().map(|t| Self::Video {
                url: link(t, reference, errand.slug.as_str()),
            }),
            Channel::Phone => phone.map(|number| Self::Phone {
                number: number.to_owned(),
            }),
        }
    }

    /// The meeting of a visit: that of its first errand held away from a desk.
    pub fn of_visit<'a>(
        errands: impl IntoIterator<Item = &'a ServiceSpec>,
        reference: &str,
        phone: Option<&str>,
    ) -> Option<Self> {
        errands
            .into_iter()
            .find_map(|e| Self::of(e, reference, phone))
    }

    /// The video link, when it is one.
    pub fn url(&self) -> Option<&str> {
        match self {
            Self::Video { url } => Some(url),
            Self::Phone { .. } => None,
        }
    }

    /// The number the office calls, when it is a phone meeting.
    pub fn number(&self) -> Option<&str> {
        match self {
            Self::Phone { number } => Some(number),
            Self::Video { .. } => None,
        }
    }
}

/// What a booking of a phone errand without a number is told, on `citizen.phone`.
pub const PHONE_NEEDED: &str = "a phone meeting needs the number the office is to call";

/// Whether booking `errand` needs the citizen's phone number: the office must have one to
/// call for a phone meeting.
pub fn needs_phone(errand: &ServiceSpec) -> bool {
    match errand.channel {
        Channel::Phone => true,
        Channel::InPerson | Channel::Video => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_with_known_placeholders_is_a_link() {
        let t = "https://meet.example.dk/jobcenter/{reference}?s={service}";
        assert_eq!(check_template(t), Ok(()));
        assert_eq!(
            link(t, "K7M2QX", "jobsamtale"),
            "https://meet.example.dk/jobcenter/K7M2QX?s=jobsamtale"
        );
        assert_eq!(check_template("https://meet.example.dk/room-4"), Ok(()));
    }

    #[test]
    fn an_unknown_placeholder_or_a_bad_address_is_refused_by_name() {
        let unknown = check_template("https://meet.example.dk/{cpr}").unwrap_err();
        assert!(
            unknown.contains("{cpr}") && unknown.contains("{reference}"),
            "{unknown}"
        );
        for bad in [
            "meet.example.dk/{reference}",
            "ftp://x/{reference}",
            "https://",
            "https://meet example.dk",
            "https://meet.example.dk/{reference",
            "https://meet.example.dk/reference}",
        ] {
            assert!(check_template(bad).is_err(), "{bad}");
        }
    }
}
