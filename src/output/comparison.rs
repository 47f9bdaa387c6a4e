//! `comparison.json` and `comparison.csv`: a baseline and one or more variants run with
//! common random numbers, each variant compared with the baseline. Restricted mean survival
//! to the comparison's horizon with a paired interval, the medians and their difference,
//! survival at fixed years, the log-rank test, and each end cause's cumulative incidence and
//! rate with the variant/baseline rate ratio. One schema for one variant or a ladder.

use std::io;
use std::path::Path;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::atomic::AtomicFile;
use super::f6;
use super::plots::{BarSeries, bar_plot};
use crate::analysis::arm::{ArmStats, LEVEL};
use crate::analysis::logrank::{LogRank, logrank};
use crate::analysis::paired::{Difference, normal_quantile, paired_mean_difference, restricted_times};
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

/// A variant against the baseline.
pub struct Comparison {
    /// Horizon of the comparison, in weeks: the shortest of every arm's.
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

/// The years at which survival is reported: 1, 2, 5 and 10, those within `tau` weeks.
pub fn report_years(tau_weeks: f64) -> Vec<f64> {
    [1.0, 2.0, 5.0, 10.0].into_iter().filter(|y| y * WEEKS_PER_YEAR <= tau_weeks).collect()
}

impl Comparison {
    /// `b` against `a` to the shorter of their horizons.
    pub fn build(a: &ArmInput<'_>, b: &ArmInput<'_>) -> Comparison {
        Self::build_to(a, b, a.stats.horizon_weeks.min(b.stats.horizon_weeks))
    }

