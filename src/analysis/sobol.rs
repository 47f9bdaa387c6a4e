//! Variance-based (Sobol') sensitivity analysis: the Saltelli sampling design and the first-order
//! (Saltelli et al. 2010) and total-order (Jansen 1999) index estimators, with bootstrap
//! percentile confidence intervals.
//!
//! The design is plain Monte Carlo from the caller's generator rather than a scrambled Sobol'
//! sequence. The confidence intervals resample design rows with replacement, which presumes
//! independent rows; quasi-random rows are deliberately dependent (evenly spread), so the
//! bootstrap would describe the wrong sampling distribution. Plain Monte Carlo keeps the
//! intervals honest and needs no extra dependency, at the price of a larger `n`.

use crate::analysis::design::Range;
use rand::{Rng, RngExt};

/// First-order index `s1` and total-order index `st` of one parameter, each with the bounds of
/// its bootstrap percentile confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    pub s1: f64,
    pub s1_lo: f64,
    pub s1_hi: f64,
    pub st: f64,
    pub st_lo: f64,
    pub st_hi: f64,
}

/// Saltelli design of `n * (k + 2)` points (`k = ranges.len()`), in blocks of `n` rows:
///
/// - rows `0 .. n`: matrix A,
/// - rows `n .. 2n`: matrix B,
/// - rows `(2 + i) n .. (3 + i) n` for `i = 0 .. k`: matrix AB_i, which is A with column `i`
///   taken from B.
///
/// A and B are independent uniform draws on the box `ranges`.
pub fn saltelli_design<R: Rng + ?Sized>(ranges: &[Range], n: usize, rng: &mut R) -> Vec<Vec<f64>> {
    let k = ranges.len();
    let mut draw =
        || -> Vec<Vec<f64>> { (0..n).map(|_| ranges.iter().map(|r| r.at(rng.random::<f64>())).collect()).collect() };
    let a = draw();
    let b = draw();
    let mut points = Vec::with_capacity(n * (k + 2));
    points.extend(a.iter().cloned());
    points.extend(b.iter().cloned());
    for i in 0..k {
        points.extend(a.iter().zip(&b).map(|(ra, rb)| {
            let mut row = ra.clone();
            row[i] = rb[i];
            row
        }));
    }
    points
}

/// Sobol' indices of the `k` parameters from the outputs `y` of a [`saltelli_design`] with `n`
/// base rows (`y` in design order, `n * (k + 2)` values).
///
/// With `f_A`, `f_B`, `f_ABi` the outputs of the three blocks and `V` the variance (divisor
/// `2n`) of the `2n` outputs of A and B together:
///
/// - first order (Saltelli et al. 2010): `S1_i = mean(f_B (f_ABi - f_A)) / V`,
/// - total order (Jansen 1999): `ST_i = mean((f_A - f_ABi)^2) / 2 / V`.
///
/// The intervals are bootstrap percentile intervals at `level` (e.g. 0.95) from `bootstrap`
/// resamples of the `n` row indices with replacement; one resample selects the same rows of A,
/// B and every AB_i, and `V` is recomputed from the resampled rows. The point estimates use the
/// full sample. With `bootstrap == 0` the interval bounds are NaN.
///
/// # Panics
/// If `n == 0` or `y.len() != n * (k + 2)`.
pub fn sobol_indices<R: Rng + ?Sized>(
    k: usize,
    n: usize,
    y: &[f64],
    bootstrap: usize,
    level: f64,
    rng: &mut R,
) -> Vec<SobolIndex> {
    assert!(n > 0, "at least one base row");
    assert_eq!(y.len(), n * (k + 2), "a Saltelli design has n * (k + 2) outputs");
    let all: Vec<usize> = (0..n).collect();
    let (s1, st) = estimate(k, n, y, &all);

    let mut s1_boot = vec![Vec::with_capacity(bootstrap); k];
    let mut st_boot = vec![Vec::with_capacity(bootstrap); k];
    let mut rows = vec![0usize; n];
    for _ in 0..bootstrap {
        for row in rows.iter_mut() {
            *row = rng.random_range(0..n);
        }
        let (b1, bt) = estimate(k, n, y, &rows);
        for i in 0..k {
            s1_boot[i].push(b1[i]);
            st_boot[i].push(bt[i]);
        }
    }
    let (q_lo, q_hi) = ((1.0 - level) / 2.0, (1.0 + level) / 2.0);
    (0..k)
        .map(|i| {
            let (s1_lo, s1_hi) = percentile_pair(&mut s1_boot[i], q_lo, q_hi);
            let (st_lo, st_hi) = percentile_pair(&mut st_boot[i], q_lo, q_hi);
            SobolIndex { s1: s1[i], s1_lo, s1_hi, st: st[i], st_lo, st_hi }
        })
        .collect()
}

