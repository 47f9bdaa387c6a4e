//! Nelson-Aalen estimator of the cumulative hazard under right-censoring, with the variance
//! R's `survfit(..., ctype = 1)` reports (`std.chaz`² = Σ d/n²). Times are in any unit.

use super::survival::Observation;

/// The cumulative hazard at one distinct event time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NaStep {
    pub time: f64,
    pub at_risk: usize,
    pub events: usize,
    /// H(t) = Σ_{tᵢ ≤ t} dᵢ / nᵢ.
    pub cum_hazard: f64,
    /// Var H(t) = Σ_{tᵢ ≤ t} dᵢ / nᵢ².
    pub variance: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NelsonAalen {
    pub n: usize,
    pub steps: Vec<NaStep>,
}

impl NelsonAalen {
    /// Fits the estimator; ties between an event and a censoring count the censored unit as
    /// still at risk at that time. An empty sample gives no steps.
    pub fn fit(obs: &[Observation]) -> Self {
        let mut sorted: Vec<Observation> = obs.to_vec();
        sorted.sort_by(|a, b| a.time.total_cmp(&b.time));
        let mut steps = Vec::new();
        let (mut h, mut var) = (0.0, 0.0);
        let mut at_risk = sorted.len();
        let mut i = 0;
        while i < sorted.len() {
            let t = sorted[i].time;
            let start = i;
            while i < sorted.len() && sorted[i].time == t {
                i += 1;
            }
            let d = sorted[start..i].iter().filter(|o| o.event).count();
            if d > 0 {
                let n = at_risk as f64;
                h += d as f64 / n;
                var += d as f64 / (n * n);
                steps.push(NaStep { time: t, at_risk, events: d, cum_hazard: h, variance: var });
            }
            at_risk -= i - start;
        }
        NelsonAalen { n: obs.len(), steps }
    }

    /// H(t): the cumulative hazard just after time t (right-continuous); 0 before any event.
    pub fn cum_hazard_at(&self, t: f64) -> f64 {
        self.steps.iter().take_while(|s| s.time <= t).last().map_or(0.0, |s| s.cum_hazard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::aml;

    #[test]
    fn matches_r_survfit_cumhaz_on_aml() {
        // Reference: R 4.2.2, survival 3.5.3,
        //   f <- survfit(Surv(time, status) ~ 1, data = aml, ctype = 1); data.frame(f$time, f$cumhaz, f$std.chaz)
        // (rows at event times).
        let want = [
            (5.0, 23, 2, 0.08695652174, 0.06148754619),
            (8.0, 21, 2, 0.18219461698, 0.09119136872),
            (9.0, 19, 1, 0.23482619592, 0.10528983252),
            (12.0, 18, 1, 0.29038175148, 0.11904775758),
            (13.0, 17, 1, 0.34920528089, 0.13278771102),
            (18.0, 14, 1, 0.42063385232, 0.15078002856),
            (23.0, 13, 2, 0.57448000617, 0.18592723453),
            (27.0, 11, 1, 0.66538909708, 0.20696231384),
            (30.0, 9, 1, 0.77650020819, 0.23490227407),
            (31.0, 8, 1, 0.90150020819, 0.26609035751),
            (33.0, 7, 1, 1.04435735104, 0.30201364477),
            (34.0, 6, 1, 1.21102401771, 0.34494929976),
            (43.0, 5, 1, 1.41102401771, 0.39873552564),
            (45.0, 4, 1, 1.66102401771, 0.47062726165),
            (48.0, 2, 1, 2.16102401771, 0.68665130846),
        ];
        let na = NelsonAalen::fit(&aml::all());
        assert_eq!(na.steps.len(), want.len());
        for (s, (t, n, d, h, se)) in na.steps.iter().zip(want) {
            assert_eq!((s.time, s.at_risk, s.events), (t, n, d));
            assert!((s.cum_hazard - h).abs() < 1e-10, "H({t}) = {}", s.cum_hazard);
            assert!((s.variance.sqrt() - se).abs() < 1e-10, "se({t}) = {}", s.variance.sqrt());
        }
        assert_eq!(na.cum_hazard_at(4.9), 0.0);
        assert!((na.cum_hazard_at(100.0) - 2.16102401771).abs() < 1e-10);
    }

    #[test]
    fn matches_r_on_aml_maintained_with_tied_censoring() {
        // Reference: R 4.2.2, survival 3.5.3, survfit(Surv(time, status) ~ 1,
        //   data = aml[aml$x == "Maintained", ], ctype = 1): at t = 13 (one event, one censored)
        //   cumhaz 0.19090909091 std.chaz 0.13514607952; at t = 48 cumhaz 1.40876623377 std.chaz 0.63780688776.
        let na = NelsonAalen::fit(&aml::maintained());
        assert!((na.cum_hazard_at(13.0) - 0.19090909091).abs() < 1e-10);
        assert!((na.steps[1].variance.sqrt() - 0.13514607952).abs() < 1e-10);
        assert!((na.cum_hazard_at(48.0) - 1.40876623377).abs() < 1e-10);
        assert!((na.steps.last().unwrap().variance.sqrt() - 0.63780688776).abs() < 1e-10);
    }

    #[test]
    fn empty_input_gives_no_steps() {
        let na = NelsonAalen::fit(&[]);
        assert!(na.steps.is_empty());
        assert_eq!(na.cum_hazard_at(1.0), 0.0);
    }
}
