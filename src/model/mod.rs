//! The model: states and rules of staff agents, partner organizations and their joint
//! collaboration, advanced one week at a time. Pure: no I/O, no serde, no threads; the
//! caller passes the random number generator, and nothing here can fail.

// Structure-of-arrays state: one index addresses several arrays at once, so index loops
// are the clear form here.
#![allow(clippy::needless_range_loop)]

pub mod params;
pub mod state;

mod aggregate;
mod contact;
mod ending;
mod engagement;
mod friction;
mod gatherings;
mod incidents;
mod init;
mod leadership;
mod savings;
mod staffing;
mod step;
mod vision;
mod workload;

pub use init::init_world;
pub use params::*;
pub use state::*;
pub use step::step;

use rand::{Rng, RngExt};

/// Clamps to the unit interval, where trust, motivation and the like live.
#[inline]
pub(crate) fn clamp01(x: f64) -> f64 {
    x.clamp(0.0, 1.0)
}

/// A uniform draw in `[-half_width, half_width)`: the spread of initial states.
#[inline]
pub(crate) fn spread<R: Rng + ?Sized>(rng: &mut R, half_width: f64) -> f64 {
    (rng.random::<f64>() * 2.0 - 1.0) * half_width
}

/// Weekly fraction of a gap closed by a first-order process running at `per_year`.
#[inline]
pub fn weekly(per_year: f64) -> f64 {
    1.0 - (-per_year / 52.0).exp()
}

/// Norm distance between two vectors, scaled to 0..1 by the largest possible distance.
#[inline]
pub(crate) fn norm_distance(a: &[f64], b: &[f64]) -> f64 {
    (squared_sum(a, b) / dims_f64(a)).sqrt()
}

#[inline]
fn squared_sum(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

#[inline]
fn dims_f64(a: &[f64]) -> f64 {
    a.len().max(1) as f64
}

// The two tests below decide `u < f(norm_distance)` for a uniform draw `u`, the hottest
// comparisons of a week. They compare squares instead (no division, no square root) and
// fall back to the exact expression when the squares are within 1e-9 (relative) of each
// other: far above every rounding error involved (~1e-15), so the answer is always the
// bit the exact expression gives. Only the cost changes; see docs/PERFORMANCE.md.

/// `u < 1 - norm_distance(a, b)` (a contact's norm similarity test), for `u` in [0, 1).
#[inline]
pub(crate) fn draw_below_similarity(u: f64, a: &[f64], b: &[f64]) -> bool {
    let (y, n) = (squared_sum(a, b), dims_f64(a));
    let v = 1.0 - u;
    let g = v * v * n - y;
    let margin = 1e-9 * (n + y);
    if g > margin {
        true
    } else if g < -margin {
        false
    } else {
        u < 1.0 - (y / n).sqrt()
    }
}

/// `u < c * norm_distance(a, b)` (a friction draw), for `u` in [0, 1) and `c >= 0`.
#[inline]
pub(crate) fn draw_below_scaled_distance(u: f64, c: f64, a: &[f64], b: &[f64]) -> bool {
    let (y, n) = (squared_sum(a, b), dims_f64(a));
    let (cy, un) = (c * c * y, u * u * n);
    let g = cy - un;
    let margin = 1e-9 * (n + cy + un);
    if g > margin {
        true
    } else if g < -margin {
        false
    } else {
        u < c * (y / n).sqrt()
    }
}

/// Mean trust of agent `i` in the partners other than its own organization.
#[inline]
pub(crate) fn partner_trust(st: &Staff, n_orgs: usize, i: usize) -> f64 {
    let own = st.org[i] as usize;
    let row = &st.trust[i * n_orgs..(i + 1) * n_orgs];
    let sum: f64 = row.iter().enumerate().filter(|&(q, _)| q != own).map(|(_, t)| t).sum();
    sum / (n_orgs.max(2) - 1) as f64
}

impl World {
    pub fn ended(&self) -> bool {
        self.collab.end.is_some()
    }
    pub fn active_staff(&self) -> u32 {
        self.orgs.iter().map(|o| o.active_staff).sum()
    }
    pub fn posts(&self) -> u32 {
        self.orgs.iter().map(|o| o.posts).sum()
    }
}
