//! Running a sweep's points: the plan is written first (`plan.json`), then each point not
//! yet recorded runs its replicates and is recorded in `points/` as soon as it finishes.
//! `resume` keeps a folder's recorded points; a shard runs every N-th point.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::finalize::finish_folder;
use super::plan::plan as make_plan;
use crate::app::manifest::{Inputs, SweepInputs, write_manifest};
use crate::app::{Exec, Interrupted, cannot_write, create_dir};
use crate::engine::{BatchConfig, ReplicateOutcome, SeriesCatalog, run_batch};
use crate::output::runs_csv;
use crate::output::sweep::record::write_record;
use crate::output::sweep::{PointRecord, point_record, points_dir, read_records_index};
use crate::output::write_atomic;
use crate::scenario::experiment::{SweepPlan, load_experiment};
use crate::scenario::parse_str;

/// Files a sweep may have written before; a fresh sweep removes them so that nothing stale
/// is left beside the new results.
const OUTPUT_NAMES: [&str; 7] =
    ["sweep.csv", "runs.csv", "sensitivity.csv", "report.html", "manifest.json", "plan.json", "shard.json"];
const FIGURES: [&str; 4] = ["heatmap", "response", "survival_by_level", "sensitivity"];

/// Shard `k` of `n` (1-based): the points whose index is k - 1 modulo n.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> anyhow::Result<Shard> {
        let bad = || anyhow::anyhow!("--shard {s}: expected K/N with 1 <= K <= N, e.g. --shard 2/3");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

/// What to sweep.
pub struct SweepRequest {
    pub experiment: PathBuf,
    /// Default: `outputs/<experiment stem>/`, or `.../shard-K-of-N` for a shard.
    pub out: Option<PathBuf>,
    /// Keep the points the folder has recorded (same plan).
    pub resume: bool,
    pub shard: Option<Shard>,
    /// Also write runs.csv, one row per run.
    pub runs: bool,
}

/// What a sweep did: its plan, its folder, the points of this shard (all, unsharded) and
/// how many ran now (the rest were recorded before).
pub struct SweepOutcome {
    pub plan: SweepPlan,
    pub out: PathBuf,
    pub shard: Option<Shard>,
    pub points_here: usize,
    pub ran: usize,
}

pub fn read_plan(dir: &Path) -> anyhow::Result<SweepPlan> {
    let path = dir.join("plan.json");
    let bytes =
        fs::read(&path).with_context(|| format!("{}: not a sweep folder (no readable plan.json)", dir.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("{}: not a valid plan", path.display()))
}

pub fn write_plan_file(dir: &Path, plan: &SweepPlan) -> anyhow::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(plan).expect("plan serializes");
    bytes.push(b'\n');
    let path = dir.join("plan.json");
    write_atomic(&path, &bytes).with_context(|| cannot_write(&path))
}

