//! `collabsim calibrate` end to end on a small fixture (CS1 over 2 years, 2 priors, 2
//! waves of 8 points, 30 replicates): every problem of a bad file at once; the same bytes at
//! 1 and 2 threads and run after run; the same bytes after records are lost and `--resume`,
//! and after shards write into one folder and `--resume` finishes; a target the prior region
//! cannot meet rules every point out and the report says so; `--ensemble` runs replicate i
//! with set i mod n, as a plain run with that set's values would; the report names the
//! parameters the targets pin down and those they leave free; `reproduce` checks it all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use collabsim::app::manifest::{Inputs, read_manifest};
use collabsim::output::Summary;
use collabsim::output::calibrate::record::{PointStats, WavePlan};
use collabsim::scenario::calibration::{CalibrationPlan, load_calibration};
use collabsim::scenario::ensemble::load_ensemble;

mod common;
use common::{bin, ok, text};

const FIXTURE: &str = "tests/fixtures/calibrate-small.toml";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file under `dir` but manifest.json (which records the command), by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, d: &Path, m: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, m);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                if rel != "manifest.json" {
                    m.insert(rel, std::fs::read(&p).unwrap());
                }
            }
        }
    }
    let mut m = BTreeMap::new();
    walk(dir, dir, &mut m);
    m
}

fn assert_same(a: &Path, b: &Path) {
    let (x, y) = (files(a), files(b));
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>(), "{} vs {}", a.display(), b.display());
    for (k, v) in &x {
        assert!(v == &y[k], "{k} differs between {} and {}", a.display(), b.display());
    }
}

/// The fixture calibrated once at two threads, shared by the tests of this file.
fn reference() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap().keep();
        let out = tmp.join("reference");
        ok(&["calibrate", FIXTURE, "--quiet", "--threads", "2", "--out", s(&out)]);
        out
    })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_path(path).unwrap();
    r.records().map(|row| row.unwrap().iter().map(String::from).collect()).collect()
}

#[test]
fn the_calibration_writes_its_files_and_the_same_bytes_at_one_thread_and_again() {
    let reference = reference();
    let tmp = tempfile::tempdir().unwrap();
    let (t1, again) = (tmp.path().join("t1"), tmp.path().join("again"));
    ok(&["calibrate", FIXTURE, "--quiet", "--threads", "1", "--out", s(&t1)]);
    ok(&["calibrate", FIXTURE, "--quiet", "--threads", "2", "--out", s(&again)]);
    assert_same(reference, &t1);
    assert_same(reference, &again);

    let plan = load_calibration(Path::new(FIXTURE)).unwrap();
    // waves.csv: for each wave, a row per target and one for any target.
    let waves = read_csv(&reference.join("waves.csv"));
    assert_eq!(
        waves[0],
        ["wave", "target", "points", "ruled_out", "ruled_out_share", "min_implausibility", "median_implausibility"]
    );
    assert_eq!(waves.len(), 1 + 2 * 3);
    assert_eq!(waves[1][1], plan.targets[0].name);
    assert_eq!(waves[3][1], "any target");
    for row in &waves[1..] {
        assert_eq!(row[2], "8");
        let share: f64 = row[4].parse().unwrap();
        assert_eq!(share, row[3].parse::<f64>().unwrap() / 8.0);
    }
    // accepted.csv: point, wave, each prior, the largest implausibility (at most the cut);
    // its rows are the points no target ruled out.
    let accepted = read_csv(&reference.join("accepted.csv"));
    assert_eq!(
        accepted[0],
        [
            "point",
            "wave",
            "leadership.new_leader_commitment",
            "collaboration.lead_decision_speedup",
            "max_implausibility"
        ]
    );
    let ruled_out: usize = waves.iter().filter(|r| r[1] == "any target").map(|r| r[3].parse::<usize>().unwrap()).sum();
    assert_eq!(accepted.len() - 1, 16 - ruled_out);
    assert!(accepted.len() > 1 + 4, "the fixture should accept a handful of points");
    for row in &accepted[1..] {
        assert!(row[4].parse::<f64>().unwrap() <= plan.cut);
        assert!(row[0].parse::<u64>().is_ok() && row[1].parse::<u32>().is_ok(), "ids as integers: {row:?}");
    }
    // The typed files read back into their types and write out to the same bytes.
    let cal: CalibrationPlan = read_json(&reference.join("calibration.json"));
    assert_eq!(cal, plan);
    assert_eq!(pretty(&cal), std::fs::read(reference.join("calibration.json")).unwrap());
    for w in 1..=2 {
        let dir = reference.join(format!("waves/w{w:02}"));
        let wp: WavePlan = read_json(&dir.join("plan.json"));
        assert_eq!(pretty(&wp), std::fs::read(dir.join("plan.json")).unwrap());
        assert_eq!((wp.wave, wp.first_point, wp.points.len()), (w, 8 * (w as usize - 1), 8));
        let rec: PointStats = read_json(&dir.join("points/p0000003.json"));
        assert_eq!((rec.plan.as_str(), rec.point, rec.targets.len()), (wp.id.as_str(), 3, 2));
    }
    let m = read_manifest(&reference.join("manifest.json")).unwrap();
    assert!(matches!(&m.inputs, Inputs::Calibrate(c) if c.calibration == plan.id));
    for f in [
        "calibration.json",
        "waves/w01/plan.json",
        "waves/w02/plan.json",
        "waves.csv",
        "accepted.csv",
        "marginal.svg",
        "marginal.png",
        "pairwise.svg",
        "pairwise.png",
        "report.html",
    ] {
        assert_eq!(m.files.get(f).map(String::len), Some(64), "{f} is listed with its SHA-256");
    }
}

