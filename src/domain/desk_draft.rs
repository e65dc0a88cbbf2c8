//! A desk as an administrator writes it in the browser, checked by the rules a desk of the
//! organisation file keeps: a name no other desk of the place has, a kind, and errands
//! that the place offers.

use super::organisation::{parse_choice, DeskKind, DeskSpec};
use super::staff_account::{non_empty, note};
use super::{FieldError, Slug};

/// A desk as the form or the API sent it, before any check.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, utoipa::ToSchema)]
pub struct DeskDraft {
    #[schema(example = "Skranke 4")]
    pub name: String,
    /// `counter` (staffed) or `resource` (a citizen PC); `counter` when left out.
    #[serde(default)]
    pub kind: Option<String>,
    /// Errand slugs the desk serves, each offered at its location; at least one.
    #[serde(default)]
    pub services: Vec<String>,
    /// Out of order: offered to no one at the console and calling no tickets.
    #[serde(default)]
    pub out_of_order: bool,
}

/// A desk that keeps every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedDesk {
    pub spec: DeskSpec,
}

/// Where the desk stands: the place's slug, the errands it offers, the other desks' names.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub slug: &'a str,
    pub offered: &'a [Slug],
    pub other_names: &'a [String],
}

/// The desk, or every problem with it, each on its field.
pub fn check(draft: &DeskDraft, place: Place) -> Result<CheckedDesk, Vec<FieldError>> {
    let mut problems = Vec::new();
    let name = non_empty(&draft.name).and_then(|name| {
        // Staff and call displays tell desks apart by name alone.
        if place.other_names.iter().any(|o| o.trim() == name) {
            Err(format!(
                "desk name '{name}' is used twice: another desk here has it"
            ))
        } else {
            Ok(name)
        }
    });
    note(&mut problems, "name", &name);
    let kind = draft
        .kind
        .as_deref()
        .filter(|k| !k.trim().is_empty())
        .map_or(Ok(DeskKind::Counter), |k| {
            parse_choice::<DeskKind>(k.trim())
        });
    note(&mut problems, "kind", &kind);
    let services = served(&draft.services, place);
    note(&mut problems, "services", &services);
    match (name, kind, services) {
        (Ok(name), Ok(kind), Ok(services)) => Ok(CheckedDesk {
            spec: DeskSpec {
                name,
                kind,
                services,
                out_of_order: draft.out_of_order,
                // The page does not edit what a desk has; saving a desk leaves it as it is.
                features: Default::default(),
            },
        }),
        _ => Err(problems),
    }
}

fn served(raw: &[String], place: Place) -> Result<Vec<Slug>, String> {
    if raw.is_empty() {
        return Err("must name at least one service".to_owned());
    }
    let mut out: Vec<Slug> = Vec::new();
    for name in raw {
        let Some(slug) = place.offered.iter().find(|s| s.as_str() == name.trim()) else {
            return Err(format!(
                "'{name}' is not offered at '{}'; add it to the location's services first",
                place.slug
            ));
        };
        if out.contains(slug) {
            return Err(format!("'{name}' is listed twice"));
        }
        out.push(slug.clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_desk_needs_a_name_of_its_own_a_known_kind_and_errands_offered_there() {
        let offered = vec![Slug::parse("pas").unwrap()];
        let others = vec!["Skranke 1".to_owned()];
        let place = Place {
            slug: "raadhuset",
            offered: &offered,
            other_names: &others,
        };
        let good = DeskDraft {
            name: "Skranke 4".into(),
            kind: None,
            services: vec!["pas".into()],
            out_of_order: true,
        };
        let desk = check(&good, place).unwrap();
        assert_eq!(desk.spec.kind, DeskKind::Counter);
        assert!(desk.spec.out_of_order);
        let bad = DeskDraft {
            name: "Skranke 1".into(),
            kind: Some("bench".into()),
            services: vec!["fisk".into()],
            out_of_order: false,
        };
        let fields: Vec<String> = check(&bad, place)
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["name", "kind", "services"]);
    }
}
