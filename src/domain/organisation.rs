//! The organisation model: departments, locations, services (errands), desks, staff and
//! booking capacity, as a validated description ([`OrganisationSpec`]) that the import file,
//! the demo and the store agree on.

use std::collections::BTreeSet;

use chrono::Weekday;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::booking::Language;
use super::hours::{Closure, TimeRange, WeeklyHours};
use super::ids::{DeskId, LocationId, OrganisationId, ServiceId, StaffId};
use super::Slug;

/// How the citizen meets the service.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Channel {
    InPerson,
    Phone,
    Video,
}

impl Channel {
    /// Whether the citizen comes to the office and is served at a desk there: such errands
    /// take tickets at the door, queue for desks and count as visits.
    pub fn served_at_desk(self) -> bool {
        match self {
            Self::InPerson => true,
            Self::Phone | Self::Video => false,
        }
    }
}

/// Whether an errand needs a booking, may have one, or is served at the door only.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum BookingPolicy {
    Required,
    Optional,
    WalkInOnly,
}

impl BookingPolicy {
    /// Whether citizens can book a time for the errand.
    pub fn takes_bookings(self) -> bool {
        match self {
            Self::Required | Self::Optional => true,
            Self::WalkInOnly => false,
        }
    }

    /// Whether the errand is served only by booking, never from a ticket taken at the door.
    pub fn needs_booking(self) -> bool {
        match self {
            Self::Required => true,
            Self::Optional | Self::WalkInOnly => false,
        }
    }
}

/// What a staff user may do.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    Admin,
    Planner,
    Staff,
}

/// A counter staffed by a person, or a bookable resource such as a citizen PC.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DeskKind {
    Counter,
    Resource,
}

impl DeskKind {
    /// Whether staff work at the desk, so that a roster can send someone there (a resource,
    /// such as a citizen PC, is booked but not staffed).
    pub fn is_staffed(self) -> bool {
        match self {
            Self::Counter => true,
            Self::Resource => false,
        }
    }
}

/// Whether a desk is staffed and calling right now.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DeskState {
    Open,
    Paused,
    Closed,
}

impl DeskState {
    /// Whether the desk calls tickets now, and so counts among those serving the queue.
    pub fn calls_tickets(self) -> bool {
        match self {
            Self::Open => true,
            Self::Paused | Self::Closed => false,
        }
    }

    /// Whether someone works the desk, calling or on a pause: a desk out of order cannot be.
    pub fn is_worked(self) -> bool {
        match self {
            Self::Open | Self::Paused => true,
            Self::Closed => false,
        }
    }
}

/// Parses one of the text enums above, naming the values it would have taken.
pub fn parse_choice<T>(raw: &str) -> Result<T, String>
where
    T: std::str::FromStr + strum::VariantArray + Into<&'static str> + Copy,
{
    raw.parse().map_err(|_| {
        let names: Vec<&'static str> = T::VARIANTS.iter().map(|v| (*v).into()).collect();
        format!("'{raw}' is not one of {}", names.join(", "))
    })
}

