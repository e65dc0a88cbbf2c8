//! The OpenAPI 3 description, generated from the handlers' annotations.

use actix_web::web;
use utoipa::OpenApi;

use super::{
    audit, booking, desks, events, forecast, health, kiosk, locations, problem, reports, rosters,
    session, tickets,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Skranke", description = "Appointment booking and queue tickets for citizen service desks."),
    paths(
        health::health,
        locations::list,
        locations::services,
        locations::desks,
        booking::slots,
        booking::create,
        booking::show,
        booking::cancel,
        booking::reschedule,
        booking::calendar,
        super::waitlist::join,
        super::waitlist::leave,
        super::waitlist::offer,
        super::waitlist::claim,
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
        desks::finish,
        desks::transfer,
        session::login,
        session::logout,
        session::me,
        reports::kpi,
        audit::list,
        forecast::forecast,
        rosters::create,
        rosters::show,
        rosters::publish,
    ),
    components(schemas(problem::Problem)),
    tags(
        (name = "citizens", description = "Finding locations and errands, booking"),
        (name = "kiosk", description = "The door, the queue and ticket status"),
        (name = "staff", description = "Signed-in staff"),
        (name = "planning", description = "Rosters and bookable capacity (planner or admin)"),
        (name = "operations", description = "Health and metrics"),
        (name = "planning", description = "Forecasts, rosters and reports (planner or admin)"),
    )
)]
pub struct ApiDoc;

pub async fn openapi_json() -> web::Json<utoipa::openapi::OpenApi> {
    web::Json(ApiDoc::openapi())
}
