//! `compare`: a baseline and a variant (overrides of the same file, or a second file) run
//! with common random numbers (replicate i of both arms has the same seed). Each arm gets
//! its own run folder; the top folder holds comparison.json/csv, the overlaid figures,
//! report.html and the manifest.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::arm::{Arm, FIGURE_FILES, RUN_FILES, Replicates, run_arm, write_figures_and_report};
use super::manifest::{Inputs, ScenarioInputs, write_manifest};
use super::{Exec, cannot_write, create_dir, reproduce_command, shell_word};
use crate::output::comparison::Comparison;
use crate::output::figures::{FigureArm, comparison_figures};
use crate::output::report::{compare_report, thousands};
use crate::output::write_atomic;
use crate::scenario::ensemble::{attach_ensemble, load_ensemble};
use crate::scenario::{self, Scenario};

/// What to compare.
pub struct CompareRequest {
    /// The baseline scenario file.
    pub scenario: PathBuf,
    /// Overrides of both arms (the flags `--replicates`, `--seed`, `--years` and `--set`).
    pub shared: Vec<String>,
    /// The variant's changes, by dotted path.
    pub variant: Vec<String>,
    /// A second scenario file as the variant (run on the baseline's seed and replicates).
    pub against: Option<PathBuf>,
    pub baseline_name: Option<String>,
    pub variant_name: Option<String>,
    /// Default: `outputs/<baseline stem>-what-if/` or `outputs/<a>-vs-<b>/`.
    pub out: Option<PathBuf>,
    /// An ensemble of parameter sets (a calibration's accepted.csv) for both arms:
    /// replicate i of each runs with set i mod n, then the arm's overrides.
    pub ensemble: Option<PathBuf>,
}

/// Both arms, their labels, the comparison and the folder written.
pub struct CompareResult {
    pub baseline: Arm,
    pub variant: Arm,
    pub labels: [String; 2],
    pub comparison: Comparison,
    pub out: PathBuf,
}

