//! The random draws of the synthetic model, each safe at a mean or probability of zero.

use rand::rngs::StdRng;
use rand_distr::{Binomial, Distribution, Gamma, Poisson};

pub(super) fn poisson(mean: f64, rng: &mut StdRng) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    Poisson::new(mean).expect("positive mean").sample(rng) as u32
}

pub(super) fn binomial(n: u32, p: f64, rng: &mut StdRng) -> u32 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    Binomial::new(u64::from(n), p.min(1.0))
        .expect("p in 0..=1")
        .sample(rng) as u32
}

pub(super) fn total_of_exponentials(n: u32, mean: f64, rng: &mut StdRng) -> f64 {
    if n == 0 || mean <= 0.0 {
        return 0.0;
    }
    Gamma::new(f64::from(n), mean)
        .expect("positive shape and scale")
        .sample(rng)
}
