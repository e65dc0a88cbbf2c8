//! The municipality's identity (`municipalities`): written by the import, read for every
//! citizen page and mail, so that a new file shows at once without a restart.

use std::path::PathBuf;

use diesel::prelude::*;

use super::schema::municipalities;
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::ids::OrganisationId;
use crate::domain::municipality::{Logo, Municipality};

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

const COLUMNS: (
    municipalities::name,
    municipalities::logo_kind,
    municipalities::logo,
    municipalities::phone,
    municipalities::address,
    municipalities::mail_from_name,
    municipalities::mail_from,
    municipalities::reply_to,
    municipalities::privacy_notice_url,
    municipalities::accessibility_statement_url,
    municipalities::brand_colour,
) = (
    municipalities::name,
    municipalities::logo_kind,
    municipalities::logo,
    municipalities::phone,
    municipalities::address,
    municipalities::mail_from_name,
    municipalities::mail_from,
    municipalities::reply_to,
    municipalities::privacy_notice_url,
    municipalities::accessibility_statement_url,
    municipalities::brand_colour,
);

/// Replaces the organisation's identity with `m`. Call inside a write transaction.
pub fn save(conn: &mut DbConnection, org: OrganisationId, m: &Municipality) -> StoreResult<()> {
    let (logo_kind, logo) = match &m.logo {
        Logo::Url(url) => ("url", url.clone()),
        Logo::File(path) => ("file", path.to_string_lossy().into_owned()),
        Logo::Demo => ("demo", String::new()),
    };
    diesel::delete(municipalities::table.find(org.0)).execute(conn)?;
    diesel::insert_into(municipalities::table)
        .values((
            municipalities::organisation_id.eq(org.0),
            municipalities::name.eq(&m.name),
            municipalities::logo_kind.eq(logo_kind),
            municipalities::logo.eq(logo),
            municipalities::phone.eq(&m.phone),
            municipalities::address.eq(&m.address),
            municipalities::mail_from_name.eq(&m.mail_from_name),
            municipalities::mail_from.eq(&m.mail_from),
            municipalities::reply_to.eq(&m.reply_to),
            municipalities::privacy_notice_url.eq(&m.privacy_notice_url),
            municipalities::accessibility_statement_url.eq(&m.accessibility_statement_url),
            municipalities::brand_colour.eq(&m.brand_colour),
        ))
        .execute(conn)?;
    Ok(())
}

/// The identity of the organisation, if its file has been imported since it had one.
pub fn of(conn: &mut DbConnection, org: OrganisationId) -> StoreResult<Option<Municipality>> {
    let row: Option<Row> = municipalities::table
        .find(org.0)
        .select(COLUMNS)
        .first(conn)
        .optional()?;
    row.map(from_row).transpose()
}

/// The identity citizens' pages show: the first organisation's (a server serves one
/// municipality's citizens).
pub fn shown(conn: &mut DbConnection) -> StoreResult<Option<Municipality>> {
    let row: Option<Row> = municipalities::table
        .order(municipalities::organisation_id)
        .select(COLUMNS)
        .first(conn)
        .optional()?;
    row.map(from_row).transpose()
}

fn from_row(row: Row) -> StoreResult<Municipality> {
    let (name, logo_kind, logo, phone, address, mail_from_name, mail_from, reply_to) =
        (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7);
    let logo = match logo_kind.as_str() {
        "url" => Logo::Url(logo),
        "file" => Logo::File(PathBuf::from(logo)),
        "demo" => Logo::Demo,
        other => {
            return Err(StoreError::Corrupt(format!(
                "municipalities.logo_kind '{other}'"
            )))
        }
    };
    Ok(Municipality {
        name,
        logo,
        phone,
        address,
        mail_from_name,
        mail_from,
        reply_to,
        privacy_notice_url: row.8,
        accessibility_statement_url: row.9,
        brand_colour: row.10,
    })
}
