//! The one clock of the server. Nothing else reads the system time: the domain is handed
//! `now`, and tests, demos and training runs start the clock where they like (`SKRANKE_NOW`).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

pub type SharedClock = Arc<dyn Clock>;

/// The machine's clock.
#[derive(Debug)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that starts at a chosen instant and runs on at real speed from there.
#[derive(Debug)]
pub struct StartedClock {
    start: DateTime<Utc>,
    started: Instant,
}

impl StartedClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            start,
            started: Instant::now(),
        }
    }
}

impl Clock for StartedClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed = Duration::from_std(self.started.elapsed()).unwrap_or(Duration::MAX);
        self.start + elapsed
    }
}

/// A clock that stands still until it is moved: for tests that step through a day.
#[derive(Debug)]
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().expect("clock lock") = at;
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().expect("clock lock") += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

/// The server's clock: started at `start` when given, else the system's.
pub fn from_start(start: Option<DateTime<Utc>>) -> SharedClock {
    match start {
        Some(at) => Arc::new(StartedClock::new(at)),
        None => Arc::new(SystemClock),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_started_clock_begins_at_its_start_and_runs_forward() {
        let start: DateTime<Utc> = "2027-03-28T00:30:00Z".parse().unwrap();
        let clock = StartedClock::new(start);
        let first = clock.now();
        assert!(first >= start && first - start < Duration::seconds(5));
        assert!(clock.now() >= first);
    }

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start: DateTime<Utc> = "2027-03-28T00:30:00Z".parse().unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::minutes(90));
        assert_eq!(clock.now(), start + Duration::minutes(90));
    }
}
