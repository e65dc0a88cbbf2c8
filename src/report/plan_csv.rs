//! A plan as CSV: one line per interval and location, for spreadsheets.

use std::fmt::Write as _;

use crate::app::plan::Plan;

/// One line per interval, with a header.
pub fn csv(plan: &Plan) -> String {
    let mut out =
        String::from("location,start,forecast,required,planned,simulated_wait_minutes,met\n");
    for i in &plan.intervals {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{}",
            i.location,
            i.start.to_rfc3339(),
            i.forecast,
            i.required,
            i.planned,
            i.simulated_wait_minutes,
            i.met
        );
    }
    out
}
