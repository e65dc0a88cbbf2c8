//! Command line, environment and config file, merged into one validated [`Config`].
//!
//! Each setting is taken from the first of: its flag, its environment variable, its key in
//! the TOML file named by `--config`, its default. Every value is validated wherever it came
//! from, and an error names the flag and, when the value came from elsewhere, that place
//! too, so whoever set up the kiosk finds the wrong line at once.

use std::ffi::OsString;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand};
use serde::Deserialize;
use thiserror::Error;
use url::Url;

use crate::printer::PrinterTarget;
use crate::ticket::Paper;

/// Kiosk for Skranke: errand menu on a touch screen, printed queue tickets, check-in by
/// scanning a booking's QR code.
#[derive(Debug, Parser)]
#[command(name = "skranke-kiosk", version)]
pub struct Cli {
    /// Base URL of the Skranke server, e.g. https://skranke.kommune.dk
    #[arg(long, env = SERVER.env, value_name = "URL", global = true)]
    pub server: Option<String>,

    /// The location (office) this kiosk stands in, by its slug, e.g. raadhuset
    #[arg(long, env = LOCATION.env, value_name = "SLUG", global = true)]
    pub location: Option<String>,

    /// Language the touch screen starts in: da or en [default: da]
    #[arg(long, env = LANGUAGE.env, value_name = "da|en", global = true)]
    pub language: Option<String>,

    /// Where tickets are printed: a file, a device such as /dev/usb/lp0, or tcp://host:9100
    #[arg(long, env = PRINTER.env, value_name = "TARGET", global = true)]
    pub printer: Option<String>,

    /// Paper roll width in millimetres: 58 or 80 [default: 80]
    #[arg(long, env = PAPER.env, value_name = "58|80", global = true)]
    pub paper: Option<String>,

    /// TOML file with any of the keys server, location, language, printer, paper
    #[arg(long, env = "SKRANKE_KIOSK_CONFIG", value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,

    /// Where each flag's value came from, filled in by [`Cli::try_parse_args`].
    #[arg(skip)]
    from_env: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Serve the touch-screen page on loopback, for a browser in kiosk mode
    Serve {
        /// Where the page is served; keep it on loopback
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1:8765")]
        listen: std::net::SocketAddr,
    },
    /// Take a ticket for an errand and print it
    Ticket {
        /// The errand (service) by its slug, e.g. pas
        #[arg(long, value_name = "SLUG", value_parser = parse_slug_arg)]
        service: String,
        /// The citizen cannot do the errand online and wants help at a desk
        #[arg(long)]
        assist: bool,
        /// Also write the ticket as a PNG image to this file
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
        /// Also write the ESC/POS print job to this file
        #[arg(long, value_name = "FILE")]
        escpos: Option<PathBuf>,
    },
    /// Check a booking in from what a QR scanner typed, and print its ticket
    CheckIn {
        /// The scanned text (scanners type it like a keyboard)
        #[arg(long, value_name = "TEXT")]
        scan: String,
        /// Also write the ticket as a PNG image to this file
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
        /// Also write the ESC/POS print job to this file
        #[arg(long, value_name = "FILE")]
        escpos: Option<PathBuf>,
    },
    /// Render a sample ticket, to check the layout and the printer
    #[command(hide = true)]
    Sample {
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        escpos: Option<PathBuf>,
        /// Send the sample to the configured printer
        #[arg(long)]
        print: bool,
    },
}

/// A setting's names in the three places it can be given.
#[derive(Clone, Copy)]
struct Setting {
    /// clap's argument id and the config file's key: the field's name in both structs.
    key: &'static str,
    flag: &'static str,
    env: &'static str,
    from_cli: fn(&Cli) -> Option<String>,
    from_file: fn(&FileConfig) -> Option<String>,
}

const SERVER: Setting = Setting {
    key: "server",
    flag: "--server",
    env: "SKRANKE_KIOSK_SERVER",
    from_cli: |cli| cli.server.clone(),
    from_file: |file| file.server.clone(),
};
const LOCATION: Setting = Setting {
    key: "location",
    flag: "--location",
    env: "SKRANKE_KIOSK_LOCATION",
    from_cli: |cli| cli.location.clone(),
    from_file: |file| file.location.clone(),
};
const LANGUAGE: Setting = Setting {
    key: "language",
    flag: "--language",
    env: "SKRANKE_KIOSK_LANGUAGE",
    from_cli: |cli| cli.language.clone(),
    from_file: |file| file.language.clone(),
};
const PRINTER: Setting = Setting {
    key: "printer",
    flag: "--printer",
    env: "SKRANKE_KIOSK_PRINTER",
    from_cli: |cli| cli.printer.clone(),
    from_file: |file| file.printer.clone(),
};
const PAPER: Setting = Setting {
    key: "paper",
    flag: "--paper",
    env: "SKRANKE_KIOSK_PAPER",
    from_cli: |cli| cli.paper.clone(),
    from_file: |file| {
        file.paper.as_ref().map(|paper| match paper {
            PaperValue::Number(n) => n.to_string(),
            PaperValue::Text(s) => s.clone(),
        })
    },
};
const SETTINGS: [Setting; 5] = [SERVER, LOCATION, LANGUAGE, PRINTER, PAPER];

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Flag,
    Env,
    File(PathBuf),
}

