//! The booking pages' forms as a browser without JavaScript sends them.

use crate::helpers::{spawn_app, value_after, TestApp};

/// The time form's hidden token and the first free time of the day.
async fn time_form(app: &TestApp, client: &reqwest::Client) -> (String, String) {
    let html = client
        .get(app.url("/book?location=raadhuset&service=pas&day=2027-03-31"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (
        value_after(&html, "name=\"form_token\""),
        value_after(&html, "name=\"start\""),
    )
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_form_from_elsewhere_is_refused_and_books_nothing() {
    let app = spawn_app().await;
    let citizen = browser();
    let (_, start) = time_form(&app, &citizen).await;
    let forged = reqwest::Client::new()
        .post(app.url("/book"))
        .form(&[
            ("location", "raadhuset"),
            ("service", "pas"),
            ("start", start.as_str()),
            ("name", "Falsk"),
            ("email", "falsk@example.dk"),
            ("form_token", "guessed"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    // The time is still free.
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
        .await;
    assert_eq!(slots[0]["start"].as_str().unwrap(), start);
}

#[tokio::test]
async fn a_taken_time_shows_the_times_again_with_the_reason() {
    let app = spawn_app().await;
    let (first, second) = (browser(), browser());
    let (token_1, start) = time_form(&app, &first).await;
    let (token_2, _) = time_form(&app, &second).await;
    let book = |client: &reqwest::Client, token: &str, email: &str| {
        client
            .post(app.url("/book"))
            .form(&[
                ("location", "raadhuset"),
                ("service", "pas"),
                ("start", start.as_str()),
                ("name", "Borger"),
                ("email", email),
                ("form_token", token),
            ])
            .send()
    };
    // Capacity 2 at that time: two win, the third sees the times again.
    assert_eq!(
        book(&first, &token_1, "a@example.dk")
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        book(&second, &token_2, "b@example.dk")
            .await
            .unwrap()
            .status(),
        200
    );
    let (token_3, _) = time_form(&app, &first).await;
    let late = book(&first, &token_3, "c@example.dk").await.unwrap();
    assert_eq!(late.status(), 422);
    let html = late.text().await.unwrap();
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains("name=\"start\""), "the times are shown again");
}

#[tokio::test]
async fn the_manage_page_answers_a_wrong_token_as_an_unknown_booking() {
    let app = spawn_app().await;
    let unknown = app.get("/appointments/ABC-DEF?token=nothing").await;
    assert_eq!(unknown.status(), 404);
}

/// A form sent without a time shows the same day's times again with what to do, and keeps
/// what was typed.
#[tokio::test]
async fn a_form_without_a_time_keeps_the_day_and_what_was_typed() {
    let app = spawn_app().await;
    let citizen = browser();
    let (token, _) = time_form(&app, &citizen).await;
    let refused = citizen
        .post(app.url("/book"))
        .form(&[
            ("location", "raadhuset"),
            ("service", "pas"),
            ("day", "2027-03-31"),
            ("name", "Kirsten Holm"),
            ("email", "kirsten@example.dk"),
            ("phone", "12345678"),
            ("form_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains("name=\"start\""), "the times are shown again");
    assert!(html.contains("value=\"2027-03-31\""), "the same day");
    for typed in ["Kirsten Holm", "kirsten@example.dk", "12345678"] {
        assert!(html.contains(&format!("value=\"{typed}\"")), "{typed} kept");
    }
}

/// A refused form opens with a summary whose items lead to the fields to mend, and each
/// such field says what is wrong with it.
#[tokio::test]
async fn a_refused_form_sums_up_what_to_mend_and_marks_the_fields() {
    let app = spawn_app().await;
    let citizen = browser();
    let (token, start) = time_form(&app, &citizen).await;
    let refused = citizen
        .post(app.url("/book"))
        .form(&[
            ("location", "raadhuset"),
            ("service", "pas"),
            ("start", start.as_str()),
            ("name", "Kirsten Holm"),
            ("email", "ikke-en-adresse"),
            ("phone", "12"),
            ("form_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    let summary = html.split("id=\"problem\"").nth(1).unwrap();
    assert!(summary.contains("href=\"#email\""), "{html}");
    assert!(summary.contains("href=\"#phone\""), "{html}");
    assert!(
        !summary.contains("href=\"#name\""),
        "the name was fine: {html}"
    );
    assert!(html.contains("id=\"email-error\""), "{html}");
    assert!(
        html.contains("aria-describedby=\"email-help email-error\""),
        "{html}"
    );
    assert!(html.contains("id=\"phone-error\""), "{html}");
    assert!(!html.contains("id=\"name-error\""), "{html}");
}

/// The form's key, which the receipt of a second sending of it must answer to.
async fn form_with_key(app: &TestApp, client: &reqwest::Client) -> (String, String, String) {
    let (token, start) = time_form(app, client).await;
    let html = client
        .get(app.url("/book?location=raadhuset&service=pas&day=2027-03-31"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The page was opened twice, as after Back: the latest form token counts, the key stays.
    let _ = token;
    (
        value_after(&html, "name=\"form_token\""),
        start,
        value_after(&html, "name=\"idempotency_key\""),
    )
}

fn reference_of(html: &str) -> String {
    html.split("id=\"reference\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("no receipt in {html}"))
        .to_owned()
}

#[tokio::test]
async fn a_form_sent_four_times_at_once_and_again_after_back_books_once() {
    let app = spawn_app().await;
    let citizen = browser();
    let (token, start, key) = form_with_key(&app, &citizen).await;
    let send = |token: String| {
        let form = [
            ("location", "raadhuset".to_owned()),
            ("service", "pas".to_owned()),
            ("start", start.clone()),
            ("name", "Dobbelt Tryk".to_owned()),
            ("email", "dobbelt@example.dk".to_owned()),
            ("form_token", token),
            ("idempotency_key", key.clone()),
        ];
        let request = citizen.post(app.url("/book")).form(&form);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            reference_of(&response.text().await.unwrap())
        }
    };
    // A double tap and two tabs: the same form, sent at the same time.
    let receipts = futures::future::join_all((0..4).map(|_| send(token.clone()))).await;
    assert!(receipts.iter().all(|r| *r == receipts[0]), "{receipts:?}");

    // Back: the page is opened again, with the same key, and the form sent once more.
    let (token_again, _, key_again) = form_with_key(&app, &citizen).await;
    assert_eq!(key_again, key);
    assert_eq!(send(token_again).await, receipts[0]);

    let conn = &mut app.pool.get().unwrap();
    use diesel::prelude::*;
    use skranke::store::schema::appointments;
    let booked: i64 = appointments::table
        .filter(appointments::citizen_email.eq("dobbelt@example.dk"))
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(booked, 1, "one booking, however often the form was sent");
    // The time had room for two; one of them is left.
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
        .await;
    assert_eq!(slots[0]["start"].as_str().unwrap(), start);
    assert_eq!(slots[0]["available"], 1);
}

#[tokio::test]
async fn the_cancel_link_asks_first_and_the_manage_page_shows_the_check_in_code() {
    let app = spawn_app().await;
    let booked = crate::mail::book(&app, "spoerg@example.dk").await;
    let (reference, token) = (
        booked["reference"].as_str().unwrap(),
        booked["token"].as_str().unwrap(),
    );
    let manage = app
        .get(&format!("/appointments/{reference}?token={token}"))
        .await
        .text()
        .await
        .unwrap();
    let code = manage
        .split("class=\"check-in-code\"")
        .nth(1)
        .expect("a check-in code");
    assert!(code.contains("<svg"), "{manage}");

    let ask = app
        .get(&format!("/appointments/{reference}/cancel?token={token}"))
        .await;
    assert_eq!(ask.status(), 200);
    let ask = ask.text().await.unwrap();
    assert!(ask.contains("Vil du aflyse tiden?") && ask.contains("id=\"confirm-cancel\""));
    let still = app
        .get_json(&format!("/api/v1/appointments/{reference}?token={token}"))
        .await;
    assert_eq!(still["status"], "booked", "asking cancels nothing");

    let wrong = app
        .get(&format!(
            "/appointments/{reference}/cancel?token={}",
            "0".repeat(64)
        ))
        .await;
    assert_eq!(wrong.status(), 404);
}

/// The passport form offers text messages: asked for without a mobile number, the phone
/// field says what to write and the box stays ticked; with one, the booking queues them.
#[tokio::test]
async fn the_form_asks_for_text_messages_only_with_a_mobile_number() {
    use diesel::prelude::*;
    use skranke::store::{appointments, schema::outbox};

    let app = spawn_app().await;
    let citizen = browser();
    let send = |token: String, start: String, phone: &'static str| {
        citizen.post(app.url("/book")).form(&[
            ("location", "raadhuset"),
            ("service", "pas"),
            ("start", start.as_str()),
            ("name", "Sms Borger"),
            ("email", "sms@example.dk"),
            ("phone", phone),
            ("sms_opt_in", "true"),
            ("form_token", token.as_str()),
        ])
    };
    let (token, start) = time_form(&app, &citizen).await;
    let refused = send(token, start, "").send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"phone-error\""), "{html}");
    assert!(
        html.contains("Skriv dit mobilnummer for at få sms"),
        "{html}"
    );
    assert!(
        html.contains("name=\"sms_opt_in\" value=\"true\" checked"),
        "{html}"
    );

    let (token, start) = time_form(&app, &citizen).await;
    let booked = send(token, start, "12 34 56 78").send().await.unwrap();
    assert_eq!(booked.status(), 200);
    let reference = reference_of(&booked.text().await.unwrap());
    let mut conn = app.pool.get().unwrap();
    let id = appointments::find(&mut conn, &reference)
        .unwrap()
        .unwrap()
        .id;
    let texts: Vec<String> = outbox::table
        .filter(outbox::kind.eq("sms"))
        .filter(outbox::owner_id.eq(id))
        .order(outbox::id)
        .select(outbox::event)
        .load(&mut conn)
        .unwrap();
    assert_eq!(texts, ["confirmation", "reminder"]);
}
