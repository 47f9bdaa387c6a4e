//! `comparison.json` and `comparison.csv`: a baseline arm against a variant run with common
//! random numbers. Restricted mean survival to the shorter horizon with a paired interval,
//! the medians and their difference, survival at fixed years, the log-rank test, and each
//! end cause's cumulative incidence and rate with the variant/baseline rate ratio.

use std::io;
use std::path::Path;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::atomic::AtomicFile;
use super::f6;
use crate::analysis::arm::{ArmStats, LEVEL};
use crate::analysis::logrank::{LogRank, logrank};
use crate::analysis::paired::{Difference, paired_mean_difference, restricted_times};
use crate::analysis::rates::{RateRatio, rate_ratio};
use crate::analysis::survival::Observation;
use crate::engine::ReplicateOutcome;
use crate::scenario::Scenario;
use crate::scenario::spec::display;

const WEEKS_PER_YEAR: f64 = 52.0;

/// One arm as the comparison sees it.
pub struct ArmInput<'a> {
    pub label: &'a str,
    pub scenario: &'a Scenario,
    pub outcomes: &'a [ReplicateOutcome],
    pub stats: &'a ArmStats,
}

/// One cause in both arms.
pub struct CauseRow {
    pub cause: String,
    pub baseline_events: usize,
    pub variant_events: usize,
    pub baseline_incidence: f64,
    pub variant_incidence: f64,
    /// Per year of collaboration at risk.
    pub baseline_rate: f64,
    pub variant_rate: f64,
    pub ratio: Option<RateRatio>,
}

pub struct Comparison {
    /// Horizon of the comparison: the shorter of the two, in weeks.
    pub tau_weeks: f64,
    /// Mean restricted survival time of each arm to `tau`, in weeks.
    pub rmst: [f64; 2],
    /// Variant minus baseline, paired over replicates, in weeks.
    pub rmst_difference: Option<Difference>,
    pub survival_at: Vec<(f64, [f64; 2])>,
    pub logrank: Option<LogRank>,
    pub causes: Vec<CauseRow>,
    /// Keys whose resolved values differ: (key, baseline, variant).
    pub parameter_differences: Vec<(String, String, String)>,
}

fn obs(outcomes: &[ReplicateOutcome]) -> Vec<Observation> {
    outcomes.iter().map(|r| Observation { time: r.end_week as f64, event: !r.censored }).collect()
}

impl Comparison {
    pub fn build(a: &ArmInput<'_>, b: &ArmInput<'_>) -> Comparison {
        let tau = a.stats.horizon_weeks.min(b.stats.horizon_weeks);
        let times =
            |x: &ArmInput<'_>| restricted_times(&x.outcomes.iter().map(|r| r.end_week as f64).collect::<Vec<_>>(), tau);
        let (ta, tb) = (times(a), times(b));
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        let years: Vec<f64> = [1.0, 2.0, 5.0, 10.0].into_iter().filter(|y| y * WEEKS_PER_YEAR <= tau).collect();
        let survival_at = years
            .iter()
            .map(|&y| (y, [a.stats.km.survival_at(y * WEEKS_PER_YEAR), b.stats.km.survival_at(y * WEEKS_PER_YEAR)]))
            .collect();
        // Causes are matched by label: two scenario files may name different partners.
        let mut labels: Vec<String> = a.stats.cause_labels.clone();
        labels.extend(b.stats.cause_labels.iter().filter(|l| !a.stats.cause_labels.contains(l)).cloned());
        let causes = labels
            .into_iter()
            .map(|cause| {
                let find = |s: &ArmStats| s.cause_labels.iter().position(|l| *l == cause);
                let (ka, kb) = (find(a.stats), find(b.stats));
                let rate = |s: &ArmStats, k: Option<usize>| k.map(|k| s.rates[k]);
                let (ra, rb) = (rate(a.stats, ka), rate(b.stats, kb));
                CauseRow {
                    baseline_events: ra.map_or(0, |r| r.events),
                    variant_events: rb.map_or(0, |r| r.events),
                    baseline_incidence: ka.map_or(0.0, |k| a.stats.incidence.incidence_at(k, tau)),
                    variant_incidence: kb.map_or(0.0, |k| b.stats.incidence.incidence_at(k, tau)),
                    baseline_rate: ra.map_or(0.0, |r| r.rate * WEEKS_PER_YEAR),
                    variant_rate: rb.map_or(0.0, |r| r.rate * WEEKS_PER_YEAR),
                    ratio: ra.zip(rb).and_then(|(ra, rb)| rate_ratio(&ra, &rb, LEVEL)),
                    cause,
                }
            })
            .collect();
        Comparison {
            tau_weeks: tau,
            rmst: [mean(&ta), mean(&tb)],
            rmst_difference: paired_mean_difference(&ta, &tb, LEVEL),
            survival_at,
            logrank: logrank(&obs(a.outcomes), &obs(b.outcomes)),
            causes,
            parameter_differences: parameter_differences(a.scenario, b.scenario),
        }
    }

