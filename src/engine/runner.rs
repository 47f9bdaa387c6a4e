//! Runs one replicate, or a batch of them across rayon's threads. A batch is cut into
//! fixed-size chunks; each chunk runs in parallel and is handed to the sink in replicate
//! order, so memory stays bounded and results are identical at any thread count. A panic in
//! one replicate is caught and reported with its seed; the others still reach the sink. A
//! cancel flag, checked between chunks, stops a batch early (Ctrl-C).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::observer::{Metric, Observer, SeriesCatalog, SeriesRecorder};
use super::outcome::ReplicateOutcome;
use super::rng::{replicate_rng, replicate_seed};
use super::timeseries::TimeseriesAggregator;
use crate::model::{Params, init_world, step};

/// Replicates run in parallel before their results are folded, in order.
const CHUNK: u64 = 128;

/// The week at which savings are reported as 'by year 2' (pattern 8).
const YEAR2_WEEK: u32 = 104;

#[derive(Clone, Copy, Debug)]
pub struct BatchConfig {
    pub master_seed: u64,
    pub replicates: u64,
    /// Index of the first replicate (to re-run one replicate alone: `first = k`, `replicates = 1`).
    pub first: u64,
    /// Set from outside (a Ctrl-C handler) to stop after the chunk in progress.
    pub cancel: Option<&'static AtomicBool>,
    /// Fault injection for tests of the failure path: replicate `k` panics.
    pub panic_at: Option<u64>,
}

impl BatchConfig {
    pub fn new(master_seed: u64, replicates: u64) -> Self {
        BatchConfig { master_seed, replicates, first: 0, cancel: None, panic_at: None }
    }
}

/// A replicate that panicked: its index, its stream seed and the panic message.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicateFailure {
    pub replicate: u64,
    pub seed: u64,
    pub message: String,
}

/// How a batch ended: replicates that panicked, and whether it was cancelled before the end.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchReport {
    pub failures: Vec<ReplicateFailure>,
    pub cancelled: bool,
}

pub(super) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic with a non-text payload".into())
}

/// Runs replicate `index` of `master_seed`; the observer sees week 0 and every week after.
pub fn run_replicate<O: Observer>(p: &Params, master_seed: u64, index: u64, observer: &mut O) -> ReplicateOutcome {
    let mut rng = replicate_rng(master_seed, index);
    let mut w = init_world(p, &mut rng);
    observer.observe(&w);
    let mut savings_y2 = None;
    while w.collab.week < p.horizon_weeks && !w.ended() {
        step(p, &mut w, &mut rng);
        observer.observe(&w);
        if w.collab.week == YEAR2_WEEK {
            savings_y2 = Some(w.collab.savings_gbp);
        }
    }
    let y2 = savings_y2.unwrap_or(w.collab.savings_gbp);
    ReplicateOutcome::from_world(index, replicate_seed(master_seed, index), &w, p.horizon_weeks, y2)
}

/// Runs every replicate of the batch on the current rayon pool. With `series`, each
/// replicate's weekly series are recorded and folded into it (in replicate order, in
/// parallel over cells); without, nothing is recorded. `sink` receives each outcome in
/// replicate order; `tick` is called once per finished replicate, from any thread (for
/// progress bars).
pub fn run_batch<S>(
    p: &Params,
    catalog: &SeriesCatalog,
    cfg: BatchConfig,
    series: Option<&mut TimeseriesAggregator>,
    tick: &(dyn Fn() + Sync),
    sink: S,
) -> BatchReport
where
    S: FnMut(ReplicateOutcome),
{
    run_batch_sets(std::slice::from_ref(p), catalog, cfg, series, tick, sink)
}

/// As [`run_batch`], with a parameter set per replicate: replicate `i` (its index in the
/// master seed's streams, `cfg.first` included) runs with `sets[i % sets.len()]`, so an
/// ensemble of parameter sets is spread over the replicates in a fixed way, whatever the
/// thread count. One set is exactly `run_batch`. Every set must have the same horizon and
/// organizations (the series and the outcome rows are laid out by them): the caller checks,
/// and a mismatch here is a programming error.
pub fn run_batch_sets<S>(
    sets: &[Params],
    catalog: &SeriesCatalog,
    cfg: BatchConfig,
    series: Option<&mut TimeseriesAggregator>,
    tick: &(dyn Fn() + Sync),
    mut sink: S,
) -> BatchReport
where
    S: FnMut(ReplicateOutcome),
{
    run_batch_series(sets, catalog, cfg, series, false, tick, |o, _| sink(o))
}

