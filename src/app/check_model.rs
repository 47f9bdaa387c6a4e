//! `check-model`: a behaviour file's requirements (`scenario/behaviour.rs`) evaluated on
//! fresh runs and written as a Markdown report (docs/VALIDATION.md by default). Every arm
//! runs its replicates in parallel (replicate i from stream i of its seed, folded in
//! replicate order, so the report has the same bytes on any number of threads); each
//! requirement's statistic comes from the calibration's `target_value` (differences paired
//! per replicate) or `contrast_value` (a ladder's change against another's). The typed
//! result says which requirements pass; failing ones are the report's content, not an
//! error.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::arm::arm_outcomes;
use super::calibrate::{contrast_value, target_value};
use super::{Exec, cannot_write, create_dir, shell_word};
use crate::analysis::paired::normal_quantile;
use crate::engine::ReplicateOutcome;
use crate::output::calibrate::report::fmt_value;
use crate::output::validation::{CheckResult, LadderRow, LadderTable, Row, ValidationReport, write_report};
use crate::scenario::behaviour::{BehaviourPlan, Check, Direction, Group, load_behaviour};
use crate::scenario::calibration::{ArmPlan, Statistic, TargetPlan};
use crate::scenario::experiment::toml_number;

/// Where the report goes unless `--out` says otherwise.
pub const DEFAULT_OUT: &str = "docs/VALIDATION.md";

/// What to check.
pub struct CheckModelRequest {
    pub behaviour: PathBuf,
    /// Default: [`DEFAULT_OUT`].
    pub out: Option<PathBuf>,
}

/// What the checks found, and where the report is.
pub struct CheckModelOutcome {
    pub plan: BehaviourPlan,
    pub report: ValidationReport,
    pub out: PathBuf,
}

/// Runs every arm of the behaviour file, evaluates its checks and writes the report.
pub fn check_model(req: &CheckModelRequest, exec: &Exec<'_>) -> anyhow::Result<CheckModelOutcome> {
    let plan = load_behaviour(&req.behaviour)?;
    let out = req.out.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    let outcomes = run_arms(&plan, exec)?;
    let mut command = format!("collabsim check-model {}", shell_word(&req.behaviour.display().to_string()));
    if req.out.is_some() {
        command.push_str(&format!(" --out {}", shell_word(&out.display().to_string())));
    }
    let report = evaluate(&plan, &outcomes, command);
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir(dir)?;
    }
    write_report(&out, &report).with_context(|| cannot_write(&out))?;
    Ok(CheckModelOutcome { plan, report, out })
}

/// Every arm's outcomes, in replicate order.
pub fn run_arms(plan: &BehaviourPlan, exec: &Exec<'_>) -> anyhow::Result<Vec<Vec<ReplicateOutcome>>> {
    exec.progress.start(
        plan.arms.len() as u64 * plan.replicates,
        &format!("check-model: {} checks, {} arms", plan.checks.len(), plan.arms.len()),
    );
    let r = (0..plan.arms.len()).map(|a| run_one(plan, a, exec)).collect();
    exec.progress.finish();
    r
}

fn run_one(plan: &BehaviourPlan, a: usize, exec: &Exec<'_>) -> anyhow::Result<Vec<ReplicateOutcome>> {
    let arm = &plan.arms[a];
    let ov = plan.overrides(a);
    let msg = ("", "check-model interrupted; nothing was written");
    arm_outcomes(&arm.plan.scenario_file, &arm.text, &ov, (arm.seed, plan.replicates), exec, msg)
}

/// A value with its 95% interval.
struct Est {
    value: Option<f64>,
    lo: f64,
    hi: f64,
}

fn est(v: crate::output::calibrate::record::TargetValue) -> Est {
    let z = normal_quantile(0.975);
    match v.value {
        Some(x) => Est { value: Some(x), lo: x - z * v.se, hi: x + z * v.se },
        None => Est { value: None, lo: 0.0, hi: 0.0 },
    }
}

