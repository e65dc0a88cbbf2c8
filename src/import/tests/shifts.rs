//! Shift templates and the planning fields of staff.

use super::*;

const PLANNING: &str = r#"
[[shift_templates]]
slug = "dag"
start = "09:45"
end = "14:45"
breaks = ["12:00-12:30"]
locations = ["raadhuset"]

[[shift_templates]]
slug = "kort"
start = "10:00"
end = "13:00"
"#;

/// `BASE` with planning data: Anna on 30 hours, away over Christmas, preferring `dag`.
fn with_planning() -> String {
    let staff = edit(
        "password_hash = \"$argon2id",
        "contract_hours = 30\npreferred_shifts = [\"dag\"]\n\
         absences = [{ from = 2026-12-24, to = 2026-12-31, reason = \"Ferie\" }]\npassword_hash = \"$argon2id",
    );
    format!("{staff}{PLANNING}")
}

#[test]
fn templates_contracts_absences_and_preferences_are_read() {
    let (_, planning) = parse_organisation_and_planning(FILE, &with_planning()).unwrap();
    assert_eq!(planning.shift_templates.len(), 2);
    let dag = &planning.shift_templates[0];
    assert_eq!(dag.paid_minutes(), 270);
    assert_eq!(dag.locations[0].as_str(), "raadhuset");
    assert!(planning.shift_templates[1].locations.is_empty());
    let anna = &planning.staff[0];
    assert_eq!(anna.contract_minutes, 30 * 60);
    assert_eq!(anna.preferred_templates[0].as_str(), "dag");
    assert_eq!(anna.absences.len(), 1);
    // The file without any planning data still reads, with nobody on a contract.
    let (_, none) = parse_organisation_and_planning(FILE, BASE).unwrap();
    assert!(none.shift_templates.is_empty());
    assert_eq!(none.staff[0].contract_minutes, 0);
}

#[test]
fn a_template_that_ends_before_it_starts_or_breaks_outside_it() {
    let text = edit_in(&with_planning(), "end = \"13:00\"", "end = \"09:00\"");
    assert_problem(
        &text,
        "end = \"09:00\"",
        "shift_templates[1].end",
        "must be after the start 10:00",
    );
    let text = edit_in(
        &with_planning(),
        "breaks = [\"12:00-12:30\"]",
        "breaks = [\"14:30-15:00\"]",
    );
    assert_problem(
        &text,
        "breaks = [",
        "shift_templates[0].breaks[0]",
        "must lie inside the shift 09:45-14:45",
    );
    let text = edit_in(&with_planning(), "end = \"13:00\"", "end = \"23:30\"");
    assert_problem(
        &text,
        "end = \"23:30\"",
        "shift_templates[1].end",
        "at most 13 hours",
    );
    let text = edit_in(&with_planning(), "slug = \"kort\"", "slug = \"dag\"");
    assert_problem(
        &text,
        "slug = \"dag\"\nstart = \"10:00\"",
        "shift_templates[1].slug",
        "is used twice",
    );
}

#[test]
fn a_template_at_an_unknown_location() {
    let text = edit_in(
        &with_planning(),
        "locations = [\"raadhuset\"]\n\n",
        "locations = [\"nuuk\"]\n\n",
    );
    assert_problem(
        &text,
        "locations = [\"nuuk\"]",
        "shift_templates[0].locations[0]",
        "there is no location 'nuuk'",
    );
}

#[test]
fn contracts_preferences_and_absences_are_checked() {
    let text = edit_in(
        &with_planning(),
        "contract_hours = 30",
        "contract_hours = 80",
    );
    assert_problem(
        &text,
        "contract_hours",
        "staff[0].contract_hours",
        "between 0 and 60 hours",
    );
    let text = edit_in(
        &with_planning(),
        "contract_hours = 30",
        "contract_hours = \"fuld tid\"",
    );
    assert_problem(
        &text,
        "contract_hours",
        "staff[0].contract_hours",
        "is not a number of hours",
    );
    let text = edit_in(
        &with_planning(),
        "preferred_shifts = [\"dag\"]",
        "preferred_shifts = [\"nat\"]",
    );
    assert_problem(
        &text,
        "preferred_shifts",
        "staff[0].preferred_shifts[0]",
        "there is no shift template 'nat'",
    );
    let text = edit_in(&with_planning(), "to = 2026-12-31", "to = 2026-12-01");
    assert_problem(
        &text,
        "absences",
        "staff[0].absences[0].to",
        "must not be before from",
    );
}
