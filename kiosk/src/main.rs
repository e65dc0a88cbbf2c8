//! `skranke-kiosk`: the kiosk at the office entrance (see the `skranke_kiosk` library).
//!
//! Exit codes: 0 done, 1 a runtime failure (printer, file), 2 a usage or configuration
//! error, or a mode that cannot run yet.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::anyhow;
use anyhow::Context;
use skranke_kiosk::config::{Cli, Command, Config, ConfigError};
use skranke_kiosk::printer::Printer;
use skranke_kiosk::ticket::{self, TicketPrint};

/// Why the program stops, deciding its exit code.
enum Failure {
    Usage(anyhow::Error),
    Runtime(anyhow::Error),
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Failure::Usage(e.into())
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Runtime(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::try_parse_args(std::env::args_os()).unwrap_or_else(|e| e.exit());
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(error)) => {
            eprintln!("skranke-kiosk: {error:#}");
            ExitCode::from(2)
        }
        Err(Failure::Runtime(error)) => {
            eprintln!("skranke-kiosk: {error:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: &Cli) -> Result<(), Failure> {
    let config = cli.config()?;
    match &cli.command {
        Command::Serve => needs_server(&config, "serve", "GET /api/v1/locations/{l}/kiosk"),
        Command::Ticket { .. } => needs_server(&config, "ticket", "POST /api/v1/tickets"),
        Command::CheckIn { .. } => needs_server(
            &config,
            "check-in",
            "POST /api/v1/appointments/{reference}/check-in",
        ),
        Command::Sample { png, escpos, print } => {
            sample(&config, png.as_deref(), escpos.as_deref(), *print)
        }
    }
}

/// The modes that talk to the server wait for its queue API; their settings are still
/// checked, so a kiosk can be set up and its configuration tested today.
fn needs_server(config: &Config, mode: &str, endpoint: &str) -> Result<(), Failure> {
    config.server()?;
    config.location()?;
    Err(Failure::Usage(anyhow!(
        "{mode} needs the server's queue API ({endpoint}), which is not available yet; \
         nothing was printed"
    )))
}

fn sample(
    config: &Config,
    png: Option<&Path>,
    escpos: Option<&Path>,
    print: bool,
) -> Result<(), Failure> {
    if png.is_none() && escpos.is_none() && !print {
        return Err(Failure::Usage(anyhow!(
            "sample: give --png FILE, --escpos FILE or --print"
        )));
    }
    let printer = match (print, &config.printer) {
        (true, None) => {
            return Err(Failure::Usage(anyhow!(
                "sample --print: --printer is required"
            )))
        }
        (true, Some(target)) => Some(Printer::new(target.clone())),
        (false, _) => None,
    };
    let image = ticket::render(&TicketPrint::sample(), config.paper)
        .context("cannot render the sample ticket")?;
    if let Some(path) = png {
        write_file(
            path,
            &ticket::to_png(&image).context("cannot encode PNG")?,
            "--png",
        )?;
    }
    let job = ticket::to_escpos(&image).context("cannot encode ESC/POS")?;
    if let Some(path) = escpos {
        write_file(path, &job, "--escpos")?;
    }
    if let Some(printer) = printer {
        printer.send(&job).context("the sample was not printed")?;
    }
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8], flag: &str) -> anyhow::Result<()> {
    fs::write(path, bytes).with_context(|| format!("{flag} {}: cannot write", path.display()))
}