/// As [`run_batch_sets`], with `keep` also handing each replicate's own weekly series to
/// `sink` beside its outcome (row-major: week, then catalog series; weeks 0 to its end), in
/// replicate order, so a caller can stream them to a file: memory holds one chunk's series
/// at a time. Without `keep` and without `series` the slice is empty.
pub fn run_batch_series<S>(
    sets: &[Params],
    catalog: &SeriesCatalog,
    cfg: BatchConfig,
    mut series: Option<&mut TimeseriesAggregator>,
    keep: bool,
    tick: &(dyn Fn() + Sync),
    mut sink: S,
) -> BatchReport
where
    S: FnMut(ReplicateOutcome, &[f64]),
{
    let first = sets.first().expect("at least one parameter set");
    assert!(
        sets.iter().all(|s| s.horizon_weeks == first.horizon_weeks && s.org_names == first.org_names),
        "every parameter set of a batch has the same horizon and organizations"
    );
    let n_sets = sets.len() as u64;
    let weeks = first.horizon_weeks as usize + 1;
    let record = series.is_some() || keep;
    let mut report = BatchReport::default();
    let last = cfg.first + cfg.replicates;
    let mut start = cfg.first;
    while start < last {
        if cfg.cancel.is_some_and(|c| c.load(Ordering::SeqCst)) {
            report.cancelled = true;
            break;
        }
        let end = (start + CHUNK).min(last);
        let results: Vec<Result<(ReplicateOutcome, Vec<f64>), ReplicateFailure>> = (start..end)
            .into_par_iter()
            .map(|i| {
                let run = catch_unwind(AssertUnwindSafe(|| {
                    if cfg.panic_at == Some(i) {
                        panic!("injected failure in replicate {i} (--debug-panic-at)");
                    }
                    let p = &sets[(i % n_sets) as usize];
                    if record {
                        let mut rec = SeriesRecorder::new(catalog, weeks);
                        let out = run_replicate(p, cfg.master_seed, i, &mut rec);
                        (out, rec.values)
                    } else {
                        (run_replicate(p, cfg.master_seed, i, &mut NoObserver), Vec::new())
                    }
                }));
                tick();
                run.map_err(|e| ReplicateFailure {
                    replicate: i,
                    seed: replicate_seed(cfg.master_seed, i),
                    message: panic_message(e.as_ref()),
                })
            })
            .collect();
        if let Some(agg) = series.as_deref_mut() {
            let values: Vec<&[f64]> =
                results.iter().filter_map(|r| r.as_ref().ok()).map(|(_, v)| v.as_slice()).collect();
            agg.add_chunk(&values);
        }
        for r in results {
            match r {
                Ok((out, values)) => sink(out, &values),
                Err(f) => report.failures.push(f),
            }
        }
        start = end;
    }
    report
}

/// Records nothing: for batches whose series nobody reads (sweeps), and to time the bare
/// model loop.
pub struct NoObserver;

impl Observer for NoObserver {
    fn observe(&mut self, _: &crate::model::World) {}
}

/// Everything a batch produced, held in memory: for tests and library users who want the
/// outcomes and aggregated series without files.
pub struct BatchResult {
    pub catalog: SeriesCatalog,
    pub outcomes: Vec<ReplicateOutcome>,
    pub series: TimeseriesAggregator,
}

impl BatchResult {
    /// Mean of one series at one week over the replicates still running, if any are.
    pub fn mean(&self, metric: Metric, org: Option<usize>, week: usize) -> Option<f64> {
        let s = self.catalog.series.iter().position(|&x| x == (metric, org))?;
        let cell = self.series.cell(week, s);
        (cell.n > 0).then(|| cell.mean())
    }
}

/// Runs a batch on the current rayon pool and keeps the results in memory.
pub fn run_collect(p: &Params, master_seed: u64, replicates: u64) -> BatchResult {
    let catalog = SeriesCatalog::new(p.org_names.clone());
    let mut series = TimeseriesAggregator::new(p.horizon_weeks, catalog.len());
    let mut outcomes = Vec::with_capacity(replicates as usize);
    let report = run_batch(p, &catalog, BatchConfig::new(master_seed, replicates), Some(&mut series), &|| {}, |o| {
        outcomes.push(o)
    });
    assert!(report.failures.is_empty(), "replicates failed: {:?}", report.failures);
    BatchResult { catalog, outcomes, series }
}
