use futures::future::join_all;
use serde_json::{json, Value};

use crate::helpers::{expect_problem, spawn_app, SignedIn, TestApp};

async fn setup() -> TestApp {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    app
}

#[tokio::test]
async fn a_desk_calls_serves_and_finishes_in_order() {
    let app = setup().await;
    let staff = SignedIn::new(&app, "staff").await;
    let desk = staff.desks_for("vejledning").await[0];
    let first = app.walk_in("vejledning").await;
    app.clock.advance(chrono::Duration::minutes(1));
    let second = app.walk_in("vejledning").await;

    staff
        .refused(&format!("/api/v1/desks/{desk}/call-next"), None, 409)
        .await;
    let opened: Value = staff
        .post_json(&format!("/api/v1/desks/{desk}/open"), None)
        .await;
    assert_eq!(opened["state"], "open");

    let called: Value = staff
        .post_json(&format!("/api/v1/desks/{desk}/call-next"), None)
        .await;
    assert_eq!(called["id"], first["id"], "the longest wait first");
    assert_eq!(called["status"], "called");
    let id = called["id"].as_str().unwrap();
    let public = app.get_json(&format!("/api/v1/tickets/{id}")).await;
    assert!(opened["name"].is_string());
    assert_eq!(
        public["desk"], opened["name"],
        "the citizen learns where to go"
    );
    staff
        .refused(
            &format!("/api/v1/tickets/{id}/finish"),
            Some(json!({"outcome": "resolved"})),
            409,
        )
        .await;
    assert_eq!(
        staff
            .post(&format!("/api/v1/tickets/{id}/start"), None)
            .await
            .status(),
        200
    );
    let done: Value = staff
        .post_json(
            &format!("/api/v1/tickets/{id}/finish"),
            Some(json!({"outcome": "resolved"})),
        )
        .await;
    assert_eq!(done["status"], "finished");
    staff
        .refused(
            &format!("/api/v1/tickets/{id}/finish"),
            Some(json!({"outcome": "referred"})),
            409,
        )
        .await;

    let next: Value = staff
        .post_json(&format!("/api/v1/desks/{desk}/call-next"), None)
        .await;
    assert_eq!(next["id"], second["id"]);
    let none = staff
        .post(&format!("/api/v1/desks/{desk}/call-next"), None)
        .await;
    assert_eq!(none.status(), 204, "nothing left that this desk serves");
    let status = app
        .get_json(&format!(
            "/api/v1/tickets/{}",
            second["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status["status"], "called");
}

#[tokio::test]
async fn staff_routes_need_a_session() {
    let app = setup().await;
    let anonymous = app
        .client
        .post(app.url("/api/v1/desks/1/open"))
        .send()
        .await
        .unwrap();
    expect_problem(anonymous, 401).await;
    let ticket = app.walk_in("vejledning").await;
    let path = format!("/api/v1/tickets/{}/start", ticket["id"].as_str().unwrap());
    expect_problem(app.client.post(app.url(&path)).send().await.unwrap(), 401).await;
}

/// Desks calling at the same moment never get the same ticket.
#[tokio::test]
async fn desks_calling_at_once_never_share_a_ticket() {
    let app = setup().await;
    let staff = SignedIn::new(&app, "staff").await;
    let desks = staff.desks_for("vejledning").await;
    assert!(desks.len() >= 2);
    for d in &desks {
        staff.post(&format!("/api/v1/desks/{d}/open"), None).await;
    }
    for _ in 0..30 {
        app.walk_in("vejledning").await;
    }
    let mut called = calls_at_once(&app, &staff.token, &desks, 40).await;
    assert_eq!(called.len(), 30, "every ticket called, and no more");
    called.sort();
    called.dedup();
    assert_eq!(called.len(), 30, "no ticket called twice");
}

#[tokio::test]
async fn a_transferred_ticket_keeps_its_place_in_time() {
    let app = setup().await;
    let staff = SignedIn::new(&app, "staff").await;
    let early = app.walk_in("vejledning").await;
    app.clock.advance(chrono::Duration::minutes(5));
    let later = app.walk_in("koerekort").await;
    let moved: Value = staff
        .post_json(
            &format!("/api/v1/tickets/{}/transfer", early["id"].as_str().unwrap()),
            Some(json!({"service": "koerekort"})),
        )
        .await;
    assert_eq!(moved["status"], "waiting");
    let desk = staff.desks_for("koerekort").await[0];
    staff
        .post(&format!("/api/v1/desks/{desk}/open"), None)
        .await;
    let called: Value = staff
        .post_json(&format!("/api/v1/desks/{desk}/call-next"), None)
        .await;
    assert_eq!(called["id"], early["id"], "ahead of {}", later["number"]);
    let bad = staff
        .post(
            &format!("/api/v1/tickets/{}/transfer", later["id"].as_str().unwrap()),
            Some(json!({"service": "nothing"})),
        )
        .await;
    expect_problem(bad, 422).await;
}

#[tokio::test]
async fn the_queue_and_the_display_show_who_waits_and_who_is_called_where() {
    let app = setup().await;
    let staff = SignedIn::new(&app, "staff").await;
    let first = app.walk_in("vejledning").await;
    app.walk_in("vejledning").await;
    app.walk_in("koerekort").await;
    let desk = staff.desks_for("vejledning").await[0];
    staff
        .post(&format!("/api/v1/desks/{desk}/open"), None)
        .await;
    staff
        .post(&format!("/api/v1/desks/{desk}/call-next"), None)
        .await;

    let display = app.get_json("/api/v1/locations/raadhuset/display").await;
    assert_eq!(display["called"][0]["number"], first["number"]);
    assert!(!display["called"][0]["desk"].as_str().unwrap().is_empty());
    assert_eq!(display["waiting"]["vejledning"], 1);
    assert_eq!(display["waiting"]["koerekort"], 1);

    let path = "/api/v1/locations/raadhuset/queue";
    let anonymous = reqwest::Client::new()
        .get(app.url(path))
        .send()
        .await
        .unwrap();
    expect_problem(anonymous, 401).await;
    let queue: Value = app.get_json_as(&staff.token, path).await;
    let statuses: Vec<&str> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["called", "waiting", "waiting"]);
}

#[tokio::test]
async fn the_event_stream_tells_of_tickets_issued_and_called() {
    let app = setup().await;
    let staff = SignedIn::new(&app, "staff").await;
    let mut stream = reqwest::Client::new()
        .get(app.url("/api/v1/locations/raadhuset/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let hello = stream.chunk().await.unwrap().unwrap();
    assert!(
        hello.starts_with(b": listening"),
        "subscribed before anything happens"
    );

    let ticket = app.walk_in("vejledning").await;
    let desk = staff.desks_for("vejledning").await[0];
    staff
        .post(&format!("/api/v1/desks/{desk}/open"), None)
        .await;
    staff
        .post(&format!("/api/v1/desks/{desk}/call-next"), None)
        .await;

    let id = ticket["id"].as_str().unwrap();
    staff
        .post(&format!("/api/v1/tickets/{id}/no-show"), None)
        .await;

    let mut seen = String::new();
    while !seen.contains("event: ticket.no_show") {
        let chunk = stream
            .chunk()
            .await
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(std::str::from_utf8(&chunk).unwrap());
    }
    let number = ticket["number"].as_str().unwrap();
    assert!(
        seen.contains("event: ticket.issued") && seen.contains(number),
        "{seen}"
    );
    assert!(seen.find("ticket.issued") < seen.find("ticket.called"));
    assert!(
        seen.find("event: desk.changed") < seen.find("ticket.called"),
        "the desk opened before it called: {seen}"
    );
    let unknown = reqwest::Client::new()
        .get(app.url("/api/v1/locations/atlantis/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn staff_work_only_where_the_organisation_lets_them() {
    let app = setup().await;
    let desks_at = |token: String| {
        let client = app.client.clone();
        let url = app.url("/api/v1/locations/taastrup-bibliotek/desks");
        async move {
            let desks: Value = client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            desks[0]["id"].as_i64().unwrap()
        }
    };
    let staff = SignedIn::new(&app, "staff").await; // raadhuset only
    let admin_token = app.login("admin").await;
    let library_desk = desks_at(admin_token).await;
    let refused = staff
        .refused(&format!("/api/v1/desks/{library_desk}/open"), None, 403)
        .await;
    assert!(refused["detail"]
        .as_str()
        .unwrap()
        .contains("does not work at"));

    let admin = SignedIn::new(&app, "admin").await;
    let opened = admin
        .post(&format!("/api/v1/desks/{library_desk}/open"), None)
        .await;
    assert_eq!(opened.status(), 200, "administrators work anywhere");
    staff
        .refused(
            &format!("/api/v1/desks/{library_desk}/call-next"),
            None,
            403,
        )
        .await;
}

#[tokio::test]
async fn staff_read_only_the_queues_and_desks_where_they_work() {
    let app = setup().await;
    let read = |token: String, path: String| {
        let client = app.client.clone();
        let url = app.url(&path);
        async move { client.get(url).bearer_auth(token).send().await.unwrap() }
    };
    let staff = app.login("staff").await; // raadhuset only
    let admin = app.login("admin").await;
    for what in ["queue", "desks"] {
        let elsewhere = format!("/api/v1/locations/nuuk/{what}");
        let refused = expect_problem(read(staff.clone(), elsewhere.clone()).await, 403).await;
        assert!(
            refused["detail"]
                .as_str()
                .unwrap()
                .contains("does not work at"),
            "{refused}"
        );
        let home = format!("/api/v1/locations/raadhuset/{what}");
        assert_eq!(read(staff.clone(), home).await.status(), 200, "{what}");
        assert_eq!(
            read(admin.clone(), elsewhere).await.status(),
            200,
            "administrators work anywhere: {what}"
        );
        expect_problem(
            read(staff.clone(), format!("/api/v1/locations/atlantis/{what}")).await,
            404,
        )
        .await;
    }
}

/// A called ticket at an open desk that serves `service`: (staff, desk id, ticket id).
async fn called_at_open_desk<'a>(app: &'a TestApp, service: &str) -> (SignedIn<'a>, i64, String) {
    let staff = SignedIn::new(app, "staff").await;
    app.walk_in(service).await;
    let desk = staff.desks_for(service).await[0];
    staff
        .post(&format!("/api/v1/desks/{desk}/open"), None)
        .await;
    let called: Value = staff
        .post_json(&format!("/api/v1/desks/{desk}/call-next"), None)
        .await;
    let id = called["id"].as_str().unwrap().to_owned();
    (staff, desk, id)
}

async fn audit_today(app: &TestApp) -> Vec<Value> {
    let admin = app.login("admin").await;
    app.audit_of_day(&admin, "2027-03-30").await
}

#[tokio::test]
async fn a_no_show_is_undone_within_ten_seconds_and_the_undo_is_audited() {
    let app = setup().await;
    let (staff, _, id) = called_at_open_desk(&app, "vejledning").await;
    let gone: Value = staff
        .post_json(&format!("/api/v1/tickets/{id}/no-show"), None)
        .await;
    assert_eq!(gone["status"], "no_show");
    app.clock.advance(chrono::Duration::seconds(9));
    let back = staff
        .post(&format!("/api/v1/tickets/{id}/undo"), None)
        .await;
    assert_eq!(back.status(), 200);
    let back: Value = back.json().await.unwrap();
    assert_eq!(back["status"], "called", "the ticket is called again");
    let public = app.get_json(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(public["status"], "called");
    // Undone once: there is nothing more to undo.
    staff
        .refused(&format!("/api/v1/tickets/{id}/undo"), None, 409)
        .await;
    let undo = audit_today(&app)
        .await
        .into_iter()
        .find(|e| e["action"] == "undo")
        .expect("the undo is in the audit");
    assert_eq!(undo["detail"], "no_show");
    assert_eq!(undo["actor"], "staff");

    // Finished, then served on after the undo; too late after ten seconds.
    staff
        .post(&format!("/api/v1/tickets/{id}/start"), None)
        .await;
    staff
        .post(
            &format!("/api/v1/tickets/{id}/finish"),
            Some(json!({"outcome": "resolved"})),
        )
        .await;
    app.clock.advance(chrono::Duration::seconds(11));
    let late = staff
        .refused(&format!("/api/v1/tickets/{id}/undo"), None, 409)
        .await;
    assert!(
        late["detail"].as_str().unwrap().contains("10 seconds"),
        "{late}"
    );
    let public = app.get_json(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(
        public["status"], "finished",
        "a refused undo changes nothing"
    );
}

#[tokio::test]
async fn a_finish_is_undone_back_to_serving_by_whoever_finished_it_only() {
    let app = setup().await;
    let (staff, _, id) = called_at_open_desk(&app, "vejledning").await;
    staff
        .post(&format!("/api/v1/tickets/{id}/start"), None)
        .await;
    staff
        .post(
            &format!("/api/v1/tickets/{id}/finish"),
            Some(json!({"outcome": "referred"})),
        )
        .await;
    let admin = SignedIn::new(&app, "admin").await;
    admin
        .refused(&format!("/api/v1/tickets/{id}/undo"), None, 409)
        .await;
    let back: Value = staff
        .post_json(&format!("/api/v1/tickets/{id}/undo"), None)
        .await;
    assert_eq!(back["status"], "serving");
}

#[tokio::test]
async fn a_waiting_ticket_is_called_out_of_turn_with_a_reason_that_is_audited() {
    let app = setup().await;
    let staff = SignedIn::new(&app, "staff").await;
    let first = app.walk_in("vejledning").await;
    app.clock.advance(chrono::Duration::minutes(1));
    let second = app.walk_in("vejledning").await;
    let desk = staff.desks_for("vejledning").await[0];
    staff
        .post(&format!("/api/v1/desks/{desk}/open"), None)
        .await;
    let id = second["id"].as_str().unwrap();
    let path = format!("/api/v1/tickets/{id}/call");

    let refused = staff
        .refused(&path, Some(json!({"desk": desk, "reason": " "})), 422)
        .await;
    assert!(
        refused["detail"].as_str().unwrap().contains("reason"),
        "{refused}"
    );
    let still = app.get_json(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(still["status"], "waiting", "a refused call changes nothing");

    let called: Value = staff
        .post_json(
            &path,
            Some(json!({"desk": desk, "reason": "Borgeren har det dårligt"})),
        )
        .await;
    assert_eq!(called["status"], "called");
    assert_eq!(called["id"], second["id"]);
    let first_now = app
        .get_json(&format!(
            "/api/v1/tickets/{}",
            first["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        first_now["status"], "waiting",
        "the first in line still waits"
    );
    let display = app.get_json("/api/v1/locations/raadhuset/display").await;
    assert_eq!(display["called"][0]["number"], second["number"]);
    let call = audit_today(&app)
        .await
        .into_iter()
        .find(|e| e["action"] == "call" && e["ticket"] == second["number"])
        .expect("the call is in the audit");
    assert_eq!(call["detail"], "out of turn: Borgeren har det dårligt");

    // A ticket already called cannot be called again out of turn.
    staff
        .refused(&path, Some(json!({"desk": desk, "reason": "igen"})), 409)
        .await;
}

#[tokio::test]
async fn the_queue_and_the_display_name_errands_in_the_asked_language() {
    let app = setup().await;
    let staff = SignedIn::new(&app, "staff").await;
    app.walk_in("koerekort").await;
    let queue: Value = app
        .get_json_as(&staff.token, "/api/v1/locations/raadhuset/queue?lang=en")
        .await;
    assert_eq!(queue[0]["service"], "koerekort");
    let english = queue[0]["service_name"].as_str().unwrap();
    assert!(!english.is_empty() && english != "koerekort", "{queue}");
    assert!(queue[0]["booking"].is_null(), "a walk-in has no booking");
    let display = app.get_json("/api/v1/locations/raadhuset/display").await;
    assert_eq!(display["queues"][0]["service"], "koerekort");
    assert_eq!(display["queues"][0]["waiting"], 1);
    let danish = display["queues"][0]["name"].as_str().unwrap();
    assert_ne!(danish, "koerekort");
    assert_ne!(danish, english);
}

#[tokio::test]
async fn a_no_show_leaves_the_display_at_once() {
    let app = setup().await;
    let (staff, _, id) = called_at_open_desk(&app, "vejledning").await;
    let display = app.get_json("/api/v1/locations/raadhuset/display").await;
    assert_eq!(display["called"].as_array().unwrap().len(), 1);
    staff
        .post(&format!("/api/v1/tickets/{id}/no-show"), None)
        .await;
    let display = app.get_json("/api/v1/locations/raadhuset/display").await;
    assert_eq!(display["called"].as_array().unwrap().len(), 0, "{display}");
}

#[tokio::test]
async fn a_new_tickets_place_is_the_place_its_status_page_counts() {
    let app = setup().await;
    let staff = SignedIn::new(&app, "staff").await;
    for service in ["vejledning", "koerekort", "vejledning", "koerekort"] {
        app.walk_in(service).await;
        app.clock.advance(chrono::Duration::minutes(1));
    }
    // Two at one instant: their order is their ids'.
    app.walk_in("vejledning").await;
    let moved = app.walk_in("vejledning").await;
    let desk = staff.desks_for("koerekort").await[0];
    staff
        .post(&format!("/api/v1/desks/{desk}/open"), None)
        .await;
    let called = staff
        .post(&format!("/api/v1/desks/{desk}/call-next"), None)
        .await;
    assert_eq!(called.status(), 200);
    let transfer = staff
        .post(
            &format!("/api/v1/tickets/{}/transfer", moved["id"].as_str().unwrap()),
            Some(json!({"service": "koerekort"})),
        )
        .await;
    assert_eq!(transfer.status(), 200);

    // The place told at the door is counted from the queue's back; the status page counts
    // from its front, over the index: the two agree.
    for service in ["vejledning", "koerekort", "vejledning"] {
        let new = app.walk_in(service).await;
        let status = app
            .get_json(&format!("/api/v1/tickets/{}", new["id"].as_str().unwrap()))
            .await;
        assert!(new["position"].as_u64().unwrap() > 0, "{new}");
        assert_eq!(new["position"], status["position"], "{service}");
    }

    // What the database's triggers keep is what waits.
    use diesel::dsl::count_star;
    use diesel::prelude::*;
    use skranke::store::schema::{tickets, waiting_walk_ins};
    let mut conn = app.pool.get().unwrap();
    let kept: Vec<(i64, i32)> = waiting_walk_ins::table
        .filter(waiting_walk_ins::waiting.gt(0))
        .select((waiting_walk_ins::service_id, waiting_walk_ins::waiting))
        .order(waiting_walk_ins::service_id)
        .load(&mut *conn)
        .unwrap();
    let waiting: Vec<(i64, i64)> = tickets::table
        .filter(tickets::status.eq("waiting"))
        .filter(tickets::appointment_id.is_null())
        .group_by(tickets::service_id)
        .select((tickets::service_id, count_star()))
        .order(tickets::service_id)
        .load(&mut *conn)
        .unwrap();
    let kept: Vec<(i64, i64)> = kept.into_iter().map(|(s, n)| (s, n.into())).collect();
    assert_eq!(kept, waiting);
    assert_eq!(waiting.iter().map(|(_, n)| n).sum::<i64>(), 8);
}

/// The id of the ticket a call-next answered with, or `None` for its 204.
pub(crate) async fn called_id(response: reqwest::Response) -> Option<String> {
    match response.status().as_u16() {
        200 => Some(
            response.json::<serde_json::Value>().await.unwrap()["id"]
                .as_str()
                .expect("the called ticket's id")
                .to_owned(),
        ),
        204 => None,
        other => panic!("call-next answered {other}"),
    }
}

/// The ids of the tickets called when `calls` call-nexts go at once, to `desks` in turn.
pub(crate) async fn calls_at_once(
    app: &TestApp,
    token: &str,
    desks: &[i64],
    calls: usize,
) -> Vec<String> {
    let calls = (0..calls).map(|i| {
        let desk = desks[i % desks.len()];
        let request = app
            .client
            .post(app.url(&format!("/api/v1/desks/{desk}/call-next")))
            .bearer_auth(token);
        async move { called_id(request.send().await.unwrap()).await }
    });
    join_all(calls).await.into_iter().flatten().collect()
}
