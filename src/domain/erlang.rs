//! How many positions a desk needs in one interval so that waits meet a target.
//!
//! Citizens arrive at random (Poisson, rate λ) and are handled in an exponential time
//! (mean 1/μ) at n identical positions, so the offered traffic is A = λ/μ erlangs.
//! Two classic models answer "how long will they wait":
//!
//! * **Erlang C** (M/M/n): everyone waits as long as it takes. With the Erlang B
//!   blocking probability B(n, A), the probability of waiting is
//!   `C = n·B / (n − A·(1 − B))` for n > A, the service level within t is
//!   `SL = 1 − C·e^(−(nμ − λ)·t)`, the average wait is `ASA = C / (nμ − λ)` and the
//!   occupancy is `A / n`. With n ≤ A the queue grows without end.
//! * **Erlang A** (M/M/n+M; Palm, and Garnett, Mandelbaum & Reiman 2002): a citizen
//!   leaves after an exponential patience of mean 1/θ, so there is a steady state for
//!   any n, also n ≤ A. The birth–death chain has, relative to π_n (all positions
//!   busy, nobody queuing), `π_k/π_n = A^(k−n)·n!/k!` for k ≤ n — whose sum is 1/B — and
//!   `w_i = π_(n+i)/π_n = Π_(j=1..i) λ / (nμ + jθ)` with i citizens queuing. From it:
//!   the probability of waiting `Σ_(i≥0) w_i / Z` with `Z = 1/B + Σ_(i≥1) w_i`, the
//!   probability of abandoning `θ·E[queue] / λ`, and — since a citizen who finds i
//!   ahead moves up or is served at rate nμ + (m+1)θ while m are ahead — the chance to
//!   be served `nμ / (nμ + (i+1)θ)` after a mean wait `Σ_(m=0..i) 1 / (nμ + (m+1)θ)`.
//!   The service level is the share of all citizens served within t (those who leave
//!   count as missed): `1 − P(wait) + π_n·nμ·∫_0^t exp((λ/θ)(1 − e^(−θy)) − (nμ + θ)y) dy`,
//!   the integral that Garnett et al. write as an incomplete gamma function; here it is
//!   integrated by Simpson's rule, which needs no special functions.
//!
//! B comes from the recursion `B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1))` rather than
//! from `A^n/n! / Σ A^k/k!`: the factorials overflow an f64 past 170 positions, while
//! every step of the recursion stays within (0, 1], so a call centre of thousands of
//! positions is as exact as one desk. Erlang A's sums can exceed any f64 when many
//! queue at once, so they are kept as logarithms.
//!
//! Everything is per minute inside; seconds appear only at the edges, as planners think
//! of waits in seconds and of handling times in minutes.

use std::f64::consts::LN_2;
use std::fmt::Write as _;

use serde::Serialize;

/// The longest patience accepted. Erlang A's work grows with the queue that forms, which
/// grows with patience; a citizen does not wait at a desk for more than a day, and one
/// who would wait for ever is Erlang C, chosen by giving no patience at all.
pub const MAX_PATIENCE_MINUTES: f64 = 1440.0;

/// Where the search for a staffing gives up rather than loop on an absurd load.
pub const MAX_POSITIONS: u32 = 1_000_000;

/// A term this many e-folds (about 10⁻¹⁷) below its sum cannot change an f64 any more.
const NEGLIGIBLE_LN: f64 = -40.0;

/// Simpson steps per unit of (rate × time): keeps each step well inside the scale on which
/// the Erlang A integrand changes, for errors far below the five decimals printed.
const STEPS_PER_RATE_TIME: f64 = 64.0;
const MAX_STEPS: f64 = 400_000.0;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ErlangError {
    /// An input out of range; `field` is the CLI flag that it comes from.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("no staffing of up to {max} positions meets the target")]
    Unreachable { max: u32 },
}

impl ErlangError {
    /// The flag to blame, if the error is about one input.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::Unreachable { .. } => None,
        }
    }
}

/// Accepts `value` if it is finite and `ok`, else names `field` and says what it `must` be.
fn check(field: &'static str, value: f64, ok: bool, must: &str) -> Result<f64, ErlangError> {
    if ok && value.is_finite() {
        Ok(value)
    } else {
        Err(ErlangError::Invalid {
            field,
            message: format!("must be {must}, not {value}"),
        })
    }
}

