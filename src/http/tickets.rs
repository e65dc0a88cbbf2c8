//! The kiosk's door and the public ticket status.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::blocking;
use super::input;
use super::lang::LangQuery;
use super::links;
use super::queue_view::{DisplayView, QueueEntryView};
use super::visit_input::{self, ErrandInput, NeedInput};
use crate::app::ticket_status;
use crate::app::tickets::{self, DoorAnswer};
use crate::app::AppState;
use crate::domain::queue::TicketStatus;
use crate::error::{AppError, AppResult};
use crate::messages::{Arg, Said};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TicketInput {
    #[schema(example = "raadhuset")]
    pub location: String,
    /// The one errand; or give `services`.
    #[schema(example = "sundhedskort")]
    pub service: Option<String>,
    /// The errands of a visit of several, the first leading; the ticket is in its queue and
    /// is called by a desk that serves them all.
    pub services: Option<Vec<ErrandInput>>,
    /// Needs stated at the door (`interpreter` with its language as `detail`, `step_free`, …):
    /// shown to staff only.
    pub needs: Option<Vec<NeedInput>>,
    /// The citizen cannot use the online self-service and is helped at a desk.
    #[serde(default)]
    pub assist: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TicketView {
    pub id: String,
    pub number: String,
    pub location: String,
    /// The errand whose queue it is in: the visit's first.
    pub service: String,
    /// Every errand of the visit, in the citizen's order.
    pub services: Vec<ErrandInput>,
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: DateTime<FixedOffset>,
    /// People ahead.
    pub position: Option<u32>,
    /// `null` while no desk is open for the errand.
    pub estimated_wait_minutes: Option<u32>,
    /// The public status page behind the ticket's QR code.
    #[schema(format = Uri)]
    pub status_url: String,
}

impl TicketView {
    fn new(t: tickets::Issued, base: &str) -> Self {
        Self {
            status_url: format!("{base}/tickets/{}", t.public_id),
            id: t.public_id,
            number: t.number.to_string(),
            location: t.location.slug.to_string(),
            service: t.service.spec.slug.to_string(),
            services: visit_input::listed(&t.errands),
            issued_at: t
                .issued_at
                .with_timezone(&t.location.timezone)
                .fixed_offset(),
            position: t.position,
            estimated_wait_minutes: t.estimated_wait_minutes,
        }
    }
}

fn extra(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Take a ticket, or learn why not: done online (422 with `self_service_url`), needs a
/// booking (422 with the next free `slots`), closed (409 with `next_opening`).
#[utoipa::path(post, path = "/api/v1/tickets", tag = "kiosk", request_body = TicketInput,
    responses((status = 201, body = TicketView), (status = 404, description = "no such location"),
        (status = 409, description = "the office is closed: `next_opening`"),
        (status = 422, description = "no such errand here (`errors` names the field, e.g. `services[1].service`, `needs[0].detail`); or done online (`self_service_url`, when every errand is), or an errand needs a booking (`slots`, `booking_url`)")))]
pub async fn take(
    state: web::Data<AppState>,
    body: input::Json<TicketInput>,
) -> AppResult<HttpResponse> {
    let TicketInput {
        location,
        service,
        services,
        needs,
        assist,
    } = body.into_inner();
    let asked = visit_input::from_body(service, services, needs)?;
    let first = asked.first_service().to_owned();
    let now = state.clock.now();
    let slug = location.clone();
    let events = state.events.clone();
    let answer = blocking::run(&state, move |conn| {
        tickets::take(conn, &events, &slug, &asked, assist, now)
    })
    .await?;
    let DoorAnswer::Ticket(t) = answer else {
        return Err(refusal(answer, &state.public_base, &location, &first));
    };
    Ok(HttpResponse::Created().json(TicketView::new(*t, &state.public_base)))
}

