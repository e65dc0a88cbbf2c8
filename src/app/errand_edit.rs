//! Errands changed from the administration: texts, times, booking rules, queue letter,
//! department and the locations that offer them. A change is checked as the organisation
//! file would be by an import, made only over the version read, and recorded in the audit
//! log with the errand's lines before and after.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::app::audit::{self, Change};
use crate::app::staff_accounts;
use crate::domain::errand_draft::{self, ErrandDraft};
use crate::domain::organisation::{OrganisationSpec, ServiceSpec, StaffUser};
use crate::domain::revision::Revision;
use crate::domain::roster::PlanningSpec;
use crate::domain::{FieldError, Slug};
use crate::error::{AppError, AppResult};
use crate::export::{errand_file, organisation_file};
use crate::import::{parse_organisation_and_planning, ImportProblem};
use crate::store::errands::{self, Offer};
use crate::store::staff_accounts::Saved;
use crate::store::{self, location_details, organisations, DbConnection};

/// An errand as the administration shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrandRecord {
    pub spec: ServiceSpec,
    /// The slugs of the locations that offer it.
    pub offered_at: Vec<Slug>,
    pub revision: Revision,
}

/// What the errand's form chooses from.
#[derive(Debug, Clone, PartialEq)]
pub struct Choices {
    /// `(slug, name)` of each department and location, in the file's order.
    pub departments: Vec<(String, String)>,
    pub locations: Vec<(String, String)>,
}

fn organisation(
    conn: &mut DbConnection,
    admin: &StaffUser,
) -> AppResult<(OrganisationSpec, PlanningSpec)> {
    let org = location_details::organisation_slug(conn, admin.organisation_id)?;
    store::export::load(conn, &org)?
        .ok_or_else(|| AppError::not_found(format!("there is no organisation '{org}'")))
}

fn offered_at(organisation: &OrganisationSpec, errand: &Slug) -> Vec<Slug> {
    organisation
        .locations
        .iter()
        .filter(|l| l.services.contains(errand))
        .map(|l| l.slug.clone())
        .collect()
}

fn position(organisation: &OrganisationSpec, slug: &str) -> AppResult<usize> {
    organisation
        .services
        .iter()
        .position(|s| s.slug.as_str() == slug)
        .ok_or_else(|| AppError::not_found(format!("there is no errand '{slug}'")))
}

/// The organisation's errands, in the file's order.
pub fn list(conn: &mut DbConnection, admin: &StaffUser) -> AppResult<Vec<ServiceSpec>> {
    Ok(organisation(conn, admin)?.0.services)
}

/// One errand with what its form chooses from.
pub fn read(
    conn: &mut DbConnection,
    admin: &StaffUser,
    slug: &str,
) -> AppResult<(ErrandRecord, Choices)> {
    let (organisation, _) = organisation(conn, admin)?;
    let spec = organisation.services[position(&organisation, slug)?].clone();
    let (_, revision) = errands::revision(conn, admin.organisation_id, slug)?
        .ok_or_else(|| AppError::not_found(format!("there is no errand '{slug}'")))?;
    let choices = Choices {
        departments: (organisation.departments.iter())
            .map(|d| (d.slug.to_string(), d.name.clone()))
            .collect(),
        locations: (organisation.locations.iter())
            .map(|l| (l.slug.to_string(), l.name.clone()))
            .collect(),
    };
    let record = ErrandRecord {
        offered_at: offered_at(&organisation, &spec.slug),
        spec,
        revision,
    };
    Ok((record, choices))
}

/// Saves the errand read at version `read`; 409 naming who saved it since, 422 naming each
/// field the organisation file's check refuses. Returns the new version.
pub fn save(
    conn: &mut DbConnection,
    admin: &StaffUser,
    slug: &str,
    draft: &ErrandDraft,
    read: i32,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    store::write(conn, |conn| {
        let org = admin.organisation_id;
        let (id, revision) = errands::revision(conn, org, slug)?
            .ok_or_else(|| AppError::not_found(format!("there is no errand '{slug}'")))?;
        staff_accounts::fresh(conn, org, read, &revision)?;
        let (mut organisation, planning) = organisation(conn, admin)?;
        let at = position(&organisation, slug)?;
        let was = organisation.services[at].clone();
        let was_offered = offered_at(&organisation, &was.slug);
        let known: Vec<Slug> = (organisation.locations.iter())
            .map(|l| l.slug.clone())
            .collect();
        let (errand, offer) =
            errand_draft::applied(&was, draft, &known).map_err(AppError::invalid_fields)?;
        let already = problems(&organisation, &planning);
        organisation.services[at] = errand.clone();
        let mut changed = Vec::new();
        for location in &mut organisation.locations {
            let wanted = offer.contains(&location.slug);
            if wanted != location.services.contains(&errand.slug) {
                if wanted {
                    location.services.push(errand.slug.clone());
                } else {
                    location.services.retain(|s| *s != errand.slug);
                }
                changed.push(location.slug.clone());
            }
        }
        refused(&already, problems(&organisation, &planning), at)?;
        let mut offers = Vec::new();
        for location in organisation
            .locations
            .iter()
            .filter(|l| changed.contains(&l.slug))
        {
            let stored = organisations::find_location(conn, location.slug.as_str())?
                .ok_or_else(|| AppError::not_found("the location is gone"))?;
            offers.push((stored.id, location.services.clone()));
        }
        let offers: Vec<Offer> = (offers.iter())
            .map(|(location, offered)| Offer {
                location: *location,
                offered,
            })
            .collect();
        let by = Saved {
            by: &admin.display_name,
            at: now,
        };
        if !errands::save(conn, org, id, read, &errand, &offers, by)? {
            let (_, current) = errands::revision(conn, org, slug)?
                .ok_or_else(|| AppError::not_found(format!("there is no errand '{slug}'")))?;
            staff_accounts::fresh(conn, org, read, &current)?;
            return Err(AppError::conflict("the errand changed meanwhile; reload"));
        }
        let before = errand_file(&was, &was_offered);
        let after = errand_file(&errand, &offered_at(&organisation, &errand.slug));
        let change = Change {
            action: "service.update",
            subject: slug,
            before: &before,
            after: &after,
            detail: None,
        };
        audit::record_file_change(conn, admin, &change, now)?;
        Ok(read + 1)
    })
}

/// What the organisation file's check says of the organisation.
fn problems(organisation: &OrganisationSpec, planning: &PlanningSpec) -> Vec<ImportProblem> {
    let file = organisation_file(organisation, planning);
    parse_organisation_and_planning("organisation.toml", &file)
        .err()
        .map(|errors| errors.problems)
        .unwrap_or_default()
}

/// The problems the change brings: those of the errand, each on its field, and those of a
/// location it is offered at or taken from (a queue letter another errand there has, no
/// desk to serve it, a desk or capacity rule there still naming it) on `locations`.
/// Problems the organisation had before are not this change's to answer for.
fn refused(already: &[ImportProblem], now: Vec<ImportProblem>, at: usize) -> AppResult<()> {
    let old: HashSet<(&str, &str)> = (already.iter())
        .map(|p| (p.field.as_str(), p.message.as_str()))
        .collect();
    let prefix = format!("services[{at}].");
    let fields: Vec<FieldError> = now
        .iter()
        .filter(|p| !old.contains(&(p.field.as_str(), p.message.as_str())))
        .map(|p| match p.field.strip_prefix(&prefix) {
            Some(field) => FieldError::new(field, p.message.clone()),
            None => FieldError::new("locations", p.message.clone()),
        })
        .collect();
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid_fields(fields))
    }
}
