//! A calibration's final numbers from its records alone: each point's implausibility under
//! each target, the points each wave's targets ruled out, the accepted points, the best
//! point, and for each parameter its accepted 5-95% range against its prior range (pinned
//! down under half the prior width, free otherwise); then the files (`output::calibrate`)
//! and the manifest.

use std::path::Path;

use anyhow::Context;

use crate::analysis::history::implausibility;
use crate::analysis::sobol::quantile_sorted;
use crate::app::manifest::{CalibrationInputs, FileHash, Inputs, write_manifest};
use crate::output::calibrate::record::{PointStats, TargetValue, WavePlan};
use crate::output::calibrate::{
    Calibrated, Evaluated, MIN_FOR_VERDICT, PINNED_BELOW, ParamSummary, TargetSummary, Verdict, WaveRow, write_results,
};
use crate::scenario::calibration::CalibrationPlan;

/// Each target's implausibility for these values, and the largest. An undefined statistic
/// is infinitely implausible: nothing about it can meet the observation.
pub fn implausibilities(plan: &CalibrationPlan, values: &[TargetValue]) -> (Vec<f64>, f64) {
    let i: Vec<f64> = plan
        .targets
        .iter()
        .zip(values)
        .map(|(t, v)| match v.value {
            Some(x) => implausibility(x, t.lo, t.hi, v.se * v.se + t.tolerance * t.tolerance),
            None => f64::INFINITY,
        })
        .collect();
    let max = i.iter().copied().fold(0.0, f64::max);
    (i, max)
}

/// A wave's points with their records (in point order) and implausibilities.
pub fn evaluate(plan: &CalibrationPlan, wave: &WavePlan, records: Vec<PointStats>) -> Vec<Evaluated> {
    records
        .into_iter()
        .enumerate()
        .map(|(j, r)| {
            let (implausibility, max) = implausibilities(plan, &r.targets);
            Evaluated {
                id: wave.first_point + j,
                wave: wave.wave,
                x: wave.points[j].clone(),
                values: r.targets,
                implausibility,
                max,
            }
        })
        .collect()
}

/// The median of sorted values (infinite ones included, sorted last).
fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

fn wave_row(plan: &CalibrationPlan, wave: u32, points: &[&Evaluated], target: Option<usize>) -> WaveRow {
    let mut is: Vec<f64> = points.iter().map(|e| target.map_or(e.max, |t| e.implausibility[t])).collect();
    is.sort_by(f64::total_cmp);
    WaveRow {
        wave,
        target,
        points: points.len(),
        ruled_out: is.iter().filter(|&&i| i > plan.cut).count(),
        min_implausibility: is.first().copied(),
        median_implausibility: median(&is),
    }
}

/// Everything the final files say, from the wave plans and every point evaluated.
pub fn summarize<'a>(
    plan: &'a CalibrationPlan,
    waves: &'a [WavePlan],
    evaluated: Vec<Evaluated>,
    command: String,
) -> Calibrated<'a> {
    let mut wave_rows = Vec::new();
    for w in waves {
        let pts: Vec<&Evaluated> = evaluated.iter().filter(|e| e.wave == w.wave).collect();
        for t in 0..plan.targets.len() {
            wave_rows.push(wave_row(plan, w.wave, &pts, Some(t)));
        }
        wave_rows.push(wave_row(plan, w.wave, &pts, None));
    }
    let accepted: Vec<usize> = (0..evaluated.len()).filter(|&i| evaluated[i].max <= plan.cut).collect();
    let best = (0..evaluated.len()).min_by(|&a, &b| evaluated[a].max.total_cmp(&evaluated[b].max).then(a.cmp(&b)));
    let params = plan
        .priors
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let mut xs: Vec<f64> = accepted.iter().map(|&i| evaluated[i].x[k]).collect();
            xs.sort_by(f64::total_cmp);
            let (q05, q95) = if xs.is_empty() {
                (None, None)
            } else {
                (Some(quantile_sorted(&xs, 0.05)), Some(quantile_sorted(&xs, 0.95)))
            };
            let width_share = q05.zip(q95).map(|(a, z)| (z - a) / (p.hi - p.lo));
            let verdict = match (xs.len(), width_share) {
                (0, _) => Verdict::NoneAccepted,
                (n, _) if n < MIN_FOR_VERDICT => Verdict::TooFew,
                (_, Some(s)) if s < PINNED_BELOW => Verdict::Pinned,
                _ => Verdict::Free,
            };
            ParamSummary {
                key: p.key.clone(),
                lo: p.lo,
                hi: p.hi,
                declared: p.declared,
                q05,
                q95,
                width_share,
                verdict,
            }
        })
        .collect();
    let targets = (0..plan.targets.len())
        .map(|t| {
            let vals: Vec<f64> = accepted.iter().filter_map(|&i| evaluated[i].values[t].value).collect();
            let range = (!vals.is_empty())
                .then(|| vals.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, z), &v| (a.min(v), z.max(v))));
            TargetSummary {
                ruled_out: evaluated.iter().filter(|e| e.implausibility[t] > plan.cut).count(),
                best: best.map(|b| evaluated[b].values[t]),
                accepted_range: range,
            }
        })
        .collect();
    let stopped_after = waves.iter().find(|w| w.points.is_empty()).map(|w| w.wave - 1);
    Calibrated { plan, waves, evaluated, wave_rows, params, targets, accepted, best, stopped_after, command }
}

