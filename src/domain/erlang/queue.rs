//! The queue at one staffing, patient (Erlang C) or not (Erlang A), or idle: every measure
//! of a staffing is read from it.

use super::blocking::Blocking;
use super::erlang_a::ErlangA;
use super::erlang_c::ErlangC;
use super::inputs::{Goal, Load, Target};

/// The queue at one staffing, from which every measure follows.
#[derive(Debug, Clone, Copy)]
pub(super) enum Queue {
    /// Nobody arrives.
    Idle {
        patient: bool,
    },
    Patient(ErlangC),
    Impatient(ErlangA),
}

impl Queue {
    pub(super) fn at(blocking: &Blocking, load: &Load) -> Self {
        if load.arrivals == 0.0 {
            return Self::idle(load);
        }
        match load.patience_minutes {
            None => Self::Patient(ErlangC::new(blocking, load)),
            Some(patience) => Self::Impatient(ErlangA::new(blocking, load, patience)),
        }
    }

    pub(super) fn idle(load: &Load) -> Self {
        Self::Idle {
            patient: load.patience_minutes.is_none(),
        }
    }

    pub(super) fn meets(&self, target: &Target, max_occupancy: Option<f64>) -> bool {
        let target_met = match target.0 {
            Goal::ServiceLevel {
                level,
                within_minutes,
            } => self.service_level(within_minutes) >= level,
            Goal::AverageWait { minutes } => self.average_wait_minutes() <= minutes,
        };
        target_met && max_occupancy.is_none_or(|cap| self.occupancy() <= cap)
    }

    pub(super) fn service_level(&self, within_minutes: f64) -> f64 {
        match self {
            Self::Idle { .. } => 1.0,
            Self::Patient(c) => c.service_level(within_minutes),
            Self::Impatient(a) => a.service_level(within_minutes),
        }
    }

    pub(super) fn waiting_probability(&self) -> f64 {
        match self {
            Self::Idle { .. } => 0.0,
            Self::Patient(c) => c.waiting,
            Self::Impatient(a) => a.waiting,
        }
    }

    pub(super) fn average_wait_minutes(&self) -> f64 {
        match self {
            Self::Idle { .. } => 0.0,
            Self::Patient(c) => c.average_wait_minutes(),
            Self::Impatient(a) => a.served_wait_minutes,
        }
    }

    pub(super) fn occupancy(&self) -> f64 {
        match self {
            Self::Idle { .. } => 0.0,
            Self::Patient(c) => c.occupancy(),
            Self::Impatient(a) => a.occupancy,
        }
    }

    pub(super) fn abandonment(&self) -> Option<f64> {
        match self {
            Self::Idle { patient: true } | Self::Patient(_) => None,
            Self::Idle { patient: false } => Some(0.0),
            Self::Impatient(a) => Some(a.abandonment),
        }
    }
}
