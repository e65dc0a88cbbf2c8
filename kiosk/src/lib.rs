//! The Skranke kiosk: a client of the Skranke server's HTTP API that shows the errand
//! menu on a touch screen, prints queue tickets and checks bookings in.
//!
//! - [`client`]: the server's HTTP API, as the kiosk uses it.
//! - [`config`]: flags, environment and config file.
//! - [`door`]: taking a ticket or checking in, then printing it.
//! - [`ticket`]: the printed ticket, rendered to an image, PNG and ESC/POS.
//! - [`escpos`]: the ESC/POS commands tickets use, encoded and parsed.
//! - [`printer`]: sending print jobs to a file, a device or a network printer.
//! - [`touch`]: the touch-screen page, served on loopback.
//! - [`scan`]: what a QR scanner typed, read as a booking to check in.

pub mod client;
pub mod config;
pub mod door;
pub mod escpos;
pub mod printer;
pub mod scan;
mod text;
pub mod ticket;
pub mod touch;
