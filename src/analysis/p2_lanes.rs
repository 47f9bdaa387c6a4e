//! Eight P-square estimators of one quantile side by side, one per SIMD lane: the hot loop
//! of the time-series fold on x86-64 with AVX or AVX-512F, which feeds eight neighbouring
//! cells at once (elsewhere the fold keeps one scalar `P2` per cell). Every kernel does,
//! lane by lane, exactly the IEEE operations of `p2::steady_step` in the same order (no
//! fused multiply-add, no reciprocal; a branch becomes a blend of both arms), so each gives
//! the bits of the scalar estimator on any machine (a NaN's sign aside: see the tests);
//! the tests check this bit for bit.
//! Kernels cover only the steady state (every lane past five observations and fed);
//! start-up and part-fed groups go lane by lane through `P2` itself.

use super::p2::{P2, increments};

/// Estimators per group: one AVX-512 register of f64, or two AVX ones.
pub const LANES: usize = 8;
pub type Lanes = [f64; LANES];

/// Marker heights `q`, positions `n` and desired positions `np` (the middle three), each
/// marker's eight lanes contiguous so that a kernel loads a marker in one instruction.
#[derive(Clone, Debug)]
#[repr(C, align(64))]
pub struct P2Lanes {
    p: f64,
    dn: [f64; 3],
    q: [Lanes; 5],
    n: [Lanes; 5],
    np: [Lanes; 3],
}

impl P2Lanes {
    pub fn new(p: f64) -> Self {
        let mut lanes =
            P2Lanes { p, dn: increments(p), q: [[0.0; LANES]; 5], n: [[0.0; LANES]; 5], np: [[0.0; LANES]; 3] };
        (0..LANES).for_each(|l| lanes.set_lane(l, &P2::new(p)));
        lanes
    }

    /// Lane `l` as a scalar estimator that has seen `count` observations.
    pub fn lane(&self, l: usize, count: usize) -> P2 {
        P2 {
            p: self.p,
            count,
            q: std::array::from_fn(|m| self.q[m][l]),
            n: std::array::from_fn(|m| self.n[m][l]),
            np: std::array::from_fn(|m| self.np[m][l]),
        }
    }

    fn set_lane(&mut self, l: usize, e: &P2) {
        scatter(&mut self.q, l, e.q);
        scatter(&mut self.n, l, e.n);
        scatter(&mut self.np, l, e.np);
    }

    /// Adds `x` to lane `l`, which has seen `count` observations: any state, one lane.
    pub fn add_lane(&mut self, l: usize, count: usize, x: f64) {
        let mut e = self.lane(l, count);
        e.add(x);
        self.set_lane(l, &e);
    }
}

/// Writes one lane of several markers.
fn scatter<const M: usize>(markers: &mut [Lanes; M], l: usize, values: [f64; M]) {
    markers.iter_mut().zip(values).for_each(|(m, v)| m[l] = v);
}

/// `steady_step` in AVX and AVX-512: the marker search and both arms of every branch are
/// computed in all lanes and blended by the branch's condition. A marker no lane moves is
/// skipped with its four divisions (computing them anyway made the CS1 fold 23% slower).
/// Only the loads and stores take pointers, so only they are `unsafe`; every other
/// intrinsic is safe to call inside a function compiled with its target feature.
pub mod x86 {
    use std::arch::x86_64::*;

    use super::{Lanes, P2Lanes};

