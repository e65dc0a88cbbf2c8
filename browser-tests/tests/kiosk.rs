//! The touch screen in headless Chromium on a portrait screen of 1080 × 1920 px: the
//! kiosk's page served as `skranke-kiosk serve` serves it, against the real server,
//! touched (and scanned) as a citizen would, in Danish and English, checked with axe-core
//! and from its layout, and photographed into `target/screenshots/kiosk-*.png`.
//! (The binary's `serve` itself is tested in the kiosk's `cli` tests.)

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset, Utc};
use fantoccini::Locator;
use serde_json::{json, Value};
use skranke_kiosk::client::Client;
use skranke_kiosk::config::Language;
use skranke_kiosk::door::Door;
use skranke_kiosk::escpos;
use skranke_kiosk::printer::Printer;
use skranke_kiosk::ticket::Paper;
use skranke_kiosk::touch::Touch;

#[path = "../../tests/api/english_markers.rs"]
mod english_markers;
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
        Kiosk::with_printer(server, true)
    }

    fn with_printer(server: &str, printer: bool) -> Kiosk {
        let dir = tempfile::tempdir().unwrap();
        let printed = dir.path().join("printer.bin");
        let door = Door::new(
            Client::new(server.parse().unwrap()),
            "raadhuset".to_owned(),
            printer.then(|| Printer::new(printed.to_str().unwrap().parse().unwrap())),
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

/// The kiosk's screen, on its page, the menu loaded.
async fn portrait(kiosk: &Kiosk) -> Browser {
    let browser = Browser::start().await;
    browser.set_window_size(1080, 1920).await.unwrap();
    // The window's frame takes some of its height; the screen itself is 1920 px high.
    let inner = browser
        .execute("return innerHeight;", vec![])
        .await
        .unwrap();
    let frame = 1920 - inner.as_u64().unwrap() as u32;
    browser.set_window_size(1080, 1920 + frame).await.unwrap();
    browser.goto(&kiosk.page).await.unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#menu button.errand"))
        .await
        .unwrap();
    browser
}

/// axe-core's WCAG 2.2 AA rules and every target at least 44 × 44 px, then a picture.
async fn check_and_photograph(browser: &Browser, name: &str) {
    browser.assert_accessible(name).await;
    browser.assert_targets_large(name).await;
    browser.save_screenshot(name).await;
}

async fn text_of(browser: &Browser, css: &str) -> String {
    browser
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

async fn press(browser: &Browser, label: &str) {
    browser
        .wait()
        .for_element(Locator::XPath(&format!(
            "//button[normalize-space()='{label}']"
        )))
        .await
        .unwrap_or_else(|e| panic!("no button '{label}': {e}"))
        .click()
        .await
        .unwrap();
}

async fn switch_language(browser: &Browser) {
    browser
        .find(Locator::Id("language"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Fails on a time written for machines rather than people: RFC 3339, an offset, UTC.
fn assert_local_times_only(text: &str) {
    for machine in ["T0", "T1", "T2", "+01:00", "+02:00", "UTC", "Z "] {
        assert!(!text.contains(machine), "'{machine}' on the screen: {text}");
    }
}

/// What a QR scanner does: types the text fast, then Enter.
async fn scan(browser: &Browser, text: &str) {
    browser
        .execute(
            "for (const key of arguments[0]) {
                 document.dispatchEvent(new KeyboardEvent('keydown', { key }));
             }
             document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));",
            vec![json!(text)],
        )
        .await
        .unwrap();
}

/// Books the first free passport time of Wednesday through the API; its manage link is
/// what the confirmation's QR code holds.
async fn book_a_passport(server: &str) -> (String, DateTime<FixedOffset>) {
    let client = reqwest::Client::new();
    let slots: Value = client
        .get(format!(
            "{server}/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let start = slots[0]["start"].as_str().unwrap().to_owned();
    let booking: Value = client
        .post(format!("{server}/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "start": start,
            "citizen": {"name": "Kiosk Borger", "email": "kiosk@example.dk"}
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let starts = DateTime::parse_from_rfc3339(&start).unwrap();
    (booking["manage_url"].as_str().unwrap().to_owned(), starts)
}

/// A kiosk of a fresh server, with or without a printer, its menu shown and `service`
/// pressed; the server lives as long as what is returned.
async fn errand_pressed(service: &str, printer: bool) -> (support::Server, Kiosk, Browser) {
    let server = start_server();
    let kiosk = Kiosk::with_printer(&server.base, printer);
    let browser = portrait(&kiosk).await;
    touch(&browser, service).await;
    (server, kiosk, browser)
}

async fn touch(browser: &Browser, service: &str) {
    touch_css(browser, &format!("button[data-service='{service}']")).await;
}

/// Touches what `css` finds, once it is there.
async fn touch_css(browser: &Browser, css: &str) {
    browser
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("nothing to touch at {css}: {e}"))
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
async fn the_menu_fills_the_portrait_screen_in_the_municipalitys_colours() {
    let server = start_server();
    let kiosk = Kiosk::start(&server.base);
    let browser = portrait(&kiosk).await;
    assert_eq!(text_of(&browser, "#heading").await, "Hvad skal du i dag?");
    assert_eq!(
        text_of(&browser, "#municipality").await,
        "Høje-Taastrup Kommune"
    );
    let headings = browser.find_all(Locator::Css(".group h2")).await.unwrap();
    let mut names = Vec::new();
    for heading in headings {
        names.push(heading.text().await.unwrap());
    }
    assert_eq!(
        names,
        ["Borgerservice", "Byg og Miljø"],
        "a heading per department"
    );
    let scan = text_of(&browser, "#scan").await;
    assert!(
        scan.contains("Har du en tid?") && scan.contains("QR-koden"),
        "{scan}"
    );
    let pas = text_of(&browser, "button[data-service='pas']").await;
    assert!(
        pas.contains("Kræver tidsbestilling — vi viser dig de næste ledige tider"),
        "{pas}"
    );
    let card = text_of(&browser, "button[data-service='sundhedskort']").await;
    assert!(
        card.contains("Klares på nettet — vi kan hjælpe dig"),
        "{card}"
    );
    let guidance = text_of(&browser, "button[data-service='vejledning']").await;
    assert!(guidance.contains("Tag nummer"), "{guidance}");

    let layout = browser
        .execute(
            "const px = (css) => parseFloat(getComputedStyle(document.querySelector(css)).fontSize);
             const logo = document.getElementById('logo');
             return {
               overflow: document.documentElement.scrollHeight - innerHeight,
               scanBottom: document.getElementById('scan').getBoundingClientRect().bottom / innerHeight,
               lastErrandBottom: [...document.querySelectorAll('.errand')].pop()
                 .getBoundingClientRect().bottom / innerHeight,
               errandName: px('.errand-name'), action: px('.errand-action'), body: px('body'),
               logo: logo.complete && logo.naturalWidth > 0 && !logo.hidden,
               brand: getComputedStyle(document.querySelector('.bar')).backgroundColor,
             };",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        layout["overflow"].as_f64().unwrap() <= 0.0,
        "nothing to scroll for: {layout}"
    );
    assert!(layout["scanBottom"].as_f64().unwrap() > 0.95, "{layout}");
    assert!(
        layout["lastErrandBottom"].as_f64().unwrap() > 0.75,
        "the errands fill the screen: {layout}"
    );
    // Read from a metre away: no text under 24 px, the errands' names far larger.
    assert!(layout["errandName"].as_f64().unwrap() >= 36.0, "{layout}");
    assert!(layout["action"].as_f64().unwrap() >= 24.0, "{layout}");
    assert!(layout["body"].as_f64().unwrap() >= 24.0, "{layout}");
    assert_eq!(layout["logo"], true, "the municipality's logo: {layout}");
    assert_eq!(
        layout["brand"], "rgb(26, 86, 50)",
        "the brand colour: {layout}"
    );
    check_and_photograph(&browser, "kiosk-menu-da").await;

    switch_language(&browser).await;
    assert_eq!(
        text_of(&browser, "#heading").await,
        "What is your errand today?"
    );
    let pas = text_of(&browser, "button[data-service='pas']").await;
    assert!(
        pas.contains("Passport") && pas.contains("Needs a booking"),
        "{pas}"
    );
    assert!(text_of(&browser, "#scan")
        .await
        .contains("Do you have a booking?"));
    check_and_photograph(&browser, "kiosk-menu-en").await;
    browser.close().await;
}

#[tokio::test]
async fn a_touch_prints_a_ticket_and_shows_its_number() {
    let (_server, kiosk, browser) = errand_pressed("vejledning", true).await;

    let number = shown_number(&browser).await;
    assert!(number.len() == 4 && number.ends_with("001"), "{number}");
    assert_printed(&kiosk.printed, &number);
    assert_eq!(
        text_of(&browser, "#answer .remember").await,
        "Tag din billet nedenfor."
    );
    check_and_photograph(&browser, "kiosk-ticket-da").await;

    // Back to the menu, in English this time.
    press(&browser, "Tilbage").await;
    switch_language(&browser).await;
    touch(&browser, "vejledning").await;
    assert!(shown_number(&browser).await.ends_with("002"));
    assert_eq!(
        text_of(&browser, "#answer .remember").await,
        "Take your ticket below."
    );
    check_and_photograph(&browser, "kiosk-ticket-en").await;
    browser.close().await;
}

#[tokio::test]
async fn without_a_printer_the_number_is_shown_large_to_remember() {
    let (_server, kiosk, browser) = errand_pressed("vejledning", false).await;
    assert!(shown_number(&browser).await.ends_with("001"));
    let remember = text_of(&browser, "#answer .remember").await;
    assert!(remember.starts_with("Husk dit nummer"), "{remember}");
    let size = browser
        .execute(
            "return parseFloat(getComputedStyle(document.querySelector('#answer .number')).fontSize);",
            vec![],
        )
        .await
        .unwrap();
    assert!(size.as_f64().unwrap() >= 150.0, "a large number: {size}");
    assert!(!kiosk.printed.exists(), "no printer, no print");
    check_and_photograph(&browser, "kiosk-no-printer-da").await;
    browser.close().await;
}

#[tokio::test]
async fn a_booking_only_errand_shows_the_next_times_a_code_to_book_it_and_a_way_out() {
    let (_server, kiosk, browser) = errand_pressed("pas", true).await;
    assert_eq!(
        text_of(&browser, "#answer h2").await,
        "Pas kræver tidsbestilling"
    );
    let times = text_of(&browser, "#answer .times").await;
    assert!(times.lines().count() >= 1, "{times}");
    assert!(times.contains("kl. "), "{times}");
    assert_local_times_only(&text_of(&browser, "#answer").await);
    browser
        .find(Locator::Css("#answer .qr svg"))
        .await
        .expect("a QR code to book the errand");
    assert!(!kiosk.printed.exists(), "nothing printed for a booking");
    check_and_photograph(&browser, "kiosk-booking-da").await;

    // The whole answer changes language, not only the heading.
    switch_language(&browser).await;
    assert_eq!(
        text_of(&browser, "#answer h2").await,
        "Passport needs a booking"
    );
    let times = text_of(&browser, "#answer .times").await;
    assert!(!times.contains("kl. "), "{times}");
    let answer = text_of(&browser, "#answer").await;
    assert!(answer.contains("The next free times"), "{answer}");
    assert_local_times_only(&answer);
    check_and_photograph(&browser, "kiosk-booking-en").await;

    press(&browser, "I need help").await;
    let number = shown_number(&browser).await;
    assert!(
        number.starts_with('P'),
        "an assisted ticket for the errand: {number}"
    );
    assert_printed(&kiosk.printed, &number);
    browser.close().await;
}

#[tokio::test]
async fn the_booking_code_opens_booking_of_that_errand_at_that_place() {
    let server = start_server();
    let kiosk = Kiosk::start(&server.base);
    let client = reqwest::Client::new();
    let answer: Value = client
        .post(format!("{}api/ticket", kiosk.page))
        .json(&json!({"service": "pas"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["outcome"], "booking_required", "{answer}");
    let url = url::Url::parse(answer["booking_url"].as_str().unwrap()).unwrap();
    assert_eq!(url.path(), "/book");
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert!(
        query.contains(&("location".into(), "raadhuset".into())),
        "{url}"
    );
    assert!(query.contains(&("service".into(), "pas".into())), "{url}");
    for lang in ["da", "en"] {
        assert!(
            answer["qr_svg"][lang].as_str().unwrap().contains("<svg"),
            "{lang}"
        );
    }
    // The page it opens is the booking's day step for passports.
    let page = client.get(format!("{}&lang=da", url)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Pas"));
}

#[tokio::test]
async fn an_errand_done_online_shows_its_link_and_still_helps() {
    let (_server, kiosk, browser) = errand_pressed("sundhedskort", true).await;
    assert_eq!(
        text_of(&browser, "#answer h2").await,
        "Sundhedskort klarer du selv på nettet"
    );
    browser
        .find(Locator::Css("#answer .qr svg"))
        .await
        .expect("a QR code to the self-service");
    assert!(!kiosk.printed.exists(), "nothing printed for a link");
    check_and_photograph(&browser, "kiosk-self-service-da").await;
    switch_language(&browser).await;
    assert_eq!(
        text_of(&browser, "#answer h2").await,
        "Health insurance card is done online, by yourself"
    );
    check_and_photograph(&browser, "kiosk-self-service-en").await;
    switch_language(&browser).await;

    press(&browser, "Jeg har brug for hjælp").await;
    let number = shown_number(&browser).await;
    assert_printed(&kiosk.printed, &number);
    browser.close().await;
}

#[tokio::test]
async fn a_scanned_booking_is_checked_in_and_too_early_is_said_in_local_time() {
    let server = start_server();
    let (manage_url, starts) = book_a_passport(&server.base).await;
    let kiosk = Kiosk::start(&server.base);
    let browser = portrait(&kiosk).await;

    // A day early: the answer names the local time the check-in opens, in Danish.
    scan(&browser, &manage_url).await;
    let early = text_of(&browser, "#answer h2").await;
    // The slot's own offset is Copenhagen's: its clock time is the local one.
    let opens = (starts - Duration::minutes(30)).format("%H:%M").to_string();
    assert!(
        early.starts_with("Du er kommet tidligt. Du kan tjekke ind fra onsdag 31. marts kl. ")
            && early.ends_with(&format!("{opens}.")),
        "{early}"
    );
    assert_local_times_only(&early);
    check_and_photograph(&browser, "kiosk-check-in-early-da").await;
    switch_language(&browser).await;
    let early = text_of(&browser, "#answer h2").await;
    assert!(
        early.contains("You can check in from Wednesday 31 March, "),
        "{early}"
    );
    switch_language(&browser).await;
    press(&browser, "Tilbage").await;

    server
        .clock
        .set((starts - Duration::minutes(10)).with_timezone(&Utc));
    scan(&browser, &manage_url).await;
    assert_eq!(
        text_of(&browser, "#answer h2").await,
        "Du er tjekket ind. Velkommen."
    );
    let number = shown_number(&browser).await;
    assert!(number.starts_with('P'), "{number}");
    assert_printed(&kiosk.printed, &number);
    check_and_photograph(&browser, "kiosk-check-in-da").await;
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

/// Ticks a choice on the screen of several errands, as a finger does: on its label.
async fn tick(browser: &Browser, id: &str) {
    touch_css(browser, &format!("label:has(#{id})")).await;
}

/// The location's queue as a clerk reads it through the API, named in `lang`.
async fn queue_as_staff(server: &support::Server, lang: &str) -> Vec<Value> {
    const PASSWORD: &str = "skranke-kiosk-test-1";
    skranke::app::auth::set_password(&mut server.pool.get().unwrap(), "staff", PASSWORD).unwrap();
    let client = reqwest::Client::new();
    let login: Value = client
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&json!({"username": "staff", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    client
        .get(format!(
            "{}/api/v1/locations/raadhuset/queue?lang={lang}",
            server.base
        ))
        .bearer_auth(login["token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// A visit as the queue shows it: its errands as (slug, how many), its needs as (kind, detail).
type VisitSeen = (Vec<(String, u64)>, Vec<(String, String)>);

/// The visit the queue shows for the ticket numbered `number`.
fn visit_of(queue: &[Value], number: &str) -> VisitSeen {
    let entry = queue
        .iter()
        .find(|e| e["number"] == number)
        .unwrap_or_else(|| panic!("{number} is not in the queue: {queue:?}"));
    let errands = entry["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["service"].as_str().unwrap().to_owned(),
                e["quantity"].as_u64().unwrap(),
            )
        })
        .collect();
    let needs = entry["needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap().to_owned(),
                n["detail"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    (errands, needs)
}

fn assert_no_english(text: &str) {
    if let Some(word) = english_markers::english_word(text) {
        panic!("'{word}' on the Danish screen:\n{text}");
    }
}

/// A visit of several errands taken at the kiosk in one language: what the citizen ticks,
/// and what the screen, the ticket and the staff's queue then say.
struct VisitTaken {
    lang: &'static str,
    heading: &'static str,
    /// Each errand with how many of it (more than one is chosen from its list).
    errands: &'static [(&'static str, u64)],
    /// The interpreter's language, by the id of its choice, and the other needs ticked.
    language: &'static str,
    needs: &'static [&'static str],
    /// The button that takes the number, and what the screen says without a language.
    take: &'static str,
    no_language: &'static str,
    /// What the screen says before and after the number is taken.
    screen: &'static [&'static str],
    answer: &'static [&'static str],
    /// The needs as the staff's queue carries them.
    queued_needs: &'static [(&'static str, &'static str)],
}

const VISITS_TAKEN: [VisitTaken; 2] = [
    VisitTaken {
        lang: "da",
        heading: "Vælg dine ærinder",
        errands: &[("koerekort", 2), ("vejledning", 1)],
        language: "language-0",
        needs: &[],
        take: "Tag nummer",
        no_language: "Vælg, hvilket sprog tolken skal tale.",
        screen: &["Jeg har brug for tolk", "arabisk", "Skranke uden trin"],
        answer: &[
            "Dine ærinder: 2 × Kørekort, Generel vejledning",
            "Hjælp: tolk på arabisk",
        ],
        queued_needs: &[("interpreter", "arabisk")],
    },
    // The language is named in English on the screen, in Danish for the staff.
    VisitTaken {
        lang: "en",
        heading: "Choose your errands",
        errands: &[("sundhedskort", 1), ("vejledning", 1)],
        language: "language-1",
        needs: &["need-step_free"],
        take: "Take a number",
        no_language: "Choose which language the interpreter should speak.",
        screen: &["Somali"],
        answer: &[
            "Your errands: Health insurance card, General guidance",
            "interpreter in Somali",
        ],
        queued_needs: &[("interpreter", "somali"), ("step_free", "")],
    },
];

#[tokio::test]
async fn several_errands_and_an_interpreter_make_one_ticket_in_both_languages() {
    let server = start_server();
    let kiosk = Kiosk::start(&server.base);
    let browser = portrait(&kiosk).await;

    // One touch on an errand still takes its ticket; the visit of several is a way beside it.
    let entry = text_of(&browser, "#several").await;
    assert_eq!(
        entry,
        "Flere ærinder, eller brug for tolk eller anden hjælp?"
    );
    for visit in VISITS_TAKEN {
        let lang = visit.lang;
        if lang != "da" {
            press(&browser, "Tilbage").await;
            switch_language(&browser).await;
        }
        touch_css(&browser, "#several").await;
        assert_eq!(text_of(&browser, "#visit-heading").await, visit.heading);
        // Only errands a ticket may carry: passports need a booking.
        assert!(browser.find(Locator::Id("errand-pas")).await.is_err());
        for &(errand, how_many) in visit.errands {
            tick(&browser, &format!("errand-{errand}")).await;
            if how_many > 1 {
                touch_css(
                    &browser,
                    &format!("#quantity-{errand} option[value='{how_many}']"),
                )
                .await;
            }
        }
        tick(&browser, "need-interpreter").await;
        // Taken without a language, the screen asks for one and takes nothing.
        press(&browser, visit.take).await;
        assert_eq!(text_of(&browser, "#visit-problem").await, visit.no_language);
        tick(&browser, visit.language).await;
        for need in visit.needs {
            tick(&browser, need).await;
        }
        let screen = text_of(&browser, "#visit").await;
        for said in visit.screen {
            assert!(screen.contains(said), "{said}: {screen}");
        }
        if lang == "da" {
            assert_no_english(&screen);
        }
        check_and_photograph(&browser, &format!("kiosk-visit-{lang}")).await;

        press(&browser, visit.take).await;
        let number = shown_number(&browser).await;
        let answer = text_of(&browser, "#answer").await;
        for said in visit.answer {
            assert!(answer.contains(said), "{said}: {answer}");
        }
        if lang == "da" {
            assert_no_english(&answer);
        }
        assert_printed(&kiosk.printed, &number);
        check_and_photograph(&browser, &format!("kiosk-visit-ticket-{lang}")).await;
        let queue = queue_as_staff(&server, lang).await;
        let errands = visit.errands.iter().map(|&(e, n)| (e.to_owned(), n));
        let needs = visit.queued_needs.iter();
        assert_eq!(
            visit_of(&queue, &number),
            (
                errands.collect(),
                needs.map(|&(k, d)| (k.to_owned(), d.to_owned())).collect()
            ),
            "the ticket carries the errands and the needs"
        );
    }
    browser.close().await;
}

#[tokio::test]
async fn a_visit_over_the_locations_limit_is_refused_in_the_citizens_words() {
    let server = start_server();
    let kiosk = Kiosk::start(&server.base);
    let browser = portrait(&kiosk).await;
    touch_css(&browser, "#several").await;
    // 2 driving licences, 4 health cards and guidance: 7 errands, one more than a visit holds.
    for (errand, how_many) in [("koerekort", "2"), ("sundhedskort", "4")] {
        tick(&browser, &format!("errand-{errand}")).await;
        touch_css(
            &browser,
            &format!("#quantity-{errand} option[value='{how_many}']"),
        )
        .await;
    }
    tick(&browser, "errand-vejledning").await;
    press(&browser, "Tag nummer").await;
    let refused = browser
        .wait()
        .for_element(Locator::Css("#visit-problem:not([hidden])"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        refused,
        "Det er for mange ærinder til ét besøg her. Vælg højst 6 i alt, eller tag et nummer mere bagefter."
    );
    assert!(!kiosk.printed.exists(), "nothing printed for a refusal");
    check_and_photograph(&browser, "kiosk-visit-refused-da").await;
    browser.close().await;
}
