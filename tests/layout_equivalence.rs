//! Issue 16: a change of the random-number layout (which random draw each decision of the
//! model sees) changes every output byte but must not move the statistics. For every shipped
//! scenario, 10,000 replicates of the current code are compared with 10,000 replicates of the
//! old layout, committed in `tests/data/layout-v1/` (made at commit 8785b96: one ChaCha8
//! stream per replicate, draws taken as each rule needs them; see its README.md):
//!
//! (a) the two-sample log-rank test of the lifetimes: p above 0.01;
//! (b) Kaplan-Meier survival at 1, 2, 5 and 10 years within their joint 99% intervals;
//! (c) each end cause's share of the runs within 1 percentage point;
//! (d) the weekly means of trust, motivation, willingness and workload within 0.01.
//!
//! The current sample goes through `collabsim run`'s own path (`app::arm::simulate`: the same
//! batch, the same online fold of the weekly series), at the scenario's own seed, so the
//! weekly means are computed exactly as `timeseries.csv` computes them. Before the layout
//! changes, both samples are the same replicates and every difference printed is 0.
//!
//! Each scenario prints one line: the log-rank p, the four survival differences, the largest
//! end-cause share difference and the largest weekly-mean difference
//! (`cargo test --release --test layout_equivalence -- --ignored --nocapture every_shipped`:
//! ignored by default while the layout is unchanged). It takes a few minutes on two cores
//! (50,000 replicates of up to ten years).
//!
//! What "weekly mean" means here (as in `timeseries.csv`, rows with `org` = `all`): at week
//! w, the mean over the n(w) replicates still running at week w, that is those whose
//! `end_week` is w or later (a run is observed at week 0 and after every week it steps,
//! including the week it ends; a censored run through the horizon week, 520), of that
//! replicate's whole-unit value: the mean of the partners' staff means (each over its staff
//! in post), weighted by their staff in post. Replicates that have ended do not count, so
//! late weeks rest on fewer replicates; `n` in `weekly.csv` is n(w), and
//! `the_reference_is_whole_and_consistent` checks n(w) = #{end_week >= w} against the runs.
//! The means are compared as `timeseries.csv` writes them (6 decimals).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use collabsim::analysis::logrank::logrank;
use collabsim::analysis::paired::normal_quantile;
use collabsim::analysis::survival::{KaplanMeier, Observation};
use collabsim::app::Exec;
use collabsim::app::arm::{Replicates, simulate};
use collabsim::app::manifest::sha256_file;
use collabsim::engine::{BatchConfig, Metric, SeriesCatalog, run_batch_series};
use collabsim::output::runs_csv::RunsWriter;

/// Replicates per layout, as issue 16 asks.
const REPLICATES: u64 = 10_000;

const WEEKS_PER_YEAR: u32 = 52;

/// The years at which survival is compared (summary.json's: week 52 y).
const YEARS: [u32; 4] = [1, 2, 5, 10];

/// The weekly series compared: the whole unit's (`org` = `all`).
const METRICS: [Metric; 4] = [Metric::Trust, Metric::Motivation, Metric::Willingness, Metric::Workload];

/// (a): the log-rank p must be above this.
const LOGRANK_ALPHA: f64 = 0.01;

/// (b): the four survival intervals hold jointly at 99%.
const SURVIVAL_ALPHA: f64 = 0.01;

/// (c): one percentage point, absolute.
const CAUSE_POINTS: f64 = 0.01;

/// (d): the bound on a weekly mean.
const WEEKLY_TOLERANCE: f64 = 0.01;

/// (d): the family-wise false-alarm level of the weekly comparison (see `WeeklyRule`).
const WEEKLY_ALPHA: f64 = 0.01;

/// (d): weeks with fewer replicates running than this in either layout are not compared (see
/// `WeeklyRule`).
const MIN_RUNNING: u64 = 100;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn reference_dir() -> PathBuf {
    root().join("tests/data/layout-v1")
}

/// Every shipped scenario: the stems of `scenarios/*.toml`, sorted.
fn shipped() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .expect("scenarios/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().expect("a stem").to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Two workers at most: CI (and this machine) have two cores.
fn exec() -> Exec<'static> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(2);
    Exec::quiet(threads)
}

