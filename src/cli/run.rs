//! `collabsim run`: flags into a `RunRequest`, then a short report on standard output.

use std::path::Path;

use collabsim::app::run::{RunRequest, run as run_scenario};
use collabsim::output::Summary;
use collabsim::scenario;

use super::args::RunArgs;
use super::progress::Bar;

pub fn run(a: RunArgs) -> anyhow::Result<()> {
    let sc = scenario::load(&a.scenario, &a.scenario_flags.overrides())?;
    let mut req = RunRequest::new(sc);
    if let Some(out) = a.out {
        req.out = out;
    }
    req.replicate = a.replicate;
    req.panic_at = a.debug_panic_at;
    req.ensemble = a.ensemble;
    req.series_per_replicate = a.series_per_replicate;
    let bar = Bar::new(a.exec.quiet);
    let result = run_scenario(req, &super::exec(a.exec.threads, &bar)?)?;
    if !a.exec.quiet {
        print_report(&result.arm.summary, &result.out);
    }
    Ok(())
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{:.1}%", 100.0 * x))
}

fn print_report(s: &Summary, out: &Path) {
    println!("{}: {} replicates over {} years (seed {})", s.scenario, s.replicates, s.horizon_years, s.seed);
    let at = &s.survival.at_years;
    println!(
        "  still running after 1/2/5/10 years: {} / {} / {} / {}",
        pct(at.y1),
        pct(at.y2),
        pct(at.y5),
        pct(at.y10)
    );
    match s.survival.median_years {
        Some(m) => println!("  median survival: {m:.2} years"),
        None => println!("  median survival: beyond the horizon"),
    }
    if let Some(r) = &s.survival.rmst_years {
        println!("  mean lifetime to the horizon (RMST): {:.2} years", r.mean);
    }
    let c = &s.end_causes;
    let cancelled = c.cancelled.map_or(String::new(), |x| format!(", cancelled by the sponsor {}", pct(Some(x))));
    println!(
        "  ended by withdrawal {}, understaffing {}{cancelled}; still running {}",
        pct(Some(c.withdrawal)),
        pct(Some(c.understaffed)),
        pct(Some(c.censored))
    );
    println!(
        "  mean savings: {:.0} GBP by year 2, {:.0} GBP in all",
        s.savings.mean_by_year2_gbp, s.savings.mean_total_gbp
    );
    println!("  report: {}", out.join("report.html").display());
}