/// Writes the final files and the manifest into `out`; returns the summary.
pub fn finish_folder<'a>(
    plan: &'a CalibrationPlan,
    waves: &'a [WavePlan],
    evaluated: Vec<Evaluated>,
    out: &Path,
    command_line: &[String],
) -> anyhow::Result<Calibrated<'a>> {
    let command = format!("collabsim calibrate {}", crate::app::shell_word(&plan.calibration_file));
    let c = summarize(plan, waves, evaluated, command);
    let mut listed = vec!["calibration.json".to_string()];
    listed.extend(waves.iter().map(|w| format!("waves/w{:02}/plan.json", w.wave)));
    listed.extend(write_results(&c, out).with_context(|| format!("cannot write the results in {}", out.display()))?);
    let mut scenarios: Vec<FileHash> = Vec::new();
    for a in &plan.arms {
        let f = FileHash { file: a.scenario_file.clone(), sha256: a.scenario_sha256.clone() };
        if !scenarios.contains(&f) {
            scenarios.push(f);
        }
    }
    let inputs = Inputs::Calibrate(CalibrationInputs {
        calibration: plan.id.clone(),
        calibration_file: plan.calibration_file.clone(),
        calibration_sha256: plan.calibration_sha256.clone(),
        scenarios,
    });
    write_manifest(out, command_line, inputs, &listed)?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::calibration::{Statistic, TargetPlan};

    fn plan() -> CalibrationPlan {
        let t = |lo: f64, hi: f64, tolerance: f64| TargetPlan {
            name: "t".into(),
            statistic: Statistic::Survival,
            year: Some(1.0),
            cause: None,
            partner: None,
            arm: 0,
            baseline: None,
            lo,
            hi,
            tolerance,
        };
        CalibrationPlan {
            id: "x".into(),
            crate_version: String::new(),
            name: String::new(),
            calibration_file: String::new(),
            calibration_sha256: String::new(),
            seed: 1,
            replicates: 2,
            waves: 1,
            points: 2,
            cut: 3.0,
            candidates: 1,
            years: None,
            priors: vec![],
            arms: vec![],
            targets: vec![t(0.65, 0.95, 0.04), t(0.5, 0.5, 0.0)],
        }
    }

    /// 0.5 against [0.65, 0.95] with se 0.03 and tolerance 0.04: 0.15 / 0.05 = 3 (not above
    /// the cut); 0.6 against 0.5 with se 0.05 and no tolerance: 2. An undefined value is
    /// infinitely implausible.
    #[test]
    fn implausibility_of_a_point_by_hand() {
        let p = plan();
        let v = |value, se| TargetValue { value, se };
        let (i, max) = implausibilities(&p, &[v(Some(0.5), 0.03), v(Some(0.6), 0.05)]);
        assert!((i[0] - 3.0).abs() < 1e-12 && (i[1] - 2.0).abs() < 1e-12, "{i:?}");
        assert!((max - 3.0).abs() < 1e-12);
        let (i, max) = implausibilities(&p, &[v(Some(0.8), 0.0), v(None, 0.0)]);
        assert_eq!(i, vec![0.0, f64::INFINITY]);
        assert_eq!(max, f64::INFINITY);
    }

    #[test]
    fn medians_take_infinite_values() {
        assert_eq!(median(&[1.0, 2.0, f64::INFINITY]), Some(2.0));
        assert_eq!(median(&[1.0, 3.0]), Some(2.0));
        assert_eq!(median(&[1.0, f64::INFINITY]), Some(f64::INFINITY));
        assert_eq!(median(&[]), None);
    }
}
