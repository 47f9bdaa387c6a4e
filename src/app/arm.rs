//! One arm: a scenario's replicates run on the worker pool, rows streamed to runs.csv, the
//! weekly series aggregated online, then timeseries.csv, summary.json, the figures and
//! report.html. `run` runs one arm; `compare` two on the same seeds.

use std::io;
use std::path::Path;

use anyhow::Context;

use super::{Exec, Interrupted, cannot_write, create_dir, reproduce_command};
use crate::analysis::arm::ArmStats;
use crate::engine::{
    BatchConfig, ReplicateFailure, ReplicateOutcome, SeriesCatalog, TimeseriesAggregator, arm_stats, run_batch_series,
};
use crate::model::Params;
use crate::output::comparison::ArmInput;
use crate::output::figures::run_figures;
use crate::output::replicate_series::ReplicateSeriesWriter;
use crate::output::report::{arm_title, replicates_words, run_report};
use crate::output::{AtomicFile, RunsWriter, Summary, SummaryInput, write_atomic, write_timeseries};
use crate::scenario::{RunSpec, Scenario};

/// The files of a run folder besides manifest.json, in the order the manifest lists them.
pub const RUN_FILES: [&str; 10] = [
    "runs.csv",
    "timeseries.csv",
    "summary.json",
    "survival.svg",
    "survival.png",
    "incidence.svg",
    "incidence.png",
    "state.svg",
    "state.png",
    "report.html",
];

/// The figures and report that a run folder and a comparison folder both hold.
pub const FIGURE_FILES: [&str; 7] =
    ["survival.svg", "survival.png", "incidence.svg", "incidence.png", "state.svg", "state.png", "report.html"];

/// Which replicates to run: all of the scenario's from `first` (0, or `K` to re-run
/// replicate K alone with `replicates = 1`), and a replicate to fail on purpose (tests).
#[derive(Clone, Copy, Debug, Default)]
pub struct Replicates {
    pub first: u64,
    pub panic_at: Option<u64>,
    /// Also write replicate-series.csv: each replicate's own weekly series.
    pub series_per_replicate: bool,
}

/// The per-replicate series file of a run folder (opt-in).
pub const REPLICATE_SERIES: &str = "replicate-series.csv";

/// A batch's results in memory: each outcome, the aggregated weekly series, and the
/// replicates that panicked (missing from the outcomes).
pub struct Simulated {
    pub outcomes: Vec<ReplicateOutcome>,
    pub catalog: SeriesCatalog,
    pub series: TimeseriesAggregator,
    pub failures: Vec<ReplicateFailure>,
}

/// Runs `spec.run.replicates` replicates of `spec` from `sel.first`, folding each week's
/// series and writing each outcome's row to `runs` in replicate order. Stopped by the
/// cancel flag: `Interrupted`.
pub fn simulate<W: io::Write + Send>(
    spec: &RunSpec,
    exec: &Exec<'_>,
    sel: Replicates,
    runs: &mut RunsWriter<W>,
) -> anyhow::Result<Simulated> {
    simulate_sets(spec, std::slice::from_ref(&spec.params), exec, sel, runs)
}

/// As [`simulate`], with replicate i running with `sets[i % sets.len()]` (an ensemble of
/// parameter sets, each resolved against `spec`'s scenario with the same horizon and
/// organizations); the run settings are `spec`'s.
pub fn simulate_sets<W: io::Write + Send>(
    spec: &RunSpec,
    sets: &[Params],
    exec: &Exec<'_>,
    sel: Replicates,
    runs: &mut RunsWriter<W>,
) -> anyhow::Result<Simulated> {
    simulate_sets_with(spec, sets, exec, sel, runs, None::<&mut ReplicateSeriesWriter<io::Sink>>)
}

