//! Pooled connections that the database has dropped, noticed from the errors of the
//! queries on them rather than by a test query at every check-out: a lost connection
//! fails one request and leaves the pool, instead of every request paying a round trip.
//! The same watch times each statement for `SKRANKE_LOG=skranke::store=trace`, which
//! prints every statement with its binds and how long it took.

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::result::{DatabaseErrorKind, Error};
use diesel::Connection;

use super::DbConnection;

/// Watches one connection's queries for the errors of a lost connection.
#[derive(Debug, Default)]
pub(super) struct Watch {
    lost: bool,
    /// When the statement under way began, while statements are traced.
    started: Option<std::time::Instant>,
}

impl Instrumentation for Watch {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartQuery { .. } => {
                self.started =
                    tracing::enabled!(tracing::Level::TRACE).then(std::time::Instant::now);
            }
            InstrumentationEvent::FinishQuery { query, error, .. } => {
                if let Some(started) = self.started.take() {
                    let micros = started.elapsed().as_micros();
                    tracing::trace!(micros, failed = error.is_some(), "{query}");
                }
                self.lost |= error.is_some_and(is_lost);
            }
            _ => {}
        }
    }
}

/// The errors that mean the connection itself is gone, not the statement refused.
fn is_lost(error: &Error) -> bool {
    matches!(
        error,
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _
        )
    )
}

/// Starts watching a new connection.
pub(super) fn watch(conn: &mut DbConnection) {
    super::native!(conn, |c| c.set_instrumentation(Watch::default()))
}

/// Whether a query on this connection failed because the connection was lost.
pub(super) fn is_broken(conn: &mut DbConnection) -> bool {
    let instrumentation = super::native!(conn, |c| c.instrumentation());
    instrumentation
        .downcast_ref::<Watch>()
        .is_some_and(|w| w.lost)
}

#[cfg(test)]
mod tests {
    use diesel::RunQueryDsl;

    use super::*;

    #[test]
    fn only_a_lost_connection_counts() {
        let info = || {
            Box::new(String::from("gone"))
                as Box<dyn diesel::result::DatabaseErrorInformation + Send + Sync>
        };
        assert!(is_lost(&Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection,
            info()
        )));
        assert!(is_lost(&Error::DatabaseError(
            DatabaseErrorKind::UnableToSendCommand,
            info()
        )));
        assert!(!is_lost(&Error::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            info()
        )));
        assert!(!is_lost(&Error::NotFound));
    }

    #[test]
    fn a_sqlite_connection_stays_whole_after_a_refused_statement() {
        let mut conn =
            DbConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        watch(&mut conn);
        let refused = diesel::sql_query("SELECT * FROM nowhere").execute(&mut conn);
        assert!(refused.is_err());
        assert!(!is_broken(&mut conn));
    }
}
