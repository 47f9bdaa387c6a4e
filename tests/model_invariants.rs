//! The state kept only for speed (the filled-post bit set, each tie's partner organization,
//! the aggregates summed inside the staffing pass) says what the plain state says, and norms
//! stay in [0, 1] (friction's shortcut assumes it): `model::invariants::check` after every
//! week of every shipped scenario, with staff turnover and gatherings raised so that posts
//! empty and refill and ties move all the time.

use std::path::Path;

use collabsim::engine::replicate_rng;
use collabsim::model::{init_world, invariants, step};

#[test]
fn derived_state_matches_the_plain_state_every_week() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 5, "the shipped scenarios are missing");
    let overrides = ["staff.turnover_per_year=0.8".to_string(), "gatherings.per_year=12".to_string()];
    let mut left = 0;
    for file in files {
        let p = collabsim::scenario::load(&file, &overrides).unwrap().spec.params;
        let mut rng = replicate_rng(3, 0);
        let mut w = init_world(&p, &mut rng);
        invariants::check(&p, &w).unwrap_or_else(|e| panic!("{file:?} at the start: {e}"));
        for week in 1..=156 {
            step(&p, &mut w, &mut rng);
            if w.ended() {
                break;
            }
            invariants::check(&p, &w).unwrap_or_else(|e| panic!("{file:?} week {week}: {e}"));
            left += w.orgs.iter().map(|o| o.leavers).sum::<u32>();
        }
    }
    // 0.8 leavers per post-year over five units of 25-150 posts: hundreds leave (and their
    // posts refill), so both paths of the bit set and the tally are exercised.
    assert!(left > 200, "turnover too low to exercise refilling: {left}");
}
