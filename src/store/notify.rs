//! PostgreSQL LISTEN/NOTIFY for live events, so that every server process on one database
//! delivers every event. The only place that speaks that dialect.
//!
//! Diesel has no API for notifications, so the listener holds its own connection through
//! the `postgres` crate; NOTIFY goes through a pooled diesel connection.

use diesel::sql_types::Text;
use diesel::RunQueryDsl;
use postgres::fallible_iterator::FallibleIterator;

use super::{DbConnection, StoreResult};

/// The channel every Skranke process listens on.
pub const CHANNEL: &str = "skranke_events";

/// Sends `payload` to every listener, at once (outside a transaction) or at commit.
pub fn notify(conn: &mut DbConnection, payload: &str) -> StoreResult<()> {
    diesel::sql_query("SELECT pg_notify($1, $2)")
        .bind::<Text, _>(CHANNEL)
        .bind::<Text, _>(payload)
        .execute(conn)?;
    Ok(())
}

/// A connection that LISTENs on [`CHANNEL`].
pub struct Listener {
    url: String,
    client: postgres::Client,
}

impl Listener {
    /// Connects and starts listening before it returns: an event published after this is
    /// never missed.
    pub fn connect(url: &str) -> Result<Self, postgres::Error> {
        let client = Self::listening(url)?;
        Ok(Self {
            url: url.to_owned(),
            client,
        })
    }

    fn listening(url: &str) -> Result<postgres::Client, postgres::Error> {
        let mut client = postgres::Client::connect(url, postgres::NoTls)?;
        client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
        Ok(client)
    }

    /// Delivers notifications until the connection fails.
    fn drain(
        client: &mut postgres::Client,
        deliver: &mut impl FnMut(&str),
    ) -> Option<postgres::Error> {
        let mut notifications = client.notifications();
        let mut incoming = notifications.blocking_iter();
        loop {
            match incoming.next() {
                Ok(Some(n)) => deliver(n.payload()),
                Ok(None) => return None,
                Err(e) => return Some(e),
            }
        }
    }

    /// Hands every payload to `deliver`, for as long as the process runs. A lost
    /// connection is opened again, waiting longer after each failure (events sent while
    /// it is down are lost, as with any live stream; pages re-read their state on reconnect).
    pub fn run(mut self, mut deliver: impl FnMut(&str)) -> ! {
        let mut wait = std::time::Duration::from_millis(250);
        loop {
            let failed = Self::drain(&mut self.client, &mut deliver);
            tracing::warn!(error = ?failed, "the event listener lost its connection");
            loop {
                std::thread::sleep(wait);
                match Self::listening(&self.url) {
                    Ok(client) => {
                        self.client = client;
                        wait = std::time::Duration::from_millis(250);
                        break;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the event listener cannot reconnect yet");
                        wait = (wait * 2).min(std::time::Duration::from_secs(30));
                    }
                }
            }
        }
    }
}
