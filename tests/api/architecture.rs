//! The layers of DESIGN.md, checked: the domain is pure, only the store speaks SQL, no
//! files below the handlers import each other, directly or through others, and files stay
//! the size of one concept.

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

/// The module a source file is, as `crate::a::b` names it; `mod.rs` is its folder's.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    std::iter::once("crate".to_owned())
        .chain(parts)
        .collect::<Vec<_>>()
        .join("::")
}

/// The modules among `modules` that `text`, the source of `own`, names by a `crate::` or
/// `super::` path (one level of braces read), leaving out its own and its ancestors.
fn modules_named(text: &str, own: &str, modules: &[String]) -> Vec<String> {
    let parent = own.rsplit_once("::").map_or("crate", |(p, _)| p);
    let ident = |s: &str| {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
            .collect::<String>()
            .trim_end_matches(':')
            .to_owned()
    };
    let mut paths = Vec::new();
    for (prefix, base) in [("crate::", "crate"), ("super::", parent)] {
        for (at, _) in text.match_indices(prefix) {
            if at > 0 && text[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &text[at + prefix.len()..];
            let path = format!("{base}::{}", ident(rest));
            paths.push(path.clone());
            if let Some(inner) = rest[ident(rest).len()..].strip_prefix("::{") {
                let inner = &inner[..inner.find('}').unwrap_or(inner.len())];
                paths.extend(
                    inner
                        .split(',')
                        .map(|item| format!("{path}::{}", ident(item.trim()))),
                );
            }
        }
    }
    let mut named: Vec<String> = paths
        .iter()
        .filter_map(|path| {
            modules
                .iter()
                .filter(|m| path == *m || path.starts_with(&format!("{m}::")))
                .max_by_key(|m| m.len())
                .cloned()
        })
        .filter(|m| m != own && !own.starts_with(&format!("{m}::")))
        .collect();
    named.sort();
    named.dedup();
    named
}

/// Files of every layer, the handlers' included, do not import each other, directly or
/// through others: each circle is a concept cut in two. (A module may use what its folder's
/// `mod.rs` declares; that is the folder's shared vocabulary, not a circle.)
#[test]
fn no_import_circles_among_the_files() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.retain(|f| !f.ends_with("main.rs"));
    files.retain(|f| !f.starts_with(src.join("cli")));
    let modules: Vec<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let edges: Vec<Vec<usize>> = files
        .iter()
        .zip(&modules)
        .map(|(file, own)| {
            let text = std::fs::read_to_string(file).unwrap();
            modules_named(&text, own, &modules)
                .iter()
                .map(|m| modules.iter().position(|x| x == m).unwrap())
                .collect()
        })
        .collect();
    // Depth first; a grey module met again closes a circle.
    fn visit(
        at: usize,
        edges: &[Vec<usize>],
        colour: &mut [u8],
        path: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        colour[at] = 1;
        path.push(at);
        for &next in &edges[at] {
            if colour[next] == 1 {
                let from = path.iter().position(|&p| p == next).unwrap();
                return Some(path[from..].to_vec());
            }
            if colour[next] == 0 {
                if let Some(circle) = visit(next, edges, colour, path) {
                    return Some(circle);
                }
            }
        }
        path.pop();
        colour[at] = 2;
        None
    }
    let mut colour = vec![0u8; modules.len()];
    for start in 0..modules.len() {
        if colour[start] == 0 {
            if let Some(circle) = visit(start, &edges, &mut colour, &mut Vec::new()) {
                let names: Vec<&str> = circle.iter().map(|&i| modules[i].as_str()).collect();
                panic!("an import circle: {}", names.join(" -> "));
            }
        }
    }
    assert!(
        modules.len() > 100,
        "the sources were found: {}",
        modules.len()
    );
    assert!(
        modules_named(
            "use crate::app::capacity::{calendar, Except};",
            "crate::app::booking",
            &modules
        ) == ["crate::app::capacity"],
        "the module of a path is found"
    );
}

