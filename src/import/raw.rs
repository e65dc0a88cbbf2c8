//! The file as written, before any check but toml's own. Values that a problem may point at
//! are `Spanned`, and enums and slugs stay strings so that their messages are ours.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

pub type Text = Spanned<String>;
pub type List = Spanned<Vec<Text>>;
/// `{ mon = ["10:00-14:30"], … }`.
pub type Hours = Spanned<BTreeMap<String, List>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub organisation: Spanned<Organisation>,
    pub municipality: Spanned<Municipality>,
    #[serde(default)]
    pub departments: Vec<Spanned<Department>>,
    #[serde(default)]
    pub services: Vec<Spanned<Service>>,
    #[serde(default)]
    pub locations: Vec<Spanned<Location>>,
    #[serde(default)]
    pub staff: Vec<Spanned<Staff>>,
    #[serde(default)]
    pub shift_templates: Vec<Spanned<ShiftTemplate>>,
    #[serde(default)]
    pub needs: Vec<Spanned<Need>>,
}

/// A need citizens may state: `[[needs]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Need {
    pub kind: Text,
    pub name_da: Text,
    pub name_en: Text,
    pub extra_minutes: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub slug: Text,
    pub name: Text,
}

/// What citizens see of the organisation: `[municipality]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    pub name: Text,
    pub logo: Text,
    pub phone: Text,
    pub address: Text,
    pub mail_from_name: Text,
    pub mail_from: Text,
    pub reply_to: Text,
    pub privacy_notice_url: Text,
    pub accessibility_statement_url: Text,
    pub brand_colour: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub slug: Text,
    pub name: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub slug: Text,
    pub name_da: Text,
    pub name_en: Text,
    pub department: Text,
    pub duration_minutes: Spanned<u32>,
    pub additional_minutes: Option<Spanned<u32>>,
    pub max_per_visit: Option<Spanned<u32>>,
    pub buffer_minutes: Option<Spanned<u32>>,
    pub channel: Text,
    pub booking: Text,
    pub queue_prefix: Text,
    pub book_ahead_days: Option<Spanned<u32>>,
    pub min_notice_minutes: Option<Spanned<u32>>,
    pub slot_step_minutes: Option<Spanned<u32>>,
    pub priority: Option<Spanned<i32>>,
    pub self_service_url: Option<Text>,
    pub meeting_url: Option<Text>,
    pub what_to_bring_da: Option<Text>,
    pub what_to_bring_en: Option<Text>,
    pub reminder_hours: Option<Spanned<u32>>,
    pub max_future_bookings: Option<Spanned<u32>>,
    pub check_in_early_minutes: Option<Spanned<u32>>,
    pub check_in_grace_minutes: Option<Spanned<u32>>,
    pub late_arrival: Option<Text>,
    pub reminder_channels: Option<List>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub slug: Text,
    pub name: Text,
    pub address: Text,
    #[serde(default)]
    pub contact: Option<Text>,
    pub timezone: Text,
    pub services: List,
    pub opening_hours: Hours,
    pub alert_after_minutes: Option<Spanned<u32>>,
    pub surge_alert_percent: Option<Spanned<u32>>,
    #[serde(default)]
    pub closures: Vec<Spanned<Closure>>,
    #[serde(default)]
    pub service_hours: Vec<Spanned<ServiceHours>>,
    #[serde(default)]
    pub desks: Vec<Spanned<Desk>>,
    #[serde(default)]
    pub capacity: Vec<Spanned<Capacity>>,
}

/// `to` may be left out for a single day.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    pub from: Spanned<toml::Value>,
    pub to: Option<Spanned<toml::Value>>,
    pub reason: Text,
    /// Closed only from this time of each day (`"12:00"`), or until `closed_until`.
    pub closed_from: Option<Text>,
    pub closed_until: Option<Text>,
    /// A period of reduced hours: open on its days only in these (`{ mon = ["10:00-12:00"] }`).
    pub opening_hours: Option<Hours>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceHours {
    pub service: Text,
    pub hours: Hours,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Desk {
    pub name: Text,
    pub kind: Option<Text>,
    pub services: List,
    #[serde(default)]
    pub out_of_order: bool,
    pub features: Option<List>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    pub days: List,
    pub from: Text,
    pub to: Text,
    pub desks: Spanned<u32>,
    pub kind: Option<Text>,
    pub services: List,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    pub username: Text,
    pub name: Text,
    pub roles: List,
    pub home_location: Option<Text>,
    #[serde(default)]
    pub locations: Vec<Text>,
    #[serde(default)]
    pub services: Vec<Text>,
    pub password_hash: Option<Text>,
    /// Hours a week, a whole or decimal number.
    pub contract_hours: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub absences: Vec<Spanned<Absence>>,
    #[serde(default)]
    pub preferred_shifts: Vec<Text>,
}

/// `to` may be left out for a single day.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Absence {
    pub from: Spanned<toml::Value>,
    pub to: Option<Spanned<toml::Value>>,
    pub reason: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftTemplate {
    pub slug: Text,
    pub start: Text,
    pub end: Text,
    #[serde(default)]
    pub breaks: Vec<Text>,
    #[serde(default)]
    pub locations: Vec<Text>,
}