/// As [`simulate_sets`], also streaming each replicate's own series to `per_replicate` in
/// replicate order.
fn simulate_sets_with<W: io::Write + Send, V: io::Write + Send>(
    spec: &RunSpec,
    sets: &[Params],
    exec: &Exec<'_>,
    sel: Replicates,
    runs: &mut RunsWriter<W>,
    mut per_replicate: Option<&mut ReplicateSeriesWriter<V>>,
) -> anyhow::Result<Simulated> {
    let p = &spec.params;
    let catalog = SeriesCatalog::new(p.org_names.clone());
    let mut series = TimeseriesAggregator::with_kernel(p.horizon_weeks, catalog.len(), exec.fold);
    let replicates = spec.run.replicates;
    let mut outcomes = Vec::with_capacity(replicates as usize);
    let mut write_err = None;
    let mut cfg = BatchConfig::new(spec.run.seed, replicates);
    cfg.first = sel.first;
    cfg.cancel = exec.cancel;
    cfg.panic_at = sel.panic_at;
    let report = exec.pool.install(|| {
        let keep = per_replicate.is_some();
        run_batch_series(sets, &catalog, cfg, Some(&mut series), keep, &|| exec.progress.inc(1), |o, values| {
            if write_err.is_none() {
                write_err = runs.write(&o).err();
            }
            if let Some(w) = per_replicate.as_mut()
                && write_err.is_none()
            {
                write_err = w.write(None, o.replicate, &catalog, values).err();
            }
            outcomes.push(o);
        })
    });
    if report.cancelled {
        return Err(Interrupted(format!("interrupted after {} of {replicates} replicates", outcomes.len())).into());
    }
    if let Some(e) = write_err {
        return Err(e).context("cannot write a runs.csv or replicate-series.csv row");
    }
    Ok(Simulated { outcomes, catalog, series, failures: report.failures })
}

/// What an arm leaves in memory for figures, comparisons and the report.
pub struct Arm {
    pub scenario: Scenario,
    pub outcomes: Vec<ReplicateOutcome>,
    pub catalog: SeriesCatalog,
    pub series: TimeseriesAggregator,
    pub summary: Summary,
    /// The survival statistics of `outcomes` (Kaplan-Meier, median, RMST, causes).
    pub stats: ArmStats,
    /// Replicates that panicked (their rows are missing from the files).
    pub failures: Vec<ReplicateFailure>,
}

impl Arm {
    /// An error naming each failed replicate, its seed and the command that re-runs it alone.
    pub fn failure_error(&self, out: &Path) -> Option<anyhow::Error> {
        let f = self.failures.first()?;
        let cmd = reproduce_command("run", &self.scenario, &["--replicate".into(), f.replicate.to_string()]);
        Some(anyhow::anyhow!(
            "{} replicate(s) failed; the first, replicate {} (seed {}), panicked: {}. The other {} replicates' results are in {}. Re-run it alone with: {cmd}",
            self.failures.len(),
            f.replicate,
            f.seed,
            f.message,
            self.outcomes.len(),
            out.display()
        ))
    }

    /// The arm as the comparison and the reports see it.
    pub fn input<'a>(&'a self, label: &'a str) -> ArmInput<'a> {
        ArmInput { label, scenario: &self.scenario, outcomes: &self.outcomes, stats: &self.stats }
    }
}

