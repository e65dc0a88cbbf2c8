//! Integration tests: the server spawned on a free port against a fresh database per test.
//! SQLite by default; PostgreSQL when SKRANKE_TEST_DATABASE_URL names a server.

mod architecture;
mod auth;
mod booking;
mod booking_pages;
mod cli;
mod database;
mod desks;
mod errors;
mod events;
mod helpers;
mod kiosk_menu;
mod locations;
mod mail;
mod organisation_import;
mod pages;
mod plan_cli;
mod rosters;
mod tickets;