/// Removes a previous result's files (only the names a sweep writes).
fn clear(out: &Path) -> anyhow::Result<()> {
    let pts = points_dir(out);
    if pts.exists() {
        fs::remove_dir_all(&pts).with_context(|| format!("cannot clear {}", pts.display()))?;
    }
    let mut names: Vec<String> = OUTPUT_NAMES.iter().map(|s| s.to_string()).collect();
    for f in FIGURES {
        names.push(format!("{f}.svg"));
        names.push(format!("{f}.png"));
    }
    for n in names {
        let p = out.join(n);
        if p.exists() {
            fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    Ok(())
}

/// Runs the request: the missing points of this shard, then (unsharded) the final files.
pub fn sweep(req: &SweepRequest, exec: &Exec<'_>) -> anyhow::Result<SweepOutcome> {
    let plan = make_plan(&load_experiment(&req.experiment)?, req.runs);
    let stem = req.experiment.file_stem().map_or("experiment".into(), |s| s.to_string_lossy().into_owned());
    let out = req.out.clone().unwrap_or_else(|| {
        let base = PathBuf::from("outputs").join(&stem);
        match req.shard {
            Some(Shard { k, n }) => base.join(format!("shard-{k}-of-{n}")),
            None => base,
        }
    });
    create_dir(&out)?;
    if req.resume && out.join("plan.json").exists() {
        let old = read_plan(&out)?;
        if old.id != plan.id {
            bail!(
                "{} holds a sweep of another plan ({}; now {}): the experiment, its scenario, --runs or the collabsim version changed. Run without --resume to start afresh, or use another --out",
                out.display(),
                old.id,
                plan.id
            );
        }
    } else {
        clear(&out)?;
    }
    write_plan_file(&out, &plan)?;

    let n = plan.points.len();
    let mine: Vec<usize> = (0..n).filter(|i| req.shard.is_none_or(|s| i % s.n == s.k - 1)).collect();
    let dir = points_dir(&out);
    let done = read_records_index(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let todo: Vec<usize> = mine.iter().copied().filter(|i| done.binary_search(i).is_err()).collect();

    let scenario_path = PathBuf::from(&plan.scenario_file);
    let text =
        fs::read_to_string(&scenario_path).with_context(|| format!("cannot read {}", scenario_path.display()))?;
    exec.progress
        .start(todo.len() as u64 * plan.replicates, &format!("{stem}: {} of {} points to run", todo.len(), mine.len()));
    let ran = run_points(&plan, &todo, &text, &out, exec, req);
    exec.progress.finish();
    ran?;

    if let Some(s) = req.shard {
        let inputs = Inputs::Sweep(SweepInputs {
            plan: plan.id.clone(),
            experiment: plan.experiment_file.clone(),
            shard: Some(format!("{}/{}", s.k, s.n)),
            merged: None,
        });
        write_manifest(&out, &exec.command, inputs, &["plan.json".to_string()])?;
    } else {
        finish_folder(&plan, &[dir], &out, &exec.command, None)?;
    }
    Ok(SweepOutcome { plan, out, shard: req.shard, points_here: mine.len(), ran: todo.len() })
}

fn run_points(
    plan: &SweepPlan,
    todo: &[usize],
    text: &str,
    out: &Path,
    exec: &Exec<'_>,
    req: &SweepRequest,
) -> anyhow::Result<()> {
    let dir = &points_dir(out);
    for &i in todo {
        let (rec, runs) = match run_point(plan, i, text, exec) {
            Err(e) if e.is::<Interrupted>() => {
                let kept = read_records_index(dir).map_or(0, |v| v.len());
                return Err(Interrupted(format!(
                    "interrupted; {kept} finished points are recorded in {}. Finish the sweep with: collabsim sweep {} --resume --out {}",
                    dir.display(),
                    req.experiment.display(),
                    out.display()
                ))
                .into());
            }
            Err(e) => {
                let kept = read_records_index(dir).map_or(0, |v| v.len());
                return Err(e.context(format!("the {kept} points finished before are recorded")));
            }
            Ok(r) => r,
        };
        write_record(dir, &rec, runs.as_deref())
            .with_context(|| format!("cannot record point {i} in {}", dir.display()))?;
    }
    Ok(())
}

/// Runs design point `i` of `plan` (whose scenario file holds `text`): its record and,
/// if the plan asks for them, its runs.csv rows.
pub fn run_point(
    plan: &SweepPlan,
    i: usize,
    text: &str,
    exec: &Exec<'_>,
) -> anyhow::Result<(PointRecord, Option<Vec<u8>>)> {
    let scenario_path = Path::new(&plan.scenario_file);
    let spec = parse_str(scenario_path, text, &plan.overrides(i))
        .with_context(|| format!("design point {i} ({})", plan.overrides(i).join(" ")))?;
    let catalog = SeriesCatalog::new(plan.org_names.clone());
    let mut outcomes: Vec<ReplicateOutcome> = Vec::with_capacity(plan.replicates as usize);
    let mut runs = plan.runs.then(|| csv::Writer::from_writer(Vec::new()));
    let mut runs_err = None;
    let mut cfg = BatchConfig::new(plan.seed, plan.replicates);
    cfg.cancel = exec.cancel;
    let report = exec.pool.install(|| {
        run_batch(&spec.params, &catalog, cfg, None, &|| exec.progress.inc(1), |o| {
            if let Some(w) = runs.as_mut() {
                let mut row = vec![i.to_string()];
                row.extend(runs_csv::row(&o, &plan.org_names));
                if let Err(e) = w.write_record(&row) {
                    runs_err.get_or_insert(e);
                }
            }
            outcomes.push(o);
        })
    });
    if report.cancelled {
        return Err(Interrupted(format!("interrupted in design point {i}")).into());
    }
    if let Some(f) = report.failures.first() {
        bail!(
            "design point {i}: replicate {} (seed {}) panicked: {}; re-run the replicate alone with: collabsim run {} {} --replicate {}",
            f.replicate,
            f.seed,
            f.message,
            plan.scenario_file,
            plan.overrides(i).iter().map(|o| format!("--set {o}")).collect::<Vec<_>>().join(" "),
            f.replicate
        );
    }
    if let Some(e) = runs_err {
        return Err(e).context("cannot format runs rows");
    }
    let runs_bytes = runs.map(|w| w.into_inner().expect("in-memory writer"));
    Ok((point_record(plan, i, &outcomes), runs_bytes))
}
