//! The demand module's tests, on one organisation (a city hall with Høje-Taastrup's hours,
//! a library open till 18:00 and a Nuuk office) and a year of its synthetic history.

mod elections;
mod intervals;
mod synthetic;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use chrono_tz::Tz;

use super::*;
use crate::domain::hours::{Closure, TimeRange, WeeklyHours};
use crate::domain::organisation::{
    BookingPolicy, Channel, DepartmentSpec, LocationSpec, OrganisationSpec, ServiceHoursSpec,
    ServiceSpec,
};
use crate::domain::Slug;

const SEED: u64 = 7;

fn date(raw: &str) -> NaiveDate {
    raw.parse().unwrap()
}

fn first() -> NaiveDate {
    date("2025-11-01")
}

fn last() -> NaiveDate {
    date("2026-10-31")
}

fn slug(raw: &str) -> Slug {
    Slug::parse(raw).unwrap()
}

fn week(days: &[(Weekday, &str)]) -> WeeklyHours {
    let mut hours = WeeklyHours::default();
    for (day, range) in days {
        hours
            .set_day(*day, vec![TimeRange::parse(range).unwrap()])
            .unwrap();
    }
    hours
}

fn service(
    slug_: &str,
    department: &str,
    name_en: &str,
    minutes: u32,
    channel: Channel,
    booking: BookingPolicy,
) -> ServiceSpec {
    ServiceSpec {
        slug: slug(slug_),
        name_da: name_en.into(),
        name_en: name_en.into(),
        department: slug(department),
        duration_minutes: minutes,
        additional_minutes: None,
        max_per_visit: 1,
        buffer_minutes: 0,
        channel,
        booking,
        self_service_url: None,
        meeting_url: None,
        queue_prefix: 'A',
        book_ahead_days: 60,
        min_notice_minutes: 60,
        slot_step_minutes: 15,
        priority: 0,
        what_to_bring_da: None,
        what_to_bring_en: None,
        rules: Default::default(),
    }
}

fn closures(ranges: &[(&str, &str)]) -> Vec<Closure> {
    ranges
        .iter()
        .map(|(a, b)| Closure::new(date(a), date(b), "Helligdag".into()).unwrap())
        .collect()
}

/// Danish public holidays of the window (and the Friday after Ascension).
const DANISH_HOLIDAYS: [(&str, &str); 6] = [
    ("2025-12-24", "2025-12-26"),
    ("2025-12-31", "2026-01-01"),
    ("2026-04-02", "2026-04-06"),
    ("2026-05-14", "2026-05-15"),
    ("2026-05-25", "2026-05-25"),
    ("2026-06-05", "2026-06-05"),
];

fn location(
    slug_: &str,
    timezone: Tz,
    opening_hours: WeeklyHours,
    services: &[&str],
    service_hours: Vec<ServiceHoursSpec>,
    holidays: &[(&str, &str)],
) -> LocationSpec {
    LocationSpec {
        slug: slug(slug_),
        name: slug_.into(),
        address: "Torvet 1".into(),
        contact: None,
        timezone,
        opening_hours,
        closures: closures(holidays),
        services: services.iter().map(|s| slug(s)).collect(),
        service_hours,
        desks: Vec::new(),
        capacity: Vec::new(),
        alerts: Default::default(),
    }
}

