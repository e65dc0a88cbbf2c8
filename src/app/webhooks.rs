//! Webhooks: administrators register, list and delete their organisation's endpoints, and
//! the outbox worker composes each queued event into a signed delivery for its endpoint.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::app::audit;
use crate::domain::organisation::{Role, StaffUser};
use crate::domain::webhook::{
    check_secret, parse_events, signature, DeliveryState, EndpointUrl, WebhookId,
};
use crate::error::{AppError, AppResult};
use crate::store::outbox::{self, Claimed};
use crate::store::webhooks::{self, NewWebhook, WebhookRecord};
use crate::store::{self, DbConnection};

/// Who may register and read webhook endpoints.
pub const WEBHOOK_ROLES: &[Role] = &[Role::Admin];

/// An endpoint to register, as the API takes it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookBody {
    /// https, or http to this machine's loopback.
    #[schema(example = "https://crm.kommune.dk/hooks/skranke")]
    pub url: String,
    /// At least 24 characters; a Standard Webhooks secret (`whsec_` and base64) is keyed by
    /// the bytes it encodes.
    pub secret: String,
    #[schema(example = json!(["appointment.booked", "ticket.called"]))]
    pub events: Vec<String>,
}

/// An endpoint as its administrator sees it (never its secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookView {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    /// `active`, `retrying` (the last attempt failed and is tried again) or `failed` (a
    /// delivery was given up after a day of attempts).
    #[schema(value_type = String, example = "active")]
    pub state: DeliveryState,
    /// Why the last attempt failed, without addresses.
    pub last_error: Option<String>,
    pub last_delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<WebhookRecord> for WebhookView {
    fn from(r: WebhookRecord) -> Self {
        Self {
            id: r.id.0,
            url: r.url,
            events: r.events,
            state: r.state,
            last_error: r.last_error,
            last_delivered_at: r.last_delivered_at,
            created_at: r.created_at,
        }
    }
}

/// Registers an endpoint for the administrator's organisation; every field is checked
/// before anything is stored.
pub fn register(
    conn: &mut DbConnection,
    admin: &StaffUser,
    body: &WebhookBody,
    now: DateTime<Utc>,
) -> AppResult<WebhookId> {
    let url = EndpointUrl::parse(&body.url).map_err(|why| AppError::invalid_field("url", why))?;
    check_secret(&body.secret).map_err(|why| AppError::invalid_field("secret", why))?;
    let events =
        parse_events(&body.events).map_err(|why| AppError::invalid_field("events", why))?;
    store::write(conn, |conn| {
        let id = webhooks::insert(
            conn,
            &NewWebhook {
                organisation: admin.organisation_id,
                url: url.as_str(),
                secret: &body.secret,
                events: &events,
            },
            now,
        )?;
        let subject = format!("webhook {id}");
        audit::record(
            conn,
            (Some(admin.id), &admin.username),
            "webhook.registered",
            Some(&subject),
            now,
        )?;
        Ok(id)
    })
}

/// The administrator's organisation's endpoints.
pub fn list(conn: &mut DbConnection, admin: &StaffUser) -> AppResult<Vec<WebhookView>> {
    Ok(webhooks::list(conn, admin.organisation_id)?
        .into_iter()
        .map(WebhookView::from)
        .collect())
}

/// Deletes an endpoint of the administrator's organisation; its deliveries not yet made
/// are given up with it.
pub fn remove(
    conn: &mut DbConnection,
    admin: &StaffUser,
    id: WebhookId,
    now: DateTime<Utc>,
) -> AppResult<()> {
    store::write(conn, |conn| {
        if !webhooks::delete(conn, admin.organisation_id, id)? {
            return Err(AppError::not_found(format!("there is no webhook {id}")));
        }
        outbox::drop_unsent(conn, id.into(), None, now)?;
        let subject = format!("webhook {id}");
        audit::record(
            conn,
            (Some(admin.id), &admin.username),
            "webhook.deleted",
            Some(&subject),
            now,
        )?;
        Ok(())
    })
}

/// One delivery: the body as queued, signed for its endpoint as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookPost {
    pub url: String,
    /// The event's id, the same on every attempt (a receiver drops repeats by it).
    pub id: String,
    /// Seconds since the epoch when this attempt was signed.
    pub timestamp: i64,
    pub body: String,
    pub signature: String,
}

/// The delivery for an outbox row, or `None` when its endpoint is gone.
pub(crate) fn prepare(
    conn: &mut DbConnection,
    item: &Claimed,
    now: DateTime<Utc>,
) -> AppResult<Option<WebhookPost>> {
    let Some(target) = webhooks::target(conn, WebhookId(item.owner.id))? else {
        return Ok(None);
    };
    let id = serde_json::from_str::<serde_json::Value>(&item.payload)
        .ok()
        .and_then(|body| body["id"].as_str().map(str::to_owned))
        .ok_or_else(|| AppError::Internal("a webhook body without its id".into()))?;
    let timestamp = now.timestamp();
    Ok(Some(WebhookPost {
        signature: signature(&target.secret, &id, timestamp, &item.payload),
        url: target.url,
        id,
        timestamp,
        body: item.payload.clone(),
    }))
}

/// Marks the endpoint with how a delivery to it went: sent, failed and `retrying`, or
/// given up.
pub(crate) fn record(
    conn: &mut DbConnection,
    item: &Claimed,
    failure: Option<(&str, bool)>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let id = WebhookId(item.owner.id);
    let (state, error) = match failure {
        None => (DeliveryState::Active, None),
        Some((error, true)) => (DeliveryState::Retrying, Some(error)),
        Some((error, false)) => (DeliveryState::Failed, Some(error)),
    };
    webhooks::record(conn, id, state, error, now)?;
    Ok(())
}
