//! What carries a message out of Skranke: one small trait that every transport (SMTP, mail
//! files, an SMS gateway, HTTP) implements, and the failure it answers with.

/// Sends one composed message of type `M`.
pub trait Transport<M>: Send + Sync {
    /// Sends `message`; a failure says whether trying again could help, and why in words
    /// that carry no address or phone number.
    fn send(&self, message: &M) -> Result<(), Failure>;
}

/// Why a message did not go, free of personal data, and whether it is worth another attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub permanent: bool,
    pub reason: String,
}

impl Failure {
    /// A failure that another attempt may mend, its reason redacted.
    pub fn passing(reason: &str) -> Self {
        Self {
            permanent: false,
            reason: crate::domain::redaction::redact(reason),
        }
    }

    /// A failure that no attempt will mend, its reason redacted.
    pub fn permanent(reason: &str) -> Self {
        Self {
            permanent: true,
            reason: crate::domain::redaction::redact(reason),
        }
    }
}
