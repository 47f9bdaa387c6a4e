//! Mechanism 8: informal gatherings and staff engagement meetings create cross-partner ties
//! and trust. On a gathering week each attendee replaces one informal tie with a new
//! contact in another partner and gains trust in that partner.

use rand::{Rng, RngExt};

use super::init::random_partner;
use super::params::Params;
use super::state::World;

pub(crate) fn update<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    let g = &p.gatherings;
    if g.per_year <= 0.0 {
        return;
    }
    let period = (52.0 / g.per_year).round().max(1.0) as u32;
    if !w.collab.week.is_multiple_of(period) {
        return;
    }
    let n_orgs = p.n_orgs();
    let st = &mut w.staff;
    for i in 0..st.len() {
        if !st.is_filled(i) || rng.random::<f64>() >= g.attendance {
            continue;
        }
        let j = random_partner(st, i, rng);
        if !st.is_filled(j) {
            continue; // a vacant post: nobody to meet
        }
        let (a, b) = (st.tie_start()[i] as usize + st.formal_ties()[i] as usize, st.tie_start()[i + 1] as usize);
        if b > a {
            let slot = rng.random_range(a..b);
            st.set_tie(slot, j);
        }
        let q = st.org()[j] as usize;
        if q != st.org()[i] as usize {
            let t = &mut st.trust[i * n_orgs + q];
            *t += g.trust_gain * (1.0 - *t);
        }
    }
}
