//! The real Skranke server, run in-process on a loopback port with a fresh SQLite
//! database and the demo organisation, for the kiosk's tests against it.

use std::net::TcpListener;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use skranke::app;
use skranke::clock::{Clock, ManualClock};
use skranke::config::Settings;
use skranke::startup::{Application, Provided};
use skranke::store::{self, DatabaseUrl};

pub struct Server {
    pub base: String,
    pub clock: Arc<ManualClock>,
    /// The server's database, for a test that needs what the demo leaves out (a password).
    #[allow(dead_code)]
    pub pool: store::Pool,
    _dir: tempfile::TempDir,
}

/// A Tuesday morning in Copenhagen with the city hall open.
pub fn tuesday() -> DateTime<Utc> {
    "2027-03-30T08:30:00Z".parse().unwrap()
}

pub fn start_server() -> Server {
    start_server_on(TcpListener::bind("127.0.0.1:0").unwrap())
}

/// The server on a listener the test bound, so that a kiosk can be pointed at the address
/// before the server is there.
pub fn start_server_on(listener: TcpListener) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let path: String = dir.path().join("skranke.db").to_string_lossy().into();
    let url = DatabaseUrl::Sqlite(path.clone());
    let pool = store::connect(&url, 4).unwrap();
    let clock = Arc::new(ManualClock::new(tuesday()));
    let spec = app::demo::organisation().unwrap();
    app::organisation::import(&mut pool.get().unwrap(), &spec, clock.now()).unwrap();

    let settings = Settings {
        database_url: path,
        ..Settings::default()
    };
    let pool_kept = pool.clone();
    let provided = Provided {
        pool: Some(pool),
        clock: Some(clock.clone()),
        listener: Some(listener),
        without_workers: true,
    };
    let application = Application::build_with(&settings, provided).unwrap();
    let base = application.public_base().to_owned();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(application.run_until_stopped())
    });
    Server {
        base,
        clock,
        pool: pool_kept,
        _dir: dir,
    }
}
