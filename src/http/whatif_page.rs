//! `/staff/planner/whatif`: the planner's what-if page. A plain form (nothing changes, so
//! a GET) with one scenario — an errand's policy and demand, staff more or fewer, a location
//! closed on a day — and the week as it is beside it.

use actix_web::{web, HttpResponse};
use chrono::{Datelike, Duration, NaiveDate};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::blocking;
use super::lang::LangQuery;
use super::page::render;
use super::session::StaffPage;
use super::staff_layout::chrome;
use crate::app::plan::PLANNER_ROLES;
use crate::app::whatif::{default_target, what_if, ScenarioFile, WhatIf};
use crate::app::{catalogue, AppState};
use crate::domain::booking::Language;
use crate::domain::organisation::BookingPolicy;
use crate::domain::whatif::{Closure, DemandChange, PolicyChange, Scenario};
use crate::domain::{FieldError, Slug};
use crate::error::{AppError, AppResult};
use crate::messages::text;
use crate::report::whatif_html::table;

/// The form's fields; every one may be left empty.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
pub struct WhatIfForm {
    /// The ISO week (`2027-W14`); the form alone when left out.
    week: Option<String>,
    name: String,
    /// The errand whose policy or demand changes.
    service: String,
    /// `required`, `optional` or `walk_in_only`; unchanged when empty.
    booking: String,
    /// Percent of the errand's citizens who use the self-service instead.
    online: String,
    /// Percent change of the errand's demand.
    demand: String,
    /// Staff more (positive) or fewer (negative).
    staff: String,
    closed_location: String,
    /// The day `closed_location` closes (YYYY-MM-DD), or empty; the page says what it
    /// cannot read.
    closed_date: String,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

/// `GET /staff/planner/whatif`
#[utoipa::path(get, path = "/staff/planner/whatif", tag = "pages", params(WhatIfForm, LangQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The what-if form, and the comparison when a week is given", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form", headers(("Location" = String))),
        (status = 403, description = "not a planner or administrator")))]
pub async fn whatif_page(
    state: web::Data<AppState>,
    session: StaffPage,
    lang: Language,
    form: web::Query<WhatIfForm>,
) -> AppResult<HttpResponse> {
    session.require(PLANNER_ROLES)?;
    let mut form = form.into_inner();
    let (now, costs, asked) = (state.clock.now(), state.costs, form.clone());
    let (choices, outcome) = blocking::run(&state, move |conn| {
        let choices = choices(conn, lang)?;
        Ok((choices, compare(conn, &asked, &costs, now, lang)))
    })
    .await?;
    form.week.get_or_insert_with(|| next_week(now.date_naive()));
    let (result, errors) = shown(outcome, lang);
    render(
        "whatif.html",
        context! { lang, staff => chrome(&session, lang), page => "planner", form, result,
        errors, services => choices.0, locations => choices.1, policies => policies(lang) },
    )
}

/// The comparison as the page's table, or the problems to show above the form.
fn shown(
    outcome: Option<Result<WhatIf, Vec<String>>>,
    lang: Language,
) -> (Option<String>, Vec<String>) {
    match outcome {
        Some(Ok(w)) => (Some(table(&w, lang)), Vec::new()),
        Some(Err(errors)) => (None, errors),
        None => (None, Vec::new()),
    }
}

/// The errands and locations to choose from, by name.
fn choices(
    conn: &mut crate::store::DbConnection,
    lang: Language,
) -> AppResult<(Vec<Choice>, Vec<Choice>)> {
    let locations = catalogue::locations(conn)?;
    let mut services: Vec<Choice> = Vec::new();
    for l in &locations {
        for s in catalogue::services(conn, l.slug.as_str())? {
            if !services.iter().any(|c| c.value == s.spec.slug.as_str()) {
                services.push(Choice {
                    value: s.spec.slug.to_string(),
                    label: s.spec.name(lang).to_owned(),
                });
            }
        }
    }
    let locations = locations
        .into_iter()
        .map(|l| Choice {
            value: l.slug.to_string(),
            label: l.name,
        })
        .collect();
    Ok((services, locations))
}

fn policies(lang: Language) -> Vec<Choice> {
    [("", "whatif.form.unchanged")]
        .into_iter()
        .chain(
            [
                BookingPolicy::Required,
                BookingPolicy::Optional,
                BookingPolicy::WalkInOnly,
            ]
            .map(|p| (<&str>::from(p), policy_label(p))),
        )
        .map(|(value, key)| Choice {
            value: value.to_owned(),
            label: text(lang, key).to_owned(),
        })
        .collect()
}

fn policy_label(p: BookingPolicy) -> &'static str {
    match p {
        BookingPolicy::Required => "whatif.form.required",
        BookingPolicy::Optional => "whatif.form.optional",
        BookingPolicy::WalkInOnly => "whatif.form.walk_in_only",
    }
}

