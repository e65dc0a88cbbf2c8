//! The roster optimiser where staff bind: the demo's week 14 at a 95 % service level within
//! 2 minutes, and a generated organisation of 10 locations and 150 staff cloned from the
//! demo (its demand shapes, its 11 shift templates, its contracts) at the same target, both
//! planned from a
//! forecast of synthetic history exactly as `skranke plan` does; then the older synthetic
//! 10 × 150 case with smooth demand. Prints, for each, the objective, the uncovered
//! staff-intervals, the lower bound, the gap and the seconds taken.
//!
//! `cargo bench --bench roster` (microlp); `cargo bench --bench roster --features highs`
//! runs the same on HiGHS.

use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use skranke::app::plan::{prepare, PlanRequest, TargetSpec};
use skranke::domain::demand::synthetic_history;
use skranke::domain::hours::TimeRange;
use skranke::domain::organisation::{LocationSpec, OrganisationSpec, StaffSpec};
use skranke::domain::roster::{
    check_rules, iso_week, solve_with, Absence, Mode, Need, Options, PlanningSpec, Problem,
    ShiftTemplate, Site, StaffPlanning, Weights, Worker,
};
use skranke::domain::Slug;
use skranke::store::{self, DatabaseUrl};

/// The instant the demo is created and planned from, as in the README's example.
const NOW: &str = "2027-03-29T06:00:00Z";
const WEEK: &str = "2027-W14";
/// The seed of the generated organisation.
const ORGANISATION_SEED: u64 = 14;
const LOCATIONS: usize = 10;
const STAFF: usize = 150;

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn main() {
    let now: DateTime<Utc> = NOW.parse().unwrap();
    let demo = demo_problem(now);
    report("demo W14, 95 % within 2 min", &demo);
    let large = large_problem(now);
    report("10 locations, 150 staff", &large);
    let smooth = smooth_problem();
    report("smooth synthetic 10 × 150", &smooth);
}

fn report(name: &str, p: &Problem) {
    let required: u64 = p.needs.iter().map(|n| u64::from(n.staff)).sum();
    println!(
        "{name}: {} locations, {} needs ({required} staff-intervals), {} staff, {} templates",
        p.sites.len(),
        p.needs.len(),
        p.workers.len(),
        p.templates.len()
    );
    let begun = Instant::now();
    let options = Options {
        time_limit: std::time::Duration::from_secs(30),
        seed: 20,
        ..Options::new(Mode::Exact)
    };
    let roster = solve_with(p, &options).expect("the benchmark problem solves");
    let took = begun.elapsed();
    let breaches = check_rules(p, &roster.shifts).len();
    println!(
        "  objective {:.2}, uncovered {} staff-intervals + {} errand-intervals, bound {:.2}, \
         gap {:.2} %, {:.2} s (over {}, travel {}, {} shifts, rule breaches {breaches})",
        roster.objective,
        roster.parts.uncovered,
        roster.parts.skill_uncovered,
        roster.lower_bound,
        roster.gap * 100.0,
        took.as_secs_f64(),
        roster.parts.over,
        roster.parts.travel,
        roster.shifts.len(),
    );
}

/// A fresh SQLite database in a temporary directory, kept while the bench runs.
fn database() -> (tempfile::TempDir, store::Pool) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster-bench.db");
    let pool = store::connect(&DatabaseUrl::Sqlite(path.display().to_string()), 1).unwrap();
    (dir, pool)
}

fn plan_problem(pool: &store::Pool, now: DateTime<Utc>, target: TargetSpec) -> Problem {
    let (from, to) = iso_week(WEEK).unwrap();
    let request = PlanRequest {
        locations: Vec::new(),
        from,
        to,
        target,
        staff: None,
    };
    prepare(&mut pool.get().unwrap(), &request, now)
        .expect("the week is planned")
        .problem
}

/// `skranke demo` and `skranke plan --week 2027-W14 --service-level 0.95 --within-minutes 2`.
fn demo_problem(now: DateTime<Utc>) -> Problem {
    let (_dir, pool) = database();
    skranke::app::demo::ensure(&mut pool.get().unwrap(), now, Some("roster-bench")).unwrap();
    plan_problem(
        &pool,
        now,
        TargetSpec::ServiceLevel {
            service_level: 0.95,
            within_minutes: 2.0,
        },
    )
}

