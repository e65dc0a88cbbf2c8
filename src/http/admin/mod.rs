//! `/staff/admin`: the administration pages and their API, for users with the admin role.
//!
//! Every handler here takes its session through the one [`guard`] ([`Admin`], or
//! [`AdminForm`] for a plain form), so that no route of the section can forget the role, and
//! every page extends `admin.html` through [`layout::page`].

mod affected;
pub mod audit_page;
pub mod capacity;
mod change_outcome;
pub mod desks;
mod errand_form;
pub mod errand_hours;
pub mod errands;
pub mod errands_api;
pub mod fields;
pub mod guard;
mod hours_fields;
pub mod index;
pub mod layout;
pub mod location_details;
mod location_page;
pub mod locations;
pub mod locations_api;
pub mod reduced_hours;
pub mod staff;
pub mod staff_api;
mod staff_form;

pub use guard::{Admin, AdminForm, AdminJson, CarriesCsrf};