/// The demand on a desk in one interval. Built only by [`Load::new`], so every `Load`
/// in the program is a valid one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    arrivals: f64,
    interval_minutes: f64,
    handling_minutes: f64,
    patience_minutes: Option<f64>,
}

impl Load {
    /// `arrivals` citizens in `interval_minutes`, each handled in `handling_minutes` on
    /// average; with `patience_minutes` they leave after that long on average (Erlang A),
    /// without it they wait for ever (Erlang C).
    pub fn new(
        arrivals: f64,
        interval_minutes: f64,
        handling_minutes: f64,
        patience_minutes: Option<f64>,
    ) -> Result<Self, ErlangError> {
        // Checked in the order of the CLI's flags, so the first complaint is the first flag.
        let arrivals = check("calls", arrivals, arrivals >= 0.0, "0 or more")?;
        let interval_minutes = check(
            "interval-minutes",
            interval_minutes,
            interval_minutes > 0.0,
            "above 0",
        )?;
        let handling_minutes = check(
            "aht-minutes",
            handling_minutes,
            handling_minutes > 0.0,
            "above 0",
        )?;
        let patience_minutes = patience_minutes
            .map(|p| {
                check(
                    "patience-minutes",
                    p,
                    p > 0.0 && p <= MAX_PATIENCE_MINUTES,
                    "above 0 and at most 1440 (a day); leave it out to assume citizens never leave",
                )
            })
            .transpose()?;
        Ok(Self {
            arrivals,
            interval_minutes,
            handling_minutes,
            patience_minutes,
        })
    }

    pub fn arrivals(&self) -> f64 {
        self.arrivals
    }

    pub fn interval_minutes(&self) -> f64 {
        self.interval_minutes
    }

    pub fn handling_minutes(&self) -> f64 {
        self.handling_minutes
    }

    pub fn patience_minutes(&self) -> Option<f64> {
        self.patience_minutes
    }

    /// Offered traffic A = λ/μ: the positions that would be busy if nobody ever waited.
    pub fn traffic_erlangs(&self) -> f64 {
        // Multiplying first keeps round numbers round: 100·3/30 is exactly 10.
        self.arrivals * self.handling_minutes / self.interval_minutes
    }

    fn arrival_rate(&self) -> f64 {
        self.arrivals / self.interval_minutes
    }

    fn service_rate(&self) -> f64 {
        1.0 / self.handling_minutes
    }
}

/// What the staffing must achieve. Built only by its validating constructors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target(Goal);

/// What a [`Target`] asks for, as those who measure waits themselves read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    ServiceLevel { level: f64, within_minutes: f64 },
    AverageWait { minutes: f64 },
}

impl Target {
    /// A share `level` of citizens served within `within_seconds`. A level of 1 is refused:
    /// with random arrivals no finite staff serves everyone within a time.
    pub fn service_level(level: f64, within_seconds: f64) -> Result<Self, ErlangError> {
        let level = check(
            "service-level",
            level,
            level > 0.0 && level < 1.0,
            "above 0 and below 1",
        )?;
        let within_seconds = check(
            "target-seconds",
            within_seconds,
            within_seconds >= 0.0,
            "0 or more",
        )?;
        Ok(Self(Goal::ServiceLevel {
            level,
            within_minutes: within_seconds / 60.0,
        }))
    }

    /// An average wait of at most `seconds` for those served. Zero is refused: some
    /// citizen always finds every position busy.
    pub fn average_wait(seconds: f64) -> Result<Self, ErlangError> {
        let seconds = check("average-wait-seconds", seconds, seconds > 0.0, "above 0")?;
        Ok(Self(Goal::AverageWait {
            minutes: seconds / 60.0,
        }))
    }

    pub fn goal(&self) -> Goal {
        self.0
    }

    /// The time the reported service level is measured against: the target's own, and for
    /// an average-wait target that average.
    fn within_minutes(&self) -> f64 {
        match self.0 {
            Goal::ServiceLevel { within_minutes, .. } => within_minutes,
            Goal::AverageWait { minutes } => minutes,
        }
    }
}

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

