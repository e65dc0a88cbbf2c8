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

mod capacity;
mod checker;
mod hours;
mod locations;
mod raw;
mod services;
mod shifts;
mod site;
mod staff;
#[cfg(test)]
mod tests;
mod toml_error;

use std::fmt;

use crate::domain::organisation::OrganisationSpec;
use crate::domain::roster::PlanningSpec;

use checker::{Checker, FileNames};
use locations::locations;
use services::{check_required_bookings, departments, services};
use staff::staff;

/// Everything wrong with one organisation file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", one_per_line(.problems))]
pub struct ImportErrors {
    pub problems: Vec<ImportProblem>,
}

/// One thing wrong with one field, shown as `{file}:{line}: {field}: {message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub file: String,
    /// 1-based; `None` only when toml could not say where.
    pub line: Option<usize>,
    /// A dotted path with 0-based indexes, e.g. `locations[1].desks[0].services[2]`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}: {}", self.file, self.field, self.message),
            None => write!(f, "{}: {}: {}", self.file, self.field, self.message),
        }
    }
}

fn one_per_line(problems: &[ImportProblem]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

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
            let spec = organisation(&mut cx, &file);
            let planning = shifts::planning(&mut cx, &file, &FileNames::new(&file));
            cx.finish(spec.map(|spec| (spec, planning)))
        }
        Err(err) => {
            cx.toml_error(text, &err);
            cx.finish(None)
        }
    }
}

fn organisation(cx: &mut Checker, file: &raw::File) -> Option<OrganisationSpec> {
    let org = file.organisation.get_ref();
    let slug = cx.slug(&org.slug, "organisation.slug");
    let name = cx.text(&org.name, "organisation.name");
    let names = FileNames::new(file);
    let departments = departments(cx, &file.departments);
    let services = services(cx, &file.services, &names);
    let locations = locations(cx, &file.locations, &names, &services);
    let staff = staff(cx, &file.staff, &names);
    check_required_bookings(cx, file);
    Some(OrganisationSpec {
        slug: slug?,
        name: name?,
        departments,
        services,
        locations,
        staff,
    })
}