/// First- and total-order estimates over the base rows `rows` (indices into `0 .. n`, repeats
/// allowed).
fn estimate(k: usize, n: usize, y: &[f64], rows: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let f_a = &y[..n];
    let f_b = &y[n..2 * n];
    let m = rows.len() as f64;
    let mean = rows.iter().map(|&j| f_a[j] + f_b[j]).sum::<f64>() / (2.0 * m);
    let var = rows.iter().map(|&j| (f_a[j] - mean).powi(2) + (f_b[j] - mean).powi(2)).sum::<f64>() / (2.0 * m);
    let mut s1 = Vec::with_capacity(k);
    let mut st = Vec::with_capacity(k);
    for i in 0..k {
        let f_ab = &y[(2 + i) * n..(3 + i) * n];
        let (mut first, mut total) = (0.0, 0.0);
        for &j in rows {
            first += f_b[j] * (f_ab[j] - f_a[j]);
            total += (f_a[j] - f_ab[j]).powi(2);
        }
        s1.push(first / m / var);
        st.push(total / m / 2.0 / var);
    }
    (s1, st)
}

/// The `q_lo` and `q_hi` sample quantiles (linear interpolation between order statistics, R's
/// type 7) of `values`, which are sorted in place. NaN for no values.
fn percentile_pair(values: &mut [f64], q_lo: f64, q_hi: f64) -> (f64, f64) {
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    values.sort_by(f64::total_cmp);
    (quantile_sorted(values, q_lo), quantile_sorted(values, q_hi))
}

