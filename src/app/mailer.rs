//! Sending mail: the transport (SMTP, or `.eml` files without a server), and the sender and
//! recipient every citizen's mail has.

use std::path::PathBuf;

use lettre::message::Mailbox;
use lettre::{FileTransport, Message, SmtpTransport, Transport as _};

use crate::app::transport::{Failure, Transport};
use crate::domain::email;
use crate::domain::municipality::Municipality;
use crate::error::{AppError, AppResult};

/// Where mail goes.
pub enum Mailer {
    Smtp(SmtpTransport),
    Files(FileTransport),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Smtp(_) => "Mailer::Smtp",
            Self::Files(_) => "Mailer::Files",
        })
    }
}

impl Mailer {
    /// SMTP when a URL is given (`smtp://user:pass@host:port`), else `.eml` files in `dir`.
    pub fn new(smtp_url: Option<&str>, dir: PathBuf) -> AppResult<Self> {
        match smtp_url {
            Some(url) => SmtpTransport::from_url(url)
                .map(|b| Self::Smtp(b.timeout(Some(std::time::Duration::from_secs(20))).build()))
                .map_err(|e| AppError::invalid_field("SKRANKE_SMTP_URL", e.to_string())),
            None => {
                std::fs::create_dir_all(&dir)
                    .map_err(|e| AppError::Internal(format!("creating {}: {e}", dir.display())))?;
                Ok(Self::Files(FileTransport::new(dir)))
            }
        }
    }
}

impl Transport<Message> for Mailer {
    fn send(&self, message: &Message) -> Result<(), Failure> {
        match self {
            Self::Smtp(t) => t.send(message).map(drop).map_err(|e| {
                if refuses_this_message(&e) {
                    Failure::permanent(&e.to_string())
                } else {
                    Failure::passing(&e.to_string())
                }
            }),
            Self::Files(t) => t
                .send(message)
                .map(drop)
                .map_err(|e| Failure::passing(&e.to_string())),
        }
    }
}

/// Whether the SMTP server refused this message or its recipient for good: a 5xx reply in
/// the syntax (50x) or mail system (55x) classes, such as `550 5.1.1` for an unknown
/// mailbox. A 5xx about the connection or the sign-in (52x, 53x) is the server's set-up,
/// not the message's, and is tried again like a 4xx or a lost connection.
fn refuses_this_message(e: &lettre::transport::smtp::Error) -> bool {
    use lettre::transport::smtp::response::Category;
    e.is_permanent()
        && e.status()
            .is_some_and(|code| matches!(code.category, Category::Syntax | Category::MailSystem))
}

/// The sender of citizens' mail before the organisation file names its own.
pub const FROM: &str = "Skranke <no-reply@skranke.invalid>";

/// Who a citizen's mail is from and where an answer to it goes: the municipality's sender
/// and `Reply-To` as its organisation file names them, read as the mail is composed so a
/// new import applies to the next mail.
#[derive(Debug, Clone)]
pub(crate) struct Sender {
    from: Mailbox,
    reply_to: Option<Mailbox>,
}

impl Sender {
    pub(crate) fn of(municipality: Option<&Municipality>) -> AppResult<Self> {
        let Some(m) = municipality else {
            return Ok(Self {
                from: FROM.parse().expect("a valid sender"),
                reply_to: None,
            });
        };
        let address = |field: &str, raw: &str| {
            raw.parse::<lettre::Address>()
                .map_err(|e| AppError::invalid_field(field, e.to_string()))
        };
        Ok(Self {
            from: Mailbox::new(
                Some(m.mail_from_name.clone()),
                address("municipality.mail_from", &m.mail_from)?,
            ),
            reply_to: Some(Mailbox::new(
                Some(m.mail_from_name.clone()),
                address("municipality.reply_to", &m.reply_to)?,
            )),
        })
    }

    /// A message from this sender, its `Reply-To` set.
    pub(crate) fn message(&self) -> lettre::message::MessageBuilder {
        let builder = Message::builder().from(self.from.clone());
        match &self.reply_to {
            Some(reply_to) => builder.reply_to(reply_to.clone()),
            None => builder,
        }
    }
}

/// The recipient of a citizen's mail, by the rules every address met when it was given
/// (`domain::email`); a row stored before those rules, or written around them, fails here.
pub(crate) fn recipient(to: &str) -> AppResult<Mailbox> {
    let address = email::parse(to)
        .and_then(|a| {
            a.parse()
                .map_err(|e: lettre::address::AddressError| e.to_string())
        })
        .map_err(|why| AppError::invalid_field("recipient", why))?;
    Ok(Mailbox::new(None, address))
}
