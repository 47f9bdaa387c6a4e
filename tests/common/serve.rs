//! A `collabsim serve` process for the tests, on a free loopback port, and a minimal
//! HTTP/1.1 client over a plain TCP stream: written here rather than taken from a crate so
//! that a test can send exactly the bytes it means, malformed ones included.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::bin;

/// A running server; killed when dropped.
pub struct Served {
    pub child: Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
}

impl Served {
    /// `collabsim serve ARGS --port 0`, once it has printed the address it listens on.
    pub fn start(args: &[&str]) -> Served {
        let mut child = bin()
            .arg("serve")
            .args(args)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("collabsim serve starts");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        out.read_line(&mut line).expect("the server prints its address");
        let addr = line
            .trim()
            .strip_prefix("open http://")
            .and_then(|s| s.strip_suffix('/'))
            .unwrap_or_else(|| panic!("the first line is `open http://ADDR/`, not {line:?}"))
            .to_string();
        // Keep reading stdout so that the server never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Served { child, addr }
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The server's peak resident memory so far, in kB (Linux).
    pub fn peak_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// Sends `method path` with `body` (JSON unless `content_type` says otherwise) and
    /// returns the status and the body.
    pub fn request(&self, method: &str, path: &str, content_type: Option<&str>, body: &[u8]) -> (u16, String) {
        self.raw(method, path, &[("Content-Type", content_type.unwrap_or("application/json"))], body)
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        self.raw("GET", path, &[], b"")
    }

    pub fn post_json(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let (status, text) = self.request("POST", path, None, body.to_string().as_bytes());
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}")))
    }

    /// A request with these headers (Host is the server's unless given).
    pub fn raw(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).expect("the server accepts a connection");
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("Host")) {
            head += &format!("Host: {}\r\n", self.addr);
        }
        for (k, v) in headers {
            head += &format!("{k}: {v}\r\n");
        }
        head += "\r\n";
        s.write_all(head.as_bytes()).unwrap();
        // The server may answer (413) before it has read a large body: ignore a reset here.
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(raw.len());
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let body = raw.get(split + 4..).unwrap_or(&[]);
        let status =
            head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("no status line: {head:?}"));
        let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
            dechunk(body)
        } else {
            body.to_vec()
        };
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// Polls job `id` until it is no longer running; returns the last poll.
    pub fn wait(&self, id: u64, limit: Duration) -> serde_json::Value {
        let start = Instant::now();
        let mut last_answer = serde_json::Value::Null;
        loop {
            let (status, text) = self.get(&format!("/api/jobs/{id}"));
            assert_eq!(status, 200, "job {id}: {text}");
            let mut j: serde_json::Value = serde_json::from_str(&text).unwrap();
            if !j["answer"].is_null() {
                last_answer = j["answer"].clone();
            }
            if j["phase"] != "running" {
                j["answer"] = last_answer;
                return j;
            }
            assert!(start.elapsed() < limit, "job {id} still running after {limit:?}: {text}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The body of a chunked response, joined.
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&rest[..eol]);
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        let data = &rest[eol + 2..];
        if n == 0 || data.len() < n {
            break;
        }
        out.extend_from_slice(&data[..n]);
        rest = data[n..].strip_prefix(b"\r\n").unwrap_or(&data[n..]);
    }
    out
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
