//! Where printed tickets go: a file, a printer's device node, or a network printer's raw
//! TCP port (JetDirect/"port 9100" printing, which ESC/POS receipt printers speak).

use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use thiserror::Error;
use url::{Host, Url};

/// The port network receipt printers listen on for raw print data.
pub const RAW_PRINT_PORT: u16 = 9100;

/// How long connecting to, or writing to, a printer may take before it counts as failed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// A place to send ESC/POS bytes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterTarget {
    /// A regular file, created or replaced on each print (for tests and emulators).
    File(PathBuf),
    /// A device node such as `/dev/usb/lp0`. It is never created: a missing node means
    /// the printer is unplugged, and must be reported rather than written as a new file.
    Device(PathBuf),
    /// A printer listening for raw print data on a TCP port.
    Tcp { host: String, port: u16 },
}

/// A printer target string that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TargetError {
    #[error("is empty; give a file, a device such as /dev/usb/lp0, or tcp://host:9100")]
    Empty,
    #[error("'{0}' has no host; write it as tcp://host:9100")]
    MissingHost(String),
    #[error("'{target}' is not a valid printer address: {reason}")]
    InvalidTcp { target: String, reason: String },
    #[error("scheme '{0}' is not supported; use a file, a device path or tcp://host:9100")]
    UnsupportedScheme(String),
}

impl FromStr for PrinterTarget {
    type Err = TargetError;

    fn from_str(raw: &str) -> Result<Self, TargetError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(TargetError::Empty);
        }
        if let Some((scheme, _)) = raw.split_once("://") {
            return if scheme.eq_ignore_ascii_case("tcp") {
                parse_tcp(raw)
            } else {
                Err(TargetError::UnsupportedScheme(scheme.to_owned()))
            };
        }
        let path = PathBuf::from(raw);
        Ok(if path.starts_with("/dev") {
            PrinterTarget::Device(path)
        } else {
            PrinterTarget::File(path)
        })
    }
}

fn parse_tcp(raw: &str) -> Result<PrinterTarget, TargetError> {
    let invalid = |reason: String| TargetError::InvalidTcp {
        target: raw.to_owned(),
        reason,
    };
    let url = Url::parse(raw).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.path(), "" | "/") || url.query().is_some() {
        return Err(invalid("only a host and a port are allowed".into()));
    }
    // `Host` rather than `host_str`: the latter keeps IPv6 brackets, which the socket
    // address resolver does not accept.
    let host = match url.host() {
        Some(Host::Domain(name)) if !name.is_empty() => name.to_owned(),
        Some(Host::Ipv4(ip)) => ip.to_string(),
        Some(Host::Ipv6(ip)) => ip.to_string(),
        _ => return Err(TargetError::MissingHost(raw.to_owned())),
    };
    let port = url.port().unwrap_or(RAW_PRINT_PORT);
    Ok(PrinterTarget::Tcp { host, port })
}

impl fmt::Display for PrinterTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrinterTarget::File(path) | PrinterTarget::Device(path) => {
                write!(f, "{}", path.display())
            }
            PrinterTarget::Tcp { host, port } if host.contains(':') => {
                write!(f, "tcp://[{host}]:{port}")
            }
            PrinterTarget::Tcp { host, port } => write!(f, "tcp://{host}:{port}"),
        }
    }
}

/// Why a print did not reach the printer. The OS error, if any, is the [`source`].
///
/// [`source`]: std::error::Error::source
#[derive(Debug, Error)]
pub enum PrinterError {
    #[error("printer {target}: cannot open it")]
    Open { target: String, source: io::Error },
    #[error("printer {target}: cannot resolve the host name")]
    Resolve { target: String, source: io::Error },
    #[error("printer {target}: cannot connect")]
    Connect { target: String, source: io::Error },
    #[error("printer {target}: writing failed")]
    Write { target: String, source: io::Error },
    #[error("printer {target}: no answer within {} s", timeout.as_secs_f32())]
    TimedOut { target: String, timeout: Duration },
}

/// A printer target with the time limits used when sending to it.
#[derive(Debug, Clone)]
pub struct Printer {
    target: PrinterTarget,
    timeout: Duration,
}

