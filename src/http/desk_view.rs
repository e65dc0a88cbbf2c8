//! A desk as the API shows it: the locations' desk list and the desk console's answers.

use serde::Serialize;

use crate::domain::organisation::{Desk, DeskKind, DeskState};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeskView {
    pub id: i64,
    pub name: String,
    pub kind: DeskKind,
    pub services: Vec<String>,
    pub state: DeskState,
    /// Out of order: not to be offered at the console; it cannot be opened.
    pub out_of_order: bool,
}

impl From<Desk> for DeskView {
    fn from(d: Desk) -> Self {
        Self {
            id: d.id.0,
            name: d.name,
            kind: d.kind,
            services: d.services.into_iter().map(String::from).collect(),
            state: d.state,
            out_of_order: d.out_of_order,
        }
    }
}
