//! The P-square streaming quantile estimator (Jain and Chlamtac 1985, CACM 28(10)): five
//! markers per quantile, constant memory, so time series over any number of replicates
//! aggregate without storing them. Exact (R's type 7) until five observations are seen.
//! Deterministic: the same values in the same order give the same bits.

/// Only the three middle markers' desired positions are kept: the outer two (1 and the
/// count) are never read. Their increments are recomputed from `p` (`increments`, the same
/// bits each time). The time-series fold keeps these fields in lanes on x86-64 with AVX
/// (`p2_lanes`), and a `P2` per cell elsewhere.
#[derive(Clone, Debug)]
pub struct P2 {
    pub(super) p: f64,
    pub(super) count: usize,
    pub(super) q: [f64; 5],
    pub(super) n: [f64; 5],
    pub(super) np: [f64; 3],
}

impl P2 {
    pub fn new(p: f64) -> Self {
        P2 { p, count: 0, q: [0.0; 5], n: [1.0, 2.0, 3.0, 4.0, 5.0], np: [1.0 + 2.0 * p, 1.0 + 4.0 * p, 3.0 + 2.0 * p] }
    }

    pub fn count(&self) -> usize {
        self.count
    }

    pub fn add(&mut self, x: f64) {
        self.add_at(x, self.p);
    }

    /// `add` for a caller that names this estimator's `p` as a constant: the increments
    /// `p / 2`, `p` and `(1 + p) / 2` then fold at compile time (IEEE division is exact
    /// to the bit either way). The time-series fold's plain cells call this.
    #[inline(always)]
    pub(crate) fn add_at(&mut self, x: f64, p: f64) {
        debug_assert_eq!(p.to_bits(), self.p.to_bits());
        if self.count < 5 {
            self.q[self.count] = x;
            self.count += 1;
            if self.count == 5 {
                self.q.sort_by(f64::total_cmp);
            }
            return;
        }
        self.count += 1;
        steady_step(&mut self.q, &mut self.n, &mut self.np, x, increments(p));
    }

    /// The estimate; `None` before any observation.
    pub fn quantile(&self) -> Option<f64> {
        match self.count {
            0 => None,
            c if c < 5 => {
                let mut v = self.q[..c].to_vec();
                v.sort_by(f64::total_cmp);
                let h = (c - 1) as f64 * self.p;
                let lo = h.floor() as usize;
                let hi = (lo + 1).min(c - 1);
                Some(v[lo] + (h - lo as f64) * (v[hi] - v[lo]))
            }
            _ => Some(self.q[2]),
        }
    }
}

/// The desired positions' increments per observation: [p/2, p, (1+p)/2].
pub(super) fn increments(p: f64) -> [f64; 3] {
    [p / 2.0, p, (1.0 + p) / 2.0]
}

