//! Building the server: one factory for `main` and for every test.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{web, App, HttpServer};

use crate::app::event_streams::EventStreams;
use crate::app::AppState;
use crate::http;

/// How long a stopping server waits for requests still being answered. Event streams end
/// at once when it stops, so only ordinary requests are waited for.
const SHUTDOWN_SECONDS: u64 = 5;

/// A bound, not yet awaited server and the address it listens on (port 0 picks a free one).
pub fn build(state: AppState, bind: &str) -> std::io::Result<(Server, SocketAddr)> {
    serve_on(state, TcpListener::bind(bind)?)
}

/// The server on a listener the caller bound (to learn the port before building the state).
pub fn serve_on(state: AppState, listener: TcpListener) -> std::io::Result<(Server, SocketAddr)> {
    let address = listener.local_addr()?;
    let streams = Arc::clone(&state.streams);
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let metrics_here = !data.edge.metrics_apart;
        App::new()
            .app_data(data.clone())
            .wrap_fn(http::input::refuse_control_characters)
            .wrap_fn(http::problem::as_problem)
            .wrap_fn(http::headers::secure)
            .wrap_fn(http::log_request)
            .wrap_fn(http::metrics::count_request)
            .configure(|cfg| http::configure(cfg, metrics_here))
    })
    .shutdown_timeout(SHUTDOWN_SECONDS)
    .shutdown_signal(stop_signal(Some(streams)))
    .listen(listener)?
    .run();
    Ok((server, address))
}

/// `/metrics` alone, on an address of its own (`SKRANKE_METRICS_BIND`); the state must be
/// the main server's, whose requests it counts, with `edge.metrics_apart` set.
pub fn serve_metrics_on(
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
