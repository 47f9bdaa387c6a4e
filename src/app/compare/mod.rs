//! `compare`: a baseline and one or more variants (overrides of the same file, a ladder of
//! values of one parameter, or a second file) run with common random numbers (replicate i
//! of every arm has the same seed). Each arm gets its own run folder, labelled and with a
//! manifest that says which arm it is; the top folder holds comparison.json/csv, the
//! overlaid figures, report.html and the manifest.

mod facts;
pub(crate) mod plan;
mod words;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

pub use facts::{ArmFacts, CompareFacts, Estimate, VariantFacts};
pub use plan::{Ladder, parse_ladder, slug};
pub use words::summary_lines;

use super::arm::{Arm, FIGURE_FILES, RUN_FILES, Replicates, run_arm, write_figures_and_report};
use super::manifest::{ArmOf, Inputs, ScenarioInputs, write_arm_manifest, write_manifest};
use super::{Exec, cannot_write, create_dir, reproduce_command, shell_word};
use crate::output::comparison::{ComparisonSet, LadderRecord, SetArm};
use crate::output::figures::{FigureArm, comparison_figures};
use crate::output::report::{compare_report, thousands};
use crate::output::write_atomic;
use crate::scenario::Scenario;
use crate::scenario::ensemble::{attach_ensemble, load_ensemble};

/// What to compare.
#[derive(Clone, Debug, Default)]
pub struct CompareRequest {
    /// The baseline scenario file.
    pub scenario: PathBuf,
    /// Overrides of every arm (the flags `--replicates`, `--seed`, `--years` and `--set`).
    pub shared: Vec<String>,
    /// The variant's changes, by dotted path (with a ladder: applied to every variant).
    pub variant: Vec<String>,
    /// A ladder, `KEY.PATH=V1,V2,...`: one variant per value.
    pub vary: Option<String>,
    /// A second scenario file as the variant (run on the baseline's seed and replicates).
    pub against: Option<PathBuf>,
    pub baseline_name: Option<String>,
    pub variant_name: Option<String>,
    /// Default: `outputs/<baseline stem>-what-if-<the variant's overrides>/` (see `plan`).
    pub out: Option<PathBuf>,
    /// Replace what the output folder holds; without it a non-empty folder is refused.
    pub force: bool,
    /// The `--out` the report's reproduce line names, if not `out` (set by `reproduce`,
    /// which writes into a temporary folder).
    pub report_out: Option<PathBuf>,
    /// An ensemble of parameter sets (a calibration's accepted.csv) for every arm:
    /// replicate i of each runs with set i mod n, then the arm's overrides.
    pub ensemble: Option<PathBuf>,
}

/// Every arm (baseline first), the statistics in words, the warnings and the folder written.
pub struct CompareResult {
    pub arms: Vec<Arm>,
    pub labels: Vec<String>,
    pub facts: CompareFacts,
    /// E.g. a variant identical to the baseline; also in comparison.json and the report.
    pub warnings: Vec<String>,
    pub out: PathBuf,
}

/// Loads every arm (the variants on the baseline's seed and replicate count), runs them,
/// and writes the comparison folder.
pub fn compare(req: &CompareRequest, exec: &Exec<'_>) -> anyhow::Result<CompareResult> {
    let plan = with_ensemble(plan::plan(req)?, req)?;
    let out = req.out.clone().unwrap_or_else(|| plan::default_out(req, &plan));
    plan::check_out(&out, req.force)?;
    create_dir(&out)?;
    let command = command_line(req, &plan.arms[0].scenario);

    let reps = plan.arms[0].scenario.spec.run.replicates;
    exec.progress.start(reps * plan.arms.len() as u64, "baseline");
    let arms = run_arms(&plan.arms, &out, exec);
    exec.progress.finish();
    let arms = arms?;
    for (arm, p) in arms.iter().zip(&plan.arms) {
        write_arm_folder(arm, p, &out.join(&p.folder), &exec.command)?;
    }

    let set = ComparisonSet::build(
        SetArm { input: arms[0].input(&plan.arms[0].label), folder: &plan.arms[0].folder },
        arms.iter()
            .zip(&plan.arms)
            .skip(1)
            .map(|(a, p)| SetArm { input: a.input(&p.label), folder: &p.folder })
            .collect(),
        plan.ladder.as_ref().map(|l| LadderRecord {
            key: l.key.clone(),
            values: l.values.clone(),
            also: req.variant.clone(),
        }),
    );
    let json_path = out.join("comparison.json");
    write_atomic(&json_path, &set.to_json()).with_context(|| cannot_write(&json_path))?;
    let csv_path = out.join("comparison.csv");
    set.write_csv(&csv_path).with_context(|| cannot_write(&csv_path))?;

    let horizon = set.tau_weeks.max(arms.iter().map(|a| a.stats.horizon_weeks).fold(0.0, f64::max)) / 52.0;
    let title = match plan.arms.len() {
        2 => format!("{} vs {}", plan.arms[0].label, plan.arms[1].label),
        n => format!("{} variants vs {}", n - 1, plan.arms[0].label),
    };
    let title = format!(
        "{title} ({} replicates each, seed {})",
        thousands(arms[0].outcomes.len() as u64),
        arms[0].scenario.spec.run.seed
    );
    let fig_arms: Vec<FigureArm<'_>> = arms
        .iter()
        .zip(&plan.arms)
        .map(|(a, p)| FigureArm {
            label: &p.label,
            stats: &a.stats,
            catalog: &a.catalog,
            series: &a.series,
            params: &a.scenario.spec.params,
        })
        .collect();
    let figures = comparison_figures(&out, &title, &fig_arms, horizon)
        .with_context(|| format!("cannot write the figures in {}", out.display()))?;
    let differences = set
        .differences_figure(&out, &title)
        .with_context(|| format!("cannot write the figures in {}", out.display()))?;
    let html = compare_report(&set, &figures, Some(&differences), &command);
    let report_path = out.join("report.html");
    write_atomic(&report_path, html.as_bytes()).with_context(|| cannot_write(&report_path))?;
    let files: Vec<String> = ["comparison.json", "comparison.csv", "differences.svg", "differences.png"]
        .iter()
        .chain(&FIGURE_FILES)
        .map(|f| f.to_string())
        .chain(
            plan.arms
                .iter()
                .flat_map(|p| RUN_FILES.iter().chain(&["manifest.json"]).map(move |f| format!("{}/{f}", p.folder))),
        )
        .collect();
    let inputs = Inputs::Compare {
        baseline: Box::new(ScenarioInputs::of(&arms[0].scenario)),
        variants: arms[1..].iter().map(|a| ScenarioInputs::of(&a.scenario)).collect(),
    };
    write_manifest(&out, &exec.command, inputs, &files)?;
    let facts = CompareFacts::of(&set);
    let warnings = set.warnings.clone();
    drop(set);
    let labels = plan.arms.iter().map(|p| p.label.clone()).collect();
    Ok(CompareResult { arms, labels, facts, warnings, out })
}