/// A value as collabsim writes its JSON files.
fn pretty<T: serde::Serialize>(v: &T) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(v).unwrap();
    b.push(b'\n');
    b
}

fn read_json<T: serde::de::DeserializeOwned>(p: &Path) -> T {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn lost_records_are_run_again_on_resume_to_the_same_bytes() {
    let reference = reference();
    let tmp = tempfile::tempdir().unwrap();
    let cut = tmp.path().join("cut");
    // As if interrupted in wave 2, with some of wave 1 lost too: the finished folder without
    // some records and without its final files.
    copy_dir(reference, &cut);
    for f in ["waves/w01/points/p0000002.json", "waves/w02/points/p0000000.json", "waves/w02/points/p0000005.json"] {
        std::fs::remove_file(cut.join(f)).unwrap();
    }
    for f in ["waves.csv", "accepted.csv", "report.html", "marginal.svg", "manifest.json"] {
        std::fs::remove_file(cut.join(f)).unwrap();
    }
    let o = ok(&["calibrate", FIXTURE, "--resume", "--out", s(&cut)]);
    let said = text(&o.stdout);
    assert!(said.contains("wave 1: 8 points, 1 run now, 7 recorded before"), "{said}");
    assert!(said.contains("wave 2: 8 points, 2 run now, 6 recorded before"), "{said}");
    assert_same(reference, &cut);
    // Without --resume the folder starts afresh.
    let o = ok(&["calibrate", FIXTURE, "--out", s(&cut)]);
    assert!(text(&o.stdout).contains("wave 1: 8 points, 8 run now, 0 recorded before"));
    assert_same(reference, &cut);
}

#[test]
fn shards_in_one_folder_then_resume_give_the_bytes_of_one_run() {
    let reference = reference();
    let tmp = tempfile::tempdir().unwrap();
    let shared = tmp.path().join("shared");
    let shard = |k: &str| ok(&["calibrate", FIXTURE, "--shard", k, "--out", s(&shared)]);
    // Wave 1 in two shards: each runs its half and stops; between them the wave is whole.
    let o = shard("1/2");
    assert!(text(&o.stdout).contains("wave 1: 8 points (4 in this shard), 4 run now"), "{}", text(&o.stdout));
    assert!(!shared.join("waves/w02").exists(), "a shard stops after its share of the current wave");
    shard("2/2");
    let recorded = |w: u32| std::fs::read_dir(shared.join(format!("waves/w{w:02}/points"))).map_or(0, |d| d.count());
    assert_eq!(recorded(1), 8);
    // Wave 2 likewise; then the unsharded --resume only writes the final files.
    let o = shard("2/2");
    assert!(text(&o.stdout).contains("wave 2: 8 points (4 in this shard), 4 run now"), "{}", text(&o.stdout));
    assert!(!shared.join("report.html").exists(), "shards write no final files");
    shard("1/2");
    assert_eq!(recorded(2), 8);
    let o = ok(&["calibrate", FIXTURE, "--resume", "--out", s(&shared)]);
    assert!(text(&o.stdout).contains("wave 2: 8 points, 0 run now, 8 recorded before"));
    assert_same(reference, &shared);
    // A folder of another calibration is not resumed into.
    let other = tmp.path().join("other.toml");
    std::fs::write(&other, std::fs::read_to_string(FIXTURE).unwrap().replace("seed = 11", "seed = 12")).unwrap();
    std::fs::write(
        &other,
        std::fs::read_to_string(&other)
            .unwrap()
            .replace("../../scenarios", &format!("{}/scenarios", env!("CARGO_MANIFEST_DIR"))),
    )
    .unwrap();
    let o = bin().args(["calibrate", s(&other), "--resume", "--out", s(&shared)]).output().unwrap();
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("holds a calibration of another plan"), "{}", text(&o.stderr));
}

