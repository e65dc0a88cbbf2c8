//! A visit as a citizen asks for it (errands by slug with how many of each, needs by kind),
//! checked against what the location offers, so that the free times, a booking and a move
//! all speak of the same visit; and the needs a citizen may state at a location.

use std::collections::BTreeSet;

use crate::domain::booking::Language;
use crate::domain::ids::ServiceId;
use crate::domain::organisation::{Desk, Location, Service};
use crate::domain::slots::BookingRules;
use crate::domain::visit::{
    booking_rules, check_lines, desk_features, extra_minutes, parse_need_kinds, parse_needs,
    DeskFeature, DeskOffer, ErrandTerms, Need, NeedSpec, VisitLine, VisitRefusal,
};
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::messages::Said;
use crate::store::appointments::{self, AppointmentRecord};
use crate::store::{needs, organisations, DbConnection};

/// The most errands, counted with their quantities, that one visit may combine: a family's
/// passports and health cards, not an afternoon at one desk.
pub const MAX_ERRANDS_PER_VISIT: u32 = 6;

/// One errand asked for, by slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrandAsked {
    pub service: String,
    pub quantity: u32,
}

/// One need stated, by kind; `detail` is the interpreter's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedAsked {
    pub kind: String,
    pub detail: Option<String>,
}

/// A visit as asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitAsked {
    pub errands: Vec<ErrandAsked>,
    pub needs: Vec<NeedAsked>,
    /// Whether the errands came as a list (`services`), so that a problem names
    /// `services[1].quantity`; otherwise as the one `service` of before.
    pub listed: bool,
}

impl VisitAsked {
    /// The visit of one errand and no needs: every booking before visits.
    pub fn one(service: impl Into<String>) -> Self {
        Self {
            errands: vec![ErrandAsked {
                service: service.into(),
                quantity: 1,
            }],
            needs: Vec::new(),
            listed: false,
        }
    }

    /// The first errand's slug, which leads the visit.
    pub fn first_service(&self) -> &str {
        self.errands.first().map_or("", |e| e.service.as_str())
    }

    /// The visit in the form of the slot lookup: `pas:2,sundhedskort`, then `|` and the needs.
    pub fn describe(&self) -> String {
        let errands: Vec<String> = self
            .errands
            .iter()
            .map(|e| format!("{}:{}", e.service, e.quantity))
            .collect();
        let needs: Vec<String> = self
            .needs
            .iter()
            .map(|n| format!("{}={}", n.kind, n.detail.as_deref().unwrap_or("")))
            .collect();
        format!("{}|{}", errands.join(","), needs.join(","))
    }

    fn field(&self, i: usize, name: &str) -> String {
        if self.listed {
            format!("services[{i}].{name}")
        } else {
            name.to_owned()
        }
    }
}

/// A visit checked against its location: its errands in the citizen's order, and its needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub lines: Vec<VisitLine<Service>>,
    pub needs: Vec<Need>,
    /// The minutes the needs add.
    pub extra_minutes: u32,
}

impl Visit {
    /// A visit of one unit of one errand, with no needs.
    pub fn one(service: Service) -> Self {
        Self {
            lines: vec![VisitLine::one(service)],
            needs: Vec::new(),
            extra_minutes: 0,
        }
    }

    /// The errands by id with their quantities, in the visit's order, as they are stored.
    pub fn line_ids(&self) -> Vec<VisitLine<ServiceId>> {
        self.lines
            .iter()
            .map(|l| VisitLine {
                service: l.service.id,
                quantity: l.quantity,
            })
            .collect()
    }

    /// The errands' ids, in the visit's order.
    pub fn errand_ids(&self) -> Vec<ServiceId> {
        self.lines.iter().map(|l| l.service.id).collect()
    }

    /// What the desk of this visit must have.
    pub fn features(&self) -> BTreeSet<DeskFeature> {
        desk_features(&self.needs)
    }

