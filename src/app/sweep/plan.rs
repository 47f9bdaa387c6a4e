//! An experiment's design points: a grid of the listed levels, or a Latin hypercube,
//! Morris or Saltelli sample of the ranges, drawn from a stream of the master seed that no
//! replicate uses.

use crate::analysis::design::{Range, grid, latin_hypercube};
use crate::analysis::morris::morris_design;
use crate::analysis::sobol::saltelli_design;
use crate::engine::rng::replicate_rng;
use crate::scenario::experiment::{DesignKind, Experiment, SweepPlan};

/// The stream index of the design's draws (replicates count up from 0).
pub const DESIGN_STREAM: u64 = u64::MAX;

/// The plan of `e`: every design point generated. `runs` asks for per-run rows.
pub fn plan(e: &Experiment, runs: bool) -> SweepPlan {
    let ranges: Vec<Range> = e.params.iter().map(|p| Range { lo: p.lo, hi: p.hi }).collect();
    let mut rng = replicate_rng(e.scenario.spec.run.seed, DESIGN_STREAM);
    let points = match e.design {
        DesignKind::Grid => grid(&e.params.iter().map(|p| p.levels.clone().unwrap_or_default()).collect::<Vec<_>>()),
        DesignKind::Lhs => latin_hypercube(&ranges, e.lhs_points, &mut rng),
        DesignKind::Morris => morris_design(&ranges, e.morris_trajectories, e.morris_levels, &mut rng),
        DesignKind::Sobol => saltelli_design(&ranges, e.sobol_samples, &mut rng),
    };
    SweepPlan::new(e, points, runs)
}
