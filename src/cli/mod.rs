//! Command-line wiring: clap arguments to scenario loading, the engine and the writers.

mod args;
mod arm;
mod compare;
mod run;
mod validate;

use clap::Parser;

pub use args::{Cli, Command};

pub fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Compare(a) => compare::compare(a),
        Command::Validate(a) => validate::validate(a),
    }
}
