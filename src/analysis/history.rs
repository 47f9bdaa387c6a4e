//! History matching's arithmetic: the implausibility of a simulated (or emulated) value
//! against an observed value or interval, means and shares with their standard errors, and
//! a greedy maximin choice of space-filling points. Pure functions on plain numbers.

/// How far `x` lies outside `[lo, hi]` (0 inside).
pub fn distance_outside(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo {
        lo - x
    } else if x > hi {
        x - hi
    } else {
        0.0
    }
}

/// Implausibility of `value` against the observation `[lo, hi]` (a value is `lo == hi`):
/// its distance outside the interval over `sqrt(variance)`, where `variance` sums every
/// uncertainty allowed for (the simulation's squared standard error, the tolerance squared,
/// an emulator's variance). Zero inside the interval; infinite outside it when nothing is
/// uncertain.
pub fn implausibility(value: f64, lo: f64, hi: f64, variance: f64) -> f64 {
    let d = distance_outside(value, lo, hi);
    if d == 0.0 {
        0.0
    } else if variance > 0.0 {
        d / variance.sqrt()
    } else {
        f64::INFINITY
    }
}

/// The mean of `xs` and its standard error (sample standard deviation over sqrt(n); 0 for
/// fewer than two values). Summed in order.
pub fn mean_and_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (mean, 0.0);
    }
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    (mean, (var / n as f64).sqrt())
}

/// A share `k / n` and its binomial standard error `sqrt(p (1 - p) / n)`; `None` for n = 0.
pub fn share_and_se(k: usize, n: usize) -> Option<(f64, f64)> {
    (n > 0).then(|| {
        let p = k as f64 / n as f64;
        (p, (p * (1.0 - p) / n as f64).sqrt())
    })
}

fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Greedy maximin: up to `m` of `candidates`, each in turn the one farthest (Euclidean) from
/// the `fixed` points and those already chosen; ties go to the lowest index, and with
/// nothing fixed the first pick is candidate 0. Returns the chosen indices in the order
/// chosen.
pub fn greedy_maximin(candidates: &[Vec<f64>], fixed: &[Vec<f64>], m: usize) -> Vec<usize> {
    let mut nearest: Vec<f64> =
        candidates.iter().map(|c| fixed.iter().map(|f| squared_distance(c, f)).fold(f64::INFINITY, f64::min)).collect();
    let mut taken = vec![false; candidates.len()];
    let mut chosen = Vec::with_capacity(m.min(candidates.len()));
    while chosen.len() < m {
        let mut best: Option<usize> = None;
        for (i, &d) in nearest.iter().enumerate() {
            if !taken[i] && best.is_none_or(|b| d > nearest[b]) {
                best = Some(i);
            }
        }
        let Some(b) = best else { break };
        taken[b] = true;
        chosen.push(b);
        for (i, c) in candidates.iter().enumerate() {
            if !taken[i] {
                nearest[i] = nearest[i].min(squared_distance(c, &candidates[b]));
            }
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implausibility_by_hand() {
        // Inside the interval: 0 whatever the variance.
        assert_eq!(implausibility(0.7, 0.65, 0.95, 0.0), 0.0);
        // 0.5 against [0.65, 0.95]: distance 0.15; se 0.03, tolerance 0.04 -> sqrt(0.0025) = 0.05 -> 3.
        assert!((implausibility(0.5, 0.65, 0.95, 0.03f64.powi(2) + 0.04f64.powi(2)) - 3.0).abs() < 1e-12);
        // Above a point value: |1.2 - 1.0| / sqrt(0.01) = 2.
        assert!((implausibility(1.2, 1.0, 1.0, 0.01) - 2.0).abs() < 1e-12);
        assert_eq!(implausibility(1.2, 1.0, 1.0, 0.0), f64::INFINITY);
        assert_eq!(distance_outside(-1.0, 0.0, 2.0), 1.0);
    }

    #[test]
    fn means_and_shares_with_standard_errors_by_hand() {
        // 2, 4, 9: mean 5, sample variance 13, se sqrt(13 / 3).
        let (m, se) = mean_and_se(&[2.0, 4.0, 9.0]);
        assert_eq!(m, 5.0);
        assert!((se - (13.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(mean_and_se(&[3.0]), (3.0, 0.0));
        // 3 of 12: p = 0.25, se sqrt(0.25 * 0.75 / 12) = 0.125.
        let (p, se) = share_and_se(3, 12).unwrap();
        assert_eq!(p, 0.25);
        assert!((se - 0.125).abs() < 1e-12);
        assert_eq!(share_and_se(0, 0), None);
    }

    #[test]
    fn maximin_picks_by_hand() {
        let line: Vec<Vec<f64>> = [0.0, 0.1, 0.5, 0.9, 1.0].iter().map(|&x| vec![x]).collect();
        // Nothing fixed: 0 first, then the farthest from it (1.0), then from both (0.5).
        assert_eq!(greedy_maximin(&line, &[], 3), vec![0, 4, 2]);
        // 0.5 fixed: 0.0 and 1.0 tie at 0.5 (the lower index wins), then 1.0.
        assert_eq!(greedy_maximin(&line, &[vec![0.5]], 2), vec![0, 4]);
        // Asking for more than there are gives them all.
        assert_eq!(greedy_maximin(&line, &[], 9).len(), 5);
        // In two dimensions, with a corner fixed, the opposite corner comes first.
        let sq = vec![vec![0.0, 0.0], vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 1.0], vec![0.5, 0.5]];
        assert_eq!(greedy_maximin(&sq, &[vec![0.0, 0.0]], 3), vec![3, 1, 2]);
    }
}
