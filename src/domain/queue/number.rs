//! Ticket numbers: a queue letter and the sequence of the location's local day.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Digits shown at least, so that numbers line up on the call display (`A001` … `A999`).
const MIN_DIGITS: usize = 3;

/// The number printed on a ticket and called out: the service's queue letter and the
/// sequence of the day, `A001`, `B014`, `A1000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TicketNumber {
    prefix: char,
    seq: u32,
}

impl TicketNumber {
    /// Accepts a capital letter A–Z (as `organisation::parse_queue_prefix` does) and a
    /// sequence from 1: numbering starts at `A001`, so `A000` is never issued.
    pub fn new(prefix: char, seq: u32) -> Result<Self, String> {
        if !prefix.is_ascii_uppercase() {
            Err(format!("'{prefix}' is not a queue letter A-Z"))
        } else if seq == 0 {
            Err("ticket numbers start at 1".into())
        } else {
            Ok(Self { prefix, seq })
        }
    }

    pub fn prefix(self) -> char {
        self.prefix
    }

    pub fn seq(self) -> u32 {
        self.seq
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:0width$}", self.prefix, self.seq, width = MIN_DIGITS)
    }
}

impl FromStr for TicketNumber {
    type Err = String;

    /// Parses exactly what [`fmt::Display`] writes. Other spellings (`A1`, `A0001`, `a001`)
    /// are refused, so that one ticket has one text and a lookup by number cannot miss.
    fn from_str(raw: &str) -> Result<Self, String> {
        let refuse = || {
            format!(
                "'{raw}' is not a ticket number: \
                 a capital letter and at least three digits, like A001"
            )
        };
        let mut chars = raw.chars();
        let prefix = chars.next().ok_or_else(refuse)?;
        let digits = chars.as_str();
        let canonical = digits.len() >= MIN_DIGITS
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !(digits.len() > MIN_DIGITS && digits.starts_with('0'));
        if !canonical {
            return Err(refuse());
        }
        let seq = digits
            .parse::<u32>()
            .map_err(|_| format!("'{raw}' has a sequence number too large for one day"))?;
        Self::new(prefix, seq).map_err(|why| format!("'{raw}' is not a ticket number: {why}"))
    }
}

impl TryFrom<String> for TicketNumber {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        raw.parse()
    }
}

impl From<TicketNumber> for String {
    fn from(number: TicketNumber) -> String {
        number.to_string()
    }
}

/// The local calendar day at the location, on which numbering restarts at 001.
///
/// Converting the instant to the zone (rather than adding a fixed offset) keeps the day
/// right across daylight-saving changes and in zones west of UTC, where the local evening
/// is already the next UTC day (Nuuk).
pub fn local_day(now: DateTime<Utc>, zone: Tz) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// The sequence number for the next ticket of a queue, given the highest one issued on
/// the same local day (`None` for the first ticket of the day).
///
/// Saturates rather than wraps: four billion tickets in one queue in one day do not
/// happen, and a repeated number is then refused by the store's unique key.
pub fn next_seq(last_today: Option<u32>) -> u32 {
    last_today.map_or(1, |last| last.saturating_add(1))
}
