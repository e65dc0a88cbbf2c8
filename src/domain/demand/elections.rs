//! The Danish elections that move demand: postal votes are cast at citizen service in the
//! weeks before each.

use chrono::NaiveDate;
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElectionKind {
    European,
    Municipal,
    General,
}

/// An election day; postal votes are cast at citizen service in the weeks before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Election {
    pub date: NaiveDate,
    pub kind: ElectionKind,
}

const fn election(year: i32, month: u32, day: u32, kind: ElectionKind) -> Election {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => Election { date, kind },
        None => panic!("not a date"),
    }
}

/// Danish elections known to the model, in date order. The general election of 2022, the
/// EU election of 9 June 2024 and the municipal election of 18 November 2025 are real.
/// The general election of 2026 is **demo data**: the Folketing's term ends on 31 October
/// 2026, so it is placed on Tuesday 27 October 2026, inside the demo's twelve months.
pub const ELECTIONS: [Election; 4] = [
    election(2022, 11, 1, ElectionKind::General),
    election(2024, 6, 9, ElectionKind::European),
    election(2025, 11, 18, ElectionKind::Municipal),
    election(2026, 10, 27, ElectionKind::General),
];

impl Election {
    /// Whether citizens at a location in `zone` vote in it. Greenland and the Faroe Islands
    /// elect members of the Folketing, but are outside the EU and hold their own municipal
    /// elections; a location's time zone is the model's only clue to where it is.
    pub fn held_in(&self, zone: Tz) -> bool {
        match self.kind {
            ElectionKind::General => true,
            ElectionKind::European | ElectionKind::Municipal => {
                zone == chrono_tz::Europe::Copenhagen
            }
        }
    }
}

/// Postal voting at the municipality opens this many days before election day…
pub const POSTAL_VOTES_FROM_DAYS: i64 = 21;
/// …and closes this many days before it.
pub const POSTAL_VOTES_UNTIL_DAYS: i64 = 2;

/// The dates of the [`ELECTIONS`] held where `zone` is.
pub fn election_days(zone: Tz) -> impl Iterator<Item = NaiveDate> {
    ELECTIONS
        .iter()
        .filter(move |e| e.held_in(zone))
        .map(|e| e.date)
}

/// How many days before election day local `date` is, for each election held where `zone`
/// is whose postal voting is open on `date`.
pub fn postal_voting_days_before(date: NaiveDate, zone: Tz) -> impl Iterator<Item = i64> {
    election_days(zone)
        .map(move |day| (day - date).num_days())
        .filter(|before| (POSTAL_VOTES_UNTIL_DAYS..=POSTAL_VOTES_FROM_DAYS).contains(before))
}
