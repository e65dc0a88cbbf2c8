//! The OpenAPI 3 description of every route, generated from the handlers' annotations, and
//! the rules that hold for every operation alike (how errors look, who may call, what any
//! input or the database can answer), applied here once.
//!
//! The rules live in one module each: [`security`] (the credentials), [`operations`] (ids and
//! the links between answers and operations) and [`responses`] (what any operation answers
//! because of how it is called).

mod operations;
mod responses;
mod security;

use actix_web::web;
use utoipa::OpenApi;

use super::{
    admin, assets, audit, auth, booking, booking_pages, dashboard, desks, display_chooser, events,
    feedback, forecast, health, home, identity, interpreter_pages, interpreter_tasks, kiosk,
    language_switch, locations, metrics, password_pages, passwords, planner_pages, problem,
    reports, rosters, staff_pages, ticket_page, tickets, wait_times, waitlist, waitlist_pages,
    webhooks, whatif, whatif_page,
};
pub use operations::operation_id;
use operations::{Links, OperationIds};
use responses::CommonResponses;
use security::SecuritySchemes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Skranke", description = "Appointment booking and queue tickets for citizen service desks. \
        Every error is `application/problem+json` (RFC 9457). Staff operations take the session token \
        from `POST /api/v1/auth/login` as `Authorization: Bearer`, or the session cookie together with \
        the session's CSRF token in `X-CSRF-Token` for requests that change something."),
    paths(
        health::health,
        metrics::metrics,
        openapi_json,
        locations::list,
        locations::services,
        locations::desks,
        locations::alerts,
        locations::needs,
        booking::slots,
        booking::create,
        booking::show,
        booking::cancel,
        booking::reschedule,
        booking::calendar,
        waitlist::join,
        waitlist::leave,
        waitlist::offer,
        waitlist::claim,
        tickets::take,
        kiosk::menu,
        tickets::show,
        tickets::check_in,
        tickets::queue,
        tickets::display,
        events::events,
        desks::open,
        desks::pause,
        desks::close,
        desks::call_next,
        desks::recall,
        desks::start,
        desks::no_show,
        desks::undo,
        desks::call_out_of_turn,
        desks::park,
        desks::give_back,
        desks::finish,
        desks::transfer,
        auth::login,
        auth::logout,
        auth::me,
        reports::kpi,
        audit::list,
        forecast::forecast,
        interpreter_tasks::tasks,
        wait_times::api,
        webhooks::register,
        webhooks::list,
        webhooks::remove,
        rosters::create,
        rosters::show,
        rosters::publish,
        whatif::compare,
        rosters::publish_preview,
        rosters::withdraw,
        home::home,
        assets::asset,
        assets::design_system,
        identity::logo,
        identity::theme,
        language_switch::switch_language,
        ticket_page::ticket,
        ticket_page::answer,
        booking_pages::start::book,
        booking_pages::submit::submit,
        feedback::give,
        booking_pages::visit::form,
        booking_pages::visit::choose,
        booking_pages::manage::manage,
        booking_pages::manage::confirm_cancel,
        booking_pages::manage::cancel,
        booking_pages::reschedule::move_page,
        booking_pages::reschedule::move_to,
        waitlist_pages::form,
        waitlist_pages::join,
        waitlist_pages::visit_form,
        waitlist_pages::offer,
        waitlist_pages::claim,
        waitlist_pages::leave_page,
        waitlist_pages::leave,
        staff_pages::login_form,
        staff_pages::login,
        staff_pages::console,
        staff_pages::display,
        display_chooser::displays,
        planner_pages::planner,
        whatif_page::whatif_page,
        interpreter_pages::interpreters,
        dashboard::dashboard,
        admin::index::index,
        admin::staff_api::list,
        admin::staff_api::create,
        admin::staff_api::show,
        admin::staff_api::update,
        admin::staff_api::deactivate,
        admin::staff_api::reactivate,
        admin::staff_api::password_link,
        admin::staff_api::desks,
        admin::staff_api::create_desk,
        admin::staff_api::update_desk,
        passwords::set_password_by_link,
        passwords::change_password,
        password_pages::form,
        password_pages::set,
        wait_times::page,
        admin::audit_page::audit_page,
        admin::locations::list,
        admin::locations::show,
        admin::locations::close,
        admin::location_details::save,
        admin::reduced_hours::save,
        admin::errand_hours::save,
        admin::locations_api::show,
        admin::locations_api::update,
        admin::locations_api::close,
        admin::locations_api::capacity,
        admin::locations_api::update_capacity,
        admin::capacity::show,
        admin::capacity::save,
        password_pages::own_form,
        password_pages::change_own,
        admin::staff::list,
        admin::staff::new_form,
        admin::staff::create,
        admin::staff::show,
        admin::staff::save,
        admin::staff::password_link,
        admin::staff::set_active,
        admin::desks::list,
        admin::desks::save,
        admin::desks::create,
        admin::errands::list,
        admin::errands::show,
        admin::errands::save,
        admin::errands_api::show,
        admin::errands_api::update,
    ),
    components(schemas(problem::Problem, crate::domain::FieldError)),
    modifiers(&SecuritySchemes, &OperationIds, &Links, &CommonResponses),
    tags(
        (name = "citizens", description = "Finding locations and errands, booking, the waitlist"),
        (name = "kiosk", description = "The door, the queue and ticket status"),
        (name = "staff", description = "Signed-in staff"),
        (name = "planning", description = "Forecasts, rosters and reports (planner or admin)"),
        (name = "operations", description = "Health, metrics and this description"),
        (name = "pages", description = "The browser pages: HTML, plain forms"),
        (name = "admin", description = "Administration: the organisation, staff accounts and desks (admin role)"),
    )
)]
pub struct ApiDoc;

/// This description.
#[utoipa::path(get, path = "/api/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object)))]
pub async fn openapi_json() -> web::Json<serde_json::Value> {
    web::Json(describe())
}

/// The description as served.
pub fn describe() -> serde_json::Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    // utoipa 5 writes a link's fields in snake case; OpenAPI spells them in camel case.
    for item in doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for operation in item
            .as_object_mut()
            .into_iter()
            .flat_map(|i| i.values_mut())
        {
            let responses = operation["responses"].as_object_mut();
            for response in responses.into_iter().flat_map(|r| r.values_mut()) {
                let links = response.get_mut("links").and_then(|l| l.as_object_mut());
                for link in links.into_iter().flat_map(|l| l.values_mut()) {
                    if let Some(link) = link.as_object_mut() {
                        for (snake, camel) in [
                            ("operation_id", "operationId"),
                            ("operation_ref", "operationRef"),
                            ("request_body", "requestBody"),
                        ] {
                            if let Some(value) = link.remove(snake) {
                                link.insert(camel.to_owned(), value);
                            }
                        }
                    }
                }
            }
        }
    }
    doc
}

/// The names the annotations' `security(...)` refer to.
pub const BEARER: &str = "bearer";
pub const SESSION_COOKIE: &str = "session";
pub const CSRF: &str = "csrf";
pub const METRICS_TOKEN: &str = "metrics";
