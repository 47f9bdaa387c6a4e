//! Morris elementary-effects screening (Morris 1991), with the mean absolute effect `mu*` of
//! Campolongo, Cariboni and Saltelli (2007): trajectory designs on a p-level grid and the
//! per-parameter summaries of the elementary effects computed from the model outputs.

use crate::analysis::design::Range;
use rand::seq::SliceRandom;
use rand::{Rng, RngExt};

/// Summary of one parameter's elementary effects: their mean `mu`, the mean of their absolute
/// values `mu_star`, and their sample standard deviation `sigma` (divisor `r - 1`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisIndex {
    pub mu: f64,
    pub mu_star: f64,
    pub sigma: f64,
}

/// The Morris step `delta = p / (2 (p - 1))` in the scaled `[0, 1]` units, for `p` levels.
pub fn morris_delta(levels: usize) -> f64 {
    levels as f64 / (2.0 * (levels as f64 - 1.0))
}

fn check_levels(levels: usize) {
    // For even p the step p / (2 (p - 1)) is exactly p/2 grid intervals, so every level has
    // exactly one of +delta, -delta landing on the grid inside [0, 1]. For odd p it is not a
    // whole number of intervals (p = 3: delta = 3/4 leaves the grid from every level).
    assert!(levels >= 2 && levels.is_multiple_of(2), "Morris needs an even number of levels >= 2, got {levels}");
}

/// Morris trajectory design: `trajectories` trajectories of `k + 1` points each (`k =
/// ranges.len()`), concatenated, trajectory after trajectory.
///
/// Each parameter lives on the `levels`-level grid `{0, 1/(p-1), ..., 1}` of `[0, 1]`, mapped
/// linearly onto its range. A trajectory starts at a base point with every coordinate drawn
/// uniformly from the grid, then moves one parameter at a time, in a random order, by
/// `+delta` or `-delta` (`delta = p / (2 (p - 1))`), whichever stays inside `[0, 1]`; with an
/// even `p` exactly one of the two does, and because the base level is uniform the sign is
/// `+` or `-` with probability 1/2 each (Morris' random orientation).
///
/// # Panics
/// If `levels` is odd or below 2.
pub fn morris_design<R: Rng + ?Sized>(
    ranges: &[Range],
    trajectories: usize,
    levels: usize,
    rng: &mut R,
) -> Vec<Vec<f64>> {
    check_levels(levels);
    let k = ranges.len();
    let half = levels / 2;
    let to_point = |idx: &[usize]| -> Vec<f64> {
        idx.iter().zip(ranges).map(|(&i, r)| r.at(i as f64 / (levels - 1) as f64)).collect()
    };
    let mut points = Vec::with_capacity(trajectories * (k + 1));
    let mut order: Vec<usize> = (0..k).collect();
    for _ in 0..trajectories {
        // Work in grid indices so that the moves are exact.
        let mut idx: Vec<usize> = (0..k).map(|_| rng.random_range(0..levels)).collect();
        order.shuffle(rng);
        points.push(to_point(&idx));
        for &j in &order {
            idx[j] = if idx[j] + half < levels { idx[j] + half } else { idx[j] - half };
            points.push(to_point(&idx));
        }
    }
    points
}

/// Elementary effects of a Morris design (as produced by [`morris_design`] with the same
/// `ranges` and `levels`) and its outputs `y` (one per point).
///
/// Between consecutive points of a trajectory exactly one parameter moves; it is recovered from
/// the points, and its elementary effect is `(y_{j+1} - y_j) / (+-delta)`, with `delta = p /
/// (2 (p - 1))` **in the scaled `[0, 1]` units** and the sign of the move. An effect is thus
/// the output change per unit of the parameter's whole range: for `y = c x_i` it is
/// `c (hi_i - lo_i)`, whatever the direction of the move.
///
/// Returns one [`MorrisIndex`] per parameter: `mu` (mean effect), `mu_star` (mean absolute
/// effect) and `sigma` (sample standard deviation, divisor `r - 1`; NaN for one trajectory).
///
/// # Panics
/// If `levels` is odd or below 2, if `y` and `points` differ in length, if the number of
/// points is not a multiple of `k + 1`, or if two consecutive points of a trajectory do not
/// differ by exactly one `+-delta` step in exactly one parameter.
pub fn morris_effects(ranges: &[Range], levels: usize, points: &[Vec<f64>], y: &[f64]) -> Vec<MorrisIndex> {
    check_levels(levels);
    let k = ranges.len();
    assert_eq!(points.len(), y.len(), "one output per design point");
    assert_eq!(points.len() % (k + 1), 0, "the design must consist of whole trajectories of k + 1 points");
    let delta = morris_delta(levels);
    // Tolerance on the scaled coordinates: they come from i / (p - 1) mapped onto the range and
    // back, so they carry only a few ulps of rounding.
    let tol = 1e-9;
    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
    for (trajectory, outputs) in points.chunks(k + 1).zip(y.chunks(k + 1)) {
        for j in 0..k {
            let (from, to) = (&trajectory[j], &trajectory[j + 1]);
            let steps: Vec<f64> = (0..k).map(|i| ranges[i].fraction(to[i]) - ranges[i].fraction(from[i])).collect();
            let moved: Vec<usize> = (0..k).filter(|&i| steps[i].abs() > tol).collect();
            assert!(
                moved.len() == 1 && (steps[moved[0]].abs() - delta).abs() < tol,
                "points {from:?} -> {to:?} are not one Morris step of {delta} apart"
            );
            let i = moved[0];
            let signed_delta = delta.copysign(steps[i]);
            effects[i].push((outputs[j + 1] - outputs[j]) / signed_delta);
        }
    }
    effects.iter().map(|ee| summarize(ee)).collect()
}

