//! `calibrate`: history matching of a calibration file's priors against its targets. The
//! plan (`calibration.json`) is written first; then wave by wave, the wave's points are
//! planned from the records of the waves before it (`plan`) and written
//! (`waves/wNN/plan.json`) before any of them runs, and each point's arms run with common
//! random numbers and its statistics per target (`stats`) are recorded as soon as it
//! finishes. `--resume` keeps the recorded points of the same plan; `--shard K/N` runs its
//! share of the current wave's pending points and stops. The final files are built from
//! the records alone (`finalize`), so every route gives the same bytes.

mod finalize;
mod plan;
mod stats;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

pub use finalize::{evaluate, implausibilities, summarize};
pub use plan::{WAVE_STREAM_BASE, emulators, plan_wave};
pub use stats::{contrast_value, target_value};

use super::arm::arm_outcomes;
use super::checkpoint::{self, Shard, pending};
use super::{Exec, Interrupted, cannot_write, create_dir, shell_word};
use crate::engine::ReplicateOutcome;
use crate::output::calibrate::record::{
    PointStats, WavePlan, calibration_path, read_calibration, read_wave_plan, wave_plan_path, wave_points_dir,
    write_calibration, write_wave_plan,
};
use crate::output::calibrate::{Evaluated, RESULT_FILES, Verdict};
use crate::output::records::{read_json, record_path, write_json_record};
use crate::scenario::calibration::{CalibrationPlan, load_calibration};

/// What to calibrate.
pub struct CalibrateRequest {
    pub calibration: PathBuf,
    /// Default: `outputs/<calibration stem>/` (shards share it).
    pub out: Option<PathBuf>,
    /// Keep the points the folder has recorded (same plan).
    pub resume: bool,
    /// Run only this shard's share of the current wave's pending points, then stop (keeps
    /// recorded points, as `resume` does).
    pub shard: Option<Shard>,
}

/// One wave as this call found and left it.
#[derive(Clone, Debug, PartialEq)]
pub struct WaveOutcome {
    pub wave: u32,
    pub points: usize,
    /// This shard's points (all, unsharded).
    pub here: usize,
    /// Points run now (the rest of `here` were recorded before).
    pub ran: usize,
    /// Points ruled out by any target, once the whole wave is recorded.
    pub ruled_out: Option<usize>,
}

/// The result of a finished calibration.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub evaluated: usize,
    pub accepted: usize,
    pub pinned: Vec<String>,
    pub free: Vec<String>,
    /// The wave after which nothing was left to sample, if it stopped early.
    pub stopped_after: Option<u32>,
}

/// What a calibration did.
pub struct CalibrateOutcome {
    pub plan: CalibrationPlan,
    pub out: PathBuf,
    pub shard: Option<Shard>,
    pub waves: Vec<WaveOutcome>,
    /// `None` for a shard, which stops after its share of a wave.
    pub finished: Option<Finished>,
}

/// Files and folders a calibration writes; a fresh one removes them first.
fn clear(out: &Path) -> anyhow::Result<()> {
    let mut files: Vec<String> = RESULT_FILES.iter().map(|s| s.to_string()).collect();
    files.extend(["calibration.json".to_string(), "manifest.json".to_string()]);
    checkpoint::clear(out, &["waves"], &files)
}

/// Each arm's scenario text, checked against the hash the plan recorded.
fn scenario_texts(plan: &CalibrationPlan) -> anyhow::Result<Vec<String>> {
    plan.arms
        .iter()
        .map(|a| {
            let bytes = fs::read(&a.scenario_file).with_context(|| format!("cannot read {}", a.scenario_file))?;
            let sha: String =
                <sha2::Sha256 as sha2::Digest>::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            if sha != a.scenario_sha256 {
                bail!("{} changed while the calibration was being planned; run again", a.scenario_file);
            }
            String::from_utf8(bytes).with_context(|| format!("{}: not UTF-8", a.scenario_file))
        })
        .collect()
}

