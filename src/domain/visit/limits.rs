//! How many errands one visit may combine: each errand says how many of it one visit may
//! hold (a family's passports, not a whole football team's), and each location how many
//! errands in all, so a desk is not tied up for an afternoon by one booking.

use std::fmt;

use super::VisitLine;

/// Why the errands asked for cannot make one visit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VisitRefusal<S: fmt::Display> {
    #[error("choose at least one errand")]
    NoErrand,
    #[error("ask for at least one of '{0}'")]
    NoneOf(S),
    #[error("name '{0}' once, with how many of it")]
    Repeated(S),
    #[error("one visit may hold at most {max} of '{service}'")]
    TooManyOf { service: S, max: u32 },
    #[error("one visit here may hold at most {max} errands")]
    TooManyErrands { max: u32 },
}

/// Checks a visit's lines against the errands' limits (`max_of`) and the location's
/// (`location_max`, errands counted with their quantities). A one-errand visit always passes
/// the location's limit, so a location that combines nothing still takes single bookings.
pub fn check_lines<S: PartialEq + Clone + fmt::Display>(
    lines: &[VisitLine<S>],
    max_of: impl Fn(&S) -> u32,
    location_max: u32,
) -> Result<(), VisitRefusal<S>> {
    if lines.is_empty() {
        return Err(VisitRefusal::NoErrand);
    }
    for (i, line) in lines.iter().enumerate() {
        if line.quantity == 0 {
            return Err(VisitRefusal::NoneOf(line.service.clone()));
        }
        if lines[..i].iter().any(|l| l.service == line.service) {
            return Err(VisitRefusal::Repeated(line.service.clone()));
        }
        let max = max_of(&line.service).max(1);
        if line.quantity > max {
            return Err(VisitRefusal::TooManyOf {
                service: line.service.clone(),
                max,
            });
        }
    }
    let units: u32 = lines
        .iter()
        .map(|l| l.quantity)
        .fold(0, u32::saturating_add);
    if units > location_max.max(1) {
        return Err(VisitRefusal::TooManyErrands {
            max: location_max.max(1),
        });
    }
    Ok(())
}