/// The `q` sample quantile of sorted values, R's type 7 (linear interpolation between order
/// statistics). Panics on an empty slice.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let (below, above) = (h.floor() as usize, h.ceil() as usize);
    sorted[below] + (h - below as f64) * (sorted[above] - sorted[below])
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use std::f64::consts::PI;

    #[test]
    fn design_blocks_are_a_b_and_ab_i() {
        let ranges = [Range { lo: 0.0, hi: 1.0 }, Range { lo: -3.0, hi: 3.0 }, Range { lo: 5.0, hi: 6.0 }];
        let (k, n) = (3, 16);
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let points = saltelli_design(&ranges, n, &mut rng);
        assert_eq!(points.len(), n * (k + 2));
        let (a, b) = (&points[..n], &points[n..2 * n]);
        for point in &points {
            for (x, r) in point.iter().zip(&ranges) {
                assert!(r.lo <= *x && *x <= r.hi);
            }
        }
        for i in 0..k {
            for j in 0..n {
                let ab = &points[(2 + i) * n + j];
                for c in 0..k {
                    assert_eq!(ab[c], if c == i { b[j][c] } else { a[j][c] });
                }
            }
        }
    }

    #[test]
    fn quantiles_follow_type_7() {
        // R: quantile(c(1, 2, 3, 4, 10), c(0.1, 0.5, 0.9)) gives 1.4, 3, 7.6.
        let mut v = [10.0, 2.0, 4.0, 1.0, 3.0];
        let (lo, hi) = percentile_pair(&mut v, 0.1, 0.9);
        assert!((lo - 1.4).abs() < 1e-12 && (hi - 7.6).abs() < 1e-12);
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
    }

    /// Ishigami function with a = 7, b = 0.1.
    fn ishigami(x: &[f64]) -> f64 {
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// Analytic indices of the Ishigami function on U(-pi, pi)^3 (Sobol' and Levitan 1999):
    /// S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    const S1: [f64; 3] = [0.3139, 0.4424, 0.0];
    const ST: [f64; 3] = [0.5576, 0.4424, 0.2437];

    fn ishigami_indices(n: usize, bootstrap: usize, seed: u64) -> Vec<SobolIndex> {
        let ranges = [Range { lo: -PI, hi: PI }; 3];
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let points = saltelli_design(&ranges, n, &mut rng);
        let y: Vec<f64> = points.iter().map(|x| ishigami(x)).collect();
        sobol_indices(3, n, &y, bootstrap, 0.95, &mut rng)
    }

    #[test]
    fn ishigami_indices_within_bootstrap_intervals() {
        // n = 8192 base rows (40960 evaluations), 500 bootstrap resamples: well under a second
        // in release. Every 95% interval must hold the analytic value and be narrower than 0.08.
        // The interval width shrinks as 1/sqrt(n); at n = 8192 the observed widths over 20 seeds
        // (seeds 2024..2044) were at most 0.065; for seed 2024 the widest are ST and S1 of x1
        // (0.063, 0.060), the x3^4 sin x1 term making those products heavy-tailed. A bound of
        // 0.08 leaves room for that spread and still pins every index to a few hundredths.
        //
        // What was observed, in full: seed 2024 was the first seed tried, at n = 8192 and
        // n = 16384 together. At n = 8192 all six intervals hold the analytic values. At
        // n = 16384 the same seed gave S1_1 = 0.2876 with interval [0.2699, 0.3075], missing
        // 0.3139. That is chance, not bias: over 300 seeds at n = 4096 each of the six intervals
        // missed in 13 to 20 cases (15 expected at 95%) and the mean estimates matched the
        // analytic values to 0.001. But it means that with six 95% intervals about 27% of seeds
        // miss at least one, at any n, so this single-seed check passes partly by luck; the
        // calibration test below is the seed-robust check of the intervals.
        let idx = ishigami_indices(8192, 500, 2024);
        for i in 0..3 {
            let m = idx[i];
            assert!(m.s1_lo <= S1[i] && S1[i] <= m.s1_hi, "S1[{i}] = {} not in {m:?}", S1[i]);
            assert!(m.st_lo <= ST[i] && ST[i] <= m.st_hi, "ST[{i}] = {} not in {m:?}", ST[i]);
            assert!(m.s1_hi - m.s1_lo < 0.08, "S1[{i}] interval too wide: {m:?}");
            assert!(m.st_hi - m.st_lo < 0.08, "ST[{i}] interval too wide: {m:?}");
            assert!(m.s1_lo <= m.s1 && m.s1 <= m.s1_hi && m.st_lo <= m.st && m.st <= m.st_hi);
        }
    }

    #[test]
    fn ishigami_intervals_have_nominal_coverage() {
        // 50 independent runs (seeds 0..50) at n = 2048 with 200 resamples give 300 intervals
        // at 95%; if they are calibrated the number that miss the analytic value is about
        // Binomial(300, 0.05): mean 15, P(<= 4) = 0.0007, P(>= 31) = 0.0001. The six intervals
        // of one run are correlated, which widens the spread somewhat, hence the wide accepted
        // range 5..=30: more misses means intervals too narrow or estimates biased, fewer means
        // intervals far too wide. Observed: 20 of 300 missed (93.3% coverage).
        let mut misses = 0;
        for seed in 0..50 {
            for (i, m) in ishigami_indices(2048, 200, seed).iter().enumerate() {
                misses += usize::from(!(m.s1_lo <= S1[i] && S1[i] <= m.s1_hi));
                misses += usize::from(!(m.st_lo <= ST[i] && ST[i] <= m.st_hi));
            }
        }
        assert!((5..=30).contains(&misses), "{misses} of 300 intervals missed");
    }
}
