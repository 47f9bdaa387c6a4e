//! Runs one replicate, or a batch of them across rayon's threads. A batch is cut into
//! fixed-size chunks; each chunk runs in parallel and is handed to the sink in replicate
//! order, so memory stays bounded and results are identical at any thread count.

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

/// Runs every replicate of the batch on the current rayon pool. `sink` receives each
/// outcome and its recorded series (row-major week x series) in replicate order;
/// `tick` is called once per finished replicate, from any thread (for progress bars).
pub fn run_batch<S>(p: &Params, catalog: &SeriesCatalog, cfg: BatchConfig, tick: &(dyn Fn() + Sync), mut sink: S)
where
    S: FnMut(ReplicateOutcome, &[f64]),
{
    let weeks = p.horizon_weeks as usize + 1;
    let mut start = 0;
    while start < cfg.replicates {
        let end = (start + CHUNK).min(cfg.replicates);
        let results: Vec<(ReplicateOutcome, Vec<f64>)> = (start..end)
            .into_par_iter()
            .map(|i| {
                let mut rec = SeriesRecorder::new(catalog, weeks);
                let out = run_replicate(p, cfg.master_seed, i, &mut rec);
                tick();
                (out, rec.values)
            })
            .collect();
        for (out, values) in results {
            sink(out, &values);
        }
        start = end;
    }
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
    let catalog = SeriesCatalog::new(p.organizations.iter().map(|o| o.name.clone()).collect());
    let mut series = TimeseriesAggregator::new(p.horizon_weeks, catalog.len());
    let mut outcomes = Vec::with_capacity(replicates as usize);
    run_batch(p, &catalog, BatchConfig { master_seed, replicates }, &|| {}, |o, v| {
        series.add(v);
        outcomes.push(o);
    });
    BatchResult { catalog, outcomes, series }
}
