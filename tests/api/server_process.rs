//! A `skranke` process of its own, as an administrator starts it.

use crate::helpers::TestDatabase;

/// Starts the `skranke` binary with `args` on `db` at a free port; returns the process, the
/// lines it printed up to its address, and its base URL.
pub fn start_server(
    db: &TestDatabase,
    args: &[&str],
    env: &[(&str, &str)],
) -> (std::process::Child, Vec<String>, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_skranke"))
        .args(args)
        .env("SKRANKE_DATABASE_URL", db.url_string())
        .env("SKRANKE_BIND", "127.0.0.1:0")
        .env("SKRANKE_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut printed = Vec::new();
    for line in stdout.lines() {
        let line = line.unwrap();
        let done = line.starts_with("Skranke is at ");
        printed.push(line);
        if done {
            break;
        }
    }
    let base = printed
        .last()
        .expect("the server printed its address")
        .trim_start_matches("Skranke is at ")
        .trim_end_matches('/')
        .to_owned();
    (child, printed, base)
}
