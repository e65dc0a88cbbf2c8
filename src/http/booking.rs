//! Citizens' booking: free times and new appointments.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::blocking;
use super::booking_view::BookingView;
use super::citizen::{limited_citizen, CitizenInput};
use super::input;
use super::paths::{ReferencePath, TokenQuery};
use super::visit_input::{self, ErrandInput, NeedInput};
use crate::app::{booking, AppState};
use crate::domain::booking::{AppointmentStatus, Language};
use crate::error::AppResult;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SlotQuery {
    /// The errand's slug, for a visit of one errand.
    #[param(example = "pas")]
    pub service: Option<String>,
    /// The errands of a visit instead of `service`, each with an optional `:quantity`.
    #[param(example = "pas:2,sundhedskort")]
    pub services: Option<String>,
    /// The needs stated, by kind (see `/locations/{location}/needs`).
    #[param(example = "step_free,extra_time")]
    pub needs: Option<String>,
    /// First local date (default: today at the location).
    pub from: Option<NaiveDate>,
    /// Last local date, inclusive (default: two weeks from `from`).
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SlotView {
    /// With the location's UTC offset.
    #[schema(value_type = String, format = DateTime, example = "2027-03-30T10:00:00+02:00")]
    pub start: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime)]
    pub end: DateTime<FixedOffset>,
    /// How many more can book this time.
    pub available: u32,
}

/// Free times for a visit: only times where one desk that serves all its errands (and has what
/// its needs ask for) is free for the whole visit, never past, outside hours or in a closure.
#[utoipa::path(get, path = "/api/v1/locations/{location}/slots", tag = "citizens",
    params(super::paths::LocationPath, SlotQuery),
    responses((status = 200, body = [SlotView]), (status = 404, description = "no such location"),
        (status = 422, description = "no such errand here, one that cannot be booked, more of one than a visit may hold, a need not offered here, or a bad range of dates")))]
pub async fn slots(
    state: web::Data<AppState>,
    location: web::Path<String>,
    query: web::Query<SlotQuery>,
) -> AppResult<web::Json<Vec<SlotView>>> {
    let now = state.clock.now();
    let SlotQuery {
        service,
        services,
        needs,
        from,
        to,
    } = query.into_inner();
    let visit = visit_input::from_query(service, services.as_deref(), needs.as_deref())?;
    let list = blocking::run(&state, move |conn| {
        let zone = crate::app::catalogue::location(conn, &location)?.timezone;
        let from = from.unwrap_or_else(|| now.with_timezone(&zone).date_naive());
        let to = to.unwrap_or(from + Duration::days(13));
        booking::visit_times(conn, &location, &visit, from, to, now).map(|(_, _, slots)| slots)
    })
    .await?;
    Ok(web::Json(
        list.into_iter()
            .map(|s| SlotView {
                start: s.start.fixed_offset(),
                end: s.end.fixed_offset(),
                available: s.available,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct BookingInput {
    #[schema(example = "raadhuset")]
    pub location: String,
    /// The errand, for a visit of one errand.
    #[schema(example = "pas")]
    pub service: Option<String>,
    /// The errands of the visit instead of `service`, in the citizen's order.
    pub services: Option<Vec<ErrandInput>>,
    /// What the citizen needs (optional): an interpreter with the language, a step-free desk, …
    pub needs: Option<Vec<NeedInput>>,
    /// RFC 3339, as given by the slots.
    #[schema(value_type = String, format = DateTime, example = "2027-03-30T10:00:00+02:00")]
    pub start: DateTime<FixedOffset>,
    pub citizen: CitizenInput,
    pub language: Option<Language>,
}

/// Book a time.
#[utoipa::path(post, path = "/api/v1/appointments", tag = "citizens", request_body = BookingInput,
    responses((status = 201, body = BookingView), (status = 404, description = "no such location"),
        (status = 409, description = "the time is taken, or the e-mail address holds as many future bookings of the errand as it may"),
        (status = 422, description = "invalid input: the citizen's details (a phone errand needs `citizen.phone`), an errand not offered here or more of it than a visit may hold, a need not offered, or a time that is not offered"),
        (status = 429, description = "too many bookings from this address or e-mail")))]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: input::Json<BookingInput>,
) -> AppResult<HttpResponse> {
    let input = body.into_inner();
    let now = state.clock.now();
    let visit = visit_input::from_body(input.service, input.services, input.needs)?;
    let citizen = limited_citizen(&state, &req, &input.citizen, now)?;
    let request = booking::BookingRequest {
        location: input.location,
        visit,
        start: input.start.with_timezone(&Utc),
        citizen,
        language: input.language.unwrap_or_default(),
    };
    let booked = blocking::run(&state, move |conn| booking::book(conn, &request, now)).await?;
    Ok(HttpResponse::Created().json(BookingView::new(booked, &state.public_base)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AppointmentView {
    pub reference: String,
    pub location: String,
    /// The visit's first errand.
    pub service: String,
    /// Every errand of the visit with how many of it, the first first.
    pub services: Vec<ErrandInput>,
    #[schema(value_type = String, format = DateTime)]
    pub start: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime)]
    pub end: DateTime<FixedOffset>,
    pub status: AppointmentStatus,
    pub language: Language,
    /// A video errand's meeting link, made from the errand's template.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Uri)]
    pub meeting_url: Option<String>,
}

impl From<booking::Managed> for AppointmentView {
    fn from(m: booking::Managed) -> Self {
        let zone = m.location.timezone;
        let meeting_url = m.meeting().and_then(|x| x.url().map(str::to_owned));
        Self {
            reference: m.record.reference,
            location: m.location.slug.to_string(),
            service: m.service.spec.slug.to_string(),
            services: visit_input::listed(&m.errands),
            start: m.record.starts_at.with_timezone(&zone).fixed_offset(),
            end: m.record.ends_at.with_timezone(&zone).fixed_offset(),
            status: m.record.status,
            language: m.record.language,
            meeting_url,
        }
    }
}

/// An appointment; a wrong token answers exactly like an unknown reference.
#[utoipa::path(get, path = "/api/v1/appointments/{reference}", tag = "citizens",
    params(ReferencePath, TokenQuery),
    responses((status = 200, body = AppointmentView),
        (status = 404, description = "no appointment with that reference and token")))]
pub async fn show(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> AppResult<web::Json<AppointmentView>> {
    let token = query.into_inner().token;
    let managed = blocking::run(&state, move |conn| booking::get(conn, &reference, &token)).await?;
    Ok(web::Json(managed.into()))
}

/// Cancel; the time is free again at once.
#[utoipa::path(delete, path = "/api/v1/appointments/{reference}", tag = "citizens",
    params(ReferencePath, TokenQuery),
    responses((status = 200, body = AppointmentView),
        (status = 404, description = "no appointment with that reference and token"),
        (status = 409, description = "cancelled already, or its time has begun")))]
