//! The survival statistics of one arm (a scenario's replicates): Kaplan-Meier with log(-log)
//! bands, the median with its Brookmeyer-Crowley interval, the restricted mean to the
//! horizon, and the end causes as competing risks (cumulative incidence and constant-hazard
//! rates). Each run is a `RunEnd`: a time in weeks and the index of its cause, as the
//! engine's outcomes give them (`engine::outcome`); nothing here knows the model.

use super::competing_risks::{CauseObservation, CumulativeIncidence};
use super::median_ci::{MedianCi, median_ci};
use super::rates::Rate;
use super::rmst::{Rmst, rmst};
use super::survival::{ConfType, KaplanMeier, Observation};

/// Confidence level of every interval reported.
pub const LEVEL: f64 = 0.95;

/// One run's end: the week it ended (the horizon if it was still running) and the index of
/// its cause among the arm's competing causes, `None` if censored at the horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunEnd {
    pub week: u32,
    pub cause: Option<usize>,
}

pub struct ArmStats {
    pub n: usize,
    pub events: usize,
    pub horizon_weeks: f64,
    pub km: KaplanMeier,
    pub median: MedianCi,
    /// Restricted mean survival to the horizon.
    pub rmst: Option<Rmst>,
    pub cause_labels: Vec<String>,
    pub incidence: CumulativeIncidence,
    /// Per cause: events over the weeks the runs were at risk.
    pub rates: Vec<Rate>,
}

impl ArmStats {
    /// The statistics of `ends`, whose causes index `cause_labels`.
    pub fn new(ends: &[RunEnd], cause_labels: Vec<String>, horizon_weeks: u32) -> Self {
        let obs: Vec<Observation> =
            ends.iter().map(|r| Observation { time: r.week as f64, event: r.cause.is_some() }).collect();
        let km = KaplanMeier::fit(&obs);
        let median = median_ci(&km, ConfType::LogLog, LEVEL);
        let horizon = horizon_weeks as f64;
        let causes: Vec<CauseObservation> =
            ends.iter().map(|r| CauseObservation { time: r.week as f64, cause: r.cause }).collect();
        let exposure: f64 = ends.iter().map(|r| r.week as f64).sum();
        let rates = (0..cause_labels.len())
            .map(|k| Rate::new(causes.iter().filter(|c| c.cause == Some(k)).count(), exposure))
            .collect();
        ArmStats {
            n: ends.len(),
            events: obs.iter().filter(|o| o.event).count(),
            horizon_weeks: horizon,
            rmst: rmst(&km, horizon),
            median,
            km,
            cause_labels,
            incidence: CumulativeIncidence::fit(&causes, false),
            rates,
        }
    }

    /// Cumulative incidence of cause `k` at the horizon.
    pub fn incidence_at_horizon(&self, k: usize) -> f64 {
        self.incidence.incidence_at(k, self.horizon_weeks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Vec<String> {
        ["A after a change", "A", "B after a change", "B", "understaffed"].map(String::from).to_vec()
    }

    #[test]
    fn causes_sum_to_one_minus_survival_and_rates_use_all_exposure() {
        let end = |week, cause| RunEnd { week, cause };
        let runs = vec![end(10, Some(2)), end(20, Some(3)), end(30, Some(4)), end(40, Some(0)), end(52, None)];
        let s = ArmStats::new(&runs, labels(), 52);
        assert_eq!((s.n, s.events), (5, 4));
        // Each event is one fifth of the runs (no censoring before them).
        for k in [0, 2, 3, 4] {
            assert!((s.incidence_at_horizon(k) - 0.2).abs() < 1e-12, "cause {k}");
        }
        assert_eq!(s.incidence_at_horizon(1), 0.0);
        let total: f64 = (0..5).map(|k| s.incidence_at_horizon(k)).sum();
        assert!((total + s.km.survival_at(52.0) - 1.0).abs() < 1e-12);
        // Exposure 10 + 20 + 30 + 40 + 52 = 152 weeks; one event of cause 2.
        assert!((s.rates[2].rate - 1.0 / 152.0).abs() < 1e-15);
        // RMST to 52 weeks = mean of the times (censoring only at the horizon) = 30.4.
        assert!((s.rmst.unwrap().mean - 30.4).abs() < 1e-9);
    }
}
