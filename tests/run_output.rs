//! What `run` shows a reader: the terminal report in plain sentences first (items 12 and
//! 21), progress lines in a log when standard error is not a terminal (item 17),
//! summary.json with the values the model used rather than nulls (item 15), and the
//! report's order, terms, cause meanings and assumptions (items 13 and 14), with a
//! comparison arm's report and figures naming the arm (item 3).

mod common;
use common::{collabsim, ok, text};

fn read(p: &std::path::Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn the_terminal_report_leads_with_plain_sentences_and_the_statistics_follow() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hr");
    let o = ok(&["run", "scenarios/hr-no-shared-vision.toml", "-n", "60", "-y", "6", "--out", out.to_str().unwrap()]);
    let stdout = text(&o.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].contains("60 simulated futures over 6 years"), "{stdout}");
    assert!(lines[1].contains("Typical lifetime"), "the median comes first: {stdout}");
    // Survival at the years that matter, in order, and only those within the horizon.
    let shape = lines.iter().find(|l| l.contains("Still running:")).expect("a survival line");
    let (a, b, c) = (
        shape.find("after 1 year").unwrap(),
        shape.find("after 2 years").unwrap(),
        shape.find("after 5 years").unwrap(),
    );
    assert!(a < b && b < c, "{shape}");
    assert!(!shape.contains("after 10 years"), "10 years is beyond a 6-year horizon: {shape}");
    // Who pulls out and why, with what the label means.
    assert!(stdout.contains("Most often it ends because "), "{stdout}");
    assert!(stdout.contains("pulled out at a review"), "{stdout}");
    assert!(stdout.contains("The partner that pulls out most often: "), "{stdout}");
    // Money for people, statistics one line below the sentences.
    assert!(stdout.contains("Savings: £"), "{stdout}");
    assert!(!stdout.contains("GBP"), "{stdout}");
    let stats = lines.iter().position(|l| l.trim_start().starts_with("Statistics:")).expect("a statistics line");
    let said = lines.iter().position(|l| l.contains("Typical lifetime")).unwrap();
    assert!(said < stats, "{stdout}");
    assert!(!stdout.contains("e-") && !stdout.contains("e0"), "no scientific notation: {stdout}");
}

#[test]
fn one_replicate_re_run_alone_is_called_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r5");
    let o = ok(&["run", "scenarios/cs1-merged-it.toml", "--replicate", "5", "-y", "2", "--out", out.to_str().unwrap()]);
    let stdout = text(&o.stdout);
    assert!(stdout.contains("replicate 5 alone"), "{stdout}");
    assert!(!stdout.contains("1 replicates"), "{stdout}");
    let html = read(&out.join("report.html"));
    assert!(html.contains("replicate 5 alone") && !html.contains("1 replicates"));
}

#[test]
fn a_log_that_is_not_a_terminal_gets_progress_lines_and_quiet_gets_none() {
    // `output()` pipes standard error, as nohup or Slurm would redirect it to a file.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("p");
    let o = ok(&["run", "scenarios/cs2-colocated-control.toml", "-n", "40", "-y", "1", "--out", out.to_str().unwrap()]);
    let stderr = text(&o.stderr);
    let lines: Vec<&str> =
        stderr.lines().filter(|l| l.starts_with("collabsim: ") && l.contains(" replicates (")).collect();
    // One line at the start and one at each 5% of 40 replicates (every 2): at least 21.
    assert!(lines.len() >= 21, "{stderr}");
    assert!(lines.last().unwrap().contains("40/40 replicates (100%)"), "{stderr}");
    assert!(lines.iter().any(|l| l.contains("20/40 replicates (50%)")), "{stderr}");
    let q = tmp.path().join("q");
    let o =
        ok(&["run", "scenarios/cs2-colocated-control.toml", "-n", "40", "-y", "1", "-q", "--out", q.to_str().unwrap()]);
    assert!(o.stderr.is_empty(), "--quiet prints no progress: {}", text(&o.stderr));
}