fn texts(t: &TargetPlan, e: &Est) -> (String, String) {
    // A share's interval is shown within 0 to 1 (a difference's within -1 to 1).
    let (min, max) = match (t.statistic.is_share(), t.baseline) {
        (true, None) => (0.0, 1.0),
        (true, Some(_)) => (-1.0, 1.0),
        _ => (f64::NEG_INFINITY, f64::INFINITY),
    };
    match e.value {
        Some(v) => (fmt_value(t, v), format!("{} to {}", fmt_value(t, e.lo.max(min)), fmt_value(t, e.hi.min(max)))),
        None => ("undefined".into(), "-".into()),
    }
}

fn row(section: Group, what: String, t: &TargetPlan, e: &Est, requirement: String, pass: bool) -> Row {
    let (estimate_text, interval_text) = texts(t, e);
    Row {
        section,
        what,
        estimate: e.value,
        interval: e.value.map(|_| (e.lo, e.hi)),
        estimate_text,
        interval_text,
        requirement,
        pass,
    }
}

/// The required interval in words.
fn required(t: &TargetPlan, excludes_zero: bool) -> String {
    let share_bounds = t.statistic.is_share() && t.baseline.is_none();
    let base = if share_bounds && t.lo <= 0.0 {
        format!("at most {}", fmt_value(t, t.hi))
    } else if share_bounds && t.hi >= 1.0 {
        format!("at least {}", fmt_value(t, t.lo))
    } else {
        format!("{} to {}", fmt_value(t, t.lo), fmt_value(t, t.hi))
    };
    if excludes_zero { format!("{base}; interval excludes 0") } else { base }
}

fn within(t: &TargetPlan, e: &Est, excludes_zero: bool) -> bool {
    match e.value {
        Some(v) => v >= t.lo && v <= t.hi && (!excludes_zero || e.lo > 0.0 || e.hi < 0.0),
        None => false,
    }
}

/// Every check's requirements from the arms' outcomes.
pub fn evaluate(plan: &BehaviourPlan, outcomes: &[Vec<ReplicateOutcome>], command: String) -> ValidationReport {
    let arms = plan.arm_plans();
    let checks = plan.checks.iter().map(|c| evaluate_check(plan, c, &arms, outcomes)).collect();
    ValidationReport {
        command,
        crate_version: env!("CARGO_PKG_VERSION").into(),
        git_commit: option_env!("COLLABSIM_GIT_COMMIT").map(String::from),
        replicates: plan.replicates,
        seed: plan.seed,
        checks,
    }
}

