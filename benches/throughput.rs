//! Throughput benchmarks in agent-weeks per second (one staff slot advanced one week with
//! every rule applied): single replicates of CS1 and CS2, the time-series fold alone with
//! each fold kernel, a 1,000-replicate CS1 batch through `collabsim run`'s path at 1 and 2
//! threads (and at 1 with each fold kernel), CS2 scaled from 1,000 to 1,000,000 agents, and a 10,000-run sweep. Agent-weeks
//! are counted from the runs themselves (slots x weeks actually simulated), so early endings
//! are not over-credited.
//! Run with `cargo bench`; figures and their reading are in docs/PERFORMANCE.md.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use collabsim::app::Exec;
use collabsim::app::arm::{Replicates, Simulated, simulate};
use collabsim::app::sweep::{plan as make_plan, run_point};
use collabsim::engine::timeseries::Kernel;
use collabsim::engine::{
    NoObserver, ReplicateOutcome, SeriesCatalog, SeriesRecorder, TimeseriesAggregator, replicate_rng, run_replicate,
};
use collabsim::model::{Params, init_world};
use collabsim::output::RunsWriter;
use collabsim::scenario::experiment::load_experiment;
use collabsim::scenario::{Scenario, load, parse_str};

const CS1: &str = "scenarios/cs1-merged-it.toml";
const CS2: &str = "scenarios/cs2-colocated-control.toml";

fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn scenario(rel: &str, overrides: &[String]) -> Scenario {
    load(&path(rel), overrides).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Staff slots of a world built from `p` (fixed by the parameters, whatever the seed).
fn slots(p: &Params) -> u64 {
    init_world(p, &mut replicate_rng(0, 0)).staff.len() as u64
}

/// Agent-weeks of one finished replicate: slots x weeks stepped (the end week, or the horizon).
fn agent_weeks(slots: u64, o: &ReplicateOutcome) -> u64 {
    slots * u64::from(o.end_week)
}

fn catalog(p: &Params) -> SeriesCatalog {
    SeriesCatalog::new(p.org_names.clone())
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool")
}

/// One replicate (index 0) of each case study, bare and with the series recorder.
fn single(c: &mut Criterion) {
    let mut g = c.benchmark_group("replicate");
    for (name, rel) in [("cs1", CS1), ("cs2", CS2)] {
        let sc = scenario(rel, &[]);
        let p = &sc.spec.params;
        let seed = sc.spec.run.seed;
        let out = run_replicate(p, seed, 0, &mut NoObserver);
        g.throughput(Throughput::Elements(agent_weeks(slots(p), &out)));
        g.bench_function(BenchmarkId::new("bare", name), |b| {
            b.iter(|| run_replicate(p, seed, black_box(0), &mut NoObserver))
        });
        let cat = catalog(p);
        g.bench_function(BenchmarkId::new("recorded", name), |b| {
            b.iter(|| {
                let mut rec = SeriesRecorder::new(&cat, p.horizon_weeks as usize + 1);
                run_replicate(p, seed, black_box(0), &mut rec)
            })
        });
    }
    g.finish();
}

/// `collabsim run`'s own batch (`app::arm::simulate`): series folded into the aggregator,
/// rows formatted into runs.csv (here a writer that discards its bytes), outcomes kept.
fn run_path(sc: &Scenario, exec: &Exec<'_>) -> Simulated {
    let mut runs = RunsWriter::new(std::io::sink(), &sc.spec.params.org_names).expect("sink");
    let sim = simulate(&sc.spec, exec, Replicates::default(), &mut runs).expect("the run path");
    assert!(sim.failures.is_empty());
    sim
}

/// 1,000 CS1 replicates through the `run` path at 1 and 2 threads with the fold `run` uses
/// (`Kernel::detect`), then on one thread with every fold kernel this CPU runs
/// (`cs1/run-1t/Plain` etc.; `cs1/run-1t` again among them, a check on drift), and the bare
/// replicate loop (no recorder, aggregator or rows) on one thread for the cost of everything else.
fn batch(c: &mut Criterion) {
    const N: u64 = 1000;
    let sc = scenario(CS1, &[format!("replicates={N}")]);
    let p = &sc.spec.params;
    let seed = sc.spec.run.seed;
    let s = slots(p);
    let total: u64 = run_path(&sc, &Exec::quiet(1)).outcomes.iter().map(|o| agent_weeks(s, o)).sum();
    let mut g = c.benchmark_group("batch1000");
    g.sample_size(10).measurement_time(Duration::from_secs(20)).warm_up_time(Duration::from_secs(2));
    g.throughput(Throughput::Elements(total));
    let one = pool(1);
    g.bench_function("cs1/bare-1t", |b| {
        b.iter(|| one.install(|| (0..N).map(|i| run_replicate(p, seed, i, &mut NoObserver).end_week).sum::<u32>()))
    });
    for threads in [1, 2] {
        let exec = Exec::quiet(threads);
        g.bench_function(format!("cs1/run-{threads}t"), |b| b.iter(|| run_path(&sc, &exec)));
    }
    // The fold each CPU gets: the fastest kernel this one runs is what `run` uses; the
    // others are what CPUs without AVX-512 (or without AVX: the plain fold) get.
    for kernel in Kernel::ALL.into_iter().filter(|k| k.available()) {
        let mut exec = Exec::quiet(1);
        exec.fold = kernel;
        g.bench_function(format!("cs1/run-1t/{kernel:?}"), |b| b.iter(|| run_path(&sc, &exec)));
    }
    g.finish();
}

/// The time-series fold alone, on one thread, with each kernel: 128 recorded CS1
/// replicates (one chunk of the `run` path) added to an aggregator that has already seen
/// another 128, so the P-square estimators are past their start-up. Throughput counts the
/// replicates' agent-weeks, so the figure compares directly with `replicate/bare/cs1`.
fn fold(c: &mut Criterion) {
    const CHUNK: u64 = 128;
    let sc = scenario(CS1, &[]);
    let p = &sc.spec.params;
    let seed = sc.spec.run.seed;
    let cat = catalog(p);
    let weeks = p.horizon_weeks as usize + 1;
    let s = slots(p);
    let record = |first: u64| -> (Vec<Vec<f64>>, u64) {
        let mut aw = 0;
        let v = (first..first + CHUNK)
            .map(|i| {
                let mut rec = SeriesRecorder::new(&cat, weeks);
                aw += agent_weeks(s, &run_replicate(p, seed, i, &mut rec));
                rec.values
            })
            .collect();
        (v, aw)
    };
    let (warm, _) = record(0);
    let (chunk, total) = record(CHUNK);
    let refs: Vec<&[f64]> = chunk.iter().map(Vec::as_slice).collect();
    let one = pool(1);
    let mut g = c.benchmark_group("fold");
    g.throughput(Throughput::Elements(total));
    // Every kernel this CPU runs: `run` uses the fastest; `Avx` is what CPUs without AVX-512
    // get, and `Plain` (the scalar fold the kernels are measured against) CPUs without AVX.
    for kernel in Kernel::ALL.into_iter().filter(|k| k.available()) {
        let mut primed = TimeseriesAggregator::with_kernel(p.horizon_weeks, cat.len(), kernel);
        primed.add_chunk(&warm.iter().map(Vec::as_slice).collect::<Vec<_>>());
        g.bench_function(BenchmarkId::new("cs1-128-replicates-1t", format!("{kernel:?}")), |b| {
            b.iter_batched_ref(|| primed.clone(), |agg| one.install(|| agg.add_chunk(&refs)), BatchSize::LargeInput)
        });
    }
    g.finish();
}

/// CS2's staff scaled to `n` agents in the scenario's proportions, over one year (go-lives
/// moved inside the year so the scenario validates).
fn cs2_scaled(n: u64) -> Scenario {
    let base = scenario(CS2, &[]);
    let p = &base.spec.params;
    let total: u64 = p.organizations.iter().map(|o| u64::from(o.staff)).sum();
    let mut ov: Vec<String> = vec!["years=1".into(), "project.go_live_weeks=[26, 52]".into()];
    let mut given = 0;
    for (k, (name, o)) in p.org_names.iter().zip(&p.organizations).enumerate() {
        let staff = if k + 1 == p.n_orgs() { n - given } else { n * u64::from(o.staff) / total };
        given += staff;
        ov.push(format!("organizations.{name}.staff={staff}"));
    }
    scenario(CS2, &ov)
}

/// Cost per agent-week as the unit grows: flat if no step is quadratic in agents.
fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("cs2_scaled_1y");
    g.sample_size(10).warm_up_time(Duration::from_secs(1));
    for n in [1_000u64, 10_000, 100_000, 1_000_000] {
        let sc = cs2_scaled(n);
        let p = &sc.spec.params;
        let seed = sc.spec.run.seed;
        let cat = catalog(p);
        let out = run_replicate(p, seed, 0, &mut NoObserver);
        g.throughput(Throughput::Elements(agent_weeks(slots(p), &out)));
        g.measurement_time(Duration::from_secs(if n >= 100_000 { 15 } else { 5 }));
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                let mut rec = SeriesRecorder::new(&cat, p.horizon_weeks as usize + 1);
                run_replicate(p, seed, 0, &mut rec)
            })
        });
    }
    g.finish();
}

