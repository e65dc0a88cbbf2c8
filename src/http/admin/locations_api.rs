//! `/api/v1/admin/locations/{location}`: a location's version and closures, and closing it;
//! its details, hours and weekly capacity rules,
//! for administrators' scripts and the tests; the pages do the same through the same use case.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::affected::to_choose;
use super::{Admin, AdminJson};
use crate::app::capacity_edit::{self, CapacityRequest};
use crate::app::closures::{self, CloseRequest, Closed};
use crate::app::location_edit::{self, EditRequest};
use crate::app::AppState;
use crate::domain::capacity_cut::CapacityRuleDraft;
use crate::domain::closing::{BookingsDecision, ClosureInput};
use crate::domain::hours::WEEKDAY_KEYS;
use crate::domain::location_draft::{self, LocationDraft};
use crate::domain::organisation::CapacityRuleSpec;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::http::blocking;
use crate::http::closure_view::ClosureView;
use crate::http::paths::LocationPath;

/// A location as the administration edits it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AdminLocationView {
    pub slug: String,
    pub name: String,
    pub address: String,
    /// How citizens reach it; empty when none is given.
    pub contact: String,
    /// Each weekday's ranges, closed days left out.
    #[schema(value_type = std::collections::BTreeMap<String, Vec<String>>)]
    pub opening_hours: std::collections::BTreeMap<&'static str, Vec<String>>,
    /// The errands that keep hours of their own here, as `PUT` takes them back; the others
    /// follow `opening_hours`.
    pub service_hours: Vec<ServiceHoursView>,
    /// Send it back with a change: a change read at an older version is refused with 409.
    pub version: i32,
    /// Every closure, past ones too.
    pub closures: Vec<ClosureView>,
}

/// An errand's own hours at the location.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ServiceHoursView {
    #[schema(example = "byggesag")]
    pub service: String,
    /// Each weekday's ranges, days closed to the errand left out.
    #[schema(value_type = std::collections::BTreeMap<String, Vec<String>>)]
    pub hours: std::collections::BTreeMap<&'static str, Vec<String>>,
}

/// `GET /api/v1/admin/locations/{location}`
#[utoipa::path(get, path = "/api/v1/admin/locations/{location}", tag = "admin", params(LocationPath),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = AdminLocationView), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such location")))]
pub async fn show(
    _admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<LocationPath>,
) -> AppResult<web::Json<AdminLocationView>> {
    let slug = path.into_inner().location;
    let ((location, version, list), contact, errands) = blocking::run(&state, move |conn| {
        let read = closures::read(conn, &slug)?;
        let contact = location_edit::read(conn, &slug)?.1;
        let errands = location_edit::errand_hours(conn, &read.0)?;
        Ok((read, contact, errands))
    })
    .await?;
    let service_hours = errands
        .into_iter()
        .filter_map(|e| {
            Some(ServiceHoursView {
                service: e.errand.spec.slug.to_string(),
                hours: e.own?.to_map(),
            })
        })
        .collect();
    Ok(web::Json(AdminLocationView {
        slug: location.slug.to_string(),
        opening_hours: location.opening_hours.to_map(),
        service_hours,
        name: location.name,
        address: location.address,
        contact,
        version: version.number,
        closures: list.into_iter().map(ClosureView::from).collect(),
    }))
}

/// A location's details and weekly hours to save.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LocationChange {
    #[serde(flatten)]
    pub details: LocationDraft,
    /// The version read, and the choice for the confirmed bookings the new hours leave out.
    #[serde(flatten)]
    pub decision: BookingsDecision,
}

/// `PUT /api/v1/admin/locations/{location}`: saves the name, address, contact and weekly
/// hours; 422 naming `bookings` and listing the `affected` bookings while shorter hours
/// leave confirmed bookings out and no choice was made for them; 409 when the location
/// changed after `version`.
#[utoipa::path(put, path = "/api/v1/admin/locations/{location}", tag = "admin", params(LocationPath),
    request_body = LocationChange, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 200, body = ClosureAnswer), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such location"),
        (status = 409, description = "the location changed after `version`: who changed it and when"),
        (status = 422, description = "a bad value, named in `errors` as the organisation file's check names it; or bookings stand in the way")))]
