//! `skranke export` and `skranke import --dry-run`: the database and the organisation file
//! say the same thing.

use std::path::{Path, PathBuf};

use skranke::domain::organisation::OrganisationSpec;
use skranke::domain::roster::PlanningSpec;
use skranke::import::parse_organisation_and_planning;

use crate::cli::skranke;
use crate::helpers::TestDatabase;

const EXAMPLE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");

/// The example file and its logo in a folder of the test's own.
fn example_copy(dir: &Path) -> PathBuf {
    for name in ["organisation.toml", "logo.svg"] {
        std::fs::copy(Path::new(EXAMPLE_DIR).join(name), dir.join(name)).unwrap();
    }
    dir.join("organisation.toml")
}

fn run_ok(db: &TestDatabase, args: &[&str]) -> String {
    let out = skranke(db, args);
    assert!(
        out.status.success(),
        "skranke {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn export(db: &TestDatabase, to: &Path) -> String {
    run_ok(db, &["export", "--out", to.to_str().unwrap()]);
    std::fs::read_to_string(to).unwrap()
}

fn parsed(path: &Path) -> (OrganisationSpec, PlanningSpec) {
    let text = std::fs::read_to_string(path).unwrap();
    parse_organisation_and_planning(&path.display().to_string(), &text)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The lists that the database keeps as sets, in one order, so that a file that lists a
/// desk's errands in another order than the errands section still compares equal.
fn normalised(
    (mut spec, mut planning): (OrganisationSpec, PlanningSpec),
) -> (OrganisationSpec, PlanningSpec) {
    for l in &mut spec.locations {
        l.services.sort();
        for d in &mut l.desks {
            d.services.sort();
        }
        for c in &mut l.capacity {
            c.services.sort();
        }
    }
    for s in &mut spec.staff {
        s.locations.sort();
        s.services.sort();
    }
    for t in &mut planning.shift_templates {
        t.locations.sort();
    }
    for p in &mut planning.staff {
        p.preferred_templates.sort();
    }
    (spec, planning)
}

#[test]
fn import_export_import_gives_the_same_organisation_and_the_export_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    let original = example_copy(dir.path());
    let first = TestDatabase::new();
    run_ok(&first, &["import", original.to_str().unwrap()]);
    let exported = dir.path().join("exported.toml");
    let text = export(&first, &exported);
    assert_eq!(normalised(parsed(&exported)), normalised(parsed(&original)));
    assert!(text.contains("[[needs]]\nkind = \"interpreter\""), "{text}");
    assert!(
        text.contains("features = [\"step_free\", \"hearing_loop\"]"),
        "{text}"
    );

    // Into an empty database and out again: the same bytes.
    let second = TestDatabase::new();
    run_ok(&second, &["import", exported.to_str().unwrap()]);
    assert_eq!(export(&second, &dir.path().join("again.toml")), text);

    // Into the database it came from: nothing to change.
    let said = run_ok(&first, &["import", "--dry-run", exported.to_str().unwrap()]);
    assert!(said.contains("would change nothing"), "{said}");
}

#[test]
fn a_dry_run_shows_each_change_in_its_place_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let original = example_copy(dir.path());
    let db = TestDatabase::new();
    run_ok(&db, &["import", original.to_str().unwrap()]);
    let before = export(&db, &dir.path().join("before.toml"));

    let edited = std::fs::read_to_string(&original)
        .unwrap()
        .replacen(
            "name = \"Rådhuset\"",
            "name = \"Rådhuset, Borgerservice\"",
            1,
        )
        .replacen(
            "[[locations.desks]]\nname = \"Skranke 9\"",
            "[[locations.desks]]\nname = \"Skranke 10\"",
            1,
        );
    let path = dir.path().join("edited.toml");
    std::fs::write(&path, edited).unwrap();
    let said = run_ok(&db, &["import", "--dry-run", path.to_str().unwrap()]);

    assert!(said.contains("nothing was changed"), "{said}");
    assert!(
        said.contains("@@ [[locations]] raadhuset\n")
            && said.contains("- name = \"Rådhuset\"\n+ name = \"Rådhuset, Borgerservice\"\n"),
        "{said}"
    );
    assert!(
        said.contains("- name = \"Skranke 9\"\n") && said.contains("+ name = \"Skranke 10\"\n"),
        "the retired desk goes, the new one comes: {said}"
    );
    assert!(
        said.contains("@@ [[locations]] raadhuset › [[locations.desks]] Skranke 9\n"),
        "{said}"
    );
    assert_eq!(
        said.matches("@@").count(),
        3,
        "nothing else changes: {said}"
    );
    assert_eq!(export(&db, &dir.path().join("after.toml")), before);
}

#[test]
fn a_dry_run_into_an_empty_database_says_what_it_would_create() {
    let dir = tempfile::tempdir().unwrap();
    let original = example_copy(dir.path());
    let db = TestDatabase::new();
    let said = run_ok(&db, &["import", "--dry-run", original.to_str().unwrap()]);
    assert!(
        said.contains("would create Høje-Taastrup Kommune (hoeje-taastrup): 3 departments, 8 errands, 3 locations"),
        "{said}"
    );
    let out = skranke(&db, &["export"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no organisation yet"),
        "the dry run created nothing"
    );
}

#[test]
fn the_demo_exports_with_its_logo_beside_the_file() {
    let db = TestDatabase::new();
    let pool = crate::helpers::fresh_pool(&db);
    crate::helpers::seed(&mut pool.get().unwrap(), crate::helpers::monday_morning());
    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("kommune.toml");
    export(&db, &exported);
    assert_eq!(
        std::fs::read(dir.path().join("logo.svg")).unwrap(),
        skranke::app::demo::LOGO_SVG
    );
    let again = TestDatabase::new();
    run_ok(&again, &["import", exported.to_str().unwrap()]);
}

#[test]
fn a_desk_out_of_order_goes_in_and_comes_out_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let original = example_copy(dir.path());
    let text = std::fs::read_to_string(&original).unwrap();
    let desk = "[[locations.desks]]\nname = \"Skranke 1\"\n";
    assert!(text.contains(desk), "the example has a Skranke 1");
    let broken = text.replacen(desk, &format!("{desk}out_of_order = true\n"), 1);
    std::fs::write(&original, &broken).unwrap();
    let db = TestDatabase::new();
    run_ok(&db, &["import", original.to_str().unwrap()]);

    let exported = dir.path().join("exported.toml");
    let written = export(&db, &exported);
    assert_eq!(
        written.matches("out_of_order = true").count(),
        1,
        "{written}"
    );
    let (spec, _) = parsed(&exported);
    let out: Vec<&str> = spec
        .locations
        .iter()
        .flat_map(|l| &l.desks)
        .filter(|d| d.out_of_order)
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(out, ["Skranke 1"]);
    assert_eq!(normalised(parsed(&exported)), normalised(parsed(&original)));

    // Back in order from the file: the import is the truth for it, as for the rest.
    std::fs::write(&original, &text).unwrap();
    run_ok(&db, &["import", original.to_str().unwrap()]);
    assert!(!export(&db, &exported).contains("out_of_order = true"));
}
