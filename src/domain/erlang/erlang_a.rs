//! Erlang A (M/M/n+M): citizens who wait too long leave; its sums kept as logarithms and
//! its service level integrated by Simpson's rule.

use std::f64::consts::LN_2;

use super::blocking::{ln_add, Blocking};
use super::inputs::Load;

/// A term this many e-folds (about 10⁻¹⁷) below its sum cannot change an f64 any more.
const NEGLIGIBLE_LN: f64 = -40.0;

/// Simpson steps per unit of (rate × time): keeps each step well inside the scale on which
/// the Erlang A integrand changes, for errors far below the five decimals printed.
const STEPS_PER_RATE_TIME: f64 = 64.0;
const MAX_STEPS: f64 = 400_000.0;

/// Rates per minute of the M/M/n+M queue.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rates {
    pub(super) arrival: f64,
    /// nμ: the rate at which busy positions free up.
    pub(super) served: f64,
    pub(super) abandon: f64,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct ErlangA {
    pub(super) rates: Rates,
    /// ln π_n: the log of the probability that all positions are busy and nobody queues.
    pub(super) ln_all_busy: f64,
    pub(super) waiting: f64,
    pub(super) abandonment: f64,
    pub(super) served_wait_minutes: f64,
    pub(super) occupancy: f64,
}

/// Running log-sums over the queue states i = 0, 1, 2, … (i citizens queuing).
#[derive(Debug)]
pub(super) struct QueueSums {
    /// ln Σ_(i≥1) w_i: the states with a queue.
    pub(super) queuing: f64,
    /// ln Σ i·w_i: the mean queue, up to the factor π_n.
    pub(super) queue_length: f64,
    /// ln Σ w_i·P(served | i ahead).
    pub(super) served_after_wait: f64,
    /// ln Σ w_i·P(served | i ahead)·E[wait | i ahead, served].
    pub(super) wait_of_served: f64,
}

impl ErlangA {
    pub(super) fn new(blocking: &Blocking, load: &Load, patience_minutes: f64) -> Self {
        let rates = Rates {
            arrival: load.arrival_rate(),
            served: f64::from(blocking.agents) * load.service_rate(),
            abandon: 1.0 / patience_minutes,
        };
        let sums = queue_sums(rates);
        let ln_z = ln_add(blocking.ln_inverse, sums.queuing);
        let waiting = (ln_add(0.0, sums.queuing) - ln_z).exp();
        let abandonment = rates.abandon / rates.arrival * (sums.queue_length - ln_z).exp();
        let served = 1.0 - waiting + (sums.served_after_wait - ln_z).exp();
        let served_wait_minutes = if served > 0.0 {
            (sums.wait_of_served - ln_z).exp() / served
        } else {
            f64::INFINITY
        };
        let occupancy = if rates.served > 0.0 {
            (rates.arrival * (1.0 - abandonment) / rates.served).min(1.0)
        } else {
            1.0
        };
        Self {
            rates,
            ln_all_busy: -ln_z,
            waiting,
            abandonment,
            served_wait_minutes,
            occupancy,
        }
    }

    /// 1 − P(wait) + π_n·nμ·∫_0^t exp(g(y)) dy, g(y) = (λ/θ)(1 − e^(−θy)) − (nμ + θ)y.
    pub(super) fn service_level(&self, within_minutes: f64) -> f64 {
        let Rates {
            arrival,
            served,
            abandon,
        } = self.rates;
        if served == 0.0 {
            return 0.0;
        }
        let ln_scale = self.ln_all_busy + served.ln();
        // π_n is folded into the exponent: λ/θ alone can reach e^100000.
        let integrand = |y: f64| {
            (ln_scale + arrival / abandon * -(-abandon * y).exp_m1() - (served + abandon) * y).exp()
        };
        let end = within_minutes.min(self.negligible_after());
        let steps = STEPS_PER_RATE_TIME * (arrival + served + abandon) * end;
        let served_after_wait = simpson(integrand, end, steps.clamp(64.0, MAX_STEPS) as u32);
        (1.0 - self.waiting + served_after_wait).clamp(0.0, 1.0)
    }

