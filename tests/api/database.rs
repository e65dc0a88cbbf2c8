use std::sync::{Arc, Barrier};

use diesel::prelude::*;
use skranke::domain::ids::LocationId;
use skranke::store::{self, schema::locations};

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