/// A whole organisation as described by an import file or the demo, already validated.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationSpec {
    pub slug: Slug,
    pub name: String,
    pub municipality: crate::domain::municipality::Municipality,
    pub departments: Vec<DepartmentSpec>,
    pub services: Vec<ServiceSpec>,
    pub locations: Vec<LocationSpec>,
    pub staff: Vec<StaffSpec>,
    /// The needs citizens may state when they book, in the order they are offered.
    pub needs: Vec<super::visit::NeedSpec>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentSpec {
    pub slug: Slug,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceSpec {
    pub slug: Slug,
    pub name_da: String,
    pub name_en: String,
    pub department: Slug,
    pub duration_minutes: u32,
    /// What each further unit takes when the errand is combined in one visit; `None` is
    /// the full duration.
    pub additional_minutes: Option<u32>,
    /// How many of this errand one visit may hold.
    pub max_per_visit: u32,
    pub buffer_minutes: u32,
    pub channel: Channel,
    pub booking: BookingPolicy,
    pub self_service_url: Option<String>,
    /// A video errand's meeting link, with placeholders that each booking fills in.
    pub meeting_url: Option<String>,
    /// The letter that this errand's queue tickets start with (`P` in `P014`).
    pub queue_prefix: char,
    /// How far ahead it can be booked.
    pub book_ahead_days: u32,
    /// How soon before the start it can still be booked.
    pub min_notice_minutes: u32,
    /// The grid that bookable times start on.
    pub slot_step_minutes: u32,
    /// Higher is called sooner when waits are equal.
    pub priority: i32,
    pub what_to_bring_da: Option<String>,
    pub what_to_bring_en: Option<String>,
    /// Reminder, booking limit and check-in window of a booked visit.
    pub rules: super::booking::VisitRules,
}

impl ServiceSpec {
    /// The errand's name in `language`.
    pub fn name(&self, language: Language) -> &str {
        match language {
            Language::Da => &self.name_da,
            Language::En => &self.name_en,
        }
    }

    /// What to bring, in `language`, when the errand says.
    pub fn what_to_bring(&self, language: Language) -> Option<&str> {
        match language {
            Language::Da => self.what_to_bring_da.as_deref(),
            Language::En => self.what_to_bring_en.as_deref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LocationSpec {
    pub slug: Slug,
    pub name: String,
    pub address: String,
    /// How citizens reach it; `None` when the file gives none.
    pub contact: Option<String>,
    pub timezone: Tz,
    pub opening_hours: WeeklyHours,
    pub closures: Vec<Closure>,
    /// The errands offered here.
    pub services: Vec<Slug>,
    /// Shorter hours kept by some errands' units, inside the location's own.
    pub service_hours: Vec<ServiceHoursSpec>,
    pub desks: Vec<DeskSpec>,
    pub capacity: Vec<CapacityRuleSpec>,
    /// When its live queue alerts are raised, where it differs from the server's.
    pub alerts: crate::domain::queue_alert::AlertSettings,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceHoursSpec {
    pub service: Slug,
    pub hours: WeeklyHours,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeskSpec {
    pub name: String,
    pub kind: DeskKind,
    pub services: Vec<Slug>,
    /// Out of order: closed, offered to no one at the console, and it cannot be opened.
    pub out_of_order: bool,
    /// What the desk has that some citizens need (step-free access, a hearing loop).
    pub features: BTreeSet<super::visit::DeskFeature>,
}

/// On these weekdays in this range, `desks` desks take appointments for these services.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityRuleSpec {
    pub weekdays: BTreeSet<WeekdayKey>,
    pub range: TimeRange,
    pub desks: u32,
    pub desk_kind: DeskKind,
    pub services: Vec<Slug>,
}

/// A weekday that orders Monday first (chrono's `Weekday` has no `Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WeekdayKey(pub u8);

impl WeekdayKey {
    pub fn weekday(self) -> Weekday {
        Weekday::try_from(self.0).expect("0..7")
    }
}

impl From<Weekday> for WeekdayKey {
    fn from(day: Weekday) -> Self {
        Self(day.num_days_from_monday() as u8)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StaffSpec {
    pub username: String,
    pub display_name: String,
    pub roles: BTreeSet<Role>,
    pub home_location: Option<Slug>,
    pub locations: Vec<Slug>,
    pub services: Vec<Slug>,
    /// An argon2 PHC string; `None` keeps the stored one (or leaves the user unable to sign in).
    pub password_hash: Option<String>,
}

/// Usernames: 2–64 characters of letters, digits, `.`, `_` and `-`.
pub fn parse_username(raw: &str) -> Result<String, String> {
    let ok = (2..=64).contains(&raw.len())
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(format!(
            "'{raw}' is not a username: 2 to 64 letters, digits, '.', '_' or '-'"
        ))
    }
}

/// The queue prefix: one uppercase letter A–Z.
pub fn parse_queue_prefix(raw: &str) -> Result<char, String> {
    let mut chars = raw.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_uppercase() => Ok(c),
        _ => Err(format!("'{raw}' is not a single capital letter A-Z")),
    }
}

/// A stored location, as citizens see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub id: LocationId,
    pub organisation_id: OrganisationId,
    pub slug: Slug,
    pub name: String,
    pub address: String,
    pub timezone: Tz,
    pub opening_hours: WeeklyHours,
    /// When its live queue alerts are raised, where it differs from the server's.
    pub alerts: crate::domain::queue_alert::AlertSettings,
}

/// A stored errand.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub id: ServiceId,
    pub spec: ServiceSpec,
}

/// A stored desk with the errands it serves.
#[derive(Debug, Clone, PartialEq)]
pub struct Desk {
    pub id: DeskId,
    pub location_id: LocationId,
    pub name: String,
    pub kind: DeskKind,
    pub state: DeskState,
    pub services: Vec<Slug>,
    /// Out of order: offered to no one at the console, and it cannot be opened.
    pub out_of_order: bool,
    pub features: BTreeSet<super::visit::DeskFeature>,
}

/// A stored staff user.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffUser {
    pub id: StaffId,
    pub organisation_id: OrganisationId,
    pub username: String,
    pub display_name: String,
    pub roles: BTreeSet<Role>,
    pub password_hash: Option<String>,
    pub active: bool,
}

impl StaffUser {
    pub fn has_any_role(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.roles.contains(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    #[test]
    fn enums_round_trip_through_their_text() {
        for c in Channel::VARIANTS {
            assert_eq!(parse_choice::<Channel>(&c.to_string()).unwrap(), *c);
        }
        assert_eq!(
            parse_choice::<BookingPolicy>("walk_in_only").unwrap(),
            BookingPolicy::WalkInOnly
        );
        let err = parse_choice::<BookingPolicy>("mandatory").unwrap_err();
        assert!(err.contains("required, optional, walk_in_only"), "{err}");
    }

    #[test]
    fn a_policy_that_needs_a_booking_takes_bookings_and_walk_in_only_takes_none() {
        for policy in BookingPolicy::VARIANTS {
            assert!(
                !policy.needs_booking() || policy.takes_bookings(),
                "{policy} needs a booking it cannot take"
            );
        }
        let answers = |p: BookingPolicy| (p.takes_bookings(), p.needs_booking());
        assert_eq!(answers(BookingPolicy::Required), (true, true));
        assert_eq!(answers(BookingPolicy::Optional), (true, false));
        assert_eq!(answers(BookingPolicy::WalkInOnly), (false, false));
    }

    #[test]
    fn only_in_person_errands_and_open_counters_meet_citizens_at_a_desk() {
        let at_desk: Vec<Channel> = Channel::VARIANTS
            .iter()
            .copied()
            .filter(|c| c.served_at_desk())
            .collect();
        assert_eq!(at_desk, [Channel::InPerson]);
        assert!(DeskKind::Counter.is_staffed() && !DeskKind::Resource.is_staffed());
        let calling: Vec<DeskState> = DeskState::VARIANTS
            .iter()
            .copied()
            .filter(|s| s.calls_tickets())
            .collect();
        assert_eq!(calling, [DeskState::Open]);
    }

    #[test]
    fn prefix_is_one_capital_letter() {
        assert_eq!(parse_queue_prefix("P").unwrap(), 'P');
        for bad in ["", "p", "PA", "1", "Æ"] {
            assert!(parse_queue_prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn usernames() {
        assert!(parse_username("anna.jensen").is_ok());
        assert!(parse_username("a").is_err());
        assert!(parse_username("anna jensen").is_err());
    }
}
