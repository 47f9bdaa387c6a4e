//! Behaviour files for `collabsim check-model`: requirements the model must meet, each a
//! statistic of a scenario with overrides (as a calibration target, `scenario/calibration.rs`,
//! whose parsing this shares) with a required interval; optionally a difference from
//! `baseline_set`, an interval that must exclude zero, or a comparison with another
//! scenario (`below`); or a ladder, one lever over levels, whose statistic must move in one
//! direction. Every problem is reported at once, located in the file. Every arm runs the
//! file's `replicates`; on the file's `seed` if it gives one, else on its scenario's own seed
//! (a `below` comparison runs on the seed of the check's own scenario, so replicate i of
//! both arms shares stream i).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::calibration::{
    ArmPlan, Checker, Statistic, TargetPlan, check_against_arm, load_arm, measure, pair, read_toml, scenario_file,
};
use super::catalog::{is_run_key, spec_at};
use super::error::{Diagnostic, ScenarioError};
use super::experiment::toml_number;
use super::resolve::{fmt, type_error};
use super::suggest::suggest;
use crate::model::registry::Kind;

/// The sections of the report a check belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Targets the model was calibrated to.
    Calibration,
    /// Predictions of patterns the calibration did not use.
    HeldOut,
    /// Responses to one lever over levels (ladders).
    Lever,
    /// Artefacts of thresholds: many runs ending in the same week.
    Artefact,
}

impl Group {
    pub const ALL: [(&'static str, Group); 4] = [
        ("calibration", Group::Calibration),
        ("held_out", Group::HeldOut),
        ("lever", Group::Lever),
        ("artefact", Group::Artefact),
    ];

    pub fn title(self) -> &'static str {
        match self {
            Group::Calibration => "Calibration targets",
            Group::HeldOut => "Held-out predictions",
            Group::Lever => "Lever responses",
            Group::Artefact => "Threshold artefacts",
        }
    }
}

/// Which way a ladder's statistic must move as its lever rises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Down,
    Up,
}

/// One arm: a scenario with overrides, run `replicates` times on `seed`.
#[derive(Clone, Debug, PartialEq)]
pub struct BehaviourArm {
    pub plan: ArmPlan,
    pub seed: u64,
    /// The scenario file's text, as loaded.
    pub text: String,
}

/// A lever over levels: arm `arms[i]` is the check's scenario with its `set` and
/// `vary = levels[i]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Ladder {
    pub vary: String,
    pub levels: Vec<f64>,
    pub arms: Vec<usize>,
    pub direction: Direction,
    /// A ladder (check index) whose last-minus-first change this one's must be smaller
    /// than, in the ladder's direction, with a 95% interval excluding zero.
    pub flatter_than: Option<usize>,
    /// The largest share of ended runs in one week allowed at the first and last levels.
    pub max_week_share_at_ends: Option<f64>,
}

/// One requirement. `target` is the statistic (arm, and baseline for a difference) with the
/// required interval in `lo`, `hi`; for a ladder, the difference last level minus first.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub name: String,
    pub group: Group,
    pub scenario: String,
    pub set: Vec<String>,
    pub target: TargetPlan,
    /// The 95% interval must exclude zero too.
    pub excludes_zero: bool,
    /// An arm whose statistic this one's must be below (the CRN difference's 95% interval
    /// entirely below zero), with its description.
    pub below: Option<(usize, String)>,
    pub ladder: Option<Ladder>,
}

/// A behaviour file, checked, with every arm it needs.
#[derive(Clone, Debug, PartialEq)]
pub struct BehaviourPlan {
    pub file: String,
    pub replicates: u64,
    /// The file's seed; `None`: each arm's scenario's own.
    pub seed: Option<u64>,
    pub arms: Vec<BehaviourArm>,
    pub checks: Vec<Check>,
}

impl BehaviourPlan {
    /// The `--set` overrides arm `a` runs with: its own, then `replicates` and `seed`.
    pub fn overrides(&self, a: usize) -> Vec<String> {
        let arm = &self.arms[a];
        let mut v = arm.plan.set.clone();
        v.push(format!("replicates={}", self.replicates));
        v.push(format!("seed={}", arm.seed));
        v
    }

