//! The published examples, the factorial formula, a direct birth–death solution and a scan
//! of every staffing, against the recursion and the search.

use super::blocking::Blocking;
use super::erlang_a::ErlangA;
use super::queue::Queue;
use super::*;

/// The textbook example: 100 calls in 30 minutes, 3 minutes each, 80 % within 20 s.
fn published_load() -> Load {
    Load::new(100.0, 30.0, 3.0, None).unwrap()
}

fn eighty_in_twenty() -> Target {
    Target::service_level(0.8, 20.0).unwrap()
}

fn close(actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} is not within {tolerance} of {expected}"
    );
}

#[test]
fn reproduces_the_published_example() {
    let s = required(&published_load(), &eighty_in_twenty(), None, 0.0).unwrap();
    assert_eq!(s.raw_positions, 14);
    assert_eq!(s.positions, 14);
    close(s.service_level, 0.88835, 0.00001);
    close(s.waiting_probability, 0.17413, 0.00001);
    close(s.average_wait_seconds, 7.836, 0.001);
    close(s.occupancy, 0.714, 0.001);
    assert_eq!(s.abandonment, None);
}

#[test]
fn thirty_percent_shrinkage_needs_twenty_staff() {
    let s = required(&published_load(), &eighty_in_twenty(), None, 0.3).unwrap();
    assert_eq!((s.raw_positions, s.positions), (14, 20));
}

#[test]
fn thirteen_positions_miss_the_target() {
    let load = published_load();
    let at_13 = service_level(13, &load, 20.0);
    assert!(at_13 < 0.8, "{at_13}");
    close(at_13, 0.79559, 0.00001);
    close(erlang_c(13, 10.0), 0.28527, 0.00001);
    close(average_wait_seconds(13, &load), 17.116, 0.001);
}

#[test]
fn erlang_c_matches_the_factorial_formula_where_that_still_fits() {
    let (n, a) = (20_u32, 15.0_f64);
    let terms: Vec<f64> = (0..n)
        .scan(1.0, |term, k| {
            let this = *term;
            *term *= a / f64::from(k + 1);
            Some(this)
        })
        .collect();
    let last = terms[terms.len() - 1] * a / f64::from(n);
    let top = last * f64::from(n) / (f64::from(n) - a);
    let expected = top / (terms.iter().sum::<f64>() + top);
    close(erlang_c(n, a), expected, 1e-12);
}

#[test]
fn an_average_wait_target_is_searched_too() {
    let load = published_load();
    assert!(average_wait_seconds(13, &load) > 10.0);
    let s = required(&load, &Target::average_wait(10.0).unwrap(), None, 0.0).unwrap();
    assert_eq!(s.raw_positions, 14);
    close(s.average_wait_seconds, 7.836, 0.001);
    // The service level is reported within the target average.
    close(s.service_level, service_level(14, &load, 10.0), 1e-12);
    let relaxed = required(&load, &Target::average_wait(20.0).unwrap(), None, 0.0).unwrap();
    assert_eq!(relaxed.raw_positions, 13);
}

#[test]
fn a_maximum_occupancy_raises_the_count() {
    let s = required(&published_load(), &eighty_in_twenty(), Some(0.7), 0.0).unwrap();
    // 10 erlangs at most 70 % busy needs 10/0.7 = 14.3, so 15 positions.
    assert_eq!(s.raw_positions, 15);
    assert!(s.occupancy <= 0.7);
    let loose = required(&published_load(), &eighty_in_twenty(), Some(0.85), 0.0).unwrap();
    assert_eq!(loose.raw_positions, 14);
}

#[test]
fn big_loads_stay_finite() {
    // 2000 calls in 30 minutes at 4 minutes: 266.7 erlangs.
    let load = Load::new(2000.0, 30.0, 4.0, None).unwrap();
    let s = required(&load, &eighty_in_twenty(), None, 0.3).unwrap();
    assert!((267..300).contains(&s.raw_positions), "{s:?}");
    assert!(s.service_level >= 0.8 && s.service_level < 1.0);
    assert!(service_level(s.raw_positions - 1, &load, 20.0) < 0.8);
    for value in [s.waiting_probability, s.average_wait_seconds, s.occupancy] {
        assert!(value.is_finite() && value > 0.0, "{s:?}");
    }
    let c = erlang_c(5000, 4900.0);
    assert!(c > 0.0 && c < 1.0, "{c}");
    assert!(erlang_b(5000, 10.0) >= 0.0);
}

