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
    let d2: f64 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
    (d2 / a.len().max(1) as f64).sqrt()
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
