//! One design point's results as a sweep.csv row and scalar outputs: Kaplan-Meier survival
//! at 1, 2, 5 and 10 years, the median and the restricted mean with 95% intervals, the share
//! of runs ending by each cause, and mean savings.

use super::record::{Estimate, PointRecord, Scalars};
use crate::analysis::arm::LEVEL;
use crate::analysis::paired::normal_quantile;
use crate::engine::ReplicateOutcome;
use crate::output::f6;
use crate::scenario::experiment::{SweepPlan, toml_number};

const WEEKS_PER_YEAR: f64 = 52.0;
const YEARS: [u32; 4] = [1, 2, 5, 10];

/// Column-name form of a cause label: `PF2 withdrew after a leader change` ->
/// `PF2_withdrew_after_a_leader_change`.
fn slug(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

pub fn header(plan: &SweepPlan) -> Vec<String> {
    let mut h = vec!["point".to_string()];
    h.extend(plan.params.iter().map(|p| p.key.clone()));
    h.extend(["replicates", "ended"].map(String::from));
    h.extend(YEARS.map(|y| format!("survival_{y}y")));
    h.extend(["median_years", "median_lo", "median_hi", "rmst_years", "rmst_lo", "rmst_hi"].map(String::from));
    let labels = crate::engine::cause_labels(&plan.org_names, plan.sponsored);
    h.extend(labels.iter().map(|l| format!("share_{}", slug(l))));
    h.extend(["share_running", "mean_savings_gbp"].map(String::from));
    h
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
    row.extend(plan.points[i].iter().map(|&x| toml_number(x)));
    row.push(outcomes.len().to_string());
    row.push(s.events.to_string());
    for yr in YEARS {
        let wk = yr * 52;
        row.push(if wk <= h { f6(s.km.survival_at(wk as f64)) } else { String::new() });
    }
    let median = s.km.median().map(y);
    row.extend([opt(median), opt(s.median.lower.map(y)), opt(s.median.upper.map(y))]);
    let (rm, rse) = s.rmst.map_or((f64::NAN, f64::NAN), |r| (y(r.mean), y(r.se)));
    row.extend([f6(rm), f6(rm - z * rse), f6(rm + z * rse)]);
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
        rmst: s.rmst.map(|r| est(y(r.mean), y(r.mean) - z * y(r.se), y(r.mean) + z * y(r.se))),
        // A median above the horizon counts as the horizon: the smallest value consistent with it.
        median: est(
            median.unwrap_or(horizon_y),
            s.median.lower.map_or(horizon_y, y),
            s.median.upper.map_or(horizon_y, y),
        ),
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
