//! The command line end to end: `validate` on good and bad files, `run` and the files it
//! writes (columns, row counts, summary fields), overrides, and one-line errors.

use std::path::Path;

mod common;
use common::{bin, collabsim, text};

#[test]
fn every_shipped_scenario_validates() {
    for f in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")).unwrap() {
        let p = f.unwrap().path();
        let out = collabsim(&["validate", p.to_str().unwrap()]);
        assert!(out.status.success(), "{}: {}", p.display(), text(&out.stderr));
        assert!(text(&out.stdout).starts_with("ok: "));
    }
}

#[test]
fn run_writes_the_three_files_with_the_promised_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("cs1");
    let out = collabsim(&[
        "run",
        "scenarios/cs1-merged-it.toml",
        "--replicates",
        "25",
        "--years",
        "3",
        "--seed",
        "9",
        "--set",
        "collaboration.transparency=0.4",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("25 replicates over 3 years (seed 9)"), "{stdout}");

    let runs = std::fs::read_to_string(out_dir.join("runs.csv")).unwrap();
    let header = runs.lines().next().unwrap();
    assert!(header.starts_with(
        "replicate,seed,end_week,censored,end_cause,end_org,savings_gbp,active_staff_end,mean_trust_end,mean_motivation_end,mean_willingness_end"
    ));
    assert_eq!(runs.lines().count(), 26, "a header and one row per replicate");

    let ts = std::fs::read_to_string(out_dir.join("timeseries.csv")).unwrap();
    assert!(ts.starts_with("week,metric,org,mean,p05,p50,p95,n\n"));
    for metric in [
        "trust",
        "motivation",
        "willingness",
        "workload",
        "engagement",
        "active_staff",
        "norm_distance",
        "friction_events",
    ] {
        assert!(ts.contains(&format!(",{metric},")), "timeseries.csv lacks {metric}");
    }
    // Weeks 0..=156 for a 3-year horizon, per organization and for the unit.
    assert!(ts.contains("\n156,trust,all,"));
    assert!(ts.contains("\n0,engagement,PF2,"));
    assert!(!ts.contains("\n157,"));

    let s: collabsim::output::Summary =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!((s.seed, s.replicates, s.horizon_weeks), (9, 25, 156));
    assert_eq!(s.sha256.len(), 64);
    assert_eq!(s.crate_version, env!("CARGO_PKG_VERSION"));
    let transparency = s.parameters.pointer("/collaboration/transparency").and_then(|v| v.as_f64());
    assert_eq!(transparency, Some(0.4), "the override is in the resolved parameters");
    assert!(s.overrides.iter().any(|o| o == "collaboration.transparency=0.4"));
    let at = &s.survival.at_years;
    assert!(at.y1.is_some() && at.y2.is_some());
    // Beyond the 3-year horizon survival is unknown, not 1.
    assert!(at.y5.is_none() && at.y10.is_none());
    let c = &s.end_causes;
    let total = c.withdrawal + c.understaffed + c.censored;
    assert!((total - 1.0).abs() < 1e-6, "end-cause shares sum to {total}");
}

