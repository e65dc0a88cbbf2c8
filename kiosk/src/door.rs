//! The kiosk's door: take a ticket or check a booking in through the server, then render
//! and print it. Shared by the one-shot commands and the touch screen.

use std::sync::Mutex;

use image::GrayImage;

use crate::client::{local_parts, Client, ClientError, Issued, PrintNames, Visit};
use crate::config::Language;
use crate::printer::Printer;
use crate::scan::Scan;
use crate::ticket::{self, Paper, TicketError, TicketPrint};

/// A ticket that the server issued, with its print.
#[derive(Debug)]
pub struct Handed {
    pub issued: Issued,
    pub image: GrayImage,
    /// The ESC/POS job that was (or would have been) sent to the printer.
    pub job: Vec<u8>,
    /// Why the configured printer did not print it, if it did not. The ticket is valid
    /// either way: its number is on the screen.
    pub print_failure: Option<String>,
}

pub struct Door {
    client: Client,
    location: String,
    printer: Option<Printer>,
    paper: Paper,
    /// The names for the print, learned once from the server.
    names: Mutex<Option<PrintNames>>,
}

impl Door {
    pub fn new(client: Client, location: String, printer: Option<Printer>, paper: Paper) -> Self {
        Self {
            client,
            location,
            printer,
            paper,
            names: Mutex::new(None),
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn location(&self) -> &str {
        &self.location
    }

    /// Whether tickets are printed here; without a printer the screen is the ticket.
    pub fn has_printer(&self) -> bool {
        self.printer.is_some()
    }

    /// Takes a ticket for an errand and prints it, its words in `lang`.
    pub fn take(&self, service: &str, assist: bool, lang: Language) -> Result<Handed, DoorError> {
        let issued = self.client.take_ticket(&self.location, service, assist)?;
        self.hand_out(issued, lang)
    }

    /// Takes one ticket for a visit of several errands, or with needs, and prints it.
    pub fn take_visit(
        &self,
        visit: &Visit,
        assist: bool,
        lang: Language,
    ) -> Result<Handed, DoorError> {
        let issued = self.client.take_visit(&self.location, visit, assist)?;
        self.hand_out(issued, lang)
    }

    /// Checks a scanned booking in and prints its ticket, its words in `lang`.
    pub fn check_in(&self, scan: &Scan, lang: Language) -> Result<Handed, DoorError> {
        let issued = self.client.check_in(scan)?;
        self.hand_out(issued, lang)
    }

    fn hand_out(&self, issued: Issued, lang: Language) -> Result<Handed, DoorError> {
        let print = ticket_print(&issued, &self.names(), lang);
        let image = ticket::render(&print, self.paper).map_err(|e| DoorError::Render {
            number: issued.number.clone(),
            source: e,
        })?;
        let job = ticket::to_escpos(&image).map_err(|e| DoorError::Render {
            number: issued.number.clone(),
            source: e,
        })?;
        let print_failure = self
            .printer
            .as_ref()
            .and_then(|printer| printer.send(&job).err())
            .map(|e| e.to_string());
        Ok(Handed {
            issued,
            image,
            job,
            print_failure,
        })
    }

    /// Best effort: the ticket is valid without the pretty names, so a failed lookup
    /// prints the slugs (and asks again next time) rather than losing the ticket.
    fn names(&self) -> PrintNames {
        let mut known = self.names.lock().expect("the names lock");
        if let Some(names) = known.as_ref() {
            return names.clone();
        }
        match self.client.print_names(&self.location) {
            Ok(names) => known.insert(names).clone(),
            Err(_) => PrintNames {
                name: self.location.clone(),
                ..PrintNames::default()
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DoorError {
    #[error(transparent)]
    Server(#[from] ClientError),
    /// The server issued the ticket, but it cannot be drawn; the number still stands.
    #[error("ticket {number}: cannot render its print: {source}")]
    Render { number: String, source: TicketError },
}

/// What goes on paper for an issued ticket; the footer in the citizen's language, as the
/// server's catalogue says it (left off when the names could not be learned).
pub fn ticket_print(issued: &Issued, names: &PrintNames, lang: Language) -> TicketPrint {
    TicketPrint {
        municipality: names.organisation.clone(),
        location: names.name.clone(),
        number: issued.number.clone(),
        errand: errands_line(issued, names),
        issued_local: issued_line(&issued.issued_at),
        people_ahead: issued.position.unwrap_or(0),
        estimated_wait_minutes: issued.estimated_wait_minutes,
        status_url: issued.status_url.clone(),
        footer: names
            .text(lang, "kiosk.ticket_footer")
            .unwrap_or_default()
            .to_owned(),
    }
}

/// The errands on paper: the one it waits for, or every errand of the visit (`2 × Pas,
/// Kørekort`), by their Danish names where the menu has them.
fn errands_line(issued: &Issued, names: &PrintNames) -> String {
    let name = |slug: &str| names.errand(slug).unwrap_or(slug).to_owned();
    if issued.services.len() < 2 && issued.services.iter().all(|e| e.quantity == 1) {
        return name(&issued.service);
    }
    issued
        .services
        .iter()
        .map(|e| match e.quantity {
            1 => name(&e.service),
            n => format!("{n} × {}", name(&e.service)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `kl. 10:14`: the server's timestamp already carries the location's offset, so its
/// clock time is the local time and no time-zone database is needed here.
fn issued_line(issued_at: &str) -> String {
    match local_parts(issued_at) {
        Some((_, time)) => format!("kl. {time}"),
        // A time the kiosk cannot read is left off rather than guessed.
        None => String::new(),
    }
}
