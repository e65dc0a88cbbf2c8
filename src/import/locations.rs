//! The checks of `[[locations]]`: what each offers, its service hours, desks and queues.

use std::collections::{BTreeSet, HashMap};

use toml::Spanned;

use super::capacity::capacity_rules;
use super::checker::{Checker, FileNames};
use super::hours::{closures, covers, describe_day, opening_hours, weekly_hours};
use super::raw;
use super::site::Site;
use crate::domain::hours::{WeeklyHours, WEEKDAY_KEYS};
use crate::domain::organisation::{
    DeskKind, DeskSpec, LocationSpec, ServiceHoursSpec, ServiceSpec,
};
use crate::domain::queue_alert::{AlertSettings, AFTER_MINUTES_RANGE, SURGE_PERCENT_RANGE};
use crate::domain::timezone::parse_zone;
use crate::domain::visit::DeskFeature;

pub(super) fn locations(
    cx: &mut Checker,
    raws: &[Spanned<raw::Location>],
    names: &FileNames,
    services: &[ServiceSpec],
) -> Vec<LocationSpec> {
    let by_slug: HashMap<&str, &ServiceSpec> =
        services.iter().map(|s| (s.slug.as_str(), s)).collect();
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.get_ref();
        let at = format!("locations[{i}]");
        cx.unique(
            &mut seen,
            raw.slug.get_ref(),
            raw.slug.span(),
            &format!("{at}.slug"),
            "location slug",
        );
        out.extend(location(cx, at, raw, names, &by_slug));
    }
    out
}

fn location(
    cx: &mut Checker,
    at: String,
    raw: &raw::Location,
    names: &FileNames,
    services: &HashMap<&str, &ServiceSpec>,
) -> Option<LocationSpec> {
    let field = |key: &str| format!("{at}.{key}");
    let slug = cx.slug(&raw.slug, &field("slug"));
    let name = cx.text(&raw.name, &field("name"));
    let address = cx.text(&raw.address, &field("address"));
    let contact = match &raw.contact {
        Some(raw) => Some(cx.text(raw, &field("contact"))),
        None => Some(None),
    };
    let timezone = cx.ok(
        raw.timezone.span(),
        &field("timezone"),
        parse_zone(raw.timezone.get_ref()),
    );
    let offered = cx.required_references(&raw.services, &field("services"), &names.services);
    let opening_hours = opening_hours(cx, &raw.opening_hours, &field("opening_hours"));
    let closures = closures(cx, &raw.closures, &field("closures"));
    let alerts = alert_settings(cx, raw, &field);
    let mut site = Site {
        slug: raw.slug.get_ref().clone(),
        offered: offered.iter().map(|s| s.as_str().to_owned()).collect(),
        opening: opening_hours.clone(),
        service_hours: HashMap::new(),
        desks: Vec::new(),
        desks_complete: true,
        at,
    };
    let service_hours = all_service_hours(cx, &raw.service_hours, &mut site, names);
    site.desks = desks(cx, &raw.desks, &mut site, names);
    let capacity = capacity_rules(cx, &raw.capacity, &site, names, services);
    check_queue_prefixes(cx, &raw.services, &site, services);
    check_queues_have_desks(cx, &raw.services, &site, services);
    Some(LocationSpec {
        slug: slug?,
        name: name?,
        address: address?,
        contact: contact?,
        timezone: timezone?,
        opening_hours: opening_hours?,
        closures,
        services: offered,
        service_hours,
        desks: site.desks,
        capacity,
        alerts: alerts?,
    })
}

/// The location's own alert settings; left out, the server's hold.
fn alert_settings(
    cx: &mut Checker,
    raw: &raw::Location,
    field: &dyn Fn(&str) -> String,
) -> Option<AlertSettings> {
    let mut optional = |value: Option<&Spanned<u32>>, range, unit: &str, key: &str| match value {
        None => Some(None),
        Some(v) => cx.number(Some(v), 0, range, unit, &field(key)).map(Some),
    };
    let after_minutes = optional(
        raw.alert_after_minutes.as_ref(),
        AFTER_MINUTES_RANGE,
        "minutes",
        "alert_after_minutes",
    );
    let surge_percent = optional(
        raw.surge_alert_percent.as_ref(),
        SURGE_PERCENT_RANGE,
        "per cent",
        "surge_alert_percent",
    );
    Some(AlertSettings {
        after_minutes: after_minutes?,
        surge_percent: surge_percent?,
    })
}

fn all_service_hours(
    cx: &mut Checker,
    raws: &[Spanned<raw::ServiceHours>],
    site: &mut Site,
    names: &FileNames,
) -> Vec<ServiceHoursSpec> {
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.get_ref();
        let at = site.field(&format!("service_hours[{i}]"));
        let service_field = format!("{at}.service");
        cx.unique(
            &mut seen,
            raw.service.get_ref(),
            raw.service.span(),
            &service_field,
            "service hours for",
        );
        let service = site.offered(cx, &raw.service, &service_field, names);
        let hours_field = format!("{at}.hours");
        let hours = weekly_hours(cx, &raw.hours, &hours_field);
        if let (Some(service), Some(hours)) = (service, hours) {
            check_within_opening(cx, &raw.hours, &hours_field, &hours, site);
            site.service_hours
                .insert(service.as_str().to_owned(), hours.clone());
            out.push(ServiceHoursSpec { service, hours });
        }
    }
    out
}