/// A city hall with Høje-Taastrup's hours, a library open till 18:00 and a Nuuk office.
fn organisation() -> OrganisationSpec {
    use BookingPolicy::*;
    use Channel::*;
    use Weekday::*;
    let services = vec![
        service(
            "borgerservice",
            "borgerservice",
            "Citizen service",
            10,
            InPerson,
            Optional,
        ),
        service("pas", "borgerservice", "Passport", 15, InPerson, Required),
        service(
            "koerekort",
            "borgerservice",
            "Driving licence",
            15,
            InPerson,
            Required,
        ),
        service(
            "sundhedskort",
            "borgerservice",
            "Health card",
            5,
            InPerson,
            WalkInOnly,
        ),
        service(
            "jobsamtale",
            "jobcenter",
            "Job centre meeting",
            30,
            InPerson,
            Required,
        ),
        service(
            "jobsamtale-telefon",
            "jobcenter",
            "Job centre phone meeting",
            20,
            Phone,
            Required,
        ),
        service("byggesag", "byg", "Building permit", 30, InPerson, Required),
    ];
    let city_hall = location(
        "raadhuset",
        chrono_tz::Europe::Copenhagen,
        week(&[
            (Mon, "10:00-14:30"),
            (Tue, "10:00-14:30"),
            (Wed, "10:00-14:30"),
            (Thu, "10:00-17:00"),
            (Fri, "10:00-13:30"),
        ]),
        &[
            "borgerservice",
            "pas",
            "koerekort",
            "sundhedskort",
            "jobsamtale",
            "jobsamtale-telefon",
            "byggesag",
        ],
        vec![ServiceHoursSpec {
            service: slug("byggesag"),
            hours: week(&[
                (Mon, "10:00-12:00"),
                (Tue, "10:00-12:00"),
                (Thu, "10:00-12:00"),
            ]),
        }],
        &DANISH_HOLIDAYS,
    );
    let library = location(
        "hovedbiblioteket",
        chrono_tz::Europe::Copenhagen,
        week(&[
            (Mon, "12:00-18:00"),
            (Tue, "12:00-18:00"),
            (Wed, "12:00-18:00"),
            (Thu, "12:00-18:00"),
            (Fri, "10:00-14:00"),
        ]),
        &["borgerservice", "pas", "sundhedskort"],
        Vec::new(),
        &DANISH_HOLIDAYS,
    );
    let nuuk = location(
        "nuuk",
        chrono_tz::America::Nuuk,
        week(&[
            (Mon, "09:00-15:00"),
            (Tue, "09:00-15:00"),
            (Wed, "09:00-15:00"),
            (Thu, "09:00-15:00"),
            (Fri, "09:00-15:00"),
        ]),
        &["borgerservice", "pas", "jobsamtale"],
        Vec::new(),
        &[
            ("2025-12-24", "2025-12-26"),
            ("2026-01-01", "2026-01-01"),
            ("2026-06-22", "2026-06-22"),
        ],
    );
    OrganisationSpec {
        slug: slug("demo"),
        name: "Demo Kommune".into(),
        municipality: crate::domain::municipality::Municipality {
            name: "Demo Kommune".into(),
            logo: crate::domain::municipality::Logo::Url("https://demo.example/logo.svg".into()),
            phone: "+45 70 00 00 00".into(),
            address: "Torvet 1, 9999 Demoby".into(),
            mail_from_name: "Demo Kommune".into(),
            mail_from: "post@demo.example".into(),
            reply_to: "post@demo.example".into(),
            privacy_notice_url: "https://demo.example/privatliv".into(),
            accessibility_statement_url: "https://demo.example/tilgaengelighed".into(),
            brand_colour: None,
        },
        departments: ["borgerservice", "jobcenter", "byg"]
            .iter()
            .map(|d| DepartmentSpec {
                slug: slug(d),
                name: d.to_string(),
            })
            .collect(),
        services,
        locations: vec![city_hall, library, nuuk],
        staff: Vec::new(),
        needs: Vec::new(),
    }
}

fn spec() -> &'static OrganisationSpec {
    static SPEC: OnceLock<OrganisationSpec> = OnceLock::new();
    SPEC.get_or_init(organisation)
}

/// The window's history, drawn once and shared by the tests.
fn history() -> &'static [DemandRecord] {
    static HISTORY: OnceLock<Vec<DemandRecord>> = OnceLock::new();
    HISTORY.get_or_init(|| synthetic_history(spec(), first(), last(), SEED))
}

fn location_spec(slug_: &str) -> &'static LocationSpec {
    spec()
        .locations
        .iter()
        .find(|l| l.slug.as_str() == slug_)
        .unwrap()
}

fn zone_of(r: &DemandRecord) -> Tz {
    location_spec(r.location.as_str()).timezone
}

fn local(r: &DemandRecord) -> NaiveDateTime {
    r.interval_start.with_timezone(&zone_of(r)).naive_local()
}

fn clock(raw: &str) -> NaiveTime {
    crate::domain::hours::parse_clock(raw).unwrap()
}

/// Local start time within `[from, to)`.
fn between(r: &DemandRecord, from: &str, to: &str) -> bool {
    let t = local(r).time();
    clock(from) <= t && t < clock(to)
}

fn kind_of(r: &DemandRecord) -> ServiceKind {
    ServiceKind::of(
        spec()
            .services
            .iter()
            .find(|s| s.slug == r.service)
            .unwrap(),
    )
}

fn total(filter: impl Fn(&DemandRecord) -> bool, value: impl Fn(&DemandRecord) -> u32) -> f64 {
    history()
        .iter()
        .filter(|r| filter(r))
        .map(|r| f64::from(value(r)))
        .sum()
}

/// How many location-days the records that pass `filter` fall on.
fn days(filter: impl Fn(&DemandRecord) -> bool) -> f64 {
    let dates: BTreeSet<(Slug, NaiveDate)> = history()
        .iter()
        .filter(|r| filter(r))
        .map(|r| (r.location.clone(), local(r).date()))
        .collect();
    dates.len() as f64
}

/// Arrivals per open day among the records that pass `filter`.
fn per_day(filter: impl Fn(&DemandRecord) -> bool + Copy) -> f64 {
    total(filter, DemandRecord::arrivals) / days(filter)
}

fn at(r: &DemandRecord, location: &str) -> bool {
    r.location.as_str() == location
}

fn is(r: &DemandRecord, service: &str) -> bool {
    r.service.as_str() == service
}
