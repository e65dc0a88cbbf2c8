//! Capacity and occupancy as step functions of time, and the least free capacity over a span.

use chrono::{DateTime, Utc};

/// A step function of time: each point's value holds from it until the next point, and is 0
/// before the first. Built by a sweep over sorted `+n`/`-n` events, so that the capacity and
/// occupancy of months cost a sort, never a loop over minutes.
pub(super) struct Steps {
    points: Vec<(DateTime<Utc>, i64)>,
}

impl Steps {
    pub(super) fn from_deltas(mut deltas: Vec<(DateTime<Utc>, i64)>) -> Self {
        deltas.sort_by_key(|(at, _)| *at);
        let mut points: Vec<(DateTime<Utc>, i64)> = Vec::with_capacity(deltas.len());
        let mut level = 0;
        for (at, delta) in deltas {
            level += delta;
            // Events at one instant merge, so the value at a point is the one after all of
            // them: an appointment ending at 10:30 does not overlap one starting then.
            match points.last_mut() {
                Some(last) if last.0 == at => last.1 = level,
                _ => points.push((at, level)),
            }
        }
        Self { points }
    }

    /// The same function, never above `ceiling`.
    pub(super) fn at_most(mut self, ceiling: Option<u32>) -> Self {
        if let Some(ceiling) = ceiling {
            for point in &mut self.points {
                point.1 = point.1.min(i64::from(ceiling));
            }
        }
        self
    }

    fn at(&self, t: DateTime<Utc>) -> i64 {
        match self.points.partition_point(|(at, _)| *at <= t) {
            0 => 0,
            i => self.points[i - 1].1,
        }
    }

    /// The instants strictly inside `(from, to)` where the value changes.
    fn changes_within(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        let first = self.points.partition_point(|(at, _)| *at <= from);
        let last = self.points.partition_point(|(at, _)| *at < to).max(first);
        self.points[first..last].iter().map(|(at, _)| *at)
    }
}

/// The least of `capacity − occupied` over `[from, to)`: both are constant between their
/// change points, so only `from` and those points need looking at.
pub(super) fn min_difference(
    capacity: &Steps,
    occupied: &Steps,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> i64 {
    std::iter::once(from)
        .chain(capacity.changes_within(from, to))
        .chain(occupied.changes_within(from, to))
        .map(|t| capacity.at(t) - occupied.at(t))
        .min()
        .unwrap_or(0)
}
