//! Loading many rows at once (the demo's year of tickets, bookings and staff actions), the
//! fastest way each backend has: PostgreSQL's `COPY` with its foreign keys checked once
//! after the load; on SQLite multi-row inserts into tables whose indexes are built once
//! after the load, with a page cache large enough for them.

use chrono::{Datelike, NaiveDateTime, Timelike};
use diesel::prelude::*;
use diesel::serialize::{self, IsNull, Output, ToSql};

use super::{DbConnection, StoreError, StoreResult};

/// Rows per INSERT on SQLite: the widest table loaded has 16 columns, well under its limit
/// of 32,766 bound parameters.
pub(super) const SQLITE_CHUNK: usize = 1000;

/// Copies `$rows` (a slice of insertable tuples of plain values) into `$table`: `COPY … FROM
/// STDIN` in the binary format on PostgreSQL, where bound parameters would cost a parse and
/// a plan per statement; chunks of multi-row INSERTs on SQLite, which runs in the process.
/// (One prepared single-row INSERT reused for every row took a fifth more of the processor:
/// each row costs diesel a statement look-up and SQLite a step and a reset, more than a
/// chunk's parse.) A full chunk goes as an array of its fixed length, whose statement diesel
/// prepares once and keeps in the connection's cache (the four tables' statements, some
/// 2 MB), so that SQLite parses 1,000 rows of placeholders once per table, not per chunk. A macro because diesel keeps the bounds of its `COPY` builder to itself.
/// Returns the number of rows written.
macro_rules! copy_in {
    ($conn:expr, $table:expr, $rows:expr) => {{
        use diesel::RunQueryDsl as _;
        let rows = $rows;
        match $conn {
            $crate::store::DbConnection::Postgres(c) => {
                use diesel::prelude::ExecuteCopyFromDsl as _;
                diesel::copy_from($table).from_insertable(rows).execute(c)
            }
            $crate::store::DbConnection::Sqlite(c) => rows
                .chunks($crate::store::bulk::SQLITE_CHUNK)
                .try_fold(0, |written, chunk| {
                    let chunk_written =
                        match <&[_; $crate::store::bulk::SQLITE_CHUNK]>::try_from(chunk) {
                            Ok(full) => diesel::insert_into($table).values(full).execute(c)?,
                            Err(_) => diesel::insert_into($table).values(chunk).execute(c)?,
                        };
                    Ok::<usize, diesel::result::Error>(written + chunk_written)
                }),
        }
    }};
}
pub(crate) use copy_in;

/// An instant of a bulk load, bound as diesel binds a `NaiveDateTime` on either backend
/// but written out as SQLite's text digit by digit: chrono's general formatter, which
/// reads its format string anew for every value, took a twentieth of the demo's start for
/// the year's 1.2 million instants.
#[derive(Debug, Clone, Copy, diesel::expression::AsExpression)]
#[diesel(sql_type = diesel::sql_types::Timestamp)]
pub(super) struct Stamp(pub NaiveDateTime);

impl Stamp {
    /// `%Y-%m-%d %H:%M:%S` and as many digits of the fraction as it needs (3, 6 or 9, none
    /// for whole seconds), as diesel writes it.
    fn sqlite_text(&self) -> String {
        let t = self.0;
        let nanos = t.nanosecond();
        if !(0..=9999).contains(&t.year()) || nanos >= 1_000_000_000 {
            return t.format("%F %T%.f").to_string();
        }
        let mut text = String::with_capacity(29);
        let mut digits = |value: u32, width: u32, before: Option<char>| {
            text.extend(before);
            for place in (0..width).rev() {
                text.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
            }
        };
        digits(t.year() as u32, 4, None);
        digits(t.month(), 2, Some('-'));
        digits(t.day(), 2, Some('-'));
        digits(t.hour(), 2, Some(' '));
        digits(t.minute(), 2, Some(':'));
        digits(t.second(), 2, Some(':'));
        match nanos {
            0 => {}
            n if n % 1_000_000 == 0 => digits(n / 1_000_000, 3, Some('.')),
            n if n % 1_000 == 0 => digits(n / 1_000, 6, Some('.')),
            n => digits(n, 9, Some('.')),
        }
        text
    }
}

