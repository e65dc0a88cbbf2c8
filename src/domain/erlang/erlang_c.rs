//! Erlang C (M/M/n): every citizen waits as long as it takes.

use super::blocking::{waiting_from_blocking, Blocking};
use super::inputs::Load;

#[derive(Debug, Clone, Copy)]
pub(super) struct ErlangC {
    pub(super) agents: f64,
    pub(super) traffic: f64,
    pub(super) handling_minutes: f64,
    pub(super) waiting: f64,
}

impl ErlangC {
    pub(super) fn new(blocking: &Blocking, load: &Load) -> Self {
        Self {
            agents: f64::from(blocking.agents),
            traffic: blocking.traffic,
            handling_minutes: load.handling_minutes,
            waiting: waiting_from_blocking(blocking.agents, blocking.traffic, blocking.blocking),
        }
    }

    pub(super) fn stable(&self) -> bool {
        self.agents > self.traffic
    }

    pub(super) fn service_level(&self, within_minutes: f64) -> f64 {
        if !self.stable() {
            return 0.0;
        }
        // (nμ − λ)·t with μ = 1/h, written as (n − A)·t/h.
        let decay = (self.agents - self.traffic) * within_minutes / self.handling_minutes;
        1.0 - self.waiting * (-decay).exp()
    }

    pub(super) fn average_wait_minutes(&self) -> f64 {
        if !self.stable() {
            return f64::INFINITY;
        }
        self.waiting * self.handling_minutes / (self.agents - self.traffic)
    }

    pub(super) fn occupancy(&self) -> f64 {
        (self.traffic / self.agents).min(1.0)
    }
}
