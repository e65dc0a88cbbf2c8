//! HTTP: thin actix-web handlers that parse, call a use case and render.

pub mod admin;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod blocking;
pub mod body;
pub mod booking;
pub mod booking_pages;
pub mod booking_view;
pub mod citizen;
pub mod closure_view;
pub mod console_view;
pub mod dashboard;
mod dashboard_view;
pub mod desk_view;
pub mod desks;
pub mod display_chooser;
pub mod events;
pub mod feedback;
pub mod forecast;
pub mod form_guard;
pub mod forms;
pub mod headers;
pub mod health;
pub mod home;
pub mod identity;
pub mod input;
pub mod interpreter_pages;
pub mod interpreter_tasks;
pub mod kiosk;
pub mod lang;
pub mod language_switch;
pub mod links;
pub mod locations;
pub mod metrics;
pub mod openapi;
pub mod page;
pub mod page_path;
pub mod password_pages;
pub mod passwords;
pub mod paths;
pub mod planner_pages;
pub mod planner_view;
pub mod problem;
pub mod queue_view;
pub mod receipt;
pub mod reports;
pub mod return_to;
pub mod rosters;
pub mod session;
pub mod staff_layout;
pub mod staff_pages;
pub mod ticket_page;
pub mod tickets;
pub mod visit_input;
pub mod wait_times;
pub mod waitlist;
pub mod waitlist_pages;
pub mod webhooks;
pub mod whatif;
pub mod whatif_page;

use std::time::Instant;

use actix_web::dev::ServiceRequest;
use actix_web::web;

use crate::error::{AppError, AppResult};

