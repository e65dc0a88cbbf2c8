//! The municipality's identity from the organisation file: on every citizen page, in the
//! colours of the staff's, on the kiosk, as the sender of mail, and changed by a new import
//! without a restart.

use skranke::app;
use skranke::clock::Clock as _;
use skranke::domain::municipality::Logo;

use crate::helpers::spawn_app;
use crate::mail::{book, SmtpSink};

async fn page(app: &crate::helpers::TestApp, path: &str) -> String {
    let response = app
        .client
        .get(app.url(path))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    // The templates escape `/` in attributes; the browser reads it back as a slash.
    response.text().await.unwrap().replace("&#x2f;", "/")
}

#[tokio::test]
async fn every_citizen_page_shows_the_municipality_and_its_statements() {
    let app = spawn_app().await;
    for path in ["/", "/book", "/book?location=raadhuset", "/nowhere"] {
        let html = page(&app, path).await;
        for shown in [
            "Høje-Taastrup Kommune",
            "src=\"/municipality/logo\"",
            "Bygaden 2, 2630 Taastrup",
            "href=\"tel:+4543351000\"",
            "https://www.hoeje-taastrup.example/privatlivspolitik",
            "https://www.was.digst.dk/skranke-demo",
            "Tilgængelighedserklæring",
            "/municipality/theme.css",
        ] {
            assert!(html.contains(shown), "{path} lacks {shown}:\n{html}");
        }
        assert!(!html.contains("/api/openapi.json"), "{path} links the API");
    }
    let logo = app.get("/municipality/logo").await;
    assert_eq!(logo.status(), 200);
    assert_eq!(logo.headers()["content-type"], "image/svg+xml");
    // The demo's logo is compiled in: the server shows it whatever directory it runs in.
    assert_eq!(
        app::demo::organisation().unwrap().municipality.logo,
        Logo::Demo
    );
    assert_eq!(logo.bytes().await.unwrap().as_ref(), app::demo::LOGO_SVG);
    let theme = app
        .get("/municipality/theme.css")
        .await
        .text()
        .await
        .unwrap();
    assert!(theme.contains("#1a5632"), "{theme}");
    assert!(
        theme.contains(".button.button-primary"),
        "the primary buttons in the brand colour: {theme}"
    );
}

#[tokio::test]
async fn the_staff_pages_wear_the_brand_colour_too() {
    let app = spawn_app().await;
    let token = app.login("admin").await;
    for path in [
        "/staff/login",
        "/staff",
        "/staff/planner",
        "/staff/dashboard",
        "/staff/admin",
        "/locations/raadhuset/display",
    ] {
        let html = app
            .client
            .get(app.url(path))
            .header("Accept", "text/html")
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .replace("&#x2f;", "/");
        assert!(
            html.contains("href=\"/municipality/theme.css\""),
            "{path} lacks the theme:\n{html}"
        );
    }
    let theme = app
        .get("/municipality/theme.css")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        theme.contains(".staff-header { border-top: 0.8rem solid #1a5632; }"),
        "{theme}"
    );
}

#[tokio::test]
async fn a_new_import_changes_the_pages_and_the_mails_sender_without_a_restart() {
    let app = spawn_app().await;
    let sink = SmtpSink::start();
    let mailer = sink.mailer();

    let mut spec = app::demo::organisation().unwrap();
    spec.municipality.name = "Egeby Kommune".into();
    spec.municipality.logo = Logo::Url("https://www.egeby.example/logo.png".into());
    spec.municipality.mail_from_name = "Egeby Borgerservice".into();
    spec.municipality.mail_from = "borgerservice@egeby.example".into();
    spec.municipality.reply_to = "svar@egeby.example".into();
    spec.municipality.accessibility_statement_url = "https://www.was.digst.dk/egeby".into();
    spec.municipality.brand_colour = None;
    {
        let conn = &mut app.pool.get().unwrap();
        app::organisation::import(conn, &spec, app.clock.now()).unwrap();
    }

    let html = page(&app, "/book").await;
    assert!(html.contains("Egeby Kommune"), "{html}");
    assert!(html.contains("src=\"https://www.egeby.example/logo.png\""));
    assert!(html.contains("https://www.was.digst.dk/egeby"));
    assert!(!html.contains("Høje-Taastrup Kommune"));
    assert_eq!(app.get("/municipality/logo").await.status(), 404);
    let theme = app
        .get("/municipality/theme.css")
        .await
        .text()
        .await
        .unwrap();
    assert!(!theme.contains('#'), "no brand colour left: {theme}");
    let kiosk = app.get_json("/api/v1/locations/raadhuset/kiosk").await;
    assert_eq!(kiosk["municipality"]["name"], "Egeby Kommune");
    assert_eq!(
        kiosk["municipality"]["logo_url"],
        "https://www.egeby.example/logo.png"
    );
    assert_eq!(
        kiosk["municipality"]["brand_colour"],
        serde_json::Value::Null
    );

    book(&app, "borger@example.dk").await;
    app.deliver_mail(&mailer);
    let mails = sink.take();
    let from = mails[0].from().unwrap().first().unwrap();
    assert_eq!(from.address(), Some("borgerservice@egeby.example"));
    assert_eq!(from.name(), Some("Egeby Borgerservice"));
    let reply_to = mails[0].reply_to().unwrap().first().unwrap();
    assert_eq!(reply_to.address(), Some("svar@egeby.example"));
}