/// The demo cloned to 10 locations (each demo location in turn, its templates worked at
/// every clone) and 150 staff drawn from the demo's rostered staff, each a copy of one of
/// them at a clone of their home: their errands, their contract, their other locations
/// mapped to the same copy of the organisation; a tenth away for some days.
fn large_problem(now: DateTime<Utc>) -> Problem {
    let mut rng = StdRng::seed_from_u64(ORGANISATION_SEED);
    let demo = skranke::app::demo::organisation().unwrap();
    let planning = skranke::app::demo::planning().unwrap();
    let n = demo.locations.len();
    let clone_of = |base: &Slug, copy: usize| -> Slug {
        let i = demo.locations.iter().position(|l| &l.slug == base).unwrap();
        let index = copy * n + i;
        let index = if index < LOCATIONS { index } else { i };
        slug(&format!("{}-{index}", base.as_str()))
    };
    let locations: Vec<LocationSpec> = (0..LOCATIONS)
        .map(|index| {
            let base = &demo.locations[index % n];
            let mut l = base.clone();
            l.slug = slug(&format!("{}-{index}", base.slug.as_str()));
            l.name = format!("{} {index}", base.name);
            l
        })
        .collect();
    let rostered: Vec<(&StaffSpec, &StaffPlanning)> = demo
        .staff
        .iter()
        .filter(|s| s.home_location.is_some())
        .filter_map(|s| {
            let p = planning.staff.iter().find(|p| p.username == s.username)?;
            (p.contract_minutes > 0).then_some((s, p))
        })
        .collect();
    let (monday, _) = iso_week(WEEK).unwrap();
    let mut staff = Vec::new();
    let mut staff_planning = Vec::new();
    for k in 0..STAFF {
        let (base, plan) = rostered[rng.gen_range(0..rostered.len())];
        let copy = rng.gen_range(0..LOCATIONS.div_ceil(n));
        let home = clone_of(base.home_location.as_ref().unwrap(), copy);
        let mut s = base.clone();
        s.username = format!("medarbejder-{k:03}");
        s.display_name = format!("Medarbejder {k}");
        s.password_hash = None;
        s.locations = base.locations.iter().map(|l| clone_of(l, copy)).collect();
        if !s.locations.contains(&home) {
            s.locations.push(home.clone());
        }
        s.home_location = Some(home);
        let absences = if rng.gen_bool(0.1) {
            let from = monday + Duration::days(rng.gen_range(0..5));
            vec![Absence {
                from,
                to: from + Duration::days(rng.gen_range(0..3)),
            }]
        } else {
            Vec::new()
        };
        staff_planning.push(StaffPlanning {
            username: s.username.clone(),
            contract_minutes: plan.contract_minutes,
            absences,
            preferred_templates: plan.preferred_templates.clone(),
        });
        staff.push(s);
    }
    let spec = OrganisationSpec {
        slug: slug("klon-kommune"),
        name: "Klon Kommune".into(),
        municipality: demo.municipality.clone(),
        departments: demo.departments.clone(),
        services: demo.services.clone(),
        locations,
        staff,
        needs: demo.needs.clone(),
    };
    let templates = planning
        .shift_templates
        .iter()
        .map(|template| {
            let mut template = template.clone();
            template.locations = template
                .locations
                .iter()
                .flat_map(|l| {
                    spec.locations
                        .iter()
                        .filter(|c| c.slug.as_str().rsplit_once('-').unwrap().0 == l.as_str())
                        .map(|c| c.slug.clone())
                })
                .collect();
            template
        })
        .collect();
    let planning = PlanningSpec {
        shift_templates: templates,
        staff: staff_planning,
    };
    let (_dir, pool) = database();
    let mut conn = pool.get().unwrap();
    let today = now.date_naive();
    let history = synthetic_history(
        &spec,
        today - Duration::days(12 * 7),
        today - Duration::days(1),
        ORGANISATION_SEED,
    );
    store::write(&mut conn, |conn| -> Result<(), store::StoreError> {
        store::import::save(conn, &spec, now.naive_utc())?;
        store::planning::save(conn, spec.slug.as_str(), &planning)?;
        store::demand::insert(conn, spec.slug.as_str(), &history)?;
        Ok(())
    })
    .unwrap();
    drop(conn);
    plan_problem(
        &pool,
        now,
        TargetSpec::ServiceLevel {
            service_level: 0.95,
            within_minutes: 2.0,
        },
    )
}