    /// A time past which the integrand is below e^(−40) of its peak. g is concave, so it
    /// falls at least as fast as any tangent past its mode: from 0 if g'(0) < 0, and in
    /// any case from ln 2/θ past the mode, where g' ≤ −(nμ + θ)/2.
    pub(super) fn negligible_after(&self) -> f64 {
        let Rates {
            arrival,
            served,
            abandon,
        } = self.rates;
        let slope_at_zero = arrival - served - abandon;
        let mode = if slope_at_zero > 0.0 {
            (arrival / (served + abandon)).ln() / abandon
        } else {
            0.0
        };
        let past_mode = mode + LN_2 / abandon + 2.0 * -NEGLIGIBLE_LN / (served + abandon);
        if slope_at_zero < 0.0 {
            past_mode.min(NEGLIGIBLE_LN / slope_at_zero)
        } else {
            past_mode
        }
    }
}

/// Sums over the queue lengths until the rest is negligible. The weights rise while
/// λ > nμ + iθ and fall after, at least geometrically with the current ratio r, so the
/// rest of Σ (i + k)·w_(i+k) is below w_i·((i + 1)/(1 − r) + 1/(1 − r)²).
pub(super) fn queue_sums(rates: Rates) -> QueueSums {
    let ln_served_rate = rates.served.ln();
    // Empty sums: ln 0.
    let mut sums = QueueSums {
        queuing: f64::NEG_INFINITY,
        queue_length: f64::NEG_INFINITY,
        served_after_wait: f64::NEG_INFINITY,
        wait_of_served: f64::NEG_INFINITY,
    };
    let mut ln_weight = 0.0; // w_0 = 1
    let mut mean_wait = 0.0;
    let mut ahead = 0.0_f64;
    loop {
        // With `ahead` in front, the citizen's place changes at nμ + (ahead + 1)θ: a
        // position frees up, someone ahead leaves, or the citizen leaves.
        let moving = rates.served + (ahead + 1.0) * rates.abandon;
        mean_wait += 1.0 / moving;
        let ln_served = ln_served_rate - moving.ln();
        if ahead > 0.0 {
            sums.queuing = ln_add(sums.queuing, ln_weight);
            sums.queue_length = ln_add(sums.queue_length, ln_weight + ahead.ln());
        }
        sums.served_after_wait = ln_add(sums.served_after_wait, ln_weight + ln_served);
        sums.wait_of_served = ln_add(sums.wait_of_served, ln_weight + ln_served + mean_wait.ln());

        // w_(i+1)/w_i = λ/(nμ + (i+1)θ): the same rate over again.
        let ratio = rates.arrival / moving;
        if ratio < 1.0 {
            let rest = (ahead + 1.0) / (1.0 - ratio) + 1.0 / (1.0 - ratio).powi(2);
            if ln_weight + rest.ln() < ln_add(0.0, sums.queuing) + NEGLIGIBLE_LN {
                return sums;
            }
        }
        ln_weight += ratio.ln();
        ahead += 1.0;
    }
}

/// ∫_0^end f by Simpson's rule with `steps` (rounded up to even) intervals.
pub(super) fn simpson(f: impl Fn(f64) -> f64, end: f64, steps: u32) -> f64 {
    if end <= 0.0 {
        return 0.0;
    }
    let steps = steps + steps % 2;
    let h = end / f64::from(steps);
    let inner: f64 = (1..steps)
        .map(|k| {
            let weight = if k % 2 == 1 { 4.0 } else { 2.0 };
            weight * f(f64::from(k) * h)
        })
        .sum();
    (f(0.0) + inner + f(end)) * h / 3.0
}
