//! Problems with staff.

use super::*;

#[test]
fn staff_with_unknown_role_location_or_service() {
    let text = edit("roles = [\"staff\"]", "roles = [\"staff\", \"boss\"]");
    assert_problem(
        &text,
        "\"boss\"",
        "staff[0].roles[1]",
        "'boss' is not one of admin, planner, staff",
    );
    let text = edit(
        "locations = [\"raadhuset\"]",
        "locations = [\"raadhuset\", \"nuuk\"]",
    );
    assert_problem(
        &text,
        "\"nuuk\"",
        "staff[0].locations[1]",
        "there is no location 'nuuk'",
    );
    let text = edit(
        "services = [\"pas\"]\npassword_hash",
        "services = [\"pas\", \"sundhedskort\"]\npassword_hash",
    );
    assert_problem(
        &text,
        "\"sundhedskort\"",
        "staff[0].services[1]",
        "there is no service 'sundhedskort'",
    );
}

#[test]
fn home_location_must_be_among_the_locations() {
    let text = edit(
        "home_location = \"raadhuset\"",
        "home_location = \"byggeriet\"",
    );
    assert_problem(
        &text,
        "home_location",
        "staff[0].home_location",
        "'byggeriet' is not among this person's locations ([raadhuset])",
    );
}

#[test]
fn password_hash_must_be_argon2() {
    let text = edit(
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        "hemmelig123",
    );
    assert_problem(
        &text,
        "hemmelig123",
        "staff[0].password_hash",
        "never put a plain password in a file",
    );
}