    /// Lanes `LO..LO + 4` (`LO` is 0 or 4).
    #[target_feature(enable = "avx")]
    #[inline]
    fn step_avx_half<const LO: usize>(e: &mut P2Lanes, x: &Lanes) {
        let ld = |a: &Lanes| {
            let a: &[f64; 4] = a[LO..LO + 4].try_into().expect("four lanes");
            // SAFETY: the unaligned load reads four f64 from `a`, which holds four.
            unsafe { _mm256_loadu_pd(a.as_ptr()) }
        };
        let st = |a: &mut Lanes, v: __m256d| {
            let a: &mut [f64; 4] = (&mut a[LO..LO + 4]).try_into().expect("four lanes");
            // SAFETY: the unaligned store writes four f64 to `a`, which holds four.
            unsafe { _mm256_storeu_pd(a.as_mut_ptr(), v) }
        };
        let x = ld(x);
        let mut q = e.q.each_ref().map(ld);
        let mut n = e.n.each_ref().map(ld);
        let mut np = e.np.each_ref().map(ld);
        let one = _mm256_set1_pd(1.0);
        let minus_one = _mm256_set1_pd(-1.0);
        // k = 0 below q0 (q0 = x), 3 at or above q4 (q4 = x), else the first i with
        // x < q[i], less one; marker i moves up where i > k.
        let lt0 = _mm256_cmp_pd::<_CMP_LT_OQ>(x, q[0]);
        let ge4 = _mm256_andnot_pd(lt0, _mm256_cmp_pd::<_CMP_GE_OQ>(x, q[4]));
        let below1 = _mm256_cmp_pd::<_CMP_LT_OQ>(x, q[1]);
        let below2 = _mm256_or_pd(below1, _mm256_cmp_pd::<_CMP_LT_OQ>(x, q[2]));
        let below3 = _mm256_or_pd(below2, _mm256_cmp_pd::<_CMP_LT_OQ>(x, q[3]));
        q[0] = _mm256_blendv_pd(q[0], x, lt0);
        q[4] = _mm256_blendv_pd(q[4], x, ge4);
        for (i, below) in [(1, below1), (2, below2), (3, below3)] {
            let up = _mm256_or_pd(lt0, _mm256_andnot_pd(ge4, below));
            n[i] = _mm256_add_pd(n[i], _mm256_and_pd(up, one));
        }
        n[4] = _mm256_add_pd(n[4], one);
        for (np, dn) in np.iter_mut().zip(e.dn) {
            *np = _mm256_add_pd(*np, _mm256_set1_pd(dn));
        }
        for i in 1..4 {
            let d = _mm256_sub_pd(np[i - 1], n[i]);
            let ahead = _mm256_cmp_pd::<_CMP_GE_OQ>(d, one);
            let right = _mm256_and_pd(ahead, _mm256_cmp_pd::<_CMP_GT_OQ>(_mm256_sub_pd(n[i + 1], n[i]), one));
            let left = _mm256_and_pd(
                _mm256_cmp_pd::<_CMP_LE_OQ>(d, minus_one),
                _mm256_cmp_pd::<_CMP_LT_OQ>(_mm256_sub_pd(n[i - 1], n[i]), minus_one),
            );
            let moves = _mm256_or_pd(right, left);
            if _mm256_movemask_pd(moves) == 0 {
                continue;
            }
            // d.signum() where the marker moves (d is at least 1 away from 0 there).
            let s = _mm256_blendv_pd(minus_one, one, ahead);
            let a = _mm256_div_pd(s, _mm256_sub_pd(n[i + 1], n[i - 1]));
            let t1 = _mm256_div_pd(
                _mm256_mul_pd(_mm256_add_pd(_mm256_sub_pd(n[i], n[i - 1]), s), _mm256_sub_pd(q[i + 1], q[i])),
                _mm256_sub_pd(n[i + 1], n[i]),
            );
            let t2 = _mm256_div_pd(
                _mm256_mul_pd(_mm256_sub_pd(_mm256_sub_pd(n[i + 1], n[i]), s), _mm256_sub_pd(q[i], q[i - 1])),
                _mm256_sub_pd(n[i], n[i - 1]),
            );
            let parabolic = _mm256_add_pd(q[i], _mm256_mul_pd(a, _mm256_add_pd(t1, t2)));
            let inside = _mm256_and_pd(
                _mm256_cmp_pd::<_CMP_LT_OQ>(q[i - 1], parabolic),
                _mm256_cmp_pd::<_CMP_LT_OQ>(parabolic, q[i + 1]),
            );
            let qj = _mm256_blendv_pd(q[i - 1], q[i + 1], ahead);
            let nj = _mm256_blendv_pd(n[i - 1], n[i + 1], ahead);
            let linear =
                _mm256_add_pd(q[i], _mm256_div_pd(_mm256_mul_pd(s, _mm256_sub_pd(qj, q[i])), _mm256_sub_pd(nj, n[i])));
            q[i] = _mm256_blendv_pd(q[i], _mm256_blendv_pd(linear, parabolic, inside), moves);
            n[i] = _mm256_add_pd(n[i], _mm256_and_pd(moves, s));
        }
        e.q.iter_mut().zip(q).for_each(|(a, v)| st(a, v));
        e.n.iter_mut().zip(n).for_each(|(a, v)| st(a, v));
        e.np.iter_mut().zip(np).for_each(|(a, v)| st(a, v));
    }

