//! The comparison in plain facts for the terminal: for each arm its median lifetime,
//! survival at the years that matter, the end cause seen most often and the mean savings;
//! for each variant the difference in mean lifetime with its interval and the log-rank
//! test. Typed here, worded by `words.rs` for the terminal and the `serve` page.

use crate::output::comparison::{ComparisonSet, SetArm, report_years};

const WEEKS_PER_YEAR: f64 = 52.0;

/// What the terminal says about one arm. Times in years, shares in 0-1, money in GBP.
#[derive(Clone, Debug, PartialEq)]
pub struct ArmFacts {
    pub label: String,
    pub folder: String,
    /// `None`: more than half were still running at the horizon.
    pub median_years: Option<f64>,
    /// (year, share still running) at 1, 2, 5 and 10 years within the horizon.
    pub survival: Vec<(f64, f64)>,
    /// The end cause seen most often (`Some` only if a run ended) and the share of all
    /// runs it ended by the horizon.
    pub main_cause: Option<(String, f64)>,
    pub mean_savings_gbp: f64,
}

/// A variant against the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantFacts {
    pub label: String,
    /// Mean lifetime to the horizon (restricted mean), baseline then variant, in years.
    pub rmst_years: [f64; 2],
    /// Variant minus baseline with its 95% interval, in years.
    pub rmst_difference_years: Option<Estimate>,
    /// Chi-square (1 df) and p-value; `None` if no run ended in either arm.
    pub logrank: Option<(f64, f64)>,
    /// Every parameter is the baseline's: the same runs.
    pub identical: bool,
}

/// An estimate with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CompareFacts {
    pub replicates: usize,
    pub seed: u64,
    pub horizon_years: f64,
    /// Overrides a ladder's every variant has besides its value (`--variant` with `--vary`).
    pub every_variant_also: Vec<String>,
    /// Baseline first.
    pub arms: Vec<ArmFacts>,
    pub variants: Vec<VariantFacts>,
}

impl CompareFacts {
    pub fn of(set: &ComparisonSet<'_>) -> Self {
        let tau = set.tau_weeks;
        let arm = |x: &SetArm<'_>| {
            let s = x.input.stats;
            let main = (0..s.cause_labels.len())
                .filter(|&k| s.rates[k].events > 0)
                .max_by_key(|&k| (s.rates[k].events, std::cmp::Reverse(k)))
                .map(|k| (s.cause_labels[k].clone(), s.incidence.incidence_at(k, tau)));
            let n = x.input.outcomes.len().max(1) as f64;
            ArmFacts {
                label: x.input.label.to_string(),
                folder: x.folder.to_string(),
                median_years: s.km.median().filter(|&m| m <= tau).map(|m| m / WEEKS_PER_YEAR),
                survival: report_years(tau).into_iter().map(|y| (y, s.km.survival_at(y * WEEKS_PER_YEAR))).collect(),
                main_cause: main,
                mean_savings_gbp: x.input.outcomes.iter().map(|r| r.savings_gbp).sum::<f64>() / n,
            }
        };
        let y = |w: f64| w / WEEKS_PER_YEAR;
        CompareFacts {
            replicates: set.baseline.input.outcomes.len(),
            seed: set.baseline.input.scenario.spec.run.seed,
            horizon_years: y(tau),
            every_variant_also: set.ladder.as_ref().map_or(vec![], |l| l.also.clone()),
            arms: std::iter::once(&set.baseline).chain(set.variants.iter().map(|(v, _)| v)).map(arm).collect(),
            variants: set
                .variants
                .iter()
                .map(|(v, c)| VariantFacts {
                    label: v.input.label.to_string(),
                    rmst_years: [y(c.rmst[0]), y(c.rmst[1])],
                    rmst_difference_years: c.rmst_difference.map(|d| Estimate {
                        estimate: y(d.estimate),
                        lower: y(d.lower),
                        upper: y(d.upper),
                    }),
                    logrank: c.logrank.as_ref().map(|l| (l.chi_square, l.p_value)),
                    identical: c.identical(),
                })
                .collect(),
        }
    }
}
