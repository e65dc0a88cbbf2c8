//! `skranke erlang`: the staffing calculator, positions needed for a load and a waiting
//! target (Erlang C, or Erlang A with patience).

use crate::cli::stdout::{say, say_raw};
use anyhow::Result;

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("target").required(true).args(["service_level", "average_wait_seconds"]))]
pub struct ErlangArgs {
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

pub fn run(args: &ErlangArgs) -> Result<()> {
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
        OutputFormat::Text => say_raw!("{}", to_text(&staffing))?,
        OutputFormat::Json => say!("{}", serde_json::to_string_pretty(&staffing)?)?,
    }
    Ok(())
}
