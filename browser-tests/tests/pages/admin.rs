//! The administration in the browser: an administrator closes Rådhuset this afternoon, sees
//! the bookings it affects, cancels them, and each citizen's apology reaches the SMTP sink;
//! an administrator creates an account whose owner sets a password from the mailed link and
//! signs in; the admin pages are axe-clean with large targets, in Danish and English.

use fantoccini::Locator;
use serde_json::{json, Value};
use skranke::app::mailer::Mailer;
use skranke::app::outbox::deliver_due;
use skranke::clock::Clock as _;

use crate::helpers::{spawn_app, TestApp};
use crate::smtp_sink::SmtpSink;
use crate::steps::{click, sign_in_here, submit_sign_in, text_of, type_into};
use browser::Browser;

/// Tuesday 30 March 2027 at 09:00 in Copenhagen, before opening.
const TUESDAY_MORNING: &str = "2027-03-30T07:00:00Z";

async fn sign_in_as_admin(browser: &Browser, app: &TestApp, path: &str) {
    browser.goto(&app.url(path)).await.unwrap();
    sign_in_here(browser, "admin").await;
}

/// Sends the form the browser is on by its button.
async fn submit(browser: &Browser) {
    browser
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Two afternoon bookings at Rådhuset today, by two citizens.
async fn afternoon_bookings(app: &TestApp) -> Vec<String> {
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-30&to=2027-03-30")
        .await;
    let afternoon: Vec<&Value> = slots
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["start"].as_str().unwrap()[11..16] >= *"12:00")
        .take(2)
        .collect();
    book_pas_at(app, &afternoon).await
}

