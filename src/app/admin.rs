//! Administration of the organisation in the browser: who may do it.

use crate::domain::organisation::Role;

/// Who may change the organisation (locations, errands, desks, staff, capacity) and read
/// the audit log of those changes.
pub const ADMIN_ROLES: &[Role] = &[Role::Admin];
