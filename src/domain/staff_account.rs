//! A staff account as an administrator writes it in the browser, and the rules every
//! account keeps: the same rules, in the same words, as a `[[staff]]` entry of the
//! organisation file, whose checks call the ones here.

use std::collections::BTreeSet;

use super::organisation::{parse_choice, parse_username, Role};
use super::roster::MAX_CONTRACT_HOURS;
use super::{email, FieldError, Slug};

/// The fewest characters of a password; a sentence is easier to remember than symbols.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// An account as the form or the API sent it, before any check.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, utoipa::ToSchema)]
pub struct AccountDraft {
    /// 2 to 64 letters, digits, `.`, `_` or `-`.
    #[schema(example = "anna.jensen")]
    pub username: String,
    /// The name colleagues know the person by.
    #[schema(example = "Anna Jensen")]
    pub name: String,
    /// Where the password-set link goes.
    #[serde(default)]
    #[schema(example = "anna.jensen@kommune.dk")]
    pub email: Option<String>,
    /// `admin`, `planner`, `staff`: at least one.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Location slugs the person may work at; none means anywhere.
    #[serde(default)]
    pub locations: Vec<String>,
    /// Errand slugs the person can handle.
    #[serde(default)]
    pub services: Vec<String>,
    /// One of `locations`.
    #[serde(default)]
    pub home_location: Option<String>,
    /// Hours a week, 0 to 60; none is 0.
    #[serde(default)]
    #[schema(example = 37.0)]
    pub contract_hours: Option<f64>,
}

/// An account that keeps every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub roles: BTreeSet<Role>,
    pub locations: Vec<Slug>,
    pub services: Vec<Slug>,
    pub home_location: Option<Slug>,
    pub contract_minutes: u32,
}

/// The locations and errands an account may name.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    pub locations: &'a [Slug],
    pub services: &'a [Slug],
}

/// The account, or every problem with it, each on its field.
pub fn check(draft: &AccountDraft, known: Known) -> Result<Account, Vec<FieldError>> {
    let mut problems = Vec::new();
    let username = parse_username(draft.username.trim());
    note(&mut problems, "username", &username);
    let display_name = non_empty(&draft.name);
    note(&mut problems, "name", &display_name);
    let email = match draft.email.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(raw) => email::parse(raw).map(Some),
    };
    note(&mut problems, "email", &email);
    let roles = roles(&draft.roles);
    note(&mut problems, "roles", &roles);
    let locations = references("location", &draft.locations, known.locations);
    note(&mut problems, "locations", &locations);
    let services = references("service", &draft.services, known.services);
    note(&mut problems, "services", &services);
    let home_location = match (draft.home_location.as_deref(), &locations) {
        (None | Some(""), _) => Ok(None),
        (Some(home), Ok(listed)) => home_among(home, listed).map(Some),
        (Some(_), Err(_)) => Err("choose the locations first".to_owned()),
    };
    note(&mut problems, "home_location", &home_location);
    let contract = draft.contract_hours.map_or(Ok(0), contract_minutes);
    note(&mut problems, "contract_hours", &contract);
    match (
        username,
        display_name,
        email,
        roles,
        locations,
        services,
        home_location,
        contract,
    ) {
        (
            Ok(username),
            Ok(display_name),
            Ok(email),
            Ok(roles),
            Ok(locations),
            Ok(services),
            Ok(home_location),
            Ok(contract_minutes),
        ) => Ok(Account {
            username,
            display_name,
            email,
            roles,
            locations,
            services,
            home_location,
            contract_minutes,
        }),
        _ => Err(problems),
    }
}

pub(super) fn note<T>(problems: &mut Vec<FieldError>, field: &str, result: &Result<T, String>) {
    if let Err(message) = result {
        problems.push(FieldError::new(field, message.clone()));
    }
}

/// A text that must say something, trimmed.
pub fn non_empty(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        Err("must not be empty".to_owned())
    } else {
        Ok(value.to_owned())
    }
}

/// At least one role, each one Skranke knows.
pub fn roles(raw: &[String]) -> Result<BTreeSet<Role>, String> {
    if raw.is_empty() {
        return Err("must name at least one role (admin, planner, staff)".to_owned());
    }
    raw.iter().map(|r| parse_choice::<Role>(r.trim())).collect()
}

