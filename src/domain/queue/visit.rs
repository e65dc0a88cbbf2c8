//! Tickets of a whole visit: several errands, or a need that only some desks meet. Which
//! desk may call one, and how its errands are finished, each with its own outcome.
//!
//! Such a ticket waits in the queue of its first open errand, keeping its place in time,
//! but is called only by a desk that serves all its open errands and has what its needs
//! ask for. When no open desk can, a desk that serves the errand it waits for calls it, so
//! that nobody waits for a desk that is not there; the clerk then transfers the rest.

use std::collections::{BTreeSet, HashSet};

use super::call::WaitingTicket;
use super::status::Outcome;
use crate::domain::ids::ServiceId;
use crate::domain::visit::DeskFeature;
use crate::domain::FieldError;

/// A waiting ticket of a whole visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitTicket {
    pub waiting: WaitingTicket,
    /// The errands still without an outcome; the one it waits for among them.
    pub open: Vec<ServiceId>,
    /// What its needs ask of the desk.
    pub features: BTreeSet<DeskFeature>,
}

/// What a desk serves and has.
#[derive(Debug, Clone, Copy)]
pub struct DeskAbility<'a> {
    pub serves: &'a HashSet<ServiceId>,
    pub features: &'a BTreeSet<DeskFeature>,
}

impl DeskAbility<'_> {
    /// Whether the desk can take the whole visit of `ticket`.
    pub fn takes_whole(&self, ticket: &VisitTicket) -> bool {
        ticket.open.iter().all(|s| self.serves.contains(s))
            && self.serves.contains(&ticket.waiting.service)
            && ticket.features.is_subset(self.features)
    }
}

/// Whether `desk` may call `ticket` while `open_desks` (the location's desks that call
/// tickets now, `desk` among them) are open: it takes the whole visit, or none of them
/// does and it serves the errand the ticket waits for.
pub fn may_call(
    desk: DeskAbility<'_>,
    open_desks: &[DeskAbility<'_>],
    ticket: &VisitTicket,
) -> bool {
    desk.takes_whole(ticket)
        || (desk.serves.contains(&ticket.waiting.service)
            && !open_desks.iter().any(|d| d.takes_whole(ticket)))
}

/// One errand of a ticket as its finish sees it: its slug and whether it has its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrandLine<'a> {
    pub service: &'a str,
    pub done: bool,
}

/// Outcomes by the position of the errand on its ticket.
pub type ErrandOutcomes = Vec<(usize, Outcome)>;

