//! Problems with capacity rules.

use super::*;

#[test]
fn capacity_rule_with_an_unknown_service_or_no_desks() {
    let text = edit(
        "desks = 1\nservices = [\"pas\"]",
        "desks = 1\nservices = [\"pas\", \"kørekort\"]",
    );
    assert_problem(
        &text,
        "kørekort",
        "locations[0].capacity[0].services[1]",
        "there is no service 'kørekort'",
    );
    let text = edit("desks = 1", "desks = 0");
    assert_problem(
        &text,
        "desks = 0",
        "locations[0].capacity[0].desks",
        "must be at least 1",
    );
    let text = edit("desks = 1", "desks = 2");
    assert_problem(
        &text,
        "desks = 2",
        "locations[0].capacity[0].desks",
        "has only 1 counter desks that serve pas",
    );
}

#[test]
fn capacity_outside_the_hours_or_for_walk_ins() {
    let text = edit("days = [\"mon\", \"thu\"]", "days = [\"mon\", \"fri\"]");
    assert_problem(
        &text,
        "from = \"10:00\"",
        "locations[0].capacity[0]",
        "10:00-12:00 on fri is outside the hours of 'pas' at 'raadhuset' (closed on fri)",
    );
    let text = edit(
        "desks = 1\nservices = [\"pas\"]",
        "desks = 1\nservices = [\"vejledning\"]",
    );
    assert_problem(
        &text,
        "services = [\"vejledning\"]\n",
        "locations[0].capacity[0].services[0]",
        "walk-in only",
    );
}
