//! Needs: the list an organisation offers, and the needs a citizen stated for a visit
//! (personal data, which retention deletes with the citizen's name).

use diesel::prelude::*;

use super::catalogue::{self, Key};
use super::schema::{appointment_needs, organisation_needs};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::ids::OrganisationId;
use crate::domain::organisation::parse_choice;
use crate::domain::visit::{Need, NeedSpec};

/// The needs the organisation offers, in the order of its file.
pub fn offered(
    conn: &mut DbConnection,
    organisation: OrganisationId,
) -> StoreResult<Vec<NeedSpec>> {
    catalogue::cached(conn, Key::Needs(organisation.0), |conn| {
        load_offered(conn, organisation)
    })
}

fn load_offered(
    conn: &mut DbConnection,
    organisation: OrganisationId,
) -> StoreResult<Vec<NeedSpec>> {
    let rows: Vec<(String, String, String, i32)> = organisation_needs::table
        .filter(organisation_needs::organisation_id.eq(organisation.0))
        .order(organisation_needs::position)
        .select((
            organisation_needs::kind,
            organisation_needs::name_da,
            organisation_needs::name_en,
            organisation_needs::extra_minutes,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(kind, name_da, name_en, extra)| {
            Ok(NeedSpec {
                kind: parse_choice(&kind).map_err(StoreError::Corrupt)?,
                name_da,
                name_en,
                extra_minutes: u32::try_from(extra)
                    .map_err(|_| StoreError::Corrupt(format!("{extra} extra minutes")))?,
            })
        })
        .collect()
}

/// Replaces the organisation's list with `needs`.
pub fn save_offered(
    conn: &mut DbConnection,
    organisation: OrganisationId,
    needs: &[NeedSpec],
) -> StoreResult<()> {
    diesel::delete(
        organisation_needs::table.filter(organisation_needs::organisation_id.eq(organisation.0)),
    )
    .execute(conn)?;
    let rows: Vec<_> = needs
        .iter()
        .zip(0..)
        .map(|(need, position): (&NeedSpec, i32)| {
            let kind: &'static str = need.kind.into();
            (
                organisation_needs::organisation_id.eq(organisation.0),
                organisation_needs::kind.eq(kind),
                organisation_needs::position.eq(position),
                organisation_needs::name_da.eq(&need.name_da),
                organisation_needs::name_en.eq(&need.name_en),
                organisation_needs::extra_minutes
                    .eq(i32::try_from(need.extra_minutes).unwrap_or(i32::MAX)),
            )
        })
        .collect();
    super::insert_all(conn, organisation_needs::table, rows)?;
    Ok(())
}

/// Records the needs stated for an appointment.
pub fn state(conn: &mut DbConnection, appointment: i64, needs: &[Need]) -> StoreResult<()> {
    let rows: Vec<_> = needs
        .iter()
        .map(|need| {
            let kind: &'static str = need.kind.into();
            (
                appointment_needs::appointment_id.eq(appointment),
                appointment_needs::kind.eq(kind),
                appointment_needs::detail.eq(need.detail.as_deref()),
            )
        })
        .collect();
    super::insert_all(conn, appointment_needs::table, rows)?;
    Ok(())
}

/// The needs stated for an appointment, by kind; none once retention has deleted them.
pub fn stated(conn: &mut DbConnection, appointment: i64) -> StoreResult<Vec<Need>> {
    let rows: Vec<(String, Option<String>)> = appointment_needs::table
        .filter(appointment_needs::appointment_id.eq(appointment))
        .order(appointment_needs::kind)
        .select((appointment_needs::kind, appointment_needs::detail))
        .load(conn)?;
    needs_of_rows(rows)
}

/// Stored needs, `(kind, detail)`, as needs.
pub(crate) fn needs_of_rows(rows: Vec<(String, Option<String>)>) -> StoreResult<Vec<Need>> {
    rows.into_iter()
        .map(|(kind, detail)| {
            Ok(Need {
                kind: parse_choice(&kind).map_err(StoreError::Corrupt)?,
                detail,
            })
        })
        .collect()
}
