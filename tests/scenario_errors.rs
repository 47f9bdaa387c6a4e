//! Scenario parsing and validation through the library: every problem at once, located,
//! with what was found and what is allowed.

use std::path::Path;

use collabsim::scenario::{ScenarioError, parse_str};

const MINIMAL: &str = "[organizations.A]\nstaff = 10\n[organizations.B]\nstaff = 12\n";

fn errors(text: &str, overrides: &[&str]) -> Vec<String> {
    let ov: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    match parse_str(Path::new("s.toml"), text, &ov) {
        Ok(_) => vec![],
        Err(ScenarioError::Invalid { diagnostics, path }) => {
            diagnostics.iter().map(|d| d.to_string_in(&path)).collect()
        }
        Err(e) => vec![e.to_string()],
    }
}

#[test]
fn a_minimal_scenario_takes_the_defaults() {
    let spec = parse_str(Path::new("s.toml"), MINIMAL, &[]).unwrap();
    let p = &spec.params;
    assert_eq!(p.n_orgs(), 2);
    assert_eq!(p.horizon_weeks, 520, "default horizon is 10 years");
    assert_eq!(spec.run.replicates, 1000);
    assert_eq!(p.derived.posts, 22, "transfer-all keeps every post");
    assert!((p.derived.cost_share[0] - 0.5).abs() < 1e-12, "equal split by default");
}

#[test]
fn several_range_errors_are_reported_together() {
    let text =
        format!("{MINIMAL}[collaboration]\ntransparency = -0.1\nshared_resources = 2\n[reviews]\nwindow_weeks = 0\n");
    let e = errors(&text, &[]);
    assert_eq!(e.len(), 3, "{e:#?}");
    assert!(e[0].starts_with("s.toml:6:1: key `collaboration.transparency`: found -0.1"), "{e:#?}");
    assert!(
        e[1].starts_with("s.toml:7:1: key `collaboration.shared_resources`: found 2, expected a number from 0 to 1")
    );
    assert!(
        e[2].starts_with("s.toml:9:1: key `reviews.window_weeks`: found 0, expected a whole number from 1"),
        "{e:#?}"
    );
}

#[test]
fn references_shares_and_weeks_are_checked() {
    let text = "years = 2\n[collaboration]\nlead_partner = \"Z\"\nculture_policy = \"merge\"\n\
                [project]\ngo_live_weeks = [50, 300]\n\
                [organizations.A]\nstaff = 5\ncost_share = 0.7\n[organizations.B]\nstaff = 5\ncost_share = 0.7\n";
    let e = errors(text, &[]).join("\n");
    assert!(
        e.contains("key `collaboration.lead_partner`: found \"Z\", expected one of the organizations: \"A\", \"B\""),
        "{e}"
    );
    assert!(e.contains("key `collaboration.culture_policy`: found \"merge\", expected one of \"new-shared\", \"keep-separate\", \"adopt-lead\""), "{e}");
    assert!(
        e.contains("key `project.go_live_weeks[1]`: found week 300, expected a week from 1 to the horizon (104)"),
        "{e}"
    );
    assert!(e.contains("key `organizations.*.cost_share`: the shares sum to 1.4000, they must sum to 1"), "{e}");
}

#[test]
fn re_apply_needs_posts_within_the_staff() {
    let e = errors(&format!("{MINIMAL}[collaboration]\nselection = \"re-apply\"\nposts = 40\n"), &[]);
    assert_eq!(e.len(), 1);
    assert!(
        e[0].contains("key `collaboration.posts`: found 40, expected from 1 to the 22 staff who re-apply"),
        "{e:?}"
    );
}

#[test]
fn syntax_errors_name_the_line() {
    let e = errors("[organizations.A]\nstaff = = 3\n", &[]);
    assert!(!e.is_empty());
    assert!(e[0].starts_with("s.toml:2:"), "{e:?}");
    assert!(e[0].contains("not valid TOML"), "{e:?}");
}

#[test]
fn wrong_types_name_the_key_and_the_expected_type() {
    let e = errors(&format!("{MINIMAL}[collaboration]\ntransparency = \"high\"\n"), &[]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("s.toml:6:1: key `collaboration.transparency`: invalid type: string \"high\""), "{e:?}");
}

