//! What one replicate leaves behind for the runs table and the survival statistics.

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