/// A setting with the origin of its value, displayed as the flag plus the actual origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingName(String);

impl SettingName {
    fn new(setting: Setting, origin: &Origin) -> Self {
        Self(match origin {
            Origin::Flag => setting.flag.to_owned(),
            Origin::Env => format!("{} (from {})", setting.flag, setting.env),
            Origin::File(path) => {
                format!("{} (`{}` in {})", setting.flag, setting.key, path.display())
            }
        })
    }
}

impl fmt::Display for SettingName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{setting}: {message}")]
    Invalid {
        setting: SettingName,
        message: String,
    },
    #[error("{flag} is required (or set {env}, or `{key}` in the --config file)")]
    Missing {
        flag: &'static str,
        env: &'static str,
        key: &'static str,
    },
    #[error("--config {}: cannot read the file", path.display())]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("--config {}: {message}", path.display())]
    ParseFile { path: PathBuf, message: String },
}

/// The language the touch screen starts in, and the one a citizen chose on it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Da,
    En,
}

impl Language {
    /// `da` or `en`, as the server's catalogue names its languages.
    pub fn code(self) -> &'static str {
        match self {
            Language::Da => "da",
            Language::En => "en",
        }
    }
}

impl std::str::FromStr for Language {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "da" => Ok(Language::Da),
            "en" => Ok(Language::En),
            _ => Err(format!("must be da or en, got '{raw}'")),
        }
    }
}

/// The validated settings. Server and location are optional here because not every
/// subcommand talks to a server; [`Config::server`] and [`Config::location`] insist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub server: Option<Url>,
    pub location: Option<String>,
    pub language: Language,
    pub printer: Option<PrinterTarget>,
    pub paper: Paper,
}

impl Config {
    pub fn server(&self) -> Result<&Url, ConfigError> {
        self.server.as_ref().ok_or_else(|| missing(SERVER))
    }

    pub fn location(&self) -> Result<&str, ConfigError> {
        self.location.as_deref().ok_or_else(|| missing(LOCATION))
    }
}

fn missing(setting: Setting) -> ConfigError {
    ConfigError::Missing {
        flag: setting.flag,
        env: setting.env,
        key: setting.key,
    }
}

/// The config file: the same keys as the flags. Unknown keys are refused, since a
/// misspelt key silently ignored is a kiosk printing to the wrong place.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    server: Option<String>,
    location: Option<String>,
    language: Option<String>,
    printer: Option<String>,
    paper: Option<PaperValue>,
}

/// `paper = 80` and `paper = "80"` both read naturally in TOML.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PaperValue {
    Number(i64),
    Text(String),
}

impl FileConfig {
    fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = fs::read_to_string(path).map_err(|source| ConfigError::ReadFile {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::ParseFile {
            path: path.to_owned(),
            // toml's message names the line, column and key.
            message: e.to_string().trim_end().to_owned(),
        })
    }
}

impl Cli {
    /// Parses arguments (and the environment, through clap), remembering which values
    /// came from environment variables so that errors can say so.
    pub fn try_parse_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let matches = Self::command().try_get_matches_from(args)?;
        let mut cli = Self::from_arg_matches(&matches)?;
        cli.from_env = env_sourced(&matches);
        Ok(cli)
    }

    /// Merges flags, environment, the config file and defaults, and validates the result.
    pub fn config(&self) -> Result<Config, ConfigError> {
        let file = match &self.config {
            Some(path) => Some((FileConfig::read(path)?, path.as_path())),
            None => None,
        };
        let value = |setting: Setting| self.value(setting, file.as_ref());
        Ok(Config {
            server: value(SERVER).map(parse_server).transpose()?,
            location: value(LOCATION).map(parse_location).transpose()?,
            language: value(LANGUAGE)
                .map(|v| v.parse_with(str::parse))
                .transpose()?
                .unwrap_or_default(),
            printer: value(PRINTER)
                .map(|v| v.parse_with(|s| s.parse().map_err(|e| format!("{e}"))))
                .transpose()?,
            paper: value(PAPER)
                .map(|v| v.parse_with(|s| s.parse().map_err(|e| format!("{e}"))))
                .transpose()?
                .unwrap_or(Paper::Mm80),
        })
    }

    fn value(&self, setting: Setting, file: Option<&(FileConfig, &Path)>) -> Option<Sourced> {
        if let Some(raw) = (setting.from_cli)(self) {
            let origin = if self.from_env.contains(&setting.key) {
                Origin::Env
            } else {
                Origin::Flag
            };
            return Some(Sourced::new(setting, origin, raw));
        }
        let (file, path) = file?;
        let raw = (setting.from_file)(file)?;
        Some(Sourced::new(setting, Origin::File(path.to_path_buf()), raw))
    }
}

