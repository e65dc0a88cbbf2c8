//! The checks of `[[locations.capacity]]`: when and at how many desks a service can be booked.

use std::collections::{BTreeSet, HashMap};

use toml::Spanned;

use super::checker::{Checker, FileNames};
use super::hours::{covers, describe_day};
use super::raw;
use super::site::Site;
use crate::domain::hours::{parse_clock, parse_weekday, TimeRange, WEEKDAY_KEYS};
use crate::domain::organisation::{CapacityRuleSpec, DeskKind, ServiceSpec, WeekdayKey};
use crate::domain::Slug;

pub(super) fn capacity_rules(
    cx: &mut Checker,
    raws: &[Spanned<raw::Capacity>],
    site: &Site,
    names: &FileNames,
    services: &HashMap<&str, &ServiceSpec>,
) -> Vec<CapacityRuleSpec> {
    raws.iter()
        .enumerate()
        .filter_map(|(i, raw)| {
            let at = site.field(&format!("capacity[{i}]"));
            let rule = capacity_rule(cx, raw.get_ref(), &at, site, names)?;
            check_capacity(cx, raw.get_ref(), &at, &rule, site, services);
            Some(rule)
        })
        .collect()
}

fn capacity_rule(
    cx: &mut Checker,
    raw: &raw::Capacity,
    at: &str,
    site: &Site,
    names: &FileNames,
) -> Option<CapacityRuleSpec> {
    let field = |key: &str| format!("{at}.{key}");
    let weekdays = weekdays(cx, &raw.days, &field("days"));
    let from = cx.ok(
        raw.from.span(),
        &field("from"),
        parse_clock(raw.from.get_ref()),
    );
    let to = cx.ok(raw.to.span(), &field("to"), parse_clock(raw.to.get_ref()));
    let range = match (from, to) {
        (Some(from), Some(to)) => cx.ok(raw.to.span(), &field("to"), TimeRange::new(from, to)),
        _ => None,
    };
    let desks = cx.ok(
        raw.desks.span(),
        &field("desks"),
        match *raw.desks.get_ref() {
            0 => Err("must be at least 1: a rule with no desks gives no times to book".to_owned()),
            n => Ok(n),
        },
    );
    let desk_kind = cx.choice_or(raw.kind.as_ref(), DeskKind::Counter, &field("kind"));
    let before = cx.problems.len();
    let services = site.offered_list(cx, &raw.services, &field("services"), names);
    (cx.problems.len() == before).then_some(())?;
    Some(CapacityRuleSpec {
        weekdays: weekdays?,
        range: range?,
        desks: desks?,
        desk_kind: desk_kind?,
        services,
    })
}

fn weekdays(cx: &mut Checker, raw: &raw::List, field: &str) -> Option<BTreeSet<WeekdayKey>> {
    if raw.get_ref().is_empty() {
        cx.report(
            raw.span(),
            field,
            "must name at least one weekday (mon … sun)",
        );
        return None;
    }
    let before = cx.problems.len();
    let days: BTreeSet<WeekdayKey> = raw
        .get_ref()
        .iter()
        .enumerate()
        .filter_map(|(i, day)| {
            cx.ok(
                day.span(),
                &format!("{field}[{i}]"),
                parse_weekday(day.get_ref()),
            )
        })
        .map(WeekdayKey::from)
        .collect();
    (cx.problems.len() == before).then_some(days)
}

/// What a well-formed rule must also agree with: the services' booking policy and hours,
/// and the desks that the location has.
fn check_capacity(
    cx: &mut Checker,
    raw: &raw::Capacity,
    at: &str,
    rule: &CapacityRuleSpec,
    site: &Site,
    services: &HashMap<&str, &ServiceSpec>,
) {
    for (i, slug) in rule.services.iter().enumerate() {
        let field = format!("{at}.services[{i}]");
        let walk_in = services
            .get(slug.as_str())
            .is_some_and(|s| !s.booking.takes_bookings());
        if walk_in {
            cx.report(
                raw.services.get_ref()[i].span(),
                &field,
                format!(
                    "'{slug}' is walk-in only, so it takes no appointments; remove it from \
                     this rule or change its booking"
                ),
            );
        }
        check_capacity_hours(cx, raw, at, rule, site, slug);
    }
    if site.desks_complete {
        check_capacity_desks(cx, raw, at, rule, site);
    }
}

/// Bookable times must fall when the service is open here.
fn check_capacity_hours(
    cx: &mut Checker,
    raw: &raw::Capacity,
    at: &str,
    rule: &CapacityRuleSpec,
    site: &Site,
    service: &Slug,
) {
    let Some(hours) = site.hours_of(service.as_str()) else {
        return;
    };
    let outside = rule
        .weekdays
        .iter()
        .map(|key| key.weekday())
        .find(|day| !covers(hours, *day, rule.range));
    if let Some(day) = outside {
        let key = WEEKDAY_KEYS[day.num_days_from_monday() as usize];
        cx.report(
            raw.from.span(),
            at,
            format!(
                "{} on {key} is outside the hours of '{service}' at '{}' ({})",
                rule.range,
                site.slug,
                describe_day(hours, day)
            ),
        );
    }
}

/// A rule cannot promise more desks of its kind than there are to serve its services.
fn check_capacity_desks(
    cx: &mut Checker,
    raw: &raw::Capacity,
    at: &str,
    rule: &CapacityRuleSpec,
    site: &Site,
) {
    let serving = site
        .desks
        .iter()
        .filter(|d| d.kind == rule.desk_kind)
        .filter(|d| d.services.iter().any(|s| rule.services.contains(s)))
        .count();
    if rule.desks as usize > serving {
        let services: Vec<&str> = rule.services.iter().map(Slug::as_str).collect();
        cx.report(
            raw.desks.span(),
            &format!("{at}.desks"),
            format!(
                "asks for {} {} desks, but '{}' has only {serving} {} desks that serve {}",
                rule.desks,
                rule.desk_kind,
                site.slug,
                rule.desk_kind,
                services.join(" or ")
            ),
        );
    }
}
