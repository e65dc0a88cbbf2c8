//! A small HTTP server on loopback that plays a service Skranke posts to (an SMS gateway, a
//! webhook receiver): it answers each request with the next status of its script (200 when
//! the script is spent) and keeps every request it received.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// One request as received: its headers (names in lower case) and its body.
#[derive(Debug, Clone)]
pub struct Request {
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

/// The server; it runs until the test process ends.
pub struct Loopback {
    port: u16,
    received: Arc<Mutex<Vec<Request>>>,
}

impl Loopback {
    /// Answers each request with the next status of `script` and the body `reply` makes of
    /// that status and the request.
    pub fn answering(script: &[u16], reply: fn(u16, &Request) -> String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<_>>()));
        let keep = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let status = script.lock().unwrap().pop_front().unwrap_or(200);
                keep.lock().unwrap().push(answer(stream, status, reply));
            }
        });
        Self { port, received }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn received(&self) -> Vec<Request> {
        self.received.lock().unwrap().clone()
    }
}

/// Reads one HTTP request and answers it with `status`.
fn answer(stream: TcpStream, status: u16, reply: fn(u16, &Request) -> String) -> Request {
    let mut out = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).unwrap();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let request = Request {
        headers,
        body: String::from_utf8(body).unwrap(),
    };
    let text = reply(status, &request);
    let _ = write!(
        out,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
        text.len()
    );
    request
}
