//! The `skranke` command: serve, migrate, import, demo.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use skranke::app;
use skranke::config::Settings;
use skranke::store::{self, Pool};
use skranke::clock;
use skranke::startup::{Application, Provided};

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
    Import { file: PathBuf },
    /// Create the demo municipality if it is not there yet, then serve it.
    Demo,
    /// Set a staff user's password, read from standard input.
    SetPassword { username: String },
    /// Staffing calculator: positions needed for a load and a waiting target (Erlang C, or A with patience).
    Erlang(ErlangArgs),
    /// The KPI report of a period (waits, no-shows, booked share, first-contact resolution, cost).
    Report(ReportArgs),
    /// Plan a week: forecast, staffing requirement, roster and simulated waits.
    Plan(PlanArgs),
}

#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// First local date, YYYY-MM-DD.
    #[arg(long)]
    from: String,
    /// Last local date (included), YYYY-MM-DD.
    #[arg(long)]
    to: String,
    /// A location's slug; all locations when left out.
    #[arg(long)]
    location: Option<String>,
    #[arg(long, value_enum, default_value = "json")]
    format: ReportFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Json,
    Csv,
}

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("target").required(true).args(["service_level", "average_wait_minutes"]))]
struct PlanArgs {
    /// The ISO week to plan, e.g. 2027-W14.
    #[arg(long)]
    week: String,
    /// Locations to plan (slugs, comma-separated); all when left out.
    #[arg(long, value_delimiter = ',')]
    locations: Vec<String>,
    /// Share of citizens to serve within --within-minutes (0 to 1).
    #[arg(
        long = "service-level",
        requires = "within_minutes",
        allow_negative_numbers = true
    )]
    service_level: Option<f64>,
    /// The wait that --service-level counts within.
    #[arg(
        long = "within-minutes",
        requires = "service_level",
        allow_negative_numbers = true
    )]
    within_minutes: Option<f64>,
    /// Target average wait instead of a service level.
    #[arg(long = "average-wait-minutes", allow_negative_numbers = true)]
    average_wait_minutes: Option<f64>,
    #[arg(long, value_enum, default_value = "json")]
    format: PlanFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum PlanFormat {
    Json,
    Csv,
    Html,
}

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("target").required(true).args(["service_level", "average_wait_seconds"]))]
struct ErlangArgs {
    /// Arrivals in the interval.
    #[arg(long, allow_negative_numbers = true)]
    calls: f64,
    /// Length of the interval.
    #[arg(long = "interval-minutes", allow_negative_numbers = true)]
    interval_minutes: f64,
    /// Average handling time.
    #[arg(long = "aht-minutes", allow_negative_numbers = true)]
    aht_minutes: f64,
    /// Share to serve within --target-seconds (0 to 1).
    #[arg(
        long = "service-level",
        requires = "target_seconds",
        allow_negative_numbers = true
    )]
    service_level: Option<f64>,
    /// The wait that --service-level counts within.
    #[arg(long = "target-seconds", allow_negative_numbers = true)]
    target_seconds: Option<f64>,
    /// Target average wait instead of a service level.
    #[arg(long = "average-wait-seconds", allow_negative_numbers = true)]
    average_wait_seconds: Option<f64>,
    /// Share of paid time not at the desk (breaks, training, absence), 0 to below 1.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    shrinkage: f64,
    /// Highest acceptable share of time busy (0 to 1).
    #[arg(long = "max-occupancy", allow_negative_numbers = true)]
    max_occupancy: Option<f64>,
    /// Average patience before a waiting citizen leaves (Erlang A).
    #[arg(long = "patience-minutes", allow_negative_numbers = true)]
    patience_minutes: Option<f64>,
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
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
        Command::Serve => serve(&settings, Provided::default(), |base| {
            println!("Skranke is at {base}/")
        }),
        Command::Migrate => {
            open(&settings)?;
            println!(
                "The database is up to date ({}).",
                settings.database().redacted()
            );
            Ok(())
        }
        Command::Import { file } => import(&settings, &file),
        Command::Demo => demo(&settings),
        Command::SetPassword { username } => set_password(&settings, &username),
        Command::Erlang(args) => erlang(&args),
        Command::Report(args) => report(&settings, &args),
        Command::Plan(args) => plan(&settings, &args),
    }
}