/// Books Pas at Rådhuset at each of `starts`' start, by citizens `borger0@example.org`, …;
/// their addresses in that order.
async fn book_pas_at(app: &TestApp, starts: &[&Value]) -> Vec<String> {
    let mut emails = Vec::new();
    for (i, slot) in starts.iter().enumerate() {
        let email = format!("borger{i}@example.org");
        let response = app
            .client
            .post(app.url("/api/v1/appointments"))
            .json(&json!({
                "location": "raadhuset", "service": "pas", "start": slot["start"],
                "citizen": {"name": format!("Borger {i}"), "email": email}
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        emails.push(email);
    }
    emails
}

async fn set(browser: &Browser, field: &str, value: &str) {
    browser
        .execute(
            "document.getElementById(arguments[0]).value = arguments[1];",
            vec![json!(field), json!(value)],
        )
        .await
        .unwrap();
}

/// Sends what the outbox holds to an SMTP sink and returns what arrived.
fn delivered(app: &TestApp) -> Vec<mail_parser::Message<'static>> {
    let sink = SmtpSink::start();
    let mailer = Mailer::new(Some(&sink.url()), std::env::temp_dir()).unwrap();
    deliver_due(&app.pool, &mailer, &app.url(""), app.clock.now()).unwrap();
    sink.take()
}

/// A browser signed in as the administrator on Rådhuset's page in `lang`.
async fn at_raadhuset(app: &TestApp, lang: &str) -> Browser {
    at_form(
        app,
        &format!("/staff/admin/locations/raadhuset?lang={lang}"),
        "details-form",
    )
    .await
}

/// A browser signed in as the administrator on `path`, once it shows the form `form`.
async fn at_form(app: &TestApp, path: &str, form: &str) -> Browser {
    let browser = Browser::start().await;
    sign_in_as_admin(&browser, app, path).await;
    browser.wait().for_element(Locator::Id(form)).await.unwrap();
    browser
}

/// Asserts that the field `id` is marked wrong and still holds what was typed.
async fn assert_refused(browser: &Browser, id: &str, typed: &str) {
    let field = browser.find(Locator::Id(id)).await.unwrap();
    assert_eq!(
        field.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(field.prop("value").await.unwrap().as_deref(), Some(typed));
}

/// The rows of the table of affected bookings, once the page shows it.
async fn affected_rows(browser: &Browser) -> usize {
    let affected = browser
        .wait()
        .for_element(Locator::Id("affected"))
        .await
        .unwrap();
    affected
        .find_all(Locator::Css("tbody tr"))
        .await
        .unwrap()
        .len()
}

/// Whom the mails went to, sorted.
fn addressees(mails: &[mail_parser::Message<'static>]) -> Vec<String> {
    let mut to: Vec<String> = mails
        .iter()
        .map(|m| {
            let first = m.to().and_then(|to| to.first());
            first.and_then(|a| a.address()).unwrap().to_owned()
        })
        .collect();
    to.sort();
    to
}

/// Whom the mails delivered now that give `reason` went to, sorted: the apologies of one
/// change.
fn apologised_to(app: &TestApp, reason: &str) -> Vec<String> {
    let mails: Vec<_> = delivered(app)
        .into_iter()
        .filter(|m| m.body_text(0).unwrap_or_default().contains(reason))
        .collect();
    addressees(&mails)
}

async fn check_page(browser: &Browser, name: &str) {
    browser.look_at(name, name).await;
}

#[tokio::test]
async fn an_administrator_closes_raadhuset_this_afternoon_and_the_citizens_are_told() {
    let app = spawn_app().await;
    app.clock.set(TUESDAY_MORNING.parse().unwrap());
    let citizens = afternoon_bookings(&app).await;
    let browser = Browser::start().await;
    sign_in_as_admin(&browser, &app, "/staff/admin/locations/raadhuset?lang=da").await;
    browser
        .wait()
        .for_element(Locator::Id("close-form"))
        .await
        .unwrap();
    check_page(&browser, "admin-location-da").await;

    set(&browser, "from", "2027-03-30").await;
    set(&browser, "closed_from", "12:00").await;
    type_into(&browser, "reason", "Sygdom").await;
    click(&browser, "#close-submit").await;
    assert_eq!(
        affected_rows(&browser).await,
        2,
        "the two afternoon bookings"
    );
    check_page(&browser, "admin-closure-preview-da").await;

    click(&browser, "#cancel-bookings").await;
    let saved = text_of(&browser, "#saved").await;
    assert!(saved.contains("2 bookinger er aflyst"), "{saved}");

    let apologies: Vec<_> = delivered(&app)
        .into_iter()
        .filter(|m| m.subject().unwrap_or_default().contains("aflyse"))
        .collect();
    assert_eq!(
        addressees(&apologies),
        citizens,
        "one apology to each citizen"
    );
    for mail in &apologies {
        let text = mail.body_text(0).unwrap();
        assert!(text.contains("Sygdom"), "{text}");
        assert!(
            text.contains("/waitlist?location=raadhuset&service=pas"),
            "{text}"
        );
    }
    browser.close().await;
}

#[tokio::test]
async fn a_new_colleague_sets_a_password_from_the_mailed_link_and_signs_in() {
    let app = spawn_app().await;
    app.clock.set(TUESDAY_MORNING.parse().unwrap());
    let admin = Browser::start().await;
    sign_in_as_admin(&admin, &app, "/staff/admin/staff/new?lang=da").await;
    type_into(&admin, "name", "Mette Holm").await;
    type_into(&admin, "username", "mette.holm").await;
    type_into(&admin, "email", "mette@example.org").await;
    click(&admin, "#location-raadhuset").await;
    click(&admin, "#service-pas").await;
    click(&admin, "#save").await;
    let notice = text_of(&admin, "#notice").await;
    assert!(!notice.is_empty());
    check_page(&admin, "admin-staff-created-da").await;
    admin.close().await;

    let mails = delivered(&app);
    let mail = mails
        .iter()
        .find(|m| {
            m.to().and_then(|to| to.first()).and_then(|a| a.address()) == Some("mette@example.org")
        })
        .expect("the link is mailed to the new account");
    let body = mail.body_text(0).unwrap();
    let start = body.find("/staff/password/").expect("a password link");
    let path = body[start..].split_whitespace().next().unwrap().to_owned();

    let colleague = Browser::start().await;
    colleague.goto(&app.url(&path)).await.unwrap();
    let new_password = "mettes-eget-kodeord";
    type_into(&colleague, "password", new_password).await;
    type_into(&colleague, "password_again", new_password).await;
    check_page(&colleague, "password-set-da").await;
    submit(&colleague).await;
    colleague
        .wait()
        .for_element(Locator::Id("password-saved"))
        .await
        .unwrap();
    colleague
        .find(Locator::Css("a[href^='/staff/login']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit_sign_in(&colleague, "mette.holm", new_password).await;
    let name = text_of(&colleague, "#staff-name").await;
    assert_eq!(name, "Mette Holm");
    // The link was used once; it does not set a password again.
    colleague.goto(&app.url(&path)).await.unwrap();
    colleague
        .wait()
        .for_element(Locator::Id("password-error"))
        .await
        .unwrap();
    assert!(colleague.find(Locator::Id("password")).await.is_err());
    colleague.close().await;
}

#[tokio::test]
async fn the_admin_pages_are_accessible_in_both_languages() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    sign_in_as_admin(&browser, &app, "/staff/admin?lang=da").await;
    browser
        .wait()
        .for_element(Locator::Id("admin-sections"))
        .await
        .unwrap();
    for lang in ["da", "en"] {
        for (path, landmark, name) in [
            ("/staff/admin", "admin-sections", "admin"),
            ("/staff/admin/locations", "locations", "admin-locations"),
            (
                "/staff/admin/locations/raadhuset",
                "close-form",
                "admin-location",
            ),
            (
                "/staff/admin/locations/raadhuset/capacity",
                "capacity-form",
                "admin-capacity",
            ),
            ("/staff/admin/audit", "audit-filters", "admin-audit"),
            ("/staff/admin/staff", "accounts", "admin-staff"),
            ("/staff/admin/staff/new", "account-form", "admin-staff-new"),
            (
                "/staff/admin/staff/1",
                "account-form",
                "admin-staff-account",
            ),
            ("/staff/admin/desks", "main", "admin-desks"),
            ("/staff/admin/errands", "errands", "admin-errands"),
            ("/staff/admin/errands/pas", "errand-form", "admin-errand"),
            (
                "/staff/account/password",
                "current_password",
                "own-password",
            ),
        ] {
            browser
                .goto(&app.url(&format!("{path}?lang={lang}")))
                .await
                .unwrap();
            browser
                .wait()
                .for_element(Locator::Id(landmark))
                .await
                .unwrap_or_else(|e| panic!("{path} in {lang}: no #{landmark}: {e}"));
            check_page(&browser, &format!("{name}-{lang}")).await;
        }
    }
    browser.close().await;
}

#[tokio::test]
async fn a_wrong_opening_hour_is_named_on_its_day_and_nothing_is_saved() {
    let app = spawn_app().await;
    let browser = at_raadhuset(&app, "da").await;
    set(&browser, "hours_tue", "10-14").await;
    click(&browser, "#details-submit").await;
    let problem = text_of(&browser, "#details-problem").await;
    assert!(problem.contains("tirsdag"), "{problem}");
    assert_refused(&browser, "hours_tue", "10-14").await;
    check_page(&browser, "admin-location-hours-error-da").await;
    browser
        .goto(&app.url("/staff/admin/locations/raadhuset?lang=en"))
        .await
        .unwrap();
    let tuesday = browser.find(Locator::Id("hours_tue")).await.unwrap();
    assert_eq!(
        tuesday.prop("value").await.unwrap().as_deref(),
        Some("10:00-14:30"),
        "nothing saved"
    );
    browser.close().await;
}

#[tokio::test]
async fn of_two_tabs_saving_one_location_the_second_is_told_who_saved_first() {
    let app = spawn_app().await;
    app.clock.set(TUESDAY_MORNING.parse().unwrap());
    let (first, second) = (
        at_raadhuset(&app, "en").await,
        at_raadhuset(&app, "en").await,
    );
    let values = ["Telefon 70 00 00 01", "Telefon 70 00 00 02"];
    let tabs = [&first, &second];
    the_second_tab_is_told(tabs, "#details-submit", "contact", values).await;
    check_page(&second, "admin-location-stale-en").await;
    first.close().await;
    second.close().await;
}

/// Of two tabs on one page, the first saves `field` as the first of `values`; the second,
/// read before, saves it as the second and is told who saved first and when (09:00), with
/// what it typed kept to try again. `submit` is the CSS selector of the form's button.
async fn the_second_tab_is_told(
    [first, second]: [&Browser; 2],
    submit: &str,
    field: &str,
    values: [&str; 2],
) {
    set(first, field, values[0]).await;
    click(first, submit).await;
    assert!(!text_of(first, "#saved").await.is_empty());
    set(second, field, values[1]).await;
    click(second, submit).await;
    let stale = text_of(second, "#stale").await;
    assert!(stale.contains("Administrator"), "{stale}");
    assert!(stale.contains("09:00"), "{stale}");
    let typed = second.find(Locator::Id(field)).await.unwrap();
    assert_eq!(
        typed.prop("value").await.unwrap().as_deref(),
        Some(values[1]),
        "what was typed is kept to try again"
    );
}

#[tokio::test]
async fn shorter_hours_over_bookings_ask_for_a_reason_and_cancel_with_one_apology_each() {
    let app = spawn_app().await;
    app.clock.set(TUESDAY_MORNING.parse().unwrap());
    let citizens = afternoon_bookings(&app).await;
    let browser = at_raadhuset(&app, "da").await;
    set(&browser, "hours_tue", "10:00-12:00").await;
    click(&browser, "#details-submit").await;
    assert_eq!(
        affected_rows(&browser).await,
        2,
        "the two afternoon bookings"
    );
    click(&browser, "#cancel-bookings").await;
    let error = text_of(&browser, "#reason-error").await;
    assert!(error.contains("årsagen"), "{error}");
    check_page(&browser, "admin-hours-preview-da").await;
    type_into(&browser, "reason", "Nedsat åbningstid").await;
    click(&browser, "#cancel-bookings").await;
    let saved = text_of(&browser, "#saved").await;
    assert!(saved.contains("2 bookinger er aflyst"), "{saved}");
    assert_eq!(
        apologised_to(&app, "Nedsat åbningstid"),
        citizens,
        "one apology to each citizen"
    );
    browser.close().await;
}

/// Two step-free visits at Rådhuset today, an hour apart, by citizens named for `who`: only
/// Skranke 2 is step-free.
async fn step_free_bookings(app: &TestApp, who: &str) {
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&needs=step_free&from=2027-03-30&to=2027-03-30")
        .await;
    let slots = slots.as_array().unwrap();
    for (i, slot) in [&slots[0], &slots[4]].into_iter().enumerate() {
        let response = app
            .client
            .post(app.url("/api/v1/appointments"))
            .json(&json!({
                "location": "raadhuset", "service": "pas", "start": slot["start"],
                "needs": [{"kind": "step_free"}],
                "citizen": {"name": format!("Borger {i}"), "email": format!("{who}{i}@example.org")}
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
}

/// Sends Skranke 2's form on the desks page with *out of order* ticked or not.
async fn out_of_order(browser: &Browser, out: bool) {
    browser
        .execute(
            "const h = [...document.querySelectorAll('section.admin-desk h2')]
               .find(h => h.textContent.trim().startsWith('Skranke 2'));
             const desk = h.closest('section');
             desk.querySelector('input[name=out_of_order]').checked = arguments[0];
             desk.querySelector('form').submit();",
            vec![json!(out)],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_desk_out_of_order_shows_the_visits_that_lose_it_before_it_is_saved() {
    let app = spawn_app().await;
    app.clock.set(TUESDAY_MORNING.parse().unwrap());
    let browser = Browser::start().await;
    // The Danish round's visits are kept, so the English round lists them apart.
    for (lang, kept) in [
        ("da", "2 bookinger er beholdt"),
        ("en", "2 bookings are kept"),
    ] {
        step_free_bookings(&app, lang).await;
        if lang == "da" {
            sign_in_as_admin(
                &browser,
                &app,
                "/staff/admin/desks?location=raadhuset&lang=da",
            )
            .await;
        } else {
            let path = "/staff/admin/desks?location=raadhuset&lang=en";
            browser.goto(&app.url(path)).await.unwrap();
        }
        browser
            .wait()
            .for_element(Locator::Id("main"))
            .await
            .unwrap();
        out_of_order(&browser, true).await;
        assert_eq!(affected_rows(&browser).await, 2, "the two step-free visits");
        let kept_before = browser.find_all(Locator::Css("#kept tbody tr")).await;
        let kept_before = kept_before.unwrap().len();
        assert_eq!(kept_before, if lang == "en" { 2 } else { 0 });
        check_page(&browser, &format!("admin-desk-preview-{lang}")).await;
        click(&browser, "#keep-bookings").await;
        let notice = text_of(&browser, "#notice").await;
        assert!(notice.contains(kept), "{notice}");
        // Back in order for the other language's turn.
        out_of_order(&browser, false).await;
        text_of(&browser, "#notice").await;
    }
    browser.close().await;
}

#[tokio::test]
async fn reduced_hours_for_a_period_name_a_wrong_day_then_cancel_the_bookings_outside() {
    let app = spawn_app().await;
    app.clock.set(TUESDAY_MORNING.parse().unwrap());
    let citizens = afternoon_bookings(&app).await;
    let browser = at_raadhuset(&app, "da").await;
    assert_eq!(
        browser
            .find(Locator::Id("period_hours_thu"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("10:00-17:00"),
        "the period starts from the weekly hours"
    );
    set(&browser, "period_from", "2027-03-30").await;
    set(&browser, "period_to", "2027-04-02").await;
    set(&browser, "period_hours_tue", "10:00-12:00, 11:00-13:00").await;
    type_into(&browser, "period_reason", "Påskeferie").await;
    click(&browser, "#period-submit").await;
    let problem = text_of(&browser, "#period-problem").await;
    assert!(problem.contains("overlapper"), "{problem}");
    assert_refused(&browser, "period_hours_tue", "10:00-12:00, 11:00-13:00").await;
    check_page(&browser, "admin-period-error-da").await;

    set(&browser, "period_hours_tue", "10:00-12:00").await;
    click(&browser, "#period-submit").await;
    assert_eq!(
        affected_rows(&browser).await,
        2,
        "the two afternoon bookings"
    );
    check_page(&browser, "admin-period-preview-da").await;
    click(&browser, "#cancel-bookings").await;
    let saved = text_of(&browser, "#saved").await;
    assert!(saved.contains("2 bookinger er aflyst"), "{saved}");
    let closures = text_of(&browser, "#closures").await;
    assert!(
        closures.contains("åbent kun mandag 10:00–14:30; tirsdag 10:00–12:00;"),
        "{closures}"
    );
    check_page(&browser, "admin-period-saved-da").await;
    assert_eq!(
        apologised_to(&app, "Påskeferie"),
        citizens,
        "one apology to each citizen"
    );
    browser
        .goto(&app.url("/staff/admin/locations/raadhuset?lang=en"))
        .await
        .unwrap();
    let closures = text_of(&browser, "#closures").await;
    assert!(
        closures.contains("open only Monday 10:00–14:30; Tuesday 10:00–12:00;"),
        "{closures}"
    );
    check_page(&browser, "admin-period-saved-en").await;
    browser.close().await;
}

/// A browser signed in as the administrator on Rådhuset's capacity page in `lang`.
async fn at_capacity(app: &TestApp, lang: &str) -> Browser {
    let path = format!("/staff/admin/locations/raadhuset/capacity?lang={lang}");
    at_form(app, &path, "capacity-form").await
}

#[tokio::test]
async fn a_bad_capacity_is_named_on_its_field_in_danish() {
    let app = spawn_app().await;
    let browser = at_capacity(&app, "da").await;
    set(&browser, "desks_0", "0").await;
    click(&browser, "#capacity-submit").await;
    let problem = text_of(&browser, "#problem").await;
    assert!(problem.contains("Regel 1"), "{problem}");
    let error = text_of(&browser, "#desks_0-error").await;
    assert!(error.contains("Skriv et antal skranker"), "{error}");
    assert_refused(&browser, "desks_0", "0").await;
    check_page(&browser, "admin-capacity-error-da").await;
    browser.close().await;
}

#[tokio::test]
async fn of_two_tabs_saving_the_capacity_the_second_is_told_who_saved_first() {
    let app = spawn_app().await;
    app.clock.set(TUESDAY_MORNING.parse().unwrap());
    let (first, second) = (at_capacity(&app, "da").await, at_capacity(&app, "da").await);
    let tabs = [&first, &second];
    the_second_tab_is_told(tabs, "#capacity-submit", "from_0", ["10:30", "10:15"]).await;
    check_page(&second, "admin-capacity-stale-da").await;
    first.close().await;
    second.close().await;
}

#[tokio::test]
async fn a_capacity_cut_over_bookings_lists_them_and_cancel_mails_each_citizen() {
    let app = spawn_app().await;
    app.clock.set(TUESDAY_MORNING.parse().unwrap());
    // Both of Tuesday's desks booked at its first time: one desk fewer leaves one without.
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-30&to=2027-03-30")
        .await;
    let first = &slots[0];
    assert_eq!(first["available"], 2, "{first}");
    let emails = book_pas_at(&app, &[first, first]).await;
    let browser = at_capacity(&app, "da").await;
    set(&browser, "desks_0", "1").await;
    click(&browser, "#capacity-submit").await;
    assert_eq!(affected_rows(&browser).await, 1, "the one booked last");
    // Keeping it keeps it without a desk, and the one booking is one.
    let keep = text_of(&browser, "#keep-explained").await;
    assert!(keep.contains("uden en ledig skranke"), "{keep}");
    assert_eq!(
        text_of(&browser, "#cancel-bookings").await,
        "Aflys bookingen"
    );
    type_into(&browser, "reason", "Færre skranker").await;
    check_page(&browser, "admin-capacity-preview-da").await;
    click(&browser, "#cancel-bookings").await;
    let saved = text_of(&browser, "#saved").await;
    assert!(
        saved.contains("1 booking er aflyst, og borgeren"),
        "{saved}"
    );
    assert_eq!(
        apologised_to(&app, "Færre skranker"),
        [emails[1].clone()],
        "one apology, to the citizen booked last"
    );
    browser.close().await;
}

/// Opens the errand's own hours on the location's page, to fill in its form.
async fn open_errand(browser: &Browser, errand: &str) {
    let summary = Locator::Css(&format!("#errand-{errand} summary"));
    let summary = browser.wait().for_element(summary).await.unwrap();
    summary.click().await.unwrap();
}

#[tokio::test]
async fn an_errands_own_hours_are_set_on_the_location_page_and_a_wrong_one_is_named() {
    let app = spawn_app().await;
    app.clock.set(TUESDAY_MORNING.parse().unwrap());
    let browser = at_raadhuset(&app, "da").await;
    let pas = text_of(&browser, "#errand-pas-hours").await;
    assert_eq!(pas, "Følger lokationens åbningstider");
    open_errand(&browser, "pas").await;
    check_page(&browser, "admin-errand-hours-da").await;
    set(&browser, "eh-pas-wed", "10-12").await;
    click(&browser, "#errand-submit-pas").await;
    let problem = text_of(&browser, "#errand-problem").await;
    assert!(problem.contains("'10' er ikke et klokkeslæt"), "{problem}");
    assert_refused(&browser, "eh-pas-wed", "10-12").await;
    check_page(&browser, "admin-errand-hours-error-da").await;
    // Ranges that read well are checked as the organisation file's are: inside the hours.
    let path = "/staff/admin/locations/raadhuset?lang=da";
    browser.goto(&app.url(path)).await.unwrap();
    open_errand(&browser, "pas").await;
    set(&browser, "eh-pas-wed", "10:00-12:00").await;
    set(&browser, "eh-pas-thu", "09:00-12:00").await;
    click(&browser, "#errand-submit-pas").await;
    let problem = text_of(&browser, "#errand-problem").await;
    assert!(
        problem.contains("om torsdag skal ligge inden for"),
        "{problem}"
    );
    assert_refused(&browser, "eh-pas-thu", "09:00-12:00").await;

    set(&browser, "eh-pas-thu", "10:00-12:00, 13:00-15:00").await;
    click(&browser, "#errand-submit-pas").await;
    assert!(!text_of(&browser, "#saved").await.is_empty());
    let pas = text_of(&browser, "#errand-pas-hours").await;
    assert!(
        pas.contains("onsdag 10:00–12:00; torsdag 10:00–12:00, 13:00–15:00;"),
        "{pas}"
    );
    let read = app
        .client
        .get(app.url("/api/v1/admin/locations/raadhuset"))
        .bearer_auth(app.login("admin").await)
        .send()
        .await
        .unwrap();
    let read: Value = read.json().await.unwrap();
    let own = read["service_hours"].as_array().unwrap();
    let pas = own.iter().find(|sh| sh["service"] == "pas").unwrap();
    assert_eq!(pas["hours"]["thu"], json!(["10:00-12:00", "13:00-15:00"]));
    browser.close().await;
}

#[tokio::test]
async fn an_errands_shorter_hours_over_a_booking_show_it_before_it_is_saved() {
    let app = spawn_app().await;
    app.clock.set(TUESDAY_MORNING.parse().unwrap());
    // The building-permit errand's first Tuesday, two days' notice away, at 11:00.
    let slots = app
        .get_json(
            "/api/v1/locations/raadhuset/slots?service=byggesag&from=2027-04-06&to=2027-04-06",
        )
        .await;
    let eleven = slots
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["start"].as_str().unwrap()[11..16] == *"11:00");
    let response = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "byggesag", "start": eleven.unwrap()["start"],
            "citizen": {"name": "Bygherre", "email": "bygherre@example.org"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    for lang in ["da", "en"] {
        let browser = at_raadhuset(&app, lang).await;
        open_errand(&browser, "byggesag").await;
        set(&browser, "eh-byggesag-tue", "10:00-11:00").await;
        click(&browser, "#errand-submit-byggesag").await;
        assert_eq!(affected_rows(&browser).await, 1, "the booking at 11:00");
        let keep = text_of(&browser, "#keep-explained").await;
        let outside = [
            "uden for ærindets åbningstider",
            "outside the errand's opening hours",
        ];
        assert!(outside.iter().any(|o| keep.contains(o)), "{keep}");
        check_page(&browser, &format!("admin-errand-hours-preview-{lang}")).await;
        if lang == "en" {
            click(&browser, "#keep-bookings").await;
            let saved = text_of(&browser, "#saved").await;
            assert!(saved.contains("1 booking is kept"), "{saved}");
            let hours = text_of(&browser, "#errand-byggesag-hours").await;
            assert!(hours.contains("Tuesday 10:00–11:00;"), "{hours}");
        }
        browser.close().await;
    }
}
