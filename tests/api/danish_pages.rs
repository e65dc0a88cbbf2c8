//! A citizen whose browser asks for Danish walks every page of the citizen's side — the
//! front page, each booking step, a refused form, the confirmation, the manage, move and
//! cancel pages, the waitlist form, an error page and a ticket's status page — and reads
//! no English and no raw status or slug.

use serde_json::Value;

use crate::english_markers::ENGLISH;
use crate::helpers::{city_hall_desk_serving, spawn_app, value_after, TestApp};

/// The text a person reads on the page: no tags, scripts or attributes.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag = &rest[open..];
        let skip_to = if tag.starts_with("<script") {
            tag.find("</script>").map(|n| n + "</script>".len())
        } else {
            tag.find('>').map(|n| n + 1)
        };
        rest = &tag[skip_to.unwrap_or(tag.len())..];
    }
    text.push_str(rest);
    text.replace("&amp;", "&").replace("&nbsp;", " ")
}

fn assert_danish(what: &str, html: &str) {
    assert!(html.contains("<html lang=\"da\">"), "{what} is not Danish");
    let text = visible_text(html);
    let lower = text.to_lowercase();
    for word in lower.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        assert!(!ENGLISH.contains(&word), "{what} says '{word}':\n{text}");
        assert!(
            !word.contains('_'),
            "{what} shows the raw '{word}':\n{text}"
        );
    }
    for phrase in ["not found", "time slot", "europe/", "no show"] {
        assert!(!lower.contains(phrase), "{what} says '{phrase}':\n{text}");
    }
}

fn danish_browser() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept-language", "da-DK,da;q=0.9".parse().unwrap());
    headers.insert("accept", "text/html".parse().unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .unwrap()
}

async fn page(app: &TestApp, browser: &reqwest::Client, path: &str) -> String {
    let html = browser
        .get(app.url(path))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .text()
        .await
        .unwrap();
    assert_danish(path, &html);
    html
}

/// The `href` of the element with `id`, wherever the attributes stand in its tag.
fn href_of(html: &str, id: &str) -> String {
    let at = html.find(&format!("id=\"{id}\"")).unwrap();
    let start = html[..at].rfind('<').unwrap();
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    tag.split("href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#x2f;", "/")
}