fn scenario_path(stem: &str) -> PathBuf {
    root().join("scenarios").join(format!("{stem}.toml"))
}

fn load(stem: &str) -> collabsim::scenario::Scenario {
    collabsim::scenario::load(&scenario_path(stem), &[format!("replicates={REPLICATES}")])
        .unwrap_or_else(|e| panic!("{stem}: {e}"))
}

/// A mean as `timeseries.csv` writes it.
fn six(x: f64) -> f64 {
    format!("{x:.6}").parse().expect("a number")
}

/// One week of the weekly series: replicates running, the four means, and (the old layout's
/// reference only) the four standard deviations across those replicates.
#[derive(Clone, Debug, PartialEq)]
struct Week {
    n: u64,
    mean: [f64; 4],
    sd: Option<[f64; 4]>,
}

/// One layout's sample: per replicate (in replicate order) its end week and end cause as
/// runs.csv writes them (`censored` for a run still going at the horizon, whose `end_week` is
/// the horizon); per week with a replicate running, its `Week`.
#[derive(Clone, Debug, PartialEq)]
struct Sample {
    ends: Vec<(u32, String)>,
    weeks: BTreeMap<u32, Week>,
}

impl Sample {
    fn observations(&self) -> Vec<Observation> {
        self.ends.iter().map(|(w, c)| Observation { time: *w as f64, event: c != "censored" }).collect()
    }

    fn share(&self, cause: &str) -> f64 {
        self.ends.iter().filter(|(_, c)| c == cause).count() as f64 / self.ends.len() as f64
    }
}

/// The indices of the compared series in a scenario's catalog.
fn series_indices(catalog: &SeriesCatalog) -> [usize; 4] {
    METRICS.map(|m| catalog.series.iter().position(|&s| s == (m, None)).expect("a whole-unit series"))
}

/// 10,000 replicates of `stem` with the current code from replicate `first` (0: the
/// scenario's own replicates), through `collabsim run`'s path.
fn run_current(stem: &str, first: u64) -> Sample {
    let sc = load(stem);
    let names = sc.spec.params.org_names.clone();
    let mut runs = RunsWriter::new(io::sink(), &names).expect("a sink");
    let sel = Replicates { first, ..Replicates::default() };
    let sim = simulate(&sc.spec, &exec(), sel, &mut runs).expect("the run path");
    assert!(sim.failures.is_empty(), "{stem}: replicates panicked: {:?}", sim.failures);
    let ends = sim.outcomes.iter().map(|o| (o.end_week, o.end_cause.map_or("censored", |c| c.as_str()).to_string()));
    let idx = series_indices(&sim.catalog);
    let mut weeks = BTreeMap::new();
    for w in 0..sim.series.weeks() {
        let cells = idx.map(|s| sim.series.cell(w, s));
        if cells[0].n > 0 {
            weeks.insert(w as u32, Week { n: cells[0].n, mean: cells.each_ref().map(|c| six(c.mean())), sd: None });
        }
    }
    Sample { ends: ends.collect(), weeks }
}

/// The standard deviation (n - 1) across the running replicates of each compared series and
/// week, with the replicates they rest on: a second pass over the same replicates through the
/// engine's batch, keeping each replicate's series (Welford's update, in replicate order).
fn weekly_sd(stem: &str) -> BTreeMap<u32, (u64, [f64; 4])> {
    let sc = load(stem);
    let p = &sc.spec.params;
    let catalog = SeriesCatalog::new(p.org_names.clone());
    let idx = series_indices(&catalog);
    let ns = catalog.len();
    let weeks = p.horizon_weeks as usize + 1;
    let mut acc = vec![(0u64, [0.0f64; 4], [0.0f64; 4]); weeks];
    let cfg = BatchConfig::new(sc.spec.run.seed, REPLICATES);
    let report = exec().pool.install(|| {
        run_batch_series(std::slice::from_ref(p), &catalog, cfg, None, true, &|| {}, |_, values| {
            for (w, row) in values.chunks(ns).enumerate() {
                let (n, mean, m2) = &mut acc[w];
                *n += 1;
                for (k, &s) in idx.iter().enumerate() {
                    let d = row[s] - mean[k];
                    mean[k] += d / *n as f64;
                    m2[k] += d * (row[s] - mean[k]);
                }
            }
        })
    });
    assert!(report.failures.is_empty(), "{stem}: replicates panicked");
    (0..weeks)
        .filter(|&w| acc[w].0 > 0)
        .map(|w| {
            let (n, _, m2) = acc[w];
            (w as u32, (n, m2.map(|m| if n > 1 { (m / (n - 1) as f64).sqrt() } else { 0.0 })))
        })
        .collect()
}

