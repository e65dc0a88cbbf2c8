//! A location's weekly booking capacity rules changed from the administration, checked by
//! the organisation file's own check: the rules as sent take the place of the location's in
//! its file, which an import then reads. Fewer desks first show the confirmed bookings that
//! no longer have one; the administrator keeps them or cancels them with one apology each,
//! in the same transaction as the change, as a closure does. A form read at an older
//! version is refused. Days a published roster governs are the roster's, not the rules'.

use chrono::{DateTime, Duration, Utc};

use crate::app::closures::{self, Closed};
use crate::app::location_edit::{checked_file, in_file, save_decided, Edit, InFile};
use crate::domain::capacity_cut::{beyond, CapacityRuleDraft, Held};
use crate::domain::closing::BookingsDecision;
use crate::domain::organisation::{CapacityRuleSpec, Location, Service, StaffUser};
use crate::error::{AppError, AppResult};
use crate::export::{location_file, organisation_file};
use crate::import::services::MAX_BOOK_AHEAD_DAYS;
use crate::store::appointments::{self, AppointmentRecord};
use crate::store::{self, organisations, DbConnection};

/// What the administrator asks for.
#[derive(Debug, Clone)]
pub struct CapacityRequest {
    /// Every rule of the location, as it is to be.
    pub rules: Vec<CapacityRuleDraft>,
    /// The location's version read, and the choice for the bookings left without a desk.
    pub decision: BookingsDecision,
}

/// The location's rules as the form shows them.
#[derive(Debug, Clone)]
pub struct CapacityView {
    pub location: Location,
    pub version: i32,
    pub rules: Vec<CapacityRuleSpec>,
    /// The errands offered there that take appointments, which a rule may name.
    pub bookable: Vec<Service>,
    /// Whether a published roster governs some day from today on, whose desks then give
    /// the capacity instead of these rules.
    pub roster: bool,
}

/// The location's rules, its version and what the form offers.
pub fn read(conn: &mut DbConnection, slug: &str, now: DateTime<Utc>) -> AppResult<CapacityView> {
    let (location, version, _) = closures::read(conn, slug)?;
    let InFile {
        mut organisation,
        at,
        ..
    } = in_file(conn, &location)?;
    let rules = std::mem::take(&mut organisation.locations[at].capacity);
    let bookable = organisations::services_at(conn, location.id)?
        .into_iter()
        .filter(|s| s.spec.booking.takes_bookings())
        .collect();
    let today = now.with_timezone(&location.timezone).date_naive();
    let roster = !crate::app::rosters::published_capacity(conn, &location, today)?.is_empty();
    Ok(CapacityView {
        location,
        version: version.number,
        rules,
        bookable,
        roster,
    })
}

/// Saves the rules, or says which bookings stand in the way.
pub fn save(
    conn: &mut DbConnection,
    by: &StaffUser,
    slug: &str,
    request: &CapacityRequest,
    now: DateTime<Utc>,
) -> AppResult<Closed> {
    store::write(conn, |conn| {
        let location = closures::locked_at(conn, slug, request.decision.version)?;
        let InFile {
            organisation,
            planning,
            at,
        } = in_file(conn, &location)?;
        let old = &organisation.locations[at];
        let before = location_file(old);
        let spec = checked(
            &organisation_file(&organisation, &planning),
            at,
            &request.rules,
        )?;
        let edit = Edit {
            action: "location.capacity",
            before,
            affected: left_without_desk(conn, &location, &old.capacity, &spec.capacity, now)?,
            spec: &spec,
        };
        save_decided(conn, by, &location, &request.decision, edit, now)
    })
}

