//! The synthetic history against the model it is drawn from: its daily and yearly shape,
//! booking, no-shows, handling, waiting and noise.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc, Weekday};

use super::*;
use crate::domain::demand::synthetic::queue::Queue;
use crate::domain::demand::synthetic::stream::SERVICE_TIME_CV;

#[test]
fn demand_rises_over_lunch_until_two() {
    let general = |r: &DemandRecord| at(r, "raadhuset") && kind_of(r) == ServiceKind::General;
    let mon_to_thu = |r: &DemandRecord| local(r).weekday().num_days_from_monday() < 4;
    // Per quarter hour: 10 quarters in 11:30–14:00, 4 in 10:00–11:00, on every Mon–Thu.
    let lunch = total(
        |r| general(r) && mon_to_thu(r) && between(r, "11:30", "14:00"),
        DemandRecord::arrivals,
    ) / 10.0;
    let morning = total(
        |r| general(r) && mon_to_thu(r) && between(r, "10:00", "11:00"),
        DemandRecord::arrivals,
    ) / 4.0;
    assert!(
        lunch > 1.3 * morning,
        "lunch {lunch:.0} vs morning {morning:.0}"
    );

    // The job centre is the other way round: busiest in the morning.
    let job = |r: &DemandRecord| kind_of(r) == ServiceKind::JobCentre && mon_to_thu(r);
    let job_morning = total(
        |r| job(r) && between(r, "10:00", "11:00"),
        DemandRecord::arrivals,
    );
    let job_afternoon = total(
        |r| job(r) && between(r, "13:00", "14:00"),
        DemandRecord::arrivals,
    );
    assert!(
        job_morning > 1.15 * job_afternoon,
        "{job_morning} vs {job_afternoon}"
    );
}

#[test]
fn late_opening_has_an_after_work_peak() {
    let late = |r: &DemandRecord| at(r, "hovedbiblioteket") && local(r).weekday() != Weekday::Fri;
    let evening = total(
        |r| late(r) && between(r, "16:30", "18:00"),
        DemandRecord::arrivals,
    );
    let afternoon = total(
        |r| late(r) && between(r, "15:00", "16:30"),
        DemandRecord::arrivals,
    );
    assert!(
        evening > 1.25 * afternoon,
        "evening {evening} vs afternoon {afternoon}"
    );
}

#[test]
fn mondays_are_busier_than_midweek() {
    let window = |r: &DemandRecord, day: Weekday| {
        at(r, "raadhuset") && local(r).weekday() == day && between(r, "10:00", "13:30")
    };
    let monday = per_day(|r| window(r, Weekday::Mon));
    let wednesday = per_day(|r| window(r, Weekday::Wed));
    assert!(
        monday > 1.25 * wednesday,
        "Monday {monday:.1} vs Wednesday {wednesday:.1}"
    );
}

#[test]
fn first_days_of_the_month_are_busier_most_of_all_at_the_job_centre() {
    // Leave out the postal-vote weeks, which would flatter the middle of the month.
    let ordinary = |r: &DemandRecord| election_factor(local(r).date(), zone_of(r)) == 1.0;
    let early = |r: &DemandRecord| ordinary(r) && local(r).day() <= 3;
    let middle = |r: &DemandRecord| ordinary(r) && (8..=25).contains(&local(r).day());
    let ratio = |of: fn(&DemandRecord) -> bool| {
        per_day(|r| of(r) && early(r)) / per_day(|r| of(r) && middle(r))
    };
    let job = ratio(|r| kind_of(r) == ServiceKind::JobCentre);
    let general = ratio(|r| kind_of(r) == ServiceKind::General);
    assert!(job > 1.3, "job centre {job:.2}");
    assert!(general > 1.08, "general {general:.2}");
    assert!(
        job > general + 0.15,
        "job centre {job:.2} vs general {general:.2}"
    );
}

