//! The `skranke-kiosk` binary as a script or an installer would run it.

use std::io::{BufRead, BufReader};
use std::process::{Output, Stdio};

use skranke_kiosk::escpos;

#[path = "support/binary.rs"]
mod binary;
use binary::kiosk_command;

fn kiosk(args: &[&str]) -> Output {
    kiosk_command()
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn sample_writes_png_escpos_and_prints() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("t.png");
    let job = dir.path().join("t.bin");
    let printed = dir.path().join("printer.bin");
    let output = kiosk(&[
        "--paper",
        "58",
        "--printer",
        printed.to_str().unwrap(),
        "sample",
        "--png",
        png.to_str().unwrap(),
        "--escpos",
        job.to_str().unwrap(),
        "--print",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let image = image::open(&png).unwrap();
    assert_eq!(image.width(), 384);
    let bytes = std::fs::read(&job).unwrap();
    assert!(escpos::parse(&bytes).is_ok());
    assert_eq!(std::fs::read(&printed).unwrap(), bytes);
}

#[test]
fn the_touch_mode_names_its_page_and_serves_it_in_the_configured_language() {
    let mut child = kiosk_command()
        .args(["--server", "http://127.0.0.1:9", "--location", "raadhuset"])
        .args(["--language", "en", "serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let page = line
        .trim()
        .strip_prefix("kiosk page on ")
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("unexpected first line: {line}"));
    let body = ureq::get(&page).call().map(|r| r.into_string());
    let _ = child.kill();
    let _ = child.wait();
    let body = body.expect("the page answers").unwrap();
    assert!(body.contains(r#"<html lang="en">"#), "{body}");
    assert!(body.contains(r#"<script src="/kiosk.js""#), "{body}");
}

#[test]
fn the_touch_mode_refuses_a_taken_address() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let output = kiosk(&[
        "--server",
        "http://127.0.0.1:9",
        "--location",
        "raadhuset",
        "serve",
        "--listen",
        &address,
    ]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("cannot listen on"), "{message}");
}

#[test]
fn server_modes_check_the_configuration_first() {
    let output = kiosk(&["--location", "raadhuset", "check-in", "--scan", "ABC123"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--server is required"),
        "{}",
        stderr(&output)
    );

    let output = kiosk(&["--server", "skranke.dk", "serve"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--server: must be an http"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_printer_failure_is_reported_with_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir").join("out.bin");
    let output = kiosk(&["--printer", missing.to_str().unwrap(), "sample", "--print"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("was not printed"),
        "{}",
        stderr(&output)
    );
}

/// The touch page allows only its own files: no inline script or style, no framing.
#[test]
fn the_touch_page_sends_its_security_headers() {
    use std::io::BufRead;
    let mut child = kiosk_command()
        .args(["--server", "http://127.0.0.1:9", "--location", "raadhuset"])
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let page = line
        .trim()
        .strip_prefix("kiosk page on ")
        .map(str::to_owned);
    // (policy, nosniff) of the page and of its script.
    let headers: Vec<Option<(String, String)>> = ["", "kiosk.js"]
        .iter()
        .map(|path| {
            let answer = ureq::get(&format!("{}{path}", page.as_ref()?))
                .call()
                .ok()?;
            let header = |name: &str| answer.header(name).unwrap_or("").to_owned();
            Some((
                header("content-security-policy"),
                header("x-content-type-options"),
            ))
        })
        .collect();
    child.kill().unwrap();
    child.wait().unwrap();
    for answer in headers {
        let (policy, nosniff) = answer.expect("the kiosk named its page and served it");
        assert!(policy.contains("script-src 'self'"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert_eq!(nosniff, "nosniff");
    }
}
