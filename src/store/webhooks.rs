//! Webhook endpoints: registered per organisation, found by the events they asked for, and
//! marked with how their last delivery went.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::catalogue::{self, Key};
use super::schema::webhooks;
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::ids::OrganisationId;
use crate::domain::organisation::parse_choice;
use crate::domain::webhook::{DeliveryState, WebhookEvent, WebhookId};

/// An endpoint to register.
#[derive(Debug, Clone)]
pub struct NewWebhook<'a> {
    pub organisation: OrganisationId,
    pub url: &'a str,
    pub secret: &'a str,
    pub events: &'a [WebhookEvent],
}

/// A registered endpoint as its administrator sees it; the secret is not read.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookRecord {
    pub id: WebhookId,
    pub url: String,
    pub events: Vec<String>,
    pub state: DeliveryState,
    pub last_error: Option<String>,
    pub last_delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Where and how a delivery goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub secret: String,
}

fn joined(events: &[WebhookEvent]) -> String {
    let names: Vec<&str> = events.iter().map(|e| e.into()).collect();
    names.join(",")
}

pub fn insert(
    conn: &mut DbConnection,
    new: &NewWebhook,
    now: DateTime<Utc>,
) -> StoreResult<WebhookId> {
    let active: &'static str = DeliveryState::Active.into();
    let id = diesel::insert_into(webhooks::table)
        .values((
            webhooks::organisation_id.eq(new.organisation.0),
            webhooks::url.eq(new.url),
            webhooks::secret.eq(new.secret),
            webhooks::events.eq(joined(new.events)),
            webhooks::state.eq(active),
            webhooks::created_at.eq(now.naive_utc()),
        ))
        .returning(webhooks::id)
        .get_result(conn)?;
    Ok(WebhookId(id))
}

type Row = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<NaiveDateTime>,
    NaiveDateTime,
);

/// The organisation's endpoints, first registered first.
pub fn list(
    conn: &mut DbConnection,
    organisation: OrganisationId,
) -> StoreResult<Vec<WebhookRecord>> {
    let rows: Vec<Row> = webhooks::table
        .filter(webhooks::organisation_id.eq(organisation.0))
        .order(webhooks::id)
        .select((
            webhooks::id,
            webhooks::url,
            webhooks::events,
            webhooks::state,
            webhooks::last_error,
            webhooks::last_delivered_at,
            webhooks::created_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, url, events, state, last_error, delivered, created)| {
            Ok(WebhookRecord {
                id: WebhookId(id),
                url,
                events: events.split(',').map(str::to_owned).collect(),
                state: parse_choice(&state).map_err(StoreError::Corrupt)?,
                last_error,
                last_delivered_at: delivered.map(|d| d.and_utc()),
                created_at: created.and_utc(),
            })
        })
        .collect()
}

/// Deletes the organisation's endpoint; false when it has none of that id.
pub fn delete(
    conn: &mut DbConnection,
    organisation: OrganisationId,
    id: WebhookId,
) -> StoreResult<bool> {
    let deleted = diesel::delete(
        webhooks::table
            .filter(webhooks::id.eq(id.0))
            .filter(webhooks::organisation_id.eq(organisation.0)),
    )
    .execute(conn)?;
    Ok(deleted == 1)
}

/// The endpoint's address and secret, or `None` once it is deleted.
pub fn target(conn: &mut DbConnection, id: WebhookId) -> StoreResult<Option<Target>> {
    Ok(webhooks::table
        .filter(webhooks::id.eq(id.0))
        .select((webhooks::url, webhooks::secret))
        .first::<(String, String)>(conn)
        .optional()?
        .map(|(url, secret)| Target { url, secret }))
}

/// The organisation's endpoints that asked for `event`.
pub fn subscribed(
    conn: &mut DbConnection,
    organisation: OrganisationId,
    event: WebhookEvent,
) -> StoreResult<Vec<WebhookId>> {
    let rows: Vec<(i64, String)> =
        catalogue::cached(conn, Key::Webhooks(organisation.0), |conn| {
            Ok(webhooks::table
                .filter(webhooks::organisation_id.eq(organisation.0))
                .order(webhooks::id)
                .select((webhooks::id, webhooks::events))
                .load(conn)?)
        })?;
    let name: &'static str = event.into();
    Ok(rows
        .into_iter()
        .filter(|(_, events)| events.split(',').any(|e| e == name))
        .map(|(id, _)| WebhookId(id))
        .collect())
}

/// Records how a delivery to the endpoint went: sent (`error` is `None`), or failed and
/// `retrying` or given up.
pub fn record(
    conn: &mut DbConnection,
    id: WebhookId,
    state: DeliveryState,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let state: &'static str = state.into();
    let row = webhooks::table.filter(webhooks::id.eq(id.0));
    match error {
        None => diesel::update(row)
            .set((
                webhooks::state.eq(state),
                webhooks::last_delivered_at.eq(now.naive_utc()),
            ))
            .execute(conn)?,
        Some(error) => diesel::update(row)
            .set((webhooks::state.eq(state), webhooks::last_error.eq(error)))
            .execute(conn)?,
    };
    Ok(())
}
