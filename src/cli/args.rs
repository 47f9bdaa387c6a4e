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
    /// Compare a baseline with a variant (--variant overrides and/or --against another
    /// scenario file) or a ladder of variants (--vary KEY=V1,V2,...) on the same seeds:
    /// survival, lifetime difference, log-rank test, causes.
    Compare(CompareArgs),
    /// Which levers matter for a scenario: every policy lever moved on its own to each end
    /// of its plausible range, on the same seeds, ranked in a tornado chart of the change in
    /// survival at a year and in mean lifetime, with paired 95% intervals, in a report.
    Levers(LeversArgs),
    /// Run an experiment: a grid, Latin hypercube, Morris or Sobol design over scenario
    /// parameters, with survival statistics per point and sensitivity indices.
    Sweep(SweepArgs),
    /// Combine the folders of a sharded sweep into the files an unsharded sweep writes.
    Merge(MergeArgs),
    /// Calibrate: history matching of parameter priors against observed targets, in
    /// waves, into an accepted ensemble of parameter sets (accepted.csv) and a report.
    Calibrate(CalibrateArgs),
    /// Check the model against a behaviour file's requirements (calibration targets,
    /// held-out predictions, lever responses, threshold artefacts) and write a Markdown
    /// report (docs/VALIDATION.md); prints how many pass.
    CheckModel(CheckModelArgs),
    /// Re-run the command a manifest.json records and check that every file comes out
    /// byte-identical.
    Reproduce(ReproduceArgs),
    /// Serve the what-if page: pick a scenario, move its levers and see how long the
    /// collaboration lasts and why it ends, against the baseline, in a browser.
    Serve(ServeArgs),
    /// Check a scenario file (with any --set overrides) and report every problem.
    Validate(ValidateArgs),
    /// List every parameter: its value in a scenario, default, allowed values, unit and meaning.
    Params(ParamsArgs),
}

#[derive(Args, Debug)]
pub struct ParamsArgs {
    /// A scenario file (TOML) whose values to show; without one, the defaults.
    pub scenario: Option<PathBuf>,
    /// Overrides to apply before listing.
    #[arg(long = "set", value_name = "KEY.PATH=VALUE", requires = "scenario")]
    pub set: Vec<String>,
    /// Print the parameter tables of docs/ODD.md (Markdown) instead.
    #[arg(long, conflicts_with = "scenario")]
    pub markdown: bool,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Scenario files to offer besides the shipped ones.
    pub scenarios: Vec<PathBuf>,
    /// The address to listen on. Only 127.0.0.1 (this machine) is safe: the page has no
    /// login, and anyone who can reach another address can run simulations on this machine.
    #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
    pub bind: std::net::IpAddr,
    /// The port (0: any free one; the address is printed).
    #[arg(long, short = 'p', default_value_t = 8050)]
    pub port: u16,
    /// Worker threads for the simulations (default: one per core).
    #[arg(long, short = 't')]
    pub threads: Option<usize>,
}

#[derive(Args, Debug)]
pub struct ReproduceArgs {
    /// A manifest.json from a run, compare or sweep folder.
    pub manifest: PathBuf,
    /// Print only errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// Experiment file (TOML), e.g. experiments/turnover-transparency.toml
    pub experiment: PathBuf,
    /// Output folder (default: outputs/<experiment stem>/, or .../shard-K-of-N with --shard).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Finish an interrupted sweep in the same folder: points already recorded are kept.
    #[arg(long)]
    pub resume: bool,
    /// Run only shard K of N (points whose index is K-1 modulo N) and write a partial result
    /// for `collabsim merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Also write runs.csv: one row per run with a `point` column (large).
    #[arg(long)]
    pub runs: bool,
    /// Also write series.csv: each point's weekly series over its replicates (mean, 5/50/95%
    /// quantiles, runs still going), as timeseries.csv with a `point` column.
    #[arg(long)]
    pub series: bool,
    /// Also write replicate-series.csv: every run's weekly series with `point` and
    /// `replicate` columns, streamed to disk (very large: see README).
    #[arg(long)]
    pub series_per_replicate: bool,
    /// An ensemble of parameter sets (a calibration's accepted.csv): replicate i runs with
    /// set i mod n, so the results carry the parameters' uncertainty.
    #[arg(long, value_name = "FILE")]
    pub ensemble: Option<PathBuf>,
    #[command(flatten)]
    pub exec: ExecFlags,
}

#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// Calibration file (TOML): targets, priors and the waves' settings.
    pub calibration: PathBuf,
    /// Output folder (default: outputs/<calibration stem>/, shared by shards).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Finish an interrupted calibration in the same folder: points already recorded are kept.
    #[arg(long)]
    pub resume: bool,
    /// Run only shard K of N of the current wave's pending points (index K-1 modulo N),
    /// recording them in the shared folder, then stop; `--resume` unsharded finishes.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub exec: ExecFlags,
}

