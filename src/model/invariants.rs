//! A verification aid: what must hold of a world between weeks, above all that the state kept
//! only for speed says what the plain state says. Pure (no I/O); tests call it after every
//! step, the simulation never does.

use super::aggregate;
use super::params::Params;
use super::state::World;

/// Checks `w`, as `init_world` or `step` left it under `p`; the first violation found is
/// returned as a sentence. Checked: the tie network's shape, each tie's partner organization
/// against the organization of the post it points to, the filled-post bit set's size and
/// padding, that a filled post waits for no hire, that norms and the partners' centroids
/// stay in [0, 1] (friction's draw shortcut rests on it), and that the aggregates summed
/// inside the staffing pass equal, bit for bit, those of a separate pass over the staff.
pub fn check(p: &Params, w: &World) -> Result<(), String> {
    let st = &w.staff;
    let n = st.len();
    let (org, tie_start, formal, ties, tie_org) = (st.org(), st.tie_start(), st.formal_ties(), st.ties(), st.tie_org());

    let ends = tie_start.last().map(|&e| e as usize);
    if tie_start.len() != n + 1 || formal.len() != n || ends != Some(ties.len()) || tie_org.len() != ties.len() {
        return Err(format!(
            "tie arrays out of shape for {n} posts: {} slot starts ending at {ends:?}, {} formal counts, {} ties, {} \
             tie organizations",
            tie_start.len(),
            formal.len(),
            ties.len(),
            tie_org.len()
        ));
    }
    for i in 0..n {
        let (a, b, f) = (tie_start[i], tie_start[i + 1], formal[i]);
        if b < a || b - a < u32::from(f) {
            return Err(format!("post {i}: tie slots {a}..{b}, {f} of them formal"));
        }
    }
    for (k, (&j, &o)) in ties.iter().zip(tie_org).enumerate() {
        match org.get(j as usize) {
            Some(&oj) if oj == o => {}
            Some(&oj) => return Err(format!("tie {k} to post {j}: recorded organization {o}, the post's is {oj}")),
            None => return Err(format!("tie {k} points to post {j} of {n}")),
        }
    }

    let words = st.filled_words();
    if words.len() != n.div_ceil(64) {
        return Err(format!("{} words of filled bits for {n} posts", words.len()));
    }
    let used = n % 64; // bits of the last word that stand for posts (0: all of them)
    if used != 0 && words.last().is_some_and(|&last| last >> used != 0) {
        return Err(format!("filled bits set beyond the {n} posts"));
    }
    if let Some(i) = (0..n).find(|&i| st.is_filled(i) && st.vacancy[i] != 0) {
        return Err(format!("post {i} is filled but waits {} weeks for a hire", st.vacancy[i]));
    }

    let in_unit = |x: &f64| (-1e-12..=1.0 + 1e-12).contains(x);
    if let Some(x) = st.norms.iter().chain(&w.other_centroids).find(|x| !in_unit(x)) {
        return Err(format!("a norm or partners' centroid left [0, 1]: {x:e}"));
    }

    let mut fresh = w.clone();
    aggregate::refresh(p, &mut fresh);
    let (a, b) = (aggregate_bits(w), aggregate_bits(&fresh));
    if a != b {
        let k = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
        return Err(format!(
            "aggregate {k} (see `aggregate_bits`) differs from a separate pass: {:?} against {:?}",
            a.get(k),
            b.get(k)
        ));
    }
    Ok(())
}

/// Every aggregate as bits, in order: each organization's head count, then each one's mean
/// trust, motivation, willingness, workload and weighted willingness, then the centroids,
/// the partners' and the unit's centroids and the norm distance.
fn aggregate_bits(w: &World) -> Vec<u64> {
    let mut v: Vec<u64> = w.orgs.iter().map(|o| u64::from(o.active_staff)).collect();
    for o in &w.orgs {
        let means = [o.mean_trust, o.mean_motivation, o.mean_willingness, o.mean_workload, o.weighted_willingness];
        v.extend(means.iter().map(|x| x.to_bits()));
    }
    let centroids = w.centroids.iter().chain(&w.other_centroids).chain(&w.unit_centroid);
    v.extend(centroids.chain([&w.collab.norm_distance]).map(|x| x.to_bits()));
    v
}