#[test]
fn june_is_passport_season() {
    let month = |r: &DemandRecord, m: u32| local(r).month() == m;
    let passports = |m: u32| total(|r| is(r, "pas") && month(r, m), DemandRecord::arrivals);
    let general = |m: u32| {
        total(
            |r| is(r, "borgerservice") && month(r, m),
            DemandRecord::arrivals,
        )
    };
    assert!(
        passports(6) >= 1.5 * passports(3),
        "June {} vs March {}",
        passports(6),
        passports(3)
    );
    assert!(
        general(6) < 1.2 * general(3),
        "only passports have a season: {} vs {}",
        general(6),
        general(3)
    );
}

#[test]
fn postal_votes_fill_the_weeks_before_an_election() {
    let election = date("2026-10-27");
    let before = |r: &DemandRecord, from: i64, to: i64| {
        let days = (election - local(r).date()).num_days();
        (from..=to).contains(&days)
    };
    let ratio = |of: fn(&DemandRecord) -> bool| {
        per_day(|r| of(r) && before(r, 2, 14)) / per_day(|r| of(r) && before(r, 22, 42))
    };
    let general = ratio(|r| kind_of(r) == ServiceKind::General);
    let passports = ratio(|r| kind_of(r) == ServiceKind::Passport);
    // The earlier weeks hold the start of October, which lifts them a little too.
    assert!(general > 1.2, "general citizen service {general:.2}");
    assert!(passports < 1.1, "passports do not vote: {passports:.2}");
    assert!(general > passports + 0.2, "{general:.2} vs {passports:.2}");
    assert!(
        election_factor(date("2025-11-14"), chrono_tz::Europe::Copenhagen) > 1.4,
        "the municipal election of 2025 too"
    );
}

#[test]
fn weekly_volumes_are_plausible_and_scale_with_opening_hours() {
    let weeks = ((last() - first()).num_days() + 1) as f64 / 7.0;
    let in_person = |r: &DemandRecord| kind_of(r) != ServiceKind::JobCentre || is(r, "jobsamtale");
    let visits = |loc: &str| total(|r| at(r, loc) && in_person(r), DemandRecord::arrivals) / weeks;
    let (hall, library) = (visits("raadhuset"), visits("hovedbiblioteket"));
    assert!(
        (300.0..=500.0).contains(&hall),
        "city hall {hall:.0} a week"
    );
    // 28 hours a week against 24.
    let ratio = library / hall;
    assert!(
        (0.9..=1.45).contains(&ratio),
        "library {library:.0} vs city hall {hall:.0}"
    );
}

#[test]
fn booking_policy_sets_the_booked_share_and_phones_have_no_door() {
    let sum = |service: &str, value: fn(&DemandRecord) -> u32| total(|r| is(r, service), value);
    assert_eq!(sum("pas", |r| r.walk_ins), 0.0, "booking required");
    assert_eq!(sum("sundhedskort", |r| r.booked), 0.0, "walk-in only");
    let booked = sum("borgerservice", |r| r.booked);
    let share = booked / (booked + sum("borgerservice", |r| r.walk_ins));
    assert!(
        (0.33..=0.47).contains(&share),
        "optional booking: {share:.2}"
    );
    assert_eq!(sum("jobsamtale-telefon", |r| r.walk_ins), 0.0);
    assert!(sum("jobsamtale-telefon", |r| r.booked) > 100.0);
}

#[test]
fn job_centre_meetings_are_missed_most() {
    let rate = |service: &str| {
        total(|r| is(r, service), |r| r.no_shows) / total(|r| is(r, service), |r| r.booked)
    };
    let job = rate("jobsamtale");
    let passport = rate("pas");
    assert!((0.25..=0.31).contains(&job), "job centre {job:.3}");
    assert!((0.08..=0.15).contains(&passport), "passport {passport:.3}");
}