impl Printer {
    pub fn new(target: PrinterTarget) -> Self {
        Self {
            target,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Sets the limit for connecting and for writing (each, not in total).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn target(&self) -> &PrinterTarget {
        &self.target
    }

    /// Sends `bytes` to the printer; returns once they are handed to the OS or the peer.
    pub fn send(&self, bytes: &[u8]) -> Result<(), PrinterError> {
        match &self.target {
            PrinterTarget::File(path) => self.write_path(path, bytes, true),
            PrinterTarget::Device(path) => self.write_path(path, bytes, false),
            PrinterTarget::Tcp { host, port } => self.send_tcp(host, *port, bytes),
        }
    }

    fn name(&self) -> String {
        self.target.to_string()
    }

    /// Writes to a file or device on a helper thread: a device write to a printer that is
    /// out of paper or offline can block indefinitely, and the kiosk must not hang with it.
    fn write_path(&self, path: &Path, bytes: &[u8], create: bool) -> Result<(), PrinterError> {
        let (path, bytes) = (path.to_owned(), bytes.to_vec());
        let (done_tx, done_rx) = mpsc::channel();
        let name = self.name();
        thread::spawn(move || {
            let result = write_file(&path, &bytes, create, &name);
            // The receiver is gone only if it gave up waiting; nothing is left to tell.
            let _ = done_tx.send(result);
        });
        match done_rx.recv_timeout(self.timeout) {
            Ok(result) => result,
            Err(_) => Err(PrinterError::TimedOut {
                target: self.name(),
                timeout: self.timeout,
            }),
        }
    }

    fn send_tcp(&self, host: &str, port: u16, bytes: &[u8]) -> Result<(), PrinterError> {
        let mut stream = self.connect(host, port)?;
        let write_err = |source| {
            self.io_error(source, |target, source| PrinterError::Write {
                target,
                source,
            })
        };
        stream
            .set_write_timeout(Some(self.timeout))
            .map_err(write_err)?;
        stream.write_all(bytes).map_err(write_err)?;
        stream.flush().map_err(write_err)?;
        // Closing our side tells printers that wait for the end of the job to print it.
        stream.shutdown(Shutdown::Write).map_err(write_err)
    }

    /// Tries each address the host resolves to, as a name may have IPv6 and IPv4 ones.
    fn connect(&self, host: &str, port: u16) -> Result<TcpStream, PrinterError> {
        let addrs: Vec<SocketAddr> = (host, port)
            .to_socket_addrs()
            .map_err(|source| PrinterError::Resolve {
                target: self.name(),
                source,
            })?
            .collect();
        let mut last_error = io::Error::new(io::ErrorKind::NotFound, "no address for the host");
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, self.timeout) {
                Ok(stream) => return Ok(stream),
                Err(e) => last_error = e,
            }
        }
        Err(
            self.io_error(last_error, |target, source| PrinterError::Connect {
                target,
                source,
            }),
        )
    }

    /// Maps I/O errors to `variant`, except timeouts, which get their own plain message.
    fn io_error(
        &self,
        source: io::Error,
        variant: impl FnOnce(String, io::Error) -> PrinterError,
    ) -> PrinterError {
        if matches!(
            source.kind(),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
        ) {
            PrinterError::TimedOut {
                target: self.name(),
                timeout: self.timeout,
            }
        } else {
            variant(self.name(), source)
        }
    }
}