    /// The visit's booking rules: its length with the needs' extra minutes, its buffer,
    /// grid and window (see [`booking_rules`]); `None` for a visit of no errand.
    pub fn rules(&self) -> Option<BookingRules> {
        let terms: Vec<VisitLine<ErrandTerms>> = self
            .lines
            .iter()
            .map(|l| VisitLine {
                service: ErrandTerms::from(&l.service.spec),
                quantity: l.quantity,
            })
            .collect();
        booking_rules(&terms, self.extra_minutes)
    }

    /// A visit as it was stored (a booking's, a waitlist entry's): its errands by id, looked
    /// up among those offered at `location`, and the needs stated.
    pub fn stored(
        conn: &mut DbConnection,
        location: &Location,
        lines: Vec<VisitLine<ServiceId>>,
        needs: Vec<Need>,
    ) -> AppResult<Self> {
        let offered = needs::offered(conn, location.organisation_id)?;
        Ok(Self {
            lines: lines_at(conn, location, lines)?,
            extra_minutes: extra_minutes(&needs, &offered),
            needs,
        })
    }

    /// Whether it books exactly as one errand alone always has: one errand, and no need that
    /// asks anything of the desk.
    pub fn is_single(&self) -> bool {
        self.lines.len() == 1 && self.features().is_empty()
    }
}