#[test]
fn summary_json_writes_the_values_the_model_used() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cs1");
    ok(&["run", "scenarios/cs1-merged-it.toml", "-n", "4", "-y", "1", "-q", "--out", out.to_str().unwrap()]);
    let s: collabsim::output::Summary = serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    let global = s.parameters.pointer("/leadership/turnover_per_year").and_then(|v| v.as_f64()).unwrap();
    let orgs = s.parameters["organizations"].as_object().unwrap();
    for (name, o) in orgs {
        // CS1 leaves these unset: each partner inherits the global turnover and an equal split.
        assert_eq!(o["leader_turnover_per_year"].as_f64(), Some(global), "{name}");
        assert_eq!(o["cost_share"].as_f64(), Some(1.0 / orgs.len() as f64), "{name}");
        assert_eq!(o["benefit_share"].as_f64(), Some(1.0 / orgs.len() as f64), "{name}");
        assert!(s.derived.iter().any(|d| d.path == format!("organizations.{name}.cost_share")));
    }
    // A scenario that sets the shares keeps its own values and lists none as derived.
    let out2 = tmp.path().join("cs2");
    ok(&["run", "scenarios/cs2-colocated-control.toml", "-n", "4", "-y", "1", "-q", "--out", out2.to_str().unwrap()]);
    let s: collabsim::output::Summary = serde_json::from_str(&read(&out2.join("summary.json"))).unwrap();
    let shares: Vec<f64> = s.parameters["organizations"]
        .as_object()
        .unwrap()
        .values()
        .map(|o| o["benefit_share"].as_f64().unwrap())
        .collect();
    assert_eq!(shares, [0.1, 0.5, 0.4]);
    assert!(!s.derived.iter().any(|d| d.path.ends_with("share")));
}

#[test]
fn the_report_leads_with_the_lifetime_explains_its_terms_and_lists_the_assumptions() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hr");
    ok(&["run", "scenarios/hr-no-shared-vision.toml", "-n", "60", "-y", "6", "-q", "--out", out.to_str().unwrap()]);
    let html = read(&out.join("report.html"));
    let headline = &html[html.find("class=\"headline\"").unwrap()..html.find("<h2>").unwrap()];
    let lifetime = headline.find("Typical lifetime").expect("the median first");
    let (a, b, c) = (
        headline.find("after 1 year").unwrap(),
        headline.find("after 2 years").unwrap(),
        headline.find("after 5 years").unwrap(),
    );
    assert!(lifetime < a && a < b && b < c, "{headline}");
    assert!(headline.contains("Most often it ends because"), "{headline}");
    assert!(headline.contains("pulls out most often"), "{headline}");
    // Each statistical term explained in a sentence where it first appears.
    for term in ["median lifetime", "95% interval", "restricted mean", "Rate per year at risk"] {
        assert!(html.contains(&format!("<dfn>{term}</dfn>")), "{term} is not defined");
    }
    for words in ["censored&#39;, meaning", "5-95% range across runs (the band between"] {
        assert!(html.contains(words), "{words}");
    }
    // Every cause with what it means: 'X withdrew' means no leader change in two years.
    assert!(html.contains("<th>What this means</th>"));
    assert!(
        html.contains("withdrew</td><td>") && html.contains("with no leader change at"),
        "a bare 'withdrew' explained"
    );
    // The assumptions that differ from the defaults, with the default and the meaning.
    let assumptions = &html[html.find("What this scenario assumes").unwrap()..html.find("What was changed").unwrap()];
    assert!(assumptions.contains("<th>Default</th>") && assumptions.contains("<th>Meaning</th>"));
    let sc = collabsim::scenario::load(std::path::Path::new("scenarios/hr-no-shared-vision.toml"), &[]).unwrap();
    let rows = collabsim::output::report::assumptions(&sc);
    assert!(!rows.is_empty());
    for r in &rows {
        assert_ne!(r.value.as_deref(), Some(r.default.as_str()), "{} equals its default", r.path);
        assert!(assumptions.contains(&format!("<code>{}</code>", r.path)), "{} missing", r.path);
    }
}

#[test]
fn a_comparison_arm_report_and_figures_name_the_arm_and_its_overrides() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let o = collabsim(&[
        "compare",
        "scenarios/cs1-merged-it.toml",
        "--variant",
        "collaboration.strategy_document=false",
        "-n",
        "10",
        "-y",
        "2",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let html = read(&out.join("variant/report.html"));
    let h1 = &html[html.find("<h1>").unwrap()..html.find("</h1>").unwrap()];
    assert!(h1.contains("collaboration.strategy_document=false"), "{h1}");
    assert!(html.contains("It is not the plain scenario."));
    let title = &html[html.find("<title>").unwrap()..html.find("</title>").unwrap()];
    assert!(title.contains("collaboration.strategy_document=false"), "{title}");
    for f in ["survival.svg", "incidence.svg", "state.svg"] {
        assert!(read(&out.join("variant").join(f)).contains("collaboration.strategy_document=false"), "{f}");
    }
    // The baseline is the plain scenario, and says nothing of the variant.
    let base = read(&out.join("baseline/report.html"));
    assert!(!base.contains("strategy_document=false"));
}
