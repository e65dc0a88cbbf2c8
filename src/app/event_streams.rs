//! The open event streams of this server: how many one client address and all clients
//! together may hold, their count for `/metrics`, and the signal that ends them all when
//! the server stops. Each stream holds a [`StreamPermit`]; its place is free again the
//! moment the stream is dropped, whichever way it ends.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use prometheus::IntGauge;
use tokio::sync::watch;

use crate::error::{AppError, AppResult};

pub const DEFAULT_HEARTBEAT_SECONDS: f64 = 15.0;
pub const DEFAULT_PER_CLIENT: u32 = 64;
pub const DEFAULT_TOTAL: u32 = 512;
pub const DEFAULT_LIFETIME_SECONDS: f64 = 3600.0;

/// How streams are kept and capped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamSettings {
    /// How often a quiet stream sends a comment line: keeps proxies from timing it out, and
    /// a write to a client that has gone away is what tells the server it has.
    pub heartbeat: Duration,
    /// Streams one client address may hold at once.
    pub per_client: u32,
    /// Streams this server holds at once; keep it well under the process's file limit.
    pub total: u32,
    /// How long a stream lives before the server ends it and the browser reconnects.
    pub lifetime: Duration,
}

impl Default for StreamSettings {
    fn default() -> Self {
        Self {
            heartbeat: Duration::from_secs_f64(DEFAULT_HEARTBEAT_SECONDS),
            per_client: DEFAULT_PER_CLIENT,
            total: DEFAULT_TOTAL,
            lifetime: Duration::from_secs_f64(DEFAULT_LIFETIME_SECONDS),
        }
    }
}

#[derive(Debug, Default)]
struct Open {
    total: u32,
    by_client: HashMap<Option<IpAddr>, u32>,
}

/// The streams of one server.
#[derive(Debug)]
pub struct EventStreams {
    settings: StreamSettings,
    open: Mutex<Open>,
    gauge: IntGauge,
    stopping: watch::Sender<bool>,
}

impl EventStreams {
    /// `gauge` shows the number of open streams.
    pub fn new(settings: StreamSettings, gauge: IntGauge) -> Self {
        Self {
            settings,
            open: Mutex::default(),
            gauge,
            stopping: watch::channel(false).0,
        }
    }

    pub fn settings(&self) -> StreamSettings {
        self.settings
    }

    /// A place for one more stream from `client`: 429 when that address holds its share,
    /// 503 when the server holds all it may, each with when to try again.
    pub fn open(self: &Arc<Self>, client: Option<IpAddr>) -> AppResult<StreamPermit> {
        // Abandoned streams are found by the heartbeat: by two of them, a place is free.
        let retry_after_seconds = (2.0 * self.settings.heartbeat.as_secs_f64())
            .ceil()
            .max(1.0) as u64;
        let mut open = self.open.lock().expect("stream count lock");
        if open.total >= self.settings.total {
            return Err(AppError::Unavailable {
                detail: format!(
                    "the server has all the {} event streams it keeps open; try again shortly",
                    self.settings.total
                ),
                retry_after_seconds,
            });
        }
        let mine = open.by_client.entry(client).or_default();
        if *mine >= self.settings.per_client {
            return Err(AppError::RateLimited {
                detail: format!(
                    "this address has {} event streams open already; close one first",
                    self.settings.per_client
                )
                .into(),
                retry_after_seconds,
            });
        }
        *mine += 1;
        open.total += 1;
        self.gauge.set(i64::from(open.total));
        Ok(StreamPermit {
            streams: Arc::clone(self),
            client,
        })
    }

    /// The streams open now.
    pub fn open_count(&self) -> u32 {
        self.open.lock().expect("stream count lock").total
    }

    /// Ends every stream, and any opened from now on at once: the server is stopping, and
    /// it stops only when its connections are done.
    pub fn stop_all(&self) {
        self.stopping.send_replace(true);
    }

    /// Resolves when the server stops.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.stopping.subscribe()
    }

    fn close(&self, client: Option<IpAddr>) {
        let mut open = self.open.lock().expect("stream count lock");
        open.total = open.total.saturating_sub(1);
        if let Some(mine) = open.by_client.get_mut(&client) {
            *mine = mine.saturating_sub(1);
            if *mine == 0 {
                open.by_client.remove(&client);
            }
        }
        self.gauge.set(i64::from(open.total));
    }
}

/// One stream's place; dropping it frees the place.
#[derive(Debug)]
pub struct StreamPermit {
    streams: Arc<EventStreams>,
    client: Option<IpAddr>,
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        self.streams.close(self.client);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streams(per_client: u32, total: u32) -> Arc<EventStreams> {
        let settings = StreamSettings {
            per_client,
            total,
            ..StreamSettings::default()
        };
        Arc::new(EventStreams::new(
            settings,
            IntGauge::new("open", "open").unwrap(),
        ))
    }

    #[test]
    fn each_address_gets_its_share_and_all_together_the_total() {
        let streams = streams(2, 3);
        let (a, b) = (Some([10, 0, 0, 1].into()), Some([10, 0, 0, 2].into()));
        let first = streams.open(a).unwrap();
        let _second = streams.open(a).unwrap();
        assert!(matches!(streams.open(a), Err(AppError::RateLimited { .. })));
        let _third = streams.open(b).unwrap();
        assert!(matches!(streams.open(b), Err(AppError::Unavailable { .. })));
        assert_eq!(streams.open_count(), 3);
        assert_eq!(streams.gauge.get(), 3);
        drop(first);
        assert_eq!(streams.open_count(), 2);
        assert_eq!(streams.gauge.get(), 2);
        streams.open(a).expect("a place is free again");
    }
}
