//! Time from a touch to print-ready bytes: the kiosk's door taking a ticket from a real
//! server on loopback (SQLite), rendering it and encoding it as ESC/POS.
//!
//! `cargo bench -p skranke-kiosk --bench touch_to_print` prints p50, p99 and the mean.

use std::time::{Duration, Instant};

use skranke_kiosk::client::Client;
use skranke_kiosk::config::Language;
use skranke_kiosk::door::Door;
use skranke_kiosk::ticket::Paper;

#[allow(dead_code)]
#[path = "../tests/support/server.rs"]
mod support;

const TOUCHES: usize = 300;

fn main() {
    let server = support::start_server();
    for paper in [Paper::Mm58, Paper::Mm80] {
        let door = Door::new(
            Client::new(server.base.parse().unwrap()),
            "raadhuset".into(),
            None,
            paper,
        );
        // The first touch learns the location's name and warms the connection.
        door.take("vejledning", false, Language::Da).unwrap();
        let mut times: Vec<Duration> = (0..TOUCHES)
            .map(|_| {
                let start = Instant::now();
                let handed = door.take("vejledning", false, Language::Da).unwrap();
                assert!(!handed.job.is_empty());
                start.elapsed()
            })
            .collect();
        times.sort();
        let mean = times.iter().sum::<Duration>() / TOUCHES as u32;
        println!(
            "touch to print-ready bytes, {paper:?}, {TOUCHES} tickets: p50 {:.1} ms, p99 {:.1} ms, mean {:.1} ms",
            ms(times[TOUCHES / 2]),
            ms(times[TOUCHES * 99 / 100]),
            ms(mean)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
