//! Mechanisms 5, 6 and 7 at the individual level: motivation follows the shared vision,
//! the leader's commitment and trust, and drops under overload; willingness follows
//! motivation, trust, experience and cross-partner connections, and overload drains it
//! from the unmotivated. Staff leave at the UK policing base rate plus a quit hazard when
//! unwilling ('stay on the bus or leave early') or overloaded and unmotivated; posts are
//! refilled after a hiring delay.

use rand::{Rng, RngExt};

use super::aggregate::Tally;
use super::params::{Params, Selection};
use super::state::{World, bit};
use super::view::StaffView;
use super::workload::overload;
use super::{clamp01, draw_below_weekly, incidents, partner_trust, spread, weekly};

pub(crate) fn update<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    let n_orgs = p.n_orgs();
    let dims = p.norm_dims();
    let (mp, wp, sp) = (&p.motivation, &p.willingness, &p.staff);
    let km = weekly(mp.adapt_per_year);
    let kw = weekly(wp.adapt_per_year);
    let vision = w.collab.vision;
    let boost = incidents::boost(p, w);
    // Removing the unwilling ('stay on the bus or leave early') persuades out, faster, those
    // below a higher bar than the one at which staff start to quit of their own accord.
    let (quit_factor, quit_below) = if sp.remove_unwilling {
        (sp.remove_unwilling_factor, sp.remove_below_willingness)
    } else {
        (1.0, sp.quit_below_willingness)
    };
    // New hires are recruited for willingness where the unit selects for it.
    let select_hires = p.collaboration.selection == Selection::ReApply || sp.remove_unwilling;
    for org in w.orgs.iter_mut() {
        org.leavers = 0;
    }
    let mut memo = (sp.turnover_per_year.to_bits(), weekly(sp.turnover_per_year));
    // The week's aggregates are summed in this pass, each agent right after its update.
    let mut tally = Tally::new(p, w);
    let centroids = &mut w.centroids;
    let mut v = w.staff.view(n_orgs, dims);
    for i in 0..v.org.len() {
        let o = v.org[i] as usize;
        if !v.is_filled(i) {
            match v.vacancy[i] {
                u32::MAX => {}
                // Filled in the step `hiring_delay_weeks` after the leaver went (at least one).
                0 | 1 => {
                    hire(p, &mut v, i, select_hires, rng);
                    let trust = partner_trust(&v.trust[i * n_orgs..(i + 1) * n_orgs], o);
                    tally.add_agent(&v.agent(i, trust), centroids);
                }
                k => v.vacancy[i] = k - 1,
            }
            continue;
        }
        let trust = partner_trust(&v.trust[i * n_orgs..(i + 1) * n_orgs], o);
        let over = overload(v.workload[i]);
        let m = v.motivation[i];
        let m_target = mp.base
            + mp.vision_weight * vision
            + mp.leader_weight * w.orgs[o].leader_commitment
            + mp.trust_weight * trust
            - mp.overload_weight * over
            + boost;
        let m = clamp01(m + km * (m_target - m));
        v.motivation[i] = m;

        let (a, b) = (v.tie_start[i] as usize, v.tie_start[i + 1] as usize);
        // Only ties into another partner need the other end looked up (is it filled?).
        let connected = v.ties[a..b]
            .iter()
            .zip(&v.tie_org[a..b])
            .filter(|&(&j, &oj)| oj as usize != o && bit(v.filled, j as usize))
            .count();
        let connection = if b == a { 0.0 } else { connected as f64 / (b - a) as f64 };
        let wl = v.willingness[i];
        let w_target = wp.motivation_weight * m
            + wp.trust_weight * trust
            + wp.experience_weight * v.experience[i]
            + wp.connection_weight * connection;
        let wl = clamp01(wl + kw * (w_target - wl) - wp.overload_loss * over * (1.0 - m));
        v.willingness[i] = wl;

        let unwilling = ((quit_below - wl) / quit_below.max(1e-9)).max(0.0);
        // Overload pushes out those it does not motivate (mechanism M6, ODD 7.8: under
        // overload the unmotivated lose willingness and leave), directly as well as through
        // willingness.
        let hazard = sp.turnover_per_year
            + sp.quit_per_year * quit_factor * unwilling
            + sp.quit_overload_per_year * over * (1.0 - m);
        if draw_below_weekly(rng.random::<f64>(), hazard, &mut memo) {
            v.set_filled(i, false);
            v.vacancy[i] = if sp.replace_leavers { sp.hiring_delay_weeks } else { u32::MAX };
            w.orgs[o].leavers += 1;
        } else {
            tally.add_agent(&v.agent(i, trust), centroids);
        }
    }
    tally.finish(p, w);
}

/// A new holder of post `i`: brings the parent organization's culture and starting views
/// (Harrison and Carroll 1991), and little experience of the collaboration.
fn hire<R: Rng + ?Sized>(p: &Params, v: &mut StaffView, i: usize, selected: bool, rng: &mut R) {
    let (n_orgs, dims) = (v.n_orgs, v.dims);
    let o = v.org[i] as usize;
    let op = &p.organizations[o];
    let s = p.staff.init_spread;
    for q in 0..n_orgs {
        if q != o {
            v.trust[i * n_orgs + q] = clamp01(op.initial_trust + spread(rng, s));
        }
    }
    v.motivation[i] = clamp01(op.initial_motivation + spread(rng, s));
    let w0 = if selected { p.staff.hire_willingness } else { op.initial_willingness };
    v.willingness[i] = clamp01(w0 + spread(rng, s));
    v.experience[i] = clamp01(0.5 * op.prior_experience + spread(rng, s));
    for k in 0..dims {
        v.norms[i * dims + k] = clamp01(op.norms[k] + spread(rng, p.culture.norm_spread));
    }
    v.workload[i] = p.project.base_workload / v.capacity[i];
    v.set_filled(i, true);
    v.vacancy[i] = 0;
}
