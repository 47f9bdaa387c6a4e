//! Command-line wiring: clap arguments to scenario loading, the engine and the writers.

mod args;
mod arm;
mod compare;
mod manifest;
mod merge;
mod reproduce;
mod run;
mod sweep;
mod validate;

use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;

pub use args::{Cli, Command};

/// Set by Ctrl-C; long work checks it and stops cleanly.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The error of a run stopped by Ctrl-C: `main` exits with 130, as shells expect.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Interrupted(pub String);

pub fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // A panic in a replicate is caught and reported with its seed once the others are done;
    // here it gets one line instead of a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("collabsim: internal error{at}: {msg}");
    }));
    // A second Ctrl-C while we stop is ignored; the first one is honoured between chunks.
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Compare(a) => compare::compare(a),
        Command::Sweep(a) => sweep::sweep(a),
        Command::Merge(a) => merge::merge(a),
        Command::Reproduce(a) => reproduce::reproduce(a),
        Command::Validate(a) => validate::validate(a),
    }
}
