//! One week of the model, in the fixed order ODD's 'process overview and scheduling'
//! documents. Each submodel is a plain function of (parameters, world, rng).

use rand::Rng;

use super::params::Params;
use super::state::World;
use super::{
    contact, ending, engagement, friction, gatherings, incidents, leadership, savings, staffing, vision, workload,
};

/// Advances the world one week. Does nothing once the collaboration has ended.
pub fn step<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    if w.ended() {
        return;
    }
    w.collab.week += 1;
    incidents::update(p, w, rng);
    leadership::turnover(p, w, rng);
    workload::update(p, w);
    contact::update(p, w, rng);
    friction::update(p, w, rng);
    gatherings::update(p, w, rng);
    vision::update(p, w);
    // Staffing also refreshes the per-organization aggregates (`aggregate::Tally`), each
    // agent added right after its own update: the values of a separate pass, in one pass.
    staffing::update(p, w, rng);
    leadership::adapt(p, w);
    savings::update(p, w, rng);
    engagement::update(p, w);
    ending::check(p, w, rng);
}
