//! The `skranke-kiosk` binary as the tests run it: with none of the kiosk's settings taken
//! from the environment the tests run in, so that each test says all it gives.

use std::process::Command;

pub fn kiosk_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_skranke-kiosk"));
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("SKRANKE_KIOSK_")) {
        command.env_remove(name);
    }
    command
}