    pub fn arm_plans(&self) -> Vec<ArmPlan> {
        self.arms.iter().map(|a| a.plan.clone()).collect()
    }
}

const TOP_KEYS: [&str; 3] = ["replicates", "seed", "check"];
const CHECK_KEYS: [&str; 17] = [
    "name",
    "group",
    "scenario",
    "set",
    "baseline_set",
    "statistic",
    "year",
    "cause",
    "partner",
    "require",
    "excludes_zero",
    "below",
    "vary",
    "levels",
    "direction",
    "flatter_than",
    "max_week_share_at_ends",
];

/// An arm asked for: the scenario, the overrides, the seed (`None`: the file's, else the
/// scenario's own), where it was asked for, and once loaded its plan, text and seed.
struct Wanted {
    path: PathBuf,
    set: Vec<String>,
    seed: Option<u64>,
    at: String,
    loaded: Option<(ArmPlan, String, u64)>,
}

struct Draft {
    at: String,
    name: String,
    group: Option<Group>,
    scenario: PathBuf,
    set: Vec<String>,
    baseline_set: Option<Vec<String>>,
    statistic: Option<Statistic>,
    year: Option<f64>,
    cause: Option<super::calibration::EndShare>,
    partner: Option<String>,
    require: Option<(f64, f64)>,
    excludes_zero: Option<bool>,
    below: Option<(PathBuf, Vec<String>)>,
    vary: Option<String>,
    levels: Vec<f64>,
    direction: Option<Direction>,
    flatter_than: Option<String>,
    ends: Option<f64>,
}

