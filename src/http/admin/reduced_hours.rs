//! `POST /staff/admin/locations/{location}/reduced-hours`: a period of reduced hours — its
//! days, each weekday's hours in it (several ranges, or closed) and why — saved as the
//! closure that keeps those hours open, through the closure's own use case: the confirmed
//! bookings it leaves out are shown first, to keep or to cancel with one apology each.

use actix_web::{web, HttpResponse};

use super::change_outcome::{changed_at, next, to_location, Asked};
use super::fields::{Chosen, Fields};
use super::hours_fields::FieldProblem;
use super::location_page::{location_page, Forms, PeriodForm};
use super::{Admin, AdminForm};
use crate::app::closures::{self, CloseRequest};
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::closing::ClosureInput;
use crate::error::AppResult;
use crate::http::blocking;
use crate::http::lang;
use crate::http::paths::LocationPath;

/// The form of a period of reduced hours as sent.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct PeriodFormFields {
    /// The first day, `YYYY-MM-DD`.
    pub period_from: String,
    /// The last day; the first day when empty.
    #[serde(default)]
    pub period_to: String,
    /// Monday's ranges in the period, `10:00-12:00, 13:00-15:00`; the other days likewise
    /// (`period_hours_tue` … `period_hours_sun`); empty is closed.
    #[serde(default)]
    pub period_hours_mon: String,
    /// Why; citizens are told it, in the apology too when their booking is cancelled.
    pub period_reason: String,
    /// The location's version the form was read at.
    pub version: i32,
    /// `keep` or `cancel`, from the page that shows the affected bookings.
    #[serde(default)]
    pub bookings: Option<String>,
    /// The references of the affected bookings shown, separated by commas.
    #[serde(default)]
    pub affected: String,
    pub csrf_token: String,
}

/// `POST /staff/admin/locations/{location}/reduced-hours`
#[utoipa::path(post, path = "/staff/admin/locations/{location}/reduced-hours", tag = "pages", params(LocationPath),
    request_body(content = PeriodFormFields, content_type = "application/x-www-form-urlencoded"),
    security(("bearer" = []), ("session" = [], "csrf" = []), ()),
    responses((status = 303, description = "Saved: back to the location, saying what came of it", headers(("Location" = String))),
        (status = 200, description = "The confirmed bookings the period leaves out, to keep or cancel", content_type = "text/html", body = String),
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
    let mut shown = PeriodForm::typed(&form, lang);
    let hours = shown.hours();
    let input = ClosureInput {
        from: &shown.from,
        to: &shown.to,
        reason: &shown.reason,
        opening_hours: Some(&hours),
        ..ClosureInput::default()
    };
    let closure = match input.parse() {
        Ok(closure) => closure,
        Err(problems) => {
            shown.errors = problems
                .iter()
                .map(|(field, e)| FieldProblem::of_hours(lang, input_of(field), e))
                .collect();
            return period_again(&state, &admin, lang, &slug, shown).await;
        }
    };
    // The period's own reason is the apology's.
    let chosen = Chosen::of(
        form.one("version"),
        form.one("bookings"),
        form.one("affected").unwrap_or_default(),
        form.one("period_reason").unwrap_or_default(),
    )?;
    let asked = Asked {
        reason: None,
        ..Asked::of_form(
            &form,
            lang,
            format!("/staff/admin/locations/{slug}/reduced-hours"),
            to_location(lang, &slug),
            "admin_reduced_hours",
            &chosen,
        )
    };
    let request = CloseRequest {
        closure,
        decision: chosen.decision,
    };
    let (now, user, at) = (state.clock.now(), admin.user.clone(), slug.clone());
    let closed = blocking::run(&state, move |conn| {
        closures::close(conn, &user, &at, &request, now)
    })
    .await;
    let done = changed_at(lang, &slug, "period");
    match next(&admin, lang, closed, &asked, &done, &mut shown)? {
        Some(answer) => Ok(answer),
        None => period_again(&state, &admin, lang, &slug, shown).await,
    }
}

/// The location's page with the period's form as sent, saying what is wrong with it.
async fn period_again(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    slug: &str,
    shown: PeriodForm,
) -> AppResult<HttpResponse> {
    let forms = Forms {
        period: Some(shown),
        ..Forms::default()
    };
    location_page(state, admin, lang, slug, forms, None).await
}

/// The form's input of a closure's field: `opening_hours.tue[1]` is Tuesday's.
fn input_of(field: &str) -> String {
    match field.strip_prefix("opening_hours.") {
        Some(day) => format!(
            "period_hours_{}",
            &day[..day.find('[').unwrap_or(day.len())]
        ),
        None => format!("period_{field}"),
    }
}
