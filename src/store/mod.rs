//! Persistence: the only module that knows SQL, diesel or which database is behind it.
//!
//! One code path serves SQLite (embedded, the default) and PostgreSQL (production) through
//! diesel's `MultiConnection`. A statement it cannot express (a batch insert, an upsert, a
//! row lock, SQL text) is written once and run on the backend's own connection through
//! [`native!`]. The few dialect differences — how a writer takes its lock, which
//! migrations to run, how a bulk load goes — are matched on the connection here and in
//! [`bulk`]; a claim of the outbox locks rows on PostgreSQL alone ([`outbox`]).

/// Runs `$body` with `$c` bound to the backend's own connection (`&mut PgConnection` or
/// `&mut SqliteConnection`): a statement diesel's `MultiConnection` cannot express, written
/// once for both. The body is compiled once per backend, so each may pick its own SQL
/// through [`Dialect`].
macro_rules! native {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::store::DbConnection::Postgres($c) => $body,
            $crate::store::DbConnection::Sqlite($c) => $body,
        }
    };
}
pub(crate) use native;

pub mod appointments;
pub mod audit;
pub mod booking_submissions;
mod broken;
pub mod bulk;
pub mod capacity_lock;
pub mod catalogue;
pub mod demand;
pub mod departments;
pub mod desks;
pub mod errands;
pub mod export;
pub mod feedback;
pub mod import;
pub mod interpreter_tasks;
pub mod kpi;
pub mod location_details;
pub mod location_versions;
pub mod login_failures;
pub mod metrics;
pub mod municipalities;
pub mod needs;
pub mod notify;
pub mod organisations;
pub mod outbox;
pub mod password_links;
pub mod past_visits;
pub mod planning;
pub mod queue;
pub mod queue_alerts;
pub mod retention;
pub mod rosters;
pub mod schema;
pub mod staff;
pub mod staff_accounts;
pub mod ticket_visits;
pub mod tickets;
pub mod wait_times;
pub mod waitlist;
pub mod webhooks;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::query_builder::InsertStatement;
use diesel::query_dsl::methods::ExecuteDsl;
use diesel::r2d2::R2D2Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

/// A connection to either backend; every query in the store is written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConnection = r2d2::PooledConnection<Manager>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database is not reachable: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("could not connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("migrating the database failed: {0}")]
    Migration(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the database holds a value the code does not know: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Where the data lives, decided by the URL's scheme — never by trial, because SQLite
/// would accept any string as a file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite://PATH` or a plain path is SQLite.
    pub fn parse(raw: &str) -> Self {
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            Self::Postgres(raw.to_owned())
        } else {
            Self::Sqlite(raw.strip_prefix("sqlite://").unwrap_or(raw).to_owned())
        }
    }

    /// A description without the password, fit for logs.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("SQLite file {path}"),
            Self::Postgres(url) => match url::Url::parse(url) {
                Ok(mut u) => {
                    let _ = u.set_password(None);
                    format!("PostgreSQL {u}")
                }
                Err(_) => "PostgreSQL".to_owned(),
            },
        }
    }
}

/// The r2d2 connection manager for [`DbConnection`].
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
}

/// How long an SQLite writer waits for the write lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Each pooled SQLite connection's page cache, in KiB (SQLite's default is 2,000). A
/// commit on one connection empties every other connection's cache, so under writes the
/// pages are read again from the operating system's cache whatever its size; with the
/// default the ten connections' caches raised the serving server's peak by some 7 MB
/// under the load benchmark, for no more lookups, tickets or calls a second.
const SQLITE_CACHE_KIB: u32 = 512;

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        use diesel::r2d2::Error;
        let mut conn = match &self.url {
            DatabaseUrl::Postgres(url) => PgConnection::establish(url)
                .map(DbConnection::Postgres)
                .map_err(Error::ConnectionError)?,
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path).map_err(Error::ConnectionError)?;
                // The journal mode is the file's, set once in `connect`; these are each
                // connection's own. NORMAL sync in WAL mode keeps every commit across a
                // crash of the process (not of the machine's power).
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {}; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA cache_size = -{};",
                    SQLITE_BUSY_TIMEOUT.as_millis(),
                    SQLITE_CACHE_KIB
                ))
                .map_err(Error::QueryError)?;
                DbConnection::Sqlite(conn)
            }
        };
        broken::watch(&mut conn);
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken() || broken::is_broken(conn)
    }
}

