//! A plain form's fields as the administration pages send them: checkboxes repeat their
//! name, one pair each, which a struct of the form could not hold.

use serde::Deserialize;

use super::CarriesCsrf;

/// A plain form's fields as sent: checkboxes repeat their name, one pair each.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct Fields(Vec<(String, String)>);

impl CarriesCsrf for Fields {
    fn csrf_token(&self) -> &str {
        self.one("csrf_token").unwrap_or_default()
    }
}

impl Fields {
    pub(crate) fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.one(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }
}
