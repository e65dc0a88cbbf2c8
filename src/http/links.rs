//! The addresses of the pages and files a citizen is sent to, relative to this server:
//! every link that carries a reference and its token is written here.

/// Where the binary serves a logo given as a file (or the demo's own).
pub const LOGO_PATH: &str = "/municipality/logo";

/// The manage page of an appointment, opened by its token.
pub fn manage(reference: &str, token: &str) -> String {
    format!("/appointments/{reference}?token={token}")
}

/// The appointment as an iCalendar file, opened by its token.
pub fn calendar(reference: &str, token: &str) -> String {
    format!("/api/v1/appointments/{reference}/calendar.ics?token={token}")
}

/// The page that takes a waitlist entry off the list, opened by its token.
pub fn leave_waitlist(reference: &str, token: &str) -> String {
    format!("/waitlist/{reference}/leave?token={token}")
}

/// Where a citizen books this errand at this location: the booking's day step.
pub fn booking(location: &str, service: &str) -> String {
    format!("/book?location={location}&service={service}")
}
