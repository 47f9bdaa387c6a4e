//! Mechanism 3 (friction): where norms differ and resources are shared ('green dots' on the
//! fire service's chairs), staff clash. The chance of a friction event grows with the
//! agent's distance from the other partners' norm centroid (a per-organization aggregate,
//! so the cost is linear in staff); each event erodes trust in a partner and motivation.

use rand::{Rng, RngExt};

use super::params::{Form, Params};
use super::state::World;
use super::{clamp01, draw_below_scaled_distance};

pub(crate) fn update<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    let n_orgs = p.n_orgs();
    let dims = p.norm_dims();
    let cp = &p.culture;
    let suppression = if w.collab.incident_left > 0 { p.incidents.friction_suppression } else { 0.0 };
    // Partners on separate sites share no desks or equipment to clash over.
    let shared = if p.collaboration.form == Form::Virtual { 0.0 } else { p.collaboration.shared_resources };
    let base = cp.friction_rate * shared * (1.0 - suppression);
    for org in w.orgs.iter_mut() {
        org.friction_events = 0;
    }
    if base <= 0.0 || n_orgs < 2 {
        return;
    }
    // The chance is `base` times a distance between norm vectors whose components lie in
    // [0, 1], so at most `base` (the margin covers rounding many times over): a draw above
    // `sure_miss` is no clash whatever the distance, and the distance is computed only for
    // the few draws below it. Same draws, same decisions.
    let sure_miss = base * (1.0 + 1e-6);
    let st = &mut w.staff;
    for i in 0..st.len() {
        if !st.is_filled(i) {
            continue;
        }
        let o = st.org()[i] as usize;
        let u = rng.random::<f64>();
        if u < sure_miss
            && draw_below_scaled_distance(
                u,
                base,
                &st.norms[i * dims..(i + 1) * dims],
                &w.other_centroids[o * dims..(o + 1) * dims],
            )
        {
            // The partner clashed with: uniform over the other organizations.
            let q = rng.random_range(0..n_orgs - 1);
            let q = if q >= o { q + 1 } else { q };
            let t = &mut st.trust[i * n_orgs + q];
            *t -= cp.friction_trust_loss * *t;
            st.motivation[i] = clamp01(st.motivation[i] - cp.friction_motivation_loss);
            w.orgs[o].friction_events += 1;
        }
    }
}