/// Runs one arm of the comparison `req` describes, alone, into `out/<folder>/`: the
/// files and manifest that arm's folder holds in the full comparison (for `reproduce` of
/// an arm's manifest). `out` must be given.
pub fn compare_one_arm(req: &CompareRequest, folder: &str, exec: &Exec<'_>) -> anyhow::Result<PathBuf> {
    let plan = with_ensemble(plan::plan(req)?, req)?;
    let Some(out) = &req.out else { bail!("running one arm of a comparison needs --out") };
    let Some(p) = plan.arms.iter().find(|p| p.folder == folder) else {
        let have: Vec<&str> = plan.arms.iter().map(|p| p.folder.as_str()).collect();
        bail!("this comparison has no arm `{folder}`; its arms are {}", have.join(", "));
    };
    let dir = out.join(folder);
    plan::check_out(&dir, req.force)?;
    exec.progress.start(p.scenario.spec.run.replicates, folder);
    let arm = run_arm(p.scenario.clone(), &dir, exec, Replicates::default());
    exec.progress.finish();
    let arm = arm?;
    if let Some(e) = arm.failure_error(&dir) {
        return Err(e);
    }
    write_arm_folder(&arm, p, &dir, &exec.command)?;
    Ok(dir)
}

fn with_ensemble(mut plan: plan::Plan, req: &CompareRequest) -> anyhow::Result<plan::Plan> {
    if let Some(path) = &req.ensemble {
        let ens = load_ensemble(path)?;
        plan.arms = std::mem::take(&mut plan.arms)
            .into_iter()
            .map(|mut p| {
                p.scenario = attach_ensemble(p.scenario, ens.clone())?;
                Ok(p)
            })
            .collect::<anyhow::Result<_>>()?;
    }
    Ok(plan)
}

/// An arm's own folder: its figures and report under its full title, and a manifest that
/// records which arm of which comparison it is.
fn write_arm_folder(arm: &Arm, p: &plan::ArmPlan, dir: &Path, command: &[String]) -> anyhow::Result<()> {
    write_figures_and_report(arm, &p.title, dir, &reproduce_command("run", &arm.scenario, &[]))?;
    let files: Vec<String> = RUN_FILES.iter().map(|f| f.to_string()).collect();
    let arm_of = ArmOf {
        role: if p.folder == "baseline" { "baseline".into() } else { "variant".into() },
        folder: p.folder.clone(),
        label: p.title.clone(),
        comparison_manifest: "../manifest.json".into(),
    };
    write_arm_manifest(dir, command, Inputs::Run(ScenarioInputs::of(&arm.scenario)), &files, arm_of)
}

fn run_arms(plans: &[plan::ArmPlan], out: &Path, exec: &Exec<'_>) -> anyhow::Result<Vec<Arm>> {
    let mut arms = Vec::with_capacity(plans.len());
    for p in plans {
        exec.progress.set_message(&p.folder);
        arms.push(run_arm(p.scenario.clone(), &out.join(&p.folder), exec, Replicates::default())?);
    }
    for (a, p) in arms.iter().zip(plans) {
        if let Some(e) = a.failure_error(&out.join(&p.folder)) {
            return Err(e);
        }
    }
    Ok(arms)
}

/// The command that reproduces the comparison, for its report: the flags as given,
/// `--out` included when one was given.
fn command_line(req: &CompareRequest, base: &Scenario) -> String {
    let mut extra = Vec::new();
    if let Some(f) = &req.against {
        extra.extend(["--against".to_string(), shell_word(&f.display().to_string())]);
    }
    if let Some(v) = &req.vary {
        extra.extend(["--vary".to_string(), shell_word(v)]);
    }
    for v in &req.variant {
        extra.extend(["--variant".to_string(), shell_word(v)]);
    }
    for (flag, name) in [("--baseline-name", &req.baseline_name), ("--variant-name", &req.variant_name)] {
        if let Some(n) = name {
            extra.extend([flag.to_string(), shell_word(n)]);
        }
    }
    if let Some(o) = req.report_out.as_ref().or(req.out.as_ref()) {
        extra.extend(["--out".to_string(), shell_word(&o.display().to_string())]);
    }
    let shared_only = Scenario { overrides: req.shared.clone(), ..base.clone() };
    reproduce_command("compare", &shared_only, &extra)
}
