//! What writing an organisation file created, changed and retired, for the administrator.

use std::collections::BTreeMap;

/// What an import created and changed, for the administrator to read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SaveSummary {
    pub organisation_created: bool,
    pub created: BTreeMap<&'static str, usize>,
    pub updated: BTreeMap<&'static str, usize>,
    /// Desks that were in the database but not in the file: kept for history, now inactive.
    pub deactivated_desks: usize,
}

impl SaveSummary {
    pub(super) fn count(&mut self, kind: &'static str, created: bool) {
        let map = if created {
            &mut self.created
        } else {
            &mut self.updated
        };
        *map.entry(kind).or_default() += 1;
    }
}
