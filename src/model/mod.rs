//! The model: states and rules of staff agents, partner organizations and their joint
//! collaboration, advanced one week at a time. Pure: no I/O, no serde, no threads; the
//! caller passes the random number generator, and nothing here can fail.

// Structure-of-arrays state: one index addresses several arrays at once, so index loops
// are the clear form here.
#![allow(clippy::needless_range_loop)]

pub mod invariants;
pub mod levers;
pub mod params;
pub mod registry;
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
mod reviews;
mod savings;
mod staffing;
mod step;
mod view;
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

/// `u < weekly(per_year)` for a uniform draw `u` in [0, 1), usually without the exponential.
/// With `x = per_year / 52` in [0, 0.5), `weekly` computes `1 - e` for `e = exp(-x)`: libm's
/// `exp` is within an ulp (2^-53 here) and `1 - e` is exact (Sterbenz), so the chance is
/// below `x + 2^-53` (as `1 - exp(-x) <= x`). A draw above `x + 1e-12` is therefore above it
/// whatever its last bits, and only the rare draw below that computes the chance, through
/// `memo`, which keeps the last (hazard bits, chance) pair: same answer, bit for bit.
#[inline]
pub(crate) fn draw_below_weekly(u: f64, per_year: f64, memo: &mut (u64, f64)) -> bool {
    let x = per_year / 52.0;
    if (0.0..0.5).contains(&x) && u > x + 1e-12 {
        return false;
    }
    if per_year.to_bits() != memo.0 {
        *memo = (per_year.to_bits(), weekly(per_year));
    }
    u < memo.1
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

/// `Tbar_i` of the ODD: an agent's mean trust in the partners other than its own
/// organization `own`, from its row of trust values (one per organization).
#[inline]
pub(crate) fn partner_trust(row: &[f64], own: usize) -> f64 {
    let sum: f64 = row.iter().enumerate().filter(|&(q, _)| q != own).map(|(_, t)| t).sum();
    sum / (row.len().max(2) - 1) as f64
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

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::{draw_below_scaled_distance, draw_below_similarity, draw_below_weekly, norm_distance, weekly};

    /// The shortcut decides exactly as `u < weekly(h)` does: hazards from 0 to far beyond
    /// the shortcut's range, and draws spread over [0, 1) plus draws within a few ulps of
    /// the chance itself and of the shortcut's threshold, where a wrong bound would show.
    #[test]
    fn weekly_draw_shortcut_matches_the_exact_test() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut memo = (u64::MAX, 0.0);
        let mut near = 0;
        for _ in 0..200_000 {
            let h = match rng.random_range(0..4) {
                0 => rng.random::<f64>() * 0.5,
                1 => rng.random::<f64>() * 5.0,
                2 => rng.random::<f64>() * 60.0,
                _ => [0.0, 0.06, 26.0, 25.999_999_999, 1e-300][rng.random_range(0..5)],
            };
            let chance = weekly(h);
            let x = h / 52.0;
            let step = |v: f64, k: i64| f64::from_bits((v.to_bits() as i64 + k).max(0) as u64);
            let u = match rng.random_range(0..3) {
                0 => rng.random::<f64>(),
                1 => step(chance, rng.random_range(-4..=4)),
                _ => step(x + 1e-12, rng.random_range(-4..=4)),
            };
            if !(0.0..1.0).contains(&u) {
                continue;
            }
            near += ((u - chance).abs() < 1e-15) as u32;
            assert_eq!(draw_below_weekly(u, h, &mut memo), u < chance, "h {h:e}, u {u:e}");
        }
        assert!(near > 10_000, "too few draws next to the chance: {near}");
    }

    /// `v` moved `k` representable doubles up (or down), stopping at zero.
    fn ulps(v: f64, k: i64) -> f64 {
        f64::from_bits((v.to_bits() as i64 + k).max(0) as u64)
    }

    /// A pair of norm vectors of 1 to 32 dimensions in [0, 1]: independent, identical,
    /// as far apart as possible, nearly identical, or on a coarse grid where distances come
    /// out exact (0.5 apart in every dimension, say).
    fn norm_pair(rng: &mut ChaCha8Rng) -> (Vec<f64>, Vec<f64>) {
        let dims = rng.random_range(1..=32);
        let a: Vec<f64> = (0..dims).map(|_| rng.random::<f64>()).collect();
        let b = match rng.random_range(0..6) {
            0 => (0..dims).map(|_| rng.random::<f64>()).collect(),
            1 => a.clone(),
            2 => return (vec![0.0; dims], vec![1.0; dims]),
            3 => a.iter().map(|&x| (x + rng.random_range(-1e-9..1e-9)).clamp(0.0, 1.0)).collect(),
            4 => {
                let grid = |rng: &mut ChaCha8Rng| rng.random_range(0..=4) as f64 / 4.0;
                return ((0..dims).map(|_| grid(rng)).collect(), (0..dims).map(|_| grid(rng)).collect());
            }
            _ => return (vec![0.0; dims], vec![0.5; dims]),
        };
        (a, b)
    }

    /// A draw in [0, 1): anywhere, at the threshold itself or a few ulps from it, or at the
    /// ends of the range.
    fn draw_near(rng: &mut ChaCha8Rng, threshold: f64) -> f64 {
        match rng.random_range(0..4) {
            0 => rng.random::<f64>(),
            1 => threshold,
            2 => ulps(threshold, rng.random_range(-4..=4)),
            _ => [0.0, 1.0 - f64::EPSILON / 2.0, f64::MIN_POSITIVE][rng.random_range(0..3)],
        }
    }

    /// The similarity shortcut decides exactly as `u < 1 - norm_distance(a, b)` does.
    #[test]
    fn similarity_draw_shortcut_matches_the_exact_test() {
        let mut rng = ChaCha8Rng::seed_from_u64(10);
        let (mut near, mut yes) = (0, 0);
        for _ in 0..400_000 {
            let (a, b) = norm_pair(&mut rng);
            let chance = 1.0 - norm_distance(&a, &b);
            let u = draw_near(&mut rng, chance);
            if !(0.0..1.0).contains(&u) {
                continue;
            }
            let exact = u < chance;
            near += ((u - chance).abs() < 1e-15) as u32;
            yes += exact as u32;
            assert_eq!(draw_below_similarity(u, &a, &b), exact, "u {u:e}, a {a:?}, b {b:?}");
        }
        assert!(near > 100_000, "too few draws next to the chance: {near}");
        assert!((100_000..300_000).contains(&yes), "one answer dominates: {yes} true");
    }

    /// The friction shortcut decides exactly as `u < c * norm_distance(a, b)` does.
    #[test]
    fn scaled_distance_draw_shortcut_matches_the_exact_test() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let (mut near, mut yes) = (0, 0);
        for _ in 0..400_000 {
            let (a, b) = norm_pair(&mut rng);
            let c = match rng.random_range(0..4) {
                0 => rng.random::<f64>() * 0.05,
                1 => rng.random::<f64>(),
                2 => rng.random::<f64>() * 4.0,
                _ => [0.0, 0.005, 0.035, 1.0][rng.random_range(0..4)],
            };
            let chance = c * norm_distance(&a, &b);
            let u = draw_near(&mut rng, chance);
            if !(0.0..1.0).contains(&u) {
                continue;
            }
            let exact = u < chance;
            near += ((u - chance).abs() < 1e-15) as u32;
            yes += exact as u32;
            assert_eq!(draw_below_scaled_distance(u, c, &a, &b), exact, "u {u:e}, c {c:e}, a {a:?}, b {b:?}");
        }
        assert!(near > 100_000, "too few draws next to the chance: {near}");
        assert!((50_000..300_000).contains(&yes), "one answer dominates: {yes} true");
    }
}