#[test]
fn unknown_keys_get_a_suggestion() {
    let e = errors(&format!("{MINIMAL}[colaboration]\n[vision]\ninitail = 0.5\n"), &[]);
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(e[0].contains("key `colaboration`: unknown key; did you mean `collaboration`?"), "{e:?}");
    assert!(e[1].contains("key `vision.initail`: unknown key; did you mean `vision.initial`?"), "{e:?}");
}

#[test]
fn empty_files_and_too_few_partners_are_explained() {
    assert!(errors("  \n", &[])[0].contains("the file is empty"));
    let e = errors("[organizations.A]\nstaff = 3\n", &[]);
    assert!(e[0].contains("a collaboration needs at least 2"), "{e:?}");
}

#[test]
fn overrides_create_keys_and_are_blamed_for_their_errors() {
    let p = parse_str(Path::new("s.toml"), MINIMAL, &["leadership.turnover_per_year=0.5".into()]).unwrap().params;
    assert!(p.derived.leader_turnover_per_year.iter().all(|&t| t == 0.5));
    let e = errors(MINIMAL, &["organizations.A.leader_turnover_per_year=-1"]);
    assert_eq!(e.len(), 1);
    assert!(
        e[0].starts_with(
            "--set organizations.A.leader_turnover_per_year=-1: key `organizations.A.leader_turnover_per_year`"
        ),
        "{e:?}"
    );
    let e = errors(MINIMAL, &["noequals"]);
    assert!(e[0].contains("expected KEY.PATH=VALUE"), "{e:?}");
    let e = errors(MINIMAL, &["organizations.A.staff.x=1"]);
    assert!(e[0].contains("`organizations.A.staff` is a value, not a table"), "{e:?}");
}

#[test]
fn huge_sizes_are_refused_up_front() {
    let e =
        errors("years = 100000\n[organizations.A]\nstaff = 3000000\n[organizations.B]\nstaff = 5\n", &[]).join("\n");
    assert!(e.contains("key `years`: found 100000, expected a horizon from one week (0.02 years) to 200 years"), "{e}");
    assert!(e.contains("key `organizations.A.staff`: found 3000000"), "{e}");
}

#[test]
fn overrides_reach_array_elements_and_are_blamed_for_their_errors() {
    let text = format!("{MINIMAL}[[savings.items]]\nname = \"network\"\nannual_gbp = 400000\nstart_week = 104\n");
    let p = parse_str(Path::new("s.toml"), &text, &["savings.items[0].annual_gbp=250000".into()]).unwrap().params;
    assert_eq!(p.savings.items[0].annual_gbp, 250_000.0);
    let e = errors(&text, &["savings.items[0].annual_gbp=-5"]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("--set savings.items[0].annual_gbp=-5: key `savings.items[0].annual_gbp`"), "{e:?}");
    assert!(e[0].contains("found -5, expected a finite number of at least 0"), "{e:?}");
    let e = errors(&text, &["savings.items[0].anual_gbp=5"]);
    assert!(e[0].contains("did you mean `savings.items[0].annual_gbp`"), "{e:?}");
    let e = errors(&text, &["savings.items[3].annual_gbp=5"]);
    assert!(e[0].contains("`savings.items` has 1 entries, [0] to [0], not [3]"), "{e:?}");
    let e = errors(&text, &["savings.items[x].annual_gbp=5"]);
    assert!(e[0].contains("an array element is written NAME[INDEX]"), "{e:?}");
}

#[test]
fn planned_weeks_must_fit_the_files_horizon_but_a_shorter_run_is_fine() {
    let text = format!("years = 4\n{MINIMAL}[project]\ngo_live_weeks = [52, 180]\n");
    // The file's plan fits its 4 years (208 weeks); a 1-year run ends before the second go-live.
    assert!(errors(&text, &["years=1"]).is_empty());
    // A plan beyond the file's own horizon is a mistake, whatever the run's horizon.
    let bad = format!("years = 2\n{MINIMAL}[project]\ngo_live_weeks = [52, 180]\n");
    let e = errors(&bad, &["years=1"]);
    assert!(e.iter().any(|x| x.contains("found week 180, expected a week from 1 to the horizon (104)")), "{e:?}");
}

