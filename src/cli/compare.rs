//! `collabsim compare`: flags into a `CompareRequest`, then the headline numbers.

use std::path::Path;

use collabsim::app::compare::{CompareRequest, CompareResult, compare as run_compare};

use super::args::CompareArgs;
use super::progress::Bar;

pub fn compare(a: CompareArgs) -> anyhow::Result<()> {
    let req = CompareRequest {
        scenario: a.scenario,
        shared: a.scenario_flags.overrides(),
        variant: a.variant,
        against: a.against,
        baseline_name: a.baseline_name,
        variant_name: a.variant_name,
        out: a.out,
        ensemble: a.ensemble,
    };
    let bar = Bar::new(a.exec.quiet);
    let result = run_compare(&req, &super::exec(a.exec.threads, &bar)?)?;
    if !a.exec.quiet {
        print_summary(&result, &result.out);
    }
    Ok(())
}

fn print_summary(r: &CompareResult, out: &Path) {
    let (a, b, c) = (&r.baseline, &r.variant, &r.comparison);
    let y = |w: f64| w / 52.0;
    println!(
        "{} vs {}: {} replicates each, seed {}",
        r.labels[0],
        r.labels[1],
        a.outcomes.len(),
        a.scenario.spec.run.seed
    );
    println!(
        "  still running after {:.1} years: {:.1}% vs {:.1}%",
        y(c.tau_weeks),
        100.0 * a.stats.km.survival_at(c.tau_weeks),
        100.0 * b.stats.km.survival_at(c.tau_weeks)
    );
    if let Some(d) = c.rmst_difference {
        println!(
            "  mean lifetime to {:.1} years (RMST): {:.2} vs {:.2} years; difference {:+.2} (95% CI {:+.2} to {:+.2})",
            y(c.tau_weeks),
            y(c.rmst[0]),
            y(c.rmst[1]),
            y(d.estimate),
            y(d.lower),
            y(d.upper)
        );
    }
    match &c.logrank {
        Some(l) => println!("  log-rank chi-square {:.2}, p = {:.3e}", l.chi_square, l.p_value),
        None => println!("  log-rank: no run ended in either arm"),
    }
    println!("  report: {}", out.join("report.html").display());
}
