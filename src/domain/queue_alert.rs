//! Live queue alerts: when an errand's expected wait stays over its target, the desks are
//! told to open one more; when it has stayed well under it, the alert is cleared.
//!
//! Two bands and a dwell keep an alert from flapping: it is raised only after the wait has
//! been over the target for [`AlertRule::hold`], and cleared only after it has been at or
//! under [`CLEAR_SHARE`] of the target for as long. A wait between the two bands keeps
//! whatever the alert is.

use chrono::{DateTime, Duration, Utc};

/// How long a wait must stay over (or back under) its target, when nothing says otherwise.
pub const DEFAULT_HOLD_MINUTES: u32 = 10;

/// The share of the target the wait must fall to before an alert is cleared.
pub const CLEAR_SHARE: f64 = 0.75;

/// When an alert is raised and cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertRule {
    pub hold: Duration,
}

impl Default for AlertRule {
    fn default() -> Self {
        Self {
            hold: Duration::minutes(i64::from(DEFAULT_HOLD_MINUTES)),
        }
    }
}

/// One errand's queue as it is now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub waiting: u32,
    /// The wait of one who takes a ticket now.
    pub expected_wait_minutes: u32,
    pub target_minutes: f64,
}

impl Reading {
    /// The expected wait of a newcomer: everyone ahead, shared among the open desks serving
    /// the errand. With none open it is counted as one, so people waiting while every desk
    /// is closed read as a queue that needs a desk, not as no queue at all.
    pub fn of(waiting: u32, service_minutes: f64, open_desks: u32, target_minutes: f64) -> Self {
        let minutes = f64::from(waiting) * service_minutes / f64::from(open_desks.max(1));
        Self {
            waiting,
            // `as` saturates, so a huge queue reads u32::MAX rather than wrapping.
            expected_wait_minutes: minutes.round() as u32,
            target_minutes,
        }
    }

    fn over(&self) -> bool {
        f64::from(self.expected_wait_minutes) > self.target_minutes
    }

    fn calm(&self) -> bool {
        f64::from(self.expected_wait_minutes) <= self.target_minutes * CLEAR_SHARE
    }
}

/// Where one errand's alert stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AlertState {
    /// Since when the wait has been over the target (while no alert is raised).
    pub over_since: Option<DateTime<Utc>>,
    /// Since when the wait has been back under the clearing band (while one is).
    pub calm_since: Option<DateTime<Utc>>,
    /// When the alert standing now was raised.
    pub raised_at: Option<DateTime<Utc>>,
}

impl AlertState {
    pub fn raised(&self) -> bool {
        self.raised_at.is_some()
    }
}

/// What a reading did to an alert.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::Display, serde::Serialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum AlertChange {
    Raised,
    Cleared,
}

/// The alert after `reading` at `now`, and whether it was raised or cleared by it.
pub fn step(
    rule: AlertRule,
    state: AlertState,
    reading: Reading,
    now: DateTime<Utc>,
) -> (AlertState, Option<AlertChange>) {
    match state.raised_at {
        None if reading.over() => {
            let since = state.over_since.unwrap_or(now);
            if now - since >= rule.hold {
                let raised = AlertState {
                    over_since: None,
                    calm_since: None,
                    raised_at: Some(now),
                };
                (raised, Some(AlertChange::Raised))
            } else {
                let over = AlertState {
                    over_since: Some(since),
                    ..state
                };
                (over, None)
            }
        }
        None => (AlertState::default(), None),
        Some(_) if reading.calm() => {
            let since = state.calm_since.unwrap_or(now);
            if now - since >= rule.hold {
                (AlertState::default(), Some(AlertChange::Cleared))
            } else {
                let calm = AlertState {
                    calm_since: Some(since),
                    ..state
                };
                (calm, None)
            }
        }
        Some(_) => (
            AlertState {
                calm_since: None,
                ..state
            },
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        "2027-03-29T12:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::minutes(minute)
    }

    /// Steps through `(minute, expected wait)` with a 4-minute target and a 10-minute hold;
    /// returns the minutes at which the alert was raised or cleared.
    fn run(readings: &[(i64, u32)]) -> Vec<(i64, AlertChange)> {
        let rule = AlertRule::default();
        let mut state = AlertState::default();
        let mut changes = Vec::new();
        for &(minute, wait) in readings {
            let reading = Reading {
                waiting: wait,
                expected_wait_minutes: wait,
                target_minutes: 4.0,
            };
            let (next, change) = step(rule, state, reading, at(minute));
            state = next;
            changes.extend(change.map(|c| (minute, c)));
        }
        changes
    }

    #[test]
    fn an_alert_is_raised_once_after_the_hold_and_cleared_once_after_a_calm_hold() {
        let changes = run(&[
            (0, 2),
            (5, 12),
            (10, 14),
            (15, 20),
            (20, 24),
            (25, 6),
            (30, 3),
            (35, 2),
            (40, 0),
            (45, 0),
        ]);
        assert_eq!(
            changes,
            vec![(15, AlertChange::Raised), (40, AlertChange::Cleared)]
        );
    }

    #[test]
    fn a_wait_that_dips_or_hovers_at_the_target_does_not_flap() {
        // Over for 8 minutes, one reading under, over again: the hold starts afresh.
        assert_eq!(
            run(&[(0, 9), (8, 3), (10, 9), (18, 9)]),
            Vec::<(i64, AlertChange)>::new()
        );
        // Raised, then at the target (4) — not under ¾ of it — for an hour: still raised.
        let hovering: Vec<(i64, u32)> = std::iter::once((0, 9))
            .chain(std::iter::once((10, 9)))
            .chain((15..75).step_by(5).map(|m| (m, 4)))
            .collect();
        assert_eq!(run(&hovering), vec![(10, AlertChange::Raised)]);
        // Raised, calm for 5 minutes, over again, calm anew: cleared a full hold later.
        assert_eq!(
            run(&[(0, 9), (10, 9), (15, 1), (20, 9), (25, 1), (30, 1), (35, 1)]),
            vec![(10, AlertChange::Raised), (35, AlertChange::Cleared)]
        );
    }

    #[test]
    fn a_newcomer_waits_for_everyone_ahead_shared_among_open_desks() {
        assert_eq!(Reading::of(12, 4.0, 2, 2.0).expected_wait_minutes, 24);
        assert_eq!(
            Reading::of(3, 10.0, 0, 2.0).expected_wait_minutes,
            30,
            "no desk open counts as one"
        );
        assert!(Reading::of(0, 10.0, 0, 2.0).calm());
        assert!(Reading::of(1, 3.0, 1, 2.0).over());
    }
}