/// Opens a pool on the database and brings its schema up to date.
pub fn connect(url: &DatabaseUrl, max_size: u32) -> StoreResult<Pool> {
    if let DatabaseUrl::Sqlite(path) = url {
        use_wal(path)?;
    }
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(30))
        // No test query at check-out (a round trip per request on PostgreSQL): a lost
        // connection is noticed by the error of its first query and leaves the pool then.
        .test_on_check_out(false)
        .build(Manager { url: url.clone() })?;
    migrate(&mut *pool.get()?)?;
    Ok(pool)
}

/// Switches an SQLite file to WAL (readers go on while one writer writes), once, on one
/// connection, before the pool opens. The mode is kept in the file; switched from each of
/// the pool's new connections at once, the switch raced for its lock and some of them
/// failed with "database is locked". Two processes starting on one new file still race
/// here, where SQLite gives up at once rather than wait: the loser tries again.
fn use_wal(path: &str) -> StoreResult<()> {
    let deadline = std::time::Instant::now() + SQLITE_BUSY_TIMEOUT;
    let mut conn = SqliteConnection::establish(path)?;
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {}",
        SQLITE_BUSY_TIMEOUT.as_millis()
    ))?;
    let mode = loop {
        match diesel::sql_query("PRAGMA journal_mode = WAL").get_result::<JournalMode>(&mut conn) {
            Ok(mode) => break mode.journal_mode,
            Err(diesel::result::Error::DatabaseError(_, info))
                if info.message().contains("locked") && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(e.into()),
        }
    };
    // An in-memory database has no journal to switch; a file system without shared
    // memory keeps its own mode, slower for readers but correct.
    if mode != "wal" && mode != "memory" {
        tracing::warn!(mode, "SQLite would not switch to WAL");
    }
    Ok(())
}

