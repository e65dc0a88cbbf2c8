//! Locations, their errands and their desks.

use std::collections::BTreeMap;

use actix_web::web;
use serde::Serialize;

use super::blocking;
use super::closure_view::ClosureView;
use super::desk_view::DeskView;
use super::lang::LangQuery;
use super::paths::LocationPath;
use super::session::StaffSession;
use crate::app::queue_alerts::{self, QueueAlertView};
use crate::app::{catalogue, AppState};
use crate::domain::booking::Language;
use crate::domain::organisation::{BookingPolicy, Channel, Location, Role, Service};
use crate::error::AppResult;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LocationView {
    pub slug: String,
    pub name: String,
    /// IANA time zone, e.g. `Europe/Copenhagen`.
    pub timezone: String,
    pub address: String,
    /// Local opening hours per weekday (`mon` … `sun`); closed days are left out.
    #[schema(example = json!({"mon": ["10:00-14:30"], "thu": ["10:00-17:00"]}))]
    pub opening_hours: BTreeMap<String, Vec<String>>,
    /// Closures and holidays from today on.
    pub closures: Vec<ClosureView>,
}

impl LocationView {
    fn new(l: Location, closures: Vec<crate::domain::hours::Closure>) -> Self {
        Self {
            opening_hours: l
                .opening_hours
                .to_map()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            slug: l.slug.to_string(),
            name: l.name,
            timezone: l.timezone.name().to_owned(),
            address: l.address,
            closures: closures.into_iter().map(ClosureView::from).collect(),
        }
    }
}

/// Every location.
#[utoipa::path(get, path = "/api/v1/locations", tag = "citizens", responses((status = 200, body = [LocationView])))]
pub async fn list(state: web::Data<AppState>) -> AppResult<web::Json<Vec<LocationView>>> {
    let now = state.clock.now();
    let views = blocking::run(&state, move |conn| {
        catalogue::locations(conn)?
            .into_iter()
            .map(|l| {
                let closures = catalogue::upcoming_closures(conn, &l, now)?;
                Ok(LocationView::new(l, closures))
            })
            .collect::<AppResult<Vec<_>>>()
    })
    .await?;
    Ok(web::Json(views))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ServiceView {
    pub slug: String,
    /// In the language asked for.
    pub name: String,
    pub name_da: String,
    pub name_en: String,
    pub department: String,
    pub duration_minutes: u32,
    pub channel: Channel,
    pub booking: BookingPolicy,
    #[schema(format = Uri)]
    pub self_service_url: Option<String>,
    pub queue_prefix: String,
    pub book_ahead_days: u32,
    pub min_notice_minutes: u32,
}

impl ServiceView {
    fn new(s: Service, language: Language) -> Self {
        let s = s.spec;
        Self {
            slug: s.slug.to_string(),
            name: s.name(language).to_owned(),
            name_da: s.name_da,
            name_en: s.name_en,
            department: s.department.to_string(),
            duration_minutes: s.duration_minutes,
            channel: s.channel,
            booking: s.booking,
            self_service_url: s.self_service_url,
            queue_prefix: s.queue_prefix.to_string(),
            book_ahead_days: s.book_ahead_days,
            min_notice_minutes: s.min_notice_minutes,
        }
    }
}

/// The errands offered at a location.
#[utoipa::path(get, path = "/api/v1/locations/{location}/services", tag = "citizens", params(LocationPath, LangQuery),
    responses((status = 200, body = [ServiceView]), (status = 404, description = "no such location")))]
pub async fn services(
    state: web::Data<AppState>,
    location: web::Path<String>,
    lang: web::Query<LangQuery>,
) -> AppResult<web::Json<Vec<ServiceView>>> {
    let language = lang.language();
    let list = blocking::run(&state, move |conn| catalogue::services(conn, &location)).await?;
    Ok(web::Json(
        list.into_iter()
            .map(|s| ServiceView::new(s, language))
            .collect(),
    ))
}

/// A need a citizen may state when booking here.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedView {
    pub kind: crate::domain::visit::NeedKind,
    /// As citizens read it, in the language asked for.
    #[schema(example = "Skranke uden trin")]
    pub name: String,
    /// Whether a booking must say more: the interpreter's language, in `detail`.
    pub takes_detail: bool,
    /// What the need adds to the visit.
    pub extra_minutes: u32,
}

/// The needs a citizen may state here: the organisation's, less those that ask for
/// something no desk here has.
#[utoipa::path(get, path = "/api/v1/locations/{location}/needs", tag = "citizens", params(LocationPath, LangQuery),
    responses((status = 200, body = [NeedView]), (status = 404, description = "no such location")))]
pub async fn needs(
    state: web::Data<AppState>,
    location: web::Path<String>,
    lang: web::Query<LangQuery>,
) -> AppResult<web::Json<Vec<NeedView>>> {
    let language = lang.language();
    let list = blocking::run(&state, move |conn| {
        let location = catalogue::location(conn, &location)?;
        crate::app::visit::offered_needs(conn, &location)
    })
    .await?;
    Ok(web::Json(
        list.into_iter()
            .map(|n| NeedView {
                kind: n.kind,
                name: n.name(language).to_owned(),
                takes_detail: n.kind.takes_detail(),
                extra_minutes: n.extra_minutes,
            })
            .collect(),
    ))
}

/// The desks of a location (staff).
#[utoipa::path(get, path = "/api/v1/locations/{location}/desks", tag = "staff", params(LocationPath),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [DeskView]), (status = 403, description = "not a staff role, or not working at this location"),
        (status = 404, description = "no such location")))]
pub async fn desks(
    state: web::Data<AppState>,
    session: StaffSession,
    location: web::Path<String>,
) -> AppResult<web::Json<Vec<DeskView>>> {
    session.require(&[Role::Staff, Role::Admin, Role::Planner])?;
    let user = session.user;
    let list = blocking::run(&state, move |conn| catalogue::desks(conn, &user, &location)).await?;
    Ok(web::Json(list.into_iter().map(DeskView::from).collect()))
}

/// The live queue alerts standing at a location (staff who work there): each errand whose
/// expected wait has stayed over its target, with its queue now.
#[utoipa::path(get, path = "/api/v1/locations/{location}/alerts", tag = "staff", params(LocationPath, LangQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [QueueAlertView]), (status = 403, description = "not a staff role, or not working at this location"),
        (status = 404, description = "no such location")))]
pub async fn alerts(
    state: web::Data<AppState>,
    session: StaffSession,
    location: web::Path<String>,
    lang: web::Query<LangQuery>,
) -> AppResult<web::Json<Vec<QueueAlertView>>> {
    session.require(&[Role::Staff, Role::Admin, Role::Planner])?;
    let (user, language) = (session.user, lang.language());
    let list = blocking::run(&state, move |conn| {
        queue_alerts::standing(conn, &user, &location, language)
    })
    .await?;
    Ok(web::Json(list))
}
