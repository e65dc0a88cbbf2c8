//! A closure as the API shows it: its days, its reason, and the part of each day it closes
//! or, for a period of reduced hours, the hours it keeps open.

use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClosureView {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
    /// Closed only from this local time of each day (`12:00`: "closes at 12").
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "12:00")]
    pub closed_from: Option<String>,
    /// Closed only until this local time of each day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_until: Option<String>,
    /// A period of reduced hours: open on its days only in these, each weekday's ranges
    /// (days left out closed).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<std::collections::BTreeMap<String, Vec<String>>>)]
    pub opening_hours: Option<std::collections::BTreeMap<&'static str, Vec<String>>>,
}

impl From<crate::domain::hours::Closure> for ClosureView {
    fn from(c: crate::domain::hours::Closure) -> Self {
        let clock = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
        Self {
            from: c.first,
            to: c.last,
            reason: c.reason,
            closed_from: c.closed_from.map(clock),
            closed_until: c.closed_until.map(clock),
            opening_hours: c.opening_hours.map(|h| h.to_map()),
        }
    }
}
