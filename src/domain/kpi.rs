//! The KPI report: waits, service times, no-shows and cancellations, booked share,
//! first-contact resolution, errands per staffed hour and the cost of the period by
//! channel, per location, errand, department, local day and hour of the day.
//!
//! The store hands over facts (one row per ticket, counted appointments and door answers,
//! desk state changes); everything here is arithmetic on them. The rules, in one place:
//!
//! - A ticket belongs to the local day and hour it was issued, and to the errand it ended
//!   with (a transfer moves it). Its wait runs from when it was issued, or from the booked
//!   start when a booking checked in early, to its first call.
//! - An appointment belongs to the local day and hour of its booked start. An in-person
//!   appointment is a no-show when it was never checked in and its start has passed, or
//!   its ticket was marked a no-show; phone and video meetings are held once booked.
//! - Errands are finished tickets; staffed hours are the time desks were open.
//! - The wait target is 2 minutes for errands a citizen may walk in with (the first line)
//!   and 4 minutes for errands that need a booking (specialist units).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, DurationRound, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::booking::AppointmentStatus;
use super::ids::{LocationId, ServiceId};
use super::organisation::{BookingPolicy, Channel};
use super::queue::{Outcome, TicketStatus};

/// The wait target of the first line (errands without a required booking), in minutes.
pub const FIRST_LINE_TARGET_MINUTES: f64 = 2.0;
/// The wait target of specialist units (errands that need a booking), in minutes.
pub const SPECIALIST_TARGET_MINUTES: f64 = 4.0;

/// The wait target of an errand.
pub fn wait_target_minutes(booking: BookingPolicy) -> f64 {
    match booking {
        BookingPolicy::Required => SPECIALIST_TARGET_MINUTES,
        BookingPolicy::Optional | BookingPolicy::WalkInOnly => FIRST_LINE_TARGET_MINUTES,
    }
}

/// What one inquiry costs in each channel, in kroner (Fredericia's figures by default).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ChannelCosts {
    pub letter: f64,
    pub in_person: f64,
    pub phone: f64,
    pub video: f64,
    pub digital: f64,
}

impl Default for ChannelCosts {
    fn default() -> Self {
        Self {
            letter: 110.0,
            in_person: 80.0,
            phone: 40.0,
            // A screen meeting takes the caseworker's time like a call does.
            video: 40.0,
            digital: 3.0,
        }
    }
}

/// A location as the report names it.
#[derive(Debug, Clone)]
pub struct LocationInfo {
    pub id: LocationId,
    pub slug: String,
    pub zone: Tz,
}

/// An errand as the report names and classifies it.
#[derive(Debug, Clone)]
pub struct ServiceInfo {
    pub id: ServiceId,
    pub slug: String,
    pub department: String,
    pub channel: Channel,
    pub booking: BookingPolicy,
}

/// One ticket and the times of its life.
#[derive(Debug, Clone)]
pub struct TicketFact {
    pub location: LocationId,
    pub service: ServiceId,
    pub issued_at: DateTime<Utc>,
    pub status: TicketStatus,
    pub outcome: Option<Outcome>,
    /// The booked start, when the ticket is a checked-in booking.
    pub appointment_start: Option<DateTime<Utc>>,
    pub first_call: Option<DateTime<Utc>>,
    pub last_start: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// Appointments with the same place, errand, start and status, counted by the store.
#[derive(Debug, Clone)]
pub struct AppointmentCount {
    pub location: LocationId,
    pub service: ServiceId,
    pub starts_at: DateTime<Utc>,
    pub status: AppointmentStatus,
    pub count: u64,
}

/// Appointments checked in whose ticket was then marked a no-show, counted by the store.
#[derive(Debug, Clone)]
pub struct CheckInNoShow {
    pub location: LocationId,
    pub service: ServiceId,
    pub starts_at: DateTime<Utc>,
    pub count: u64,
}

/// Citizens the door sent to self-service, counted by the store per instant.
#[derive(Debug, Clone)]
pub struct SelfServiceCount {
    pub location: LocationId,
    pub service: Option<ServiceId>,
    pub at: DateTime<Utc>,
    pub count: u64,
}

/// A desk state change (`open`, `paused`, `closed`), in the order they happened.
#[derive(Debug, Clone)]
pub struct DeskChange {
    pub location: LocationId,
    pub desk: i64,
    pub open: bool,
    pub at: DateTime<Utc>,
}

/// Everything a report is computed from.
#[derive(Debug, Clone)]
pub struct Facts {
    pub locations: Vec<LocationInfo>,
    pub services: Vec<ServiceInfo>,
    pub tickets: Vec<TicketFact>,
    pub appointments: Vec<AppointmentCount>,
    pub checked_in_no_shows: Vec<CheckInNoShow>,
    pub self_service: Vec<SelfServiceCount>,
    pub desk_changes: Vec<DeskChange>,
}

/// The period: local dates, both included, at each location in its own zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Refuses a period that ends before it begins, naming the field.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, (&'static str, String)> {
        if to < from {
            return Err(("to", format!("{to} is before from ({from})")));
        }
        Ok(Self { from, to })
    }

    /// The UTC instants that surely contain the period in any zone (a day either side).
    pub fn utc_bounds(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = self.from.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
        let end = (self.to + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc();
        (start - Duration::days(1), end + Duration::days(1))
    }

    fn contains(self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// The period's instants at a location.
    fn window(self, zone: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            local_midnight(self.from, zone),
            local_midnight(self.to + Duration::days(1), zone),
        )
    }
}

