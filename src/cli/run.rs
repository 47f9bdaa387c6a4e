//! `collabsim run`: load the scenario, run its replicates on a rayon pool of the requested
//! size with a progress bar, stream rows to runs.csv, aggregate the time series online, and
//! write timeseries.csv and summary.json. Then a short report on standard output.

use std::fs;
use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use collabsim::engine::{BatchConfig, SeriesCatalog, TimeseriesAggregator, run_batch};
use collabsim::output::{RunsWriter, Summary, SummaryInput, write_atomic, write_timeseries};
use collabsim::scenario;

use super::args::RunArgs;

pub fn run(a: RunArgs) -> anyhow::Result<()> {
    let sc = scenario::load(&a.scenario, &a.overrides())?;
    let p = &sc.params;
    let out = a.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(sc.stem()));
    fs::create_dir_all(&out).with_context(|| format!("cannot create output folder {}", out.display()))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;

    let names: Vec<String> = p.organizations.iter().map(|o| o.name.clone()).collect();
    let catalog = SeriesCatalog::new(names.clone());
    let mut agg = TimeseriesAggregator::new(p.horizon_weeks, catalog.len());
    let runs_path = out.join("runs.csv");
    let mut runs =
        RunsWriter::create(&runs_path, &names).with_context(|| format!("cannot write {}", runs_path.display()))?;
    let replicates = sc.raw.replicates;
    let mut outcomes = Vec::with_capacity(replicates as usize);
    let mut write_err = None;

    let bar = if a.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(replicates), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{elapsed_precise}] {wide_bar} {pos}/{len} replicates, ETA {eta}")
            .expect("valid template"),
    );
    bar.set_message(sc.stem());
    let cfg = BatchConfig { master_seed: sc.raw.seed, replicates };
    pool.install(|| {
        run_batch(p, &catalog, cfg, &|| bar.inc(1), |o, series| {
            agg.add(series);
            if write_err.is_none() {
                write_err = runs.write(&o).err();
            }
            outcomes.push(o);
        })
    });
    bar.finish_and_clear();
    if let Some(e) = write_err {
        return Err(e).with_context(|| format!("cannot write {}", runs_path.display()));
    }

    let ts_path = out.join("timeseries.csv");
    write_timeseries(&ts_path, &catalog, &agg).with_context(|| format!("cannot write {}", ts_path.display()))?;
    let summary = Summary::build(&SummaryInput { scenario: &sc, outcomes: &outcomes });
    let sum_path = out.join("summary.json");
    write_atomic(&sum_path, &summary.to_json()).with_context(|| format!("cannot write {}", sum_path.display()))?;
    runs.commit().with_context(|| format!("cannot write {}", runs_path.display()))?;

    if !a.quiet {
        print_report(&sc.raw.name, &summary, &out);
    }
    Ok(())
}

fn pct(v: &serde_json::Value) -> String {
    v.as_f64().map_or("-".into(), |x| format!("{:.1}%", 100.0 * x))
}

fn print_report(name: &str, s: &Summary, out: &std::path::Path) {
    println!("{name}: {} replicates over {} years (seed {})", s.replicates, s.horizon_years, s.seed);
    let at = &s.survival["at_years"];
    println!(
        "  still running after 1/2/5/10 years: {} / {} / {} / {}",
        pct(&at["1"]),
        pct(&at["2"]),
        pct(&at["5"]),
        pct(&at["10"])
    );
    match s.survival["median_years"].as_f64() {
        Some(m) => println!("  median survival: {m:.2} years"),
        None => println!("  median survival: beyond the horizon"),
    }
    println!(
        "  ended by withdrawal {}, understaffing {}; still running {}",
        pct(&s.end_causes["withdrawal"]),
        pct(&s.end_causes["understaffed"]),
        pct(&s.end_causes["censored"])
    );
    println!(
        "  mean savings: {:.0} GBP by year 2, {:.0} GBP in all",
        s.savings["mean_by_year2_gbp"].as_f64().unwrap_or(0.0),
        s.savings["mean_total_gbp"].as_f64().unwrap_or(0.0)
    );
    println!("  outputs: {}", out.display());
}
