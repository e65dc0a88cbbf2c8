//! Skranke: appointment booking, queue tickets and staff planning for citizen service desks.
//!
//! Layers, each depending only on those listed before it: [`domain`] (pure rules),
//! [`store`] (the only place with SQL), [`app`] (use cases), [`report`] (formats shared by
//! the CLI and the handlers), [`http`] (actix-web handlers), and the CLI in `main.rs`.

pub mod app;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod export;
pub mod html;
pub mod http;
pub mod import;
pub mod messages;
pub mod report;
pub mod startup;
pub mod store;
