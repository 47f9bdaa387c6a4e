//! A regression emulator: ordinary least squares of a response on a quadratic (or, with too
//! few points, linear or constant) polynomial in normalised inputs, solved by Householder QR,
//! with its residual variance and the leverage of a new point, so that a prediction comes
//! with the variance of a new observation there, `sigma^2 (1 + h(x))`. History matching uses
//! one per target to judge, without simulating, where a target can still be met. Pure
//! arithmetic: sums run in a fixed order, so the same data give the same bits.

/// The polynomial fitted: a constant, linear terms, or linear terms plus every square and
/// pairwise product.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Constant,
    Linear,
    Quadratic,
}

impl Order {
    /// The number of coefficients for `k` inputs.
    pub fn terms(self, k: usize) -> usize {
        match self {
            Order::Constant => 1,
            Order::Linear => 1 + k,
            Order::Quadratic => 1 + k + k * (k + 1) / 2,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Order::Constant => "constant",
            Order::Linear => "linear",
            Order::Quadratic => "quadratic",
        }
    }
}

/// The regressors of `x`: 1, then x_i, then x_i x_j for i <= j (in that order).
pub fn features(x: &[f64], order: Order) -> Vec<f64> {
    let mut f = Vec::with_capacity(order.terms(x.len()));
    f.push(1.0);
    if order != Order::Constant {
        f.extend_from_slice(x);
    }
    if order == Order::Quadratic {
        for i in 0..x.len() {
            for j in i..x.len() {
                f.push(x[i] * x[j]);
            }
        }
    }
    f
}

/// A least-squares fit: the coefficients, the triangular factor R of the design (X = QR) and
/// the residual sum of squares.
#[derive(Clone, Debug, PartialEq)]
pub struct LeastSquares {
    pub beta: Vec<f64>,
    /// Upper triangular, `r[i][j]` for j >= i.
    pub r: Vec<Vec<f64>>,
    pub rss: f64,
}

/// Least squares of `y` on the rows of `x` (n rows of p columns, n >= p) by Householder QR.
/// `None` if the columns are (numerically) linearly dependent or the shapes do not fit.
pub fn least_squares(x: &[Vec<f64>], y: &[f64]) -> Option<LeastSquares> {
    let n = x.len();
    let p = x.first()?.len();
    if n < p || p == 0 || y.len() != n || x.iter().any(|row| row.len() != p) {
        return None;
    }
    // Column-major copy of X, and y, both transformed in place by the reflections.
    let mut a: Vec<Vec<f64>> = (0..p).map(|j| x.iter().map(|row| row[j]).collect()).collect();
    let mut qty = y.to_vec();
    let scale = a.iter().map(|c| norm(c)).fold(0.0, f64::max);
    if scale == 0.0 || !scale.is_finite() {
        return None;
    }
    for j in 0..p {
        let col_norm = norm(&a[j][j..]);
        if col_norm <= 1e-10 * scale {
            return None;
        }
        let alpha = if a[j][j] > 0.0 { -col_norm } else { col_norm };
        // v = a[j..] - alpha e_1; H = I - 2 v v' / (v'v).
        let mut v: Vec<f64> = a[j][j..].to_vec();
        v[0] -= alpha;
        let vv = dot(&v, &v);
        for col in a.iter_mut().skip(j) {
            reflect(&mut col[j..], &v, vv);
        }
        reflect(&mut qty[j..], &v, vv);
    }
    let r: Vec<Vec<f64>> = (0..p).map(|i| (0..p).map(|j| if j >= i { a[j][i] } else { 0.0 }).collect()).collect();
    // Back-substitution: R beta = (Q'y)[..p].
    let mut beta = vec![0.0; p];
    for i in (0..p).rev() {
        let mut s = qty[i];
        for j in i + 1..p {
            s -= r[i][j] * beta[j];
        }
        beta[i] = s / r[i][i];
    }
    let rss = qty[p..].iter().map(|e| e * e).sum();
    Some(LeastSquares { beta, r, rss })
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// `x <- x - 2 v (v'x) / (v'v)`.
fn reflect(x: &mut [f64], v: &[f64], vv: f64) {
    let f = 2.0 * dot(v, x) / vv;
    for (xi, vi) in x.iter_mut().zip(v) {
        *xi -= f * vi;
    }
}

/// A fitted emulator of one response.
#[derive(Clone, Debug, PartialEq)]
pub struct Emulator {
    pub order: Order,
    pub beta: Vec<f64>,
    r: Vec<Vec<f64>>,
    /// Residual variance, RSS / (n - p).
    pub sigma2: f64,
    /// Points it was fitted on.
    pub n: usize,
}

/// What an emulator says at a point: its mean and the leverage `h = f' (X'X)^-1 f`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    pub mean: f64,
    pub leverage: f64,
}

impl Emulator {
    /// Fits `order` exactly: `None` if there are not more points than coefficients or the
    /// design is singular.
    pub fn fit_order(x: &[Vec<f64>], y: &[f64], order: Order) -> Option<Emulator> {
        let rows: Vec<Vec<f64>> = x.iter().map(|xi| features(xi, order)).collect();
        let p = rows.first()?.len();
        if x.len() <= p {
            return None;
        }
        let ls = least_squares(&rows, y)?;
        let sigma2 = ls.rss / (x.len() - p) as f64;
        Some(Emulator { order, beta: ls.beta, r: ls.r, sigma2, n: x.len() })
    }

    /// The richest model the data support: quadratic if there are at least two more points
    /// than its coefficients, else linear on the same terms, else a constant (two points or
    /// more); a singular design falls back to the next simpler model. `None` with fewer than
    /// two points.
    pub fn fit(x: &[Vec<f64>], y: &[f64]) -> Option<Emulator> {
        let k = x.first().map_or(0, Vec::len);
        [Order::Quadratic, Order::Linear, Order::Constant]
            .into_iter()
            .filter(|o| x.len() >= o.terms(k) + if *o == Order::Constant { 1 } else { 2 })
            .find_map(|o| Emulator::fit_order(x, y, o))
    }

