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

/// Recomputes every aggregate in a pass of its own (at initialization). During a week
/// the staffing pass feeds a `Tally` agent by agent instead, right after each agent's
/// update: the same values added in the same order, without a second pass over memory.
pub(crate) fn refresh(p: &Params, w: &mut World) {
    let (n_orgs, dims) = (p.n_orgs(), p.norm_dims());
    let mut tally = Tally::new(p, w);
    let v = w.staff.view(n_orgs, dims);
    for i in 0..v.org.len() {
        if v.is_filled(i) {
            let trust = partner_trust(&v.trust[i * n_orgs..(i + 1) * n_orgs], v.org[i] as usize);
            tally.add_agent(&v.agent(i, trust), &mut w.centroids);
        }
    }
    tally.finish(p, w);
}

/// Running sums of one organization's active staff.
#[derive(Clone, Copy, Default)]
struct Sums {
    count: u32,
    trust: f64,
    motivation: f64,
    willing: f64,
    weighted: f64,
    weight: f64,
    workload: f64,
}

/// What the aggregates read of one active agent.
pub(crate) struct Agent<'a> {
    pub org: usize,
    pub trust: f64,
    pub motivation: f64,
    pub willingness: f64,
    pub role: Role,
    pub workload: f64,
    pub norms: &'a [f64],
}

/// The per-organization sums of one pass over the staff; norm sums go straight into
/// `World::centroids`, which `new` clears.
pub(crate) struct Tally {
    sums: Vec<Sums>,
    dims: usize,
}

impl Tally {
    pub(crate) fn new(p: &Params, w: &mut World) -> Self {
        w.centroids.fill(0.0);
        Tally { sums: vec![Sums::default(); p.n_orgs()], dims: p.norm_dims() }
    }

    /// Adds one active agent's values to its organization's sums and centroid.
    #[inline(always)]
    pub(crate) fn add_agent(&mut self, a: &Agent, centroids: &mut [f64]) {
        let o = a.org;
        let s = &mut self.sums[o];
        s.count += 1;
        s.trust += a.trust;
        s.motivation += a.motivation;
        s.willing += a.willingness;
        let rw = role_weight(a.role);
        s.weighted += rw * a.willingness;
        s.weight += rw;
        s.workload += a.workload;
        // Four norm dimensions in every shipped scenario: a fixed-length copy the compiler
        // unrolls (the same additions, so the same bits).
        match self.dims {
            4 => add_row(&mut centroids[o * 4..o * 4 + 4], &a.norms[..4]),
            d => add_row(&mut centroids[o * d..o * d + d], a.norms),
        }
    }

    /// Turns the sums into means, centroids and the partners' norm distance.
    pub(crate) fn finish(self, p: &Params, w: &mut World) {
        let n_orgs = p.n_orgs();
        let dims = self.dims;
        let sums = self.sums;
        for (org, s) in w.orgs.iter_mut().zip(&sums) {
            org.active_staff = s.count;
            if s.count > 0 {
                let c = s.count as f64;
                org.mean_trust = s.trust / c;
                org.mean_motivation = s.motivation / c;
                org.mean_willingness = s.willing / c;
                org.weighted_willingness = s.weighted / s.weight;
                org.mean_workload = s.workload / c;
            }
            // An organization with no staff left keeps its last means (it has no voice now).
        }
        for (centroid, s) in w.centroids.chunks_exact_mut(dims.max(1)).zip(&sums) {
            if s.count > 0 {
                centroid.iter_mut().for_each(|x| *x /= s.count as f64);
            }
        }
        let count = |o: usize| sums[o].count;
        // Staff-weighted centroids: of the unit, and of 'everyone but o' for each o.
        let total: f64 = sums.iter().map(|s| s.count as f64).sum();
        for k in 0..dims {
            let sum: f64 = (0..n_orgs).map(|o| count(o) as f64 * w.centroids[o * dims + k]).sum();
            w.unit_centroid[k] = if total > 0.0 { sum / total } else { 0.0 };
            for o in 0..n_orgs {
                let others = total - count(o) as f64;
                w.other_centroids[o * dims + k] = if others > 0.0 {
                    (sum - count(o) as f64 * w.centroids[o * dims + k]) / others
                } else {
                    w.centroids[o * dims + k]
                };
            }
        }
        // Mean pairwise distance between the centroids of partners that still have staff.
        let (mut d, mut pairs) = (0.0, 0u32);
        for a in 0..n_orgs {
            for b in a + 1..n_orgs {
                if count(a) > 0 && count(b) > 0 {
                    d += norm_distance(&w.centroids[a * dims..(a + 1) * dims], &w.centroids[b * dims..(b + 1) * dims]);
                    pairs += 1;
                }
            }
        }
        w.collab.norm_distance = if pairs > 0 { d / pairs as f64 } else { 0.0 };
    }
}

/// `c += x` component by component.
#[inline(always)]
fn add_row(c: &mut [f64], x: &[f64]) {
    for (c, &x) in c.iter_mut().zip(x) {
        *c += x;
    }
}
