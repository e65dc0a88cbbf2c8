//! The organisation file: TOML in, a validated [`OrganisationSpec`] out.
//!
//! An administrator describes a whole municipality in one TOML file — departments, errands,
//! locations with their opening hours, closures, desks and booking capacity, and staff.
//! `examples/organisation.toml` is both the commented reference of the format and the demo.
//!
//! Reading happens in two passes:
//!
//! 1. `toml` and serde fill the raw structs in [`raw`], which keep every value's byte span.
//!    Syntax and type errors (unknown or missing fields, a number where a list belongs)
//!    stop here, as one problem with its line.
//! 2. Every value and every cross-reference is checked, and *all* problems are collected, so
//!    that one run shows everything there is to fix. Each problem names the file, the 1-based
//!    line and the field as a dotted path with 0-based indexes, as in
//!    `locations[1].desks[0].services[2]`.
//!
//! Format decisions:
//!
//! - Dates (closures) are TOML local dates, written without quotes: `from = 2026-12-24`.
//!   A quoted `"2026-12-24"` means the same, because people write it both ways; a date with a
//!   time or an offset is refused.
//! - Times of day are strings, `"10:00"`, and ranges are `"10:00-14:30"`: TOML has no range.
//! - Weekdays are `mon` … `sun`; a day left out of opening hours is closed.
//! - A relative logo path in `[municipality]` is taken from the file's own folder.

mod capacity;
mod checker;
mod hours;
mod locations;
mod municipality;
mod needs;
mod problem;
mod raw;
pub(crate) mod services;
mod shifts;
mod site;
mod staff;
#[cfg(test)]
mod tests;
mod toml_error;

use crate::domain::organisation::OrganisationSpec;
use crate::domain::roster::PlanningSpec;

use checker::{Checker, FileNames};
use locations::locations;
use services::{check_required_bookings, departments, services};
use staff::staff;

pub use problem::{ImportErrors, ImportProblem};

/// Parses and validates one organisation file. `file_name` is used in messages only.
pub fn parse_organisation(file_name: &str, text: &str) -> Result<OrganisationSpec, ImportErrors> {
    parse_organisation_and_planning(file_name, text).map(|(spec, _)| spec)
}

/// Like [`parse_organisation`], with the file's planning data (shift templates, contracts,
/// absences, preferences), all checked together.
pub fn parse_organisation_and_planning(
    file_name: &str,
    text: &str,
) -> Result<(OrganisationSpec, PlanningSpec), ImportErrors> {
    let mut cx = Checker::new(file_name, text);
    match toml::from_str::<raw::File>(text) {
        Ok(file) => {
            let spec = organisation(&mut cx, &file, file_name);
            let planning = shifts::planning(&mut cx, &file, &FileNames::new(&file));
            cx.finish(spec.map(|spec| (spec, planning)))
        }
        Err(err) => {
            cx.toml_error(text, &err);
            cx.finish(None)
        }
    }
}

fn organisation(cx: &mut Checker, file: &raw::File, file_name: &str) -> Option<OrganisationSpec> {
    let org = file.organisation.get_ref();
    let slug = cx.slug(&org.slug, "organisation.slug");
    let name = cx.text(&org.name, "organisation.name");
    let municipality = municipality::municipality(cx, &file.municipality, file_name);
    let names = FileNames::new(file);
    let departments = departments(cx, &file.departments);
    let services = services(cx, &file.services, &names);
    let locations = locations(cx, &file.locations, &names, &services);
    let staff = staff(cx, &file.staff, &names);
    let needs = needs::needs(cx, &file.needs);
    check_required_bookings(cx, file);
    Some(OrganisationSpec {
        slug: slug?,
        name: name?,
        municipality: municipality?,
        departments,
        services,
        locations,
        staff,
        needs,
    })
}