/// `collabsim sweep`'s per-point work (`app::sweep::run_point`) over the fixture's 100
/// points x 100 one-year CS1 replicates, on one thread: resolve the point's scenario, run the
/// batch, build the record. Agent-weeks are counted from the records' end weeks.
fn sweep(c: &mut Criterion) {
    let exp = load_experiment(&path("benches/sweep-cs1-1y.toml")).expect("bench experiment");
    let plan = make_plan(&exp, false);
    let text = std::fs::read_to_string(path(CS1)).expect("CS1");
    let one = Exec::quiet(1);
    let total: u64 = (0..plan.points.len())
        .map(|i| {
            let params = parse_str(&path(CS1), &text, &plan.overrides(i)).expect("point parses").params;
            let (rec, _) = run_point(&plan, i, &text, &one).expect("point runs");
            let s = slots(&params);
            rec.end_weeks.iter().map(|w| s * u64::from(w.unwrap_or(plan.horizon_weeks))).sum::<u64>()
        })
        .sum();
    let run_all = || {
        for i in 0..plan.points.len() {
            black_box(run_point(&plan, i, &text, &one).expect("point runs"));
        }
    };
    let mut g = c.benchmark_group("sweep");
    g.sample_size(10).measurement_time(Duration::from_secs(30)).warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Elements(total));
    g.bench_function("cs1-1y-100x100-1t", |b| b.iter(run_all));
    g.finish();
}

criterion_group! {
    name = benches;
    // No plots: they need system fonts, and the numbers are what PERFORMANCE.md reports.
    config = Criterion::default().without_plots();
    targets = single, fold, batch, scaling, sweep
}
criterion_main!(benches);
