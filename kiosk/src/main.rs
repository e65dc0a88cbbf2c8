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
use skranke_kiosk::client::{self, Client, ClientError, Issued};
use skranke_kiosk::config::{Cli, Command, Config, ConfigError};
use skranke_kiosk::printer::Printer;
use skranke_kiosk::scan::Scan;
use skranke_kiosk::ticket::{self, Paper, TicketPrint};

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
        Command::Serve => needs_server(&config, "serve", "GET /api/v1/locations/{l}/kiosk"),
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
    let server = config.server()?;
    let location = config.location()?;
    let client = Client::new(server.clone());
    let issued = client
        .take_ticket(location, service, assist)
        .map_err(refused_or_failed)?;
    hand_out(config, &client, location, &issued, outputs)
}

/// One-shot `check-in`: checks the scanned booking in and prints its ticket.
fn check_in(config: &Config, scan: &str, outputs: Outputs<'_>) -> Result<(), Failure> {
    let server = config.server()?;
    let location = config.location()?;
    let scan = Scan::parse(scan).map_err(|e| Failure::Refused(e.into()))?;
    let client = Client::new(server.clone());
    let issued = client.check_in(&scan).map_err(refused_or_failed)?;
    hand_out(config, &client, location, &issued, outputs)
}

fn refused_or_failed(error: ClientError) -> Failure {
    match error {
        ClientError::Refused(_) => Failure::Refused(error.into()),
        _ => Failure::Runtime(error.into()),
    }
}

/// Shows the issued ticket's number, then prints it.
fn hand_out(
    config: &Config,
    client: &Client,
    location: &str,
    issued: &Issued,
    outputs: Outputs<'_>,
) -> Result<(), Failure> {
    // The number first: whatever happens to the print, the citizen has their place.
    println!("{}", issued.number);
    // Best effort: the ticket is valid without the pretty name, so a failed lookup
    // prints the slug rather than losing the ticket.
    let location_name = client
        .location_name(location)
        .unwrap_or_else(|_| location.to_owned());
    let print = ticket_print(issued, location_name);
    print_ticket(config, &print, outputs)
        .map_err(|e| Failure::NotPrinted(e.context(format!("ticket {}", issued.number))))
}

/// What goes on paper for an issued ticket.
fn ticket_print(issued: &Issued, location_name: String) -> TicketPrint {
    TicketPrint {
        municipality: "Borgerservice".into(),
        location: location_name,
        number: issued.number.clone(),
        errand: issued.service.clone(),
        issued_local: issued_line(&issued.issued_at),
        people_ahead: issued.position.unwrap_or(0),
        estimated_wait_minutes: issued.estimated_wait_minutes,
        status_url: issued.status_url.clone(),
        footer_da: "Scan koden og følg køen på din telefon".into(),
        footer_en: "Scan the code to follow the queue on your phone".into(),
    }
}

/// `kl. 10:14`: the server's timestamp already carries the location's offset, so its
/// clock time is the local time and no time-zone database is needed here.
fn issued_line(issued_at: &str) -> String {
    match client::local_parts(issued_at) {
        Some((_, time)) => format!("kl. {time}"),
        // A time the kiosk cannot read is left off rather than guessed.
        None => String::new(),
    }
}

/// Renders the ticket and sends it to the files and the printer that are configured.
fn print_ticket(config: &Config, print: &TicketPrint, outputs: Outputs<'_>) -> anyhow::Result<()> {
    let image = render(print, config.paper)?;
    if let Some(path) = outputs.png {
        write_file(
            path,
            &ticket::to_png(&image).context("cannot encode PNG")?,
            "--png",
        )?;
    }
    let job = ticket::to_escpos(&image).context("cannot encode ESC/POS")?;
    if let Some(path) = outputs.escpos {
        write_file(path, &job, "--escpos")?;
    }
    if let Some(target) = &config.printer {
        Printer::new(target.clone())
            .send(&job)
            .context("the ticket was not printed; its number is shown above")?;
    }
    Ok(())
}

fn render(print: &TicketPrint, paper: Paper) -> anyhow::Result<image::GrayImage> {
    ticket::render(print, paper).context("cannot render the ticket")
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
