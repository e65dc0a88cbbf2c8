//! `POST /staff/admin/locations/{location}/errand-hours/{service}`: one errand's own hours at
//! a location — each weekday's ranges, several a day — or, with `follow`, the location's
//! hours again. Saved as a change of the location's like its details: checked as the
//! organisation file's `[[locations.service_hours]]`, the confirmed bookings of the errand
//! left outside shown first, to keep or to cancel with a reason, a form read before another
//! administrator's save refused, saying who and when.

use actix_web::{web, HttpResponse};
use chrono::Weekday;
use serde::Deserialize;

use super::change_outcome::{changed_at, next, to_location, Asked, Refusable};
use super::errand_form::ErrandForm;
use super::fields::Fields;
use super::hours_fields::FieldProblem;
use super::location_page::{location_page, Forms};
use super::{Admin, AdminForm};
use crate::app::location_edit::{self, ErrandHoursRequest};
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::hours::{parse_week, WEEKDAY_KEYS};
use crate::domain::{FieldError, Slug};
use crate::error::{AppError, AppResult};
use crate::http::blocking;
use crate::http::lang;
use crate::messages::{self, weekday};

/// An errand at a location.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct LocationErrandPath {
    #[param(example = "raadhuset")]
    pub location: String,
    #[param(example = "byggesag")]
    pub service: String,
}

/// The form of an errand's own hours as sent.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ErrandHoursFormFields {
    /// Monday's ranges, `10:00-12:00, 13:00-15:00`; the other days likewise
    /// (`errand_hours_tue` … `errand_hours_sun`); empty is closed to the errand.
    #[serde(default)]
    pub errand_hours_mon: String,
    /// Present: the errand follows the location's hours again; the ranges are not read.
    #[serde(default)]
    pub follow: Option<String>,
    /// The location's version the form was read at.
    pub version: i32,
    /// `keep` or `cancel`, from the page that shows the affected bookings.
    #[serde(default)]
    pub bookings: Option<String>,
    /// The references of the affected bookings shown, separated by commas.
    #[serde(default)]
    pub affected: String,
    /// Why, for the apology to each cancelled citizen.
    #[serde(default)]
    pub reason: String,
    pub csrf_token: String,
}

/// `POST /staff/admin/locations/{location}/errand-hours/{service}`
#[utoipa::path(post, path = "/staff/admin/locations/{location}/errand-hours/{service}", tag = "pages", params(LocationErrandPath),
    request_body(content = ErrandHoursFormFields, content_type = "application/x-www-form-urlencoded"),
    security(("bearer" = []), ("session" = [], "csrf" = []), ()),
    responses((status = 303, description = "Saved: back to the location, saying what came of it", headers(("Location" = String))),
        (status = 200, description = "The errand's confirmed bookings the new hours leave out, to keep or cancel", content_type = "text/html", body = String),
        (status = 403, description = "not an administrator, or the form's token is not the session's"),
        (status = 404, description = "no such location, or the errand is not offered there"),
        (status = 409, description = "the location changed after the form was read: the form again, saying who changed it and when", content_type = "text/html", body = String),
        (status = 422, description = "the form again, saying what is wrong", content_type = "text/html", body = String)))]
pub async fn save(
    sent: AdminForm<Fields>,
    state: web::Data<AppState>,
    path: web::Path<LocationErrandPath>,
    lang: Language,
) -> AppResult<HttpResponse> {
    let AdminForm { admin, form } = sent;
    let lang = lang::of_form(form.one("lang"), lang);
    let LocationErrandPath {
        location: slug,
        service,
    } = path.into_inner();
    let errand = Slug::parse(&service)
        .map_err(|_| AppError::not_found(format!("there is no errand '{service}'")))?;
    let mut shown = ErrandForm::typed(&form, &service, lang);
    let hours = match form.one("follow") {
        Some(_) => None,
        None => {
            let typed = shown.hours();
            let days = typed.iter().map(|(d, r)| (d.as_str(), r.as_slice()));
            match parse_week(days) {
                Ok(hours) => Some(hours),
                Err(problems) => {
                    shown.errors = (problems.iter())
                        .map(|p| FieldProblem::of_hours(lang, shown.input(&p.key), &p.error))
                        .collect();
                    return form_again(&state, &admin, lang, &slug, shown).await;
                }
            }
        }
    };
    // A cancellation without a reason is asked again, with the bookings, before anything.
    let chosen = form.chosen()?;
    let asked = Asked::of_form(
        &form,
        lang,
        format!("/staff/admin/locations/{slug}/errand-hours/{service}"),
        to_location(lang, &slug),
        "admin_errand_hours",
        &chosen,
    );
    let request = ErrandHoursRequest {
        errand,
        hours,
        decision: chosen.decision,
    };
    let (now, user, at) = (state.clock.now(), admin.user.clone(), slug.clone());
    let saved = blocking::run(&state, move |conn| {
        location_edit::save_errand_hours(conn, &user, &at, &request, now)
    })
    .await;
    let done = changed_at(lang, &slug, "errand_hours");
    match next(&admin, lang, saved, &asked, &done, &mut shown)? {
        Some(answer) => Ok(answer),
        None => form_again(&state, &admin, lang, &slug, shown).await,
    }
}

impl Refusable for ErrandForm {
    fn stale(&mut self, alert: String) {
        self.alert = Some(alert);
    }

    fn wrong(&mut self, lang: Language, errors: &[FieldError]) {
        self.errors = errors.iter().map(|e| problem(lang, self, e)).collect();
    }
}

/// A problem the organisation file's check found, on the form's field:
/// `service_hours[0].hours.tue` is the Tuesday field's, hours outside the location's that
/// day; anything else (the rest of the location no longer fitting) is Monday's to see.
fn problem(lang: Language, shown: &ErrandForm, e: &FieldError) -> FieldProblem {
    let day = e
        .field
        .split_once(".hours.")
        .map(|(_, day)| &day[..day.find('[').unwrap_or(day.len())])
        .and_then(|key| WEEKDAY_KEYS.iter().position(|k| *k == key));
    match day {
        Some(at) => {
            let name = weekday(lang, Weekday::try_from(at as u8).expect("index below 7"));
            FieldProblem {
                field: shown.input(WEEKDAY_KEYS[at]),
                text: messages::text_with(
                    lang,
                    "admin_errand_hours.error_outside",
                    &[("day", name)],
                ),
            }
        }
        None => FieldProblem {
            field: shown.input("mon"),
            text: messages::text(lang, "admin_errand_hours.error_fit").to_owned(),
        },
    }
}

/// The location's page with the errand's form as sent, open, saying what is wrong with it.
async fn form_again(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    slug: &str,
    shown: ErrandForm,
) -> AppResult<HttpResponse> {
    let forms = Forms {
        errand: Some(shown),
        ..Forms::default()
    };
    location_page(state, admin, lang, slug, forms, None).await
}
