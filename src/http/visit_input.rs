//! A visit as clients send it: `services=pas:2,sundhedskort&needs=step_free` in the slot
//! lookup, `services: [{service, quantity?}]` and `needs: [{kind, detail?}]` in a booking,
//! or the one `service` of before.

use serde::{Deserialize, Serialize};

use crate::app::visit::{ErrandAsked, NeedAsked, VisitAsked};
use crate::domain::organisation::Service;
use crate::domain::visit::VisitLine;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};

/// One errand of a visit, and how many of it (one unless said).
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ErrandInput {
    #[schema(example = "pas")]
    pub service: String,
    #[schema(example = 2, minimum = 1)]
    pub quantity: Option<u32>,
}

/// A need stated for a visit; `detail` is the interpreter's language.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NeedInput {
    #[schema(example = "interpreter")]
    pub kind: String,
    #[schema(example = "arabisk")]
    pub detail: Option<String>,
}

/// The errands of a visit in a body: the list a booking takes, or the slot lookup's text
/// (`pas:2,sundhedskort`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum ErrandsInput {
    #[schema(example = "pas:2,sundhedskort")]
    Text(String),
    List(Vec<ErrandInput>),
}

impl ErrandsInput {
    /// The errands as a list; a text's mistakes name their field (`services[1].quantity`).
    pub fn listed(self) -> AppResult<Vec<ErrandInput>> {
        match self {
            Self::Text(raw) => parse_errands(&raw),
            Self::List(list) => Ok(list),
        }
    }
}

/// A visit's errands as answers list them.
pub fn listed(errands: &[VisitLine<Service>]) -> Vec<ErrandInput> {
    errands
        .iter()
        .map(|l| ErrandInput {
            service: l.service.spec.slug.to_string(),
            quantity: Some(l.quantity),
        })
        .collect()
}

/// The visit of a booking's body: `service` or `services`, never both.
pub fn from_body(
    service: Option<String>,
    services: Option<Vec<ErrandInput>>,
    needs: Option<Vec<NeedInput>>,
) -> AppResult<VisitAsked> {
    let mut visit = errands(service, services)?;
    visit.needs = needs
        .unwrap_or_default()
        .into_iter()
        .map(|n| NeedAsked {
            kind: n.kind,
            detail: n.detail,
        })
        .collect();
    Ok(visit)
}

fn errands(service: Option<String>, services: Option<Vec<ErrandInput>>) -> AppResult<VisitAsked> {
    match (service, services) {
        (Some(_), Some(_)) => Err(AppError::invalid_field(
            "services",
            "give either service or services, not both",
        )),
        (None, None) => Err(AppError::invalid_field(
            "service",
            "name the errand (service), or the errands of the visit (services)",
        )),
        (Some(service), None) => Ok(VisitAsked::one(service)),
        (None, Some(list)) => Ok(VisitAsked {
            errands: list
                .into_iter()
                .map(|e| ErrandAsked {
                    service: e.service,
                    quantity: e.quantity.unwrap_or(1),
                })
                .collect(),
            needs: Vec::new(),
            listed: true,
        }),
    }
}

/// The visit of a slot lookup's query: `services=pas:2,sundhedskort` (or `service=pas`) and
/// `needs=step_free,extra_time`.
pub fn from_query(
    service: Option<String>,
    services: Option<&str>,
    needs: Option<&str>,
) -> AppResult<VisitAsked> {
    let listed = services.map(parse_errands).transpose()?;
    let mut visit = errands(service, listed)?;
    visit.needs = needs
        .map(|raw| {
            raw.split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(|kind| NeedAsked {
                    kind: kind.to_owned(),
                    detail: None,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(visit)
}

fn parse_errands(raw: &str) -> AppResult<Vec<ErrandInput>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (i, part) in raw.split(',').map(str::trim).enumerate() {
        let (service, quantity) = match part.split_once(':') {
            Some((service, quantity)) => match quantity.trim().parse::<u32>() {
                Ok(n) => (service.trim(), Some(n)),
                Err(_) => {
                    errors.push(FieldError::new(
                        format!("services[{i}].quantity"),
                        format!("'{quantity}' is not a number of errands"),
                    ));
                    continue;
                }
            },
            None => (part, None),
        };
        if service.is_empty() {
            errors.push(FieldError::new(
                format!("services[{i}].service"),
                "name an errand, as in services=pas:2,sundhedskort",
            ));
            continue;
        }
        out.push(ErrandInput {
            service: service.to_owned(),
            quantity,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(AppError::invalid_fields(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_names_errands_with_their_quantities_and_the_needs_by_kind() {
        let visit = from_query(
            None,
            Some("pas:2, sundhedskort"),
            Some("step_free,extra_time"),
        )
        .unwrap();
        let errands: Vec<(&str, u32)> = visit
            .errands
            .iter()
            .map(|e| (e.service.as_str(), e.quantity))
            .collect();
        assert_eq!(errands, [("pas", 2), ("sundhedskort", 1)]);
        assert!(visit.listed);
        let kinds: Vec<&str> = visit.needs.iter().map(|n| n.kind.as_str()).collect();
        assert_eq!(kinds, ["step_free", "extra_time"]);
        assert_eq!(
            from_query(Some("pas".into()), None, None).unwrap(),
            VisitAsked::one("pas")
        );
    }

    #[test]
    fn a_quantity_that_is_no_number_or_a_missing_errand_is_named() {
        let fields = |e: AppError| match e {
            AppError::Unprocessable { errors, .. } => {
                errors.into_iter().map(|e| e.field).collect::<Vec<_>>()
            }
            other => panic!("{other}"),
        };
        assert_eq!(
            fields(from_query(None, Some("pas:two,,kort"), None).unwrap_err()),
            ["services[0].quantity", "services[1].service"]
        );
        assert_eq!(
            fields(from_query(None, None, None).unwrap_err()),
            ["service"]
        );
        assert_eq!(
            fields(from_query(Some("pas".into()), Some("pas"), None).unwrap_err()),
            ["services"]
        );
    }
}