#[test]
fn zero_arrivals_need_nobody() {
    let load = Load::new(0.0, 30.0, 3.0, None).unwrap();
    let s = required(&load, &eighty_in_twenty(), Some(0.8), 0.3).unwrap();
    assert_eq!((s.raw_positions, s.positions), (0, 0));
    assert_eq!(s.service_level, 1.0);
    assert_eq!(s.waiting_probability, 0.0);
    assert_eq!(s.abandonment, None);
    let impatient = Load::new(0.0, 30.0, 3.0, Some(2.0)).unwrap();
    let s = required(&impatient, &eighty_in_twenty(), None, 0.0).unwrap();
    assert_eq!((s.raw_positions, s.abandonment), (0, Some(0.0)));
}

#[test]
fn invalid_input_names_the_flag() {
    let field = |e: ErlangError| e.field().unwrap();
    let load = |calls, interval, aht, patience| Load::new(calls, interval, aht, patience);
    assert_eq!(field(load(-1.0, 30.0, 3.0, None).unwrap_err()), "calls");
    assert_eq!(field(load(f64::NAN, 30.0, 3.0, None).unwrap_err()), "calls");
    assert_eq!(
        field(load(1.0, 0.0, 3.0, None).unwrap_err()),
        "interval-minutes"
    );
    assert_eq!(
        field(load(1.0, 30.0, 0.0, None).unwrap_err()),
        "aht-minutes"
    );
    assert_eq!(
        field(load(1.0, 30.0, 3.0, Some(0.0)).unwrap_err()),
        "patience-minutes"
    );
    assert_eq!(
        field(load(1.0, 30.0, 3.0, Some(1e9)).unwrap_err()),
        "patience-minutes"
    );
    for level in [1.2, 1.0, 0.0, -0.5] {
        let e = Target::service_level(level, 20.0).unwrap_err();
        assert_eq!(field(e), "service-level");
    }
    assert_eq!(
        field(Target::service_level(0.8, -1.0).unwrap_err()),
        "target-seconds"
    );
    assert_eq!(
        field(Target::average_wait(0.0).unwrap_err()),
        "average-wait-seconds"
    );
    let (l, t) = (published_load(), eighty_in_twenty());
    for shrinkage in [1.0, 1.5, -0.1] {
        assert_eq!(
            field(required(&l, &t, None, shrinkage).unwrap_err()),
            "shrinkage"
        );
    }
    for cap in [0.0, 1.5] {
        assert_eq!(
            field(required(&l, &t, Some(cap), 0.0).unwrap_err()),
            "max-occupancy"
        );
    }
    let message = load(-1.0, 30.0, 3.0, None).unwrap_err().to_string();
    assert_eq!(message, "calls: must be 0 or more, not -1");
}

#[test]
fn prints_the_lines_the_cli_shows() {
    let s = required(&published_load(), &eighty_in_twenty(), None, 0.3).unwrap();
    assert_eq!(
        to_text(&s),
        "raw_positions: 14\npositions: 20\nservice_level: 0.88835\n\
         waiting_probability: 0.17413\naverage_wait_seconds: 7.836\noccupancy: 0.714\n"
    );
    let json = serde_json::to_value(&s).unwrap();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "average_wait_seconds",
            "occupancy",
            "positions",
            "raw_positions",
            "service_level",
            "waiting_probability"
        ]
    );
    let impatient = Load::new(100.0, 30.0, 3.0, Some(2.0)).unwrap();
    let s = required(&impatient, &eighty_in_twenty(), None, 0.0).unwrap();
    assert!(to_text(&s).ends_with(&format!("abandonment: {:.5}\n", s.abandonment.unwrap())));
    assert!(serde_json::to_value(&s).unwrap()["abandonment"].is_f64());
}

#[test]
fn the_search_finds_what_a_scan_of_every_staffing_finds() {
    let targets = [
        Target::service_level(0.8, 20.0).unwrap(),
        Target::service_level(0.95, 60.0).unwrap(),
        Target::service_level(0.5, 0.0).unwrap(),
        Target::average_wait(5.0).unwrap(),
        Target::average_wait(120.0).unwrap(),
    ];
    for calls in [5.0, 40.0, 100.0, 400.0] {
        for patience in [None, Some(0.5), Some(2.0), Some(10.0), Some(60.0)] {
            let load = Load::new(calls, 30.0, 3.0, patience).unwrap();
            for target in &targets {
                for cap in [None, Some(0.85)] {
                    let scanned = (1..)
                        .find(|&n| {
                            let blocking = Blocking::at(n, load.traffic_erlangs());
                            Queue::at(&blocking, &load).meets(target, cap)
                        })
                        .unwrap();
                    let found = required(&load, target, cap, 0.0).unwrap().raw_positions;
                    assert_eq!(found, scanned, "{load:?} {target:?} {cap:?}");
                }
            }
        }
    }
}

fn erlang_a(agents: u32, load: &Load) -> ErlangA {
    let blocking = Blocking::at(agents, load.traffic_erlangs());
    ErlangA::new(&blocking, load, load.patience_minutes.unwrap())
}

