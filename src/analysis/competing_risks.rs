//! Competing risks: the Aalen-Johansen estimate of each cause's cumulative incidence function
//! under right-censoring, with an optional infinitesimal-jackknife variance (what R's
//! `survfit(Surv(time, factor(status)) ~ 1)` reports as `std.err`). Times are in any unit.

/// One observed unit: the time of its first event (of cause `Some(k)`, k = 0, 1, ...) or of
/// censoring (`None`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CauseObservation {
    pub time: f64,
    pub cause: Option<usize>,
}

/// The estimate at one distinct time with at least one event of any cause.
#[derive(Clone, Debug, PartialEq)]
pub struct CifStep {
    pub time: f64,
    pub at_risk: usize,
    /// Events at this time, per cause.
    pub events: Vec<usize>,
    /// All-cause Kaplan-Meier survival just after `time`.
    pub survival: f64,
    /// Cumulative incidence F_k(time) per cause.
    pub incidence: Vec<f64>,
    /// Variance of each F_k(time) (infinitesimal jackknife), if requested.
    pub variance: Option<Vec<f64>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CumulativeIncidence {
    pub n: usize,
    /// Number of causes: one more than the largest cause index seen (0 with no events).
    pub causes: usize,
    pub steps: Vec<CifStep>,
}

impl CumulativeIncidence {
    /// Aalen-Johansen: F_k(t) = Σ_{tⱼ ≤ t} S(tⱼ−) d_kj / nⱼ, S the all-cause Kaplan-Meier curve.
    /// Units censored at an event time count as at risk then. With `with_variance`, each step
    /// also carries Var F_k = Σᵢ Uᵢ², Uᵢ the influence of unit i (O(n · steps · causes) work).
    pub fn fit(obs: &[CauseObservation], with_variance: bool) -> Self {
        let causes = obs.iter().filter_map(|o| o.cause).max().map_or(0, |k| k + 1);
        let mut sorted: Vec<CauseObservation> = obs.to_vec();
        sorted.sort_by(|a, b| a.time.total_cmp(&b.time));
        let n = sorted.len();
        // Influence of each unit on log S(t−) and on each F_k(t), when variance is wanted.
        let mut infl_log_s = vec![0.0; if with_variance { n } else { 0 }];
        let mut infl_f = vec![0.0; if with_variance { n * causes } else { 0 }];
        let mut steps = Vec::new();
        let mut s = 1.0;
        let mut incidence = vec![0.0; causes];
        let mut start = 0; // sorted[start..] are at risk at the current time
        while start < n {
            let t = sorted[start].time;
            let end = start + sorted[start..].iter().take_while(|o| o.time == t).count();
            let mut events = vec![0usize; causes];
            for o in &sorted[start..end] {
                if let Some(k) = o.cause {
                    events[k] += 1;
                }
            }
            let d: usize = events.iter().sum();
            if d > 0 {
                let y = (n - start) as f64;
                if with_variance {
                    for (i, o) in sorted.iter().enumerate() {
                        let at_risk = if i >= start { 1.0 } else { 0.0 };
                        let own = if (start..end).contains(&i) { o.cause } else { None };
                        for (k, &dk) in events.iter().enumerate() {
                            let dn = if own == Some(k) { 1.0 } else { 0.0 };
                            let dk = dk as f64;
                            infl_f[i * causes + k] += s * (infl_log_s[i] * dk / y + (dn - dk * at_risk / y) / y);
                        }
                        if (n - start) > d {
                            let dn = if own.is_some() { 1.0 } else { 0.0 };
                            infl_log_s[i] -= (dn - d as f64 * at_risk / y) / (y - d as f64);
                        }
                    }
                }
                for (f, &dk) in incidence.iter_mut().zip(&events) {
                    *f += s * dk as f64 / y;
                }
                s *= 1.0 - d as f64 / y;
                let variance = with_variance
                    .then(|| (0..causes).map(|k| (0..n).map(|i| infl_f[i * causes + k].powi(2)).sum()).collect());
                steps.push(CifStep {
                    time: t,
                    at_risk: n - start,
                    events,
                    survival: s,
                    incidence: incidence.clone(),
                    variance,
                });
            }
            start = end;
        }
        CumulativeIncidence { n, causes, steps }
    }

