//! The times desks were open, from their state changes: the staffed hours of a report.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, DurationRound, Utc};

use super::facts::DeskChange;
use crate::domain::ids::LocationId;

/// A time a desk was open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenSpan {
    pub location: LocationId,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// The times each desk was open: from an `open` to the next pause or close, or to `now`.
pub fn open_spans(changes: &[DeskChange], now: DateTime<Utc>) -> Vec<OpenSpan> {
    let mut sorted: Vec<&DeskChange> = changes.iter().collect();
    sorted.sort_by_key(|c| (c.desk, c.at));
    let mut spans = Vec::new();
    let mut opened: BTreeMap<i64, (LocationId, DateTime<Utc>)> = BTreeMap::new();
    for c in sorted {
        match (c.open, opened.get(&c.desk).copied()) {
            (true, None) => {
                opened.insert(c.desk, (c.location, c.at));
            }
            (false, Some((location, from))) => {
                opened.remove(&c.desk);
                spans.push(OpenSpan {
                    location,
                    from,
                    to: c.at,
                });
            }
            // Opening an open desk or closing a closed one changes nothing.
            _ => {}
        }
    }
    spans.extend(opened.into_iter().filter(|(_, (_, from))| *from < now).map(
        |(_, (location, from))| OpenSpan {
            location,
            from,
            to: now,
        },
    ));
    spans
}

/// `[from, to)` cut at whole UTC hours: each piece's start and its length in seconds.
/// Whole UTC hours are whole local hours in every zone of the Danish realm.
pub(super) fn hour_pieces(from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(DateTime<Utc>, i64)> {
    let mut pieces = Vec::new();
    let mut at = from;
    while at < to {
        let hour = at.duration_trunc(Duration::hours(1)).unwrap_or(at);
        let next = (hour + Duration::hours(1)).min(to);
        pieces.push((at, (next - at).num_seconds()));
        at = next;
    }
    pieces
}
