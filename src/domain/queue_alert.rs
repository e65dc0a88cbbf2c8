//! Live queue alerts: when an errand's queue runs away from what the desks can take, the
//! desks are told to open one more; when it has stayed well back, the alert is cleared.
//!
//! Two rules raise one: the expected wait stays over the errand's target, or walk-ins arrive
//! well above the forecast (the wait follows soon after, so the desks hear of it first). Two
//! bands and a dwell keep an alert from flapping: it is raised only after a rule has held
//! for [`AlertRule::hold`], and cleared only after both have been back under their clearing
//! band for as long. A reading between the bands keeps whatever the alert is.

use chrono::{DateTime, Duration, Utc};

/// How long a wait must stay over (or back under) its target, when nothing says otherwise.
pub const DEFAULT_HOLD_MINUTES: u32 = 10;

/// How far above the forecast walk-ins must run, in per cent, when the location says nothing.
/// The forecast's own error on an hour of one errand is of the order of 10–20 %; 30 % is
/// beyond what it misses on an ordinary day, and still early enough to open a desk.
pub const DEFAULT_SURGE_PERCENT: u32 = 30;

/// The arrivals are counted over the last hour, not the last quarter: one errand gets a
/// handful of walk-ins a quarter, whose chance swings are as large as any margin; an hour
/// holds four times as many and is still short enough that a desk opened on it meets the
/// surge.
pub const SURGE_WINDOW_MINUTES: i64 = 60;

/// The share of the target the wait must fall to before an alert is cleared.
pub const CLEAR_SHARE: f64 = 0.75;

/// When an alert is raised and cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertRule {
    pub hold: Duration,
    /// How far above the forecast arrivals must run, in per cent.
    pub surge_percent: u32,
}

impl Default for AlertRule {
    fn default() -> Self {
        Self {
            hold: Duration::minutes(i64::from(DEFAULT_HOLD_MINUTES)),
            surge_percent: DEFAULT_SURGE_PERCENT,
        }
    }
}

impl AlertRule {
    /// This rule with what a location sets for itself in place of the server's defaults.
    pub fn at(self, settings: AlertSettings) -> Self {
        Self {
            hold: settings
                .after_minutes
                .map_or(self.hold, |m| Duration::minutes(i64::from(m))),
            surge_percent: settings.surge_percent.unwrap_or(self.surge_percent),
        }
    }
}

/// A location's own alert settings; what is `None` takes the server's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AlertSettings {
    /// Minutes a rule must hold before an alert is raised (and calm before it is cleared).
    pub after_minutes: Option<u32>,
    /// How far above the forecast walk-ins must run, in per cent.
    pub surge_percent: Option<u32>,
}

/// The range a location's `alert_after_minutes` may take (as `SKRANKE_ALERT_AFTER_MINUTES`).
pub const AFTER_MINUTES_RANGE: std::ops::RangeInclusive<u32> = 1..=240;
/// The range a location's `surge_alert_percent` may take.
pub const SURGE_PERCENT_RANGE: std::ops::RangeInclusive<u32> = 5..=500;

/// An errand's walk-ins over the last [`SURGE_WINDOW_MINUTES`] against the forecast of the
/// same minutes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrivals {
    pub arrived: u32,
    pub expected: f64,
}

impl Arrivals {
    /// Over the forecast by more than `percent`, and by more than chance: a count of
    /// independent arrivals swings by about its square root, so an excess under two of those
    /// (a quiet hour's 3 where 1 was expected) is noise whatever its percentage. Without a
    /// forecast there is nothing to run above.
    fn surging(&self, percent: u32) -> bool {
        let arrived = f64::from(self.arrived);
        self.expected > 0.0
            && arrived > self.expected * (1.0 + f64::from(percent) / 100.0)
            && arrived - self.expected > 2.0 * self.expected.sqrt()
    }

    /// Back within half the margin.
    fn calm(&self, percent: u32) -> bool {
        f64::from(self.arrived) <= self.expected * (1.0 + f64::from(percent) / 200.0)
    }
}

