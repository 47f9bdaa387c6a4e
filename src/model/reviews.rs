//! Mechanism 10, the decision points: when each partner's leadership (and the sponsor of an
//! imposed collaboration) reviews its participation. A yearly budget review falls in the
//! budget season; a new leader reviews after the re-alignment; every partner reviews after
//! each go-live, after a major incident ends and after a quarter whose delivered savings
//! fall short of the plan. Each review falls at a uniformly drawn week
//! within `reviews.window_weeks` of its trigger, so that no end is tied to one week.

use rand::{Rng, RngExt};

use super::params::Params;
use super::state::{ReviewClock, World};

/// A week within the window that starts at `trigger`.
fn within<R: Rng + ?Sized>(p: &Params, trigger: u32, rng: &mut R) -> u32 {
    trigger + (rng.random::<f64>() * p.reviews.window_weeks as f64) as u32
}

/// Opens the first budget season and schedules the go-live reviews, for each partner in
/// order and then for the sponsor (if any). Draws: one for the budget review, then one per
/// go-live (if `reviews.go_live`), per decision maker.
pub(crate) fn schedule_at_start<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    let sponsor = p.sponsor.commitment > 0.0;
    let n = w.orgs.len();
    for k in 0..n + usize::from(sponsor) {
        let season = p.reviews.budget_week;
        let mut clock = ReviewClock { season, budget: within(p, season, rng), pending: Vec::new() };
        if p.reviews.go_live {
            for &g in &p.project.go_live_weeks {
                clock.pending.push(within(p, g, rng));
            }
        }
        if k < n {
            w.orgs[k].reviews = clock;
        } else {
            w.collab.sponsor_reviews = clock;
        }
    }
}

/// A new leader of partner `o` took office this week: it reviews once the re-alignment
/// (if the strategy is in force) has had its chance. One draw.
pub(crate) fn after_leader_change<R: Rng + ?Sized>(p: &Params, w: &mut World, o: usize, rng: &mut R) {
    if p.reviews.new_leader {
        let at = within(p, w.collab.week + p.leadership.realign_delay_weeks, rng);
        w.orgs[o].reviews.pending.push(at);
    }
}

/// A major incident ended this week: every partner reviews in the weeks after.
pub(crate) fn after_incident<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    if p.reviews.after_incident {
        every_partner(p, w, rng);
    }
}

/// A quarter's delivered savings fell short of the plan: every partner reviews in the
/// weeks after.
pub(crate) fn after_shortfall<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    every_partner(p, w, rng);
}

/// Every partner reviews within the window from this week. One draw per partner, in order.
fn every_partner<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    let week = w.collab.week;
    for org in w.orgs.iter_mut() {
        org.reviews.pending.push(within(p, week, rng));
    }
}

/// Whether `clock` has a review this week; passes the reviews that are due and, after the
/// budget review, opens the next season (one draw).
pub(crate) fn due<R: Rng + ?Sized>(p: &Params, clock: &mut ReviewClock, week: u32, rng: &mut R) -> bool {
    let mut due = false;
    if clock.budget <= week {
        due |= clock.budget == week;
        clock.season += 52;
        clock.budget = within(p, clock.season, rng);
    }
    let before = clock.pending.len();
    clock.pending.retain(|&r| r > week);
    due | (clock.pending.len() < before)
}
