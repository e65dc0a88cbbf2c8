//! The facts a report is computed from, as the store hands them over: one row per ticket,
//! counted appointments and door answers, and desk state changes.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::booking::AppointmentStatus;
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::organisation::{BookingPolicy, Channel};
use crate::domain::queue::{Outcome, TicketStatus};

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

/// One errand of a visit and its outcome.
pub type ErrandFact = (ServiceId, Option<Outcome>);

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
    /// A visit of several errands: each errand with its own outcome, the first among
    /// them; empty for a ticket of one errand.
    pub errands: Vec<ErrandFact>,
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

/// Citizens' answers to the question after a visit, counted by the store per place, errand,
/// instant and score: never their comments.
#[derive(Debug, Clone)]
pub struct FeedbackCount {
    pub location: LocationId,
    /// The visit's first errand.
    pub service: ServiceId,
    /// A visit of several errands: every errand, the first among them; empty for a visit
    /// of one.
    pub errands: Vec<ServiceId>,
    pub given_at: DateTime<Utc>,
    /// 1 to 5.
    pub score: u8,
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
    pub feedback: Vec<FeedbackCount>,
}
