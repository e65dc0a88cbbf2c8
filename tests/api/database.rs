use std::sync::{Arc, Barrier};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use skranke::domain::ids::{DeskId, LocationId};
use skranke::domain::organisation::DeskState;
use skranke::store::schema::{catalogue_stamp, locations};
use skranke::store::{self, catalogue, organisations, DbConnection};

use crate::helpers::{fresh_pool, monday_morning, seed, TestDatabase};

#[test]
fn every_migration_reverts_and_applies_again() {
    let db = TestDatabase::new();
    let pool = fresh_pool(&db);
    let mut conn = pool.get().unwrap();
    store::revert_all(&mut conn).unwrap();
    let ran = store::migrate(&mut conn).unwrap();
    assert!(!ran.is_empty(), "the schema came back from nothing");
    seed(&mut conn, monday_morning());
}

/// Writers that read, then write, inside `store::write` with the location locked, never
/// lose an update and never fail with "database is locked", however many race.
#[test]
fn concurrent_writers_queue_and_lose_nothing() {
    const WRITERS: usize = 32;
    let db = TestDatabase::new();
    // A connection per writer, so that all of them are inside a transaction at once.
    let pool = store::connect(&db.url, WRITERS as u32).unwrap();
    seed(&mut pool.get().unwrap(), monday_morning());
    let (id, start): (i64, String) = locations::table
        .select((locations::id, locations::address))
        .order(locations::id)
        .first(&mut *pool.get().unwrap())
        .unwrap();

    let barrier = Arc::new(Barrier::new(WRITERS));
    let handles: Vec<_> = (0..WRITERS)
        .map(|_| {
            let (pool, barrier) = (pool.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                barrier.wait();
                store::write(&mut conn, |conn| {
                    store::lock_location(conn, LocationId(id)).unwrap();
                    let address: String = locations::table
                        .find(id)
                        .select(locations::address)
                        .first(conn)?;
                    diesel::update(locations::table.find(id))
                        .set(locations::address.eq(format!("{address}+")))
                        .execute(conn)?;
                    Ok::<_, diesel::result::Error>(())
                })
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap().expect("no writer fails");
    }
    let end: String = locations::table
        .find(id)
        .select(locations::address)
        .first(&mut *pool.get().unwrap())
        .unwrap();
    assert_eq!(
        end.len() - start.len(),
        WRITERS,
        "every writer's update landed"
    );
}

fn name_of(conn: &mut DbConnection) -> String {
    organisations::find_location(conn, "raadhuset")
        .unwrap()
        .expect("the location")
        .name
}

fn rename(conn: &mut DbConnection, to: &str) {
    conn.batch_execute(&format!(
        "UPDATE locations SET name = '{to}' WHERE slug = 'raadhuset'"
    ))
    .unwrap();
}

/// Within a request the catalogue is read once; the next request sees a change, and a
/// change rolled back is never kept.
#[test]
fn a_request_reads_the_catalogue_of_its_stamp() {
    let db = TestDatabase::new();
    let pool = fresh_pool(&db);
    let conn = &mut *pool.get().unwrap();
    conn.batch_execute(
        "INSERT INTO organisations (id, slug, name, created_at, updated_at) \
           VALUES (1, 'k', 'Kommune', '2027-01-01 00:00:00', '2027-01-01 00:00:00'); \
         INSERT INTO locations (id, organisation_id, slug, name, address, timezone) \
           VALUES (1, 1, 'raadhuset', 'Rådhuset', 'Torvet 1', 'Europe/Copenhagen');",
    )
    .unwrap();

    catalogue::scope(|| {
        assert_eq!(name_of(conn), "Rådhuset");
        rename(conn, "Borgerservice");
        assert_eq!(name_of(conn), "Rådhuset", "answered from memory");
    });
    assert_eq!(
        catalogue::scope(|| name_of(conn)),
        "Borgerservice",
        "the stamp moved"
    );
    assert_eq!(
        name_of(conn),
        "Borgerservice",
        "outside a request: the database"
    );

    conn.batch_execute("BEGIN").unwrap();
    rename(conn, "Aldrig");
    assert_eq!(
        catalogue::scope(|| name_of(conn)),
        "Aldrig",
        "its own change, in its transaction"
    );
    conn.batch_execute("ROLLBACK").unwrap();
    assert_eq!(
        catalogue::scope(|| name_of(conn)),
        "Borgerservice",
        "the rolled-back one not kept"
    );
    assert_eq!(
        catalogue::scope(|| organisations::location_slug(conn, LocationId(1)).unwrap()),
        "raadhuset"
    );
}

fn stamp(conn: &mut DbConnection) -> String {
    catalogue_stamp::table
        .select(catalogue_stamp::stamp)
        .first(conn)
        .unwrap()
}

/// Opening or pausing a desk is no change to the catalogue, and is seen at once all the
/// same; renaming the desk is one.
#[test]
fn a_desk_state_change_keeps_the_catalogue_stamp_and_a_rename_moves_it() {
    let db = TestDatabase::new();
    let pool = fresh_pool(&db);
    let conn = &mut *pool.get().unwrap();
    conn.batch_execute(
        "INSERT INTO organisations (id, slug, name, created_at, updated_at) \
           VALUES (1, 'k', 'Kommune', '2027-01-01 00:00:00', '2027-01-01 00:00:00'); \
         INSERT INTO locations (id, organisation_id, slug, name, address, timezone) \
           VALUES (1, 1, 'raadhuset', 'Rådhuset', 'Torvet 1', 'Europe/Copenhagen'); \
         INSERT INTO desks (id, location_id, name, kind, state, active) \
           VALUES (1, 1, 'Skranke 1', 'counter', 'closed', TRUE);",
    )
    .unwrap();
    let desk = |conn: &mut DbConnection| {
        catalogue::scope(|| organisations::desks_at(conn, LocationId(1)).unwrap())
            .into_iter()
            .next()
            .expect("the desk")
    };
    assert_eq!(desk(conn).state, DeskState::Closed);

    let before = stamp(conn);
    organisations::set_desk_state(conn, DeskId(1), DeskState::Open).unwrap();
    assert_eq!(stamp(conn), before, "a state change is not the catalogue's");
    assert_eq!(
        desk(conn).state,
        DeskState::Open,
        "the new state read fresh"
    );

    conn.batch_execute("UPDATE desks SET name = 'Skranke A' WHERE id = 1")
        .unwrap();
    assert_ne!(stamp(conn), before, "a rename is the catalogue's");
    assert_eq!(desk(conn).name, "Skranke A");
}
