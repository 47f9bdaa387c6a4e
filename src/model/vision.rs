//! Mechanism 5: the shared vision decays unless re-stated by communication (meetings, more
//! effective when two-way) and by a strategy document that carries it. A collaboration
//! that never defined a vision (the HR case) has nothing to re-state.

use super::params::Params;
use super::state::World;
use super::weekly;

pub(crate) fn update(p: &Params, w: &mut World) {
    let v = &p.vision;
    let c = &p.communication;
    let mut s = w.collab.vision;
    s -= weekly(v.decay_per_year) * s;
    if v.defined {
        let meetings = c.meetings_per_month * 12.0 / 52.0;
        let effect = if c.two_way { 1.0 } else { c.one_way_effectiveness };
        let mut restate = (v.restate_per_meeting * meetings * effect).min(1.0);
        if w.collab.strategy_in_force {
            restate += weekly(v.strategy_restate_per_year);
        }
        s += restate.min(1.0) * (1.0 - s);
    }
    w.collab.vision = s.clamp(0.0, 1.0);
}