    /// # Safety
    /// The CPU must have AVX.
    #[target_feature(enable = "avx")]
    #[inline]
    pub fn step_avx(e: &mut P2Lanes, x: &Lanes) {
        step_avx_half::<0>(e, x);
        step_avx_half::<4>(e, x);
    }

    /// # Safety
    /// The CPU must have AVX-512F.
    #[target_feature(enable = "avx512f")]
    #[inline]
    pub fn step_avx512(e: &mut P2Lanes, x: &Lanes) {
        // SAFETY: the unaligned load reads eight f64 from `a`, which holds eight.
        let ld = |a: &Lanes| unsafe { _mm512_loadu_pd(a.as_ptr()) };
        // SAFETY: the unaligned store writes eight f64 to `a`, which holds eight.
        let st = |a: &mut Lanes, v: __m512d| unsafe { _mm512_storeu_pd(a.as_mut_ptr(), v) };
        let x = ld(x);
        let mut q = e.q.each_ref().map(ld);
        let mut n = e.n.each_ref().map(ld);
        let mut np = e.np.each_ref().map(ld);
        let zero = _mm512_setzero_pd();
        let one = _mm512_set1_pd(1.0);
        let minus_one = _mm512_set1_pd(-1.0);
        let lt0 = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(x, q[0]);
        let ge4 = !lt0 & _mm512_cmp_pd_mask::<_CMP_GE_OQ>(x, q[4]);
        let below1 = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(x, q[1]);
        let below2 = below1 | _mm512_cmp_pd_mask::<_CMP_LT_OQ>(x, q[2]);
        let below3 = below2 | _mm512_cmp_pd_mask::<_CMP_LT_OQ>(x, q[3]);
        q[0] = _mm512_mask_blend_pd(lt0, q[0], x);
        q[4] = _mm512_mask_blend_pd(ge4, q[4], x);
        for (i, below) in [(1, below1), (2, below2), (3, below3)] {
            n[i] = _mm512_add_pd(n[i], _mm512_mask_blend_pd(lt0 | (!ge4 & below), zero, one));
        }
        n[4] = _mm512_add_pd(n[4], one);
        for (np, dn) in np.iter_mut().zip(e.dn) {
            *np = _mm512_add_pd(*np, _mm512_set1_pd(dn));
        }
        for i in 1..4 {
            let d = _mm512_sub_pd(np[i - 1], n[i]);
            let ahead = _mm512_cmp_pd_mask::<_CMP_GE_OQ>(d, one);
            let right = ahead & _mm512_cmp_pd_mask::<_CMP_GT_OQ>(_mm512_sub_pd(n[i + 1], n[i]), one);
            let left = _mm512_cmp_pd_mask::<_CMP_LE_OQ>(d, minus_one)
                & _mm512_cmp_pd_mask::<_CMP_LT_OQ>(_mm512_sub_pd(n[i - 1], n[i]), minus_one);
            let moves = right | left;
            if moves == 0 {
                continue;
            }
            let s = _mm512_mask_blend_pd(ahead, minus_one, one);
            let a = _mm512_div_pd(s, _mm512_sub_pd(n[i + 1], n[i - 1]));
            let t1 = _mm512_div_pd(
                _mm512_mul_pd(_mm512_add_pd(_mm512_sub_pd(n[i], n[i - 1]), s), _mm512_sub_pd(q[i + 1], q[i])),
                _mm512_sub_pd(n[i + 1], n[i]),
            );
            let t2 = _mm512_div_pd(
                _mm512_mul_pd(_mm512_sub_pd(_mm512_sub_pd(n[i + 1], n[i]), s), _mm512_sub_pd(q[i], q[i - 1])),
                _mm512_sub_pd(n[i], n[i - 1]),
            );
            let parabolic = _mm512_add_pd(q[i], _mm512_mul_pd(a, _mm512_add_pd(t1, t2)));
            let inside = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(q[i - 1], parabolic)
                & _mm512_cmp_pd_mask::<_CMP_LT_OQ>(parabolic, q[i + 1]);
            let qj = _mm512_mask_blend_pd(ahead, q[i - 1], q[i + 1]);
            let nj = _mm512_mask_blend_pd(ahead, n[i - 1], n[i + 1]);
            let linear =
                _mm512_add_pd(q[i], _mm512_div_pd(_mm512_mul_pd(s, _mm512_sub_pd(qj, q[i])), _mm512_sub_pd(nj, n[i])));
            q[i] = _mm512_mask_blend_pd(moves, q[i], _mm512_mask_blend_pd(inside, linear, parabolic));
            n[i] = _mm512_mask_add_pd(n[i], moves, n[i], s);
        }
        e.q.iter_mut().zip(q).for_each(|(a, v)| st(a, v));
        e.n.iter_mut().zip(n).for_each(|(a, v)| st(a, v));
        e.np.iter_mut().zip(np).for_each(|(a, v)| st(a, v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use crate::analysis::p2::tests::stream;

    type Step = fn(&mut P2Lanes, &Lanes);

    /// One steady step of every lane, by each kernel this CPU runs (the fold itself calls
    /// the kernels directly, inlined into its loop). Empty on a CPU without AVX, where the
    /// fold keeps plain cells and `engine::timeseries`' tests check those.
    fn kernels() -> Vec<(&'static str, Step)> {
        let mut kernels: Vec<(&'static str, Step)> = Vec::new();
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: this CPU has AVX (checked just above).
            kernels.push(("avx", |e, x| unsafe { x86::step_avx(e, x) }));
        }
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: this CPU has AVX-512F (checked just above).
            kernels.push(("avx512", |e, x| unsafe { x86::step_avx512(e, x) }));
        }
        kernels
    }

    /// The state's bits, every NaN as one NaN. Which NaN an operation with two NaN
    /// operands returns is left open by IEEE 754 and by Rust (the compiler may swap the
    /// operands of an addition), so the sign of a NaN marker may differ between kernels.
    /// Nothing reads that sign: comparisons with NaN are false whatever it is, and
    /// timeseries.csv writes every NaN as `NaN`. Every other bit must match.
    fn bits(e: &P2) -> (usize, [u64; 5], [u64; 5], [u64; 3]) {
        let b = |x: f64| if x.is_nan() { f64::NAN.to_bits() } else { x.to_bits() };
        (e.count, e.q.map(b), e.n.map(b), e.np.map(b))
    }

    /// Each available kernel moves every marker of every lane to the bits the scalar
    /// estimator reaches, after every observation. Lanes mix stream kinds, so a kernel that
    /// confused lanes or blended the wrong arm would differ within a few steps.
    #[test]
    fn kernels_match_the_scalar_estimator_bit_for_bit() {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        // Each kernel this CPU runs: AVX on any x86-64 of the last decade, AVX-512F on
        // some (the machine of b981a7e had it; a CPU without it skips that kernel).
        for (kernel, step) in kernels() {
            for round in 0..12 {
                for p in [0.05, 0.5, 0.95] {
                    let streams: Vec<Vec<f64>> = (0..LANES).map(|l| stream(&mut rng, round + l, 2000)).collect();
                    let mut lanes = P2Lanes::new(p);
                    let mut scalar: Vec<P2> = (0..LANES).map(|_| P2::new(p)).collect();
                    let steps = (0..2000).map(|t| -> Lanes { std::array::from_fn(|l| streams[l][t]) });
                    for (t, x) in steps.enumerate() {
                        if t < 5 {
                            (0..LANES).for_each(|l| lanes.add_lane(l, t, x[l]));
                        } else {
                            step(&mut lanes, &x);
                        }
                        for (l, e) in scalar.iter_mut().enumerate() {
                            e.add(x[l]);
                            assert_eq!(bits(&lanes.lane(l, t + 1)), bits(e), "{kernel}, p {p}, lane {l}, step {t}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn lanes_start_as_new_scalar_estimators() {
        let lanes = P2Lanes::new(0.95);
        for l in 0..LANES {
            assert_eq!(bits(&lanes.lane(l, 0)), bits(&P2::new(0.95)));
        }
    }
}