pub async fn update(
    sent: AdminJson<LocationChange>,
    state: web::Data<AppState>,
    path: web::Path<LocationPath>,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner().location;
    let AdminJson { admin, body } = sent;
    let details = location_draft::check(&body.details).map_err(AppError::invalid_fields)?;
    let request = EditRequest {
        details,
        decision: body.decision,
    };
    let (now, user) = (state.clock.now(), admin.0.user);
    let saved = blocking::run(&state, move |conn| {
        location_edit::save(conn, &user, &slug, &request, now)
    })
    .await?;
    answer(saved, HttpResponse::Ok())
}

/// A closure to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ClosureRequest {
    /// The first local day, `YYYY-MM-DD`.
    #[schema(example = "2027-03-30")]
    pub from: String,
    /// The last local day; `from` when left out.
    #[serde(default)]
    pub to: Option<String>,
    /// Closed only from this local time of each day (`HH:MM`).
    #[serde(default)]
    #[schema(example = "12:00")]
    pub closed_from: Option<String>,
    /// Closed only until this local time of each day.
    #[serde(default)]
    pub closed_until: Option<String>,
    /// A period of reduced hours instead: open on its days only in these ranges of each
    /// weekday, `{"mon": ["10:00-12:00"]}`, days left out closed.
    #[serde(default)]
    pub opening_hours: Option<std::collections::BTreeMap<String, Vec<String>>>,
    /// The version read, and the choice for the confirmed bookings the closure affects; its
    /// `reason` is the closure's, needed here: the apology to a cancelled citizen says it.
    #[serde(flatten)]
    pub decision: BookingsDecision,
}

/// What a closure changed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClosureAnswer {
    pub version: i32,
    /// References of the bookings cancelled, each citizen sent one apology.
    pub cancelled: Vec<String>,
    /// References of the bookings kept over capacity.
    pub kept: Vec<String>,
}

/// `POST /api/v1/admin/locations/{location}/closures`: 422 naming `bookings` and listing the
/// `affected` bookings while a choice for them is missing (or was made for other bookings);
/// 409 when the location changed after `version`.
#[utoipa::path(post, path = "/api/v1/admin/locations/{location}/closures", tag = "admin", params(LocationPath),
    request_body = ClosureRequest, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 201, body = ClosureAnswer), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such location"),
        (status = 409, description = "the location changed after `version`: who changed it and when"),
        (status = 422, description = "a bad value, named in `errors` as the organisation file's check names it; or bookings stand in the way")))]
pub async fn close(
    sent: AdminJson<ClosureRequest>,
    state: web::Data<AppState>,
    path: web::Path<LocationPath>,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner().location;
    let AdminJson { admin, body } = sent;
    let input = ClosureInput {
        from: &body.from,
        to: body.to.as_deref().unwrap_or_default(),
        closed_from: body.closed_from.as_deref().unwrap_or_default(),
        closed_until: body.closed_until.as_deref().unwrap_or_default(),
        reason: &body.decision.reason,
        opening_hours: body.opening_hours.as_ref(),
    };
    let closure = input.parse().map_err(|problems| {
        let errors: Vec<FieldError> = problems
            .into_iter()
            .map(|(field, e)| FieldError::new(field, e.to_string()))
            .collect();
        AppError::invalid("the closure is not valid", errors)
    })?;
    let request = CloseRequest {
        closure,
        decision: body.decision,
    };
    let (now, user) = (state.clock.now(), admin.0.user);
    let closed = blocking::run(&state, move |conn| {
        closures::close(conn, &user, &slug, &request, now)
    })
    .await?;
    answer(closed, HttpResponse::Created())
}