/// The first instant of a local day (the earliest, should midnight be skipped or repeated).
fn local_midnight(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight");
    zone.from_local_datetime(&midnight)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(midnight + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| midnight.and_utc())
}

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
}

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

/// Sums of one group, before the rates are taken.
#[derive(Debug, Clone, Default)]
struct Acc {
    tickets: u64,
    booked_tickets: u64,
    waits: Vec<f64>,
    within_target: u64,
    service_minutes: Vec<f64>,
    resolved: u64,
    referred: u64,
    appointments: u64,
    cancelled: u64,
    no_shows: u64,
    in_person: u64,
    phone: u64,
    video: u64,
    self_service: u64,
    staff_seconds: i64,
}

impl Acc {
    fn inquiries(&self) -> u64 {
        self.in_person + self.phone + self.video + self.self_service
    }

    fn metrics(&self, costs: &ChannelCosts, all_inquiries: u64, staffed: bool) -> Metrics {
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

fn minutes(d: Duration) -> f64 {
    d.num_milliseconds().max(0) as f64 / 60_000.0
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
        let from = t
            .appointment_start
            .map_or(t.issued_at, |s| s.max(t.issued_at));
        let wait = t.first_call.map(|c| minutes(c - from));
        let target = wait_target_minutes(info.booking);
        let service_time = match (t.status, t.last_start, t.finished_at) {
            (TicketStatus::Finished, Some(s), Some(f)) => Some(minutes(f - s)),
            _ => None,
        };
        let channel = info.channel;
        groups.each(k, Some(info.department.as_str()), |a| {
            a.tickets += 1;
            a.booked_tickets += u64::from(t.appointment_start.is_some());
            if let Some(w) = wait {
                a.waits.push(w);
                a.within_target += u64::from(w <= target);
            }
            a.service_minutes.extend(service_time);
            match t.outcome {
                Some(Outcome::Resolved) => a.resolved += 1,
                Some(Outcome::Referred) => a.referred += 1,
                None => {}
            }
            match channel {
                Channel::InPerson => a.in_person += 1,
                Channel::Phone => a.phone += 1,
                Channel::Video => a.video += 1,
            }
        });
    }

    for a in &facts.appointments {
        let (Some(k), Some(info)) = (
            keys(a.location, Some(a.service), a.starts_at),
            services.get(&a.service),
        ) else {
            continue;
        };
        let cancelled = a.status == AppointmentStatus::Cancelled;
        let in_person = info.channel == Channel::InPerson;
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
fn hour_pieces(from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(DateTime<Utc>, i64)> {
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

/// The report as CSV: one line per group, the grouping and its key first.
pub fn to_csv(report: &Report) -> String {
    let mut out = String::from(
        "grouping,key,tickets,appointments,wait_mean,wait_p50,wait_p80,wait_p90,\
         share_within_target,service_minutes,no_shows,no_show_rate,cancelled,cancel_rate,\
         booked_tickets,booked_share,sent_to_self_service,resolved,referred,first_contact_resolution,\
         staff_hours,errands_per_staff_hour,cost_letter,cost_in_person,cost_phone,cost_video,\
         cost_digital,cost_total,usage_share\n",
    );
    let mut line = |grouping: &str, key: &str, m: &Metrics| {
        let o = |x: Option<f64>| x.map_or_else(String::new, |v| v.to_string());
        let fields = [
            grouping.to_owned(),
            key.to_owned(),
            m.tickets.to_string(),
            m.appointments.to_string(),
            o(m.wait_minutes.mean),
            o(m.wait_minutes.p50),
            o(m.wait_minutes.p80),
            o(m.wait_minutes.p90),
            o(m.share_within_target),
            o(m.service_minutes),
            m.no_shows.to_string(),
            o(m.no_show_rate),
            m.cancelled.to_string(),
            o(m.cancel_rate),
            m.booked_tickets.to_string(),
            o(m.booked_share),
            m.sent_to_self_service.to_string(),
            m.resolved.to_string(),
            m.referred.to_string(),
            o(m.first_contact_resolution),
            o(m.staff_hours),
            o(m.errands_per_staff_hour),
            m.cost.letter.cost.to_string(),
            m.cost.in_person.cost.to_string(),
            m.cost.phone.cost.to_string(),
            m.cost.video.cost.to_string(),
            m.cost.digital.cost.to_string(),
            m.cost.total.to_string(),
            o(m.usage_share),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    };
    line("total", "", &report.totals);
    for r in &report.by_location {
        line("location", &r.location, &r.metrics);
    }
    for r in &report.by_service {
        line("service", &r.service, &r.metrics);
    }
    for r in &report.by_department {
        line("department", &r.department, &r.metrics);
    }
    for r in &report.by_day {
        line("day", &r.day.to_string(), &r.metrics);
    }
    for r in &report.by_hour {
        line("hour", &r.hour.to_string(), &r.metrics);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let waits = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(percentile(&waits, 0.5), Some(3.0));
        assert_eq!(percentile(&waits, 0.8), Some(4.0));
        assert_eq!(percentile(&waits, 0.9), Some(10.0));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn a_desk_is_open_from_open_to_pause_or_now() {
        let l = LocationId(1);
        let change = |open, t| DeskChange {
            location: l,
            desk: 7,
            open,
            at: at(t),
        };
        let spans = open_spans(
            &[
                change(true, "2027-03-30T08:00:00Z"),
                change(false, "2027-03-30T09:00:00Z"),
                change(true, "2027-03-30T09:30:00Z"),
            ],
            at("2027-03-30T10:00:00Z"),
        );
        let hours: f64 = spans.iter().map(|s| minutes(s.to - s.from) / 60.0).sum();
        assert_eq!(hours, 1.5);
    }

    #[test]
    fn pieces_split_at_whole_hours() {
        let pieces = hour_pieces(at("2027-03-30T08:40:00Z"), at("2027-03-30T10:10:00Z"));
        let seconds: Vec<i64> = pieces.iter().map(|p| p.1).collect();
        assert_eq!(seconds, vec![1200, 3600, 600]);
    }

    #[test]
    fn to_before_from_names_to() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            Period::new(d("2027-03-30"), d("2027-03-29")).unwrap_err().0,
            "to"
        );
    }

    fn ticket(issued: &str, called_after_minutes: i64) -> TicketFact {
        TicketFact {
            location: LocationId(1),
            service: ServiceId(2),
            issued_at: at(issued),
            status: TicketStatus::Called,
            outcome: None,
            appointment_start: None,
            first_call: Some(at(issued) + Duration::minutes(called_after_minutes)),
            last_start: None,
            finished_at: None,
        }
    }

    #[test]
    fn tickets_count_on_their_local_day_and_hour() {
        let facts = Facts {
            locations: vec![LocationInfo {
                id: LocationId(1),
                slug: "raadhuset".into(),
                zone: chrono_tz::Europe::Copenhagen,
            }],
            services: vec![ServiceInfo {
                id: ServiceId(2),
                slug: "vejledning".into(),
                department: "borgerservice".into(),
                channel: Channel::InPerson,
                booking: BookingPolicy::WalkInOnly,
            }],
            // 00:30 on the 30th in Copenhagen (UTC+2), and 00:30 on the 31st.
            tickets: vec![
                ticket("2027-03-29T22:30:00Z", 3),
                ticket("2027-03-30T22:30:00Z", 1),
            ],
            appointments: vec![],
            checked_in_no_shows: vec![],
            self_service: vec![],
            desk_changes: vec![],
        };
        let day: NaiveDate = "2027-03-30".parse().unwrap();
        let r = report(
            &facts,
            Period::new(day, day).unwrap(),
            None,
            ChannelCosts::default(),
            at("2027-04-01T00:00:00Z"),
        );
        assert_eq!(r.totals.tickets, 1);
        assert_eq!(r.totals.wait_minutes.mean, Some(3.0));
        assert_eq!(r.totals.share_within_target, Some(0.0));
        assert_eq!(r.by_hour.len(), 1);
        assert_eq!(r.by_hour[0].hour, 0);
        assert_eq!(r.by_day[0].day, day);
        assert_eq!(r.totals.staff_hours, Some(0.0));
        assert_eq!(r.totals.errands_per_staff_hour, None, "no staffed time");
    }

    #[test]
    fn the_target_follows_the_booking_rule() {
        assert_eq!(wait_target_minutes(BookingPolicy::WalkInOnly), 2.0);
        assert_eq!(wait_target_minutes(BookingPolicy::Required), 4.0);
    }
}