/// The Erlang B recursion at one n, both plainly (for Erlang C) and as ln(1/B) (for
/// Erlang A, whose weights are relative to π_n and add up to 1/B + …: when positions far
/// outnumber the traffic, B underflows to 0 but its logarithm stays exact).
#[derive(Debug, Clone, Copy)]
struct Blocking {
    traffic: f64,
    agents: u32,
    blocking: f64,
    ln_inverse: f64,
}

impl Blocking {
    fn at(agents: u32, traffic: f64) -> Self {
        let mut b = Self {
            traffic,
            agents: 0,
            blocking: 1.0,
            ln_inverse: 0.0,
        };
        while b.agents < agents {
            b.step();
        }
        b
    }

    fn step(&mut self) {
        self.agents += 1;
        let n = f64::from(self.agents);
        let offered = self.traffic * self.blocking;
        self.blocking = offered / (n + offered);
        // 1/B(n) = 1 + (n/A)·1/B(n−1)
        self.ln_inverse = ln_add(0.0, (n / self.traffic).ln() + self.ln_inverse);
    }
}

fn waiting_from_blocking(agents: u32, traffic: f64, blocking: f64) -> f64 {
    let n = f64::from(agents);
    if traffic == 0.0 {
        0.0
    } else if n <= traffic {
        1.0
    } else {
        n * blocking / (n - traffic * (1.0 - blocking))
    }
}

/// ln(e^a + e^b), without leaving the logarithms.
fn ln_add(a: f64, b: f64) -> f64 {
    let (high, low) = if a >= b { (a, b) } else { (b, a) };
    if low == f64::NEG_INFINITY {
        // Also covers both being −∞, where low − high would be NaN.
        return high;
    }
    high + (low - high).exp().ln_1p()
}

/// The queue at one staffing, from which every measure follows.
#[derive(Debug, Clone, Copy)]
enum Queue {
    /// Nobody arrives.
    Idle {
        patient: bool,
    },
    Patient(ErlangC),
    Impatient(ErlangA),
}

impl Queue {
    fn at(blocking: &Blocking, load: &Load) -> Self {
        if load.arrivals == 0.0 {
            return Self::idle(load);
        }
        match load.patience_minutes {
            None => Self::Patient(ErlangC::new(blocking, load)),
            Some(patience) => Self::Impatient(ErlangA::new(blocking, load, patience)),
        }
    }

    fn idle(load: &Load) -> Self {
        Self::Idle {
            patient: load.patience_minutes.is_none(),
        }
    }

    fn meets(&self, target: &Target, max_occupancy: Option<f64>) -> bool {
        let target_met = match target.0 {
            Goal::ServiceLevel {
                level,
                within_minutes,
            } => self.service_level(within_minutes) >= level,
            Goal::AverageWait { minutes } => self.average_wait_minutes() <= minutes,
        };
        target_met && max_occupancy.is_none_or(|cap| self.occupancy() <= cap)
    }

    fn service_level(&self, within_minutes: f64) -> f64 {
        match self {
            Self::Idle { .. } => 1.0,
            Self::Patient(c) => c.service_level(within_minutes),
            Self::Impatient(a) => a.service_level(within_minutes),
        }
    }

    fn waiting_probability(&self) -> f64 {
        match self {
            Self::Idle { .. } => 0.0,
            Self::Patient(c) => c.waiting,
            Self::Impatient(a) => a.waiting,
        }
    }

    fn average_wait_minutes(&self) -> f64 {
        match self {
            Self::Idle { .. } => 0.0,
            Self::Patient(c) => c.average_wait_minutes(),
            Self::Impatient(a) => a.served_wait_minutes,
        }
    }

    fn occupancy(&self) -> f64 {
        match self {
            Self::Idle { .. } => 0.0,
            Self::Patient(c) => c.occupancy(),
            Self::Impatient(a) => a.occupancy,
        }
    }

