//! `levers`: which policy levers matter for a scenario. Every lever the registry declares
//! (one per partner for the per-organization ones) is moved on its own from the scenario's
//! value to each end of its plausible range (a true-or-false lever to both values, a choice
//! to each alternative); levers the rules would not read here are left out with the reason.
//! Every setting runs replicates 0..n of the scenario's seed, all of them in one parallel
//! batch (`engine::arms`), so each setting's difference from the scenario is paired
//! replicate by replicate. Writes levers.json, levers.csv, the tornado chart, report.html
//! and manifest.json.

use std::path::PathBuf;

use anyhow::{Context, bail};

use super::manifest::{Inputs, ScenarioInputs, write_manifest};
use super::{Exec, Interrupted, cannot_write, create_dir, reproduce_command, shell_word};
use crate::analysis::arm::LEVEL;
use crate::analysis::levers::{bounded_paired_difference, rank_by_swing, still_running, swing};
use crate::analysis::paired::{Difference, restricted_times};
use crate::engine::ReplicateOutcome;
use crate::engine::arms::run_arms_crn;
use crate::model::levers::{Lever, inert_reason, levers as all_levers};
use crate::model::registry::{Kind, Value};
use crate::output::levers::{
    ArmValues, End, Interval, LeverEffect, Levers, SettingEffect, Skipped, Span, levers_report, tornado_figure,
};
use crate::output::write_atomic;
use crate::scenario::experiment::toml_number;
use crate::scenario::spec::display;
use crate::scenario::{self, Scenario};

/// Replicates per setting unless the flags say otherwise: with common random numbers the
/// paired intervals stay within about ±10 points of survival at this size, and CS1's 25
/// settings (2,500 ten-year runs) take about 11 s on two cores; `--replicates 200` narrows the
/// intervals by a factor of about 1.4 and takes twice as long.
pub const DEFAULT_REPLICATES: u64 = 100;
/// The year at which survival is compared unless `--year` says (or the horizon, if shorter).
pub const DEFAULT_YEAR: f64 = 5.0;

/// The files of a levers folder besides manifest.json.
pub const LEVERS_FILES: [&str; 5] = ["levers.csv", "levers.json", "tornado.svg", "tornado.png", "report.html"];

const WEEKS_PER_YEAR: f64 = 52.0;

/// What to analyse.
pub struct LeversRequest {
    pub scenario: PathBuf,
    /// Overrides of the scenario (`--replicates`, `--seed`, `--years`, `--set`); without a
    /// `replicates=` among them, [`DEFAULT_REPLICATES`].
    pub overrides: Vec<String>,
    /// Default: [`DEFAULT_YEAR`], or the horizon if it is shorter.
    pub year: Option<f64>,
    /// Default: `outputs/<scenario stem>-levers/`.
    pub out: Option<PathBuf>,
}

/// The analysis and the folder it was written to.
pub struct LeversResult {
    pub scenario: Scenario,
    pub levers: Levers,
    pub out: PathBuf,
}

/// One setting to run: the lever it belongs to, its value and its `--set` argument.
struct Planned {
    lever: usize,
    setting: String,
    end: End,
    /// `None`: the scenario's own value (the baseline's outcomes serve).
    arm: Option<usize>,
}