    pub fn predict(&self, x: &[f64]) -> Prediction {
        let f = features(x, self.order);
        let mean = dot(&f, &self.beta);
        // h = |z|^2 with R' z = f (forward substitution).
        let p = f.len();
        let mut z = vec![0.0; p];
        for i in 0..p {
            let s = (0..i).fold(f[i], |s, j| s - self.r[j][i] * z[j]);
            z[i] = s / self.r[i][i];
        }
        Prediction { mean, leverage: dot(&z, &z) }
    }

    /// The variance of a new observation at `x`: `sigma^2 (1 + h(x))`.
    pub fn variance(&self, x: &[f64]) -> f64 {
        self.sigma2 * (1.0 + self.predict(x).leverage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn features_list_the_terms_in_order() {
        assert_eq!(features(&[2.0, 3.0], Order::Quadratic), vec![1.0, 2.0, 3.0, 4.0, 6.0, 9.0]);
        assert_eq!(features(&[2.0, 3.0], Order::Linear), vec![1.0, 2.0, 3.0]);
        assert_eq!(features(&[2.0, 3.0], Order::Constant), vec![1.0]);
        assert_eq!(Order::Quadratic.terms(3), 10);
    }

    /// Simple regression by hand: x = 0, 1, 2, 3 and y = 1, 3, 2, 5. Sxx = 5, Sxy = 5.5, so
    /// the slope is 1.1 and the intercept 2.75 - 1.1 * 1.5 = 1.1; the residuals are -0.1,
    /// 0.8, -1.3, 0.6, RSS = 2.7 and sigma^2 = 2.7 / 2 = 1.35. The leverage at x is
    /// 1/4 + (x - 1.5)^2 / 5: 0.7 at 0, 0.25 at 1.5, 1.5 at 4.
    #[test]
    fn a_linear_fit_matches_the_hand_computed_regression() {
        let x: Vec<Vec<f64>> = [0.0, 1.0, 2.0, 3.0].iter().map(|&v| vec![v]).collect();
        let y = [1.0, 3.0, 2.0, 5.0];
        let e = Emulator::fit_order(&x, &y, Order::Linear).unwrap();
        assert!(close(e.beta[0], 1.1, 1e-12) && close(e.beta[1], 1.1, 1e-12), "{:?}", e.beta);
        assert!(close(e.sigma2, 1.35, 1e-12), "{}", e.sigma2);
        for (at, h) in [(0.0, 0.7), (1.5, 0.25), (4.0, 1.5)] {
            let p = e.predict(&[at]);
            assert!(close(p.leverage, h, 1e-12), "h({at}) = {}", p.leverage);
            assert!(close(p.mean, 1.1 + 1.1 * at, 1e-12));
        }
        assert!(close(e.variance(&[0.0]), 1.35 * 1.7, 1e-12));
        // A quadratic in one input (3 terms) needs five points, a linear model (2 terms) four.
        assert_eq!(Emulator::fit(&x, &y).unwrap().order, Order::Linear);
    }

    /// The constant model is the sample mean with the sample variance and leverage 1/n.
    #[test]
    fn a_constant_fit_is_the_mean() {
        let x: Vec<Vec<f64>> = vec![vec![0.1], vec![0.9], vec![0.5]];
        let y = [2.0, 4.0, 9.0];
        let e = Emulator::fit(&x, &y).unwrap();
        assert_eq!(e.order, Order::Constant);
        assert!(close(e.beta[0], 5.0, 1e-12));
        // Deviations -3, -1, 4: 26 / 2 = 13.
        assert!(close(e.sigma2, 13.0, 1e-12));
        assert!(close(e.predict(&[0.3]).leverage, 1.0 / 3.0, 1e-12));
        assert!(Emulator::fit(&x[..1], &y[..1]).is_none());
    }

    /// An exact quadratic surface in two inputs is recovered to rounding, with no residual.
    #[test]
    fn an_exact_quadratic_is_recovered() {
        let f = |u: f64, v: f64| 1.0 + 2.0 * u - 0.5 * v - 3.0 * u * u + 1.5 * u * v + 0.25 * v * v;
        let pts: Vec<Vec<f64>> = (0..9).map(|i| vec![(i % 3) as f64 / 2.0, (i / 3) as f64 / 2.0]).collect();
        let y: Vec<f64> = pts.iter().map(|p| f(p[0], p[1])).collect();
        let e = Emulator::fit(&pts, &y).unwrap();
        assert_eq!(e.order, Order::Quadratic);
        for (got, want) in e.beta.iter().zip([1.0, 2.0, -0.5, -3.0, 1.5, 0.25]) {
            assert!(close(*got, want, 1e-10), "{:?}", e.beta);
        }
        assert!(e.sigma2 < 1e-20);
        assert!(close(e.predict(&[0.3, 0.8]).mean, f(0.3, 0.8), 1e-10));
    }

    /// A design whose columns repeat is singular: QR says so, and `fit` falls back.
    #[test]
    fn a_singular_design_is_refused_and_fit_falls_back() {
        let x = vec![vec![1.0, 1.0], vec![1.0, 1.0], vec![1.0, 1.0]];
        assert!(least_squares(&x, &[1.0, 2.0, 3.0]).is_none());
        // Every point the same: the linear and quadratic designs are singular, the constant is not.
        let pts = vec![vec![0.5, 0.5]; 10];
        let y: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(Emulator::fit(&pts, &y).unwrap().order, Order::Constant);
    }
}