#[test]
fn service_times_centre_on_the_duration() {
    for service in &spec().services {
        let seconds = total(|r| r.service == service.slug, |r| r.service_seconds);
        let served = total(|r| r.service == service.slug, |r| r.served);
        let mean_minutes = seconds / served / 60.0;
        let expected = f64::from(service.duration_minutes);
        // Four standard errors of a mean of `served` times with this spread.
        let tolerance = 4.0 * SERVICE_TIME_CV / served.sqrt();
        assert!(
            (mean_minutes / expected - 1.0).abs() < tolerance,
            "{}: {mean_minutes:.1} min",
            service.slug
        );
    }
}

#[test]
fn walk_ins_wait_longest_at_peaks_and_booked_citizens_barely_wait() {
    let mean_wait = |filter: &dyn Fn(&DemandRecord) -> bool| {
        total(filter, |r| r.wait_seconds) / total(filter, |r| r.served) / 60.0
    };
    let walk_in = |r: &DemandRecord| at(r, "raadhuset") && is(r, "sundhedskort");
    let peak = mean_wait(&|r| walk_in(r) && between(r, "13:00", "14:00"));
    let quiet = mean_wait(&|r| walk_in(r) && between(r, "10:00", "11:00"));
    assert!(
        peak > 1.5 * quiet,
        "peak {peak:.1} min vs quiet {quiet:.1} min"
    );
    let overall = mean_wait(&|r| is(r, "sundhedskort"));
    assert!(
        (2.0..=20.0).contains(&overall),
        "walk-ins wait {overall:.1} min on average"
    );
    let booked = mean_wait(&|r| is(r, "pas"));
    assert!(
        booked < 0.5 * overall,
        "booked {booked:.1} vs walk-in {overall:.1} min"
    );
}

#[test]
fn counts_are_consistent_and_some_walk_away() {
    for r in history() {
        assert!(r.no_shows <= r.booked, "{r:?}");
        assert!(r.served <= r.arrivals(), "{r:?}");
        assert!(
            r.walk_ins + r.booked > 0,
            "empty intervals are left out: {r:?}"
        );
    }
    let walked_away = total(|_| true, DemandRecord::arrivals) - total(|_| true, |r| r.served);
    assert!(walked_away > 0.0);
    assert!(
        walked_away < 0.05 * total(|_| true, |r| r.walk_ins),
        "{walked_away}"
    );
}

#[test]
fn history_is_the_expected_rate_plus_poisson_noise() {
    let model = DemandModel::new(spec());
    let drawn: HashMap<(&Slug, &Slug, DateTime<Utc>), &DemandRecord> = history()
        .iter()
        .map(|r| ((&r.location, &r.service, r.interval_start), r))
        .collect();
    for loc in &spec().locations {
        for service in &loc.services {
            let (mut expected, mut observed, mut chi2, mut cells) = (0.0, 0.0, 0.0, 0.0);
            // Var[(X − λ)² / λ] = 2 + 1/λ for a Poisson X with mean λ.
            let mut chi2_variance = 0.0;
            for day in first().iter_days().take_while(|d| *d <= last()) {
                for start in open_intervals(loc, service, day) {
                    let e = model.arrival_rate(&loc.slug, service, start);
                    let o = drawn
                        .get(&(&loc.slug, service, start))
                        .map_or(0.0, |r| f64::from(r.arrivals()));
                    expected += e;
                    observed += o;
                    chi2 += (o - e).powi(2) / e;
                    chi2_variance += 2.0 + 1.0 / e;
                    cells += 1.0;
                }
            }
            let what = format!("{} {service}", loc.slug);
            // Within four standard deviations of a Poisson total.
            assert!(
                (observed - expected).abs() < 4.0 * expected.sqrt(),
                "{what}: {observed} vs {expected:.0}"
            );
            // Poisson: the variance equals the mean, so this averages to 1.
            let dispersion = chi2 / cells;
            let tolerance = 4.0 * chi2_variance.sqrt() / cells;
            assert!(
                (dispersion - 1.0).abs() < tolerance,
                "{what}: dispersion {dispersion:.2} ± {tolerance:.2}"
            );
        }
    }
    assert_eq!(
        model.arrival_rate(
            &slug("raadhuset"),
            &slug("pas"),
            "2026-03-07T10:00:00Z".parse().unwrap()
        ),
        0.0,
        "Saturday"
    );
    assert!(
        model
            .expected(
                &slug("raadhuset"),
                &slug("pas"),
                "2026-03-06T09:07:00Z".parse().unwrap()
            )
            .is_none(),
        "not a quarter hour"
    );
}

