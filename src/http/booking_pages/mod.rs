//! The citizens' booking pages: place → errand (or several, with needs) → day → time and
//! details → confirmation, and the manage page behind the link in the confirmation, where
//! the time is moved or cancelled. Plain forms, no JavaScript; personal data only in POST bodies, never in a URL.
//!
//! One file per step a citizen takes (`start`, `visit`, `submit`, `manage`, `reschedule`);
//! what more than one step shows lives apart (`choice`, `times`, `carried`, `appointment`).

pub mod appointment;
pub mod carried;
pub mod choice;
pub mod form_key;
pub mod manage;
pub mod reschedule;
pub mod start;
pub mod submit;
pub mod times;
pub mod visit;