    /// The comparison as `comparison.json` holds it.
    pub fn record(&self, a: &ArmInput<'_>, b: &ArmInput<'_>) -> ComparisonRecord {
        let y = |w: f64| r6(w / WEEKS_PER_YEAR);
        let yo = |w: Option<f64>| w.map(y);
        let arm = |x: &ArmInput<'_>, i: usize| ArmRecord {
            label: x.label.to_string(),
            scenario: x.scenario.spec.run.name.clone(),
            file: x.scenario.path.display().to_string(),
            sha256: x.scenario.sha256.clone(),
            overrides: x.scenario.overrides.clone(),
            seed: x.scenario.spec.run.seed,
            replicates: x.outcomes.len(),
            horizon_years: y(x.stats.horizon_weeks),
            ended: x.stats.events,
            median_years: yo(x.stats.km.median()),
            median_ci95_years: [yo(x.stats.median.lower), yo(x.stats.median.upper)],
            rmst_years: y(self.rmst[i]),
            rmst_se_years: x.stats.rmst.filter(|r| r.tau == self.tau_weeks).map(|r| y(r.se)),
            survival_at_years: self.survival_at.iter().map(|(yr, s)| (format!("{yr}"), r6(s[i]))).collect(),
        };
        ComparisonRecord {
            question: format!("How does '{}' differ from '{}'?", b.label, a.label),
            common_random_numbers: a.scenario.spec.run.seed == b.scenario.spec.run.seed,
            seed: a.scenario.spec.run.seed,
            replicates: a.outcomes.len(),
            horizon_years: y(self.tau_weeks),
            baseline: arm(a, 0),
            variant: arm(b, 1),
            parameter_differences: self
                .parameter_differences
                .iter()
                .map(|(k, x, z)| ParameterDifference { key: k.clone(), baseline: x.clone(), variant: z.clone() })
                .collect(),
            rmst_difference_years: self.rmst_difference.map(|d| DifferenceRecord {
                estimate: y(d.estimate),
                se: y(d.se),
                ci95: [y(d.lower), y(d.upper)],
                method: "mean of paired differences in min(end, horizon) over replicates run with the same seeds"
                    .into(),
            }),
            median_difference_years: a.stats.km.median().zip(b.stats.km.median()).map(|(m1, m2)| y(m2 - m1)),
            logrank: self.logrank.as_ref().map(|l| LogRankRecord {
                chi_square: r6(l.chi_square),
                df: 1,
                p_value: l.p_value,
                observed: l.observed,
                expected: [r6(l.expected[0]), r6(l.expected[1])],
            }),
            causes: self
                .causes
                .iter()
                .map(|c| CauseRecord {
                    cause: c.cause.clone(),
                    events: [c.baseline_events, c.variant_events],
                    cumulative_incidence_at_horizon: [r6(c.baseline_incidence), r6(c.variant_incidence)],
                    rate_per_year: [r6(c.baseline_rate), r6(c.variant_rate)],
                    rate_ratio: c
                        .ratio
                        .map(|r| RatioRecord { estimate: r6(r.ratio), ci95: [r6(r.lower), r6(r.upper)] }),
                })
                .collect(),
        }
    }

    pub fn to_json(&self, a: &ArmInput<'_>, b: &ArmInput<'_>) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(&self.record(a, b)).expect("comparison serializes");
        out.push(b'\n');
        out
    }

    /// Tidy rows: `measure,baseline,variant,difference,ci_low,ci_high,p_value`.
    pub fn write_csv(&self, path: &Path, a: &ArmInput<'_>, b: &ArmInput<'_>) -> io::Result<()> {
        let mut csv = csv::Writer::from_writer(AtomicFile::create(path)?);
        csv.write_record(["measure", "baseline", "variant", "difference", "ci_low", "ci_high", "p_value"])?;
        let o = |x: Option<f64>| x.map_or(String::new(), f6);
        let y = |w: f64| w / WEEKS_PER_YEAR;
        let d = self.rmst_difference;
        csv.write_record([
            format!("rmst_years_to_{}", y(self.tau_weeks)),
            f6(y(self.rmst[0])),
            f6(y(self.rmst[1])),
            o(d.map(|d| y(d.estimate))),
            o(d.map(|d| y(d.lower))),
            o(d.map(|d| y(d.upper))),
            String::new(),
        ])?;
        let (ma, mb) = (a.stats.km.median().map(y), b.stats.km.median().map(y));
        csv.write_record([
            "median_years".into(),
            o(ma),
            o(mb),
            o(ma.zip(mb).map(|(p, q)| q - p)),
            String::new(),
            String::new(),
            String::new(),
        ])?;
        for (yr, s) in &self.survival_at {
            csv.write_record([
                format!("survival_at_{yr}_years"),
                f6(s[0]),
                f6(s[1]),
                f6(s[1] - s[0]),
                String::new(),
                String::new(),
                String::new(),
            ])?;
        }
        if let Some(l) = &self.logrank {
            csv.write_record([
                "logrank_chi_square".into(),
                l.observed[0].to_string(),
                l.observed[1].to_string(),
                f6(l.chi_square),
                String::new(),
                String::new(),
                format!("{:e}", l.p_value),
            ])?;
        }
        for c in &self.causes {
            csv.write_record([
                format!("incidence: {}", c.cause),
                f6(c.baseline_incidence),
                f6(c.variant_incidence),
                f6(c.variant_incidence - c.baseline_incidence),
                String::new(),
                String::new(),
                String::new(),
            ])?;
            csv.write_record([
                format!("rate_per_year: {}", c.cause),
                f6(c.baseline_rate),
                f6(c.variant_rate),
                o(c.ratio.map(|r| r.ratio)),
                o(c.ratio.map(|r| r.lower)),
                o(c.ratio.map(|r| r.upper)),
                String::new(),
            ])?;
        }
        csv.into_inner().map_err(|e| e.into_error())?.commit()
    }
}

fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Dotted keys whose resolved values differ between two scenarios (name, seed and
/// replicates aside): (key, baseline, variant), in file order.
pub fn parameter_differences(a: &Scenario, b: &Scenario) -> Vec<(String, String, String)> {
    let (fa, fb) = (a.spec.flat(), b.spec.flat());
    let mut keys: Vec<&String> = fa.iter().map(|(k, _)| k).collect();
    keys.extend(fb.iter().map(|(k, _)| k).filter(|k| !fa.iter().any(|(x, _)| x == *k)));
    let get = |f: &[(String, crate::model::registry::Value)], k: &str| {
        f.iter().find(|(x, _)| x == k).map_or("(not set)".to_string(), |(_, v)| display(v))
    };
    keys.into_iter()
        .filter(|k| !matches!(k.as_str(), "name" | "replicates" | "seed"))
        .map(|k| (k.clone(), get(&fa, k), get(&fb, k)))
        .filter(|(_, x, y)| x != y)
        .collect()
}

/// `comparison.json`: both arms, the differences between them and the tests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRecord {
    pub question: String,
    pub common_random_numbers: bool,
    pub seed: u64,
    pub replicates: usize,
    pub horizon_years: f64,
    pub baseline: ArmRecord,
    pub variant: ArmRecord,
    pub parameter_differences: Vec<ParameterDifference>,
    pub rmst_difference_years: Option<DifferenceRecord>,
    pub median_difference_years: Option<f64>,
    pub logrank: Option<LogRankRecord>,
    pub causes: Vec<CauseRecord>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArmRecord {
    pub label: String,
    pub scenario: String,
    pub file: String,
    pub sha256: String,
    pub overrides: Vec<String>,
    pub seed: u64,
    pub replicates: usize,
    pub horizon_years: f64,
    pub ended: usize,
    pub median_years: Option<f64>,
    pub median_ci95_years: [Option<f64>; 2],
    pub rmst_years: f64,
    pub rmst_se_years: Option<f64>,
    /// Survival at 1, 2, 5 and 10 years, those within the horizon, keyed by the year.
    pub survival_at_years: IndexMap<String, f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParameterDifference {
    pub key: String,
    pub baseline: String,
    pub variant: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DifferenceRecord {
    pub estimate: f64,
    pub se: f64,
    pub ci95: [f64; 2],
    pub method: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogRankRecord {
    pub chi_square: f64,
    pub df: u32,
    pub p_value: f64,
    pub observed: [usize; 2],
    pub expected: [f64; 2],
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CauseRecord {
    pub cause: String,
    pub events: [usize; 2],
    pub cumulative_incidence_at_horizon: [f64; 2],
    pub rate_per_year: [f64; 2],
    pub rate_ratio: Option<RatioRecord>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatioRecord {
    pub estimate: f64,
    pub ci95: [f64; 2],
}
