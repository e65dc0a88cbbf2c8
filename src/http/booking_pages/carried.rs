//! A visit of several errands, or one with needs, as the booking pages carry it from step to
//! step: in hidden fields of each form's body, never in a URL, since needs are personal data.

use std::str::FromStr;

use serde::Serialize;

use crate::app::visit::{ErrandAsked, NeedAsked, VisitAsked};
use crate::domain::visit::NeedKind;
use crate::error::AppResult;
use crate::http::visit_input;

/// A visit in a form's hidden fields: the errands as the slot lookup writes them
/// (`pas:2,sundhedskort`), the needs by kind (`interpreter,step_free`) and the language
/// the interpreter is to speak.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Carried {
    pub services: String,
    pub needs: String,
    pub interpreter_language: String,
}

impl Carried {
    /// The hidden fields of a visit as asked for.
    pub fn of(asked: &VisitAsked) -> Self {
        let services: Vec<String> = asked
            .errands
            .iter()
            .map(|e| format!("{}:{}", e.service, e.quantity))
            .collect();
        let needs: Vec<&str> = asked.needs.iter().map(|n| n.kind.as_str()).collect();
        let language = asked.needs.iter().find_map(|n| n.detail.clone());
        Self {
            services: services.join(","),
            needs: needs.join(","),
            interpreter_language: language.unwrap_or_default(),
        }
    }

    /// The visit these fields carry; 422 naming the field when they were tampered with.
    pub fn asked(&self) -> AppResult<VisitAsked> {
        let mut asked = visit_input::from_query(None, Some(&self.services), Some(&self.needs))?;
        for need in &mut asked.needs {
            need.detail = detail(&need.kind, &self.interpreter_language);
        }
        Ok(asked)
    }
}

/// The visit that the form of errands and needs asks for: each ticked errand (`errand`) in
/// the list's order with how many of it (`quantity.<errand>`, one unless said), each ticked
/// need (`need`), and the interpreter's language (`interpreter_language`).
pub fn ticked(fields: &[(String, String)]) -> VisitAsked {
    let named = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let errands = fields
        .iter()
        .filter(|(name, _)| name == "errand")
        .map(|(_, slug)| ErrandAsked {
            service: slug.clone(),
            // A quantity that is no number is one the list did not offer: zero is refused.
            quantity: named(&format!("quantity.{slug}"))
                .map_or(Some(1), |q| q.trim().parse().ok())
                .unwrap_or(0),
        })
        .collect();
    let language = named("interpreter_language").unwrap_or_default();
    let needs = fields
        .iter()
        .filter(|(name, _)| name == "need")
        .map(|(_, kind)| NeedAsked {
            kind: kind.clone(),
            detail: detail(kind, language),
        })
        .collect();
    VisitAsked {
        errands,
        needs,
        listed: true,
    }
}

/// What a need of `kind` says more: the interpreter's language, when one was written.
fn detail(kind: &str, language: &str) -> Option<String> {
    let takes = NeedKind::from_str(kind).is_ok_and(NeedKind::takes_detail);
    let language = language.trim();
    (takes && !language.is_empty()).then(|| language.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_ticked_errands_and_needs_travel_as_hidden_fields_and_back() {
        let asked = ticked(&pairs(&[
            ("location", "raadhuset"),
            ("errand", "pas"),
            ("quantity.pas", "2"),
            ("errand", "sundhedskort"),
            ("quantity.koerekort", "3"),
            ("need", "interpreter"),
            ("need", "step_free"),
            ("interpreter_language", " arabisk "),
        ]));
        let errands: Vec<(&str, u32)> = asked
            .errands
            .iter()
            .map(|e| (e.service.as_str(), e.quantity))
            .collect();
        assert_eq!(
            errands,
            [("pas", 2), ("sundhedskort", 1)],
            "an errand not ticked is not booked, whatever its quantity"
        );
        let needs: Vec<(&str, Option<&str>)> = asked
            .needs
            .iter()
            .map(|n| (n.kind.as_str(), n.detail.as_deref()))
            .collect();
        assert_eq!(
            needs,
            [("interpreter", Some("arabisk")), ("step_free", None)]
        );
        let carried = Carried::of(&asked);
        assert_eq!(carried.services, "pas:2,sundhedskort:1");
        assert_eq!(carried.needs, "interpreter,step_free");
        assert_eq!(carried.asked().unwrap(), asked);
    }

    #[test]
    fn a_quantity_that_is_no_number_is_none_and_an_empty_language_is_no_language() {
        let asked = ticked(&pairs(&[
            ("errand", "pas"),
            ("quantity.pas", "mange"),
            ("need", "interpreter"),
            ("interpreter_language", "  "),
        ]));
        assert_eq!(asked.errands[0].quantity, 0);
        assert_eq!(asked.needs[0].detail, None);
        assert!(ticked(&[]).errands.is_empty());
    }
}
