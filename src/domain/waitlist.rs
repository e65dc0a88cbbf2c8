//! The waitlist's rules: who may join for which dates, which freed time an entry is offered,
//! and when a hold stops counting. Pure: the caller passes the time and the free times.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use derive_more::Display;
use serde::{Deserialize, Serialize};

use super::slots::{BookingRules, Slot};
use super::FieldError;

/// One citizen's place on a waitlist.
#[derive(
    Debug, Display, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct EntryId(pub i64);

/// A time set aside for one entry.
#[derive(
    Debug, Display, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct HoldId(pub i64);

/// Where an entry stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EntryStatus {
    /// On the list; may be offered a time (and may hold one now).
    Waiting,
    /// Claimed an offered time: the entry became an appointment.
    Booked,
    /// Left the list.
    Left,
}

/// Where a hold stands. A `Held` hold counts only until it expires.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum HoldStatus {
    Held,
    Claimed,
    /// Expired unclaimed; the time went on to the next entry or back to everyone.
    Lapsed,
    /// Given back before it expired (the citizen left the list).
    Released,
}

/// The mails a waitlist entry gets.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum WaitlistMailKind {
    /// On the list, with the link to leave it.
    Joined,
    /// A time is held: the link to claim it.
    Offer,
}

/// The default time a freed time is held for the entry it is offered to.
pub const DEFAULT_HOLD_MINUTES: u32 = 30;

/// The local dates an errand can be booked for at a moment: from the date of the earliest
/// start its notice allows to the last date its book-ahead limit allows (the clock's part
/// of the free-time rules in `slots`, by the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookableDates {
    /// The location's local date now.
    pub today: NaiveDate,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl BookableDates {
    pub fn at(zone: Tz, rules: &BookingRules, now: DateTime<Utc>) -> Self {
        let today = now.with_timezone(&zone).date_naive();
        let earliest = now
            .checked_add_signed(Duration::minutes(i64::from(rules.min_notice_minutes)))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        Self {
            today,
            first: earliest.with_timezone(&zone).date_naive(),
            last: today
                .checked_add_days(Days::new(u64::from(rules.book_ahead_days)))
                .unwrap_or(NaiveDate::MAX),
        }
    }
}

/// The local dates an entry waits for, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl WaitRange {
    /// A range that ends no earlier than it starts, lies within the dates the errand can be
    /// booked for (waiting for a time nobody could book would only keep the citizen's name
    /// and address for nothing), and spans at most `max_days` days.
    pub fn parse(
        from: NaiveDate,
        to: NaiveDate,
        bookable: BookableDates,
        max_days: i64,
    ) -> Result<Self, FieldError> {
        let BookableDates { today, first, last } = bookable;
        if from < today {
            return Err(FieldError::new(
                "from",
                format!("{from} has passed; the earliest date is {first}"),
            ));
        }
        if from < first {
            return Err(FieldError::new(
                "from",
                format!(
                    "{from} is sooner than this errand can be booked; the earliest date is {first}"
                ),
            ));
        }
        let beyond = |date: NaiveDate| {
            format!(
                "{date} is further ahead than this errand can be booked; the last date is {last}"
            )
        };
        if from > last {
            return Err(FieldError::new("from", beyond(from)));
        }
        if to < from {
            return Err(FieldError::new("to", "must not be before from"));
        }
        if to > last {
            return Err(FieldError::new("to", beyond(to)));
        }
        if (to - from).num_days() >= max_days {
            return Err(FieldError::new(
                "to",
                format!("wait for at most {max_days} days at a time"),
            ));
        }
        Ok(Self { from, to })
    }

    /// The dates still ahead on `today`, or `None` when the range is over.
    pub fn remaining(&self, today: NaiveDate) -> Option<Self> {
        (self.to >= today).then(|| Self {
            from: self.from.max(today),
            to: self.to,
        })
    }
}

/// Whether a hold still takes its time: it does until the instant it expires.
pub fn hold_counts(status: HoldStatus, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    status == HoldStatus::Held && now < expires_at
}

