//! One location while its file entry is checked: what its desks, hours and capacity rules
//! may refer to, shared by the checks of `[[locations]]` and of `[[locations.capacity]]`.

use std::collections::{BTreeSet, HashMap};

use super::checker::{Checker, FileNames};
use super::raw::{self, Text};
use crate::domain::hours::WeeklyHours;
use crate::domain::organisation::DeskSpec;
use crate::domain::Slug;

/// One location while it is checked: what its desks, hours and capacity may refer to.
pub(super) struct Site {
    pub(super) at: String,
    pub(super) slug: String,
    pub(super) offered: BTreeSet<String>,
    pub(super) opening: Option<WeeklyHours>,
    pub(super) service_hours: HashMap<String, WeeklyHours>,
    pub(super) desks: Vec<DeskSpec>,
    /// False when a desk was refused, so counting desks would mislead.
    pub(super) desks_complete: bool,
}

impl Site {
    pub(super) fn field(&self, key: &str) -> String {
        format!("{}.{key}", self.at)
    }

    /// A service that must be known and offered here.
    pub(super) fn offered(
        &self,
        cx: &mut Checker,
        raw: &Text,
        field: &str,
        names: &FileNames,
    ) -> Option<Slug> {
        let slug = cx.reference(raw, field, &names.services)?;
        if self.offered.contains(slug.as_str()) {
            Some(slug)
        } else {
            cx.report(
                raw.span(),
                field,
                format!(
                    "'{slug}' is not offered at '{}'; add it to {} first",
                    self.slug,
                    self.field("services")
                ),
            );
            None
        }
    }

    /// A non-empty list of services offered here, each once.
    pub(super) fn offered_list(
        &self,
        cx: &mut Checker,
        raw: &raw::List,
        field: &str,
        names: &FileNames,
    ) -> Vec<Slug> {
        if raw.get_ref().is_empty() {
            cx.report(raw.span(), field, "must name at least one service");
        }
        cx.listed_once(raw.get_ref(), field, |cx, service, at| {
            self.offered(cx, service, at, names)
        })
    }

    /// The hours a service keeps here: its own, or the location's.
    pub(super) fn hours_of(&self, service: &str) -> Option<&WeeklyHours> {
        self.service_hours.get(service).or(self.opening.as_ref())
    }
}
