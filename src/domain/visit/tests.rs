//! A visit's length, limits, needs and desks.

use std::collections::BTreeSet;

use chrono::Weekday;

use super::*;
use crate::domain::hours::TimeRange;
use crate::domain::organisation::DeskKind;
use crate::domain::slots::CapacityRule;

fn terms(duration: u32, additional: Option<u32>, buffer: u32) -> ErrandTerms {
    ErrandTerms {
        duration_minutes: duration,
        additional_minutes: additional,
        buffer_minutes: buffer,
        slot_step_minutes: 15,
        book_ahead_days: 60,
        min_notice_minutes: 60,
    }
}

fn line(terms: ErrandTerms, quantity: u32) -> VisitLine<ErrandTerms> {
    VisitLine {
        service: terms,
        quantity,
    }
}

#[test]
fn the_first_errand_counts_in_full_and_each_further_unit_its_additional_time() {
    let pas = terms(15, Some(10), 5);
    let card = terms(5, None, 0);
    let rules = booking_rules(&[line(pas, 2), line(card, 1)], 0).unwrap();
    assert_eq!(rules.duration_minutes, 15 + 10 + 5);
    assert_eq!(rules.buffer_minutes, 5, "the buffer once, not per errand");
    let full = terms(15, None, 5);
    let rules = booking_rules(&[line(full, 2), line(card, 1)], 0).unwrap();
    assert_eq!(
        rules.duration_minutes,
        15 + 15 + 5,
        "no shorter time declared"
    );
    let card_first = booking_rules(&[line(card, 1), line(pas, 2)], 0).unwrap();
    assert_eq!(
        card_first.duration_minutes,
        5 + 10 + 10,
        "the first errand leads; the passports both count their additional time"
    );
}

#[test]
fn extra_time_lengthens_the_visit_and_the_strictest_window_wins() {
    let mut pas = terms(15, Some(10), 5);
    pas.book_ahead_days = 183;
    pas.min_notice_minutes = 120;
    let mut card = terms(5, None, 0);
    card.slot_step_minutes = 5;
    let rules = booking_rules(&[line(pas, 1), line(card, 1)], 20).unwrap();
    assert_eq!(rules.duration_minutes, 15 + 5 + 20);
    assert_eq!(rules.slot_step_minutes, 15, "the first errand's grid");
    assert_eq!(rules.book_ahead_days, 60);
    assert_eq!(rules.min_notice_minutes, 120);
}

#[test]
fn a_visit_of_one_errand_books_exactly_as_the_errand_alone() {
    let pas = terms(15, Some(10), 5);
    let rules = booking_rules(&[line(pas, 1)], 0).unwrap();
    assert_eq!(
        (
            rules.duration_minutes,
            rules.buffer_minutes,
            rules.slot_step_minutes
        ),
        (15, 5, 15)
    );
    assert_eq!(booking_rules(&[], 0), None);
}