fn read_csv(path: &Path) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.records().map(|x| x.unwrap_or_else(|e| panic!("{}: {e}", path.display()))).collect()
}

/// The committed old-layout sample of `stem`.
fn reference(stem: &str) -> Sample {
    let dir = reference_dir().join(stem);
    let num = |s: &str| s.parse::<f64>().unwrap_or_else(|e| panic!("{stem}: '{s}': {e}"));
    let ends =
        read_csv(&dir.join("runs.csv")).iter().map(|r| (num(&r[0]) as u32, r[1].to_string())).collect::<Vec<_>>();
    let weeks = read_csv(&dir.join("weekly.csv"))
        .iter()
        .map(|r| {
            let v: Vec<f64> = r.iter().map(num).collect();
            let four = |at: usize| [v[at], v[at + 1], v[at + 2], v[at + 3]];
            (v[0] as u32, Week { n: v[1] as u64, mean: four(2), sd: Some(four(6)) })
        })
        .collect();
    Sample { ends, weeks }
}

/// The reference's manifest: per scenario its seed, replicates, horizon and the SHA-256 of
/// the scenario file it was made from.
fn manifest() -> BTreeMap<String, (u64, u64, u32, String)> {
    read_csv(&reference_dir().join("manifest.csv"))
        .iter()
        .map(|r| {
            let n = |i: usize| r[i].parse::<u64>().expect("a number");
            (r[0].to_string(), (n(1), n(2), n(3) as u32, r[4].to_string()))
        })
        .collect()
}

/// The horizon of `stem`'s reference, in weeks.
fn horizon(stem: &str) -> u32 {
    manifest().get(stem).unwrap_or_else(|| panic!("{stem}: no reference")).2
}

fn sha256_hex(path: &Path) -> String {
    sha256_file(path).unwrap_or_else(|e| panic!("{e:#}"))
}

/// The criterion a failure breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Criterion {
    LogRank,
    Survival,
    CauseShare,
    WeeklyMean,
}

#[derive(Debug)]
struct Failure {
    criterion: Criterion,
    message: String,
}

/// The outcome of comparing one scenario's two samples.
struct Verdict {
    failures: Vec<Failure>,
    summary: String,
}

impl Verdict {
    fn broken(&self) -> BTreeSet<Criterion> {
        self.failures.iter().map(|f| f.criterion).collect()
    }
}

/// Two-sided standard normal quantile for a tail of `alpha` split over both sides.
fn z_two_sided(alpha: f64) -> f64 {
    normal_quantile(1.0 - alpha / 2.0)
}

/// Kaplan-Meier S(t) and Greenwood's variance of it (R's `survfit` std.err squared): the
/// last step at or before t, (1, 0) before the first event.
fn survival_at(km: &KaplanMeier, t: f64) -> (f64, f64) {
    km.step_at(t).map_or((1.0, 0.0), |s| (s.survival, s.variance))
}

