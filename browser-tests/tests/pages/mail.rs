//! The confirmation mail's HTML part as a phone shows it: laid out 390 px wide in Chromium,
//! nothing wider than the screen.

use skranke::app::mailer::Mailer;
use skranke::app::outbox::deliver_due;
use skranke::clock::Clock as _;

use crate::helpers::spawn_app;
use browser::Browser;

#[tokio::test]
async fn the_confirmation_mail_fits_a_phone_without_scrolling_sideways() {
    let app = spawn_app().await;
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
        .await;
    for (lang, email) in [("da", "telefon@example.dk"), ("en", "phone@example.dk")] {
        let response = app
            .client
            .post(app.url("/api/v1/appointments"))
            .json(&serde_json::json!({
                "location": "raadhuset", "service": "pas", "start": slots[0]["start"],
                "citizen": {"name": "Mobil Borger", "email": email}, "language": lang
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    let folder = tempfile::tempdir().unwrap();
    let mailer = Mailer::new(None, folder.path().to_owned()).unwrap();
    let done = deliver_due(&app.pool, &mailer, &app.url(""), app.clock.now()).unwrap();
    assert_eq!(done.sent, 2);

    let browser = Browser::start().await;
    for (i, entry) in std::fs::read_dir(folder.path()).unwrap().enumerate() {
        let raw = std::fs::read(entry.unwrap().path()).unwrap();
        let mail = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let html = mail.body_html(0).expect("an HTML part").into_owned();
        let page = folder.path().join(format!("mail-{i}.html"));
        std::fs::write(&page, &html).unwrap();
        browser
            .goto(&format!("file://{}", page.display()))
            .await
            .unwrap();
        browser.screenshot(390, &format!("mail-{i}-390")).await;
        let widths = browser
            .execute(
                "return [window.innerWidth, document.documentElement.scrollWidth];",
                vec![],
            )
            .await
            .unwrap();
        let (viewport, content) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
        assert!(viewport <= 390, "the window is a phone's: {viewport} px");
        assert!(
            content <= viewport,
            "the mail is {content} px wide on a {viewport} px screen"
        );
    }
    browser.close().await;
}
