//! `collabsim run`: one scenario's replicates (see `arm`), then the figures, report.html and
//! a short report on standard output.

use std::path::{Path, PathBuf};

use anyhow::Context;

use collabsim::output::comparison::ArmInput;
use collabsim::output::figures::run_figures;
use collabsim::output::report::run_report;
use collabsim::output::{Summary, write_atomic};
use collabsim::scenario::{self, Scenario};

use super::args::RunArgs;
use super::arm::{self, Arm};
use super::manifest::write_manifest;

pub fn run(a: RunArgs) -> anyhow::Result<()> {
    let mut sc = scenario::load(&a.scenario, &a.scenario_flags.overrides())?;
    let sel = arm::Selection { first: a.replicate.unwrap_or(0), panic_at: a.debug_panic_at };
    if a.replicate.is_some() {
        // One replicate: the outputs describe it alone.
        sc.raw.replicates = 1;
    }
    let out = a.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(sc.stem()));
    let pool = arm::pool(a.exec.threads)?;
    let bar = arm::progress(sc.raw.replicates, a.exec.quiet);
    bar.set_message(sc.stem());
    let arm = arm::run_arm(sc, &out, &pool, &bar, sel)?;
    bar.finish_and_clear();
    let extra = a.replicate.map_or(vec![], |k| vec!["--replicate".to_string(), k.to_string()]);
    let command = reproduce_command("run", &arm.scenario, &extra);
    write_figures_and_report(&arm, &arm.scenario.raw.name, &out, &command)?;
    write_manifest(&out, scenario_inputs(&arm.scenario), &run_files())?;
    if let Some(e) = arm.failure_error(&out) {
        return Err(e);
    }
    if !a.exec.quiet {
        print_report(&arm.scenario.raw.name, &arm.summary, &out);
    }
    Ok(())
}

/// The figures and the report that a run folder and a comparison folder both hold.
pub const FIGURE_FILES: [&str; 7] =
    ["survival.svg", "survival.png", "incidence.svg", "incidence.png", "state.svg", "state.png", "report.html"];

/// Every file a run folder holds besides manifest.json.
pub fn run_files() -> Vec<String> {
    ["runs.csv", "timeseries.csv", "summary.json"].iter().chain(&FIGURE_FILES).map(|f| f.to_string()).collect()
}

/// What a run was made from, for manifest.json: the file, its hash, the overrides and the
/// resolved scenario (every parameter, defaults and overrides applied).
pub fn scenario_inputs(sc: &Scenario) -> serde_json::Value {
    serde_json::json!({
        "scenario_file": sc.path.display().to_string(),
        "scenario_sha256": sc.sha256,
        "overrides": sc.overrides,
        "seed": sc.raw.seed,
        "replicates": sc.raw.replicates,
        "resolved_scenario": serde_json::to_value(&sc.raw).unwrap_or(serde_json::Value::Null),
    })
}

/// The figures and report.html of one arm in `out`.
pub fn write_figures_and_report(arm: &Arm, label: &str, out: &Path, command: &str) -> anyhow::Result<()> {
    let stats = &arm.stats;
    let title = format!(
        "{} ({} replicates, seed {})",
        arm.scenario.raw.name,
        collabsim::output::report::thousands(arm.outcomes.len() as u64),
        arm.scenario.raw.seed
    );
    let figures = run_figures(out, &title, stats, &arm.catalog, &arm.series)
        .with_context(|| format!("cannot write the figures in {}", out.display()))?;
    let input = ArmInput { label, scenario: &arm.scenario, outcomes: &arm.outcomes, stats };
    let html = run_report(&input, &figures, command);
    let path = out.join("report.html");
    write_atomic(&path, html.as_bytes()).with_context(|| arm::cannot_write(&path))
}

/// The command that reproduces a scenario as resolved: the file and every override.
pub fn reproduce_command(verb: &str, sc: &Scenario, extra: &[String]) -> String {
    let mut parts = vec!["collabsim".to_string(), verb.to_string(), shell_word(&sc.path.display().to_string())];
    for o in &sc.overrides {
        parts.push("--set".into());
        parts.push(shell_word(o));
    }
    parts.extend(extra.iter().cloned());
    parts.join(" ")
}

/// Quotes a word for a POSIX shell where it needs it.
pub fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-=/:,+[]".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn pct(v: &serde_json::Value) -> String {
    v.as_f64().map_or("-".into(), |x| format!("{:.1}%", 100.0 * x))
}

fn print_report(name: &str, s: &Summary, out: &Path) {
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
    if let Some(r) = s.survival["rmst_years"]["mean"].as_f64() {
        println!("  mean lifetime to the horizon (RMST): {r:.2} years");
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
    println!("  report: {}", out.join("report.html").display());
}
