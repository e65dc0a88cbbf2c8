//! Which booking capacity can take a whole visit: a visit is served at one desk from its
//! start to its end, so only desks that serve every one of its errands, and have what its
//! needs ask for, can take it.
//!
//! Capacity is kept as rules of interchangeable desks ("2 counters for pas and kørekort,
//! Monday 10–14:30") that add up, and bookings are not tied to a desk until the citizen is
//! called. So a visit counts against the rules whose errands include all of its own, and at
//! no instant on more desks than the location has that serve all its errands and have every
//! feature asked for: the *ceiling*.
//!
//! The caller counts *every* booking that draws on those rules against that capacity. That
//! never gives a desk twice: whenever bookings bound to some desks overlap, the one booked
//! last saw all of them already taking capacity, and its desks numbered at least that many;
//! so every group of such bookings has as many desks as bookings that can take them (Hall's
//! condition), and ordinary bookings take the other desks. It can refuse a visit that a clever
//! shuffle of the desks would have fitted; a citizen then sees one time fewer, never a
//! booking without a desk.

use std::collections::BTreeSet;

use super::DeskFeature;
use crate::domain::organisation::DeskKind;
use crate::domain::slots::CapacityRule;

/// A rule of booking capacity, with what its desks are and serve.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolRule<S> {
    pub rule: CapacityRule,
    pub kind: DeskKind,
    /// The errands whose bookings the rule's desks take; its desks are those that serve
    /// all of them. (A published roster's desks take every errand booked here: as a pool
    /// for one visit it serves exactly the visit's errands.)
    pub services: Vec<S>,
}

/// A desk of the location as bookings see it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskOffer<S> {
    pub kind: DeskKind,
    pub services: Vec<S>,
    pub features: BTreeSet<DeskFeature>,
}

/// The capacity that can take a visit: the rules whose errands include all of it, and the
/// ceiling on how many of their desks can take it at once.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitCapacity {
    pub rules: Vec<CapacityRule>,
    /// At most this many desks at any instant, however many rules add up; `None` leaves the
    /// rules as they are.
    pub ceiling: Option<u32>,
}

/// The capacity of a visit of `errands` needing desks with `features`.
///
/// A visit of one errand with no such needs keeps its rules as they are and no ceiling (the
/// organisation's import has checked that each rule has that many desks serving its errands),
/// so single bookings count exactly as before. Otherwise each rule keeps at most as many
/// desks as the location has of its kind that serve all the rule's errands (so are the
/// rule's) and have every feature, and the ceiling is the number of such desks of all the
/// rules together, however the rules add up.
pub fn visit_capacity<S: PartialEq>(
    rules: &[PoolRule<S>],
    desks: &[DeskOffer<S>],
    errands: &[S],
    features: &BTreeSet<DeskFeature>,
) -> VisitCapacity {
    let covering = rules
        .iter()
        .filter(|pool| errands.iter().all(|e| pool.services.contains(e)));
    if errands.len() <= 1 && features.is_empty() {
        return VisitCapacity {
            rules: covering.map(|pool| pool.rule).collect(),
            ceiling: None,
        };
    }
    let fits = |desk: &DeskOffer<S>, pool: &PoolRule<S>| {
        desk.kind == pool.kind
            && pool.services.iter().all(|e| desk.services.contains(e))
            && features.is_subset(&desk.features)
    };
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let covering: Vec<&PoolRule<S>> = covering.collect();
    let ceiling = count(
        desks
            .iter()
            .filter(|desk| covering.iter().any(|pool| fits(desk, pool)))
            .count(),
    );
    let rules = covering
        .iter()
        .filter_map(|pool| {
            let own = count(desks.iter().filter(|desk| fits(desk, pool)).count());
            let desks = pool.rule.desks.min(own);
            (desks > 0).then_some(CapacityRule { desks, ..pool.rule })
        })
        .collect();
    VisitCapacity {
        rules,
        ceiling: Some(ceiling),
    }
}
