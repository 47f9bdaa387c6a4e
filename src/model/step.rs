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
    savings::update(p, w);
    engagement::update(p, w);
    ending::check(p, w);
}

#[cfg(test)]
mod tests {
    //! The state that exists only for speed (the filled-post bit set, each tie's partner
    //! organization, aggregates summed inside the staffing pass) must always say what the
    //! plain state says, and norms stay in [0, 1] (friction's shortcut assumes it). Checked every week of every shipped scenario, with staff turnover
    //! raised so that posts empty and refill all the time.
    use std::path::Path;

    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::super::{aggregate, init_world};
    use super::step;

    #[test]
    fn derived_state_matches_the_plain_state_every_week() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        assert!(files.len() >= 5, "the shipped scenarios are missing");
        let mut left = 0;
        for file in files {
            let overrides = ["staff.turnover_per_year=0.8".to_string(), "gatherings.per_year=12".to_string()];
            let p = crate::scenario::load(&file, &overrides).unwrap().spec.params;
            let mut rng = ChaCha8Rng::seed_from_u64(3);
            let mut w = init_world(&p, &mut rng);
            for week in 0..156 {
                step(&p, &mut w, &mut rng);
                if w.ended() {
                    break;
                }
                let st = &w.staff;
                for i in 0..st.len() {
                    assert_eq!(st.is_filled(i), st.active[i], "{file:?} week {week}: post {i}");
                }
                assert!(st.filled.len() * 64 - st.len() < 64);
                // Friction's shortcut rests on norms (and so centroids) staying in [0, 1].
                let in_unit = |x: &f64| (-1e-12..=1.0 + 1e-12).contains(x);
                assert!(st.norms.iter().chain(&w.other_centroids).all(in_unit), "{file:?} week {week}: norms");
                for (k, &j) in st.ties.iter().enumerate() {
                    assert_eq!(st.tie_org[k], st.org[j as usize], "{file:?} week {week}: tie {k}");
                }
                // The aggregates of a separate pass over this week's staff, bit for bit.
                let mut fresh = w.clone();
                aggregate::refresh(&p, &mut fresh);
                let bits = |w: &super::World| {
                    let mut v: Vec<u64> = w.orgs.iter().map(|o| o.active_staff as u64).collect();
                    for o in &w.orgs {
                        let means = [o.mean_trust, o.mean_motivation, o.mean_willingness, o.mean_workload];
                        v.extend(means.iter().chain([&o.weighted_willingness]).map(|x| x.to_bits()));
                    }
                    let centroids = w.centroids.iter().chain(&w.other_centroids).chain(&w.unit_centroid);
                    v.extend(centroids.chain([&w.collab.norm_distance]).map(|x| x.to_bits()));
                    v
                };
                assert_eq!(bits(&fresh), bits(&w), "{file:?} week {week}: aggregates");
                left += w.orgs.iter().map(|o| o.leavers).sum::<u32>();
            }
        }
        // 0.8 leavers per post-year over five units of 25-150 posts: hundreds leave (and
        // their posts refill), so both paths of the bit set and the tally are exercised.
        assert!(left > 200, "turnover too low to exercise refilling: {left}");
    }
}