#[test]
fn every_problem_of_a_calibration_file_is_reported_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("bad.toml");
    let sc = format!("{}/scenarios/cs1-merged-it.toml", env!("CARGO_MANIFEST_DIR"));
    std::fs::write(
        &f,
        format!(
            r#"replicates = 20
years = 2

[prior]
"leadership.new_leader_comitment" = {{ from = 0.1, to = 0.5 }}

[[target]]
scenario = "{sc}"
statistic = "survivl"
value = 0.8
tolerance = 0.02

[[target]]
scenario = "{sc}"
statistic = "survival"
year = 2
tolerance = 0.02

[[target]]
scenario = "{sc}"
statistic = "rmst"
year = 5
value = 1.5
tolerance = 0.1
"#
        ),
    )
    .unwrap();
    let o = bin().args(["calibrate", s(&f), "--quiet", "--out", s(&tmp.path().join("o"))]).output().unwrap();
    assert!(!o.status.success());
    let e = text(&o.stderr);
    assert!(!e.contains("panicked"), "{e}");
    for want in [
        "4 problems",
        "bad.toml:5:1: key `prior.leadership.new_leader_comitment`: unknown parameter; did you mean `leadership.new_leader_commitment`?",
        "bad.toml:9:1: key `target[0].statistic`: found \"survivl\", expected one of survival, median, rmst, cause_share, partner_share, savings, staff_end",
        "bad.toml:13:1: key `target[1]`: a target needs the observation: `value = X` or `interval = [LOW, HIGH]`",
        "bad.toml:22:1: key `target[2].year`: year 5 is beyond the horizon (2 years)",
    ] {
        assert!(e.contains(want), "missing `{want}` in:\n{e}");
    }
    // More mistakes: an open-ended parameter without a range, a count, a run key, an
    // unknown key, a cause for the wrong statistic, a share written as a percentage.
    std::fs::write(
        &f,
        format!(
            r#"wavs = 2
[prior]
"motivation.overload_weight" = {{}}
"collaboration.team_size" = {{ from = 4, to = 12 }}
"seed" = {{ from = 1, to = 2 }}
[[target]]
scenario = "{sc}"
statistic = "survival"
year = 1
cause = "withdrawal"
value = 80
tolerance = 0.02
"#
        ),
    )
    .unwrap();
    let e = match load_calibration(&f) {
        Err(e) => e,
        Ok(_) => panic!("a bad file loaded"),
    };
    let d: Vec<(Option<usize>, String)> = e.diagnostics().iter().map(|d| (d.line, d.message.clone())).collect();
    assert_eq!(d.len(), 6, "{d:#?}");
    assert!(d[0].1.contains("did you mean `waves`?"), "{d:?}");
    assert!(d[1].1.contains("an open range: give the prior's range"), "{d:?}");
    assert!(d[2].1.contains("only number parameters can be calibrated"), "{d:?}");
    assert!(d[3].1.contains("says how to run"), "{d:?}");
    assert!(d[4].1.contains("`cause` applies to statistic = \"cause_share\""), "{d:?}");
    assert!(d[5].1.contains("write 80% as 0.8"), "{d:?}");
    assert_eq!(d.iter().map(|x| x.0.unwrap()).collect::<Vec<_>>(), vec![1, 3, 4, 5, 10, 11]);
}