/// Open 09:00–17:00 on weekdays (one in three until 18:00), 10:00–13:00 on Saturdays, closed
/// on Sundays; a lunch peak and an after-work peak, busier on Mondays and at bigger sites.
fn smooth_problem() -> Problem {
    let monday = NaiveDate::from_ymd_opt(2027, 4, 5).unwrap();
    let dates: Vec<NaiveDate> = (0..7).map(|d| monday + Duration::days(d)).collect();
    let services = [slug("pas"), slug("koerekort"), slug("vejledning")];
    let sites: Vec<Site> = (0..LOCATIONS)
        .map(|l| Site {
            slug: slug(&format!("sted-{l}")),
            zone: chrono_tz::Europe::Copenhagen,
            services: services.to_vec(),
            back_office: Vec::new(),
        })
        .collect();
    let mut needs = Vec::new();
    for (l, site) in sites.iter().enumerate() {
        let size = 1.0 + (l % 4) as f64 * 0.5;
        for (d, date) in dates.iter().enumerate() {
            let (open, close) = match d {
                0..=4 => (t(9, 0), if l % 3 == 0 { t(18, 0) } else { t(17, 0) }),
                5 => (t(10, 0), t(13, 0)),
                _ => continue,
            };
            let weekday = if d == 0 { 1.3 } else { 1.0 };
            let mut at = open;
            while at < close {
                let hour = hour_of(at);
                let lunch = (-((hour - 12.5) / 1.2).powi(2)).exp();
                let evening = (-((hour - 17.0) / 0.7).powi(2)).exp();
                let staff = (size * weekday * (1.5 + 2.5 * lunch + 2.0 * evening)).round() as u32;
                let local = chrono_tz::Europe::Copenhagen
                    .from_local_datetime(&date.and_time(at))
                    .single()
                    .unwrap();
                needs.push(Need {
                    location: site.slug.clone(),
                    start: local.with_timezone(&Utc),
                    staff,
                });
                at += Duration::minutes(15);
            }
        }
    }
    let template = |name: &str,
                    start: NaiveTime,
                    end: NaiveTime,
                    breaks: &[(NaiveTime, NaiveTime)]| ShiftTemplate {
        slug: slug(name),
        start,
        end,
        breaks: breaks
            .iter()
            .map(|(a, b)| TimeRange::new(*a, *b).unwrap())
            .collect(),
        locations: Vec::new(),
    };
    let templates = vec![
        template("dag", t(8, 45), t(16, 15), &[(t(11, 30), t(12, 0))]),
        template(
            "dag-sen-frokost",
            t(8, 45),
            t(16, 15),
            &[(t(12, 30), t(13, 0))],
        ),
        template("sen", t(11, 45), t(18, 0), &[(t(15, 0), t(15, 15))]),
        template("formiddag", t(8, 45), t(13, 0), &[]),
        template("middag", t(11, 0), t(15, 0), &[]),
        template("eftermiddag", t(13, 0), t(17, 0), &[]),
        template("aften", t(15, 0), t(18, 0), &[]),
        template("loerdag", t(9, 45), t(13, 15), &[]),
    ];
    let workers: Vec<Worker> = (0..STAFF)
        .map(|i| {
            let home = i % LOCATIONS;
            let mut locations = vec![sites[home].slug.clone()];
            if i % 3 != 0 {
                locations.push(sites[(home + 1) % LOCATIONS].slug.clone());
            }
            if i % 5 == 0 {
                locations.push(sites[(home + 3) % LOCATIONS].slug.clone());
            }
            Worker {
                name: format!("medarbejder-{i:03}"),
                services: if i % 7 == 0 {
                    vec![services[2].clone()]
                } else {
                    services.to_vec()
                },
                home: Some(sites[home].slug.clone()),
                locations,
                contract_minutes: [37 * 60, 37 * 60, 30 * 60, 25 * 60][i % 4],
                absences: if i % 11 == 0 {
                    vec![Absence {
                        from: dates[1],
                        to: dates[3],
                    }]
                } else {
                    Vec::new()
                },
                preferred_templates: if i % 2 == 0 {
                    vec![slug("dag")]
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    Problem {
        sites,
        dates,
        interval_minutes: 15,
        needs,
        skill_needs: Vec::new(),
        templates,
        workers,
        weights: Weights::default(),
    }
}

fn hour_of(at: NaiveTime) -> f64 {
    use chrono::Timelike;
    f64::from(at.hour()) + f64::from(at.minute()) / 60.0
}
