//! Kaplan-Meier product-limit survival with right-censoring and Greenwood's variance, and
//! the median survival time. Times are in any unit; the caller converts.

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
                if at_risk > d {
                    gw += d as f64 / (at_risk as f64 * (at_risk - d) as f64);
                }
                steps.push(KmStep { time: t, at_risk, events: d, survival: s, variance: s * s * gw });
            }
            at_risk -= d + c;
        }
        KaplanMeier { n: obs.len(), steps }
    }

    /// S(t): survival just after time t (right-continuous).
    pub fn survival_at(&self, t: f64) -> f64 {
        self.steps.iter().take_while(|s| s.time <= t).last().map_or(1.0, |s| s.survival)
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

    /// R survival's `aml` data, Maintained group: times with '+' censored.
    fn aml_maintained() -> Vec<Observation> {
        [
            (9, true),
            (13, true),
            (13, false),
            (18, true),
            (23, true),
            (28, false),
            (31, true),
            (34, true),
            (45, false),
            (48, true),
            (161, false),
        ]
        .iter()
        .map(|&(t, e)| Observation { time: t as f64, event: e })
        .collect()
    }

    #[test]
    fn reproduces_r_survfit_on_aml_maintained() {
        // Reference: R 4.x, survival::survfit(Surv(time, status) ~ 1, data = aml[aml$x == "Maintained", ])
        // time 9 13 18 23 31 34 48; surv 0.909 0.818 0.716 0.614 0.491 0.368 0.184;
        // std.err (Greenwood, of S) 0.0867 0.1163 0.1397 0.1526 0.1642 0.1627 0.1535; median 31.
        let km = KaplanMeier::fit(&aml_maintained());
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
    fn all_censored_never_reaches_a_median() {
        let obs: Vec<Observation> = (0..10).map(|_| Observation { time: 520.0, event: false }).collect();
        let km = KaplanMeier::fit(&obs);
        assert!(km.steps.is_empty());
        assert_eq!(km.median(), None);
        assert_eq!(km.survival_at(1000.0), 1.0);
    }
}
