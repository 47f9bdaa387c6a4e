//! Experimental designs over a box of parameter ranges: the full factorial grid and the Latin
//! hypercube. Pure functions; the only randomness is the generator passed in.

use rand::seq::SliceRandom;
use rand::{Rng, RngExt};

/// A closed parameter interval `[lo, hi]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub hi: f64,
}

impl Range {
    /// The point at fraction `u` of the way from `lo` to `hi` (`u` in `[0, 1]`).
    pub fn at(&self, u: f64) -> f64 {
        self.lo + (self.hi - self.lo) * u
    }

    /// The fraction of the way from `lo` to `hi` at which `x` lies (inverse of [`Range::at`]).
    pub fn fraction(&self, x: f64) -> f64 {
        (x - self.lo) / (self.hi - self.lo)
    }
}

/// Full factorial design: every combination of the given levels, one value per parameter per
/// point. The first parameter varies slowest (lexicographic order of the level indices), so
/// `grid(&[vec![1, 2], vec![10, 20, 30]])` is `[1,10], [1,20], [1,30], [2,10], [2,20], [2,30]`.
///
/// The number of points is the product of the level counts: one empty point for no parameters,
/// and no points if any parameter has no levels.
pub fn grid(levels: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut points: Vec<Vec<f64>> = vec![Vec::with_capacity(levels.len())];
    for param_levels in levels {
        let mut next = Vec::with_capacity(points.len() * param_levels.len());
        for point in &points {
            for &value in param_levels {
                let mut extended = point.clone();
                extended.push(value);
                next.push(extended);
            }
        }
        points = next;
    }
    points
}

/// Latin hypercube sample of `n` points: each parameter's range is cut into `n` equal strata,
/// every stratum holds exactly one point (drawn uniformly within the stratum), and the
/// assignment of strata to points is an independent random permutation per parameter.
pub fn latin_hypercube<R: Rng + ?Sized>(ranges: &[Range], n: usize, rng: &mut R) -> Vec<Vec<f64>> {
    let mut points = vec![Vec::with_capacity(ranges.len()); n];
    let mut strata: Vec<usize> = (0..n).collect();
    for range in ranges {
        strata.shuffle(rng);
        for (point, &stratum) in points.iter_mut().zip(&strata) {
            let u = (stratum as f64 + rng.random::<f64>()) / n as f64;
            point.push(range.at(u));
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn grid_is_full_factorial_with_first_parameter_slowest() {
        let points = grid(&[vec![1.0, 2.0], vec![10.0, 20.0, 30.0], vec![-1.0, 1.0]]);
        // 2 * 3 * 2 combinations.
        assert_eq!(points.len(), 12);
        assert_eq!(points[0], vec![1.0, 10.0, -1.0]);
        assert_eq!(points[1], vec![1.0, 10.0, 1.0]);
        assert_eq!(points[2], vec![1.0, 20.0, -1.0]);
        assert_eq!(points[5], vec![1.0, 30.0, 1.0]);
        assert_eq!(points[6], vec![2.0, 10.0, -1.0]);
        assert_eq!(points[11], vec![2.0, 30.0, 1.0]);
        // Lexicographic order of the values (the levels are given ascending) means strictly
        // increasing points, hence no duplicates.
        for pair in points.windows(2) {
            assert!(pair[0] < pair[1], "{:?} !< {:?}", pair[0], pair[1]);
        }
    }

    #[test]
    fn grid_edge_cases() {
        assert_eq!(grid(&[]), vec![Vec::<f64>::new()]);
        assert!(grid(&[vec![1.0], vec![]]).is_empty());
        assert_eq!(grid(&[vec![3.0, 4.0]]), vec![vec![3.0], vec![4.0]]);
    }

    #[test]
    fn latin_hypercube_hits_each_stratum_once_per_parameter() {
        let ranges = [Range { lo: 0.0, hi: 1.0 }, Range { lo: -5.0, hi: 3.0 }, Range { lo: 100.0, hi: 100.5 }];
        let n = 50;
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let points = latin_hypercube(&ranges, n, &mut rng);
        assert_eq!(points.len(), n);
        for (j, range) in ranges.iter().enumerate() {
            let mut seen = vec![0usize; n];
            for point in &points {
                assert_eq!(point.len(), ranges.len());
                let x = point[j];
                assert!(range.lo <= x && x <= range.hi, "parameter {j}: {x} outside {range:?}");
                let stratum = ((range.fraction(x) * n as f64).floor() as usize).min(n - 1);
                seen[stratum] += 1;
            }
            // A permutation of the strata: every stratum exactly once.
            assert!(seen.iter().all(|&c| c == 1), "parameter {j}: stratum counts {seen:?}");
        }
    }

    #[test]
    fn latin_hypercube_permutations_differ_between_parameters() {
        // With 50 strata the chance that two independent permutations coincide is 1/50!, so
        // equal stratum orders would mean the parameters share one permutation.
        let ranges = [Range { lo: 0.0, hi: 1.0 }; 2];
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let points = latin_hypercube(&ranges, 50, &mut rng);
        let order = |j: usize| points.iter().map(|p| (p[j] * 50.0) as usize).collect::<Vec<_>>();
        assert_ne!(order(0), order(1));
    }
}