/// A visit's errands as a citizen reads them: `2 × Pas, Sundhedskort`; one errand alone by
/// its name.
pub fn errand_names(lines: &[VisitLine<Service>], language: Language) -> String {
    lines
        .iter()
        .map(|l| match l.quantity {
            1 => l.service.spec.name(language).to_owned(),
            n => format!("{n} × {}", l.service.spec.name(language)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Stored errands by id as the errands offered at `location`; one no longer offered there
/// is an internal error, as the catalogue keeps what was booked.
pub(crate) fn lines_at(
    conn: &mut DbConnection,
    location: &Location,
    lines: Vec<VisitLine<ServiceId>>,
) -> AppResult<Vec<VisitLine<Service>>> {
    let offered = organisations::services_at(conn, location.id)?;
    lines
        .into_iter()
        .map(|line| {
            let service = offered
                .iter()
                .find(|s| s.id == line.service)
                .cloned()
                .ok_or_else(|| {
                    AppError::Internal(format!("errand {} is no longer offered", line.service))
                })?;
            Ok(VisitLine {
                service,
                quantity: line.quantity,
            })
        })
        .collect()
}

/// The names of needs as a citizen reads them, the interpreter's language beside its need:
/// `Tolk (arabisk), Trinfri skranke`.
pub fn need_names(needs: &[Need], offered: &[NeedSpec], language: Language) -> String {
    needs
        .iter()
        .map(|need| {
            let name = offered
                .iter()
                .find(|n| n.kind == need.kind)
                .map_or_else(|| need.kind.to_string(), |n| n.name(language).to_owned());
            match &need.detail {
                Some(detail) => format!("{name} ({detail})"),
                None => name,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The needs a citizen may state at `location`: the organisation's, less those asking for
/// something no desk here has.
pub fn offered_needs(conn: &mut DbConnection, location: &Location) -> AppResult<Vec<NeedSpec>> {
    let desks = organisations::desk_layout(conn, location.id)?;
    Ok(needs::offered(conn, location.organisation_id)?
        .into_iter()
        .filter(|need| match need.kind.desk_feature() {
            Some(feature) => desks
                .iter()
                .any(|d| !d.out_of_order && d.features.contains(&feature)),
            None => true,
        })
        .collect())
}

/// Which details a check of the needs asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Details {
    /// A booking: the interpreter's language must be given.
    Required,
    /// The free times, which depend on the kinds alone.
    Ignored,
}

/// Checks a visit against what `location` offers, reporting every problem at once: an errand
/// not offered here, one asked twice or more often than a visit may hold, a need not offered.
pub fn resolve(
    conn: &mut DbConnection,
    location: &Location,
    asked: &VisitAsked,
    details: Details,
) -> AppResult<Visit> {
    let offered = organisations::services_at(conn, location.id)?;
    if !asked.listed {
        // The one-errand form refuses as it always has.
        if let Some(errand) = asked.errands.first() {
            if !offered
                .iter()
                .any(|s| s.spec.slug.as_str() == errand.service)
            {
                return Err(not_offered("service", &errand.service, location));
            }
        }
    }
    let mut errors = Vec::new();
    if asked.errands.is_empty() {
        errors.push(FieldError::new("services", "choose at least one errand"));
    }
    let mut lines = Vec::new();
    for (i, errand) in asked.errands.iter().enumerate() {
        match offered
            .iter()
            .find(|s| s.spec.slug.as_str() == errand.service)
        {
            Some(service) => lines.push(VisitLine {
                service: service.clone(),
                quantity: errand.quantity,
            }),
            None => errors.push(FieldError::new(
                asked.field(i, "service"),
                format!("'{}' is not offered at {}", errand.service, location.name),
            )),
        }
    }
    if errors.is_empty() {
        let slugs: Vec<VisitLine<String>> = asked
            .errands
            .iter()
            .map(|e| VisitLine {
                service: e.service.clone(),
                quantity: e.quantity,
            })
            .collect();
        let max_of = |slug: &String| {
            lines
                .iter()
                .find(|l| l.service.spec.slug.as_str() == slug)
                .map_or(1, |l| l.service.spec.max_per_visit)
        };
        if let Err(refusal) = check_lines(&slugs, max_of, MAX_ERRANDS_PER_VISIT) {
            errors.push(refusal_field(asked, &refusal));
        }
    }
    let offered_needs = offered_needs(conn, location)?;
    let parsed = match details {
        Details::Required => {
            let raw: Vec<(String, Option<String>)> = asked
                .needs
                .iter()
                .map(|n| (n.kind.clone(), n.detail.clone()))
                .collect();
            parse_needs(&raw, &offered_needs)
        }
        Details::Ignored => {
            let kinds: Vec<String> = asked.needs.iter().map(|n| n.kind.clone()).collect();
            parse_need_kinds(&kinds, &offered_needs)
        }
    };
    let needs = parsed.unwrap_or_else(|problems| {
        errors.extend(problems);
        Vec::new()
    });
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    Ok(Visit {
        extra_minutes: extra_minutes(&needs, &offered_needs),
        lines,
        needs,
    })
}

/// The refusal of an errand not offered at the location, as citizens have always read it.
pub(crate) fn not_offered(field: &str, slug: &str, location: &Location) -> AppError {
    AppError::invalid_field(
        field,
        format!("'{slug}' is not offered at {}", location.name),
    )
    .saying(Said::key("refusal.not_offered"))
}

fn refusal_field(asked: &VisitAsked, refusal: &VisitRefusal<String>) -> FieldError {
    let position = |slug: &String, last: bool| {
        let mut at = asked
            .errands
            .iter()
            .enumerate()
            .filter(|(_, e)| &e.service == slug)
            .map(|(i, _)| i);
        if last { at.next_back() } else { at.next() }.unwrap_or(0)
    };
    let field = match refusal {
        VisitRefusal::NoErrand | VisitRefusal::TooManyErrands { .. } => "services".to_owned(),
        VisitRefusal::NoneOf(slug) | VisitRefusal::TooManyOf { service: slug, .. } => {
            asked.field(position(slug, false), "quantity")
        }
        VisitRefusal::Repeated(slug) => asked.field(position(slug, true), "service"),
    };
    FieldError::new(field, refusal.to_string())
}

/// The desks of a location as a visit's capacity sees them: those in order, with the
/// errands they serve by id.
pub(crate) fn desk_offers(desks: &[Desk], services: &[Service]) -> Vec<DeskOffer<ServiceId>> {
    desks
        .iter()
        .filter(|d| !d.out_of_order)
        .map(|d| DeskOffer {
            kind: d.kind,
            services: services
                .iter()
                .filter(|s| d.services.contains(&s.spec.slug))
                .map(|s| s.id)
                .collect(),
            features: d.features.clone(),
        })
        .collect()
}

/// The visit of an appointment as it was booked, to be booked again at another time.
pub(crate) fn of_booking(
    conn: &mut DbConnection,
    record: &AppointmentRecord,
    location: &Location,
) -> AppResult<Visit> {
    let lines = appointments::errands_of(conn, record)?;
    let needs = needs::stated(conn, record.id)?;
    Visit::stored(conn, location, lines, needs)
}
