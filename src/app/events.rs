//! Live events of a location (a ticket issued, called, finished), for the call display,
//! the ticket pages and the staff console.
//!
//! Events are sent by the transaction that causes them ([`Events::write`]), so none is seen
//! before its change can be read, and none for a change rolled back. On SQLite (one
//! process) they go to this process's listeners after the commit. On PostgreSQL they go
//! out as a NOTIFY inside the transaction and come back through LISTEN, to this process
//! and to every other one on the same database, so each listener anywhere gets each event
//! exactly once.

use std::sync::mpsc;

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::error::{AppError, AppResult};
use crate::store::notify::{self, Listener};
use crate::store::{self, DbConnection};

/// Every kind of event, as the stream names them.
pub const KINDS: [&str; 12] = [
    "ticket.issued",
    "ticket.called",
    "ticket.recalled",
    "ticket.started",
    "ticket.finished",
    "ticket.no_show",
    "ticket.transferred",
    "ticket.parked",
    "ticket.returned",
    "ticket.changed",
    "desk.changed",
    QUEUE_ALERT,
];

/// The kind of the event that says a live queue alert was raised or cleared.
pub const QUEUE_ALERT: &str = "queue.alert";

/// One thing that happened at a location.
#[derive(Debug, Clone, Serialize)]
pub struct LocationEvent {
    #[serde(skip)]
    pub location: String,
    /// One of [`KINDS`].
    #[serde(skip)]
    pub kind: &'static str,
    pub number: String,
    pub service: Option<String>,
    pub desk: Option<String>,
}

/// An event as it travels between processes.
#[derive(Serialize, Deserialize)]
struct Wire {
    location: String,
    kind: String,
    number: String,
    service: Option<String>,
    desk: Option<String>,
}

impl From<&LocationEvent> for Wire {
    fn from(e: &LocationEvent) -> Self {
        Wire {
            location: e.location.clone(),
            kind: e.kind.to_owned(),
            number: e.number.clone(),
            service: e.service.clone(),
            desk: e.desk.clone(),
        }
    }
}

impl Wire {
    /// `None` for a kind this version does not know (a newer process may send one).
    fn into_event(self) -> Option<LocationEvent> {
        let kind = KINDS.iter().find(|k| **k == self.kind)?;
        Some(LocationEvent {
            location: self.location,
            kind,
            number: self.number,
            service: self.service,
            desk: self.desk,
        })
    }
}

/// The fan-out of events to every listener; slow listeners miss old events, never block.
#[derive(Debug, Clone)]
pub struct Events {
    local: broadcast::Sender<LocationEvent>,
    /// Whether events travel through the database (LISTEN feeds `local`).
    relayed: bool,
}

impl Default for Events {
    fn default() -> Self {
        Self {
            local: broadcast::channel(256).0,
            relayed: false,
        }
    }
}

impl Events {
    /// Events through PostgreSQL: listens before it returns, then feeds what LISTEN hears
    /// into the local fan-out on a thread of its own.
    pub fn relayed(url: &str) -> Result<Self, postgres::Error> {
        let local = broadcast::channel(256).0;
        let inbound = local.clone();
        // The listener connects on its own thread (its client runs its own runtime, which
        // may not start inside the server's), and reports back once it listens.
        let (ready, listening) = mpsc::sync_channel(1);
        let url = url.to_owned();
        std::thread::Builder::new()
            .name("events-in".into())
            .spawn(move || {
                let listener = match Listener::connect(&url) {
                    Ok(listener) => {
                        let _ = ready.send(Ok(()));
                        listener
                    }
                    Err(e) => {
                        let _ = ready.send(Err(e));
                        return;
                    }
                };
                listener.run(|payload| {
                    match serde_json::from_str::<Wire>(payload).map(Wire::into_event) {
                        Ok(Some(event)) => {
                            let _ = inbound.send(event);
                        }
                        Ok(None) => {}
                        Err(e) => tracing::warn!(error = %e, "an unreadable event"),
                    }
                })
            })
            .expect("starting the event listener");
        listening
            .recv()
            .expect("the event listener reports whether it listens")?;
        Ok(Self {
            local,
            relayed: true,
        })
    }

    /// Runs `work` in a writing transaction and sends the event it returns, if any, only
    /// once its change is committed: on PostgreSQL as a NOTIFY inside the transaction
    /// (PostgreSQL delivers it at commit, to every process, and drops it on rollback);
    /// otherwise to this process's listeners after the commit.
    pub fn write<T>(
        &self,
        conn: &mut DbConnection,
        work: impl FnOnce(&mut DbConnection) -> AppResult<(T, Option<LocationEvent>)>,
    ) -> AppResult<T> {
        let (value, event) = store::write(conn, |conn| {
            let (value, event) = work(conn)?;
            if let (true, Some(event)) = (self.relayed, &event) {
                let payload = serde_json::to_string(&Wire::from(event)).expect("JSON");
                notify::notify(conn, &payload)?;
            }
            Ok::<_, AppError>((value, event))
        })?;
        if let (false, Some(event)) = (self.relayed, event) {
            // Nobody listening is fine: the display may be off.
            let _ = self.local.send(event);
        }
        Ok(value)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LocationEvent> {
        self.local.subscribe()
    }
}