pub async fn cancel(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> AppResult<web::Json<AppointmentView>> {
    let token = query.into_inner().token;
    let now = state.clock.now();
    let waitlist = state.waitlist;
    let managed = blocking::run(&state, move |conn| {
        booking::cancel(conn, &reference, &token, &waitlist, now)
    })
    .await?;
    Ok(web::Json(managed.into()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RescheduleInput {
    #[schema(value_type = String, format = DateTime, example = "2027-03-30T10:00:00+02:00")]
    pub start: DateTime<FixedOffset>,
}

/// Move to another time; the old time is free again at once.
#[utoipa::path(post, path = "/api/v1/appointments/{reference}/reschedule", tag = "citizens",
    params(ReferencePath, TokenQuery), request_body = RescheduleInput,
    responses((status = 200, body = AppointmentView),
        (status = 404, description = "no appointment with that reference and token"),
        (status = 409, description = "the new time is taken, or the appointment cannot be moved any more"),
        (status = 422, description = "a time that is not offered")))]
pub async fn reschedule(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
    body: input::Json<RescheduleInput>,
) -> AppResult<web::Json<AppointmentView>> {
    let token = query.into_inner().token;
    let start = body.start.with_timezone(&Utc);
    let now = state.clock.now();
    let waitlist = state.waitlist;
    let managed = blocking::run(&state, move |conn| {
        booking::reschedule(conn, &reference, &token, start, &waitlist, now)
    })
    .await?;
    Ok(web::Json(managed.into()))
}

/// The appointment as an iCalendar event.
#[utoipa::path(get, path = "/api/v1/appointments/{reference}/calendar.ics", tag = "citizens",
    params(ReferencePath, TokenQuery),
    responses((status = 200, description = "An iCalendar (RFC 5545) file", content_type = "text/calendar", body = String),
        (status = 404, description = "no appointment with that reference and token")))]
pub async fn calendar(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let token = query.into_inner().token;
    let now = state.clock.now();
    let managed = blocking::run(&state, move |conn| booking::get(conn, &reference, &token)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}.ics\"", managed.record.reference),
        ))
        .body(crate::app::calendar::ics(&managed, now)))
}
