//! The two-sample log-rank (Mantel-Haenszel) test of equal survival, as R's `survdiff` with
//! its default rho = 0: observed and expected events per group, hypergeometric variance,
//! and a chi-square statistic on 1 degree of freedom with its p-value.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::survival::Observation;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogRank {
    /// Sample size of each group.
    pub n: [usize; 2],
    /// Events observed in each group.
    pub observed: [usize; 2],
    /// Events expected in each group under equal hazards (they sum to the total observed).
    pub expected: [f64; 2],
    /// Hypergeometric variance of observed − expected (the same for both groups).
    pub variance: f64,
    /// (O₁ − E₁)² / V, chi-square on 1 df under the null.
    pub chi_square: f64,
    /// Upper tail probability of `chi_square` on 1 df.
    pub p_value: f64,
}

/// Log-rank test between groups `a` and `b`. At each distinct event time with n at risk (n₁
/// in `a`) and d events, E₁ += d n₁/n and V += d (n₁/n)(1 − n₁/n)(n − d)/(n − 1). Units
/// censored at an event time count as at risk then. `None` when the variance is zero (no
/// events, or one group never at risk at an event time), where the test is undefined.
pub fn logrank(a: &[Observation], b: &[Observation]) -> Option<LogRank> {
    let mut all: Vec<(f64, bool, usize)> =
        a.iter().map(|o| (o.time, o.event, 0)).chain(b.iter().map(|o| (o.time, o.event, 1))).collect();
    all.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut at_risk = [a.len(), b.len()];
    let mut observed = [0usize; 2];
    let (mut e1, mut variance) = (0.0, 0.0);
    let mut i = 0;
    while i < all.len() {
        let t = all[i].0;
        let end = i + all[i..].iter().take_while(|x| x.0 == t).count();
        let mut d = [0usize; 2];
        let mut leaving = [0usize; 2];
        for &(_, event, g) in &all[i..end] {
            leaving[g] += 1;
            if event {
                d[g] += 1;
            }
        }
        let (n, dt) = ((at_risk[0] + at_risk[1]) as f64, (d[0] + d[1]) as f64);
        if dt > 0.0 {
            let p = at_risk[0] as f64 / n;
            e1 += dt * p;
            if n > 1.0 {
                variance += dt * p * (1.0 - p) * (n - dt) / (n - 1.0);
            }
        }
        for g in 0..2 {
            observed[g] += d[g];
            at_risk[g] -= leaving[g];
        }
        i = end;
    }
    if variance <= 0.0 || !variance.is_finite() {
        return None;
    }
    let total = (observed[0] + observed[1]) as f64;
    let chi_square = (observed[0] as f64 - e1).powi(2) / variance;
    let p_value = ChiSquared::new(1.0).ok()?.sf(chi_square);
    Some(LogRank { n: [a.len(), b.len()], observed, expected: [e1, total - e1], variance, chi_square, p_value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::aml;

    #[test]
    fn matches_r_survdiff_on_aml() {
        // Reference: R 4.2.2, survival 3.5.3, s <- survdiff(Surv(time, status) ~ x, data = aml):
        //                  N Observed Expected (O-E)^2/E (O-E)^2/V
        //   x=Maintained    11        7 10.68934   1.27334   3.39639
        //   x=Nonmaintained 12       11  7.31066   1.86183   3.39639
        //   Chisq= 3.4  on 1 degrees of freedom, p= 0.06534
        // More digits: s$exp 10.689335992 7.310664008; s$var[1,1] 4.007550746;
        // s$chisq 3.396388699; pchisq(s$chisq, 1, lower.tail = FALSE) 0.06533932204.
        let r = logrank(&aml::maintained(), &aml::nonmaintained()).unwrap();
        assert_eq!(r.n, [11, 12]);
        assert_eq!(r.observed, [7, 11]);
        assert!((r.expected[0] - 10.689335992).abs() < 1e-8, "{r:?}");
        assert!((r.expected[1] - 7.310664008).abs() < 1e-8, "{r:?}");
        assert!((r.variance - 4.007550746).abs() < 1e-8, "{r:?}");
        assert!((r.chi_square - 3.396388699).abs() < 1e-8, "{r:?}");
        assert!((r.p_value - 0.06533932204).abs() < 1e-10, "{r:?}");
        // Swapping the groups swaps the per-group numbers and keeps the test.
        let s = logrank(&aml::nonmaintained(), &aml::maintained()).unwrap();
        assert_eq!(s.observed, [11, 7]);
        assert!((s.expected[0] - r.expected[1]).abs() < 1e-12);
        assert!((s.chi_square - r.chi_square).abs() < 1e-12 && (s.p_value - r.p_value).abs() < 1e-12);
    }

    #[test]
    fn identical_groups_give_no_evidence() {
        let r = logrank(&aml::maintained(), &aml::maintained()).unwrap();
        assert!((r.expected[0] - 7.0).abs() < 1e-12);
        assert!(r.chi_square.abs() < 1e-12);
        assert!((r.p_value - 1.0).abs() < 1e-12);
    }

    #[test]
    fn undefined_tests_give_none() {
        let censored = [Observation { time: 1.0, event: false }];
        assert_eq!(logrank(&[], &[]), None);
        assert_eq!(logrank(&aml::maintained(), &[]), None);
        assert_eq!(logrank(&censored, &censored), None);
    }
}
