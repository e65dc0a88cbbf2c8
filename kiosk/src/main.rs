//! `skranke-kiosk`: the kiosk at the office entrance (see the `skranke_kiosk` library).
//!
//! Exit codes: 0 done, 1 a runtime failure (server unreachable, printer, file), 2 a usage
//! or configuration error, or a mode that cannot run yet, 3 the server gave no ticket
//! (done online, needs a booking, closed, unknown), 4 a ticket was taken but its print
//! failed (its number is still on stdout).

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::anyhow;
use anyhow::Context;
use skranke_kiosk::client::{Client, ClientError};
use skranke_kiosk::config::{Cli, Command, Config, ConfigError};
use skranke_kiosk::door::{Door, DoorError, Handed};
use skranke_kiosk::printer::Printer;
use skranke_kiosk::scan::Scan;
use skranke_kiosk::ticket::{self, TicketPrint};
use skranke_kiosk::touch::Touch;

/// Why the program stops, deciding its exit code.
enum Failure {
    Usage(anyhow::Error),
    Runtime(anyhow::Error),
    /// The server answered, but with no ticket.
    Refused(anyhow::Error),
    /// The ticket exists, but its print did not come out.
    NotPrinted(anyhow::Error),
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
        Err(Failure::Refused(error)) => {
            eprintln!("skranke-kiosk: {error:#}");
            ExitCode::from(3)
        }
        Err(Failure::NotPrinted(error)) => {
            eprintln!("skranke-kiosk: {error:#}");
            ExitCode::from(4)
        }
    }
}

fn run(cli: &Cli) -> Result<(), Failure> {
    let config = cli.config()?;
    match &cli.command {
        Command::Serve { listen } => serve(&config, *listen),
        Command::Ticket {
            service,
            assist,
            png,
            escpos,
        } => take_ticket(
            &config,
            service,
            *assist,
            Outputs {
                png: png.as_deref(),
                escpos: escpos.as_deref(),
            },
        ),
        Command::CheckIn { scan, png, escpos } => check_in(
            &config,
            scan,
            Outputs {
                png: png.as_deref(),
                escpos: escpos.as_deref(),
            },
        ),
        Command::Sample { png, escpos, print } => {
            sample(&config, png.as_deref(), escpos.as_deref(), *print)
        }
    }
}

/// Touch mode: serves the kiosk page until the process is stopped.
fn serve(config: &Config, listen: std::net::SocketAddr) -> Result<(), Failure> {
    let door = door(config)?;
    let touch = Touch::bind(listen, door, config.language)
        .map_err(|e| Failure::Runtime(anyhow!("cannot listen on {listen}: {e}")))?;
    if let Some(address) = touch.address() {
        // The browser (and the tests) wait for this line.
        println!("kiosk page on http://{address}/");
        let _ = std::io::Write::flush(&mut std::io::stdout());
    }
    touch.run();
    Ok(())
}

/// Where a ticket's print goes, besides the configured printer.
#[derive(Clone, Copy)]
struct Outputs<'a> {
    png: Option<&'a Path>,
    escpos: Option<&'a Path>,
}

/// One-shot `ticket`: takes a ticket from the server, prints its number on stdout, then
/// writes its print wherever asked.
fn take_ticket(
    config: &Config,
    service: &str,
    assist: bool,
    outputs: Outputs<'_>,
) -> Result<(), Failure> {
    let handed = door(config)?.take(service, assist, config.language);
    hand_out(handed, outputs)
}

/// One-shot `check-in`: checks the scanned booking in and prints its ticket.
fn check_in(config: &Config, scan: &str, outputs: Outputs<'_>) -> Result<(), Failure> {
    let door = door(config)?;
    let scan = Scan::parse(scan).map_err(|e| Failure::Refused(e.into()))?;
    let handed = door.check_in(&scan, config.language);
    hand_out(handed, outputs)
}

fn door(config: &Config) -> Result<Door, Failure> {
    Ok(Door::new(
        Client::new(config.server()?.clone()),
        config.location()?.to_owned(),
        config.printer.clone().map(Printer::new),
        config.paper,
    ))
}

/// Shows the issued ticket's number, then writes its print where asked.
fn hand_out(handed: Result<Handed, DoorError>, outputs: Outputs<'_>) -> Result<(), Failure> {
    let handed = match handed {
        Ok(handed) => handed,
        Err(DoorError::Server(error @ ClientError::Refused(_))) => {
            return Err(Failure::Refused(error.into()))
        }
        Err(DoorError::Server(error)) => return Err(Failure::Runtime(error.into())),
        Err(error @ DoorError::Render { .. }) => return Err(Failure::NotPrinted(error.into())),
    };
    let number = &handed.issued.number;
    // The number first: whatever happens to the print, the citizen has their place.
    println!("{number}");
    let not_printed = |e: anyhow::Error| Failure::NotPrinted(e.context(format!("ticket {number}")));
    if let Some(path) = outputs.png {
        let png = ticket::to_png(&handed.image).context("cannot encode PNG");
        write_file(path, &png.map_err(not_printed)?, "--png").map_err(not_printed)?;
    }
    if let Some(path) = outputs.escpos {
        write_file(path, &handed.job, "--escpos").map_err(not_printed)?;
    }
    match handed.print_failure {
        Some(failure) => Err(not_printed(anyhow!(
            "{failure}; the ticket was not printed; its number is shown above"
        ))),
        None => Ok(()),
    }
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
