//! `collabsim compare` end to end: the files it writes, common random numbers (a variant that
//! changes nothing gives identical arms, a zero difference and a warning), a real what-if
//! detected with its confidence interval and test, identical bytes at any thread count,
//! ladders (`--vary`), comparison.csv in long format read back, default folders named by
//! the variants and never silently replaced, labelled arms whose manifests say so and
//! reproduce alone, reproduce from a moved copy, the terminal in words, and clear errors.

use std::path::Path;
use std::process::Output;

use collabsim::app::arm::{FIGURE_FILES, RUN_FILES};
use collabsim::output::comparison::ComparisonRecord;

mod common;
use common::{bin, collabsim, ok, text};

fn read(path: &Path) -> ComparisonRecord {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

fn compare(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["compare", "scenarios/cs1-merged-it.toml", "--quiet", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = collabsim(&args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    o
}

#[test]
fn a_variant_that_changes_nothing_gives_identical_arms() {
    // CS1 already has transparency 0.95; the same value as a 'variant' must reproduce the
    // baseline replicate by replicate, because both arms use the same seeds.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("same");
    compare(&out, &["--replicates", "60", "--years", "3", "--variant", "collaboration.transparency=0.95"]);
    let base = std::fs::read(out.join("baseline/runs.csv")).unwrap();
    let var = std::fs::read(out.join("variant/runs.csv")).unwrap();
    assert_eq!(base, var, "common random numbers: the arms' runs.csv must be identical");
    let c = read(&out.join("comparison.json"));
    let v = &c.variants[0].versus_baseline;
    let d = v.rmst_difference_years.as_ref().unwrap();
    assert_eq!((d.estimate, d.se), (0.0, 0.0));
    assert!(v.parameter_differences.is_empty() && v.identical_to_baseline);
    assert!(c.common_random_numbers);
    // Item 12: a variant equal to the baseline does not run without a warning.
    assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
    assert!(c.warnings[0].contains("every parameter equal to the baseline's"), "{:?}", c.warnings);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<strong>Warning:</strong> the variant"), "the report shows the warning");
}

#[test]
fn a_variant_identical_to_the_baseline_is_warned_about_on_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("same");
    let o = collabsim(&[
        "compare",
        "scenarios/cs1-merged-it.toml",
        "-n",
        "20",
        "-y",
        "2",
        "--variant",
        "collaboration.transparency=0.95",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let e = text(&o.stderr);
    assert!(
        e.contains("warning: the variant 'collaboration.transparency=0.95' (variant/) has every parameter equal"),
        "{e}"
    );
}

#[test]
fn frequent_leader_changes_without_a_strategy_shorten_cs1_and_the_test_says_so() {
    // Paper: the strategy document carried CS1 through changes of chief officer; without it
    // and with a new leader every ~3 years, runs end (pattern 3). With 200 replicates over 6
    // years (seed 2010) the observed RMST difference is -0.87 years, SE 0.11, CI -1.09 to
    // -0.65, and log-rank p = 3e-16: a CI wholly below -0.3 years is 5 SE inside what we see,
    // and p < 1e-6 leaves ten orders of magnitude.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("what-if");
    compare(
        &out,
        &[
            "--replicates",
            "200",
            "--years",
            "6",
            "--variant",
            "leadership.turnover_per_year=0.33",
            "--variant",
            "collaboration.strategy_document=false",
        ],
    );
    let c = read(&out.join("comparison.json"));
    assert_eq!(c.variants.len(), 1);
    let v = &c.variants[0].versus_baseline;
    eprintln!("{:?}\n{:?}", v.rmst_difference_years, v.logrank);
    let d = v.rmst_difference_years.as_ref().unwrap();
    assert!(d.ci95[1] < -0.3, "the variant should shorten the mean lifetime: {d:?}");
    assert!(d.ci95[0] < d.estimate);
    let p = v.logrank.as_ref().unwrap().p_value;
    assert!(p < 1e-6, "log-rank p = {p}");
    let diffs: Vec<&str> = v.parameter_differences.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(diffs, ["leadership.turnover_per_year", "collaboration.strategy_document"]);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    // The withdrawals are attributed to a partner and, here, to a recent leader change.
    let after_change: usize =
        v.causes.iter().filter(|x| x.cause.ends_with("after a leader change")).map(|x| x.events[1]).sum();
    assert!(after_change > 0, "{:?}", v.causes);
    let arms = RUN_FILES.iter().flat_map(|f| [format!("baseline/{f}"), format!("variant/{f}")]);
    let top = ["comparison.json", "comparison.csv", "differences.svg", "differences.png"];
    for f in top.into_iter().chain(FIGURE_FILES).map(String::from).chain(arms) {
        assert!(out.join(&f).is_file(), "{f} is missing");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("simulated 200 times"), "headline in words");
    assert_eq!(html.matches("<svg").count(), 4, "four inline figures: survival, differences, incidence, state");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("<script"),
        "self-contained"
    );
    assert!(html.contains("collabsim compare scenarios/cs1-merged-it.toml"), "the command that reproduces it");
}

#[test]
fn comparison_files_are_identical_at_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let args = ["--replicates", "150", "--years", "4", "--variant", "collaboration.transparency=0.3"];
    let a = tmp.path().join("t1");
    let b = tmp.path().join("t2");
    compare(&a, &[&args[..], &["--threads", "1"]].concat());
    compare(&b, &[&args[..], &["--threads", "2"]].concat());
    for f in ["comparison.json", "comparison.csv", "survival.png", "state.svg", "differences.png", "variant/runs.csv"] {
        assert!(std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(), "{f} differs");
    }
    // The reports differ only in the --out of their reproduce line.
    let html = |d: &Path| std::fs::read_to_string(d.join("report.html")).unwrap().replace(s(d), "OUT");
    assert_eq!(html(&a), html(&b));
}

#[test]
fn two_scenario_files_can_be_compared_on_the_baselines_seeds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("files");
    compare(&out, &["--replicates", "40", "--years", "3", "--against", "scenarios/hr-no-shared-vision.toml"]);
    let c = read(&out.join("comparison.json"));
    assert_eq!(c.variants[0].arm.seed, c.baseline.seed);
    assert_eq!(c.variants[0].arm.replicates, 40);
    assert!(c.variants[0].versus_baseline.parameter_differences.iter().any(|d| d.key == "vision.defined"));
}

#[test]
fn compare_without_a_variant_or_with_a_bad_one_fails_with_one_line() {
    let o = collabsim(&["compare", "scenarios/cs1-merged-it.toml"]);
    assert!(!o.status.success());
    let e = text(&o.stderr);
    assert!(e.starts_with("error: nothing to compare"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    let o = collabsim(&["compare", "scenarios/cs1-merged-it.toml", "--variant", "collaboration.transparancy=0.3"]);
    assert!(!o.status.success());
    let e = text(&o.stderr);
    assert!(e.contains("did you mean `collaboration.transparency`"), "{e}");
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_ladder_runs_one_arm_per_value_on_the_baselines_seeds() {
    // CS1's own transparency is 0.95, so the ladder's second arm is the baseline again: its
    // runs.csv must equal the baseline's byte for byte (the same seeds, replicate by
    // replicate), and the comparison warns about it.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ladder");
    compare(
        &out,
        &[
            "-n",
            "40",
            "-y",
            "3",
            "--vary",
            "collaboration.transparency=0.3,0.95,0.6",
            "--variant",
            "project.overload=1.2",
        ],
    );
    let c = read(&out.join("comparison.json"));
    let ladder = c.ladder.as_ref().unwrap();
    assert_eq!(ladder.key, "collaboration.transparency");
    assert_eq!(ladder.values, ["0.3", "0.95", "0.6"]);
    assert_eq!(ladder.also, ["project.overload=1.2"]);
    assert_eq!(c.variants.len(), 3);
    for (i, v) in c.variants.iter().enumerate() {
        assert_eq!(v.arm.folder, format!("variant-{}", i + 1));
        assert_eq!(v.arm.label, format!("collaboration.transparency={}", ladder.values[i]));
        assert_eq!((v.arm.seed, v.arm.replicates), (c.baseline.seed, 40), "common random numbers");
        assert!(v.arm.overrides.contains(&"project.overload=1.2".to_string()), "--variant applies to every arm");
        for f in RUN_FILES {
            assert!(out.join(&v.arm.folder).join(f).is_file(), "{}/{f}", v.arm.folder);
        }
    }
    // With project.overload=1.2 in every variant, none is the baseline; without it the 0.95
    // arm would be. Run the same ladder without --variant to see the identical arm.
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let plain = tmp.path().join("plain");
    compare(&plain, &["-n", "40", "-y", "3", "--vary", "collaboration.transparency=0.3,0.95,0.6"]);
    let base = std::fs::read(plain.join("baseline/runs.csv")).unwrap();
    assert_eq!(std::fs::read(plain.join("variant-2/runs.csv")).unwrap(), base, "same seeds, same value: same runs");
    assert_ne!(std::fs::read(plain.join("variant-1/runs.csv")).unwrap(), base);
    let c = read(&plain.join("comparison.json"));
    assert!(c.variants[1].versus_baseline.identical_to_baseline);
    assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
    assert!(c.warnings[0].contains("'collaboration.transparency=0.95' (variant-2/)"), "{:?}", c.warnings);
    // One report with every arm: each label in the table, four figures.
    let html = std::fs::read_to_string(plain.join("report.html")).unwrap();
    for v in &c.variants {
        assert!(html.contains(&v.arm.label), "{} missing from the report", v.arm.label);
    }
    assert!(html.contains("What if collaboration.transparency were 0.3, 0.95, 0.6?"), "the question names the ladder");
    let survival = std::fs::read_to_string(plain.join("survival.svg")).unwrap();
    for v in &c.variants {
        assert!(survival.contains(&v.arm.label), "the survival chart has the arm {}", v.arm.label);
    }
    let differences = std::fs::read_to_string(plain.join("differences.svg")).unwrap();
    assert!(differences.contains("collaboration.transparency=0.6"), "the chart of differences names each arm");
}

#[test]
fn bad_ladders_are_refused_with_what_would_be_right() {
    let run = |extra: &[&str]| {
        let mut args = vec!["compare", "scenarios/cs1-merged-it.toml", "-n", "5", "-y", "1", "-q"];
        args.extend_from_slice(extra);
        let o = collabsim(&args);
        assert!(!o.status.success(), "{extra:?} should fail");
        text(&o.stderr)
    };
    let e = run(&["--vary", "leadership.turnover_per_year=0.1,lots,0.6"]);
    assert!(e.contains("--vary leadership.turnover_per_year: the value lots (arm 2 of 3) is not valid"), "{e}");
    let e = run(&["--vary", "leadership.turnover_per_yaer=0.1,0.3"]);
    assert!(e.contains("did you mean `leadership.turnover_per_year`"), "{e}");
    let e = run(&["--vary", "leadership.turnover_per_year="]);
    assert!(e.contains("no values"), "{e}");
    let e = run(&["--vary", "leadership.turnover_per_year=0.1", "--against", "scenarios/hr-no-shared-vision.toml"]);
    assert!(
        e.contains("--vary and --against cannot be combined") && e.contains("Make the other file the baseline"),
        "{e}"
    );
    let e = run(&["--vary", "seed=1,2"]);
    assert!(e.contains("a variant cannot change `seed`") && e.contains("common random numbers"), "{e}");
    let e = run(&["--vary", "collaboration.transparency=0.1,0.2", "--variant", "collaboration.transparency=0.5"]);
    assert!(e.contains("which --vary steps through"), "{e}");
}

#[test]
fn comparison_csv_is_long_with_one_meaning_per_column() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("csv");
    compare(&out, &["-n", "60", "-y", "6", "--variant", "leadership.turnover_per_year=0.33"]);
    let c = read(&out.join("comparison.json"));
    let mut r = csv::Reader::from_path(out.join("comparison.csv")).unwrap();
    assert_eq!(r.headers().unwrap(), vec!["arm", "label", "statistic", "cause", "value", "lower", "upper"]);
    let num = |x: &str| if x.is_empty() { None } else { Some(x.parse::<f64>().unwrap_or_else(|e| panic!("{x}: {e}"))) };
    let causes: Vec<&str> = c.variants[0].versus_baseline.causes.iter().map(|x| x.cause.as_str()).collect();
    let mut seen = std::collections::BTreeSet::new();
    for row in r.records() {
        let row = row.unwrap();
        let (arm, label, stat, cause) = (&row[0], &row[1], &row[2], &row[3]);
        let (value, lower, upper) = (num(&row[4]), num(&row[5]), num(&row[6]));
        seen.insert(stat.to_string());
        // arm: an arm's folder, or a contrast of a variant with the baseline; label: its name.
        match arm {
            "baseline" => assert_eq!(label, c.baseline.label),
            "variant" => assert_eq!(label, c.variants[0].arm.label),
            "variant vs baseline" => assert_eq!(label, format!("{} vs {}", c.variants[0].arm.label, c.baseline.label)),
            _ => panic!("arm column holds {arm}"),
        }
        // Contrasts only on contrast rows, per-arm statistics only on arm rows.
        let contrast = stat.contains("difference") || stat.starts_with("logrank") || stat == "rate_ratio";
        assert_eq!(contrast, arm.ends_with("vs baseline"), "{stat} on {arm}");
        // cause: set exactly for the per-cause statistics, and then one of the causes.
        let per_cause = [
            "events",
            "cumulative_incidence_at_horizon",
            "rate_per_year_at_risk",
            "rate_ratio",
            "cumulative_incidence_difference_at_horizon",
        ];
        assert_eq!(per_cause.contains(&stat), !cause.is_empty(), "{stat}: cause {cause:?}");
        assert!(cause.is_empty() || causes.contains(&cause), "{cause}");
        // lower and upper: both or neither, around the value.
        assert_eq!(lower.is_some(), upper.is_some(), "{stat}");
        if let (Some(v), Some(lo), Some(hi)) = (value, lower, upper) {
            assert!(lo <= v && v <= hi, "{arm} {stat}: {lo} <= {v} <= {hi}");
        }
        // value: what the statistic's name says.
        match stat {
            "replicates" => assert_eq!(row[4].to_string(), "60", "a count is a whole number"),
            "logrank_p_value" => assert!((0.0..=1.0).contains(&value.unwrap())),
            s if s.starts_with("survival_at_") => {
                let year = s.trim_start_matches("survival_at_").trim_end_matches("_years");
                let rec = if arm == "baseline" { &c.baseline } else { &c.variants[0].arm };
                assert_eq!(value, Some(rec.survival_at_years[year]), "{arm} {s}");
            }
            "rmst_difference_years" => {
                let d = c.variants[0].versus_baseline.rmst_difference_years.as_ref().unwrap();
                assert_eq!((value, lower, upper), (Some(d.estimate), Some(d.ci95[0]), Some(d.ci95[1])));
            }
            "rmst_years" => assert!(upper.unwrap() <= 6.0 + 1e-9, "an interval within the horizon"),
            _ => {}
        }
    }
    for want in [
        "rmst_years",
        "median_years",
        "survival_at_5_years",
        "rmst_difference_years",
        "logrank_chi_square_1df",
        "logrank_p_value",
        "rate_ratio",
    ] {
        assert!(seen.contains(want), "{want} missing: {seen:?}");
    }
}

#[test]
fn default_folders_are_named_by_the_variant_and_never_silently_replaced() {
    // Run from an empty folder, so that the default outputs/ folder is the test's own.
    let tmp = tempfile::tempdir().unwrap();
    let scen = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/cs1-merged-it.toml");
    let run = |extra: &[&str]| {
        let mut args = vec!["compare", s(&scen), "-y", "1", "-q"];
        args.extend_from_slice(extra);
        if !extra.contains(&"-n") {
            args.extend(["-n", "10"]);
        }
        bin().current_dir(tmp.path()).args(&args).output().unwrap()
    };
    let a = run(&["--variant", "leadership.turnover_per_year=0.33"]);
    assert!(a.status.success(), "{}", text(&a.stderr));
    let b = run(&["--set", "project.overload=1.5", "--variant", "leadership.turnover_per_year=0.6"]);
    assert!(b.status.success(), "{}", text(&b.stderr));
    let l = run(&["--vary", "collaboration.transparency=0.3,0.6"]);
    assert!(l.status.success(), "{}", text(&l.stderr));
    let mut dirs: Vec<String> = std::fs::read_dir(tmp.path().join("outputs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    dirs.sort();
    assert_eq!(
        dirs,
        [
            "cs1-merged-it-ladder-transparency-0.3-0.6",
            "cs1-merged-it-what-if-turnover_per_year-0.33",
            "cs1-merged-it-with-overload-1.5-what-if-turnover_per_year-0.6",
        ]
    );
    // The same comparison again: refused, naming the folder and the flag, files untouched.
    let folder = tmp.path().join("outputs/cs1-merged-it-what-if-turnover_per_year-0.33");
    let before = std::fs::read(folder.join("manifest.json")).unwrap();
    let again = run(&["--variant", "leadership.turnover_per_year=0.33", "-n", "12"]);
    assert!(!again.status.success());
    let e = text(&again.stderr);
    assert!(
        e.contains("outputs/cs1-merged-it-what-if-turnover_per_year-0.33 already holds files") && e.contains("--force"),
        "{e}"
    );
    assert_eq!(std::fs::read(folder.join("manifest.json")).unwrap(), before);
    // With --force it replaces the result whole.
    let forced = run(&["--variant", "leadership.turnover_per_year=0.33", "-n", "12", "--force"]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert_eq!(read(&folder.join("comparison.json")).replicates, 12);
    // An explicit --out that holds files is refused too.
    let o = run(&["--variant", "leadership.turnover_per_year=0.1", "--out", s(&folder)]);
    assert!(!o.status.success() && text(&o.stderr).contains("--force"));
}

#[test]
fn the_reports_reproduce_line_includes_the_out_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("where it went");
    compare(&out, &["-n", "10", "-y", "1", "--variant", "leadership.turnover_per_year=0.33"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let want = format!(
        "collabsim compare scenarios/cs1-merged-it.toml --set replicates=10 --set years=1 --variant leadership.turnover_per_year=0.33 --out &#39;{}&#39;",
        s(&out)
    );
    assert!(html.contains(&want), "{want}\n{html}");
}

#[test]
fn every_arm_says_which_arm_it_is_and_reproduces_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("arms");
    compare(
        &out,
        &[
            "-n",
            "30",
            "-y",
            "3",
            "--set",
            "leadership.turnover_per_year=0.33",
            "--vary",
            "collaboration.transparency=0.3,0.6",
        ],
    );
    let c = read(&out.join("comparison.json"));
    // Item 3: the baseline label shows the shared --set.
    assert_eq!(
        c.baseline.label,
        "CS1: merged IT department of two police forces with years=3, leadership.turnover_per_year=0.33"
    );
    for (folder, role, label) in [
        (
            "baseline",
            "baseline",
            "baseline: CS1: merged IT department of two police forces with years=3, leadership.turnover_per_year=0.33",
        ),
        (
            "variant-2",
            "variant",
            "variant 2 of 2: CS1: merged IT department of two police forces with years=3, leadership.turnover_per_year=0.33, collaboration.transparency=0.6",
        ),
    ] {
        let m = collabsim::app::manifest::read_manifest(&out.join(folder).join("manifest.json")).unwrap();
        let arm = m.arm_of.as_ref().unwrap_or_else(|| panic!("{folder}: no arm_of"));
        assert_eq!((arm.role.as_str(), arm.folder.as_str(), arm.label.as_str()), (role, folder, label));
        assert_eq!(arm.comparison_manifest, "../manifest.json");
        assert!(out.join(folder).join(&arm.comparison_manifest).is_file());
        // The arm's own figures carry its label, not the plain scenario title.
        let svg = std::fs::read_to_string(out.join(folder).join("survival.svg")).unwrap();
        assert!(svg.contains(&label[..label.find(':').unwrap() + 1]), "{folder}: {label}");
    }
    // Item 20: reproduce of an arm's manifest re-runs that arm alone and finds it identical.
    let o = ok(&["reproduce", s(&out.join("variant-2/manifest.json"))]);
    let said = text(&o.stdout);
    assert!(said.contains("re-running that arm alone"), "{said}");
    assert!(said.contains("all 10 files are byte-identical"), "{said}");
    assert!(!said.contains("variant-1"), "only the arm asked for: {said}");
}

#[test]
fn an_old_arm_manifest_points_to_its_comparison() {
    // Arms written before manifests said which arm they are record the whole compare
    // command: reproduce refuses and names the comparison's manifest.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("old");
    compare(&out, &["-n", "10", "-y", "1", "--variant", "leadership.turnover_per_year=0.33"]);
    let path = out.join("variant/manifest.json");
    let mut m = collabsim::app::manifest::read_manifest(&path).unwrap();
    m.arm_of = None;
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let o = collabsim(&["reproduce", s(&path)]);
    assert!(!o.status.success());
    let e = text(&o.stderr);
    assert!(
        e.contains("is one arm of a comparison")
            && e.contains(&format!("collabsim reproduce {}", s(&out.join("manifest.json")))),
        "{e}"
    );
}

#[test]
fn reproduce_runs_in_the_checkout_that_holds_the_manifest() {
    // A checkout with a scenario and a result, copied elsewhere; then the original's
    // scenario changes. The copy must re-run against its own scenario (identical), not in
    // the recorded folder, which still exists but now holds another scenario.
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("checkout-a"), tmp.path().join("elsewhere/checkout-b"));
    std::fs::create_dir_all(a.join("scenarios")).unwrap();
    let scen =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/cs2-colocated-control.toml"))
            .unwrap();
    std::fs::write(a.join("scenarios/s.toml"), &scen).unwrap();
    let o = bin()
        .current_dir(&a)
        .args(["run", "scenarios/s.toml", "-n", "10", "-y", "1", "-q", "--out", "outputs/r"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    std::fs::create_dir_all(b.join("outputs")).unwrap();
    std::fs::create_dir_all(b.join("scenarios")).unwrap();
    std::fs::copy(a.join("scenarios/s.toml"), b.join("scenarios/s.toml")).unwrap();
    std::fs::create_dir_all(b.join("outputs/r")).unwrap();
    for e in std::fs::read_dir(a.join("outputs/r")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), b.join("outputs/r").join(e.file_name())).unwrap();
    }
    std::fs::write(a.join("scenarios/s.toml"), scen.replace("seed = ", "seed = 1")).unwrap();
    // From a third folder, as a reader of the copy would.
    let o = bin().current_dir(tmp.path()).args(["reproduce", s(&b.join("outputs/r/manifest.json"))]).output().unwrap();
    let said = text(&o.stdout);
    assert!(o.status.success(), "{said}\n{}", text(&o.stderr));
    assert!(said.contains(&format!("re-running in {}", s(&b.canonicalize().unwrap()))), "{said}");
    assert!(said.contains("all 10 files are byte-identical"), "{said}");
    // The original, whose scenario changed, is found to differ, and says why.
    let o = bin().current_dir(tmp.path()).args(["reproduce", s(&a.join("outputs/r/manifest.json"))]).output().unwrap();
    assert!(!o.status.success());
    assert!(text(&o.stdout).contains("not with the recorded SHA-256"), "{}", text(&o.stdout));
    // Moved away entirely (the recorded folder gone): still found from the manifest.
    std::fs::rename(&a, tmp.path().join("gone")).unwrap();
    let o = bin().current_dir(tmp.path()).args(["reproduce", s(&b.join("outputs/r/manifest.json"))]).output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn the_terminal_leads_with_sentences_and_puts_the_statistics_below() {
    let o = ok(&[
        "compare",
        "scenarios/cs1-merged-it.toml",
        "-n",
        "100",
        "-y",
        "6",
        "--variant",
        "leadership.turnover_per_year=0.33",
        "--variant",
        "collaboration.strategy_document=false",
        "--out",
        s(&tempfile::tempdir().unwrap().path().join("t")),
    ]);
    let said = text(&o.stdout);
    let lines: Vec<&str> = said.lines().collect();
    assert!(lines[1].starts_with("  Baseline, CS1: merged IT department of two police forces with years=6:"), "{said}");
    assert!(
        lines[1].contains("Still running: ")
            && lines[1].contains("after 1 year,")
            && lines[1].contains("after 5 years."),
        "{said}"
    );
    assert!(lines[1].contains("It most often ended because PF"), "the partner that most often ends it: {said}");
    assert!(lines[1].contains("It saved £") && !said.contains("GBP"), "{said}");
    let i = lines.iter().position(|l| l.contains("a collaboration lasts on average")).expect(&said);
    assert!(lines[i].contains("years less than in the baseline") && lines[i].contains("(95% interval: "), "{said}");
    assert!(
        lines[i + 1].trim_start().starts_with("statistics: ") && lines[i + 1].contains("log-rank test: chi-square"),
        "{said}"
    );
    // Strong effect: p is written as people write it, never in e-notation.
    assert!(lines[i + 1].contains("p < 0.0001") && !said.contains("e-"), "{said}");
}
