//! Cause-specific event rates: events of one cause per unit of time at risk (the
//! maximum-likelihood constant hazard), and the ratio of two arms' rates with a confidence
//! interval on the log scale (Poisson counts: var(log ratio) = 1/d1 + 1/d2).

use super::paired::normal_quantile;

/// A constant-hazard estimate: `events / exposure`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    pub events: usize,
    pub exposure: f64,
    pub rate: f64,
}

impl Rate {
    pub fn new(events: usize, exposure: f64) -> Self {
        let rate = if exposure > 0.0 { events as f64 / exposure } else { 0.0 };
        Rate { events, exposure, rate }
    }
}

/// Ratio `b / a` with its confidence interval; `None` when either arm has no event (the
/// ratio or its interval is then undefined).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateRatio {
    pub ratio: f64,
    pub lower: f64,
    pub upper: f64,
}

pub fn rate_ratio(a: &Rate, b: &Rate, level: f64) -> Option<RateRatio> {
    if a.events == 0 || b.events == 0 || a.exposure <= 0.0 || b.exposure <= 0.0 {
        return None;
    }
    let ratio = b.rate / a.rate;
    let se = (1.0 / a.events as f64 + 1.0 / b.events as f64).sqrt();
    let z = normal_quantile(0.5 + level / 2.0);
    Some(RateRatio { ratio, lower: ratio * (-z * se).exp(), upper: ratio * (z * se).exp() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_and_interval_by_hand() {
        // 10 events in 100 years against 20 in 100: ratio 2, SE of log = sqrt(0.1 + 0.05)
        // = 0.387298, interval 2 * exp(-+1.959964 * 0.387298) = 0.93618 .. 4.27267.
        let a = Rate::new(10, 100.0);
        let b = Rate::new(20, 100.0);
        let r = rate_ratio(&a, &b, 0.95).unwrap();
        assert!((r.ratio - 2.0).abs() < 1e-12);
        assert!((r.lower - 0.93618).abs() < 1e-5, "{}", r.lower);
        assert!((r.upper - 4.27267).abs() < 1e-5, "{}", r.upper);
        assert!(rate_ratio(&Rate::new(0, 100.0), &b, 0.95).is_none());
        assert_eq!(Rate::new(3, 0.0).rate, 0.0);
    }
}