/// Runs every replicate of `sc` and writes runs.csv, timeseries.csv and summary.json into
/// `out`. Ctrl-C leaves `out` as it was; a replicate that panics is reported by the caller
/// (`Arm::failure_error`) after the others' results are written.
pub fn run_arm(sc: Scenario, out: &Path, exec: &Exec<'_>, sel: Replicates) -> anyhow::Result<Arm> {
    create_dir(out)?;
    let names = sc.spec.params.org_names.clone();
    let runs_path = out.join("runs.csv");
    let mut runs = RunsWriter::create(&runs_path, &names).with_context(|| cannot_write(&runs_path))?;
    let sets = sc.ensemble.as_ref().map_or(std::slice::from_ref(&sc.spec.params), |e| e.params.as_slice());
    let series_path = out.join(REPLICATE_SERIES);
    let mut per_replicate = match sel.series_per_replicate {
        true => Some(
            AtomicFile::create(&series_path)
                .and_then(|f| ReplicateSeriesWriter::new(f, Some(false)))
                .with_context(|| cannot_write(&series_path))?,
        ),
        false => None,
    };
    let sim = match simulate_sets_with(&sc.spec, sets, exec, sel, &mut runs, per_replicate.as_mut()) {
        Err(e) => {
            return Err(match e.downcast::<Interrupted>() {
                Ok(Interrupted(m)) => {
                    Interrupted(format!("{m}; nothing was written, and {} is as it was", out.display())).into()
                }
                Err(e) => e.context(cannot_write(&runs_path)),
            });
        }
        Ok(sim) => sim,
    };
    let Simulated { outcomes, catalog, series, failures } = sim;
    let p = &sc.spec.params;
    let ts_path = out.join("timeseries.csv");
    write_timeseries(&ts_path, &catalog, &series).with_context(|| cannot_write(&ts_path))?;
    let stats = arm_stats(&outcomes, &names, p.sponsor.commitment > 0.0, p.horizon_weeks);
    let summary = Summary::build(&SummaryInput { scenario: &sc, outcomes: &outcomes, stats: &stats });
    let sum_path = out.join("summary.json");
    write_atomic(&sum_path, &summary.to_json()).with_context(|| cannot_write(&sum_path))?;
    runs.commit().with_context(|| cannot_write(&runs_path))?;
    if let Some(w) = per_replicate {
        w.into_inner().and_then(AtomicFile::commit).with_context(|| cannot_write(&series_path))?;
    }
    Ok(Arm { scenario: sc, outcomes, catalog, series, summary, stats, failures })
}

/// The figures and report.html of one arm in `out`, its report and figure titles naming
/// `label` (a run's scenario name; a comparison arm's role and overrides) and its report
/// ending with `command`.
pub fn write_figures_and_report(arm: &Arm, label: &str, out: &Path, command: &str) -> anyhow::Result<()> {
    let stats = &arm.stats;
    // The arm's label and overrides in every figure title, so that a comparison's variant
    // is never read as the plain scenario.
    let title = format!(
        "{} ({}, seed {})",
        arm_title(&arm.scenario.spec.run.name, label, &arm.scenario.overrides),
        replicates_words(arm.outcomes.iter().map(|o| o.replicate)),
        arm.scenario.spec.run.seed
    );
    let figures = run_figures(out, &title, stats, &arm.catalog, &arm.series, &arm.scenario.spec.params)
        .with_context(|| format!("cannot write the figures in {}", out.display()))?;
    let html = run_report(&arm.input(label), &figures, command);
    let path = out.join("report.html");
    write_atomic(&path, html.as_bytes()).with_context(|| cannot_write(&path))
}

/// The outcomes alone (no series, no files) of `replicates` replicates of a scenario's text
/// with overrides, on `seed`, in replicate order: an arm of a calibration point or of a
/// behaviour check. `label` prefixes the error that names the first replicate to panic and
/// the command that re-runs it alone; `interrupted` is the message after Ctrl-C.
pub fn arm_outcomes(
    scenario_file: &str,
    text: &str,
    overrides: &[String],
    (seed, replicates): (u64, u64),
    exec: &Exec<'_>,
    (label, interrupted): (&str, &str),
) -> anyhow::Result<Vec<ReplicateOutcome>> {
    let spec = crate::scenario::parse_str(Path::new(scenario_file), text, overrides)
        .with_context(|| format!("{label}{scenario_file} with {}", overrides.join(" ")))?;
    let catalog = SeriesCatalog::new(spec.params.org_names.clone());
    let mut cfg = BatchConfig::new(seed, replicates);
    cfg.cancel = exec.cancel;
    let mut outs = Vec::with_capacity(replicates as usize);
    let report = exec.pool.install(|| {
        crate::engine::run_batch(&spec.params, &catalog, cfg, None, &|| exec.progress.inc(1), |o| outs.push(o))
    });
    if report.cancelled {
        return Err(Interrupted(interrupted.into()).into());
    }
    if let Some(f) = report.failures.first() {
        let sets: Vec<String> = overrides.iter().map(|o| format!("--set {}", super::shell_word(o))).collect();
        anyhow::bail!(
            "{label}replicate {} (seed {}) panicked: {}; re-run it alone with: collabsim run {} {} --replicate {}",
            f.replicate,
            f.seed,
            f.message,
            super::shell_word(scenario_file),
            sets.join(" "),
            f.replicate
        );
    }
    Ok(outs)
}