/// How (d) treats weeks, by the number of replicates running.
///
/// The bound is 0.01 on every weekly mean. Where many replicates run, two samples of
/// one distribution differ by far less than that: the spread of these series across
/// replicates is about 0.01 to 0.05 (the old layout's own standard deviations, in weekly.csv),
/// so at n = 10,000 the difference of two means has a standard error of 0.0001 to 0.0007.
/// Late in the scenarios that mostly end (hr-no-shared-vision, the imposed programme) only a
/// handful of replicates run, and there two samples of one distribution would differ by more
/// than 0.01 by chance alone: a bound of 0.01 there would fail a layout that changed nothing.
/// So, explicitly, and printed for each scenario:
///
/// - a week with at least `MIN_RUNNING` (100) replicates running in both layouts is compared;
///   one with fewer in either is not (it holds the last 1% of the runs; their lifetimes are
///   still compared by the log-rank test and the survival curve). Below 100, the old layout's
///   standard deviation, which sets the bound below, is itself too uncertain, and a mean of
///   so few replicates too far from normal, for a bound at a small tail probability;
/// - at a compared week, metric by metric, the bound is 0.01, unless 0.01 is smaller than
///   z * SE, the difference two samples of one distribution reach with the family-wise
///   probability `WEEKLY_ALPHA` (1%): then the bound is z * SE. SE = s_old * sqrt(1/n_old +
///   1/n_new), with s_old the old layout's standard deviation across the replicates running
///   that week (under the hypothesis being tested both layouts share it; taking the old
///   one keeps the bound independent of the sample under test). z is Bonferroni's over the
///   cells compared (4 metrics x weeks), two-sided: 4.57 for 521 weeks. So 0.01 is the
///   bound wherever the data can resolve it, and every cell where it is not is counted.
struct WeeklyRule {
    z: f64,
}