fn write_file(path: &Path, bytes: &[u8], create: bool, name: &str) -> Result<(), PrinterError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(create)
        .truncate(create)
        .open(path)
        .map_err(|source| PrinterError::Open {
            target: name.to_owned(),
            source,
        })?;
    let write_err = |source| PrinterError::Write {
        target: name.to_owned(),
        source,
    };
    file.write_all(bytes).map_err(write_err)?;
    file.flush().map_err(write_err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    #[test]
    fn parses_targets() {
        let parse = |s: &str| s.parse::<PrinterTarget>();
        assert_eq!(
            parse("/tmp/ticket.bin"),
            Ok(PrinterTarget::File("/tmp/ticket.bin".into()))
        );
        assert_eq!(
            parse("ticket.bin"),
            Ok(PrinterTarget::File("ticket.bin".into()))
        );
        assert_eq!(
            parse("/dev/usb/lp0"),
            Ok(PrinterTarget::Device("/dev/usb/lp0".into()))
        );
        assert_eq!(
            parse("tcp://printer.local:9100"),
            Ok(PrinterTarget::Tcp {
                host: "printer.local".into(),
                port: 9100
            })
        );
        assert_eq!(
            parse("tcp://10.0.0.7"),
            Ok(PrinterTarget::Tcp {
                host: "10.0.0.7".into(),
                port: 9100
            })
        );
        assert_eq!(
            parse("tcp://[::1]:9101"),
            Ok(PrinterTarget::Tcp {
                host: "::1".into(),
                port: 9101
            })
        );
    }

    #[test]
    fn rejects_bad_targets() {
        let parse = |s: &str| s.parse::<PrinterTarget>();
        assert_eq!(parse("  "), Err(TargetError::Empty));
        assert!(matches!(
            parse("http://printer:9100"),
            Err(TargetError::UnsupportedScheme(s)) if s == "http"
        ));
        assert!(matches!(
            parse("tcp://printer:99999"),
            Err(TargetError::InvalidTcp { .. })
        ));
        assert!(matches!(
            parse("tcp://printer:9100/queue"),
            Err(TargetError::InvalidTcp { .. })
        ));
        assert!(parse("tcp://:9100").is_err());
    }

    #[test]
    fn display_round_trips() {
        for raw in [
            "/dev/usb/lp0",
            "out.bin",
            "tcp://printer:9100",
            "tcp://[::1]:9100",
        ] {
            let target: PrinterTarget = raw.parse().unwrap();
            assert_eq!(target.to_string(), raw);
            assert_eq!(target.to_string().parse::<PrinterTarget>(), Ok(target));
        }
    }

    #[test]
    fn writes_to_a_file_replacing_the_previous_print() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ticket.bin");
        let printer = Printer::new(PrinterTarget::File(path.clone()));
        printer.send(b"first, longer print").unwrap();
        printer.send(b"\x1b@second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"\x1b@second");
    }

    #[test]
    fn a_missing_device_is_reported_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lp0");
        let err = Printer::new(PrinterTarget::Device(path.clone()))
            .send(b"x")
            .unwrap_err();
        assert!(matches!(err, PrinterError::Open { .. }), "{err}");
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn writes_to_a_device() {
        let target: PrinterTarget = "/dev/null".parse().unwrap();
        assert_eq!(target, PrinterTarget::Device("/dev/null".into()));
        Printer::new(target).send(b"\x1b@").unwrap();
    }

    /// A FIFO without a reader blocks its writer, like a printer that has stopped.
    #[cfg(unix)]
    #[test]
    fn a_device_that_blocks_times_out() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("lp0");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
        let err = Printer::new(PrinterTarget::Device(fifo))
            .with_timeout(Duration::from_millis(200))
            .send(b"x")
            .unwrap_err();
        assert!(matches!(err, PrinterError::TimedOut { .. }), "{err}");
    }

    #[test]
    fn a_printer_that_stops_reading_times_out() {
        // Connections complete in the kernel's backlog without `accept`, and then nobody
        // reads: once the socket buffers are full, the write blocks.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let target = PrinterTarget::Tcp {
            host: "127.0.0.1".into(),
            port,
        };
        let err = Printer::new(target)
            .with_timeout(Duration::from_millis(300))
            .send(&vec![0; 64 << 20])
            .unwrap_err();
        assert!(matches!(err, PrinterError::TimedOut { .. }), "{err}");
        drop(listener);
    }

    #[test]
    fn sends_raw_bytes_over_tcp() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = thread::spawn(move || {
            let (mut socket, _) = listener.accept().unwrap();
            let mut bytes = Vec::new();
            socket.read_to_end(&mut bytes).unwrap();
            bytes
        });
        let payload: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
        let target = format!("tcp://127.0.0.1:{port}").parse().unwrap();
        Printer::new(target).send(&payload).unwrap();
        assert_eq!(received.join().unwrap(), payload);
    }

    #[test]
    fn a_closed_port_is_a_connect_error() {
        // Bind and drop to get a port that nothing listens on.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let target = PrinterTarget::Tcp {
            host: "127.0.0.1".into(),
            port,
        };
        let err = Printer::new(target)
            .with_timeout(Duration::from_secs(1))
            .send(b"x")
            .unwrap_err();
        assert!(
            matches!(
                err,
                PrinterError::Connect { .. } | PrinterError::TimedOut { .. }
            ),
            "{err}"
        );
        assert!(err.to_string().contains(&format!("127.0.0.1:{port}")));
    }
}
