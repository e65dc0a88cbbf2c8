//! How long citizens' personal data is kept: until a number of days after the visit.

use chrono::{DateTime, Duration, Utc};

/// The default period: three months, long enough for complaints about a visit.
pub const DEFAULT_DAYS: u32 = 90;

/// Visits that ended before this instant lose their citizen's name, e-mail and phone.
pub fn cutoff(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    now - Duration::days(i64::from(days))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cutoff_is_the_period_before_now() {
        let now: DateTime<Utc> = "2027-06-30T12:00:00Z".parse().unwrap();
        assert_eq!(
            cutoff(now, 90),
            "2027-04-01T12:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(cutoff(now, 0), now);
    }
}