/// Why the door gave no ticket, with what the citizen can do instead.
fn refusal(answer: DoorAnswer, base: &str, location: &str, service: &str) -> AppError {
    match answer {
        DoorAnswer::Ticket(_) => AppError::Internal("a ticket is not a refusal".into()),
        DoorAnswer::SelfService { url } => AppError::Unprocessable {
            detail:
                "this errand is done online; ask for help (assist) if you cannot do it yourself"
                    .into(),
            errors: Vec::new(),
            extra: extra(json!({"self_service_url": url, "assist_available": true})),
        }
        .saying(Said::key("refusal.door_self_service")),
        DoorAnswer::NeedsBooking { slots } => {
            let slots: Vec<Value> = slots
                .iter()
                .map(|s| json!({"start": s.start.to_rfc3339(), "end": s.end.to_rfc3339(), "available": s.available}))
                .collect();
            AppError::Unprocessable {
                detail: "this errand needs a booking".into(),
                errors: Vec::new(),
                extra: extra(
                    json!({"slots": slots, "booking_url": format!("{base}{}", links::booking(location, service))}),
                ),
            }
            .saying(Said::key("refusal.door_needs_booking"))
        }
        DoorAnswer::Closed { next_opening } => AppError::Conflict {
            detail: "the office is closed now".into(),
            extra: extra(json!({"next_opening": next_opening.map(|t| t.to_rfc3339())})),
        }
        .saying(match next_opening {
            Some(at) => Said::with(
                "refusal.door_closed_until",
                vec![("when", Arg::Moment(at.with_timezone(&Utc), at.timezone()))],
            ),
            None => Said::key("refusal.door_closed"),
        }),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TicketStatusView {
    pub number: String,
    pub status: TicketStatus,
    pub position: Option<u32>,
    pub estimated_wait_minutes: Option<u32>,
    /// The desk, once called.
    pub desk: Option<String>,
}

/// A ticket's public status: no personal data.
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "kiosk", params(super::paths::TicketPath),
    responses((status = 200, body = TicketStatusView), (status = 404, description = "no such ticket")))]
pub async fn show(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> AppResult<web::Json<TicketStatusView>> {
    let now = state.clock.now();
    let s = blocking::run(&state, move |conn| ticket_status::status(conn, &id, now)).await?;
    Ok(web::Json(TicketStatusView {
        number: s.number.to_string(),
        status: s.status,
        position: s.position,
        estimated_wait_minutes: s.estimated_wait_minutes,
        desk: s.desk,
    }))
}

/// Check a booking in at the kiosk: the appointment becomes a ticket in its queue.
#[utoipa::path(post, path = "/api/v1/appointments/{reference}/check-in", tag = "kiosk",
    params(super::paths::ReferencePath, super::paths::TokenQuery),
    responses((status = 201, body = TicketView),
        (status = 404, description = "no appointment with that reference and token"),
        (status = 409, description = "not today, too early or too late, cancelled, or checked in already")))]
pub async fn check_in(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<super::paths::TokenQuery>,
) -> AppResult<HttpResponse> {
    let token = query.into_inner().token;
    let now = state.clock.now();
    let issued = blocking::run(&state, move |conn| {
        tickets::check_in(conn, &reference, &token, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(TicketView::new(issued, &state.public_base)))
}

/// Every waiting, called and served ticket of a location (staff), with the errand's name
/// in `?lang=`, every errand of its visit and the needs stated, and, for a ticket from a
/// booking, the citizen's name and the booked time.
#[utoipa::path(get, path = "/api/v1/locations/{location}/queue", tag = "staff", params(super::paths::LocationPath, LangQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [QueueEntryView]), (status = 403, description = "not a desk role, or not working at this location"),
        (status = 404, description = "no such location")))]
pub async fn queue(
    state: web::Data<AppState>,
    session: super::session::StaffSession,
    location: web::Path<String>,
    lang: web::Query<LangQuery>,
) -> AppResult<web::Json<Vec<QueueEntryView>>> {
    session.require(crate::app::desk::DESK_ROLES)?;
    let user = session.user;
    let (location, entries) = blocking::run(&state, move |conn| {
        ticket_status::queue(conn, &user, &location)
    })
    .await?;
    let lang = lang.language();
    Ok(web::Json(
        entries
            .into_iter()
            .map(|(e, visit)| {
                QueueEntryView::new(e, &location.timezone, lang).with_visit(visit, lang)
            })
            .collect(),
    ))
}

/// What the call display shows: the latest calls with their desks (a no-show or a
/// finished ticket leaves), and how many wait for each errand, named in `?lang=`.
#[utoipa::path(get, path = "/api/v1/locations/{location}/display", tag = "kiosk", params(super::paths::LocationPath, LangQuery),
    responses((status = 200, body = DisplayView), (status = 404, description = "no such location")))]
pub async fn display(
    state: web::Data<AppState>,
    location: web::Path<String>,
    lang: web::Query<LangQuery>,
) -> AppResult<web::Json<DisplayView>> {
    let (location, entries) =
        blocking::run(&state, move |conn| ticket_status::board(conn, &location)).await?;
    Ok(web::Json(DisplayView::new(
        entries,
        &location.timezone,
        lang.language(),
    )))
}
