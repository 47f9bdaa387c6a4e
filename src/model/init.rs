//! Initialization: draws the partners' staff, selects who joins the unit, assigns roles,
//! teams and ties, and sets every organization and collaboration variable to its start.

use rand::{Rng, RngExt};

use super::params::{Form, Params, Role, Selection};
use super::state::{Collaboration, Org, ReviewClock, Staff, World};
use super::{clamp01, spread};

/// One candidate before selection.
struct Candidate {
    org: usize,
    willingness: f64,
}

/// Builds the world at week 0. Consumes random numbers in a fixed order.
pub fn init_world<R: Rng + ?Sized>(p: &Params, rng: &mut R) -> World {
    let n_orgs = p.n_orgs();
    let dims = p.norm_dims();
    let s = p.staff.init_spread;

    // Every partner's staff, with the willingness they would bring.
    let mut pool: Vec<Candidate> = Vec::with_capacity(p.baseline_staff() as usize);
    for (o, org) in p.organizations.iter().enumerate() {
        for _ in 0..org.staff {
            let w = clamp01(org.initial_willingness + spread(rng, s));
            pool.push(Candidate { org: o, willingness: w });
        }
    }
    // Re-application keeps the most willing (mechanism 7); ties broken by draw order.
    if p.collaboration.selection == Selection::ReApply && (p.derived.posts as usize) < pool.len() {
        let mut order: Vec<usize> = (0..pool.len()).collect();
        order.sort_by(|&a, &b| pool[b].willingness.total_cmp(&pool[a].willingness).then(a.cmp(&b)));
        let mut keep = vec![false; pool.len()];
        for &i in &order[..p.derived.posts as usize] {
            keep[i] = true;
        }
        let mut k = keep.iter();
        pool.retain(|_| *k.next().unwrap_or(&false));
    }

    let n = pool.len();
    let mut st = Staff::with_posts(pool.iter().map(|c| c.org as u16).collect());
    st.role = Vec::with_capacity(n);
    st.trust = vec![1.0; n * n_orgs];
    st.motivation = Vec::with_capacity(n);
    st.willingness = Vec::with_capacity(n);
    st.workload = vec![p.project.base_workload; n];
    st.capacity = Vec::with_capacity(n);
    st.experience = Vec::with_capacity(n);
    st.norms = Vec::with_capacity(n * dims);
    st.vacancy = vec![0; n];
    for (i, c) in pool.iter().enumerate() {
        let org = &p.organizations[c.org];
        st.role.push(draw_role(p, rng));
        for q in 0..n_orgs {
            if q != c.org {
                st.trust[i * n_orgs + q] = clamp01(org.initial_trust + spread(rng, s));
            }
        }
        st.motivation.push(clamp01(org.initial_motivation + spread(rng, s)));
        st.willingness.push(c.willingness);
        st.capacity.push(1.0 + spread(rng, 0.1));
        st.experience.push(clamp01(org.prior_experience + spread(rng, s)));
        for k in 0..dims {
            st.norms.push(clamp01(org.norms[k] + spread(rng, p.culture.norm_spread)));
        }
    }
    st.norms_prev = st.norms.clone();
    build_ties(p, &mut st, rng);

    let orgs = (0..n_orgs)
        .map(|o| {
            let op = &p.organizations[o];
            let posts = st.org().iter().filter(|&&x| x as usize == o).count() as u32;
            Org {
                leader_commitment: op.leader_commitment,
                leader_tenure_weeks: 0,
                commitment_before_change: op.leader_commitment,
                realign_pending: false,
                leader_changes: 0,
                engagement: op.engagement,
                reviews: ReviewClock::default(),
                active_staff: posts,
                posts,
                mean_trust: op.initial_trust,
                mean_motivation: op.initial_motivation,
                mean_willingness: op.initial_willingness,
                mean_workload: p.project.base_workload,
                weighted_willingness: op.initial_willingness,
                friction_events: 0,
                leavers: 0,
                savings_gbp: 0.0,
            }
        })
        .collect();

    let mut world = World {
        staff: st,
        orgs,
        collab: Collaboration {
            week: 0,
            strategy_in_force: p.collaboration.strategy_document,
            vision: if p.vision.defined { p.vision.initial } else { 0.0 },
            incident_left: 0,
            incidents: 0,
            visible_failure: 0.0,
            quarter_delivered_gbp: 0.0,
            quarter_planned_gbp: 0.0,
            savings_gbp: 0.0,
            norm_distance: 0.0,
            sponsor: p.sponsor.commitment,
            sponsor_reviews: ReviewClock::default(),
            end: None,
        },
        centroids: vec![0.0; n_orgs * dims],
        other_centroids: vec![0.0; n_orgs * dims],
        unit_centroid: vec![0.0; dims],
        removed_posts: p.baseline_staff().saturating_sub(n as u32),
    };
    super::aggregate::refresh(p, &mut world);
    super::reviews::schedule_at_start(p, &mut world, rng);
    world
}

