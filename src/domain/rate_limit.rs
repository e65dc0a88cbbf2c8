//! A fixed-window rate limit per key (an address, an e-mail), against bots that would
//! guess passwords or hoard times. Pure: the caller passes the time.

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

#[cfg(test)]
mod tests {
    use super::*;

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