/// Runs the request: wave by wave, the points not yet recorded (a shard: its share of the
/// first wave not yet complete, then it stops), then (unsharded) the final files.
pub fn calibrate(req: &CalibrateRequest, exec: &Exec<'_>) -> anyhow::Result<CalibrateOutcome> {
    let plan = load_calibration(&req.calibration)?;
    let stem = req.calibration.file_stem().map_or("calibration".into(), |s| s.to_string_lossy().into_owned());
    let out = req.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(&stem));
    create_dir(&out)?;
    let keep = req.resume || req.shard.is_some();
    if keep && calibration_path(&out).exists() {
        let old = read_calibration(&out).with_context(|| format!("{}: not a calibration folder", out.display()))?;
        if old.id != plan.id {
            bail!(
                "{} holds a calibration of another plan ({}; now {}): the calibration file, a scenario or the collabsim version changed. Run without --resume to start afresh, or use another --out",
                out.display(),
                old.id,
                plan.id
            );
        }
    } else if !keep {
        // Shards share a folder and may start together: they never clear it.
        clear(&out)?;
    }
    write_calibration(&out, &plan).with_context(|| cannot_write(&calibration_path(&out)))?;
    let texts = scenario_texts(&plan)?;

    let mut history: Vec<Evaluated> = Vec::new();
    let mut waves: Vec<WavePlan> = Vec::new();
    let mut outcomes = Vec::new();
    for w in 1..=plan.waves {
        let wave = plan_wave(&plan, w, history.len(), &history);
        let path = wave_plan_path(&out, w);
        if path.exists() {
            let old = read_wave_plan(&out, w).with_context(|| format!("cannot read {}", path.display()))?;
            if old.id != wave.id {
                bail!(
                    "{} was planned from other results than {} now holds; run without --resume to start afresh",
                    path.display(),
                    out.display()
                );
            }
        } else {
            write_wave_plan(&out, &wave).with_context(|| cannot_write(&path))?;
        }
        let dir = wave_points_dir(&out, w);
        let n = wave.points.len();
        let (mine, todo) = pending(n, req.shard, &dir)?;
        let complete_before = pending(n, None, &dir)?.1.is_empty();
        let per_point = plan.arms.len() as u64 * plan.replicates;
        exec.progress.start(
            todo.len() as u64 * per_point,
            &format!("{stem}: wave {w} of {}: {} of {} points to run", plan.waves, todo.len(), mine.len()),
        );
        let ran = run_points(&plan, &wave, &todo, &texts, &out, exec, req);
        exec.progress.finish();
        ran?;
        let mut outcome = WaveOutcome { wave: w, points: n, here: mine.len(), ran: todo.len(), ruled_out: None };
        if req.shard.is_some() && !complete_before {
            outcomes.push(outcome);
            return Ok(CalibrateOutcome { plan, out, shard: req.shard, waves: outcomes, finished: None });
        }
        let evaluated = evaluate(&plan, &wave, read_wave(&wave, &dir)?);
        outcome.ruled_out = Some(evaluated.iter().filter(|e| e.max > plan.cut).count());
        outcomes.push(outcome);
        history.extend(evaluated);
        let stop = wave.points.is_empty();
        waves.push(wave);
        if stop {
            break;
        }
    }
    if req.shard.is_some() {
        // Every wave is recorded: the unsharded `--resume` writes the final files.
        return Ok(CalibrateOutcome { plan, out, shard: req.shard, waves: outcomes, finished: None });
    }
    let finished = {
        let c = finalize::finish_folder(&plan, &waves, history, &out, &exec.command)?;
        let named = |v: Verdict| c.params.iter().filter(|p| p.verdict == v).map(|p| p.key.clone()).collect();
        Finished {
            evaluated: c.evaluated.len(),
            accepted: c.accepted.len(),
            pinned: named(Verdict::Pinned),
            free: named(Verdict::Free),
            stopped_after: c.stopped_after,
        }
    };
    Ok(CalibrateOutcome { plan, out, shard: None, waves: outcomes, finished: Some(finished) })
}

/// Every record of a complete wave, in point order, checked against its plan.
fn read_wave(wave: &WavePlan, dir: &Path) -> anyhow::Result<Vec<PointStats>> {
    (0..wave.points.len())
        .map(|j| {
            let path = record_path(dir, j);
            let r: PointStats = read_json(&path).with_context(|| format!("cannot read {}", path.display()))?;
            if r.plan != wave.id || r.point != j {
                bail!(
                    "{}: a record of another wave plan or point; run without --resume to start afresh",
                    path.display()
                );
            }
            Ok(r)
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn run_points(
    plan: &CalibrationPlan,
    wave: &WavePlan,
    todo: &[usize],
    texts: &[String],
    out: &Path,
    exec: &Exec<'_>,
    req: &CalibrateRequest,
) -> anyhow::Result<()> {
    let dir = wave_points_dir(out, wave.wave);
    for &j in todo {
        let stats = match run_point(plan, wave, j, texts, exec) {
            Err(e) if e.is::<Interrupted>() => {
                let kept = pending(wave.points.len(), None, &dir).map_or(0, |(_, t)| wave.points.len() - t.len());
                return Err(Interrupted(format!(
                    "interrupted in wave {}; {kept} of its {} points are recorded in {}. Finish the calibration with: collabsim calibrate {} --resume --out {}",
                    wave.wave,
                    wave.points.len(),
                    dir.display(),
                    shell_word(&req.calibration.display().to_string()),
                    shell_word(&out.display().to_string())
                ))
                .into());
            }
            Err(e) => return Err(e),
            Ok(s) => s,
        };
        write_json_record(&dir, j, &stats).with_context(|| format!("cannot record point {j} in {}", dir.display()))?;
    }
    Ok(())
}

/// Point `j` of `wave`: every arm's replicates (replicate i from stream i of the seed, in
/// every arm), then each target's statistic.
pub fn run_point(
    plan: &CalibrationPlan,
    wave: &WavePlan,
    j: usize,
    texts: &[String],
    exec: &Exec<'_>,
) -> anyhow::Result<PointStats> {
    let x = &wave.points[j];
    let mut outcomes: Vec<Vec<ReplicateOutcome>> = Vec::with_capacity(plan.arms.len());
    for (a, arm) in plan.arms.iter().enumerate() {
        let ov = plan.overrides(a, x);
        let label = format!("wave {} point {j}: ", wave.wave);
        let interrupted = format!("interrupted in wave {} point {j}", wave.wave);
        let outs = arm_outcomes(
            &arm.scenario_file,
            &texts[a],
            &ov,
            (plan.seed, plan.replicates),
            exec,
            (&label, &interrupted),
        )?;
        outcomes.push(outs);
    }
    let targets = plan.targets.iter().map(|t| target_value(t, &plan.arms, &outcomes)).collect();
    Ok(PointStats { plan: wave.id.clone(), point: j, targets })
}
