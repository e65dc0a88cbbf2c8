//! The rules of Skranke, free of I/O: no actix, no diesel, no clock of its own.
//! Everything here is plain data in and plain data out, and most unit tests live here.

pub mod audit_kind;
pub mod backtest;
pub mod booking;
pub mod capacity_cut;
pub mod closing;
pub mod demand;
pub mod desk_draft;
pub mod email;
pub mod erlang;
pub mod errand_draft;
pub mod feedback;
pub mod forecast;
pub mod hours;
pub mod ids;
pub mod kpi;
pub mod location_draft;
pub mod meeting;
pub mod message_kind;
pub mod municipality;
pub mod organisation;
pub mod outbox;
pub mod password_link;
pub mod queue;
pub mod queue_alert;
pub mod rate_limit;
pub mod redaction;
pub mod reminder_channels;
pub mod retention;
pub mod revision;
pub mod roster;
pub mod simulation;
pub mod slots;
pub mod slug;
pub mod sms;
pub mod staff_account;
pub mod staffing;
pub mod text;
pub mod timezone;
pub mod visit;
pub mod wait_accuracy;
pub mod wait_times;
pub mod waitlist;
pub mod webhook;
pub mod whatif;

pub use slug::Slug;

/// One problem with one field of some input, as shown to whoever sent it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field's name as the input spelt it (`citizen.email`, `from`).
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}
