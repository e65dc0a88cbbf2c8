//! The quarter-hour profile of a day: counts per local quarter hour and weekday, and the
//! shares of a day they give, shrunk towards a prior (a Dirichlet posterior).

use std::collections::BTreeMap;

/// Weight of a quarter-hour profile's prior, in citizens.
const PROFILE_PRIOR: f64 = 40.0;

/// Counts per local quarter hour (minute of the day), per weekday.
#[derive(Debug, Clone, Default)]
pub(super) struct Profile {
    pub(super) by_weekday: [BTreeMap<u32, f64>; 7],
}

impl Profile {
    pub(super) fn add(&mut self, weekday: usize, minute: u32, count: f64) {
        *self.by_weekday[weekday].entry(minute).or_default() += count;
    }

    fn all_weekdays(&self) -> BTreeMap<u32, f64> {
        let mut all = BTreeMap::new();
        for day in &self.by_weekday {
            for (m, c) in day {
                *all.entry(*m).or_default() += c;
            }
        }
        all
    }
}

/// Shares of a day's citizens per quarter hour, for a weekday, from `counts` shrunk to `prior`.
fn shares(counts: &BTreeMap<u32, f64>, prior: &BTreeMap<u32, f64>) -> BTreeMap<u32, f64> {
    let total: f64 = counts.values().sum();
    let mut out = BTreeMap::new();
    for (m, p) in prior {
        let c = counts.get(m).copied().unwrap_or(0.0);
        out.insert(*m, (c + PROFILE_PRIOR * p) / (total + PROFILE_PRIOR));
    }
    for (m, c) in counts {
        out.entry(*m).or_insert(c / (total + PROFILE_PRIOR));
    }
    out
}

fn normalised(counts: &BTreeMap<u32, f64>) -> BTreeMap<u32, f64> {
    let total: f64 = counts.values().sum();
    if total <= 0.0 {
        return BTreeMap::new();
    }
    counts.iter().map(|(m, c)| (*m, c / total)).collect()
}

/// Per weekday, the errand's shares of the day per quarter hour: its own counts, shrunk
/// towards its all-weekday profile, which is shrunk towards the location's.
pub(super) fn day_shares(own: &Profile, pool: &Profile) -> [BTreeMap<u32, f64>; 7] {
    let own_all = own.all_weekdays();
    let all = shares(&own_all, &normalised(&pool.all_weekdays()));
    std::array::from_fn(|wd| {
        // The prior covers the quarters the location was open on this weekday in which
        // the errand has ever been seen: other hours say nothing about this day.
        let open = &pool.by_weekday[wd];
        let prior: BTreeMap<u32, f64> = all
            .iter()
            .filter(|(m, _)| open.contains_key(m) && own_all.contains_key(m))
            .map(|(m, s)| (*m, *s))
            .collect();
        shares(&own.by_weekday[wd], &normalised(&prior))
    })
}
