//! Kaplan-Meier product-limit survival with right-censoring, Greenwood's variance, pointwise
//! confidence bands (plain, log and log(-log) scales, as R's `survfit` `conf.type`), and the
//! median survival time. Times are in any unit; the caller converts.

use statrs::distribution::{ContinuousCDF, Normal};

/// One observed unit: the time of the event or of censoring.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    pub time: f64,
    /// True if the event happened at `time`; false if censored there.
    pub event: bool,
}

/// One step of the curve at a distinct event time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KmStep {
    pub time: f64,
    pub at_risk: usize,
    pub events: usize,
    pub survival: f64,
    /// Greenwood's variance of the survival estimate.
    pub variance: f64,
    /// Greenwood standard error of log S, i.e. of the cumulative hazard: sqrt(sum d/(n(n-d))).
    /// This is R's `survfit(...)$std.err`; infinite once S reaches 0.
    pub std_err: f64,
    /// Lower 95% pointwise limit on the log(-log) scale (R's `conf.type = "log-log"`);
    /// `None` where S is 0 or 1 and the transform is undefined.
    pub lower: Option<f64>,
    /// Upper 95% pointwise limit on the log(-log) scale; `None` where S is 0 or 1.
    pub upper: Option<f64>,
}

/// The scale on which a pointwise confidence interval for S is built (R's `conf.type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfType {
    /// S ± z·se(S), clipped to [0, 1].
    Plain,
    /// exp(log S ± z·se(log S)), upper clipped to 1 (R's default).
    Log,
    /// exp(-exp(log(-log S) ± z·se(log S)/|log S|)); undefined where S is 0 or 1.
    LogLog,
}

/// The two-sided standard normal quantile for a confidence `level` in (0, 1).
pub(crate) fn z_value(level: f64) -> Option<f64> {
    (level > 0.0 && level < 1.0).then(|| Normal::standard().inverse_cdf(1.0 - (1.0 - level) / 2.0))
}

/// Pointwise limits for a survival value `s` whose log has standard error `se_log`, as in R
/// `survival:::survfit_confint`. Each limit is `None` where the scale's transform is undefined.
pub(crate) fn confidence_limits(s: f64, se_log: f64, conf_type: ConfType, z: f64) -> (Option<f64>, Option<f64>) {
    let finite = |x: f64| x.is_finite().then_some(x);
    match conf_type {
        ConfType::Plain => {
            let half = z * se_log * s;
            if half.is_finite() { (Some((s - half).max(0.0)), Some((s + half).min(1.0))) } else { (None, None) }
        }
        ConfType::Log if s > 0.0 => {
            let (l, h) = ((s.ln() - z * se_log).exp(), (s.ln() + z * se_log).exp().min(1.0));
            (finite(l), finite(h))
        }
        ConfType::LogLog if s > 0.0 && s < 1.0 => {
            let w = z * se_log / s.ln();
            let ll = (-s.ln()).ln();
            (finite((-(ll - w).exp()).exp()), finite((-(ll + w).exp()).exp()))
        }
        _ => (None, None),
    }
}

