//! What a QR scanner types at the kiosk: the booking's manage link from its confirmation
//! mail, `https://…/appointments/{reference}?token={token}`, which names the booking and
//! proves its holder.

use thiserror::Error;
use url::Url;

/// A booking as scanned: its reference and its secret token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub reference: String,
    pub token: String,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ScanError {
    #[error("the scanned code is not a Skranke booking link")]
    NotALink,
    #[error("the scanned link names no booking")]
    NoReference,
    #[error("the scanned link has no token; use the QR code in the confirmation mail")]
    NoToken,
}

impl Scan {
    /// Reads the scanned text. Scanners may add a newline or spaces; those are ignored.
    pub fn parse(text: &str) -> Result<Scan, ScanError> {
        let url = Url::parse(text.trim()).map_err(|_| ScanError::NotALink)?;
        let mut segments = url.path_segments().ok_or(ScanError::NotALink)?;
        let reference = segments
            .by_ref()
            .skip_while(|s| *s != "appointments")
            .nth(1)
            .filter(|r| is_reference(r))
            .ok_or(ScanError::NoReference)?;
        let token = url
            .query_pairs()
            .find(|(name, _)| name == "token")
            .map(|(_, value)| value.into_owned())
            .filter(|t| !t.is_empty())
            .ok_or(ScanError::NoToken)?;
        Ok(Scan {
            reference: reference.to_owned(),
            token,
        })
    }
}

/// References are short and readable (`K7M-4QX`); anything else was misread.
fn is_reference(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 32
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manage_link_gives_reference_and_token() {
        let scan =
            Scan::parse("https://borger.example.dk/appointments/K7M-4QX?token=abc_DEF-123\n")
                .unwrap();
        assert_eq!(
            scan,
            Scan {
                reference: "K7M-4QX".into(),
                token: "abc_DEF-123".into()
            }
        );
    }

    #[test]
    fn a_server_under_a_path_prefix_still_parses() {
        let scan =
            Scan::parse("https://kommune.dk/skranke/appointments/ABC234?lang=en&token=t").unwrap();
        assert_eq!(
            (scan.reference.as_str(), scan.token.as_str()),
            ("ABC234", "t")
        );
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        assert_eq!(Scan::parse("K7M4QX"), Err(ScanError::NotALink));
        assert_eq!(
            Scan::parse("https://x.dk/tickets/abc?token=t"),
            Err(ScanError::NoReference)
        );
        assert_eq!(
            Scan::parse("https://x.dk/appointments/../etc?token=t"),
            Err(ScanError::NoReference)
        );
        assert_eq!(
            Scan::parse("https://x.dk/appointments/K7M4QX"),
            Err(ScanError::NoToken)
        );
    }
}
