//! Mechanisms 1 and 3 through contact. Each active agent makes `contacts_per_week` contacts
//! along its own ties (never 'with everyone'). A cross-partner contact succeeds or fails;
//! success builds trust and experience, failure costs about three times as much, unless it
//! was openly communicated (transparency). Contacts also pull norms together, weighted by
//! similarity (Axelrod 1997), where the culture policy lets partners' norms mix.

use rand::{Rng, RngExt};

use super::params::{CulturePolicy, Params};
use super::state::World;
use super::workload::overload;
use super::{draw_below_similarity, incidents};

pub(crate) fn update<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    let n_orgs = p.n_orgs();
    let dims = p.norm_dims();
    let tp = &p.trust;
    let transparency = p.collaboration.transparency;
    let boost = incidents::boost(p, w);
    let mixes_across = p.collaboration.culture_policy != CulturePolicy::KeepSeparate;
    let anchor_pull = p.culture.anchor_pull;
    let conv = p.culture.convergence_rate;
    let st = &mut w.staff;
    st.norms_prev.copy_from_slice(&st.norms);

    for i in 0..st.len() {
        if !st.active[i] {
            continue;
        }
        let (a, b) = (st.tie_start[i] as usize, st.tie_start[i + 1] as usize);
        let oi = st.org[i] as usize;
        if b > a {
            // The chance a cross-partner contact succeeds depends on i alone: once per agent.
            let q = (tp.success_base + tp.success_from_transparency * transparency
                - tp.success_overload_penalty * overload(st.workload[i])
                + boost)
                .clamp(0.02, 0.98);
            for _ in 0..p.collaboration.contacts_per_week {
                let j = st.ties[rng.random_range(a..b)] as usize;
                if !st.active[j] {
                    continue;
                }
                let oj = st.org[j] as usize;
                if oj != oi {
                    let t = &mut st.trust[i * n_orgs + oj];
                    if rng.random::<f64>() < q {
                        *t += tp.gain * (1.0 - *t);
                        st.experience[i] += tp.experience_gain * (1.0 - st.experience[i]);
                    } else {
                        let open = rng.random::<f64>() < transparency;
                        let cost = if open { 1.0 - tp.open_failure_discount } else { 1.0 };
                        *t -= tp.gain * tp.loss_ratio * cost * *t;
                    }
                }
                if oj == oi || mixes_across {
                    let (ni, nj) = (i * dims, j * dims);
                    // Draw, then test against the norms' similarity (the draw is taken either way).
                    let u = rng.random::<f64>();
                    if draw_below_similarity(u, &st.norms_prev[ni..ni + dims], &st.norms_prev[nj..nj + dims]) {
                        for k in 0..dims {
                            st.norms[ni + k] += conv * (st.norms_prev[nj + k] - st.norms[ni + k]);
                        }
                    }
                }
            }
        }
        // Socialization toward the culture the policy anchors to.
        let anchor: &[f64] = match p.collaboration.culture_policy {
            CulturePolicy::NewShared => &w.unit_centroid,
            CulturePolicy::KeepSeparate => &p.organizations[oi].norms,
            CulturePolicy::AdoptLead => match p.collaboration.lead_partner {
                Some(l) => &p.organizations[l].norms,
                None => &w.unit_centroid,
            },
        };
        for k in 0..dims {
            let x = &mut st.norms[i * dims + k];
            *x += anchor_pull * (anchor[k] - *x);
        }
    }
}