/// What came of a change: the answer, or the 422 that lists the bookings in its way.
fn answer(closed: Closed, mut done: actix_web::HttpResponseBuilder) -> AppResult<HttpResponse> {
    match closed {
        Closed::Done {
            cancelled,
            kept,
            version,
        } => Ok(done.json(ClosureAnswer {
            version,
            cancelled,
            kept,
        })),
        Closed::Choose(ask) => Err(to_choose(ask)),
    }
}

/// A location's weekly booking capacity rules as the administration edits them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CapacityView {
    /// Each rule as the organisation file writes it.
    pub capacity: Vec<RuleView>,
    /// Whether a published roster governs some day from today on: its desks then give that
    /// day's capacity instead of these rules.
    pub roster_published: bool,
    /// Send it back with a change: a change read at an older version is refused with 409.
    pub version: i32,
}

/// One capacity rule.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleView {
    pub days: Vec<&'static str>,
    pub from: String,
    pub to: String,
    pub desks: u32,
    pub kind: &'static str,
    pub services: Vec<String>,
}

impl From<&CapacityRuleSpec> for RuleView {
    fn from(rule: &CapacityRuleSpec) -> Self {
        Self {
            days: rule
                .weekdays
                .iter()
                .map(|d| WEEKDAY_KEYS[d.0 as usize])
                .collect(),
            from: rule.range.start.format("%H:%M").to_string(),
            to: rule.range.end.format("%H:%M").to_string(),
            desks: rule.desks,
            kind: rule.desk_kind.into(),
            services: rule.services.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// `GET /api/v1/admin/locations/{location}/capacity`
#[utoipa::path(get, path = "/api/v1/admin/locations/{location}/capacity", tag = "admin", params(LocationPath),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CapacityView), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such location")))]
pub async fn capacity(
    _admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<LocationPath>,
) -> AppResult<web::Json<CapacityView>> {
    let slug = path.into_inner().location;
    let now = state.clock.now();
    let view = blocking::run(&state, move |conn| capacity_edit::read(conn, &slug, now)).await?;
    Ok(web::Json(CapacityView {
        capacity: view.rules.iter().map(RuleView::from).collect(),
        roster_published: view.roster,
        version: view.version,
    }))
}

/// The capacity rules to save.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CapacityChange {
    /// Every rule of the location as it is to be; the ones left out are removed.
    pub capacity: Vec<CapacityRuleDraft>,
    /// The version read, and the choice for the confirmed bookings left without a desk.
    #[serde(flatten)]
    pub decision: BookingsDecision,
}

/// `PUT /api/v1/admin/locations/{location}/capacity`: replaces the weekly capacity rules;
/// 422 naming each bad value as the organisation file's check names it below the location
/// (`capacity[1].from`), or naming `bookings` and listing the `affected` bookings while
/// fewer desks leave confirmed bookings without one and no choice was made for them; 409
/// when the location changed after `version`.
#[utoipa::path(put, path = "/api/v1/admin/locations/{location}/capacity", tag = "admin", params(LocationPath),
    request_body = CapacityChange, security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 200, body = ClosureAnswer), (status = 403, description = "not an administrator"),
        (status = 404, description = "no such location"),
        (status = 409, description = "the location changed after `version`: who changed it and when"),
        (status = 422, description = "a bad value, named in `errors` as the organisation file's check names it; or bookings stand in the way")))]
pub async fn update_capacity(
    sent: AdminJson<CapacityChange>,
    state: web::Data<AppState>,
    path: web::Path<LocationPath>,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner().location;
    let AdminJson { admin, body } = sent;
    let request = CapacityRequest {
        rules: body.capacity,
        decision: body.decision,
    };
    let (now, user) = (state.clock.now(), admin.0.user);
    let saved = blocking::run(&state, move |conn| {
        capacity_edit::save(conn, &user, &slug, &request, now)
    })
    .await?;
    answer(saved, HttpResponse::Ok())
}
