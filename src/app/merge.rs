//! `merge`: combine shard folders of one sweep (same plan) into the final files,
//! byte-identical to those of the same sweep run unsharded.

use std::path::PathBuf;

use anyhow::bail;

use super::sweep::{finish_folder, read_plan, write_plan_file};
use super::{Exec, create_dir};
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
    write_plan_file(out, &plan)?;
    let merged = dirs.iter().map(|d| d.display().to_string()).collect();
    finish_folder(&plan, &points, out, &exec.command, Some(merged))?;
    Ok(plan)
}
