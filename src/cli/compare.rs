//! `collabsim compare`: flags into a `CompareRequest`, then the comparison in plain
//! sentences (`summary_lines`, shared with the `serve` page), and any warning.

use collabsim::app::compare::{CompareRequest, compare as run_compare, compare_one_arm, summary_lines};

use super::args::CompareArgs;
use super::progress::Bar;

pub fn compare(a: CompareArgs) -> anyhow::Result<()> {
    let req = CompareRequest {
        scenario: a.scenario,
        shared: a.scenario_flags.overrides(),
        variant: a.variant,
        vary: a.vary,
        against: a.against,
        baseline_name: a.baseline_name,
        variant_name: a.variant_name,
        out: a.out,
        force: a.force,
        report_out: a.report_out,
        ensemble: a.ensemble,
    };
    let bar = Bar::new(a.exec.quiet);
    let exec = super::exec(a.exec.threads, &bar)?;
    if let Some(folder) = &a.reproduce_arm {
        let dir = compare_one_arm(&req, folder, &exec)?;
        if !a.exec.quiet {
            println!("arm {folder} written to {}", dir.display());
        }
        return Ok(());
    }
    let result = run_compare(&req, &exec)?;
    for w in &result.warnings {
        eprintln!("warning: {w}");
    }
    if !a.exec.quiet {
        for line in summary_lines(&result.facts) {
            println!("{line}");
        }
        println!("Report: {}", result.out.join("report.html").display());
    }
    Ok(())
}
