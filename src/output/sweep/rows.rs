//! One design point's results as a sweep.csv row and scalar outputs: Kaplan-Meier survival
//! at 1, 2, 5 and 10 years, the median (flagged when it lies beyond the horizon) and the
//! restricted mean with 95% intervals, the share of runs ending by each cause, and mean
//! savings; the same values in long form for sweep-long.csv (`long_columns`), and the
//! sweep's runs.csv columns.

use super::record::{Estimate, PointRecord, Scalars};
use crate::analysis::arm::LEVEL;
use crate::analysis::paired::normal_quantile;
use crate::engine::ReplicateOutcome;
use crate::output::{f6, runs_csv};
use crate::scenario::experiment::{DesignKind, SweepPlan, toml_number};

const WEEKS_PER_YEAR: f64 = 52.0;
const YEARS: [u32; 4] = [1, 2, 5, 10];

/// Column-name form of a cause label: `PF2 withdrew after a leader change` ->
/// `PF2_withdrew_after_a_leader_change`.
fn slug(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// The Saltelli matrix a Sobol design point belongs to and its row there: the design is
/// A (n rows), then B, then AB_1 ... AB_k (A with parameter k's column taken from B).
pub fn sobol_matrix(plan: &SweepPlan, i: usize) -> (String, usize) {
    let n = plan.sobol_samples.max(1);
    let m = match i / n {
        0 => "A".to_string(),
        1 => "B".to_string(),
        b => format!("AB_{}", b - 1),
    };
    (m, i % n)
}

pub fn header(plan: &SweepPlan) -> Vec<String> {
    let mut h = vec!["point".to_string()];
    if plan.design == DesignKind::Sobol {
        h.extend(["sobol_matrix", "sobol_row"].map(String::from));
    }
    h.extend(plan.params.iter().map(|p| p.key.clone()));
    h.extend(["replicates", "ended"].map(String::from));
    h.extend(YEARS.map(|y| format!("survival_{y}y")));
    h.extend(
        ["median_years", "median_lo", "median_hi", "median_beyond_horizon", "rmst_years", "rmst_lo", "rmst_hi"]
            .map(String::from),
    );
    let labels = crate::engine::cause_labels(&plan.org_names, plan.sponsored);
    h.extend(labels.iter().map(|l| format!("share_{}", slug(l))));
    h.extend(["share_running", "mean_savings_gbp"].map(String::from));
    h
}

/// How many leading columns of `header` identify the point (the point, the Sobol matrix
/// and row, the parameters) rather than hold a result.
pub fn key_columns(plan: &SweepPlan) -> usize {
    1 + if plan.design == DesignKind::Sobol { 2 } else { 0 } + plan.params.len()
}

/// The (statistic, partner) of each result column of `header` (after `key_columns`), in
/// order: the long form of a row, whose statistic names do not depend on the scenario's
/// partners (the partner has its own column; empty for the whole collaboration).
pub fn long_columns(plan: &SweepPlan) -> Vec<(String, String)> {
    let whole = |s: &str| (s.to_string(), String::new());
    let mut v: Vec<(String, String)> = ["replicates", "ended"].iter().map(|s| whole(s)).collect();
    v.extend(YEARS.map(|y| whole(&format!("survival_{y}y"))));
    v.extend(
        ["median_years", "median_lo", "median_hi", "median_beyond_horizon", "rmst_years", "rmst_lo", "rmst_hi"]
            .iter()
            .map(|s| whole(s)),
    );
    // Causes in `cause_labels` order: per partner after a leader change, then otherwise;
    // then the unit understaffed and, if sponsored, the sponsor's cancellation.
    for o in &plan.org_names {
        v.push(("share_withdrew_after_leader_change".into(), o.clone()));
        v.push(("share_withdrew_without_leader_change".into(), o.clone()));
    }
    v.push(whole("share_understaffed"));
    if plan.sponsored {
        v.push(whole("share_sponsor_cancelled"));
    }
    v.extend(["share_running", "mean_savings_gbp"].iter().map(|s| whole(s)));
    v
}

/// The sweep's runs.csv header: the point, then a run's columns with the seed also split
/// into two 32-bit halves (`seed = seed_hi * 2^32 + seed_lo`), which every CSV reader
/// holds exactly: R's read.csv and readr read the 64-bit `seed` as a double and lose its
/// last digits.
pub fn runs_header(org_names: &[String]) -> Vec<String> {
    let mut h = vec!["point".to_string()];
    for c in runs_csv::header(org_names) {
        let seed = c == "seed";
        h.push(c);
        if seed {
            h.extend(["seed_hi", "seed_lo"].map(String::from));
        }
    }
    h
}

/// One run's row of the sweep's runs.csv, in `runs_header` order.
pub fn runs_row(point: usize, o: &ReplicateOutcome, org_names: &[String]) -> Vec<String> {
    let mut row = vec![point.to_string()];
    let run = runs_csv::row(o, org_names);
    // runs_csv puts the replicate first and the seed second.
    let mut it = run.into_iter();
    row.extend(it.by_ref().take(2));
    row.extend([(o.seed >> 32).to_string(), (o.seed & 0xFFFF_FFFF).to_string()]);
    row.extend(it);
    row
}

fn opt(x: Option<f64>) -> String {
    x.map_or(String::new(), f6)
}

/// The record of point `i` from its replicates' outcomes (in replicate order).
pub fn point_record(plan: &SweepPlan, i: usize, outcomes: &[ReplicateOutcome]) -> PointRecord {
    let h = plan.horizon_weeks;
    let s = crate::engine::arm_stats(outcomes, &plan.org_names, plan.sponsored, h);
    let y = |w: f64| w / WEEKS_PER_YEAR;
    let z = normal_quantile(0.5 + LEVEL / 2.0);
    let n = outcomes.len().max(1) as f64;

    let mut row = vec![i.to_string()];
    if plan.design == DesignKind::Sobol {
        let (m, r) = sobol_matrix(plan, i);
        row.extend([m, r.to_string()]);
    }
    row.extend(plan.points[i].iter().map(|&x| toml_number(x)));
    row.push(outcomes.len().to_string());
    row.push(s.events.to_string());
    for yr in YEARS {
        let wk = yr * 52;
        row.push(if wk <= h { f6(s.km.survival_at(wk as f64)) } else { String::new() });
    }
    // No median when more than half are still running at the horizon: its columns are
    // empty and the flag says it lies beyond the horizon.
    let median = s.km.median().map(y);
    row.extend([opt(median), opt(s.median.lower.map(y)), opt(s.median.upper.map(y))]);
    row.push(median.is_none().to_string());
    // The interval is cut to [0, horizon]: an RMST cannot leave it.
    let rmst = s.rmst.map(|r| {
        let (lo, hi) = r.interval(z);
        Estimate { value: y(r.mean), lo: y(lo), hi: y(hi) }
    });
    let r = rmst.unwrap_or(Estimate { value: f64::NAN, lo: f64::NAN, hi: f64::NAN });
    row.extend([f6(r.value), f6(r.lo), f6(r.hi)]);
    for k in 0..s.cause_labels.len() {
        row.push(f6(s.incidence_at_horizon(k)));
    }
    row.push(f6(s.km.survival_at(h as f64)));
    let savings: Vec<f64> = outcomes.iter().map(|r| r.savings_gbp).collect();
    let mean_sav = savings.iter().sum::<f64>() / n;
    row.push(format!("{mean_sav:.2}"));

    // Scalars for the sensitivity analysis and the figures, each with a 95% interval.
    let horizon_y = y(h as f64);
    let est = |value: f64, lo: f64, hi: f64| Estimate { value, lo, hi };
    let survival = plan.output_year.map(|yr| {
        let wk = yr * WEEKS_PER_YEAR;
        let step = s.km.steps.iter().take_while(|st| st.time <= wk).last();
        let sv = step.map_or(1.0, |st| st.survival);
        est(sv, step.and_then(|st| st.lower).unwrap_or(sv), step.and_then(|st| st.upper).unwrap_or(sv))
    });
    let sd = (savings.iter().map(|v| (v - mean_sav).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
    let se = sd / n.sqrt();
    let scalars = Scalars {
        rmst,
        // A median beyond the horizon is scored as the horizon (the smallest value consistent
        // with it), and flagged: the report counts such points.
        median: est(
            median.unwrap_or(horizon_y),
            s.median.lower.map_or(horizon_y, y),
            s.median.upper.map_or(horizon_y, y),
        ),
        median_beyond_horizon: median.is_none(),
        survival,
        savings: est(mean_sav, mean_sav - z * se, mean_sav + z * se),
    };

    PointRecord {
        plan: plan.id.clone(),
        point: i,
        row,
        scalars,
        end_weeks: outcomes.iter().map(|r| (!r.censored).then_some(r.end_week)).collect(),
    }
}
