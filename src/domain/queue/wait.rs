//! How long a citizen can expect to wait: the tickets ahead over the open desks, at a rolling
//! mean of recent service times.

use std::collections::VecDeque;

use chrono::TimeDelta;

use super::call::MS_PER_MINUTE;

/// Minutes until a ticket is called: the tickets ahead share the open desks, each taking
/// the mean service time. `None` when no desk is open for the service (nobody will call
/// it, so any number would be invented) or the mean is not a usable duration.
///
/// It ignores how far the citizens at the desks now have come; on average that is half a
/// service, which the simulated-day accuracy measurement can tune if it matters.
pub fn estimated_wait_minutes(
    position_ahead: u32,
    mean_service_minutes: f64,
    open_desks_for_service: u32,
) -> Option<u32> {
    if open_desks_for_service == 0
        || !mean_service_minutes.is_finite()
        || mean_service_minutes < 0.0
    {
        return None;
    }
    let minutes =
        f64::from(position_ahead) * mean_service_minutes / f64::from(open_desks_for_service);
    // `as` saturates for floats, so a huge queue reads u32::MAX rather than wrapping.
    Some(minutes.round() as u32)
}

/// The mean of the last `window` service durations of one service, starting from its
/// configured duration until there is history.
#[derive(Debug, Clone, PartialEq)]
pub struct RollingMean {
    prior_minutes: f64,
    window: usize,
    recent: VecDeque<f64>,
}

impl RollingMean {
    /// Twenty services: about a morning at one desk, so the mean follows the day (a
    /// passport rush) without one odd errand moving it much.
    pub const DEFAULT_WINDOW: usize = 20;

    /// Starts from the service's configured duration, with the default window.
    pub fn new(prior_minutes: f64) -> Self {
        Self::with_window(prior_minutes, Self::DEFAULT_WINDOW)
    }

    /// A window of 0 would forget every duration at once; it is taken as 1.
    pub fn with_window(prior_minutes: f64, window: usize) -> Self {
        let window = window.max(1);
        Self {
            prior_minutes,
            window,
            recent: VecDeque::with_capacity(window),
        }
    }

    /// Records how long one service took (from `start` to `finish`).
    ///
    /// A negative duration is a clock error between server instances, not a service, and
    /// is left out rather than pull the mean below zero.
    pub fn push(&mut self, duration: TimeDelta) {
        if duration < TimeDelta::zero() {
            return;
        }
        if self.recent.len() == self.window {
            self.recent.pop_front();
        }
        self.recent
            .push_back(duration.num_milliseconds() as f64 / MS_PER_MINUTE as f64);
    }

    /// The mean of the recorded durations, or the prior when there are none.
    pub fn mean_minutes(&self) -> f64 {
        if self.recent.is_empty() {
            self.prior_minutes
        } else {
            self.recent.iter().sum::<f64>() / self.recent.len() as f64
        }
    }

    /// How many durations the mean is over now.
    pub fn len(&self) -> usize {
        self.recent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.recent.is_empty()
    }
}

impl Extend<TimeDelta> for RollingMean {
    fn extend<I: IntoIterator<Item = TimeDelta>>(&mut self, durations: I) {
        durations.into_iter().for_each(|d| self.push(d));
    }
}
