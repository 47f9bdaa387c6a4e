//! Requests in, responses out: the routes, the page's assets (compiled into the binary),
//! bounded bodies, JSON errors with a reason, and the checks that keep other web pages off a
//! loopback server (the Host must be the server's own name, and a POST must say it sends
//! JSON, which a cross-site form cannot without the browser asking first).

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::jobs::State;
use super::{question, save};

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

fn respond(req: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
        ));
    // The client may have gone (a closed tab); there is nobody left to tell.
    let _ = req.respond(response);
}

fn json(req: Request, status: u16, body: String) {
    respond(req, status, "application/json; charset=utf-8", body.into_bytes());
}

/// A JSON error: `{"error": reason}`.
fn error(req: Request, status: u16, reason: &str) {
    json(req, status, serde_json::json!({ "error": reason }).to_string());
}

/// 503 with a reason, for work refused because the server is at a limit.
pub fn busy(req: Request, reason: &str) {
    error(req, 503, reason);
}

/// Answers one request.
pub fn handle(req: Request, state: &Arc<State>) {
    if let Some(reason) = foreign(&req) {
        return error(req, 403, &reason);
    }
    let url = req.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    match (req.method().clone(), path) {
        (Method::Get, "/" | "/index.html") => respond(req, 200, "text/html; charset=utf-8", INDEX_HTML.into()),
        (Method::Get, "/app.js") => respond(req, 200, "text/javascript; charset=utf-8", APP_JS.into()),
        (Method::Get, "/style.css") => respond(req, 200, "text/css; charset=utf-8", STYLE_CSS.into()),
        (Method::Get, "/api/scenarios") => json(req, 200, state.scenarios_json.clone()),
        (Method::Get, p) if p.starts_with("/api/jobs/") => {
            let job = p["/api/jobs/".len()..].parse().ok().and_then(|id| state.job(id));
            let seen = query.split('&').find_map(|kv| kv.strip_prefix("seen=")).and_then(|s| s.parse().ok());
            match job {
                Some(j) => json(req, 200, j.poll_json(seen.unwrap_or(0))),
                None => error(req, 404, "no such job (finished jobs are kept for a while, then dropped)"),
            }
        }
        (Method::Post, "/api/compare") => {
            let Some((req, q)) = question_of(req, state) else { return };
            match question::check(&q, &state.catalog, &state.limits) {
                Err(reason) => error(req, 400, &reason),
                Ok(c) => {
                    let command = c.command();
                    match state.submit(c, q.client.clone()) {
                        Ok(job) => json(req, 202, serde_json::json!({ "id": job.id, "command": command }).to_string()),
                        Err(reason) => busy(req, &reason),
                    }
                }
            }
        }
        (Method::Post, "/api/save") => {
            let Some((req, q)) = question_of(req, state) else { return };
            let c = match question::check(&q, &state.catalog, &state.limits) {
                Err(reason) => return error(req, 400, &reason),
                Ok(c) if !c.has_variant() => {
                    return error(req, 400, "nothing to save yet: move a lever first, so that there is a variant");
                }
                Ok(c) => c,
            };
            if state.saving.swap(true, Ordering::SeqCst) {
                return busy(req, "another comparison is being saved; try again when it is done");
            }
            let saved = save::save(&c, state.threads);
            state.saving.store(false, Ordering::SeqCst);
            match saved {
                Ok(doc) => json(req, 200, doc.to_string()),
                Err(e) => error(req, 500, &format!("the comparison could not be saved: {e:#}")),
            }
        }
        (_, "/" | "/index.html" | "/app.js" | "/style.css" | "/api/scenarios") => {
            error(req, 405, "this address only answers GET")
        }
        (_, "/api/compare" | "/api/save") => error(req, 405, "this address only answers POST with a JSON question"),
        _ => error(req, 404, "no such page; the what-if page is at /"),
    }
}

/// Reads and parses a POST body, or answers the request with why not.
fn question_of(mut req: Request, state: &State) -> Option<(Request, question::Question)> {
    let limit = state.limits.max_body_bytes;
    let json_type = req.headers().iter().any(|h| {
        h.field.equiv("Content-Type") && h.value.as_str().trim().to_ascii_lowercase().starts_with("application/json")
    });
    let too_big = format!("the body is over {limit} bytes; a question is a few hundred");
    if !json_type {
        error(req, 415, "send the question as JSON, with Content-Type: application/json");
        return None;
    }
    if req.body_length().is_some_and(|n| n > limit) {
        error(req, 413, &too_big);
        return None;
    }
    let mut body = Vec::new();
    if req.as_reader().take(limit as u64 + 1).read_to_end(&mut body).is_err() {
        error(req, 400, "the body could not be read");
        return None;
    }
    if body.len() > limit {
        error(req, 413, &too_big);
        return None;
    }
    match question::parse(&body) {
        Ok(q) => Some((req, q)),
        Err(reason) => {
            error(req, 400, &reason);
            None
        }
    }
}

/// The reason a request does not come from this server's own page, if it does not: a Host
/// that is not the loopback name the page is served under (a DNS-rebinding site).
fn foreign(req: &Request) -> Option<String> {
    let local = req.remote_addr().is_none_or(|a| a.ip().is_loopback());
    let host = req.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str().to_string());
    let host_name = host.as_deref().map(|h| h.rsplit_once(':').map_or(h, |(n, _)| n));
    match host_name {
        _ if !local => None,
        Some("127.0.0.1" | "localhost" | "[::1]") | None => None,
        Some(other) => Some(format!("this server answers its own page only (Host {other} is not it)")),
    }
}
