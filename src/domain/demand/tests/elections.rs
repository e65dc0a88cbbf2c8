//! The elections known to the model, and the postal votes before them.

use super::*;

#[test]
fn elections_are_known_and_in_order() {
    use chrono_tz::{America::Nuuk, Europe::Copenhagen};
    assert!(ELECTIONS.windows(2).all(|w| w[0].date < w[1].date));
    assert!(election_days(Copenhagen).any(|d| d == date("2024-06-09")));
    let lift = |day: &str| election_factor(date(day), Copenhagen);
    assert_eq!(lift("2026-10-27"), 1.0, "voting on the day is at the polls");
    assert_eq!(lift("2026-09-01"), 1.0);
    assert!(lift("2026-10-25") > 1.6);
    assert!(lift("2026-10-06") < lift("2026-10-20"));
    // Greenland votes for the Folketing but not for Danish councils or the EU.
    assert_eq!(
        election_factor(date("2026-10-25"), Nuuk),
        lift("2026-10-25")
    );
    assert_eq!(election_factor(date("2025-11-14"), Nuuk), 1.0);
    assert!(!election_days(Nuuk).any(|d| d == date("2024-06-09")));
}
