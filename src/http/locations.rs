//! Locations, their errands and their desks.

use std::collections::BTreeMap;

use actix_web::web;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::blocking;
use super::session::StaffSession;
use crate::app::{catalogue, AppState};
use crate::domain::organisation::{
    BookingPolicy, Channel, Desk, DeskKind, DeskState, Location, Role, Service,
};
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

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClosureView {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
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
            closures: closures
                .into_iter()
                .map(|c| ClosureView {
                    from: c.first,
                    to: c.last,
                    reason: c.reason,
                })
                .collect(),
        }
    }
}

/// Every location.
#[utoipa::path(get, path = "/api/v1/locations", tag = "citizens", responses((status = 200, body = [LocationView])))]
pub async fn list(state: web::Data<AppState>) -> AppResult<web::Json<Vec<LocationView>>> {
    let now = state.clock.now();
    let views = blocking(&state, move |conn| {
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

/// A location by its slug.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct LocationPath {
    #[param(example = "raadhuset")]
    pub location: String,
}

/// The language of names in a response: Danish unless `?lang=en`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Lang {
    /// `da` (default) or `en`; anything else is Danish.
    #[param(example = "en")]
    pub lang: Option<String>,
}

impl Lang {
    pub fn english(&self) -> bool {
        self.lang.as_deref() == Some("en")
    }
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
    fn new(s: Service, english: bool) -> Self {
        let s = s.spec;
        Self {
            slug: s.slug.to_string(),
            name: if english {
                s.name_en.clone()
            } else {
                s.name_da.clone()
            },
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
#[utoipa::path(get, path = "/api/v1/locations/{location}/services", tag = "citizens", params(LocationPath, Lang),
    responses((status = 200, body = [ServiceView]), (status = 404, description = "no such location")))]
pub async fn services(
    state: web::Data<AppState>,
    location: web::Path<String>,
    lang: web::Query<Lang>,
) -> AppResult<web::Json<Vec<ServiceView>>> {
    let english = lang.english();
    let list = blocking(&state, move |conn| catalogue::services(conn, &location)).await?;
    Ok(web::Json(
        list.into_iter()
            .map(|s| ServiceView::new(s, english))
            .collect(),
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeskView {
    pub id: i64,
    pub name: String,
    pub kind: DeskKind,
    pub services: Vec<String>,
    pub state: DeskState,
}

impl From<Desk> for DeskView {
    fn from(d: Desk) -> Self {
        Self {
            id: d.id.0,
            name: d.name,
            kind: d.kind,
            services: d.services.into_iter().map(String::from).collect(),
            state: d.state,
        }
    }
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
    let list = blocking(&state, move |conn| catalogue::desks(conn, &user, &location)).await?;
    Ok(web::Json(list.into_iter().map(DeskView::from).collect()))
}
