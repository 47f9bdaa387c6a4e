//! Command-line wiring: clap arguments into the library's `app` requests, a progress bar,
//! and what each command prints.

mod args;
mod calibrate;
mod check_model;
mod compare;
mod levers;
mod merge;
mod params;
mod progress;
mod reproduce;
mod run;
mod serve;
mod sweep;
mod validate;

use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;

pub use args::{Cli, Command};

/// Set by Ctrl-C; long work checks it and stops cleanly.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

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
        Command::Levers(a) => levers::levers(a),
        Command::Sweep(a) => sweep::sweep(a),
        Command::Merge(a) => merge::merge(a),
        Command::Calibrate(a) => calibrate::calibrate(a),
        Command::CheckModel(a) => check_model::check_model(a),
        Command::Reproduce(a) => reproduce::reproduce(a),
        Command::Serve(a) => serve::serve(a),
        Command::Validate(a) => validate::validate(a),
        Command::Params(a) => params::params(a),
    }
}

/// The execution settings of a command: threads, a progress bar unless quiet, Ctrl-C.
fn exec<'a>(threads: Option<usize>, bar: &'a progress::Bar) -> anyhow::Result<collabsim::app::Exec<'a>> {
    collabsim::app::Exec::new(threads, bar, Some(&INTERRUPTED))
}