/// Plans the form's scenario beside the week as it is; `None` for the form alone, or the
/// problems as texts in the page's language.
fn compare(
    conn: &mut crate::store::DbConnection,
    form: &WhatIfForm,
    costs: &crate::domain::kpi::ChannelCosts,
    now: chrono::DateTime<chrono::Utc>,
    lang: Language,
) -> Option<Result<WhatIf, Vec<String>>> {
    let week = form.week.as_deref()?;
    let refused = |errors: Vec<FieldError>| Some(Err(described(&errors, lang)));
    let Ok(period) = crate::domain::roster::iso_week(week) else {
        return refused(vec![FieldError::new("week", "")]);
    };
    let file = match scenario_of(form, lang) {
        Ok(scenario) => ScenarioFile {
            target: default_target(),
            locations: Vec::new(),
            scenarios: vec![scenario],
        },
        Err(errors) => return refused(errors),
    };
    match what_if(conn, &file, period, costs, now) {
        Ok(w) => Some(Ok(w)),
        Err(AppError::Unprocessable { errors, .. }) => refused(errors),
        Err(e) => refused(vec![FieldError::new("week", e.to_string())]),
    }
}

/// The scenario the form describes, or the fields it cannot read.
fn scenario_of(form: &WhatIfForm, lang: Language) -> Result<Scenario, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut slug = |raw: &str, field: &str| -> Option<Slug> {
        let raw = raw.trim();
        (!raw.is_empty())
            .then(|| {
                Slug::parse(raw)
                    .map_err(|e| errors.push(FieldError::new(field, e)))
                    .ok()
            })
            .flatten()
    };
    let service = slug(&form.service, "service");
    let closed_location = slug(&form.closed_location, "closed_location");
    let closed_date = parsed::<NaiveDate>(&form.closed_date, "closed_date", &mut errors);
    let booking = parsed::<BookingPolicy>(&form.booking, "booking", &mut errors);
    let online = parsed::<f64>(&form.online, "moves_online", &mut errors);
    let demand = parsed::<f64>(&form.demand, "percent", &mut errors);
    let staff = parsed::<i32>(&form.staff, "staff", &mut errors);
    if service.is_none() && (booking.is_some() || online.is_some() || demand.is_some()) {
        errors.push(FieldError::new("service", ""));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let name = match form.name.trim() {
        "" => text(lang, "whatif.form.default_name").to_owned(),
        name => name.to_owned(),
    };
    Ok(Scenario {
        name,
        policy: service
            .iter()
            .filter(|_| booking.is_some() || online.is_some())
            .map(|s| PolicyChange {
                service: s.clone(),
                location: None,
                booking: booking.unwrap_or(BookingPolicy::Optional),
                moves_online: online.unwrap_or(0.0) / 100.0,
            })
            .collect(),
        closed: closed_location
            .zip(closed_date)
            .map(|(location, date)| Closure {
                location,
                dates: vec![date],
            })
            .into_iter()
            .collect(),
        hours: Vec::new(),
        staff: staff.unwrap_or(0),
        demand: service
            .iter()
            .filter_map(|s| {
                demand.filter(|p| *p != 0.0).map(|percent| DemandChange {
                    service: s.clone(),
                    location: None,
                    percent,
                })
            })
            .collect(),
    })
}

/// A field that may be left empty; what it cannot read is noted under `field`.
fn parsed<T: std::str::FromStr>(raw: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<T> {
    match raw.trim() {
        "" => None,
        raw => raw
            .parse()
            .map_err(|_| errors.push(FieldError::new(field, "")))
            .ok(),
    }
}

/// Each wrong field as the form's label and what to do, in the page's language.
fn described(errors: &[FieldError], lang: Language) -> Vec<String> {
    let mut out: Vec<String> = errors
        .iter()
        .map(|e| {
            let field = e.field.rsplit('.').next().unwrap_or(&e.field);
            let key = match field {
                "week" => "whatif.form.check_week",
                "service" => "whatif.form.check_service",
                "booking" => "whatif.form.check_booking",
                "moves_online" => "whatif.form.check_online",
                "percent" => "whatif.form.check_demand",
                "staff" => "whatif.form.check_staff",
                "location" | "closed_location" | "closed_date" | "dates" => {
                    "whatif.form.check_closed"
                }
                _ => "whatif.form.check_form",
            };
            text(lang, key).to_owned()
        })
        .collect();
    out.dedup();
    out
}

/// The ISO week after `today`'s.
fn next_week(today: NaiveDate) -> String {
    let monday = today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
    format!(
        "{}-W{:02}",
        monday.iso_week().year(),
        monday.iso_week().week()
    )
}
