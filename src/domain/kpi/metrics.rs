//! The figures of one group of a report, and the sums of one group they are taken from.

use chrono::Duration;
use serde::Serialize;

use super::costs::ChannelCosts;

/// Wait percentiles in minutes; `None` without waits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WaitMinutes {
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p80: Option<f64>,
    pub p90: Option<f64>,
}

/// Inquiries in one channel and what they cost.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ChannelUse {
    pub inquiries: u64,
    pub cost: f64,
}

/// The estimated cost of the period by channel, in kroner.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Cost {
    pub letter: ChannelUse,
    pub in_person: ChannelUse,
    pub phone: ChannelUse,
    pub video: ChannelUse,
    pub digital: ChannelUse,
    pub total: f64,
}

/// How citizens scored their visits, 1 (very bad) to 5 (very good); anonymous.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FeedbackScore {
    /// Answers given.
    pub answers: u64,
    /// Their mean score; `None` without answers.
    pub mean: Option<f64>,
}

/// The figures of one group (or of the whole report). Rates are fractions 0..1, `None`
/// where the denominator is zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Metrics {
    pub tickets: u64,
    pub appointments: u64,
    pub wait_minutes: WaitMinutes,
    pub share_within_target: Option<f64>,
    pub service_minutes: Option<f64>,
    pub no_shows: u64,
    /// No-shows ÷ appointments not cancelled.
    pub no_show_rate: Option<f64>,
    pub cancelled: u64,
    /// Cancelled ÷ appointments.
    pub cancel_rate: Option<f64>,
    /// Tickets that came from a booking (checked in on time).
    pub booked_tickets: u64,
    /// Booked tickets ÷ tickets.
    pub booked_share: Option<f64>,
    pub sent_to_self_service: u64,
    pub resolved: u64,
    pub referred: u64,
    /// Resolved ÷ (resolved + referred).
    pub first_contact_resolution: Option<f64>,
    /// Hours desks were open; `None` for errands and departments (desks serve several).
    pub staff_hours: Option<f64>,
    /// (resolved + referred) ÷ staff hours.
    pub errands_per_staff_hour: Option<f64>,
    pub cost: Cost,
    /// This group's share of all inquiries (tickets, held phone and video meetings,
    /// self-service referrals): the key for splitting the running cost.
    pub usage_share: Option<f64>,
    /// The citizens' answers after their visits.
    pub feedback: FeedbackScore,
}

/// Sums of one group, before the rates are taken.
#[derive(Debug, Clone, Default)]
pub(super) struct Acc {
    pub(super) tickets: u64,
    pub(super) booked_tickets: u64,
    pub(super) waits: Vec<f64>,
    pub(super) within_target: u64,
    pub(super) service_minutes: Vec<f64>,
    pub(super) resolved: u64,
    pub(super) referred: u64,
    pub(super) appointments: u64,
    pub(super) cancelled: u64,
    pub(super) no_shows: u64,
    pub(super) in_person: u64,
    pub(super) phone: u64,
    pub(super) video: u64,
    pub(super) self_service: u64,
    pub(super) staff_seconds: i64,
    pub(super) feedback_answers: u64,
    /// The answers' scores added up.
    pub(super) feedback_points: u64,
}

impl Acc {
    pub(super) fn inquiries(&self) -> u64 {
        self.in_person + self.phone + self.video + self.self_service
    }

    pub(super) fn metrics(
        &self,
        costs: &ChannelCosts,
        all_inquiries: u64,
        staffed: bool,
    ) -> Metrics {
        let mut waits = self.waits.clone();
        waits.sort_by(f64::total_cmp);
        let staff_hours = staffed.then(|| self.staff_seconds as f64 / 3600.0);
        let errands = self.resolved + self.referred;
        let channel = |n: u64, unit: f64| ChannelUse {
            inquiries: n,
            cost: round(n as f64 * unit, 2),
        };
        let cost = Cost {
            letter: channel(0, costs.letter),
            in_person: channel(self.in_person, costs.in_person),
            phone: channel(self.phone, costs.phone),
            video: channel(self.video, costs.video),
            digital: channel(self.self_service, costs.digital),
            total: 0.0,
        };
        let total = cost.letter.cost
            + cost.in_person.cost
            + cost.phone.cost
            + cost.video.cost
            + cost.digital.cost;
        Metrics {
            tickets: self.tickets,
            appointments: self.appointments,
            wait_minutes: WaitMinutes {
                mean: mean(&waits).map(|m| round(m, 2)),
                p50: percentile(&waits, 0.5),
                p80: percentile(&waits, 0.8),
                p90: percentile(&waits, 0.9),
            },
            share_within_target: ratio(self.within_target, waits.len() as u64),
            service_minutes: mean(&self.service_minutes).map(|m| round(m, 2)),
            no_shows: self.no_shows,
            no_show_rate: ratio(self.no_shows, self.appointments - self.cancelled),
            cancelled: self.cancelled,
            cancel_rate: ratio(self.cancelled, self.appointments),
            booked_tickets: self.booked_tickets,
            booked_share: ratio(self.booked_tickets, self.tickets),
            sent_to_self_service: self.self_service,
            resolved: self.resolved,
            referred: self.referred,
            first_contact_resolution: ratio(self.resolved, errands),
            staff_hours: staff_hours.map(|h| round(h, 2)),
            errands_per_staff_hour: staff_hours
                .filter(|h| *h > 0.0)
                .map(|h| round(errands as f64 / h, 2)),
            cost: Cost {
                total: round(total, 2),
                ..cost
            },
            usage_share: ratio(self.inquiries(), all_inquiries),
            feedback: FeedbackScore {
                answers: self.feedback_answers,
                mean: (self.feedback_answers > 0).then(|| {
                    round(
                        self.feedback_points as f64 / self.feedback_answers as f64,
                        2,
                    )
                }),
            },
        }
    }
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round(part as f64 / whole as f64, 4))
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// The nearest-rank percentile of sorted values: the smallest value with at least
/// `p` of the values at or below it.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(round(sorted[rank.min(sorted.len()) - 1], 2))
}

pub(super) fn minutes(d: Duration) -> f64 {
    d.num_milliseconds().max(0) as f64 / 60_000.0
}