/// Reads and checks a behaviour file, with every check's scenarios.
pub fn load_behaviour(path: &Path) -> Result<BehaviourPlan, ScenarioError> {
    let invalid = |diagnostics: Vec<Diagnostic>| ScenarioError::Invalid { path: path.to_path_buf(), diagnostics };
    let (_, table, index) = read_toml(path, "behaviour")?;
    let mut ck = Checker { index, diags: Vec::new() };
    ck.unknown_keys(&table, "", &TOP_KEYS);
    let replicates = ck.count(&table, "replicates", 1000, 2, 10_000_000);
    let seed = table.contains_key("seed").then(|| ck.count(&table, "seed", 1, 0, i64::MAX as u64));
    let base_dir = path.parent().unwrap_or(Path::new("."));
    let mut drafts = Vec::new();
    match table.get("check") {
        Some(toml::Value::Array(a)) if !a.is_empty() => {
            for (k, v) in a.iter().enumerate() {
                let at = format!("check[{k}]");
                match v.as_table() {
                    Some(t) => drafts.push(check(&mut ck, t, &at, k, base_dir)),
                    None => ck.fail(&at, type_error(v, "a [[check]] table")),
                }
            }
        }
        Some(toml::Value::Array(_)) | None => ck.fail(
            "check",
            "nothing to check: add a [[check]] table with `name`, `scenario`, `statistic` and `require`",
        ),
        Some(other) => ck.fail("check", type_error(other, "a list of [[check]] tables")),
    }
    let mut seen = BTreeSet::new();
    for d in &drafts {
        if !seen.insert(d.name.clone()) {
            ck.fail(&format!("{}.name", d.at), format!("another check is named \"{}\"; names are unique", d.name));
        }
    }

    // The arms each check runs: its own (one per level for a ladder), its baseline; then,
    // once their seeds are known, the arms of `below` on the same seed.
    let mut wanted: Vec<Wanted> = Vec::new();
    let want = |path: &Path, set: Vec<String>, seed: Option<u64>, at: String, wanted: &mut Vec<Wanted>| -> usize {
        match wanted.iter().position(|w| w.path == path && w.set == set && w.seed == seed) {
            Some(i) => i,
            None => {
                wanted.push(Wanted { path: path.to_path_buf(), set, seed, at, loaded: None });
                wanted.len() - 1
            }
        }
    };
    // Per draft: (main arm, baseline arm, level arms).
    let mut draft_arms: Vec<(usize, Option<usize>, Vec<usize>)> = Vec::new();
    for d in &drafts {
        let (main, levels) = match &d.vary {
            Some(v) if !d.levels.is_empty() => {
                let arms: Vec<usize> = d
                    .levels
                    .iter()
                    .map(|x| {
                        let mut set = d.set.clone();
                        set.push(format!("{v}={}", toml_number(*x)));
                        want(&d.scenario, set, seed, format!("{}.levels", d.at), &mut wanted)
                    })
                    .collect();
                (arms[arms.len() - 1], arms)
            }
            _ => (want(&d.scenario, d.set.clone(), seed, format!("{}.set", d.at), &mut wanted), Vec::new()),
        };
        let base = d
            .baseline_set
            .as_ref()
            .map(|s| want(&d.scenario, s.clone(), seed, format!("{}.baseline_set", d.at), &mut wanted));
        draft_arms.push((main, base, levels));
    }
    let mut failed_files = BTreeSet::new();
    let load_all = |ck: &mut Checker, wanted: &mut [Wanted], failed: &mut BTreeSet<(PathBuf, String)>| {
        for w in wanted.iter_mut().filter(|w| w.loaded.is_none() && w.path.is_file()) {
            let mut ov = w.set.clone();
            ov.push(format!("replicates={replicates}"));
            if let Some(s) = w.seed {
                ov.push(format!("seed={s}"));
            }
            w.loaded = load_arm(ck, &w.path, &w.set, &ov, &w.at, failed);
        }
    };
    load_all(&mut ck, &mut wanted, &mut failed_files);
    let mut below_arms: Vec<Option<usize>> = Vec::new();
    for (d, (main, _, _)) in drafts.iter().zip(&draft_arms) {
        let b = match (&d.below, &wanted[*main].loaded) {
            (Some((p, set)), Some((_, _, s))) => {
                let s = *s;
                Some(
                    match wanted
                        .iter()
                        .position(|w| &w.path == p && &w.set == set && w.loaded.as_ref().is_some_and(|l| l.2 == s))
                    {
                        Some(i) => i,
                        None => want(p, set.clone(), Some(s), format!("{}.below", d.at), &mut wanted),
                    },
                )
            }
            _ => None,
        };
        below_arms.push(b);
    }
    load_all(&mut ck, &mut wanted, &mut failed_files);

    // Each measure against its arms.
    for (d, (main, base, levels)) in drafts.iter().zip(&draft_arms) {
        let mut arms: Vec<usize> = levels.clone();
        arms.push(*main);
        arms.extend(*base);
        for a in arms {
            if let Some((plan, _, _)) = &wanted[a].loaded {
                check_against_arm(&mut ck, &d.at, d.statistic, d.year, d.partner.as_deref(), plan);
            }
        }
    }
    // `flatter_than`: another ladder of the same statistic, on the same seed.
    let mut flatter: Vec<Option<usize>> = Vec::new();
    for (d, (main, _, _)) in drafts.iter().zip(&draft_arms) {
        let Some(other) = &d.flatter_than else {
            flatter.push(None);
            continue;
        };
        let at = format!("{}.flatter_than", d.at);
        match drafts.iter().position(|o| &o.name == other) {
            None => {
                ck.fail(&at, format!("no check is named \"{other}\""));
                flatter.push(None);
            }
            Some(j) => {
                let o = &drafts[j];
                let seed_of = |a: usize| wanted[a].loaded.as_ref().map(|l| l.2);
                if o.vary.is_none() {
                    ck.fail(&at, format!("\"{other}\" is not a ladder (it has no `vary`)"));
                } else if o.statistic != d.statistic || o.year != d.year {
                    ck.fail(&at, format!("\"{other}\" measures another statistic; compare ladders of the same one"));
                } else if seed_of(draft_arms[j].0) != seed_of(*main) {
                    ck.fail(&at, format!("\"{other}\" runs on another seed; give the file a top-level `seed`"));
                }
                flatter.push(Some(j));
            }
        }
    }

    if !ck.diags.is_empty() {
        let mut diags = ck.diags;
        diags.sort_by_key(|d| (d.line.unwrap_or(usize::MAX), d.column.unwrap_or(0)));
        return Err(invalid(diags));
    }
    // Every arm is loaded (a problem would have been reported); number them densely.
    let arms: Vec<BehaviourArm> = wanted
        .into_iter()
        .map(|w| {
            let (plan, text, seed) = w.loaded.expect("every arm loaded");
            BehaviourArm { plan, seed, text }
        })
        .collect();
    let checks = drafts
        .into_iter()
        .zip(draft_arms)
        .zip(below_arms)
        .zip(flatter)
        .map(|(((d, (main, base, levels)), below), flatter_than)| {
            let (lo, hi) = d.require.expect("checked");
            let statistic = d.statistic.expect("checked");
            let is_ladder = d.vary.is_some();
            let target = TargetPlan {
                name: d.name.clone(),
                statistic,
                year: d.year,
                cause: d.cause,
                partner: d.partner,
                arm: main,
                baseline: if is_ladder { levels.first().copied() } else { base },
                lo,
                hi,
                tolerance: 0.0,
            };
            let group = d.group.unwrap_or(if is_ladder {
                Group::Lever
            } else if statistic == Statistic::MaxWeekShare {
                Group::Artefact
            } else {
                Group::Calibration
            });
            let below = below.map(|b| {
                let a = &arms[b];
                let set = if a.plan.set.is_empty() { String::new() } else { format!(" with {}", a.plan.set.join(" ")) };
                (b, format!("{}{set}", a.plan.scenario_file))
            });
            let ladder = d.vary.map(|vary| Ladder {
                vary,
                levels: d.levels,
                arms: levels,
                direction: d.direction.unwrap_or(Direction::Down),
                flatter_than,
                max_week_share_at_ends: d.ends,
            });
            Check {
                name: d.name,
                group,
                scenario: d.scenario.display().to_string(),
                set: d.set,
                target,
                excludes_zero: d.excludes_zero.unwrap_or(is_ladder),
                below,
                ladder,
            }
        })
        .collect();
    Ok(BehaviourPlan { file: path.display().to_string(), replicates, seed, arms, checks })
}

