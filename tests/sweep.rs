//! `collabsim sweep` and `collabsim merge` end to end: the files and their columns, identical
//! bytes at any thread count, after an interruption and `--resume` (a real kill), and for
//! shards merged (N = 1, 2, 3); the shipped experiments validate; bad experiments get errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

mod common;
use common::{bin, ok};

/// Every result file of a sweep folder (not manifest.json, which records the command, nor
/// the checkpoint folder), by name.
fn results(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_file() && name != "manifest.json" && name != "report.png" {
            m.insert(name, std::fs::read(&p).unwrap());
        }
    }
    m
}

fn assert_same(a: &Path, b: &Path) {
    let (x, y) = (results(a), results(b));
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>(), "{} vs {}", a.display(), b.display());
    for (k, v) in &x {
        assert!(v == &y[k], "{k} differs between {} and {}", a.display(), b.display());
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_grid_sweep_writes_one_row_per_point_and_the_same_bytes_on_one_or_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("t1"), tmp.path().join("t2"));
    ok(&["sweep", "tests/fixtures/sweep-small.toml", "--quiet", "--runs", "--threads", "1", "--out", s(&a)]);
    ok(&["sweep", "tests/fixtures/sweep-small.toml", "--quiet", "--runs", "--threads", "2", "--out", s(&b)]);
    assert_same(&a, &b);
    let csv = std::fs::read_to_string(a.join("sweep.csv")).unwrap();
    let mut lines = csv.lines();
    let head = lines.next().unwrap();
    assert!(head.starts_with("point,leadership.turnover_per_year,collaboration.transparency,replicates,ended,survival_1y,survival_2y,survival_5y,survival_10y,median_years,median_lo,median_hi,median_beyond_horizon,rmst_years,rmst_lo,rmst_hi,"), "{head}");
    assert!(head.ends_with(",share_running,mean_savings_gbp"), "{head}");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 6, "3 x 2 grid");
    assert!(rows[0].starts_with("0,0.2,0.3,30,"), "first parameter slowest: {}", rows[0]);
    assert!(rows[1].starts_with("1,0.2,0.9,30,"), "{}", rows[1]);
    assert!(rows[5].starts_with("5,1,0.9,30,"), "{}", rows[5]);
    // runs.csv: a header and 30 rows per point, with the point first.
    let runs = std::fs::read_to_string(a.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 6 * 30);
    assert!(runs.starts_with("point,replicate,seed,"));
    // Common random numbers: replicate i has the same seed at every point.
    let seeds: Vec<Vec<&str>> = (0..6)
        .map(|p| {
            runs.lines()
                .skip(1)
                .filter(|l| l.starts_with(&format!("{p},")))
                .map(|l| l.split(',').nth(2).unwrap())
                .collect()
        })
        .collect();
    assert!(seeds.iter().all(|v| v == &seeds[0]));
    for f in ["report.html", "heatmap.svg", "heatmap.png", "response.svg", "survival_by_level.png", "plan.json"] {
        assert!(a.join(f).is_file(), "{f}");
    }
    let manifest = collabsim::app::manifest::read_manifest(&a.join("manifest.json")).unwrap();
    assert_eq!(manifest.files["sweep.csv"].len(), 64, "SHA-256 of each file");
}

#[test]
fn shards_merged_give_the_bytes_of_the_unsharded_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("full");
    ok(&["sweep", "tests/fixtures/sweep-small.toml", "--quiet", "--out", s(&full)]);
    for n in 1..=3 {
        let mut dirs = Vec::new();
        for k in 1..=n {
            let d = tmp.path().join(format!("n{n}-shard{k}"));
            ok(&[
                "sweep",
                "tests/fixtures/sweep-small.toml",
                "--quiet",
                "--shard",
                &format!("{k}/{n}"),
                "--out",
                s(&d),
            ]);
            assert!(!d.join("sweep.csv").exists(), "a shard writes only its partial result");
            dirs.push(d);
        }
        let merged = tmp.path().join(format!("merged-{n}"));
        let mut args = vec!["merge".to_string()];
        args.extend(dirs.iter().map(|d| s(d).to_string()));
        args.extend(["--quiet".into(), "--out".into(), s(&merged).into()]);
        ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_same(&full, &merged);
    }
    // A merge with a shard missing says which points are missing.
    let lone = tmp.path().join("n3-shard1");
    let o = bin().args(["merge", s(&lone), "--out", s(&tmp.path().join("bad"))]).output().unwrap();
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("4 of 6 design points have no result yet"), "{e}");
}

