//! Rosters as planners keep them: plan one and store it, read it, publish it as the
//! bookable capacity.
//!
//! A roster's whole life (the request it is planned from, storing, reading, the preview of
//! publishing, publishing and withdrawing) is one concept over one stored shape, and the
//! API and the planner page both go through it; that is why the file is longer than most.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use serde_json::Value;

use crate::app::message_queue::{self, WebhookNews};
use crate::app::plan::{self, PlanRequest, TargetSpec};
use crate::domain::organisation::Location;
use crate::domain::roster::iso_week;
use crate::domain::roster::publish::{
    booked_desks, preview, Published, PublishedCapacity, DEFAULT_BOOKED_SHARE,
};
use crate::domain::webhook::WebhookEvent;
use crate::domain::Slug;
use crate::error::{AppError, AppResult};
use crate::store::rosters::{IntervalRecord, RosterRecord, ShiftRecord, StoredRoster};
use crate::store::{self, organisations, rosters, DbConnection};

/// A roster request as the API receives it; [`RosterBody::into_request`] checks its values.
/// A body of the wrong shape is refused when it is read (400); a value out of range, a
/// target half given or a date that is not one names its field (422).
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"locations": ["raadhuset"], "period": {"from": "2027-03-30", "to": "2027-03-30"},
    "target": {"average_wait_minutes": 4}}))]
pub struct RosterBody {
    /// Location slugs; all when empty.
    #[serde(default)]
    pub locations: Vec<String>,
    /// `{"from": "2027-04-05", "to": "2027-04-11"}` or an ISO week `"2027-W14"`.
    #[schema(schema_with = period_schema)]
    pub period: PeriodBody,
    /// `{"service_level": 0.8, "within_minutes": 10}` or `{"average_wait_minutes": 4}`.
    #[schema(value_type = TargetSpec)]
    pub target: TargetBody,
    /// Only these staff (usernames).
    pub staff: Option<Vec<String>>,
}

/// The period of a roster request: an ISO week, or its first and last local dates.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum PeriodBody {
    Week(String),
    Dates { from: String, to: String },
}

/// The target of a roster request, each part as given; which parts go together is checked
/// by [`TargetBody::to_spec`], so that a part missing or too many is named.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetBody {
    pub service_level: Option<f64>,
    pub within_minutes: Option<f64>,
    pub average_wait_minutes: Option<f64>,
}

/// The two forms of [`PeriodBody`], with the dates' format.
fn period_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    let date = || {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
    };
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .property("from", date().examples(["2027-04-05"]))
                .required("from")
                .property("to", date().examples(["2027-04-06"]))
                .required("to"),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(r"^\d{4}-W\d{2}$"))
                .description(Some("an ISO week")),
        )
        .into()
}

impl TargetBody {
    /// The target, naming the field that is wrong.
    pub fn to_spec(self) -> AppResult<TargetSpec> {
        let spec = match (
            self.service_level,
            self.within_minutes,
            self.average_wait_minutes,
        ) {
            (Some(service_level), Some(within_minutes), None) => TargetSpec::ServiceLevel {
                service_level,
                within_minutes,
            },
            (None, None, Some(average_wait_minutes)) => TargetSpec::AverageWait {
                average_wait_minutes,
            },
            (Some(_), None, _) => {
                return Err(AppError::invalid_field(
                    "target.within_minutes",
                    "is needed with service_level",
                ))
            }
            (None, Some(_), _) => {
                return Err(AppError::invalid_field(
                    "target.service_level",
                    "is needed with within_minutes",
                ))
            }
            (Some(_), Some(_), Some(_)) => {
                return Err(AppError::invalid_field(
                    "target.average_wait_minutes",
                    "give either a service level or an average wait, not both",
                ))
            }
            (None, None, None) => {
                return Err(AppError::invalid_field(
                    "target",
                    "give service_level with within_minutes, or average_wait_minutes",
                ))
            }
        };
        spec.to_target()
            .map_err(|(field, message)| plan::target_error(field, message, "target."))?;
        Ok(spec)
    }
}

