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

mod blocking;
mod erlang_a;
mod erlang_c;
mod inputs;
mod measures;
mod queue;
mod staffing;
#[cfg(test)]
mod tests;

pub use inputs::{ErlangError, Goal, Load, Target, MAX_PATIENCE_MINUTES};
pub use measures::{average_wait_seconds, erlang_b, erlang_c, service_level};
pub use staffing::{required, to_text, Staffing, MAX_POSITIONS};
