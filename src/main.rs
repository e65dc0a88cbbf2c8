//! The `skranke` command: its command line, and which subcommand (in `cli/`) runs.

mod cli;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use skranke::config::Settings;

#[derive(Debug, Parser)]
#[command(
    name = "skranke",
    version,
    about = "Appointment booking and queue tickets for citizen service desks"
)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API and pages.
    Serve,
    /// Bring the database schema up to date, then stop.
    Migrate,
    /// Create or update an organisation from a TOML file (all or nothing).
    Import {
        file: PathBuf,
        /// Show what the import would change, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the organisation as a TOML file that `skranke import` accepts unchanged.
    Export {
        /// The file to write; standard output when left out.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Create the demo municipality if it is not there yet, then serve it.
    Demo,
    /// Set a staff user's password, read from standard input.
    SetPassword { username: String },
    /// Staffing calculator: positions needed for a load and a waiting target (Erlang C, or A with patience).
    Erlang(cli::erlang::ErlangArgs),
    /// The KPI report of a period (waits, no-shows, booked share, first-contact resolution, cost).
    Report(cli::report::ReportArgs),
    /// Plan a week: forecast, staffing requirement, roster and simulated waits.
    Plan(cli::plan::PlanArgs),
    /// Compare a week as it is with scenarios: an errand booking-only, a location closed, staff more or fewer.
    Whatif(cli::whatif::WhatIfArgs),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SKRANKE_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("skranke: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let settings = cli.settings;
    match cli.command {
        Command::Serve => cli::server::serve(&settings),
        Command::Migrate => cli::organisation::migrate(&settings),
        Command::Import { file, dry_run } => cli::organisation::import(&settings, &file, dry_run),
        Command::Export { out } => cli::export::run(&settings, out.as_deref()),
        Command::Demo => cli::server::demo(&settings),
        Command::SetPassword { username } => cli::organisation::set_password(&settings, &username),
        Command::Erlang(args) => cli::erlang::run(&args),
        Command::Report(args) => cli::report::run(&settings, &args),
        Command::Plan(args) => cli::plan::run(&settings, &args),
        Command::Whatif(args) => cli::whatif::run(&settings, &args),
    }
}
