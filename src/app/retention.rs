//! Retention: citizens' names, e-mails and phone numbers are blanked a configurable
//! number of days after the visit, and so is every column that could quote them (the
//! mails' last errors); appointment rows, statuses and times stay for the KPIs.
//!
//! Each table that holds personal data is one [`Step`] in [`STEPS`]; a new table with
//! such data is one more line there.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::clock::SharedClock;
use crate::domain::retention::cutoff;
use crate::error::AppResult;
use crate::store::{self, retention, DbConnection, Pool, StoreResult};

/// One table's part of retention: blanks what is older than the cutoff, returns the rows.
pub struct Step {
    pub table: &'static str,
    pub run: fn(&mut DbConnection, DateTime<Utc>, DateTime<Utc>) -> StoreResult<usize>,
}

/// In order: the outbox first, so that no message is composed for a row being blanked.
pub const STEPS: &[Step] = &[
    Step {
        table: "outbox",
        run: retention::outbox,
    },
    Step {
        table: "appointments",
        run: retention::appointments,
    },
    Step {
        table: "appointment_needs",
        run: retention::appointment_needs,
    },
    Step {
        table: "ticket_needs",
        run: retention::ticket_needs,
    },
    Step {
        table: "booking_submissions",
        run: retention::booking_submissions,
    },
    Step {
        table: "waitlist_entries",
        run: retention::waitlist_entries,
    },
    Step {
        table: "waitlist_entry_needs",
        run: retention::waitlist_entry_needs,
    },
    Step {
        table: "visit_feedback",
        run: retention::visit_feedback,
    },
    Step {
        table: "login_failures",
        run: retention::login_failures,
    },
];

/// Rows changed per table.
pub type Swept = Vec<(&'static str, usize)>;

/// Runs every step in one transaction at `now`, keeping `days` days after the visit.
pub fn sweep(conn: &mut DbConnection, days: u32, now: DateTime<Utc>) -> AppResult<Swept> {
    let before = cutoff(now, days);
    store::write(conn, |conn| {
        STEPS
            .iter()
            .map(|step| Ok((step.table, (step.run)(conn, before, now)?)))
            .collect()
    })
}

/// Runs [`sweep`] every `every` until the process ends.
pub fn spawn_worker(pool: Pool, clock: SharedClock, days: u32, every: Duration) {
    std::thread::Builder::new()
        .name("retention".into())
        .spawn(move || loop {
            let result = pool
                .get()
                .map_err(Into::into)
                .and_then(|mut conn| sweep(&mut conn, days, clock.now()));
            match result {
                Ok(swept) => {
                    for (table, rows) in swept.into_iter().filter(|(_, n)| *n > 0) {
                        tracing::info!(table, rows, "retention blanked personal data");
                    }
                }
                Err(e) => tracing::error!(error = %e, "the retention job failed"),
            }
            std::thread::sleep(every);
        })
        .expect("starting the retention thread");
}
