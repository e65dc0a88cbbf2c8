//! Server-Sent Events of a location: what the call display listens to.

use actix_web::{web, HttpResponse};
use futures_util::stream;
use tokio::sync::broadcast::error::RecvError;

use crate::app::events::LocationEvent;
use crate::app::AppState;
use crate::error::AppResult;

fn frame(event: &LocationEvent) -> web::Bytes {
    let data = serde_json::to_string(event).unwrap_or_else(|_| "{}".into());
    web::Bytes::from(format!("event: {}\ndata: {data}\n\n", event.kind))
}

/// `text/event-stream` of `ticket.issued`, `ticket.called`, `ticket.finished`, … The first
/// frame is a comment, so a client knows it is listening before anything happens.
#[utoipa::path(get, path = "/api/v1/locations/{location}/events", tag = "kiosk",
    params(super::locations::LocationPath),
    responses((status = 200, description = "Server-Sent Events: a comment first, then `event: KIND` with `data: {location, kind, number, service, desk}`",
            content_type = "text/event-stream", body = String),
        (status = 404, description = "no such location")))]
pub async fn events(
    state: web::Data<AppState>,
    location: web::Path<String>,
) -> AppResult<HttpResponse> {
    let slug = location.into_inner();
    let check = slug.clone();
    super::blocking(&state, move |conn| {
        crate::app::catalogue::location(conn, &check)
    })
    .await?;
    let receiver = state.events.subscribe();
    let hello = stream::once(async {
        Ok::<_, actix_web::Error>(web::Bytes::from_static(b": listening\n\n"))
    });
    let live = stream::unfold((receiver, slug), |(mut receiver, slug)| async move {
        loop {
            match receiver.recv().await {
                Ok(event) if event.location == slug => {
                    return Some((Ok(frame(&event)), (receiver, slug)))
                }
                Ok(_) | Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        .streaming(futures_util::StreamExt::chain(hello, live)))
}
