//! Meetings away from a desk: a video errand's booking carries its meeting link in the
//! answer, the mail, the calendar file and the manage page; a phone errand needs the
//! citizen's number, and says who calls whom.

use mail_parser::MimeHeaders as _;
use serde_json::{json, Value};

use crate::helpers::{expect_problem, spawn_app, TestApp};
use crate::smtp_sink::SmtpSink;

const DAY: &str = "2027-03-31";

async fn slots(app: &TestApp, service: &str) -> Vec<Value> {
    let slots = app
        .get_json(&format!(
            "/api/v1/locations/raadhuset/slots?service={service}&from={DAY}&to={DAY}"
        ))
        .await;
    slots.as_array().unwrap().clone()
}

async fn book(app: &TestApp, service: &str, start: &Value, citizen: Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": service, "start": start,
            "citizen": citizen, "language": "en"
        }))
        .send()
        .await
        .unwrap()
}

fn calendar_of(message: &mail_parser::Message) -> String {
    let part = message
        .attachments()
        .find(|part| part.is_content_type("text", "calendar"))
        .expect("an .ics attachment");
    String::from_utf8(part.contents().to_vec()).unwrap()
}

/// An iCalendar property's value, with its folded lines joined.
fn property(ics: &str, name: &str) -> Option<String> {
    let unfolded = ics.replace("\r\n ", "").replace("\n ", "");
    unfolded
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_owned))
}

#[tokio::test]
async fn a_video_booking_carries_its_meeting_link_in_the_answer_mail_calendar_and_page() {
    let app = spawn_app().await;
    let sink = SmtpSink::start();
    let mailer = sink.mailer();
    let free = slots(&app, "jobsamtale-video").await;
    let response = book(
        &app,
        "jobsamtale-video",
        &free[0]["start"],
        json!({"name": "Video Borger", "email": "video@example.dk"}),
    )
    .await;
    assert_eq!(response.status(), 201);
    let booked: Value = response.json().await.unwrap();
    let (reference, token) = (
        booked["reference"].as_str().unwrap(),
        booked["token"].as_str().unwrap(),
    );
    let link = format!("https://meet.example.dk/jobcenter/{reference}");
    assert_eq!(booked["meeting_url"], json!(link));
    let shown = app
        .get_json(&format!("/api/v1/appointments/{reference}?token={token}"))
        .await;
    assert_eq!(shown["meeting_url"], json!(link));

    let done = app.deliver_mail(&mailer);
    assert_eq!((done.sent, done.failed), (1, 0));
    let mails = sink.take();
    let body = mails[0].body_text(0).unwrap();
    assert!(body.contains(&format!("Video meeting: {link}")), "{body}");
    assert!(!body.contains("Show on map"), "not at the office: {body}");
    let html = mails[0].body_html(0).unwrap();
    assert!(html.contains(&link), "{html}");
    let ics = calendar_of(&mails[0]);
    assert_eq!(property(&ics, "LOCATION"), Some(link.clone()), "{ics}");
    assert_eq!(property(&ics, "URL"), Some(link.clone()), "{ics}");
    let served = app
        .get(&format!(
            "/api/v1/appointments/{reference}/calendar.ics?token={token}"
        ))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(property(&served, "URL"), Some(link.clone()), "{served}");

    for (lang, join) in [
        ("da", "Deltag i videomødet"),
        ("en", "Join the video meeting"),
    ] {
        let page = app
            .get(&format!(
                "/appointments/{reference}?token={token}&lang={lang}"
            ))
            .await
            .text()
            .await
            .unwrap()
            // Templates write a slash in an attribute as `&#x2f;`.
            .replace("&#x2f;", "/");
        assert!(
            page.contains(&format!("href=\"{link}\"")) && page.contains(join),
            "{page}"
        );
    }

    // A booking at the desk has no link.
    let pas = slots(&app, "pas").await;
    let at_desk = book(
        &app,
        "pas",
        &pas[0]["start"],
        json!({"name": "Pas Borger", "email": "pas@example.dk"}),
    )
    .await;
    let at_desk: Value = at_desk.json().await.unwrap();
    assert!(at_desk.get("meeting_url").is_none(), "{at_desk}");
}

#[tokio::test]
async fn a_phone_meeting_needs_the_number_and_says_that_the_office_calls_it() {
    let app = spawn_app().await;
    let sink = SmtpSink::start();
    let mailer = sink.mailer();
    let free = slots(&app, "jobsamtale").await;
    let start = &free[0]["start"];
    let available = free[0]["available"].clone();

    let without = book(
        &app,
        "jobsamtale",
        start,
        json!({"name": "Tlf Borger", "email": "tlf@example.dk"}),
    )
    .await;
    let problem = expect_problem(without, 422).await;
    assert_eq!(problem["errors"][0]["field"], "citizen.phone", "{problem}");
    let after = slots(&app, "jobsamtale").await;
    assert_eq!(after[0]["start"], *start);
    assert_eq!(after[0]["available"], available, "nothing was booked");

    let number = "+45 12 34 56 78";
    let with = book(
        &app,
        "jobsamtale",
        start,
        json!({"name": "Tlf Borger", "email": "tlf@example.dk", "phone": number}),
    )
    .await;
    assert_eq!(with.status(), 201);
    let booked: Value = with.json().await.unwrap();
    assert!(booked.get("meeting_url").is_none(), "{booked}");
    let (reference, token) = (
        booked["reference"].as_str().unwrap(),
        booked["token"].as_str().unwrap(),
    );
    let call = format!("We will call you on {number} at the agreed time.");
    app.deliver_mail(&mailer);
    let mails = sink.take();
    let body = mails[0].body_text(0).unwrap();
    assert!(body.contains(&format!("Phone meeting: {call}")), "{body}");
    assert_eq!(
        property(&calendar_of(&mails[0]), "LOCATION"),
        Some(call.clone())
    );
    let page = app
        .get(&format!("/appointments/{reference}?token={token}&lang=da"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("Vi ringer dig op på {number}")),
        "{page}"
    );
}
