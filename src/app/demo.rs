//! The demo municipality: the example organisation file, staff who can sign in, and a year
//! of past tickets, bookings and staff actions drawn from the synthetic demand model, which
//! the dashboard, the KPI report, the forecast and the planner all read.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

use crate::app::auth;
use crate::domain::demand::{past_days, DemandModel, PastDay};
use crate::domain::municipality::Logo;
use crate::domain::organisation::OrganisationSpec;
use crate::error::{AppError, AppResult};
use crate::store::{self, import, organisations, staff, DbConnection};

/// The demo organisation is the commented example of the import format.
pub const ORGANISATION_FILE: &str = include_str!("../../examples/organisation.toml");
/// The demo's logo (the file the organisation file names), compiled in with it.
pub const LOGO_SVG: &[u8] = include_bytes!("../../examples/logo.svg");
const HISTORY_SEED: u64 = 2026;
const HISTORY_DAYS: i64 = 365;

/// What `skranke demo` found or made.
#[derive(Debug)]
pub struct DemoReport {
    pub spec: OrganisationSpec,
    pub created: bool,
    /// What the year of history wrote.
    pub history: store::past_visits::Written,
    pub password: String,
    pub password_generated: bool,
}

/// The demo organisation, its logo served from the binary rather than from a path that
/// only exists when the server is started in the source tree.
pub fn organisation() -> AppResult<OrganisationSpec> {
    let mut spec =
        crate::import::parse_organisation("examples/organisation.toml", ORGANISATION_FILE)
            .map_err(|e| {
                AppError::Internal(format!("the demo organisation file is broken: {e}"))
            })?;
    spec.municipality.logo = Logo::Demo;
    Ok(spec)
}

/// The demo's shift templates, contracts and absences, from the same file.
pub fn planning() -> AppResult<crate::domain::roster::PlanningSpec> {
    crate::import::parse_organisation_and_planning("examples/organisation.toml", ORGANISATION_FILE)
        .map(|(_, planning)| planning)
        .map_err(|e| AppError::Internal(format!("the demo organisation file is broken: {e}")))
}

/// Creates the demo organisation with its history unless it is there already, and gives
/// every demo staff user `password` (a random one when none is given).
pub fn ensure(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    password: Option<&str>,
) -> AppResult<DemoReport> {
    let spec = organisation()?;
    let (password, password_generated) = match password {
        Some(p) => (p.to_owned(), false),
        None => (auth::random_token()[..16].to_owned(), true),
    };
    let fresh = !organisations::organisation_exists(conn, spec.slug.as_str())?;
    std::thread::scope(|scope| {
        // Hashing is slow by design and needs nothing of the history: it runs beside it.
        let hashing = scope.spawn(|| hashes(&spec, &password));
        let started = Instant::now();
        let days = if fresh {
            Some(past_year(&spec, now)?)
        } else {
            None
        };
        tracing::debug!(ms = started.elapsed().as_millis(), "demo: year simulated");
        store::bulk::write(conn, |conn| {
            let created = !organisations::organisation_exists(conn, spec.slug.as_str())?;
            let mut history = store::past_visits::Written::default();
            if created {
                let started = Instant::now();
                import::save(conn, &spec, now.naive_utc())?;
                store::planning::save(conn, spec.slug.as_str(), &planning()?)?;
                let days = match days {
                    Some(days) => days,
                    None => past_year(&spec, now)?,
                };
                history = store::past_visits::insert(conn, &spec, &days)?;
                tracing::debug!(ms = started.elapsed().as_millis(), "demo: year written");
            }
            let hashes = hashing
                .join()
                .map_err(|_| AppError::Internal("hashing the passwords failed".into()))??;
            for (username, hash) in &hashes {
                if let Some(user) = staff::find_by_username(conn, username)? {
                    staff::set_password_hash(conn, user.id, hash)?;
                }
            }
            Ok(DemoReport {
                spec: spec.clone(),
                created,
                history,
                password: password.clone(),
                password_generated,
            })
        })
    })
}

/// Moves the newly written year from SQLite's write-ahead log into the database file on a
/// thread of its own, so that the server answers meanwhile (see [`store::bulk::write`]).
pub fn settle_in_background(pool: store::Pool) {
    std::thread::spawn(move || {
        let settled = pool
            .get()
            .map_err(|e| e.to_string())
            .and_then(|mut conn| store::bulk::checkpoint(&mut conn).map_err(|e| e.to_string()));
        if let Err(error) = settled {
            tracing::warn!(%error, "the demo's year stays in the write-ahead log for now");
        }
    });
}

/// A hash (and so a salt) of its own for each user: one shared hash would show anyone who
/// reads the table that these users share a password, and one cracked, all are.
fn hashes(spec: &OrganisationSpec, password: &str) -> AppResult<Vec<(String, String)>> {
    spec.staff
        .iter()
        .map(|s| Ok((s.username.clone(), auth::hash_password(password)?)))
        .collect()
}

/// The year before `now` as tickets and bookings, each location drawn and simulated on a
/// thread of its own: every day draws from a seed of its own, so the year is the same as
/// drawn in one go. It lives as tickets and bookings only, as a real one would: the demand
/// table is for history from before the system, so writing the records there too would
/// count every past citizen twice in the forecast.
fn past_year(spec: &OrganisationSpec, now: DateTime<Utc>) -> AppResult<Vec<PastDay>> {
    let today = now.date_naive();
    let (first, last) = (
        today - Duration::days(HISTORY_DAYS),
        today - Duration::days(1),
    );
    let model = DemandModel::new(spec);
    std::thread::scope(|scope| {
        let places: Vec<_> = model
            .locations()
            .map(|slug| {
                let model = &model;
                scope.spawn(move || {
                    let records = model.location_history(slug, first, last, HISTORY_SEED);
                    past_days(spec, &records, HISTORY_SEED)
                })
            })
            .collect();
        let mut year = Vec::new();
        for place in places {
            year.extend(
                place
                    .join()
                    .map_err(|_| AppError::Internal("simulating the demo's year failed".into()))?,
            );
        }
        crate::domain::demand::past::make_references_unique(&mut year, HISTORY_SEED);
        Ok(year)
    })
}