/// The location as the organisation file `text` would hold it with `rules` for its
/// capacity, read by the import's own check: each problem is refused on its field below the
/// location (`capacity[1].from`), and so is an errand that must be booked and that no rule
/// of the organisation names any more.
fn checked(
    text: &str,
    at: usize,
    rules: &[CapacityRuleDraft],
) -> AppResult<crate::domain::organisation::LocationSpec> {
    let mut file: toml::Table = text
        .parse()
        .map_err(|e| AppError::Internal(format!("the exported file does not read back: {e}")))?;
    let location = file
        .get_mut("locations")
        .and_then(|l| l.as_array_mut())
        .and_then(|l| l.get_mut(at))
        .and_then(|l| l.as_table_mut())
        .ok_or_else(|| AppError::Internal("the exported file lost a location".into()))?;
    let written: Vec<toml::Value> = rules.iter().map(rule_in_file).collect();
    location.insert("capacity".into(), toml::Value::Array(written));
    let text = toml::to_string(&file)
        .map_err(|e| AppError::Internal(format!("the file does not write: {e}")))?;
    let (mut organisation, _) = checked_file(&text, at, |field| field.starts_with("services["))?
        .ok_or_else(|| {
            AppError::Internal("the organisation file fails its check elsewhere".into())
        })?;
    Ok(organisation.locations.swap_remove(at))
}

/// A rule as a `[[locations.capacity]]` table of the organisation file.
fn rule_in_file(rule: &CapacityRuleDraft) -> toml::Value {
    let texts = |list: &[String]| {
        toml::Value::Array(list.iter().cloned().map(toml::Value::String).collect())
    };
    let mut table = toml::Table::new();
    table.insert("days".into(), texts(&rule.days));
    table.insert("from".into(), toml::Value::String(rule.from.clone()));
    table.insert("to".into(), toml::Value::String(rule.to.clone()));
    table.insert("desks".into(), toml::Value::Integer(i64::from(rule.desks)));
    if let Some(kind) = rule.kind.as_ref().filter(|k| !k.trim().is_empty()) {
        table.insert("kind".into(), toml::Value::String(kind.clone()));
    }
    table.insert("services".into(), texts(&rule.services));
    toml::Value::Table(table)
}

/// The confirmed bookings from now on that have a desk under the old rules and none under
/// the new, on the days that the rules govern (not a published roster), each counted by all
/// the errands of its visit. Those made first keep their desks.
fn left_without_desk(
    conn: &mut DbConnection,
    location: &Location,
    old: &[CapacityRuleSpec],
    new: &[CapacityRuleSpec],
    now: DateTime<Utc>,
) -> AppResult<Vec<AppointmentRecord>> {
    let until = now + Duration::days(i64::from(MAX_BOOK_AHEAD_DAYS) + 1);
    let zone = location.timezone;
    let today = now.with_timezone(&zone).date_naive();
    let published = crate::app::rosters::published_capacity(conn, location, today)?;
    let errands = organisations::services_at(conn, location.id)?;
    let mut booked: Vec<AppointmentRecord> =
        appointments::booked_overlapping(conn, location.id, now, until)?
            .into_iter()
            .filter(|b| {
                let day = b.starts_at.with_timezone(&zone).date_naive();
                published.on(day).is_none()
            })
            .collect();
    booked.sort_by_key(|b| b.id);
    let slug = |id| {
        errands
            .iter()
            .find(|s| s.id == id)
            .map_or("", |s| s.spec.slug.as_str())
    };
    let visits: Vec<Vec<&str>> = booked
        .iter()
        .map(|b| {
            let lines = appointments::errands_of(conn, b)?;
            Ok(lines.iter().map(|l| slug(l.service)).collect())
        })
        .collect::<AppResult<_>>()?;
    let held: Vec<Held> = booked
        .iter()
        .zip(&visits)
        .map(|(b, errands)| Held {
            errands,
            start: b.starts_at,
            end: b.blocks_until,
        })
        .collect();
    let before = beyond(old, zone, &held);
    let after = beyond(new, zone, &held);
    let mut left: Vec<AppointmentRecord> = after
        .into_iter()
        .filter(|i| !before.contains(i))
        .map(|i| booked[i].clone())
        .collect();
    left.sort_by_key(|b| (b.starts_at, b.id));
    Ok(left)
}