/// The walk-ins `forecast` expects of `service` in `from..until`, an interval that overlaps
/// it in part counting in proportion.
pub fn expected_walk_ins(
    forecast: &[crate::domain::forecast::IntervalForecast],
    service: &crate::domain::Slug,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> f64 {
    forecast
        .iter()
        .filter(|f| &f.service == service)
        .map(|f| {
            let length = Duration::minutes(i64::from(f.interval_minutes));
            let overlap = (f.start + length).min(until) - f.start.max(from);
            if overlap <= Duration::zero() {
                0.0
            } else {
                f.walk_ins * overlap.num_seconds() as f64 / length.num_seconds() as f64
            }
        })
        .sum()
}

/// One errand's queue as it is now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub waiting: u32,
    /// The wait of one who takes a ticket now.
    pub expected_wait_minutes: u32,
    pub target_minutes: f64,
    /// The walk-ins of the last hour against the forecast, where there is one.
    pub arrivals: Option<Arrivals>,
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
            arrivals: None,
        }
    }

    /// This reading with the hour's arrivals against the forecast.
    pub fn with_arrivals(self, arrivals: Arrivals) -> Self {
        Self {
            arrivals: Some(arrivals),
            ..self
        }
    }

    fn over(&self) -> bool {
        f64::from(self.expected_wait_minutes) > self.target_minutes
    }

    fn surging(&self, rule: AlertRule) -> bool {
        self.arrivals.is_some_and(|a| a.surging(rule.surge_percent))
    }

    /// The rule that holds now, the wait's first: it says what the citizens feel already.
    fn cause(&self, rule: AlertRule) -> Option<AlertCause> {
        if self.over() {
            Some(AlertCause::Wait)
        } else if self.surging(rule) {
            let a = self.arrivals.expect("surging has arrivals");
            Some(AlertCause::Surge {
                arrived: a.arrived,
                expected: a.expected.round() as u32,
            })
        } else {
            None
        }
    }

    fn calm(&self, rule: AlertRule) -> bool {
        f64::from(self.expected_wait_minutes) <= self.target_minutes * CLEAR_SHARE
            && self.arrivals.is_none_or(|a| a.calm(rule.surge_percent))
    }
}

/// Which rule raised an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertCause {
    /// The expected wait stayed over the errand's target.
    Wait,
    /// Walk-ins ran above the forecast: `arrived` in the hour before it was raised, where
    /// `expected` were forecast.
    Surge { arrived: u32, expected: u32 },
}

impl AlertCause {
    /// The rule's name, as the API and webhooks say it.
    pub fn rule(self) -> &'static str {
        match self {
            Self::Wait => "wait",
            Self::Surge { .. } => "surge",
        }
    }
}

