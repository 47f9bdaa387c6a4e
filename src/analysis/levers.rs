//! The statistics of a one-at-a-time lever analysis under common random numbers: per
//! replicate, whether the collaboration was still running at a year and its lifetime
//! restricted to the horizon; each setting's paired difference from the scenario (or from
//! another setting) with an interval kept within what the quantity allows; a lever's
//! swing (the extent of its tornado bar) and the ranking of levers by it.

use super::paired::{Difference, paired_mean_difference};

/// 1 for each run still going after week `at`, else 0. A run ends at `end` or is censored
/// there; censoring happens only at the horizon (at or after `at`), so a censored run was
/// still going, and the mean of these is the Kaplan-Meier survival at `at` (S(t) = P(T > t):
/// a run that ends in week `at` has ended).
pub fn still_running(ends: &[(f64, bool)], at: f64) -> Vec<f64> {
    ends.iter().map(|&(t, censored)| if censored || t > at { 1.0 } else { 0.0 }).collect()
}

/// The paired difference `mean(b) - mean(a)` with its normal interval at `level`, the
/// interval kept within `[lo - mean(a), hi - mean(a)]`: every value lies in `[lo, hi]`, so
/// `mean(b)` does too. `None` with fewer than two pairs or unequal lengths.
pub fn bounded_paired_difference(a: &[f64], b: &[f64], (lo, hi): (f64, f64), level: f64) -> Option<Difference> {
    let mut d = paired_mean_difference(a, b, level)?;
    let mean_a = a.iter().sum::<f64>() / a.len() as f64;
    d.lower = d.lower.max(lo - mean_a);
    d.upper = d.upper.min(hi - mean_a);
    Some(d)
}

/// A lever's swing: the extent of its tornado bar, from the lowest to the highest of its
/// settings' differences from the scenario, the scenario's own setting (0) included.
pub fn swing(differences: &[f64]) -> f64 {
    let hi = differences.iter().copied().fold(0.0, f64::max);
    let lo = differences.iter().copied().fold(0.0, f64::min);
    hi - lo
}

/// Indices of `swings` from the largest to the smallest; equal swings keep their order,
/// and an undefined (NaN) swing comes last.
pub fn rank_by_swing(swings: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..swings.len()).collect();
    let key = |i: usize| if swings[i].is_nan() { f64::NEG_INFINITY } else { swings[i] };
    idx.sort_by(|&a, &b| key(b).total_cmp(&key(a)));
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn still_running_counts_censored_runs_and_not_those_ending_at_the_year() {
        let ends = [(10.0, false), (52.0, false), (53.0, false), (104.0, true)];
        assert_eq!(still_running(&ends, 52.0), vec![0.0, 0.0, 1.0, 1.0]);
        // At the horizon itself a censored run is still running.
        assert_eq!(still_running(&ends, 104.0), vec![0.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn the_interval_is_paired_and_stays_within_the_bounds() {
        // Survival indicators: the variant keeps 3 of 4 runs the baseline lost; d = 1,1,1,0.
        let a = [0.0, 0.0, 0.0, 1.0];
        let b = [1.0, 1.0, 1.0, 1.0];
        let d = bounded_paired_difference(&a, &b, (0.0, 1.0), 0.95).unwrap();
        assert!((d.estimate - 0.75).abs() < 1e-12);
        // Unbounded: 0.75 + 1.96 * 0.25 = 1.24; mean(b) cannot exceed 1, so at most 1 - 0.25.
        assert!((d.se - 0.25).abs() < 1e-12);
        assert_eq!(d.upper, 0.75);
        assert!((d.lower - (0.75 - 1.959964 * 0.25)).abs() < 1e-5);
        // The same numbers in both arms: a zero difference with a zero-width interval.
        let z = bounded_paired_difference(&a, &a, (0.0, 1.0), 0.95).unwrap();
        assert_eq!((z.estimate, z.lower, z.upper), (0.0, 0.0, 0.0));
        assert!(bounded_paired_difference(&a, &b[..3], (0.0, 1.0), 0.95).is_none());
    }

    #[test]
    fn swing_spans_the_settings_and_the_scenario() {
        assert_eq!(swing(&[-0.3, 0.1]), 0.4);
        // Both moves lower survival: the bar runs from the lower one to the scenario's 0.
        assert_eq!(swing(&[-0.3, -0.1]), 0.3);
        assert_eq!(swing(&[0.2]), 0.2);
        assert_eq!(swing(&[]), 0.0);
    }

    #[test]
    fn ranking_sorts_by_swing_keeping_ties_in_order() {
        assert_eq!(rank_by_swing(&[0.1, 0.5, f64::NAN, 0.5, 0.0]), vec![1, 3, 0, 4, 2]);
    }
}
