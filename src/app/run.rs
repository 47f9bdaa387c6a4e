//! `run`: one scenario's replicates (see `arm`), then the figures, report.html and the
//! manifest.

use std::path::PathBuf;

use super::arm::{Arm, REPLICATE_SERIES, RUN_FILES, Replicates, run_arm, write_figures_and_report};
use super::manifest::{Inputs, ScenarioInputs, write_manifest};
use super::{Exec, reproduce_command};
use crate::scenario::Scenario;
use crate::scenario::ensemble::{attach_ensemble, load_ensemble};

/// What to run.
pub struct RunRequest {
    pub scenario: Scenario,
    /// The output folder.
    pub out: PathBuf,
    /// Run only this replicate (as runs.csv numbers it): the outputs describe it alone.
    pub replicate: Option<u64>,
    /// Make this replicate panic (for tests of the failure path).
    pub panic_at: Option<u64>,
    /// An ensemble of parameter sets (a calibration's accepted.csv): replicate i runs with
    /// set i mod n, then the scenario's overrides.
    pub ensemble: Option<PathBuf>,
    /// Also write replicate-series.csv: every replicate's weekly series (large).
    pub series_per_replicate: bool,
}

impl RunRequest {
    /// Everything of `scenario`, into `outputs/<file stem>/`.
    pub fn new(scenario: Scenario) -> Self {
        let out = PathBuf::from("outputs").join(scenario.stem());
        RunRequest { scenario, out, replicate: None, panic_at: None, ensemble: None, series_per_replicate: false }
    }
}

/// What a run left: the arm in memory and the folder it wrote.
pub struct RunResult {
    pub arm: Arm,
    pub out: PathBuf,
}

/// Runs the request and writes its folder: runs.csv, timeseries.csv, summary.json, the
/// figures, report.html and manifest.json. A replicate that panicked is an error, after the
/// others' results are written.
pub fn run(req: RunRequest, exec: &Exec<'_>) -> anyhow::Result<RunResult> {
    let RunRequest { mut scenario, out, replicate, panic_at, ensemble, series_per_replicate } = req;
    if let Some(path) = ensemble {
        scenario = attach_ensemble(scenario, load_ensemble(&path)?)?;
    }
    if replicate.is_some() {
        // One replicate: the outputs describe it alone.
        scenario.spec.run.replicates = 1;
    }
    let sel = Replicates { first: replicate.unwrap_or(0), panic_at, series_per_replicate };
    exec.progress.start(scenario.spec.run.replicates, &scenario.stem());
    let arm = run_arm(scenario, &out, exec, sel);
    exec.progress.finish();
    let arm = arm?;
    let extra = replicate.map_or(vec![], |k| vec!["--replicate".to_string(), k.to_string()]);
    let command = reproduce_command("run", &arm.scenario, &extra);
    write_figures_and_report(&arm, &arm.scenario.spec.run.name, &out, &command)?;
    let mut files: Vec<String> = RUN_FILES.iter().map(|f| f.to_string()).collect();
    if series_per_replicate {
        files.insert(2, REPLICATE_SERIES.to_string());
    }
    write_manifest(&out, &exec.command, Inputs::Run(ScenarioInputs::of(&arm.scenario)), &files)?;
    if let Some(e) = arm.failure_error(&out) {
        return Err(e);
    }
    Ok(RunResult { arm, out })
}
