//! Running a sweep's points: the plan is written first (`plan.json`), then each point not
//! yet recorded runs its replicates and is recorded in `points/` as soon as it finishes.
//! `resume` keeps a folder's recorded points; a shard runs every N-th point.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::finalize::finish_folder;
use super::plan::plan as make_plan;
use crate::app::manifest::{EnsembleInputs, Inputs, SweepInputs, write_manifest};
use crate::app::{Exec, Interrupted, cannot_write, checkpoint, create_dir};
use crate::engine::{BatchConfig, ReplicateOutcome, SeriesCatalog, TimeseriesAggregator, run_batch_series};
use crate::output::replicate_series::ReplicateSeriesWriter;
use crate::output::sweep::record::write_record;
use crate::output::sweep::rows::runs_row;
use crate::output::sweep::series::{REPLICATE_SERIES, SERIES, fragment_path, point_series_rows};
use crate::output::sweep::{PointRecord, point_record, points_dir, read_records_index};
use crate::output::{AtomicFile, write_atomic};
use crate::scenario::ensemble::{ensemble_params, load_ensemble};
use crate::scenario::experiment::{SweepPlan, load_experiment};
use crate::scenario::parse_str;

/// Files a sweep may have written before; a fresh sweep removes them so that nothing stale
/// is left beside the new results.
const OUTPUT_NAMES: [&str; 10] = [
    "sweep.csv",
    "sweep-long.csv",
    "runs.csv",
    "series.csv",
    "replicate-series.csv",
    "sensitivity.csv",
    "report.html",
    "manifest.json",
    "plan.json",
    "shard.json",
];
const FIGURES: [&str; 4] = ["heatmap", "response", "survival_by_level", "sensitivity"];

pub use crate::app::checkpoint::Shard;

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
    /// An ensemble of parameter sets (a calibration's accepted.csv): replicate i of every
    /// point runs with set i mod n, then the point's values.
    pub ensemble: Option<PathBuf>,
    /// Also write series.csv: each point's weekly series over its replicates.
    pub series: bool,
    /// Also write replicate-series.csv: every run's weekly series.
    pub series_per_replicate: bool,
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
    let mut names: Vec<String> = OUTPUT_NAMES.iter().map(|s| s.to_string()).collect();
    for f in FIGURES {
        names.push(format!("{f}.svg"));
        names.push(format!("{f}.png"));
    }
    checkpoint::clear(out, &["points"], &names)
}

/// Runs the request: the missing points of this shard, then (unsharded) the final files.
pub fn sweep(req: &SweepRequest, exec: &Exec<'_>) -> anyhow::Result<SweepOutcome> {
    let experiment = load_experiment(&req.experiment)?;
    let mut plan = make_plan(&experiment, req.runs).with_series(req.series, req.series_per_replicate);
    if let Some(path) = &req.ensemble {
        let ens = load_ensemble(path)?;
        // Every set must resolve with the experiment's fixed overrides before anything runs.
        let sc = &experiment.scenario;
        let text = fs::read_to_string(&sc.path).with_context(|| format!("cannot read {}", sc.path.display()))?;
        ensemble_params(&sc.path, &text, &ens, &plan.fixed, &sc.spec.params)?;
        plan = plan.with_ensemble(ens);
    }
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

    let dir = points_dir(&out);
    let (mine, todo) = checkpoint::pending(plan.points.len(), req.shard, &dir)?;

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
            ensemble: plan.ensemble.as_ref().map(EnsembleInputs::of),
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
        let (rec, runs) = match run_point_in(plan, i, text, exec, Some(dir)) {
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
    run_point_in(plan, i, text, exec, None)
}

/// As [`run_point`]; with `dir` (the checkpoint folder) the point's series fragments the
/// plan asks for are written there before the record marks the point done.
fn run_point_in(
    plan: &SweepPlan,
    i: usize,
    text: &str,
    exec: &Exec<'_>,
    dir: Option<&Path>,
) -> anyhow::Result<(PointRecord, Option<Vec<u8>>)> {
    let scenario_path = Path::new(&plan.scenario_file);
    let spec = parse_str(scenario_path, text, &plan.overrides(i))
        .with_context(|| format!("design point {i} ({})", plan.overrides(i).join(" ")))?;
    let catalog = SeriesCatalog::new(plan.org_names.clone());
    let mut outcomes: Vec<ReplicateOutcome> = Vec::with_capacity(plan.replicates as usize);
    let mut runs = plan.runs.then(|| csv::Writer::from_writer(Vec::new()));
    let mut runs_err = None;
    let sets = match &plan.ensemble {
        Some(ens) => ensemble_params(scenario_path, text, ens, &plan.overrides(i), &spec.params)
            .with_context(|| format!("design point {i} ({})", plan.overrides(i).join(" ")))?,
        None => vec![spec.params],
    };
    // The series fragments: per point folded in memory (one point's weeks), per replicate
    // streamed to disk in replicate order.
    let mut agg = (plan.series && dir.is_some())
        .then(|| TimeseriesAggregator::with_kernel(plan.horizon_weeks, catalog.len(), exec.fold));
    let rep_path = dir.map(|d| fragment_path(d, i, REPLICATE_SERIES));
    let mut per_rep = match (&rep_path, plan.series_per_replicate) {
        (Some(path), true) => {
            std::fs::create_dir_all(path.parent().expect("a fragment has a folder"))
                .with_context(|| cannot_write(path))?;
            Some(
                AtomicFile::create(path)
                    .and_then(|f| ReplicateSeriesWriter::new(f, None))
                    .with_context(|| cannot_write(path))?,
            )
        }
        _ => None,
    };
    let mut cfg = BatchConfig::new(plan.seed, plan.replicates);
    cfg.cancel = exec.cancel;
    let keep = per_rep.is_some();
    let report = exec.pool.install(|| {
        run_batch_series(&sets, &catalog, cfg, agg.as_mut(), keep, &|| exec.progress.inc(1), |o, values| {
            if let Some(w) = runs.as_mut()
                && let Err(e) = w.write_record(runs_row(i, &o, &plan.org_names))
            {
                runs_err.get_or_insert(e);
            }
            if let Some(w) = per_rep.as_mut()
                && let Err(e) = w.write(Some(i), o.replicate, &catalog, values)
            {
                runs_err.get_or_insert(e.into());
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
        return Err(e).context("cannot format runs or series rows");
    }
    if let (Some(w), Some(path)) = (per_rep, &rep_path) {
        w.into_inner().and_then(AtomicFile::commit).with_context(|| cannot_write(path))?;
    }
    if let (Some(agg), Some(d)) = (&agg, dir) {
        let path = fragment_path(d, i, SERIES);
        let bytes = point_series_rows(i, &catalog, agg).context("cannot format the series rows")?;
        write_atomic(&path, &bytes).with_context(|| cannot_write(&path))?;
    }
    let runs_bytes = runs.map(|w| w.into_inner().expect("in-memory writer"));
    Ok((point_record(plan, i, &outcomes), runs_bytes))
}
