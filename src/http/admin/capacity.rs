//! `/staff/admin/locations/{location}/capacity`: the location's weekly booking capacity
//! rules, each its weekdays, local times, desks and errands, with a blank one to add and a
//! box to remove each. They are checked by the organisation file's own check; fewer desks
//! over confirmed bookings first show them, to keep or to cancel with a reason; a form read
//! before another administrator's save is refused, saying who and when. Where a published
//! roster governs, the page says so and links the planner.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::change_outcome::{next, saved_with, to_location, Asked, Refusable};
use super::fields::Fields;
use super::hours_fields::days;
use super::{layout, Admin, AdminForm};
use crate::app::capacity_edit::{self, CapacityRequest, CapacityView};
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::capacity_cut::CapacityRuleDraft;
use crate::domain::hours::WEEKDAY_KEYS;
use crate::domain::organisation::CapacityRuleSpec;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::http::blocking;
use crate::http::lang::{self, LangQuery};
use crate::http::paths::LocationPath;
use crate::messages;

/// `?cancelled=N&kept=N` after the rules are saved: what came of it.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CapacityQuery {
    /// Bookings cancelled by the change just saved.
    cancelled: Option<usize>,
    /// Bookings kept without a desk by the change just saved.
    kept: Option<usize>,
}

/// One rule as the form shows it: each value as typed.
#[derive(Debug, Clone, Default, Serialize)]
struct Row {
    days: Vec<String>,
    from: String,
    to: String,
    desks: String,
    resource: bool,
    services: Vec<String>,
}

impl Row {
    fn of(rule: &CapacityRuleSpec) -> Self {
        Self {
            days: rule
                .weekdays
                .iter()
                .map(|d| WEEKDAY_KEYS[d.0 as usize].to_owned())
                .collect(),
            from: rule.range.start.format("%H:%M").to_string(),
            to: rule.range.end.format("%H:%M").to_string(),
            desks: rule.desks.to_string(),
            resource: !rule.desk_kind.is_staffed(),
            services: rule.services.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn is_blank(&self) -> bool {
        self.days.is_empty()
            && self.from.trim().is_empty()
            && self.to.trim().is_empty()
            && self.services.is_empty()
    }
}

/// What is wrong with one field of the form, in the page's language.
#[derive(Debug, Serialize)]
struct Problem {
    /// The id of the field to go to.
    field: String,
    /// The row it is in, when it is in one.
    row: Option<usize>,
    /// Which of the row's fields: days, from, to, desks, services.
    part: &'static str,
    text: String,
}

/// The form as shown: its rows, what is wrong, the refusal of a stale save.
#[derive(Debug, Default)]
struct Shown {
    rows: Vec<Row>,
    removed: Vec<usize>,
    /// The rows saved as rules, in order: the k-th rule came from row `kept[k]`.
    kept: Vec<usize>,
    version: Option<i32>,
    errors: Vec<Problem>,
    alert: Option<String>,
}

/// `GET /staff/admin/locations/{location}/capacity`
#[utoipa::path(get, path = "/staff/admin/locations/{location}/capacity", tag = "pages", params(LocationPath, LangQuery, CapacityQuery),
    security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The location's capacity rules and the form that changes them", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String))),
        (status = 403, description = "not an administrator"),
        (status = 404, description = "no such location")))]
pub async fn show(
    admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<LocationPath>,
    query: web::Query<CapacityQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner().location;
    let saved = match (query.cancelled, query.kept) {
        (None, None) => None,
        (cancelled, kept) => Some(saved_with(
            lang,
            "admin_capacity",
            cancelled.unwrap_or(0),
            kept.unwrap_or(0),
        )),
    };
    page(&state, &admin, lang, &slug, Shown::default(), saved).await
}

/// `POST /staff/admin/locations/{location}/capacity`
#[utoipa::path(post, path = "/staff/admin/locations/{location}/capacity", tag = "pages", params(LocationPath),
    request_body(content = Object, description = "`rows`, then per row i: `days_i` (repeated weekday keys), `from_i`, `to_i`, `desks_i`, `resource_i`, `services_i` (repeated errand slugs), `remove_i`; `version`, `bookings`, `affected`, `reason`, `csrf_token`", content_type = "application/x-www-form-urlencoded"),
    security(("bearer" = []), ("session" = [], "csrf" = []), ()),
    responses((status = 303, description = "Saved: back to the rules, saying what came of it", headers(("Location" = String))),
        (status = 200, description = "The confirmed bookings left without a desk, to keep or cancel", content_type = "text/html", body = String),
        (status = 403, description = "not an administrator, or the form's token is not the session's"),
        (status = 404, description = "no such location"),
        (status = 409, description = "the location changed after the form was read: the form again, saying who changed it and when", content_type = "text/html", body = String),
        (status = 422, description = "the form again, saying what is wrong", content_type = "text/html", body = String)))]