fn open(settings: &Settings) -> Result<Pool> {
    let url = settings.database();
    store::connect(&url, settings.db_pool_size)
        .with_context(|| format!("opening {}", url.redacted()))
}

/// Builds the application and serves it; `announce` learns the public base URL once the
/// server is bound.
fn serve(settings: &Settings, provided: Provided, announce: impl FnOnce(&str)) -> Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let application = Application::build_with(settings, provided)?;
        if let Some(metrics) = application.metrics_address() {
            println!("Metrics are at http://{metrics}/metrics");
        }
        announce(application.public_base());
        tracing::info!(address = %application.address(), database = %settings.database().redacted(), "Skranke is serving");
        application.run_until_stopped().await?;
        Ok(())
    })
}

fn import(settings: &Settings, file: &PathBuf) -> Result<()> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {name}"))?;
    // Parse and validate before touching the database: a bad file changes nothing.
    let (spec, planning) = skranke::import::parse_organisation_and_planning(&name, &text)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let pool = open(settings)?;
    let now = clock::from_start(settings.now).now();
    let mut conn = pool.get()?;
    let summary = app::organisation::import_with_planning(&mut conn, &spec, &planning, now)
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    app::audit::record(
        &mut conn,
        (None, app::audit::CLI),
        "import",
        Some(spec.slug.as_str()),
        now,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let verb = if summary.organisation_created {
        "Created"
    } else {
        "Updated"
    };
    println!("{verb} {} ({}) from {name}.", spec.name, spec.slug);
    for (kind, n) in &summary.created {
        println!("  {n} {kind} created");
    }
    for (kind, n) in &summary.updated {
        println!("  {n} {kind} updated");
    }
    if summary.deactivated_desks > 0 {
        println!(
            "  {} desks no longer in the file were made inactive",
            summary.deactivated_desks
        );
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
        println!(
            "The demo municipality {} is already in the database.",
            report.spec.name
        );
    }
    let origin = if report.password_generated {
        "random; set SKRANKE_DEMO_PASSWORD to choose it"
    } else {
        "from SKRANKE_DEMO_PASSWORD"
    };
    let provided = Provided {
        pool: Some(pool),
        ..Provided::default()
    };
    serve(settings, provided, |base| {
        println!(
            "Sign in as admin (admin, planner) or staff (staff) with the password {} ({origin}).",
            report.password
        );
        println!("  API:      {base}/api/v1/locations");
        println!("  OpenAPI:  {base}/api/openapi.json");
        for location in &report.spec.locations {
            println!(
                "  {:<9} {base}/api/v1/locations/{}/services",
                "", location.slug
            );
        }
        // The last line, so that scripts can wait for it.
        println!("Skranke is at {base}/");
    })
}

fn set_password(settings: &Settings, username: &str) -> Result<()> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("reading the password from standard input")?;
    let password = password.trim_end_matches(['\n', '\r']);
    let pool = open(settings)?;
    let mut conn = pool.get()?;
    app::auth::set_password(&mut conn, username, password).map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = clock::from_start(settings.now).now();
    app::audit::record(
        &mut conn,
        (None, app::audit::CLI),
        "set_password",
        Some(username),
        now,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("The password of {username} is set.");
    Ok(())
}

