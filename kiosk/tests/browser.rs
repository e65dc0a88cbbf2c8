//! The touch screen in headless Chromium: `skranke-kiosk serve` against the real server,
//! touched as a citizen would, checked with axe-core.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use fantoccini::Locator;
use skranke_kiosk::escpos;

#[allow(dead_code)]
#[path = "../../tests/support/browser.rs"]
mod browser;
#[allow(dead_code)]
#[path = "support/server.rs"]
mod support;

use browser::Browser;
use support::{start_server, start_server_on};

/// `skranke-kiosk serve` as a child process, stopped with the test.
struct Kiosk {
    child: Child,
    page: String,
    printed: PathBuf,
    _dir: tempfile::TempDir,
}

impl Kiosk {
    fn start(server: &str) -> Kiosk {
        let dir = tempfile::tempdir().unwrap();
        let printed = dir.path().join("printer.bin");
        let mut command = Command::new(env!("CARGO_BIN_EXE_skranke-kiosk"));
        for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("SKRANKE_KIOSK_")) {
            command.env_remove(name);
        }
        let mut child = command
            .args(["--server", server, "--location", "raadhuset"])
            .args(["--printer", printed.to_str().unwrap()])
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        // The kiosk names its page once it listens.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let page = line
            .trim()
            .strip_prefix("kiosk page on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line}"))
            .to_owned();
        Kiosk {
            child,
            page,
            printed,
            _dir: dir,
        }
    }
}

impl Drop for Kiosk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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