impl PeriodBody {
    /// The first and last dates, naming the field that is wrong.
    pub fn dates(&self) -> AppResult<(NaiveDate, NaiveDate)> {
        let (from, to) = match self {
            Self::Week(week) => {
                return iso_week(week).map_err(|m| AppError::invalid_field("period", m))
            }
            Self::Dates { from, to } => (date(from, "period.from")?, date(to, "period.to")?),
        };
        if to < from {
            return Err(AppError::invalid_field(
                "period.to",
                "must not be before from",
            ));
        }
        Ok((from, to))
    }
}

fn date(raw: &str, field: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| AppError::invalid_field(field, format!("'{raw}' is not a date YYYY-MM-DD")))
}

impl RosterBody {
    /// The plan request the body asks for, once each value is checked.
    pub fn into_request(self) -> AppResult<PlanRequest> {
        let locations = self
            .locations
            .iter()
            .enumerate()
            .map(|(i, l)| {
                Slug::parse(l).map_err(|m| AppError::invalid_field(&format!("locations[{i}]"), m))
            })
            .collect::<AppResult<Vec<_>>>()?;
        let target = self.target.to_spec()?;
        let (from, to) = self.period.dates()?;
        Ok(PlanRequest {
            locations,
            from,
            to,
            target,
            staff: self.staff,
        })
    }
}

/// A stored roster as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RosterView {
    pub id: i64,
    /// `draft` or `published`.
    pub status: &'static str,
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[schema(value_type = Vec<String>)]
    pub locations: Vec<Slug>,
    #[schema(value_type = TargetSpec)]
    pub target: Value,
    pub booked_share: Option<f64>,
    pub lower_bound: f64,
    pub lp_relaxation: f64,
    pub objective: f64,
    pub gap: f64,
    pub intervals: Vec<RosterInterval>,
    pub shifts: Vec<RosterShift>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RosterInterval {
    #[schema(value_type = String)]
    pub location: Slug,
    #[schema(value_type = String, format = DateTime)]
    pub start: DateTime<FixedOffset>,
    pub forecast: f64,
    pub required: u32,
    pub planned: u32,
    pub simulated_wait_minutes: f64,
    pub met: bool,
    /// Once published: desks that take appointments; the rest serve walk-ins.
    pub booked_desks: Option<u32>,
    pub walk_in_desks: Option<u32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RosterShift {
    pub staff: String,
    #[schema(value_type = String)]
    pub location: Slug,
    pub template: String,
    #[schema(value_type = String, format = DateTime)]
    pub start: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime)]
    pub end: DateTime<FixedOffset>,
}

fn zones(conn: &mut DbConnection) -> AppResult<Vec<Location>> {
    Ok(organisations::list_locations(conn)?)
}

fn view(roster: StoredRoster, locations: &[Location]) -> RosterView {
    let zone = |slug: &Slug| -> Tz {
        locations
            .iter()
            .find(|l| &l.slug == slug)
            .map_or(chrono_tz::UTC, |l| l.timezone)
    };
    let local =
        |slug: &Slug, t: NaiveDateTime| t.and_utc().with_timezone(&zone(slug)).fixed_offset();
    let r = roster.record;
    RosterView {
        id: r.id,
        status: if r.published { "published" } else { "draft" },
        from: r.first_day,
        to: r.last_day,
        locations: roster.locations,
        target: serde_json::from_str(&r.target).unwrap_or(Value::Null),
        booked_share: r.booked_share,
        lower_bound: r.lower_bound,
        lp_relaxation: r.lp_relaxation,
        objective: r.objective,
        gap: r.gap,
        intervals: roster
            .intervals
            .into_iter()
            .map(|i| RosterInterval {
                start: local(&i.location, i.start),
                walk_in_desks: i.booked_desks.map(|b| i.planned.saturating_sub(b)),
                location: i.location,
                forecast: i.forecast,
                required: i.required,
                planned: i.planned,
                simulated_wait_minutes: i.simulated_wait_minutes,
                met: i.met,
                booked_desks: i.booked_desks,
            })
            .collect(),
        shifts: roster
            .shifts
            .into_iter()
            .map(|s| RosterShift {
                start: local(&s.location, s.start),
                end: local(&s.location, s.end),
                staff: s.staff,
                location: s.location,
                template: s.template,
            })
            .collect(),
    }
}