fn references(what: &str, raw: &[String], known: &[Slug]) -> Result<Vec<Slug>, String> {
    let mut out: Vec<Slug> = Vec::new();
    for name in raw {
        let Some(slug) = known.iter().find(|k| k.as_str() == name.trim()) else {
            let names: Vec<&str> = known.iter().map(Slug::as_str).collect();
            return Err(format!(
                "there is no {what} '{name}'; there are {}",
                names.join(", ")
            ));
        };
        if out.contains(slug) {
            return Err(format!("'{name}' is listed twice"));
        }
        out.push(slug.clone());
    }
    Ok(out)
}

/// The home location must also be one of the person's locations: adding it silently would
/// hide a mistake in one of the two.
pub fn home_among(home: &str, locations: &[Slug]) -> Result<Slug, String> {
    match locations.iter().find(|l| l.as_str() == home) {
        Some(slug) => Ok(slug.clone()),
        None => {
            let listed: Vec<&str> = locations.iter().map(Slug::as_str).collect();
            Err(format!(
                "'{home}' is not among this person's locations ([{}]); add it to locations too",
                listed.join(", ")
            ))
        }
    }
}

/// A contract of `hours` a week, in minutes.
pub fn contract_minutes(hours: f64) -> Result<u32, String> {
    if (0.0..=MAX_CONTRACT_HOURS).contains(&hours) {
        Ok((hours * 60.0).round() as u32)
    } else {
        Err(format!(
            "must be between 0 and {MAX_CONTRACT_HOURS} hours a week, got {hours}"
        ))
    }
}

/// A new password, typed twice so that a slip of the finger does not lock the person out.
pub fn new_password(password: &str, repeated: Option<&str>) -> Result<(), FieldError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(FieldError::new(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters long"),
        ));
    }
    match repeated {
        Some(again) if again != password => Err(FieldError::new(
            "password_again",
            "is not the same as the password",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slugs(names: &[&str]) -> Vec<Slug> {
        names.iter().map(|n| Slug::parse(n).unwrap()).collect()
    }

    fn draft() -> AccountDraft {
        AccountDraft {
            username: "anna.jensen".into(),
            name: " Anna Jensen ".into(),
            email: Some("Anna@Kommune.dk".into()),
            roles: vec!["staff".into()],
            locations: vec!["raadhuset".into()],
            services: vec!["pas".into()],
            home_location: Some("raadhuset".into()),
            contract_hours: Some(37.0),
        }
    }

    #[test]
    fn a_good_account_is_kept_as_written_and_trimmed() {
        let (locations, services) = (slugs(&["raadhuset", "bibliotek"]), slugs(&["pas"]));
        let known = Known {
            locations: &locations,
            services: &services,
        };
        let account = check(&draft(), known).unwrap();
        assert_eq!(account.display_name, "Anna Jensen");
        assert_eq!(account.email.as_deref(), Some("anna@kommune.dk"));
        assert_eq!(account.contract_minutes, 37 * 60);
        assert_eq!(account.roles, BTreeSet::from([Role::Staff]));
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let (locations, services) = (slugs(&["raadhuset", "bibliotek"]), slugs(&["pas"]));
        let known = Known {
            locations: &locations,
            services: &services,
        };
        let bad = AccountDraft {
            username: "a b".into(),
            name: "  ".into(),
            email: Some("nowhere".into()),
            roles: vec![],
            locations: vec!["bibliotek".into()],
            services: vec!["fisk".into()],
            home_location: Some("raadhuset".into()),
            contract_hours: Some(61.0),
        };
        let fields: Vec<String> = check(&bad, known)
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "username",
                "name",
                "email",
                "roles",
                "services",
                "home_location",
                "contract_hours"
            ]
        );
    }

    #[test]
    fn a_password_is_long_enough_and_typed_the_same_twice() {
        assert!(new_password("kort", None).is_err());
        assert_eq!(
            new_password("korrekt hest batteri", Some("korrekt hest"))
                .unwrap_err()
                .field,
            "password_again"
        );
        assert!(new_password("korrekt hest batteri", Some("korrekt hest batteri")).is_ok());
    }
}
