//! The checks of `[[staff]]`.

use std::collections::{BTreeSet, HashMap};

use toml::Spanned;

use super::checker::{Checker, FileNames};
use super::raw::{self, Text};
use crate::domain::organisation::{parse_username, Role, StaffSpec};
use crate::domain::staff_account::home_among;
use crate::domain::Slug;

pub(super) fn staff(
    cx: &mut Checker,
    raws: &[Spanned<raw::Staff>],
    names: &FileNames,
) -> Vec<StaffSpec> {
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.get_ref();
        let at = format!("staff[{i}]");
        // Sign-in should not depend on how a name was capitalised.
        cx.unique(
            &mut seen,
            &raw.username.get_ref().to_lowercase(),
            raw.username.span(),
            &format!("{at}.username"),
            "username",
        );
        out.extend(staff_member(cx, &at, raw, names));
    }
    out
}

fn staff_member(
    cx: &mut Checker,
    at: &str,
    raw: &raw::Staff,
    names: &FileNames,
) -> Option<StaffSpec> {
    let field = |key: &str| format!("{at}.{key}");
    let username = cx.ok(
        raw.username.span(),
        &field("username"),
        parse_username(raw.username.get_ref()),
    );
    let display_name = cx.text(&raw.name, &field("name"));
    let roles = roles(cx, &raw.roles, &field("roles"));
    let locations = cx.references(&raw.locations, &field("locations"), &names.locations);
    let services = cx.references(&raw.services, &field("services"), &names.services);
    let home_location = match &raw.home_location {
        None => Some(None),
        Some(home) => home_location(cx, home, &field("home_location"), raw, names).map(Some),
    };
    let password_hash = match &raw.password_hash {
        None => Some(None),
        Some(hash) => cx
            .ok(
                hash.span(),
                &field("password_hash"),
                argon2_hash(hash.get_ref()),
            )
            .map(Some),
    };
    Some(StaffSpec {
        username: username?,
        display_name: display_name?,
        roles: roles?,
        home_location: home_location?,
        locations,
        services,
        password_hash: password_hash?,
    })
}

fn roles(cx: &mut Checker, raw: &raw::List, field: &str) -> Option<BTreeSet<Role>> {
    if raw.get_ref().is_empty() {
        cx.report(
            raw.span(),
            field,
            "must name at least one role (admin, planner, staff)",
        );
        return None;
    }
    let before = cx.problems.len();
    let roles: BTreeSet<Role> = raw
        .get_ref()
        .iter()
        .enumerate()
        .filter_map(|(i, role)| cx.choice::<Role>(role, &format!("{field}[{i}]")))
        .collect();
    (cx.problems.len() == before).then_some(roles)
}

/// The home location must also be one of the person's locations: adding it silently would
/// hide a typo in one of the two lists.
fn home_location(
    cx: &mut Checker,
    raw: &Text,
    field: &str,
    staff: &raw::Staff,
    names: &FileNames,
) -> Option<Slug> {
    let home = cx.reference(raw, field, &names.locations)?;
    let listed: Vec<Slug> = staff
        .locations
        .iter()
        .filter_map(|l| Slug::parse(l.get_ref()).ok())
        .collect();
    cx.ok(raw.span(), field, home_among(home.as_str(), &listed))
}

/// Only a hash belongs in a file; a plain password here would be readable by anyone with the file.
fn argon2_hash(raw: &str) -> Result<String, String> {
    if raw.starts_with("$argon2") {
        Ok(raw.to_owned())
    } else {
        Err(
            "is not an argon2 hash (a string starting with $argon2id$); never put a plain \
             password in a file, leave password_hash out instead"
                .to_owned(),
        )
    }
}
