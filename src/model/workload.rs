//! Mechanism 6 (load side): work overload rises near go-live and when leavers are not
//! replaced. Demand = base load spread over the organization's remaining staff plus
//! project work (scaled by the overload lever) that peaks around each go-live week.

use super::params::Params;
use super::state::World;

/// Project work this week: ongoing load plus a Gaussian bump around every go-live.
pub(crate) fn project_load(p: &Params, week: u32) -> f64 {
    let pr = &p.project;
    let bumps: f64 = pr
        .go_live_weeks
        .iter()
        .map(|&g| {
            let z = (week as f64 - g as f64) / pr.go_live_width_weeks.max(1e-9);
            if z.abs() > 6.0 { 0.0 } else { (-0.5 * z * z).exp() }
        })
        .sum();
    pr.overload * (pr.ongoing_load + pr.go_live_peak * bumps)
}

pub(crate) fn update(p: &Params, w: &mut World) {
    let load = project_load(p, w.collab.week);
    // Unfilled posts are covered by the organization's remaining staff.
    let coverage: Vec<f64> =
        w.orgs.iter().map(|o| if o.active_staff > 0 { o.posts as f64 / o.active_staff as f64 } else { 1.0 }).collect();
    let st = &mut w.staff;
    for i in 0..st.len() {
        if st.is_filled(i) {
            let demand = p.project.base_workload * coverage[st.org()[i] as usize] + load;
            st.workload[i] = demand / st.capacity[i];
        }
    }
}

/// Overload: the share of demand above capacity.
#[inline]
pub(crate) fn overload(workload: f64) -> f64 {
    (workload - 1.0).max(0.0)
}