/// Checks the outcomes staff give for a ticket's errands (`outcomes[i]`, an errand by slug
/// and `resolved` or `referred`): each names an open errand of the ticket, once; at a finish
/// (`every`) each open errand has one. Every problem is reported at once. Returns the
/// outcomes by the position of the errand among `lines`.
pub fn errand_outcomes(
    lines: &[ErrandLine<'_>],
    given: &[(String, String)],
    every: bool,
) -> Result<ErrandOutcomes, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out: ErrandOutcomes = Vec::new();
    let mut named: Vec<usize> = Vec::new();
    let names = |done: bool| {
        lines
            .iter()
            .filter(|l| l.done == done)
            .map(|l| l.service)
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (i, (service, outcome)) in given.iter().enumerate() {
        let field = |name: &str| format!("outcomes[{i}].{name}");
        let outcome = match outcome.parse::<Outcome>() {
            Ok(o) => Some(o),
            Err(_) => {
                errors.push(FieldError::new(
                    field("outcome"),
                    format!("'{outcome}' is no outcome: resolved or referred"),
                ));
                None
            }
        };
        match lines.iter().position(|l| l.service == service) {
            None => errors.push(FieldError::new(
                field("service"),
                format!(
                    "'{service}' is not an errand of this ticket; its errands: {}",
                    lines
                        .iter()
                        .map(|l| l.service)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            Some(at) if lines[at].done => errors.push(FieldError::new(
                field("service"),
                format!("'{service}' has its outcome already"),
            )),
            Some(at) if named.contains(&at) => errors.push(FieldError::new(
                field("service"),
                format!("'{service}' is named twice"),
            )),
            Some(at) => {
                named.push(at);
                if let Some(outcome) = outcome {
                    out.push((at, outcome));
                }
            }
        }
    }
    if every && errors.is_empty() {
        let missing: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(at, l)| !l.done && !out.iter().any(|(seen, _)| seen == at))
            .map(|(_, l)| l.service)
            .collect();
        if !missing.is_empty() {
            errors.push(FieldError::new(
                "outcomes",
                format!(
                    "give every errand its outcome; missing: {} (errands of this ticket: {})",
                    missing.join(", "),
                    names(false)
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The outcome of the whole visit: resolved at first contact only when every errand was.
pub fn visit_outcome(outcomes: impl IntoIterator<Item = Outcome>) -> Outcome {
    if outcomes.into_iter().all(|o| o == Outcome::Resolved) {
        Outcome::Resolved
    } else {
        Outcome::Referred
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::queue::TicketId;

    fn ticket(open: &[i64], features: &[DeskFeature]) -> VisitTicket {
        VisitTicket {
            waiting: WaitingTicket {
                id: TicketId(1),
                service: ServiceId(open[0]),
                queued_at: Utc.with_ymd_and_hms(2027, 3, 30, 8, 0, 0).unwrap(),
                appointment_start: None,
            },
            open: open.iter().copied().map(ServiceId).collect(),
            features: features.iter().copied().collect(),
        }
    }

    fn serving(ids: &[i64]) -> HashSet<ServiceId> {
        ids.iter().copied().map(ServiceId).collect()
    }

    #[test]
    fn only_a_desk_serving_every_errand_calls_while_one_is_open() {
        let (both, first, second) = (serving(&[1, 2]), serving(&[1]), serving(&[2]));
        let none = BTreeSet::new();
        let ability = |serves| DeskAbility {
            serves,
            features: &none,
        };
        let t = ticket(&[1, 2], &[]);
        let open = [ability(&both), ability(&first), ability(&second)];
        assert!(may_call(ability(&both), &open, &t));
        assert!(!may_call(ability(&first), &open, &t));
        assert!(!may_call(ability(&second), &open, &t));
        let without_both = [ability(&first), ability(&second)];
        assert!(
            may_call(ability(&first), &without_both, &t),
            "the first errand's desk calls when no desk takes the whole visit"
        );
        assert!(!may_call(ability(&second), &without_both, &t));
    }

    #[test]
    fn a_need_asks_the_desk_for_its_feature() {
        let serves = serving(&[1]);
        let (plain, step_free) = (BTreeSet::new(), BTreeSet::from([DeskFeature::StepFree]));
        let t = ticket(&[1], &[DeskFeature::StepFree]);
        let (a, b) = (
            DeskAbility {
                serves: &serves,
                features: &plain,
            },
            DeskAbility {
                serves: &serves,
                features: &step_free,
            },
        );
        assert!(!may_call(a, &[a, b], &t));
        assert!(may_call(b, &[a, b], &t));
        assert!(may_call(a, &[a], &t), "no step-free desk is open");
    }

    #[test]
    fn every_open_errand_gets_one_outcome_and_each_problem_is_named() {
        let lines = [
            ErrandLine {
                service: "pas",
                done: false,
            },
            ErrandLine {
                service: "koerekort",
                done: false,
            },
        ];
        let given = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(s, o)| ((*s).to_owned(), (*o).to_owned()))
                .collect()
        };
        assert_eq!(
            errand_outcomes(
                &lines,
                &given(&[("koerekort", "referred"), ("pas", "resolved")]),
                true
            ),
            Ok(vec![(1, Outcome::Referred), (0, Outcome::Resolved)])
        );
        let fields = |r: Result<Vec<(usize, Outcome)>, Vec<FieldError>>| {
            r.unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(errand_outcomes(
                &lines,
                &given(&[("pas", "resolved")]),
                true
            )),
            ["outcomes"]
        );
        assert_eq!(
            fields(errand_outcomes(
                &lines,
                &given(&[
                    ("pas", "done"),
                    ("sundhedskort", "resolved"),
                    ("pas", "resolved")
                ]),
                true
            )),
            [
                "outcomes[0].outcome",
                "outcomes[1].service",
                "outcomes[2].service"
            ]
        );
        assert!(errand_outcomes(&lines, &given(&[("pas", "resolved")]), false).is_ok());
        let done = [ErrandLine {
            service: "pas",
            done: true,
        }];
        assert_eq!(
            fields(errand_outcomes(&done, &given(&[("pas", "resolved")]), true)),
            ["outcomes[0].service"]
        );
    }

    #[test]
    fn a_visit_is_resolved_only_when_every_errand_is() {
        use Outcome::*;
        assert_eq!(visit_outcome([Resolved, Resolved]), Resolved);
        assert_eq!(visit_outcome([Resolved, Referred]), Referred);
    }
}
