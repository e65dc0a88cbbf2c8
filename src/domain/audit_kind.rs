//! What kind of thing a line of the audit log records, so that the log can be read by kind.

use serde::{Deserialize, Serialize};

/// The kinds of the audit log's lines.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AuditKind {
    /// A desk opened, paused or closed.
    Desk,
    /// A ticket called, served, transferred, …
    Ticket,
    /// The organisation changed: an import, a location, an errand, capacity.
    Organisation,
    /// A staff account changed: created, its roles, its password.
    Account,
    /// Failed sign-ins and the waits they lead to.
    Security,
}

impl AuditKind {
    /// The kind of a line with this action.
    pub fn of(action: &str) -> Self {
        match action {
            "open" | "paused" | "closed" => Self::Desk,
            "call" | "recall" | "start" | "finish" | "no_show" | "transfer" | "park" | "return"
            | "undo" => Self::Ticket,
            "set_password" => Self::Account,
            a if a.starts_with("staff.") || a.starts_with("account.") => Self::Account,
            a if a.starts_with("login.") => Self::Security,
            _ => Self::Organisation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_fall_in_their_kinds() {
        assert_eq!(AuditKind::of("open"), AuditKind::Desk);
        assert_eq!(AuditKind::of("no_show"), AuditKind::Ticket);
        assert_eq!(AuditKind::of("import"), AuditKind::Organisation);
        assert_eq!(AuditKind::of("location.closure"), AuditKind::Organisation);
        assert_eq!(AuditKind::of("set_password"), AuditKind::Account);
        assert_eq!(AuditKind::of("login.failed"), AuditKind::Security);
    }
}
