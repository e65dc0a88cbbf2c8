//! The staff account form: what it shows (an account's values, or what was sent), its
//! choices of roles, locations and errands, the account it reads back, and the form again
//! with what to mend after a refusal.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use minijinja::{context, Value};
use serde::Serialize;

use super::fields::Fields;
use super::{layout, Admin};
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::organisation::Role;
use crate::domain::staff_account::AccountDraft;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::http::blocking;
use crate::messages;
use crate::store::staff_accounts::AccountRecord;

impl Fields {
    /// The account as the form wrote it, and whether its contract read as a number of
    /// hours: one that does not is refused on its own, in the words the account rules use.
    pub(super) fn draft(&self) -> (AccountDraft, AppResult<()>) {
        let raw_hours = self.text("contract_hours");
        let hours = raw_hours
            .as_deref()
            .map(|h| h.replace(',', ".").parse::<f64>());
        let read = match (&raw_hours, &hours) {
            (Some(raw), Some(Err(_))) => {
                let message = format!("{raw} is not a number of hours a week, like 37 or 18.5");
                let error = FieldError::new("contract_hours", message.clone());
                Err(AppError::invalid(message, vec![error]))
            }
            _ => Ok(()),
        };
        let draft = AccountDraft {
            username: self.one("username").unwrap_or_default().to_owned(),
            name: self.one("name").unwrap_or_default().to_owned(),
            email: self.text("email"),
            roles: self.all("roles"),
            locations: self.all("locations"),
            services: self.all("services"),
            home_location: self.text("home_location"),
            contract_hours: hours.and_then(Result::ok),
        };
        (draft, read)
    }

    pub(super) fn version(&self) -> i32 {
        self.one("version")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1)
    }
}

/// A choice of the form: its value, its words, whether it is ticked.
#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    label: String,
    checked: bool,
}

/// What the account form shows: the account's values, or what was sent.
#[derive(Debug, Serialize, Default)]
pub(super) struct Shown {
    username: String,
    name: String,
    email: String,
    home_location: String,
    contract_hours: String,
    roles: Vec<String>,
    locations: Vec<String>,
    services: Vec<String>,
}

impl Shown {
    /// A new account's form: a member of staff until ticked otherwise.
    pub(super) fn new_account() -> Self {
        Self {
            roles: vec![<&str>::from(Role::Staff).to_owned()],
            ..Self::default()
        }
    }
}

impl From<&AccountRecord> for Shown {
    fn from(a: &AccountRecord) -> Self {
        Self {
            username: a.username.clone(),
            name: a.display_name.clone(),
            email: a.email.clone().unwrap_or_default(),
            home_location: a
                .home_location
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            contract_hours: figure(f64::from(a.contract_minutes) / 60.0),
            roles: a
                .roles
                .iter()
                .map(|r| <&str>::from(*r).to_owned())
                .collect(),
            locations: a.locations.iter().map(ToString::to_string).collect(),
            services: a.services.iter().map(ToString::to_string).collect(),
        }
    }
}

impl From<&AccountDraft> for Shown {
    fn from(d: &AccountDraft) -> Self {
        Self {
            username: d.username.clone(),
            name: d.name.clone(),
            email: d.email.clone().unwrap_or_default(),
            home_location: d.home_location.clone().unwrap_or_default(),
            contract_hours: d.contract_hours.map(figure).unwrap_or_default(),
            roles: d.roles.clone(),
            locations: d.locations.clone(),
            services: d.services.clone(),
        }
    }
}

fn figure(hours: f64) -> String {
    if hours.fract() == 0.0 {
        format!("{hours:.0}")
    } else {
        format!("{hours}")
    }
}

/// The words of a role.
pub(super) fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin_people.role_admin",
        Role::Planner => "admin_people.role_planner",
        Role::Staff => "admin_people.role_staff",
    }
}