fn evaluate_check(
    plan: &BehaviourPlan,
    c: &Check,
    arms: &[ArmPlan],
    outcomes: &[Vec<ReplicateOutcome>],
) -> CheckResult {
    let t = &c.target;
    let value = |arm: usize, baseline: Option<usize>| {
        est(target_value(&TargetPlan { arm, baseline, ..t.clone() }, arms, outcomes))
    };
    let mut rows = Vec::new();
    let mut table = None;
    match &c.ladder {
        None => {
            let e = est(target_value(t, arms, outcomes));
            let pass = if t.statistic == Statistic::MaxWeekShare && e.value.is_none() {
                true // nothing ended: no artefact
            } else {
                within(t, &e, c.excludes_zero)
            };
            let mut what = t.describe();
            if t.baseline.is_some() {
                what = format!("{what}, `set` minus `baseline_set`");
            }
            let mut r = row(c.group, what, t, &e, required(t, c.excludes_zero), pass);
            if t.statistic == Statistic::MaxWeekShare && e.value.is_none() {
                r.estimate_text = "no run ended".into();
            }
            rows.push(r);
            if let Some((b, other)) = &c.below {
                let e = value(t.arm, Some(*b));
                let d = TargetPlan { baseline: Some(*b), ..t.clone() };
                rows.push(row(
                    c.group,
                    format!("{} minus that of `{}`", d.describe(), file_name(other)),
                    &d,
                    &e,
                    "below 0: the interval's upper end under 0".into(),
                    e.value.is_some() && e.hi < 0.0,
                ));
            }
        }
        Some(l) => {
            let single = TargetPlan { baseline: None, ..t.clone() };
            let mut levels = Vec::new();
            let mut steps = Vec::new();
            for (i, (&a, &x)) in l.arms.iter().zip(&l.levels).enumerate() {
                let v = value(a, None);
                let (vt, vi) = texts(&single, &v);
                let step_text = if i == 0 {
                    "-".to_string()
                } else {
                    let s = value(a, Some(l.arms[i - 1]));
                    let (st, si) = texts(t, &s);
                    steps.push(s);
                    format!("{st} ({si})")
                };
                levels.push(LadderRow { level: x, value_text: format!("{vt} ({vi})"), step_text });
            }
            table = Some(LadderTable { vary: l.vary.clone(), statistic: single.describe(), rows: levels });
            let (first, last) = (l.arms[0], l.arms[l.arms.len() - 1]);
            let span = format!(
                "{} = {} minus {} = {}",
                l.vary,
                toml_number(l.levels[l.levels.len() - 1]),
                l.vary,
                toml_number(l.levels[0])
            );
            let e = est(target_value(t, arms, outcomes));
            rows.push(row(
                Group::Lever,
                format!("difference, {span}"),
                t,
                &e,
                required(t, c.excludes_zero),
                within(t, &e, c.excludes_zero),
            ));
            // Monotone: no step against the direction with its interval clear of zero.
            let against = |s: &Est| match l.direction {
                Direction::Down => s.value.is_some() && s.lo > 0.0,
                Direction::Up => s.value.is_some() && s.hi < 0.0,
            };
            let worst = steps
                .iter()
                .filter(|s| s.value.is_some())
                .max_by(|a, b| {
                    let k = |s: &Est| match l.direction {
                        Direction::Down => s.value.unwrap_or(0.0),
                        Direction::Up => -s.value.unwrap_or(0.0),
                    };
                    k(a).total_cmp(&k(b))
                })
                .map_or(Est { value: None, lo: 0.0, hi: 0.0 }, |s| Est { value: s.value, lo: s.lo, hi: s.hi });
            let reversed = steps.iter().filter(|s| against(s)).count();
            let (way, sign) = match l.direction {
                Direction::Down => ("down", "above"),
                Direction::Up => ("up", "below"),
            };
            rows.push(row(
                Group::Lever,
                format!("monotone {way}: the step most against it ({reversed} of {} reverse)", steps.len()),
                t,
                &worst,
                format!("no step with its interval {sign} 0"),
                reversed == 0 && steps.len() == l.arms.len() - 1,
            ));
            if let Some(j) = l.flatter_than {
                let o = &plan.checks[j];
                let ol = o.ladder.as_ref().expect("checked: a ladder");
                let (of, olast) = (ol.arms[0], ol.arms[ol.arms.len() - 1]);
                let e = est(contrast_value(t, arms, outcomes, &[(last, 1.0), (first, -1.0), (olast, -1.0), (of, 1.0)]));
                let pass = match l.direction {
                    Direction::Down => e.value.is_some() && e.lo > 0.0,
                    Direction::Up => e.value.is_some() && e.hi < 0.0,
                };
                rows.push(row(
                    Group::Lever,
                    format!("this difference minus that of \"{}\"", o.name),
                    t,
                    &e,
                    format!("interval {sign} 0: a smaller change"),
                    pass,
                ));
            }
            if let Some(max) = l.max_week_share_at_ends {
                for (a, x) in [(first, l.levels[0]), (last, l.levels[l.levels.len() - 1])] {
                    let m = TargetPlan {
                        statistic: Statistic::MaxWeekShare,
                        year: None,
                        arm: a,
                        baseline: None,
                        lo: 0.0,
                        hi: max,
                        ..t.clone()
                    };
                    let e = est(target_value(&m, arms, outcomes));
                    let pass = e.value.is_none_or(|v| v <= max);
                    let mut r = row(
                        Group::Artefact,
                        format!("{} at {} = {}", m.describe(), l.vary, toml_number(x)),
                        &m,
                        &e,
                        required(&m, false),
                        pass,
                    );
                    if e.value.is_none() {
                        r.estimate_text = "no run ended".into();
                    }
                    rows.push(r);
                }
            }
        }
    }
    CheckResult {
        name: c.name.clone(),
        group: c.group,
        scenario: file_name(&c.scenario),
        set: c.set.clone(),
        rows,
        ladder: table,
    }
}

fn file_name(p: &str) -> String {
    Path::new(p).file_name().map_or(p.to_string(), |f| f.to_string_lossy().into_owned())
}
