//! Planning a wave. Wave 1: a Latin hypercube over the prior box. Later waves: an emulator
//! per target (a quadratic least-squares fit in the parameters scaled to [0, 1], on every
//! point simulated so far), candidates drawn uniformly over the prior box, those that no
//! emulator rules out kept, and `points` of them chosen by greedy maximin (as far as
//! possible from every point simulated and every point chosen); if too few pass, accepted
//! points perturbed to make up the number. Every draw comes from the wave's own stream of
//! the master seed, which no replicate uses; the plan depends only on the records of the
//! earlier waves.

use rand::RngExt;

use crate::analysis::design::{Range, latin_hypercube};
use crate::analysis::emulator::Emulator;
use crate::analysis::history::{greedy_maximin, implausibility};
use crate::engine::rng::replicate_rng;
use crate::output::calibrate::Evaluated;
use crate::output::calibrate::record::{EmulatorInfo, WaveDesign, WaveKind, WavePlan};
use crate::scenario::calibration::CalibrationPlan;

/// Wave `w`'s draws come from stream `WAVE_STREAM_BASE - w` of the master seed (replicates
/// count up from 0; a sweep's design and bootstrap use `u64::MAX` and `u64::MAX - 1`).
pub const WAVE_STREAM_BASE: u64 = u64::MAX - 10;

/// Half-width of the uniform perturbation of an accepted point, as a share of each range.
pub const PERTURBATION: f64 = 0.1;

fn ranges(plan: &CalibrationPlan) -> Vec<Range> {
    plan.priors.iter().map(|p| Range { lo: p.lo, hi: p.hi }).collect()
}

/// A point scaled to [0, 1] in every parameter.
pub fn normalise(plan: &CalibrationPlan, x: &[f64]) -> Vec<f64> {
    ranges(plan).iter().zip(x).map(|(r, &v)| r.fraction(v)).collect()
}

/// The emulator of each target on `history` (`None` where too few of its values are
/// defined), with what the implausibility adds for it: the mean squared simulation SE.
pub fn emulators(plan: &CalibrationPlan, history: &[Evaluated]) -> Vec<Option<(Emulator, f64)>> {
    (0..plan.targets.len())
        .map(|t| {
            let (mut xs, mut ys, mut ses) = (Vec::new(), Vec::new(), Vec::new());
            for e in history {
                if let Some(v) = e.values[t].value {
                    xs.push(normalise(plan, &e.x));
                    ys.push(v);
                    ses.push(e.values[t].se * e.values[t].se);
                }
            }
            let sim_var = if ses.is_empty() { 0.0 } else { ses.iter().sum::<f64>() / ses.len() as f64 };
            Emulator::fit(&xs, &ys).map(|e| (e, sim_var))
        })
        .collect()
}

/// Whether no target's emulator rules out the normalised point `u`.
fn passes(plan: &CalibrationPlan, ems: &[Option<(Emulator, f64)>], u: &[f64]) -> bool {
    plan.targets.iter().zip(ems).all(|(t, em)| match em {
        None => true,
        Some((e, sim_var)) => {
            let p = e.predict(u);
            let var = t.tolerance * t.tolerance + sim_var + e.sigma2 * (1.0 + p.leverage);
            implausibility(p.mean, t.lo, t.hi, var) <= plan.cut
        }
    })
}

