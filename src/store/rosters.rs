//! Rosters: their shifts, required and planned desks per interval, and what publishing
//! reserved for appointments.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    locations, roster_intervals, roster_locations, roster_shifts, rosters, staff_users,
};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::ids::{LocationId, OrganisationId};
use crate::domain::Slug;

/// A roster's headline figures, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterRecord {
    pub id: i64,
    pub organisation_id: OrganisationId,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// JSON.
    pub target: String,
    pub interval_minutes: u32,
    pub lower_bound: f64,
    pub lp_relaxation: f64,
    pub objective: f64,
    pub gap: f64,
    pub published: bool,
    pub booked_share: Option<f64>,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
}

/// One interval at one location.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRecord {
    pub location: Slug,
    pub start: NaiveDateTime,
    pub forecast: f64,
    pub required: u32,
    pub planned: u32,
    pub simulated_wait_minutes: f64,
    pub met: bool,
    pub booked_desks: Option<u32>,
}

/// One shift, by username.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftRecord {
    pub staff: String,
    pub location: Slug,
    pub template: String,
    pub date: NaiveDate,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

/// A whole stored roster.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRoster {
    pub record: RosterRecord,
    pub locations: Vec<Slug>,
    pub intervals: Vec<IntervalRecord>,
    pub shifts: Vec<ShiftRecord>,
}

fn count(n: i32) -> StoreResult<u32> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("{n} desks")))
}

fn slug(raw: &str) -> StoreResult<Slug> {
    Slug::parse(raw).map_err(StoreError::Corrupt)
}

