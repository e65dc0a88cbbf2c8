//! The touch screen in headless Chromium: the kiosk's page served as `skranke-kiosk serve`
//! serves it, against the real server, touched as a citizen would, checked with axe-core.
//! (The binary's `serve` itself is tested in the kiosk's `cli` tests.)

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use fantoccini::Locator;
use skranke_kiosk::client::Client;
use skranke_kiosk::config::Language;
use skranke_kiosk::door::Door;
use skranke_kiosk::escpos;
use skranke_kiosk::printer::Printer;
use skranke_kiosk::ticket::Paper;
use skranke_kiosk::touch::Touch;

#[allow(dead_code)]
#[path = "../../kiosk/tests/support/server.rs"]
mod support;

use browser::Browser;
use support::{start_server, start_server_on};

/// The kiosk's touch mode with the defaults of `skranke-kiosk --server URL --location
/// raadhuset --printer FILE serve`, on a thread of the test; it prints to a file.
struct Kiosk {
    page: String,
    printed: PathBuf,
    _dir: tempfile::TempDir,
}

impl Kiosk {
    fn start(server: &str) -> Kiosk {
        let dir = tempfile::tempdir().unwrap();
        let printed = dir.path().join("printer.bin");
        let door = Door::new(
            Client::new(server.parse().unwrap()),
            "raadhuset".to_owned(),
            Some(Printer::new(printed.to_str().unwrap().parse().unwrap())),
            Paper::Mm80,
        );
        let touch = Touch::bind("127.0.0.1:0".parse().unwrap(), door, Language::Da).unwrap();
        let page = format!("http://{}/", touch.address().unwrap());
        // Serves until the test process ends, as the binary does until it is stopped.
        std::thread::spawn(move || touch.run());
        Kiosk {
            page,
            printed,
            _dir: dir,
        }
    }
}

async fn touch(browser: &Browser, service: &str) {
    browser
        .wait()
        .for_element(Locator::Css(&format!("button[data-service='{service}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn shown_number(browser: &Browser) -> String {
    browser
        .wait()
        .for_element(Locator::Css("#answer .number"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

fn assert_printed(path: &Path, number: &str) {
    let job = std::fs::read(path).expect("a print job");
    assert!(escpos::parse(&job).is_ok(), "valid ESC/POS for {number}");
}

#[tokio::test]
async fn a_touch_prints_a_ticket_and_shows_its_number() {
    let server = start_server();
    let kiosk = Kiosk::start(&server.base);
    let browser = Browser::start().await;
    browser.goto(&kiosk.page).await.unwrap();
    touch(&browser, "vejledning").await;
    browser.assert_accessible("kiosk menu").await;

    let number = shown_number(&browser).await;
    assert!(number.len() == 4 && number.ends_with("001"), "{number}");
    assert_printed(&kiosk.printed, &number);
    browser.assert_accessible("kiosk ticket").await;

    // Back to the menu, in English this time.
    browser
        .find(Locator::XPath("//button[normalize-space()='Tilbage']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .find(Locator::Id("language"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = browser
        .find(Locator::Id("heading"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, "What is your errand today?");
    touch(&browser, "vejledning").await;
    assert!(shown_number(&browser).await.ends_with("002"));
    browser.close().await;
}

#[tokio::test]
async fn an_errand_done_online_shows_its_link_and_still_helps() {
    let server = start_server();
    let kiosk = Kiosk::start(&server.base);
    let browser = Browser::start().await;
    browser.goto(&kiosk.page).await.unwrap();
    touch(&browser, "sundhedskort").await;
    let help = browser
        .wait()
        .for_element(Locator::XPath(
            "//button[normalize-space()='Jeg har brug for hjælp']",
        ))
        .await
        .unwrap();
    browser
        .find(Locator::Css("#answer .qr svg"))
        .await
        .expect("a QR code to the self-service");
    assert!(!kiosk.printed.exists(), "nothing printed for a link");
    browser.assert_accessible("kiosk self-service answer").await;

    help.click().await.unwrap();
    let number = shown_number(&browser).await;
    assert_printed(&kiosk.printed, &number);
    browser.close().await;
}

#[tokio::test]
async fn the_kiosk_says_when_the_server_is_away_and_recovers_by_itself() {
    // The address is chosen first; the server comes only later.
    let reserved = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = reserved.local_addr().unwrap();
    drop(reserved);
    let kiosk = Kiosk::start(&format!("http://{address}"));
    let browser = Browser::start().await;
    browser.goto(&kiosk.page).await.unwrap();
    let trouble = browser
        .wait()
        .for_element(Locator::Css("#trouble:not([hidden])"))
        .await
        .unwrap();
    assert!(trouble.text().await.unwrap().contains("forbindelse"));
    browser.assert_accessible("kiosk without server").await;

    let _server = start_server_on(TcpListener::bind(address).unwrap());
    touch(&browser, "vejledning").await;
    assert!(shown_number(&browser).await.ends_with("001"));
    assert!(browser.find(Locator::Css("#trouble[hidden]")).await.is_ok());
    browser.close().await;
}