/// The plan of wave `wave` (1-based), whose first point is number `first_point`, given every
/// point simulated in the waves before it.
pub fn plan_wave(plan: &CalibrationPlan, wave: u32, first_point: usize, history: &[Evaluated]) -> WavePlan {
    let mut rng = replicate_rng(plan.seed, WAVE_STREAM_BASE - u64::from(wave));
    let k = plan.priors.len();
    let rs = ranges(plan);
    if wave == 1 {
        let design = WaveDesign {
            kind: WaveKind::LatinHypercube,
            candidates: 0,
            passed: 0,
            perturbed: 0,
            emulators: vec![None; plan.targets.len()],
        };
        return WavePlan::new(plan, wave, first_point, design, latin_hypercube(&rs, plan.points, &mut rng));
    }
    let ems = emulators(plan, history);
    let n_cand = plan.candidates * plan.points;
    let mut passed: Vec<Vec<f64>> = Vec::new();
    for _ in 0..n_cand {
        let u: Vec<f64> = (0..k).map(|_| rng.random::<f64>()).collect();
        if passes(plan, &ems, &u) {
            passed.push(u);
        }
    }
    let simulated: Vec<Vec<f64>> = history.iter().map(|e| normalise(plan, &e.x)).collect();
    let mut chosen: Vec<Vec<f64>> =
        greedy_maximin(&passed, &simulated, plan.points).into_iter().map(|i| passed[i].clone()).collect();
    // Too few passed: perturb the accepted points, in turn, to make up the number.
    let accepted: Vec<Vec<f64>> = history.iter().filter(|e| e.max <= plan.cut).map(|e| normalise(plan, &e.x)).collect();
    let mut perturbed = 0;
    while chosen.len() < plan.points && !accepted.is_empty() {
        let base = &accepted[perturbed % accepted.len()];
        let u: Vec<f64> = base
            .iter()
            .map(|&b| {
                let v = b + PERTURBATION * (2.0 * rng.random::<f64>() - 1.0);
                // Reflect back into [0, 1].
                if v < 0.0 {
                    -v
                } else if v > 1.0 {
                    2.0 - v
                } else {
                    v
                }
            })
            .collect();
        chosen.push(u);
        perturbed += 1;
    }
    let points: Vec<Vec<f64>> = chosen.iter().map(|u| rs.iter().zip(u).map(|(r, &v)| r.at(v)).collect()).collect();
    let infos = ems
        .iter()
        .map(|em| {
            em.as_ref().map(|(e, sim_var)| EmulatorInfo {
                order: e.order.into(),
                points: e.n,
                residual_sd: e.sigma2.sqrt(),
                simulation_sd: sim_var.sqrt(),
            })
        })
        .collect();
    let design =
        WaveDesign { kind: WaveKind::Emulated, candidates: n_cand, passed: passed.len(), perturbed, emulators: infos };
    WavePlan::new(plan, wave, first_point, design, points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::calibrate::finalize::implausibilities;
    use crate::output::calibrate::record::TargetValue;
    use crate::scenario::calibration::{Prior, Statistic, TargetPlan};

    /// One prior on [0, 1] and one target observed in `[lo, hi]`.
    fn plan(lo: f64, hi: f64, tolerance: f64) -> CalibrationPlan {
        CalibrationPlan {
            id: "test".into(),
            crate_version: String::new(),
            name: String::new(),
            calibration_file: String::new(),
            calibration_sha256: String::new(),
            seed: 5,
            replicates: 10,
            waves: 2,
            points: 6,
            cut: 3.0,
            candidates: 50,
            years: None,
            priors: vec![Prior { key: "a.b".into(), lo: 0.0, hi: 1.0, declared: false }],
            arms: vec![],
            targets: vec![TargetPlan {
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
            }],
        }
    }

    /// Ten simulated points x = 0.05, 0.15, ..., 0.95 whose statistic is x, with SE `se`.
    fn history(p: &CalibrationPlan, se: f64) -> Vec<Evaluated> {
        (0..10)
            .map(|i| {
                let x = 0.05 + 0.1 * i as f64;
                let values = vec![TargetValue { value: Some(x), se }];
                let (implausibility, max) = implausibilities(p, &values);
                Evaluated { id: i, wave: 1, x: vec![x], values, implausibility, max }
            })
            .collect()
    }

    #[test]
    fn the_first_wave_is_a_latin_hypercube_and_plans_repeat() {
        let p = plan(0.0, 0.1, 0.01);
        let w = plan_wave(&p, 1, 0, &[]);
        assert_eq!(w.design.kind, WaveKind::LatinHypercube);
        let mut strata: Vec<usize> = w.points.iter().map(|x| (x[0] * 6.0) as usize).collect();
        strata.sort();
        assert_eq!(strata, vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(plan_wave(&p, 1, 0, &[]), w);
        // Another wave number draws from another stream.
        assert_ne!(plan_wave(&p, 2, 0, &[]).points, w.points);
    }

    /// The statistic is x itself, observed in [0, 0.1] with tolerance 0.01 and simulation SE
    /// 0.01: the emulator (exact, residual variance ~0) rules out x above
    /// 0.1 + 3 sqrt(0.01^2 + 0.01^2) = 0.142, so every chosen point lies below it.
    #[test]
    fn later_waves_sample_only_where_the_emulators_allow() {
        let p = plan(0.0, 0.1, 0.01);
        let h = history(&p, 0.01);
        let w = plan_wave(&p, 2, 10, &h);
        assert_eq!(w.design.kind, WaveKind::Emulated);
        assert_eq!((w.design.candidates, w.points.len(), w.design.perturbed), (300, 6, 0));
        let bound = 0.1 + 3.0 * (2.0f64 * 0.01 * 0.01).sqrt();
        assert!(w.points.iter().all(|x| x[0] <= bound + 1e-9), "{:?}", w.points);
        // About 14% of uniform candidates lie below the bound.
        assert!((20..70).contains(&w.design.passed), "{}", w.design.passed);
        let e = w.design.emulators[0].as_ref().unwrap();
        assert!(e.residual_sd < 1e-9 && (e.simulation_sd - 0.01).abs() < 1e-12);
        assert_eq!(plan_wave(&p, 2, 10, &h), w);
    }

    /// Observed exactly 0.05 with almost no uncertainty: hardly a candidate passes, so the
    /// accepted point (x = 0.05) is perturbed by up to 0.1 to make up the wave.
    #[test]
    fn too_few_candidates_are_made_up_by_perturbing_accepted_points() {
        let p = plan(0.05, 0.05, 1e-4);
        let h = history(&p, 1e-4);
        assert_eq!(h.iter().filter(|e| e.max <= p.cut).count(), 1);
        let w = plan_wave(&p, 2, 10, &h);
        assert_eq!(w.points.len(), 6);
        assert_eq!(w.design.perturbed, 6 - w.design.passed);
        assert!(w.design.perturbed > 0);
        assert!(w.points.iter().all(|x| (0.0..=0.15 + 1e-12).contains(&x[0])), "{:?}", w.points);
    }
}
