//! Mail through a real SMTP conversation with a sink started by the test on loopback.

use std::net::TcpListener;

use mail_parser::MimeHeaders as _;

use serde_json::{json, Value};
use skranke::app::mailer::Mailer;

use crate::helpers::{spawn_app, TestApp};

pub(crate) use crate::smtp_sink::SmtpSink;

pub(crate) async fn book(app: &TestApp, email: &str) -> Value {
    book_in(app, email, "da").await
}

pub(crate) async fn book_in(app: &TestApp, email: &str, language: &str) -> Value {
    app.book_first_passport(json!({
        "citizen": {"name": "Mail Borger", "email": email}, "language": language
    }))
    .await
}

fn part_of_type<'a>(
    message: &'a mail_parser::Message,
    mime: &str,
) -> Option<&'a mail_parser::MessagePart<'a>> {
    let (ctype, subtype) = mime.split_once('/').unwrap();
    message
        .attachments()
        .find(|part| part.is_content_type(ctype, subtype))
}

fn calendar_of(message: &mail_parser::Message) -> String {
    let part = part_of_type(message, "text/calendar").expect("an .ics attachment");
    String::from_utf8(part.contents().to_vec()).unwrap()
}

/// Reads the check-in QR code back out of a mail, as the kiosk's scanner would.
fn check_in_code_of(message: &mail_parser::Message) -> Option<String> {
    let png = part_of_type(message, "image/png")?;
    let image = image::load_from_memory(png.contents()).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        image.width() as usize,
        image.height() as usize,
        |x, y| image.get_pixel(x as u32, y as u32)[0],
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    Some(grids[0].decode().unwrap().1)
}

#[tokio::test]
async fn confirmation_reminder_and_cancellation_go_over_smtp() {
    let app = spawn_app().await;
    let sink = SmtpSink::start();
    let mailer = sink.mailer();
    let booked = book(&app, "mail@example.dk").await;
    let (reference, token) = (
        booked["reference"].as_str().unwrap(),
        booked["token"].as_str().unwrap(),
    );

    let done = app.deliver_mail(&mailer);
    assert_eq!(
        (done.sent, done.failed),
        (1, 0),
        "the confirmation, not yet the reminder"
    );
    let mails = sink.take();
    let confirmation = &mails[0];
    assert!(confirmation.subject().unwrap().starts_with("Din tid: Pas"));
    let body = confirmation.body_text(0).unwrap();
    assert!(
        body.contains(&format!("/appointments/{reference}?token={token}")),
        "{body}"
    );
    assert!(body.contains("Rådhuset"));
    let ics: icalendar::Calendar = calendar_of(confirmation).parse().unwrap();
    assert_eq!(ics.property_value("METHOD"), Some("PUBLISH"));
    assert_eq!(
        check_in_code_of(confirmation).expect("a check-in QR code"),
        format!("http://skranke.test/appointments/{reference}?token={token}"),
        "the kiosk reads reference and token from the code"
    );
    let html = confirmation.body_html(0).expect("an HTML part");
    assert!(
        html.contains("cid:check-in") && html.contains("Rådhuset"),
        "{html}"
    );

    // The reminder waits for its time, a day before.
    app.clock.advance(chrono::Duration::hours(27));
    let done = app.deliver_mail(&mailer);
    assert_eq!(done.sent, 1);
    assert!(sink.take()[0].subject().unwrap().starts_with("Påmindelse"));

    let cancel = app
        .client
        .delete(app.url(&format!("/api/v1/appointments/{reference}?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), 200);
    app.deliver_mail(&mailer);
    let cancelled = sink.take();
    assert!(cancelled[0].subject().unwrap().starts_with("Aflyst"));
    assert!(calendar_of(&cancelled[0]).contains("METHOD:CANCEL"));
    assert!(
        check_in_code_of(&cancelled[0]).is_none(),
        "nothing to check in"
    );
}

#[tokio::test]
async fn a_failing_mail_server_delays_mail_but_loses_nothing() {
    let app = spawn_app().await;
    // A port that refuses connections: bind, learn the port, close it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let broken = Mailer::new(
        Some(&format!("smtp://127.0.0.1:{port}")),
        std::env::temp_dir(),
    )
    .unwrap();
    let booked = book(&app, "patient@example.dk").await;
    assert!(
        booked["reference"].is_string(),
        "the booking stands although mail cannot go"
    );

    let done = app.deliver_mail(&broken);
    assert_eq!((done.sent, done.failed), (0, 1));
    let again = app.deliver_mail(&broken);
    assert_eq!(again.failed, 0, "not retried before its wait is over");

    let sink = SmtpSink::start();
    let working = sink.mailer();
    app.clock.advance(chrono::Duration::minutes(2));
    let done = app.deliver_mail(&working);
    assert_eq!(done.sent, 1);
    assert_eq!(sink.take().len(), 1);
}

#[tokio::test]
async fn without_smtp_mail_is_written_as_files() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let files = Mailer::new(None, dir.path().to_owned()).unwrap();
    book(&app, "file@example.dk").await;
    let done = app.deliver_mail(&files);
    assert_eq!(done.sent, 1);
    let written: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(written.len(), 1);
}

#[tokio::test]
async fn each_mail_has_a_plain_and_an_html_part_in_the_citizens_language_from_the_municipality() {
    let app = spawn_app().await;
    let sink = SmtpSink::start();
    let mailer = sink.mailer();
    let cases = [
        (
            "da",
            "dansk@example.dk",
            "Se, flyt eller aflys",
            "Vis på kort",
            "kl. ",
        ),
        (
            "en",
            "english@example.dk",
            "View, move or cancel",
            "Show on map",
            "2027, ",
        ),
    ];
    for (lang, email, button, map, date_words) in cases {
        let booked = book_in(&app, email, lang).await;
        let (reference, token) = (
            booked["reference"].as_str().unwrap(),
            booked["token"].as_str().unwrap(),
        );
        app.deliver_mail(&mailer);
        let mails = sink.take();
        let mail = &mails[0];
        let from = mail.from().unwrap().first().unwrap();
        assert_eq!(from.address(), Some("borgerservice@hoeje-taastrup.example"));
        assert_eq!(from.name(), Some("Borgerservice, Høje-Taastrup Kommune"));
        let link = format!("http://skranke.test/appointments/{reference}?token={token}");

        let plain = mail.body_text(0).unwrap();
        assert!(plain.contains(&format!("{button}: {link}")), "{plain}");
        assert!(plain.contains(date_words), "{plain}");
        assert!(
            plain.contains("openstreetmap.org/search?query=Bygaden"),
            "{plain}"
        );

        let html = mail.body_html(0).expect("an HTML part");
        let href = link.replace('&', "&amp;");
        assert!(
            html.contains(&format!("class=\"button\" href=\"{href}\"")),
            "the manage link is a button: {html}"
        );
        assert!(html.contains(&format!(">{button}</a>")), "{html}");
        assert!(
            !html.contains(&format!(">{link}<")),
            "no raw address shown: {html}"
        );
        assert!(
            html.contains(map) && html.contains("name=\"viewport\""),
            "{html}"
        );
        assert!(html.contains("prefers-color-scheme: dark"), "{html}");
        assert!(html.contains(&format!("lang=\"{lang}\"")), "{html}");
    }
}
