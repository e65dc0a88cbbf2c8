//! Slugs: the short, URL-safe names that locations, services and departments are addressed by.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A lowercase, URL-safe identifier (`raadhuset`, `pas`, `koerekort-fornyelse`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 64;

    /// Accepts 1–64 characters of `a-z`, `0-9` and inner hyphens.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok_chars = raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if raw.is_empty() || raw.len() > Self::MAX_LEN {
            Err(format!(
                "must be 1 to {} characters long, got {}",
                Self::MAX_LEN,
                raw.len()
            ))
        } else if !ok_chars || raw.starts_with('-') || raw.ends_with('-') {
            Err(format!(
                "'{raw}' may only contain a-z, 0-9 and hyphens inside the name"
            ))
        } else {
            Ok(Self(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> String {
        slug.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_lowercase_digits_and_inner_hyphens() {
        assert_eq!(Slug::parse("koerekort-2").unwrap().as_str(), "koerekort-2");
    }

    #[test]
    fn refuses_what_would_not_survive_a_url() {
        for bad in ["", "Rådhus", "a b", "-pas", "pas-", "PAS", &"x".repeat(65)] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
