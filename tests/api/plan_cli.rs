//! `skranke plan` on the demo municipality: the week it plans, checked from what it prints.

use std::collections::{BTreeMap, HashMap};
use std::process::Command;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, FixedOffset};
use serde_json::Value;

use crate::demo_database::made_demo;
use crate::helpers::{fresh_pool, TestDatabase};

const NOW: &str = "2027-03-29T06:00:00Z";
/// The week after NOW: Monday 5 to Sunday 11 April 2027.
const WEEK: &str = "2027-W14";

/// The demo as made at [`NOW`], a copy of its own.
pub(crate) fn demo_database() -> TestDatabase {
    crate::demo_database::demo_database(NOW)
}

fn plan(db: &TestDatabase, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_skranke"))
        .arg("plan")
        .args(args)
        .env("SKRANKE_DATABASE_URL", db.url_string())
        .env("SKRANKE_NOW", NOW)
        .env("SKRANKE_LOG", "warn")
        .output()
        .expect("the skranke binary runs")
}

fn time(v: &Value) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap()
}

/// The demo's planning data, read from the same file the demo loads.
fn planning() -> (
    skranke::domain::organisation::OrganisationSpec,
    skranke::domain::roster::PlanningSpec,
) {
    let text = include_str!("../../examples/organisation.toml");
    skranke::import::parse_organisation_and_planning("organisation.toml", text).unwrap()
}

