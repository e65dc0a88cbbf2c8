//! The answer to a change that would leave confirmed bookings out while no choice for them
//! was made: the API's 422 that lists them, shared by every change that can touch bookings.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Map};

use crate::app::closures::{Affected, Ask};
use crate::domain::FieldError;
use crate::error::AppError;

/// An affected booking as the 422 lists it.
#[derive(Debug, Serialize)]
struct AffectedView {
    reference: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    service: String,
}

/// The 422 that lists the bookings in a change's way, and apart those kept despite an
/// earlier change, which stay as they are.
pub(crate) fn to_choose(Ask { affected, kept, .. }: Ask) -> AppError {
    let listed = |list: Vec<Affected>| -> Vec<AffectedView> {
        list.into_iter()
            .map(|a| AffectedView {
                reference: a.reference,
                start: a.start,
                end: a.end,
                service: a.errand.1,
            })
            .collect()
    };
    let mut extra = Map::new();
    extra.insert("affected".into(), json!(listed(affected)));
    extra.insert("already_kept".into(), json!(listed(kept)));
    AppError::Unprocessable {
        detail: "the change leaves confirmed bookings out: choose to keep or cancel them".into(),
        errors: vec![FieldError::new(
            "bookings",
            "choose keep or cancel for the bookings listed in affected",
        )],
        extra,
    }
}
