//! Mechanism 10, the end. At each of its reviews a partner's leadership decides whether to
//! stay: the chance of leaving rises smoothly as its support falls, support being its
//! engagement (which carries the staff's willingness and trust, the value for money and the
//! reputation risk) weighed with its leader's own commitment. A sponsor that imposed the
//! collaboration holds the partners in place while its commitment lasts, and wears down as
//! local resistance and unmet costs accumulate; at its own reviews it may cancel. The unit
//! also ends when it has too few staff to operate.

use rand::{Rng, RngExt};

use super::params::Params;
use super::reviews;
use super::savings;
use super::state::{End, EndCause, World};
use super::weekly;

/// A partner's support at a review: its engagement and its leader's commitment.
pub(crate) fn support(p: &Params, engagement: f64, leader_commitment: f64) -> f64 {
    (1.0 - p.end.leader_say) * engagement + p.end.leader_say * leader_commitment
}

/// The chance of leaving (or cancelling) at a review, given support `s`.
pub(crate) fn leave_chance(p: &Params, s: f64) -> f64 {
    let e = &p.end;
    e.max_leave_chance / (1.0 + ((s - e.support_midpoint) / e.support_width).exp())
}

pub(crate) fn check<R: Rng + ?Sized>(p: &Params, w: &mut World, rng: &mut R) {
    let week = w.collab.week;
    let n = w.orgs.len();
    // Nothing below changes a partner's engagement or its leader's commitment.
    let support_of = |w: &World, o: usize| support(p, w.orgs[o].engagement, w.orgs[o].leader_commitment);

    let sponsored = p.sponsor.commitment > 0.0;
    if sponsored {
        // Local resistance (the partners' mean disengagement) and the share of this week's
        // running cost the promised savings do not cover wear the sponsor down.
        let resistance = w.orgs.iter().map(|o| 1.0 - o.engagement).sum::<f64>() / n.max(1) as f64;
        let cost = p.collaboration.running_cost_per_year / 52.0;
        let gain = savings::expected_week_savings(p, w.removed_posts, week, w.collab.visible_failure);
        let unmet = if cost > 0.0 { ((cost - gain) / cost).clamp(0.0, 1.0) } else { 0.0 };
        w.collab.sponsor -= weekly(p.sponsor.erosion_per_year * (resistance + unmet)) * w.collab.sponsor;
        if reviews::due(p, &mut w.collab.sponsor_reviews, week, rng)
            && rng.random::<f64>() < leave_chance(p, w.collab.sponsor)
        {
            // Recorded against the partner whose leadership supports it least (ties: lowest index).
            let o = (0..n).min_by(|&a, &b| support_of(w, a).total_cmp(&support_of(w, b))).unwrap_or(0);
            w.collab.end = Some(End { week, cause: EndCause::Cancelled, org: o });
            return;
        }
    }
    let held = if sponsored { (1.0 - p.sponsor.hold * w.collab.sponsor).max(0.0) } else { 1.0 };
    // Every partner reviews, even after one has decided; of those who decide to leave, the
    // one with the least support (ties: lowest index) is recorded.
    let mut leaver: Option<(f64, usize)> = None;
    for o in 0..n {
        let s = support_of(w, o);
        if reviews::due(p, &mut w.orgs[o].reviews, week, rng)
            && rng.random::<f64>() < held * leave_chance(p, s)
            && leaver.is_none_or(|(least, _)| s < least)
        {
            leaver = Some((s, o));
        }
    }
    if let Some((_, o)) = leaver {
        w.collab.end = Some(End { week, cause: EndCause::Withdrawal, org: o });
        return;
    }
    let posts = w.posts();
    if (w.active_staff() as f64) < p.end.staff_floor * posts as f64 {
        // The partner with the largest share of its posts unfilled (a partner left with no
        // posts has none unfilled and is not blamed).
        let o = (0..n)
            .filter(|&o| w.orgs[o].posts > 0)
            .max_by(|&a, &b| {
                let fa = 1.0 - w.orgs[a].active_staff as f64 / w.orgs[a].posts as f64;
                let fb = 1.0 - w.orgs[b].active_staff as f64 / w.orgs[b].posts as f64;
                fa.total_cmp(&fb).then(b.cmp(&a))
            })
            .unwrap_or(0);
        w.collab.end = Some(End { week, cause: EndCause::Understaffed, org: o });
    }
}
