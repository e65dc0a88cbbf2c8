//! Steps the page tests share: filling in a form and signing in as a person does.

use fantoccini::Locator;

use crate::helpers::{TestApp, PASSWORD};
use browser::Browser;

/// Opens `path`, which sends a browser without a session to the sign-in form, signs in
/// there as `user`, and waits until the page it returns to shows `landed` (a CSS selector).
pub(crate) async fn sign_in(
    browser: &Browser,
    app: &TestApp,
    path: &str,
    user: &str,
    landed: &str,
) {
    browser.goto(&app.url(path)).await.unwrap();
    sign_in_here(browser, user).await;
    browser
        .wait()
        .for_element(Locator::Css(landed))
        .await
        .unwrap();
}

/// Signs in on the sign-in form the browser is on (or is about to show), as `user`.
pub(crate) async fn sign_in_here(browser: &Browser, user: &str) {
    submit_sign_in(browser, user, PASSWORD).await;
}

/// Fills in the sign-in form the browser is on (or is about to show) and sends it.
pub(crate) async fn submit_sign_in(browser: &Browser, user: &str, password: &str) {
    fill_in_and_send(
        browser,
        &[("username", user), ("password", password)],
        "button[type=submit]",
    )
    .await;
}

/// Types each value into the field of that id (waiting for the form to be shown), then
/// clicks the button `send` (a CSS selector).
pub(crate) async fn fill_in_and_send(browser: &Browser, fields: &[(&str, &str)], send: &str) {
    for &(field, value) in fields {
        type_into(browser, field, value).await;
    }
    browser
        .find(Locator::Css(send))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Clicks the element `css` selects, once the page shows it.
pub(crate) async fn click(browser: &Browser, css: &str) {
    browser
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css} on the page"))
        .click()
        .await
        .unwrap();
}

/// The text of the element `css` selects, once the page shows it.
pub(crate) async fn text_of(browser: &Browser, css: &str) -> String {
    browser
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css} on the page"))
        .text()
        .await
        .unwrap()
}

/// Types `text` into the field of that id, once the page shows it.
pub(crate) async fn type_into(browser: &Browser, id: &str, text: &str) {
    browser
        .wait()
        .for_element(Locator::Id(id))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// Follows the receipt's link to the booking's own page, and waits until it is shown.
pub(crate) async fn open_manage_page(browser: &Browser) {
    browser
        .find(Locator::Id("manage"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Id("cancel"))
        .await
        .unwrap();
}

/// The booking's reference, once the receipt shows it.
pub(crate) async fn shown_reference(browser: &Browser) -> String {
    text_of(browser, "#reference").await
}
