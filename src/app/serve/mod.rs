//! `serve`: the what-if page. A small HTTP server (tiny_http: synchronous, four small
//! crates, no async runtime; the work is CPU-bound on the rayon pool and the page has one
//! analyst on loopback, so a thread per request and polling are enough) serves one page with
//! its assets compiled in, and a JSON API:
//!
//! - `GET /api/scenarios`: the scenarios on offer, each with its levers from the parameter
//!   registry (unit, valid and plausible range, meaning, the scenario's value), and the
//!   server's limits;
//! - `POST /api/compare`: a question (scenario, the variant's lever settings, replicates,
//!   years) starts a job: the baseline and the variant on common random numbers, estimated
//!   from a first few hundred replicates and refined in stages to the number asked;
//! - `GET /api/jobs/ID`: the job's progress and its latest estimate;
//! - `POST /api/save`: runs the same comparison through `compare` into a temporary folder
//!   and returns its report.html and manifest.json, byte for byte what the equivalent
//!   `collabsim compare` command writes.
//!
//! The numbers are those of `compare`: the arms come from the same plan (`compare::plan`),
//! replicate i of every arm from stream i of the scenario's seed, and the statistics from the
//! same `ComparisonSet`. A client's new question cancels its previous job; work is bounded
//! (body size, replicates, years, running jobs, kept jobs, open requests) and what is over
//! a bound is refused with a reason, never queued.

mod answer;
mod catalog;
mod http;
mod jobs;
mod question;
mod save;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;

pub use catalog::{Catalog, ServedScenario};
pub use question::Question;

/// What the server accepts; the page reads them from `/api/scenarios`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// The most bytes a request body may have.
    pub max_body_bytes: usize,
    pub min_replicates: u64,
    pub max_replicates: u64,
    /// The longest horizon a question may ask for, in years.
    pub max_years: f64,
    /// Jobs (comparisons or saves) computing at once; a question beyond them is refused.
    pub max_running_jobs: usize,
    /// Finished jobs kept for their client to read; the oldest go first.
    pub max_kept_jobs: usize,
    /// Requests being answered at once; beyond them the server answers 503 at once.
    pub max_open_requests: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 16 * 1024,
            min_replicates: 10,
            max_replicates: 5000,
            max_years: 30.0,
            max_running_jobs: 4,
            max_kept_jobs: 64,
            max_open_requests: 64,
        }
    }
}

/// Replicates a question gets unless it asks for others: the report's default.
pub const DEFAULT_REPLICATES: u64 = 1000;

/// How to serve.
pub struct ServeConfig {
    pub bind: SocketAddr,
    /// Scenario files named on the command line, offered after the shipped ones.
    pub files: Vec<PathBuf>,
    /// Worker threads for the simulations (one per core if `None`).
    pub threads: Option<usize>,
    pub limits: Limits,
}

/// A bound server, not yet answering.
pub struct Server {
    http: tiny_http::Server,
    state: Arc<jobs::State>,
}

impl Server {
    /// Loads every scenario (all problems at once) and binds the address.
    pub fn start(cfg: ServeConfig) -> anyhow::Result<Server> {
        let catalog = Catalog::load(&cfg.files)?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(cfg.threads.unwrap_or(0))
            .thread_name(|i| format!("collabsim-sim-{i}"))
            .build()
            .context("cannot start worker threads")?;
        let http = tiny_http::Server::http(cfg.bind).map_err(|e| {
            let hint = match cfg.bind.port() {
                0 => String::new(),
                p => format!("; is another program using port {p}? Give another with --port (0 picks a free one)"),
            };
            anyhow::anyhow!("cannot listen on {}: {e}{hint}", cfg.bind)
        })?;
        let state = Arc::new(jobs::State::new(catalog, pool, cfg.threads, cfg.limits));
        Ok(Server { http, state })
    }

    /// The address the page is at (with the port the system chose for port 0); on this
    /// machine's loopback address when the server listens on every address.
    pub fn url(&self) -> String {
        match self.http.server_addr().to_ip() {
            Some(a) if a.ip().is_unspecified() => format!("http://127.0.0.1:{}/", a.port()),
            Some(a) => format!("http://{a}/"),
            None => "http://localhost/".into(),
        }
    }

    /// The scenarios on offer.
    pub fn catalog(&self) -> &Catalog {
        &self.state.catalog
    }

    /// Answers requests until `stop` is set (checked every 200 ms).
    pub fn run(self, stop: &AtomicBool) -> anyhow::Result<()> {
        let open = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        while !stop.load(Ordering::SeqCst) {
            let req = match self.http.recv_timeout(Duration::from_millis(200)) {
                Ok(Some(r)) => r,
                Ok(None) => continue,
                Err(e) => return Err(e).context("the server stopped accepting requests"),
            };
            if open.load(Ordering::SeqCst) >= self.state.limits.max_open_requests {
                http::busy(req, "the server is answering too many requests at once; try again in a moment");
                continue;
            }
            open.fetch_add(1, Ordering::SeqCst);
            let (state, mine) = (Arc::clone(&self.state), Arc::clone(&open));
            let spawned = std::thread::Builder::new().name("collabsim-http".into()).spawn(move || {
                http::handle(req, &state);
                mine.fetch_sub(1, Ordering::SeqCst);
            });
            if spawned.is_err() {
                open.fetch_sub(1, Ordering::SeqCst);
            }
        }
        self.state.cancel_all();
        Ok(())
    }
}
