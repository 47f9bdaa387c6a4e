//! Mechanisms 1 and 3 through contact. Each active agent makes `contacts_per_week` contacts
//! along its own ties (never 'with everyone'). A cross-partner contact succeeds or fails;
//! success builds trust and experience, failure costs about three times as much, unless it
//! was openly communicated (transparency). Contacts also pull norms together, weighted by
//! similarity (Axelrod 1997), where the culture policy lets partners' norms mix.

use rand::{Rng, RngExt};

use super::params::{CulturePolicy, Form, Params};
use super::state::{World, bit};
use super::workload::overload;
use super::{draw_below_similarity, incidents};

pub(crate) fn update<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    // The hottest loop of a week. Every shipped scenario has four norm dimensions; a copy
    // compiled for exactly four unrolls the norm loops and drops their bounds checks. The
    // arithmetic and its order are the same in both copies, so are the results.
    match p.norm_dims() {
        4 => update_dims::<4, R>(p, w, rng),
        _ => update_dims::<0, R>(p, w, rng),
    }
}

/// `D` is the number of norm dimensions, or 0 to read it from the parameters.
fn update_dims<const D: usize, R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    let n_orgs = p.n_orgs();
    let dims = if D > 0 { D } else { p.norm_dims() };
    let tp = &p.trust;
    let transparency = p.collaboration.transparency;
    let boost = incidents::boost(p, w);
    // Partners on separate sites meet only through formal channels.
    let distance_penalty =
        if p.collaboration.form == Form::Virtual { p.collaboration.virtual_contact_penalty } else { 0.0 };
    let mixes_across = p.collaboration.culture_policy != CulturePolicy::KeepSeparate;
    let anchor_pull = p.culture.anchor_pull;
    let conv = p.culture.convergence_rate;
    let contacts = p.collaboration.contacts_per_week;
    // A failed contact costs `(gain * loss_ratio) * cost * t`: the first product is the
    // same for every contact, and `cost` is either `1 - open_failure_discount` or 1.
    let fail_gain = tp.gain * tp.loss_ratio;
    let (fail_open, fail_closed) = (fail_gain * (1.0 - tp.open_failure_discount), fail_gain);
    // The culture each organization's staff are socialized toward (fixed during the week).
    let anchors: Vec<&[f64]> = (0..n_orgs)
        .map(|o| -> &[f64] {
            match p.collaboration.culture_policy {
                CulturePolicy::NewShared => &w.unit_centroid,
                CulturePolicy::KeepSeparate => &p.organizations[o].norms,
                CulturePolicy::AdoptLead => match p.derived.lead_partner {
                    Some(l) => &p.organizations[l].norms,
                    None => &w.unit_centroid,
                },
            }
        })
        .collect();
    let st = &mut w.staff;
    // Contacts read last week's norms, so the order of agents does not matter. The two
    // buffers swap, and each agent's row is copied back as the loop reaches it: the same
    // values as copying the whole array first, in one pass over memory instead of two.
    std::mem::swap(&mut st.norms, &mut st.norms_prev);
    let n = st.len();
    let v = st.view(n_orgs, dims);
    let (filled, org, tie_start, workload) = (&*v.filled, v.org, v.tie_start, &*v.workload);
    let (ties, tie_org, trust, experience) = (v.ties, v.tie_org, v.trust, v.experience);
    let (norms, prev) = (v.norms, v.norms_prev);

    for i in 0..n {
        let ni = i * dims;
        norms[ni..ni + dims].copy_from_slice(&prev[ni..ni + dims]);
        if !bit(filled, i) {
            continue;
        }
        let (a, b) = (tie_start[i] as usize, tie_start[i + 1] as usize);
        let oi = org[i] as usize;
        if b > a {
            // The chance a cross-partner contact succeeds depends on i alone: once per agent.
            let q = (tp.success_base + tp.success_from_transparency * transparency
                - tp.success_overload_penalty * overload(workload[i])
                - distance_penalty
                + boost)
                .clamp(0.02, 0.98);
            for _ in 0..contacts {
                let slot = rng.random_range(a..b);
                let j = ties[slot] as usize;
                if !bit(filled, j) {
                    continue;
                }
                let oj = tie_org[slot] as usize;
                if oj != oi {
                    let t = &mut trust[i * n_orgs + oj];
                    if rng.random::<f64>() < q {
                        *t += tp.gain * (1.0 - *t);
                        experience[i] += tp.experience_gain * (1.0 - experience[i]);
                    } else {
                        let open = rng.random::<f64>() < transparency;
                        *t -= if open { fail_open } else { fail_closed } * *t;
                    }
                }
                if oj == oi || mixes_across {
                    let nj = j * dims;
                    let (mine, theirs) = (&mut norms[ni..ni + dims], &prev[nj..nj + dims]);
                    // Draw, then test against the norms' similarity (the draw is taken either way).
                    let u = rng.random::<f64>();
                    if draw_below_similarity(u, &prev[ni..ni + dims], theirs) {
                        for (x, &y) in mine.iter_mut().zip(theirs) {
                            *x += conv * (y - *x);
                        }
                    }
                }
            }
        }
        // Socialization toward the culture the policy anchors to.
        for (x, &c) in norms[ni..ni + dims].iter_mut().zip(anchors[oi]) {
            *x += anchor_pull * (c - *x);
        }
    }
}