#[tokio::test]
async fn every_citizen_page_reads_in_danish() {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let browser = danish_browser();
    for path in [
        "/",
        "/book",
        "/book?location=raadhuset",
        "/book?location=raadhuset&service=pas",
        "/waitlist?location=raadhuset&service=pas",
        "/no-such-page",
    ] {
        page(&app, &browser, path).await;
    }
    let times = page(
        &app,
        &browser,
        "/book?location=raadhuset&service=pas&day=2027-03-31",
    )
    .await;
    let (token, start) = (
        value_after(&times, "name=\"form_token\""),
        value_after(&times, "name=\"start\""),
    );
    let book = |email: &'static str, token: String, start: String| {
        browser
            .post(app.url("/book"))
            .form(&[
                ("location", "raadhuset".to_owned()),
                ("service", "pas".to_owned()),
                ("start", start),
                ("name", "Kirsten Holm".to_owned()),
                ("email", email.to_owned()),
                ("form_token", token),
            ])
            .send()
    };
    let refused = book("ikke-en-adresse", token, start.clone()).await.unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert_danish("a refused booking", &refused);
    let token = value_after(&refused, "name=\"form_token\"");
    let receipt = book("kirsten@example.dk", token, start)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_danish("the confirmation", &receipt);

    let manage = page(&app, &browser, &href_of(&receipt, "manage")).await;
    let move_link = href_of(&manage, "move");
    page(&app, &browser, &move_link).await;
    page(&app, &browser, &format!("{move_link}&day=2027-04-01")).await;
    // Cancelling asks first, on a page of its own; its form's token is the last one shown.
    let path = href_of(&receipt, "manage");
    let manage = page(&app, &browser, &path).await;
    let manage = page(&app, &browser, &href_of(&manage, "cancel")).await;
    let reference = value_after(&manage, "name=\"token\"");
    let cancel_to = path.split('?').next().unwrap();
    let cancelled = browser
        .post(app.url(&format!("{cancel_to}/cancel")))
        .form(&[
            ("token", reference),
            ("form_token", value_after(&manage, "name=\"form_token\"")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);
    assert_danish("the cancelled booking", &cancelled.text().await.unwrap());

    let ticket = no_show_ticket(&app).await;
    let status = page(
        &app,
        &browser,
        &format!("/tickets/{}", ticket["id"].as_str().unwrap()),
    )
    .await;
    assert!(
        visible_text(&status).contains("udeblev") || visible_text(&status).contains("var der ikke"),
        "{status}"
    );
}

/// A walk-in ticket called and marked as not come.
async fn no_show_ticket(app: &TestApp) -> Value {
    let ticket = app.walk_in("vejledning").await;
    let token = app.login("staff").await;
    let desk = city_hall_desk_serving(app, &token, "vejledning").await["id"]
        .as_i64()
        .unwrap();
    let id = ticket["id"].as_str().unwrap();
    for path in [
        format!("/api/v1/desks/{desk}/open"),
        format!("/api/v1/desks/{desk}/call-next"),
        format!("/api/v1/tickets/{id}/no-show"),
    ] {
        let done = app
            .client
            .post(app.url(&path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(done.status().is_success(), "{path}: {}", done.status());
    }
    ticket
}

#[tokio::test]
async fn the_what_if_page_reads_in_danish_with_its_comparison() {
    let app = crate::rosters::planning_app().await;
    let token = app.login("admin").await;
    let html = danish_browser()
        .get(app.url(
            "/staff/planner/whatif?week=2027-W14&name=Pas&service=koerekort&booking=required&online=20",
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<table class=\"table whatif\">"), "{html}");
    assert!(html.contains("<th scope=\"col\">Som nu</th>"));
    assert_danish("/staff/planner/whatif", &html);
}

/// The values of a page's `data-texts` (what its script will say), as one page of text.
fn script_texts(html: &str) -> String {
    let raw = html
        .split("data-texts=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no script texts in {html}"));
    let json = raw
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2f;", "/");
    let texts: serde_json::Map<String, Value> = serde_json::from_str(&json).unwrap();
    let words: Vec<String> = texts
        .values()
        .map(|v| {
            // Placeholders such as {errand} are filled in by the script, not read.
            let mut text = String::new();
            for (i, piece) in v.as_str().unwrap().split('{').enumerate() {
                let shown = if i == 0 {
                    piece
                } else {
                    piece.split_once('}').map_or(piece, |p| p.1)
                };
                text.push_str(shown);
            }
            text
        })
        .collect();
    format!("<html lang=\"da\"><p>{}</p>", words.join(" · "))
}

#[tokio::test]
async fn every_staff_page_reads_in_danish() {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let browser = danish_browser();
    let form = page(&app, &browser, "/staff/login").await;
    let signed_in = browser
        .post(app.url("/staff/login"))
        .form(&[
            ("username", "admin"),
            ("password", crate::helpers::PASSWORD),
            ("form_token", &value_after(&form, "name=\"form_token\"")),
        ])
        .send()
        .await
        .unwrap();
    let status = signed_in.status();
    assert_eq!(
        status,
        200,
        "on to the console: {}",
        signed_in.text().await.unwrap()
    );
    let console = page(&app, &browser, "/staff").await;
    assert_danish("the console's script", &script_texts(&console));
    page(&app, &browser, "/staff/planner").await;
    page(&app, &browser, "/staff/displays").await;
    page(&app, &browser, "/staff/admin").await;
    page(&app, &browser, "/staff/admin/locations/raadhuset").await;
    page(&app, &browser, "/staff/admin/audit").await;
    let display = page(&app, &browser, "/locations/raadhuset/display").await;
    assert_danish("the display's script", &script_texts(&display));
}
