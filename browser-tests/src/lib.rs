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
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

use std::collections::BTreeSet;

use fantoccini::error::CmdError;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use url::ParseError;

/// axe-core 4.14 (MPL-2.0, see axe-LICENSE beside it), injected into each page under test.
const AXE: &str = include_str!("axe.min.js");

/// The WCAG 2.0, 2.1 and 2.2 rules at levels A and AA: the bar the pages are held to.
const WCAG_AA: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// The size of a browser's window when a test starts with it, in CSS pixels.
const WINDOW: (u32, u32) = (1280, 900);

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

/// A chromedriver, its Chromium and the one WebDriver session between them, kept while the
/// test process runs: starting Chromium costs about a second of processor time, so a test
/// that is done with its browser hands it to the next test (see [`Browser::close`]).
/// chromedriver leads a process group of its own, which its Chromium's processes join, so
/// that the whole browser is ended at once.
struct Session {
    driver: Child,
    port: u16,
    id: String,
    _profile: tempfile::TempDir,
}

impl Session {
    fn webdriver(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Ends chromedriver and every Chromium process it started.
    fn end(mut self) {
        end_group(self.driver.id());
        let _ = self.driver.wait();
    }
}

/// Sessions no test holds now.
static IDLE: Mutex<Vec<Session>> = Mutex::new(Vec::new());
/// Every chromedriver started and not yet ended, as its process group and the profile its
/// Chromium writes in: what [`end_all_at_exit`] ends and removes when the test process
/// exits, held or idle.
static LIVE: Mutex<Vec<(u32, PathBuf)>> = Mutex::new(Vec::new());

fn live() -> std::sync::MutexGuard<'static, Vec<(u32, PathBuf)>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

fn kill_group(group: u32) {
    // SAFETY: kill(2) with a negative pid signals a process group; it touches no memory.
    unsafe { libc::kill(-(group as libc::pid_t), libc::SIGKILL) };
}

/// Ends a chromedriver's process group; its profile goes with its [`Session`].
fn end_group(group: u32) {
    kill_group(group);
    live().retain(|&(g, _)| g != group);
}

/// Registered once: the idle sessions live in a static, which is never dropped, and their
/// browsers and profiles must not outlive the test process.
extern "C" fn end_all_at_exit() {
    for (group, profile) in live().drain(..) {
        kill_group(group);
        let _ = std::fs::remove_dir_all(profile);
    }
}

/// A browser for one test: a session of its own while the test holds it, handed on without
/// what the test's pages stored in it (see [`Browser::close`]).
pub struct Browser {
    client: Client,
    session: Option<Session>,
    /// The origins this browser was sent to, whose storage is cleared when it is handed on.
    origins: Mutex<BTreeSet<String>>,
}

/// A Chrome DevTools command, through chromedriver.
#[derive(Debug)]
struct DevTools {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

impl Browser {
    /// An idle session, or a new one.
    pub async fn start() -> Browser {
        let idle = IDLE.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let session = match idle {
            Some(session) => session,
            None => Self::launch().await,
        };
        let client =
            Client::with_existing_session(&session.webdriver(), &session.id, HttpConnector::new())
                .await
                .expect("the Chromium session");
        Browser {
            client,
            session: Some(session),
            origins: Mutex::default(),
        }
    }

    /// Opens `url`, as [`Client::goto`] does, and notes its origin (see [`Browser::close`]).
    pub async fn goto(&self, url: &str) -> Result<(), CmdError> {
        self.note_origin(url);
        self.client.goto(url).await
    }

    fn note_origin(&self, url: &str) {
        if let Ok(url) = url::Url::parse(url) {
            if url.scheme().starts_with("http") {
                let origin = url.origin().ascii_serialization();
                self.origins.lock().unwrap().insert(origin);
            }
        }
    }

    async fn dev_tools(&self, cmd: &'static str, params: Value) -> Result<(), CmdError> {
        self.client
            .issue_cmd(DevTools { cmd, params })
            .await
            .map(drop)
    }

    async fn launch() -> Session {
        static AT_EXIT: std::sync::Once = std::sync::Once::new();
        AT_EXIT.call_once(|| {
            // SAFETY: registers a function that only sends signals.
            unsafe { libc::atexit(end_all_at_exit) };
        });
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
        let profile = tempfile::tempdir().expect("a profile directory");
        let mut driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            // Chromium's own temporary files go into the profile, and with it.
            .env("TMPDIR", profile.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "page tests need ChromeDriver ({chromedriver}: {e}); apt-get install \
                     chromium-driver, or set SKRANKE_CHROMEDRIVER"
                )
            });
        live().push((driver.id(), profile.path().to_owned()));
        wait_until_started(&mut driver);

        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    format!("--window-size={},{}", WINDOW.0, WINDOW.1),
                    // A Danish citizen's browser: the pages follow its Accept-Language.
                    "--lang=da-DK",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": { "intl.accept_languages": "da-DK,da" }
            }
        });
        let webdriver = format!("http://127.0.0.1:{port}");
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.as_object().unwrap().clone())
            .connect(&webdriver)
            .await
            .expect("a Chromium session");
        let id = client
            .session_id()
            .await
            .expect("the session's id")
            .expect("a session id");
        // The session outlives this client: each test's browser is a client of its own.
        client.persist().await.expect("the session kept");
        Session {
            driver,
            port,
            id,
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

    /// Hands the browser to the next test that starts one, as a new one would be: it leaves
    /// the page for a blank one (ending its scripts and streams), forgets every cookie and
    /// what the pages it was sent to stored, and takes its first size again. A browser that
    /// cannot is ended instead, as is one whose test failed (see `Drop`).
    pub async fn close(mut self) {
        let Some(session) = self.session.take() else {
            return;
        };
        let reset = async {
            let here = self.client.current_url().await?;
            self.note_origin(here.as_str());
            self.client.goto("about:blank").await?;
            self.dev_tools("Network.clearBrowserCookies", json!({}))
                .await?;
            let origins = std::mem::take(&mut *self.origins.lock().unwrap());
            for origin in origins {
                let params = json!({ "origin": origin, "storageTypes": "all" });
                self.dev_tools("Storage.clearDataForOrigin", params).await?;
            }
            self.client.set_window_size(WINDOW.0, WINDOW.1).await?;
            self.client.persist().await
        };
        match reset.await {
            Ok(()) => IDLE.lock().unwrap_or_else(|e| e.into_inner()).push(session),
            Err(_) => session.end(),
        }
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
        // A failed test never reaches `close`: its browser, in whatever state the test left
        // it, is ended with chromedriver rather than handed on, and nothing of it outlives
        // the test.
        if let Some(session) = self.session.take() {
            session.end();
        }
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
