//! The report: the facts of a period counted in every group they belong to (location,
//! errand, department, local day and hour) and turned into figures.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::costs::ChannelCosts;
use super::facts::{Facts, ServiceInfo, TicketFact};
use super::metrics::{minutes, Acc, Metrics};
use super::period::Period;
use super::spans::{hour_pieces, open_spans};
use super::targets::wait_target_minutes;
use crate::domain::booking::AppointmentStatus;
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::organisation::Channel;
use crate::domain::queue::{Outcome, TicketStatus};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LocationRow {
    pub location: String,
    #[serde(flatten)]
    pub metrics: Metrics,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServiceRow {
    pub service: String,
    pub department: String,
    pub channel: Channel,
    pub wait_target_minutes: f64,
    #[serde(flatten)]
    pub metrics: Metrics,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DepartmentRow {
    pub department: String,
    #[serde(flatten)]
    pub metrics: Metrics,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DayRow {
    pub day: NaiveDate,
    #[serde(flatten)]
    pub metrics: Metrics,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HourRow {
    /// The local hour of the day, 0–23, over every day of the period.
    pub hour: u32,
    #[serde(flatten)]
    pub metrics: Metrics,
}

/// The whole report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The location reported on; `None` for all.
    pub location: Option<String>,
    pub costs: ChannelCosts,
    pub totals: Metrics,
    pub by_location: Vec<LocationRow>,
    pub by_service: Vec<ServiceRow>,
    pub by_department: Vec<DepartmentRow>,
    pub by_day: Vec<DayRow>,
    pub by_hour: Vec<HourRow>,
}

/// The groups one fact counts in.
#[derive(Debug, Clone, Copy)]
struct Keys {
    location: LocationId,
    service: Option<ServiceId>,
    day: NaiveDate,
    hour: u32,
}

#[derive(Default)]
struct Groups {
    totals: Acc,
    location: BTreeMap<LocationId, Acc>,
    service: BTreeMap<ServiceId, Acc>,
    department: BTreeMap<String, Acc>,
    day: BTreeMap<NaiveDate, Acc>,
    hour: BTreeMap<u32, Acc>,
}

impl Groups {
    fn each(&mut self, keys: Keys, department: Option<&str>, add: impl Fn(&mut Acc)) {
        add(&mut self.totals);
        add(self.location.entry(keys.location).or_default());
        if let Some(service) = keys.service {
            add(self.service.entry(service).or_default());
        }
        if let Some(department) = department {
            add(self.department.entry(department.to_owned()).or_default());
        }
        add(self.day.entry(keys.day).or_default());
        add(self.hour.entry(keys.hour).or_default());
    }
}

/// Computes the report of `period` from `facts` as they stand at `now`.
pub fn report(
    facts: &Facts,
    period: Period,
    location: Option<String>,
    costs: ChannelCosts,
    now: DateTime<Utc>,
) -> Report {
    let zones: BTreeMap<LocationId, Tz> = facts.locations.iter().map(|l| (l.id, l.zone)).collect();
    let services: BTreeMap<ServiceId, &ServiceInfo> =
        facts.services.iter().map(|s| (s.id, s)).collect();
    let mut groups = Groups::default();
    let keys = |location: LocationId, service: Option<ServiceId>, at: DateTime<Utc>| {
        let zone = zones.get(&location)?;
        let local = at.with_timezone(zone);
        period.contains(local.date_naive()).then_some(Keys {
            location,
            service,
            day: local.date_naive(),
            hour: local.hour(),
        })
    };
    let department = |service: Option<ServiceId>| {
        service
            .and_then(|s| services.get(&s))
            .map(|s| s.department.as_str())
    };

    for t in &facts.tickets {
        let (Some(k), Some(info)) = (
            keys(t.location, Some(t.service), t.issued_at),
            services.get(&t.service),
        ) else {
            continue;
        };
        // A visit of several errands counts once where the report speaks of visits, and
        // once for each errand, with that errand's outcome, where it speaks of errands.
        let whole = Keys {
            service: t.errands.is_empty().then_some(t.service),
            ..k
        };
        groups.each(whole, Some(info.department.as_str()), |a| {
            count_ticket(a, t, info, t.outcome);
        });
        for (service, outcome) in &t.errands {
            if let Some(info) = services.get(service) {
                count_ticket(
                    groups.service.entry(*service).or_default(),
                    t,
                    info,
                    *outcome,
                );
            }
        }
    }

    for a in &facts.appointments {
        let (Some(k), Some(info)) = (
            keys(a.location, Some(a.service), a.starts_at),
            services.get(&a.service),
        ) else {
            continue;
        };
        let cancelled = a.status == AppointmentStatus::Cancelled;
        let in_person = info.channel.served_at_desk();
        let no_show = !cancelled
            && in_person
            && (a.status == AppointmentStatus::NoShow
                || (a.status == AppointmentStatus::Booked && a.starts_at < now));
        // In-person visits are counted by their tickets; meetings at a distance here.
        let held_remote = !cancelled && !in_person && a.status != AppointmentStatus::NoShow;
        let n = a.count;
        let channel = info.channel;
        groups.each(k, Some(info.department.as_str()), |acc| {
            acc.appointments += n;
            if cancelled {
                acc.cancelled += n;
            }
            if no_show {
                acc.no_shows += n;
            }
            if held_remote {
                match channel {
                    Channel::Phone => acc.phone += n,
                    Channel::Video => acc.video += n,
                    Channel::InPerson => {}
                }
            }
        });
    }

    for c in &facts.checked_in_no_shows {
        let Some(k) = keys(c.location, Some(c.service), c.starts_at) else {
            continue;
        };
        let n = c.count;
        groups.each(k, department(Some(c.service)), |a| a.no_shows += n);
    }

    for s in &facts.self_service {
        let Some(k) = keys(s.location, s.service, s.at) else {
            continue;
        };
        let n = s.count;
        groups.each(k, department(s.service), |a| a.self_service += n);
    }

    for f in &facts.feedback {
        let Some(k) = keys(f.location, Some(f.service), f.given_at) else {
            continue;
        };
        let (n, points) = (f.count, f.count * u64::from(f.score));
        let add = |a: &mut Acc| {
            a.feedback_answers += n;
            a.feedback_points += points;
        };
        // Counted as the visit's ticket is: once as a visit, once under each of its errands.
        let whole = Keys {
            service: f.errands.is_empty().then_some(f.service),
            ..k
        };
        groups.each(whole, department(Some(f.service)), add);
        for service in &f.errands {
            add(groups.service.entry(*service).or_default());
        }
    }

    for span in open_spans(&facts.desk_changes, now) {
        let Some(zone) = zones.get(&span.location) else {
            continue;
        };
        let (start, end) = period.window(*zone);
        let (from, to) = (span.from.max(start), span.to.min(end));
        for (at, seconds) in hour_pieces(from, to) {
            if let Some(k) = keys(span.location, None, at) {
                groups.each(k, None, |a| a.staff_seconds += seconds);
            }
        }
    }

    finish(groups, facts, period, location, costs)
}

/// Adds one ticket, for an errand of `info` finished with `outcome`, to `a`.
fn count_ticket(a: &mut Acc, t: &TicketFact, info: &ServiceInfo, outcome: Option<Outcome>) {
    let from = t
        .appointment_start
        .map_or(t.issued_at, |s| s.max(t.issued_at));
    let target = wait_target_minutes(info.booking);
    a.tickets += 1;
    a.booked_tickets += u64::from(t.appointment_start.is_some());
    if let Some(w) = t.first_call.map(|c| minutes(c - from)) {
        a.waits.push(w);
        a.within_target += u64::from(w <= target);
    }
    if let (TicketStatus::Finished, Some(s), Some(f)) = (t.status, t.last_start, t.finished_at) {
        a.service_minutes.push(minutes(f - s));
    }
    match outcome {
        Some(Outcome::Resolved) => a.resolved += 1,
        Some(Outcome::Referred) => a.referred += 1,
        None => {}
    }
    match info.channel {
        Channel::InPerson => a.in_person += 1,
        Channel::Phone => a.phone += 1,
        Channel::Video => a.video += 1,
    }
}

fn finish(
    groups: Groups,
    facts: &Facts,
    period: Period,
    location: Option<String>,
    costs: ChannelCosts,
) -> Report {
    let all = groups.totals.inquiries();
    let slug = |id: LocationId| {
        facts
            .locations
            .iter()
            .find(|l| l.id == id)
            .map_or_else(|| id.to_string(), |l| l.slug.clone())
    };
    let mut by_service: Vec<ServiceRow> = groups
        .service
        .iter()
        .filter_map(|(id, acc)| {
            let info = facts.services.iter().find(|s| s.id == *id)?;
            Some(ServiceRow {
                service: info.slug.clone(),
                department: info.department.clone(),
                channel: info.channel,
                wait_target_minutes: wait_target_minutes(info.booking),
                metrics: acc.metrics(&costs, all, false),
            })
        })
        .collect();
    by_service.sort_by(|a, b| a.service.cmp(&b.service));
    let mut by_location: Vec<LocationRow> = groups
        .location
        .iter()
        .map(|(id, acc)| LocationRow {
            location: slug(*id),
            metrics: acc.metrics(&costs, all, true),
        })
        .collect();
    by_location.sort_by(|a, b| a.location.cmp(&b.location));
    Report {
        from: period.from,
        to: period.to,
        location,
        costs,
        totals: groups.totals.metrics(&costs, all, true),
        by_location,
        by_service,
        by_department: groups
            .department
            .iter()
            .map(|(d, acc)| DepartmentRow {
                department: d.clone(),
                metrics: acc.metrics(&costs, all, false),
            })
            .collect(),
        by_day: groups
            .day
            .iter()
            .map(|(d, acc)| DayRow {
                day: *d,
                metrics: acc.metrics(&costs, all, true),
            })
            .collect(),
        by_hour: groups
            .hour
            .iter()
            .map(|(h, acc)| HourRow {
                hour: *h,
                metrics: acc.metrics(&costs, all, true),
            })
            .collect(),
    }
}