/// The choices of the form: roles, locations and errands by name, each ticked as `shown`.
fn choices(state_names: &Names, shown: &Shown, lang: Language) -> Value {
    use strum::VariantArray;
    let roles: Vec<Choice> = Role::VARIANTS
        .iter()
        .map(|r| {
            let value = <&str>::from(*r).to_owned();
            Choice {
                checked: shown.roles.contains(&value),
                label: messages::text(lang, role_key(*r)).to_owned(),
                value,
            }
        })
        .collect();
    let pick = |all: &[(String, String)], ticked: &[String]| -> Vec<Choice> {
        all.iter()
            .map(|(value, label)| Choice {
                value: value.clone(),
                label: label.clone(),
                checked: ticked.contains(value),
            })
            .collect()
    };
    context! {
        roles,
        locations => pick(&state_names.locations, &shown.locations),
        services => pick(&state_names.services, &shown.services),
    }
}

/// The organisation's locations and errands, by slug, with their names in the page's language.
struct Names {
    locations: Vec<(String, String)>,
    services: Vec<(String, String)>,
}

async fn names(state: &web::Data<AppState>, admin: &Admin, lang: Language) -> AppResult<Names> {
    let org = admin.user.organisation_id;
    blocking::run(state, move |conn| {
        let locations = crate::store::organisations::list_locations(conn)?
            .into_iter()
            .filter(|l| l.organisation_id == org)
            .map(|l| (l.slug.to_string(), l.name))
            .collect();
        let services = crate::store::organisations::organisation_services(conn, org)?
            .into_iter()
            .map(|s| (s.spec.slug.to_string(), s.spec.name(lang).to_owned()))
            .collect();
        Ok(Names {
            locations,
            services,
        })
    })
    .await
}

/// The account form: new (`account` is `None`) or an account's page.
pub(super) struct FormPage<'a> {
    account: Option<&'a AccountRecord>,
    shown: Shown,
    errors: Vec<FieldError>,
    alert: Option<String>,
    notice: Option<&'static str>,
    status: StatusCode,
}

impl<'a> FormPage<'a> {
    /// The form as it is read, with what was just done on the account, if anything.
    pub(super) fn read(
        account: Option<&'a AccountRecord>,
        shown: Shown,
        notice: Option<&'static str>,
    ) -> Self {
        Self {
            account,
            shown,
            errors: Vec::new(),
            alert: None,
            notice,
            status: StatusCode::OK,
        }
    }
}

pub(super) async fn form_page(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    page: FormPage<'_>,
) -> AppResult<HttpResponse> {
    let names = names(state, admin, lang).await?;
    let errors: Vec<Value> = page
        .errors
        .iter()
        .map(|e| context! { field => e.field.clone(), text => field_text(lang, &e.field) })
        .collect();
    let (id, version, active, has_password) = page.account.map_or((0, 0, true, false), |a| {
        (a.id.0, a.revision.version, a.active, a.has_password)
    });
    let choices = choices(&names, &page.shown, lang);
    let mut response = layout::page(
        "admin_staff_form.html",
        admin,
        lang,
        "staff",
        context! {
            is_new => page.account.is_none(),
            id, version, active, has_password,
            account => page.shown,
            choices,
            errors,
            alert => page.alert,
            notice => page.notice,
        },
    )?;
    *response.status_mut() = page.status;
    Ok(response)
}

/// What to mend in a field, in the page's language.
fn field_text(lang: Language, field: &str) -> String {
    let key = match field {
        "username" => "admin_people.error_username",
        "name" => "admin_people.error_name",
        "email" => "admin_people.error_email",
        "roles" => "admin_people.error_roles",
        "locations" => "admin_people.error_locations",
        "services" => "admin_people.error_services",
        "home_location" => "admin_people.error_home_location",
        "contract_hours" => "admin_people.error_contract_hours",
        _ => "admin_people.error_other",
    };
    messages::text(lang, key).to_owned()
}

/// The form again after a refusal: the fields that were wrong, or who saved in between.
pub(super) async fn refused(
    state: &web::Data<AppState>,
    admin: &Admin,
    lang: Language,
    account: Option<&AccountRecord>,
    shown: Shown,
    error: AppError,
) -> AppResult<HttpResponse> {
    let (errors, alert, status) = match error {
        AppError::Unprocessable { errors, .. } => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        AppError::Conflict { detail, .. } => (
            Vec::new(),
            Some(detail.said.map_or(detail.text, |s| s.text(lang))),
            StatusCode::CONFLICT,
        ),
        other => return Err(other),
    };
    let page = FormPage {
        account,
        shown,
        errors,
        alert,
        notice: None,
        status,
    };
    form_page(state, admin, lang, page).await
}
