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

/// The rows of a CSV file as string fields (no number parsing), header first.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_path(path).unwrap();
    r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect()
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {:?}", rows[0]))
}

#[test]
fn when_almost_every_run_survives_rmst_intervals_stay_below_the_horizon_and_the_report_claims_no_winner() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("survive");
    ok(&["sweep", "tests/fixtures/sweep-survive.toml", "--quiet", "--out", s(&out)]);
    let rows = csv_rows(&out.join("sweep.csv"));
    let (mean, lo, hi) = (column(&rows, "rmst_years"), column(&rows, "rmst_lo"), column(&rows, "rmst_hi"));
    let beyond = column(&rows, "median_beyond_horizon");
    let median = column(&rows, "median_years");
    let mut touched = false;
    for r in &rows[1..] {
        let (m, l, h): (f64, f64, f64) = (r[mean].parse().unwrap(), r[lo].parse().unwrap(), r[hi].parse().unwrap());
        // The horizon is 10 years: an RMST interval cannot leave [0, 10].
        assert!((0.0..=10.0).contains(&l) && l <= m && m <= h && h <= 10.0, "{r:?}");
        touched |= h == 10.0;
        // More than half survive 10 years here: the median is empty and flagged, not 10.
        assert_eq!(r[beyond], "true", "{r:?}");
        assert_eq!(r[median], "", "{r:?}");
    }
    assert!(touched, "at least one point's unbounded interval would pass the horizon (the case item 5 is about)");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!report.contains("not chance"), "no claim the intervals do not support");
    assert!(
        report.contains("cannot tell the points apart, and no point is best"),
        "overlapping intervals are said to be ties"
    );
    assert!(report.contains("the median lies beyond the horizon"), "the undefined median is explained");
}

#[test]
fn sweep_tables_have_a_long_form_exact_seeds_and_an_anchored_heatmap_scale() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("small");
    ok(&["sweep", "tests/fixtures/sweep-small.toml", "--quiet", "--runs", "--out", s(&out)]);
    // Long form: one row per point and result column, the partner in its own column.
    let wide = csv_rows(&out.join("sweep.csv"));
    let long = csv_rows(&out.join("sweep-long.csv"));
    assert_eq!(long[0], ["point", "statistic", "partner", "value"]);
    let keys = 3; // point and the two varied parameters
    assert_eq!(long.len() - 1, (wide.len() - 1) * (wide[0].len() - keys));
    let names: std::collections::BTreeSet<&str> = long[1..].iter().map(|r| r[1].as_str()).collect();
    assert!(names.iter().all(|n| !n.contains("PF")), "no partner inside a statistic's name: {names:?}");
    let pf2_leader: Vec<&Vec<String>> =
        long.iter().filter(|r| r[0] == "4" && r[1] == "share_withdrew_after_leader_change" && r[2] == "PF2").collect();
    let wide_col = column(&wide, "share_PF2_withdrew_after_a_leader_change");
    assert_eq!(pf2_leader.len(), 1);
    assert_eq!(pf2_leader[0][3], wide[5][wide_col], "the long row holds the wide cell of point 4");
    // Seeds: the decimal u64 plus two 32-bit halves, each exact as a double (< 2^53), so R's
    // read.csv and pandas read them exactly; read as strings they give the seed back.
    let runs = csv_rows(&out.join("runs.csv"));
    let (seed, hi, lo) = (column(&runs, "seed"), column(&runs, "seed_hi"), column(&runs, "seed_lo"));
    assert_eq!((seed, hi, lo), (2, 3, 4), "the halves follow the seed");
    let mut big = false;
    for r in &runs[1..] {
        let full: u64 = r[seed].parse().unwrap();
        let (h, l): (u64, u64) = (r[hi].parse().unwrap(), r[lo].parse().unwrap());
        assert!(h < 1 << 32 && l < 1 << 32);
        assert_eq!((h << 32) | l, full, "{r:?}");
        assert_eq!(r[hi].parse::<f64>().unwrap() as u64, h, "exact as a double");
        assert_eq!(r[lo].parse::<f64>().unwrap() as u64, l, "exact as a double");
        big |= full > 1 << 53;
    }
    assert!(big, "some seed is above 2^53, where a double would round it");
    // The heatmap's colour scale runs from 0 to the 3-year horizon, its ends labelled.
    let svg = std::fs::read_to_string(out.join("heatmap.svg")).unwrap();
    for tick in ["0", "0.75", "1.5", "2.25", "3"] {
        assert!(svg.contains(&format!(">\n{tick}\n</text>")), "colour-bar tick {tick}");
    }
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("The colour scale runs from 0 to 3"), "the span is printed in the caption");
}

