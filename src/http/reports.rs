//! The KPI report for planners and administrators, as JSON or CSV.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::blocking;
use super::session::StaffSession;
use crate::app::kpi::{self, REPORT_ROLES};
use crate::app::AppState;
use crate::domain::kpi::Report;
use crate::error::{AppError, AppResult};
use crate::report::kpi_csv::to_csv;

/// Every field is optional here so that a missing or bad one is a 422 that names it,
/// not the extractor's generic 400.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct KpiQuery {
    /// First local date, `YYYY-MM-DD` (required).
    #[param(format = Date, example = "2027-03-29")]
    pub from: Option<String>,
    /// Last local date (included; required).
    #[param(format = Date, example = "2027-04-04")]
    pub to: Option<String>,
    /// A location's slug; all locations when left out.
    #[param(example = "raadhuset")]
    pub location: Option<String>,
    /// `json` (default) or `csv`.
    #[param(example = "csv")]
    pub format: Option<String>,
}

/// The KPIs of a period: waits, service times, no-shows, cancellations, booked share,
/// first-contact resolution, errands per staffed hour and cost by channel, in total and
/// per location, errand, department, day and hour.
#[utoipa::path(get, path = "/api/v1/reports/kpi", tag = "planning", params(KpiQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The report", content(
            (Report = "application/json"),
            (String = "text/csv"))),
        (status = 403, description = "not a planner or administrator"),
        (status = 422, description = "a missing or bad date, period, location or format, named in `errors`")))]
pub async fn kpi(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<KpiQuery>,
) -> AppResult<HttpResponse> {
    session.require(REPORT_ROLES)?;
    let KpiQuery {
        from,
        to,
        location,
        format,
    } = query.into_inner();
    let csv = match format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(AppError::invalid_field(
                "format",
                format!("'{other}' is not json or csv"),
            ))
        }
    };
    let period = kpi::parse_period(from.as_deref(), to.as_deref())?;
    let (costs, now) = (state.costs, state.clock.now());
    let report = blocking::run(&state, move |conn| {
        kpi::report(conn, period, location.as_deref(), costs, now)
    })
    .await?;
    Ok(if csv {
        HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!(
                    "attachment; filename=\"kpi-{}-{}.csv\"",
                    period.from, period.to
                ),
            ))
            .body(to_csv(&report))
    } else {
        HttpResponse::Ok().json(report)
    })
}