/// Moves every lever of the scenario, runs every setting on common random numbers and
/// writes the folder.
pub fn levers(req: &LeversRequest, exec: &Exec<'_>) -> anyhow::Result<LeversResult> {
    let mut overrides = req.overrides.clone();
    if !overrides.iter().any(|o| o.trim_start().starts_with("replicates")) {
        overrides.insert(0, format!("replicates={DEFAULT_REPLICATES}"));
    }
    let base = scenario::load(&req.scenario, &overrides)?;
    let p = &base.spec.params;
    let horizon_years = f64::from(p.horizon_weeks) / WEEKS_PER_YEAR;
    let year = req.year.unwrap_or(DEFAULT_YEAR.min(horizon_years));
    if !(year.is_finite() && year > 0.0 && year <= horizon_years + 1e-9) {
        bail!(
            "--year {year} is outside the run: give a year above 0 and at most the horizon, {} years (or lengthen the horizon with --years)",
            toml_number(horizon_years)
        );
    }
    let (seed, replicates) = (base.spec.run.seed, base.spec.run.replicates);
    if replicates < 2 {
        bail!(
            "--replicates {replicates} is too few for an interval: give at least 2 (the default is {DEFAULT_REPLICATES})"
        );
    }

    // The settings: each lever's ends, the scenario's own value among them or beside them.
    let levers = all_levers(p);
    let mut skipped = Vec::new();
    let mut kept: Vec<&Lever> = Vec::new();
    let mut planned = Vec::new();
    let mut arm_params = vec![p.clone()];
    let mut arm_sets: Vec<String> = vec![String::new()];
    for l in &levers {
        if let Some(reason) = inert_reason(l, p) {
            skipped.push(Skipped { path: l.path.clone(), setting: None, reason });
            continue;
        }
        let Some(settings) = settings(l) else {
            skipped.push(Skipped {
                path: l.path.clone(),
                setting: None,
                reason: "no plausible range is declared for it".into(),
            });
            continue;
        };
        let li = kept.len();
        let mut any = false;
        for (value, text, end) in settings {
            if value == l.value {
                planned.push(Planned { lever: li, setting: text, end, arm: None });
                any = true;
                continue;
            }
            let set = format!("{}={text}", l.path);
            let mut ov = overrides.clone();
            ov.push(set.clone());
            match scenario::load(&req.scenario, &ov) {
                Ok(sc) => {
                    planned.push(Planned { lever: li, setting: text, end, arm: Some(arm_params.len()) });
                    arm_params.push(sc.spec.params);
                    arm_sets.push(set);
                    any = true;
                }
                Err(e) => skipped.push(Skipped {
                    path: l.path.clone(),
                    setting: Some(text),
                    reason: format!(
                        "the scenario is not valid with it: {}",
                        e.to_string().lines().next().unwrap_or("")
                    ),
                }),
            }
        }
        if any {
            kept.push(l);
        }
    }

    // Every setting's replicates in one batch.
    let out = req.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(format!("{}-levers", base.stem())));
    exec.progress.start(
        arm_params.len() as u64 * replicates,
        &format!("levers: {} settings of {} levers", arm_params.len() - 1, kept.len()),
    );
    let report =
        exec.pool.install(|| run_arms_crn(&arm_params, seed, 0..replicates, exec.cancel, &|| exec.progress.inc(1)));
    exec.progress.finish();
    if report.cancelled {
        return Err(Interrupted("levers interrupted; nothing was written".into()).into());
    }
    if let Some((a, f)) = report.failures.first() {
        let mut extra = vec!["--replicate".to_string(), f.replicate.to_string()];
        if !arm_sets[*a].is_empty() {
            extra.splice(0..0, ["--set".to_string(), shell_word(&arm_sets[*a])]);
        }
        bail!(
            "replicate {} (seed {}) panicked: {}; re-run it alone with: {}",
            f.replicate,
            f.seed,
            f.message,
            reproduce_command("run", &base, &extra)
        );
    }

    let horizon = f64::from(p.horizon_weeks);
    let per_arm: Vec<(Vec<f64>, Vec<f64>)> = report.outcomes.iter().map(|o| per_replicate(o, year, horizon)).collect();
    let values = |a: usize| ArmValues { survival: mean(&per_arm[a].0), rmst_years: mean(&per_arm[a].1) };
    let diff = |from: usize, to: usize, rmst: bool| {
        let (x, y, hi) = if rmst {
            (&per_arm[from].1, &per_arm[to].1, horizon_years)
        } else {
            (&per_arm[from].0, &per_arm[to].0, 1.0)
        };
        interval(bounded_paired_difference(x, y, (0.0, hi), LEVEL))
    };

    let mut effects = Vec::new();
    for (li, l) in kept.iter().enumerate() {
        let mine: Vec<&Planned> = planned.iter().filter(|s| s.lever == li).collect();
        let mut settings: Vec<(SettingEffect, usize)> = mine
            .iter()
            .map(|s| {
                let a = s.arm.unwrap_or(0);
                let effect = SettingEffect {
                    setting: s.setting.clone(),
                    end: s.end,
                    is_scenario: s.arm.is_none(),
                    values: values(a),
                    survival_difference: if a == 0 { Interval::ZERO } else { diff(0, a, false) },
                    rmst_difference_years: if a == 0 { Interval::ZERO } else { diff(0, a, true) },
                };
                (effect, a)
            })
            .collect();
        if !settings.iter().any(|(s, _)| s.is_scenario) {
            // A numeric lever whose value lies inside its range: its own value sits between.
            // An optional lever left out (a partner's turnover) says so: its value is inherited.
            let text = if l.value == Value::Unset { "not set".to_string() } else { value_text(&l.effective) };
            let effect = SettingEffect {
                setting: text,
                end: End::Scenario,
                is_scenario: true,
                values: values(0),
                survival_difference: Interval::ZERO,
                rmst_difference_years: Interval::ZERO,
            };
            // In order of value: a scenario outside the plausible range sits beyond its end.
            let own = match &l.effective {
                Value::Number(x) => *x,
                Value::Count(x) => *x as f64,
                _ => f64::INFINITY,
            };
            let at = settings.iter().filter(|(s, _)| s.setting.parse::<f64>().is_ok_and(|v| v < own)).count();
            settings.insert(at, (effect, 0));
        }
        let span = |rmst: bool| {
            let v = |s: &SettingEffect| if rmst { s.values.rmst_years } else { s.values.survival };
            let lo = (0..settings.len()).min_by(|&i, &j| v(&settings[i].0).total_cmp(&v(&settings[j].0))).unwrap_or(0);
            let hi = (0..settings.len()).max_by(|&i, &j| v(&settings[i].0).total_cmp(&v(&settings[j].0))).unwrap_or(0);
            let (f, t) = if lo <= hi { (lo, hi) } else { (hi, lo) };
            let (sf, st) = (&settings[f], &settings[t]);
            Span {
                from: sf.0.setting.clone(),
                to: st.0.setting.clone(),
                from_value: v(&sf.0),
                to_value: v(&st.0),
                difference: if sf.1 == st.1 { Interval::ZERO } else { diff(sf.1, st.1, rmst) },
            }
        };
        let (survival_span, rmst_span) = (span(false), span(true));
        let settings: Vec<SettingEffect> = settings.into_iter().map(|(s, _)| s).collect();
        let sw = |rmst: bool| {
            let d: Vec<f64> = settings
                .iter()
                .map(|s| if rmst { s.rmst_difference_years.estimate } else { s.survival_difference.estimate })
                .collect();
            swing(&d)
        };
        effects.push(LeverEffect {
            path: l.path.clone(),
            meaning: l.spec.meaning.to_string(),
            unit: l.spec.unit.to_string(),
            kind: l.spec.kind.describe().to_string(),
            scenario_value: match (&l.value, &l.effective) {
                (Value::Unset, e) => format!("{} (not set: the shared value)", value_text(e)),
                (v, _) => value_text(v),
            },
            plausible: l.spec.plausible.map(|(a, b)| [a, b]),
            survival_swing: sw(false),
            rmst_swing_years: sw(true),
            survival_span,
            rmst_span,
            settings,
            survival_rank: 0,
            rmst_rank: 0,
        });
    }
    for rmst in [false, true] {
        let swings: Vec<f64> =
            effects.iter().map(|e| if rmst { e.rmst_swing_years } else { e.survival_swing }).collect();
        for (rank, i) in rank_by_swing(&swings).into_iter().enumerate() {
            if rmst {
                effects[i].rmst_rank = rank + 1;
            } else {
                effects[i].survival_rank = rank + 1;
            }
        }
    }
    effects.sort_by_key(|e| e.survival_rank);

    let lv = Levers {
        question: format!("Which levers matter for {}?", base.spec.run.name),
        scenario: base.spec.run.name.clone(),
        scenario_file: base.path.display().to_string(),
        overrides: base.overrides.clone(),
        seed,
        replicates,
        horizon_years,
        year,
        baseline: values(0),
        levers: effects,
        skipped,
    };

    create_dir(&out)?;
    let json = out.join("levers.json");
    write_atomic(&json, &lv.to_json()).with_context(|| cannot_write(&json))?;
    let csv = out.join("levers.csv");
    lv.write_csv(&csv).with_context(|| cannot_write(&csv))?;
    let svg = tornado_figure(&out.join("tornado"), &lv).with_context(|| cannot_write(&out.join("tornado.svg")))?;
    let mut extra = Vec::new();
    if let Some(y) = req.year {
        extra.extend(["--year".to_string(), toml_number(y)]);
    }
    let command = reproduce_command("levers", &base, &extra);
    let html = levers_report(&lv, &svg, &command);
    let report_path = out.join("report.html");
    write_atomic(&report_path, html.as_bytes()).with_context(|| cannot_write(&report_path))?;
    let files: Vec<String> = LEVERS_FILES.iter().map(|f| f.to_string()).collect();
    let inputs = Inputs::Levers { scenario: Box::new(ScenarioInputs::of(&base)), year };
    write_manifest(&out, &exec.command, inputs, &files)?;
    Ok(LeversResult { scenario: base, levers: lv, out })
}

