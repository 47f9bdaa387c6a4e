//! `merge`: combine shard folders of one sweep (same plan) into the final files,
//! byte-identical to those of the same sweep run unsharded.

use std::path::PathBuf;

use anyhow::bail;

use super::Exec;
use super::create_dir;
use super::manifest::{Inputs, SweepInputs, write_manifest};
use super::sweep::{finalize, read_plan};
use crate::output::sweep::points_dir;
use crate::scenario::experiment::SweepPlan;

/// Merges the shards in `dirs` into `out`; returns the plan.
pub fn merge(dirs: &[PathBuf], out: &std::path::Path, exec: &Exec<'_>) -> anyhow::Result<SweepPlan> {
    let Some(first) = dirs.first() else { bail!("no shard folders to merge") };
    let plan = read_plan(first)?;
    for d in &dirs[1..] {
        let p = read_plan(d)?;
        if p.id != plan.id {
            bail!(
                "{} is a shard of another sweep (plan {}, not {} as in {})",
                d.display(),
                p.id,
                plan.id,
                first.display()
            );
        }
    }
    create_dir(out)?;
    let points: Vec<_> = dirs.iter().map(|d| points_dir(d)).collect();
    let files = finalize(&plan, &points, out)?;
    super::sweep::write_plan_file(out, &plan)?;
    let mut listed = vec!["plan.json".to_string()];
    listed.extend(files);
    let inputs = Inputs::Sweep(SweepInputs {
        plan: plan.id.clone(),
        experiment: plan.experiment_file.clone(),
        shard: None,
        merged: Some(dirs.iter().map(|d| d.display().to_string()).collect()),
    });
    write_manifest(out, &exec.command, inputs, &listed)?;
    Ok(plan)
}
