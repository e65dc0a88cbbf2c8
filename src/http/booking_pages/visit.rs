//! Booking several errands in one visit, or stating needs: the errands offered here, each
//! with how many of it where it allows more than one, and the needs (optional); then a day
//! and a time for the whole visit. From the form on, the visit travels in the forms' bodies
//! (see [`super::carried`]); a mistake shows the form again with what to mend.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::carried::{self, Carried};
use super::choice;
use super::times::{self, field_errors, Typed};
use crate::app::visit::{self, Details, VisitAsked, MAX_ERRANDS_PER_VISIT};
use crate::app::{catalogue, AppState};
use crate::domain::booking::Language;
use crate::domain::organisation::{Location, Service};
use crate::domain::visit::NeedSpec;
use crate::error::{AppError, AppResult};
use crate::http::lang::{self, LangQuery};
use crate::http::{blocking, form_guard, input, page};
use crate::messages::{self, Mend};

/// Where the visit is booked.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct VisitQuery {
    #[param(example = "raadhuset")]
    location: String,
}

/// `GET /book/visit?location=`: the errands offered here with how many of each, and the needs.
#[utoipa::path(get, path = "/book/visit", tag = "pages", params(VisitQuery, LangQuery),
    responses((status = 200, description = "The errands and the needs to choose", content_type = "text/html", body = String),
        (status = 404, description = "no such location")))]
pub async fn form(
    state: web::Data<AppState>,
    query: web::Query<VisitQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let location = query.into_inner().location;
    let offer = blocking::run(&state, move |conn| offer(conn, &location)).await?;
    let nothing = VisitAsked {
        errands: Vec::new(),
        needs: Vec::new(),
        listed: true,
    };
    form_page(lang, &offer, &nothing, Vec::new())
}

/// The form of errands and needs as it is sent (`errand`, `quantity.<errand>`, `need`,
/// `interpreter_language`), or a visit carried on (`services`, `needs`), and perhaps a `day`.
/// It describes the form for the API description only: ticks repeat a name, so the handler
/// reads the fields as pairs.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct VisitForm {
    location: String,
    #[schema(example = "pas")]
    errand: Option<Vec<String>>,
    #[schema(example = "interpreter")]
    need: Option<Vec<String>>,
    interpreter_language: Option<String>,
    #[schema(example = "pas:2,sundhedskort:1")]
    services: Option<String>,
    needs: Option<String>,
    day: Option<NaiveDate>,
    form_token: String,
    lang: Option<String>,
}

/// `POST /book/visit`: the visit's free days, or, with `day`, its times and the details to
/// book it; a mistake in the errands or needs shows the form again with what to mend.
#[utoipa::path(post, path = "/book/visit", tag = "pages",
    request_body(content = VisitForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "The visit's free days, or the times of the chosen day", content_type = "text/html", body = String),
        (status = 403, description = "the form's token does not match its cookie"),
        (status = 404, description = "no such location"),
        (status = 422, description = "the form again with what to mend: no errand, too many, a need without what it asks for", content_type = "text/html", body = String)))]
pub async fn choose(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: input::Form<Vec<(String, String)>>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let fields = form.into_inner();
    let named = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    form_guard::check(&req, &named("form_token").unwrap_or_default())?;
    let lang = lang::of_form(named("lang").as_deref(), lang);
    let location = named("location").unwrap_or_default();
    let day = match named("day") {
        Some(day) => Some(day.parse::<NaiveDate>().map_err(|_| {
            AppError::invalid_field("day", format!("'{day}' is not a date (YYYY-MM-DD)"))
        })?),
        None => None,
    };
    let asked = match named("services") {
        Some(services) => Carried {
            services,
            needs: named("needs").unwrap_or_default(),
            interpreter_language: named("interpreter_language").unwrap_or_default(),
        }
        .asked()?,
        None => carried::ticked(&fields),
    };
    let (l, a) = (location.clone(), asked.clone());
    let refused = blocking::run(&state, move |conn| {
        let place = catalogue::location(conn, &l)?;
        match visit::resolve(conn, &place, &a, Details::Required) {
            Ok(_) => Ok(None),
            Err(AppError::Unprocessable { errors, .. }) => Ok(Some((offer(conn, &l)?, errors))),
            Err(other) => Err(other),
        }
    })
    .await?;
    if let Some((offer, errors)) = refused {
        let mut page = form_page(lang, &offer, &asked, messages::mends(lang, &errors))?;
        *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(page);
    }
    let typed = Typed {
        form_key: super::form_key::of(&req),
        ..Typed::default()
    };
    times::visit_page(&state, lang, &location, Carried::of(&asked), day, typed).await
}

/// What a visit may hold here: the place, its errands that take bookings, its needs.
struct Offer {
    place: Location,
    errands: Vec<Service>,
    needs: Vec<NeedSpec>,
}

fn offer(conn: &mut crate::store::DbConnection, location: &str) -> AppResult<Offer> {
    let place = catalogue::location(conn, location)?;
    let errands = catalogue::services(conn, location)?
        .into_iter()
        .filter(|s| s.spec.booking.takes_bookings())
        .collect();
    let needs = visit::offered_needs(conn, &place)?;
    Ok(Offer {
        place,
        errands,
        needs,
    })
}

/// An errand on the form: ticked or not, and how many of it.
#[derive(Serialize)]
struct ErrandRow {
    value: String,
    label: String,
    note: String,
    /// How many one visit may hold: the errand's own limit within the visit's.
    max: u32,
    quantity: u32,
    checked: bool,
}

/// A need on the form; `detail` when it asks what language.
#[derive(Serialize)]
struct NeedRow {
    kind: &'static str,
    label: String,
    checked: bool,
    detail: bool,
}

fn form_page(
    lang: Language,
    offer: &Offer,
    asked: &VisitAsked,
    problems: Vec<Mend>,
) -> AppResult<HttpResponse> {
    let errands: Vec<ErrandRow> = offer
        .errands
        .iter()
        .map(|s| {
            let max = s.spec.max_per_visit.clamp(1, MAX_ERRANDS_PER_VISIT);
            let ticked = asked
                .errands
                .iter()
                .find(|e| e.service == s.spec.slug.as_str());
            ErrandRow {
                value: s.spec.slug.to_string(),
                label: s.spec.name(lang).to_owned(),
                note: choice::errand_note(lang, &s.spec),
                max,
                quantity: ticked.map_or(1, |e| e.quantity.clamp(1, max)),
                checked: ticked.is_some(),
            }
        })
        .collect();
    let needs: Vec<NeedRow> = offer
        .needs
        .iter()
        .map(|n| NeedRow {
            kind: n.kind.into(),
            label: n.name(lang).to_owned(),
            checked: asked.needs.iter().any(|a| a.kind == <&str>::from(n.kind)),
            detail: n.kind.takes_detail(),
        })
        .collect();
    let language = asked.needs.iter().find_map(|n| n.detail.clone());
    let form_token = form_guard::token();
    let place = &offer.place;
    let mut page = page::render(
        "book.html",
        context! { lang, step => "visit", location => place.name, location_slug => place.slug.to_string(),
        errands, needs, max_errands => MAX_ERRANDS_PER_VISIT, interpreter_language => language,
        field_error => field_errors(&problems), problems, form_token => form_token.clone(),
        back => format!("/book?location={}&lang={}", place.slug, lang.code()) },
    )?;
    form_guard::attach(&mut page, &form_token)?;
    Ok(page)
}