/// Compares the old-layout sample `old` (with its standard deviations) with `new`.
fn compare(stem: &str, horizon_weeks: u32, old: &Sample, new: &Sample) -> Verdict {
    let mut failures = Vec::new();
    let mut fail =
        |criterion, message: String| failures.push(Failure { criterion, message: format!("{stem}: {message}") });
    let (obs_old, obs_new) = (old.observations(), new.observations());

    // (a) The log-rank (Mantel-Haenszel) test of equal survival over the whole horizon, the
    // crate's own (R's survdiff, checked on the aml data in src/analysis/logrank.rs). At p
    // above 0.01 a true equality fails one time in a hundred.
    let p = match logrank(&obs_old, &obs_new) {
        Some(lr) => lr.p_value,
        // Undefined only without events (or with one group never at risk at an event time):
        // equal then if neither sample has an event.
        None if obs_old.iter().chain(&obs_new).all(|o| !o.event) => 1.0,
        None => f64::NAN,
    };
    if p.is_nan() || p <= LOGRANK_ALPHA {
        fail(Criterion::LogRank, format!("log-rank p = {p:.6}, must be above {LOGRANK_ALPHA}"));
    }

    // (b) S(t) at 1, 2, 5 and 10 years. The two samples are independent, so the variance of
    // the difference is the sum of their Greenwood variances; the four intervals hold jointly
    // at 99% with Bonferroni's z for 0.01 / 4, two-sided (3.0233). Where a curve sits at
    // exactly 1 or 0 its Greenwood variance is 0: the bound is then the other curve's alone
    // (up to about 9 runs in 10,000 ending before a year by which none ended before still
    // pass), and 0 if both sit there, where they must agree exactly: the imposed programme at
    // 1 and 2 years (no run of the old layout ended before week 105; its first go-live is
    // week 104), and it and hr-no-shared-vision at 10 years (every run had ended).
    let z_surv = z_two_sided(SURVIVAL_ALPHA / YEARS.len() as f64);
    let (km_old, km_new) = (KaplanMeier::fit(&obs_old), KaplanMeier::fit(&obs_new));
    let mut surv = String::new();
    for y in YEARS.into_iter().filter(|y| y * WEEKS_PER_YEAR <= horizon_weeks) {
        let t = (y * WEEKS_PER_YEAR) as f64;
        let ((s_old, v_old), (s_new, v_new)) = (survival_at(&km_old, t), survival_at(&km_new, t));
        let bound = z_surv * (v_old + v_new).sqrt();
        let d = s_new - s_old;
        let _ = write!(surv, "{}{d:+.4} (+-{bound:.4})", if surv.is_empty() { "" } else { ", " });
        if d.abs() > bound {
            fail(
                Criterion::Survival,
                format!(
                    "survival at {y} years: old {s_old:.6}, new {s_new:.6}, difference {d:+.6}, bound {bound:.6} \
                     (z {z_surv:.4} x sqrt(Greenwood {v_old:.3e} + {v_new:.3e}), joint 99% over the 4 years)"
                ),
            );
        }
    }

    // (c) Each end cause's share of the runs (runs.csv's end_cause: withdrawal, understaffed,
    // cancelled, or censored, still running at the horizon), within one percentage point,
    // absolute, as the issue states it. This bound is not a probability level: two samples
    // of 10,000 from one distribution differ in a share p by sqrt(2 p (1 - p) / 10,000)
    // standard deviations, 0.0071 at p = 0.5, so a share near a half passes only about 84
    // times in 100 by chance. The failure message gives that standard deviation.
    let causes: BTreeSet<&str> = old.ends.iter().chain(&new.ends).map(|(_, c)| c.as_str()).collect();
    let mut worst_cause = (0.0f64, "none");
    for &c in &causes {
        let (a, b) = (old.share(c), new.share(c));
        let d = b - a;
        if d.abs() > worst_cause.0.abs() || worst_cause.1 == "none" {
            worst_cause = (d, c);
        }
        if d.abs() > CAUSE_POINTS {
            let sd = (a * (1.0 - a) / old.ends.len() as f64 + b * (1.0 - b) / new.ends.len() as f64).sqrt();
            fail(
                Criterion::CauseShare,
                format!(
                    "share of runs ended by '{c}': old {a:.4}, new {b:.4}, difference {d:+.4}, bound {CAUSE_POINTS} \
                     (one percentage point; the sampling SD of this difference is {sd:.4})"
                ),
            );
        }
    }

    // (d) The weekly means, by `WeeklyRule`.
    let all_weeks: BTreeSet<u32> = old.weeks.keys().chain(new.weeks.keys()).copied().collect();
    let running = |s: &Sample, w: u32| s.weeks.get(&w).map_or(0, |x| x.n);
    let compared: Vec<u32> =
        all_weeks.iter().copied().filter(|&w| running(old, w).min(running(new, w)) >= MIN_RUNNING).collect();
    let rule = WeeklyRule { z: z_two_sided(WEEKLY_ALPHA / (METRICS.len() * compared.len()).max(1) as f64) };
    let (mut worst_week, mut noise_cells) = ((0.0f64, "none", 0u32), 0usize);
    for &w in &compared {
        let (a, b) = (&old.weeks[&w], &new.weeks[&w]);
        let sd = a.sd.expect("the old layout's sample carries its standard deviations");
        for (k, m) in METRICS.iter().enumerate() {
            let se = sd[k] * (1.0 / a.n as f64 + 1.0 / b.n as f64).sqrt();
            let noise = rule.z * se;
            let bound = WEEKLY_TOLERANCE.max(noise);
            noise_cells += usize::from(noise > WEEKLY_TOLERANCE);
            let d = b.mean[k] - a.mean[k];
            if d.abs() > worst_week.0.abs() || worst_week.1 == "none" {
                worst_week = (d, m.name(), w);
            }
            if d.abs() > bound {
                let why = if noise > WEEKLY_TOLERANCE {
                    format!("z {:.3} x SE {se:.5}: 0.01 is within the sampling noise at this week", rule.z)
                } else {
                    "the issue's 0.01".to_string()
                };
                fail(
                    Criterion::WeeklyMean,
                    format!(
                        "weekly mean of {} at week {w}: old {:.6} (n {}), new {:.6} (n {}), difference {d:+.6}, \
                         bound {bound:.6} ({why})",
                        m.name(),
                        a.mean[k],
                        a.n,
                        b.mean[k],
                        b.n
                    ),
                );
            }
        }
    }
    let skipped = all_weeks.len() - compared.len();
    let summary = format!(
        "{stem}: log-rank p {p:.4}; S(1, 2, 5, 10 y) new - old: {surv}; max cause-share diff {:+.4} ({}); \
         max weekly-mean diff {:+.6} ({}, week {}); {} weeks compared ({} of {} cells at the noise bound, z {:.3}), \
         {skipped} with fewer than {MIN_RUNNING} running not compared",
        worst_cause.0,
        worst_cause.1,
        worst_week.0,
        worst_week.1,
        worst_week.2,
        compared.len(),
        noise_cells,
        METRICS.len() * compared.len(),
        rule.z,
    );
    Verdict { failures, summary }
}

