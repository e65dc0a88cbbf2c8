//! Pooled connections that the database has dropped, noticed from the errors of the
//! queries on them rather than by a test query at every check-out: a lost connection
//! fails one request and leaves the pool, instead of every request paying a round trip.

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::result::{DatabaseErrorKind, Error};
use diesel::Connection;

use super::DbConnection;

/// Watches one connection's queries for the errors of a lost connection.
#[derive(Debug, Default)]
pub(super) struct Watch {
    lost: bool,
}

impl Instrumentation for Watch {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::FinishQuery {
            error: Some(error), ..
        } = event
        {
            self.lost |= is_lost(error);
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