impl ToSql<diesel::sql_types::Timestamp, diesel::sqlite::Sqlite> for Stamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::sqlite::Sqlite>) -> serialize::Result {
        out.set_value(self.sqlite_text());
        Ok(IsNull::No)
    }
}

impl ToSql<diesel::sql_types::Timestamp, diesel::pg::Pg> for Stamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::pg::Pg>) -> serialize::Result {
        ToSql::<diesel::sql_types::Timestamp, diesel::pg::Pg>::to_sql(&self.0, &mut out.reborrow())
    }
}

/// Runs `work` in a transaction that writes, as [`super::write`] does, for work that
/// includes a [`load`]. SQLite checks each row's foreign keys as it is inserted, opening
/// every parent table anew for each row, which took a third of its own share of the demo's
/// year; here its keys are off for the transaction and checked once at its end over the
/// whole database (`PRAGMA foreign_key_check`, a twentieth of that), and a row left without
/// its parent fails the transaction. The pragma cannot change inside a transaction, hence
/// one of its own. PostgreSQL checks in [`load`].
///
/// The commit leaves the load in SQLite's write-ahead log: copied into the database file
/// at once, as the automatic checkpoint does, its tens of megabytes and their sync would
/// come before the first request. [`checkpoint`] copies them once the server serves; until
/// then readers find the pages in the log, and a commit in WAL mode is as safe as ever.
pub fn write<T, E>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error> + From<StoreError>,
{
    let DbConnection::Sqlite(c) = conn else {
        return super::write(conn, work);
    };
    diesel::sql_query("PRAGMA foreign_keys = OFF").execute(c)?;
    diesel::sql_query("PRAGMA wal_autocheckpoint = 0").execute(c)?;
    let written = super::write(conn, |conn| {
        let value = work(conn)?;
        check_foreign_keys(conn)?;
        Ok(value)
    });
    // The connection goes back to the pool with its keys on and its automatic checkpoints
    // as SQLite's default, whatever the work did.
    if let DbConnection::Sqlite(c) = conn {
        diesel::sql_query("PRAGMA foreign_keys = ON").execute(c)?;
        diesel::sql_query("PRAGMA wal_autocheckpoint = 1000").execute(c)?;
    }
    written
}

/// Copies what SQLite's write-ahead log holds into the database file, without waiting for
/// readers or writers (those pages stay in the log until a later checkpoint). Nothing to
/// do on PostgreSQL.
pub fn checkpoint(conn: &mut DbConnection) -> StoreResult<()> {
    if let DbConnection::Sqlite(c) = conn {
        diesel::sql_query("PRAGMA wal_checkpoint(PASSIVE)").execute(c)?;
    }
    Ok(())
}

/// A row whose parent is missing, as `PRAGMA foreign_key_check` names it.
#[derive(QueryableByName)]
struct Orphan {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    parent: String,
}

/// Fails when a row of SQLite's database names a parent row that is not there.
fn check_foreign_keys(conn: &mut DbConnection) -> StoreResult<()> {
    let DbConnection::Sqlite(c) = conn else {
        return Ok(());
    };
    let orphans: Vec<Orphan> = diesel::sql_query("PRAGMA foreign_key_check").load(c)?;
    match orphans.first() {
        None => Ok(()),
        Some(first) => Err(StoreError::Corrupt(format!(
            "{} rows name a parent that is not there, the first of {} one of {}",
            orphans.len(),
            first.table,
            first.parent
        ))),
    }
}

