//! The visits of a location's live tickets as staff read them: every errand by name with how
//! many of it and its outcome so far, and the needs stated (an interpreter with its
//! language). Needs are personal data: only the staff's queue carries them.

use std::collections::HashMap;

use crate::domain::ids::ServiceId;
use crate::domain::organisation::{Location, Service};
use crate::domain::queue::{Outcome, TicketId};
use crate::domain::visit::{Need, NeedSpec};
use crate::error::AppResult;
use crate::store::tickets::BoardEntry;
use crate::store::{needs, organisations, ticket_visits, DbConnection};

/// One errand of a ticket, named.
#[derive(Debug, Clone)]
pub struct ErrandShown {
    pub service: Service,
    pub quantity: u32,
    /// Given at a finish, or when the clerk sent the rest on.
    pub outcome: Option<Outcome>,
}

/// One need stated for a ticket, with the names the organisation gives it.
#[derive(Debug, Clone)]
pub struct NeedShown {
    pub need: Need,
    /// In Danish and English; the kind itself where the organisation no longer offers it.
    pub name: (String, String),
}

/// A ticket's whole visit.
#[derive(Debug, Clone, Default)]
pub struct VisitShown {
    pub errands: Vec<ErrandShown>,
    pub needs: Vec<NeedShown>,
}

/// The visits of `entries`, by ticket: each has at least its own errand.
pub fn of(
    conn: &mut DbConnection,
    location: &Location,
    entries: &[BoardEntry],
) -> AppResult<HashMap<TicketId, VisitShown>> {
    let ids: Vec<TicketId> = entries.iter().map(|e| e.id).collect();
    let mut errands = ticket_visits::errands_of(conn, &ids)?;
    let mut stated = ticket_visits::needs_of(conn, &ids)?;
    let services = organisations::services_at(conn, location.id)?;
    let offered = needs::offered(conn, location.organisation_id)?;
    let service = |id: ServiceId| services.iter().find(|s| s.id == id).cloned();
    let mut out = HashMap::new();
    for entry in entries {
        let recorded = errands.remove(&entry.id).unwrap_or_default();
        let mut shown: Vec<ErrandShown> = recorded
            .into_iter()
            .filter_map(|e| {
                Some(ErrandShown {
                    service: service(e.line.service)?,
                    quantity: e.line.quantity,
                    outcome: e.outcome,
                })
            })
            .collect();
        if shown.is_empty() {
            if let Some(own) = services
                .iter()
                .find(|s| s.spec.slug.as_str() == entry.service)
            {
                shown.push(ErrandShown {
                    service: own.clone(),
                    quantity: 1,
                    outcome: None,
                });
            }
        }
        let needs = stated
            .remove(&entry.id)
            .unwrap_or_default()
            .into_iter()
            .map(|need| NeedShown {
                name: need_name(&offered, &need),
                need,
            })
            .collect();
        out.insert(
            entry.id,
            VisitShown {
                errands: shown,
                needs,
            },
        );
    }
    Ok(out)
}

fn need_name(offered: &[NeedSpec], need: &Need) -> (String, String) {
    match offered.iter().find(|n| n.kind == need.kind) {
        Some(spec) => (spec.name_da.clone(), spec.name_en.clone()),
        None => (need.kind.to_string(), need.kind.to_string()),
    }
}
