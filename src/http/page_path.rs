//! Which requests are for pages a person reads: everything but the API, the operations
//! endpoints and the static files.

/// The pages are everything but the API, the operations endpoints and the static files.
pub(crate) fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path.starts_with("/static/")
        || path == "/health"
        || path == "/metrics")
}
