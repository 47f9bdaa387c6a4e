//! The survival statistics of one arm (a scenario's replicates): Kaplan-Meier with log(-log)
//! bands, the median with its Brookmeyer-Crowley interval, the restricted mean to the
//! horizon, and the end causes as competing risks (cumulative incidence and constant-hazard
//! rates). Times are in weeks, as the engine reports them.

use super::competing_risks::{CauseObservation, CumulativeIncidence};
use super::median_ci::{MedianCi, median_ci};
use super::rates::Rate;
use super::rmst::{Rmst, rmst};
use super::survival::{ConfType, KaplanMeier, Observation};
use crate::engine::ReplicateOutcome;
use crate::model::EndCause;

/// Confidence level of every interval reported.
pub const LEVEL: f64 = 0.95;

/// End causes, indexed as [`cause_index`] numbers them.
pub fn cause_labels(org_names: &[String]) -> Vec<String> {
    let mut v = Vec::with_capacity(2 * org_names.len() + 1);
    for o in org_names {
        v.push(format!("{o} withdrew after a leader change"));
        v.push(format!("{o} withdrew"));
    }
    v.push("unit understaffed".to_string());
    v
}

/// The competing-risk cause of one run's end: withdrawal of partner o after a leader change
/// (2o) or otherwise (2o + 1), or the unit falling below its staff floor (2n); `None` if
/// the run was censored.
pub fn cause_index(o: &ReplicateOutcome, n_orgs: usize) -> Option<usize> {
    match (o.end_cause?, o.end_org) {
        (EndCause::Withdrawal, Some(org)) => Some(2 * org + usize::from(!o.end_after_leader_change)),
        _ => Some(2 * n_orgs),
    }
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
    pub fn new(outcomes: &[ReplicateOutcome], org_names: &[String], horizon_weeks: u32) -> Self {
        let n_orgs = org_names.len();
        let obs: Vec<Observation> =
            outcomes.iter().map(|r| Observation { time: r.end_week as f64, event: !r.censored }).collect();
        let km = KaplanMeier::fit(&obs);
        let median = median_ci(&km, ConfType::LogLog, LEVEL);
        let horizon = horizon_weeks as f64;
        let causes: Vec<CauseObservation> = outcomes
            .iter()
            .map(|r| CauseObservation { time: r.end_week as f64, cause: cause_index(r, n_orgs) })
            .collect();
        let cause_labels = cause_labels(org_names);
        let exposure: f64 = outcomes.iter().map(|r| r.end_week as f64).sum();
        let rates = (0..cause_labels.len())
            .map(|k| Rate::new(causes.iter().filter(|c| c.cause == Some(k)).count(), exposure))
            .collect();
        ArmStats {
            n: outcomes.len(),
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

    fn outcome(end_week: u32, cause: Option<(EndCause, usize, bool)>) -> ReplicateOutcome {
        ReplicateOutcome {
            replicate: 0,
            seed: 0,
            end_week,
            censored: cause.is_none(),
            end_cause: cause.map(|c| c.0),
            end_org: cause.map(|c| c.1),
            end_after_leader_change: cause.is_some_and(|c| c.2),
            savings_gbp: 0.0,
            savings_y2_gbp: 0.0,
            savings_by_org: vec![0.0, 0.0],
            active_staff_end: 0,
            mean_trust_end: 0.0,
            mean_motivation_end: 0.0,
            mean_willingness_end: 0.0,
            leader_changes: 0,
            incidents: 0,
        }
    }

    #[test]
    fn causes_are_split_by_partner_and_leader_change_and_sum_to_one_minus_survival() {
        let names = vec!["A".to_string(), "B".to_string()];
        let runs = vec![
            outcome(10, Some((EndCause::Withdrawal, 1, true))),
            outcome(20, Some((EndCause::Withdrawal, 1, false))),
            outcome(30, Some((EndCause::Understaffed, 0, false))),
            outcome(40, Some((EndCause::Withdrawal, 0, true))),
            outcome(52, None),
        ];
        let s = ArmStats::new(&runs, &names, 52);
        assert_eq!(s.cause_labels.len(), 5);
        assert_eq!(s.cause_labels[2], "B withdrew after a leader change");
        let idx: Vec<Option<usize>> = runs.iter().map(|r| cause_index(r, 2)).collect();
        assert_eq!(idx, vec![Some(2), Some(3), Some(4), Some(0), None]);
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
