//! A headless Chromium for page tests, driven over WebDriver (chromedriver + fantoccini),
//! with axe-core for accessibility checks. The tests are in `tests/`: `pages` for the
//! server's pages, `kiosk` for the kiosk's touch screen.
//!
//! Chromium and ChromeDriver come from the system (Debian: `apt-get install chromium
//! chromium-driver`); `SKRANKE_CHROMIUM` and `SKRANKE_CHROMEDRIVER` name other binaries.
//! A missing browser fails the test with that advice: a page test never passes unrun.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::ops::Deref;
use std::process::{Child, Command, Stdio};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// axe-core 4.14 (MPL-2.0, see axe-LICENSE beside it), injected into each page under test.
const AXE: &str = include_str!("axe.min.js");

/// The WCAG 2.0, 2.1 and 2.2 rules at levels A and AA: the bar the pages are held to.
const WCAG_AA: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// The widths every page is looked at: a phone's and a desktop's, in CSS pixels.
pub const WIDTHS: [u32; 2] = [390, 1366];

/// Whether this run checks how the pages look: axe-core, the size of targets, the width of
/// the page, and the screenshots. A page looks the same whichever database it reads, so the
/// run on SQLite checks it and the run on PostgreSQL (`SKRANKE_TEST_DATABASE_URL` set, as
/// the integration tests take it) is there for the data path only: there the checks pass
/// unmade and the pictures, which would be the same, are not taken again.
fn looks_checked() -> bool {
    std::env::var("SKRANKE_TEST_DATABASE_URL").map_or(true, |url| url.is_empty())
}