    /// `b` against `a` to `tau` weeks (no later than either horizon).
    pub fn build_to(a: &ArmInput<'_>, b: &ArmInput<'_>, tau: f64) -> Comparison {
        let times =
            |x: &ArmInput<'_>| restricted_times(&x.outcomes.iter().map(|r| r.end_week as f64).collect::<Vec<_>>(), tau);
        let (ta, tb) = (times(a), times(b));
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        let survival_at = report_years(tau)
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

    /// No resolved parameter differs: the variant repeats the baseline run for run.
    pub fn identical(&self) -> bool {
        self.parameter_differences.is_empty()
    }
}

/// An arm of a comparison set: what it is and the folder its own run files are in.
pub struct SetArm<'a> {
    pub input: ArmInput<'a>,
    pub folder: &'a str,
}

/// A baseline and its variants, each compared with the baseline to one horizon.
pub struct ComparisonSet<'a> {
    pub baseline: SetArm<'a>,
    pub variants: Vec<(SetArm<'a>, Comparison)>,
    pub tau_weeks: f64,
    /// The parameter a ladder steps through, its values (one per variant) and what else
    /// every variant sets.
    pub ladder: Option<LadderRecord>,
    /// Things the reader must know, e.g. a variant identical to the baseline.
    pub warnings: Vec<String>,
}

impl<'a> ComparisonSet<'a> {
    /// Compares each variant with the baseline, to the shortest horizon of them all.
    pub fn build(baseline: SetArm<'a>, variants: Vec<SetArm<'a>>, ladder: Option<LadderRecord>) -> Self {
        let tau =
            variants.iter().map(|v| v.input.stats.horizon_weeks).fold(baseline.input.stats.horizon_weeks, f64::min);
        let variants: Vec<(SetArm<'a>, Comparison)> = variants
            .into_iter()
            .map(|v| {
                let c = Comparison::build_to(&baseline.input, &v.input, tau);
                (v, c)
            })
            .collect();
        let warnings = variants
            .iter()
            .filter(|(_, c)| c.identical())
            .map(|(v, _)| identical_warning(v.input.label, v.folder))
            .collect();
        ComparisonSet { baseline, variants, tau_weeks: tau, ladder, warnings }
    }

    /// The labels of every arm, baseline first.
    pub fn labels(&self) -> Vec<&str> {
        std::iter::once(self.baseline.input.label).chain(self.variants.iter().map(|(v, _)| v.input.label)).collect()
    }

    fn arm_record(&self, x: &SetArm<'_>, rmst_weeks: f64) -> ArmRecord {
        let y = |w: f64| r6(w / WEEKS_PER_YEAR);
        let yo = |w: Option<f64>| w.map(y);
        let (s, sc) = (x.input.stats, x.input.scenario);
        ArmRecord {
            label: x.input.label.to_string(),
            folder: x.folder.to_string(),
            scenario: sc.spec.run.name.clone(),
            file: sc.path.display().to_string(),
            sha256: sc.sha256.clone(),
            overrides: sc.overrides.clone(),
            seed: sc.spec.run.seed,
            replicates: x.input.outcomes.len(),
            horizon_years: y(s.horizon_weeks),
            ended: s.events,
            median_years: yo(s.km.median()),
            median_ci95_years: [yo(s.median.lower), yo(s.median.upper)],
            rmst_years: y(rmst_weeks),
            rmst_se_years: s.rmst.filter(|r| r.tau == self.tau_weeks).map(|r| y(r.se)),
            survival_at_years: report_years(self.tau_weeks)
                .iter()
                .map(|yr| (format!("{yr}"), r6(s.km.survival_at(yr * WEEKS_PER_YEAR))))
                .collect(),
        }
    }

    /// The set as `comparison.json` holds it.
    pub fn record(&self) -> ComparisonRecord {
        let y = |w: f64| r6(w / WEEKS_PER_YEAR);
        let b = &self.baseline.input;
        let base_rmst =
            self.variants.first().map_or_else(|| restricted_mean(b.outcomes, self.tau_weeks), |(_, c)| c.rmst[0]);
        let variants = self
            .variants
            .iter()
            .map(|(v, c)| VariantRecord {
                arm: self.arm_record(v, c.rmst[1]),
                versus_baseline: VersusBaseline {
                    identical_to_baseline: c.identical(),
                    parameter_differences: c
                        .parameter_differences
                        .iter()
                        .map(|(k, x, z)| ParameterDifference {
                            key: k.clone(),
                            baseline: x.clone(),
                            variant: z.clone(),
                        })
                        .collect(),
                    rmst_difference_years: c.rmst_difference.map(|d| DifferenceRecord {
                        estimate: y(d.estimate),
                        se: y(d.se),
                        ci95: [y(d.lower), y(d.upper)],
                        method:
                            "mean of paired differences in min(end, horizon) over replicates run with the same seeds"
                                .into(),
                    }),
                    median_difference_years: b
                        .stats
                        .km
                        .median()
                        .zip(v.input.stats.km.median())
                        .map(|(m1, m2)| y(m2 - m1)),
                    survival_difference_at_years: c
                        .survival_at
                        .iter()
                        .map(|(yr, s)| (format!("{yr}"), r6(s[1] - s[0])))
                        .collect(),
                    logrank: c.logrank.as_ref().map(|l| LogRankRecord {
                        chi_square: r6(l.chi_square),
                        df: 1,
                        p_value: l.p_value,
                        observed: l.observed,
                        expected: [r6(l.expected[0]), r6(l.expected[1])],
                    }),
                    causes: c
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
                },
            })
            .collect();
        let labels = self.labels();
        ComparisonRecord {
            question: match labels.len() {
                2 => format!("How does '{}' differ from '{}'?", labels[1], labels[0]),
                _ => format!("How does each of {} variants differ from '{}'?", labels.len() - 1, labels[0]),
            },
            common_random_numbers: self
                .variants
                .iter()
                .all(|(v, _)| v.input.scenario.spec.run.seed == b.scenario.spec.run.seed),
            seed: b.scenario.spec.run.seed,
            replicates: b.outcomes.len(),
            horizon_years: y(self.tau_weeks),
            ladder: self.ladder.clone(),
            baseline: self.arm_record(&self.baseline, base_rmst),
            variants,
            warnings: self.warnings.clone(),
        }
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(&self.record()).expect("comparison serializes");
        out.push(b'\n');
        out
    }

    /// Long format, one meaning per column: `arm,label,statistic,cause,value,lower,upper`
    /// (README: "comparison.csv"). `arm` is an arm's folder (`baseline`, `variant-2`) or a
    /// contrast (`variant-2 vs baseline`); `lower`/`upper` bound a 95% interval where the
    /// statistic has one; `cause` is empty for statistics of all causes together.
    pub fn write_csv(&self, path: &Path) -> io::Result<()> {
        let mut csv = csv::Writer::from_writer(AtomicFile::create(path)?);
        csv.write_record(CSV_HEADER)?;
        let rec = self.record();
        let mut arms = vec![&rec.baseline];
        arms.extend(rec.variants.iter().map(|v| &v.arm));
        let stats = std::iter::once(self.baseline.input.stats).chain(self.variants.iter().map(|(v, _)| v.input.stats));
        for (a, s) in arms.iter().zip(stats) {
            let mut row = |stat: &str, cause: &str, v: Option<f64>, lo: Option<f64>, hi: Option<f64>| {
                // Counts are written as whole numbers.
                let v = if COUNTS.contains(&stat) { v.map_or(String::new(), |x| format!("{x:.0}")) } else { opt(v) };
                csv.write_record([a.folder.as_str(), &a.label, stat, cause, &v, &opt(lo), &opt(hi)])
            };
            let count = |n: usize| Some(n as f64);
            row("replicates", "", count(a.replicates), None, None)?;
            row("horizon_years", "", Some(rec.horizon_years), None, None)?;
            row("ended_before_horizon", "", count(a.ended), None, None)?;
            let (lo, hi) = match a.rmst_se_years {
                Some(se) => {
                    let z = normal_quantile(0.5 + LEVEL / 2.0);
                    (Some((a.rmst_years - z * se).max(0.0)), Some((a.rmst_years + z * se).min(rec.horizon_years)))
                }
                None => (None, None),
            };
            row("rmst_years", "", Some(a.rmst_years), lo, hi)?;
            row("median_years", "", a.median_years, a.median_ci95_years[0], a.median_ci95_years[1])?;
            for yr in report_years(self.tau_weeks) {
                let (v, lo, hi) = survival_with_band(s, yr * WEEKS_PER_YEAR);
                row(&format!("survival_at_{yr}_years"), "", Some(v), lo, hi)?;
            }
            for (k, cause) in s.cause_labels.iter().enumerate() {
                row("events", cause, count(s.rates[k].events), None, None)?;
                row(
                    "cumulative_incidence_at_horizon",
                    cause,
                    Some(s.incidence.incidence_at(k, self.tau_weeks)),
                    None,
                    None,
                )?;
                row("rate_per_year_at_risk", cause, Some(s.rates[k].rate * WEEKS_PER_YEAR), None, None)?;
            }
        }
        for v in &rec.variants {
            let arm = format!("{} vs baseline", v.arm.folder);
            let label = format!("{} vs {}", v.arm.label, rec.baseline.label);
            let d = &v.versus_baseline;
            let mut row = |stat: &str, cause: &str, v: Option<f64>, lo: Option<f64>, hi: Option<f64>| {
                csv.write_record([arm.as_str(), &label, stat, cause, &opt(v), &opt(lo), &opt(hi)])
            };
            let r = d.rmst_difference_years.as_ref();
            row("rmst_difference_years", "", r.map(|r| r.estimate), r.map(|r| r.ci95[0]), r.map(|r| r.ci95[1]))?;
            row("median_difference_years", "", d.median_difference_years, None, None)?;
            for (yr, x) in &d.survival_difference_at_years {
                row(&format!("survival_difference_at_{yr}_years"), "", Some(*x), None, None)?;
            }
            if let Some(l) = &d.logrank {
                row("logrank_chi_square_1df", "", Some(l.chi_square), None, None)?;
                csv.write_record([arm.as_str(), &label, "logrank_p_value", "", &format!("{:e}", l.p_value), "", ""])?;
            }
            for c in &d.causes {
                let mut row = |stat: &str, v: Option<f64>, lo: Option<f64>, hi: Option<f64>| {
                    csv.write_record([arm.as_str(), &label, stat, &c.cause, &opt(v), &opt(lo), &opt(hi)])
                };
                let i = &c.cumulative_incidence_at_horizon;
                row("cumulative_incidence_difference_at_horizon", Some(r6(i[1] - i[0])), None, None)?;
                let q = c.rate_ratio.as_ref();
                row("rate_ratio", q.map(|q| q.estimate), q.map(|q| q.ci95[0]), q.map(|q| q.ci95[1]))?;
            }
        }
        csv.into_inner().map_err(|e| e.into_error())?.commit()
    }
}

impl ComparisonSet<'_> {
    /// Each variant's difference in mean lifetime to the horizon from the baseline, with
    /// its 95% interval from the paired differences: `differences.svg` and `.png`.
    pub fn differences_figure(&self, dir: &Path, title: &str) -> io::Result<String> {
        let y = |w: f64| w / WEEKS_PER_YEAR;
        let cats: Vec<String> = self.variants.iter().map(|(v, _)| v.input.label.to_string()).collect();
        let d: Vec<Difference> = self
            .variants
            .iter()
            .map(|(_, c)| c.rmst_difference.unwrap_or(Difference { estimate: 0.0, se: 0.0, lower: 0.0, upper: 0.0 }))
            .collect();
        let series = BarSeries {
            label: "variant minus baseline, with 95% CI".into(),
            values: d.iter().map(|d| y(d.estimate)).collect(),
            lo: Some(d.iter().map(|d| y(d.lower)).collect()),
            hi: Some(d.iter().map(|d| y(d.upper)).collect()),
        };
        bar_plot(
            &dir.join("differences"),
            &format!("Difference in mean lifetime from the baseline: {title}"),
            &format!("Mean lifetime to {:.1} years: variant minus baseline (years)", y(self.tau_weeks)),
            &cats,
            &[series],
        )
    }
}

/// The statistics of comparison.csv that are counts.
const COUNTS: [&str; 3] = ["replicates", "ended_before_horizon", "events"];

/// The columns of comparison.csv.
pub const CSV_HEADER: [&str; 7] = ["arm", "label", "statistic", "cause", "value", "lower", "upper"];

fn opt(x: Option<f64>) -> String {
    x.map_or(String::new(), f6)
}

fn restricted_mean(outcomes: &[ReplicateOutcome], tau: f64) -> f64 {
    let t = restricted_times(&outcomes.iter().map(|r| r.end_week as f64).collect::<Vec<_>>(), tau);
    t.iter().sum::<f64>() / t.len().max(1) as f64
}

/// S(t) with its 95% log(-log) band, as the survival chart draws it.
fn survival_with_band(s: &ArmStats, t: f64) -> (f64, Option<f64>, Option<f64>) {
    match s.km.steps.iter().take_while(|st| st.time <= t).last() {
        Some(st) => (st.survival, st.lower, st.upper),
        None => (1.0, Some(1.0), Some(1.0)),
    }
}

/// The warning for a variant whose resolved parameters are all the baseline's.
pub fn identical_warning(label: &str, folder: &str) -> String {
    format!(
        "the variant '{label}' ({folder}/) has every parameter equal to the baseline's, so it repeats the baseline run for run and shows no difference; check its --variant/--vary values"
    )
}

/// A p-value for people: `p < 0.0001`, `p = 0.032`, `p > 0.999`.
pub fn p_words(p: f64) -> String {
    if p < 1e-4 {
        "p < 0.0001".into()
    } else if p > 0.999 {
        "p > 0.999".into()
    } else if p < 0.001 {
        format!("p = {p:.4}")
    } else {
        format!("p = {p:.3}")
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

/// `comparison.json`: the baseline, every variant with its differences from the baseline,
/// and the warnings. One variant or a ladder of them, one schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRecord {
    pub question: String,
    pub common_random_numbers: bool,
    pub seed: u64,
    pub replicates: usize,
    /// The horizon every statistic is computed to: the shortest arm's.
    pub horizon_years: f64,
    /// The parameter a ladder (`--vary`) steps through, if the variants are one.
    pub ladder: Option<LadderRecord>,
    pub baseline: ArmRecord,
    pub variants: Vec<VariantRecord>,
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LadderRecord {
    pub key: String,
    /// One value per variant, in the order of `variants`.
    pub values: Vec<String>,
    /// Overrides every variant also has (`--variant` with `--vary`).
    pub also: Vec<String>,
}

/// A variant and how it differs from the baseline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantRecord {
    pub arm: ArmRecord,
    pub versus_baseline: VersusBaseline,
}

/// Variant minus baseline (ratios: variant over baseline), paired over common seeds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersusBaseline {
    /// No resolved parameter differs: the arms are the same runs.
    pub identical_to_baseline: bool,
    pub parameter_differences: Vec<ParameterDifference>,
    pub rmst_difference_years: Option<DifferenceRecord>,
    pub median_difference_years: Option<f64>,
    /// Survival at 1, 2, 5 and 10 years (those within the horizon), variant minus baseline.
    pub survival_difference_at_years: IndexMap<String, f64>,
    pub logrank: Option<LogRankRecord>,
    pub causes: Vec<CauseRecord>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArmRecord {
    pub label: String,
    /// The arm's own run folder inside the comparison's.
    pub folder: String,
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
    /// Restricted mean survival to the comparison's horizon.
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

/// The log-rank test of the variant against the baseline; `observed` and `expected` are
/// [baseline, variant].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogRankRecord {
    pub chi_square: f64,
    pub df: u32,
    pub p_value: f64,
    pub observed: [usize; 2],
    pub expected: [f64; 2],
}

/// One end cause; pairs are [baseline, variant].
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_read_as_people_write_them() {
        assert_eq!(p_words(9.714e-91), "p < 0.0001");
        assert_eq!(p_words(1.0), "p > 0.999");
        assert_eq!(p_words(0.0321), "p = 0.032");
        assert_eq!(p_words(0.00042), "p = 0.0004");
        for p in [1e-300, 1e-5, 0.004, 0.5, 0.9999, 1.0] {
            assert!(!p_words(p).contains('e'), "{p}: {}", p_words(p));
        }
    }
}
