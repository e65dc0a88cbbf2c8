//! The kiosk's errand menu (`GET /api/v1/locations/{location}/kiosk`).

use std::collections::BTreeMap;

use actix_web::web;
use serde::Serialize;

use super::blocking;
use super::links::{self, LOGO_PATH};
use crate::app::kiosk::{self, Action, Entry, Menu};
use crate::app::visit::MAX_ERRANDS_PER_VISIT;
use crate::app::AppState;
use crate::domain::booking::Language;
use crate::domain::municipality::{Logo, Municipality};
use crate::domain::visit::{NeedKind, NeedSpec};
use crate::error::AppResult;
use crate::messages;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KioskMenuView {
    /// The municipality.
    pub organisation: String,
    pub location: String,
    pub name: String,
    /// Whether the door gives tickets now.
    pub open: bool,
    /// When closed: the next opening, with the location's offset.
    #[schema(format = DateTime)]
    pub next_opening: Option<String>,
    /// The location's local date now, so a screen can say "today" of its times.
    #[schema(format = Date)]
    pub today: String,
    pub groups: Vec<KioskGroupView>,
    /// The most errands, counted with their quantities, that one ticket may carry here.
    pub max_errands: u32,
    /// The needs a citizen may state at this door (`needs` of `POST /api/v1/tickets`).
    pub needs: Vec<KioskNeedView>,
    /// The municipality as the screen shows it, once an organisation file has given it.
    pub municipality: Option<KioskIdentityView>,
    /// The kiosk screen's words in each language (`da`, `en`), by key, from the same
    /// catalogue as the pages: the screen switches language without asking again.
    pub texts: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KioskIdentityView {
    pub name: String,
    #[schema(format = Uri)]
    pub logo_url: String,
    /// `#rrggbb`, dark enough for white text; `null` for the design system's own blue.
    pub brand_colour: Option<String>,
}

/// A need a citizen may state at the door.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KioskNeedView {
    pub kind: NeedKind,
    pub name_da: String,
    pub name_en: String,
    /// Whether it must say more: the interpreter's language, as `detail`.
    pub detail: bool,
}

impl From<NeedSpec> for KioskNeedView {
    fn from(need: NeedSpec) -> Self {
        Self {
            detail: need.kind.takes_detail(),
            kind: need.kind,
            name_da: need.name_da,
            name_en: need.name_en,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KioskGroupView {
    /// The department that owns these errands (its slug).
    pub department: String,
    /// The department's name, the heading over its errands.
    pub name: String,
    pub services: Vec<KioskEntryView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KioskEntryView {
    pub slug: String,
    pub name_da: String,
    pub name_en: String,
    /// What a touch does now: `ticket`, `self_service` (an assisted ticket is still
    /// possible), `booking_required` or `closed`.
    pub action: KioskAction,
    #[schema(format = Uri)]
    pub self_service_url: Option<String>,
    /// For `booking_required`: the next free times, with the location's offset.
    #[schema(schema_with = instants)]
    pub next_free: Vec<String>,
    /// For `booking_required`: the booking page of this errand at this location.
    #[schema(format = Uri)]
    pub booking_url: Option<String>,
    /// How many of it one ticket may carry (its own limit within the visit's).
    pub max_per_visit: u32,
}

/// What a touch on an errand does now.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KioskAction {
    Ticket,
    SelfService,
    BookingRequired,
    Closed,
}

/// A list of RFC 3339 instants.
fn instants() -> utoipa::openapi::Array {
    utoipa::openapi::ArrayBuilder::new()
        .items(
            utoipa::openapi::ObjectBuilder::new()
                .schema_type(utoipa::openapi::Type::String)
                .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                    utoipa::openapi::KnownFormat::DateTime,
                ))),
        )
        .build()
}

/// The errand menu for the kiosk: errands grouped by department, each with what taking a
/// ticket will do now.
#[utoipa::path(get, path = "/api/v1/locations/{location}/kiosk", tag = "kiosk",
    params(super::paths::LocationPath),
    responses((status = 200, body = KioskMenuView), (status = 404, description = "no such location")))]
pub async fn menu(
    state: web::Data<AppState>,
    location: web::Path<String>,
) -> AppResult<web::Json<KioskMenuView>> {
    let now = state.clock.now();
    let menu = blocking::run(&state, move |conn| kiosk::menu(conn, &location, now)).await?;
    let today = now
        .with_timezone(&menu.location.timezone)
        .date_naive()
        .to_string();
    Ok(web::Json(view(menu, &state.public_base, today)))
}

/// The catalogue's sections that the kiosk screen reads: its own words, and those it
/// writes dates with.
const KIOSK_SECTIONS: [&str; 3] = ["kiosk", "kiosk_visit", "date"];

fn texts() -> BTreeMap<String, BTreeMap<String, String>> {
    [Language::Da, Language::En]
        .into_iter()
        .map(|lang| {
            let words = KIOSK_SECTIONS
                .iter()
                .flat_map(|section| messages::section(lang, section))
                .map(|(key, text)| (key.to_owned(), text.to_owned()))
                .collect();
            (lang.code().to_owned(), words)
        })
        .collect()
}

fn identity(municipality: Municipality, base: &str) -> KioskIdentityView {
    KioskIdentityView {
        name: municipality.name,
        logo_url: match municipality.logo {
            Logo::Url(url) => url,
            Logo::File(_) | Logo::Demo => format!("{base}{LOGO_PATH}"),
        },
        brand_colour: municipality.brand_colour,
    }
}

fn view(menu: Menu, base: &str, today: String) -> KioskMenuView {
    let slug = menu.location.slug.to_string();
    KioskMenuView {
        municipality: menu.municipality.map(|m| identity(m, base)),
        texts: texts(),
        today,
        max_errands: MAX_ERRANDS_PER_VISIT,
        needs: menu.needs.into_iter().map(KioskNeedView::from).collect(),
        groups: menu
            .groups
            .into_iter()
            .map(|group| KioskGroupView {
                department: group.department,
                name: group.name,
                services: group
                    .entries
                    .into_iter()
                    .map(|entry| entry_view(entry, base, &slug))
                    .collect(),
            })
            .collect(),
        organisation: menu.organisation,
        name: menu.location.name,
        open: menu.open,
        next_opening: menu.next_opening.map(|t| t.to_rfc3339()),
        location: slug,
    }
}

fn entry_view(entry: Entry, base: &str, location: &str) -> KioskEntryView {
    let spec = entry.service.spec;
    let (action, self_service_url, next_free, booking_url) = match entry.action {
        Action::Ticket => (KioskAction::Ticket, None, Vec::new(), None),
        Action::SelfService { url } => (KioskAction::SelfService, Some(url), Vec::new(), None),
        Action::BookingRequired { next_free } => (
            KioskAction::BookingRequired,
            None,
            next_free.iter().map(|s| s.start.to_rfc3339()).collect(),
            Some(format!(
                "{base}{}",
                links::booking(location, spec.slug.as_str())
            )),
        ),
        Action::Closed => (KioskAction::Closed, None, Vec::new(), None),
    };
    KioskEntryView {
        max_per_visit: spec.max_per_visit.clamp(1, MAX_ERRANDS_PER_VISIT),
        slug: spec.slug.to_string(),
        name_da: spec.name_da,
        name_en: spec.name_en,
        action,
        self_service_url,
        next_free,
        booking_url,
    }
}
