//! The outbox's words: how a message goes, what it belongs to, and when one that failed is
//! tried again. Every outgoing message — mail, SMS, webhook — is one row of one outbox.

use chrono::{DateTime, Duration, Utc};

/// The kind of row a message belongs to; its cause, which decides whether it still goes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum OwnerKind {
    Appointment,
    WaitlistEntry,
    /// A staff account: the link to set its password.
    StaffUser,
    /// A webhook endpoint: its deliveries stop when it is deleted.
    Webhook,
}

/// The row a message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Owner {
    pub kind: OwnerKind,
    pub id: i64,
}

impl Owner {
    pub fn appointment(id: i64) -> Self {
        Self {
            kind: OwnerKind::Appointment,
            id,
        }
    }

    pub fn staff_user(id: crate::domain::ids::StaffId) -> Self {
        Self {
            kind: OwnerKind::StaffUser,
            id: id.0,
        }
    }

    pub fn waitlist_entry(id: crate::domain::waitlist::EntryId) -> Self {
        Self {
            kind: OwnerKind::WaitlistEntry,
            id: id.0,
        }
    }
}

/// Delivery attempts before a message is given up.
pub const MAX_ATTEMPTS: i32 = 8;

/// Waits between attempts grow: 1, 2, 4, … minutes, at most an hour.
pub fn retry_delay(attempts: i32) -> Duration {
    Duration::minutes(1i64 << attempts.clamp(0, 6)).min(Duration::hours(1))
}

/// When a message that failed after `attempts` earlier attempts is tried again: never when
/// the failure is permanent (the address is refused, the message cannot be composed) or the
/// attempts are used up, else after [`retry_delay`].
pub fn retry_at(attempts: i32, permanent: bool, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    (!permanent && attempts + 1 < MAX_ATTEMPTS).then(|| now + retry_delay(attempts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_delay(0), Duration::minutes(1));
        assert_eq!(retry_delay(3), Duration::minutes(8));
        assert_eq!(retry_delay(20), Duration::hours(1));
    }

    #[test]
    fn a_permanent_failure_is_not_retried_and_a_passing_one_is_until_the_last_attempt() {
        let now: DateTime<Utc> = "2027-03-29T08:00:00Z".parse().unwrap();
        assert_eq!(retry_at(0, false, now), Some(now + Duration::minutes(1)));
        assert_eq!(retry_at(0, true, now), None);
        assert!(retry_at(MAX_ATTEMPTS - 2, false, now).is_some());
        assert_eq!(retry_at(MAX_ATTEMPTS - 1, false, now), None);
    }
}
