//! `/staff/admin/errands`: the errands, and each errand's form: names and what to bring in
//! Danish and English, duration and buffer, booking policy and self-service link, how far
//! ahead and how soon before it can be booked, reminder, booking limit, queue letter,
//! department, and the locations that offer it. The same use case and checks as the API; a
//! form read before another administrator's save is refused, saying who and when.

use actix_web::http::header::LOCATION;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::fields::Fields;
use super::{layout, Admin, AdminForm};
use crate::app::errand_edit::{self, Choices, ErrandRecord};
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::errand_draft::{ErrandDraft, NOT_A_COUNT};
use crate::domain::organisation::BookingPolicy;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::http::blocking;
use crate::http::lang::{self, LangQuery};
use crate::http::paths::ErrandPath;
use crate::messages;

/// What was just done.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ErrandsQuery {
    /// `saved` after an errand is saved.
    done: Option<String>,
}

/// The form's fields that take a whole number.
const NUMBERS: [&str; 6] = [
    "duration_minutes",
    "buffer_minutes",
    "book_ahead_days",
    "min_notice_minutes",
    "reminder_hours",
    "max_future_bookings",
];

/// The fields the form shows a problem on; any other problem is shown on `locations`.
const FIELDS: [&str; 15] = [
    "name_da",
    "name_en",
    "what_to_bring_da",
    "what_to_bring_en",
    "duration_minutes",
    "buffer_minutes",
    "booking",
    "self_service_url",
    "meeting_url",
    "book_ahead_days",
    "min_notice_minutes",
    "reminder_hours",
    "max_future_bookings",
    "queue_prefix",
    "department",
];

/// `GET /staff/admin/errands`
#[utoipa::path(get, path = "/staff/admin/errands", tag = "pages", params(LangQuery, ErrandsQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The errands", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String))),
        (status = 403, description = "not an administrator")))]
pub async fn list(
    admin: Admin,
    state: web::Data<AppState>,
    query: web::Query<ErrandsQuery>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let user = admin.user.clone();
    let all = blocking::run(&state, move |conn| errand_edit::list(conn, &user)).await?;
    let errands: Vec<Value> = all
        .iter()
        .map(|s| {
            let booking: &'static str = s.booking.into();
            context! {
                href => format!("/staff/admin/errands/{}?lang={}", s.slug, lang.code()),
                name => s.name(lang),
                booking => messages::text(lang, &format!("policy.{booking}")),
                minutes => s.duration_minutes,
                prefix => s.queue_prefix.to_string(),
            }
        })
        .collect();
    let saved = query.done.as_deref() == Some("saved");
    layout::page(
        "admin_errands.html",
        &admin,
        lang,
        "errands",
        context! { errands, saved },
    )
}

/// The form as shown: the values, what is wrong with them, and the 409's words.
#[derive(Debug, Default, Serialize)]
struct Shown {
    values: std::collections::BTreeMap<&'static str, String>,
    locations: Vec<String>,
    /// The version the form was read at, when shown again as sent.
    version: Option<i32>,
    errors: Vec<Value>,
    alert: Option<String>,
}

impl Shown {
    fn of(record: &ErrandRecord) -> Self {
        let s = &record.spec;
        let booking: &'static str = s.booking.into();
        let values = [
            ("name_da", s.name_da.clone()),
            ("name_en", s.name_en.clone()),
            (
                "what_to_bring_da",
                s.what_to_bring_da.clone().unwrap_or_default(),
            ),
            (
                "what_to_bring_en",
                s.what_to_bring_en.clone().unwrap_or_default(),
            ),
            ("duration_minutes", s.duration_minutes.to_string()),
            ("buffer_minutes", s.buffer_minutes.to_string()),
            ("booking", booking.to_owned()),
            (
                "self_service_url",
                s.self_service_url.clone().unwrap_or_default(),
            ),
            ("meeting_url", s.meeting_url.clone().unwrap_or_default()),
            ("book_ahead_days", s.book_ahead_days.to_string()),
            ("min_notice_minutes", s.min_notice_minutes.to_string()),
            ("reminder_hours", s.rules.reminder_hours.to_string()),
            (
                "max_future_bookings",
                s.rules.max_future_bookings.to_string(),
            ),
            ("queue_prefix", s.queue_prefix.to_string()),
            ("department", s.department.to_string()),
        ];
        Self {
            values: values.into_iter().collect(),
            locations: record.offered_at.iter().map(ToString::to_string).collect(),
            ..Self::default()
        }
    }

    fn sent(form: &Fields) -> Self {
        Self {
            values: FIELDS
                .iter()
                .map(|f| (*f, form.one(f).unwrap_or_default().to_owned()))
                .collect(),
            locations: form.all("locations"),
            version: form.one("version").and_then(|v| v.parse().ok()),
            ..Self::default()
        }
    }
}

/// `GET /staff/admin/errands/{service}`
#[utoipa::path(get, path = "/staff/admin/errands/{service}", tag = "pages", params(ErrandPath, LangQuery), security(("bearer" = []), ("session" = []), ()),
    responses((status = 200, description = "The errand's form", content_type = "text/html", body = String),
        (status = 303, description = "Not signed in: to the sign-in form, to come back here", headers(("Location" = String))),
        (status = 403, description = "not an administrator"),
        (status = 404, description = "no such errand")))]
pub async fn show(
    admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<ErrandPath>,
    lang: Language,
) -> AppResult<HttpResponse> {
    page(&state, &admin, lang, path.into_inner().service, None).await
}

