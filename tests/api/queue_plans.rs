//! A ticket and a desk's call cost the same however long the queue is: on SQLite, whose
//! planner has no statistics to go by, every statement that taking a ticket or calling
//! the next one runs reads a short range of an index, never every waiting ticket of the
//! location. PostgreSQL plans by its statistics, so the plans are checked on SQLite alone;
//! the load benchmark measures both (`cargo bench --bench load -- tickets calls`).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use diesel::sql_types::Text;
use skranke::app::events::Events;
use skranke::app::tickets::DoorAnswer;
use skranke::app::visit::VisitAsked;
use skranke::app::{auth, catalogue, desk, tickets};
use skranke::domain::organisation::DeskState;
use skranke::store::{organisations, DatabaseUrl, DbConnection};

use crate::helpers::{seeded_database, PASSWORD};

/// The SQL of every statement run on a connection, without its binds.
#[derive(Clone, Default)]
struct Statements(Arc<Mutex<Vec<String>>>);

impl Instrumentation for Statements {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let sql = query.to_string();
            let sql = sql.split(" -- binds:").next().unwrap_or_default();
            self.0.lock().unwrap().push(sql.to_owned());
        }
    }
}

impl Statements {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// The lines of the statements' plans that read every waiting ticket of the location:
/// a scan of the tickets, or the waiting order's index searched by its first two columns
/// alone (the location and the status).
fn whole_queue_reads(conn: &mut SqliteConnection, statements: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for sql in statements {
        let first = sql.split_whitespace().next().unwrap_or_default();
        if !matches!(first, "SELECT" | "INSERT" | "UPDATE" | "DELETE") {
            continue;
        }
        let plan: Vec<PlanLine> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load(conn)
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
        for line in plan {
            let detail = line.detail;
            let scans = detail.starts_with("SCAN tickets");
            let whole_range =
                detail.contains("INDEX tickets_waiting_order (location_id=? AND status=?)");
            if scans || whole_range {
                found.push(format!("{detail}\n    in {sql}"));
            }
        }
    }
    found
}

/// Tuesday 30 March 2027, 10:30 in Copenhagen: the city hall is open.
fn open_hours() -> DateTime<Utc> {
    "2027-03-30T08:30:00Z".parse().unwrap()
}

#[tokio::test]
async fn a_ticket_and_a_call_read_no_more_of_the_queue_than_its_index_ranges() {
    let db = seeded_database();
    let DatabaseUrl::Sqlite(path) = &db.url else {
        return;
    };
    let now = open_hours();
    let mut conn = DbConnection::Sqlite(SqliteConnection::establish(path).unwrap());
    let location = catalogue::location(&mut conn, "raadhuset").unwrap();
    let desk_id = organisations::desks_at(&mut conn, location.id)
        .unwrap()
        .into_iter()
        .find(|d| d.services.iter().any(|s| s.as_str() == "vejledning"))
        .expect("a desk gives general guidance")
        .id;
    let events = Events::default();
    let staff = auth::login(&mut conn, "admin", PASSWORD, None, now)
        .unwrap()
        .user;
    desk::set_state(&mut conn, &staff, desk_id, DeskState::Open, now, &events).unwrap();
    let statements = Statements::default();
    let DbConnection::Sqlite(sqlite) = &mut conn else {
        unreachable!()
    };
    sqlite.set_instrumentation(statements.clone());

    let answer = tickets::take(
        &mut conn,
        &events,
        "raadhuset",
        &VisitAsked::one("vejledning"),
        false,
        now,
    )
    .unwrap();
    assert!(
        matches!(answer, DoorAnswer::Ticket(_)),
        "a ticket is issued"
    );
    let taking = statements.take();
    let called = desk::call_next(&mut conn, &staff, desk_id, now, &events).unwrap();
    assert!(called.is_some(), "the ticket is called");
    let calling = statements.take();
    assert!(
        taking.len() > 3 && calling.len() > 3,
        "the statements are seen"
    );

    let DbConnection::Sqlite(sqlite) = &mut conn else {
        unreachable!()
    };
    let statements = [taking, calling].concat();
    // Between indexes that seem as good, SQLite picks by their order in the schema, which
    // a database whose indexes were built again (as the demo's load builds them after its
    // rows) has changed: each index of the tickets is the newest once.
    let indexes: Vec<(String, String)> = diesel::sql_query(
        "SELECT name AS detail, sql AS definition FROM sqlite_master \
         WHERE type = 'index' AND tbl_name = 'tickets' AND sql IS NOT NULL",
    )
    .load::<Index>(sqlite)
    .unwrap()
    .into_iter()
    .map(|i| (i.detail, i.definition))
    .collect();
    assert!(
        indexes
            .iter()
            .any(|(name, _)| name == "tickets_waiting_order"),
        "the tickets' indexes are found"
    );
    for (name, definition) in &indexes {
        diesel::sql_query(format!("DROP INDEX {name}"))
            .execute(sqlite)
            .unwrap();
        diesel::sql_query(definition).execute(sqlite).unwrap();
        let whole = whole_queue_reads(sqlite, &statements);
        assert!(
            whole.is_empty(),
            "with {name} built last, these read every waiting ticket:\n{}",
            whole.join("\n")
        );
    }
}

#[derive(QueryableByName)]
struct Index {
    #[diesel(sql_type = Text)]
    detail: String,
    #[diesel(sql_type = Text)]
    definition: String,
}