fn erlang(args: &ErlangArgs) -> Result<()> {
    use skranke::domain::erlang::{required, to_text, Load, Target};
    let flag = |e: skranke::domain::erlang::ErlangError| anyhow::anyhow!("--{e}");
    let load = Load::new(
        args.calls,
        args.interval_minutes,
        args.aht_minutes,
        args.patience_minutes,
    )
    .map_err(flag)?;
    let target = match (
        args.service_level,
        args.target_seconds,
        args.average_wait_seconds,
    ) {
        (Some(level), Some(seconds), _) => Target::service_level(level, seconds),
        (_, _, Some(seconds)) => Target::average_wait(seconds),
        _ => unreachable!("clap requires one target"),
    }
    .map_err(flag)?;
    let staffing = required(&load, &target, args.max_occupancy, args.shrinkage).map_err(flag)?;
    match args.format {
        OutputFormat::Text => print!("{}", to_text(&staffing)),
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&staffing)?),
    }
    Ok(())
}

/// Prints the KPI report; a bad date or location names its flag.
fn report(settings: &Settings, args: &ReportArgs) -> Result<()> {
    let flag = |e: skranke::error::AppError| match e {
        skranke::error::AppError::Unprocessable { errors, detail, .. } => match errors.first() {
            Some(f) => anyhow::anyhow!("--{}: {}", f.field, f.message),
            None => anyhow::anyhow!("{detail}"),
        },
        other => anyhow::anyhow!("{other}"),
    };
    let period = app::kpi::parse_period(Some(&args.from), Some(&args.to)).map_err(flag)?;
    let pool = open(settings)?;
    let now = clock::from_start(settings.now).now();
    let report = app::kpi::report(
        &mut *pool.get()?,
        period,
        args.location.as_deref(),
        settings.costs.costs(),
        now,
    )
    .map_err(flag)?;
    match args.format {
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        ReportFormat::Csv => print!("{}", skranke::report::kpi_csv::to_csv(&report)),
    }
    Ok(())
}

fn plan(settings: &Settings, args: &PlanArgs) -> Result<()> {
    use skranke::app::plan::{TargetField, TargetSpec};
    use skranke::domain::Slug;
    let (from, to) = skranke::domain::roster::iso_week(&args.week)
        .map_err(|e| anyhow::anyhow!("--week: {e}"))?;
    let target = match (args.service_level, args.within_minutes, args.average_wait_minutes) {
        (Some(service_level), Some(within_minutes), None) => TargetSpec::ServiceLevel {
            service_level,
            within_minutes,
        },
        (None, None, Some(average_wait_minutes)) => TargetSpec::AverageWait {
            average_wait_minutes,
        },
        _ => anyhow::bail!("--service-level: give either --service-level with --within-minutes, or --average-wait-minutes"),
    };
    if let Err((field, message)) = target.to_target() {
        let flag = match field {
            TargetField::ServiceLevel => "--service-level",
            TargetField::WithinMinutes => "--within-minutes",
            TargetField::AverageWaitMinutes => "--average-wait-minutes",
        };
        anyhow::bail!("{flag}: {message}");
    }
    let locations = args
        .locations
        .iter()
        .map(|l| Slug::parse(l.trim()).map_err(|e| anyhow::anyhow!("--locations: {e}")))
        .collect::<Result<Vec<_>>>()?;
    let pool = open(settings)?;
    let now = clock::from_start(settings.now).now();
    let request = app::plan::PlanRequest {
        locations,
        from,
        to,
        target,
        staff: None,
    };
    let plan = app::plan::plan(&mut *pool.get()?, &request, now).map_err(|e| match &e {
        skranke::error::AppError::Unprocessable { errors, .. }
            if errors.iter().any(|f| f.field.starts_with("locations")) =>
        {
            anyhow::anyhow!("--locations: {}", errors[0].message)
        }
        _ => anyhow::anyhow!("{e}"),
    })?;
    match args.format {
        PlanFormat::Json => println!("{}", serde_json::to_string_pretty(&plan)?),
        PlanFormat::Csv => print!("{}", app::plan_report::csv(&plan)),
        PlanFormat::Html => print!("{}", app::plan_report::html(&plan)),
    }
    Ok(())
}
