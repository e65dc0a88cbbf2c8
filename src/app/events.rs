//! Live events of a location (a ticket issued, called, finished), for the call display and
//! the staff console. Delivered within this server instance; several instances would relay
//! them through PostgreSQL LISTEN/NOTIFY.

use serde::Serialize;
use tokio::sync::broadcast;

/// One thing that happened at a location.
#[derive(Debug, Clone, Serialize)]
pub struct LocationEvent {
    #[serde(skip)]
    pub location: String,
    /// `ticket.issued`, `ticket.called`, `ticket.finished`, …
    #[serde(skip)]
    pub kind: &'static str,
    pub number: String,
    pub service: Option<String>,
    pub desk: Option<String>,
}

/// The fan-out of events to every listener; slow listeners miss old events, never block.
#[derive(Debug, Clone)]
pub struct Events(broadcast::Sender<LocationEvent>);

impl Default for Events {
    fn default() -> Self {
        Self(broadcast::channel(256).0)
    }
}

impl Events {
    pub fn publish(&self, event: LocationEvent) {
        // Nobody listening is fine: the display may be off.
        let _ = self.0.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LocationEvent> {
        self.0.subscribe()
    }
}