pub async fn save(
    sent: AdminForm<Fields>,
    state: web::Data<AppState>,
    path: web::Path<LocationPath>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let AdminForm { admin, form } = sent;
    let lang = lang::of_form(form.one("lang"), lang);
    let slug = path.into_inner().location;
    let count: usize = form
        .one("rows")
        .and_then(|n| n.parse().ok())
        .filter(|n| *n <= MAX_ROWS)
        .ok_or_else(|| AppError::invalid_field("rows", "must be the number of rows shown"))?;
    let version: i32 = form
        .one("version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AppError::invalid_field("version", "must be the version read"))?;
    let rows: Vec<Row> = (0..count)
        .map(|i| Row {
            days: form.all(&format!("days_{i}")),
            from: form
                .one(&format!("from_{i}"))
                .unwrap_or_default()
                .to_owned(),
            to: form.one(&format!("to_{i}")).unwrap_or_default().to_owned(),
            desks: form
                .one(&format!("desks_{i}"))
                .unwrap_or_default()
                .to_owned(),
            resource: form.one(&format!("resource_{i}")).is_some(),
            services: form.all(&format!("services_{i}")),
        })
        .collect();
    let removed: Vec<usize> = (0..count)
        .filter(|i| form.one(&format!("remove_{i}")).is_some())
        .collect();
    let mut shown = Shown {
        rows,
        removed,
        version: Some(version),
        ..Shown::default()
    };
    // The rules to save, each with the row it came from.
    shown.kept = (0..count)
        .filter(|i| !shown.removed.contains(i) && !shown.rows[*i].is_blank())
        .collect();
    let mut drafts = Vec::new();
    for i in &shown.kept {
        let row = &shown.rows[*i];
        match row.desks.trim().parse::<u32>() {
            Ok(desks) => drafts.push(CapacityRuleDraft {
                days: row.days.clone(),
                from: row.from.trim().to_owned(),
                to: row.to.trim().to_owned(),
                desks,
                kind: row.resource.then(|| "resource".to_owned()),
                services: row.services.clone(),
            }),
            Err(_) => shown.errors.push(problem_at(lang, *i, "desks")),
        }
    }
    if !shown.errors.is_empty() {
        return page(&state, &admin, lang, &slug, shown, None).await;
    }
    let chosen = form.chosen()?;
    let asked = Asked::of_form(
        &form,
        lang,
        format!("/staff/admin/locations/{slug}/capacity"),
        to_location(lang, &slug),
        "admin_capacity",
        &chosen,
    );
    let request = CapacityRequest {
        rules: drafts,
        decision: chosen.decision,
    };
    let (now, user, at) = (state.clock.now(), admin.user.clone(), slug.clone());
    let saved = blocking::run(&state, move |conn| {
        capacity_edit::save(conn, &user, &at, &request, now)
    })
    .await;
    let done = format!(
        "/staff/admin/locations/{slug}/capacity?lang={}",
        lang.code()
    );
    match next(&admin, lang, saved, &asked, &done, &mut shown)? {
        Some(answer) => Ok(answer),
        None => page(&state, &admin, lang, &slug, shown, None).await,
    }
}

impl Refusable for Shown {
    fn stale(&mut self, alert: String) {
        self.alert = Some(alert);
    }

    fn wrong(&mut self, lang: Language, errors: &[FieldError]) {
        self.errors = errors
            .iter()
            .map(|e| problem(lang, &self.kept, e))
            .collect();
    }
}

/// The most rows a form may send: far more than any office has rules.
const MAX_ROWS: usize = 200;

/// A problem the organisation file's check found, on the form's field: `capacity[k].from`
/// is the `from` of the k-th rule saved, which came from row `kept[k]`.
fn problem(lang: Language, kept: &[usize], e: &FieldError) -> Problem {
    let rule = e
        .field
        .strip_prefix("capacity[")
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(k, rest)| Some((kept.get(k.parse::<usize>().ok()?)?, rest)));
    match rule {
        Some((row, rest)) => {
            let part = rest.trim_start_matches('.');
            let part = &part[..part.find('[').unwrap_or(part.len())];
            let part = match part {
                "days" => "days",
                "from" => "from",
                "to" => "to",
                "desks" | "kind" => "desks",
                "services" => "services",
                // The whole rule: its times lie outside an errand's hours.
                _ => "outside",
            };
            problem_at(lang, *row, part)
        }
        None => Problem {
            field: "rule-0".into(),
            row: None,
            part: "required",
            text: messages::text(lang, "admin_capacity.error_required").to_owned(),
        },
    }
}

fn problem_at(lang: Language, row: usize, part: &'static str) -> Problem {
    let field = match part {
        "days" => format!("days_{row}_mon"),
        "services" | "outside" => format!("rule-{row}"),
        _ => format!("{part}_{row}"),
    };
    Problem {
        field,
        row: Some(row),
        part,
        text: messages::text(lang, &format!("admin_capacity.error_{part}")).to_owned(),
    }
}

async fn page(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    slug: &str,
    shown: Shown,
    saved: Option<String>,
) -> AppResult<HttpResponse> {
    let (slug, now) = (slug.to_owned(), state.clock.now());
    let view: CapacityView =
        blocking::run(state, move |conn| capacity_edit::read(conn, &slug, now)).await?;
    let status = if shown.alert.is_some() {
        StatusCode::CONFLICT
    } else if shown.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut rows = if shown.rows.is_empty() {
        let mut rows: Vec<Row> = view.rules.iter().map(Row::of).collect();
        rows.push(Row {
            desks: "1".into(),
            ..Row::default()
        });
        rows
    } else {
        shown.rows
    };
    rows.truncate(MAX_ROWS);
    let errands: Vec<_> = view
        .bookable
        .iter()
        .map(|s| context! { slug => s.spec.slug.to_string(), name => s.spec.name(lang) })
        .collect();
    let weekdays = days(lang, |_| String::new());
    let location = &view.location;
    let mut page = layout::page(
        "admin_capacity.html",
        admin,
        lang,
        "locations",
        context! {
            location => location.name.clone(),
            slug => location.slug.to_string(),
            version => shown.version.unwrap_or(view.version),
            roster => view.roster,
            rows,
            removed => shown.removed,
            errands,
            weekdays,
            errors => shown.errors,
            alert => shown.alert,
            saved,
        },
    )?;
    *page.status_mut() = status;
    Ok(page)
}
