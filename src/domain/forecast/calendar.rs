//! The calendar factors of a daily series (weekday, month, start of month, postal votes),
//! fitted by backfitting, each shrunk towards its prior.

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use crate::domain::demand::{
    postal_voting_days_before, POSTAL_VOTES_FROM_DAYS, POSTAL_VOTES_UNTIL_DAYS,
};

/// Weight of a calendar factor's prior, in citizens.
const FACTOR_PRIOR: f64 = 30.0;
const BACKFIT_PASSES: usize = 4;

/// The month-start buckets: the 1st, the 2nd, the 3rd, the 4th–5th; later days are 1.
const MONTH_START_BUCKETS: usize = 4;

fn month_start_bucket(date: NaiveDate) -> Option<usize> {
    match date.day() {
        1 => Some(0),
        2 => Some(1),
        3 => Some(2),
        4 | 5 => Some(3),
        _ => None,
    }
}

/// How far into the postal-vote weeks of an election held in `zone` a date is: 0 outside,
/// rising linearly to 1 on the last day of postal voting.
pub fn postal_vote_ramp(date: NaiveDate, zone: Tz) -> f64 {
    let span = (POSTAL_VOTES_FROM_DAYS - POSTAL_VOTES_UNTIL_DAYS) as f64;
    postal_voting_days_before(date, zone)
        .map(|before| (POSTAL_VOTES_FROM_DAYS - before) as f64 / span)
        .fold(0.0, f64::max)
}

/// The multiplicative calendar factors of one daily series.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Calendar {
    pub(super) weekday: [f64; 7],
    pub(super) month: [f64; 12],
    pub(super) month_start: [f64; MONTH_START_BUCKETS],
    /// Relative rise at the peak of the postal-vote ramp.
    pub(super) postal_votes: f64,
}

impl Calendar {
    pub(super) fn neutral() -> Self {
        Self {
            weekday: [1.0; 7],
            month: [1.0; 12],
            month_start: [1.0; MONTH_START_BUCKETS],
            postal_votes: 0.0,
        }
    }

    pub(super) fn factor(&self, date: NaiveDate, zone: Tz) -> f64 {
        self.weekday[date.weekday().num_days_from_monday() as usize]
            * self.month[date.month0() as usize]
            * month_start_bucket(date).map_or(1.0, |b| self.month_start[b])
            * (1.0 + self.postal_votes * postal_vote_ramp(date, zone)).max(0.05)
    }

    /// Fits the factors of a daily series by backfitting, each shrunk towards `prior`.
    pub(super) fn fit(days: &[(NaiveDate, f64)], zone: Tz, prior: &Calendar) -> Self {
        let mut fitted = prior.clone();
        if days.is_empty() {
            return fitted;
        }
        let mut level = days.iter().map(|d| d.1).sum::<f64>() / days.len() as f64;
        for _ in 0..BACKFIT_PASSES {
            let expected = |c: &Calendar, d: NaiveDate| level * c.factor(d, zone);
            fitted.weekday = refit(days, &prior.weekday, |d| {
                let i = d.weekday().num_days_from_monday() as usize;
                Some((i, expected(&fitted, d) / fitted.weekday[i]))
            });
            fitted.month = refit(days, &prior.month, |d| {
                let i = d.month0() as usize;
                Some((i, expected(&fitted, d) / fitted.month[i]))
            });
            fitted.month_start = refit(days, &prior.month_start, |d| {
                month_start_bucket(d).map(|i| (i, expected(&fitted, d) / fitted.month_start[i]))
            });
            let (mut excess, mut exposure) = (0.0, 0.0);
            for &(d, y) in days {
                let ramp = postal_vote_ramp(d, zone);
                if ramp > 0.0 {
                    let without = expected(&fitted, d) / (1.0 + fitted.postal_votes * ramp);
                    excess += y - without;
                    exposure += without * ramp;
                }
            }
            fitted.postal_votes = ((excess + FACTOR_PRIOR * prior.postal_votes)
                / (exposure + FACTOR_PRIOR))
                .max(-0.9);
            let weight: f64 = days.iter().map(|&(d, _)| fitted.factor(d, zone)).sum();
            level = days.iter().map(|d| d.1).sum::<f64>() / weight.max(f64::MIN_POSITIVE);
        }
        fitted
    }
}

/// One family of factors, refitted with the others held: `cell` says which factor a day
/// falls in and what the model expects of it without that factor.
fn refit<const N: usize>(
    days: &[(NaiveDate, f64)],
    prior: &[f64; N],
    cell: impl Fn(NaiveDate) -> Option<(usize, f64)>,
) -> [f64; N] {
    let mut observed = [0.0; N];
    let mut expected = [0.0; N];
    for &(d, y) in days {
        if let Some((i, e)) = cell(d) {
            observed[i] += y;
            expected[i] += e;
        }
    }
    std::array::from_fn(|i| (observed[i] + FACTOR_PRIOR * prior[i]) / (expected[i] + FACTOR_PRIOR))
}
