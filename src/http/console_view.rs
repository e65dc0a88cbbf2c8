//! What the desk console's script says: its sentences and the ticket statuses in the
//! clerk's language, handed to the page from the one catalogue.

use std::collections::BTreeMap;

use crate::domain::booking::Language;
use crate::messages;

/// The script's texts by short name: `console.js_*`, `console_visit.js_*` and
/// `queue_alert.js_*` without the prefix, and each ticket status as `status_<status>`.
pub fn script_texts(lang: Language) -> BTreeMap<String, &'static str> {
    messages::keys(lang)
        .filter_map(|key| {
            let short = key
                .strip_prefix("console.js_")
                .or_else(|| key.strip_prefix("console_visit.js_"))
                .or_else(|| key.strip_prefix("queue_alert.js_"))
                .map(str::to_owned)
                .or_else(|| {
                    key.strip_prefix("status.ticket.")
                        .map(|s| format!("status_{s}"))
                })?;
            Some((short, messages::text(lang, key)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_gets_its_sentences_and_the_statuses_in_the_clerks_language() {
        let da = script_texts(Language::Da);
        assert_eq!(da["status_no_show"], "udeblev");
        assert!(da["nothing"].contains("{errands}"), "{}", da["nothing"]);
        let en = script_texts(Language::En);
        assert_eq!(en.len(), da.len());
        assert_eq!(en["status_waiting"], "waiting");
        assert_eq!(en["transfer_rest"], "Send on to {errand}");
    }
}