#[test]
fn a_target_the_priors_cannot_meet_rules_out_every_point_and_the_report_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("impossible.toml");
    std::fs::write(
        &f,
        format!(
            r#"name = "cannot be met"
seed = 3
replicates = 20
waves = 3
points = 6
years = 2
[prior]
"leadership.new_leader_commitment" = {{ from = 0.5, to = 1.0 }}
[[target]]
name = "almost every run ends within a year"
scenario = "{}/scenarios/cs1-merged-it.toml"
statistic = "survival"
year = 1
interval = [0.0, 0.05]
tolerance = 0.01
"#,
            env!("CARGO_MANIFEST_DIR")
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = ok(&["calibrate", s(&f), "--out", s(&out)]);
    let said = text(&o.stdout);
    assert!(said.contains("accepted: 0 of 6 points"), "{said}");
    assert!(said.contains("stopped after wave 1"), "{said}");
    let waves = read_csv(&out.join("waves.csv"));
    assert_eq!(waves[1][..5], ["1", "almost every run ends within a year", "6", "6", "1.000000"]);
    assert_eq!(read_csv(&out.join("accepted.csv")).len(), 1, "only the header");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("<strong>No parameter set was accepted.</strong>"), "{report}");
    assert!(report.contains("The target that ruled out most sets: 'almost every run ends within a year' (6 of 6)"));
    assert!(report.contains("accepted.csv is empty, so there is no ensemble to run."));
    // One prior: no pairwise figure, and the manifest does not list one.
    assert!(!out.join("pairwise.svg").exists());
    let m = read_manifest(&out.join("manifest.json")).unwrap();
    assert!(!m.files.contains_key("pairwise.svg") && m.files.contains_key("marginal.svg"));
    // Its empty ensemble is refused with a reason.
    let e = bin()
        .args(["run", "scenarios/cs1-merged-it.toml", "--quiet", "--ensemble", s(&out.join("accepted.csv"))])
        .args(["--out", s(&tmp.path().join("run"))])
        .output()
        .unwrap();
    assert!(!e.status.success());
    assert!(text(&e.stderr).contains("no parameter sets: the calibration accepted none"), "{}", text(&e.stderr));
}

