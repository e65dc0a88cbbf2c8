//! The planner's interpreter tasks: every interpreter a citizen asked for on a day, when
//! booking or at the kiosk, with the language, the time and the location, so that one can
//! be arranged. The list is read from the needs themselves, so a cancelled booking leaves
//! it at once and retention empties it with the needs.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::app::catalogue;
use crate::domain::organisation::Location;
use crate::domain::queue::TicketNumber;
use crate::error::AppResult;
use crate::store::{interpreter_tasks, DbConnection};

/// One interpreter to arrange.
#[derive(Debug, Clone)]
pub struct InterpreterTask {
    pub location: Location,
    /// The booked start, or when the ticket was taken.
    pub at: DateTime<Utc>,
    pub language: Option<String>,
    /// The walk-in's ticket; `None` for a booking.
    pub ticket: Option<TicketNumber>,
}

/// The tasks of the local `day` at `location` (every location when `None`), by time.
pub fn on_day(
    conn: &mut DbConnection,
    location: Option<&str>,
    day: NaiveDate,
) -> AppResult<Vec<InterpreterTask>> {
    let locations = match location {
        Some(slug) => vec![catalogue::location(conn, slug)?],
        None => catalogue::locations(conn)?,
    };
    // A local day lies within a day either side of the UTC day; each is kept by its own zone.
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let window = (midnight - Duration::days(1), midnight + Duration::days(2));
    let ids: Vec<_> = locations.iter().map(|l| l.id).collect();
    let mut tasks: Vec<InterpreterTask> = interpreter_tasks::asked(conn, &ids, window, day)?
        .into_iter()
        .filter_map(|need| {
            let location = locations.iter().find(|l| l.id == need.location)?.clone();
            (need.at.with_timezone(&location.timezone).date_naive() == day).then_some(
                InterpreterTask {
                    location,
                    at: need.at,
                    language: need.language,
                    ticket: need.ticket,
                },
            )
        })
        .collect();
    tasks.sort_by(|a, b| (a.at, a.location.slug.as_str()).cmp(&(b.at, b.location.slug.as_str())));
    Ok(tasks)
}
