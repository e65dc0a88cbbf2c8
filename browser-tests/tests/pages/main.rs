//! Page tests in headless Chromium: the server spawned as in the API tests, pages driven
//! through WebDriver, each page checked with axe-core. Run with `cargo test --test pages`.

#[path = "../../../tests/api/english_markers.rs"]
mod english_markers;
#[allow(dead_code)]
#[path = "../../../tests/api/helpers.rs"]
mod helpers;
#[allow(dead_code)]
#[path = "../../../tests/api/known_day.rs"]
mod known_day;
#[allow(dead_code)]
#[path = "../../../tests/api/smtp_sink.rs"]
mod smtp_sink;

mod admin;
mod booking;
mod console_visits;
mod dashboard;
mod displays;
mod feedback;
mod interpreters;
mod live;
mod mail;
mod meetings;
mod planner;
mod public;
mod refused;
mod staff;
mod steps;
mod visits;
mod wait_times;
mod waitlist;
mod whatif;
