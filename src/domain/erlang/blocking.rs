//! The Erlang B recursion, plainly and in logarithms, and the Erlang C waiting probability
//! that follows from it.

/// The Erlang B recursion at one n, both plainly (for Erlang C) and as ln(1/B) (for
/// Erlang A, whose weights are relative to π_n and add up to 1/B + …: when positions far
/// outnumber the traffic, B underflows to 0 but its logarithm stays exact).
#[derive(Debug, Clone, Copy)]
pub(super) struct Blocking {
    pub(super) traffic: f64,
    pub(super) agents: u32,
    pub(super) blocking: f64,
    pub(super) ln_inverse: f64,
}

impl Blocking {
    pub(super) fn at(agents: u32, traffic: f64) -> Self {
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

    pub(super) fn step(&mut self) {
        self.agents += 1;
        let n = f64::from(self.agents);
        let offered = self.traffic * self.blocking;
        self.blocking = offered / (n + offered);
        // 1/B(n) = 1 + (n/A)·1/B(n−1)
        self.ln_inverse = ln_add(0.0, (n / self.traffic).ln() + self.ln_inverse);
    }
}

pub(super) fn waiting_from_blocking(agents: u32, traffic: f64, blocking: f64) -> f64 {
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
pub(super) fn ln_add(a: f64, b: f64) -> f64 {
    let (high, low) = if a >= b { (a, b) } else { (b, a) };
    if low == f64::NEG_INFINITY {
        // Also covers both being −∞, where low − high would be NaN.
        return high;
    }
    high + (low - high).exp().ln_1p()
}