/// One `[[check]]` table.
fn check(ck: &mut Checker, t: &toml::Table, at: &str, k: usize, base_dir: &Path) -> Draft {
    ck.unknown_keys(t, at, &CHECK_KEYS);
    let key = |name: &str| format!("{at}.{name}");
    let name = ck.text(t, "name", &key("name")).unwrap_or_else(|| format!("check {}", k + 1));
    let group = ck.text(t, "group", &key("group")).and_then(|g| {
        let found = Group::ALL.iter().find(|(n, _)| *n == g).map(|(_, x)| *x);
        if found.is_none() {
            ck.fail(&key("group"), format!("found \"{g}\", expected one of calibration, held_out, lever, artefact"));
        }
        found
    });
    let scenario = scenario_file(ck, t, at, base_dir, "a check", "behaviour");
    let set = ck.overrides(t, "set", &key("set")).unwrap_or_default();
    let baseline_set = ck.overrides(t, "baseline_set", &key("baseline_set"));
    if baseline_set.as_ref() == Some(&set) {
        ck.fail(&key("baseline_set"), "the same as `set`: a difference between two identical arms is zero");
    }
    let m = measure(ck, t, at, "a check");
    let require = pair(ck, t, "require", at);
    if !t.contains_key("require") {
        ck.fail(at, "a check needs `require = [LOW, HIGH]`, the interval its estimate must lie in");
    }
    let flag = |ck: &mut Checker, name: &str| match t.get(name) {
        None => None,
        Some(toml::Value::Boolean(b)) => Some(*b),
        Some(other) => {
            ck.fail(&key(name), type_error(other, "true or false"));
            None
        }
    };
    let excludes_zero = flag(ck, "excludes_zero");
    let below = match t.get("below") {
        None => None,
        Some(toml::Value::Table(b)) => {
            let here = key("below");
            ck.unknown_keys(b, &here, &["scenario", "set"]);
            let p = scenario_file(ck, b, &here, base_dir, "`below`", "behaviour");
            let s = ck.overrides(b, "set", &format!("{here}.set")).unwrap_or_default();
            Some((p, s))
        }
        Some(other) => {
            ck.fail(&key("below"), type_error(other, "a table { scenario = \"...\", set = [...] }"));
            None
        }
    };
    // A lever that is not a number parameter is reported here, and its levels not loaded.
    let vary = ck.text(t, "vary", &key("vary")).filter(|v| {
        let bad = match spec_at(v) {
            _ if is_run_key(v) => Some(format!("`{v}` says how to run; vary a model parameter")),
            None => {
                let hint = suggest(v).map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                Some(format!("unknown parameter{hint}"))
            }
            Some(spec) if spec.kind != Kind::Number => {
                Some(format!("`{v}` is {}; a ladder varies a number", spec.kind.describe()))
            }
            Some(_) => None,
        };
        if let Some(msg) = &bad {
            ck.fail(&key("vary"), msg.clone());
        }
        bad.is_none()
    });
    if let Some(v) = &vary
        && set.iter().any(|s| s.split_once('=').is_some_and(|(k, _)| k.trim() == v))
    {
        ck.fail(&key("set"), format!("sets `{v}`, the lever the ladder varies"));
    }
    let levels: Vec<f64> = match t.get("levels") {
        None => Vec::new(),
        Some(toml::Value::Array(a)) => {
            let xs: Option<Vec<f64>> = a
                .iter()
                .map(|x| match x {
                    toml::Value::Integer(i) => Some(*i as f64),
                    toml::Value::Float(f) if f.is_finite() => Some(*f),
                    _ => None,
                })
                .collect();
            match xs {
                Some(xs) if xs.len() >= 2 && xs.windows(2).all(|w| w[0] < w[1]) => xs,
                _ => {
                    ck.fail(&key("levels"), "expected two or more numbers in increasing order, e.g. [0.1, 0.35, 0.6]");
                    Vec::new()
                }
            }
        }
        Some(other) => {
            ck.fail(&key("levels"), type_error(other, "a list of numbers"));
            Vec::new()
        }
    };
    let direction = ck.text(t, "direction", &key("direction")).and_then(|d| match d.as_str() {
        "down" => Some(Direction::Down),
        "up" => Some(Direction::Up),
        _ => {
            ck.fail(&key("direction"), format!("found \"{d}\", expected \"down\" or \"up\""));
            None
        }
    });
    let flatter_than = ck.text(t, "flatter_than", &key("flatter_than"));
    let ends = match ck.number(t, "max_week_share_at_ends", &key("max_week_share_at_ends")) {
        Some(x) if !(0.0..=1.0).contains(&x) => {
            ck.fail(&key("max_week_share_at_ends"), format!("found {}, expected a share from 0 to 1", fmt(x)));
            None
        }
        x => x,
    };
    // What a ladder needs and what only a ladder takes.
    if t.contains_key("vary") || t.contains_key("levels") {
        for need in ["vary", "levels", "direction"] {
            if !t.contains_key(need) {
                ck.fail(at, format!("a ladder needs `vary`, `levels` and `direction`; `{need}` is missing"));
            }
        }
        for not in ["baseline_set", "below"] {
            if t.contains_key(not) {
                ck.fail(&key(not), "not for a ladder, whose difference is its last level minus its first");
            }
        }
    } else {
        for only in ["direction", "flatter_than", "max_week_share_at_ends"] {
            if t.contains_key(only) {
                ck.fail(&key(only), "applies to a ladder (a check with `vary` and `levels`)");
            }
        }
    }
    let differenced = baseline_set.is_some() || t.contains_key("vary");
    if let (Some((lo, hi)), Some(s)) = (require, m.statistic)
        && s.is_share()
    {
        let (min, max) = if differenced { (-1.0, 1.0) } else { (0.0, 1.0) };
        if lo < min || hi > max {
            ck.fail(
                &key("require"),
                format!(
                    "{} is a share{}: expected {} to {} (write 80% as 0.8)",
                    s.name(),
                    if differenced { " difference" } else { "" },
                    fmt(min),
                    fmt(max)
                ),
            );
        }
    }
    Draft {
        at: at.to_string(),
        name,
        group,
        scenario,
        set,
        baseline_set,
        statistic: m.statistic,
        year: m.year,
        cause: m.cause,
        partner: m.partner,
        require,
        excludes_zero,
        below,
        vary,
        levels,
        direction,
        flatter_than,
        ends,
    }
}
