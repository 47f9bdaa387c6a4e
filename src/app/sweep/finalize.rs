//! A sweep's final files from its point records: the tables, the sensitivity indices of the
//! plan's output (computed here, written by `output::sweep`), the figures and the report.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::analysis::arm::LEVEL;
use crate::analysis::design::Range;
use crate::analysis::morris::morris_effects;
use crate::analysis::sobol::sobol_indices;
use crate::app::manifest::{EnsembleInputs, Inputs, SweepInputs, write_manifest};
use crate::engine::rng::replicate_rng;
use crate::output::sweep::{Sensitivity, write_figures_and_report, write_sensitivity, write_tables};
use crate::scenario::experiment::{DesignKind, SweepPlan};

/// The stream index of the Sobol bootstrap's draws.
const BOOTSTRAP_STREAM: u64 = u64::MAX - 1;

/// Writes the final files of `plan` into `out` from the records in `dirs`; returns their
/// names in the order written.
pub fn finalize(plan: &SweepPlan, dirs: &[PathBuf], out: &Path) -> anyhow::Result<Vec<String>> {
    let cannot = || format!("cannot write the results in {}", out.display());
    let (gathered, mut written) = write_tables(plan, dirs, out).with_context(cannot)?;
    let y = gathered.values();
    let ranges: Vec<Range> = plan.params.iter().map(|p| Range { lo: p.lo, hi: p.hi }).collect();
    let sensitivity = match plan.design {
        DesignKind::Morris => Some(Sensitivity::Morris(morris_effects(&ranges, plan.morris_levels, &plan.points, &y))),
        DesignKind::Sobol => {
            let mut rng = replicate_rng(plan.seed, BOOTSTRAP_STREAM);
            let k = plan.params.len();
            Some(Sensitivity::Sobol(sobol_indices(k, plan.sobol_samples, &y, plan.bootstrap, LEVEL, &mut rng)))
        }
        DesignKind::Grid | DesignKind::Lhs => None,
    };
    let sens = match &sensitivity {
        Some(s) => {
            let drawn = write_sensitivity(plan, s, out).with_context(cannot)?;
            written.push("sensitivity.csv".into());
            Some(drawn)
        }
        None => None,
    };
    written.extend(write_figures_and_report(plan, &gathered, sens, out).with_context(cannot)?);
    Ok(written)
}

/// Finalizes a whole sweep folder: the final files from the records in `dirs`, then the
/// manifest, which lists plan.json (already in `out`) and them. `merged` names the shard
/// folders of a merge.
pub fn finish_folder(
    plan: &SweepPlan,
    dirs: &[PathBuf],
    out: &Path,
    command: &[String],
    merged: Option<Vec<String>>,
) -> anyhow::Result<()> {
    let mut listed = vec!["plan.json".to_string()];
    listed.extend(finalize(plan, dirs, out)?);
    let inputs = Inputs::Sweep(SweepInputs {
        plan: plan.id.clone(),
        experiment: plan.experiment_file.clone(),
        shard: None,
        merged,
        ensemble: plan.ensemble.as_ref().map(EnsembleInputs::of),
    });
    write_manifest(out, command, inputs, &listed)
}