#[test]
fn a_file_is_valid_or_not_whatever_the_flags() {
    // `replicates = nan` in the file is an error even when the command line sets replicates.
    let text = format!("replicates = nan\n{MINIMAL}");
    let e = errors(&text, &["replicates=100"]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("s.toml:1:1: key `replicates`: invalid type: number `NaN`"), "{e:?}");
    // A plan beyond the file's horizon is the file's mistake even if --years shortens the run.
    let e = errors(&format!("years = 1\n{MINIMAL}[project]\ngo_live_weeks = [60]\n"), &["years=0.5"]);
    assert!(e.iter().any(|x| x.starts_with("s.toml:") && x.contains("found week 60")), "{e:?}");
    // A missing required value is not made up for by an override either.
    let e = errors(&format!("{MINIMAL}[collaboration]\nselection = \"re-apply\"\n"), &["collaboration.posts=10"]);
    assert!(e.iter().any(|x| x.contains("key `collaboration.posts`: selection \"re-apply\" needs")), "{e:?}");
}

#[test]
fn a_problem_an_override_causes_elsewhere_is_blamed_on_it() {
    // trust.gain x loss_ratio above 1 is reported at loss_ratio; the override of gain caused it.
    let e = errors(MINIMAL, &["staff.senior_share=0.1", "trust.gain=0.5"]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("--set trust.gain=0.5: key `trust.loss_ratio`: gain x loss_ratio is 1.500"), "{e:?}");
    let e = errors(MINIMAL, &["staff.senior_share=0.9", "staff.init_spread=0.1"]);
    assert!(e[0].starts_with("--set staff.senior_share=0.9: key `staff.manager_share`"), "{e:?}");
    // Shares that only together sum above 1 are blamed on both overrides.
    let e = errors(MINIMAL, &["organizations.A.cost_share=0.9", "organizations.B.cost_share=0.9"]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with(
            "--set organizations.A.cost_share=0.9 --set organizations.B.cost_share=0.9: key `organizations.*.cost_share`: the shares sum to 1.8000"
        ),
        "{e:?}"
    );
}

#[test]
fn every_kind_of_value_gets_a_type_error_in_the_same_pass() {
    let text = format!(
        "seed = \"x\"\n{MINIMAL}norms = 0.5\n[collaboration]\ntransparency = \"medium\"\nstrategy_document = \"yes\"\n\
         form = 3\nteam_size = 2.5\nlead_partner = 1\n[project]\ngo_live_weeks = [\"a\", 3]\n\
         [[savings.items]]\nannual_gbp = \"lots\"\n"
    );
    let e = errors(&text, &[]);
    let want = [
        "key `seed`: invalid type: string \"x\", expected a whole number of 0 or more",
        "key `organizations.B.norms`: invalid type: number `0.5`, expected a list [ ... ]",
        "key `collaboration.transparency`: invalid type: string \"medium\", expected a number",
        "key `collaboration.strategy_document`: invalid type: string \"yes\", expected true or false",
        "key `collaboration.form`: invalid type: integer `3`, expected one of the names in quotes",
        "key `collaboration.team_size`: invalid type: number `2.5`, expected a whole number of 0 or more",
        "key `collaboration.lead_partner`: invalid type: integer `1`, expected text in quotes",
        "key `project.go_live_weeks[0]`: invalid type: string \"a\", expected a whole number of 0 or more",
        "key `savings.items[0].annual_gbp`: invalid type: string \"lots\", expected a number",
    ];
    assert_eq!(e.len(), want.len(), "{e:#?}");
    for w in want {
        assert!(e.iter().any(|x| x.contains(w)), "missing: {w}\n{e:#?}");
    }
}

#[test]
fn unknown_keys_are_matched_across_sections() {
    let text =
        format!("{MINIMAL}[collaboration]\noverload = 2\n[organizations.C]\nstaff = 4\nturnover_per_year = 0.5\n");
    let e = errors(&text, &[]).join("\n");
    assert!(e.contains("key `collaboration.overload`: unknown key; did you mean `project.overload`?"), "{e}");
    assert!(
        e.contains(
            "key `organizations.C.turnover_per_year`: unknown key; did you mean `organizations.C.leader_turnover_per_year`?"
        ),
        "{e}"
    );
}