fn summarize(ee: &[f64]) -> MorrisIndex {
    let r = ee.len() as f64;
    let mu = ee.iter().sum::<f64>() / r;
    let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / r;
    let sigma = (ee.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (r - 1.0)).sqrt();
    MorrisIndex { mu, mu_star, sigma }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn evaluate(points: &[Vec<f64>], f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
        points.iter().map(|p| f(p)).collect()
    }

    #[test]
    fn design_is_one_at_a_time_on_the_grid() {
        let ranges = [Range { lo: 0.0, hi: 1.0 }, Range { lo: -2.0, hi: 2.0 }, Range { lo: 10.0, hi: 40.0 }];
        let (r, p) = (20, 4);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let points = morris_design(&ranges, r, p, &mut rng);
        assert_eq!(points.len(), r * (ranges.len() + 1));
        for point in &points {
            for (x, range) in point.iter().zip(&ranges) {
                // On the grid {0, 1/3, 2/3, 1} up to rounding of the mapping.
                let u = range.fraction(*x) * (p - 1) as f64;
                assert!((u - u.round()).abs() < 1e-9 && (-1e-9..=3.0 + 1e-9).contains(&u), "{x} off grid");
            }
        }
        // Within each trajectory every parameter moves exactly once, by delta = 2/3.
        for trajectory in points.chunks(ranges.len() + 1) {
            let mut moves = vec![0usize; ranges.len()];
            for pair in trajectory.windows(2) {
                for (i, range) in ranges.iter().enumerate() {
                    let step = range.fraction(pair[1][i]) - range.fraction(pair[0][i]);
                    if step.abs() > 1e-9 {
                        assert!((step.abs() - 2.0 / 3.0).abs() < 1e-9, "step {step}");
                        moves[i] += 1;
                    }
                }
            }
            assert_eq!(moves, vec![1; ranges.len()]);
        }
    }

    #[test]
    fn linear_function_exact_on_two_levels() {
        // With p = 2 the grid is {lo, hi} and delta = 1, so with small integer coefficients and
        // bounds every output and difference is an exact float: mu = mu* = c (hi - lo) (in
        // absolute value for mu*) and sigma = 0 exactly.
        let ranges = [Range { lo: 0.0, hi: 4.0 }, Range { lo: -1.0, hi: 1.0 }, Range { lo: 10.0, hi: 13.0 }];
        let coef = [3.0, -5.0, 0.5];
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let points = morris_design(&ranges, 10, 2, &mut rng);
        let y = evaluate(&points, |x| 7.0 + x.iter().zip(&coef).map(|(a, c)| a * c).sum::<f64>());
        let idx = morris_effects(&ranges, 2, &points, &y);
        for ((m, c), range) in idx.iter().zip(&coef).zip(&ranges) {
            let expected = c * (range.hi - range.lo);
            assert_eq!(m.mu, expected);
            assert_eq!(m.mu_star, expected.abs());
            assert_eq!(m.sigma, 0.0);
        }
    }

    #[test]
    fn linear_function_on_four_levels() {
        // With p = 4 the grid values i/3 are not exact floats, so the effects equal c (hi - lo)
        // only up to rounding: a few ulps of the coefficient, bounded here by 1e-12 relative.
        let ranges = [Range { lo: 0.0, hi: 4.0 }, Range { lo: -1.0, hi: 1.0 }, Range { lo: 10.0, hi: 13.0 }];
        let coef = [3.0, -5.0, 0.5];
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let points = morris_design(&ranges, 30, 4, &mut rng);
        let y = evaluate(&points, |x| x.iter().zip(&coef).map(|(a, c)| a * c).sum());
        let idx = morris_effects(&ranges, 4, &points, &y);
        for ((m, c), range) in idx.iter().zip(&coef).zip(&ranges) {
            let expected = c * (range.hi - range.lo);
            assert!((m.mu - expected).abs() < 1e-12 * expected.abs(), "{m:?} vs {expected}");
            assert!((m.mu_star - expected.abs()).abs() < 1e-12 * expected.abs(), "{m:?} vs {expected}");
            assert!(m.sigma < 1e-12 * expected.abs(), "{m:?}");
        }
    }

    #[test]
    fn inert_parameters_have_zero_effects() {
        // y = 2 x1 + x2^2 + 0 x3 + 0 x4 on [0, 1]^4. Moving x3 or x4 leaves every term, and so
        // the float output, bit-for-bit unchanged: mu* = 0 exactly. x1 is linear: mu* = 2.
        // x2^2 with p = 4, delta = 2/3 moves between levels {0, 2/3} or {1/3, 1}, so
        // |EE| = |b^2 - a^2| / (2/3) = a + b is 2/3 or 4/3: mu* lies in [2/3, 4/3] and
        // sigma > 0 whenever both pairs occur (a nonlinear parameter).
        let ranges = [Range { lo: 0.0, hi: 1.0 }; 4];
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let points = morris_design(&ranges, 20, 4, &mut rng);
        let y = evaluate(&points, |x| 2.0 * x[0] + x[1] * x[1] + 0.0 * x[2] + 0.0 * x[3]);
        let idx = morris_effects(&ranges, 4, &points, &y);
        assert_eq!(idx[2], MorrisIndex { mu: 0.0, mu_star: 0.0, sigma: 0.0 });
        assert_eq!(idx[3], MorrisIndex { mu: 0.0, mu_star: 0.0, sigma: 0.0 });
        assert!((idx[0].mu_star - 2.0).abs() < 1e-12 && idx[0].sigma < 1e-12, "{:?}", idx[0]);
        assert!(idx[1].mu_star >= 2.0 / 3.0 - 1e-12 && idx[1].mu_star <= 4.0 / 3.0 + 1e-12, "{:?}", idx[1]);
        assert!(idx[1].sigma > 0.1, "{:?}", idx[1]);
    }

    #[test]
    fn g_function_ranks_parameters_by_importance() {
        // Sobol's g-function prod_i (|4 x_i - 2| + a_i) / (1 + a_i) on [0, 1]^4 with a = (0, 1,
        // 99, 999). On the 4-level grid a Morris step always changes |4x - 2| by 4/3 (2 <-> 2/3),
        // so factor i changes by (4/3) / (1 + a_i) and EE_i = 2 / (1 + a_i) * (product of the
        // other factors). The factors lie in {2, 2/3}, {1.5, 5/6}, [0.99, 1.01], [0.999, 1.001]:
        // EE_3 <= 2/100 * 2 * 1.5 * 1.001 = 0.061 and EE_4 <= 2/1000 * 2 * 1.5 * 1.01 = 0.0061
        // (nearly inert), while EE_1 >= 2 * 5/6 * 0.99 * 0.999 = 1.64. The mean of EE_1 (about
        // 2 * 1.17) exceeds that of EE_2 (about 4/3), far apart for r = 50.
        let a = [0.0, 1.0, 99.0, 999.0];
        let ranges = [Range { lo: 0.0, hi: 1.0 }; 4];
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let points = morris_design(&ranges, 50, 4, &mut rng);
        let y = evaluate(&points, |x| {
            x.iter().zip(&a).map(|(xi, ai)| ((4.0 * xi - 2.0).abs() + ai) / (1.0 + ai)).product()
        });
        let idx = morris_effects(&ranges, 4, &points, &y);
        assert!(idx[0].mu_star > 1.64, "{idx:?}");
        assert!(idx[2].mu_star < 0.061 && idx[3].mu_star < 0.0061, "{idx:?}");
        assert!(idx[0].mu_star > idx[1].mu_star && idx[1].mu_star > idx[2].mu_star && idx[2].mu_star > idx[3].mu_star);
    }
}