/// A unit's own hours are shorter hours inside the location's, never outside them.
fn check_within_opening(
    cx: &mut Checker,
    raw: &raw::Hours,
    field: &str,
    hours: &WeeklyHours,
    site: &Site,
) {
    let Some(opening) = &site.opening else {
        return;
    };
    for (day, range) in hours.iter() {
        if !covers(opening, day, range) {
            let key = WEEKDAY_KEYS[day.num_days_from_monday() as usize];
            let span = raw.get_ref().get(key).map_or(raw.span(), |r| r.span());
            cx.report(
                span,
                &format!("{field}.{key}"),
                format!(
                    "{range} on {key} is outside the opening hours of '{}' ({})",
                    site.slug,
                    describe_day(opening, day)
                ),
            );
        }
    }
}

fn desks(
    cx: &mut Checker,
    raws: &[Spanned<raw::Desk>],
    site: &mut Site,
    names: &FileNames,
) -> Vec<DeskSpec> {
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.get_ref();
        let at = site.field(&format!("desks[{i}]"));
        let name_field = format!("{at}.name");
        // Staff and call displays tell desks apart by name alone.
        cx.unique(
            &mut seen,
            raw.name.get_ref().trim(),
            raw.name.span(),
            &name_field,
            "desk name",
        );
        let name = cx.text(&raw.name, &name_field);
        let kind = cx.choice_or(raw.kind.as_ref(), DeskKind::Counter, &format!("{at}.kind"));
        let before = cx.problems.len();
        let services = site.offered_list(cx, &raw.services, &format!("{at}.services"), names);
        let features = desk_features(cx, raw.features.as_ref(), &format!("{at}.features"));
        match (name, kind, cx.problems.len() == before) {
            (Some(name), Some(kind), true) => out.push(DeskSpec {
                name,
                kind,
                services,
                out_of_order: raw.out_of_order,
                features,
            }),
            _ => site.desks_complete = false,
        }
    }
    out
}

/// What a desk has for citizens' needs, each named once; none when left out.
fn desk_features(cx: &mut Checker, raw: Option<&raw::List>, field: &str) -> BTreeSet<DeskFeature> {
    let mut out = BTreeSet::new();
    for (i, entry) in raw
        .map(|l| l.get_ref().as_slice())
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let at = format!("{field}[{i}]");
        if let Some(feature) = cx.choice::<DeskFeature>(entry, &at) {
            if !out.insert(feature) {
                cx.report(entry.span(), &at, format!("'{feature}' is listed twice"));
            }
        }
    }
    out
}

/// Ticket numbers restart per queue letter and day at a location: two errands offered at
/// the same location with the same letter would hand out the same number twice.
fn check_queue_prefixes(
    cx: &mut Checker,
    raw: &raw::List,
    site: &Site,
    services: &HashMap<&str, &ServiceSpec>,
) {
    let mut first_with: HashMap<char, &str> = HashMap::new();
    for (i, entry) in raw.get_ref().iter().enumerate() {
        let Some(service) = services.get(entry.get_ref().as_str()) else {
            continue;
        };
        if !site.offered.contains(service.slug.as_str()) {
            continue;
        }
        match first_with.get(&service.queue_prefix) {
            Some(other) if *other != service.slug.as_str() => cx.report(
                entry.span(),
                &site.field(&format!("services[{i}]")),
                format!(
                    "'{}' and '{other}' are both offered here with queue prefix '{}', so their \
                     ticket numbers would collide; give one of them another queue_prefix",
                    service.slug, service.queue_prefix
                ),
            ),
            Some(_) => {}
            None => {
                first_with.insert(service.queue_prefix, service.slug.as_str());
            }
        }
    }
}

/// An in-person queue that no desk serves would hand out tickets that are never called.
fn check_queues_have_desks(
    cx: &mut Checker,
    raw: &raw::List,
    site: &Site,
    services: &HashMap<&str, &ServiceSpec>,
) {
    if !site.desks_complete {
        return;
    }
    for (i, entry) in raw.get_ref().iter().enumerate() {
        let Some(service) = services.get(entry.get_ref().as_str()) else {
            continue;
        };
        let served = site
            .desks
            .iter()
            .any(|d| d.services.contains(&service.slug));
        if service.channel.served_at_desk() && !served {
            cx.report(
                entry.span(),
                &site.field(&format!("services[{i}]")),
                format!(
                    "'{}' is offered in person at '{}', but no desk there serves it, so its \
                     tickets could never be called; add it to a desk's services",
                    service.slug, site.slug
                ),
            );
        }
    }
}