impl KmStep {
    /// Pointwise limits at this step for any scale and confidence `level` in (0, 1).
    /// `(None, None)` for an invalid level or where the transform is undefined.
    pub fn limits(&self, conf_type: ConfType, level: f64) -> (Option<f64>, Option<f64>) {
        match z_value(level) {
            Some(z) => confidence_limits(self.survival, self.std_err, conf_type, z),
            None => (None, None),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct KaplanMeier {
    pub n: usize,
    pub steps: Vec<KmStep>,
}

impl KaplanMeier {
    pub fn fit(obs: &[Observation]) -> Self {
        let mut sorted: Vec<Observation> = obs.to_vec();
        // Events before censorings at tied times (the usual convention).
        sorted.sort_by(|a, b| a.time.total_cmp(&b.time).then(b.event.cmp(&a.event)));
        let mut steps = Vec::new();
        let z95 = z_value(0.95).unwrap_or(1.959963984540054);
        let (mut s, mut gw) = (1.0, 0.0);
        let mut at_risk = sorted.len();
        let mut i = 0;
        while i < sorted.len() {
            let t = sorted[i].time;
            let (mut d, mut c) = (0, 0);
            while i < sorted.len() && sorted[i].time == t {
                if sorted[i].event {
                    d += 1
                } else {
                    c += 1
                }
                i += 1;
            }
            if d > 0 {
                s *= 1.0 - d as f64 / at_risk as f64;
                let std_err = if at_risk > d {
                    gw += d as f64 / (at_risk as f64 * (at_risk - d) as f64);
                    gw.sqrt()
                } else {
                    f64::INFINITY
                };
                let (lower, upper) = confidence_limits(s, std_err, ConfType::LogLog, z95);
                steps.push(KmStep {
                    time: t,
                    at_risk,
                    events: d,
                    survival: s,
                    variance: s * s * gw,
                    std_err,
                    lower,
                    upper,
                });
            }
            at_risk -= d + c;
        }
        KaplanMeier { n: obs.len(), steps }
    }

    /// The last step at or before time t (`None` before the first event).
    pub fn step_at(&self, t: f64) -> Option<&KmStep> {
        self.steps.iter().take_while(|s| s.time <= t).last()
    }

    /// S(t): survival just after time t (right-continuous).
    pub fn survival_at(&self, t: f64) -> f64 {
        self.step_at(t).map_or(1.0, |s| s.survival)
    }

    /// The smallest time at which S falls to 0.5 or below; `None` if it never does.
    pub fn median(&self) -> Option<f64> {
        self.quantile_time(0.5)
    }

    /// The smallest time at which S falls to `1 - p` or below.
    pub fn quantile_time(&self, p: f64) -> Option<f64> {
        self.steps.iter().find(|s| s.survival <= 1.0 - p + 1e-12).map(|s| s.time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::aml;

    fn close(got: Option<f64>, want: Option<f64>, tol: f64) -> bool {
        match (got, want) {
            (Some(g), Some(w)) => (g - w).abs() < tol,
            (None, None) => true,
            _ => false,
        }
    }

    #[test]
    fn reproduces_r_survfit_on_aml_maintained() {
        // Reference: R 4.x, survival::survfit(Surv(time, status) ~ 1, data = aml[aml$x == "Maintained", ])
        // time 9 13 18 23 31 34 48; surv 0.909 0.818 0.716 0.614 0.491 0.368 0.184;
        // std.err (Greenwood, of S) 0.0867 0.1163 0.1397 0.1526 0.1642 0.1627 0.1535; median 31.
        let km = KaplanMeier::fit(&aml::maintained());
        let want = [
            (9.0, 0.9091, 0.0867),
            (13.0, 0.8182, 0.1163),
            (18.0, 0.7159, 0.1397),
            (23.0, 0.6136, 0.1526),
            (31.0, 0.4909, 0.1642),
            (34.0, 0.3682, 0.1627),
            (48.0, 0.1841, 0.1535),
        ];
        assert_eq!(km.steps.len(), want.len());
        for (s, (t, surv, se)) in km.steps.iter().zip(want) {
            assert_eq!(s.time, t);
            assert!((s.survival - surv).abs() < 5e-4, "S({t}) = {}", s.survival);
            assert!((s.variance.sqrt() - se).abs() < 5e-4, "se({t}) = {}", s.variance.sqrt());
        }
        assert_eq!(km.median(), Some(31.0));
        assert!((km.survival_at(100.0) - 0.1841).abs() < 5e-4);
        assert_eq!(km.survival_at(5.0), 1.0);
    }

    #[test]
    fn log_log_bands_match_r_on_aml() {
        // Reference: R 4.2.2, survival 3.5.3:
        //   f <- survfit(Surv(time, status) ~ 1, data = aml[aml$x == g, ], conf.type = "log-log")
        //   data.frame(f$time, f$std.err, f$lower, f$upper)   (rows at event times)
        // Maintained:
        let want = [
            (9.0, 0.09534625892, 0.50808020577, 0.9866738227),
            (13.0, 0.14213381090, 0.44742861468, 0.9511622286),
            (18.0, 0.19508757792, 0.35019038591, 0.8990239742),
            (23.0, 0.24873416908, 0.26575204000, 0.8352992433),
            (31.0, 0.33446776656, 0.16733090978, 0.7533997904),
            (34.0, 0.44181672694, 0.09282957494, 0.6570408324),
            (48.0, 0.83378775489, 0.01173848012, 0.5250148427),
        ];
        let km = KaplanMeier::fit(&aml::maintained());
        for (s, (t, se, lo, hi)) in km.steps.iter().zip(want) {
            assert_eq!(s.time, t);
            assert!((s.std_err - se).abs() < 1e-9, "std.err({t}) = {}", s.std_err);
            assert!(close(s.lower, Some(lo), 1e-9), "lower({t}) = {:?}", s.lower);
            assert!(close(s.upper, Some(hi), 1e-9), "upper({t}) = {:?}", s.upper);
        }
        // Nonmaintained: the last step (t = 45) takes S to 0, where R gives std.err Inf, limits NA.
        let want = [
            (5.0, Some(0.481714942195), Some(0.9555093657)),
            (8.0, Some(0.337018932541), Some(0.8597117991)),
            (12.0, Some(0.270138924085), Some(0.8009401923)),
            (23.0, Some(0.191876619619), Some(0.7296715698)),
            (27.0, Some(0.126272012195), Some(0.6498174083)),
            (30.0, Some(0.072401608908), Some(0.5608860527)),
            (33.0, Some(0.031198642931), Some(0.4614294762)),
            (43.0, Some(0.005746305696), Some(0.3489038611)),
            (45.0, None, None),
        ];
        let km = KaplanMeier::fit(&aml::nonmaintained());
        assert_eq!(km.steps.len(), want.len());
        for (s, (t, lo, hi)) in km.steps.iter().zip(want) {
            assert_eq!(s.time, t);
            assert!(close(s.lower, lo, 1e-9) && close(s.upper, hi, 1e-9), "t = {t}: {s:?}");
        }
        assert_eq!(km.steps[8].survival, 0.0);
        assert_eq!(km.steps[8].std_err, f64::INFINITY);
    }

    #[test]
    fn log_and_plain_limits_at_other_levels_match_r() {
        // Reference: R 4.2.2, survival 3.5.3: survfit(Surv(time, status) ~ 1,
        //   data = aml[aml$x == "Nonmaintained", ], conf.type = "log" / "plain", conf.int = 0.9)
        let km = KaplanMeier::fit(&aml::nonmaintained());
        let log = [
            (Some(0.67390155004), Some(1.0)),
            (Some(0.47653245416), Some(0.9326635375)),
            (Some(0.39051078394), Some(0.8713658925)),
            (Some(0.29447958896), Some(0.8024461498)),
            (Some(0.20884606215), Some(0.7241437370)),
            (Some(0.13339673502), Some(0.6377175906)),
            (Some(0.06935095506), Some(0.5451783893)),
            (Some(0.02054789953), Some(0.4600061665)),
            (None, None),
        ];
        let plain = [
            (Some(0.6563752582), Some(1.0)),
            (Some(0.4428304396), Some(0.8905028938)),
            (Some(0.3492398037), Some(0.8174268630)),
            (Some(0.2424588405), Some(0.7297633818)),
            (Some(0.1471181311), Some(0.6306596467)),
            (Some(0.0635005176), Some(0.5198328157)),
            (Some(0.0), Some(0.3949101667)),
            (Some(0.0), Some(0.2483289458)),
            (None, None),
        ];
        for ((s, (llo, lhi)), (plo, phi)) in km.steps.iter().zip(log).zip(plain) {
            let (lo, hi) = s.limits(ConfType::Log, 0.9);
            assert!(close(lo, llo, 1e-9) && close(hi, lhi, 1e-9), "log at {}: {lo:?} {hi:?}", s.time);
            let (lo, hi) = s.limits(ConfType::Plain, 0.9);
            assert!(close(lo, plo, 1e-9) && close(hi, phi, 1e-9), "plain at {}: {lo:?} {hi:?}", s.time);
        }
        assert_eq!(km.steps[0].limits(ConfType::Log, 1.0), (None, None));
        assert_eq!(km.steps[0].limits(ConfType::Log, f64::NAN), (None, None));
    }

    #[test]
    fn all_censored_never_reaches_a_median() {
        let obs: Vec<Observation> = (0..10).map(|_| Observation { time: 520.0, event: false }).collect();
        let km = KaplanMeier::fit(&obs);
        assert!(km.steps.is_empty());
        assert_eq!(km.median(), None);
        assert_eq!(km.survival_at(1000.0), 1.0);
    }

    #[test]
    fn empty_input_gives_an_empty_curve() {
        let km = KaplanMeier::fit(&[]);
        assert_eq!((km.n, km.steps.len()), (0, 0));
        assert_eq!(km.median(), None);
    }
}
