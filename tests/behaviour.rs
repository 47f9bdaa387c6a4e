//! The model does what calibration/behaviour.toml requires: the shipped scenarios' spans, the
//! held-out predictions, each lever's response in CS1 and CS2 (direction, size, monotone over
//! five levels) and no single week holding more than a tenth of the ended runs. Every arm runs
//! 1,000 replicates on fixed seeds (common random numbers), so each requirement is judged on its
//! estimate and 95% interval, as the file states, not on luck. docs/VALIDATION.md is this
//! evaluation's report: the test also fails when the committed report no longer says what the
//! model gives (regenerate it with `collabsim check-model calibration/behaviour.toml`).

use std::path::Path;

use collabsim::app::Exec;
use collabsim::app::check_model::{evaluate, run_arms};
use collabsim::output::validation::render;
use collabsim::scenario::behaviour::load_behaviour;

#[test]
fn the_shipped_behaviour_requirements_hold_and_validation_md_reports_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).unwrap();
    let file = Path::new("calibration/behaviour.toml");
    let plan = load_behaviour(file).unwrap();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let outcomes = run_arms(&plan, &Exec::quiet(threads)).unwrap();
    let report = evaluate(&plan, &outcomes, "collabsim check-model calibration/behaviour.toml".into());
    let failed: Vec<String> = report
        .checks
        .iter()
        .filter(|c| !c.pass())
        .map(|c| format!("{}: {:?}", c.name, c.rows.iter().filter(|r| !r.pass).collect::<Vec<_>>()))
        .collect();
    assert!(failed.is_empty(), "{} of {} checks fail:\n{}", failed.len(), report.checks.len(), failed.join("\n"));

    // The committed report shows these numbers. Its provenance lines (version, commit) name
    // the build that wrote it, so only the lines below them are compared.
    let body =
        |s: &str| s.lines().filter(|l| !l.contains("commit") && !l.contains("version")).collect::<Vec<_>>().join("\n");
    let doc = std::fs::read_to_string(root.join("docs/VALIDATION.md")).unwrap();
    let want = render(&report);
    assert!(
        body(&doc) == body(&want),
        "docs/VALIDATION.md differs from the model's behaviour; run `collabsim check-model calibration/behaviour.toml`"
    );
}