/// The circle finder sees a circle where one is: the two mail modules as they were.
#[test]
fn the_circle_finder_sees_braces_and_super() {
    let modules = [
        "crate::app",
        "crate::app::mail",
        "crate::app::waitlist_mail",
        "crate::store",
        "crate::store::outbox",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(
        modules_named(
            "use crate::store::{outbox, DbConnection};\nlet w = super::waitlist_mail::deliver_due(c);",
            "crate::app::mail",
            &modules
        ),
        ["crate::app::waitlist_mail", "crate::store", "crate::store::outbox"]
    );
    assert!(modules_named("use crate::app::AppState;", "crate::app::mail", &modules).is_empty());
}

/// The modules of `src/http` that a file names (`super::x`, `crate::http::x`, and each
/// name of a `{…}` list after them), as the files they are, relative to `src/http`.
fn http_modules_named(file: &Path, text: &str) -> Vec<std::path::PathBuf> {
    let http = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let here = file.parent().unwrap().to_path_buf();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut named = Vec::new();
    for (prefix, base) in [("super::", &here), ("crate::http::", &http)] {
        for (at, _) in text.match_indices(prefix) {
            let rest = &text[at + prefix.len()..];
            let firsts: Vec<String> = match rest.strip_prefix('{') {
                Some(list) => list
                    .split('}')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .map(|item| ident(item.trim()))
                    .collect(),
                None => vec![ident(rest)],
            };
            for first in firsts.into_iter().filter(|f| !f.is_empty()) {
                let mut module = base.join(&first);
                // A folder module: the file is the next segment.
                if module.is_dir() {
                    let after = rest.strip_prefix(&first).unwrap_or("");
                    let next = ident(after.strip_prefix("::").unwrap_or(""));
                    module = module.join(if next.is_empty() { "mod" } else { &next });
                }
                let file = module.with_extension("rs");
                if file.is_file() {
                    named.push(file.strip_prefix(&http).unwrap().to_path_buf());
                }
            }
        }
    }
    named
}

/// Shared page code (language, forms, rendering, paths, links) lives in modules of its
/// own: a file of handlers never reaches into another file of handlers. The route table
/// (`mod.rs`) and the OpenAPI description name every handler by their nature.
#[test]
fn no_handler_file_imports_another_handler_file() {
    let http = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let is_handlers = |text: &str| text.contains("#[utoipa::path");
    let sources = sources_under("src/http");
    let handler_files: Vec<std::path::PathBuf> = sources
        .iter()
        .filter(|(_, text)| is_handlers(text))
        .map(|(path, _)| Path::new(path).strip_prefix(&http).unwrap().to_path_buf())
        .collect();
    assert!(handler_files.len() > 10, "{handler_files:?}");
    for (path, text) in &sources {
        let file = Path::new(path);
        let own = file.strip_prefix(&http).unwrap();
        if !is_handlers(text) || own == Path::new("openapi/mod.rs") || own == Path::new("mod.rs") {
            continue;
        }
        for named in http_modules_named(file, text) {
            assert!(
                named == own || !handler_files.contains(&named),
                "{path} imports the handlers' file {}; move what it takes into a module of its own",
                named.display()
            );
        }
    }
}

#[test]
fn the_import_finder_sees_lists_and_folder_modules() {
    let http = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let text = "use super::{blocking, lang::LangQuery};\nuse crate::http::booking_pages::times;\n";
    let named = http_modules_named(&http.join("home.rs"), text);
    for expected in ["blocking.rs", "lang.rs", "booking_pages/times.rs"] {
        assert!(
            named.contains(&std::path::PathBuf::from(expected)),
            "{expected} in {named:?}"
        );
    }
}

/// The most lines a file under `src/` has, its tests included.
const MAX_FILE_LINES: usize = 600;
/// The most lines a file's code has, its tests left out, unless its module doc says why it
/// is longer than that (a sentence with "longer than" in it).
const MAX_CODE_LINES: usize = 450;
/// The table declarations diesel reads: one `table!` a table, nothing to cut by concept.
const DECLARATIONS: &str = "src/store/schema.rs";
/// A file's lines of code and lines of tests: a `tests.rs` or a file below a `tests`
/// folder is all tests; otherwise its tests are what follows `#[cfg(test)] mod tests`.
fn code_and_test_lines(path: &Path, text: &str) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let all_tests = path.file_name().is_some_and(|n| n == "tests.rs")
        || path.iter().any(|part| part == "tests");
    if all_tests {
        return (0, lines.len());
    }
    let tests_start = lines
        .windows(2)
        .position(|w| w[0].trim() == "#[cfg(test)]" && w[1].starts_with("mod tests {"))
        .unwrap_or(lines.len());
    (tests_start, lines.len() - tests_start)
}

/// Whether the file's module doc (its leading `//!` lines) says why it is long.
fn says_why_it_is_long(text: &str) -> bool {
    text.lines()
        .take_while(|l| l.starts_with("//!"))
        .collect::<Vec<_>>()
        .join(" ")
        .contains("longer than")
}

/// Files of one concept: none over 600 lines with its tests, and no file's code over 450
/// lines unless its module doc says why.
#[test]
fn files_are_short_or_say_why_they_are_long() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut too_long = Vec::new();
    for (path, text) in sources_under("src") {
        let relative = Path::new(&path).strip_prefix(root).unwrap();
        let name = relative.display().to_string();
        if name == DECLARATIONS {
            continue;
        }
        let (code, tests) = code_and_test_lines(relative, &text);
        if code + tests > MAX_FILE_LINES || (code > MAX_CODE_LINES && !says_why_it_is_long(&text)) {
            too_long.push(format!("{name}: {code} lines of code, {tests} of tests"));
        }
    }
    too_long.sort();
    assert!(
        too_long.is_empty(),
        "cut these by concept (one concept, one module, named for what it is), or say in \
         the module doc why the code is longer than {MAX_CODE_LINES} lines: {too_long:#?}"
    );
}

#[test]
fn the_line_counter_sets_the_tests_apart() {
    let text =
        "//! A thing.\nfn a() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn b() {}\n}\n";
    assert_eq!(code_and_test_lines(Path::new("src/a.rs"), text), (3, 5));
    assert_eq!(
        code_and_test_lines(Path::new("src/a/tests.rs"), text),
        (0, 8)
    );
    assert_eq!(
        code_and_test_lines(Path::new("src/a/tests/b.rs"), text),
        (0, 8)
    );
    assert_eq!(
        code_and_test_lines(Path::new("src/a.rs"), "#[cfg(test)]\nmod tests;\n"),
        (2, 0)
    );
    assert!(says_why_it_is_long(
        "//! A pipeline.\n//! It is longer than most because…\nuse x;"
    ));
    assert!(!says_why_it_is_long(
        "//! A pipeline.\nuse x;\n// longer than most"
    ));
}