#[test]
fn erlang_a_approaches_erlang_c_as_patience_grows() {
    let load = published_load();
    let mut previous_gap = f64::INFINITY;
    for patience in [10.0, 100.0, MAX_PATIENCE_MINUTES] {
        let impatient = Load::new(100.0, 30.0, 3.0, Some(patience)).unwrap();
        let gap = (service_level(14, &impatient, 20.0) - service_level(14, &load, 20.0)).abs();
        assert!(gap < previous_gap, "{patience}: {gap}");
        previous_gap = gap;
    }
    // Past what a Load accepts, straight to the model: a patience of two millennia.
    let blocking = Blocking::at(14, 10.0);
    let nearly_patient = ErlangA::new(&blocking, &load, 1e9);
    close(nearly_patient.waiting, erlang_c(14, 10.0), 1e-7);
    close(
        nearly_patient.served_wait_minutes * 60.0,
        average_wait_seconds(14, &load),
        1e-5,
    );
    close(
        nearly_patient.service_level(20.0 / 60.0),
        service_level(14, &load, 20.0),
        1e-7,
    );
    assert!(nearly_patient.abandonment < 1e-8);
}

#[test]
fn erlang_a_matches_a_direct_birth_death_solution() {
    // 8 positions for 10 erlangs, patience 1 minute: overloaded, yet stable.
    let load = Load::new(100.0, 30.0, 3.0, Some(1.0)).unwrap();
    let a = erlang_a(8, &load);
    let (lambda, mu, theta) = (100.0 / 30.0, 1.0 / 3.0, 1.0);
    let weights: Vec<f64> = (0..400_u32)
        .scan(1.0, |p, k| {
            let this = *p;
            let rate_out = if k < 8 {
                f64::from(k + 1) * mu
            } else {
                8.0 * mu + f64::from(k + 1 - 8) * theta
            };
            *p *= lambda / rate_out;
            Some(this)
        })
        .collect();
    let total: f64 = weights.iter().sum();
    let waiting: f64 = weights[8..].iter().sum::<f64>() / total;
    let queue: f64 = (9..400).map(|k| (k - 8) as f64 * weights[k]).sum::<f64>() / total;
    close(a.waiting, waiting, 1e-12);
    close(a.abandonment, theta * queue / lambda, 1e-12);
    // Values of this case; a simulation of 200,000 minutes of the queue agrees within
    // its noise (about 0.3 %).
    close(a.waiting, 0.62518, 0.00001);
    close(a.abandonment, 0.27835, 0.00001);
    close(a.served_wait_minutes * 60.0, 14.074, 0.001);
    close(a.service_level(20.0 / 60.0), 0.52755, 0.00001);
}

#[test]
fn erlang_a_service_level_spans_from_not_waiting_to_being_served() {
    let load = Load::new(100.0, 30.0, 3.0, Some(2.0)).unwrap();
    let a = erlang_a(12, &load);
    close(a.service_level(0.0), 1.0 - a.waiting, 1e-12);
    // Given long enough, everyone who does not leave is served: two independent
    // routes (the integral, the sum over queue states) to the same number.
    close(a.service_level(600.0), 1.0 - a.abandonment, 1e-9);
    let shares: Vec<f64> = [0.0, 0.1, 0.5, 1.0, 5.0]
        .iter()
        .map(|&t| a.service_level(t))
        .collect();
    assert!(shares.windows(2).all(|w| w[0] < w[1]), "{shares:?}");
}

#[test]
fn abandonment_lowers_the_staffing() {
    let target = eighty_in_twenty();
    let two_minutes = Load::new(100.0, 30.0, 3.0, Some(2.0)).unwrap();
    let s = required(&two_minutes, &target, None, 0.0).unwrap();
    assert_eq!(s.raw_positions, 12);
    close(s.service_level, 0.82558, 0.00001);
    assert!(service_level(11, &two_minutes, 20.0) < 0.8);
    let abandonment = s.abandonment.unwrap();
    close(abandonment, 0.0616, 0.0001);
    close(s.occupancy, 10.0 * (1.0 - abandonment) / 12.0, 1e-12);
}

#[test]
fn erlang_a_handles_big_overloaded_queues() {
    let load = Load::new(2000.0, 30.0, 4.0, Some(MAX_PATIENCE_MINUTES)).unwrap();
    let a = erlang_a(200, &load);
    for value in [
        a.waiting,
        a.abandonment,
        a.served_wait_minutes,
        a.service_level(1.0),
    ] {
        assert!(value.is_finite() && value >= 0.0, "{a:?}");
    }
    // 200 positions serve 50 a minute of the 66.7 arriving; the rest must leave.
    close(a.abandonment, 1.0 - 50.0 / (2000.0 / 30.0), 1e-6);
    let s = required(&load, &eighty_in_twenty(), None, 0.0).unwrap();
    assert!((260..300).contains(&s.raw_positions), "{s:?}");
}