/// Plans and stores a draft roster.
pub fn create(
    conn: &mut DbConnection,
    request: &PlanRequest,
    now: DateTime<Utc>,
) -> AppResult<RosterView> {
    let planned = plan::plan(conn, request, now)?;
    let locations = plan::chosen_locations(conn, &request.locations)?;
    let organisation_id = locations
        .first()
        .map(|l| l.organisation_id)
        .ok_or_else(|| AppError::invalid_field("locations", "there are no locations to plan"))?;
    let stored = StoredRoster {
        record: RosterRecord {
            id: 0,
            organisation_id,
            first_day: request.from,
            last_day: request.to,
            target: serde_json::to_string(&request.target)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            interval_minutes: crate::domain::demand::INTERVAL_MINUTES,
            lower_bound: planned.lower_bound,
            lp_relaxation: planned.lp_relaxation,
            objective: planned.objective,
            gap: planned.gap,
            published: false,
            booked_share: None,
            created_at: now.naive_utc(),
            published_at: None,
        },
        locations: locations.iter().map(|l| l.slug.clone()).collect(),
        intervals: planned
            .intervals
            .iter()
            .map(|i| IntervalRecord {
                location: i.location.clone(),
                start: i.start.naive_utc(),
                forecast: i.forecast,
                required: i.required,
                planned: i.planned,
                simulated_wait_minutes: i.simulated_wait_minutes,
                met: i.met,
                booked_desks: None,
            })
            .collect(),
        shifts: planned
            .shifts
            .iter()
            .map(|s| ShiftRecord {
                staff: s.staff.clone(),
                location: s.location.clone(),
                template: s.template.as_str().to_owned(),
                date: s.start.date_naive(),
                start: s.start.naive_utc(),
                end: s.end.naive_utc(),
            })
            .collect(),
    };
    let id = store::write(conn, |conn| {
        Ok::<_, AppError>(rosters::insert(conn, &stored)?)
    })?;
    get(conn, id)
}

/// The roster with this id.
pub fn get(conn: &mut DbConnection, id: i64) -> AppResult<RosterView> {
    let roster = rosters::find(conn, id)?
        .ok_or_else(|| AppError::not_found(format!("there is no roster {id}")))?;
    let locations = zones(conn)?;
    Ok(view(roster, &locations))
}

/// Publishes the roster: a share `booked_share` of each interval's planned desks takes
/// appointments from now on, replacing the weekly capacity rules on its days.
pub fn publish(
    conn: &mut DbConnection,
    id: i64,
    booked_share: Option<f64>,
    now: DateTime<Utc>,
) -> AppResult<RosterView> {
    let share = share_of(booked_share)?;
    store::write(conn, |conn| {
        let roster = rosters::find(conn, id)?
            .ok_or_else(|| AppError::not_found(format!("there is no roster {id}")))?;
        let booked: Vec<(Slug, NaiveDateTime, u32)> = roster
            .intervals
            .iter()
            .map(|i| (i.location.clone(), i.start, booked_desks(i.planned, share)))
            .collect();
        rosters::publish(conn, id, share, &booked, now.naive_utc())?;
        let news = WebhookNews {
            event: WebhookEvent::RosterPublished,
            organisation: roster.record.organisation_id,
            sequence: None,
        };
        let data = serde_json::json!({
            "roster": id,
            "first_day": roster.record.first_day,
            "last_day": roster.record.last_day,
            "locations": roster.locations.iter().map(Slug::as_str).collect::<Vec<_>>(),
            "booked_share": share,
        });
        message_queue::webhook_event(conn, &news, data, now)?;
        Ok::<_, AppError>(())
    })?;
    get(conn, id)
}

/// The share publishing would use: `booked_share`, or the default; between 0 and 1.
fn share_of(booked_share: Option<f64>) -> AppResult<f64> {
    let share = booked_share.unwrap_or(DEFAULT_BOOKED_SHARE);
    if (0.0..=1.0).contains(&share) {
        Ok(share)
    } else {
        Err(AppError::invalid_field(
            "booked_share",
            format!("must be between 0 and 1, not {share}"),
        ))
    }
}

