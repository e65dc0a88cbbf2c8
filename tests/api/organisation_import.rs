use diesel::prelude::*;
use skranke::app;
use skranke::domain::Slug;
use skranke::error::AppError;
use skranke::store::schema::{departments, desks, organisations, services};
use skranke::store::StoreError;

use crate::helpers::{fresh_pool, monday_morning, TestDatabase};

fn count(conn: &mut skranke::store::DbConnection) -> (i64, i64, i64, i64) {
    (
        organisations::table.count().get_result(conn).unwrap(),
        departments::table.count().get_result(conn).unwrap(),
        services::table.count().get_result(conn).unwrap(),
        desks::table
            .filter(desks::active.eq(true))
            .count()
            .get_result(conn)
            .unwrap(),
    )
}

#[test]
fn importing_twice_updates_instead_of_duplicating() {
    let db = TestDatabase::new();
    let pool = fresh_pool(&db);
    let conn = &mut *pool.get().unwrap();
    let spec = app::demo::organisation().unwrap();
    let first = app::organisation::import(conn, &spec, monday_morning()).unwrap();
    assert!(first.organisation_created);
    let after_first = count(conn);

    let mut changed = spec.clone();
    changed.name = "Høje-Taastrup Kommune (ny)".into();
    let removed_desk = changed.locations[0].desks.pop().unwrap();
    let second = app::organisation::import(conn, &changed, monday_morning()).unwrap();
    assert!(!second.organisation_created);
    assert_eq!(
        second.deactivated_desks, 1,
        "{} is no longer in the file",
        removed_desk.name
    );
    let after_second = count(conn);
    assert_eq!(
        (after_second.0, after_second.1, after_second.2),
        (after_first.0, after_first.1, after_first.2)
    );
    assert_eq!(after_second.3, after_first.3 - 1);
    let name: String = organisations::table
        .select(organisations::name)
        .first(conn)
        .unwrap();
    assert_eq!(name, "Høje-Taastrup Kommune (ny)");
}

#[test]
fn an_import_that_fails_halfway_leaves_nothing_behind() {
    let db = TestDatabase::new();
    let pool = fresh_pool(&db);
    let conn = &mut *pool.get().unwrap();
    let spec = app::demo::organisation().unwrap();
    app::organisation::import(conn, &spec, monday_morning()).unwrap();
    let before = count(conn);

    // A second municipality whose last location takes a slug the first one owns: the
    // store finds out only after it has written the organisation, departments and services.
    let mut other = spec.clone();
    other.slug = Slug::parse("nabokommune").unwrap();
    for (i, l) in other.locations.iter_mut().enumerate() {
        if i > 0 {
            l.slug = Slug::parse(&format!("nabo-{i}")).unwrap();
        }
    }
    other.staff.clear();
    let err = app::organisation::import(conn, &other, monday_morning()).unwrap_err();
    assert!(
        matches!(&err, AppError::Store(StoreError::Conflict(m)) if m.contains("taken by another organisation")),
        "{err}"
    );
    assert_eq!(count(conn), before, "nothing of the failed import was kept");
}