/// Loads both arms (the variant on the baseline's seed and replicate count), runs them,
/// and writes the comparison folder.
pub fn compare(req: &CompareRequest, exec: &Exec<'_>) -> anyhow::Result<CompareResult> {
    if req.variant.is_empty() && req.against.is_none() {
        bail!(
            "nothing to compare: give the variant's changes with --variant KEY.PATH=VALUE (e.g. --variant leadership.turnover_per_year=0.33) or a second scenario with --against FILE"
        );
    }
    let base = scenario::load(&req.scenario, &req.shared)?;
    // Common random numbers: the variant runs on the baseline's seed and replicate count.
    let mut var_over = req.shared.clone();
    var_over.extend(req.variant.iter().cloned());
    var_over.push(format!("seed={}", base.spec.run.seed));
    var_over.push(format!("replicates={}", base.spec.run.replicates));
    let var = scenario::load(req.against.as_deref().unwrap_or(&req.scenario), &var_over)?;
    let (base, var) = match &req.ensemble {
        Some(path) => {
            let ens = load_ensemble(path)?;
            (attach_ensemble(base, ens.clone())?, attach_ensemble(var, ens)?)
        }
        None => (base, var),
    };

    let base_label = req.baseline_name.clone().unwrap_or_else(|| base.spec.run.name.clone());
    let var_label = req.variant_name.clone().unwrap_or_else(|| match &req.against {
        Some(_) if var.spec.run.name != base.spec.run.name => var.spec.run.name.clone(),
        Some(_) => format!("{} (variant)", var.spec.run.name),
        None => req.variant.join(", "),
    });
    let out = req.out.clone().unwrap_or_else(|| {
        let name = match &req.against {
            Some(_) => format!("{}-vs-{}", base.stem(), var.stem()),
            None => format!("{}-what-if", base.stem()),
        };
        PathBuf::from("outputs").join(name)
    });
    create_dir(&out)?;
    let command = command_line(req, &base);

    exec.progress.start(base.spec.run.replicates * 2, "baseline");
    let arms = run_arms(base, var, &out, exec);
    exec.progress.finish();
    let (base_arm, var_arm) = arms?;
    for (arm, label, dir) in [(&base_arm, &base_label, "baseline"), (&var_arm, &var_label, "variant")] {
        write_figures_and_report(arm, label, &out.join(dir), &reproduce_command("run", &arm.scenario, &[]))?;
        let files: Vec<String> = RUN_FILES.iter().map(|f| f.to_string()).collect();
        write_manifest(&out.join(dir), &exec.command, Inputs::Run(ScenarioInputs::of(&arm.scenario)), &files)?;
    }

    let (ia, ib) = (base_arm.input(&base_label), var_arm.input(&var_label));
    let cmp = Comparison::build(&ia, &ib);
    let json_path = out.join("comparison.json");
    write_atomic(&json_path, &cmp.to_json(&ia, &ib)).with_context(|| cannot_write(&json_path))?;
    let csv_path = out.join("comparison.csv");
    cmp.write_csv(&csv_path, &ia, &ib).with_context(|| cannot_write(&csv_path))?;

    let (sa, sb) = (&base_arm.stats, &var_arm.stats);
    let horizon = cmp.tau_weeks.max(sa.horizon_weeks).max(sb.horizon_weeks) / 52.0;
    let title = format!(
        "{} vs {} ({} replicates each, seed {})",
        base_label,
        var_label,
        thousands(base_arm.outcomes.len() as u64),
        base_arm.scenario.spec.run.seed
    );
    let fa = FigureArm {
        label: &base_label,
        stats: sa,
        catalog: &base_arm.catalog,
        series: &base_arm.series,
        params: &base_arm.scenario.spec.params,
    };
    let fb = FigureArm {
        label: &var_label,
        stats: sb,
        catalog: &var_arm.catalog,
        series: &var_arm.series,
        params: &var_arm.scenario.spec.params,
    };
    let figures = comparison_figures(&out, &title, &fa, &fb, horizon)
        .with_context(|| format!("cannot write the figures in {}", out.display()))?;
    let html = compare_report(&ia, &ib, &cmp, &figures, &command);
    let report_path = out.join("report.html");
    write_atomic(&report_path, html.as_bytes()).with_context(|| cannot_write(&report_path))?;
    let files: Vec<String> = ["comparison.json", "comparison.csv"]
        .iter()
        .chain(&FIGURE_FILES)
        .map(|f| f.to_string())
        .chain(
            RUN_FILES.iter().chain(&["manifest.json"]).flat_map(|f| [format!("baseline/{f}"), format!("variant/{f}")]),
        )
        .collect();
    let inputs = Inputs::Compare {
        baseline: Box::new(ScenarioInputs::of(&base_arm.scenario)),
        variant: Box::new(ScenarioInputs::of(&var_arm.scenario)),
    };
    write_manifest(&out, &exec.command, inputs, &files)?;
    Ok(CompareResult { baseline: base_arm, variant: var_arm, labels: [base_label, var_label], comparison: cmp, out })
}

fn run_arms(base: Scenario, var: Scenario, out: &Path, exec: &Exec<'_>) -> anyhow::Result<(Arm, Arm)> {
    let base_arm = run_arm(base, &out.join("baseline"), exec, Replicates::default())?;
    exec.progress.set_message("variant");
    let var_arm = run_arm(var, &out.join("variant"), exec, Replicates::default())?;
    for (a, dir) in [(&base_arm, "baseline"), (&var_arm, "variant")] {
        if let Some(e) = a.failure_error(&out.join(dir)) {
            return Err(e);
        }
    }
    Ok((base_arm, var_arm))
}

/// The command that reproduces the comparison, for its report.
fn command_line(req: &CompareRequest, base: &Scenario) -> String {
    let mut extra = Vec::new();
    if let Some(f) = &req.against {
        extra.extend(["--against".to_string(), shell_word(&f.display().to_string())]);
    }
    for v in &req.variant {
        extra.extend(["--variant".to_string(), shell_word(v)]);
    }
    for (flag, name) in [("--baseline-name", &req.baseline_name), ("--variant-name", &req.variant_name)] {
        if let Some(n) = name {
            extra.extend([flag.to_string(), shell_word(n)]);
        }
    }
    let shared_only = Scenario { overrides: req.shared.clone(), ..base.clone() };
    reproduce_command("compare", &shared_only, &extra)
}