/// One location's day in a publication's preview.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PreviewLine {
    #[schema(value_type = String)]
    pub location: Slug,
    pub location_name: String,
    pub date: NaiveDate,
    /// Desk-hours that would take appointments.
    pub bookable_hours: f64,
    /// Live bookings that day.
    pub bookings: u32,
    /// The starts (local time) of the bookings no reserved desk would be left for.
    #[schema(value_type = Vec<String>)]
    pub outside: Vec<DateTime<FixedOffset>>,
}

/// What publishing roster `id` at `booked_share` would create — the bookable desk-hours
/// per location and day — and which of today's bookings would fall outside it. Nothing
/// is changed.
pub fn publish_preview(
    conn: &mut DbConnection,
    id: i64,
    booked_share: Option<f64>,
) -> AppResult<Vec<PreviewLine>> {
    let share = share_of(booked_share)?;
    let roster = rosters::find(conn, id)?
        .ok_or_else(|| AppError::not_found(format!("there is no roster {id}")))?;
    let minutes = roster.record.interval_minutes;
    let mut lines = Vec::new();
    for location in zones(conn)?
        .into_iter()
        .filter(|l| roster.locations.contains(&l.slug))
    {
        let booked: Vec<(DateTime<Utc>, u32)> = roster
            .intervals
            .iter()
            .filter(|i| i.location == location.slug)
            .map(|i| (i.start.and_utc(), booked_desks(i.planned, share)))
            .collect();
        let (Some(first), Some(last)) = (booked.first(), booked.last()) else {
            continue;
        };
        let services: Vec<_> = organisations::services_at(conn, location.id)?
            .iter()
            .map(|s| s.id)
            .collect();
        let until = last.0 + chrono::Duration::minutes(i64::from(minutes));
        let taken: Vec<(DateTime<Utc>, DateTime<Utc>)> =
            store::appointments::occupied(conn, location.id, &services, first.0, until, None)?
                .into_iter()
                .map(|o| (o.start, o.end))
                .collect();
        for day in preview(location.timezone, minutes, &booked, &taken) {
            lines.push(PreviewLine {
                location: location.slug.clone(),
                location_name: location.name.clone(),
                date: day.date,
                bookable_hours: f64::from(day.bookable_minutes) / 60.0,
                bookings: day.bookings,
                outside: day
                    .outside
                    .iter()
                    .map(|t| t.with_timezone(&location.timezone).fixed_offset())
                    .collect(),
            });
        }
    }
    Ok(lines)
}

/// Withdraws a published roster: it is a draft again, and the location's weekly capacity
/// rules hold on its days once more. Bookings already made stay.
pub fn withdraw(conn: &mut DbConnection, id: i64) -> AppResult<RosterView> {
    store::write(conn, |conn| {
        let roster = rosters::find(conn, id)?
            .ok_or_else(|| AppError::not_found(format!("there is no roster {id}")))?;
        if !roster.record.published {
            return Err(AppError::conflict(format!(
                "roster {id} is not published; only a published roster can be withdrawn"
            )));
        }
        rosters::withdraw(conn, id)?;
        Ok::<_, AppError>(())
    })?;
    get(conn, id)
}

/// The capacity that published rosters set at `location` from local date `from` on.
pub fn published_capacity(
    conn: &mut DbConnection,
    location: &Location,
    from: NaiveDate,
) -> AppResult<PublishedCapacity> {
    let published: Vec<Published> = rosters::published_at(conn, location.id, from)?
        .into_iter()
        .map(|p| Published {
            first_day: p.first_day,
            last_day: p.last_day,
            interval_minutes: p.interval_minutes,
            intervals: p
                .intervals
                .into_iter()
                .map(|(t, d)| (t.and_utc(), d))
                .collect(),
        })
        .collect();
    Ok(PublishedCapacity::new(location.timezone, &published))
}

/// What the planner's page shows: every location, the roster asked for, and each
/// person's name and contract.
pub struct PlannerData {
    pub locations: Vec<Location>,
    pub roster: Option<RosterView>,
    /// Username, name and contracted minutes per week.
    pub people: Vec<(String, String, u32)>,
}

pub fn planner_data(conn: &mut DbConnection, id: Option<i64>) -> AppResult<PlannerData> {
    Ok(PlannerData {
        locations: zones(conn)?,
        roster: id.map(|id| get(conn, id)).transpose()?,
        people: crate::store::planning::contracts(conn)?,
    })
}
