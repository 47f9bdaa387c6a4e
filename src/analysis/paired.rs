//! Paired comparison of two arms run with common random numbers: replicate i of both arms
//! starts from the same seed, so the per-replicate differences carry far less noise than the
//! difference of two independent means.
//!
//! The restricted survival time `min(T, tau)` is known exactly for every replicate when
//! censoring happens only at a horizon `>= tau` (as in the simulation, where a run alive at
//! the horizon is censored there). Its mean is then the restricted mean survival time (the
//! area under the Kaplan-Meier curve up to `tau`), and the mean of the paired differences is
//! the RMST difference.

use statrs::distribution::{ContinuousCDF, Normal};

/// A difference with its standard error and a two-sided normal confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Difference {
    pub estimate: f64,
    pub se: f64,
    pub lower: f64,
    pub upper: f64,
}

impl Difference {
    /// `estimate +- z(1 - alpha/2) * se`, with `level` e.g. 0.95.
    pub fn with_normal_ci(estimate: f64, se: f64, level: f64) -> Self {
        let z = normal_quantile(0.5 + level / 2.0);
        Difference { estimate, se, lower: estimate - z * se, upper: estimate + z * se }
    }
}

/// The standard normal quantile (statrs).
pub fn normal_quantile(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

/// Mean of `b[i] - a[i]` and its standard error (sample standard deviation over sqrt n).
/// `None` if the lengths differ or there are fewer than two pairs.
pub fn paired_mean_difference(a: &[f64], b: &[f64], level: f64) -> Option<Difference> {
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let n = a.len() as f64;
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    Some(Difference::with_normal_ci(mean, (var / n).sqrt(), level))
}

/// `min(t, tau)` for each time: the restricted survival time.
pub fn restricted_times(times: &[f64], tau: f64) -> Vec<f64> {
    times.iter().map(|&t| t.min(tau)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantile_matches_tables() {
        // Standard normal tables: z(0.975) = 1.959964, z(0.95) = 1.644854.
        assert!((normal_quantile(0.975) - 1.959964).abs() < 1e-6);
        assert!((normal_quantile(0.95) - 1.644854).abs() < 1e-6);
    }

    #[test]
    fn paired_difference_by_hand() {
        // d = 1, 2, 3, 4: mean 2.5, sample sd sqrt(5/3), SE sqrt(5/3)/2 = 0.645497.
        let a = [0.0, 0.0, 0.0, 0.0];
        let b = [1.0, 2.0, 3.0, 4.0];
        let d = paired_mean_difference(&a, &b, 0.95).unwrap();
        assert!((d.estimate - 2.5).abs() < 1e-12);
        assert!((d.se - 0.645497).abs() < 1e-6);
        assert!((d.lower - (2.5 - 1.959964 * 0.645497)).abs() < 1e-5);
        assert!(paired_mean_difference(&a, &b[..3], 0.95).is_none());
    }

    #[test]
    fn mean_restricted_time_equals_the_area_under_km_when_censoring_is_at_tau() {
        // Events at 1, 2, 4 and two runs censored at the horizon 5 (tau = 5): KM steps to
        // 0.8, 0.6, 0.4; the area is 1 + 0.8 + 2 * 0.6 + 0.4 = 3.4 = mean(1, 2, 4, 5, 5).
        let t = restricted_times(&[1.0, 2.0, 4.0, 5.0, 7.0], 5.0);
        assert_eq!(t, vec![1.0, 2.0, 4.0, 5.0, 5.0]);
        assert!((t.iter().sum::<f64>() / 5.0 - 3.4).abs() < 1e-12);
    }
}
