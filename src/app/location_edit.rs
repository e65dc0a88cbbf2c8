//! A location's own details and weekly opening hours changed from the administration,
//! checked as the organisation file would be by an import. Its errands' own hours and its
//! capacity rules are cut to shorter hours. Shorter hours first show the confirmed bookings they would leave outside; the
//! administrator keeps them or cancels them with one apology each, in the same transaction
//! as the change, as a closure does. A form read at an older version is refused.

use chrono::{DateTime, Duration, Utc};

use crate::app::audit::{self, Change};
use crate::app::closures::{self, Closed, Settled};
use crate::domain::closing::{outside_hours, BookingsDecision};
use crate::domain::hours::WeeklyHours;
use crate::domain::location_draft::{applied, CheckedLocation};
use crate::domain::organisation::{
    Location, LocationSpec, OrganisationSpec, Service, ServiceHoursSpec, StaffUser,
};
use crate::domain::roster::PlanningSpec;
use crate::domain::FieldError;
use crate::domain::Slug;
use crate::error::{AppError, AppResult};
use crate::export::{location_file, organisation_file};
use crate::import::parse_organisation_and_planning;
use crate::import::services::MAX_BOOK_AHEAD_DAYS;
use crate::store::appointments::{self, AppointmentRecord};
use crate::store::location_versions::Version;
use crate::store::{self, location_details, organisations, DbConnection};

/// What the administrator asks for.
#[derive(Debug, Clone)]
pub struct EditRequest {
    pub details: CheckedLocation,
    /// The location's version read, and the choice for the bookings the new hours leave out.
    pub decision: BookingsDecision,
}

/// The location, its contact and its version, for the form that edits them.
pub fn read(conn: &mut DbConnection, slug: &str) -> AppResult<(Location, String, Version)> {
    let (location, version, _) = closures::read(conn, slug)?;
    let contact = location_details::contact(conn, location.id)?;
    Ok((location, contact, version))
}

/// An errand offered at a location, with the hours it keeps there of its own, if any.
#[derive(Debug, Clone)]
pub struct ErrandHours {
    pub errand: Service,
    /// `None`: it follows the location's hours.
    pub own: Option<WeeklyHours>,
}

/// Every errand offered at `location` (by its Danish name) with its own hours there.
pub fn errand_hours(conn: &mut DbConnection, location: &Location) -> AppResult<Vec<ErrandHours>> {
    let errands = organisations::services_at(conn, location.id)?;
    errands
        .into_iter()
        .map(|errand| {
            let own = organisations::service_hours(conn, location.id, errand.id)?;
            Ok(ErrandHours { errand, own })
        })
        .collect()
}

/// One errand's own hours at a location to save: `None` to have it follow the location's.
#[derive(Debug, Clone)]
pub struct ErrandHoursRequest {
    pub errand: Slug,
    pub hours: Option<WeeklyHours>,
    /// The location's version read, and the choice for the errand's bookings left outside.
    pub decision: BookingsDecision,
}

/// Saves the details and hours, or says which bookings stand in the way.
pub fn save(
    conn: &mut DbConnection,
    by: &StaffUser,
    slug: &str,
    request: &EditRequest,
    now: DateTime<Utc>,
) -> AppResult<Closed> {
    changed(conn, by, slug, &request.decision, now, |spec| {
        Ok(applied(spec, &request.details))
    })
}

/// Saves one errand's own hours, the other errands' and the location's as they are, or
/// says which of its bookings stand in the way: a change of the location's like any other,
/// checked, audited and refused when stale as [`save`] is.
pub fn save_errand_hours(
    conn: &mut DbConnection,
    by: &StaffUser,
    slug: &str,
    request: &ErrandHoursRequest,
    now: DateTime<Utc>,
) -> AppResult<Closed> {
    changed(conn, by, slug, &request.decision, now, |spec| {
        if !spec.services.contains(&request.errand) {
            let errand = &request.errand;
            let place = &spec.slug;
            return Err(AppError::not_found(format!(
                "the errand '{errand}' is not offered at '{place}'"
            )));
        }
        let mut service_hours = spec.service_hours.clone();
        let at = service_hours
            .iter()
            .position(|sh| sh.service == request.errand);
        match (at, &request.hours) {
            (Some(at), Some(hours)) => service_hours[at].hours = hours.clone(),
            (Some(at), None) => {
                service_hours.remove(at);
            }
            (None, Some(hours)) => service_hours.push(ServiceHoursSpec {
                service: request.errand.clone(),
                hours: hours.clone(),
            }),
            (None, None) => {}
        }
        let details = CheckedLocation {
            name: spec.name.clone(),
            address: spec.address.clone(),
            contact: spec.contact.clone(),
            opening_hours: spec.opening_hours.clone(),
            service_hours: Some(service_hours),
        };
        Ok(applied(spec, &details))
    })
}

/// The location changed as `change` makes it from its file's entry, checked as the file,
/// with the bookings it leaves outside its hours decided as `decision` says, saved and
/// audited as `location.update` in one transaction.
fn changed(
    conn: &mut DbConnection,
    by: &StaffUser,
    slug: &str,
    decision: &BookingsDecision,
    now: DateTime<Utc>,
    change: impl Fn(&LocationSpec) -> AppResult<LocationSpec>,
) -> AppResult<Closed> {
    store::write(conn, |conn| {
        let location = closures::locked_at(conn, slug, decision.version)?;
        let InFile {
            mut organisation,
            planning,
            at,
        } = in_file(conn, &location)?;
        let before = location_file(&organisation.locations[at]);
        organisation.locations[at] = change(&organisation.locations[at])?;
        checked_as_file(&organisation, &planning, at)?;
        let spec = &organisation.locations[at];
        let edit = Edit {
            action: "location.update",
            before,
            affected: left_out(conn, &location, spec, now)?,
            spec,
        };
        save_decided(conn, by, &location, decision, edit, now)
    })
}

