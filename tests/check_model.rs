//! `collabsim check-model` on a small fixture (CS1 over 3 years, 40 replicates): every
//! problem of a bad behaviour file at once, located; a trivially true requirement passes
//! and impossible ones fail; the report has the same bytes at 1 and 2 threads; the shipped
//! behaviour file parses. (Whether the shipped requirements pass is the calibration's
//! business, not this test's.)

use std::path::{Path, PathBuf};

use collabsim::app::Exec;
use collabsim::app::check_model::{CheckModelOutcome, CheckModelRequest, check_model};
use collabsim::output::validation::CheckResult;
use collabsim::scenario::ScenarioError;
use collabsim::scenario::behaviour::{Group, load_behaviour};

const FIXTURE: &str = "tests/fixtures/check-model-small.toml";

fn run(threads: usize, out: &Path) -> CheckModelOutcome {
    let req = CheckModelRequest { behaviour: PathBuf::from(FIXTURE), out: Some(out.to_path_buf()) };
    check_model(&req, &Exec::quiet(threads)).unwrap()
}

fn check<'a>(r: &'a CheckModelOutcome, name: &str) -> &'a CheckResult {
    r.report.checks.iter().find(|c| c.name == name).unwrap()
}

#[test]
fn requirements_pass_and_fail_and_the_report_is_thread_invariant() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("one.md"), dir.path().join("two.md"));
    let r1 = run(1, &a);
    let r2 = run(2, &b);
    // The same bytes at 1 and 2 threads, but for the `--out` the regeneration command names.
    let (ta, tb) = (std::fs::read_to_string(&a).unwrap(), std::fs::read_to_string(&b).unwrap());
    assert!(ta.replace(a.to_str().unwrap(), "OUT") == tb.replace(b.to_str().unwrap(), "OUT"), "{ta}\n{tb}");
    assert_eq!(r1.report.checks, r2.report.checks);
    let r = r1;
    // One row each; the trivially true one passes, the impossible median fails.
    let t = check(&r, "trivially true");
    assert_eq!((t.rows.len(), t.pass()), (1, true));
    assert!(t.rows[0].estimate.is_some_and(|v| (0.0..=1.0).contains(&v)));
    let m = check(&r, "impossible median");
    assert_eq!((m.group, m.rows.len(), m.pass()), (Group::HeldOut, 1, false));
    // Below itself: the paired difference is exactly 0, not below it.
    let below = check(&r, "below itself");
    assert_eq!(below.rows.iter().map(|x| x.pass).collect::<Vec<_>>(), vec![true, false]);
    assert_eq!(below.rows[1].estimate, Some(0.0));
    // A share of at most 1 always holds.
    let art = check(&r, "artefacts");
    assert_eq!((art.group, art.pass()), (Group::Artefact, true));
    // The ladder: a table of three levels; its rise of 90 points cannot happen, the end
    // levels' artefact rows (at most 1) pass and go to the artefact section.
    let l = check(&r, "transparency, an impossible rise");
    assert_eq!(l.ladder.as_ref().unwrap().rows.len(), 3);
    assert_eq!(l.rows.len(), 4);
    assert!(!l.rows[0].pass);
    assert!(l.rows[2..].iter().all(|x| x.pass && x.section == Group::Artefact));
    let o = check(&r, "overload");
    assert_eq!(o.rows.len(), 3, "difference, monotone, flatter_than");
    assert!(o.rows[0].pass, "[-1, 1] without excludes_zero holds for any difference");
    let (pass, fail) = r.report.counts();
    assert_eq!(pass + fail, 1 + 1 + 2 + 1 + 4 + 3);
    let text = std::fs::read_to_string(&a).unwrap();
    for s in [
        "# Model validation",
        "collabsim check-model tests/fixtures/check-model-small.toml --out",
        "## Calibration targets",
        "## Held-out predictions",
        "## Lever responses",
        "## Threshold artefacts",
        "| trivially true |",
        "PASS",
        "**FAIL**",
    ] {
        assert!(text.contains(s), "report lacks {s:?}:\n{text}");
    }
}

#[test]
fn every_problem_of_a_bad_file_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = std::fs::canonicalize("scenarios/cs1-merged-it.toml").unwrap();
    let sc = scenario.display();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        format!(
            r#"replicates = 10
colour = "red"

[[check]]
name = "a typo"
scenario = "{sc}"
statistc = "survival"
require = [0, 1]

[[check]]
name = "no requirement, beyond the horizon"
scenario = "{sc}"
statistic = "survival"
year = 50

[[check]]
name = "a bad ladder"
scenario = "{sc}"
vary = "collaboration.transparancy"
levels = [0.2, 1.0]
statistic = "survival"
year = 8
direction = "sideways"
require = [0.1, 1.0]
flatter_than = "nothing"
"#
        ),
    )
    .unwrap();
    let err = load_behaviour(&bad).unwrap_err();
    let ScenarioError::Invalid { diagnostics, .. } = &err else { panic!("{err}") };
    let lines: Vec<String> = diagnostics.iter().map(|d| d.to_string_in(&bad)).collect();
    let all = lines.join("\n");
    let at = |line: usize, key: &str, msg: &str| {
        let want = format!("{}:{line}:", bad.display());
        assert!(
            lines.iter().any(|l| l.starts_with(&want) && l.contains(&format!("key `{key}`")) && l.contains(msg)),
            "no problem at line {line} key {key} saying {msg:?} in:\n{all}"
        );
    };
    at(2, "colour", "unknown key");
    at(7, "check[0].statistc", "did you mean `statistic`?");
    at(14, "check[1].year", "beyond the horizon");
    at(19, "check[2].vary", "did you mean `collaboration.transparency`?");
    at(23, "check[2].direction", "expected \"down\" or \"up\"");
    at(25, "check[2].flatter_than", "no check is named \"nothing\"");
    assert!(!all.contains("check[2].levels"), "an unknown lever's levels are not loaded:\n{all}");
    // Missing keys are blamed on their table.
    assert!(all.contains("key `check[1]`") && all.contains("a check needs `require"), "{all}");
    assert!(all.contains("key `check[0]`") && all.contains("a check needs `statistic`"), "{all}");
}

#[test]
fn shipped_behaviour_file_parses() {
    let plan = load_behaviour(Path::new("calibration/behaviour.toml")).unwrap();
    assert_eq!(plan.replicates, 1000);
    assert_eq!(plan.checks.len(), 40);
    let ladders = plan.checks.iter().filter(|c| c.ladder.is_some()).count();
    assert_eq!(ladders, 8);
    assert!(plan.checks.iter().any(|c| c.below.is_some()));
}

#[test]
fn the_command_prints_a_summary_and_exits_zero_with_failures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v.md");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_collabsim"))
        .args(["check-model", FIXTURE, "--out", out.to_str().unwrap(), "--threads", "2"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains(" of 12 requirements passed, "), "{stdout}");
    assert!(stdout.contains("FAIL: impossible median"), "{stdout}");
    assert!(out.is_file());
}