/// Compares the current code's replicates from `first` with the reference, for every shipped
/// scenario; prints each summary line and fails with every failure listed.
fn compare_all(first: u64) {
    let manifest = manifest();
    let mut failures = Vec::new();
    for stem in shipped() {
        let old = reference(&stem);
        let horizon = manifest.get(&stem).unwrap_or_else(|| panic!("{stem}: no reference")).2;
        let start = std::time::Instant::now();
        let new = run_current(&stem, first);
        let v = compare(&stem, horizon, &old, &new);
        println!("{} [{:.0} s]", v.summary, start.elapsed().as_secs_f64());
        failures.extend(v.failures.into_iter().map(|f| f.message));
    }
    assert!(failures.is_empty(), "the statistics moved:\n{}", failures.join("\n"));
}

/// Issue 16's proof: the current code's replicates of every shipped scenario against the old
/// layout's.
/// Ignored in `cargo test` while the layout is the reference's own (it would compare the
/// same replicates, for 2.5 minutes): run it with `--ignored` in the change that moves the
/// layout (README, "Changing the random-number layout").
#[test]
#[ignore = "run with --ignored when the random-number layout changes (issue 16); 2.5 min"]
fn every_shipped_scenario_keeps_its_statistics_under_the_new_layout() {
    compare_all(0);
}

/// Every shipped scenario has a reference, made from the scenario file as it is now, with
/// 10,000 replicates at its own seed; the runs and the weekly series agree with each other
/// (n(w) is the number of runs with end_week >= w, weeks 0 to the last end).
#[test]
fn the_reference_is_whole_and_consistent() {
    let manifest = manifest();
    assert_eq!(manifest.keys().cloned().collect::<Vec<_>>(), shipped(), "tests/data/layout-v1/manifest.csv");
    for (stem, (seed, replicates, horizon, sha)) in &manifest {
        let sc = load(stem);
        assert_eq!(
            &sha256_hex(&scenario_path(stem)),
            sha,
            "{stem}: the scenario file changed since its old-layout reference was made; the comparison is \
             valid only for the scenario as it was (tests/data/layout-v1/README.md)"
        );
        assert_eq!((sc.spec.run.seed, *horizon), (*seed, sc.spec.params.horizon_weeks), "{stem}");
        assert_eq!(*replicates, REPLICATES, "{stem}");
        let s = reference(stem);
        assert_eq!(s.ends.len() as u64, REPLICATES, "{stem}: runs.csv rows");
        for (w, c) in &s.ends {
            assert!(*w <= *horizon && (c != "censored" || *w == *horizon), "{stem}: end {w} {c}");
        }
        let last = s.ends.iter().map(|e| e.0).max().unwrap_or(0);
        assert_eq!(s.weeks.keys().copied().collect::<Vec<_>>(), (0..=last).collect::<Vec<_>>(), "{stem}: weeks");
        for (w, week) in &s.weeks {
            let running = s.ends.iter().filter(|e| e.0 >= *w).count() as u64;
            assert_eq!(week.n, running, "{stem}: week {w}: n against runs.csv");
        }
    }
}

/// The comparison of the reference with itself passes every criterion with no difference.
#[test]
fn the_reference_passes_against_itself() {
    for stem in shipped() {
        let s = reference(&stem);
        let v = compare(&stem, horizon(&stem), &s, &s);
        assert!(v.failures.is_empty(), "{:?}", v.failures);
        assert!(v.summary.contains("log-rank p 1.0000"), "{}", v.summary);
    }
}

/// The reference of `stem` and a copy moved by `f` (each run, with its replicate index) and
/// `g` (each week). Each test below moves one thing and checks that the criterion meant to
/// see it rejects it; what it does not move stays as it was (a moved run leaves the weekly
/// series alone).
fn moved(stem: &str, f: impl Fn(usize, &mut (u32, String)), g: impl Fn(u32, &mut Week)) -> (Sample, Sample) {
    let old = reference(stem);
    let mut new = old.clone();
    new.ends.iter_mut().enumerate().for_each(|(i, e)| f(i, e));
    new.weeks.iter_mut().for_each(|(w, x)| g(*w, x));
    (old, new)
}

