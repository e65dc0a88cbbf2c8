//! The synthetic model's queue of walk-ins at a location: a fluid backlog of work the desks
//! could not finish, plus the random waiting of an M/M/c system.

use crate::domain::demand::record::INTERVAL_MINUTES;

/// The mean wait a location's walk-ins meet: expected work left over from earlier intervals,
/// plus the random queueing of an M/M/c system at this interval's occupancy.
#[derive(Debug, Clone)]
pub(in crate::domain::demand) struct Queue {
    desks: f64,
    mean_service_minutes: f64,
    /// Desk-minutes of work that arrived but could not yet be served.
    pub(in crate::domain::demand) backlog: f64,
}

/// Above this the steady-state formula explodes; the backlog takes over from there.
const MAX_STEADY_OCCUPANCY: f64 = 0.9;
/// Nobody is left waiting longer; the office calls in help.
const MAX_WAIT_MINUTES: f64 = 90.0;

impl Queue {
    pub(in crate::domain::demand) fn new(desks: f64, mean_service_minutes: f64) -> Self {
        Self {
            desks,
            mean_service_minutes,
            backlog: 0.0,
        }
    }

    fn capacity(&self) -> f64 {
        self.desks * f64::from(INTERVAL_MINUTES)
    }

    /// Mean wait for a walk-in arriving while `offered` desk-minutes of work arrive.
    pub(in crate::domain::demand) fn wait_minutes(&self, offered: f64) -> f64 {
        let occupancy = (offered / self.capacity()).min(MAX_STEADY_OCCUPANCY);
        let steady = steady_wait(occupancy, self.desks) * self.mean_service_minutes;
        (self.backlog / self.desks + steady).min(MAX_WAIT_MINUTES)
    }

    /// Carries the work the desks could not finish in this interval into the next.
    pub(in crate::domain::demand) fn advance(&mut self, work: f64) {
        self.backlog = (self.backlog + work - self.capacity()).max(0.0);
    }
}

/// Sakasegawa's approximation of the mean M/M/c wait, in units of the mean service time.
fn steady_wait(occupancy: f64, desks: f64) -> f64 {
    if occupancy <= 0.0 {
        return 0.0;
    }
    occupancy.powf((2.0 * (desks + 1.0)).sqrt() - 1.0) / (desks * (1.0 - occupancy))
}
