//! The layers of DESIGN.md, checked: the domain is pure, and only the store speaks SQL.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources_under(dir: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
    files
        .into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_domain_imports_neither_actix_nor_diesel() {
    for (path, text) in sources_under("src/domain") {
        for layer in [
            "actix_web",
            "actix_rt",
            "diesel::",
            "use diesel",
            "crate::store",
            "crate::http",
            "crate::app",
        ] {
            assert!(!text.contains(layer), "{path} reaches for {layer}");
        }
    }
}

#[test]
fn only_the_store_knows_diesel() {
    let store = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
    for (path, text) in sources_under("src") {
        if Path::new(&path).starts_with(&store) {
            continue;
        }
        let speaks_sql = text
            .lines()
            .any(|l| l.contains("diesel::") && !l.contains("diesel::result::Error"));
        assert!(!speaks_sql, "{path} uses diesel outside the store");
    }
}

/// The enums whose variants decide rules, each with the file that defines it and the
/// methods that answer for it there. Outside that file a rule asks a method, which matches
/// every variant, so a new variant cannot be silently treated as one of the old ones.
const RULE_ENUMS: [(&str, &str); 4] = [
    ("BookingPolicy", "src/domain/organisation.rs"),
    ("Channel", "src/domain/organisation.rs"),
    ("DeskKind", "src/domain/organisation.rs"),
    ("DeskState", "src/domain/organisation.rs"),
];

/// Whether `line` compares a value with a variant of `name` by `==` or `!=`, in either order,
/// also when the variant is wrapped (`== Ok(BookingPolicy::Required)`).
fn compares_with_variant(line: &str, name: &str) -> bool {
    let code: String = line
        .split("//")
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let path = format!("{name}::");
    code.match_indices(&path).any(|(at, _)| {
        // A path that is part of a longer name (`ServiceBookingPolicy::`) is another enum.
        let own = code[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let before = code[..at].trim_end_matches(['(', '&']);
        let before = ["Some", "Ok", "Err"]
            .iter()
            .fold(before, |b, wrap| b.strip_suffix(wrap).unwrap_or(b));
        let variant_end = code[at + path.len()..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(code.len(), |n| at + path.len() + n);
        let after = code[variant_end..].trim_start_matches(')');
        own && (before.ends_with("==")
            || before.ends_with("!=")
            || after.starts_with("==")
            || after.starts_with("!="))
    })
}

#[test]
fn the_comparison_finder_sees_both_orders_and_wrapped_variants() {
    assert!(compares_with_variant(
        "if s.booking == BookingPolicy::Required {",
        "BookingPolicy"
    ));
    assert!(compares_with_variant(
        "x != BookingPolicy::WalkInOnly && y",
        "BookingPolicy"
    ));
    assert!(compares_with_variant(
        "parse(raw) == Ok(BookingPolicy::Required);",
        "BookingPolicy"
    ));
    assert!(compares_with_variant(
        "DeskState::Open == desk.state",
        "DeskState"
    ));
    assert!(!compares_with_variant(
        "BookingPolicy::Required => 1.0,",
        "BookingPolicy"
    ));
    assert!(!compares_with_variant(
        "a == b; // not DeskState::Open",
        "DeskState"
    ));
    assert!(!compares_with_variant(
        "x == ServiceChannel::Phone",
        "Channel"
    ));
}

#[test]
fn rules_ask_the_policy_enums_instead_of_comparing_variants() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, home) in RULE_ENUMS {
        for (path, text) in sources_under("src") {
            if Path::new(&path) == root.join(home) {
                continue;
            }
            for (n, line) in text.lines().enumerate() {
                assert!(
                    !compares_with_variant(line, name),
                    "{path}:{}: compares with a {name} variant; ask a method of {name} \
                     (in {home}) instead: {}",
                    n + 1,
                    line.trim()
                );
            }
        }
    }
}

#[test]
fn handlers_read_bodies_through_the_checked_extractors() {
    // `http::input::{Json, Form}` refuse control characters in every field; actix's own
    // extractors would let them through to the database.
    for (path, text) in sources_under("src/http") {
        if path.ends_with("input.rs") {
            continue;
        }
        for raw in [": web::Json<", ": web::Form<"] {
            assert!(!text.contains(raw), "{path} takes a body as {raw}");
        }
    }
}
