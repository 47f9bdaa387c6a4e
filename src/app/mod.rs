//! The application layer: what the commands do, as library functions with typed inputs and
//! outputs. `run` runs one scenario, `compare` a baseline against a variant on common random
//! numbers, `levers` every policy lever moved one at a time on common random numbers,
//! `sweep` an experiment's design points (resumable, shardable), `merge` a sweep's
//! shards, `calibrate` history matching of priors against targets (resumable, shardable);
//! `manifest` records what produced a folder and `reproduce` checks it. The command
//! line (`cli/` in the binary) only turns flags into these inputs and prints the outputs;
//! benches and tests call the same functions. Nothing here prints or exits: progress goes
//! to a `Progress` the caller supplies, and errors are returned.

pub mod arm;
pub mod calibrate;
pub mod check_model;
pub mod checkpoint;
pub mod compare;
pub mod levers;
pub mod manifest;
pub mod merge;
pub mod reproduce;
pub mod run;
pub mod serve;
pub mod sweep;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use anyhow::Context;

/// Where long work reports how far it has got (a progress bar, a log line, nothing).
pub trait Progress: Sync {
    /// A new stretch of work of `total` units (replicates), described by `message`.
    fn start(&self, _total: u64, _message: &str) {}
    fn set_message(&self, _message: &str) {}
    /// One more unit done; called from any thread.
    fn inc(&self, _n: u64) {}
    /// The work is over (or abandoned).
    fn finish(&self) {}
}

/// Reports nothing.
pub struct Silent;
impl Progress for Silent {}

/// How work runs: the worker threads, where progress goes and what stops it early.
pub struct Exec<'a> {
    pub pool: rayon::ThreadPool,
    pub progress: &'a dyn Progress,
    /// Set from outside (Ctrl-C) to stop between chunks of replicates; the folder then
    /// keeps its previous files and the work returns [`Interrupted`].
    pub cancel: Option<&'static AtomicBool>,
    /// The command line that asked for the work, recorded in manifest.json for `reproduce`.
    pub command: Vec<String>,
    /// How weekly series are folded: the fastest kernel this CPU runs, unless a bench asks
    /// for another (all give the same bits).
    pub fold: crate::engine::timeseries::Kernel,
}

impl<'a> Exec<'a> {
    /// `threads` workers (one per core if `None`).
    pub fn new(
        threads: Option<usize>,
        progress: &'a dyn Progress,
        cancel: Option<&'static AtomicBool>,
    ) -> anyhow::Result<Self> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.unwrap_or(0))
            .build()
            .context("cannot start worker threads")?;
        let fold = crate::engine::timeseries::Kernel::detect();
        Ok(Exec { pool, progress, cancel, command: std::env::args().collect(), fold })
    }

    /// One thread, no progress, no cancelling: for tests and benches.
    pub fn quiet(threads: usize) -> Exec<'static> {
        Exec::new(Some(threads), &Silent, None).expect("a thread pool")
    }
}

/// The error of work stopped by its cancel flag (Ctrl-C): the command line exits with 130.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Interrupted(pub String);

pub(crate) fn create_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create output folder {}", dir.display()))
}

pub(crate) fn cannot_write(path: &Path) -> String {
    format!("cannot write {}", path.display())
}

/// The command that reproduces a scenario as resolved: the verb, the file, every override,
/// its ensemble if it has one, then `extra`.
pub fn reproduce_command(verb: &str, sc: &crate::scenario::Scenario, extra: &[String]) -> String {
    let mut parts = vec!["collabsim".to_string(), verb.to_string(), shell_word(&sc.path.display().to_string())];
    for o in &sc.overrides {
        parts.push("--set".into());
        parts.push(shell_word(o));
    }
    if let Some(e) = &sc.ensemble {
        parts.push("--ensemble".into());
        parts.push(shell_word(&e.ensemble.file));
    }
    parts.extend(extra.iter().cloned());
    parts.join(" ")
}

/// Quotes a word for a POSIX shell where it needs it.
pub fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-=/:,+[]".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
