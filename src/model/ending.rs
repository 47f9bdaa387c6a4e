//! Mechanism 10, the end: a partner withdraws when its engagement stays below the
//! threshold for a sustained spell, or the unit cannot operate with too few active staff.

use super::params::Params;
use super::state::{End, EndCause, World};

pub(crate) fn check(p: &Params, w: &mut World) {
    let e = &p.end;
    for org in w.orgs.iter_mut() {
        org.low_streak = if org.engagement < e.withdraw_threshold { org.low_streak + 1 } else { 0 };
    }
    // Among partners past the spell in the same week, the least engaged withdraws.
    let withdrawing = (0..w.orgs.len())
        .filter(|&o| w.orgs[o].low_streak >= e.withdraw_weeks)
        .min_by(|&a, &b| w.orgs[a].engagement.total_cmp(&w.orgs[b].engagement).then(a.cmp(&b)));
    if let Some(o) = withdrawing {
        w.collab.end = Some(End { week: w.collab.week, cause: EndCause::Withdrawal, org: o });
        return;
    }
    let posts = w.posts();
    if (w.active_staff() as f64) < e.staff_floor * posts as f64 {
        // The partner with the largest share of its posts unfilled.
        let o = (0..w.orgs.len())
            .max_by(|&a, &b| {
                let fa = 1.0 - w.orgs[a].active_staff as f64 / w.orgs[a].posts.max(1) as f64;
                let fb = 1.0 - w.orgs[b].active_staff as f64 / w.orgs[b].posts.max(1) as f64;
                fa.total_cmp(&fb).then(b.cmp(&a))
            })
            .unwrap_or(0);
        w.collab.end = Some(End { week: w.collab.week, cause: EndCause::Understaffed, org: o });
    }
}
