//! `collabsim compare`: a baseline and a variant (overrides of the same file, or a second
//! file) run with common random numbers (replicate i of both arms has the same seed). Each
//! arm gets its own run folder; the top folder holds comparison.json/csv, the overlaid
//! figures and report.html.

use std::path::PathBuf;

use anyhow::{Context, bail};

use collabsim::output::comparison::{ArmInput, Comparison};
use collabsim::output::figures::{Figures, comparison_panels, incidence_curves, km_curve};
use collabsim::output::plots::{incidence_plot, panels_plot, survival_plot};
use collabsim::output::report::{compare_report, thousands};
use collabsim::output::write_atomic;
use collabsim::scenario::{self, Scenario};

use super::args::CompareArgs;
use super::arm::{self, cannot_write};
use super::manifest::write_manifest;
use super::run::{FIGURE_FILES, reproduce_command, run_files, scenario_inputs, shell_word, write_figures_and_report};

pub fn compare(a: CompareArgs) -> anyhow::Result<()> {
    if a.variant.is_empty() && a.against.is_none() {
        bail!(
            "nothing to compare: give the variant's changes with --variant KEY.PATH=VALUE (e.g. --variant leadership.turnover_per_year=0.33) or a second scenario with --against FILE"
        );
    }
    let shared = a.scenario_flags.overrides();
    let base = scenario::load(&a.scenario, &shared)?;
    // Common random numbers: the variant runs on the baseline's seed and replicate count.
    let mut var_over = shared.clone();
    var_over.extend(a.variant.iter().cloned());
    var_over.push(format!("seed={}", base.raw.seed));
    var_over.push(format!("replicates={}", base.raw.replicates));
    let var = scenario::load(a.against.as_deref().unwrap_or(&a.scenario), &var_over)?;

    let base_label = a.baseline_name.clone().unwrap_or_else(|| base.raw.name.clone());
    let var_label = a.variant_name.clone().unwrap_or_else(|| match &a.against {
        Some(_) if var.raw.name != base.raw.name => var.raw.name.clone(),
        Some(_) => format!("{} (variant)", var.raw.name),
        None => a.variant.join(", "),
    });
    let out = a.out.clone().unwrap_or_else(|| {
        let name = match &a.against {
            Some(_) => format!("{}-vs-{}", base.stem(), var.stem()),
            None => format!("{}-what-if", base.stem()),
        };
        PathBuf::from("outputs").join(name)
    });
    arm::create_dir(&out)?;
    let pool = arm::pool(a.exec.threads)?;
    let bar = arm::progress(base.raw.replicates * 2, a.exec.quiet);

    let command = {
        let mut extra = Vec::new();
        if let Some(f) = &a.against {
            extra.extend(["--against".to_string(), shell_word(&f.display().to_string())]);
        }
        for v in &a.variant {
            extra.extend(["--variant".to_string(), shell_word(v)]);
        }
        for (flag, name) in [("--baseline-name", &a.baseline_name), ("--variant-name", &a.variant_name)] {
            if let Some(n) = name {
                extra.extend([flag.to_string(), shell_word(n)]);
            }
        }
        let shared_only = Scenario { overrides: shared.clone(), ..base.clone() };
        reproduce_command("compare", &shared_only, &extra)
    };

    bar.set_message("baseline");
    let base_arm = arm::run_arm(base, &out.join("baseline"), &pool, &bar, arm::Selection::default())?;
    bar.set_message("variant");
    let var_arm = arm::run_arm(var, &out.join("variant"), &pool, &bar, arm::Selection::default())?;
    for (a, dir) in [(&base_arm, "baseline"), (&var_arm, "variant")] {
        if let Some(e) = a.failure_error(&out.join(dir)) {
            return Err(e);
        }
    }
    bar.finish_and_clear();
    for (arm, label, dir) in [(&base_arm, &base_label, "baseline"), (&var_arm, &var_label, "variant")] {
        write_figures_and_report(arm, label, &out.join(dir), &reproduce_command("run", &arm.scenario, &[]))?;
        write_manifest(&out.join(dir), scenario_inputs(&arm.scenario), &run_files())?;
    }

    let (sa, sb) = (&base_arm.stats, &var_arm.stats);
    let ia = ArmInput { label: &base_label, scenario: &base_arm.scenario, outcomes: &base_arm.outcomes, stats: sa };
    let ib = ArmInput { label: &var_label, scenario: &var_arm.scenario, outcomes: &var_arm.outcomes, stats: sb };
    let cmp = Comparison::build(&ia, &ib);
    let json_path = out.join("comparison.json");
    write_atomic(&json_path, &cmp.to_json(&ia, &ib)).with_context(|| cannot_write(&json_path))?;
    let csv_path = out.join("comparison.csv");
    cmp.write_csv(&csv_path, &ia, &ib).with_context(|| cannot_write(&csv_path))?;

    let horizon = cmp.tau_weeks.max(sa.horizon_weeks).max(sb.horizon_weeks) / 52.0;
    let title = format!(
        "{} vs {} ({} replicates each, seed {})",
        base_label,
        var_label,
        thousands(base_arm.outcomes.len() as u64),
        base_arm.scenario.raw.seed
    );
    let figs = || -> std::io::Result<Figures> {
        let survival = survival_plot(
            &out.join("survival"),
            &format!("Survival: {title}"),
            &[km_curve(&base_label, sa), km_curve(&var_label, sb)],
            horizon,
        )?;
        let mut inc = incidence_curves(Some("baseline"), sa);
        inc.extend(incidence_curves(Some("variant"), sb));
        let incidence = incidence_plot(&out.join("incidence"), &format!("Causes of the end: {title}"), &inc, horizon)?;
        let panels = panels_plot(
            &out.join("state"),
            &format!("Whole unit over time: {title}"),
            &comparison_panels(&[
                (base_label.as_str(), &base_arm.catalog, &base_arm.series),
                (var_label.as_str(), &var_arm.catalog, &var_arm.series),
            ]),
        )?;
        Ok(Figures { survival, incidence, panels })
    };
    let figures = figs().with_context(|| format!("cannot write the figures in {}", out.display()))?;
    let html = compare_report(&ia, &ib, &cmp, &figures, &command);
    let report_path = out.join("report.html");
    write_atomic(&report_path, html.as_bytes()).with_context(|| cannot_write(&report_path))?;
    let files: Vec<String> = ["comparison.json", "comparison.csv"]
        .iter()
        .chain(&FIGURE_FILES)
        .map(|f| f.to_string())
        .chain(
            run_files()
                .into_iter()
                .chain(["manifest.json".to_string()])
                .flat_map(|f| [format!("baseline/{f}"), format!("variant/{f}")]),
        )
        .collect();
    let inputs = serde_json::json!({"baseline": scenario_inputs(&base_arm.scenario), "variant": scenario_inputs(&var_arm.scenario)});
    write_manifest(&out, inputs, &files)?;

    if !a.exec.quiet {
        print_summary(&ia, &ib, &cmp, &out);
    }
    Ok(())
}

fn print_summary(a: &ArmInput<'_>, b: &ArmInput<'_>, c: &Comparison, out: &std::path::Path) {
    let y = |w: f64| w / 52.0;
    println!("{} vs {}: {} replicates each, seed {}", a.label, b.label, a.outcomes.len(), a.scenario.raw.seed);
    println!(
        "  still running after {:.1} years: {:.1}% vs {:.1}%",
        y(c.tau_weeks),
        100.0 * a.stats.km.survival_at(c.tau_weeks),
        100.0 * b.stats.km.survival_at(c.tau_weeks)
    );
    if let Some(d) = c.rmst_difference {
        println!(
            "  mean lifetime to {:.1} years (RMST): {:.2} vs {:.2} years; difference {:+.2} (95% CI {:+.2} to {:+.2})",
            y(c.tau_weeks),
            y(c.rmst[0]),
            y(c.rmst[1]),
            y(d.estimate),
            y(d.lower),
            y(d.upper)
        );
    }
    match &c.logrank {
        Some(l) => println!("  log-rank chi-square {:.2}, p = {:.3e}", l.chi_square, l.p_value),
        None => println!("  log-rank: no run ended in either arm"),
    }
    println!("  report: {}", out.join("report.html").display());
}
