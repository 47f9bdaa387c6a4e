//! `collabsim merge`: combine shard folders of one sweep (same plan) into the final files,
//! byte-identical to those of the same sweep run unsharded.

use anyhow::{Context, bail};
use serde_json::json;

use collabsim::output::sweep::{finalize, points_dir};
use collabsim::output::write_atomic;

use super::args::MergeArgs;
use super::arm;
use super::manifest::write_manifest;
use super::sweep::{print_summary, read_plan};

pub fn merge(a: MergeArgs) -> anyhow::Result<()> {
    let plan = read_plan(&a.dirs[0])?;
    for d in &a.dirs[1..] {
        let p = read_plan(d)?;
        if p.id != plan.id {
            bail!(
                "{} is a shard of another sweep (plan {}, not {} as in {})",
                d.display(),
                p.id,
                plan.id,
                a.dirs[0].display()
            );
        }
    }
    arm::create_dir(&a.out)?;
    let dirs: Vec<_> = a.dirs.iter().map(|d| points_dir(d)).collect();
    let files = finalize(&plan, &dirs, &a.out).with_context(|| format!("cannot merge into {}", a.out.display()))?;
    let mut bytes = serde_json::to_vec_pretty(&plan).expect("plan serializes");
    bytes.push(b'\n');
    let plan_path = a.out.join("plan.json");
    write_atomic(&plan_path, &bytes).with_context(|| arm::cannot_write(&plan_path))?;
    let mut listed = vec!["plan.json".to_string()];
    listed.extend(files);
    let shards: Vec<String> = a.dirs.iter().map(|d| d.display().to_string()).collect();
    write_manifest(&a.out, json!({"plan": plan.id, "experiment": plan.experiment_file, "merged": shards}), &listed)?;
    if !a.quiet {
        print_summary(&plan, &a.out, 0);
    }
    Ok(())
}
