use crate::helpers::{browser_like, redirects_shown, spawn_app, value_after};

#[tokio::test]
async fn the_front_page_shows_locations_hours_and_errands_in_danish_and_english() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"da\">"));
    for location in app.get_json("/api/v1/locations").await.as_array().unwrap() {
        assert!(
            html.contains(location["name"].as_str().unwrap()),
            "{}",
            location["name"]
        );
    }
    assert!(html.contains("Kræver tidsbestilling") && html.contains("10:00-14:30"));

    let english = app.get("/?lang=en").await.text().await.unwrap();
    assert!(english.contains("<html lang=\"en\">") && english.contains("Booking required"));

    let css = app.get("/static/skranke.css").await;
    assert_eq!(css.status(), 200);
}

#[tokio::test]
async fn the_console_needs_a_session_and_the_sign_in_form_its_own_token() {
    let app = spawn_app().await;
    let browser_like = browser_like();
    let console = browser_like.get(app.url("/staff")).send().await.unwrap();
    assert_eq!(console.status(), 303);
    assert_eq!(
        console.headers()["location"],
        "/staff/login?lang=da&next=%2Fstaff",
        "to sign in, and back to the console"
    );

    // A form posted from elsewhere has no matching form token: refused, nobody signed in.
    let forged = browser_like
        .post(app.url("/staff/login"))
        .form(&[
            ("username", "staff"),
            ("password", crate::helpers::PASSWORD),
            ("form_token", "guessed"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(forged.headers().get("set-cookie").is_none());

    // Through the form as served, the session begins and the console opens.
    let form = browser_like
        .get(app.url("/staff/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = value_after(&form, "name=\"form_token\"");
    let signed_in = browser_like
        .post(app.url("/staff/login"))
        .form(&[
            ("username", "staff"),
            ("password", crate::helpers::PASSWORD),
            ("form_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let console = browser_like.get(app.url("/staff")).send().await.unwrap();
    assert_eq!(console.status(), 200);
    let html = console.text().await.unwrap();
    assert!(
        html.contains("name=\"csrf-token\""),
        "the console carries its CSRF token"
    );
    assert!(
        html.contains("value=\"raadhuset\"") && !html.contains("value=\"nuuk\""),
        "the console offers only the locations where the user works: {html}"
    );
}

/// The language switch goes back to the page it was clicked on, keeping that page's
/// choices (and a manage page's token); it never leads off the site.
#[tokio::test]
async fn the_language_switch_returns_to_the_same_page_in_the_other_language() {
    let app = spawn_app().await;
    let no_redirects = redirects_shown();
    let switch = |lang: &str, referer: Option<String>| {
        let mut request = no_redirects.get(app.url(&format!("/language/{lang}")));
        if let Some(referer) = referer {
            request = request.header("referer", referer);
        }
        request.send()
    };
    let from = app.url("/book?location=raadhuset&service=pas&lang=da&date=2027-03-30");
    let back = switch("en", Some(from)).await.unwrap();
    assert_eq!(back.status(), 303);
    assert_eq!(
        back.headers()["location"],
        "/book?location=raadhuset&service=pas&date=2027-03-30&lang=en"
    );
    let token_page = app.url("/appointments/ABC123?token=s3cret");
    let back = switch("da", Some(token_page)).await.unwrap();
    assert_eq!(
        back.headers()["location"],
        "/appointments/ABC123?token=s3cret&lang=da"
    );

    for elsewhere in [None, Some("https://example.org/phish?x=1".to_owned())] {
        let back = switch("en", elsewhere).await.unwrap();
        assert_eq!(back.status(), 303);
        assert_eq!(back.headers()["location"], "/?lang=en");
    }
    assert_eq!(switch("de", None).await.unwrap().status(), 404);

    let page = app.get("/").await;
    assert_eq!(page.headers()["referrer-policy"], "same-origin");
    let html = page.text().await.unwrap();
    assert!(html.contains("href=\"/language/en\""), "{html}");
}

/// A page speaks the browser's language until the citizen chooses; the choice is kept in
/// a cookie, and a link's `?lang=` wins over both.
#[tokio::test]
async fn a_page_follows_accept_language_until_the_switch_keeps_a_choice() {
    let app = spawn_app().await;
    let browser = browser_like();
    let page = |accept: &'static str, path: &'static str| {
        browser
            .get(app.url(path))
            .header("accept-language", accept)
            .send()
    };
    let lang_of = |html: &str| {
        html.split("<html lang=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned()
    };
    let english = page("en-GB,en;q=0.9,da;q=0.5", "/").await.unwrap();
    assert_eq!(lang_of(&english.text().await.unwrap()), "en");
    let danish = page("da-DK,da;q=0.9", "/book").await.unwrap();
    assert_eq!(lang_of(&danish.text().await.unwrap()), "da");
    let neither = page("de-DE", "/").await.unwrap();
    assert_eq!(lang_of(&neither.text().await.unwrap()), "da");

    let switched = browser.get(app.url("/language/da")).send().await.unwrap();
    let cookie = switched.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("skranke_lang=da") && cookie.contains("Max-Age="),
        "the choice is kept between visits: {cookie}"
    );
    let kept = page("en-GB,en", "/").await.unwrap();
    assert_eq!(
        lang_of(&kept.text().await.unwrap()),
        "da",
        "the cookie wins"
    );
    let linked = page("da", "/?lang=en").await.unwrap();
    assert_eq!(
        lang_of(&linked.text().await.unwrap()),
        "en",
        "the link wins"
    );
}

/// The citizen's pages load Det Fælles Designsystem from this server, with the fonts its
/// stylesheet names; nothing comes from elsewhere.
#[tokio::test]
async fn the_design_system_is_served_with_its_fonts() {
    let app = spawn_app().await;
    let html = app.get("/book").await.text().await.unwrap();
    assert!(
        html.contains("href=\"/static/dkfds/css/dkfds.min.css\""),
        "{html}"
    );
    let css = app.get("/static/dkfds/css/dkfds.min.css").await;
    assert_eq!(css.status(), 200);
    assert!(css.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    let css = css.text().await.unwrap();
    assert!(css.contains(".button-primary") && !css.contains("sourceMappingURL"));
    for face in ["Regular", "Medium", "SemiBold", "Bold", "Italic"] {
        let file = format!("IBMPlexSans-{face}.woff2");
        assert!(css.contains(&format!("url(../fonts/{file})")), "{file}");
        let font = app.get(&format!("/static/dkfds/fonts/{file}")).await;
        assert_eq!(font.status(), 200, "{file}");
        assert_eq!(font.headers()["content-type"], "font/woff2");
    }
    assert_eq!(
        app.get("/static/dkfds/fonts/other.woff2").await.status(),
        404
    );
}

/// Signing in from a staff page returns to it; a `next` that leads off the site is
/// ignored and the console opens instead.
#[tokio::test]
async fn sign_in_returns_to_the_staff_page_it_was_asked_from_and_never_off_the_site() {
    let app = spawn_app().await;
    let sign_in_from = |path: &'static str| {
        let app = &app;
        async move {
            let browser_like = browser_like();
            let away = browser_like.get(app.url(path)).send().await.unwrap();
            assert_eq!(away.status(), 303);
            let login = away.headers()["location"].to_str().unwrap().to_owned();
            let form = browser_like
                .get(app.url(&login))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let field = |name: &str| {
                form.split(&format!("name=\"{name}\" value=\""))
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .map(|v| {
                        v.replace("&#x2f;", "/")
                            .replace("&#x3d;", "=")
                            .replace("&amp;", "&")
                    })
            };
            let next = field("next");
            let mut body = vec![
                ("username", "admin".to_owned()),
                ("password", crate::helpers::PASSWORD.to_owned()),
                ("form_token", field("form_token").unwrap()),
            ];
            if let Some(next) = next {
                body.push(("next", next));
            }
            let signed_in = browser_like
                .post(app.url("/staff/login"))
                .form(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(signed_in.status(), 303);
            signed_in.headers()["location"].to_str().unwrap().to_owned()
        }
    };
    assert_eq!(
        sign_in_from("/staff/planner?lang=en").await,
        "/staff/planner?lang=en"
    );
    assert_eq!(sign_in_from("/staff").await, "/staff");
    for page in ["/staff/dashboard?span=week", "/staff/planner/whatif"] {
        assert_eq!(sign_in_from(page).await, page);
    }

    // A forged `next` in the sign-in link is not followed.
    let form = app
        .get("/staff/login?next=https://evil.example/")
        .await
        .text()
        .await
        .unwrap();
    assert!(!form.contains("evil.example"), "{form}");
}

#[tokio::test]
async fn the_front_page_lists_reduced_hours_apart_from_the_days_it_is_closed() {
    let app = spawn_app().await;
    app.clock.set("2027-12-20T09:00:00Z".parse().unwrap());
    for (lang, closed, reduced, open_only) in [
        (
            "da",
            "<h3>Lukket</h3>",
            "<h3>Nedsat åbningstid</h3>",
            "åbent kun mandag 10:00–12:00",
        ),
        (
            "en",
            "<h3>Closed</h3>",
            "<h3>Reduced opening hours</h3>",
            "open only Monday 10:00–12:00",
        ),
    ] {
        let html = app
            .get(&format!("/?lang={lang}"))
            .await
            .text()
            .await
            .unwrap();
        // Rådhuset's Christmas: closed the 24th to the 26th, shorter hours the 27th to the 30th.
        let raadhuset = &html[html.find("Rådhuset").unwrap()..];
        let closed_at = raadhuset.find(closed).unwrap();
        let reduced_at = raadhuset.find(reduced).unwrap();
        let period = raadhuset.find(open_only).unwrap();
        assert!(
            reduced_at < period,
            "the period under its own heading, not under {closed}"
        );
        assert!(closed_at < reduced_at);
        let line = &raadhuset[period..period + raadhuset[period..].find("</li>").unwrap()];
        assert!(
            line.ends_with("(Nedsat åbningstid mellem jul og nytår)"),
            "{line}"
        );
    }
}

/// Every staff page sends a browser without a session, or with one that has ended, to sign
/// in, to come back to the page and query it asked for.
#[tokio::test]
async fn every_staff_page_sends_a_browser_without_a_live_session_to_sign_in_and_back() {
    let app = spawn_app().await;
    let browser_like = redirects_shown();
    for (page, next) in [
        ("/staff?lang=en", "%2Fstaff%3Flang%3Den"),
        ("/staff/displays", "%2Fstaff%2Fdisplays"),
        ("/staff/planner?roster=1", "%2Fstaff%2Fplanner%3Froster%3D1"),
        ("/staff/planner/whatif", "%2Fstaff%2Fplanner%2Fwhatif"),
        (
            "/staff/planner/interpreters",
            "%2Fstaff%2Fplanner%2Finterpreters",
        ),
        ("/staff/dashboard", "%2Fstaff%2Fdashboard"),
        ("/staff/account/password", "%2Fstaff%2Faccount%2Fpassword"),
    ] {
        let lang = if page.contains("lang=en") { "en" } else { "da" };
        for cookie in [None, Some("skranke_session=ended")] {
            let mut request = browser_like.get(app.url(page));
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 303, "{page} {cookie:?}");
            assert_eq!(
                response.headers()["location"],
                format!("/staff/login?lang={lang}&next={next}").as_str(),
                "{page} {cookie:?}"
            );
        }
    }
}