/// One P-square step past start-up (five or more observations): markers `q` at positions
/// `n` with desired positions `np` (the middle three), moving by `dn` = [p/2, p, (1+p)/2].
/// The lane kernels of `p2_lanes` do these operations in the same order, lane by lane, and
/// must give the same bits.
#[inline(always)]
fn steady_step(q: &mut [f64; 5], n: &mut [f64; 5], np: &mut [f64; 3], x: f64, dn: [f64; 3]) {
    let k = if x < q[0] {
        q[0] = x;
        0
    } else if x >= q[4] {
        q[4] = x;
        3
    } else {
        // The first i in 1..5 with x < q[i], less one (3 if there is none), without a
        // branch per marker: bit i - 1 is set where x < q[i], bit 3 always.
        let below = (x < q[1]) as u32 | ((x < q[2]) as u32) << 1 | ((x < q[3]) as u32) << 2 | 8;
        below.trailing_zeros() as usize
    };
    // Markers above the cell move up one (adding 0.0 to a positive count changes no bit).
    for (i, n) in n.iter_mut().enumerate().skip(1) {
        *n += if i > k { 1.0 } else { 0.0 };
    }
    for (np, dn) in np.iter_mut().zip(dn) {
        *np += dn;
    }
    for i in 1..4 {
        let d = np[i - 1] - n[i];
        if (d >= 1.0 && n[i + 1] - n[i] > 1.0) || (d <= -1.0 && n[i - 1] - n[i] < -1.0) {
            let s = d.signum();
            let parabolic = q[i]
                + s / (n[i + 1] - n[i - 1])
                    * ((n[i] - n[i - 1] + s) * (q[i + 1] - q[i]) / (n[i + 1] - n[i])
                        + (n[i + 1] - n[i] - s) * (q[i] - q[i - 1]) / (n[i] - n[i - 1]));
            q[i] = if q[i - 1] < parabolic && parabolic < q[i + 1] {
                parabolic
            } else {
                let j = if s > 0.0 { i + 1 } else { i - 1 };
                q[i] + s * (q[j] - q[i]) / (n[j] - n[i])
            };
            n[i] += s;
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn exact(mut v: Vec<f64>, p: f64) -> f64 {
        v.sort_by(f64::total_cmp);
        let h = (v.len() - 1) as f64 * p;
        let lo = h.floor() as usize;
        v[lo] + (h - lo as f64) * (v[(lo + 1).min(v.len() - 1)] - v[lo])
    }

    /// The textbook form of one step (the code before it was made branch-light), kept to
    /// check that the fast form moves every marker to the same bits.
    fn reference_add(e: &mut P2, x: f64) {
        if e.count < 5 {
            e.q[e.count] = x;
            e.count += 1;
            if e.count == 5 {
                e.q.sort_by(f64::total_cmp);
            }
            return;
        }
        e.count += 1;
        let q = &mut e.q;
        let k = if x < q[0] {
            q[0] = x;
            0
        } else if x >= q[4] {
            q[4] = x;
            3
        } else {
            (1..5).find(|&i| x < q[i]).map_or(3, |i| i - 1)
        };
        for i in k + 1..5 {
            e.n[i] += 1.0;
        }
        let p = e.p;
        let dn = [p / 2.0, p, (1.0 + p) / 2.0];
        for (np, dn) in e.np.iter_mut().zip(dn) {
            *np += dn;
        }
        for i in 1..4 {
            let d = e.np[i - 1] - e.n[i];
            if (d >= 1.0 && e.n[i + 1] - e.n[i] > 1.0) || (d <= -1.0 && e.n[i - 1] - e.n[i] < -1.0) {
                let s = d.signum();
                let (n, q) = (&e.n, &mut e.q);
                let parabolic = q[i]
                    + s / (n[i + 1] - n[i - 1])
                        * ((n[i] - n[i - 1] + s) * (q[i + 1] - q[i]) / (n[i + 1] - n[i])
                            + (n[i + 1] - n[i] - s) * (q[i] - q[i - 1]) / (n[i] - n[i - 1]));
                q[i] = if q[i - 1] < parabolic && parabolic < q[i + 1] {
                    parabolic
                } else {
                    let j = if s > 0.0 { i + 1 } else { i - 1 };
                    q[i] + s * (q[j] - q[i]) / (n[j] - n[i])
                };
                e.n[i] += s;
            }
        }
    }

    /// Streams that reach every branch of the step: continuous draws (`kind` 0), heavy ties
    /// (1; small integers, as head counts are), runs of one value (2), and NaN, infinities
    /// and signed zeros (3). Shared with `p2_lanes`' tests.
    pub(crate) fn stream(rng: &mut ChaCha8Rng, kind: usize, len: usize) -> Vec<f64> {
        (0..len)
            .map(|_| match kind % 4 {
                0 => rng.random::<f64>(),
                1 => rng.random_range(0..6) as f64,
                2 => {
                    if rng.random_bool(0.9) {
                        3.0
                    } else {
                        rng.random::<f64>() * 6.0
                    }
                }
                _ => {
                    [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, 0.0, rng.random::<f64>()][rng.random_range(0..6)]
                }
            })
            .collect()
    }

    #[test]
    fn fast_step_matches_the_textbook_step_bit_for_bit() {
        // Every marker and count must agree after each add, on every kind of stream.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for kind in 0..40 {
            let xs = stream(&mut rng, kind, 3000);
            for p in [0.05, 0.5, 0.95] {
                let (mut fast, mut slow) = (P2::new(p), P2::new(p));
                for &x in &xs {
                    fast.add(x);
                    reference_add(&mut slow, x);
                    let bits = |e: &P2| (e.count, e.q.map(f64::to_bits), e.n.map(f64::to_bits), e.np.map(f64::to_bits));
                    assert_eq!(bits(&fast), bits(&slow), "stream {kind}, p {p}");
                }
            }
        }
    }

    #[test]
    fn small_samples_are_exact() {
        let mut e = P2::new(0.5);
        assert_eq!(e.quantile(), None);
        for x in [3.0, 1.0, 2.0] {
            e.add(x);
        }
        assert_eq!(e.quantile(), Some(2.0));
    }

    #[test]
    fn tracks_quantiles_of_a_skewed_sample() {
        // 20,000 draws of U^2 (skewed): true quantiles p^2 for p = 0.05, 0.5, 0.95. P-square's
        // error at this n is well under 0.01 in published comparisons; 0.01 leaves margin.
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let xs: Vec<f64> = (0..20_000).map(|_| rng.random::<f64>().powi(2)).collect();
        for p in [0.05, 0.5, 0.95] {
            let mut e = P2::new(p);
            xs.iter().for_each(|&x| e.add(x));
            let got = e.quantile().unwrap();
            assert!((got - exact(xs.clone(), p)).abs() < 0.01, "p={p}: {got}");
            assert!((got - p * p).abs() < 0.01, "p={p}: {got} vs {}", p * p);
        }
    }

    #[test]
    fn constant_input_gives_the_constant() {
        let mut e = P2::new(0.95);
        (0..100).for_each(|_| e.add(7.0));
        assert_eq!(e.quantile(), Some(7.0));
    }
}
