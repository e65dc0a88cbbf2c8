//! A location's own details and weekly opening hours as an administrator writes them in the
//! browser, checked by the rules of a location in the organisation file: a name and an
//! address, and hours that open on at least one weekday without overlapping.

use std::collections::{BTreeMap, BTreeSet};

use super::hours::{parse_week, TimeRange, WeeklyHours, NEVER_OPEN};
use super::organisation::{CapacityRuleSpec, LocationSpec, ServiceHoursSpec, WeekdayKey};
use super::staff_account::{non_empty, note};
use super::{FieldError, Slug};

/// The details and hours as the form or the API sent them, before any check.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, utoipa::ToSchema)]
pub struct LocationDraft {
    #[schema(example = "Rådhuset")]
    pub name: String,
    #[schema(example = "Torvet 1, 9999 Demoby")]
    pub address: String,
    /// How citizens reach the location (a phone number, an address for mail); may be empty.
    #[serde(default)]
    #[schema(example = "Telefon 99 99 99 99")]
    pub contact: String,
    /// Each weekday's ranges, `{"mon": ["10:00-12:00", "13:00-17:00"]}`; days left out are
    /// closed.
    #[serde(default)]
    pub opening_hours: BTreeMap<String, Vec<String>>,
    /// The errands' own hours, when they change: every errand that keeps shorter hours
    /// here, each weekday's ranges within the opening hours; errands left out keep the
    /// location's. Left out, they stay as they are, cut to the opening hours.
    #[serde(default)]
    pub service_hours: Option<Vec<ServiceHoursDraft>>,
}

/// An errand's own hours as sent.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, utoipa::ToSchema)]
pub struct ServiceHoursDraft {
    #[schema(example = "byggesag")]
    pub service: String,
    /// Each weekday's ranges, `{"mon": ["10:00-12:00"]}`; days left out closed to it.
    pub hours: BTreeMap<String, Vec<String>>,
}

/// Details and hours that keep every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedLocation {
    pub name: String,
    pub address: String,
    /// `None` when left empty.
    pub contact: Option<String>,
    pub opening_hours: WeeklyHours,
    /// The errands' own hours when they change, checked as weekly hours; whether each
    /// errand is offered and its hours lie within the opening hours is the organisation
    /// file's check.
    pub service_hours: Option<Vec<ServiceHoursSpec>>,
}

/// The checked details, or every problem, each on its field (`opening_hours.mon[1]` as the
/// organisation file's check names it below the location).
pub fn check(draft: &LocationDraft) -> Result<CheckedLocation, Vec<FieldError>> {
    let mut problems = Vec::new();
    let name = non_empty(&draft.name);
    note(&mut problems, "name", &name);
    let address = non_empty(&draft.address);
    note(&mut problems, "address", &address);
    let days = draft
        .opening_hours
        .iter()
        .map(|(day, ranges)| (day.as_str(), ranges.as_slice()));
    let hours = match parse_week(days) {
        Ok(hours) if hours.is_empty() => {
            problems.push(FieldError::new("opening_hours", NEVER_OPEN));
            None
        }
        Ok(hours) => Some(hours),
        Err(week) => {
            problems.extend(
                week.into_iter()
                    .map(|p| FieldError::new(p.field("opening_hours"), p.error.to_string())),
            );
            None
        }
    };
    let service_hours = draft.service_hours.as_ref().map(|list| {
        list.iter()
            .enumerate()
            .filter_map(|(i, sh)| service_hours(&mut problems, i, sh))
            .collect()
    });
    match (name, address, hours) {
        (Ok(name), Ok(address), Some(opening_hours)) if problems.is_empty() => {
            Ok(CheckedLocation {
                name,
                address,
                contact: non_empty(&draft.contact).ok(),
                opening_hours,
                service_hours,
            })
        }
        _ => Err(problems),
    }
}

