//! The demo municipality for tests that read it: its year of history takes long to make,
//! so each test process makes it once for each instant and every test gets a copy of its
//! own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::helpers::{fresh_pool, Original, TestDatabase};

/// The demo's staff sign in with this password.
const DEMO_PASSWORD: &str = "kodeord-123";

/// A database of its own holding the demo as made at `now`.
pub fn demo_database(now: &str) -> TestDatabase {
    static MADE: Mutex<Option<HashMap<String, Arc<OnceLock<Original>>>>> = Mutex::new(None);
    let once = MADE
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .entry(now.to_owned())
        .or_default()
        .clone();
    once.get_or_init(|| Original::of(made_demo(now))).copy()
}

/// The demo made afresh at `now`, as `skranke demo` makes it.
pub fn made_demo(now: &str) -> TestDatabase {
    let db = TestDatabase::new();
    // The pool, and so every connection, is closed before the database is copied.
    skranke::app::demo::ensure(
        &mut fresh_pool(&db).get().unwrap(),
        now.parse().unwrap(),
        Some(DEMO_PASSWORD),
    )
    .unwrap();
    db
}
