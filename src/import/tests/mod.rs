//! Tests of the whole import, through [`parse_organisation`]: a small valid file, broken in
//! one place per test. The tests of each section are in the submodule of the same name.

mod capacity;
mod locations;
mod municipality;
mod needs;
mod services;
mod shifts;
mod staff;

use super::services::DEFAULT_BOOK_AHEAD_DAYS;
use super::*;
use crate::domain::organisation::{BookingPolicy, Role};

const FILE: &str = "test.toml";

/// A small valid file that each test breaks in one place.
const BASE: &str = r#"
[organisation]
slug = "testby"
name = "Testby Kommune"

[municipality]
name = "Testby"
logo = "testby.svg"
phone = "+45 70 10 20 30"
address = "Rådhuspladsen 1, 9999 Testby"
mail_from_name = "Testby Borgerservice"
mail_from = "borgerservice@testby.example"
reply_to = "svar@testby.example"
privacy_notice_url = "https://www.testby.example/privatliv"
accessibility_statement_url = "https://www.was.digst.dk/testby-example"

[[departments]]
slug = "borgerservice"
name = "Borgerservice"

[[departments]]
slug = "byggeri"
name = "Byggeri"

[[services]]
slug = "pas"
name_da = "Pas"
name_en = "Passport"
department = "borgerservice"
duration_minutes = 15
channel = "in_person"
booking = "required"
queue_prefix = "P"
self_service_url = "https://www.borger.dk/"

[[services]]
slug = "vejledning"
name_da = "Vejledning"
name_en = "Guidance"
department = "borgerservice"
duration_minutes = 10
channel = "in_person"
booking = "walk_in_only"
queue_prefix = "V"

[[services]]
slug = "byggesag"
name_da = "Byggesag"
name_en = "Building permit"
department = "byggeri"
duration_minutes = 30
channel = "in_person"
booking = "optional"
queue_prefix = "B"

[[locations]]
slug = "raadhuset"
name = "Rådhuset"
address = "Torvet 1, 9999 Testby"
timezone = "Europe/Copenhagen"
services = ["pas", "vejledning"]
opening_hours = { mon = ["10:00-14:30"], thu = ["10:00-12:00", "13:00-17:00"] }

[[locations.closures]]
from = 2026-12-24
to = 2026-12-26
reason = "Jul"

[[locations.desks]]
name = "Skranke 1"
services = ["pas", "vejledning"]

[[locations.capacity]]
days = ["mon", "thu"]
from = "10:00"
to = "12:00"
desks = 1
services = ["pas"]

[[locations]]
slug = "byggeriet"
name = "Byggeriet"
address = "Torvet 3, 9999 Testby"
timezone = "Europe/Copenhagen"
services = ["byggesag"]
opening_hours = { tue = ["09:00-15:00"] }

[[locations.service_hours]]
service = "byggesag"
hours = { tue = ["10:00-12:00"] }

[[locations.desks]]
name = "Byggeri 1"
services = ["byggesag"]

[[staff]]
username = "anna"
name = "Anna Jensen"
roles = ["staff"]
home_location = "raadhuset"
locations = ["raadhuset"]
services = ["pas"]
password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"
"#;

/// `BASE` with `old`, which must occur exactly once, replaced by `new`.
fn edit(old: &str, new: &str) -> String {
    edit_in(BASE, old, new)
}

fn edit_in(text: &str, old: &str, new: &str) -> String {
    assert_eq!(text.matches(old).count(), 1, "{old:?} must occur once");
    text.replacen(old, new, 1)
}

/// The 1-based line where `needle`, which must occur once, starts.
fn line_of(text: &str, needle: &str) -> usize {
    assert_eq!(
        text.matches(needle).count(),
        1,
        "{needle:?} must occur once"
    );
    let offset = text.find(needle).unwrap();
    text[..offset].matches('\n').count() + 1
}

fn problems(text: &str) -> String {
    parse_organisation(FILE, text)
        .expect_err("the file should be refused")
        .to_string()
}

/// Asserts a problem `{file}:{line}: {field}: …` whose message contains `words`, where
/// the line is the one holding `at`.
fn assert_problem(text: &str, at: &str, field: &str, words: &str) {
    let all = problems(text);
    let prefix = format!("{FILE}:{}: {field}: ", line_of(text, at));
    assert!(
        all.lines()
            .any(|l| l.starts_with(&prefix) && l.contains(words)),
        "no problem starting {prefix:?} and containing {words:?} in:\n{all}"
    );
}

#[test]
fn the_base_file_is_valid() {
    let spec = parse_organisation(FILE, BASE).unwrap();
    assert_eq!(spec.services.len(), 3);
    assert_eq!(spec.services[0].book_ahead_days, DEFAULT_BOOK_AHEAD_DAYS);
    assert_eq!(spec.locations[0].closures[0].reason, "Jul");
    assert_eq!(spec.locations[0].capacity[0].weekdays.len(), 2);
    assert_eq!(
        spec.locations[1].service_hours[0].service.as_str(),
        "byggesag"
    );
    assert_eq!(
        spec.staff[0].home_location.as_ref().unwrap().as_str(),
        "raadhuset"
    );
}

