//! Median survival with a Brookmeyer-Crowley confidence interval, as R's `print.survfit`
//! reports it: the limits are the times at which the pointwise lower and upper confidence
//! bands of the Kaplan-Meier curve first fall to 0.5.

use super::survival::{ConfType, KaplanMeier, confidence_limits, z_value};

/// The median survival time and its confidence limits; `None` means "not reached" (R's `NA`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MedianCi {
    pub median: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// Median with a Brookmeyer-Crowley interval built from pointwise `conf_type` bands at the
/// confidence `level` (0.95 for R's default). Follows R `survival:::survmean`: each of the three
/// is the first time its curve is ≤ 0.5, except that a curve landing exactly on 0.5 (within
/// sqrt(machine epsilon)) takes the midpoint between that time and the next time it drops. A
/// band undefined at a step (e.g. where S = 0) does not count as crossing. With an invalid
/// `level` the limits are `None`.
pub fn median_ci(km: &KaplanMeier, conf_type: ConfType, level: f64) -> MedianCi {
    let times: Vec<f64> = km.steps.iter().map(|s| s.time).collect();
    let surv: Vec<Option<f64>> = km.steps.iter().map(|s| Some(s.survival)).collect();
    let (lower, upper) = match z_value(level) {
        Some(z) => {
            let bands: Vec<_> =
                km.steps.iter().map(|s| confidence_limits(s.survival, s.std_err, conf_type, z)).collect();
            let lo: Vec<Option<f64>> = bands.iter().map(|b| b.0).collect();
            let hi: Vec<Option<f64>> = bands.iter().map(|b| b.1).collect();
            (first_half_crossing(&times, &lo), first_half_crossing(&times, &hi))
        }
        None => (None, None),
    };
    MedianCi { median: first_half_crossing(&times, &surv), lower, upper }
}

/// R's `minmin`: the first time the curve is below 0.5 + tol; if it sits at 0.5 there, the
/// midpoint to the first later time at which it is strictly lower.
fn first_half_crossing(times: &[f64], curve: &[Option<f64>]) -> Option<f64> {
    let tol = f64::EPSILON.sqrt();
    let kept: Vec<(f64, f64)> =
        times.iter().zip(curve).filter_map(|(&t, &y)| y.filter(|&y| y < 0.5 + tol).map(|y| (t, y))).collect();
    let &(t0, y0) = kept.first()?;
    if (y0 - 0.5).abs() < tol
        && let Some(&(t1, _)) = kept.iter().find(|&&(_, y)| y < y0)
    {
        return Some((t0 + t1) / 2.0);
    }
    Some(t0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::aml;
    use crate::analysis::survival::Observation;

    fn ci(obs: &[Observation], conf_type: ConfType) -> MedianCi {
        median_ci(&KaplanMeier::fit(obs), conf_type, 0.95)
    }

    #[test]
    fn log_log_matches_r_print_survfit_on_aml() {
        // Reference: R 4.2.2, survival 3.5.3:
        //   print(survfit(Surv(time, status) ~ x, data = aml, conf.type = "log-log"))
        //   Maintained     n=11 events=7  median=31 0.95LCL=13 0.95UCL=NA
        //   Nonmaintained  n=12 events=11 median=23 0.95LCL=5  0.95UCL=33
        let m = ci(&aml::maintained(), ConfType::LogLog);
        assert_eq!(m, MedianCi { median: Some(31.0), lower: Some(13.0), upper: None });
        let n = ci(&aml::nonmaintained(), ConfType::LogLog);
        assert_eq!(n, MedianCi { median: Some(23.0), lower: Some(5.0), upper: Some(33.0) });
        // Pooled, survfit(Surv(time, status) ~ 1, data = aml, conf.type = "log-log"):
        // median 27, 0.95LCL 13, 0.95UCL 34.
        let all = ci(&aml::all(), ConfType::LogLog);
        assert_eq!(all, MedianCi { median: Some(27.0), lower: Some(13.0), upper: Some(34.0) });
    }

    #[test]
    fn log_and_plain_match_r_print_survfit_on_aml() {
        // Reference: R 4.2.2, survival 3.5.3, print(survfit(Surv(time, status) ~ x, data = aml))
        // (default conf.type = "log"): Maintained median 31, LCL 18, UCL NA;
        // Nonmaintained median 23, LCL 8, UCL NA. With conf.type = "plain":
        // Maintained 31 / 18 / 48; Nonmaintained 23 / 8 / 33.
        assert_eq!(
            ci(&aml::maintained(), ConfType::Log),
            MedianCi { median: Some(31.0), lower: Some(18.0), upper: None }
        );
        assert_eq!(
            ci(&aml::nonmaintained(), ConfType::Log),
            MedianCi { median: Some(23.0), lower: Some(8.0), upper: None }
        );
        let plain = ci(&aml::maintained(), ConfType::Plain);
        assert_eq!(plain, MedianCi { median: Some(31.0), lower: Some(18.0), upper: Some(48.0) });
        let plain = ci(&aml::nonmaintained(), ConfType::Plain);
        assert_eq!(plain, MedianCi { median: Some(23.0), lower: Some(8.0), upper: Some(33.0) });
    }

    #[test]
    fn a_curve_resting_on_one_half_takes_the_midpoint() {
        // R 4.2.2, survival 3.5.3: survfit(Surv(time, status) ~ 1, data = data.frame(time = 1:4, status = 1))
        // gives median 2.5 (S = 0.5 on [2, 3)), 0.95LCL 1, 0.95UCL NA for all three conf.types.
        let obs: Vec<Observation> = (1..=4).map(|t| Observation { time: f64::from(t), event: true }).collect();
        for conf_type in [ConfType::Log, ConfType::LogLog, ConfType::Plain] {
            assert_eq!(ci(&obs, conf_type), MedianCi { median: Some(2.5), lower: Some(1.0), upper: None });
        }
    }

    #[test]
    fn empty_or_uncrossed_curves_give_none() {
        let none = MedianCi { median: None, lower: None, upper: None };
        assert_eq!(ci(&[], ConfType::LogLog), none);
        assert_eq!(ci(&[Observation { time: 3.0, event: false }], ConfType::Log), none);
        let m = median_ci(&KaplanMeier::fit(&aml::maintained()), ConfType::Log, 2.0);
        assert_eq!(m, MedianCi { median: Some(31.0), lower: None, upper: None });
    }
}