/// Runs `load`, which fills `tables` with [`copy_in!`], in the caller's transaction.
///
/// PostgreSQL checks a foreign key row by row as rows arrive, which took most of a year's
/// load; here the foreign keys of `tables` are dropped for the load and added back after
/// it, exactly as they were, so that each is checked once over the whole table (as
/// `pg_restore` does). The tables are locked against every other session until the
/// transaction ends, which suits a load into a new organisation. Ids given explicitly are
/// not seen by the id sequences, which are moved past them afterwards.
///
/// SQLite checks its keys cheaply in the process, but keeps every index of a table up to
/// date row by row, and its default page cache of 2 MB would spill the transaction's dirty
/// pages to disk over and over: the indexes of `tables` are dropped for the load and built
/// again after it from their own definitions, and the cache is made large meanwhile. The
/// indexes of the tables' unique constraints stay (SQLite cannot drop them); so do the
/// tables' triggers.
pub fn load<T>(
    conn: &mut DbConnection,
    tables: &[&str],
    load: impl FnOnce(&mut DbConnection) -> StoreResult<T>,
) -> StoreResult<T> {
    let (keys, indexes) = match conn {
        DbConnection::Postgres(c) => (drop_foreign_keys(c, tables)?, Vec::new()),
        DbConnection::Sqlite(c) => {
            // A failed load leaves the cache large; the transaction fails all the same.
            diesel::sql_query(format!("PRAGMA cache_size = {LARGE_CACHE}")).execute(c)?;
            (Vec::new(), drop_indexes(c, tables)?)
        }
    };
    let loaded = load(conn)?;
    match conn {
        DbConnection::Postgres(c) => {
            for key in &keys {
                diesel::sql_query(format!(
                    "ALTER TABLE {} ADD CONSTRAINT {} {}",
                    key.table_name, key.name, key.definition
                ))
                .execute(c)?;
            }
            for table in tables {
                diesel::sql_query(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                ))
                .execute(c)?;
            }
        }
        DbConnection::Sqlite(c) => {
            for index in &indexes {
                diesel::sql_query(&index.sql).execute(c)?;
            }
            diesel::sql_query(format!("PRAGMA cache_size = {DEFAULT_CACHE}")).execute(c)?;
        }
    }
    Ok(loaded)
}

/// SQLite's page cache, in KiB when negative.
const LARGE_CACHE: i64 = -256_000;
const DEFAULT_CACHE: i64 = -2_000;

/// A foreign key as PostgreSQL would write it again.
#[derive(QueryableByName)]
struct ForeignKey {
    /// The table's name, quoted where it needs to be.
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    /// `FOREIGN KEY (…) REFERENCES …(…) ON DELETE …`.
    #[diesel(sql_type = diesel::sql_types::Text)]
    definition: String,
}

/// Drops the foreign keys of `tables`, and says what they were.
fn drop_foreign_keys(conn: &mut PgConnection, tables: &[&str]) -> QueryResult<Vec<ForeignKey>> {
    let tables: Vec<String> = tables.iter().map(|t| (*t).to_owned()).collect();
    let keys: Vec<ForeignKey> = diesel::sql_query(
        "SELECT conrelid::regclass::text AS table_name, quote_ident(conname) AS name, \
           pg_get_constraintdef(oid) AS definition \
         FROM pg_constraint \
         WHERE contype = 'f' AND conrelid = ANY(CAST($1 AS regclass[])) \
         ORDER BY conrelid, conname",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(tables)
    .load(conn)?;
    for key in &keys {
        diesel::sql_query(format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            key.table_name, key.name
        ))
        .execute(conn)?;
    }
    Ok(keys)
}

/// An index as SQLite keeps its definition.
#[derive(QueryableByName)]
struct Index {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    /// `CREATE INDEX …`, as it was written.
    #[diesel(sql_type = diesel::sql_types::Text)]
    sql: String,
}