#[test]
fn sobol_rows_name_their_sample_matrix() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("sobol.toml");
    std::fs::write(
        &f,
        format!(
            "scenario = \"{}/scenarios/cs1-merged-it.toml\"\nreplicates = 3\nyears = 1\n[design]\nkind = \"sobol\"\nsamples = 8\nbootstrap = 20\n[vary]\n\"collaboration.transparency\" = {{ from = 0.3, to = 0.9 }}\n\"leadership.turnover_per_year\" = {{ from = 0.1, to = 1.0 }}\n",
            env!("CARGO_MANIFEST_DIR")
        ),
    )
    .unwrap();
    let out = tmp.path().join("o");
    ok(&["sweep", s(&f), "--quiet", "--out", s(&out)]);
    let rows = csv_rows(&out.join("sweep.csv"));
    assert_eq!(&rows[0][..3], ["point", "sobol_matrix", "sobol_row"]);
    let got: Vec<(String, String)> = rows[1..].iter().map(|r| (r[1].clone(), r[2].clone())).collect();
    let want: Vec<(String, String)> =
        ["A", "B", "AB_1", "AB_2"].iter().flat_map(|m| (0..8).map(move |r| (m.to_string(), r.to_string()))).collect();
    assert_eq!(got, want, "n = 8 rows of A, B, then AB_i (A with parameter i from B)");
    // Row 2 of AB_1 takes parameter 1 from row 2 of B and the other from row 2 of A.
    let p = |i: usize, k: usize| rows[1 + i][3 + k].clone();
    assert_eq!((p(16 + 2, 0), p(16 + 2, 1)), (p(8 + 2, 0), p(2, 1)));
}

#[test]
fn per_replicate_series_are_identical_at_one_and_two_threads_and_streamed_in_replicate_order() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for t in ["1", "2"] {
        let run = tmp.path().join(format!("run{t}"));
        let sweep = tmp.path().join(format!("sweep{t}"));
        ok(&[
            "run",
            "scenarios/cs1-merged-it.toml",
            "-n",
            "20",
            "--years",
            "2",
            "--series-per-replicate",
            "--quiet",
            "--threads",
            t,
            "--out",
            s(&run),
        ]);
        ok(&[
            "sweep",
            "tests/fixtures/sweep-small.toml",
            "--series",
            "--series-per-replicate",
            "--quiet",
            "--threads",
            t,
            "--out",
            s(&sweep),
        ]);
        files.push((run, sweep));
    }
    let read = |p: PathBuf| std::fs::read(p).unwrap();
    let (a, b) = (&files[0], &files[1]);
    assert!(read(a.0.join("replicate-series.csv")) == read(b.0.join("replicate-series.csv")));
    for f in ["series.csv", "replicate-series.csv"] {
        assert!(read(a.1.join(f)) == read(b.1.join(f)), "{f} differs between 1 and 2 threads");
    }
    // The run's rows: replicates in order, each from week 0 to its end week (runs.csv).
    let rows = csv_rows(&a.0.join("replicate-series.csv"));
    assert_eq!(rows[0], ["replicate", "week", "metric", "org", "value"]);
    let runs = csv_rows(&a.0.join("runs.csv"));
    let mut last_week: BTreeMap<u64, u32> = BTreeMap::new();
    let mut order = Vec::new();
    for r in &rows[1..] {
        let rep: u64 = r[0].parse().unwrap();
        if order.last() != Some(&rep) {
            order.push(rep);
        }
        last_week.insert(rep, r[1].parse().unwrap());
    }
    assert_eq!(order, (0..20).collect::<Vec<u64>>(), "each replicate once, in order");
    for r in &runs[1..] {
        let rep: u64 = r[0].parse().unwrap();
        assert_eq!(last_week[&rep].to_string(), r[2], "replicate {rep} runs to its end week");
    }
    // The sweep's rows carry the point, in point order.
    let sweep_rows = csv_rows(&a.1.join("replicate-series.csv"));
    assert_eq!(sweep_rows[0], ["point", "replicate", "week", "metric", "org", "value"]);
    let points: Vec<&str> = sweep_rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert!(points.windows(2).all(|w| w[0].parse::<u32>().unwrap() <= w[1].parse::<u32>().unwrap()));
    let series = csv_rows(&a.1.join("series.csv"));
    assert_eq!(series[0], ["point", "week", "metric", "org", "mean", "p05", "p50", "p95", "n"]);
    assert_eq!(series[1][8], "30", "week 0 of point 0 has all 30 runs going");
}

#[test]
fn the_batch_hands_each_replicates_series_over_in_order_one_chunk_at_a_time() {
    use collabsim::engine::{BatchConfig, SeriesCatalog, run_batch_series};
    let sc = collabsim::scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/cs1-merged-it.toml"),
        &["years=1".to_string()],
    )
    .unwrap();
    let p = &sc.spec.params;
    let catalog = SeriesCatalog::new(p.org_names.clone());
    // 300 replicates: more than one chunk of 128, so the hand-over spans chunks.
    let mut seen = Vec::new();
    let report = run_batch_series(
        std::slice::from_ref(p),
        &catalog,
        BatchConfig::new(9, 300),
        None,
        true,
        &|| {},
        |o, values| {
            assert_eq!(values.len(), (o.end_week as usize + 1) * catalog.len(), "one replicate's weeks");
            seen.push(o.replicate);
        },
    );
    assert!(report.failures.is_empty());
    assert_eq!(seen, (0..300).collect::<Vec<u64>>());
}