/// Every route of the server; `/metrics` among them unless it has an address of its own.
///
/// Each path is one resource with its methods, so that a method the path does not take is
/// a 405 that names those it does (with `Allow`), and only an unknown path is a 404.
pub fn configure(cfg: &mut web::ServiceConfig, metrics_here: bool) {
    use web::{delete, get, post, put, resource};
    cfg.app_data(problem::json_config())
        .app_data(problem::form_config())
        .app_data(problem::payload_config())
        .app_data(problem::query_config())
        .app_data(problem::path_config())
        .service(resource("/").route(get().to(home::home)))
        .service(resource("/static/{name}").route(get().to(assets::asset)))
        .service(resource("/static/dkfds/{kind}/{file}").route(get().to(assets::design_system)))
        .service(resource("/municipality/logo").route(get().to(identity::logo)))
        .service(resource("/municipality/theme.css").route(get().to(identity::theme)))
        .service(resource("/language/{lang}").route(get().to(language_switch::switch_language)))
        .service(
            resource("/book")
                .route(get().to(booking_pages::start::book))
                .route(post().to(booking_pages::submit::submit)),
        )
        .service(
            resource("/book/visit")
                .route(get().to(booking_pages::visit::form))
                .route(post().to(booking_pages::visit::choose)),
        )
        .service(
            resource("/appointments/{reference}").route(get().to(booking_pages::manage::manage)),
        )
        .service(
            resource("/appointments/{reference}/cancel")
                .route(get().to(booking_pages::manage::confirm_cancel))
                .route(post().to(booking_pages::manage::cancel)),
        )
        .service(
            resource("/appointments/{reference}/move")
                .route(get().to(booking_pages::reschedule::move_page))
                .route(post().to(booking_pages::reschedule::move_to)),
        )
        .service(
            resource("/waitlist")
                .route(get().to(waitlist_pages::form))
                .route(post().to(waitlist_pages::join)),
        )
        .service(resource("/waitlist/visit").route(post().to(waitlist_pages::visit_form)))
        .service(resource("/waitlist/{reference}/offer").route(get().to(waitlist_pages::offer)))
        .service(resource("/waitlist/{reference}/claim").route(post().to(waitlist_pages::claim)))
        .service(
            resource("/waitlist/{reference}/leave")
                .route(get().to(waitlist_pages::leave_page))
                .route(post().to(waitlist_pages::leave)),
        )
        .service(resource("/staff").route(get().to(staff_pages::console)))
        .service(
            resource("/staff/login")
                .route(get().to(staff_pages::login_form))
                .route(post().to(staff_pages::login)),
        )
        .service(
            resource("/staff/password/{token}")
                .route(get().to(password_pages::form))
                .route(post().to(password_pages::set)),
        )
        .service(resource("/staff/displays").route(get().to(display_chooser::displays)))
        .service(resource("/staff/planner").route(get().to(planner_pages::planner)))
        .service(resource("/staff/planner/whatif").route(get().to(whatif_page::whatif_page)))
        .service(
            resource("/staff/planner/interpreters")
                .route(get().to(interpreter_pages::interpreters)),
        )
        .service(resource("/locations/{location}/display").route(get().to(staff_pages::display)))
        .service(resource("/tickets/{id}").route(get().to(ticket_page::ticket)))
        .service(resource("/tickets/{id}/feedback").route(post().to(ticket_page::answer)))
        .service(resource("/health").route(get().to(health::health)))
        .service(resource("/ventetid").route(get().to(wait_times::page)))
        .service(resource("/staff/dashboard").route(get().to(dashboard::dashboard)))
        .service(resource("/staff/admin").route(get().to(admin::index::index)))
        .service(resource("/staff/admin/audit").route(get().to(admin::audit_page::audit_page)))
        .service(resource("/staff/admin/locations").route(get().to(admin::locations::list)))
        .service(
            resource("/staff/admin/locations/{location}").route(get().to(admin::locations::show)),
        )
        .service(
            resource("/staff/admin/locations/{location}/closures")
                .route(post().to(admin::locations::close)),
        )
        .service(
            resource("/staff/admin/locations/{location}/details")
                .route(post().to(admin::location_details::save)),
        )
        .service(
            resource("/staff/admin/locations/{location}/reduced-hours")
                .route(post().to(admin::reduced_hours::save)),
        )
        .service(
            resource("/staff/admin/locations/{location}/errand-hours/{service}")
                .route(post().to(admin::errand_hours::save)),
        )
        .service(
            resource("/api/v1/admin/locations/{location}")
                .route(get().to(admin::locations_api::show))
                .route(put().to(admin::locations_api::update)),
        )
        .service(
            resource("/api/v1/admin/locations/{location}/closures")
                .route(post().to(admin::locations_api::close)),
        )
        .service(
            resource("/api/v1/admin/locations/{location}/capacity")
                .route(get().to(admin::locations_api::capacity))
                .route(put().to(admin::locations_api::update_capacity)),
        )
        .service(
            resource("/staff/admin/locations/{location}/capacity")
                .route(get().to(admin::capacity::show))
                .route(post().to(admin::capacity::save)),
        )
        .service(
            resource("/staff/admin/staff")
                .route(get().to(admin::staff::list))
                .route(post().to(admin::staff::create)),
        )
        .service(resource("/staff/admin/staff/new").route(get().to(admin::staff::new_form)))
        .service(
            resource("/staff/admin/staff/{id}")
                .route(get().to(admin::staff::show))
                .route(post().to(admin::staff::save)),
        )
        .service(
            resource("/staff/admin/staff/{id}/password-link")
                .route(post().to(admin::staff::password_link)),
        )
        .service(
            resource("/staff/admin/staff/{id}/active").route(post().to(admin::staff::set_active)),
        )
        .service(resource("/staff/admin/errands").route(get().to(admin::errands::list)))
        .service(
            resource("/staff/admin/errands/{service}")
                .route(get().to(admin::errands::show))
                .route(post().to(admin::errands::save)),
        )
        .service(
            resource("/api/v1/admin/services/{service}")
                .route(get().to(admin::errands_api::show))
                .route(put().to(admin::errands_api::update)),
        )
        .service(resource("/staff/admin/desks").route(get().to(admin::desks::list)))
        .service(resource("/staff/admin/desks/{desk}").route(post().to(admin::desks::save)))
        .service(
            resource("/staff/admin/locations/{location}/desks")
                .route(post().to(admin::desks::create)),
        )
        .service(
            resource("/staff/account/password")
                .route(get().to(password_pages::own_form))
                .route(post().to(password_pages::change_own)),
        )
        .service(resource("/api/openapi.json").route(get().to(openapi::openapi_json)));
    if metrics_here {
        cfg.service(resource("/metrics").route(get().to(metrics::metrics)));
    }
    cfg.service(
        web::scope("/api/v1")
            .service(resource("/auth/login").route(post().to(auth::login)))
            .service(resource("/auth/logout").route(post().to(auth::logout)))
            .service(resource("/auth/me").route(get().to(auth::me)))
            .service(resource("/locations").route(get().to(locations::list)))
            .service(
                resource("/locations/{location}/services").route(get().to(locations::services)),
            )
            .service(resource("/locations/{location}/desks").route(get().to(locations::desks)))
            .service(resource("/locations/{location}/alerts").route(get().to(locations::alerts)))
            .service(resource("/locations/{location}/slots").route(get().to(booking::slots)))
            .service(resource("/locations/{location}/needs").route(get().to(locations::needs)))
            .service(resource("/locations/{location}/kiosk").route(get().to(kiosk::menu)))
            .service(resource("/appointments").route(post().to(booking::create)))
            .service(
                resource("/appointments/{reference}")
                    .route(get().to(booking::show))
                    .route(delete().to(booking::cancel)),
            )
            .service(
                resource("/appointments/{reference}/reschedule")
                    .route(post().to(booking::reschedule)),
            )
            .service(
                resource("/appointments/{reference}/calendar.ics")
                    .route(get().to(booking::calendar)),
            )
            .service(
                resource("/appointments/{reference}/check-in").route(post().to(tickets::check_in)),
            )
            .service(resource("/desks/{desk}/open").route(post().to(desks::open)))
            .service(resource("/desks/{desk}/pause").route(post().to(desks::pause)))
            .service(resource("/desks/{desk}/close").route(post().to(desks::close)))
            .service(resource("/desks/{desk}/call-next").route(post().to(desks::call_next)))
            .service(resource("/tickets/{id}/finish").route(post().to(desks::finish)))
            .service(resource("/tickets/{id}/transfer").route(post().to(desks::transfer)))
            .service(resource("/tickets/{id}/recall").route(post().to(desks::recall)))
            .service(resource("/tickets/{id}/start").route(post().to(desks::start)))
            .service(resource("/tickets/{id}/no-show").route(post().to(desks::no_show)))
            .service(resource("/tickets/{id}/undo").route(post().to(desks::undo)))
            .service(resource("/tickets/{id}/call").route(post().to(desks::call_out_of_turn)))
            .service(resource("/tickets/{id}/park").route(post().to(desks::park)))
            .service(resource("/tickets/{id}/return").route(post().to(desks::give_back)))
            .service(resource("/locations/{location}/queue").route(get().to(tickets::queue)))
            .service(resource("/locations/{location}/display").route(get().to(tickets::display)))
            .service(resource("/locations/{location}/events").route(get().to(events::events)))
            .service(resource("/waitlist").route(post().to(waitlist::join)))
            .service(resource("/waitlist/{reference}").route(delete().to(waitlist::leave)))
            .service(resource("/waitlist/{reference}/offer").route(get().to(waitlist::offer)))
            .service(resource("/waitlist/{reference}/claim").route(post().to(waitlist::claim)))
            .service(resource("/rosters").route(post().to(rosters::create)))
            .service(resource("/interpreter-tasks").route(get().to(interpreter_tasks::tasks)))
            .service(resource("/whatif").route(post().to(whatif::compare)))
            .service(resource("/rosters/{id}").route(get().to(rosters::show)))
            .service(resource("/rosters/{id}/publish").route(post().to(rosters::publish)))
            .service(
                resource("/rosters/{id}/publish-preview").route(get().to(rosters::publish_preview)),
            )
            .service(resource("/rosters/{id}/withdraw").route(post().to(rosters::withdraw)))
            .service(resource("/tickets").route(post().to(tickets::take)))
            .service(resource("/tickets/{id}").route(get().to(tickets::show)))
            .service(resource("/tickets/{id}/feedback").route(post().to(feedback::give)))
            .service(resource("/reports/kpi").route(get().to(reports::kpi)))
            .service(resource("/audit").route(get().to(audit::list)))
            .service(
                resource("/admin/staff")
                    .route(get().to(admin::staff_api::list))
                    .route(post().to(admin::staff_api::create)),
            )
            .service(
                resource("/admin/staff/{id}")
                    .route(get().to(admin::staff_api::show))
                    .route(put().to(admin::staff_api::update)),
            )
            .service(
                resource("/admin/staff/{id}/deactivate")
                    .route(post().to(admin::staff_api::deactivate)),
            )
            .service(
                resource("/admin/staff/{id}/reactivate")
                    .route(post().to(admin::staff_api::reactivate)),
            )
            .service(
                resource("/admin/staff/{id}/password-link")
                    .route(post().to(admin::staff_api::password_link)),
            )
            .service(
                resource("/admin/locations/{location}/desks")
                    .route(get().to(admin::staff_api::desks))
                    .route(post().to(admin::staff_api::create_desk)),
            )
            .service(resource("/admin/desks/{desk}").route(put().to(admin::staff_api::update_desk)))
            .service(
                resource("/password-links/{token}")
                    .route(post().to(passwords::set_password_by_link)),
            )
            .service(resource("/auth/password").route(post().to(passwords::change_password)))
            .service(resource("/forecast").route(get().to(forecast::forecast)))
            .service(resource("/open/wait-times").route(get().to(wait_times::api)))
            .service(
                resource("/webhooks")
                    .route(post().to(webhooks::register))
                    .route(get().to(webhooks::list)),
            )
            .service(resource("/webhooks/{id}").route(delete().to(webhooks::remove))),
    )
    .default_service(web::to(not_found));
}

/// The server of `/metrics` on an address of its own: nothing else is there.
pub fn configure_metrics(cfg: &mut web::ServiceConfig) {
    cfg.app_data(problem::query_config())
        .service(web::resource("/metrics").route(web::get().to(metrics::metrics)))
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