/// Drops the indexes of `tables` that were created on their own (not those of a primary
/// key or unique constraint, which have no definition of their own), and says what they were.
fn drop_indexes(conn: &mut SqliteConnection, tables: &[&str]) -> QueryResult<Vec<Index>> {
    let mut indexes = Vec::new();
    for table in tables {
        indexes.extend(
            diesel::sql_query(
                "SELECT name, sql FROM sqlite_master \
                 WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
            )
            .bind::<diesel::sql_types::Text, _>(*table)
            .load::<Index>(conn)?,
        );
    }
    for index in &indexes {
        diesel::sql_query(format!("DROP INDEX \"{}\"", index.name)).execute(conn)?;
    }
    Ok(indexes)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use diesel::sql_types::{Nullable, Text, Timestamp};

    use super::*;

    #[derive(QueryableByName, Debug, PartialEq, Eq)]
    struct Stored {
        #[diesel(sql_type = Text)]
        row: String,
    }

    /// A write whose rows name a parent that is not there fails and is rolled back, though
    /// SQLite's keys were off while it ran; the connection has its keys on afterwards.
    #[test]
    fn a_bulk_write_fails_on_a_row_without_its_parent_and_turns_the_keys_back_on() {
        use diesel::connection::SimpleConnection;
        let mut conn = DbConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap());
        conn.batch_execute(
            "PRAGMA foreign_keys = ON; \
             CREATE TABLE parent (id INTEGER PRIMARY KEY); \
             CREATE TABLE child (id INTEGER PRIMARY KEY, \
               parent_id BIGINT NOT NULL REFERENCES parent (id)); \
             INSERT INTO parent VALUES (1);",
        )
        .unwrap();
        let insert =
            |conn: &mut DbConnection, sql: &str| conn.batch_execute(sql).map_err(StoreError::from);
        let orphan = write(&mut conn, |c| insert(c, "INSERT INTO child VALUES (1, 2)"));
        assert!(
            matches!(&orphan, Err(StoreError::Corrupt(m)) if m.contains("1 rows") && m.contains("child")),
            "{orphan:?}"
        );
        write(&mut conn, |c| insert(c, "INSERT INTO child VALUES (2, 1)")).unwrap();
        let DbConnection::Sqlite(c) = &mut conn else {
            unreachable!()
        };
        let children: Vec<Stored> = diesel::sql_query("SELECT group_concat(id) AS row FROM child")
            .load(c)
            .unwrap();
        assert_eq!(children[0].row, "2");
        assert!(insert(&mut conn, "INSERT INTO child VALUES (3, 9)").is_err());
    }

    /// An instant of a bulk load is stored exactly as diesel stores a `NaiveDateTime`, so
    /// that the rest of the code reads and compares the demo's rows as its own: whole
    /// seconds, milli-, micro- and nanoseconds, and none.
    #[test]
    fn a_stamp_is_stored_as_diesel_stores_the_instant() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        diesel::sql_query("CREATE TABLE t (kind TEXT, at TIMESTAMP)")
            .execute(&mut conn)
            .unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        let mut instants: Vec<Option<NaiveDateTime>> = [0, 120_000_000, 123_456_000, 123_456_789]
            .into_iter()
            .map(|nanos| day.and_hms_nano_opt(7, 5, 9, nanos))
            .collect();
        instants.push(None);
        for at in &instants {
            for (kind, bound) in [("naive", None), ("stamp", at.map(Stamp))] {
                let insert = diesel::sql_query("INSERT INTO t VALUES (?, ?)").bind::<Text, _>(kind);
                match bound {
                    None => insert
                        .bind::<Nullable<Timestamp>, _>(*at)
                        .execute(&mut conn),
                    Some(stamp) => insert
                        .bind::<Nullable<Timestamp>, _>(Some(stamp))
                        .execute(&mut conn),
                }
                .unwrap();
            }
        }
        let mut stored = |kind: &str| -> Vec<Stored> {
            diesel::sql_query(
                "SELECT quote(at) || typeof(at) AS row FROM t WHERE kind = ? ORDER BY rowid",
            )
            .bind::<Text, _>(kind)
            .load(&mut conn)
            .unwrap()
        };
        let naive = stored("naive");
        assert_eq!(naive.len(), 5);
        assert_eq!(naive[0].row, "'2026-03-09 07:05:09'text");
        assert_eq!(stored("stamp"), naive);
    }
}
