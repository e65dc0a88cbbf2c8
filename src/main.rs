//! The `skranke` command: serve, migrate, import, demo.

use std::io::Read;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use skranke::app::{self, AppState};
use skranke::config::Settings;
use skranke::store::{self, Pool};
use skranke::{clock, startup};

#[derive(Debug, Parser)]
#[command(name = "skranke", version, about = "Appointment booking and queue tickets for citizen service desks")]
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
    Import { file: PathBuf },
    /// Create the demo municipality if it is not there yet, then serve it.
    Demo,
    /// Set a staff user's password, read from standard input.
    SetPassword { username: String },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SKRANKE_LOG").unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
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
        Command::Serve => serve(&settings, open(&settings)?, |base| println!("Skranke is at {base}/")),
        Command::Migrate => {
            open(&settings)?;
            println!("The database is up to date ({}).", settings.database().redacted());
            Ok(())
        }
        Command::Import { file } => import(&settings, &file),
        Command::Demo => demo(&settings),
        Command::SetPassword { username } => set_password(&settings, &username),
    }
}

fn open(settings: &Settings) -> Result<Pool> {
    let url = settings.database();
    store::connect(&url, settings.db_pool_size).with_context(|| format!("opening {}", url.redacted()))
}

/// Binds the port, then builds the server; `announce` learns the public base URL first.
fn serve(settings: &Settings, pool: Pool, announce: impl FnOnce(&str)) -> Result<()> {
    let listener = TcpListener::bind(&settings.bind).with_context(|| format!("listening on {}", settings.bind))?;
    let address = listener.local_addr()?;
    let public_base = match &settings.public_url {
        Some(_) => settings.public_base(),
        None => format!("http://{address}"),
    };
    announce(&public_base);
    let state = AppState::new(pool, clock::from_start(settings.now), public_base);
    actix_web::rt::System::new().block_on(async move {
        let (server, address) = startup::serve_on(state, listener)?;
        tracing::info!(%address, database = %settings.database().redacted(), "Skranke is serving");
        server.await
    })?;
    Ok(())
}

fn import(settings: &Settings, file: &PathBuf) -> Result<()> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {name}"))?;
    // Parse and validate before touching the database: a bad file changes nothing.
    let spec = skranke::import::parse_organisation(&name, &text).map_err(|e| anyhow::anyhow!("{e}"))?;
    let pool = open(settings)?;
    let now = clock::from_start(settings.now).now();
    let summary = app::organisation::import(&mut *pool.get()?, &spec, now).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let verb = if summary.organisation_created { "Created" } else { "Updated" };
    println!("{verb} {} ({}) from {name}.", spec.name, spec.slug);
    for (kind, n) in &summary.created {
        println!("  {n} {kind} created");
    }
    for (kind, n) in &summary.updated {
        println!("  {n} {kind} updated");
    }
    if summary.deactivated_desks > 0 {
        println!("  {} desks no longer in the file were made inactive", summary.deactivated_desks);
    }
    Ok(())
}

fn demo(settings: &Settings) -> Result<()> {
    let pool = open(settings)?;
    let now = clock::from_start(settings.now).now();
    let report = app::demo::ensure(&mut *pool.get()?, now, settings.demo_password.as_deref())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if report.created {
        println!(
            "Created the demo municipality {} with {} intervals of demand history.",
            report.spec.name, report.history_records
        );
    } else {
        println!("The demo municipality {} is already in the database.", report.spec.name);
    }
    let origin = if report.password_generated {
        "random; set SKRANKE_DEMO_PASSWORD to choose it"
    } else {
        "from SKRANKE_DEMO_PASSWORD"
    };
    serve(settings, pool, |base| {
        println!("Sign in as admin (admin, planner) or staff (staff) with the password {} ({origin}).", report.password);
        println!("  API:      {base}/api/v1/locations");
        println!("  OpenAPI:  {base}/api/openapi.json");
        for location in &report.spec.locations {
            println!("  {:<9} {base}/api/v1/locations/{}/services", "", location.slug);
        }
        // The last line, so that scripts can wait for it.
        println!("Skranke is at {base}/");
    })
}

fn set_password(settings: &Settings, username: &str) -> Result<()> {
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password).context("reading the password from standard input")?;
    let password = password.trim_end_matches(['\n', '\r']);
    let pool = open(settings)?;
    app::auth::set_password(&mut *pool.get()?, username, password).map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("The password of {username} is set.");
    Ok(())
}
