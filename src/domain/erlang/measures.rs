//! The measures of a queue at a given staffing, for callers that choose the staffing.

use super::blocking::{waiting_from_blocking, Blocking};
use super::inputs::Load;
use super::queue::Queue;

/// The Erlang B blocking probability of `agents` positions offered `traffic_erlangs`.
pub fn erlang_b(agents: u32, traffic_erlangs: f64) -> f64 {
    Blocking::at(agents, traffic_erlangs).blocking
}

/// The Erlang C probability that a citizen has to wait; 1 when `agents` cannot keep up.
pub fn erlang_c(agents: u32, traffic_erlangs: f64) -> f64 {
    waiting_from_blocking(agents, traffic_erlangs, erlang_b(agents, traffic_erlangs))
}

/// Share of citizens served within `within_seconds` (≥ 0) by `agents` positions; Erlang A
/// if the load has a patience, else Erlang C.
pub fn service_level(agents: u32, load: &Load, within_seconds: f64) -> f64 {
    Queue::at(&Blocking::at(agents, load.traffic_erlangs()), load)
        .service_level(within_seconds.max(0.0) / 60.0)
}

/// Mean wait in seconds of the citizens served by `agents` positions; infinite when
/// Erlang C's queue grows without end or nobody is served.
pub fn average_wait_seconds(agents: u32, load: &Load) -> f64 {
    Queue::at(&Blocking::at(agents, load.traffic_erlangs()), load).average_wait_minutes() * 60.0
}