    /// F_k(t) just after time t; 0 before the first event or for an unknown cause.
    pub fn incidence_at(&self, cause: usize, t: f64) -> f64 {
        let step = self.steps.iter().take_while(|s| s.time <= t).last();
        step.and_then(|s| s.incidence.get(cause).copied()).unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::aml;
    use crate::analysis::survival::KaplanMeier;

    fn obs(rows: &[(f64, Option<usize>)]) -> Vec<CauseObservation> {
        rows.iter().map(|&(time, cause)| CauseObservation { time, cause }).collect()
    }

    #[test]
    fn hand_computed_example() {
        // Five units: t=1 cause 0, t=2 cause 1, t=3 censored, t=4 cause 0, t=5 cause 1.
        // t=1: n=5, S(1-)=1   -> F0 = 1/5 = 0.2,            S = 0.8
        // t=2: n=4, S(2-)=0.8 -> F1 = 0.8/4 = 0.2,          S = 0.6
        // t=4: n=2, S(4-)=0.6 -> F0 = 0.2 + 0.6/2 = 0.5,    S = 0.3
        // t=5: n=1, S(5-)=0.3 -> F1 = 0.2 + 0.3 = 0.5,      S = 0
        // R 4.2.2, survival 3.5.3, survfit(Surv(time, factor(cause, 0:2)) ~ 1,
        //   data = data.frame(time = 1:5, cause = c(1, 2, 0, 1, 2))) agrees, with std.err of the
        //   two CIFs 0.1788854382/0 (t=1), 0.1788854382/0.1788854382 (t=2),
        //   0.2549509757/0.1788854382 (t=4), 0.2549509757/0.2549509757 (t=5).
        let cif = CumulativeIncidence::fit(
            &obs(&[(1.0, Some(0)), (2.0, Some(1)), (3.0, None), (4.0, Some(0)), (5.0, Some(1))]),
            true,
        );
        assert_eq!(cif.causes, 2);
        let want = [
            (1.0, 5, [0.2, 0.0], 0.8, [0.1788854382, 0.0]),
            (2.0, 4, [0.2, 0.2], 0.6, [0.1788854382, 0.1788854382]),
            (4.0, 2, [0.5, 0.2], 0.3, [0.2549509757, 0.1788854382]),
            (5.0, 1, [0.5, 0.5], 0.0, [0.2549509757, 0.2549509757]),
        ];
        assert_eq!(cif.steps.len(), want.len());
        for (s, (t, n, f, surv, se)) in cif.steps.iter().zip(want) {
            assert_eq!((s.time, s.at_risk), (t, n));
            assert!((s.survival - surv).abs() < 1e-12);
            let var = s.variance.as_ref().unwrap();
            for k in 0..2 {
                assert!((s.incidence[k] - f[k]).abs() < 1e-12, "F{k}({t}) = {}", s.incidence[k]);
                assert!((var[k].sqrt() - se[k]).abs() < 1e-9, "se F{k}({t}) = {}", var[k].sqrt());
            }
        }
        assert_eq!(cif.incidence_at(0, 3.5), 0.2);
        assert_eq!(cif.incidence_at(7, 3.5), 0.0);
    }

    #[test]
    fn matches_r_aalen_johansen_with_ties_and_censoring() {
        // Reference: R 4.2.2, survival 3.5.3:
        //   d <- data.frame(time = c(1,2,2,3,4,4,5,6,7,8,9,10), cause = c(1,2,0,1,1,2,0,2,1,0,2,0))
        //   f <- survfit(Surv(time, factor(cause, 0:2)) ~ 1, data = d); f$pstate[, 2:3]; f$std.err[, 2:3]
        // (rows at event times; here causes are 0-based, R's states "1" and "2").
        let data = obs(&[
            (1.0, Some(0)),
            (2.0, Some(1)),
            (2.0, None),
            (3.0, Some(0)),
            (4.0, Some(0)),
            (4.0, Some(1)),
            (5.0, None),
            (6.0, Some(1)),
            (7.0, Some(0)),
            (8.0, None),
            (9.0, Some(1)),
            (10.0, None),
        ]);
        let want = [
            (1.0, 12, [0.08333333333, 0.0], [0.07978559231, 0.0]),
            (2.0, 11, [0.08333333333, 0.08333333333], [0.07978559231, 0.07978559231]),
            (3.0, 9, [0.17592592593, 0.08333333333], [0.11332877758, 0.07978559231]),
            (4.0, 8, [0.26851851852, 0.17592592593], [0.13304760480, 0.11332877758]),
            (6.0, 5, [0.26851851852, 0.28703703704], [0.13304760480, 0.14186287819]),
            (7.0, 4, [0.37962962963, 0.28703703704], [0.15178942057, 0.14186287819]),
            (9.0, 2, [0.37962962963, 0.45370370370], [0.15178942057, 0.17251540380]),
        ];
        let cif = CumulativeIncidence::fit(&data, true);
        assert_eq!(cif.steps.len(), want.len());
        for (s, (t, n, f, se)) in cif.steps.iter().zip(want) {
            assert_eq!((s.time, s.at_risk), (t, n));
            let var = s.variance.as_ref().unwrap();
            for k in 0..2 {
                assert!((s.incidence[k] - f[k]).abs() < 1e-10, "F{k}({t}) = {}", s.incidence[k]);
                assert!((var[k].sqrt() - se[k]).abs() < 1e-10, "se F{k}({t}) = {}", var[k].sqrt());
            }
        }
        // Without variance the estimates are the same.
        let plain = CumulativeIncidence::fit(&data, false);
        for (a, b) in plain.steps.iter().zip(&cif.steps) {
            assert_eq!((a.time, &a.incidence, a.survival), (b.time, &b.incidence, b.survival));
            assert_eq!(a.variance, None);
        }
    }

    /// aml with relapses split into two artificial causes by arm.
    fn aml_two_causes() -> Vec<CauseObservation> {
        let m = aml::maintained().into_iter().map(|o| (o.time, o.event.then_some(0)));
        let nm = aml::nonmaintained().into_iter().map(|o| (o.time, o.event.then_some(1)));
        obs(&m.chain(nm).collect::<Vec<_>>())
    }

    #[test]
    fn incidences_and_all_cause_survival_sum_to_one() {
        let data = aml_two_causes();
        let cif = CumulativeIncidence::fit(&data, false);
        let km = KaplanMeier::fit(&aml::all());
        assert_eq!(cif.steps.len(), km.steps.len());
        for (c, k) in cif.steps.iter().zip(&km.steps) {
            assert_eq!(c.time, k.time);
            assert!((c.survival - k.survival).abs() < 1e-12);
            assert!((c.incidence.iter().sum::<f64>() + k.survival - 1.0).abs() < 1e-12, "at {}", c.time);
        }
    }

    #[test]
    fn a_single_cause_gives_one_minus_kaplan_meier() {
        // With one cause the Aalen-Johansen variance is Greenwood's, as it is in R.
        let data: Vec<CauseObservation> =
            aml::all().iter().map(|o| CauseObservation { time: o.time, cause: o.event.then_some(0) }).collect();
        let cif = CumulativeIncidence::fit(&data, true);
        let km = KaplanMeier::fit(&aml::all());
        assert_eq!(cif.causes, 1);
        for (c, k) in cif.steps.iter().zip(&km.steps) {
            assert!((c.incidence[0] - (1.0 - k.survival)).abs() < 1e-12);
            assert!((c.variance.as_ref().unwrap()[0] - k.variance).abs() < 1e-12, "at {}", c.time);
        }
    }

    #[test]
    fn empty_or_all_censored_input_has_no_steps() {
        let cif = CumulativeIncidence::fit(&[], true);
        assert_eq!((cif.n, cif.causes, cif.steps.len()), (0, 0, 0));
        let cif = CumulativeIncidence::fit(&obs(&[(1.0, None), (2.0, None)]), true);
        assert_eq!((cif.n, cif.causes, cif.steps.len()), (2, 0, 0));
        assert_eq!(cif.incidence_at(0, 5.0), 0.0);
    }
}