#[test]
fn a_killed_sweep_resumes_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (full, cut) = (tmp.path().join("full"), tmp.path().join("cut"));
    ok(&["sweep", "tests/fixtures/sweep-resume.toml", "--quiet", "--runs", "--out", s(&full)]);
    // Start the same sweep, wait until some but not all points are recorded, kill it hard.
    let mut child = bin()
        .args(["sweep", "tests/fixtures/sweep-resume.toml", "--quiet", "--runs", "--out", s(&cut)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let points = cut.join("points");
    let recorded = |d: &PathBuf| {
        std::fs::read_dir(d)
            .map_or(0, |r| r.filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "json")).count())
    };
    let start = Instant::now();
    while recorded(&points) < 2 && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = recorded(&points);
    assert!((2..12).contains(&before), "the kill should land mid-sweep: {before} of 12 points recorded");
    assert!(!cut.join("sweep.csv").exists(), "no final file before the sweep finished");
    // Nothing half-written is visible under a final name.
    for e in std::fs::read_dir(&points).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(name.starts_with('p') || name.starts_with(".collabsim-"), "unexpected {name}");
    }
    let o = ok(&["sweep", "tests/fixtures/sweep-resume.toml", "--resume", "--runs", "--out", s(&cut)]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains(&format!("({} run now, {before} recorded before)", 12 - before)), "{said}");
    assert_same(&full, &cut);
}

#[test]
fn shipped_experiments_expand_and_bad_ones_are_explained() {
    // Each shipped experiment loads and expands (a sweep with a bad key fails before running).
    for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("experiments")).unwrap() {
        let p = e.unwrap().path();
        let e = collabsim::scenario::experiment::load_experiment(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let plan = collabsim::app::sweep::plan(&e, false);
        assert_eq!(plan.points.len() as f64, e.point_count(), "{}", p.display());
        assert!(plan.points.len() >= 9, "{}: {} points", p.display(), plan.points.len());
    }
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[design]\nkind = \"gird\"\n[vary]\n\"collaboration.transparency\" = [0.1]\n",
            "bad.toml:3:1: key `design.kind`: found \"gird\", expected one of grid, lhs, morris, sobol",
        ),
        ("[vary]\n\"collaboration.transparancy\" = [0.1, 0.2]\n", "did you mean `collaboration.transparency`"),
        (
            "[vary]\n\"collaboration.transparency\" = [0.1, 1.5]\n",
            "collaboration.transparency = 1.5: found 1.5, expected a number from 0 to 1",
        ),
        (
            "[design]\nkind = \"lhs\"\n[vary]\n\"collaboration.transparency\" = [0.1, 0.2]\n",
            "a lhs design samples ranges",
        ),
        ("[vary]\n\"collaboration.transparency\" = { from = 0.1, to = 0.5 }\n", "a grid range needs `steps`"),
        (
            "[design]\nkind = \"sobol\"\n[vary]\n\"collaboration.transparency\" = { from = 0.1, to = 0.5 }\n",
            "at least two varied parameters",
        ),
        ("[design]\noutput = \"survival\"\n[vary]\n\"collaboration.transparency\" = [0.1]\n", "needs `year`"),
        ("", "nothing to vary"),
    ];
    for (body, want) in cases {
        let f = tmp.path().join("bad.toml");
        std::fs::write(
            &f,
            format!("scenario = \"{}/scenarios/cs1-merged-it.toml\"\n{body}", env!("CARGO_MANIFEST_DIR")),
        )
        .unwrap();
        let o = bin().args(["sweep", s(&f), "--quiet", "--out", s(&tmp.path().join("o"))]).output().unwrap();
        assert!(!o.status.success(), "{body}");
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.contains(want), "{body}\n-> {e}");
        assert!(!e.contains("panicked"), "{e}");
    }
}
