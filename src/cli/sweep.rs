//! `collabsim sweep`: flags into a `SweepRequest`, then where the results are.

use collabsim::app::sweep::{SweepOutcome, SweepRequest, sweep as run_sweep};
use collabsim::scenario::experiment::SweepPlan;

use super::args::SweepArgs;
use super::progress::Bar;

pub fn sweep(a: SweepArgs) -> anyhow::Result<()> {
    let shard = a.shard.as_deref().map(str::parse).transpose()?;
    let req = SweepRequest {
        experiment: a.experiment,
        out: a.out,
        resume: a.resume,
        shard,
        runs: a.runs,
        ensemble: a.ensemble,
        series: a.series,
        series_per_replicate: a.series_per_replicate,
    };
    let bar = Bar::new(a.exec.quiet);
    let r = run_sweep(&req, &super::exec(a.exec.threads, &bar)?)?;
    if a.exec.quiet {
        return Ok(());
    }
    match r.shard {
        Some(s) => println!(
            "{}: shard {}/{} done: {} points ({} run now) in {}; combine the shards with `collabsim merge DIR... --out DIR`",
            r.plan.name,
            s.k,
            s.n,
            r.points_here,
            r.ran,
            r.out.display()
        ),
        None => print_summary(&r.plan, &r.out, &r),
    }
    Ok(())
}

pub fn print_summary(plan: &SweepPlan, out: &std::path::Path, r: &SweepOutcome) {
    println!(
        "{}: {} design points x {} replicates ({} run now, {} recorded before)",
        plan.name,
        plan.points.len(),
        plan.replicates,
        r.ran,
        plan.points.len() - r.ran
    );
    println!("  results: {}  report: {}", out.join("sweep.csv").display(), out.join("report.html").display());
}
