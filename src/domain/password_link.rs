//! One-time links to set a password: an administrator sends one instead of typing a
//! password for someone; it works once, for a day.

use chrono::{DateTime, Duration, Utc};

/// How long a link works: long enough to be read the next working day.
pub const LIFETIME: Duration = Duration::hours(24);

/// What a link can still do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Usable,
    /// It set a password already.
    Used,
    /// Its day is over.
    Expired,
}

/// The state of a link made to expire at `expires_at`, used at `used_at` if ever.
pub fn state(
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> LinkState {
    if used_at.is_some() {
        LinkState::Used
    } else if now >= expires_at {
        LinkState::Expired
    } else {
        LinkState::Usable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_works_until_its_day_is_over_and_only_once() {
        let made: DateTime<Utc> = "2027-03-30T08:00:00Z".parse().unwrap();
        let expires = made + LIFETIME;
        assert_eq!(state(expires, None, made), LinkState::Usable);
        assert_eq!(
            state(expires, None, expires - Duration::seconds(1)),
            LinkState::Usable
        );
        assert_eq!(state(expires, None, expires), LinkState::Expired);
        assert_eq!(state(expires, Some(made), made), LinkState::Used);
    }
}
