//! HTTP: thin actix-web handlers that parse, call a use case and render.

pub mod audit;
pub mod booking;
pub mod booking_pages;
pub mod dashboard;
pub mod desks;
pub mod events;
pub mod forecast;
pub mod form_guard;
pub mod health;
pub mod input;
pub mod kiosk;
pub mod locations;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod planner_pages;
pub mod problem;
pub mod reports;
pub mod rosters;
pub mod session;
pub mod staff_pages;
pub mod tickets;
pub mod waitlist;
pub mod waitlist_pages;

use std::time::Instant;

use actix_web::dev::ServiceRequest;
use actix_web::web;

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::store::DbConnection;

/// Runs database work on the blocking pool, off the async executor.
pub async fn blocking<T, F>(state: &AppState, work: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await
    .map_err(|e| AppError::Internal(format!("a blocking task failed: {e}")))?
}

/// Every route of the server.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(problem::json_config())
        .app_data(problem::query_config())
        .app_data(problem::path_config())
        .route("/", web::get().to(pages::home))
        .route("/static/{name}", web::get().to(pages::asset))
        .route("/language/{lang}", web::get().to(pages::switch_language))
        .route("/book", web::get().to(booking_pages::book))
        .route("/book", web::post().to(booking_pages::submit))
        .route(
            "/appointments/{reference}",
            web::get().to(booking_pages::manage),
        )
        .route(
            "/appointments/{reference}/cancel",
            web::post().to(booking_pages::cancel),
        )
        .route(
            "/appointments/{reference}/move",
            web::get().to(booking_pages::move_page),
        )
        .route(
            "/appointments/{reference}/move",
            web::post().to(booking_pages::move_to),
        )
        .route("/waitlist", web::get().to(waitlist_pages::form))
        .route("/waitlist", web::post().to(waitlist_pages::join))
        .route(
            "/waitlist/{reference}/offer",
            web::get().to(waitlist_pages::offer),
        )
        .route(
            "/waitlist/{reference}/claim",
            web::post().to(waitlist_pages::claim),
        )
        .route(
            "/waitlist/{reference}/leave",
            web::get().to(waitlist_pages::leave_page),
        )
        .route(
            "/waitlist/{reference}/leave",
            web::post().to(waitlist_pages::leave),
        )
        .route("/staff", web::get().to(staff_pages::console))
        .route("/staff/login", web::get().to(staff_pages::login_form))
        .route("/staff/login", web::post().to(staff_pages::login))
        .route("/staff/planner", web::get().to(planner_pages::planner))
        .route(
            "/locations/{location}/display",
            web::get().to(staff_pages::display),
        )
        .route("/tickets/{id}", web::get().to(pages::ticket))
        .route("/health", web::get().to(health::health))
        .route("/metrics", web::get().to(metrics::metrics))
        .route("/staff/dashboard", web::get().to(dashboard::dashboard))
        .route("/api/openapi.json", web::get().to(openapi::openapi_json))
        .service(
            web::scope("/api/v1")
                .route("/auth/login", web::post().to(session::login))
                .route("/auth/logout", web::post().to(session::logout))
                .route("/auth/me", web::get().to(session::me))
                .route("/locations", web::get().to(locations::list))
                .route(
                    "/locations/{location}/services",
                    web::get().to(locations::services),
                )
                .route(
                    "/locations/{location}/desks",
                    web::get().to(locations::desks),
                )
                .route("/locations/{location}/slots", web::get().to(booking::slots))
                .route("/locations/{location}/kiosk", web::get().to(kiosk::menu))
                .route("/appointments", web::post().to(booking::create))
                .route("/appointments/{reference}", web::get().to(booking::show))
                .route(
                    "/appointments/{reference}",
                    web::delete().to(booking::cancel),
                )
                .route(
                    "/appointments/{reference}/reschedule",
                    web::post().to(booking::reschedule),
                )
                .route(
                    "/appointments/{reference}/calendar.ics",
                    web::get().to(booking::calendar),
                )
                .route(
                    "/appointments/{reference}/check-in",
                    web::post().to(tickets::check_in),
                )
                .route("/desks/{desk}/open", web::post().to(desks::open))
                .route("/desks/{desk}/pause", web::post().to(desks::pause))
                .route("/desks/{desk}/close", web::post().to(desks::close))
                .route("/desks/{desk}/call-next", web::post().to(desks::call_next))
                .route("/tickets/{id}/finish", web::post().to(desks::finish))
                .route("/tickets/{id}/transfer", web::post().to(desks::transfer))
                .route("/tickets/{id}/recall", web::post().to(desks::recall))
                .route("/tickets/{id}/start", web::post().to(desks::start))
                .route("/tickets/{id}/no-show", web::post().to(desks::no_show))
                .route("/tickets/{id}/park", web::post().to(desks::park))
                .route("/tickets/{id}/return", web::post().to(desks::give_back))
                .route("/locations/{location}/queue", web::get().to(tickets::queue))
                .route(
                    "/locations/{location}/display",
                    web::get().to(tickets::display),
                )
                .route(
                    "/locations/{location}/events",
                    web::get().to(events::events),
                )
                .route("/waitlist", web::post().to(waitlist::join))
                .route("/waitlist/{reference}", web::delete().to(waitlist::leave))
                .route(
                    "/waitlist/{reference}/offer",
                    web::get().to(waitlist::offer),
                )
                .route(
                    "/waitlist/{reference}/claim",
                    web::post().to(waitlist::claim),
                )
                .route("/rosters", web::post().to(rosters::create))
                .route("/rosters/{id}", web::get().to(rosters::show))
                .route("/rosters/{id}/publish", web::post().to(rosters::publish))
                .route("/tickets", web::post().to(tickets::take))
                .route("/tickets/{id}", web::get().to(tickets::show))
                .route("/reports/kpi", web::get().to(reports::kpi))
                .route("/audit", web::get().to(audit::list))
                .route("/forecast", web::get().to(forecast::forecast)),
        )
        .default_service(web::to(not_found));
}

async fn not_found(req: actix_web::HttpRequest) -> AppResult<actix_web::HttpResponse> {
    Err(AppError::not_found(format!(
        "there is nothing at {}",
        req.path()
    )))
}

/// Logs each request by its route pattern, never its concrete path or query, which may
/// carry references and tokens.
pub fn log_request<S>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<actix_web::dev::ServiceResponse, actix_web::Error>>
where
    S: actix_web::dev::Service<
        ServiceRequest,
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
    >,
{
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_owned());
    let response = srv.call(req);
    async move {
        let response = response.await?;
        tracing::info!(
            %method,
            route,
            status = response.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "request"
        );
        Ok(response)
    }
}
