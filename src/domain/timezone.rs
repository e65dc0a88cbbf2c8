//! IANA time zones, validated with chrono-tz, and the real instants of a local time.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Parses an IANA zone name such as `Europe/Copenhagen` or `America/Nuuk`.
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>()
        .map_err(|_| format!("'{name}' is not an IANA time zone (e.g. Europe/Copenhagen)"))
}

/// Every instant whose local time is `local`: none when a spring-forward change skips it,
/// two when an autumn change repeats it (both are real moments).
pub fn instants(zone: Tz, local: NaiveDateTime) -> impl Iterator<Item = DateTime<Utc>> {
    let (first, second) = match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => (Some(t), None),
        LocalResult::Ambiguous(a, b) => (Some(a), Some(b)),
        LocalResult::None => (None, None),
    };
    first
        .into_iter()
        .chain(second)
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_nuuk_and_refuses_inventions() {
        assert_eq!(
            parse_zone("America/Nuuk").unwrap(),
            chrono_tz::America::Nuuk
        );
        assert!(parse_zone("Europe/Taastrup").is_err());
    }
}
