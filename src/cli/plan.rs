//! `skranke plan`: a week planned, forecast, staffing requirement, roster and simulated
//! waits, as JSON, CSV or HTML.

use anyhow::Result;
use skranke::app;
use skranke::clock;
use skranke::config::Settings;

use super::open;
use super::stdout::{say, say_raw};

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("target").required(true).args(["service_level", "average_wait_minutes"]))]
pub struct PlanArgs {
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

/// Plans the week; a bad flag is named.
pub fn run(settings: &Settings, args: &PlanArgs) -> Result<()> {
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
        PlanFormat::Json => say!("{}", serde_json::to_string_pretty(&plan)?)?,
        PlanFormat::Csv => say_raw!("{}", skranke::report::plan_csv::csv(&plan))?,
        PlanFormat::Html => say_raw!("{}", skranke::report::plan_html::html(&plan))?,
    }
    Ok(())
}
