//! How well the estimated wait on a ticket foretells the real one: a simulated day at one
//! queue, where each ticket's estimate is taken when it is issued (as the kiosk prints it)
//! and compared with the wait it then had.
//!
//! The queue is served first come, first served by identical desks, so each ticket's call
//! time follows from the ones before it; the estimate sees only what the server would know
//! at that moment (people ahead, open desks, the rolling mean of finished services).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::TimeDelta;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp, LogNormal};

use super::queue::{estimated_wait_minutes, RollingMean};

/// One simulated opening day at one queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    /// How long the door gives tickets, in minutes.
    pub open_minutes: f64,
    /// Desks serving the queue all day.
    pub desks: u32,
    /// The errand's configured duration: the estimator's prior.
    pub configured_minutes: f64,
    /// The real mean and spread of service times (log-normal).
    pub mean_service_minutes: f64,
    pub service_sd_minutes: f64,
    /// Arrivals per hour outside and inside the lunch peak (the middle third of the day).
    pub arrivals_per_hour: f64,
    pub lunch_arrivals_per_hour: f64,
}

impl Day {
    /// A city hall morning: 10:00–14:30 with three desks, a lunch peak that builds a queue,
    /// and errands that take longer than configured.
    pub fn city_hall() -> Self {
        Self {
            open_minutes: 270.0,
            desks: 3,
            configured_minutes: 8.0,
            mean_service_minutes: 9.0,
            service_sd_minutes: 5.0,
            arrivals_per_hour: 14.0,
            lunch_arrivals_per_hour: 24.0,
        }
    }

    fn rate_per_minute(&self, at: f64) -> f64 {
        let third = self.open_minutes / 3.0;
        let per_hour = if (third..2.0 * third).contains(&at) {
            self.lunch_arrivals_per_hour
        } else {
            self.arrivals_per_hour
        };
        per_hour / 60.0
    }
}

/// The accuracy of the estimates of one day (or the mean over several).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Accuracy {
    pub tickets: usize,
    /// Mean absolute error of the printed estimate, in minutes.
    pub mae_minutes: f64,
    /// The same for a naive estimate (people ahead × configured duration, ignoring desks).
    pub naive_mae_minutes: f64,
    pub mean_wait_minutes: f64,
}

/// Simulates one day with `seed` and measures the estimates against the waits.
pub fn simulate(day: &Day, seed: u64) -> Accuracy {
    let mut rng = StdRng::seed_from_u64(seed);
    let arrivals = arrivals(day, &mut rng);
    let service = service_times(day);

    // Desks' free times, earliest first; finished services wait here until the clock
    // passes their end, when the server would learn their duration.
    let mut desks: BinaryHeap<Reverse<Minutes>> =
        (0..day.desks).map(|_| Reverse(Minutes(0.0))).collect();
    let mut finished: BinaryHeap<Reverse<(Minutes, Minutes)>> = BinaryHeap::new();
    let mut rolling = RollingMean::new(day.configured_minutes);
    let mut calls: Vec<f64> = Vec::with_capacity(arrivals.len());
    let (mut error, mut naive_error, mut waited) = (0.0, 0.0, 0.0);

    for &arrival in &arrivals {
        while let Some(Reverse((end, duration))) = finished.peek().copied() {
            if end.0 > arrival {
                break;
            }
            finished.pop();
            rolling.push(minutes_delta(duration.0));
        }
        let ahead = calls.iter().filter(|&&call| call > arrival).count() as u32;
        let estimate =
            estimated_wait_minutes(ahead, rolling.mean_minutes(), day.desks).map_or(0.0, f64::from);
        let naive = f64::from(ahead) * day.configured_minutes;

        let Reverse(free) = desks.pop().expect("at least one desk");
        let call = free.0.max(arrival);
        let duration = service.sample(&mut rng);
        desks.push(Reverse(Minutes(call + duration)));
        finished.push(Reverse((Minutes(call + duration), Minutes(duration))));
        calls.push(call);

        let wait = call - arrival;
        error += (estimate - wait).abs();
        naive_error += (naive - wait).abs();
        waited += wait;
    }
    let n = arrivals.len().max(1) as f64;
    Accuracy {
        tickets: arrivals.len(),
        mae_minutes: error / n,
        naive_mae_minutes: naive_error / n,
        mean_wait_minutes: waited / n,
    }
}

/// The mean accuracy over `days` seeded days.
pub fn over_days(day: &Day, days: u64) -> Accuracy {
    let runs: Vec<Accuracy> = (1..=days).map(|seed| simulate(day, seed)).collect();
    let mean = |f: fn(&Accuracy) -> f64| runs.iter().map(f).sum::<f64>() / runs.len() as f64;
    Accuracy {
        tickets: runs.iter().map(|a| a.tickets).sum(),
        mae_minutes: mean(|a| a.mae_minutes),
        naive_mae_minutes: mean(|a| a.naive_mae_minutes),
        mean_wait_minutes: mean(|a| a.mean_wait_minutes),
    }
}

/// Arrival times in minutes after opening: a Poisson process whose rate changes over the
/// day, drawn by thinning one at the peak rate.
fn arrivals(day: &Day, rng: &mut StdRng) -> Vec<f64> {
    let peak = day.arrivals_per_hour.max(day.lunch_arrivals_per_hour) / 60.0;
    let gap = Exp::new(peak).expect("a positive rate");
    let mut at = 0.0;
    let mut times = Vec::new();
    loop {
        at += gap.sample(rng);
        if at >= day.open_minutes {
            return times;
        }
        if rng.gen::<f64>() < day.rate_per_minute(at) / peak {
            times.push(at);
        }
    }
}

/// Log-normal service times with the day's mean and spread.
fn service_times(day: &Day) -> LogNormal<f64> {
    let variance = (day.service_sd_minutes / day.mean_service_minutes).powi(2);
    let sigma2 = (1.0 + variance).ln();
    LogNormal::new(day.mean_service_minutes.ln() - sigma2 / 2.0, sigma2.sqrt())
        .expect("a valid log-normal")
}

fn minutes_delta(minutes: f64) -> TimeDelta {
    TimeDelta::milliseconds((minutes * 60_000.0).round() as i64)
}

/// Minutes as an ordered key (simulated times are never NaN).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Minutes(f64);

impl Eq for Minutes {}

impl PartialOrd for Minutes {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Minutes {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_the_same_for_the_same_seed_and_differs_for_another() {
        let day = Day::city_hall();
        assert_eq!(simulate(&day, 7), simulate(&day, 7));
        assert_ne!(simulate(&day, 7), simulate(&day, 8));
    }

    #[test]
    fn the_estimate_beats_counting_people_times_the_configured_duration() {
        let accuracy = over_days(&Day::city_hall(), 20);
        assert!(accuracy.tickets > 1000, "{accuracy:?}");
        assert!(
            accuracy.mean_wait_minutes > 1.0,
            "a day with a queue: {accuracy:?}"
        );
        assert!(
            accuracy.mae_minutes < accuracy.naive_mae_minutes,
            "{accuracy:?}"
        );
    }

    #[test]
    fn an_idle_queue_is_estimated_exactly() {
        let quiet = Day {
            desks: 20,
            arrivals_per_hour: 2.0,
            lunch_arrivals_per_hour: 2.0,
            ..Day::city_hall()
        };
        let accuracy = simulate(&quiet, 1);
        assert_eq!(accuracy.mean_wait_minutes, 0.0);
        assert_eq!(accuracy.mae_minutes, 0.0);
    }
}
