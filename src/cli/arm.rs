//! One arm: a scenario's replicates run on a rayon pool with a progress bar, rows streamed
//! to runs.csv, the time series aggregated online, then timeseries.csv and summary.json.
//! `run` runs one arm; `compare` runs two with the same seeds.

use std::fs;
use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use collabsim::engine::{BatchConfig, ReplicateOutcome, SeriesCatalog, TimeseriesAggregator, run_batch};
use collabsim::output::{RunsWriter, Summary, SummaryInput, write_atomic, write_timeseries};
use collabsim::scenario::Scenario;

/// What an arm leaves in memory for plots, comparisons and the report.
pub struct Arm {
    pub scenario: Scenario,
    pub outcomes: Vec<ReplicateOutcome>,
    pub catalog: SeriesCatalog,
    pub series: TimeseriesAggregator,
    pub summary: Summary,
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

/// Runs every replicate of `sc` and writes runs.csv, timeseries.csv and summary.json into `out`.
pub fn run_arm(sc: Scenario, out: &Path, pool: &rayon::ThreadPool, bar: &ProgressBar) -> anyhow::Result<Arm> {
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

    let cfg = BatchConfig { master_seed: sc.raw.seed, replicates };
    pool.install(|| {
        run_batch(p, &catalog, cfg, &|| bar.inc(1), |o, values| {
            series.add(values);
            if write_err.is_none() {
                write_err = runs.write(&o).err();
            }
            outcomes.push(o);
        })
    });
    if let Some(e) = write_err {
        return Err(e).with_context(|| cannot_write(&runs_path));
    }

    let ts_path = out.join("timeseries.csv");
    write_timeseries(&ts_path, &catalog, &series).with_context(|| cannot_write(&ts_path))?;
    let summary = Summary::build(&SummaryInput { scenario: &sc, outcomes: &outcomes });
    let sum_path = out.join("summary.json");
    write_atomic(&sum_path, &summary.to_json()).with_context(|| cannot_write(&sum_path))?;
    runs.commit().with_context(|| cannot_write(&runs_path))?;
    Ok(Arm { scenario: sc, outcomes, catalog, series, summary })
}

pub fn cannot_write(path: &Path) -> String {
    format!("cannot write {}", path.display())
}
