//! What happens to one errand's citizens in one quarter hour of the synthetic model: how
//! many come, who gives up waiting, and how long handling and waiting take.

use rand::rngs::StdRng;
use rand_distr::Distribution;

use super::sampling::{binomial, poisson, total_of_exponentials};
use super::stream::{ExpectedDemand, Stream};

/// Counts drawn for one stream in one interval.
#[derive(Debug, Clone, Copy)]
pub(super) struct Arrivals {
    pub(super) walk_ins: u32,
    pub(super) booked: u32,
    pub(super) no_shows: u32,
}

impl Arrivals {
    pub(super) fn draw(expected: &ExpectedDemand, rng: &mut StdRng) -> Self {
        let booked = poisson(expected.booked, rng);
        let no_show_rate = if expected.booked > 0.0 {
            expected.no_shows / expected.booked
        } else {
            0.0
        };
        Self {
            walk_ins: poisson(expected.walk_ins, rng),
            booked,
            no_shows: binomial(booked, no_show_rate, rng),
        }
    }
}

/// Mean wait of a booked citizen at a counter: called at the booked time, give or take.
pub(in crate::domain::demand) const BOOKED_WAIT_MINUTES: f64 = 1.5;
/// How much of the walk-in queue spills onto the booked when the desks are overloaded.
pub(in crate::domain::demand) const BOOKED_SHARE_OF_QUEUE: f64 = 0.1;
/// Mean wait for a booked phone or video call to be picked up.
pub(in crate::domain::demand) const REMOTE_WAIT_MINUTES: f64 = 0.5;
/// Mean patience of a walk-in: the wait at which 1 − 1/e of them would have given up.
const PATIENCE_MINUTES: f64 = 240.0;

/// What became of one stream's arrivals in one interval.
#[derive(Debug, Clone, Copy)]
pub(super) struct Outcome {
    pub(super) served: u32,
    pub(super) service_seconds: f64,
    pub(super) wait_seconds: f64,
}

/// Serves one stream's arrivals: who walked away, how long handling and waiting took.
pub(super) fn serve(stream: &Stream, a: Arrivals, walk_in_wait: f64, rng: &mut StdRng) -> Outcome {
    let (walked_away, booked_wait) = if stream.at_counter {
        let give_up = 1.0 - (-walk_in_wait / PATIENCE_MINUTES).exp();
        let booked_wait = BOOKED_WAIT_MINUTES + BOOKED_SHARE_OF_QUEUE * walk_in_wait;
        (binomial(a.walk_ins, give_up, rng), booked_wait)
    } else {
        (0, REMOTE_WAIT_MINUTES)
    };
    let served_walk_ins = a.walk_ins - walked_away;
    let served_booked = a.booked - a.no_shows;
    let served = served_walk_ins + served_booked;
    let service_seconds: f64 = (0..served).map(|_| stream.service_time.sample(rng)).sum();
    // Each citizen's wait is exponential around the mean, so a total is a gamma draw.
    let wait_seconds = total_of_exponentials(served_walk_ins, walk_in_wait * 60.0, rng)
        + total_of_exponentials(served_booked, booked_wait * 60.0, rng);
    Outcome {
        served,
        service_seconds,
        wait_seconds,
    }
}
