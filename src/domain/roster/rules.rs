//! The working-time rules, checked on any list of shifts: what the solver must never break
//! and what the tests and the planner check its rosters against.

use std::collections::BTreeMap;

use chrono::Duration;
use serde::Serialize;

use super::model::{Problem, Shift};

pub use skranke_roster_search::MIN_REST_HOURS;

/// One rule broken by one shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleBreach {
    pub worker: String,
    pub rule: &'static str,
    pub detail: String,
}

/// Every rule that `shifts` break for `problem`'s staff and templates.
pub fn check_rules(problem: &Problem, shifts: &[Shift]) -> Vec<RuleBreach> {
    let mut out = Vec::new();
    let mut by_worker: BTreeMap<&str, Vec<&Shift>> = BTreeMap::new();
    for s in shifts {
        by_worker.entry(&s.worker).or_default().push(s);
    }
    let breach = |worker: &str, rule: &'static str, detail: String| RuleBreach {
        worker: worker.to_owned(),
        rule,
        detail,
    };
    for (name, mut list) in by_worker {
        let Some(worker) = problem.workers.iter().find(|w| w.name == name) else {
            out.push(breach(
                name,
                "known staff",
                "not among the staff planned".into(),
            ));
            continue;
        };
        list.sort_by_key(|s| s.start);
        let mut minutes = 0;
        for (i, s) in list.iter().enumerate() {
            let Some(site) = problem.sites.iter().find(|site| site.slug == s.location) else {
                out.push(breach(
                    name,
                    "allowed location",
                    format!("{} is not planned", s.location),
                ));
                continue;
            };
            if !worker.locations.contains(&s.location) {
                out.push(breach(
                    name,
                    "allowed location",
                    format!("may not work at {}", s.location),
                ));
            }
            if !worker
                .services
                .iter()
                .any(|x| site.services.contains(x) || site.back_office.contains(x))
            {
                out.push(breach(
                    name,
                    "skills",
                    format!("handles no errand offered at {}", s.location),
                ));
            }
            if worker.is_absent(s.date) {
                out.push(breach(name, "absence", format!("is away on {}", s.date)));
            }
            if let Some(t) = problem.templates.iter().find(|t| t.slug == s.template) {
                minutes += t.paid_minutes();
            }
            if let Some(next) = list.get(i + 1) {
                if next.date == s.date {
                    out.push(breach(
                        name,
                        "one shift a day",
                        format!("two shifts on {}", s.date),
                    ));
                }
                if next.start < s.end + Duration::hours(MIN_REST_HOURS) {
                    out.push(breach(
                        name,
                        "11 hours' rest",
                        format!("{} after a shift ending {}", next.start, s.end),
                    ));
                }
            }
        }
        if minutes > i64::from(worker.contract_minutes) {
            out.push(breach(
                name,
                "weekly hours",
                format!(
                    "{minutes} minutes over a contract of {}",
                    worker.contract_minutes
                ),
            ));
        }
    }
    out
}
