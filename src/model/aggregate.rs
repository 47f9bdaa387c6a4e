//! Per-organization aggregates over active staff: head count, mean trust, motivation,
//! willingness and workload, norm centroids and the distance between partners. Linear in
//! the number of agents; every rule that needs 'the other partners' reads these.

use super::params::{Params, Role};
use super::state::World;
use super::{norm_distance, partner_trust};

/// Influence of a role on its organization's view of the collaboration (decision weight).
pub(crate) fn role_weight(r: Role) -> f64 {
    match r {
        Role::Senior => 3.0,
        Role::Manager => 2.0,
        Role::Staff => 1.0,
    }
}

pub(crate) fn refresh(p: &Params, w: &mut World) {
    let n_orgs = p.n_orgs();
    let dims = p.norm_dims();
    let st = &w.staff;
    let mut count = vec![0u32; n_orgs];
    let mut trust = vec![0.0; n_orgs];
    let mut motivation = vec![0.0; n_orgs];
    let mut willing = vec![0.0; n_orgs];
    let mut weighted = vec![0.0; n_orgs];
    let mut weight = vec![0.0; n_orgs];
    let mut workload = vec![0.0; n_orgs];
    w.centroids.iter_mut().for_each(|c| *c = 0.0);
    for i in 0..st.len() {
        if !st.active[i] {
            continue;
        }
        let o = st.org[i] as usize;
        count[o] += 1;
        trust[o] += partner_trust(st, n_orgs, i);
        motivation[o] += st.motivation[i];
        willing[o] += st.willingness[i];
        let rw = role_weight(st.role[i]);
        weighted[o] += rw * st.willingness[i];
        weight[o] += rw;
        workload[o] += st.workload[i];
        for k in 0..dims {
            w.centroids[o * dims + k] += st.norms[i * dims + k];
        }
    }
    for (o, org) in w.orgs.iter_mut().enumerate() {
        org.active_staff = count[o];
        if count[o] > 0 {
            let c = count[o] as f64;
            org.mean_trust = trust[o] / c;
            org.mean_motivation = motivation[o] / c;
            org.mean_willingness = willing[o] / c;
            org.weighted_willingness = weighted[o] / weight[o];
            org.mean_workload = workload[o] / c;
            for k in 0..dims {
                w.centroids[o * dims + k] /= c;
            }
        }
        // An organization with no staff left keeps its last means (it has no voice now).
    }
    // Staff-weighted centroids: of the unit, and of 'everyone but o' for each o.
    let total: f64 = count.iter().map(|&c| c as f64).sum();
    for k in 0..dims {
        let sum: f64 = (0..n_orgs).map(|o| count[o] as f64 * w.centroids[o * dims + k]).sum();
        w.unit_centroid[k] = if total > 0.0 { sum / total } else { 0.0 };
        for o in 0..n_orgs {
            let others = total - count[o] as f64;
            w.other_centroids[o * dims + k] = if others > 0.0 {
                (sum - count[o] as f64 * w.centroids[o * dims + k]) / others
            } else {
                w.centroids[o * dims + k]
            };
        }
    }
    // Mean pairwise distance between the centroids of partners that still have staff.
    let (mut d, mut pairs) = (0.0, 0u32);
    for a in 0..n_orgs {
        for b in a + 1..n_orgs {
            if count[a] > 0 && count[b] > 0 {
                d += norm_distance(&w.centroids[a * dims..(a + 1) * dims], &w.centroids[b * dims..(b + 1) * dims]);
                pairs += 1;
            }
        }
    }
    w.collab.norm_distance = if pairs > 0 { d / pairs as f64 } else { 0.0 };
}
