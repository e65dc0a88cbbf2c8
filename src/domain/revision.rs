//! Optimistic concurrency for what administrators edit: each record carries a version that
//! every save raises, and a save made from an older reading is refused, naming who saved
//! in between and when, instead of overwriting their change unseen.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Who saved a record last, and which save it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub version: i32,
    /// The display name of whoever saved it, none before the first save in the browser.
    pub changed_by: Option<String>,
    pub changed_at: Option<DateTime<Utc>>,
}

/// A save made from an older reading than the record's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// None when the record was last written by an import of the organisation file.
    pub changed_by: Option<String>,
    pub changed_at: Option<DateTime<Utc>>,
}

impl Stale {
    /// "changed by anna at 10:14 after this form was read; reload it and try again", the
    /// time on the wall clock of `zone`.
    pub fn sentence(&self, zone: Tz) -> String {
        let Some(who) = &self.changed_by else {
            return "changed by an import after this form was read; reload it and try again"
                .to_owned();
        };
        let at = self
            .time(zone)
            .map(|time| format!(" at {time}"))
            .unwrap_or_default();
        format!("changed by {who}{at} after this form was read; reload it and try again")
    }

    /// The time of the change as `HH:MM` on the wall clock of `zone`, when it is known.
    pub fn time(&self, zone: Tz) -> Option<String> {
        self.changed_at
            .map(|at| at.with_timezone(&zone).format("%H:%M").to_string())
    }
}

/// Whether a save read at version `read` may go ahead over `current`.
pub fn check(read: i32, current: &Revision) -> Result<(), Stale> {
    if read == current.version {
        Ok(())
    } else {
        Err(Stale {
            changed_by: current.changed_by.clone(),
            changed_at: current.changed_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_from_an_older_reading_names_who_saved_in_between() {
        let current = Revision {
            version: 3,
            changed_by: Some("anna".into()),
            changed_at: Some("2027-03-30T08:14:00Z".parse().unwrap()),
        };
        assert!(check(3, &current).is_ok());
        let stale = check(2, &current).unwrap_err();
        assert_eq!(
            stale.sentence(chrono_tz::Europe::Copenhagen),
            "changed by anna at 10:14 after this form was read; reload it and try again"
        );
    }

    #[test]
    fn a_save_over_an_import_says_so_without_a_name() {
        let current = Revision {
            version: 1,
            changed_by: None,
            changed_at: None,
        };
        let stale = check(0, &current).unwrap_err();
        assert_eq!(stale.changed_by, None);
        assert_eq!(
            stale.sentence(chrono_tz::Europe::Copenhagen),
            "changed by an import after this form was read; reload it and try again"
        );
    }
}
