//! Building the application: the database pool, the state, the background workers and the
//! HTTP servers, from the settings, in one place that `main` and every test call.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::{Server, ServerHandle};
use actix_web::{web, App, HttpServer};

use crate::app::event_streams::EventStreams;
use crate::app::mailer::Mailer;
use crate::app::sms_gateway::SmsGateway;
use crate::app::{self, AppState};
use crate::clock::{self, SharedClock};
use crate::config::Settings;
use crate::error::AppError;
use crate::http;
use crate::store::{self, Pool};

/// How long a stopping server waits for requests still being answered. Event streams end
/// at once when it stops, so only ordinary requests are waited for.
const SHUTDOWN_SECONDS: u64 = 5;

/// How often the mail worker looks for due mail, and the waitlist worker for freed times.
const MAIL_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10);

/// How often the queues are read for live alerts: well inside the minutes an alert waits.
const ALERT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(30);

/// How often the retention job looks for personal data past its period.
const RETENTION_INTERVAL: std::time::Duration = std::time::Duration::from_secs(3600);

/// Why the application could not be built; each names what it was opening, and its source
/// why (printed after it, as `main` prints an error's chain).
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("opening {database}")]
    Database {
        database: String,
        source: store::StoreError,
    },
    #[error("listening on {bind}")]
    Listen {
        bind: String,
        source: std::io::Error,
    },
    #[error("listening for /metrics on {bind}")]
    ListenMetrics {
        bind: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Serve(#[from] std::io::Error),
    #[error(transparent)]
    App(#[from] AppError),
}

/// What a caller brings instead of what the settings would make. `Default` brings nothing
/// and runs the workers, as `serve` does.
#[derive(Default)]
pub struct Provided {
    /// An open pool on the settings' database (the demo's, that has just filled it).
    pub pool: Option<Pool>,
    /// A clock (a test's, that it moves by hand); else one that starts at `settings.now`.
    pub clock: Option<SharedClock>,
    /// A listener already bound (to know the address before the server is there); else
    /// `settings.bind` is bound.
    pub listener: Option<TcpListener>,
    /// Leaves the mail, waitlist, alert and retention workers off: a test runs their passes
    /// itself, at the moments it chooses.
    pub without_workers: bool,
}

/// A Skranke server, bound and ready to run: its state, its addresses, its servers.
pub struct Application {
    state: AppState,
    address: SocketAddr,
    metrics_address: Option<SocketAddr>,
    server: Server,
    metrics: Option<Server>,
}

impl Application {
    /// Everything from the settings: the database, the clock, `settings.bind` (and
    /// `settings.metrics_bind`), the workers.
    pub fn build(settings: &Settings) -> Result<Self, StartError> {
        Self::build_with(settings, Provided::default())
    }

    /// [`Application::build`], with what the caller provides used instead.
    pub fn build_with(settings: &Settings, provided: Provided) -> Result<Self, StartError> {
        let listener = match provided.listener {
            Some(listener) => listener,
            None => TcpListener::bind(&settings.bind).map_err(|source| StartError::Listen {
                bind: settings.bind.clone(),
                source,
            })?,
        };
        let address = listener.local_addr()?;
        let metrics_listener = match &settings.metrics_bind {
            Some(bind) => {
                Some(
                    TcpListener::bind(bind).map_err(|source| StartError::ListenMetrics {
                        bind: bind.clone(),
                        source,
                    })?,
                )
            }
            None => None,
        };
        let database = settings.database();
        let pool = match provided.pool {
            Some(pool) => pool,
            None => store::connect(&database, settings.db_pool_size).map_err(|source| {
                StartError::Database {
                    database: database.redacted(),
                    source,
                }
            })?,
        };
        let public_base = match &settings.public_url {
            Some(_) => settings.public_base(),
            None => format!("http://{address}"),
        };
        let clock = provided
            .clock
            .unwrap_or_else(|| clock::from_start(settings.now));
        if !provided.without_workers {
            spawn_workers(settings, &pool, &clock, &public_base)?;
        }
        let state = AppState::new(pool, clock, public_base)
            .with_costs(settings.costs.costs())
            .with_booking_limit(settings.rate_limit_per_minute)
            .with_waitlist(settings.waitlist())
            .with_event_streams(settings.events.settings())
            .with_edge(settings.edge())
            .relay_events(&database)?;
        if !provided.without_workers {
            // The alerts go out on the location's event stream, so they start with the state.
            app::queue_alerts::spawn_worker(
                state.pool.clone(),
                state.events.clone(),
                state.clock.clone(),
                settings.alert_rule(),
                ALERT_INTERVAL,
            );
        }
        let metrics = match metrics_listener {
            Some(listener) => Some(serve_metrics_on(state.clone(), listener)?),
            None => None,
        };
        Ok(Self {
            address,
            metrics_address: metrics.as_ref().map(|(_, address)| *address),
            server: serve_on(state.clone(), listener)?,
            metrics: metrics.map(|(server, _)| server),
            state,
        })
    }

    /// The address the server listens on (port 0 in the settings becomes a free port).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// Where `/metrics` is served apart, when it is.
    pub fn metrics_address(&self) -> Option<SocketAddr> {
        self.metrics_address
    }

    /// The base of links in mails and QR codes, without a trailing slash.
    pub fn public_base(&self) -> &str {
        &self.state.public_base
    }

    /// What every request's use cases reach: the pool, the clock, the settings.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Stops the servers from elsewhere (a test that ends).
    pub fn stopper(&self) -> Stopper {
        Stopper(
            std::iter::once(&self.server)
                .chain(&self.metrics)
                .map(Server::handle)
                .collect(),
        )
    }

    /// Serves until SIGTERM or SIGINT, or until a [`Stopper`] stops it.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        match self.metrics {
            Some(metrics) => futures_util::try_join!(self.server, metrics).map(drop),
            None => self.server.await,
        }
    }
}