/// Stores a new draft roster; call inside [`super::write`].
pub fn insert(conn: &mut DbConnection, roster: &StoredRoster) -> StoreResult<i64> {
    let r = &roster.record;
    let id: i64 = diesel::insert_into(rosters::table)
        .values((
            rosters::organisation_id.eq(r.organisation_id.0),
            rosters::first_day.eq(r.first_day),
            rosters::last_day.eq(r.last_day),
            rosters::target.eq(&r.target),
            rosters::interval_minutes.eq(r.interval_minutes as i32),
            rosters::lower_bound.eq(r.lower_bound),
            rosters::lp_relaxation.eq(r.lp_relaxation),
            rosters::objective.eq(r.objective),
            rosters::gap.eq(r.gap),
            rosters::status.eq("draft"),
            rosters::created_at.eq(r.created_at),
        ))
        .returning(rosters::id)
        .get_result(conn)?;
    let location_ids: HashMap<String, i64> = locations::table
        .select((locations::slug, locations::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let location = |s: &Slug| {
        location_ids
            .get(s.as_str())
            .copied()
            .ok_or_else(|| StoreError::Conflict(format!("there is no location '{s}'")))
    };
    let places = roster
        .locations
        .iter()
        .map(|l| {
            Ok((
                roster_locations::roster_id.eq(id),
                roster_locations::location_id.eq(location(l)?),
            ))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    super::insert_all(conn, roster_locations::table, places)?;
    let staff_ids: HashMap<String, i64> = staff_users::table
        .select((staff_users::username, staff_users::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let shifts = roster
        .shifts
        .iter()
        .map(|s| {
            let staff = staff_ids.get(&s.staff).copied().ok_or_else(|| {
                StoreError::Conflict(format!("there is no staff user '{}'", s.staff))
            })?;
            Ok((
                roster_shifts::roster_id.eq(id),
                roster_shifts::staff_id.eq(staff),
                roster_shifts::location_id.eq(location(&s.location)?),
                roster_shifts::template_slug.eq(s.template.clone()),
                roster_shifts::local_date.eq(s.date),
                roster_shifts::starts_at.eq(s.start),
                roster_shifts::ends_at.eq(s.end),
            ))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    for chunk in shifts.chunks(500) {
        super::insert_all(conn, roster_shifts::table, chunk.to_vec())?;
    }
    let intervals = roster
        .intervals
        .iter()
        .map(|i| {
            Ok((
                roster_intervals::roster_id.eq(id),
                roster_intervals::location_id.eq(location(&i.location)?),
                roster_intervals::starts_at.eq(i.start),
                roster_intervals::forecast.eq(i.forecast),
                roster_intervals::required.eq(i.required as i32),
                roster_intervals::planned.eq(i.planned as i32),
                roster_intervals::simulated_wait_minutes.eq(i.simulated_wait_minutes),
                roster_intervals::met.eq(i.met),
            ))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    for chunk in intervals.chunks(500) {
        super::insert_all(conn, roster_intervals::table, chunk.to_vec())?;
    }
    Ok(id)
}

type RosterRow = (
    i64,
    i64,
    NaiveDate,
    NaiveDate,
    String,
    i32,
    f64,
    f64,
    f64,
    f64,
    String,
    Option<f64>,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

fn record(row: RosterRow) -> StoreResult<RosterRecord> {
    let (
        id,
        org,
        first,
        last,
        target,
        minutes,
        lb,
        lp,
        obj,
        gap,
        status,
        share,
        created,
        published,
    ) = row;
    Ok(RosterRecord {
        id,
        organisation_id: OrganisationId(org),
        first_day: first,
        last_day: last,
        target,
        interval_minutes: count(minutes)?,
        lower_bound: lb,
        lp_relaxation: lp,
        objective: obj,
        gap,
        published: match status.as_str() {
            "draft" => false,
            "published" => true,
            other => return Err(StoreError::Corrupt(format!("roster status {other}"))),
        },
        booked_share: share,
        created_at: created,
        published_at: published,
    })
}

/// The roster with this id, whole.
pub fn find(conn: &mut DbConnection, id: i64) -> StoreResult<Option<StoredRoster>> {
    let Some(row) = rosters::table
        .find(id)
        .select((
            rosters::id,
            rosters::organisation_id,
            rosters::first_day,
            rosters::last_day,
            rosters::target,
            rosters::interval_minutes,
            rosters::lower_bound,
            rosters::lp_relaxation,
            rosters::objective,
            rosters::gap,
            rosters::status,
            rosters::booked_share,
            rosters::created_at,
            rosters::published_at,
        ))
        .first::<RosterRow>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let locations: Vec<String> = roster_locations::table
        .inner_join(locations::table)
        .filter(roster_locations::roster_id.eq(id))
        .select(locations::slug)
        .order(locations::slug)
        .load(conn)?;
    type IntervalRow = (String, NaiveDateTime, f64, i32, i32, f64, bool, Option<i32>);
    let intervals: Vec<IntervalRow> = roster_intervals::table
        .inner_join(locations::table)
        .filter(roster_intervals::roster_id.eq(id))
        .select((
            locations::slug,
            roster_intervals::starts_at,
            roster_intervals::forecast,
            roster_intervals::required,
            roster_intervals::planned,
            roster_intervals::simulated_wait_minutes,
            roster_intervals::met,
            roster_intervals::booked_desks,
        ))
        .order((locations::slug, roster_intervals::starts_at))
        .load(conn)?;
    type ShiftRow = (
        String,
        String,
        String,
        NaiveDate,
        NaiveDateTime,
        NaiveDateTime,
    );
    let shifts: Vec<ShiftRow> = roster_shifts::table
        .inner_join(staff_users::table)
        .inner_join(locations::table)
        .filter(roster_shifts::roster_id.eq(id))
        .select((
            staff_users::username,
            locations::slug,
            roster_shifts::template_slug,
            roster_shifts::local_date,
            roster_shifts::starts_at,
            roster_shifts::ends_at,
        ))
        .order((
            roster_shifts::starts_at,
            locations::slug,
            staff_users::username,
        ))
        .load(conn)?;
    Ok(Some(StoredRoster {
        record: record(row)?,
        locations: locations
            .iter()
            .map(|l| slug(l))
            .collect::<StoreResult<_>>()?,
        intervals: intervals
            .into_iter()
            .map(
                |(l, start, forecast, required, planned, wait, met, booked)| {
                    Ok(IntervalRecord {
                        location: slug(&l)?,
                        start,
                        forecast,
                        required: count(required)?,
                        planned: count(planned)?,
                        simulated_wait_minutes: wait,
                        met,
                        booked_desks: booked.map(count).transpose()?,
                    })
                },
            )
            .collect::<StoreResult<_>>()?,
        shifts: shifts
            .into_iter()
            .map(|(staff, l, template, date, start, end)| {
                Ok(ShiftRecord {
                    staff,
                    location: slug(&l)?,
                    template,
                    date,
                    start,
                    end,
                })
            })
            .collect::<StoreResult<_>>()?,
    }))
}

/// Marks the roster published with `booked` desks per (location, start); call inside
/// [`super::write`].
pub fn publish(
    conn: &mut DbConnection,
    id: i64,
    booked_share: f64,
    booked: &[(Slug, NaiveDateTime, u32)],
    now: NaiveDateTime,
) -> StoreResult<()> {
    diesel::update(rosters::table.find(id))
        .set((
            rosters::status.eq("published"),
            rosters::booked_share.eq(Some(booked_share)),
            rosters::published_at.eq(Some(now)),
        ))
        .execute(conn)?;
    let location_ids: HashMap<String, i64> = locations::table
        .select((locations::slug, locations::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    for (location, start, desks) in booked {
        let location = location_ids[location.as_str()];
        diesel::update(
            roster_intervals::table.filter(
                roster_intervals::roster_id
                    .eq(id)
                    .and(roster_intervals::location_id.eq(location))
                    .and(roster_intervals::starts_at.eq(*start)),
            ),
        )
        .set(roster_intervals::booked_desks.eq(Some(*desks as i32)))
        .execute(conn)?;
    }
    Ok(())
}

/// Makes a published roster a draft again: no booked share, no desks reserved for
/// appointments; call inside [`super::write`].
pub fn withdraw(conn: &mut DbConnection, id: i64) -> StoreResult<()> {
    diesel::update(rosters::table.find(id))
        .set((
            rosters::status.eq("draft"),
            rosters::booked_share.eq(None::<f64>),
            rosters::published_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    diesel::update(roster_intervals::table.filter(roster_intervals::roster_id.eq(id)))
        .set(roster_intervals::booked_desks.eq(None::<i32>))
        .execute(conn)?;
    Ok(())
}

/// A published roster as one location's capacity sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedAt {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub interval_minutes: u32,
    /// Interval starts (UTC) and the desks reserved for appointments.
    pub intervals: Vec<(NaiveDateTime, u32)>,
}

/// The published rosters that cover `location` on some day from `from` on, oldest
/// publication first (so that later ones override earlier ones).
pub fn published_at(
    conn: &mut DbConnection,
    location: LocationId,
    from: NaiveDate,
) -> StoreResult<Vec<PublishedAt>> {
    let rows: Vec<(i64, NaiveDate, NaiveDate, i32)> = rosters::table
        .inner_join(roster_locations::table)
        .filter(roster_locations::location_id.eq(location.0))
        .filter(rosters::status.eq("published"))
        .filter(rosters::last_day.ge(from))
        .select((
            rosters::id,
            rosters::first_day,
            rosters::last_day,
            rosters::interval_minutes,
        ))
        .order((rosters::published_at, rosters::id))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, first_day, last_day, minutes)| {
            let intervals: Vec<(NaiveDateTime, Option<i32>)> = roster_intervals::table
                .filter(roster_intervals::roster_id.eq(id))
                .filter(roster_intervals::location_id.eq(location.0))
                .select((roster_intervals::starts_at, roster_intervals::booked_desks))
                .order(roster_intervals::starts_at)
                .load(conn)?;
            Ok(PublishedAt {
                first_day,
                last_day,
                interval_minutes: count(minutes)?,
                intervals: intervals
                    .into_iter()
                    .map(|(start, desks)| Ok((start, count(desks.unwrap_or(0))?)))
                    .collect::<StoreResult<_>>()?,
            })
        })
        .collect()
}
