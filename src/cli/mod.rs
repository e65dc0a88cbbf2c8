//! The `skranke` command's subcommands, one module per group; `main.rs` parses the
//! command line and hands each its settings and arguments.

pub mod erlang;
pub mod export;
pub mod organisation;
pub mod plan;
pub mod report;
pub mod server;
pub mod stdout;
pub mod whatif;

use anyhow::{Context, Result};
use skranke::config::Settings;
use skranke::store::{self, Pool};

/// The database of the settings, brought up to date.
pub fn open(settings: &Settings) -> Result<Pool> {
    let url = settings.database();
    store::connect(&url, settings.db_pool_size)
        .with_context(|| format!("opening {}", url.redacted()))
}
