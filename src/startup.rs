//! Building the server: one factory for `main` and for every test.

use std::net::{SocketAddr, TcpListener};

use actix_web::dev::Server;
use actix_web::{web, App, HttpServer};

use crate::app::AppState;
use crate::http;

/// A bound, not yet awaited server and the address it listens on (port 0 picks a free one).
pub fn build(state: AppState, bind: &str) -> std::io::Result<(Server, SocketAddr)> {
    serve_on(state, TcpListener::bind(bind)?)
}

/// The server on a listener the caller bound (to learn the port before building the state).
pub fn serve_on(state: AppState, listener: TcpListener) -> std::io::Result<(Server, SocketAddr)> {
    let address = listener.local_addr()?;
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .wrap_fn(http::input::refuse_control_characters)
            .wrap_fn(http::log_request)
            .wrap_fn(http::metrics::count_request)
            .configure(http::configure)
    })
    .listen(listener)?
    .run();
    Ok((server, address))
}
