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
