//! Forecast of demand: expected walk-ins and bookings per location, errand and interval
//! for a coming period, learnt from the demand history.
//!
//! # The model
//!
//! Counts per quarter hour are small (often 0, 1 or 2), so a model per interval series
//! would learn mostly noise. The forecast instead models each errand's *day* and spreads
//! it over the day by a learnt profile (multiplicative decomposition):
//!
//! ```text
//! expected(day, quarter) = level × trend × weekday × month × start of month × postal votes
//!                          × share of the day in that quarter (per weekday)
//! ```
//!
//! - The calendar factors are fitted by backfitting over the history's open days, each as a
//!   Poisson–gamma posterior mean `(observed + k·prior) / (expected + k)`: a factor with
//!   little data behind it stays near its prior. The prior of an errand's factors is the
//!   location's (all errands pooled), whose own prior is 1, so a sparse errand borrows the
//!   location's shape instead of its own noise.
//! - The month factors are the yearly season (June passports, quiet July); they need a
//!   year of history to be learnt and fall back to the pooled or neutral value before.
//! - Postal votes: the weeks before the known [`election_days`] get a ramp from 0 to 1, and
//!   each errand learns how much it rises with it (general citizen service does, passports
//!   do not).
//! - The level is the deseasonalised mean of the last [`RECENT_WEEKS`] weeks, and a damped
//!   trend from the deseasonalised weekly levels carries it forward.
//! - The quarter-hour profile is a Dirichlet posterior per weekday: the errand's counts in
//!   each quarter, shrunk towards its all-weekday profile, which is shrunk towards the
//!   location's. Walk-ins and bookings keep separate profiles (a booking calendar spreads
//!   citizens more evenly).
//! - Closures, including public holidays, are zero: only the quarters where the location
//!   and the errand are open are forecast ([`open_intervals`]), and days on which the
//!   location had no history at all are taken as closed and left out of the fit.
//!
//! The no-show rate and the mean handling time are posterior means too: the location's
//! rate and the errand's configured duration are their priors.
//!
//! [`election_days`]: crate::domain::demand::election_days
//! [`open_intervals`]: crate::domain::demand::open_intervals

mod calendar;
mod fit;
mod interval;
mod model;
mod profile;
mod stream;
#[cfg(test)]
mod tests;

pub use calendar::postal_vote_ramp;
pub use fit::RECENT_WEEKS;
pub(super) use interval::local_date;
pub use interval::{IntervalForecast, INTERVAL_CHOICES};
pub use model::ForecastModel;
