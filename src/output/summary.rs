//! `summary.json`: what was run (scenario, file hash, resolved parameters, seed, version)
//! and what came out (Kaplan-Meier survival at 1, 2, 5 and 10 years, median survival with
//! its 95% interval, restricted mean survival, Nelson-Aalen cumulative hazard, shares of runs
//! by end cause and partner, cumulative incidence of each cause, savings, staff). No
//! timestamps: the same run gives the same bytes.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::analysis::arm::ArmStats;
use crate::analysis::nelson_aalen::NelsonAalen;
use crate::analysis::survival::Observation;
use crate::engine::ReplicateOutcome;
use crate::model::EndCause;
use crate::scenario::Scenario;

pub struct SummaryInput<'a> {
    pub scenario: &'a Scenario,
    pub outcomes: &'a [ReplicateOutcome],
    /// The survival statistics of `outcomes` (computed once by the caller, which also plots them).
    pub stats: &'a ArmStats,
}

#[derive(Serialize)]
pub struct Summary {
    pub scenario: String,
    pub file: String,
    pub sha256: String,
    pub crate_version: String,
    pub seed: u64,
    pub replicates: u64,
    pub horizon_years: f64,
    pub horizon_weeks: u32,
    pub overrides: Vec<String>,
    pub survival: Value,
    pub end_causes: Value,
    pub end_by_org: Value,
    pub savings: Value,
    pub staff: Value,
    pub means_at_end: Value,
    pub parameters: Value,
}

/// Years at which survival is reported.
pub const REPORT_YEARS: [u32; 4] = [1, 2, 5, 10];

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = xs.fold((0.0, 0u64), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { s / n as f64 }
}

/// Rounds for presentation so that tiny float noise never shows as a change.
fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl Summary {
    pub fn build(input: &SummaryInput<'_>) -> Summary {
        let sc = input.scenario;
        let p = &sc.params;
        let out = input.outcomes;
        let n = out.len().max(1) as f64;
        let org_names: Vec<&str> = p.organizations.iter().map(|o| o.name.as_str()).collect();

        let stats = input.stats;
        let km = &stats.km;
        let years = |w: Option<f64>| w.map(|w| r6(w / 52.0));
        let na = NelsonAalen::fit(
            &out.iter().map(|r| Observation { time: r.end_week as f64, event: !r.censored }).collect::<Vec<_>>(),
        );
        let mut hazard = Map::new();
        for y in REPORT_YEARS {
            let wk = y * 52;
            let v = if wk <= p.horizon_weeks { json!(r6(na.cum_hazard_at(wk as f64))) } else { Value::Null };
            hazard.insert(y.to_string(), v);
        }
        let mut at = Map::new();
        for y in REPORT_YEARS {
            let wk = y * 52;
            let v = if wk <= p.horizon_weeks { json!(r6(km.survival_at(wk as f64))) } else { Value::Null };
            at.insert(y.to_string(), v);
        }
        let survival = json!({
            "at_years": at,
            "median_years": km.median().map(|w| r6(w / 52.0)),
            "median_ci95_years": [years(stats.median.lower), years(stats.median.upper)],
            "rmst_years": stats.rmst.map(|r| json!({
                "to_years": r6(r.tau / 52.0), "mean": r6(r.mean / 52.0), "se": r6(r.se / 52.0),
            })),
            "cumulative_hazard_at_years": hazard,
            "ended": out.iter().filter(|r| !r.censored).count(),
            "censored": out.iter().filter(|r| r.censored).count(),
        });
        let causes: Vec<Value> = stats
            .cause_labels
            .iter()
            .enumerate()
            .map(|(k, label)| {
                json!({
                    "cause": label,
                    "events": stats.rates[k].events,
                    "cumulative_incidence_at_horizon": r6(stats.incidence_at_horizon(k)),
                    "rate_per_year": r6(stats.rates[k].rate * 52.0),
                })
            })
            .collect();

        let share = |pred: &dyn Fn(&ReplicateOutcome) -> bool| r6(out.iter().filter(|r| pred(r)).count() as f64 / n);
        let end_causes = json!({
            "withdrawal": share(&|r| r.end_cause == Some(EndCause::Withdrawal)),
            "understaffed": share(&|r| r.end_cause == Some(EndCause::Understaffed)),
            "censored": share(&|r| r.censored),
            "competing_risks": causes,
        });
        let mut by_org = Map::new();
        for (o, name) in org_names.iter().enumerate() {
            by_org.insert(
                name.to_string(),
                json!({
                    "withdrawal": share(&|r| r.end_org == Some(o) && r.end_cause == Some(EndCause::Withdrawal)),
                    "understaffed": share(&|r| r.end_org == Some(o) && r.end_cause == Some(EndCause::Understaffed)),
                }),
            );
        }
        let total_savings = mean(out.iter().map(|r| r.savings_gbp));
        let mut org_savings = Map::new();
        for (o, name) in org_names.iter().enumerate() {
            let s = mean(out.iter().map(|r| r.savings_by_org[o]));
            org_savings.insert(
                name.to_string(),
                json!({ "mean_gbp": r6(s), "share": r6(if total_savings > 0.0 { s / total_savings } else { 0.0 }) }),
            );
        }
        let savings = json!({
            "mean_total_gbp": r6(total_savings),
            "mean_by_year2_gbp": r6(mean(out.iter().map(|r| r.savings_y2_gbp))),
            "by_org": org_savings,
        });
        let staff = json!({
            "staff_before": p.baseline_staff(),
            "posts": p.collaboration.posts,
            "mean_active_end": r6(mean(out.iter().map(|r| r.active_staff_end as f64))),
        });
        let means_at_end = json!({
            "trust": r6(mean(out.iter().map(|r| r.mean_trust_end))),
            "motivation": r6(mean(out.iter().map(|r| r.mean_motivation_end))),
            "willingness": r6(mean(out.iter().map(|r| r.mean_willingness_end))),
            "leader_changes": r6(mean(out.iter().map(|r| r.leader_changes as f64))),
        });
        Summary {
            scenario: sc.raw.name.clone(),
            file: sc.path.display().to_string(),
            sha256: sc.sha256.clone(),
            crate_version: env!("CARGO_PKG_VERSION").to_string(),
            seed: sc.raw.seed,
            replicates: sc.raw.replicates,
            horizon_years: sc.raw.years,
            horizon_weeks: p.horizon_weeks,
            overrides: sc.overrides.clone(),
            survival,
            end_causes,
            end_by_org: Value::Object(by_org),
            savings,
            staff,
            means_at_end,
            parameters: serde_json::to_value(&sc.raw).unwrap_or(Value::Null),
        }
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("summary serializes");
        v.push(b'\n');
        v
    }
}
