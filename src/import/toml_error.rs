//! Where toml's own errors point: the line and field path of a syntax or type error.

use std::collections::HashMap;

/// The dotted path of what toml complained about. toml reports a byte offset, not a key
/// path, so this reads the file: the last table header before the offset gives the table
/// (counting `[[array]]` headers for the index) and the line gives the key.
pub(super) fn toml_error_field(text: &str, offset: Option<usize>, message: &str) -> String {
    let offset = offset.unwrap_or(0).min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let table = table_path(&text[..line_end]);
    let key = missing_field(message).or_else(|| key_on_line(&text[line_start..line_end]));
    match (table.is_empty(), key) {
        (true, Some(key)) => key.to_owned(),
        (false, Some(key)) => format!("{table}.{key}"),
        (true, None) => "(top level)".to_owned(),
        (false, None) => table,
    }
}

/// The path of the table that the end of `text` is in, e.g. `locations[1].desks[0]`.
fn table_path(text: &str) -> String {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut current = String::new();
    for line in text.lines() {
        let Some((is_array, name)) = table_header(line) else {
            continue;
        };
        if is_array {
            *counts.entry(name.clone()).or_default() += 1;
            // A new parent starts its nested arrays afresh.
            let nested = format!("{name}.");
            counts.retain(|k, _| !k.starts_with(&nested));
        }
        current = name
            .split('.')
            .scan(String::new(), |prefix, segment| {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(segment);
                Some(match counts.get(prefix.as_str()) {
                    Some(n) => format!("{segment}[{}]", n - 1),
                    None => segment.to_owned(),
                })
            })
            .collect::<Vec<_>>()
            .join(".");
    }
    current
}

/// `[[locations.desks]]` → `(true, "locations.desks")`; `[organisation]` → `(false, …)`.
fn table_header(line: &str) -> Option<(bool, String)> {
    let line = line.trim_start();
    let (is_array, rest) = match line.strip_prefix("[[") {
        Some(rest) => (true, rest),
        None => (false, line.strip_prefix('[')?),
    };
    let name = &rest[..rest.find(']')?];
    let segments: Vec<&str> = name
        .split('.')
        .map(|s| s.trim().trim_matches('"'))
        .collect();
    Some((is_array, segments.join(".")))
}

/// The key of a `key = value` line.
fn key_on_line(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    bare.then_some(key)
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// toml's message on one line, in the words of the file rather than of Rust.
pub(super) fn humane_toml_message(message: &str) -> String {
    message
        .trim()
        .replace('\n', "; ")
        .replace("expected u32", "expected a whole number, 0 or more")
        .replace("expected i32", "expected a whole number")
        .replace("expected a sequence", "expected a list like [\"a\", \"b\"]")
}