fn env_sourced(matches: &ArgMatches) -> Vec<&'static str> {
    SETTINGS
        .iter()
        .filter(|s| matches.value_source(s.key) == Some(ValueSource::EnvVariable))
        .map(|s| s.key)
        .collect()
}

/// A raw value with the name to blame if it is invalid.
struct Sourced {
    name: SettingName,
    raw: String,
}

impl Sourced {
    fn new(setting: Setting, origin: Origin, raw: String) -> Self {
        Self {
            name: SettingName::new(setting, &origin),
            raw,
        }
    }

    fn parse_with<T>(
        self,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        parse(&self.raw).map_err(|message| ConfigError::Invalid {
            setting: self.name,
            message,
        })
    }
}

fn parse_server(value: Sourced) -> Result<Url, ConfigError> {
    value.parse_with(|raw| {
        let bad = || {
            format!("must be an http or https URL such as https://skranke.kommune.dk, got '{raw}'")
        };
        let url = Url::parse(raw.trim()).map_err(|_| bad())?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(bad());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "must be the server's base URL, without '?' or '#', got '{raw}'"
            ));
        }
        Ok(url)
    })
}

fn parse_location(value: Sourced) -> Result<String, ConfigError> {
    value.parse_with(|raw| validate_slug(raw).map(|()| raw.to_owned()))
}

fn parse_slug_arg(raw: &str) -> Result<String, String> {
    validate_slug(raw).map(|()| raw.to_owned())
}