/// One browser session with its own chromedriver and profile; both end with it.
pub struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> Browser {
        let chromium =
            std::env::var("SKRANKE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let chromedriver =
            std::env::var("SKRANKE_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        assert!(
            std::path::Path::new(&chromium).exists(),
            "page tests need Chromium at {chromium} (apt-get install chromium chromium-driver, \
             or set SKRANKE_CHROMIUM)"
        );
        let port = free_port();
        let mut driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "page tests need ChromeDriver ({chromedriver}: {e}); apt-get install \
                     chromium-driver, or set SKRANKE_CHROMEDRIVER"
                )
            });
        wait_until_started(&mut driver);

        let profile = tempfile::tempdir().expect("a profile directory");
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    // A Danish citizen's browser: the pages follow its Accept-Language.
                    "--lang=da-DK",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": { "intl.accept_languages": "da-DK,da" }
            }
        });
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.as_object().unwrap().clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session");
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    /// Runs axe-core's WCAG 2.2 AA rules on the current page and fails the test with the
    /// list of violations, if any (on SQLite: see [`looks_checked`]).
    pub async fn assert_accessible(&self, page: &str) {
        if !looks_checked() {
            return;
        }
        // Injected once per page: the same page looked at again, at another width, has it.
        let axe = "return typeof axe;";
        let mut loaded = self
            .client
            .execute(axe, vec![])
            .await
            .expect("a script ran");
        if loaded != json!("object") {
            loaded = self
                .client
                .execute(&format!("{AXE}\n{axe}"), vec![])
                .await
                .expect("axe-core injected");
        }
        assert_eq!(loaded, json!("object"), "axe-core did not load on {page}");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: arguments[0] } })
                    .then(r => done(r.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' ')) }))))
                    .catch(e => done({ error: String(e) }));",
                vec![json!(WCAG_AA)],
            )
            .await
            .expect("axe-core ran");
        let violations = match result {
            Value::Array(list) => list,
            other => panic!("axe-core failed on {page}: {other}"),
        };
        assert!(
            violations.is_empty(),
            "accessibility violations on {page}:\n{}",
            serde_json::to_string_pretty(&violations).unwrap()
        );
    }

    /// Fails unless every target on the page — links, buttons, the labels of radio buttons
    /// and checkboxes, fields — is at least 44 × 44 px as laid out; a link inside a sentence is exempt, as
    /// WCAG 2.5.8 exempts it (on SQLite: see [`looks_checked`]).
    pub async fn assert_targets_large(&self, page: &str) {
        if !looks_checked() {
            return;
        }
        let small = self
            .client
            .execute(
                "return [...document.querySelectorAll(
                    'a, button, .form-group-radio label, .form-group-checkbox label, input:not([type=hidden]):not(.form-radio):not(.form-checkbox), select, textarea')]
                  .filter(e => e.getClientRects().length > 0)
                  .filter(e => !(e.tagName === 'A' && e.parentElement
                      && e.parentElement.textContent.trim() !== e.textContent.trim()))
                  .filter(e => { const r = e.getBoundingClientRect();
                      return r.width < 44 || r.height < 44; })
                  .filter(e => !e.classList.contains('skipnav'))
                  .map(e => { const r = e.getBoundingClientRect();
                      return `${Math.round(r.width)}x${Math.round(r.height)} ${e.outerHTML.slice(0, 100)}`; });",
                vec![],
            )
            .await
            .expect("the layout was read");
        assert_eq!(small, json!([]), "targets under 44 x 44 px on {page}");
    }

    /// Lays the page out `width` px wide and saves a picture of all of it as
    /// `target/screenshots/NAME.png` (or under `SKRANKE_SCREENSHOTS`), for a person to look at;
    /// the window keeps that width afterwards (on PostgreSQL it only takes it: see
    /// [`looks_checked`]).
    pub async fn screenshot(&self, width: u32, name: &str) {
        self.client
            .set_window_size(width, 900)
            .await
            .expect("the window resized");
        if !looks_checked() {
            return;
        }
        let height = self
            .client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .expect("the page's height was read")
            .as_u64()
            .unwrap_or(900)
            .clamp(600, 6000) as u32;
        self.client
            .set_window_size(width, height)
            .await
            .expect("the window resized");
        self.save_screenshot(name).await;
        self.client
            .set_window_size(width, 900)
            .await
            .expect("the window resized");
    }

    /// Looks at the page as its readers will: at a phone's and a desktop's width (see
    /// [`WIDTHS`]) it is photographed as `NAME-390` and `NAME-1366`, checked by axe-core and
    /// checked for targets of at least 44 × 44 px. `page` names it in a failure.
    pub async fn look_at(&self, page: &str, name: &str) {
        for width in WIDTHS {
            self.screenshot(width, &format!("{name}-{width}")).await;
            let at = format!("{page} at {width} px");
            self.assert_accessible(&at).await;
            self.assert_targets_large(&at).await;
        }
    }

    /// Asserts that at `width` px the page is no wider than the window (no sideways scroll),
    /// naming the elements that stick out when it is. `page` names it in a failure. The
    /// window keeps that width; on PostgreSQL nothing else is done (see [`looks_checked`]).
    pub async fn assert_fits(&self, width: u32, page: &str) {
        self.client
            .set_window_size(width, 900)
            .await
            .expect("the window resized");
        if !looks_checked() {
            return;
        }
        let wider = self
            .client
            .execute(
                "const w = document.documentElement.clientWidth;
                 if (document.documentElement.scrollWidth <= w) return [];
                 return [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > w + 1)
                   .slice(0, 8)
                   .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (e.className && e.className.baseVal === undefined ? '.' + e.className.split(' ').join('.') : '')
                     + ' ' + Math.round(e.getBoundingClientRect().right));",
                vec![],
            )
            .await
            .expect("the page's width was read");
        assert_eq!(
            wider,
            json!([]),
            "{page} at {width} px is wider than the window"
        );
    }

    /// Photographs the page at both [`WIDTHS`] as `NAME-390` and `NAME-1366`, for a person
    /// to look at, checking nothing: for a page whose checks are made elsewhere.
    pub async fn photograph(&self, name: &str) {
        for width in WIDTHS {
            self.screenshot(width, &format!("{name}-{width}")).await;
        }
    }

    /// Saves a picture of the screen as it is now, at the window's size, as
    /// [`screenshot`](Self::screenshot) does: for a screen of a fixed size, like the kiosk's.
    pub async fn save_screenshot(&self, name: &str) {
        if !looks_checked() {
            return;
        }
        let png = self.client.screenshot().await.expect("a screenshot");
        let dir = std::env::var_os("SKRANKE_SCREENSHOTS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots")
            });
        std::fs::create_dir_all(&dir).expect("the screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("the screenshot saved");
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Deref for Browser {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A failed test never reaches `close`; the driver (and its Chromium) must not outlive it.
        let _ = self.driver.kill();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// ChromeDriver prints one line once it listens; reading it is the readiness signal.
fn wait_until_started(driver: &mut Child) {
    let stdout = driver.stdout.take().expect("chromedriver's stdout");
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line.expect("chromedriver's output");
        if line.contains("started successfully") {
            // Keep draining so that chromedriver never blocks on a full pipe.
            std::thread::spawn(move || lines.for_each(drop));
            return;
        }
    }
    panic!("chromedriver exited before it started listening");
}