#[test]
fn duplicate_slugs_usernames_and_desk_names() {
    let text = edit("slug = \"byggeri\"", "slug = \"borgerservice\"");
    assert_problem(
        &text,
        "slug = \"borgerservice\"\nname = \"Byggeri\"",
        "departments[1].slug",
        "used twice",
    );

    let text = edit("slug = \"byggesag\"", "slug = \"vejledning\"");
    let line = line_of(BASE, "slug = \"byggesag\"");
    assert!(problems(&text).contains(&format!(
        "{FILE}:{line}: services[2].slug: service slug 'vejledning' is used twice"
    )));

    let text = edit("slug = \"byggeriet\"", "slug = \"raadhuset\"");
    let line = line_of(BASE, "slug = \"byggeriet\"");
    let expected = format!(
        "{FILE}:{line}: locations[1].slug: location slug 'raadhuset' is used twice: \
         it is already on line"
    );
    assert!(problems(&text).contains(&expected));

    let text = format!(
        "{BASE}\n[[staff]]\nusername = \"Anna\"\nname = \"Anna Hansen\"\nroles = [\"staff\"]\n"
    );
    assert_problem(
        &text,
        "username = \"Anna\"",
        "staff[1].username",
        "username 'anna' is used twice",
    );

    let second_desk = "[[locations.desks]]\nname = \"Skranke 1 \"\nservices = [\"pas\"]\n\n";
    let text = edit(
        "[[locations.capacity]]",
        &format!("{second_desk}[[locations.capacity]]"),
    );
    assert_problem(
        &text,
        "name = \"Skranke 1 \"",
        "locations[0].desks[1].name",
        "desk name 'Skranke 1' is used twice",
    );
}

#[test]
fn bad_slugs() {
    let text = edit("slug = \"testby\"", "slug = \"Testby\"");
    assert_problem(
        &text,
        "slug = \"Testby\"",
        "organisation.slug",
        "may only contain a-z",
    );
    let text = edit("slug = \"raadhuset\"", "slug = \"rådhuset\"");
    assert_problem(
        &text,
        "slug = \"rådhuset\"",
        "locations[0].slug",
        "may only contain a-z",
    );
}

#[test]
fn bad_enum_values() {
    let text = edit("booking = \"optional\"", "booking = \"mandatory\"");
    assert_problem(
        &text,
        "mandatory",
        "services[2].booking",
        "'mandatory' is not one of required, optional, walk_in_only",
    );
    let text = edit(
        "channel = \"in_person\"\nbooking = \"walk_in_only\"",
        "channel = \"chat\"\nbooking = \"walk_in_only\"",
    );
    assert_problem(
        &text,
        "\"chat\"",
        "services[1].channel",
        "is not one of in_person, phone, video",
    );
    let text = edit(
        "name = \"Byggeri 1\"",
        "name = \"Byggeri 1\"\nkind = \"pc\"",
    );
    assert_problem(
        &text,
        "kind = \"pc\"",
        "locations[1].desks[0].kind",
        "is not one of counter, resource",
    );
}

#[test]
fn toml_errors_name_line_and_field() {
    let text = edit(
        "name = \"Byggeri 1\"",
        "name = \"Byggeri 1\"\ncolour = \"blue\"",
    );
    assert_problem(
        &text,
        "colour",
        "locations[1].desks[0].colour",
        "unknown field `colour`",
    );
    let text = edit("duration_minutes = 30", "duration_minutes = \"30\"");
    assert_problem(
        &text,
        "duration_minutes = \"30\"",
        "services[2].duration_minutes",
        "expected a whole number",
    );
    let text = edit("reason = \"Jul\"\n", "");
    assert_problem(
        &text,
        "[[locations.closures]]",
        "locations[0].closures[0].reason",
        "missing field `reason`",
    );
    let text = edit("[[staff]]", "[[staff]\n");
    assert_eq!(
        parse_organisation(FILE, &text).unwrap_err().problems.len(),
        1
    );
}

#[test]
fn every_problem_is_reported_in_file_order() {
    let text = edit(
        "timezone = \"Europe/Copenhagen\"\nservices = [\"pas\"",
        "timezone = \"Mars/Olympus\"\nservices = [\"pas\"",
    );
    let text = edit_in(&text, "queue_prefix = \"V\"", "queue_prefix = \"v\"");
    let text = edit_in(&text, "roles = [\"staff\"]", "roles = [\"chef\"]");
    let errors = parse_organisation(FILE, &text).unwrap_err();
    let fields: Vec<&str> = errors.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "services[1].queue_prefix",
            "locations[0].timezone",
            "staff[0].roles[0]"
        ]
    );
    assert_eq!(errors.to_string().lines().count(), 3);
}

#[test]
fn problems_display_with_and_without_a_line() {
    let mut problem = ImportProblem {
        file: "org.toml".into(),
        line: Some(7),
        field: "services[0].slug".into(),
        message: "must not be empty".into(),
    };
    assert_eq!(
        problem.to_string(),
        "org.toml:7: services[0].slug: must not be empty"
    );
    problem.line = None;
    assert_eq!(
        problem.to_string(),
        "org.toml: services[0].slug: must not be empty"
    );
}

#[test]
fn the_example_organisation_is_valid() {
    let text = include_str!("../../../examples/organisation.toml");
    let spec = match parse_organisation("examples/organisation.toml", text) {
        Ok(spec) => spec,
        Err(errors) => panic!("{errors}"),
    };
    assert!(spec.locations.len() >= 3);
    let nuuk = spec
        .locations
        .iter()
        .find(|l| l.timezone == chrono_tz::America::Nuuk);
    assert!(nuuk.is_some(), "a location in Nuuk");
    for policy in <BookingPolicy as strum::VariantArray>::VARIANTS {
        assert!(
            spec.services.iter().any(|s| s.booking == *policy),
            "{policy} is shown"
        );
    }
    assert!(
        spec.staff.iter().all(|s| s.password_hash.is_none()),
        "the demo sets passwords"
    );
    let admin = spec.staff.iter().find(|s| s.username == "admin").unwrap();
    assert!(admin.roles.contains(&Role::Admin) && admin.roles.contains(&Role::Planner));
}