/// The `i`th errand's own hours, or `None` after noting each problem on its field
/// (`service_hours[0].hours.tue[1]`, as the organisation file's check names it).
fn service_hours(
    problems: &mut Vec<FieldError>,
    i: usize,
    draft: &ServiceHoursDraft,
) -> Option<ServiceHoursSpec> {
    let at = format!("service_hours[{i}]");
    let service = Slug::parse(draft.service.trim())
        .map_err(|e| problems.push(FieldError::new(format!("{at}.service"), e)))
        .ok();
    let days = draft.hours.iter().map(|(d, r)| (d.as_str(), r.as_slice()));
    let hours = parse_week(days)
        .map_err(|week| {
            let field = format!("{at}.hours");
            problems.extend(
                week.into_iter()
                    .map(|p| FieldError::new(p.field(&field), p.error.to_string())),
            );
        })
        .ok();
    Some(ServiceHoursSpec {
        service: service?,
        hours: hours?,
    })
}

/// The location with these details and hours. Its errands' own hours, unless given, are
/// cut to the new opening hours, and its capacity rules to the hours of their errands, as they must lie within them: what lay outside
/// is no longer offered. A rule whose days are cut differently is split into one a day.
pub fn applied(spec: &LocationSpec, details: &CheckedLocation) -> LocationSpec {
    let open = &details.opening_hours;
    let service_hours = match &details.service_hours {
        Some(given) => given.clone(),
        None => spec
            .service_hours
            .iter()
            .map(|sh| ServiceHoursSpec {
                service: sh.service.clone(),
                hours: sh.hours.within(open),
            })
            .collect(),
    };
    let own = |service: &Slug| {
        let own = service_hours
            .iter()
            .find(|sh: &&ServiceHoursSpec| sh.service == *service);
        own.map_or(open, |sh| &sh.hours)
    };
    let capacity = spec
        .capacity
        .iter()
        .flat_map(|rule| {
            // A rule takes appointments only while every errand it names is served.
            let served = rule
                .services
                .iter()
                .fold(open.clone(), |hours, service| hours.common(own(service)));
            let cut: Vec<(WeekdayKey, Vec<TimeRange>)> = rule
                .weekdays
                .iter()
                .map(|d| (*d, rule.range.cut_to(served.day(d.weekday()))))
                .collect();
            if cut.iter().all(|(_, pieces)| pieces == &[rule.range]) {
                return vec![rule.clone()];
            }
            cut.into_iter()
                .flat_map(|(day, pieces)| {
                    pieces.into_iter().map(move |range| CapacityRuleSpec {
                        weekdays: BTreeSet::from([day]),
                        range,
                        ..rule.clone()
                    })
                })
                .collect()
        })
        .collect();
    LocationSpec {
        name: details.name.clone(),
        address: details.address.clone(),
        contact: details.contact.clone(),
        opening_hours: open.clone(),
        service_hours,
        capacity,
        ..spec.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(hours: &[(&str, &[&str])]) -> LocationDraft {
        LocationDraft {
            name: "Rådhuset".into(),
            address: "Torvet 1".into(),
            contact: " ".into(),
            opening_hours: hours
                .iter()
                .map(|(d, r)| (d.to_string(), r.iter().map(|r| r.to_string()).collect()))
                .collect(),
            service_hours: None,
        }
    }

    #[test]
    fn several_ranges_a_day_are_kept_and_an_empty_contact_is_none() {
        let checked = check(&draft(&[("tue", &["13:00-17:00", "10:00-12:00"])])).unwrap();
        assert_eq!(checked.contact, None);
        assert_eq!(
            checked.opening_hours.to_map()["tue"],
            ["10:00-12:00", "13:00-17:00"]
        );
    }

    #[test]
    fn each_wrong_range_is_named_as_the_organisation_file_names_it() {
        let problems = check(&draft(&[
            ("mon", &["10:00-09:00", "11:00-12:00"]),
            ("tue", &["10:00-12:00", "11:00-13:00"]),
            ("fun", &["10:00-12:00"]),
        ]))
        .unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "opening_hours.fun",
                "opening_hours.mon[0]",
                "opening_hours.tue"
            ]
        );
        let mut never = draft(&[]);
        never.name = String::new();
        let problems = check(&never).unwrap_err();
        assert_eq!(problems[0].field, "name");
        assert_eq!(problems[1].message, NEVER_OPEN);
    }
}
