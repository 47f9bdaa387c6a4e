//! Throughput of the engine in agent-weeks per second (one staff slot advanced one week with
//! every rule applied): one replicate of CS1 and CS2; a batch of 1,000 CS1 replicates through
//! the path `collabsim run` uses (rayon, series recorder, online aggregation, runs rows) at 1
//! and 2 threads; CS2 scaled from 1,000 to 1,000,000 agents; and the sweep path with 10,000
//! short runs. Figures and their interpretation are kept in docs/PERFORMANCE.md.

use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use collabsim::engine::{
    BatchConfig, Observer, ReplicateOutcome, SeriesCatalog, TimeseriesAggregator, replicate_rng, run_batch,
    run_batch_aggregated, run_replicate,
};
use collabsim::model::{Params, World, init_world};
use collabsim::output::runs_csv;
use collabsim::output::sweep::point_record;
use collabsim::scenario::experiment::SweepPlan;
use collabsim::scenario::{load, parse_str};

/// Observes nothing: the bare model.
struct Null;
impl Observer for Null {
    fn observe(&mut self, _: &World) {}
}

fn params(file: &str, overrides: &[String]) -> Params {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file);
    load(&path, overrides).unwrap_or_else(|e| panic!("{file}: {e}")).params
}

/// Staff slots in a world built from `p` (the same for every seed).
fn slots(p: &Params) -> u64 {
    init_world(p, &mut replicate_rng(0, 0)).staff.len() as u64
}

/// Agent-weeks of replicates `0..n` of `seed`: slots times the weeks each actually ran.
fn agent_weeks(p: &Params, seed: u64, n: u64) -> u64 {
    (0..n).map(|i| run_replicate(p, seed, i, &mut Null).end_week as u64).sum::<u64>() * slots(p)
}

fn one_replicate(c: &mut Criterion) {
    let mut g = c.benchmark_group("replicate");
    for (name, file) in [("cs1", "cs1-merged-it.toml"), ("cs2", "cs2-colocated-control.toml")] {
        let p = params(file, &[]);
        // Average over 16 seeds so that early ends do not skew one measurement.
        g.throughput(Throughput::Elements(agent_weeks(&p, 1, 16)));
        g.bench_function(name, |b| {
            b.iter(|| (0..16).map(|i| run_replicate(&p, 1, i, &mut Null).end_week).sum::<u32>())
        });
    }
    g.finish();
}

/// What `collabsim run` does per replicate, without the files: record the series, fold them
/// in order into the aggregator, format the runs row.
fn batch_like_run(p: &Params, n: u64) -> usize {
    let catalog = SeriesCatalog::new(p.organizations.iter().map(|o| o.name.clone()).collect());
    let mut agg = TimeseriesAggregator::new(p.horizon_weeks, catalog.len());
    let names = catalog.org_names.clone();
    let mut bytes = 0;
    run_batch_aggregated(p, &catalog, BatchConfig::new(2010, n), &|| {}, &mut agg, |o: ReplicateOutcome| {
        bytes += runs_csv::row(&o, &names).iter().map(String::len).sum::<usize>();
    });
    bytes
}

fn batch(c: &mut Criterion) {
    let p = params("cs1-merged-it.toml", &[]);
    let mut g = c.benchmark_group("batch_cs1_1000");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    g.throughput(Throughput::Elements(agent_weeks(&p, 2010, 1000)));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        g.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, _| {
            b.iter(|| pool.install(|| batch_like_run(&p, 1000)))
        });
    }
    g.finish();
}

fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("cs2_scaled_1y");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    // CS2 has 105 staff (PF 60, FRS1 25, FRS2 20); scale each partner in proportion. One
    // year holds the first two of its seven go-lives.
    for agents in [1_000u64, 10_000, 100_000, 1_000_000] {
        let f = agents as f64 / 105.0;
        let ov: Vec<String> = [("PF", 60.0), ("FRS1", 25.0), ("FRS2", 20.0)]
            .iter()
            .map(|(o, n)| format!("organizations.{o}.staff={}", (n * f).round() as u64))
            .chain(["years=1".to_string()])
            .collect();
        let p = params("cs2-colocated-control.toml", &ov);
        g.throughput(Throughput::Elements(agent_weeks(&p, 3, 1)));
        g.bench_with_input(BenchmarkId::from_parameter(agents), &agents, |b, _| {
            b.iter(|| run_replicate(&p, 3, 0, &mut Null).end_week)
        });
    }
    g.finish();
}

/// The sweep path: 100 design points x 100 replicates of CS1 over one year, each point
/// parsed from the scenario text, run as a batch and turned into its record.
fn sweep(c: &mut Criterion) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/cs1-merged-it.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let exp = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sweep-small.toml");
    let mut plan: SweepPlan = collabsim::scenario::experiment::load_experiment(&exp, false).unwrap();
    plan.replicates = 100;
    plan.fixed = vec!["years=1".into(), "replicates=100".into()];
    plan.horizon_weeks = 52;
    plan.points = (0..100).map(|i| vec![0.1 + 0.009 * i as f64, 0.9]).collect();
    let mut g = c.benchmark_group("sweep_10000_runs");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    let exact: u64 = (0..plan.points.len())
        .map(|i| agent_weeks(&parse_str(&file, &text, &plan.overrides(i)).unwrap().1, plan.seed, 100))
        .sum();
    g.throughput(Throughput::Elements(exact));
    g.bench_function("cs1_1y", |b| {
        b.iter(|| {
            let mut rows = 0;
            for i in 0..plan.points.len() {
                let (_, p) = parse_str(&file, &text, &plan.overrides(i)).unwrap();
                let catalog = SeriesCatalog::new(plan.org_names.clone());
                let mut outcomes = Vec::with_capacity(100);
                run_batch(&p, &catalog, BatchConfig::new(plan.seed, 100), &|| {}, |o, _| outcomes.push(o));
                rows += point_record(&plan, i, &outcomes).row.len();
            }
            rows
        })
    });
    g.finish();
}

criterion_group!(benches, one_replicate, batch, scaling, sweep);
criterion_main!(benches);