#[test]
fn same_seed_same_history_whatever_the_range() {
    let week = synthetic_history(spec(), date("2026-03-23"), date("2026-03-29"), SEED);
    let same_days: Vec<&DemandRecord> = history()
        .iter()
        .filter(|r| (date("2026-03-23")..=date("2026-03-29")).contains(&local(r).date()))
        .collect();
    assert_eq!(week.iter().collect::<Vec<_>>(), same_days);
    let other = synthetic_history(spec(), date("2026-03-23"), date("2026-03-29"), SEED + 1);
    assert_ne!(week, other);
}

#[test]
fn queue_waits_grow_steeply_with_load_and_overload_carries_over() {
    let mut queue = Queue::new(2.0, 10.0);
    let light = queue.wait_minutes(10.0);
    let heavy = queue.wait_minutes(27.0);
    assert!(light < 2.0 && heavy > 10.0 * light, "{light} vs {heavy}");
    // Two desks finish 30 desk-minutes a quarter hour; 45 leave 15 for the next.
    queue.advance(45.0);
    assert!((queue.backlog - 15.0).abs() < 1e-9);
    assert!(queue.wait_minutes(0.0) >= 7.5);
    queue.advance(0.0);
    assert_eq!(queue.backlog, 0.0);
}

#[test]
fn service_kinds_are_read_from_the_names() {
    let kind = |slug_: &str, department: &str, name: &str| {
        ServiceKind::of(&service(
            slug_,
            department,
            name,
            10,
            Channel::InPerson,
            BookingPolicy::Optional,
        ))
    };
    assert_eq!(kind("pas", "borgerservice", "Pas"), ServiceKind::Passport);
    assert_eq!(
        kind("nyt-pas", "borgerservice", "Nyt pas"),
        ServiceKind::Passport
    );
    assert_eq!(
        kind("koerekort-fornyelse", "borgerservice", "Kørekort"),
        ServiceKind::DrivingLicence
    );
    assert_eq!(
        kind("samtale", "jobcenter", "Samtale"),
        ServiceKind::JobCentre
    );
    assert_eq!(
        kind("byggesag", "teknik", "Byggesag"),
        ServiceKind::Specialist
    );
    assert_eq!(
        kind("borger-pc", "borgerservice", "Citizen PC"),
        ServiceKind::Specialist
    );
    assert_eq!(
        kind("flytning", "borgerservice", "Moving"),
        ServiceKind::General
    );
    assert_eq!(kind("pasning", "boern", "Childcare"), ServiceKind::General);
}

#[test]
fn offering_a_video_meeting_leaves_the_rest_of_the_history_as_it_was() {
    let without = organisation();
    let mut with = without.clone();
    let video = service(
        "jobsamtale-video",
        "jobcenter",
        "Job centre meeting on screen",
        30,
        Channel::Video,
        BookingPolicy::Required,
    );
    with.services.insert(5, video);
    with.locations[0]
        .services
        .insert(5, slug("jobsamtale-video"));
    let (from, to) = (date("2026-03-02"), date("2026-03-15"));
    let before = synthetic_history(&without, from, to, SEED);
    let after = synthetic_history(&with, from, to, SEED);
    let (meetings, rest): (Vec<DemandRecord>, Vec<DemandRecord>) = after
        .into_iter()
        .partition(|r| r.service.as_str() == "jobsamtale-video");
    assert!(!meetings.is_empty(), "the video meetings have a history");
    assert_eq!(rest, before);
}