/// A lever's settings: its value, that value as `--set` writes it, and which end it is.
/// `None` for a numeric lever with no plausible range.
fn settings(l: &Lever) -> Option<Vec<(Value, String, End)>> {
    match l.spec.kind {
        Kind::Bool => {
            Some(vec![(Value::Bool(false), "false".into(), End::Low), (Value::Bool(true), "true".into(), End::High)])
        }
        Kind::Choice(names) => {
            Some(names.iter().map(|n| (Value::Text(n.to_string()), n.to_string(), End::Alternative)).collect())
        }
        Kind::Number => {
            let (lo, hi) = l.spec.plausible?;
            Some(vec![(Value::Number(lo), toml_number(lo), End::Low), (Value::Number(hi), toml_number(hi), End::High)])
        }
        Kind::Count { .. } => {
            let (lo, hi) = l.spec.plausible?;
            let (lo, hi) = (lo.round() as u64, hi.round() as u64);
            Some(vec![(Value::Count(lo), lo.to_string(), End::Low), (Value::Count(hi), hi.to_string(), End::High)])
        }
        _ => None,
    }
}

/// Per replicate: 1 if still running at `year`, and the lifetime in years up to the horizon.
fn per_replicate(outcomes: &[ReplicateOutcome], year: f64, horizon_weeks: f64) -> (Vec<f64>, Vec<f64>) {
    let ends: Vec<(f64, bool)> = outcomes.iter().map(|o| (f64::from(o.end_week), o.censored)).collect();
    let weeks: Vec<f64> = ends.iter().map(|e| e.0).collect();
    let alive = still_running(&ends, year * WEEKS_PER_YEAR);
    let life = restricted_times(&weeks, horizon_weeks).into_iter().map(|w| w / WEEKS_PER_YEAR).collect();
    (alive, life)
}

/// A value as `--set` writes it: `4`, `0.95`, `true`, `new-shared`.
fn value_text(v: &Value) -> String {
    match v {
        Value::Number(x) => toml_number(*x),
        Value::Text(t) => t.clone(),
        v => display(v),
    }
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() { f64::NAN } else { v.iter().sum::<f64>() / v.len() as f64 }
}

fn interval(d: Option<Difference>) -> Interval {
    d.map_or(Interval { estimate: f64::NAN, se: f64::NAN, ci95: [f64::NAN, f64::NAN] }, |d| Interval {
        estimate: d.estimate,
        se: d.se,
        ci95: [d.lower, d.upper],
    })
}