fn draw_role<R: Rng + ?Sized>(p: &Params, rng: &mut R) -> Role {
    let u: f64 = rng.random();
    if u < p.staff.senior_share {
        Role::Senior
    } else if u < p.staff.senior_share + p.staff.manager_share {
        Role::Manager
    } else {
        Role::Staff
    }
}

/// Informal tie count by role: seniors and managers network across partners more.
fn informal_count(p: &Params, role: Role) -> u32 {
    let k = p.collaboration.informal_ties;
    match role {
        Role::Senior => 2 * k,
        Role::Manager => (3 * k).div_ceil(2),
        Role::Staff => k,
    }
}

/// Teams (formal ties) and cross-partner informal ties.
fn build_ties<R: Rng + ?Sized>(p: &Params, st: &mut Staff, rng: &mut R) {
    let n = st.len();
    let team_size = p.collaboration.team_size.max(1) as usize;
    // A merged unit mixes partners in every team; otherwise teams stay within a partner.
    let mut order: Vec<usize> = (0..n).collect();
    if p.collaboration.form == Form::Merged {
        for i in (1..n).rev() {
            let j = rng.random_range(0..=i);
            order.swap(i, j);
        }
    } else {
        order.sort_by_key(|&i| st.org()[i]);
    }
    let mut team_of = vec![(0usize, 0usize, 0usize); n]; // (start, len, position) in `order`
    let mut start = 0;
    while start < n {
        let mut end = (start + team_size).min(n);
        if p.collaboration.form != Form::Merged {
            let o = st.org()[order[start]];
            end = (start..end).find(|&k| st.org()[order[k]] != o).unwrap_or(end);
        }
        for k in start..end {
            team_of[order[k]] = (start, end - start, k - start);
        }
        start = end;
    }

    let mut ties = Vec::new();
    let mut tie_start = Vec::with_capacity(n + 1);
    let mut formal = Vec::with_capacity(n);
    for i in 0..n {
        tie_start.push(ties.len() as u32);
        let (ts, tl, pos) = team_of[i];
        let mut f = 0u8;
        if tl > 1 {
            for _ in 0..p.collaboration.formal_ties {
                // A teammate other than i: draw among the other tl - 1 positions.
                let k = rng.random_range(0..tl - 1);
                let k = if k >= pos { k + 1 } else { k };
                ties.push(order[ts + k] as u32);
                f += 1;
            }
        }
        formal.push(f);
        for _ in 0..informal_count(p, st.role[i]) {
            ties.push(random_partner(st, i, rng) as u32);
        }
    }
    tie_start.push(ties.len() as u32);
    st.set_network(tie_start, formal, ties);
}

/// A random agent of another organization (by rejection; any other agent if none found).
pub(crate) fn random_partner<R: Rng + ?Sized>(st: &Staff, i: usize, rng: &mut R) -> usize {
    let n = st.len();
    if n < 2 {
        return i;
    }
    for _ in 0..32 {
        let j = rng.random_range(0..n);
        if st.org()[j] != st.org()[i] {
            return j;
        }
    }
    let j = rng.random_range(0..n - 1);
    if j >= i { j + 1 } else { j }
}