/// A change of a location's entry in the organisation file, from the entry `before` to
/// `spec`, audited as `action`, and the confirmed bookings it leaves out.
pub(crate) struct Edit<'a> {
    pub action: &'static str,
    pub before: String,
    pub spec: &'a LocationSpec,
    pub affected: Vec<AppointmentRecord>,
}

/// Saves the location as `edit` makes it once the bookings it leaves out are decided as
/// `decision` says, read at its version, by `by`: the location's new version, the bookings
/// kept or cancelled with their apology, and the change in the audit, in the transaction
/// the caller holds with the location locked.
pub(crate) fn save_decided(
    conn: &mut DbConnection,
    by: &StaffUser,
    location: &Location,
    decision: &BookingsDecision,
    edit: Edit,
    now: DateTime<Utc>,
) -> AppResult<Closed> {
    let decided = match closures::chosen(conn, location, edit.affected, decision)? {
        Ok(decided) => decided,
        Err(ask) => return Ok(Closed::Choose(ask)),
    };
    let reason = closures::reason_for(&decided, decision)?;
    location_details::save(conn, location.organisation_id, location.id, edit.spec)?;
    closures::advance(conn, location, decision.version, by, now)?;
    let Settled {
        cancelled,
        kept,
        detail,
    } = closures::settle(conn, &decided, reason, now)?;
    let after = location_file(edit.spec);
    let change = Change {
        action: edit.action,
        subject: location.slug.as_str(),
        before: &edit.before,
        after: &after,
        detail: detail.as_deref(),
    };
    audit::record_file_change(conn, by, &change, now)?;
    Ok(Closed::Done {
        cancelled,
        kept,
        version: decision.version + 1,
    })
}

/// The organisation as its file holds it, and where the location is in it.
pub(crate) struct InFile {
    pub organisation: OrganisationSpec,
    pub planning: PlanningSpec,
    /// The location's place in `organisation.locations`.
    pub at: usize,
}

/// The organisation of `location` as its file holds it.
pub(crate) fn in_file(conn: &mut DbConnection, location: &Location) -> AppResult<InFile> {
    let org = location_details::organisation_slug(conn, location.organisation_id)?;
    let (organisation, planning) = store::export::load(conn, &org)?
        .ok_or_else(|| AppError::not_found(format!("there is no organisation '{org}'")))?;
    let at = organisation
        .locations
        .iter()
        .position(|l| l.slug == location.slug)
        .ok_or_else(|| AppError::not_found(format!("there is no location '{}'", location.slug)))?;
    Ok(InFile {
        organisation,
        planning,
        at,
    })
}

/// The organisation as it would be, checked as its file would be by an import: the
/// problems of the changed location (its capacity or errands' hours that no longer fit,
/// say) refuse the change, each on its field below the location. Problems elsewhere are
/// not this change's to answer for.
fn checked_as_file(
    organisation: &OrganisationSpec,
    planning: &PlanningSpec,
    at: usize,
) -> AppResult<()> {
    checked_file(&organisation_file(organisation, planning), at, |_| false).map(|_| ())
}

/// The organisation file `text` as an import reads it (`None` when it fails only on what
/// is not this change's), or the problems of the location at `at`, each on its field below
/// the location, with those elsewhere that `also` names.
pub(crate) fn checked_file(
    text: &str,
    at: usize,
    also: impl Fn(&str) -> bool,
) -> AppResult<Option<(OrganisationSpec, PlanningSpec)>> {
    let errors = match parse_organisation_and_planning("organisation.toml", text) {
        Ok(parsed) => return Ok(Some(parsed)),
        Err(errors) => errors,
    };
    let prefix = format!("locations[{at}].");
    let problems: Vec<FieldError> = errors
        .problems
        .into_iter()
        .filter_map(|p| match p.field.strip_prefix(&prefix) {
            Some(field) => Some(FieldError::new(field, p.message)),
            None => also(&p.field).then(|| FieldError::new(p.field, p.message)),
        })
        .collect();
    if problems.is_empty() {
        Ok(None)
    } else {
        Err(AppError::invalid_fields(problems))
    }
}

/// The confirmed bookings from now on that the new hours no longer hold: the errand's own
/// hours where it keeps any, the location's otherwise. Nothing can be booked further ahead
/// than the organisation file lets an errand be booked.
fn left_out(
    conn: &mut DbConnection,
    location: &Location,
    spec: &LocationSpec,
    now: DateTime<Utc>,
) -> AppResult<Vec<AppointmentRecord>> {
    let until = now + Duration::days(i64::from(MAX_BOOK_AHEAD_DAYS) + 1);
    let booked = appointments::booked_overlapping(conn, location.id, now, until)?;
    let errands = organisations::services_at(conn, location.id)?;
    let hours_of = |b: &AppointmentRecord| {
        let slug = errands
            .iter()
            .find(|e| e.id == b.service)
            .map(|e| &e.spec.slug);
        spec.service_hours
            .iter()
            .find(|sh| Some(&sh.service) == slug)
            .map_or(&spec.opening_hours, |sh| &sh.hours)
    };
    Ok(booked
        .iter()
        .filter(|b| {
            let span = |b: &AppointmentRecord| (b.starts_at, b.ends_at);
            !outside_hours(
                hours_of(b),
                location.timezone,
                std::slice::from_ref(*b),
                span,
            )
            .is_empty()
        })
        .cloned()
        .collect())
}
