//! `skranke report`: the KPI report of a period, as JSON or CSV.

use anyhow::Result;
use skranke::app;
use skranke::clock;
use skranke::config::Settings;

use super::open;
use super::stdout::{say, say_raw};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
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

/// Prints the KPI report; a bad date or location names its flag.
pub fn run(settings: &Settings, args: &ReportArgs) -> Result<()> {
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
        ReportFormat::Json => say!("{}", serde_json::to_string_pretty(&report)?)?,
        ReportFormat::Csv => say_raw!("{}", skranke::report::kpi_csv::to_csv(&report))?,
    }
    Ok(())
}
