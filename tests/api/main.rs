//! Integration tests: the server spawned on a free port against a fresh database per test.
//! SQLite by default; PostgreSQL when SKRANKE_TEST_DATABASE_URL names a server.

mod architecture;
mod audit;
mod auth;
mod booking;
mod booking_pages;
mod cli;
mod control_characters;
mod danish_pages;
mod database;
mod desks;
mod errors;
mod events;
mod forecast;
mod fuzz;
mod hardening_edge;
mod helpers;
mod kiosk_menu;
mod known_day;
mod kpi;
mod locations;
mod mail;
mod mail_failures;
mod metrics;
mod municipality;
mod openapi;
mod organisation_import;
mod pages;
mod plan_cli;
mod rate_limit;
mod retention;
mod rosters;
mod tickets;
mod waitlist;
mod whatif;
