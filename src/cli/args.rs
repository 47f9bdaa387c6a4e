//! Argument definitions (clap derive). Flags that change the scenario become `--set`
//! overrides, so they are validated exactly like the file.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "collabsim",
    version,
    about = "Agent-based simulation of collaboration between emergency-service organizations"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a scenario's replicates and write runs.csv, timeseries.csv and summary.json.
    Run(RunArgs),
    /// Check a scenario file (with any --set overrides) and report every problem.
    Validate(ValidateArgs),
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario file (TOML), e.g. scenarios/cs1-merged-it.toml
    pub scenario: PathBuf,
    /// Number of replicates (overrides the scenario's `replicates`).
    #[arg(long, short = 'n')]
    pub replicates: Option<u64>,
    /// Master seed (overrides the scenario's `seed`).
    #[arg(long, short = 's')]
    pub seed: Option<u64>,
    /// Horizon in years (overrides the scenario's `years`).
    #[arg(long, short = 'y')]
    pub years: Option<f64>,
    /// Override any parameter by its dotted TOML path, e.g. --set collaboration.transparency=0.3
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub set: Vec<String>,
    /// Output folder (default: outputs/<scenario file stem>/).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Worker threads (default: one per core). Results are identical for any count.
    #[arg(long, short = 't')]
    pub threads: Option<usize>,
    /// No progress bar and no report on standard output.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Overrides to check along with the file.
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub set: Vec<String>,
}

impl RunArgs {
    /// The scenario overrides this command line asks for, flags first.
    pub fn overrides(&self) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(n) = self.replicates {
            v.push(format!("replicates={n}"));
        }
        if let Some(s) = self.seed {
            v.push(format!("seed={s}"));
        }
        if let Some(y) = self.years {
            v.push(format!("years={y}"));
        }
        v.extend(self.set.iter().cloned());
        v
    }
}