/// The server's slug rule (`Slug::parse` in the server crate): 1–64 characters of a–z,
/// 0–9 and inner hyphens. Checked here too so a typo fails at start, not at the first
/// citizen's touch.
pub fn validate_slug(raw: &str) -> Result<(), String> {
    const MAX_LEN: usize = 64;
    let ok_chars = raw
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if raw.is_empty() || raw.len() > MAX_LEN {
        Err(format!(
            "must be 1 to {MAX_LEN} characters long, got {}",
            raw.len()
        ))
    } else if !ok_chars || raw.starts_with('-') || raw.ends_with('-') {
        Err(format!(
            "'{raw}' is not a slug: use only a-z, 0-9 and hyphens inside the name"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Tests that read or set the process environment take this lock, since the
    /// environment is shared by all test threads.
    static ENV: Mutex<()> = Mutex::new(());

    fn with_env<R>(vars: &[(&str, &str)], test: impl FnOnce() -> R) -> R {
        let _guard = ENV.lock().unwrap_or_else(|e| e.into_inner());
        let all = SETTINGS
            .iter()
            .map(|s| s.env)
            .chain(["SKRANKE_KIOSK_CONFIG"]);
        for name in all {
            std::env::remove_var(name);
        }
        for (name, value) in vars {
            std::env::set_var(name, value);
        }
        let result = test();
        for (name, _) in vars {
            std::env::remove_var(name);
        }
        result
    }

    fn parse(args: &[&str]) -> Result<Config, ConfigError> {
        let args = ["skranke-kiosk"].iter().chain(args);
        Cli::try_parse_args(args).expect("arguments parse").config()
    }

    fn config_file(text: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        fs::write(file.path(), text).unwrap();
        file
    }

    #[test]
    fn defaults() {
        let config = with_env(&[], || parse(&["serve"])).unwrap();
        assert_eq!(
            config,
            Config {
                server: None,
                location: None,
                language: Language::Da,
                printer: None,
                paper: Paper::Mm80,
            }
        );
        assert!(matches!(
            config.server(),
            Err(ConfigError::Missing {
                flag: "--server",
                ..
            })
        ));
    }

    #[test]
    fn flags_beat_env_beat_file_beat_defaults() {
        let file = config_file(
            r#"
            server = "https://file.example.dk"
            location = "file-location"
            language = "en"
            printer = "tcp://file-printer:9100"
            paper = 58
            "#,
        );
        let path = file.path().to_str().unwrap();
        let env = [
            ("SKRANKE_KIOSK_SERVER", "https://env.example.dk"),
            ("SKRANKE_KIOSK_LOCATION", "env-location"),
        ];
        let config = with_env(&env, || {
            parse(&[
                "--config",
                path,
                "--server",
                "http://flag.example.dk:8080",
                "serve",
            ])
        })
        .unwrap();
        assert_eq!(
            config.server.unwrap().as_str(),
            "http://flag.example.dk:8080/"
        );
        assert_eq!(config.location.as_deref(), Some("env-location"));
        assert_eq!(config.language, Language::En);
        assert_eq!(
            config.printer,
            Some(PrinterTarget::Tcp {
                host: "file-printer".into(),
                port: 9100
            })
        );
        assert_eq!(config.paper, Paper::Mm58);
    }

    #[test]
    fn config_file_named_by_env() {
        let file = config_file("location = \"raadhuset\"\npaper = \"58mm\"\n");
        let path = file.path().to_str().unwrap();
        let config = with_env(&[("SKRANKE_KIOSK_CONFIG", path)], || parse(&["serve"])).unwrap();
        assert_eq!(config.location().unwrap(), "raadhuset");
        assert_eq!(config.paper, Paper::Mm58);
    }

    #[test]
    fn global_flags_are_accepted_after_the_subcommand() {
        let cli = with_env(&[], || {
            Cli::try_parse_args([
                "skranke-kiosk",
                "ticket",
                "--service",
                "pas",
                "--location",
                "raadhuset",
                "--paper",
                "58",
            ])
        })
        .unwrap();
        let config = cli.config().unwrap();
        assert_eq!(config.location.as_deref(), Some("raadhuset"));
        assert_eq!(config.paper, Paper::Mm58);
        assert_eq!(
            cli.command,
            Command::Ticket {
                service: "pas".into(),
                assist: false,
                png: None,
                escpos: None
            }
        );
    }

    #[test]
    fn errors_name_the_flag_and_where_the_value_came_from() {
        let err = with_env(&[], || parse(&["--server", "ftp://x.dk", "serve"])).unwrap_err();
        assert!(
            err.to_string().starts_with("--server: must be an http"),
            "{err}"
        );

        let env = [("SKRANKE_KIOSK_LOCATION", "Rådhuset")];
        let err = with_env(&env, || parse(&["serve"])).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("--location (from SKRANKE_KIOSK_LOCATION): 'Rådhuset'"),
            "{err}"
        );

        let file = config_file("paper = 76\n");
        let path = file.path().to_str().unwrap();
        let err = with_env(&[], || parse(&["--config", path, "serve"])).unwrap_err();
        let expected = format!("--paper (`paper` in {path}): paper width must be 58 or 80");
        assert!(err.to_string().starts_with(&expected), "{err}");

        let err = with_env(&[], || parse(&["--language", "de", "serve"])).unwrap_err();
        assert_eq!(err.to_string(), "--language: must be da or en, got 'de'");

        let err = with_env(&[], || parse(&["--printer", "lpd://x", "serve"])).unwrap_err();
        assert!(
            err.to_string().starts_with("--printer: scheme 'lpd'"),
            "{err}"
        );
    }

    #[test]
    fn server_urls() {
        let server = |raw: &str| {
            with_env(&[], || parse(&["--server", raw, "serve"])).map(|c| c.server.unwrap())
        };
        assert_eq!(
            server("https://skranke.kk.dk").unwrap().as_str(),
            "https://skranke.kk.dk/"
        );
        assert_eq!(server("http://127.0.0.1:8080/").unwrap().port(), Some(8080));
        for bad in [
            "skranke.kk.dk",
            "mailto:a@b.dk",
            "https://x.dk/?a=1",
            "http://",
        ] {
            assert!(server(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn file_errors_name_the_file() {
        let file = config_file("server = \"https://x.dk\"\nprinterr = \"/dev/usb/lp0\"\n");
        let path = file.path().to_str().unwrap();
        let err = with_env(&[], || parse(&["--config", path, "serve"])).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("--config {path}:")),
            "{message}"
        );
        assert!(
            message.contains("printerr") && message.contains("line 2"),
            "{message}"
        );

        let err = with_env(&[], || {
            parse(&["--config", "/nonexistent/kiosk.toml", "serve"])
        })
        .unwrap_err();
        assert!(matches!(err, ConfigError::ReadFile { .. }));
    }

    #[test]
    fn service_slug_is_checked_by_clap_naming_the_flag() {
        let err = with_env(&[], || {
            Cli::try_parse_args(["skranke-kiosk", "ticket", "--service", "Pas"])
        })
        .unwrap_err();
        assert!(err.to_string().contains("--service"), "{err}");
    }

    #[test]
    fn slugs() {
        assert!(validate_slug("koerekort-fornyelse").is_ok());
        assert!(validate_slug("a1").is_ok());
        for bad in [
            "",
            "-pas",
            "pas-",
            "Pas",
            "pås",
            "pas kort",
            &"a".repeat(65),
        ] {
            assert!(validate_slug(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn sample_is_hidden_from_help() {
        let help = Cli::command().render_long_help().to_string();
        assert!(
            help.contains("check-in") && !help.contains("sample"),
            "{help}"
        );
    }
}
