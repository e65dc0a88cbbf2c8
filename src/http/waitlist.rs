//! Citizens' waitlist: join, leave, see the time held for you, and claim it.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::blocking;
use super::booking_view::BookingView;
use super::citizen::{limited_citizen, CitizenInput};
use super::input;
use super::links;
use super::paths::{ReferencePath, TokenQuery};
use super::visit_input::{self, ErrandInput, ErrandsInput, NeedInput};
use crate::app::{waitlist, AppState};
use crate::domain::booking::Language;
use crate::domain::visit::NeedKind;
use crate::domain::waitlist::EntryStatus;
use crate::error::AppResult;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct WaitlistInput {
    #[schema(example = "raadhuset")]
    pub location: String,
    /// The errand, for a visit of one errand.
    #[schema(example = "pas")]
    pub service: Option<String>,
    /// The errands of the visit instead of `service`, as a booking takes them
    /// (`[{service, quantity?}]`) or as the slot lookup writes them (`pas:2,sundhedskort`).
    pub services: Option<ErrandsInput>,
    /// What the citizen needs (optional), as a booking takes them: only times that fit the
    /// whole visit with its needs are offered.
    pub needs: Option<Vec<NeedInput>>,
    /// First local date that would suit.
    #[schema(value_type = String, format = Date, example = "2027-03-30")]
    pub from: NaiveDate,
    /// Last local date that would suit, inclusive.
    #[schema(value_type = String, format = Date, example = "2027-04-02")]
    pub to: NaiveDate,
    pub citizen: CitizenInput,
    pub language: Option<Language>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WaitlistView {
    pub reference: String,
    /// The secret that proves the right to leave the list; shown only now.
    pub token: String,
    pub location: String,
    /// The visit's first errand.
    pub service: String,
    /// Every errand of the visit with how many of it, the first first.
    pub services: Vec<ErrandInput>,
    /// The kinds of need stated.
    pub needs: Vec<NeedKind>,
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    pub status: EntryStatus,
    /// The page to leave the list, with the token.
    #[schema(format = Uri)]
    pub leave_url: String,
}

/// Join the waitlist for an errand, or a whole visit of several errands and needs, at a
/// location over a range of local dates: a freed time is offered only where it fits the
/// whole visit, at one desk that serves every errand and has what the needs ask for.
#[utoipa::path(post, path = "/api/v1/waitlist", tag = "citizens", request_body = WaitlistInput,
    responses((status = 201, body = WaitlistView), (status = 404, description = "no such location"),
        (status = 409, description = "those dates still have a free time to book, or the address is on this list already"),
        (status = 422, description = "invalid input, naming the field: the citizen's details, the errand or errands (`services[1].service`, `services[0].quantity`), a need (`needs[0].kind`, the interpreter's `needs[0].detail`), or the dates"),
        (status = 429, description = "too many requests from this address or e-mail")))]
pub async fn join(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: input::Json<WaitlistInput>,
) -> AppResult<HttpResponse> {
    let input = body.into_inner();
    let now = state.clock.now();
    let services = input.services.map(ErrandsInput::listed).transpose()?;
    let visit = visit_input::from_body(input.service, services, input.needs)?;
    let citizen = limited_citizen(&state, &req, &input.citizen, now)?;
    let request = waitlist::JoinRequest {
        location: input.location,
        visit,
        from: input.from,
        to: input.to,
        citizen,
        language: input.language.unwrap_or_default(),
    };
    let joined = blocking::run(&state, move |conn| waitlist::join(conn, &request, now)).await?;
    let leave_url = format!(
        "{}{}",
        state.public_base,
        links::leave_waitlist(&joined.reference, &joined.token)
    );
    Ok(HttpResponse::Created().json(WaitlistView {
        reference: joined.reference,
        token: joined.token,
        location: joined.location.slug.to_string(),
        service: joined.service.spec.slug.to_string(),
        services: visit_input::listed(&joined.visit.lines),
        needs: joined.visit.needs.iter().map(|n| n.kind).collect(),
        from: joined.range.from,
        to: joined.range.to,
        status: EntryStatus::Waiting,
        leave_url,
    }))
}

/// Leave the waitlist; a time held for you goes on to the next at once.
#[utoipa::path(delete, path = "/api/v1/waitlist/{reference}", tag = "citizens",
    params(ReferencePath, TokenQuery),
    responses((status = 204, description = "off the list"),
        (status = 404, description = "no entry with that reference and token"),
        (status = 409, description = "the entry has booked its time or left already")))]
pub async fn leave(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let token = query.into_inner().token;
    let (now, settings) = (state.clock.now(), state.waitlist);
    blocking::run(&state, move |conn| {
        waitlist::leave(conn, &reference, &token, &settings, now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferView {
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
    /// Until when nobody else can book the time.
    #[schema(value_type = String, format = DateTime)]
    pub held_until: DateTime<FixedOffset>,
    /// `held`, `claimed`, `lapsed` or `released`.
    pub status: String,
}

impl From<waitlist::Offer> for OfferView {
    fn from(o: waitlist::Offer) -> Self {
        let zone = o.location.timezone;
        let status: &'static str = o.status.into();
        Self {
            reference: o.reference,
            location: o.location.slug.to_string(),
            service: o.service.spec.slug.to_string(),
            services: visit_input::listed(&o.visit.lines),
            start: o.start.with_timezone(&zone).fixed_offset(),
            end: o.end.with_timezone(&zone).fixed_offset(),
            held_until: o.held_until.with_timezone(&zone).fixed_offset(),
            status: status.to_owned(),
        }
    }
}

/// The time held for you, by the token in the offer mail.
#[utoipa::path(get, path = "/api/v1/waitlist/{reference}/offer", tag = "citizens",
    params(ReferencePath, TokenQuery),
    responses((status = 200, body = OfferView),
        (status = 404, description = "no entry with that reference and token, or no time held for it")))]
pub async fn offer(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> AppResult<web::Json<OfferView>> {
    let token = query.into_inner().token;
    let now = state.clock.now();
    let offer = blocking::run(&state, move |conn| {
        waitlist::offer(conn, &reference, &token, now)
    })
    .await?;
    Ok(web::Json(offer.into()))
}

/// Book the time held for you: a normal appointment, with its confirmation mail.
#[utoipa::path(post, path = "/api/v1/waitlist/{reference}/claim", tag = "citizens",
    params(ReferencePath, TokenQuery),
    responses((status = 201, body = BookingView),
        (status = 404, description = "no entry with that reference and token, or no time held for it"),
        (status = 409, description = "the hold has lapsed or was claimed already")))]
pub async fn claim(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let token = query.into_inner().token;
    let now = state.clock.now();
    let booked = blocking::run(&state, move |conn| {
        waitlist::claim(conn, &reference, &token, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(BookingView::new(booked, &state.public_base)))
}