#[derive(Args, Debug)]
pub struct CheckModelArgs {
    /// Behaviour file (TOML): the requirements, each a statistic of a scenario.
    pub behaviour: PathBuf,
    /// The report (Markdown), written whole or not at all.
    #[arg(long, short = 'o', default_value = "docs/VALIDATION.md")]
    pub out: PathBuf,
    #[command(flatten)]
    pub exec: ExecFlags,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Shard folders written by `collabsim sweep ... --shard K/N --out DIR`.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Folder for the combined result.
    #[arg(long, short = 'o')]
    pub out: PathBuf,
    /// No report on standard output.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// The baseline scenario file (TOML).
    pub scenario: PathBuf,
    /// A change that makes the variant, by dotted TOML path; repeat for several, e.g.
    /// --variant leadership.turnover_per_year=0.33 --variant collaboration.strategy_document=false
    /// With --vary, applied to every variant arm.
    #[arg(long, value_name = "KEY.PATH=VALUE")]
    pub variant: Vec<String>,
    /// A ladder: one variant arm per value, each the baseline with KEY set to that value
    /// (plus any --variant), e.g. --vary leadership.turnover_per_year=0.1,0.3,0.6
    #[arg(long, value_name = "KEY.PATH=V1,V2,...")]
    pub vary: Option<String>,
    /// A second scenario file as the variant (run with the baseline's seed and replicates).
    #[arg(long, value_name = "SCENARIO")]
    pub against: Option<PathBuf>,
    /// Name of the baseline in the report (default: the scenario's name).
    #[arg(long, value_name = "TEXT")]
    pub baseline_name: Option<String>,
    /// Name of the variant in the report (default: its changes, or the other scenario's name).
    #[arg(long, value_name = "TEXT")]
    pub variant_name: Option<String>,
    /// Replicates, seed, horizon and --set apply to both arms.
    #[command(flatten)]
    pub scenario_flags: ScenarioFlags,
    /// Output folder (default: outputs/<baseline stem>-what-if-<variant>/,
    /// outputs/<stem>-ladder-<key>-<values>/ or outputs/<a>-vs-<b>/, named by the overrides).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace what the output folder holds (without it, a folder that is not empty is
    /// refused, so that a second comparison never silently overwrites the first).
    #[arg(long)]
    pub force: bool,
    /// The output folder the report's reproduce line names (`reproduce` writes into a
    /// temporary folder but the report must say the folder the original command wrote).
    #[arg(long, value_name = "DIR", hide = true)]
    pub report_out: Option<PathBuf>,
    /// An ensemble of parameter sets (a calibration's accepted.csv): replicate i runs with
    /// set i mod n, so the results carry the parameters' uncertainty.
    #[arg(long, value_name = "FILE")]
    pub ensemble: Option<PathBuf>,
    /// Run only this arm's folder (e.g. variant-2) into --out: what `reproduce` runs for
    /// an arm's manifest.
    #[arg(long, value_name = "FOLDER", hide = true, requires = "out")]
    pub reproduce_arm: Option<String>,
    #[command(flatten)]
    pub exec: ExecFlags,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario file (TOML), e.g. scenarios/cs1-merged-it.toml
    pub scenario: PathBuf,
    #[command(flatten)]
    pub scenario_flags: ScenarioFlags,
    /// Output folder (default: outputs/<scenario file stem>/).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// An ensemble of parameter sets (a calibration's accepted.csv): replicate i runs with
    /// set i mod n, so the results carry the parameters' uncertainty.
    #[arg(long, value_name = "FILE")]
    pub ensemble: Option<PathBuf>,
    /// Also write replicate-series.csv: every replicate's weekly series in long format
    /// (replicate, week, metric, org, value), streamed as replicates finish (large: see README).
    #[arg(long)]
    pub series_per_replicate: bool,
    #[command(flatten)]
    pub exec: ExecFlags,
    /// Run only replicate K of the master seed (as `runs.csv` numbers it), e.g. to re-run
    /// one that failed; the outputs then describe that one replicate.
    #[arg(long, value_name = "K")]
    pub replicate: Option<u64>,
    /// Make replicate K panic (for testing the failure path).
    #[arg(long, value_name = "K", hide = true)]
    pub debug_panic_at: Option<u64>,
}

/// Flags that become scenario overrides, validated like the file.
#[derive(Args, Debug)]
pub struct ScenarioFlags {
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
}

/// How the work runs: threads and terminal output.
#[derive(Args, Debug)]
pub struct ExecFlags {
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

impl ScenarioFlags {
    /// The scenario overrides these flags ask for, flags first.
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

#[derive(Args, Debug)]
pub struct LeversArgs {
    /// The scenario file (TOML), e.g. scenarios/cs1-merged-it.toml
    pub scenario: PathBuf,
    /// The year at which survival is compared (default 5, or the horizon if shorter).
    #[arg(long, value_name = "YEARS")]
    pub year: Option<f64>,
    /// Replicates per setting (default 200, not the scenario's), seed, horizon and --set.
    #[command(flatten)]
    pub scenario_flags: ScenarioFlags,
    /// Output folder (default: outputs/<scenario stem>-levers/).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub exec: ExecFlags,
}
