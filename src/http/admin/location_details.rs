//! `POST /staff/admin/locations/{location}/details`: a location's name, address, contact and
//! weekly opening hours, several ranges a day. Shorter hours over confirmed bookings first
//! show them, to keep or to cancel with a reason; a form read before another
//! administrator's save is refused, saying who and when.

use actix_web::{web, HttpResponse};
use chrono::Weekday;
use serde::Deserialize;

use super::change_outcome::{changed_at, next, to_location, Asked, Refusable};
use super::fields::Fields;
use super::hours_fields::FieldProblem;
use super::location_page::{location_page, DetailsForm, Forms};
use super::{Admin, AdminForm};
use crate::app::location_edit::{self, EditRequest};
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::hours::WEEKDAY_KEYS;
use crate::domain::location_draft;
use crate::domain::FieldError;
use crate::error::AppResult;
use crate::http::blocking;
use crate::http::lang;
use crate::http::paths::LocationPath;
use crate::messages::{self, weekday};

/// A problem on the form's field, in the page's language: `opening_hours.tue[1]` is the
/// Tuesday field's, and hours that open on no day are Monday's to fix.
fn problem(lang: Language, e: &FieldError) -> FieldProblem {
    let hours = e.field.strip_prefix("opening_hours");
    let (field, text) = match hours {
        Some("") => (
            "hours_mon",
            messages::text(lang, "admin_location_edit.error_never_open").to_owned(),
        ),
        Some(rest) => {
            let key = rest.trim_start_matches('.');
            let key = &key[..key.find('[').unwrap_or(key.len())];
            let at = WEEKDAY_KEYS.iter().position(|k| *k == key).unwrap_or(0);
            let day = weekday(lang, Weekday::try_from(at as u8).expect("index below 7"));
            (
                HOURS_FIELDS[at],
                messages::text_with(lang, "admin_location_edit.error_hours", &[("day", day)]),
            )
        }
        None if e.field == "name" => (
            "name",
            messages::text(lang, "admin_location_edit.error_name").to_owned(),
        ),
        None if e.field == "address" => (
            "address",
            messages::text(lang, "admin_location_edit.error_address").to_owned(),
        ),
        // The rest of the location no longer fits the hours, as the organisation file's
        // check says of capacity and errands' hours.
        None => (
            "hours_mon",
            messages::text(lang, "admin_location_edit.error_fit").to_owned(),
        ),
    };
    FieldProblem {
        field: field.to_owned(),
        text,
    }
}

/// The details form as sent.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DetailsFormFields {
    pub name: String,
    pub address: String,
    #[serde(default)]
    pub contact: String,
    /// Monday's ranges, `10:00-12:00, 13:00-17:00`; the other days likewise
    /// (`hours_tue` … `hours_sun`); empty is closed.
    #[serde(default)]
    pub hours_mon: String,
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

/// `POST /staff/admin/locations/{location}/details`
#[utoipa::path(post, path = "/staff/admin/locations/{location}/details", tag = "pages", params(LocationPath),
    request_body(content = DetailsFormFields, content_type = "application/x-www-form-urlencoded"),
    security(("bearer" = []), ("session" = []), ()),
    responses((status = 303, description = "Saved: back to the location, saying what came of it", headers(("Location" = String))),
        (status = 200, description = "The confirmed bookings the new hours leave out, to keep or cancel", content_type = "text/html", body = String),
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
    let mut shown = DetailsForm::typed(&form, lang);
    let details = match location_draft::check(&shown.draft()) {
        Ok(details) => details,
        Err(problems) => {
            shown.wrong(lang, &problems);
            return form_again(&state, &admin, lang, &slug, shown).await;
        }
    };
    // A cancellation without a reason is asked again, with the bookings, before anything.
    let chosen = form.chosen()?;
    let asked = Asked::of_form(
        &form,
        lang,
        format!("/staff/admin/locations/{slug}/details"),
        to_location(lang, &slug),
        "admin_location_edit",
        &chosen,
    );
    let request = EditRequest {
        details,
        decision: chosen.decision,
    };
    let (now, user, at) = (state.clock.now(), admin.user.clone(), slug.clone());
    let saved = blocking::run(&state, move |conn| {
        location_edit::save(conn, &user, &at, &request, now)
    })
    .await;
    let done = changed_at(lang, &slug, "details");
    match next(&admin, lang, saved, &asked, &done, &mut shown)? {
        Some(answer) => Ok(answer),
        None => form_again(&state, &admin, lang, &slug, shown).await,
    }
}

impl Refusable for DetailsForm {
    fn stale(&mut self, alert: String) {
        self.alert = Some(alert);
    }

    fn wrong(&mut self, lang: Language, errors: &[FieldError]) {
        self.errors = errors.iter().map(|e| problem(lang, e)).collect();
    }
}

/// The location's page with the details form as sent, saying what is wrong with it.
async fn form_again(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    slug: &str,
    shown: DetailsForm,
) -> AppResult<HttpResponse> {
    let forms = Forms {
        details: Some(shown),
        ..Forms::default()
    };
    location_page(state, admin, lang, slug, forms, None).await
}

const HOURS_FIELDS: [&str; 7] = [
    "hours_mon",
    "hours_tue",
    "hours_wed",
    "hours_thu",
    "hours_fri",
    "hours_sat",
    "hours_sun",
];