/// The errand's page, with the form as sent and what is wrong with it when `sent` says.
async fn page(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    slug: String,
    sent: Option<(Shown, StatusCode)>,
) -> AppResult<HttpResponse> {
    let user = admin.user.clone();
    let (record, choices): (ErrandRecord, Choices) =
        blocking::run(state, move |conn| errand_edit::read(conn, &user, &slug)).await?;
    let (shown, status) = sent.unwrap_or_else(|| (Shown::of(&record), StatusCode::OK));
    let pick = |list: &[(String, String)], chosen: &dyn Fn(&str) -> bool| -> Vec<Value> {
        list.iter()
            .map(|(value, label)| context! { value, label, checked => chosen(value) })
            .collect()
    };
    let bookings: Vec<(String, String)> = [
        BookingPolicy::Required,
        BookingPolicy::Optional,
        BookingPolicy::WalkInOnly,
    ]
    .into_iter()
    .map(|p| {
        let key: &'static str = p.into();
        (
            key.to_owned(),
            messages::text(lang, &format!("policy.{key}")).to_owned(),
        )
    })
    .collect();
    let value_of = |field: &str| shown.values.get(field).cloned().unwrap_or_default();
    let (booking, department) = (value_of("booking"), value_of("department"));
    let mut response = layout::page(
        "admin_errand.html",
        admin,
        lang,
        "errands",
        context! {
            slug => record.spec.slug.to_string(),
            name => record.spec.name(lang),
            version => shown.version.unwrap_or(record.revision.version),
            video => record.spec.channel == crate::domain::organisation::Channel::Video,
            values => shown.values,
            errors => shown.errors,
            alert => shown.alert,
            bookings => pick(&bookings, &|v| v == booking),
            departments => pick(&choices.departments, &|v| v == department),
            locations => pick(&choices.locations, &|v| shown.locations.iter().any(|l| l == v)),
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

/// The draft the form sent, or the numbers that are not whole numbers.
fn draft(form: &Fields) -> Result<ErrandDraft, Vec<FieldError>> {
    let mut problems = Vec::new();
    let mut number = |field: &str| {
        let raw = form.one(field).unwrap_or_default().trim();
        raw.parse::<i64>().unwrap_or_else(|_| {
            problems.push(FieldError::new(field, NOT_A_COUNT));
            0
        })
    };
    let [duration, buffer, ahead, notice, reminder, limit] = NUMBERS.map(&mut number);
    let text = |field: &str| form.one(field).unwrap_or_default().to_owned();
    let draft = ErrandDraft {
        name_da: text("name_da"),
        name_en: text("name_en"),
        what_to_bring_da: text("what_to_bring_da"),
        what_to_bring_en: text("what_to_bring_en"),
        duration_minutes: duration,
        buffer_minutes: buffer,
        booking: text("booking"),
        self_service_url: text("self_service_url"),
        meeting_url: text("meeting_url"),
        book_ahead_days: ahead,
        min_notice_minutes: notice,
        reminder_hours: reminder,
        max_future_bookings: limit,
        queue_prefix: text("queue_prefix"),
        department: text("department"),
        locations: form.all("locations"),
    };
    if problems.is_empty() {
        Ok(draft)
    } else {
        Err(problems)
    }
}

/// A problem in the page's language, on its field.
fn problem(lang: Language, e: &FieldError) -> (&'static str, Value) {
    let field = FIELDS
        .iter()
        .find(|f| **f == e.field)
        .copied()
        .unwrap_or("locations");
    let text = messages::text(lang, &format!("admin_errands.error_{field}")).to_owned();
    (field, context! { field, text })
}

/// `POST /staff/admin/errands/{service}`: saves the errand's form, read at its `version`.
#[utoipa::path(post, path = "/staff/admin/errands/{service}", tag = "pages", params(ErrandPath), request_body(content = Object, content_type = "application/x-www-form-urlencoded"), security(("bearer" = []), ("session" = [], "csrf" = []), ()),
    responses((status = 303, description = "Saved: back to the errands", headers(("Location" = String))),
        (status = 403, description = "not an administrator, or the form's token is not the session's"),
        (status = 404, description = "no such errand"),
        (status = 409, description = "changed by someone else since the form was read: the form again, saying who and when", content_type = "text/html", body = String),
        (status = 422, description = "the form again, saying what to mend", content_type = "text/html", body = String)))]
pub async fn save(
    state: web::Data<AppState>,
    sent: AdminForm<Fields>,
    path: web::Path<ErrandPath>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let AdminForm { admin, form } = sent;
    let lang = lang::of_form(form.one("lang"), lang);
    let slug = path.into_inner().service;
    let mut shown = Shown::sent(&form);
    let version = form
        .one("version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AppError::invalid_field("version", "must be the version read"))?;
    let result = match draft(&form) {
        Ok(draft) => {
            let (user, now, at) = (admin.user.clone(), state.clock.now(), slug.clone());
            blocking::run(&state, move |conn| {
                errand_edit::save(conn, &user, &at, &draft, version, now)
            })
            .await
        }
        Err(problems) => Err(AppError::invalid_fields(problems)),
    };
    let status = match result {
        Ok(_) => {
            return Ok(HttpResponse::SeeOther()
                .insert_header((
                    LOCATION,
                    format!("/staff/admin/errands?lang={}&done=saved", lang.code()),
                ))
                .finish())
        }
        Err(AppError::Unprocessable { errors, .. }) => {
            let mut fields = Vec::new();
            for e in &errors {
                let (field, view) = problem(lang, e);
                if !fields.contains(&field) {
                    fields.push(field);
                    shown.errors.push(view);
                }
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(AppError::Conflict { detail, .. }) => {
            shown.alert = Some(detail.said.map_or(detail.text, |s| s.text(lang)));
            StatusCode::CONFLICT
        }
        Err(other) => return Err(other),
    };
    page(&state, &admin, lang, slug, Some((shown, status))).await
}