#[derive(QueryableByName)]
struct JournalMode {
    #[diesel(sql_type = diesel::sql_types::Text)]
    journal_mode: String,
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Runs the pending migrations of this backend; returns the names of those it ran.
pub fn migrate(conn: &mut DbConnection) -> StoreResult<Vec<String>> {
    let ran = match conn {
        DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
    }
    .map_err(|e| StoreError::Migration(e.to_string()))?;
    Ok(ran.iter().map(ToString::to_string).collect())
}

/// Reverts every migration of this backend (used to prove that each one reverts).
pub fn revert_all(conn: &mut DbConnection) -> StoreResult<()> {
    match conn {
        DbConnection::Postgres(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(drop),
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(drop),
    }
    .map_err(|e| StoreError::Migration(e.to_string()))
}

/// Reverts this backend's migrations from the newest back to and including the one whose
/// folder is named `name` (`2026-12-10-000001_one_outbox`), to test what it carries over.
pub fn revert_through(conn: &mut DbConnection, name: &str) -> StoreResult<()> {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let target = digits(name.split('_').next().unwrap_or(name));
    loop {
        let reverted = match conn {
            DbConnection::Postgres(c) => c.revert_last_migration(POSTGRES_MIGRATIONS),
            DbConnection::Sqlite(c) => c.revert_last_migration(SQLITE_MIGRATIONS),
        }
        .map_err(|e| StoreError::Migration(e.to_string()))?;
        if digits(&reverted.to_string()) <= target {
            return Ok(());
        }
    }
}

/// SQLite has one write lock per database, and writers waiting for it in the busy handler
/// sleep and retry, so the unlucky ones wait far longer than the queue is long. Writers of
/// this process queue here instead, in order, each taking the lock as soon as the one
/// before lets go; the busy timeout is left for other processes. A process serves one
/// database; where tests open several in one process, they share this queue.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `work` in a transaction that writes. On SQLite it queues for this process's turn
/// to write, then takes the write lock up front (`BEGIN IMMEDIATE`), so that concurrent
/// writers neither sleep in the busy handler nor fail when a reader tries to upgrade its
/// lock halfway.
pub fn write<T, E>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let _turn = match conn {
        DbConnection::Sqlite(c) => {
            // A writer that panicked rolled back; the queue itself holds nothing.
            let turn = SQLITE_WRITER
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
            Some(turn)
        }
        DbConnection::Postgres(c) => {
            AnsiTransactionManager::begin_transaction(c)?;
            None
        }
    };
    finish(conn, work)
}

/// Runs `work` in the transaction just begun, and commits it, or rolls it back on an error.
fn finish<T, E>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    type Tm = <DbConnection as Connection>::TransactionManager;
    match work(conn) {
        Ok(value) => match Tm::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(commit_error) => {
                let _ = Tm::rollback_transaction(conn);
                Err(commit_error.into())
            }
        },
        Err(e) => {
            Tm::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

/// Takes the lock that serialises writers on one location's queue and desks, until the
/// transaction ends. SQLite's `BEGIN IMMEDIATE` already holds the database's one write lock;
/// PostgreSQL locks the location's row, so writers to other locations go on in parallel.
/// The lock does not keep the row's key, so new tickets and bookings, whose foreign keys
/// only share it, are not held up by it; bookings lock their capacity
/// ([`capacity_lock`]) instead.
pub fn lock_location(
    conn: &mut DbConnection,
    location: crate::domain::ids::LocationId,
) -> StoreResult<()> {
    if let DbConnection::Postgres(c) = conn {
        schema::locations::table
            .find(location.0)
            .select(schema::locations::id)
            .for_no_key_update()
            .first::<i64>(c)?;
    }
    Ok(())
}

/// Inserts many rows in one statement (`MultiConnection` has no batch insert of its own).
pub fn insert_all<T, R>(
    conn: &mut DbConnection,
    table: T,
    rows: Vec<R>,
) -> diesel::QueryResult<usize>
where
    T: Table,
    Vec<R>: Insertable<T>,
    InsertStatement<T, <Vec<R> as Insertable<T>>::Values>:
        ExecuteDsl<PgConnection> + ExecuteDsl<SqliteConnection>,
{
    if rows.is_empty() {
        return Ok(0);
    }
    let statement = diesel::insert_into(table).values(rows);
    native!(conn, |c| statement.execute(c))
}

/// Runs a statement that `MultiConnection` cannot express (an upsert) and returns its one row.
pub fn native_result<'q, Q, U>(conn: &mut DbConnection, statement: Q) -> diesel::QueryResult<U>
where
    Q: RunQueryDsl<PgConnection>
        + RunQueryDsl<SqliteConnection>
        + diesel::query_dsl::LoadQuery<'q, PgConnection, U>
        + diesel::query_dsl::LoadQuery<'q, SqliteConnection, U>,
{
    native!(conn, |c| statement.get_result(c))
}

/// How a backend spells what SQL text written for both needs spelt its own way.
pub(crate) trait Dialect {
    /// The `n`th (from 1) bound parameter.
    fn parameter(n: usize) -> String;
    /// Whole seconds since 1970 of the timestamp `expression`, as a BIGINT.
    fn epoch_seconds(expression: &str) -> String;
}

impl Dialect for PgConnection {
    fn parameter(n: usize) -> String {
        format!("${n}")
    }

    fn epoch_seconds(expression: &str) -> String {
        format!("CAST(FLOOR(EXTRACT(EPOCH FROM {expression})) AS BIGINT)")
    }
}

impl Dialect for SqliteConnection {
    fn parameter(n: usize) -> String {
        format!("?{n}")
    }

    fn epoch_seconds(expression: &str) -> String {
        format!("CAST(strftime('%s', {expression}) AS BIGINT)")
    }
}

/// Answers whether the database responds (for `/health`).
pub fn ping(pool: &Pool) -> StoreResult<()> {
    pool.get()?.ping()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_decides_the_backend() {
        assert!(matches!(
            DatabaseUrl::parse("postgres://u:p@h/db"),
            DatabaseUrl::Postgres(_)
        ));
        assert!(matches!(
            DatabaseUrl::parse("postgresql://h/db"),
            DatabaseUrl::Postgres(_)
        ));
        assert_eq!(
            DatabaseUrl::parse("sqlite://x.db"),
            DatabaseUrl::Sqlite("x.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("skranke.db"),
            DatabaseUrl::Sqlite("skranke.db".into())
        );
    }

    fn sqlite_file(dir: &tempfile::TempDir) -> String {
        dir.path().join("skranke.db").to_string_lossy().into_owned()
    }

    fn journal_mode(path: &str) -> String {
        diesel::sql_query("PRAGMA journal_mode")
            .get_result::<JournalMode>(&mut SqliteConnection::establish(path).unwrap())
            .unwrap()
            .journal_mode
    }

    /// A pool's new connection sets up only what is its own: beside a reader in the middle
    /// of a transaction, which a switch of the journal would have to wait for, it opens.
    #[test]
    fn a_new_pool_connection_takes_no_lock_to_set_itself_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = sqlite_file(&dir);
        let mut reader = SqliteConnection::establish(&path).unwrap();
        reader
            .batch_execute("CREATE TABLE t (x INTEGER); BEGIN; SELECT * FROM t;")
            .unwrap();
        let manager = Manager {
            url: DatabaseUrl::Sqlite(path.clone()),
        };
        r2d2::ManageConnection::connect(&manager).expect("it opens beside the reader");
        assert_eq!(journal_mode(&path), "delete", "nothing switched it");
    }

    #[derive(QueryableByName)]
    struct CacheSize {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        cache_size: i32,
    }

    #[test]
    fn a_pooled_sqlite_connection_keeps_a_small_page_cache() {
        let dir = tempfile::tempdir().unwrap();
        let pool = connect(&DatabaseUrl::Sqlite(sqlite_file(&dir)), 2).unwrap();
        let mut conn = pool.get().unwrap();
        let DbConnection::Sqlite(c) = &mut *conn else {
            unreachable!("an SQLite pool")
        };
        let size = diesel::sql_query("PRAGMA cache_size")
            .get_result::<CacheSize>(c)
            .unwrap()
            .cache_size;
        assert_eq!(size, -(SQLITE_CACHE_KIB as i32));
    }

    #[test]
    fn connecting_switches_the_file_to_wal_once_and_for_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = sqlite_file(&dir);
        let _pool = connect(&DatabaseUrl::Sqlite(path.clone()), 4).unwrap();
        assert_eq!(journal_mode(&path), "wal");
    }

    /// Processes starting at once on one new file race for the switch; each gets there.
    #[test]
    fn racing_switches_to_wal_all_succeed() {
        for _ in 0..10 {
            let dir = tempfile::tempdir().unwrap();
            let path = sqlite_file(&dir);
            let start = std::sync::Arc::new(std::sync::Barrier::new(8));
            let racers: Vec<_> = (0..8)
                .map(|_| {
                    let (path, start) = (path.clone(), start.clone());
                    std::thread::spawn(move || {
                        start.wait();
                        use_wal(&path)
                    })
                })
                .collect();
            for racer in racers {
                racer.join().unwrap().expect("the switch succeeds");
            }
            assert_eq!(journal_mode(&path), "wal");
        }
    }

    #[test]
    fn redaction_hides_the_password() {
        let shown = DatabaseUrl::parse("postgres://skranke:hemmelig@db:5432/skranke").redacted();
        assert!(!shown.contains("hemmelig"), "{shown}");
        assert!(shown.contains("db:5432"), "{shown}");
    }
}
