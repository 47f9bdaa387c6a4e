//! Every named mechanism can change the outcome: each parameter the registry marks as
//! acting on the model (a policy lever or an outcome parameter) changes the end week of at
//! least one replicate of at least one shipped scenario when it moves across its range,
//! and each parameter marked as changing only what is reported changes none.
//!
//! For each parameter the test tries the shipped scenarios in turn, at the two ends of the
//! parameter's declared range (both values of a switch, every name of a choice), with 60
//! replicates on common random numbers, and stops at the first scenario where some
//! replicate ends in a different week. A parameter that acts on the model changes states
//! that feed the decision to end, so over 60 futures and ten years one end week moves
//! unless the rule that reads it is dead; the bound is not statistical.

use std::path::PathBuf;

use collabsim::engine::{NoObserver, run_replicate};
use collabsim::model::registry::{Effect, Kind, Range, Spec};
use collabsim::model::{ORG_SECTION, SAVINGS_ITEM_SECTION, SECTIONS};
use collabsim::scenario::RunSpec;
use rayon::prelude::*;

const SCENARIOS: [&str; 5] = [
    "cs1-merged-it",
    "cs2-colocated-control",
    "hr-no-shared-vision",
    "host-exits-benefits-reverse",
    "imposed-national-firecontrol",
];
const REPLICATES: u64 = 60;

fn load(name: &str, overrides: &[String]) -> Option<RunSpec> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(format!("{name}.toml"));
    collabsim::scenario::load(&path, overrides).ok().map(|s| s.spec)
}

fn end_weeks(spec: &RunSpec) -> Vec<u32> {
    (0..REPLICATES)
        .into_par_iter()
        .map(|i| run_replicate(&spec.params, spec.run.seed, i, &mut NoObserver).end_week)
        .collect()
}

/// Values to set a parameter to, as `--set` text: the ends of its range (both values of a
/// switch, each name of a choice), or, where an end is refused with the scenario's other
/// values (a sum that must stay below 1, posts above the staff), half and twice the
/// current value.
fn settings(spec: &Spec, current: &str, orgs: &[String]) -> Vec<Vec<String>> {
    let one = |v: Vec<String>| v.into_iter().map(|x| vec![x]).collect();
    let x: f64 = current.parse().unwrap_or(1.0);
    match (spec.kind, spec.range) {
        (Kind::Bool, _) => one(vec!["true".into(), "false".into()]),
        (Kind::Choice(names), _) => one(names.iter().map(|n| format!("\"{n}\"")).collect()),
        (Kind::Numbers, _) => one(vec!["[0.0, 0.0, 0.0, 0.0]".into(), "[1.0, 1.0, 1.0, 1.0]".into()]),
        (Kind::Counts { .. }, _) => one(vec!["[]".into(), "[20, 60]".into()]),
        (Kind::OrgName, _) => one(orgs.iter().map(|o| format!("\"{o}\"")).collect()),
        (_, Range::Closed(lo, hi)) => one(vec![number(lo), number(hi), number(x / 2.0), number(x * 2.0)]),
        (_, Range::AtLeast(lo)) => one(vec![number(lo), number((x * 4.0).max(lo + 1.0))]),
        (Kind::Count { .. }, Range::Any) => one(vec![number((x / 2.0).round()), number((x * 1.2).round())]),
        (_, Range::Week(_)) => one(vec!["20".into(), "200".into()]),
        _ => vec![],
    }
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 { format!("{}", x as i64) } else { format!("{x}") }
}

/// Overrides that must accompany a parameter for it to be read at all, or for a value to
/// be valid: the switch that enables it, or the other partner's share (shares sum to 1).
fn companions(path: &str, value: &str, orgs: &[String]) -> Vec<String> {
    let key = path.rsplit('.').next().unwrap_or(path);
    match key {
        "remove_unwilling_factor" | "remove_below_willingness" => vec!["staff.remove_unwilling=true".into()],
        "lead_decision_speedup" => vec!["savings.ramp_weeks=104".into()],
        "cost_share" | "benefit_share" if orgs.len() == 2 => {
            let x: f64 = value.parse().unwrap_or(0.5);
            vec![format!("organizations.{}.{key}={}", orgs[1], number(1.0 - x))]
        }
        "selection" if value.contains("re-apply") => vec!["collaboration.posts=100".into()],
        _ => vec![],
    }
}

/// Does moving `path` across `values` change an end week of `scenario`? `None` if fewer
/// than two of the values are valid there.
fn moves(scenario: &str, path: &str, values: &[Vec<String>], orgs: &[String]) -> Option<bool> {
    let runs: Vec<Vec<u32>> = values
        .iter()
        .filter_map(|v| {
            let mut ov = vec![format!("{path}={}", v[0])];
            ov.extend(companions(path, &v[0], orgs));
            load(scenario, &ov)
        })
        .map(|spec| end_weeks(&spec))
        .collect();
    (runs.len() >= 2).then(|| runs.windows(2).any(|w| w[0] != w[1]))
}

/// Every declared parameter with the dotted path to try it at in a scenario.
fn parameters() -> Vec<(String, Spec)> {
    let mut v = Vec::new();
    for info in &SECTIONS {
        for s in info.specs {
            if !matches!(s.kind, Kind::Tables(_)) {
                v.push((format!("{}.{}", info.prefix, s.key), *s));
            }
        }
    }
    for s in ORG_SECTION.specs {
        v.push((format!("organizations.<ORG>.{}", s.key), *s));
    }
    for s in SAVINGS_ITEM_SECTION.specs {
        v.push((format!("savings.items[0].{}", s.key), *s));
    }
    v
}

#[test]
fn every_parameter_that_acts_on_the_model_changes_an_end_week() {
    let mut inert = Vec::new();
    let mut reported_but_acting = Vec::new();
    for (path, spec) in parameters() {
        let acts = matches!(spec.effect, Effect::Lever | Effect::Outcome);
        if !acts && spec.effect != Effect::Reported {
            continue;
        }
        let mut found = None;
        'scenarios: for sc in SCENARIOS {
            let base = load(sc, &[]).unwrap();
            let orgs = base.params.org_names.clone();
            // A partner's parameter is tried at each partner (a non-lead's participation
            // matters, a lead's does not).
            let paths: Vec<String> = if path.contains("<ORG>") {
                orgs.iter().map(|o| path.replace("<ORG>", o)).collect()
            } else {
                vec![path.clone()]
            };
            for path in paths {
                let flat = base.flat();
                let current = flat.iter().find(|(k, _)| *k == path).map(|(_, v)| collabsim::scenario::spec::display(v));
                let Some(current) = current else { continue };
                let values = settings(&spec, &current, &orgs);
                if let Some(true) = moves(sc, &path, &values, &orgs) {
                    found = Some(sc);
                    break 'scenarios;
                }
            }
        }
        match (acts, found) {
            (true, None) => inert.push(path),
            (false, Some(sc)) => reported_but_acting.push(format!("{path} (in {sc})")),
            _ => {}
        }
    }
    assert!(
        inert.is_empty(),
        "these parameters act on the model by their declaration, but no shipped scenario's end weeks move across their range:\n{}",
        inert.join("\n")
    );
    assert!(
        reported_but_acting.is_empty(),
        "these parameters are declared as changing only what is reported, yet they move end weeks:\n{}",
        reported_but_acting.join("\n")
    );
}
