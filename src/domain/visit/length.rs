//! How long a visit takes: the first errand in full, every further unit its shorter
//! "additional" time where it declares one, the desk's buffer once at the end, and the extra
//! minutes that the stated needs ask for.

use super::VisitLine;
use crate::domain::organisation::ServiceSpec;
use crate::domain::slots::BookingRules;

/// What a visit needs to know of one errand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrandTerms {
    pub duration_minutes: u32,
    /// The time each further unit takes when combined with others (a second passport is
    /// quicker than the first: the citizen is already there, the papers are out); `None`
    /// takes the full duration.
    pub additional_minutes: Option<u32>,
    pub buffer_minutes: u32,
    pub slot_step_minutes: u32,
    pub book_ahead_days: u32,
    pub min_notice_minutes: u32,
}

impl From<&ServiceSpec> for ErrandTerms {
    fn from(spec: &ServiceSpec) -> Self {
        Self {
            duration_minutes: spec.duration_minutes,
            additional_minutes: spec.additional_minutes,
            buffer_minutes: spec.buffer_minutes,
            slot_step_minutes: spec.slot_step_minutes,
            book_ahead_days: spec.book_ahead_days,
            min_notice_minutes: spec.min_notice_minutes,
        }
    }
}

impl ErrandTerms {
    fn additional(&self) -> u32 {
        self.additional_minutes.unwrap_or(self.duration_minutes)
    }
}

/// The booking rules of a whole visit, its lines in the citizen's order (the first leads):
///
/// - duration: the first errand's duration, plus each further unit's additional time, plus
///   `extra_minutes` from the needs;
/// - buffer: once, the longest of the errands' (the desk tidies up after the whole visit);
/// - grid: the first errand's, so a one-errand visit starts where it always did;
/// - window: what every errand allows: the shortest booking-ahead, the longest notice.
///
/// `None` for a visit of no units, which [`super::check_lines`] refuses first.
pub fn booking_rules(lines: &[VisitLine<ErrandTerms>], extra_minutes: u32) -> Option<BookingRules> {
    let first = lines.iter().find(|line| line.quantity > 0)?.service;
    let units: u32 = lines
        .iter()
        .map(|line| line.service.additional().saturating_mul(line.quantity))
        .fold(0, u32::saturating_add);
    let duration_minutes = units
        .saturating_sub(first.additional())
        .saturating_add(first.duration_minutes)
        .saturating_add(extra_minutes);
    let terms = lines.iter().map(|line| &line.service);
    Some(BookingRules {
        duration_minutes,
        buffer_minutes: terms.clone().map(|t| t.buffer_minutes).max().unwrap_or(0),
        slot_step_minutes: first.slot_step_minutes,
        book_ahead_days: terms.clone().map(|t| t.book_ahead_days).min().unwrap_or(0),
        min_notice_minutes: terms.map(|t| t.min_notice_minutes).max().unwrap_or(0),
    })
}