/// Lifetimes 3% shorter (every ended run of the alliance whose host exits, 6,852 of them,
/// ends at 97% of its week, rounded down): the log-rank test and survival at 5 years reject
/// it, and nothing else is blamed.
#[test]
fn shortened_lifetimes_are_rejected() {
    let stem = "host-exits-benefits-reverse";
    let (old, new) = moved(
        stem,
        |_, e| {
            if e.1 != "censored" {
                e.0 = (e.0 as f64 * 0.97).floor() as u32;
            }
        },
        |_, _| {},
    );
    let v = compare(stem, horizon(stem), &old, &new);
    println!("{}", v.summary);
    // p 0.004: 6,852 events moved a few weeks each; and survival at 5 years falls by 0.020,
    // beyond its bound of 0.014. The shares and the weekly series are as they were.
    assert_eq!(v.broken(), BTreeSet::from([Criterion::LogRank, Criterion::Survival]), "{:?}", v.failures);
    assert!(v.failures.iter().any(|f| f.message.contains("survival at 5 years")), "{:?}", v.failures);
}

/// The replicate indices of the first `k` runs of `s` whose end cause is `cause`.
fn first_ending(s: &Sample, cause: &str, k: usize) -> BTreeSet<usize> {
    s.ends.iter().enumerate().filter(|(_, e)| e.1 == cause).map(|(i, _)| i).take(k).collect()
}

/// CS1 with 2% of its runs (200 of the 9,337 still going at the horizon) withdrawing in week
/// 200 instead: survival at 5 and 10 years falls by 0.02, about six times its Greenwood
/// standard error, and the share of withdrawals rises by 2 points.
#[test]
fn a_lower_survival_curve_is_rejected() {
    let stem = "cs1-merged-it";
    let reference = reference(stem);
    let censored = first_ending(&reference, "censored", 200);
    let (old, new) = moved(
        stem,
        |i, e| {
            if censored.contains(&i) {
                *e = (200, "withdrawal".to_string());
            }
        },
        |_, _| {},
    );
    let v = compare(stem, horizon(stem), &old, &new);
    println!("{}", v.summary);
    let broken = v.broken();
    assert!(broken.contains(&Criterion::Survival) && broken.contains(&Criterion::LogRank), "{:?}", v.failures);
    assert!(broken.contains(&Criterion::CauseShare), "{:?}", v.failures);
    let survival: Vec<&str> =
        v.failures.iter().filter(|f| f.criterion == Criterion::Survival).map(|f| f.message.as_str()).collect();
    assert!(survival.iter().any(|m| m.contains("at 10 years")) && survival.iter().any(|m| m.contains("at 5 years")));
    assert!(!survival.iter().any(|m| m.contains("at 1 years")), "{survival:?}");
}

/// The imposed programme with 150 of its runs cancelled by the sponsor instead (1.5 points),
/// at the same weeks: only the end-cause criterion sees it.
#[test]
fn a_shifted_cause_share_is_rejected() {
    let stem = "imposed-national-firecontrol";
    let reference = reference(stem);
    let chosen = first_ending(&reference, "withdrawal", 150);
    let (old, new) = moved(
        stem,
        |i, e| {
            if chosen.contains(&i) {
                e.1 = "cancelled".to_string();
            }
        },
        |_, _| {},
    );
    let v = compare(stem, horizon(stem), &old, &new);
    println!("{}", v.summary);
    assert_eq!(v.broken(), BTreeSet::from([Criterion::CauseShare]), "{:?}", v.failures);
    assert!(v.failures.iter().all(|f| f.message.contains("old ") && f.message.contains("bound 0.01")));
}

/// A weekly mean moved by 0.012 from year 5 (CS1's trust, with more than 9,000 runs going):
/// only the weekly criterion sees it, at the bound of 0.01; a move of 0.008 passes.
#[test]
fn moved_weekly_means_are_rejected() {
    let stem = "cs1-merged-it";
    for (shift, rejected) in [(0.012, true), (0.008, false)] {
        let (old, new) = moved(
            stem,
            |_, _| {},
            |w, x| {
                if w >= 260 {
                    x.mean[0] += shift;
                }
            },
        );
        let v = compare(stem, horizon(stem), &old, &new);
        println!("{}", v.summary);
        if rejected {
            assert_eq!(v.broken(), BTreeSet::from([Criterion::WeeklyMean]), "{:?}", v.failures);
            assert_eq!(v.failures.len(), 261, "every week from 260 to 520");
            assert!(v.failures[0].message.contains("trust at week 260") && v.failures[0].message.contains("0.01"));
        } else {
            assert!(v.failures.is_empty(), "{:?}", v.failures);
        }
    }
}