#[test]
fn the_default_output_folder_is_named_after_the_scenario() {
    // Run from a scratch folder holding a copy of the scenario, so nothing lands in the repo.
    let tmp = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/cs2-colocated-control.toml");
    std::fs::copy(&src, tmp.path().join("my-case.toml")).unwrap();
    let out = bin().current_dir(tmp.path()).args(["run", "my-case.toml", "-q", "-n", "3", "-y", "4"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "--quiet prints nothing");
    for f in ["runs.csv", "timeseries.csv", "summary.json"] {
        assert!(tmp.path().join("outputs/my-case").join(f).is_file(), "{f} missing");
    }
}

#[test]
fn validate_reports_every_problem_with_file_line_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("bad.toml");
    std::fs::write(
        &f,
        "name = \"bad\"\n\
         [collaboration]\n\
         transparency = 1.5\n\
         lead_partner = \"PF9\"\n\
         [organizations.A]\n\
         staff = 10\n\
         stafff = 3\n\
         [organizations.B]\n\
         staff = 0\n",
    )
    .unwrap();
    let out = collabsim(&["validate", f.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    let path = f.display().to_string();
    assert!(
        err.contains(&format!(
            "{path}:3:1: key `collaboration.transparency`: found 1.5, expected a number from 0 to 1"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("{path}:4:1: key `collaboration.lead_partner`: found \"PF9\"")), "{err}");
    assert!(
        err.contains(&format!(
            "{path}:7:1: key `organizations.A.stafff`: unknown key; did you mean `organizations.A.staff`?"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("{path}:9:1: key `organizations.B.staff`: found 0")), "{err}");
    assert!(err.contains("4 problems"), "{err}");
}

#[test]
fn overrides_are_validated_like_the_file() {
    let out = collabsim(&["validate", "scenarios/cs1-merged-it.toml", "--set", "collaboration.transparency=high"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("--set collaboration.transparency=high: key `collaboration.transparency`"), "{err}");

    let out = collabsim(&["run", "scenarios/cs1-merged-it.toml", "--replicates", "0", "-q", "--out", "/nonexistent/x"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--set replicates=0: key `replicates`: found 0"), "{}", text(&out.stderr));
}

#[test]
fn unreadable_inputs_give_one_line_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("binary.toml");
    std::fs::write(&bin, [0x66, 0x6f, 0xff, 0xfe, 0x0a]).unwrap();
    let cases: Vec<(String, &str)> = vec![
        ("no/such/file.toml".into(), "no such file"),
        (tmp.path().display().to_string(), "is a directory"),
        (bin.display().to_string(), "not valid UTF-8"),
    ];
    for (path, want) in cases {
        let out = collabsim(&["validate", &path]);
        assert!(!out.status.success());
        let err = text(&out.stderr);
        assert!(err.contains(want), "{path}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line for {path}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// `params` lists every declared parameter of a scenario, its value (marked where the file
/// sets it), default, range and meaning; `--markdown` is the ODD's table.
#[test]
fn params_lists_every_parameter_with_its_value_in_the_scenario() {
    use collabsim::scenario::catalog::groups;
    let file = "scenarios/cs2-colocated-control.toml";
    let out = collabsim(&["params", file]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    let sc = collabsim::scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(file), &[]).unwrap();
    let rows: Vec<_> = groups(Some(&sc)).into_iter().flat_map(|g| g.rows).collect();
    // Every parameter of the five sections' 70-odd, the three partners' and the savings item's.
    assert!(rows.len() > 120, "{}", rows.len());
    for r in &rows {
        let line = said.lines().find(|l| l.trim_start().starts_with(&format!("{} = ", r.path)));
        let line = line.unwrap_or_else(|| panic!("{} is not listed:\n{said}", r.path));
        assert!(line.contains(&format!("[default {}; {}", r.default, r.range)), "{line}");
        assert_eq!(line.contains(" * "), r.in_file, "{line}");
        assert!(said.contains(r.meaning), "{}: its meaning", r.path);
    }
    // A lever shows its declared plausible range beside the allowed values.
    assert!(
        said.contains("collaboration.transparency = 0.9 *   [default 0.5; 0 to 1; policy lever; plausible 0.2 to 1]"),
        "{said}"
    );
    assert!(said.contains("organizations.FRS1.benefit_share = 0.5 *"), "{said}");
    let md = text(&collabsim(&["params", "--markdown"]).stdout);
    assert!(md.contains("| `leadership.turnover_per_year` | leader changes per partner a year (Poisson) |"), "{md}");
}

/// `validate` says when a file sets a parameter that changes only what is reported.
#[test]
fn validate_notes_no_parameter_that_acts_on_the_model() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("s.toml");
    std::fs::write(
        &f,
        "[collaboration]\nlead_decision_speedup = 0.5\n[organizations.A]\nstaff = 3\n[organizations.B]\nstaff = 4\n",
    )
    .unwrap();
    let out = collabsim(&["validate", f.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Since Model 2.0 the lead's faster decisions act (through the savings ramp), so setting
    // them earns no 'changes only what is reported' note.
    let said = text(&out.stdout);
    assert!(said.starts_with("ok: ") && !said.contains("note:"), "{said}");
    let plain = text(&collabsim(&["validate", "scenarios/cs1-merged-it.toml"]).stdout);
    assert!(!plain.contains("note:"), "{plain}");
}

/// An imposed collaboration's terminal report and summary.json count the sponsor's
/// cancellations beside withdrawals; a chosen one's say nothing of a sponsor.
#[test]
fn run_reports_the_sponsors_cancellations_only_when_there_is_a_sponsor() {
    let tmp = tempfile::tempdir().unwrap();
    let go = |scenario: &str, out: &str| {
        let dir = tmp.path().join(out);
        let o = collabsim(&["run", scenario, "-n", "40", "-t", "1", "--out", dir.to_str().unwrap()]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let summary: collabsim::output::summary::Summary =
            serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
        (text(&o.stdout), summary)
    };
    let (said, s) = go("scenarios/imposed-national-firecontrol.toml", "imposed");
    let c = s.end_causes.cancelled.expect("an imposed collaboration reports its cancellations");
    assert!(
        c > 0.0 && (c + s.end_causes.withdrawal + s.end_causes.understaffed + s.end_causes.censored - 1.0).abs() < 1e-9,
        "{c}"
    );
    // Shares as people read them: whole percentages except near 0% and 100%.
    assert!(said.contains(&format!("cancelled by the sponsor {}", collabsim::output::report::pct(c))), "{said}");
    let (said, s) = go("scenarios/cs1-merged-it.toml", "cs1");
    assert_eq!(s.end_causes.cancelled, None);
    assert!(!said.contains("sponsor"), "{said}");
}