#[test]
fn limits_per_errand_and_per_location_hold() {
    let max_of = |s: &&str| if *s == "pas" { 3 } else { 1 };
    let visit = |lines: &[(&'static str, u32)]| -> Vec<VisitLine<&'static str>> {
        lines
            .iter()
            .map(|(s, q)| VisitLine {
                service: *s,
                quantity: *q,
            })
            .collect()
    };
    assert_eq!(
        check_lines(&visit(&[("pas", 2), ("kort", 1)]), max_of, 4),
        Ok(())
    );
    assert_eq!(
        check_lines(&visit(&[("pas", 4)]), max_of, 10),
        Err(VisitRefusal::TooManyOf {
            service: "pas",
            max: 3
        })
    );
    assert_eq!(
        check_lines(&visit(&[("pas", 3), ("kort", 1)]), max_of, 3),
        Err(VisitRefusal::TooManyErrands { max: 3 })
    );
    assert_eq!(
        check_lines(&visit(&[("pas", 1)]), max_of, 0),
        Ok(()),
        "one errand always fits"
    );
    assert_eq!(
        check_lines(&visit(&[("pas", 1), ("kort", 1)]), max_of, 1),
        Err(VisitRefusal::TooManyErrands { max: 1 }),
        "a location that combines nothing takes one errand at a time"
    );
    assert_eq!(
        check_lines(&visit(&[("pas", 1), ("pas", 1)]), max_of, 4),
        Err(VisitRefusal::Repeated("pas"))
    );
    assert_eq!(
        check_lines(&visit(&[("kort", 0)]), max_of, 4),
        Err(VisitRefusal::NoneOf("kort"))
    );
    assert_eq!(
        check_lines(&visit(&[]), max_of, 4),
        Err(VisitRefusal::NoErrand)
    );
}

fn offered() -> Vec<NeedSpec> {
    [
        (NeedKind::Interpreter, 15),
        (NeedKind::StepFree, 0),
        (NeedKind::ExtraTime, 20),
    ]
    .into_iter()
    .map(|(kind, extra_minutes)| NeedSpec {
        kind,
        name_da: kind.to_string(),
        name_en: kind.to_string(),
        extra_minutes,
    })
    .collect()
}

fn raw(needs: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    needs
        .iter()
        .map(|(k, d)| (k.to_string(), d.map(str::to_owned)))
        .collect()
}

#[test]
fn needs_are_taken_from_the_offered_list_and_an_interpreter_names_a_language() {
    let needs = parse_needs(
        &raw(&[("interpreter", Some(" arabisk ")), ("step_free", None)]),
        &offered(),
    )
    .unwrap();
    assert_eq!(needs[0].detail.as_deref(), Some("arabisk"));
    assert_eq!(extra_minutes(&needs, &offered()), 15);
    assert_eq!(
        desk_features(&needs),
        BTreeSet::from([DeskFeature::StepFree])
    );
    let fields = |r: &[(&str, Option<&str>)]| -> Vec<String> {
        parse_needs(&raw(r), &offered())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    };
    assert_eq!(fields(&[("interpreter", None)]), ["needs[0].detail"]);
    assert_eq!(
        fields(&[("step_free", None), ("hearing_loop", None)]),
        ["needs[1].kind"],
        "not offered by this organisation"
    );
    assert_eq!(fields(&[("wings", None)]), ["needs[0].kind"]);
    assert_eq!(
        fields(&[("extra_time", None), ("extra_time", None)]),
        ["needs[1].kind"]
    );
    assert_eq!(fields(&[("step_free", Some("ramp"))]), ["needs[0].detail"]);
    let long = "x".repeat(MAX_NEED_DETAIL_CHARS + 1);
    assert_eq!(
        fields(&[("interpreter", Some(long.as_str()))]),
        ["needs[0].detail"]
    );
    assert!(parse_needs(&[], &offered()).unwrap().is_empty());
}

#[test]
fn only_desk_needs_restrict_desks() {
    let restricting: Vec<NeedKind> = <NeedKind as strum::VariantArray>::VARIANTS
        .iter()
        .copied()
        .filter(|k| k.desk_feature().is_some())
        .collect();
    assert_eq!(
        restricting,
        [
            NeedKind::StepFree,
            NeedKind::HearingLoop,
            NeedKind::QuietRoom
        ]
    );
}

/// `desks` counters taking bookings of `services` on Mondays over `range`.
pub(crate) fn pool(desks: u32, range: &str, services: &[&'static str]) -> PoolRule<&'static str> {
    PoolRule {
        rule: CapacityRule {
            weekday: Weekday::Mon,
            range: TimeRange::parse(range).unwrap(),
            desks,
        },
        kind: DeskKind::Counter,
        services: services.to_vec(),
    }
}

fn rule(desks: u32, services: &[&'static str]) -> PoolRule<&'static str> {
    pool(desks, "10:00-12:00", services)
}

/// A counter serving `services` with `features`.
pub(crate) fn desk(services: &[&'static str], features: &[DeskFeature]) -> DeskOffer<&'static str> {
    DeskOffer {
        kind: DeskKind::Counter,
        services: services.to_vec(),
        features: features.iter().copied().collect(),
    }
}

#[test]
fn a_visit_counts_only_on_desks_that_serve_all_its_errands_and_have_its_features() {
    let rules = [rule(2, &["pas", "kort"]), rule(1, &["pas"])];
    // Desks serve more errands than any one rule says.
    let desks = [
        desk(&["pas", "kort"], &[DeskFeature::StepFree]),
        desk(&["pas", "kort"], &[]),
        desk(&["pas"], &[DeskFeature::HearingLoop]),
        desk(&["kort"], &[DeskFeature::HearingLoop]),
    ];
    let none = BTreeSet::new();
    let capacity = |errands: &[&'static str], features: &BTreeSet<DeskFeature>| {
        let c = visit_capacity(&rules, &desks, errands, features);
        (
            c.rules.iter().map(|r| r.desks).collect::<Vec<u32>>(),
            c.ceiling,
        )
    };
    assert_eq!(
        capacity(&["pas"], &none),
        (vec![2, 1], None),
        "one errand: as before"
    );
    assert_eq!(capacity(&["pas", "kort"], &none), (vec![2], Some(2)));
    let step_free = BTreeSet::from([DeskFeature::StepFree]);
    assert_eq!(capacity(&["pas", "kort"], &step_free), (vec![1], Some(1)));
    assert_eq!(
        capacity(&["pas"], &step_free),
        (vec![1, 1], Some(1)),
        "the rules add up, but one desk has a ramp"
    );
    let hearing = BTreeSet::from([DeskFeature::HearingLoop]);
    assert_eq!(
        capacity(&["pas", "kort"], &hearing),
        (vec![], Some(0)),
        "the pas desk with a loop is not one of the rule's"
    );
    assert_eq!(capacity(&["kort", "byg"], &none), (vec![], Some(0)));
}
