//! The catalogue of texts: the same keys in every language, a text per key.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::domain::booking::Language;

/// One language's texts by key (`section.key`), lists (`date.months`) as their items
/// joined by a newline.
type Texts = BTreeMap<String, String>;

fn parse(source: &str) -> Texts {
    let table: toml::Table = toml::from_str(source).expect("the built-in catalogue parses");
    let mut texts = Texts::new();
    flatten("", &toml::Value::Table(table), &mut texts);
    texts
}

fn flatten(prefix: &str, value: &toml::Value, out: &mut Texts) {
    match value {
        toml::Value::Table(table) => {
            for (key, value) in table {
                let key = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&key, value, out);
            }
        }
        toml::Value::Array(items) => {
            let items: Vec<&str> = items.iter().filter_map(toml::Value::as_str).collect();
            out.insert(prefix.to_owned(), items.join("\n"));
        }
        toml::Value::String(text) => {
            out.insert(prefix.to_owned(), text.clone());
        }
        other => {
            out.insert(prefix.to_owned(), other.to_string());
        }
    }
}

fn texts(lang: Language) -> &'static Texts {
    static DA: OnceLock<Texts> = OnceLock::new();
    static EN: OnceLock<Texts> = OnceLock::new();
    match lang {
        Language::Da => DA.get_or_init(|| parse(include_str!("../../web/messages/da.toml"))),
        Language::En => EN.get_or_init(|| parse(include_str!("../../web/messages/en.toml"))),
    }
}

/// Every key of a language's catalogue.
pub fn keys(lang: Language) -> impl Iterator<Item = &'static str> {
    texts(lang).keys().map(String::as_str)
}

/// Every key under `section` (`kiosk` holds `kiosk.heading`, …) with its text, for a
/// screen that switches language by itself.
pub fn section<'a>(
    lang: Language,
    section: &'a str,
) -> impl Iterator<Item = (&'static str, &'static str)> + 'a {
    texts(lang)
        .iter()
        .filter(move |(key, _)| {
            key.strip_prefix(section)
                .is_some_and(|rest| rest.starts_with('.'))
        })
        .map(|(key, text)| (key.as_str(), text.as_str()))
}

/// The text of `key` in `lang`; the key itself when there is none, which the tests refuse.
pub fn text(lang: Language, key: &str) -> &str {
    texts(lang).get(key).map_or(key, String::as_str)
}

/// The text of `key` with each `{name}` replaced by its value. A text that counts `{n}`
/// says one thing in the singular: with `n` 1, `key_one` is taken where the catalogue has it.
pub fn text_with(lang: Language, key: &str, args: &[(&str, &str)]) -> String {
    let one = format!("{key}_one");
    let key = match args
        .iter()
        .any(|&(name, value)| name == "n" && value == "1")
    {
        true if texts(lang).contains_key(&one) => one.as_str(),
        _ => key,
    };
    args.iter()
        .fold(text(lang, key).to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_key_has_a_text_in_both_languages() {
        let da: BTreeSet<&str> = keys(Language::Da).collect();
        let en: BTreeSet<&str> = keys(Language::En).collect();
        let only_da: Vec<_> = da.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&da).collect();
        assert!(only_da.is_empty(), "no English text for {only_da:?}");
        assert!(only_en.is_empty(), "no Danish text for {only_en:?}");
        for lang in [Language::Da, Language::En] {
            for key in keys(lang) {
                assert!(!text(lang, key).trim().is_empty(), "{key} is empty");
            }
        }
    }

    #[test]
    fn placeholders_are_filled_in() {
        assert_eq!(
            text_with(Language::En, "error.code", &[("status", "404")]),
            "Error code 404."
        );
        assert_eq!(
            text_with(Language::Da, "error.code", &[("status", "404")]),
            "Fejlkode 404."
        );
    }

    #[test]
    fn a_count_of_one_takes_the_singular_where_there_is_one() {
        let key = "admin_errand_hours.affected_intro";
        for (lang, one, two) in [
            (
                Language::Da,
                "1 bekræftet booking på R ligger",
                "2 bekræftede bookinger på R",
            ),
            (
                Language::En,
                "1 confirmed booking at R lies",
                "2 confirmed bookings at R lie",
            ),
        ] {
            let of = |n: &str| text_with(lang, key, &[("n", n), ("place", "R")]);
            assert!(of("1").starts_with(one), "{}", of("1"));
            assert!(of("2").starts_with(two), "{}", of("2"));
        }
        // Without a singular of its own, a text counts as it is.
        assert_eq!(
            text_with(Language::En, "error.code", &[("n", "1"), ("status", "404")]),
            "Error code 404."
        );
    }

    #[test]
    fn a_section_is_its_keys_only() {
        let date: Vec<&str> = section(Language::En, "date").map(|(k, _)| k).collect();
        assert!(date.contains(&"date.day_time"), "{date:?}");
        assert!(date.iter().all(|k| k.starts_with("date.")), "{date:?}");
    }

    #[test]
    fn a_missing_key_is_its_own_text() {
        assert_eq!(text(Language::Da, "no.such.key"), "no.such.key");
    }
}
