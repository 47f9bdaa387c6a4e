//! `collabsim merge`: shard folders into one sweep's final files.

use collabsim::app::merge::merge as run_merge;

use super::args::MergeArgs;
use super::progress::Bar;

pub fn merge(a: MergeArgs) -> anyhow::Result<()> {
    let bar = Bar::new(true);
    let plan = run_merge(&a.dirs, &a.out, &super::exec(None, &bar)?)?;
    if !a.quiet {
        println!("{}: {} design points x {} replicates merged", plan.name, plan.points.len(), plan.replicates);
        println!("  results: {}  report: {}", a.out.join("sweep.csv").display(), a.out.join("report.html").display());
    }
    Ok(())
}
