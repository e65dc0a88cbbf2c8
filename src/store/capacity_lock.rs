//! The locks that keep a location's bookable capacity right under concurrent writers, on
//! PostgreSQL. SQLite's one writer (`BEGIN IMMEDIATE`) already serialises them all.
//!
//! A booking draws on one day of its errand's capacity pool (the errands sharing its desks),
//! so it locks that day of each errand of the pool, and the citizen's count of future
//! bookings of the errand: two bookings wait for each other only when one could change what
//! the other counts. Writers that change capacity across a whole location (the waitlist's
//! holds and claims, a cancellation or move that offers the freed time, a closure) lock the
//! location's capacity as a whole, which every booking holds shared.
//!
//! The locks are transaction-scoped advisory locks, taken in one statement in a fixed
//! order (the location's first, then by key), so that two bookings never deadlock. Keys
//! pack their parts into 20 bits each; ids or dates beyond that may share a key, which
//! only makes two unrelated bookings wait for each other.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt};
use sha2::{Digest, Sha256};

use crate::domain::ids::{LocationId, ServiceId};

use super::{DbConnection, StoreResult};

/// What kind of thing a key locks, in its top bits.
const WHOLE: i64 = 1 << 60;
const ERRAND_DAY: i64 = 2 << 60;
const CITIZEN: i64 = 3 << 60;
const PART: i64 = (1 << 20) - 1;

/// Locks the location's bookable capacity against every booking and capacity writer there.
pub fn whole(conn: &mut DbConnection, location: LocationId) -> StoreResult<()> {
    if let DbConnection::Postgres(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<BigInt, _>(whole_key(location))
            .execute(c)?;
    }
    Ok(())
}

/// What one booking draws on: a day of an errand's capacity pool, and a citizen's count of
/// future bookings of the errand.
pub struct Booking<'a> {
    pub location: LocationId,
    /// The local date of the booked time.
    pub date: NaiveDate,
    /// The errands whose bookings count against the same capacity on that date.
    pub pool: &'a [ServiceId],
    pub service: ServiceId,
    pub email: &'a str,
}

/// Locks what `booking` draws on, and the location's capacity shared, until the
/// transaction ends.
pub fn booking(conn: &mut DbConnection, booking: &Booking) -> StoreResult<()> {
    if let DbConnection::Postgres(c) = conn {
        let shared = whole_key(booking.location);
        diesel::sql_query(
            "SELECT CASE WHEN k = $1 THEN pg_advisory_xact_lock_shared(k) \
             ELSE pg_advisory_xact_lock(k) END FROM unnest($2) AS k",
        )
        .bind::<BigInt, _>(shared)
        .bind::<Array<BigInt>, _>(booking_keys(booking))
        .execute(c)?;
    }
    Ok(())
}

fn whole_key(location: LocationId) -> i64 {
    WHOLE | (location.0 & PART)
}

/// The keys in the order every booking takes them: the location's shared key first.
fn booking_keys(booking: &Booking) -> Vec<i64> {
    let day = i64::from(booking.date.num_days_from_ce()) & PART;
    let place = (booking.location.0 & PART) << 40 | day << 20;
    let mut keys: Vec<i64> = booking
        .pool
        .iter()
        .chain(std::iter::once(&booking.service))
        .map(|s| ERRAND_DAY | place | (s.0 & PART))
        .collect();
    let digest = Sha256::new()
        .chain_update(booking.service.0.to_be_bytes())
        .chain_update(booking.email.as_bytes())
        .finalize();
    let hash = i64::from_be_bytes(digest[..8].try_into().expect("eight bytes"));
    keys.push(CITIZEN | (hash & ((1 << 60) - 1)));
    keys.sort_unstable();
    keys.dedup();
    keys.insert(0, whole_key(booking.location));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(location: i64, date: &str, pool: &[i64], service: i64, email: &str) -> Vec<i64> {
        let pool: Vec<ServiceId> = pool.iter().copied().map(ServiceId).collect();
        booking_keys(&Booking {
            location: LocationId(location),
            date: date.parse().unwrap(),
            pool: &pool,
            service: ServiceId(service),
            email,
        })
    }

    #[test]
    fn bookings_that_draw_on_the_same_errand_day_share_a_key() {
        let a = keys(1, "2027-03-30", &[4, 7], 4, "a@example.dk");
        let b = keys(1, "2027-03-30", &[7, 9], 9, "b@example.dk");
        assert!(a[1..].iter().any(|k| b[1..].contains(k)));
    }

    #[test]
    fn bookings_of_other_days_or_pools_share_only_the_location() {
        let a = keys(1, "2027-03-30", &[4, 7], 4, "a@example.dk");
        for b in [
            keys(1, "2027-03-31", &[4, 7], 4, "b@example.dk"),
            keys(1, "2027-03-30", &[5], 5, "b@example.dk"),
            keys(2, "2027-03-30", &[4, 7], 4, "b@example.dk"),
        ] {
            assert!(!a[1..].iter().any(|k| b[1..].contains(k)), "{a:?} {b:?}");
        }
        assert_eq!(a[0], keys(1, "2027-04-01", &[1], 1, "c@example.dk")[0]);
    }

    #[test]
    fn one_citizen_booking_one_errand_on_two_days_shares_a_key() {
        let a = keys(1, "2027-03-30", &[4], 4, "a@example.dk");
        let b = keys(1, "2027-04-06", &[4], 4, "a@example.dk");
        assert!(a[1..].iter().any(|k| b[1..].contains(k)));
    }

    #[test]
    fn the_keys_come_in_one_order_the_location_first() {
        let k = keys(3, "2027-03-30", &[9, 2, 5], 5, "a@example.dk");
        assert_eq!(k[0], whole_key(LocationId(3)));
        assert!(k[1..].windows(2).all(|w| w[0] < w[1]));
    }
}
