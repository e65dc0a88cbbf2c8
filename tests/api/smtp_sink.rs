//! A minimal SMTP server on loopback that a test starts and reads the mails of: a real SMTP
//! conversation, shared by the API tests and the page tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// How the sink answers a recipient: `None` takes the mail, `Some(reply)` refuses it with
/// that reply line (`550 5.1.1 <…>: Recipient address rejected`).
pub(crate) type Refusal = fn(&str) -> Option<String>;

/// A minimal SMTP server: accepts every message (or refuses recipients as told) and keeps
/// the raw text of what it accepted.
pub(crate) struct SmtpSink {
    port: u16,
    messages: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub(crate) fn start() -> Self {
        Self::refusing(|_| None)
    }

    pub(crate) fn refusing(refuse: Refusal) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let store = messages.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let store = store.clone();
                std::thread::spawn(move || serve(stream, &store, refuse));
            }
        });
        Self { port, messages }
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// A mailer that sends to this sink.
    pub(crate) fn mailer(&self) -> skranke::app::mailer::Mailer {
        skranke::app::mailer::Mailer::new(Some(&self.url()), std::env::temp_dir()).unwrap()
    }

    pub(crate) fn take(&self) -> Vec<mail_parser::Message<'static>> {
        let raw: Vec<String> = std::mem::take(&mut *self.messages.lock().unwrap());
        raw.iter()
            .map(|text| {
                mail_parser::MessageParser::default()
                    .parse(text.as_bytes())
                    .expect("a MIME message")
                    .into_owned()
            })
            .collect()
    }
}

/// The sink's end of a connection, acknowledging at once what it receives. Left to delay
/// its acknowledgements, as a connection that answers every command does, it held back the
/// end of every mail some 20 ms: lettre writes a message and its closing `.` apart, and
/// Nagle's algorithm keeps the second write until the first is acknowledged.
struct Acknowledging(TcpStream);

impl Read for Acknowledging {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        quick_ack(&self.0);
        self.0.read(buf)
    }
}

/// Asks Linux to acknowledge what arrives next at once; it turns this off again by itself,
/// so it is asked before every read.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn quick_ack(stream: &TcpStream) {
    use std::os::fd::AsRawFd;
    let on: libc::c_int = 1;
    // SAFETY: a valid socket and an option value of the size given.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_QUICKACK,
            (&on as *const libc::c_int).cast(),
            std::mem::size_of_val(&on) as libc::socklen_t,
        );
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn quick_ack(_: &TcpStream) {}

fn serve(stream: TcpStream, store: &Mutex<Vec<String>>, refuse: Refusal) {
    let mut out = stream.try_clone().unwrap();
    let mut lines = BufReader::new(Acknowledging(stream));
    let _ = out.write_all(b"220 sink ESMTP\r\n");
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let verb = line.trim_end().to_ascii_uppercase();
        let recipient = verb.starts_with("RCPT TO:").then(|| {
            line.trim_end()[8..]
                .trim_matches(['<', '>', ' '])
                .to_owned()
        });
        if let Some(reply) = recipient.as_deref().and_then(refuse) {
            let _ = out.write_all(format!("{reply}\r\n").as_bytes());
            continue;
        }
        let reply: &[u8] = if verb.starts_with("EHLO") || verb.starts_with("HELO") {
            b"250 sink\r\n"
        } else if verb == "DATA" {
            let _ = out.write_all(b"354 go on\r\n");
            let mut data = String::new();
            loop {
                line.clear();
                lines.read_line(&mut line).unwrap();
                if line == ".\r\n" {
                    break;
                }
                data.push_str(
                    line.strip_prefix('.')
                        .filter(|_| line.starts_with(".."))
                        .unwrap_or(&line),
                );
            }
            store.lock().unwrap().push(data);
            b"250 queued\r\n"
        } else if verb == "QUIT" {
            let _ = out.write_all(b"221 bye\r\n");
            return;
        } else {
            b"250 OK\r\n"
        };
        let _ = out.write_all(reply);
    }
}
