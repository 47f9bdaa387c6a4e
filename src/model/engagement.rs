//! Mechanisms 4 and 9: an organization's strategic engagement follows its leader's
//! commitment, its staff's willingness (weighted by role), its trust in the partners, the
//! value it gets (benefit share of savings, as promised until delivered, against cost share
//! of running costs) and
//! reputation risk from visible failure. A non-lead partner kept out of decisions slowly
//! disengages ('only fully engaged if something started to go in an unintended direction').

use super::params::Params;
use super::state::World;
use super::{incidents, savings, weekly};

pub(crate) fn update(p: &Params, w: &mut World) {
    let ep = &p.engagement;
    let k = weekly(ep.adapt_per_year);
    let boost = incidents::boost(p, w);
    // Visible failure: understaffing and overload, as the partners remember them.
    let posts = w.posts().max(1) as f64;
    let shortfall = (1.0 - w.active_staff() as f64 / posts).max(0.0);
    let active = w.active_staff().max(1) as f64;
    let over: f64 =
        w.orgs.iter().map(|o| o.active_staff as f64 * (o.mean_workload - 1.0).max(0.0)).sum::<f64>() / active;
    let memory = weekly(ep.failure_memory_per_year);
    w.collab.visible_failure += memory * ((shortfall + over).min(1.0) - w.collab.visible_failure);

    let savings = savings::expected_week_savings(p, w.removed_posts, w.collab.week, w.collab.visible_failure);
    let transparency = p.collaboration.transparency;
    let running = p.collaboration.running_cost_per_year / 52.0;
    for (o, org) in w.orgs.iter_mut().enumerate() {
        let op = &p.organizations[o];
        // A partner believes the savings it is told of as far as the books are open to it
        // or it trusts the others ('Absolute transparency ... financial, resourcing ...
        // reduced the likelihood of one organization accusing the other of receiving
        // greater benefits').
        let belief = transparency + (1.0 - transparency) * org.mean_trust;
        let gain = p.derived.benefit_share[o] * savings * belief;
        let cost = p.derived.cost_share[o] * running;
        let value = if gain + cost > 0.0 { 0.5 + 0.5 * (gain - cost) / (gain + cost) } else { 0.5 };
        let nonlead = match p.derived.lead_partner {
            // ... and re-engages fully while something visibly goes wrong.
            Some(l) if l != o => {
                p.collaboration.nonlead_disengagement * (1.0 - op.participation) * (1.0 - w.collab.visible_failure)
            }
            _ => 0.0,
        };
        let target = ep.leader_weight * org.leader_commitment
            + ep.willingness_weight * org.weighted_willingness
            + ep.trust_weight * org.mean_trust
            + ep.value_weight * value
            - ep.reputation_weight * op.reputation_sensitivity * w.collab.visible_failure
            - nonlead
            + boost;
        org.engagement = (org.engagement + k * (target - org.engagement)).clamp(0.0, 1.0);
    }
}
