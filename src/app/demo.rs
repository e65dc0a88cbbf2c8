//! The demo municipality: the example organisation file, staff who can sign in, and a year
//! of past tickets, bookings and staff actions drawn from the synthetic demand model, which
//! the dashboard, the KPI report, the forecast and the planner all read.

use chrono::{DateTime, Duration, Utc};

use crate::app::auth;
use crate::domain::demand::{past_days, synthetic_history};
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
    // A hash (and so a salt) of its own for each user: one shared hash would show anyone
    // who reads the table that these users share a password, and one cracked, all are.
    let hashes = spec
        .staff
        .iter()
        .map(|s| Ok((s.username.clone(), auth::hash_password(&password)?)))
        .collect::<AppResult<Vec<_>>>()?;
    store::write(conn, |conn| {
        let created = !organisations::organisation_exists(conn, spec.slug.as_str())?;
        let mut history = store::past_visits::Written::default();
        if created {
            import::save(conn, &spec, now.naive_utc())?;
            store::planning::save(conn, spec.slug.as_str(), &planning()?)?;
            let today = now.date_naive();
            let records = synthetic_history(
                &spec,
                today - Duration::days(HISTORY_DAYS),
                today - Duration::days(1),
                HISTORY_SEED,
            );
            // The year lives as tickets and bookings only, as a real one would: the demand
            // table is for history from before the system, so writing the records there too
            // would count every past citizen twice in the forecast.
            let days = past_days(&spec, &records, HISTORY_SEED);
            history = store::past_visits::insert(conn, &spec, &days)?;
        }
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
}
