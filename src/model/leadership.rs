//! Mechanism 2, leadership turnover: a new chief officer questions the collaboration;
//! with a strategy document a re-alignment presentation restores much of the lost
//! commitment, without one the organization drifts back towards the 'untrusted world'.

use rand::{Rng, RngExt};

use super::params::Params;
use super::state::World;
use super::{clamp01, reviews, spread, weekly};

/// Leader changes (a Poisson hazard per organization) and pending re-alignments.
pub(crate) fn turnover<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    for o in 0..w.orgs.len() {
        let org = &mut w.orgs[o];
        org.leader_tenure_weeks += 1;
        let hazard = weekly(p.derived.leader_turnover_per_year[o]);
        if rng.random::<f64>() < hazard {
            org.commitment_before_change = org.leader_commitment;
            let lp = &p.leadership;
            org.leader_commitment = clamp01(lp.new_leader_commitment + spread(rng, lp.new_leader_spread));
            org.leader_tenure_weeks = 0;
            org.leader_changes += 1;
            // The new leader may set the strategy aside; once lost it stays lost.
            if w.collab.strategy_in_force && rng.random::<f64>() >= p.collaboration.strategy_survival {
                w.collab.strategy_in_force = false;
            }
            org.realign_pending = w.collab.strategy_in_force;
            reviews::after_leader_change(p, w, o, rng);
        }
        let org = &mut w.orgs[o];
        if org.realign_pending && org.leader_tenure_weeks >= p.leadership.realign_delay_weeks {
            let lost = (org.commitment_before_change - org.leader_commitment).max(0.0);
            org.leader_commitment += p.leadership.realign_strength * lost;
            org.realign_pending = false;
        }
    }
}

/// Leader commitment follows the shared vision (mostly) and the organization's trust in partners.
pub(crate) fn adapt(p: &Params, w: &mut World) {
    let k = weekly(p.leadership.adapt_per_year);
    let vision = w.collab.vision;
    for org in w.orgs.iter_mut() {
        let target = 0.6 * vision + 0.4 * org.mean_trust;
        org.leader_commitment += k * (target - org.leader_commitment);
    }
}