    fn abandonment(&self) -> Option<f64> {
        match self {
            Self::Idle { patient: true } | Self::Patient(_) => None,
            Self::Idle { patient: false } => Some(0.0),
            Self::Impatient(a) => Some(a.abandonment),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct ErlangC {
    agents: f64,
    traffic: f64,
    handling_minutes: f64,
    waiting: f64,
}

impl ErlangC {
    fn new(blocking: &Blocking, load: &Load) -> Self {
        Self {
            agents: f64::from(blocking.agents),
            traffic: blocking.traffic,
            handling_minutes: load.handling_minutes,
            waiting: waiting_from_blocking(blocking.agents, blocking.traffic, blocking.blocking),
        }
    }

    fn stable(&self) -> bool {
        self.agents > self.traffic
    }

    fn service_level(&self, within_minutes: f64) -> f64 {
        if !self.stable() {
            return 0.0;
        }
        // (nμ − λ)·t with μ = 1/h, written as (n − A)·t/h.
        let decay = (self.agents - self.traffic) * within_minutes / self.handling_minutes;
        1.0 - self.waiting * (-decay).exp()
    }

    fn average_wait_minutes(&self) -> f64 {
        if !self.stable() {
            return f64::INFINITY;
        }
        self.waiting * self.handling_minutes / (self.agents - self.traffic)
    }

    fn occupancy(&self) -> f64 {
        (self.traffic / self.agents).min(1.0)
    }
}

/// Rates per minute of the M/M/n+M queue.
#[derive(Debug, Clone, Copy)]
struct Rates {
    arrival: f64,
    /// nμ: the rate at which busy positions free up.
    served: f64,
    abandon: f64,
}

#[derive(Debug, Clone, Copy)]
struct ErlangA {
    rates: Rates,
    /// ln π_n: the log of the probability that all positions are busy and nobody queues.
    ln_all_busy: f64,
    waiting: f64,
    abandonment: f64,
    served_wait_minutes: f64,
    occupancy: f64,
}

/// Running log-sums over the queue states i = 0, 1, 2, … (i citizens queuing).
#[derive(Debug)]
struct QueueSums {
    /// ln Σ_(i≥1) w_i: the states with a queue.
    queuing: f64,
    /// ln Σ i·w_i: the mean queue, up to the factor π_n.
    queue_length: f64,
    /// ln Σ w_i·P(served | i ahead).
    served_after_wait: f64,
    /// ln Σ w_i·P(served | i ahead)·E[wait | i ahead, served].
    wait_of_served: f64,
}

impl ErlangA {
    fn new(blocking: &Blocking, load: &Load, patience_minutes: f64) -> Self {
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
    fn service_level(&self, within_minutes: f64) -> f64 {
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
    fn negligible_after(&self) -> f64 {
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
fn queue_sums(rates: Rates) -> QueueSums {
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
fn simpson(f: impl Fn(f64) -> f64, end: f64, steps: u32) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook example: 100 calls in 30 minutes, 3 minutes each, 80 % within 20 s.
    fn published_load() -> Load {
        Load::new(100.0, 30.0, 3.0, None).unwrap()
    }

    fn eighty_in_twenty() -> Target {
        Target::service_level(0.8, 20.0).unwrap()
    }

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not within {tolerance} of {expected}"
        );
    }

    #[test]
    fn reproduces_the_published_example() {
        let s = required(&published_load(), &eighty_in_twenty(), None, 0.0).unwrap();
        assert_eq!(s.raw_positions, 14);
        assert_eq!(s.positions, 14);
        close(s.service_level, 0.88835, 0.00001);
        close(s.waiting_probability, 0.17413, 0.00001);
        close(s.average_wait_seconds, 7.836, 0.001);
        close(s.occupancy, 0.714, 0.001);
        assert_eq!(s.abandonment, None);
    }

    #[test]
    fn thirty_percent_shrinkage_needs_twenty_staff() {
        let s = required(&published_load(), &eighty_in_twenty(), None, 0.3).unwrap();
        assert_eq!((s.raw_positions, s.positions), (14, 20));
    }

    #[test]
    fn thirteen_positions_miss_the_target() {
        let load = published_load();
        let at_13 = service_level(13, &load, 20.0);
        assert!(at_13 < 0.8, "{at_13}");
        close(at_13, 0.79559, 0.00001);
        close(erlang_c(13, 10.0), 0.28527, 0.00001);
        close(average_wait_seconds(13, &load), 17.116, 0.001);
    }

    #[test]
    fn erlang_c_matches_the_factorial_formula_where_that_still_fits() {
        let (n, a) = (20_u32, 15.0_f64);
        let terms: Vec<f64> = (0..n)
            .scan(1.0, |term, k| {
                let this = *term;
                *term *= a / f64::from(k + 1);
                Some(this)
            })
            .collect();
        let last = terms[terms.len() - 1] * a / f64::from(n);
        let top = last * f64::from(n) / (f64::from(n) - a);
        let expected = top / (terms.iter().sum::<f64>() + top);
        close(erlang_c(n, a), expected, 1e-12);
    }

    #[test]
    fn an_average_wait_target_is_searched_too() {
        let load = published_load();
        assert!(average_wait_seconds(13, &load) > 10.0);
        let s = required(&load, &Target::average_wait(10.0).unwrap(), None, 0.0).unwrap();
        assert_eq!(s.raw_positions, 14);
        close(s.average_wait_seconds, 7.836, 0.001);
        // The service level is reported within the target average.
        close(s.service_level, service_level(14, &load, 10.0), 1e-12);
        let relaxed = required(&load, &Target::average_wait(20.0).unwrap(), None, 0.0).unwrap();
        assert_eq!(relaxed.raw_positions, 13);
    }

    #[test]
    fn a_maximum_occupancy_raises_the_count() {
        let s = required(&published_load(), &eighty_in_twenty(), Some(0.7), 0.0).unwrap();
        // 10 erlangs at most 70 % busy needs 10/0.7 = 14.3, so 15 positions.
        assert_eq!(s.raw_positions, 15);
        assert!(s.occupancy <= 0.7);
        let loose = required(&published_load(), &eighty_in_twenty(), Some(0.85), 0.0).unwrap();
        assert_eq!(loose.raw_positions, 14);
    }

    #[test]
    fn big_loads_stay_finite() {
        // 2000 calls in 30 minutes at 4 minutes: 266.7 erlangs.
        let load = Load::new(2000.0, 30.0, 4.0, None).unwrap();
        let s = required(&load, &eighty_in_twenty(), None, 0.3).unwrap();
        assert!((267..300).contains(&s.raw_positions), "{s:?}");
        assert!(s.service_level >= 0.8 && s.service_level < 1.0);
        assert!(service_level(s.raw_positions - 1, &load, 20.0) < 0.8);
        for value in [s.waiting_probability, s.average_wait_seconds, s.occupancy] {
            assert!(value.is_finite() && value > 0.0, "{s:?}");
        }
        let c = erlang_c(5000, 4900.0);
        assert!(c > 0.0 && c < 1.0, "{c}");
        assert!(erlang_b(5000, 10.0) >= 0.0);
    }

    #[test]
    fn zero_arrivals_need_nobody() {
        let load = Load::new(0.0, 30.0, 3.0, None).unwrap();
        let s = required(&load, &eighty_in_twenty(), Some(0.8), 0.3).unwrap();
        assert_eq!((s.raw_positions, s.positions), (0, 0));
        assert_eq!(s.service_level, 1.0);
        assert_eq!(s.waiting_probability, 0.0);
        assert_eq!(s.abandonment, None);
        let impatient = Load::new(0.0, 30.0, 3.0, Some(2.0)).unwrap();
        let s = required(&impatient, &eighty_in_twenty(), None, 0.0).unwrap();
        assert_eq!((s.raw_positions, s.abandonment), (0, Some(0.0)));
    }

    #[test]
    fn invalid_input_names_the_flag() {
        let field = |e: ErlangError| e.field().unwrap();
        let load = |calls, interval, aht, patience| Load::new(calls, interval, aht, patience);
        assert_eq!(field(load(-1.0, 30.0, 3.0, None).unwrap_err()), "calls");
        assert_eq!(field(load(f64::NAN, 30.0, 3.0, None).unwrap_err()), "calls");
        assert_eq!(
            field(load(1.0, 0.0, 3.0, None).unwrap_err()),
            "interval-minutes"
        );
        assert_eq!(
            field(load(1.0, 30.0, 0.0, None).unwrap_err()),
            "aht-minutes"
        );
        assert_eq!(
            field(load(1.0, 30.0, 3.0, Some(0.0)).unwrap_err()),
            "patience-minutes"
        );
        assert_eq!(
            field(load(1.0, 30.0, 3.0, Some(1e9)).unwrap_err()),
            "patience-minutes"
        );
        for level in [1.2, 1.0, 0.0, -0.5] {
            let e = Target::service_level(level, 20.0).unwrap_err();
            assert_eq!(field(e), "service-level");
        }
        assert_eq!(
            field(Target::service_level(0.8, -1.0).unwrap_err()),
            "target-seconds"
        );
        assert_eq!(
            field(Target::average_wait(0.0).unwrap_err()),
            "average-wait-seconds"
        );
        let (l, t) = (published_load(), eighty_in_twenty());
        for shrinkage in [1.0, 1.5, -0.1] {
            assert_eq!(
                field(required(&l, &t, None, shrinkage).unwrap_err()),
                "shrinkage"
            );
        }
        for cap in [0.0, 1.5] {
            assert_eq!(
                field(required(&l, &t, Some(cap), 0.0).unwrap_err()),
                "max-occupancy"
            );
        }
        let message = load(-1.0, 30.0, 3.0, None).unwrap_err().to_string();
        assert_eq!(message, "calls: must be 0 or more, not -1");
    }

    #[test]
    fn prints_the_lines_the_cli_shows() {
        let s = required(&published_load(), &eighty_in_twenty(), None, 0.3).unwrap();
        assert_eq!(
            to_text(&s),
            "raw_positions: 14\npositions: 20\nservice_level: 0.88835\n\
             waiting_probability: 0.17413\naverage_wait_seconds: 7.836\noccupancy: 0.714\n"
        );
        let json = serde_json::to_value(&s).unwrap();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "average_wait_seconds",
                "occupancy",
                "positions",
                "raw_positions",
                "service_level",
                "waiting_probability"
            ]
        );
        let impatient = Load::new(100.0, 30.0, 3.0, Some(2.0)).unwrap();
        let s = required(&impatient, &eighty_in_twenty(), None, 0.0).unwrap();
        assert!(to_text(&s).ends_with(&format!("abandonment: {:.5}\n", s.abandonment.unwrap())));
        assert!(serde_json::to_value(&s).unwrap()["abandonment"].is_f64());
    }

    #[test]
    fn the_search_finds_what_a_scan_of_every_staffing_finds() {
        let targets = [
            Target::service_level(0.8, 20.0).unwrap(),
            Target::service_level(0.95, 60.0).unwrap(),
            Target::service_level(0.5, 0.0).unwrap(),
            Target::average_wait(5.0).unwrap(),
            Target::average_wait(120.0).unwrap(),
        ];
        for calls in [5.0, 40.0, 100.0, 400.0] {
            for patience in [None, Some(0.5), Some(2.0), Some(10.0), Some(60.0)] {
                let load = Load::new(calls, 30.0, 3.0, patience).unwrap();
                for target in &targets {
                    for cap in [None, Some(0.85)] {
                        let scanned = (1..)
                            .find(|&n| {
                                let blocking = Blocking::at(n, load.traffic_erlangs());
                                Queue::at(&blocking, &load).meets(target, cap)
                            })
                            .unwrap();
                        let found = required(&load, target, cap, 0.0).unwrap().raw_positions;
                        assert_eq!(found, scanned, "{load:?} {target:?} {cap:?}");
                    }
                }
            }
        }
    }

    fn erlang_a(agents: u32, load: &Load) -> ErlangA {
        let blocking = Blocking::at(agents, load.traffic_erlangs());
        ErlangA::new(&blocking, load, load.patience_minutes.unwrap())
    }

    #[test]
    fn erlang_a_approaches_erlang_c_as_patience_grows() {
        let load = published_load();
        let mut previous_gap = f64::INFINITY;
        for patience in [10.0, 100.0, MAX_PATIENCE_MINUTES] {
            let impatient = Load::new(100.0, 30.0, 3.0, Some(patience)).unwrap();
            let gap = (service_level(14, &impatient, 20.0) - service_level(14, &load, 20.0)).abs();
            assert!(gap < previous_gap, "{patience}: {gap}");
            previous_gap = gap;
        }
        // Past what a Load accepts, straight to the model: a patience of two millennia.
        let blocking = Blocking::at(14, 10.0);
        let nearly_patient = ErlangA::new(&blocking, &load, 1e9);
        close(nearly_patient.waiting, erlang_c(14, 10.0), 1e-7);
        close(
            nearly_patient.served_wait_minutes * 60.0,
            average_wait_seconds(14, &load),
            1e-5,
        );
        close(
            nearly_patient.service_level(20.0 / 60.0),
            service_level(14, &load, 20.0),
            1e-7,
        );
        assert!(nearly_patient.abandonment < 1e-8);
    }

    #[test]
    fn erlang_a_matches_a_direct_birth_death_solution() {
        // 8 positions for 10 erlangs, patience 1 minute: overloaded, yet stable.
        let load = Load::new(100.0, 30.0, 3.0, Some(1.0)).unwrap();
        let a = erlang_a(8, &load);
        let (lambda, mu, theta) = (100.0 / 30.0, 1.0 / 3.0, 1.0);
        let weights: Vec<f64> = (0..400_u32)
            .scan(1.0, |p, k| {
                let this = *p;
                let rate_out = if k < 8 {
                    f64::from(k + 1) * mu
                } else {
                    8.0 * mu + f64::from(k + 1 - 8) * theta
                };
                *p *= lambda / rate_out;
                Some(this)
            })
            .collect();
        let total: f64 = weights.iter().sum();
        let waiting: f64 = weights[8..].iter().sum::<f64>() / total;
        let queue: f64 = (9..400).map(|k| (k - 8) as f64 * weights[k]).sum::<f64>() / total;
        close(a.waiting, waiting, 1e-12);
        close(a.abandonment, theta * queue / lambda, 1e-12);
        // Values of this case; a simulation of 200,000 minutes of the queue agrees within
        // its noise (about 0.3 %).
        close(a.waiting, 0.62518, 0.00001);
        close(a.abandonment, 0.27835, 0.00001);
        close(a.served_wait_minutes * 60.0, 14.074, 0.001);
        close(a.service_level(20.0 / 60.0), 0.52755, 0.00001);
    }

    #[test]
    fn erlang_a_service_level_spans_from_not_waiting_to_being_served() {
        let load = Load::new(100.0, 30.0, 3.0, Some(2.0)).unwrap();
        let a = erlang_a(12, &load);
        close(a.service_level(0.0), 1.0 - a.waiting, 1e-12);
        // Given long enough, everyone who does not leave is served: two independent
        // routes (the integral, the sum over queue states) to the same number.
        close(a.service_level(600.0), 1.0 - a.abandonment, 1e-9);
        let shares: Vec<f64> = [0.0, 0.1, 0.5, 1.0, 5.0]
            .iter()
            .map(|&t| a.service_level(t))
            .collect();
        assert!(shares.windows(2).all(|w| w[0] < w[1]), "{shares:?}");
    }

    #[test]
    fn abandonment_lowers_the_staffing() {
        let target = eighty_in_twenty();
        let two_minutes = Load::new(100.0, 30.0, 3.0, Some(2.0)).unwrap();
        let s = required(&two_minutes, &target, None, 0.0).unwrap();
        assert_eq!(s.raw_positions, 12);
        close(s.service_level, 0.82558, 0.00001);
        assert!(service_level(11, &two_minutes, 20.0) < 0.8);
        let abandonment = s.abandonment.unwrap();
        close(abandonment, 0.0616, 0.0001);
        close(s.occupancy, 10.0 * (1.0 - abandonment) / 12.0, 1e-12);
    }

    #[test]
    fn erlang_a_handles_big_overloaded_queues() {
        let load = Load::new(2000.0, 30.0, 4.0, Some(MAX_PATIENCE_MINUTES)).unwrap();
        let a = erlang_a(200, &load);
        for value in [
            a.waiting,
            a.abandonment,
            a.served_wait_minutes,
            a.service_level(1.0),
        ] {
            assert!(value.is_finite() && value >= 0.0, "{a:?}");
        }
        // 200 positions serve 50 a minute of the 66.7 arriving; the rest must leave.
        close(a.abandonment, 1.0 - 50.0 / (2000.0 / 30.0), 1e-6);
        let s = required(&load, &eighty_in_twenty(), None, 0.0).unwrap();
        assert!((260..300).contains(&s.raw_positions), "{s:?}");
    }
}