#[test]
fn the_demo_week_is_covered_within_the_rules_near_its_bound() {
    let db = demo_database();
    let out = plan(
        &db,
        &[
            "--week",
            WEEK,
            "--service-level",
            "0.8",
            "--within-minutes",
            "10",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();

    let intervals = plan["intervals"].as_array().unwrap();
    assert!(intervals.len() > 100, "{} intervals", intervals.len());
    let locations: std::collections::BTreeSet<&str> = intervals
        .iter()
        .map(|i| i["location"].as_str().unwrap())
        .collect();
    assert_eq!(locations.len(), 3, "{locations:?}");
    let share = |f: &dyn Fn(&Value) -> bool| {
        intervals.iter().filter(|i| f(i)).count() as f64 / intervals.len() as f64
    };
    let covered = share(&|i| i["planned"].as_u64() >= i["required"].as_u64());
    assert!(covered >= 0.95, "covered in {covered}");
    let met = share(&|i| i["met"].as_bool().unwrap());
    assert!(met >= 0.95, "target met in {met}");
    assert!(intervals.iter().all(|i| {
        let start = time(&i["start"]);
        start.date_naive() >= chrono::NaiveDate::from_ymd_opt(2027, 4, 5).unwrap()
            && start.date_naive() <= chrono::NaiveDate::from_ymd_opt(2027, 4, 11).unwrap()
    }));

    let objective = plan["objective"].as_f64().unwrap();
    let bound = plan["lower_bound"].as_f64().unwrap();
    assert!(
        bound <= objective + 1e-6,
        "bound {bound} above objective {objective}"
    );
    assert!(
        objective - bound <= 0.05 * objective + 1e-9,
        "objective {objective}, bound {bound}"
    );
    assert!(plan["gap"].as_f64().unwrap() <= 0.05);

    // Every working-time rule, checked here from the printed shifts alone.
    let (org, planning) = planning();
    let templates: HashMap<&str, i64> = planning
        .shift_templates
        .iter()
        .map(|t| (t.slug.as_str(), t.paid_minutes()))
        .collect();
    let mut by_staff: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    let shifts = plan["shifts"].as_array().unwrap();
    assert!(!shifts.is_empty());
    for s in shifts {
        by_staff
            .entry(s["staff"].as_str().unwrap())
            .or_default()
            .push(s);
    }
    for (name, mut list) in by_staff {
        let person = org.staff.iter().find(|p| p.username == name).unwrap();
        let contract = planning.staff.iter().find(|p| p.username == name).unwrap();
        list.sort_by_key(|s| time(&s["start"]));
        let mut minutes = 0;
        for (k, s) in list.iter().enumerate() {
            let location = s["location"].as_str().unwrap();
            assert!(
                person.locations.iter().any(|l| l.as_str() == location),
                "{name} at {location}"
            );
            let offered = &org
                .locations
                .iter()
                .find(|l| l.slug.as_str() == location)
                .unwrap()
                .services;
            assert!(
                person.services.iter().any(|x| offered.contains(x)),
                "{name} has no errand at {location}"
            );
            let date = time(&s["start"]).date_naive();
            assert!(
                !contract
                    .absences
                    .iter()
                    .any(|a| a.from <= date && date <= a.to),
                "{name} away on {date}"
            );
            minutes += templates[s["template"].as_str().unwrap()];
            if let Some(next) = list.get(k + 1) {
                assert_ne!(
                    time(&next["start"]).date_naive(),
                    date,
                    "{name}: two shifts on {date}"
                );
                assert!(
                    time(&next["start"]) - time(&s["end"]) >= Duration::hours(11),
                    "{name}: less than 11 hours' rest after {}",
                    s["end"]
                );
            }
        }
        assert!(
            minutes <= i64::from(contract.contract_minutes),
            "{name}: {minutes} minutes"
        );
    }
}

#[test]
fn csv_and_html_carry_the_same_plan() {
    let db = demo_database();
    let target = ["--average-wait-minutes", "4", "--locations", "nuuk"];
    let csv = plan(
        &db,
        &[&["--week", WEEK, "--format", "csv"][..], &target[..]].concat(),
    );
    assert!(
        csv.status.success(),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    let text = String::from_utf8(csv.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("location,start,forecast,required,planned,simulated_wait_minutes,met")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty() && rows.iter().all(|r| r.starts_with("nuuk,")));
    // Times carry Nuuk's own offset, behind UTC.
    let start = DateTime::parse_from_rfc3339(rows[0].split(',').nth(1).unwrap()).unwrap();
    assert!(start.offset().local_minus_utc() < 0, "{}", rows[0]);
    let html = plan(
        &db,
        &[&["--week", WEEK, "--format", "html"][..], &target[..]].concat(),
    );
    let page = String::from_utf8(html.stdout).unwrap();
    assert!(
        page.contains("<svg")
            && page.contains("class=\"required\"")
            && page.contains("class=\"planned\"")
    );
}

#[test]
fn bad_flags_are_refused_by_name() {
    let db = demo_database();
    for (args, flag) in [
        (
            vec!["--week", "2027-W60", "--average-wait-minutes", "4"],
            "--week",
        ),
        (
            vec!["--week", "april", "--average-wait-minutes", "4"],
            "--week",
        ),
        (
            vec![
                "--week",
                WEEK,
                "--service-level",
                "1.2",
                "--within-minutes",
                "10",
            ],
            "--service-level",
        ),
        (
            vec!["--week", WEEK, "--average-wait-minutes", "-1"],
            "--average-wait-minutes",
        ),
        (
            vec![
                "--week",
                WEEK,
                "--service-level",
                "0.8",
                "--within-minutes",
                "10",
                "--average-wait-minutes",
                "4",
            ],
            "--average-wait-minutes",
        ),
        (
            vec![
                "--week",
                WEEK,
                "--average-wait-minutes",
                "4",
                "--locations",
                "atlantis",
            ],
            "--locations",
        ),
    ] {
        let out = plan(&db, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} was accepted");
        assert!(stderr.contains(flag), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?} printed a plan");
    }
}

/// What the strict week (95 % within 2 minutes) is planned from and the plan: the roster's
/// problem, the forecast and the roster.
type Planned = (
    skranke::domain::roster::Problem,
    Vec<skranke::domain::forecast::IntervalForecast>,
    skranke::app::plan::Plan,
);

/// The strict week planned on `db`.
fn strict_week_on(db: &TestDatabase) -> Planned {
    let request = week_request(0.95, 2.0);
    let pool = fresh_pool(db);
    let mut conn = pool.get().unwrap();
    let inputs = skranke::app::plan::prepare(&mut conn, &request, NOW.parse().unwrap()).unwrap();
    let plan = skranke::app::plan::plan(&mut conn, &request, NOW.parse().unwrap()).unwrap();
    (inputs.problem, inputs.demand, plan)
}

/// The strict week planned on the demo made at [`NOW`]: planned once for the tests that
/// only read it, as planning the week takes long.
fn strict_week() -> &'static Planned {
    static PLANNED: OnceLock<Planned> = OnceLock::new();
    PLANNED.get_or_init(|| strict_week_on(&demo_database()))
}

/// Two demos created at the same instant (the one the tests share and one made afresh)
/// hold the same history and so give the same week to plan and the same roster: the
/// README's figures reproduce.
#[test]
fn two_demos_made_at_the_same_instant_plan_the_same_week() {
    let shared = strict_week();
    let fresh = strict_week_on(&made_demo(NOW));
    assert!(!shared.0.needs.is_empty());
    assert!(shared.1.iter().any(|f| f.walk_ins > 0.0));
    assert_eq!(shared.0, fresh.0, "the roster problems differ");
    assert_eq!(shared.1, fresh.1, "the forecasts differ");
    assert_eq!(shared.2, fresh.2, "the plans differ");
}

fn week_request(service_level: f64, within_minutes: f64) -> skranke::app::plan::PlanRequest {
    skranke::app::plan::PlanRequest {
        locations: Vec::new(),
        from: chrono::NaiveDate::from_ymd_opt(2027, 4, 5).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2027, 4, 11).unwrap(),
        target: skranke::app::plan::TargetSpec::ServiceLevel {
            service_level,
            within_minutes,
        },
        staff: None,
    }
}

/// Citizen PCs and the job centre's phone meetings size no counter staff; the meetings
/// are the back-office work of the one who holds them.
#[test]
fn only_counter_errands_size_the_counter_staff() {
    use skranke::domain::staffing::{requirements, StaffingPolicy};
    let db = demo_database();
    let pool = fresh_pool(&db);
    let mut conn = pool.get().unwrap();
    let request = week_request(0.8, 10.0);
    let inputs = skranke::app::plan::prepare(&mut conn, &request, NOW.parse().unwrap()).unwrap();
    let site = |slug: &str| {
        inputs
            .problem
            .sites
            .iter()
            .find(|s| s.slug.as_str() == slug)
            .unwrap()
    };
    assert!(!site("taastrup-bibliotek")
        .services
        .iter()
        .any(|s| s.as_str() == "borger-pc"));
    assert!(!site("raadhuset")
        .services
        .iter()
        .any(|s| s.as_str() == "jobsamtale"));
    assert!(site("raadhuset")
        .back_office
        .iter()
        .any(|s| s.as_str() == "jobsamtale"));

    let policy = StaffingPolicy::new(inputs.target);
    let staff = |rows: Vec<skranke::domain::staffing::Requirement>| -> BTreeMap<_, u32> {
        rows.into_iter()
            .map(|r| ((r.location, r.start), r.staff))
            .collect()
    };
    let not_counter = |s: &str| matches!(s, "borger-pc" | "jobsamtale" | "jobsamtale-video");
    let counter_only: Vec<_> = inputs
        .demand
        .iter()
        .filter(|f| !not_counter(f.service.as_str()))
        .cloned()
        .collect();
    let sized = staff(inputs.needs.clone());
    assert_eq!(sized, staff(requirements(&counter_only, &policy).unwrap()));
    // The PCs and the meetings are forecast: sized with them, the counters would differ.
    assert!(inputs
        .demand
        .iter()
        .any(|f| not_counter(f.service.as_str()) && f.walk_ins + f.booked > 0.1));
    assert_ne!(sized, staff(requirements(&inputs.demand, &policy).unwrap()));
    assert!(inputs
        .problem
        .skill_needs
        .iter()
        .any(|n| n.service.as_str() == "jobsamtale"));

    // Planned, the meetings' holder is on duty for them.
    let plan = skranke::app::plan::plan(&mut conn, &request, NOW.parse().unwrap()).unwrap();
    let (org, _) = planning();
    let holders: Vec<&str> = org
        .staff
        .iter()
        .filter(|s| s.services.iter().any(|x| x.as_str() == "jobsamtale"))
        .map(|s| s.username.as_str())
        .collect();
    assert!(plan
        .shifts
        .iter()
        .any(|s| holders.contains(&s.staff.as_str())));
}

/// Each errand forecast in an interval has someone on duty who can handle it, or the
/// interval is counted uncovered and listed; checked from the plan's shifts alone.
#[test]
fn the_errand_mix_is_covered_or_shown() {
    let (problem, _, plan) = strict_week();
    assert_eq!(plan.summary.rule_breaches, 0);
    let (org, planning) = planning();
    let byggesag = problem
        .skill_needs
        .iter()
        .filter(|n| n.service.as_str() == "byggesag")
        .count();
    assert!(byggesag > 0, "building permits are forecast in the week");
    let mut short = 0;
    for need in &problem.skill_needs {
        let on_duty = plan
            .shifts
            .iter()
            .filter(|s| s.location == need.location)
            .filter(|s| {
                let person = org.staff.iter().find(|p| p.username == s.staff).unwrap();
                person.services.contains(&need.service)
            })
            .filter(|s| {
                let template = planning
                    .shift_templates
                    .iter()
                    .find(|t| t.slug == s.template)
                    .unwrap();
                let zone = s.start.timezone();
                let at = need.start.with_timezone(&zone);
                at.date_naive() == s.start.date_naive() && template.on_duty(at.time(), 15)
            })
            .count() as u32;
        if on_duty < need.staff {
            short += need.staff - on_duty;
            assert!(
                plan.skill_gaps
                    .iter()
                    .any(|g| g.service == need.service && g.start == need.start),
                "{} at {} {} is short and not shown",
                need.service,
                need.location,
                need.start
            );
        }
    }
    assert_eq!(plan.parts.skill_uncovered, u64::from(short));
    assert!(plan.skill_gaps.len() as u64 <= plan.parts.skill_uncovered);
}