/// The time to offer an entry: the earliest free one it has not already let lapse.
pub fn pick_offer<'a>(free: &'a [Slot], passed: &[DateTime<Utc>]) -> Option<&'a Slot> {
    free.iter()
        .find(|slot| !passed.contains(&slot.start.with_timezone(&Utc)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn bookable(today: &str, first: &str, last: &str) -> BookableDates {
        BookableDates {
            today: date(today),
            first: date(first),
            last: date(last),
        }
    }

    #[test]
    fn a_range_lies_ahead_runs_forwards_and_is_bounded() {
        let window = bookable("2027-03-29", "2027-03-29", "2027-12-31");
        let parse = |from: &str, to: &str| WaitRange::parse(date(from), date(to), window, 62);
        assert!(parse("2027-03-29", "2027-03-29").is_ok());
        assert_eq!(parse("2027-03-28", "2027-03-30").unwrap_err().field, "from");
        assert_eq!(parse("2027-04-02", "2027-04-01").unwrap_err().field, "to");
        assert_eq!(parse("2027-04-01", "2027-06-10").unwrap_err().field, "to");
    }

    #[test]
    fn a_range_lies_within_the_errands_booking_window() {
        let window = bookable("2027-03-29", "2027-03-31", "2027-05-28");
        let parse = |from: &str, to: &str| WaitRange::parse(date(from), date(to), window, 62);
        assert!(parse("2027-03-31", "2027-04-02").is_ok());
        assert!(parse("2027-05-20", "2027-05-28").is_ok());
        let soon = parse("2027-03-30", "2027-04-02").unwrap_err();
        assert_eq!(soon.field, "from");
        assert!(soon.message.contains("2027-03-31"), "{}", soon.message);
        let far = parse("9999-12-01", "9999-12-31").unwrap_err();
        assert_eq!(far.field, "from");
        assert!(far.message.contains("2027-05-28"), "{}", far.message);
        assert_eq!(parse("2027-05-20", "2027-05-29").unwrap_err().field, "to");
    }

    #[test]
    fn the_bookable_dates_follow_notice_and_book_ahead_in_local_time() {
        let rules = BookingRules {
            duration_minutes: 15,
            buffer_minutes: 0,
            slot_step_minutes: 15,
            book_ahead_days: 30,
            min_notice_minutes: 2880,
        };
        // 21:30 UTC is 23:30 in Copenhagen (summer time), still the 29th there.
        let now: DateTime<Utc> = "2027-03-29T21:30:00Z".parse().unwrap();
        let dates = BookableDates::at(chrono_tz::Europe::Copenhagen, &rules, now);
        assert_eq!(dates.today, date("2027-03-29"));
        assert_eq!(dates.first, date("2027-03-31"));
        assert_eq!(dates.last, date("2027-04-28"));
        // One hour later it is the 30th locally, and both ends move.
        let later = BookableDates::at(
            chrono_tz::Europe::Copenhagen,
            &rules,
            now + Duration::hours(1),
        );
        assert_eq!(
            (later.today, later.first, later.last),
            (date("2027-03-30"), date("2027-04-01"), date("2027-04-29"))
        );
    }

    #[test]
    fn what_remains_of_a_range_starts_today_and_ends_with_it() {
        let range = WaitRange {
            from: date("2027-03-30"),
            to: date("2027-04-02"),
        };
        assert_eq!(range.remaining(date("2027-03-29")), Some(range));
        assert_eq!(
            range.remaining(date("2027-04-01")).unwrap().from,
            date("2027-04-01")
        );
        assert_eq!(range.remaining(date("2027-04-03")), None);
    }

    #[test]
    fn a_hold_counts_until_it_expires_and_only_while_held() {
        let expires: DateTime<Utc> = "2027-03-29T10:30:00Z".parse().unwrap();
        let before = expires - Duration::seconds(1);
        assert!(hold_counts(HoldStatus::Held, expires, before));
        assert!(!hold_counts(HoldStatus::Held, expires, expires));
        assert!(!hold_counts(HoldStatus::Claimed, expires, before));
        assert!(!hold_counts(HoldStatus::Released, expires, before));
    }

    #[test]
    fn the_offer_is_the_earliest_time_not_let_lapse_before() {
        let zone = chrono_tz::Europe::Copenhagen;
        let slot = |h: u32| {
            let start = zone.with_ymd_and_hms(2027, 3, 30, h, 0, 0).unwrap();
            Slot {
                start,
                end: start + Duration::minutes(15),
                available: 1,
            }
        };
        let free = [slot(10), slot(11)];
        assert_eq!(pick_offer(&free, &[]), Some(&free[0]));
        let passed = [free[0].start.with_timezone(&Utc)];
        assert_eq!(pick_offer(&free, &passed), Some(&free[1]));
        assert_eq!(pick_offer(&[], &passed), None);
    }
}
