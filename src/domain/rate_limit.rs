//! Limits against bots: a fixed-window rate limit per key (an address, an e-mail) against
//! hoarding times, and an exponential back-off after failed sign-ins against guessing
//! passwords. Pure: the caller passes the time and keeps the counts.

use std::collections::HashMap;
use std::hash::Hash;

use chrono::{DateTime, Duration, Utc};

#[derive(Debug)]
pub struct RateLimit<K> {
    limit: u32,
    window: Duration,
    seen: HashMap<K, (DateTime<Utc>, u32)>,
}

impl<K: Eq + Hash> RateLimit<K> {
    /// At most `limit` events per key in any window of `window` that starts at a key's first event.
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            seen: HashMap::new(),
        }
    }

    /// Counts one event; `Err` carries how long until the key may try again.
    pub fn check(&mut self, key: K, now: DateTime<Utc>) -> Result<(), Duration> {
        if self.seen.len() > 10_000 {
            // Forget windows that are over, so that many keys cannot grow the map for ever.
            let window = self.window;
            self.seen.retain(|_, (start, _)| now - *start < window);
        }
        let entry = self.seen.entry(key).or_insert((now, 0));
        if now - entry.0 >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.limit {
            return Err(entry.0 + self.window - now);
        }
        entry.1 += 1;
        Ok(())
    }
}

/// Waits that grow with each failure in a row: none for the first `free - 1` failures,
/// then `first` after the `free`-th, doubling with each one after, at most `max`. The
/// count starts again after `forget_after` without a failure. It never locks for good, so
/// an attacker can slow an account down but not shut its owner out for more than `max`
/// after the last guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub free: u32,
    pub first: Duration,
    pub max: Duration,
    pub forget_after: Duration,
}

impl Backoff {
    /// Failed sign-ins to one account, from wherever they come: a person mistyping gets
    /// four tries in peace; a guesser gets one guess per quarter of an hour soon after.
    pub const ACCOUNT: Self = Self {
        free: 5,
        first: Duration::seconds(1),
        max: Duration::minutes(15),
        forget_after: Duration::hours(24),
    };

    /// Failed sign-ins from one client address, whichever accounts they try: enough for an
    /// office behind one address to mistype, too few to spray guesses over many accounts.
    pub const ADDRESS: Self = Self {
        free: 30,
        first: Duration::seconds(1),
        max: Duration::minutes(15),
        forget_after: Duration::hours(1),
    };

    /// How long to wait after the `failures`-th failure in a row, if at all.
    pub fn wait_after(&self, failures: u32) -> Option<Duration> {
        let doublings = failures.checked_sub(self.free)?.min(30);
        Some((self.first * (1 << doublings)).min(self.max))
    }
}

/// Whole seconds until `until`, at least one: what a `Retry-After` header says.
pub fn seconds_until(until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    let millis = (until - now).num_milliseconds().max(1);
    u64::try_from((millis + 999) / 1000).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_waits_start_after_five_failures_and_double_to_a_quarter_of_an_hour() {
        let waits: Vec<Option<i64>> = (1..=16)
            .map(|n| Backoff::ACCOUNT.wait_after(n).map(|d| d.num_seconds()))
            .collect();
        assert_eq!(waits[..4], [None; 4]);
        assert_eq!(
            waits[4..],
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900].map(Some)
        );
        assert_eq!(
            Backoff::ACCOUNT.wait_after(u32::MAX),
            Some(Duration::minutes(15))
        );
        assert_eq!(Backoff::ADDRESS.wait_after(29), None);
        assert_eq!(Backoff::ADDRESS.wait_after(30), Some(Duration::seconds(1)));
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let now: DateTime<Utc> = "2027-01-04T09:00:00Z".parse().unwrap();
        assert_eq!(seconds_until(now + Duration::seconds(2), now), 2);
        assert_eq!(seconds_until(now + Duration::milliseconds(1500), now), 2);
        assert_eq!(seconds_until(now, now), 1);
        assert_eq!(seconds_until(now - Duration::seconds(5), now), 1);
    }

    #[test]
    fn refuses_past_the_limit_until_the_window_ends() {
        let t0: DateTime<Utc> = "2027-01-04T09:00:00Z".parse().unwrap();
        let mut limit = RateLimit::new(3, Duration::minutes(1));
        for i in 0..3 {
            assert!(limit.check("a", t0 + Duration::seconds(i)).is_ok());
        }
        let wait = limit.check("a", t0 + Duration::seconds(10)).unwrap_err();
        assert_eq!(wait, Duration::seconds(50));
        assert!(
            limit.check("b", t0 + Duration::seconds(10)).is_ok(),
            "keys are counted apart"
        );
        assert!(
            limit.check("a", t0 + Duration::seconds(60)).is_ok(),
            "a new window"
        );
    }
}