/// Replicate i of a run with `--ensemble` is replicate i of a plain run with set i mod n's
/// values as `--set` overrides (before the run's own, which win).
#[test]
fn an_ensemble_run_uses_set_i_mod_n_for_replicate_i() {
    let accepted = reference().join("accepted.csv");
    let ens = load_ensemble(&accepted).unwrap();
    let n = ens.len();
    assert!(n >= 2);
    let reps = (2 * n + 1).to_string();
    let tmp = tempfile::tempdir().unwrap();
    let common = ["--years", "2", "--seed", "4", "--replicates", &reps, "--quiet"];
    let run = |dir: &Path, extra: &[String]| {
        let mut args: Vec<String> = ["run", "scenarios/cs1-merged-it.toml"].map(String::from).to_vec();
        args.extend(common.map(String::from));
        args.extend(extra.iter().cloned());
        args.extend(["--out".to_string(), s(dir).to_string()]);
        ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        std::fs::read_to_string(dir.join("runs.csv")).unwrap().lines().map(String::from).collect::<Vec<_>>()
    };
    for own in [vec![], vec!["leadership.new_leader_commitment=0.9".to_string()]] {
        let sets: Vec<String> = own.iter().flat_map(|o| ["--set".to_string(), o.clone()]).collect();
        let mut with = sets.clone();
        with.extend(["--ensemble".to_string(), s(&accepted).to_string()]);
        let dir = tmp.path().join(format!("ensemble-{}", own.len()));
        let rows = run(&dir, &with);
        assert_eq!(rows.len(), 1 + 2 * n + 1);
        for k in 0..n {
            let mut plain: Vec<String> = ens.overrides(k).into_iter().flat_map(|o| ["--set".to_string(), o]).collect();
            plain.extend(sets.iter().cloned());
            let prow = run(&tmp.path().join(format!("plain-{}-{k}", own.len())), &plain);
            assert_eq!(rows[0], prow[0]);
            for i in (k..2 * n + 1).step_by(n) {
                assert_eq!(rows[1 + i], prow[1 + i], "replicate {i} should use set {k}");
            }
        }
        // summary.json, the manifest and the report say the run used an ensemble.
        let summary: Summary = read_json(&dir.join("summary.json"));
        let e = summary.ensemble.expect("summary.json names the ensemble");
        assert_eq!(
            (e.parameter_sets, e.parameters.clone(), e.sha256.clone()),
            (n, ens.params.clone(), ens.sha256.clone())
        );
        let m = read_manifest(&dir.join("manifest.json")).unwrap();
        assert!(matches!(&m.inputs, Inputs::Run(r) if r.ensemble.as_ref().is_some_and(|x| x.parameter_sets == n)));
        let report = std::fs::read_to_string(dir.join("report.html")).unwrap();
        assert!(report.contains(&format!("The replicates ran with an ensemble of {n} parameter sets")), "{report}");
    }
    // Without an ensemble, summary.json has no such field.
    let plain = std::fs::read_to_string(tmp.path().join("plain-0-0/summary.json")).unwrap();
    assert!(!plain.contains("\"ensemble\""));
    // compare and sweep take it too, on both arms and at every point.
    let cmp = tmp.path().join("compare");
    ok(&[
        "compare",
        "scenarios/cs1-merged-it.toml",
        "--variant",
        "collaboration.strategy_document=false",
        "--ensemble",
        s(&accepted),
        "--replicates",
        "10",
        "--years",
        "2",
        "--quiet",
        "--out",
        s(&cmp),
    ]);
    for arm in ["baseline", "variant"] {
        let summary: Summary = read_json(&cmp.join(arm).join("summary.json"));
        assert_eq!(summary.ensemble.map(|e| e.parameter_sets), Some(n), "{arm}");
    }
    let sweep = tmp.path().join("sweep");
    ok(&["sweep", "tests/fixtures/sweep-small.toml", "--ensemble", s(&accepted), "--quiet", "--out", s(&sweep)]);
    let plan = collabsim::app::sweep::read_plan(&sweep).unwrap();
    assert_eq!(plan.ensemble.as_ref().map(|e| e.len()), Some(n));
    assert!(std::fs::read_to_string(sweep.join("report.html")).unwrap().contains("ran with an ensemble of"));
}

#[test]
fn the_report_names_pinned_and_free_parameters_and_reproduce_checks_every_file() {
    let reference = reference();
    let report = std::fs::read_to_string(reference.join("report.html")).unwrap();
    assert!(report.starts_with("<!DOCTYPE html>") && report.trim_end().ends_with("</html>"));
    assert!(!report.contains("<script"), "a report has no script");
    // new_leader_commitment decides survival under a leader change; lead_decision_speedup
    // acts only through a savings ramp, which CS1 has not, so no target can pin it.
    assert!(report.contains("The targets pin down <code>leadership.new_leader_commitment</code>"), "{report}");
    assert!(report.contains("They leave <code>collaboration.lead_decision_speedup</code> free"), "{report}");
    for t in load_calibration(Path::new(FIXTURE)).unwrap().targets {
        assert!(report.contains(&t.name), "the report lists target {}", t.name);
    }
    let o = ok(&["reproduce", s(&reference.join("manifest.json"))]);
    assert!(text(&o.stdout).contains("all 10 files are byte-identical"), "{}", text(&o.stdout));
}

#[test]
fn shipped_calibrations_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("calibration");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        // behaviour.toml is check-model's file (tests/check_model.rs parses it).
        if p.file_name().is_some_and(|n| n == "behaviour.toml") {
            continue;
        }
        let plan = load_calibration(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(!plan.priors.is_empty() && !plan.targets.is_empty(), "{}", p.display());
        n += 1;
    }
    assert!(n >= 2, "cases.toml and cs1-leadership.toml at least");
}
