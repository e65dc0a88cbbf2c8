//! Server-Sent Events of a location: what the call display listens to.
//!
//! A stream is capped per client address and in total, sends a comment line every
//! heartbeat (a write to a client that has gone away is how the server learns that it has,
//! and frees its place), and ends after its lifetime or when the server stops, telling the
//! browser when to reconnect.

use std::pin::Pin;

use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::stream;
use rand::Rng;
use tokio::sync::{broadcast, watch};
use tokio::time::{Instant, Interval, MissedTickBehavior, Sleep};

use crate::app::event_streams::StreamPermit;
use crate::app::events::LocationEvent;
use crate::app::AppState;
use crate::error::AppResult;

/// The first frame: a comment, so that a client knows it is listening before anything
/// happens, and the reconnection delay for a dropped stream.
const HELLO: &[u8] = b": listening\nretry: 5000\n\n";
const HEARTBEAT: &[u8] = b": heartbeat\n\n";

fn frame(event: &LocationEvent) -> web::Bytes {
    let data = serde_json::to_string(event).unwrap_or_else(|_| "{}".into());
    web::Bytes::from(format!("event: {}\ndata: {data}\n\n", event.kind))
}

/// The last frame: reconnect after a few seconds, spread so that the streams ended
/// together (a server stopping) do not all come back in the same instant.
fn farewell() -> web::Bytes {
    let millis = rand::thread_rng().gen_range(1_000..6_000);
    web::Bytes::from(format!(
        ": the server ends this stream\nretry: {millis}\n\n"
    ))
}

/// `text/event-stream` of `ticket.issued`, `ticket.called`, `ticket.finished`, …
#[utoipa::path(get, path = "/api/v1/locations/{location}/events", tag = "kiosk",
    params(super::paths::LocationPath),
    responses((status = 200, description = "Server-Sent Events: a comment first, then `event: KIND` with `data: {location, kind, number, service, desk}`; a heartbeat comment while quiet; a `retry:` before the server ends the stream",
            content_type = "text/event-stream", body = String),
        (status = 404, description = "no such location"),
        (status = 429, description = "this client address holds all the streams it may; see Retry-After"),
        (status = 503, description = "the server holds all the streams it may; see Retry-After")))]
pub async fn events(
    state: web::Data<AppState>,
    req: HttpRequest,
    location: web::Path<String>,
) -> AppResult<HttpResponse> {
    // The place first: a client over its share costs no database work.
    let permit = state.streams.open(req.peer_addr().map(|p| p.ip()))?;
    let slug = location.into_inner();
    let check = slug.clone();
    super::blocking::run(&state, move |conn| {
        crate::app::catalogue::location(conn, &check)
    })
    .await?;
    let settings = state.streams.settings();
    let mut heartbeat =
        tokio::time::interval_at(Instant::now() + settings.heartbeat, settings.heartbeat);
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let listening = Listening {
        receiver: state.events.subscribe(),
        location: slug,
        heartbeat,
        end_of_life: Box::pin(tokio::time::sleep(settings.lifetime)),
        stopping: state.streams.stopping(),
        ended: false,
        _permit: permit,
    };
    let hello = stream::once(async { Ok(web::Bytes::from_static(HELLO)) });
    let live = stream::unfold(listening, |mut l| async move {
        let next = l.next().await?;
        Some((Ok::<_, actix_web::Error>(next), l))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        .streaming(futures_util::StreamExt::chain(hello, live)))
}

/// One open stream; its place is held until it is dropped.
struct Listening {
    receiver: broadcast::Receiver<LocationEvent>,
    location: String,
    heartbeat: Interval,
    end_of_life: Pin<Box<Sleep>>,
    stopping: watch::Receiver<bool>,
    ended: bool,
    _permit: StreamPermit,
}

impl Listening {
    /// The next frame, or `None` when the stream is over.
    async fn next(&mut self) -> Option<web::Bytes> {
        if self.ended {
            return None;
        }
        loop {
            tokio::select! {
                biased;
                _ = self.stopping.wait_for(|stopping| *stopping) => {
                    self.ended = true;
                    return Some(farewell());
                }
                _ = &mut self.end_of_life => {
                    self.ended = true;
                    return Some(farewell());
                }
                received = self.receiver.recv() => match received {
                    Ok(event) if event.location == self.location => {
                        self.heartbeat.reset();
                        return Some(frame(&event));
                    }
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = self.heartbeat.tick() => return Some(web::Bytes::from_static(HEARTBEAT)),
            }
        }
    }
}