/// Where one errand's alert stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AlertState {
    /// Since when a rule has held (while no alert is raised).
    pub over_since: Option<DateTime<Utc>>,
    /// Since when both rules have been back under their clearing band (while one is).
    pub calm_since: Option<DateTime<Utc>>,
    /// When the alert standing now was raised.
    pub raised_at: Option<DateTime<Utc>>,
    /// Why the alert standing now was raised.
    pub cause: Option<AlertCause>,
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
    match (state.raised_at, reading.cause(rule)) {
        (None, Some(cause)) => {
            let since = state.over_since.unwrap_or(now);
            if now - since >= rule.hold {
                let raised = AlertState {
                    over_since: None,
                    calm_since: None,
                    raised_at: Some(now),
                    cause: Some(cause),
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
        (None, None) => (AlertState::default(), None),
        (Some(_), _) if reading.calm(rule) => {
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
        (Some(_), _) => (
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
                arrivals: None,
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
        assert!(Reading::of(0, 10.0, 0, 2.0).calm(AlertRule::default()));
        assert!(Reading::of(1, 3.0, 1, 2.0).over());
    }

    /// Steps through `(minute, arrived)` against 10 expected an hour, the queue empty;
    /// returns the changes with their causes.
    fn surge(
        rule: AlertRule,
        readings: &[(i64, u32)],
    ) -> Vec<(i64, AlertChange, Option<AlertCause>)> {
        let mut state = AlertState::default();
        let mut changes = Vec::new();
        for &(minute, arrived) in readings {
            let reading = Reading::of(0, 10.0, 1, 2.0).with_arrivals(Arrivals {
                arrived,
                expected: 10.0,
            });
            let (next, change) = step(rule, state, reading, at(minute));
            changes.extend(change.map(|c| (minute, c, next.cause)));
            state = next;
        }
        changes
    }

    #[test]
    fn arrivals_well_above_the_forecast_raise_a_surge_and_its_end_clears_it() {
        let surge_of = |arrived, expected| AlertCause::Surge { arrived, expected };
        // 30 % over 10 is 13; two standard deviations are 6.3: 17 is the first to count.
        assert_eq!(
            surge(
                AlertRule::default(),
                &[(0, 16), (10, 16), (20, 17), (25, 18), (30, 18)]
            ),
            vec![(30, AlertChange::Raised, Some(surge_of(18, 10)))]
        );
        // Cleared once back within half the margin (11.5 of 10) for the hold; 12 is between.
        assert_eq!(
            surge(
                AlertRule::default(),
                &[(0, 20), (10, 20), (15, 12), (20, 11), (30, 10)]
            ),
            vec![
                (10, AlertChange::Raised, Some(surge_of(20, 10))),
                (30, AlertChange::Cleared, None)
            ]
        );
        // A location that asks for 100 % and 5 minutes.
        let strict = AlertRule::default().at(AlertSettings {
            after_minutes: Some(5),
            surge_percent: Some(100),
        });
        assert_eq!(
            surge(strict, &[(0, 18), (5, 20), (10, 21), (15, 21)]),
            vec![(15, AlertChange::Raised, Some(surge_of(21, 10)))]
        );
    }

    #[test]
    fn a_few_more_than_a_small_forecast_or_no_forecast_is_no_surge() {
        let rule = AlertRule::default();
        let few = Arrivals {
            arrived: 3,
            expected: 1.0,
        };
        assert!(
            !few.surging(rule.surge_percent),
            "200 % over, within chance"
        );
        let none = Arrivals {
            arrived: 30,
            expected: 0.0,
        };
        assert!(
            !none.surging(rule.surge_percent),
            "nothing forecast to run above"
        );
    }

    #[test]
    fn the_forecast_of_an_hour_counts_the_quarters_it_overlaps_in_part() {
        let quarter =
            |minute: i64, service: &str, walk_ins: f64| crate::domain::forecast::IntervalForecast {
                location: crate::domain::Slug::parse("a").unwrap(),
                service: crate::domain::Slug::parse(service).unwrap(),
                start: at(minute),
                interval_minutes: 15,
                walk_ins,
                booked: 0.0,
                no_show_rate: 0.0,
                mean_service_minutes: 5.0,
            };
        let forecast = [
            quarter(0, "pas", 4.0),
            quarter(15, "pas", 4.0),
            quarter(15, "koerekort", 100.0),
            quarter(30, "pas", 8.0),
            quarter(60, "pas", 100.0),
        ];
        let pas = crate::domain::Slug::parse("pas").unwrap();
        // 12:05–13:00: two thirds of the first quarter, the next two whole; 13:00 is after.
        let expected = expected_walk_ins(&forecast, &pas, at(5), at(60));
        assert!(
            (expected - (4.0 * 2.0 / 3.0 + 4.0 + 8.0)).abs() < 1e-9,
            "{expected}"
        );
    }

    #[test]
    fn a_long_wait_is_named_before_a_surge() {
        let reading = Reading::of(12, 4.0, 2, 2.0).with_arrivals(Arrivals {
            arrived: 40,
            expected: 10.0,
        });
        assert_eq!(reading.cause(AlertRule::default()), Some(AlertCause::Wait));
        assert!(!reading.calm(AlertRule::default()));
    }
}
