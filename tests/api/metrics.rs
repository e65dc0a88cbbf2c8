//! `/metrics` parses as Prometheus text, and its figures follow tickets, bookings and
//! cancellations; each server counts its own requests.

use openmetrics_parser::prometheus::parse_prometheus;
use openmetrics_parser::{MetricsExposition, PrometheusType, PrometheusValue};
use serde_json::{json, Value};

type Scrape = MetricsExposition<PrometheusType, PrometheusValue>;

use crate::helpers::{city_hall_desk_named, spawn_app, TestApp};

async fn scrape(app: &TestApp) -> Scrape {
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = response.text().await.unwrap();
    parse_prometheus(&text).unwrap_or_else(|e| panic!("not Prometheus text ({e:?}):\n{text}"))
}

/// The samples of one family whose labels include `labels`.
fn samples<'a>(
    scrape: &'a Scrape,
    name: &str,
    labels: &'a [(&str, &str)],
) -> impl Iterator<Item = &'a PrometheusValue> + 'a {
    scrape
        .families
        .get(name)
        .into_iter()
        .flat_map(|f| f.iter_samples())
        .filter(move |s| {
            let set = s.get_labelset().unwrap();
            labels
                .iter()
                .all(|(k, v)| set.get_label_value(k) == Some(v))
        })
        .map(|s| &s.value)
}

/// The value of one series, 0 when it is not there.
fn value(scrape: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    samples(scrape, name, labels)
        .next()
        .map_or(0.0, |v| match v {
            PrometheusValue::Counter(c) => c.value.as_f64(),
            PrometheusValue::Gauge(n) | PrometheusValue::Unknown(n) => n.as_f64(),
            PrometheusValue::Histogram(h) => h.count.unwrap_or(0) as f64,
            PrometheusValue::Summary(_) => f64::NAN,
        })
}

/// Every label value of a scrape, to prove what is never in it.
fn label_values(scrape: &Scrape) -> Vec<String> {
    scrape
        .families
        .values()
        .flat_map(|f| f.iter_samples())
        .flat_map(|s| {
            let set = s.get_labelset().unwrap();
            set.iter_values().cloned().collect::<Vec<_>>()
        })
        .collect()
}

const HERE: &[(&str, &str)] = &[("location", "raadhuset")];

#[tokio::test]
async fn figures_move_after_a_ticket_a_booking_and_a_cancel() {
    let app = spawn_app().await;
    let other = spawn_app().await;
    let start = scrape(&app).await;
    for name in [
        "skranke_tickets_issued_total",
        "skranke_bookings_total",
        "skranke_cancellations_total",
        "skranke_queue_waiting",
        "skranke_desks_open",
    ] {
        assert_eq!(value(&start, name, HERE), 0.0, "{name}");
    }
    assert_eq!(value(&start, "skranke_mail_queued", &[]), 0.0);
    for kind in ["mail", "sms", "webhook"] {
        let labels = [("kind", kind)];
        let mut queued = samples(&start, "skranke_messages_queued", &labels);
        assert!(queued.next().is_some(), "every kind is reported: {kind}");
    }

    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    app.walk_in("vejledning").await;
    let after_ticket = scrape(&app).await;
    assert_eq!(
        value(&after_ticket, "skranke_tickets_issued_total", HERE),
        1.0
    );
    assert_eq!(value(&after_ticket, "skranke_queue_waiting", HERE), 1.0);

    let booked: Value = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset",
            "service": "koerekort",
            "start": "2027-04-01T10:00:00+02:00",
            "citizen": {"name": "Måle Borger", "email": "maale@example.org",
                        "phone": "12 34 56 78", "sms_opt_in": true},
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let after_booking = scrape(&app).await;
    assert_eq!(value(&after_booking, "skranke_bookings_total", HERE), 1.0);
    assert_eq!(
        value(&after_booking, "skranke_mail_queued", &[]),
        2.0,
        "the confirmation and the reminder"
    );
    for kind in ["mail", "sms"] {
        assert_eq!(
            value(&after_booking, "skranke_messages_queued", &[("kind", kind)]),
            2.0,
            "{kind}: the confirmation and the reminder"
        );
    }

    let reference = booked["reference"].as_str().unwrap();
    let token = booked["token"].as_str().unwrap();
    let cancelled = app
        .client
        .delete(app.url(&format!("/api/v1/appointments/{reference}?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);
    let after_cancel = scrape(&app).await;
    assert_eq!(
        value(&after_cancel, "skranke_cancellations_total", HERE),
        1.0
    );
    assert_eq!(value(&after_cancel, "skranke_bookings_total", HERE), 1.0);

    // A desk opens and calls the ticket after four minutes: one wait within 240 s.
    let staff = app.login("staff").await;
    let info = city_hall_desk_named(&app, &staff, "Info").await["id"]
        .as_i64()
        .unwrap();
    let post = |path: String| app.client.post(app.url(&path)).bearer_auth(&staff).send();
    assert_eq!(
        post(format!("/api/v1/desks/{info}/open"))
            .await
            .unwrap()
            .status(),
        200
    );
    app.clock.advance(chrono::Duration::minutes(4));
    assert_eq!(
        post(format!("/api/v1/desks/{info}/call-next"))
            .await
            .unwrap()
            .status(),
        200
    );
    let after_call = scrape(&app).await;
    assert_eq!(value(&after_call, "skranke_desks_open", HERE), 1.0);
    assert_eq!(value(&after_call, "skranke_queue_waiting", HERE), 0.0);
    let waits = samples(&after_call, "skranke_wait_seconds", HERE)
        .next()
        .expect("the wait histogram");
    let PrometheusValue::Histogram(histogram) = waits else {
        panic!("skranke_wait_seconds is a histogram: {waits:?}")
    };
    let count_at = |le: f64| {
        histogram
            .buckets
            .iter()
            .find(|b| b.upper_bound == le)
            .unwrap()
            .count
            .as_f64()
    };
    assert_eq!((count_at(120.0), count_at(240.0)), (0.0, 1.0));
    assert_eq!(histogram.count, Some(1));

    // Requests are counted by route pattern, never by the concrete reference.
    let requests = |s: &Scrape, route: &str, status: &str| {
        value(
            s,
            "skranke_http_requests_total",
            &[("route", route), ("status", status), ("method", "DELETE")],
        )
    };
    assert_eq!(
        requests(&after_call, "/api/v1/appointments/{reference}", "200"),
        1.0
    );
    assert!(!label_values(&after_call)
        .iter()
        .any(|v| v.contains(reference)));
    assert!(
        value(
            &after_call,
            "skranke_http_requests_total",
            &[("route", "/metrics")]
        ) >= 1.0
    );

    // The other server in this process saw none of it.
    let elsewhere = scrape(&other).await;
    assert_eq!(
        requests(&elsewhere, "/api/v1/appointments/{reference}", "200"),
        0.0
    );
    assert_eq!(value(&elsewhere, "skranke_tickets_issued_total", HERE), 0.0);
}
