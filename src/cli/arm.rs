//! One arm: a scenario's replicates run on a rayon pool with a progress bar, rows streamed
//! to runs.csv, the time series aggregated online, then timeseries.csv and summary.json.
//! `run` runs one arm; `compare` runs two with the same seeds.

use std::fs;
use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use collabsim::analysis::arm::ArmStats;
use collabsim::engine::{
    BatchConfig, ReplicateFailure, ReplicateOutcome, SeriesCatalog, TimeseriesAggregator, run_batch,
};
use collabsim::output::{RunsWriter, Summary, SummaryInput, write_atomic, write_timeseries};
use collabsim::scenario::Scenario;

/// What an arm leaves in memory for plots, comparisons and the report.
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
        let cmd =
            super::run::reproduce_command("run", &self.scenario, &["--replicate".into(), f.replicate.to_string()]);
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
}

pub fn pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new().num_threads(threads.unwrap_or(0)).build().context("cannot start worker threads")
}

pub fn create_dir(dir: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create output folder {}", dir.display()))
}

/// A progress bar over `total` replicates on standard error, hidden when quiet.
pub fn progress(total: u64, quiet: bool) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{elapsed_precise}] {wide_bar} {pos}/{len} replicates, ETA {eta}")
            .expect("valid template"),
    );
    bar
}

/// Which replicates to run: all of the scenario's (`first = 0`), or one (`--replicate K`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Selection {
    pub first: u64,
    pub panic_at: Option<u64>,
}

/// Runs every replicate of `sc` and writes runs.csv, timeseries.csv and summary.json into
/// `out`. Ctrl-C leaves `out` as it was; a replicate that panics is reported after the
/// others' results are written.
pub fn run_arm(
    sc: Scenario,
    out: &Path,
    pool: &rayon::ThreadPool,
    bar: &ProgressBar,
    sel: Selection,
) -> anyhow::Result<Arm> {
    create_dir(out)?;
    let p = &sc.params;
    let names: Vec<String> = p.organizations.iter().map(|o| o.name.clone()).collect();
    let catalog = SeriesCatalog::new(names.clone());
    let mut series = TimeseriesAggregator::new(p.horizon_weeks, catalog.len());
    let runs_path = out.join("runs.csv");
    let mut runs = RunsWriter::create(&runs_path, &names).with_context(|| cannot_write(&runs_path))?;
    let replicates = sc.raw.replicates;
    let mut outcomes = Vec::with_capacity(replicates as usize);
    let mut write_err = None;

    let mut cfg = BatchConfig::new(sc.raw.seed, replicates);
    cfg.first = sel.first;
    cfg.cancel = Some(&super::INTERRUPTED);
    cfg.panic_at = sel.panic_at;
    let report = pool.install(|| {
        run_batch(p, &catalog, cfg, Some(&mut series), &|| bar.inc(1), |o| {
            if write_err.is_none() {
                write_err = runs.write(&o).err();
            }
            outcomes.push(o);
        })
    });
    if report.cancelled {
        bar.finish_and_clear();
        return Err(super::Interrupted(format!(
            "interrupted after {} of {replicates} replicates; nothing was written, and {} is as it was",
            outcomes.len(),
            out.display()
        ))
        .into());
    }
    if let Some(e) = write_err {
        return Err(e).with_context(|| cannot_write(&runs_path));
    }

    let ts_path = out.join("timeseries.csv");
    write_timeseries(&ts_path, &catalog, &series).with_context(|| cannot_write(&ts_path))?;
    let stats = ArmStats::new(&outcomes, &names, p.horizon_weeks);
    let summary = Summary::build(&SummaryInput { scenario: &sc, outcomes: &outcomes, stats: &stats });
    let sum_path = out.join("summary.json");
    write_atomic(&sum_path, &summary.to_json()).with_context(|| cannot_write(&sum_path))?;
    runs.commit().with_context(|| cannot_write(&runs_path))?;
    Ok(Arm { scenario: sc, outcomes, catalog, series, summary, stats, failures: report.failures })
}

pub fn cannot_write(path: &Path) -> String {
    format!("cannot write {}", path.display())
}
