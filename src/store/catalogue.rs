//! The organisation's catalogue (locations, hours, errands, closures, capacity, desks, and
//! which webhook endpoints asked for which events) kept
//! in memory. Every change to it replaces the database's catalogue stamp in the changing
//! transaction (triggers do it, whoever writes); a request reads the stamp once, and each
//! catalogue read in it is answered from memory while the stamp is the one it was loaded
//! under. Outside a request's [`scope`] (the CLI, workers) reads go to the database.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::catalogue_stamp;
use super::{DbConnection, StoreResult};

/// One catalogue read and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    Location(String),
    LocationSlug(i64),
    Services(i64),
    Desks(i64),
    DeskLocation(i64),
    Closures(i64, NaiveDate),
    ServiceHours(i64, i64),
    Capacity(i64, i64),
    Needs(i64),
    Pools(i64),
    /// An organisation's webhook endpoints and the events each asked for.
    Webhooks(i64),
}

type Value = Arc<dyn Any + Send + Sync>;

/// The reads answered under one stamp.
struct Generation {
    stamp: String,
    values: HashMap<Key, Value>,
}

/// Generations kept; one per database a process serves, plus a few while a change settles.
const GENERATIONS: usize = 8;

static CACHE: Mutex<Vec<Generation>> = Mutex::new(Vec::new());

thread_local! {
    /// The stamp of the request on this thread: `Some(None)` until a read needs it.
    static SCOPE: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Runs `work` as one request: catalogue reads in it are answered from memory.
pub fn scope<T>(work: impl FnOnce() -> T) -> T {
    struct Leave(Option<Option<String>>);
    impl Drop for Leave {
        fn drop(&mut self) {
            SCOPE.with(|s| *s.borrow_mut() = self.0.take());
        }
    }
    let _leave = Leave(SCOPE.with(|s| s.borrow_mut().replace(None)));
    work()
}

/// The catalogue's stamp as the database has it now. In a request's [`scope`] it becomes the
/// request's stamp, so that the reads after it see every change committed before it: a
/// writer that read the catalogue before taking its locks calls this once it holds them,
/// and reads again when the stamp moved meanwhile.
pub fn fresh(conn: &mut DbConnection) -> StoreResult<String> {
    let now = stamp(conn)?;
    SCOPE.with(|s| {
        let mut scope = s.borrow_mut();
        if scope.is_some() {
            *scope = Some(Some(now.clone()));
        }
    });
    Ok(now)
}

fn stamp(conn: &mut DbConnection) -> StoreResult<String> {
    Ok(catalogue_stamp::table
        .select(catalogue_stamp::stamp)
        .first(conn)?)
}

fn lookup(stamp: &str, key: &Key) -> Option<Value> {
    let cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    let generation = cache.iter().find(|g| g.stamp == stamp)?;
    generation.values.get(key).cloned()
}

fn keep(stamp: &str, key: Key, value: Value) {
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    let at = match cache.iter().position(|g| g.stamp == stamp) {
        Some(at) => at,
        None => {
            if cache.len() >= GENERATIONS {
                cache.remove(0);
            }
            cache.push(Generation {
                stamp: stamp.to_owned(),
                values: HashMap::new(),
            });
            cache.len() - 1
        }
    };
    cache[at].values.insert(key, value);
}

/// `load`'s answer for `key`, from memory when this request's stamp has it. A fresh answer
/// is kept only when the stamp, read again after it, is unchanged: then no change to the
/// catalogue committed in between, and none is pending in this transaction.
pub(super) fn cached<T: Clone + Send + Sync + 'static>(
    conn: &mut DbConnection,
    key: Key,
    load: impl FnOnce(&mut DbConnection) -> StoreResult<T>,
) -> StoreResult<T> {
    let Some(known) = SCOPE.with(|s| s.borrow().clone()) else {
        return load(conn);
    };
    let current = match known {
        Some(stamp) => stamp,
        None => {
            let stamp = stamp(conn)?;
            SCOPE.with(|s| *s.borrow_mut() = Some(Some(stamp.clone())));
            stamp
        }
    };
    if let Some(value) = lookup(&current, &key).and_then(|v| v.downcast::<T>().ok()) {
        return Ok((*value).clone());
    }
    let value = load(conn)?;
    if stamp(conn)? == current {
        keep(&current, key, Arc::new(value.clone()));
    }
    Ok(value)
}