/// Stops an [`Application`]'s servers.
#[derive(Clone)]
pub struct Stopper(Vec<ServerHandle>);

impl Stopper {
    /// Tells the servers to stop now, not waiting for requests in flight; returns at once.
    pub fn stop_now(&self) {
        for server in &self.0 {
            drop(server.stop(false));
        }
    }
}

fn spawn_workers(
    settings: &Settings,
    pool: &Pool,
    clock: &SharedClock,
    public_base: &str,
) -> Result<(), AppError> {
    let mailer = Mailer::new(settings.smtp_url.as_deref(), settings.mail_dir.clone())?;
    let sms = settings
        .sms_url
        .as_deref()
        .map(|url| SmsGateway::new(url, settings.sms_token.as_deref()))
        .transpose()?;
    app::outbox::spawn_worker(
        pool.clone(),
        (mailer, sms),
        public_base.to_owned(),
        clock.clone(),
        MAIL_INTERVAL,
    );
    app::retention::spawn_worker(
        pool.clone(),
        clock.clone(),
        settings.retention_days,
        RETENTION_INTERVAL,
    );
    app::waitlist_offers::spawn_worker(
        pool.clone(),
        clock.clone(),
        settings.waitlist(),
        MAIL_INTERVAL,
    );
    Ok(())
}

/// The server on its listener.
fn serve_on(state: AppState, listener: TcpListener) -> std::io::Result<Server> {
    let streams = Arc::clone(&state.streams);
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let metrics_here = !data.edge.metrics_apart;
        App::new()
            .app_data(data.clone())
            .wrap_fn(http::input::refuse_control_characters)
            .wrap_fn(http::problem::as_problem)
            .wrap_fn(http::identity::on_pages)
            .wrap_fn(http::headers::secure)
            .wrap_fn(http::log_request)
            .wrap_fn(http::metrics::count_request)
            .configure(|cfg| http::configure(cfg, metrics_here))
    })
    .shutdown_timeout(SHUTDOWN_SECONDS)
    .shutdown_signal(stop_signal(Some(streams)))
    .listen(listener)?
    .run();
    Ok(server)
}

/// `/metrics` alone, on an address of its own (`SKRANKE_METRICS_BIND`); the state is the
/// main server's, whose requests it counts, with `edge.metrics_apart` set.
fn serve_metrics_on(
    state: AppState,
    listener: TcpListener,
) -> std::io::Result<(Server, SocketAddr)> {
    let address = listener.local_addr()?;
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .wrap_fn(http::input::refuse_control_characters)
            .wrap_fn(http::problem::as_problem)
            .wrap_fn(http::headers::secure)
            .wrap_fn(http::log_request)
            .configure(http::configure_metrics)
    })
    .workers(1)
    .shutdown_timeout(SHUTDOWN_SECONDS)
    .shutdown_signal(stop_signal(None))
    .listen(listener)?
    .run();
    Ok((server, address))
}

/// Resolves on SIGTERM or SIGINT, after ending the event streams: a stopping server waits
/// for its open connections, and a stream would otherwise keep its connection open until
/// the shutdown timeout.
async fn stop_signal(streams: Option<Arc<EventStreams>>) {
    wait_for_signal().await;
    tracing::info!("stopping: ending the event streams and finishing requests");
    if let Some(streams) = streams {
        streams.stop_all();
    }
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut terminate) => {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupted() => {}
            }
        }
        Err(error) => {
            tracing::warn!(%error, "cannot listen for SIGTERM; stopping on Ctrl-C only");
            interrupted().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    interrupted().await;
}

/// Ctrl-C; never, when it cannot be listened for (rather than stopping at once).
async fn interrupted() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
