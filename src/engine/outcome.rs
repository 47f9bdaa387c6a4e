//! What one replicate leaves behind for the runs table and the survival statistics, and its
//! end as one of the arm's competing causes (per partner, after a leader change or not, or
//! the unit understaffed).

use crate::analysis::arm::{ArmStats, RunEnd};
use crate::model::{EndCause, World};

/// An end counts as 'after a leader change' if the ending partner's leader took office at
/// most this many weeks before (two years: the paper's 'inevitable change in senior
/// management' questions a collaboration while the new leader settles in).
pub const LEADER_CHANGE_WINDOW_WEEKS: u32 = 104;

#[derive(Clone, Debug, PartialEq)]
pub struct ReplicateOutcome {
    pub replicate: u64,
    pub seed: u64,
    /// Week of the end, or the horizon when censored.
    pub end_week: u32,
    pub censored: bool,
    pub end_cause: Option<EndCause>,
    pub end_org: Option<usize>,
    /// The partner that ended it had a new leader in the last `LEADER_CHANGE_WINDOW_WEEKS`.
    pub end_after_leader_change: bool,
    pub savings_gbp: f64,
    /// Savings by the end of year 2 (or by the end, if earlier).
    pub savings_y2_gbp: f64,
    pub savings_by_org: Vec<f64>,
    pub active_staff_end: u32,
    pub mean_trust_end: f64,
    pub mean_motivation_end: f64,
    pub mean_willingness_end: f64,
    pub leader_changes: u32,
    pub incidents: u32,
}

impl ReplicateOutcome {
    pub(crate) fn from_world(replicate: u64, seed: u64, w: &World, horizon: u32, savings_y2: f64) -> Self {
        let active: f64 = w.orgs.iter().map(|o| o.active_staff as f64).sum();
        let mean = |f: fn(&crate::model::Org) -> f64| {
            if active > 0.0 { w.orgs.iter().map(|o| o.active_staff as f64 * f(o)).sum::<f64>() / active } else { 0.0 }
        };
        ReplicateOutcome {
            replicate,
            seed,
            end_week: w.collab.end.map_or(horizon, |e| e.week),
            censored: w.collab.end.is_none(),
            end_cause: w.collab.end.map(|e| e.cause),
            end_org: w.collab.end.map(|e| e.org),
            end_after_leader_change: w.collab.end.is_some_and(|e| {
                let o = &w.orgs[e.org];
                o.leader_changes > 0 && o.leader_tenure_weeks <= LEADER_CHANGE_WINDOW_WEEKS
            }),
            savings_gbp: w.collab.savings_gbp,
            savings_y2_gbp: savings_y2,
            savings_by_org: w.orgs.iter().map(|o| o.savings_gbp).collect(),
            active_staff_end: w.active_staff(),
            mean_trust_end: mean(|o| o.mean_trust),
            mean_motivation_end: mean(|o| o.mean_motivation),
            mean_willingness_end: mean(|o| o.mean_willingness),
            leader_changes: w.orgs.iter().map(|o| o.leader_changes).sum(),
            incidents: w.collab.incidents,
        }
    }
}

/// The competing causes of an arm's end, in the order `ReplicateOutcome::cause` numbers
/// them: for each partner 'withdrew after a leader change' and 'withdrew', then 'unit
/// understaffed', then, where a sponsor imposed the collaboration, 'sponsor cancelled'.
pub fn cause_labels(org_names: &[String], sponsored: bool) -> Vec<String> {
    let mut v = Vec::with_capacity(2 * org_names.len() + 2);
    for o in org_names {
        v.push(format!("{o} withdrew after a leader change"));
        v.push(format!("{o} withdrew"));
    }
    v.push("unit understaffed".to_string());
    if sponsored {
        v.push("sponsor cancelled".to_string());
    }
    v
}

impl ReplicateOutcome {
    /// The index of this run's end cause among `cause_labels` of `n_orgs` partners:
    /// withdrawal of partner o after a leader change (2o) or otherwise (2o + 1), the unit
    /// understaffed (2n), or cancelled by its sponsor (2n + 1); `None` if the run was
    /// censored.
    pub fn cause(&self, n_orgs: usize) -> Option<usize> {
        match (self.end_cause?, self.end_org) {
            (EndCause::Withdrawal, Some(org)) => Some(2 * org + usize::from(!self.end_after_leader_change)),
            (EndCause::Cancelled, _) => Some(2 * n_orgs + 1),
            _ => Some(2 * n_orgs),
        }
    }

    pub fn run_end(&self, n_orgs: usize) -> RunEnd {
        RunEnd { week: self.end_week, cause: self.cause(n_orgs) }
    }
}

/// The survival statistics of an arm's outcomes (`sponsored`: a sponsor imposed it).
pub fn arm_stats(outcomes: &[ReplicateOutcome], org_names: &[String], sponsored: bool, horizon_weeks: u32) -> ArmStats {
    let ends: Vec<RunEnd> = outcomes.iter().map(|o| o.run_end(org_names.len())).collect();
    ArmStats::new(&ends, cause_labels(org_names, sponsored), horizon_weeks)
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
    fn causes_are_split_by_partner_and_leader_change() {
        let names = vec!["A".to_string(), "B".to_string()];
        let runs = [
            outcome(10, Some((EndCause::Withdrawal, 1, true))),
            outcome(20, Some((EndCause::Withdrawal, 1, false))),
            outcome(30, Some((EndCause::Understaffed, 0, false))),
            outcome(40, Some((EndCause::Withdrawal, 0, true))),
            outcome(52, None),
        ];
        let labels = cause_labels(&names, false);
        assert_eq!(labels.len(), 5);
        assert_eq!(labels[2], "B withdrew after a leader change");
        let idx: Vec<Option<usize>> = runs.iter().map(|r| r.cause(2)).collect();
        assert_eq!(idx, vec![Some(2), Some(3), Some(4), Some(0), None]);
        let s = arm_stats(&runs, &names, false, 52);
        assert_eq!(s.rates[2].events, 1);
        assert_eq!(s.rates[4].events, 1);
        assert_eq!(s.rates[1].events, 0);
    }
}
