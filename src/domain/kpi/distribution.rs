//! How the period's waits spread: tickets per band of waiting time, walk-ins and booked
//! apart, by the report's own rule for a ticket's wait and day.

use serde::Serialize;

use super::{Facts, Period};

/// Upper ends of the bands, in minutes; the last band is open.
pub const WAIT_BANDS_MINUTES: [u32; 6] = [2, 5, 10, 20, 30, 60];

/// Tickets whose wait fell in one band.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WaitBand {
    /// The band's lower and upper end in minutes; `None` above the last.
    pub from_minutes: u32,
    pub to_minutes: Option<u32>,
    pub walk_ins: u64,
    pub booked: u64,
}

/// Called tickets of the period per band of waiting time.
pub fn wait_distribution(facts: &Facts, period: Period) -> Vec<WaitBand> {
    let mut bands: Vec<WaitBand> = (0..=WAIT_BANDS_MINUTES.len())
        .map(|i| WaitBand {
            from_minutes: if i == 0 { 0 } else { WAIT_BANDS_MINUTES[i - 1] },
            to_minutes: WAIT_BANDS_MINUTES.get(i).copied(),
            ..WaitBand::default()
        })
        .collect();
    for t in &facts.tickets {
        let Some(zone) = facts
            .locations
            .iter()
            .find(|l| l.id == t.location)
            .map(|l| l.zone)
        else {
            continue;
        };
        let local = t.issued_at.with_timezone(&zone);
        if !period.contains(local.date_naive()) {
            continue;
        }
        let from = t
            .appointment_start
            .map_or(t.issued_at, |s| s.max(t.issued_at));
        let Some(call) = t.first_call else { continue };
        let minutes = (call - from).num_seconds().max(0) as f64 / 60.0;
        let band = WAIT_BANDS_MINUTES
            .iter()
            .position(|upper| minutes < f64::from(*upper))
            .unwrap_or(WAIT_BANDS_MINUTES.len());
        if t.appointment_start.is_some() {
            bands[band].booked += 1;
        } else {
            bands[band].walk_ins += 1;
        }
    }
    bands
}
