//! A waitlist entry's whole visit: its errands with how many of each, and the needs stated
//! (personal data, deleted by retention with the entry's name and address).

use diesel::prelude::*;

use crate::domain::ids::ServiceId;
use crate::domain::visit::{Need, VisitLine};
use crate::domain::waitlist::EntryId;
use crate::store::needs::needs_of_rows;
use crate::store::schema::{waitlist_entry_errands as errands, waitlist_entry_needs as needs};
use crate::store::{insert_all, DbConnection, StoreError, StoreResult};

/// Records the visit an entry waits for. A visit of one unit of one errand and no needs
/// writes nothing: the entry's own errand says it all, as before visits.
pub fn state_visit(
    conn: &mut DbConnection,
    entry: EntryId,
    lines: &[VisitLine<ServiceId>],
    stated: &[Need],
) -> StoreResult<()> {
    if lines.len() > 1 || lines.iter().any(|l| l.quantity != 1) {
        let rows: Vec<_> = lines
            .iter()
            .zip(0..)
            .map(|(line, position): (&VisitLine<ServiceId>, i32)| {
                (
                    errands::entry_id.eq(entry.0),
                    errands::position.eq(position),
                    errands::service_id.eq(line.service.0),
                    errands::quantity.eq(i32::try_from(line.quantity).unwrap_or(i32::MAX)),
                )
            })
            .collect();
        insert_all(conn, errands::table, rows)?;
    }
    let rows: Vec<_> = stated
        .iter()
        .map(|need| {
            let kind: &'static str = need.kind.into();
            (
                needs::entry_id.eq(entry.0),
                needs::kind.eq(kind),
                needs::detail.eq(need.detail.as_deref()),
            )
        })
        .collect();
    insert_all(conn, needs::table, rows)?;
    Ok(())
}

/// The errands an entry waits for, the first first; one unit of `own` when it stated none.
pub fn entry_errands(
    conn: &mut DbConnection,
    entry: EntryId,
    own: ServiceId,
) -> StoreResult<Vec<VisitLine<ServiceId>>> {
    let rows: Vec<(i64, i32)> = errands::table
        .filter(errands::entry_id.eq(entry.0))
        .order(errands::position)
        .select((errands::service_id, errands::quantity))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(vec![VisitLine::one(own)]);
    }
    rows.into_iter()
        .map(|(service, quantity)| {
            Ok(VisitLine {
                service: ServiceId(service),
                quantity: u32::try_from(quantity)
                    .map_err(|_| StoreError::Corrupt(format!("quantity {quantity}")))?,
            })
        })
        .collect()
}

/// The needs an entry stated, by kind; none once retention has deleted them.
pub fn entry_needs(conn: &mut DbConnection, entry: EntryId) -> StoreResult<Vec<Need>> {
    let rows: Vec<(String, Option<String>)> = needs::table
        .filter(needs::entry_id.eq(entry.0))
        .order(needs::kind)
        .select((needs::kind, needs::detail))
        .load(conn)?;
    needs_of_rows(rows)
}