/// The z values the bounds rest on.
#[test]
fn the_bounds_use_the_stated_quantiles() {
    assert!((z_two_sided(SURVIVAL_ALPHA / 4.0) - 3.0233).abs() < 1e-4);
    assert!((z_two_sided(0.05) - 1.96).abs() < 1e-3);
    // (d) over 521 weeks of 4 metrics.
    assert!((z_two_sided(WEEKLY_ALPHA / (4.0 * 521.0)) - 4.5734).abs() < 1e-4);
}

/// A null check of the proof itself, not run by default (four to five minutes): replicates
/// 10,000 to 19,999 of the old layout (`LAYOUT_NULL_FIRST` moves the start) are a sample of
/// the same distribution as the reference, independent of it, which is what the new layout
/// must look like. Criteria (a), (b) and (d) are each built to fail such a sample about one
/// time in a hundred per scenario (over the randomness of both samples); (c), one percentage
/// point, fails it far more often (see its comment in `compare`): about three times in ten
/// over the five scenarios. At 8785b96 the samples from 10,000 and from 20,000 each failed
/// once: hr-no-shared-vision's log-rank (p 0.0035; this reference's hr sample is itself an
/// unusual draw, its S(2) 2.25 standard errors below that of 120,000 other replicates) and
/// host-exits-benefits-reverse's end-cause shares (1.18 points, 1.8 standard deviations).
#[test]
#[ignore = "a diagnostic of the proof's own false-alarm rate: expected to fail about 3 times in 10 (criterion c)"]
fn an_independent_old_layout_sample_passes() {
    let first = std::env::var("LAYOUT_NULL_FIRST").map_or(REPLICATES, |s| s.parse().expect("a replicate index"));
    compare_all(first);
}

/// Writes the old-layout reference into `$LAYOUT_V1_OUT` (e.g. `tests/data/layout-v1`):
/// `<stem>/runs.csv`, `<stem>/weekly.csv` and `manifest.csv`. Only meaningful on the old
/// layout (commit 8785b96); tests/data/layout-v1/README.md has the command.
#[test]
#[ignore = "writes the reference; only meaningful on the old layout"]
fn regenerate_layout_v1_reference() {
    let Some(out) = std::env::var_os("LAYOUT_V1_OUT").map(PathBuf::from) else {
        println!("set LAYOUT_V1_OUT to the folder to write (see tests/data/layout-v1/README.md); nothing written");
        return;
    };
    let mut manifest = String::from("scenario,seed,replicates,horizon_weeks,scenario_sha256\n");
    for stem in shipped() {
        let sc = load(&stem);
        let s = run_current(&stem, 0);
        let sd = weekly_sd(&stem);
        let dir = out.join(&stem);
        std::fs::create_dir_all(&dir).expect("the output folder");
        let mut runs = String::from("end_week,end_cause\n");
        for (w, c) in &s.ends {
            let _ = writeln!(runs, "{w},{c}");
        }
        let mut weekly = String::from(
            "week,n,trust,motivation,willingness,workload,trust_sd,motivation_sd,willingness_sd,workload_sd\n",
        );
        assert_eq!(s.weeks.keys().collect::<Vec<_>>(), sd.keys().collect::<Vec<_>>(), "{stem}: weeks");
        for (w, x) in &s.weeks {
            let (n, sd) = sd[w];
            assert_eq!(n, x.n, "{stem}: week {w}: the two passes saw different replicates");
            let m = x.mean.map(|v| format!("{v:.6}")).join(",");
            let d = sd.map(|v| format!("{v:.6}")).join(",");
            let _ = writeln!(weekly, "{w},{n},{m},{d}");
        }
        std::fs::write(dir.join("runs.csv"), runs).expect("runs.csv");
        std::fs::write(dir.join("weekly.csv"), weekly).expect("weekly.csv");
        let _ = writeln!(
            manifest,
            "{stem},{},{REPLICATES},{},{}",
            sc.spec.run.seed,
            sc.spec.params.horizon_weeks,
            sha256_hex(&scenario_path(&stem))
        );
        println!("{stem}: written");
    }
    std::fs::write(out.join("manifest.csv"), manifest).expect("manifest.csv");
}
