//! Pattern 8, money: savings from removed posts (ramped in; a lead partner's faster
//! decisions shorten the ramp) plus the plan's items (e.g. the CS1 network, 400k GBP a
//! year), each growing or shrinking by its annual change and delivered only as far as the
//! unit works: visible failure (understaffing, overload) costs a started item's saving.
//! Shared by benefit shares.

use rand::Rng;

use super::params::Params;
use super::reviews;
use super::state::World;

/// Which savings of a week: what was realised, what partners judge the collaboration by,
/// or what the plan said the week would deliver.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Removed posts' savings ramped in; started items, times the delivery factor.
    Realised,
    /// Removed posts' savings in full; started items times the delivery factor, and items
    /// not yet started at their planned amount (the promise made at the start).
    Promised,
    /// Removed posts' savings in full and started items delivered in full.
    Planned,
}

/// Savings realised in `week` (GBP), with visible failure `vf`. Before an item starts it
/// yields nothing.
pub(crate) fn week_savings(p: &Params, removed_posts: u32, week: u32, vf: f64) -> f64 {
    savings_at(p, removed_posts, week, Kind::Realised, vf)
}

/// What partners judge the collaboration's value by: realised savings, except that posts'
/// savings count in full and an item not yet started counts at its planned annual amount.
pub(crate) fn expected_week_savings(p: &Params, removed_posts: u32, week: u32, vf: f64) -> f64 {
    savings_at(p, removed_posts, week, Kind::Promised, vf)
}

fn savings_at(p: &Params, removed_posts: u32, week: u32, kind: Kind, vf: f64) -> f64 {
    let sv = &p.savings;
    let speed = if p.derived.lead_partner.is_some() { 1.0 - p.collaboration.lead_decision_speedup } else { 1.0 };
    let ramp_weeks = sv.ramp_weeks as f64 * speed;
    let ramp = if ramp_weeks <= 0.0 || kind != Kind::Realised { 1.0 } else { (week as f64 / ramp_weeks).min(1.0) };
    let (promised, vf) = match kind {
        Kind::Realised => (false, vf),
        Kind::Promised => (true, vf),
        Kind::Planned => (false, 0.0),
    };
    let staff = removed_posts as f64 * sv.per_removed_post_gbp / 52.0 * ramp;
    let delivered = 1.0 - sv.delivery_sensitivity * vf;
    let items: f64 = sv
        .items
        .iter()
        .filter(|it| promised || week >= it.start_week)
        .map(|it| {
            if week < it.start_week {
                return it.annual_gbp / 52.0;
            }
            let years = (week - it.start_week) as f64 / 52.0;
            it.annual_gbp / 52.0 * (1.0 + it.annual_change).max(0.0).powf(years) * delivered
        })
        .sum();
    staff + items
}

/// Books this week's savings; at the end of each quarter (every 13 weeks) a shortfall of
/// the delivered savings against the plan sends every partner to a review.
pub(crate) fn update<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    let week = w.collab.week;
    let s = week_savings(p, w.removed_posts, week, w.collab.visible_failure);
    w.collab.savings_gbp += s;
    for (o, org) in w.orgs.iter_mut().enumerate() {
        org.savings_gbp += s * p.derived.benefit_share[o];
    }
    // The plan: the posts' savings in full from the start and the started items delivered
    // in full; a slow ramp and visible failure both fall short of it.
    w.collab.quarter_delivered_gbp += s;
    w.collab.quarter_planned_gbp += savings_at(p, w.removed_posts, week, Kind::Planned, 0.0);
    if week.is_multiple_of(13) {
        let (delivered, planned) = (w.collab.quarter_delivered_gbp, w.collab.quarter_planned_gbp);
        if planned > 0.0 && delivered < (1.0 - p.reviews.savings_shortfall) * planned {
            reviews::after_shortfall(p, w, rng);
        }
        w.collab.quarter_delivered_gbp = 0.0;
        w.collab.quarter_planned_gbp = 0.0;
    }
}
