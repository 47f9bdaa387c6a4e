//! Mechanism (pattern 10), major incidents: 'when something big happens, we put aside our
//! differences and make it work'. An incident raises cooperation for a few weeks.

use rand::{Rng, RngExt};

use super::params::Params;
use super::state::World;
use super::weekly;

pub(crate) fn update<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    if w.collab.incident_left > 0 {
        w.collab.incident_left -= 1;
        if w.collab.incident_left == 0 {
            // 'When we have time to think about collaborating, then people get cold feet.'
            super::reviews::after_incident(p, w, rng);
        }
    }
    let scheduled = p.incidents.scheduled_weeks.contains(&w.collab.week);
    let random = p.incidents.per_year > 0.0 && rng.random::<f64>() < weekly(p.incidents.per_year);
    if scheduled || random {
        w.collab.incident_left = p.incidents.duration_weeks;
        w.collab.incidents += 1;
    }
}

/// The boost to cooperation this week: `cooperation_boost` during an incident, else 0.
#[inline]
pub(crate) fn boost(p: &Params, w: &World) -> f64 {
    if w.collab.incident_left > 0 { p.incidents.cooperation_boost } else { 0.0 }
}
