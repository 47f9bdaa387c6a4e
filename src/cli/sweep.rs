//! `collabsim sweep`: expand an experiment into design points, run each point's replicates
//! on the same seeds (common random numbers), record each finished point, and build the
//! final files from the records. `--resume` keeps recorded points; `--shard K/N` runs one
//! share of the points for `collabsim merge`.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::json;

use collabsim::engine::{BatchConfig, ReplicateOutcome, SeriesCatalog, run_batch};
use collabsim::output::runs_csv;
use collabsim::output::sweep::record::write_record;
use collabsim::output::sweep::{finalize, point_record, points_dir, read_records_index};
use collabsim::output::write_atomic;
use collabsim::scenario::experiment::{SweepPlan, load_experiment};
use collabsim::scenario::parse_str;

use super::args::SweepArgs;
use super::arm;
use super::manifest::write_manifest;

/// Files a sweep may have written before; a fresh sweep removes them so that nothing stale
/// is left beside the new results.
const OUTPUT_NAMES: [&str; 7] =
    ["sweep.csv", "runs.csv", "sensitivity.csv", "report.html", "manifest.json", "plan.json", "shard.json"];
const FIGURES: [&str; 4] = ["heatmap", "response", "survival_by_level", "sensitivity"];

fn parse_shard(s: &str) -> anyhow::Result<(usize, usize)> {
    let bad = || anyhow::anyhow!("--shard {s}: expected K/N with 1 <= K <= N, e.g. --shard 2/3");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

pub fn read_plan(dir: &Path) -> anyhow::Result<SweepPlan> {
    let path = dir.join("plan.json");
    let bytes =
        fs::read(&path).with_context(|| format!("{}: not a sweep folder (no readable plan.json)", dir.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("{}: not a valid plan", path.display()))
}

fn write_plan(dir: &Path, plan: &SweepPlan) -> anyhow::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(plan).expect("plan serializes");
    bytes.push(b'\n');
    let path = dir.join("plan.json");
    write_atomic(&path, &bytes).with_context(|| arm::cannot_write(&path))
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

pub fn sweep(a: SweepArgs) -> anyhow::Result<()> {
    let plan = load_experiment(&a.experiment, a.runs)?;
    let shard = a.shard.as_deref().map(parse_shard).transpose()?;
    let stem = a.experiment.file_stem().map_or("experiment".into(), |s| s.to_string_lossy().into_owned());
    let out = a.out.clone().unwrap_or_else(|| {
        let base = PathBuf::from("outputs").join(&stem);
        match shard {
            Some((k, n)) => base.join(format!("shard-{k}-of-{n}")),
            None => base,
        }
    });
    arm::create_dir(&out)?;
    if a.resume && out.join("plan.json").exists() {
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
    write_plan(&out, &plan)?;

    let n = plan.points.len();
    let mine: Vec<usize> = (0..n).filter(|i| shard.is_none_or(|(k, m)| i % m == k - 1)).collect();
    let dir = points_dir(&out);
    let done = read_records_index(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let todo: Vec<usize> = mine.iter().copied().filter(|i| done.binary_search(i).is_err()).collect();

    let scenario_path = PathBuf::from(&plan.scenario_file);
    let text =
        fs::read_to_string(&scenario_path).with_context(|| format!("cannot read {}", scenario_path.display()))?;
    let pool = arm::pool(a.exec.threads)?;
    let bar = arm::progress(todo.len() as u64 * plan.replicates, a.exec.quiet);
    bar.set_message(format!("{stem}: {} of {} points to run", todo.len(), mine.len()));
    for &i in &todo {
        let (_, params) = parse_str(&scenario_path, &text, &plan.overrides(i))
            .with_context(|| format!("design point {i} ({})", plan.overrides(i).join(" ")))?;
        let catalog = SeriesCatalog::new(plan.org_names.clone());
        let mut outcomes: Vec<ReplicateOutcome> = Vec::with_capacity(plan.replicates as usize);
        let mut runs = plan.runs.then(|| csv::Writer::from_writer(Vec::new()));
        let mut runs_err = None;
        let mut cfg = BatchConfig::new(plan.seed, plan.replicates);
        cfg.cancel = Some(&super::INTERRUPTED);
        let report = pool.install(|| {
            run_batch(&params, &catalog, cfg, None, &|| bar.inc(1), |o| {
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
            bar.finish_and_clear();
            let kept = read_records_index(&dir).map_or(0, |v| v.len());
            return Err(super::Interrupted(format!(
                "interrupted; {kept} finished points are recorded in {}. Finish the sweep with: collabsim sweep {} --resume --out {}",
                dir.display(),
                a.experiment.display(),
                out.display()
            ))
            .into());
        }
        if let Some(f) = report.failures.first() {
            bail!(
                "design point {i}: replicate {} (seed {}) panicked: {}. The {} points finished before are recorded; re-run the replicate alone with: collabsim run {} {} --replicate {}",
                f.replicate,
                f.seed,
                f.message,
                read_records_index(&dir).map_or(0, |v| v.len()),
                plan.scenario_file,
                plan.overrides(i).iter().map(|o| format!("--set {o}")).collect::<Vec<_>>().join(" "),
                f.replicate
            );
        }
        if let Some(e) = runs_err {
            return Err(e).context("cannot format runs rows");
        }
        let runs_bytes = runs.map(|w| w.into_inner().expect("in-memory writer"));
        let rec = point_record(&plan, i, &outcomes);
        write_record(&dir, &rec, runs_bytes.as_deref())
            .with_context(|| format!("cannot record point {i} in {}", dir.display()))?;
    }
    bar.finish_and_clear();

    if let Some((k, m)) = shard {
        write_manifest(
            &out,
            json!({"plan": plan.id, "experiment": plan.experiment_file, "shard": format!("{k}/{m}")}),
            &["plan.json".to_string()],
        )?;
        if !a.exec.quiet {
            println!(
                "{}: shard {k}/{m} done: {} points ({} run now) in {}; combine the shards with `collabsim merge DIR... --out DIR`",
                plan.name,
                mine.len(),
                todo.len(),
                out.display()
            );
        }
        return Ok(());
    }
    let files =
        finalize(&plan, &[dir], &out).with_context(|| format!("cannot write the results in {}", out.display()))?;
    let mut listed = vec!["plan.json".to_string()];
    listed.extend(files);
    write_manifest(&out, json!({"plan": plan.id, "experiment": plan.experiment_file}), &listed)?;
    if !a.exec.quiet {
        print_summary(&plan, &out, todo.len());
    }
    Ok(())
}

pub fn print_summary(plan: &SweepPlan, out: &Path, ran: usize) {
    println!(
        "{}: {} design points x {} replicates ({} run now, {} recorded before)",
        plan.name,
        plan.points.len(),
        plan.replicates,
        ran,
        plan.points.len() - ran
    );
    println!("  results: {}  report: {}", out.join("sweep.csv").display(), out.join("report.html").display());
}
