//! The fewest positions that meet a target, and the staff to schedule for them.

use std::fmt::Write as _;

use serde::Serialize;

use super::blocking::Blocking;
use super::inputs::{check, ErlangError, Goal, Load, Target};
use super::queue::Queue;

/// Where the search for a staffing gives up rather than loop on an absurd load.
pub const MAX_POSITIONS: u32 = 1_000_000;

/// The staffing that meets a target, and how the queue behaves with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Staffing {
    /// Positions that must be open.
    pub raw_positions: u32,
    /// Staff to schedule so that, after shrinkage (breaks, absence, training), the open
    /// positions are covered.
    pub positions: u32,
    /// Share served within the target time (for an average-wait target: within that average).
    pub service_level: f64,
    pub waiting_probability: f64,
    /// Mean wait of the citizens served, counting those who did not wait at all.
    pub average_wait_seconds: f64,
    /// Share of the open positions' time spent handling citizens.
    pub occupancy: f64,
    /// Share of citizens who leave before being served (Erlang A only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abandonment: Option<f64>,
}

/// The fewest open positions (`raw_positions`) that meet `target` and keep occupancy at
/// most `max_occupancy`, and the staff to schedule for them given `shrinkage`.
pub fn required(
    load: &Load,
    target: &Target,
    max_occupancy: Option<f64>,
    shrinkage: f64,
) -> Result<Staffing, ErlangError> {
    let shrinkage = check(
        "shrinkage",
        shrinkage,
        (0.0..1.0).contains(&shrinkage),
        "at least 0 and below 1",
    )?;
    let max_occupancy = max_occupancy
        .map(|m| {
            check(
                "max-occupancy",
                m,
                m > 0.0 && m <= 1.0,
                "above 0 and at most 1",
            )
        })
        .transpose()?;
    let (raw, queue) = smallest_meeting(load, target, max_occupancy)?;
    Ok(Staffing {
        raw_positions: raw,
        positions: after_shrinkage(raw, shrinkage),
        service_level: queue.service_level(target.within_minutes()),
        waiting_probability: queue.waiting_probability(),
        average_wait_seconds: queue.average_wait_minutes() * 60.0,
        occupancy: queue.occupancy(),
        abandonment: queue.abandonment(),
    })
}

/// The staffing as `name: value` lines, rounded as planners read them.
pub fn to_text(staffing: &Staffing) -> String {
    let mut text = format!(
        "raw_positions: {}\npositions: {}\nservice_level: {:.5}\nwaiting_probability: {:.5}\n\
         average_wait_seconds: {:.3}\noccupancy: {:.3}\n",
        staffing.raw_positions,
        staffing.positions,
        staffing.service_level,
        staffing.waiting_probability,
        staffing.average_wait_seconds,
        staffing.occupancy,
    );
    if let Some(abandonment) = staffing.abandonment {
        // Writing to a String cannot fail.
        let _ = writeln!(text, "abandonment: {abandonment:.5}");
    }
    text
}

/// Staff to schedule so that `raw` positions stay open when a share `shrinkage` of paid
/// time is lost.
fn after_shrinkage(raw: u32, shrinkage: f64) -> u32 {
    let exact = f64::from(raw) / (1.0 - shrinkage);
    // 14 / 0.7 is 20.000000000000004 in binary; a rounding error is no reason to hire
    // one more person.
    (exact - 1e-6).ceil() as u32
}

/// Finds the fewest positions meeting the target and the occupancy cap: doubling steps up
/// from a bound below which none can, then halving back. Every measure improves with each
/// position added, in both models, so the first staffing that meets the target is found
/// with a few dozen evaluations; a position-by-position scan would need thousands for a
/// big load, and an Erlang A evaluation costs as much as the queue is long.
fn smallest_meeting(
    load: &Load,
    target: &Target,
    max_occupancy: Option<f64>,
) -> Result<(u32, Queue), ErlangError> {
    if load.arrivals == 0.0 {
        return Ok((0, Queue::idle(load)));
    }
    let meets = |agents: u32| {
        let queue = Queue::at(&Blocking::at(agents, load.traffic_erlangs()), load);
        queue.meets(target, max_occupancy).then_some(queue)
    };
    let unreachable = ErlangError::Unreachable { max: MAX_POSITIONS };
    // `failing` never meets the target, `meeting` does; the answer is in (failing, meeting].
    let mut failing = first_candidate(load, target) - 1;
    let mut step = 1;
    let (mut meeting, mut queue) = loop {
        let candidate = failing.saturating_add(step).min(MAX_POSITIONS);
        if candidate == failing {
            return Err(unreachable);
        }
        match meets(candidate) {
            Some(queue) => break (candidate, queue),
            None => failing = candidate,
        }
        step = step.saturating_mul(2);
    };
    while meeting - failing > 1 {
        let middle = failing + (meeting - failing) / 2;
        match meets(middle) {
            Some(found) => (meeting, queue) = (middle, found),
            None => failing = middle,
        }
    }
    Ok((meeting, queue))
}

/// A staffing below this cannot meet the target, so the search starts here.
fn first_candidate(load: &Load, target: &Target) -> u32 {
    let traffic = load.traffic_erlangs().min(f64::from(MAX_POSITIONS));
    match (load.patience_minutes, target.0) {
        // Erlang C needs n > A, or the queue grows without end.
        (None, _) => traffic.floor() as u32 + 1,
        // Those served are at most nμ/λ = n/A of all, so a service level s needs n ≥ s·A
        // (floored, so that rounding cannot skip the answer).
        (Some(_), Goal::ServiceLevel { level, .. }) => ((level * traffic).floor() as u32).max(1),
        // Short patience can keep the wait of those served short with very few positions.
        (Some(_), Goal::AverageWait { .. }) => 1,
    }
}
