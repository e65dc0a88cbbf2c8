//! IANA time zones, validated with chrono-tz.

use chrono_tz::Tz;

/// Parses an IANA zone name such as `Europe/Copenhagen` or `America/Nuuk`.
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>()
        .map_err(|_| format!("'{name}' is not an IANA time zone (e.g. Europe/Copenhagen)"))
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
